"""Background tasks of the documents app: the daily sealed PDF of the audit log's latest
tree head (R1.1), asked for every hour by the scheduler and made once a local day."""

from __future__ import annotations

from django_tasks import task

from liuhen.core import audit
from liuhen.documents.actions import tree_head_paper


@task()
def daily_tree_head_pdf() -> str | None:
    path = tree_head_paper.seal_tree_head_pdf(audit.SYSTEM)
    return str(path) if path is not None else None

"""Background tasks of cases: the nightly export to the provincial enforcement platform
(制度第二十条). The scheduler's job "platform-export" enqueues it every hour; the action
works once a local day."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django_tasks import task

from liuhen.cases.actions.platform import export_due
from liuhen.core import audit


@task()
def nightly_platform_export() -> str:
    path = export_due(audit.SYSTEM, Path(settings.PLATFORM_EXPORT_DIR))
    return str(path) if path else ""

"""Checks on a case's AV records (``cases.compliance``), registered by
``MediaConfig.ready()``.

R14.1: a recording outside any checkout is made visible. A record whose recorder nobody
had checked out at the capture time, or that someone other than its holder brought in,
is a finding of every case it is linked to (directly or through an activity). It does not
block: the recording stays evidence; supervision asks why.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.cases.compliance import Finding, check, finding, stage_index
from liuhen.cases.models import Stage
from liuhen.media.links import current_links
from liuhen.media.models import CheckoutProblem

if TYPE_CHECKING:
    from liuhen.cases.models import Case


@check("av_outside_checkout", article="R14.1", blocking=False)
def _av_outside_checkout(case: Case) -> Iterator[Finding]:
    """R14.1: an AV record of the case from a recorder not checked out at its capture
    time, or uploaded by someone other than the officer who held it."""
    links = (
        current_links()
        .filter(Q(case=case) | Q(activity__case=case))
        .exclude(record__checkout_problem=CheckoutProblem.NONE)
        .select_related("record__device", "activity__type")
        .order_by("record_id", "linked_at", "id")
    )
    seen: set[int] = set()
    for link in links:
        record = link.record
        if record.pk in seen:
            continue
        seen.add(record.pk)
        when = timezone.localtime(record.captured_at) if record.captured_at else None
        message = _(
            "AV record AV-%(number)s (%(name)s, recorder %(device)s, captured %(time)s): "
            "%(problem)s."
        ) % {
            "number": record.pk,
            "name": record.original_name,
            "device": record.device.serial if record.device else "",
            "time": f"{when:%Y-%m-%d %H:%M}" if when else "",
            "problem": record.get_checkout_problem_display(),
        }
        about = link.activity if link.activity is not None else case
        stage = (link.activity.stage if link.activity is not None else "") or case.stage
        # A recording before filing is judged with the investigation (as the AV checks).
        yield finding(
            "av_outside_checkout",
            message,
            about,
            max(stage, Stage.INVESTIGATION, key=stage_index),
        )


CHECKS = (_av_outside_checkout,)

"""The checks on 执法公示 (R12.1): a decision published late or not yet published when its
period has run out, and a withdrawal made late. Registered by ``DisclosureConfig.ready()``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.cases.compliance import Finding, check, finding
from liuhen.cases.models import Stage
from liuhen.disclosure.clocks import publication_clock, withdrawal_clocks

if TYPE_CHECKING:
    from liuhen.cases.models import Case


@check("publication_late", article="R12.1", blocking=False)
def _publication_late(case: Case) -> Iterator[Finding]:
    """R12.1: decisions are published within 7 (penalty) or 20 (other) working days."""
    clock = publication_clock(case)
    if clock is None:
        return
    day = clock.met_on or timezone.localdate()
    if day <= clock.due:
        return
    values = {"due": clock.due.isoformat(), "days": (day - clock.due).days}
    if clock.met_on is None:
        message = (
            _(
                "The decision was due to be published by %(due)s and is not published yet "
                "(%(days)s days late)."
            )
            % values
        )
    else:
        message = _("The decision was published %(days)s days after it was due (%(due)s).") % values
    yield finding("publication_late", message, case, Stage.DECISION)


@check("withdrawal_late", article="R12.1", blocking=False)
def _withdrawal_late(case: Case) -> Iterator[Finding]:
    """行政处罚法 Art. 48: a changed or revoked decision's publication is withdrawn within
    3 working days."""
    for clock in withdrawal_clocks(case):
        if clock.met_on is not None and clock.met_on > clock.due:
            values = {"due": clock.due.isoformat(), "days": (clock.met_on - clock.due).days}
            message = (
                _("The publication was withdrawn %(days)s days after it was due (%(due)s).")
                % values
            )
            yield finding("withdrawal_late", message, case, Stage.DECISION)


CHECKS = (_publication_late, _withdrawal_late)

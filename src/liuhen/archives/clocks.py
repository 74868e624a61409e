"""The archiving clock of a closed case (R18.1): from closing until archived, as long as
the rule ``archiving_period`` allows. Registered in ``registry.deadline_providers``."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from liuhen.cases.deadlines import Clock, make_clock
from liuhen.cases.models import Case

ARCHIVING_RULE = "archiving_period"


def archiving_clock(case: Case) -> Clock | None:
    """None while the case is open."""
    return make_clock(case, "archiving", ARCHIVING_RULE, case.closed_at, met=case.archived_at)


class ArchivingDeadline:
    label = _("Archiving")

    def __call__(self, case: Case) -> Iterable[Clock | None]:
        return [archiving_clock(case)]


PROVIDERS = {"archiving": ArchivingDeadline()}

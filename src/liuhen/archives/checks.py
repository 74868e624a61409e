"""The check on archiving (R18.1): a closed case archived late, or not yet archived when
the archiving period has run out. Registered by ``ArchivesConfig.ready()``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.archives.clocks import archiving_clock
from liuhen.cases.compliance import Finding, check, finding
from liuhen.cases.models import Stage

if TYPE_CHECKING:
    from liuhen.cases.models import Case


@check("archiving_late", article="R18.1", blocking=False)
def _archiving_late(case: Case) -> Iterator[Finding]:
    """R18.1: the file is archived "in time": within the archiving period after closing."""
    clock = archiving_clock(case)
    if clock is None:
        return
    day = clock.met_on or timezone.localdate()
    if day <= clock.due:
        return
    values = {"due": clock.due.isoformat(), "days": (day - clock.due).days}
    if clock.met_on is None:
        message = (
            _(
                "The case file was due to be archived by %(due)s and is not archived yet "
                "(%(days)s days late)."
            )
            % values
        )
    else:
        message = _("The case file was archived %(days)s days after it was due (%(due)s).") % values
    yield finding("archiving_late", message, case, Stage.ARCHIVING)


CHECKS = (_archiving_late,)

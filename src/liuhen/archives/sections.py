"""The "Case file" section of the case page (R18.1): the file's state, the archiving
clock and the way to the archivist's review. Registered by ``ArchivesConfig.ready()``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from liuhen.archives import clocks
from liuhen.archives.models import CaseFile
from liuhen.archives.perms import ArchivePerms
from liuhen.cases.sections import Section

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.cases.models import Case


def _case_file(request: HttpRequest, case: Case) -> dict[str, Any]:
    case_file = CaseFile.objects.filter(case=case).first()
    return {"case_file": case_file, "clock": clocks.archiving_clock(case)}


SECTION = Section(
    "case_file",
    _("Case file"),
    "archives/sections/case_file.html",
    order=90,
    context=_case_file,
    action=ArchivePerms.VIEW,
)

"""The "Licences" section of the subject page (R18.3, R20): the subject's licences and
permits with where each came from, the digest of a fetched file, and — for whoever may
change the subject — the entry form and the button that asks the data exchange."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from liuhen.core import access
from liuhen.subjects.licences.forms import LicenceForm
from liuhen.subjects.licences.queries import licences_of
from liuhen.subjects.perms import SubjectPerms
from liuhen.subjects.sections import ROWS_SHOWN, Section


def _context(user: Any, subject: Any) -> dict[str, Any]:
    may_change = subject.merged_into_id is None and access.can(user, SubjectPerms.CHANGE, subject)
    return {
        "licences": list(licences_of(subject)[:ROWS_SHOWN]),
        "may_change": may_change,
        "form": LicenceForm() if may_change else None,
        "subject": subject,
    }


SUBJECT_SECTION = Section(
    "licences", _("Licences and permits"), "subjects/sections/licences.html", _context, order=5
)

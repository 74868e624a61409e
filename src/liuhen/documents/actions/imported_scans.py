"""Scanned paper files of imported cases (R3.2, R20.1): a folder's scans attached to the
case they belong to, each as a paper record of the form its file name begins with
(``行政处罚决定书.pdf``, ``洼农（农药）立〔2023〕5号-询问笔录-2.pdf``). Attaching again
skips a file whose content the case holds already, so a run can be repeated."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases.models import Case
from liuhen.documents.actions.scans import upload_scan
from liuhen.documents.catalog import catalog
from liuhen.documents.models import DocumentFile, FilePurpose
from liuhen.documents.spec import FormSpec

SUFFIX_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
_SEPARATORS = " -_－—·."


class ScanStatus:
    ATTACHED = "attached"
    ALREADY = "already"
    REFUSED = "refused"


@dataclass(frozen=True)
class ScanOutcome:
    path: Path
    status: str
    message: str = ""


def form_named(name: str, case_number: str = "") -> FormSpec | None:
    """The form whose title ``name`` begins with (after the case number, if it starts so);
    the longest title wins (行政处罚决定书 before 行政处罚)."""
    if case_number and name.startswith(case_number):
        name = name[len(case_number) :]
    name = name.lstrip(_SEPARATORS)
    forms = sorted(catalog.all_forms(), key=lambda spec: len(spec.title), reverse=True)
    return next((spec for spec in forms if name.startswith(spec.title)), None)


def scans_of(folder: Path, case_number: str) -> list[Path]:
    """The files of ``folder`` that belong to ``case_number``: those in its own sub-folder
    and those whose name begins with it."""
    own = folder / case_number
    inside = sorted(p for p in own.iterdir() if p.is_file()) if own.is_dir() else []
    beside = sorted(p for p in folder.glob("*") if p.is_file() and p.name.startswith(case_number))
    return inside + beside


def attach_scans(
    actor: User, case: Case, paths: list[Path], *, note: str = ""
) -> list[ScanOutcome]:
    """Each file attached through :func:`upload_scan` (access, the frozen guard and the audit
    event are that action's), or why not."""
    outcomes: list[ScanOutcome] = []
    for path in paths:
        content_type = SUFFIX_TYPES.get(path.suffix.lower())
        if content_type is None:
            outcomes.append(
                ScanOutcome(path, ScanStatus.REFUSED, _("A scan must be a PDF, JPEG or PNG file."))
            )
            continue
        spec = form_named(path.stem, case.number)
        if spec is None:
            outcomes.append(
                ScanOutcome(
                    path,
                    ScanStatus.REFUSED,
                    _(
                        "The file name does not begin with the name of a form, "
                        "e.g. 行政处罚决定书.pdf."
                    ),
                )
            )
            continue
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        held = DocumentFile.objects.filter(
            issued__case=case, purpose=FilePurpose.SCAN, blob_id=digest
        ).exists()
        if held:
            outcomes.append(ScanOutcome(path, ScanStatus.ALREADY))
            continue
        try:
            upload_scan(
                actor, case, spec.code, content=content, content_type=content_type, note=note
            )
        except ValidationError as error:
            outcomes.append(ScanOutcome(path, ScanStatus.REFUSED, "；".join(error.messages)))
            continue
        outcomes.append(ScanOutcome(path, ScanStatus.ATTACHED))
    return outcomes

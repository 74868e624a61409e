"""An archived demo case for ``liuhen seed-demo`` (R18.1, R18.2): a case of last year,
closed, its paper records scanned in, its file assembled, reviewed and archived by the
archivist, and its archive package built — so a new user sees the archivist's side: the
case file with its 档号, the bound PDF and the package to export."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from liuhen.accounts.models import Unit, User
from liuhen.archives.actions import case_file as case_files
from liuhen.archives.actions.package import build_archive_package
from liuhen.cases.actions.registration import create_case, link_party
from liuhen.cases.models import Case, ClosingCondition, Stage
from liuhen.core.audit import SYSTEM
from liuhen.documents.actions.scans import upload_scan
from liuhen.subjects import actions as subjects

NUMBER = "洼农（农药）立〔2025〕9号"
TITLE = "大洼区某农资店销售过期农药案"
OFFICERS = ("wangming", "lihua")
ARCHIVIST = "dangan"
PARTY_NAME = "大洼区某农家店"
# The paper records scanned in: form, note.
SCANS = (
    ("inspection_transcript", "现场检查笔录（纸质，已扫描）"),
    ("inquiry_transcript", "询问笔录（纸质，已扫描）"),
)


def _scan_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def seed_archived_case(unit: Unit) -> bool:
    """Make the archived demo case once; False when it exists or its people are missing."""
    officers = list(User.objects.filter(username__in=OFFICERS).order_by("username"))
    archivist = User.objects.filter(username=ARCHIVIST).first()
    if Case.objects.filter(number=NUMBER).exists() or archivist is None or not officers:
        return False
    case = create_case(
        SYSTEM,
        number=NUMBER,
        field="农药",
        title=TITLE,
        unit=unit,
        officers=User.objects.filter(pk__in=[o.pk for o in officers]),
        stage=Stage.DECISION,
    )
    party = subjects.create_subject(
        SYSTEM, kind="unit", name=PARTY_NAME, legal_representative="周某", address="大洼区田家街道"
    )
    link_party(SYSTEM, case, party)
    officer = next(o for o in officers if o.username == OFFICERS[0])
    for form, note in SCANS:
        upload_scan(
            officer, case, form, content=_scan_pdf(2), content_type="application/pdf", note=note
        )
    # A case worked before the system came in: its closing is on record, not re-enacted.
    Case.objects.filter(pk=case.pk).update(
        stage=Stage.ARCHIVING,
        closed_at=timezone.now() - dt.timedelta(days=5),
        closing_condition=ClosingCondition.EXECUTED,
    )
    case.refresh_from_db()
    case_file = case_files.assemble_case_file(archivist, case)
    case_files.set_note(archivist, case_file, note="本卷材料齐全，原件存执法大队。")
    case_file = case_files.archive_case_file(
        archivist, case_file, retention=case_file.suggested_retention
    )
    build_archive_package(archivist, case_file.case)
    return True

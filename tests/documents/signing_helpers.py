"""Shared pieces of the signing tests (R9.1, R9.2, R8.2): a case with its party 张三, issued
documents made through the actions, stroke images drawn with Pillow, AV records ingested as
the media tests do, and readers of the PDFs that come out.

Plain functions: each test module makes its own fixtures from them.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from typing import Any

from django.utils import timezone
from PIL import Image, ImageDraw
from pypdf import PdfReader

from liuhen.cases.actions.registration import link_party
from liuhen.cases.models import Case
from liuhen.core.audit import SYSTEM
from liuhen.documents import files
from liuhen.documents.actions import officer_signing
from liuhen.documents.models import FilePurpose, IssuedDocument
from liuhen.media.actions.ingest import probe_record
from liuhen.media.models import AvRecord
from liuhen.subjects import actions as subject_actions
from liuhen.subjects.identifiers import resident_id_check_char
from tests.factories import CaseFactory
from tests.fixtures.documents import issue_form, pdf_text
from tests.fixtures.media import ingest_bytes
from tests.media.media_factory import make_mp4

PARTY = "张三"
RESIDENT_ID = "21110419850315123" + resident_id_check_char("21110419850315123")
SECONDS = 3  # length of the AV records the tests make


def make_party_case(unit: Any, officers: list[Any], title: str = "张三涉嫌销售假农药案") -> Case:
    """A case of ``unit`` worked by ``officers`` whose party is the person 张三."""
    case = CaseFactory(unit=unit, officers=officers, title=title)
    subject = subject_actions.create_subject(
        officers[0],
        kind="person",
        name=PARTY,
        resident_id=RESIDENT_ID,
        address="大洼区田家街道1号",
        phone="13800000000",
    )
    link_party(officers[0], case, subject)
    return case


def transcript_values(started: dt.datetime | None = None) -> dict[str, str]:
    """What an officer types into an inquiry transcript beyond what the case fills in."""
    start = timezone.localtime(started or timezone.now() - dt.timedelta(hours=1))
    end = start + dt.timedelta(minutes=40)
    return {
        "started_at": start.strftime("%Y-%m-%d %H:%M"),
        "ended_at": end.strftime("%Y-%m-%d %H:%M"),
        "place": "大洼区农业农村局询问室",
        "recorder": "王明",
        "recusal": "否",
        "questions_answers": (
            "问：你店内销售的农药从何处购进？\n答：从营口一家批发部购进，有进货单。"
        ),
    }


def issue_transcript(actor: Any, case: Case) -> IssuedDocument:
    return issue_form(actor, case, "inquiry_transcript", **transcript_values())


def sign_officer_lines(officer: Any, issued: IssuedDocument, png: bytes | None = None) -> None:
    """The officer named on the transcript's 询问人 and 记录人 lines signs both on the pad."""
    for role in ("询问人", "记录人"):
        officer_signing.sign_as_officer(
            officer, issued, role=role, image_png=png or signature_png()
        )


def service_receipt_values() -> dict[str, str]:
    return {
        "documents": "行政处罚事先告知书|洼农（农药）告〔2026〕1号",
        "mode": "直接送达",
    }


def signature_png(width: int = 480, height: int = 160) -> bytes:
    """Black strokes on a transparent ground, as the pad sends them."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(20, 120), (90, 30), (150, 130), (230, 40)], fill=(0, 0, 0, 255), width=6)
    draw.line([(260, 60), (420, 60), (330, 140)], fill=(0, 0, 0, 255), width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def blank_png(width: int = 480, height: int = 160) -> bytes:
    """An untouched pad: a transparent PNG without a stroke."""
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 0, 0, 0)).save(out, format="PNG")
    return out.getvalue()


@functools.cache
def _clip() -> bytes:
    # A real MP4 (made by the media tests' generator), read by the real probe.
    return make_mp4(seconds=SECONDS, width=160, height=96, audio=False, created=None)


def av_record(actor: Any, captured_at: dt.datetime, **fields: Any) -> AvRecord:
    """A short recording captured at ``captured_at``, uploaded by ``actor`` and probed (the
    refusal checks its duration against the time of the refusal, R9.2)."""
    record = ingest_bytes(actor, _clip(), "clip.mp4", captured_at=captured_at, **fields)
    probe_record(SYSTEM, record.pk)
    return record


def file_bytes(issued: IssuedDocument, purpose: str = FilePurpose.SIGNED) -> bytes:
    return files.read_blob(issued.files.get(purpose=purpose).blob_id)


def image_xobjects(pdf: bytes) -> int:
    """How many image XObjects the pages draw (the signature strokes are one each)."""
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None:
            continue
        for ref in xobjects.get_object().values():
            if ref.get_object().get("/Subtype") == "/Image":
                count += 1
    return count


def page_footers(pdf: bytes) -> list[str]:
    """The "第 x 页 共 y 页" footers found in the text layer, in order."""
    return re.findall(r"第\s*\d+\s*页\s*共\s*\d+\s*页", pdf_text(pdf))

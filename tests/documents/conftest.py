"""Shared fixtures of the document screen tests: a blob store per test, the bureau's demo seal
installed through its action, and a decided case — party, officers with certificates, a
penalty decision made through the cases actions (advance notice, approval, decision)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions.registration import link_party
from liuhen.cases.models import Case, Stage
from liuhen.documents import files
from liuhen.documents.actions import drafting, issuing
from liuhen.documents.models import IssuedDocument, SealCertificate
from liuhen.subjects import actions as subject_actions
from tests.factories import CaseFactory

PARTY_NAME = "丰收农资经营部"
FONT_CACHE = Path("/tmp/liuhen-font-cache")  # noqa: S108 (a cache shared by test runs)
# What an officer types into a 责令改正通知书 beyond what the case fills in.
ORDER_VALUES = {
    "facts": "经查，你单位于2026年9月1日销售未取得农药登记证的农药10瓶。",
    "basis": "《农药管理条例》第五十五条",
    "requirement": "立即停止销售上述农药，并将剩余农药封存待查。",
    "correct_by": "2026-12-31",
}


def use_own_storage(settings: Any, folder: Path) -> Path:
    """A blob store in ``folder``; the lean CJK font shared between runs (first build ~5 s)."""
    settings.BLOB_URL = str(folder / "blobs")
    settings.SENDFILE = ""
    settings.FONT_CACHE_DIR = FONT_CACHE
    return folder / "blobs"


@pytest.fixture
def docs_storage(settings: Any, tmp_path: Path) -> Path:
    return use_own_storage(settings, tmp_path)


def install_seal(security_admin: Any, bureau: Any) -> SealCertificate:
    """The bureau's demo seal certificate (R18.2), installed by the security administrator."""
    from liuhen.documents.actions.seal import install_demo_seal

    return install_demo_seal(security_admin, bureau.name)


@pytest.fixture
def installed_seal(docs_storage: Path, bureau: Any, secadmin_qian: Any) -> SealCertificate:
    return install_seal(secadmin_qian, bureau)


def approve(actor: Any, case: Case, step: str, *approvers: Any) -> None:
    """Ask for ``step`` and have each approver in turn sign "同意" (R7.1)."""
    request = approval_actions.request_approval(actor, case, step)
    for person in approvers:
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")


def make_decided_case(unit: Any, officer: Any, head: Any, agency_head: Any) -> Case:
    """A case of ``unit`` worked by ``officer`` and ``head`` (both with enforcement
    certificates), whose party is the shop 丰收农资经营部, with a penalty decision (warning and
    a 5000 yuan fine) made through the cases actions."""
    case = CaseFactory(
        unit=unit,
        officers=[officer, head],
        stage=Stage.DECISION,
        field="农药",
        title="丰收农资经营部涉嫌销售未登记农药案",
    )
    shop = subject_actions.create_subject(
        officer,
        kind="unit",
        name=PARTY_NAME,
        legal_representative="李四",
        address="大洼区田家街道8号",
        phone="13900000000",
    )
    link_party(officer, case, shop)
    decision_actions.record_advance_notice(
        officer,
        case,
        notified_at=timezone.now() - dt.timedelta(days=5),
        notified_to=f"{PARTY_NAME} 法定代表人李四",
        method="直接送达",
        penalty_kinds=["warning", "fine"],
        proposed_fine_fen=5000_00,
    )
    approve(officer, case, "decision", head, agency_head)
    case.refresh_from_db()
    decision_actions.record_decision(
        officer,
        case,
        penalty_kinds=["warning", "fine"],
        fine_fen=5000_00,
        facts="2026年9月1日销售未取得农药登记证的农药10瓶",
        basis="《农药管理条例》第五十五条",
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def decided_case(
    docs_storage: Path, unit_a: Any, officer_wang: Any, head_zhang: Any, agency_head_liu: Any
) -> Case:
    """王明's and 张伟's case of unit A against 丰收农资经营部, decided."""
    return make_decided_case(unit_a, officer_wang, head_zhang, agency_head_liu)


def issue_form(actor: Any, case: Case, code: str, **values: str) -> IssuedDocument:
    """Draft ``code`` (prefilled from the case), type ``values``, issue — through the actions."""
    draft = drafting.create_draft(actor, case, code)
    draft = drafting.save_draft(actor, draft, {**draft.data, **values})
    return issuing.issue(actor, draft)


@pytest.fixture
def issued_order(installed_seal: SealCertificate, decided_case: Case, officer_wang: Any) -> Any:
    """A 责令改正通知书 issued for the decided case (served on the party, sealed)."""
    return issue_form(officer_wang, decided_case, "rectification_order", **ORDER_VALUES)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def current_pdf(issued: IssuedDocument) -> bytes:
    return files.read_blob(files.current_file(issued).blob_id)


def form_values(response: Any, **typed: str) -> dict[str, str]:
    """What the browser sends back from a draft page: the fields as shown, with ``typed``."""
    form = response.context["form"]
    return {**{name: str(form[name].value() or "") for name in form.fields}, **typed}

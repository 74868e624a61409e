"""Acceptance (R6.1): every form of the catalog — the 38 national forms and the bureau's —
is drafted from a filled case, approved where it is an internal form (R7.1), issued, and
gives a valid PDF whose text layer holds its title and the party's name; served forms are
sealed (R18.2) and the seal validates."""

from __future__ import annotations

import base64
import io

import pytest
from cryptography import x509
from pypdf import PdfReader

from liuhen.cases.models import Approval, ApprovalRequest, ApprovalStatus, Decision
from liuhen.core.blobs import get_store
from liuhen.documents import files
from liuhen.documents.actions import approval, drafting, issuing
from liuhen.documents.catalog import catalog
from liuhen.documents.issuing import approvals as approvals_of_forms
from liuhen.documents.models import SealCertificate
from liuhen.documents.seal import sealing
from liuhen.documents.seal.demo_ca import make_demo_seal
from liuhen.documents.spec import FieldType, FormSpec
from liuhen.subjects import crypto
from liuhen.subjects.models import CaseParty, Subject
from tests.factories import CaseFactory

PARTY = "盘锦市大洼区丰收农资经营部"
BUREAU = "盘锦市大洼区农业农村局"


@pytest.fixture(scope="module")
def panjin_demo_seal():
    return make_demo_seal(BUREAU, passphrase=b"demo-pass")


@pytest.fixture
def seal_row(panjin_demo_seal, agency_head_liu):
    cert = x509.load_pem_x509_certificate(panjin_demo_seal.seal_cert_pem)
    return SealCertificate.objects.create(
        name="demo",
        p12_encrypted=crypto.encrypt(base64.b64encode(panjin_demo_seal.p12).decode()),
        passphrase_encrypted=crypto.encrypt("demo-pass"),
        subject=cert.subject.rfc4514_string(),
        serial=str(cert.serial_number),
        not_after=cert.not_valid_after_utc,
        ca_pem=panjin_demo_seal.ca_cert_pem.decode(),
        uploaded_by=agency_head_liu,
    )


@pytest.fixture
def filled_case(officer_wang, bureau):
    bureau.name = BUREAU
    bureau.save()
    case = CaseFactory(unit=officer_wang.unit, field="农药", title="销售未登记农药案")
    case.officers.add(officer_wang)
    party = Subject.objects.create(
        kind="unit", name=PARTY, address="大洼区田家街道", legal_representative="赵六"
    )
    CaseParty.objects.create(case=case, subject=party)
    Decision.objects.create(
        case=case,
        number="洼农（农药）罚〔2026〕7号",
        penalty_kinds=["fine"],
        fine_fen=500_000,
        facts="当事人销售未取得农药登记证的农药。",
        basis="《农药管理条例》第五十五条",
        decided_by=officer_wang,
    )
    return case


def _value(spec: FormSpec, name: str, prefilled: str) -> str:
    field = spec.get_field(name)
    assert field is not None
    if prefilled:
        return prefilled
    if field.type == FieldType.DATE:
        return "2026-11-28"
    if field.type == FieldType.DATETIME:
        return "2026-11-28T10:30"
    if field.type in (FieldType.INTEGER, FieldType.MONEY):
        return "1"
    if field.type == FieldType.CHOICE and field.choices:
        return field.choices[0]
    return "经查明的情况"


def _approve(case, step: str, requester, approvers) -> None:
    """An approved request of a case step (filing, decision …), as the approval engine
    leaves it; the generic "document" step goes through the actions instead."""
    request = ApprovalRequest.objects.create(
        case=case,
        step=step,
        requested_by=requester,
        chain=["unit_head", "agency_head"],
        position=2,
        status=ApprovalStatus.APPROVED,
    )
    for position, approver in enumerate(approvers):
        Approval.objects.create(
            request=request,
            position=position,
            approver=approver,
            role=request.chain[position],
            approved=True,
            opinion="同意",
        )


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


@pytest.mark.django_db
def test_every_form_issues_to_a_pdf_with_title_and_party(
    seal_row, filled_case, panjin_demo_seal, officer_wang, head_zhang, agency_head_liu
):
    from liuhen.cases.actions import approvals as approval_actions

    forms = catalog.all_forms()
    assert len([spec for spec in forms if spec.national]) == 38
    for step in {spec.approval_step for spec in forms if spec.internal} - {"document", ""}:
        _approve(filled_case, step, officer_wang, [head_zhang, agency_head_liu])
    # 行政强制法 Art. 25: the extension decision follows its approval, and extends.
    _approve(filled_case, "seizure_extension", officer_wang, [head_zhang, agency_head_liu])
    for spec in forms:
        document = drafting.create_draft(officer_wang, filled_case, spec.code)
        assert document.data.get("party_name") == PARTY, spec.code  # prefilled from the case
        data = {f.name: _value(spec, f.name, document.data.get(f.name, "")) for f in spec.fields}
        if spec.code == "seizure_extension_decision":
            data["extended_to"] = "2026-12-20"
        document = drafting.save_draft(officer_wang, document, data)
        if spec.internal and approvals_of_forms.approval_step(spec) == "document":
            request = approval.submit_for_approval(officer_wang, document)
            approval_actions.decide(head_zhang, request, approve=True, opinion="同意")
            request.refresh_from_db()
            approval_actions.decide(agency_head_liu, request, approve=True, opinion="同意上报")
            document.refresh_from_db()
        issued = issuing.issue(officer_wang, document)
        file = files.current_file(issued)
        with get_store().open(file.blob_id) as handle:
            pdf = handle.read()
        text = _text(pdf)
        assert spec.title in text, (spec.code, text[:120])
        assert PARTY in text, spec.code
        assert file.pages == len(PdfReader(io.BytesIO(pdf)).pages) >= 1
        assert file.blob.sm3 and len(file.blob.sm3) == 64
        if spec.internal:
            assert "同意" in text, spec.code  # R7.1: the approvers' opinions are printed
        if spec.sealed:
            (result,) = sealing.validate_pdf(pdf, [panjin_demo_seal.ca_cert_pem])
            assert result.intact and result.valid and result.trusted, (spec.code, result)
        else:
            assert sealing.validate_pdf(pdf, [panjin_demo_seal.ca_cert_pem]) == []
        if spec.number_kind:
            assert issued.number, spec.code
    decision_doc = filled_case.issued.get(form_code="penalty_decision")
    assert decision_doc.number == "洼农（农药）罚〔2026〕7号"  # the decision's own 文号

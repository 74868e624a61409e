"""A penalty decision issued through the actions (sealed, with the party's query code
printed) and served on 张三丰, who gave a telephone and an e-mail address: the shared
start of the case query and push tests (R19.1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions.registration import link_party
from liuhen.cases.models import Case, Stage
from liuhen.delivery.actions import service as service_actions
from liuhen.delivery.models import PartyQueryCode, ServiceRecord
from liuhen.documents import files
from liuhen.documents.actions import drafting, issuing
from liuhen.documents.models import FilePurpose, IssuedDocument
from liuhen.subjects import actions as subject_actions
from tests.delivery.service_helpers import serve
from tests.factories import CaseFactory

PARTY = "张三丰"
PHONE = "13904270001"
EMAIL = "zhangsanfeng@example.cn"


@dataclass(frozen=True)
class ServedForQuery:
    case: Case
    issued: IssuedDocument
    service: ServiceRecord

    @property
    def code(self) -> str:
        return PartyQueryCode.objects.get(case=self.case, party_name=PARTY).code


def decided_case(unit: Any, officer: Any, head: Any, agency_head: Any) -> Case:
    """An ordinary case of 张三丰 with its penalty decision, made through the actions."""
    case = CaseFactory(unit=unit, officers=[officer], stage=Stage.DECISION, field="农药")
    party = subject_actions.create_subject(
        officer, kind="person", name=PARTY, phone=PHONE, address="大洼区1号"
    )
    link_party(officer, case, party)
    service_actions.record_consent(
        officer,
        case,
        party_name=PARTY,
        channels=["email"],
        consented_on=timezone.localdate(),
        email=EMAIL,
    )
    decision_actions.record_advance_notice(
        officer,
        case,
        notified_at=timezone.now(),
        notified_to=PARTY,
        method="直接送达",
        penalty_kinds=["fine"],
        proposed_fine_fen=5000_00,
    )
    request = approval_actions.request_approval(officer, case, "decision")
    for person in (head, agency_head):
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")
    decision_actions.record_decision(
        officer,
        case,
        penalty_kinds=["fine"],
        fine_fen=5000_00,
        facts="当事人销售未取得农药登记证的农药。",
        basis="《农药管理条例》第五十五条",
    )
    return case


def issue_decision(officer: Any, case: Case) -> IssuedDocument:
    draft = drafting.create_draft(officer, case, "penalty_decision")
    draft = drafting.save_draft(officer, draft, {**draft.data, "party_name": PARTY})
    return issuing.issue(officer, draft)


def serve_on_paper(officer: Any, issued: IssuedDocument) -> ServiceRecord:
    return serve(officer, issued, "direct", recipient=PARTY)


def pdf_text(issued: IssuedDocument) -> str:
    """What pdftotext reads on the issued PDF, spaces removed."""
    import subprocess

    data = files.read_blob(issued.files.get(purpose=FilePurpose.ISSUED).blob_id)
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return re.sub(r"\s+", "", done.stdout.decode())

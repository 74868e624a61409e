"""The demo's publications (R12.1): two decided cases, one against a natural person
(published masked) and one against an organisation, made and published through the
actions by the demo's officers, heads and legal reviewer. Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from liuhen.accounts.models import Unit, User
from liuhen.cases.actions import approvals
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions.registration import create_case, link_party
from liuhen.cases.models import Case, Stage
from liuhen.core import audit
from liuhen.disclosure.actions import publishing
from liuhen.disclosure.drafts import decision_of
from liuhen.subjects import actions as subjects

SYSTEM = audit.SYSTEM

# number, field, title, party (kind, name, identifiers), penalty kinds, fine (fen), facts
Party = tuple[str, str, dict[str, Any]]
CASES: tuple[tuple[str, str, str, Party, list[str], int, str], ...] = (
    (
        "洼农（农药）立〔2026〕6号",
        "农药",
        "李大海涉嫌使用禁用农药案",
        (
            "person",
            "李大海",
            {
                "resident_id": "211104196505063014",
                "address": "大洼区唐家镇李家村3号",
                "phone": "13842700001",
            },
        ),
        ["warning", "fine"],
        1000_00,
        "当事人李大海（电话13842700001）于2026年8月在大洼区唐家镇李家村3号承包地使用禁用农药。",
    ),
    (
        "洼农（种子）立〔2026〕7号",
        "种子",
        "盘锦丰禾种业有限公司涉嫌经营劣种子案",
        (
            "unit",
            "盘锦丰禾种业有限公司",
            {"uscc": "91211104MA0QF2L87K", "legal_representative": "周某"},
        ),
        ["fine", "confiscate_goods"],
        8000_00,
        "当事人于2026年4月销售发芽率低于标准的水稻种子500公斤。",
    ),
)


def _approve(officer: User, case: Case, step: str, *approvers: User) -> None:
    asked = approvals.request_approval(officer, case, step)
    for person in approvers:
        asked.refresh_from_db()
        approvals.decide(person, asked, approve=True, opinion="同意")


def seed_publications(unit: Unit) -> int:
    """Decide and publish the demo's two cases of ``unit``; how many were published now."""
    officer = User.objects.get(username="wangming")
    head = User.objects.get(username="zhangwei")
    agency_head = User.objects.get(username="juzhang")
    reviewer = User.objects.get(username="fazhi")
    published = 0
    for number, field, title, party, kinds, fine, facts in CASES:
        case = Case.objects.filter(number=number).first()
        if case is None:
            case = create_case(
                SYSTEM,
                number=number,
                field=field,
                title=title,
                unit=unit,
                officers=User.objects.filter(pk__in=[officer.pk, head.pk]),
                stage=Stage.DECISION,
            )
        if not case.parties.exists():
            kind, name, identifiers = party
            subject = subjects.create_subject(SYSTEM, kind=kind, name=name, **identifiers)
            link_party(SYSTEM, case, subject)
        decision = decision_of(case)
        if decision is None:
            _approve(officer, case, "handling_opinion", head, agency_head)
            decision_actions.record_advance_notice(
                officer,
                case,
                notified_at=timezone.now() - dt.timedelta(days=5),
                notified_to=party[1],
                method="直接送达",
                penalty_kinds=kinds,
                proposed_fine_fen=fine,
            )
            _approve(officer, case, "decision", head, agency_head)
            case.refresh_from_db()
            decision = decision_actions.record_decision(
                officer,
                case,
                penalty_kinds=kinds,
                fine_fen=fine,
                facts=facts,
                basis="《农药管理条例》第六十条" if field == "农药" else "《种子法》第七十五条",
            )
        if not decision.publications.exists():
            publishing.publish_decision(reviewer, decision)
            published += 1
    return published

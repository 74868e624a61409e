"""Prefill of document forms from the case (issue 5 §2): party and identifiers, officers with
their current certificate numbers (R4.2), decision, advance notice, hearing, standard texts
with the periods of the rules (R2.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from liuhen.accounts.models import Role
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions import hearings as hearing_actions
from liuhen.cases.actions.registration import link_party
from liuhen.cases.models import Stage
from liuhen.core.actions import configuration
from liuhen.documents.catalog import prefill
from liuhen.documents.catalog.data import BUREAU_FORMS, NATIONAL_FORMS
from liuhen.documents.spec import FieldSpec, FormSpec, Kind
from liuhen.subjects import actions as subject_actions
from liuhen.subjects.identifiers import complete_uscc, resident_id_check_char
from liuhen.subjects.models import PartyRole
from tests.factories import CaseFactory, CertificateFactory, UserFactory
from tests.fixtures.clock import at

pytestmark = pytest.mark.django_db

D = dt.date
RESIDENT_ID = "21110419850315123" + resident_id_check_char("21110419850315123")
USCC = complete_uscc("91211104MA0Y1234")
FORMS = {form.code: form for form in NATIONAL_FORMS + BUREAU_FORMS}


def _spec(*keys: str) -> FormSpec:
    fields = tuple(FieldSpec(name=f"f{i}", label=key, prefill=key) for i, key in enumerate(keys))
    return FormSpec(code="probe", title="probe", kind=Kind.RECORD, fields=fields)


def _values(case, *keys: str) -> dict[str, str]:
    values = prefill.prefill(case, _spec(*keys))
    return {key: values[f"f{i}"] for i, key in enumerate(keys)}


def _officer(unit, username, name, *, certificate=True):
    user = UserFactory(username=username, full_name=name, unit=unit, roles=[Role.OFFICER])
    if certificate:
        CertificateFactory(officer=user)
    return user


@pytest.fixture
def officers(unit_a, officer_wang):
    """王明 with a current certificate besides an expired and a revoked one, 李娜 with
    one, 赵刚 with none."""
    today = timezone.localdate()
    CertificateFactory(
        officer=officer_wang,
        valid_from=today - dt.timedelta(days=2000),
        valid_to=today - dt.timedelta(days=1),
    )
    CertificateFactory(officer=officer_wang, revoked=True, valid_to=today + dt.timedelta(days=9999))
    return [
        officer_wang,
        _officer(unit_a, "officer_lina", "李娜"),
        _officer(unit_a, "officer_zhao", "赵刚", certificate=False),
    ]


@pytest.fixture
def pesticide_case_of_zhang_san(unit_a, officers):
    return CaseFactory(
        unit=unit_a,
        officers=officers,
        stage=Stage.DECISION,
        field="农药",
        title="张三涉嫌销售假农药案",
        opened_at=at(D(2026, 9, 1), 9),
    )


@pytest.fixture
def party_zhang_san(pesticide_case_of_zhang_san, officer_wang):
    """The party 张三, linked after an interested party so the role decides, not the order."""
    neighbour = subject_actions.create_subject(officer_wang, kind="unit", name="邻居农资店")
    link_party(officer_wang, pesticide_case_of_zhang_san, neighbour, PartyRole.INTERESTED)
    subject = subject_actions.create_subject(
        officer_wang,
        kind="person",
        name="张三",
        resident_id=RESIDENT_ID,
        address="大洼区田家街道1号",
        phone="13800000000",
    )
    link_party(officer_wang, pesticide_case_of_zhang_san, subject)
    return subject


def _current_number(officer) -> str:
    today = timezone.localdate()
    return officer.certificates.get(revoked=False, valid_to__gte=today).number


def _decide(case, officer_wang, head_zhang, agency_head_liu, reviewer_sun):
    """Advance notice, hearing requested, scheduled and held, legal review, approval, decision:
    through the actions, as an officer does it."""
    notice = decision_actions.record_advance_notice(
        officer_wang,
        case,
        notified_at=at(D(2026, 9, 29)),
        notified_to="张三",
        method="直接送达",
        penalty_kinds=["warning", "fine"],
        proposed_fine_fen=6000_00,
        rights=["statement", "defence", "hearing"],
    )
    hearing = hearing_actions.request_hearing(
        officer_wang,
        notice,
        requested_at=at(D(2026, 9, 30)),
        requested_by_party="张三",
        request_method="书面申请",
    )
    schedule = hearing_actions.schedule_hearing(
        officer_wang,
        hearing,
        scheduled_at=at(D(2026, 10, 20), 14, 5),
        place="局三楼听证室",
        chair=agency_head_liu,
        clerk=reviewer_sun,
        notified_at=at(D(2026, 9, 30), 15),
    )
    hearing_actions.record_hearing_held(
        officer_wang,
        hearing,
        held_at=schedule.scheduled_at,
        summary="当事人对事实无异议",
        outcome="维持拟处罚意见",
    )
    decision_actions.record_legal_review(reviewer_sun, case, opinion="事实清楚", result="agree")
    request = approval_actions.request_approval(officer_wang, case, "decision")
    for person in (head_zhang, agency_head_liu):
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")
    case.refresh_from_db()
    return decision_actions.record_decision(
        officer_wang,
        case,
        penalty_kinds=["warning", "fine"],
        fine_fen=5000_00,
        facts="2026年9月1日销售假农药10瓶",
        basis="《农药管理条例》第五十五条",
    )


def test_party_and_case(pesticide_case_of_zhang_san, party_zhang_san, officers):
    values = _values(
        pesticide_case_of_zhang_san,
        "party.name",
        "party.kind",
        "party.id_number",
        "party.address",
        "party.phone",
        "party.legal_representative",
        "party.person",
        "party.person_id",
        "party.relation",
        "party.sex",
        "party.age",
        "case.number",
        "case.title",
        "case.field",
        "case.unit",
        "case.opened_on",
        "bureau.name",
    )
    today = timezone.localdate()
    age = today.year - 1985 - (0 if (today.month, today.day) >= (3, 15) else 1)
    assert values == {
        "party.name": "张三",
        "party.kind": "个人",
        # The resident id is stored encrypted (R18.5) and printed in clear on the form.
        "party.id_number": RESIDENT_ID,
        "party.address": "大洼区田家街道1号",
        "party.phone": "13800000000",
        "party.legal_representative": "",
        "party.person": "张三",
        "party.person_id": RESIDENT_ID,
        "party.relation": "本人",
        "party.sex": "男",
        "party.age": str(age),
        "case.number": pesticide_case_of_zhang_san.number,
        "case.title": "张三涉嫌销售假农药案",
        "case.field": "农药",
        "case.unit": "种植业执法科",
        "case.opened_on": "2026年9月1日",
        "bureau.name": "大洼区农业农村局",
    }


def test_organisation_party(pesticide_case_of_zhang_san, officer_wang):
    company = subject_actions.create_subject(
        officer_wang, kind="unit", name="某农资有限公司", uscc=USCC, legal_representative="李四"
    )
    link_party(officer_wang, pesticide_case_of_zhang_san, company)
    values = _values(
        pesticide_case_of_zhang_san,
        "party.id_number",
        "party.person",
        "party.person_id",
        "party.relation",
        "party.sex",
    )
    assert values == {
        "party.id_number": USCC,
        "party.person": "李四",
        "party.person_id": "",
        "party.relation": "法定代表人（负责人）",
        "party.sex": "",
    }


def test_officers_with_their_current_certificate(pesticide_case_of_zhang_san, officers):
    wang, lina, _zhao = officers
    values = _values(pesticide_case_of_zhang_san, "officers", "officer_names")
    assert values["officers"] == (
        f"王明（执法证号 {_current_number(wang)}）、李娜（执法证号 {_current_number(lina)}）、赵刚"
    )
    assert values["officer_names"] == "王明、李娜、赵刚"


def test_decision_notice_and_hearing(
    pesticide_case_of_zhang_san,
    party_zhang_san,
    officer_wang,
    head_zhang,
    agency_head_liu,
    reviewer_sun,
):
    decision = _decide(
        pesticide_case_of_zhang_san, officer_wang, head_zhang, agency_head_liu, reviewer_sun
    )
    values = prefill.prefill(pesticide_case_of_zhang_san, FORMS["penalty_decision"])
    assert values["party_name"] == "张三"
    assert values["facts"] == "2026年9月1日销售假农药10瓶"
    assert values["basis"] == "《农药管理条例》第五十五条"
    assert values["penalty"] == "警告；罚款人民币5000.00元"
    assert values["fine_yuan"] == "5000.00"
    assert values["issued_on"] == prefill.format_date(timezone.localdate(decision.decided_at))
    assert "六十日" in values["remedies"] and "六个月" in values["remedies"]
    assert "十五日" in values["payment"] and "百分之三" in values["payment"]
    assert values["payment_notice_number"] == ""  # filled at issue

    assert _values(
        pesticide_case_of_zhang_san,
        "decision.number",
        "notice.proposed_penalty",
        "notice.notified_on",
    ) == {
        "decision.number": decision.number,
        "notice.proposed_penalty": "警告；罚款人民币6000.00元",
        "notice.notified_on": "2026年9月29日",
    }
    assert _values(
        pesticide_case_of_zhang_san, "hearing.scheduled_at", "hearing.place", "hearing.chair"
    ) == {
        "hearing.scheduled_at": "2026年10月20日 14时05分",
        "hearing.place": "局三楼听证室",
        "hearing.chair": "刘建国",
    }
    assert _values(pesticide_case_of_zhang_san, "hearing.clerk")["hearing.clerk"] == "孙丽"


def test_standard_texts_follow_the_rules(pesticide_case_of_zhang_san, sysadmin_zhao):
    configuration.set_rule(sysadmin_zhao, "reconsideration", 90, "本省规定")
    configuration.set_rule(sysadmin_zhao, "payment", 20, "本局规定")
    configuration.set_rule(sysadmin_zhao, "hearing_request", 7, "本局规定")
    values = _values(
        pesticide_case_of_zhang_san, "text.remedies", "text.payment", "text.hearing_rights"
    )
    assert "九十日内" in values["text.remedies"] and "六个月内" in values["text.remedies"]
    assert "二十日内" in values["text.payment"]
    assert "七个工作日内" in values["text.hearing_rights"]


def test_the_on_the_spot_decision_names_reconsideration_first(pesticide_case_of_zhang_san):
    """行政复议法 (2023) Art. 23(1): a party who disputes a penalty decided on the spot first
    applies for reconsideration; a suit comes only against the reconsideration decision."""
    values = prefill.prefill(pesticide_case_of_zhang_san, FORMS["on_the_spot_decision"])
    remedies = values["remedies"]
    assert "六十日内" in remedies and "应当先" in remedies and "第二十三条" in remedies
    assert "六个月内" not in remedies  # no direct suit
    assert (
        "六个月内"
        in prefill.prefill(pesticide_case_of_zhang_san, FORMS["penalty_decision"])["remedies"]
    )


def test_inquiry_transcript_prefill(pesticide_case_of_zhang_san, party_zhang_san, officers):
    values = prefill.prefill(pesticide_case_of_zhang_san, FORMS["inquiry_transcript"])
    assert set(values) == {field.name for field in FORMS["inquiry_transcript"].fields}
    assert values["interviewee_name"] == "张三" and values["interviewee_sex"] == "男"
    assert values["officers"].startswith("王明（执法证号 ")
    assert values["caution"].startswith("我们是大洼区农业农村局的执法人员")
    assert values["questions_answers"] == "" and values["ended_at"] == ""
    now = timezone.localtime()
    assert values["started_at"].startswith(f"{now.year}年{now.month}月{now.day}日 ")


def test_a_bare_case_gives_empty_strings(unit_a):
    case = CaseFactory(unit=unit_a)
    data_keys = sorted(
        key
        for key in prefill.KEYS
        if key.split(".")[0] in ("party", "decision", "notice", "hearing")
        or key in ("officers", "officer_names")
    )
    assert set(_values(case, *data_keys).values()) == {""}
    for form in NATIONAL_FORMS + BUREAU_FORMS:
        values = prefill.prefill(case, form)
        assert values["party_name"] == ""
    # What the case itself holds and the standard texts are still there.
    assert _values(case, "case.number")["case.number"] == case.number
    assert "行政复议" in _values(case, "text.remedies")["text.remedies"]


def test_unknown_key_is_refused(pesticide_case_of_zhang_san):
    with pytest.raises(KeyError):
        prefill.prefill(pesticide_case_of_zhang_san, _spec("party.name", "party.nickname"))
    with pytest.raises(KeyError):
        prefill.resolve(pesticide_case_of_zhang_san, "decision.colour")


def test_formats():
    assert prefill.format_date(D(2026, 3, 5)) == "2026年3月5日"
    assert prefill.format_datetime(at(D(2026, 11, 28), 10, 30)) == "2026年11月28日 10时30分"
    assert prefill.format_yuan(5000_00) == "5000.00" and prefill.format_yuan(5) == "0.05"
    numbers = {n: prefill.chinese_number(n) for n in (1, 10, 15, 20, 60, 99, 100)}
    assert numbers == {
        1: "一",
        10: "十",
        15: "十五",
        20: "二十",
        60: "六十",
        99: "九十九",
        100: "100",
    }


def test_query_count_is_bounded(
    pesticide_case_of_zhang_san,
    party_zhang_san,
    officer_wang,
    head_zhang,
    agency_head_liu,
    reviewer_sun,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    _decide(pesticide_case_of_zhang_san, officer_wang, head_zhang, agency_head_liu, reviewer_sun)
    keys = sorted(prefill.KEYS)
    everything = _spec(*keys)
    # One query each: party, officers, their certificates, unit and bureau, decision,
    # its payment notice, notice, its waivers, legal review, collective discussion, hearing
    # schedule, and the rule overrides (a form of no activity reads no activity).
    with django_assert_max_num_queries(12):
        values = prefill.prefill(pesticide_case_of_zhang_san, everything)
    assert values[f"f{keys.index('party.name')}"] == "张三" and len(values) == len(keys)
    with django_assert_num_queries(1):
        prefill.prefill(
            pesticide_case_of_zhang_san, _spec("party.name", "party.address", "party.id_number")
        )

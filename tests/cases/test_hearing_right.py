"""Whether the right to a hearing must be notified (R8.1; 行政处罚法 Art. 63; 农业行政处罚程序规定
Art. 59): computed from the proposed penalty — the fine and the value confiscated against the
province's thresholds per citizen or organisation, and the penalty kinds that always carry it
(降低资质等级, 吊销许可证件, 责令停产停业, 责令关闭, 限制从业). An advance notice without the right
is refused where it is required, and so is a decision on such a notice; offering the hearing
where it was not required is lawful.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from liuhen.cases import hearings
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.models import AdvanceNotice, Decision, PenaltyKind
from liuhen.core import rules
from liuhen.core.actions import configuration
from liuhen.core.rule_types import Kind, Law
from liuhen.subjects.models import CaseParty, Subject
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

FORCING = (
    "licence_downgrade",
    "licence_suspend",
    "licence_revoke",
    "restrict",
    "close",
    "bar_from_occupation",
)
THRESHOLDS = (
    "hearing_large_fine_person",
    "hearing_large_fine_organisation",
    "hearing_large_confiscation_person",
    "hearing_large_confiscation_organisation",
)


def _right(kinds, fine=0, confiscation=0, organisation=False):
    return hearings.hearing_right(
        kinds=kinds, fine_fen=fine, confiscation_fen=confiscation, organisation=organisation
    )


def _party(case, kind):
    subject = Subject.objects.create(kind=kind, name="某农资有限公司" if kind == "unit" else "赵六")
    CaseParty.objects.create(case=case, subject=subject)
    return subject


def _notice(case, officer, kinds, fine=0, rights=("statement", "defence", "hearing"), **extra):
    return decision_actions.record_advance_notice(
        officer,
        case,
        notified_at=timezone.now(),
        notified_to="某农资店 张三",
        method="直接送达",
        penalty_kinds=kinds,
        proposed_fine_fen=fine,
        rights=list(rights),
        **extra,
    )


def test_thresholds_are_cited_amount_rules_for_the_legal_staff_to_confirm():
    """The province sets the amounts: rules in fen, citing Art. 63 and the agriculture
    provisions' Art. 59, marked needs_check; the forcing kinds cannot be removed."""
    for key in THRESHOLDS:
        rule = rules.get(key)
        assert rule.kind == Kind.AMOUNT_FEN and rule.needs_check
        assert {(c.law, c.article) for c in rule.citations} == {
            (Law.PENALTY, "63"),
            (Law.AGRICULTURE, "59"),
        }
    # Low side: a citizen's threshold is never above an organisation's.
    assert rules.value("hearing_large_fine_person") <= rules.value(
        "hearing_large_fine_organisation"
    )
    kinds = rules.get("hearing_penalty_kinds")
    assert kinds.kind == Kind.CODES and set(FORCING) <= set(kinds.value)
    assert kinds.minimum == 0  # the defaults cannot be removed


@override("zh-hans")
def test_a_fine_below_the_threshold_carries_no_hearing_right_and_from_it_does():
    """Art. 63 (一) 较大数额罚款, per subject type: at the threshold the hearing is due."""
    person = rules.value("hearing_large_fine_person")
    organisation = rules.value("hearing_large_fine_organisation")
    assert not _right(["fine"], fine=person - 1)
    at = _right(["fine"], fine=person)
    assert at.required and "公民" in at.reasons[0] and "较大数额罚款" in at.reasons[0]
    assert not _right(["fine"], fine=organisation - 1, organisation=True)
    above = _right(["fine"], fine=organisation, organisation=True)
    assert above.required and "法人或者其他组织" in above.reasons[0]
    # The same fine is large on a citizen and not on an organisation.
    assert _right(["fine"], fine=person, organisation=False)
    assert not _right(["fine"], fine=person, organisation=True)
    assert not _right(["warning"])


@override("zh-hans")
def test_a_confiscation_counts_by_its_value_and_an_unstated_value_counts_as_large():
    """Art. 63 (二) 没收较大数额违法所得、没收较大价值非法财物."""
    person = rules.value("hearing_large_confiscation_person")
    organisation = rules.value("hearing_large_confiscation_organisation")
    for kind in ("confiscate_gains", "confiscate_goods"):
        assert not _right([kind], confiscation=person - 1)
        assert _right([kind], confiscation=person).required
        assert not _right([kind], confiscation=organisation - 1, organisation=True)
        assert _right([kind], confiscation=organisation, organisation=True).required
    unstated = _right(["confiscate_goods"])
    assert unstated.required and "价值" in unstated.reasons[0]
    # A value without a confiscation proposed is no ground.
    assert not _right(["warning"], confiscation=organisation)


@pytest.mark.parametrize("kind", FORCING)
@override("zh-hans")
def test_each_heavier_penalty_forces_the_hearing_right_whatever_the_amounts(kind):
    """Art. 63 (三)(四): 降低资质等级, 吊销许可证件, 责令停产停业/责令关闭/限制从业 (and
    暂扣许可证件 as a heavier penalty) carry the hearing right even with no fine, on anyone."""
    found = _right([kind], organisation=True)
    assert found.required
    assert any(str(PenaltyKind(kind).label) in reason for reason in found.reasons)


def test_the_province_figure_is_configured(sysadmin_zhao):
    configuration.set_rule(sysadmin_zhao, "hearing_large_fine_person", 5_000_00, "省政府规定")
    assert not _right(["fine"], fine=4_999_99)
    assert _right(["fine"], fine=5_000_00)
    configuration.set_rule(sysadmin_zhao, "hearing_penalty_kinds", [*FORCING, "other"], "本局规定")
    assert _right(["other"])
    with pytest.raises(ValidationError):
        configuration.set_rule(sysadmin_zhao, "hearing_penalty_kinds", ["restrict"], "删去")


def test_the_citizen_thresholds_apply_unless_every_party_is_an_organisation(case_in_decision):
    assert not hearings.parties_are_organisations(case_in_decision)  # no party yet
    _party(case_in_decision, "unit")
    assert hearings.parties_are_organisations(case_in_decision)
    _party(case_in_decision, "person")
    assert not hearings.parties_are_organisations(case_in_decision)


@override("zh-hans")
def test_a_notice_without_the_hearing_right_is_refused_where_it_is_required(
    case_in_decision, officer_wang
):
    """R8.1: the advance notice carries the hearing right the penalty requires; the reason
    names the ground and the law, never an internal id."""
    _party(case_in_decision, "unit")
    plain = ("statement", "defence")
    with pytest.raises(ValidationError) as refused:
        _notice(case_in_decision, officer_wang, ["licence_revoke"], rights=plain)
    reason = " ".join(refused.value.messages)
    assert "吊销许可证件" in reason and "听证" in reason
    assert "依据：《中华人民共和国行政处罚法》第六十三条" in reason and "第五十九条" in reason
    assert "licence_revoke" not in reason
    with pytest.raises(ValidationError):
        _notice(case_in_decision, officer_wang, ["fine"], 10_000_00, rights=plain)
    with pytest.raises(ValidationError):
        _notice(
            case_in_decision,
            officer_wang,
            ["confiscate_goods"],
            rights=plain,
            proposed_confiscation_fen=10_000_00,
        )
    assert not AdvanceNotice.objects.exists()
    # Below the organisation's thresholds no hearing right is due.
    small = _notice(
        case_in_decision,
        officer_wang,
        ["fine", "confiscate_goods"],
        9_999_99,
        rights=plain,
        proposed_confiscation_fen=9_999_99,
    )
    assert small.proposed_confiscation_fen == 9_999_99
    # With the hearing right the revocation is notified.
    assert _notice(case_in_decision, officer_wang, ["licence_revoke"]).rights[-1] == "hearing"


def _ready_to_decide(case, officer, heads):
    """Everything but the notice: the decision approved, the discussion a revocation needs."""
    request = approval_actions.request_approval(officer, case, "decision")
    for person in heads:
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")
    discussion = decision_actions.record_discussion(
        officer,
        case,
        held_at=timezone.now(),
        attendees=list(heads),
        opinions="同意吊销",
        conclusion="吊销农药经营许可证",
    )
    for opinion in discussion.attendee_opinions.select_related("attendee"):
        decision_actions.confirm_opinion(opinion.attendee, opinion, text="同意吊销")


def _decide(officer, case):
    return decision_actions.record_decision(
        officer,
        case,
        penalty_kinds=["licence_revoke"],
        fine_fen=0,
        facts="经营假农药，情节严重",
        basis="《农药管理条例》第五十五条",
    )


@override("zh-hans")
def test_a_decision_on_a_notice_that_lacked_a_required_hearing_right_is_refused(
    case_in_decision, officer_wang, head_zhang, agency_head_liu
):
    """A notice recorded without the hearing right (before this rule, or under a threshold
    since lowered) does not carry a revocation: the decision is refused with the law."""
    _ready_to_decide(case_in_decision, officer_wang, (head_zhang, agency_head_liu))
    AdvanceNotice.objects.create(
        case=case_in_decision,
        notified_at=timezone.now(),
        notified_by=officer_wang,
        notified_to="某农资店 张三",
        method="直接送达",
        penalty_kinds=["licence_revoke"],
        rights=["statement", "defence"],
    )
    with pytest.raises(ValidationError) as refused:
        _decide(officer_wang, case_in_decision)
    reason = " ".join(refused.value.messages)
    assert "听证" in reason and "吊销许可证件" in reason
    assert "依据：《中华人民共和国行政处罚法》第六十三条" in reason
    assert not Decision.objects.exists()


@override("zh-hans")
def test_a_decision_on_a_notice_with_the_hearing_right_is_made(
    case_in_decision, officer_wang, head_zhang, agency_head_liu
):
    """The lawful path: the right notified, the party waives it in writing (R8.2)."""
    _ready_to_decide(case_in_decision, officer_wang, (head_zhang, agency_head_liu))
    notice = _notice(case_in_decision, officer_wang, ["licence_revoke"])
    decision_actions.record_waiver(
        officer_wang, notice, rights=["hearing"], statement="本人放弃听证"
    )
    assert _decide(officer_wang, case_in_decision).penalty_kinds == ["licence_revoke"]


@override("zh-hans")
def test_the_notice_page_refuses_a_revocation_without_the_hearing_right(
    client, case_in_decision, officer_wang
):
    url = reverse("cases:advance_notice", args=[case_in_decision.pk])
    sign_in(client, officer_wang)
    data = {
        "do": "notice",
        "notified_at": "2026-11-20T10:00",
        "notified_to": "某农资店 张三",
        "method": "直接送达",
        "rights": ["statement", "defence"],
        "penalty_kinds": ["confiscate_goods"],
        "proposed_confiscation_yuan": "20000",
    }
    refused = client.post(url, data)
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "听证" in page and "第六十三条" in page and not AdvanceNotice.objects.exists()
    assert client.post(url, {**data, "rights": [*data["rights"], "hearing"]}).status_code == 302
    assert AdvanceNotice.objects.get().proposed_confiscation_fen == 20_000_00

"""A simple-procedure 当场处罚 case walked through actions: decided on the spot by two
certified officers, recorded as an activity that needs AV, then filed.

Over the limit the on-the-spot decision is refused and the reason names the ordinary
procedure (行政处罚法 Art. 51, 52); one officer alone is refused (Art. 42, 52).
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.translation import override

from liuhen.cases import workflow
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.compliance import findings_for_case
from liuhen.cases.models import Procedure, Stage
from liuhen.core import calendar
from liuhen.core.models import AuditEvent
from liuhen.subjects import actions as subjects
from tests.scenarios.helpers import refusal_reason

pytestmark = pytest.mark.django_db


def _spot(officer, unit, subject, amount_fen, kind="fine", officers=()):
    return decision_actions.decide_on_the_spot(
        officer,
        unit=unit,
        subject=subject,
        officers=officers,
        place="某农资经营部店内",
        penalty_kind=kind,
        amount_fen=amount_fen,
        facts="农药标签未按规定标注",
        basis="《农药管理条例》第五十八条",
        field="农药",
    )


@override("zh-hans")
def test_on_the_spot_case_within_limits_is_filed_in_two_working_days(
    officer_wang, officer_ma, unit_a
):
    shop = subjects.create_subject(officer_wang, kind="unit", name="某农资经营部")
    farmer = subjects.create_subject(officer_wang, kind="person", name="赵六")

    # Art. 42, 52: one officer alone may not impose a penalty on the spot.
    reason = refusal_reason(_spot, officer_wang, unit_a, shop, 3_000_00)
    assert "当场处罚" in reason and "执法证" in reason
    case = _spot(officer_wang, unit_a, shop, 3_000_00, officers=[officer_ma])
    assert case.procedure == Procedure.SIMPLE and case.stage == Stage.SERVICE
    assert case.decision.fine_fen == 3_000_00 and case.decision.number == case.number
    assert case.parties.get().subject == shop
    # Art. 52: 备案 within two working days of the decision.
    assert case.simple_filing_due == calendar.add_working_days(timezone.localdate(), 2)
    assert workflow.is_simple(case)
    # Regulation Art. 5(一): the penalty on the spot is an activity that needs AV.
    act = case.activities.get()
    assert act.type.code == "on_the_spot_penalty" and act.party == shop
    assert set(act.officers.all()) == {officer_wang, officer_ma}
    assert "av_missing" in {finding.code for finding in findings_for_case(case)}
    decision_actions.file_simple_case(officer_wang, case)
    case.refresh_from_db()
    assert case.simple_filed_at is not None
    assert AuditEvent.objects.get(action="case.simple_filed", case_id=case.pk).details == {
        "late": False
    }
    assert "已" in refusal_reason(decision_actions.file_simple_case, officer_wang, case)

    warning = _spot(officer_wang, unit_a, farmer, 0, kind="warning", officers=[officer_ma])
    assert warning.decision.fine_fen == 0


@override("zh-hans")
def test_on_the_spot_case_over_the_limit_needs_the_ordinary_procedure(officer_wang, unit_a):
    shop = subjects.create_subject(officer_wang, kind="unit", name="某农资经营部")
    farmer = subjects.create_subject(officer_wang, kind="person", name="赵六")
    assert "普通程序" in refusal_reason(_spot, officer_wang, unit_a, farmer, 200_01)
    assert "普通程序" in refusal_reason(_spot, officer_wang, unit_a, shop, 3_000_01)
    assert "普通程序" in refusal_reason(
        _spot, officer_wang, unit_a, farmer, 0, kind="licence_revoke"
    )
    assert not AuditEvent.objects.filter(action="case.decide_on_the_spot").exists()

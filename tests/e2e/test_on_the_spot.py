"""Browser: an officer imposes a penalty on the spot on a tablet (行政处罚法 Art. 51, 52).

Alone the officer is refused, in Chinese, with the reason (Art. 42: two officers holding
certificates valid on the day); with the colleague present the case opens with its decision
and its 当场处罚 activity, which needs AV (regulation Art. 5(一)).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.activities.models import Activity
from liuhen.cases.models import Case, Procedure
from liuhen.subjects.models import Subject
from tests.e2e.helpers import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("activity_types")]


def test_officer_imposes_a_fine_on_the_spot_with_a_colleague(
    tablet_page: Page, officer_wang, officer_ma
) -> None:
    Subject.objects.create(kind="person", name="赵六")
    page = tablet_page
    login(page, "officer_wang", next_url="/cases/on-the-spot/")
    form = page.get_by_test_id("form-spot")
    form.get_by_label("当事人").select_option(label="赵六")
    form.get_by_label("处罚种类").select_option(value="fine")
    form.get_by_label("罚款金额（元）").fill("50")
    form.get_by_label("违法事实").fill("销售标签不合格的农药")
    form.get_by_label("法律依据").fill("《农药管理条例》第五十八条")
    form.get_by_label("地点").fill("某农资店")
    page.get_by_test_id("submit-spot").click()
    expect(page.get_by_test_id("form-spot")).to_contain_text(
        "当场处罚须由至少2名持有当日有效执法证件的执法人员实施"
    )
    assert not Case.objects.exists()

    page.get_by_test_id("form-spot").get_by_label("马骏").check()
    page.get_by_test_id("submit-spot").click()
    expect(page.get_by_role("alert")).to_contain_text("已登记")
    case = Case.objects.get(procedure=Procedure.SIMPLE)
    expect(page.get_by_test_id("case-number")).to_have_text(case.number)
    activity = Activity.objects.get(case=case)
    assert activity.type.code == "on_the_spot_penalty" and activity.place == "某农资店"
    assert set(activity.officers.all()) == {officer_wang, officer_ma}

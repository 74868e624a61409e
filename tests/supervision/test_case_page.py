"""The case page shows the checks and the activities with their AV status, in Chinese."""

from __future__ import annotations

import pytest

from liuhen.activities import actions
from liuhen.cases.actions import approvals as approval_actions
from tests.activities.helpers import record
from tests.factories import sign_in

pytestmark = pytest.mark.usefixtures("activity_types")

REASON = "根据实际情况，执法记录仪故障，现场以文字和照片记录。"


@pytest.fixture
def case_page_html(client, officer_wang):
    sign_in(client, officer_wang)

    def get(case):
        return client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    return get


def test_clean_case(case_page_html, case_a_two_officers):
    html = case_page_html(case_a_two_officers)
    assert "检查结果" in html and "没有发现问题" in html
    assert "尚未记录执法活动" in html


def test_missing_av_shows_with_its_article(
    case_page_html, officer_wang, officer_ma, case_a_two_officers
):
    record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    html = case_page_html(case_a_two_officers)
    assert 'data-finding="av_missing"' in html and "依据：制度第五条" in html and "R5.2" not in html
    assert "需要音像记录" in html and "现场检查（勘验）" in html
    assert "阻止" in html  # blocking
    assert "缺少音像记录" in html  # activities section status


def test_approved_exemption_shows(
    case_page_html, officer_wang, officer_ma, head_zhang, case_a_two_officers
):
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    exemption = actions.request_av_exemption(officer_wang, activity, reason=REASON)
    approval_actions.decide(head_zhang, exemption.approval, approve=True, opinion="同意")
    html = case_page_html(case_a_two_officers)
    assert "免于音像记录已批准" in html and 'data-finding="av_missing"' not in html

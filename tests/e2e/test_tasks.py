"""Browser: 我的待办 carries the work between roles. An officer sends the closing report
for approval; the unit head finds it in the navbar's 我的待办 and signs it from there (R7.1).
The agency head chairs and records a collective discussion; an attendee finds the request
to confirm their opinion on the home page and confirms it (R7.3, Art. 57)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.cases.models import ApprovalRequest, ApprovalStatus, DiscussionOpinion
from liuhen.core.models import Notification
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def _logout(page: Page) -> None:
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()


def test_an_approval_travels_from_the_officer_to_the_approvers_inbox(
    page: Page, case_in_decision, officer_wang, head_zhang, agency_head_liu
) -> None:
    login(page, "officer_wang", next_url=f"/cases/{case_in_decision.pk}/close/")
    report = page.get_by_test_id("form-request")
    report.get_by_label("结案报告").fill("违法事实不能成立，拟不予行政处罚并结案")
    page.get_by_test_id("submit-request").click()
    expect(page.get_by_role("alert")).to_have_text("结案报告已提交审批。")
    expect(page.get_by_test_id("task-count")).to_have_count(0)  # nothing for the officer
    _logout(page)

    asked = ApprovalRequest.objects.get(case=case_in_decision, step="closing")
    assert (
        Notification.objects.filter(recipient=head_zhang, link__contains=str(asked.pk)).count() == 1
    )
    login(page, "head_zhang", next_url=f"/cases/{case_in_decision.pk}/")
    expect(page.get_by_test_id("task-count")).to_have_text("1 项待办")  # fetched by htmx
    page.get_by_test_id("tasks-badge").click()
    expect(page.locator("h1")).to_have_text("我的待办")
    task = page.get_by_test_id("task").filter(has_text=case_in_decision.number)
    expect(task).to_contain_text("审批")
    task.get_by_test_id("task-link").click()
    card = page.get_by_test_id(f"approval-{asked.pk}")
    expect(card).to_be_visible()
    card.get_by_label("意见", exact=True).fill("同意结案")
    card.get_by_role("button", name="同意", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("已签署")
    asked.refresh_from_db()
    assert asked.position == 1 and asked.status == ApprovalStatus.PENDING
    page.goto("/tasks/")
    expect(page.get_by_test_id("tasks-empty")).to_be_visible()
    _logout(page)

    # The next role of the chain finds it in turn.
    login(page, "agency_head_liu", next_url="/tasks/")
    expect(page.get_by_test_id("task").filter(has_text=case_in_decision.number)).to_have_count(1)


def test_the_agency_head_chairs_and_an_attendee_confirms_on_a_tablet(
    tablet_page: Page, case_in_decision, officer_wang, head_zhang, agency_head_liu
) -> None:
    page = tablet_page
    case_in_decision.complex_or_serious = True
    case_in_decision.save()
    login(page, "agency_head_liu")
    hold = (
        page.get_by_test_id("home-tasks")
        .get_by_test_id("task")
        .filter(has_text=case_in_decision.number)
    )
    expect(hold).to_contain_text("组织并记录集体讨论")
    hold.get_by_test_id("task-link").tap()
    expect(page.get_by_test_id("workflow-title")).to_have_text("集体讨论")
    form = page.get_by_test_id("form-discussion")
    form.get_by_label("讨论时间").fill("2026-11-21T09:30")
    form.get_by_label("张伟", exact=True).check()
    form.get_by_label("刘建国", exact=True).check()
    form.get_by_label("张伟的意见").fill("同意罚款")
    form.get_by_label("刘建国的意见").fill("同意罚款八百元")
    form.locator("textarea[name=opinions]").fill("一致同意给予罚款处罚")
    form.get_by_label("结论").fill("罚款人民币800元")
    page.get_by_test_id("submit-discussion").tap()
    expect(page.get_by_role("alert")).to_have_text("集体讨论记录已登记。")
    expect(page.get_by_test_id("attendee-opinion").filter(has_text="待确认")).to_have_count(1)
    _logout(page)

    login(page, "head_zhang")
    confirm = (
        page.get_by_test_id("home-tasks").get_by_test_id("task").filter(has_text="确认本人意见")
    )
    expect(confirm).to_contain_text(case_in_decision.number)
    confirm.get_by_test_id("task-link").tap()
    expect(page.get_by_test_id("workflow-info")).to_contain_text("一致同意给予罚款处罚")
    mine = page.get_by_test_id("form-confirm").get_by_label("本人意见")
    expect(mine).to_have_value("同意罚款")
    mine.fill("同意罚款，建议从轻")
    page.get_by_test_id("submit-confirm").tap()
    expect(page.get_by_role("alert")).to_have_text("您的意见已确认。")
    expect(page.get_by_test_id("tasks-empty")).to_be_visible()
    opinion = DiscussionOpinion.objects.get(attendee=head_zhang)
    assert opinion.confirmed == "同意罚款，建议从轻" and opinion.confirmed_at is not None

    page.goto(f"/cases/{case_in_decision.pk}/")
    confirmed = page.get_by_test_id("attendee-opinion").filter(has_text="已确认")
    expect(confirmed).to_have_count(2)

"""Browser: the workflow screens test_decision_flow.py does not drive. The legal reviewer
signs a review (Art. 58); on a tablet the officer records a collective discussion (R7.3),
starts a step urgently (R7.2), and closes the case once the closing report is approved.
Each refusal is shown on the form, in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.cases.models import (
    ApprovalRequest,
    CollectiveDiscussion,
    LegalReview,
)
from tests.e2e.helpers import login
from tests.scenarios.helpers import approve_all

pytestmark = pytest.mark.django_db(transaction=True)


def _submit(page: Page, key: str) -> None:
    page.get_by_test_id(f"submit-{key}").click()


def test_legal_reviewer_signs_a_review(page: Page, case_in_decision, reviewer_sun) -> None:
    login(page, "reviewer_sun", next_url=f"/cases/{case_in_decision.pk}/")
    expect(page.get_by_test_id("to-decide")).to_have_count(0)  # not the reviewer's step
    page.get_by_test_id("to-legal-review").click()
    expect(page.get_by_test_id("workflow-title")).to_have_text("法制审核")
    form = page.get_by_test_id("form-review")
    expect(form.get_by_label("审核结论")).to_contain_text("修改后同意")
    form.get_by_label("审核结论").select_option(label="修改后同意")
    _submit(page, "review")  # no opinion: refused in place
    expect(form.locator(".text-danger")).to_have_text("这个字段是必填项。")
    assert not LegalReview.objects.exists()

    form.get_by_label("意见").fill("事实清楚，证据确凿；罚款数额应在告知范围内。")
    _submit(page, "review")
    expect(page.get_by_role("alert")).to_have_text("法制审核意见已登记。")
    expect(page.get_by_test_id("case-number")).to_have_text(case_in_decision.number)
    review = LegalReview.objects.get(case=case_in_decision)
    assert review.reviewer == reviewer_sun and review.result == "amend"
    entry = page.locator("[data-testid=case-timeline] tr.timeline-entry", has_text="法制审核")
    expect(entry.first).to_contain_text("孙丽")


def test_officer_sends_a_seizure_for_approval(
    page: Page, case_in_decision, officer_wang, head_zhang, agency_head_liu
) -> None:
    """行政强制法 Art. 18(一): the seizure goes to the heads before it is carried out; once
    approved, the page offers its one extension (Art. 25)."""
    login(page, "officer_wang", next_url=f"/cases/{case_in_decision.pk}/")
    page.get_by_test_id("to-seizure").click()
    expect(page.get_by_test_id("workflow-title")).to_have_text("查封（扣押）")
    page.get_by_test_id("form-seizure").get_by_label("报批说明").fill("涉案假农药须扣押")
    _submit(page, "seizure")
    expect(page.get_by_role("alert")).to_have_text("查封（扣押）已报请批准。")
    approve_all(
        ApprovalRequest.objects.get(case=case_in_decision, step="seizure"),
        head_zhang,
        agency_head_liu,
    )
    page.get_by_test_id("to-seizure").click()
    expect(page.get_by_test_id("form-seizure")).to_have_count(0)  # approved already
    expect(page.get_by_test_id("form-extension")).to_have_count(1)


def test_officer_discusses_starts_urgently_and_closes_on_a_tablet(
    tablet_page: Page, case_in_decision, officer_wang, head_zhang, agency_head_liu
) -> None:
    page = tablet_page
    login(page, "officer_wang", next_url=f"/cases/{case_in_decision.pk}/")
    expect(page.get_by_test_id("to-legal-review")).to_have_count(0)  # investigators may not

    # R7.3 collective discussion: two attendees at least.
    page.get_by_test_id("to-discussion").tap()
    expect(page.get_by_test_id("workflow-title")).to_have_text("集体讨论")
    form = page.get_by_test_id("form-discussion")
    form.get_by_label("讨论时间").fill("2026-11-21T09:30")
    form.get_by_label("张伟", exact=True).check()
    # By name: the label reads 审批意见 (msgid "Opinions" shared with the approvals list).
    form.locator("textarea[name=opinions]").fill("一致同意给予罚款处罚")
    form.get_by_label("结论").fill("罚款人民币800元")
    _submit(page, "discussion")
    expect(page.get_by_test_id("form-error")).to_have_text(
        "集体讨论记录须载明参加人员、讨论意见和结论。"
    )
    form.get_by_label("刘建国", exact=True).check()
    _submit(page, "discussion")
    expect(page.get_by_role("alert")).to_have_text("集体讨论记录已登记。")
    discussion = CollectiveDiscussion.objects.get(case=case_in_decision)
    assert set(discussion.attendees.all()) == {head_zhang, agency_head_liu}

    # R7.2 urgent start: the step begins now, its approval paperwork falls due — for an
    # advance preservation within 24 hours (农业行政处罚程序规定, 情况紧急).
    page.get_by_test_id("to-urgent-start").tap()
    expect(page.get_by_test_id("workflow-title")).to_have_text("紧急先行启动")
    form = page.get_by_test_id("form-urgent")
    form.get_by_label("先行启动的环节").select_option(label="先行登记保存")
    form.get_by_label("紧急先行启动理由").fill("证据可能灭失，须立即先行登记保存")
    _submit(page, "urgent")
    started = ApprovalRequest.objects.get(case=case_in_decision, step="advance_preservation")
    assert started.report_due_at is not None and started.urgent_started_at is not None
    assert started.report_due_at - started.urgent_started_at == dt.timedelta(hours=24)
    due_at = f"{timezone.localtime(started.report_due_at):%Y-%m-%d %H:%M}"
    expect(page.get_by_role("alert")).to_have_text(
        f"已紧急先行启动，须于 {due_at} 前补办审批手续。"
    )
    assert started.paperwork_due is not None
    due = started.paperwork_due.isoformat()
    request_row = page.locator("[data-testid=approval-requests] tbody tr", has_text="先行登记保存")
    expect(request_row).to_contain_text("紧急先行启动: 证据可能灭失，须立即先行登记保存")
    expect(request_row).to_contain_text(f"补办手续期限 {due}")
    clock = page.locator("[data-testid=case-deadlines] tr[data-clock=urgent_report]")
    expect(clock).to_contain_text("紧急先行登记保存：向负责人报告期限")
    expect(clock).to_contain_text(due)

    # 结案: refused until the closing report is approved.
    page.get_by_test_id("to-close").tap()
    expect(page.get_by_test_id("workflow-title")).to_have_text("结案")
    close = page.get_by_test_id("form-close")
    close.get_by_label("结案情形").select_option(label="决定不予行政处罚")
    _submit(page, "close")
    expect(close.get_by_test_id("form-error")).to_have_text("行政处罚结案报告尚未经批准。")
    report = page.get_by_test_id("form-request")
    report.get_by_label("结案报告").fill("违法事实不能成立，拟不予行政处罚并结案")
    _submit(page, "request")
    expect(page.get_by_role("alert")).to_have_text("结案报告已提交审批。")
    approve_all(
        ApprovalRequest.objects.get(case=case_in_decision, step="closing"),
        head_zhang,
        agency_head_liu,
    )

    page.get_by_test_id("to-close").tap()
    expect(page.get_by_test_id("form-request")).to_have_count(0)  # approved already
    page.get_by_test_id("form-close").get_by_label("结案情形").select_option(
        label="决定不予行政处罚"
    )
    _submit(page, "close")
    expect(page.get_by_role("alert")).to_have_text("案件已结案。")
    today = timezone.localdate().isoformat()
    expect(page.locator("#section-workflow")).to_contain_text(
        f"结案时间 {today} (决定不予行政处罚)"
    )
    expect(page.get_by_test_id("to-close")).to_have_count(0)
    expect(page.get_by_test_id("to-urgent-start")).to_have_count(0)
    case_in_decision.refresh_from_db()
    assert (
        case_in_decision.closed_at is not None
        and case_in_decision.closing_condition == "no_penalty"
    )

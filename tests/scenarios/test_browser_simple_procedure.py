"""A simple-procedure case 当场处罚 walked through the pages only, on the demo bureau, each
step by its own person (行政处罚法 Art. 51, 52; R4.2, R5.1, R9.1, R11.1, R7.1).

王明 takes a recorder, meets a shop selling mislabelled pesticide and fines it on the spot
with 李华: over the limit the page names the ordinary procedure, alone it names the two
certified officers. He uploads the recording and links it to the penalty activity, issues
the 当场行政处罚决定书, which the shop's representative signs on the tablet with both
officers; the party pays by the notice's QR page; 王明 files the decision (备案) and sends
the closing report, which 张伟 and then 刘建国 approve from 我的待办; the case is closed and
moves to 归档.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from liuhen.cases.models import ApprovalRequest, ApprovalStatus, Case, Procedure, Stage
from liuhen.delivery.models import Payment, PaymentNotice
from liuhen.documents.models import Finalisation, IssuedDocument
from tests.scenarios.browser_steps_bd import (
    approve_from_tasks,
    check_out_recorder,
    demo,  # noqa: F401 -- a fixture
    draw,
    issue,
    link_as_evidence,
    log_in,
    log_out,
    new_document,
    settle,
    sign_officer_line,
    tablet_fixture,  # noqa: F401 -- a fixture
    upload_recording,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),
]

SHOP = "大洼区某农资经营部"
RECORDER = "DSJ-DW-0002"


def _spot_form(page: Page, amount: str) -> None:
    form = page.get_by_test_id("form-spot")
    form.get_by_label("当事人").select_option(label=SHOP)
    form.get_by_label("处罚种类").select_option(value="fine")
    form.get_by_label("罚款金额（元）").fill(amount)
    form.get_by_label("违法事实").fill("销售的农药标签未按规定标注有效成分含量")
    form.get_by_label("法律依据").fill("《农药管理条例》第五十八条")
    form.get_by_label("地点").fill("大洼区某农资经营部店内")


def test_simple_procedure_case_from_the_spot_to_the_archive(
    scenario_tablet: Page, tmp_path: Path
) -> None:
    page = scenario_tablet
    log_in(page, "wangming")
    check_out_recorder(page, RECORDER)
    settle()

    # Art. 51, 52 on the spot: over the unit's limit, then alone, then with 李华.
    page.goto("/cases/")
    page.get_by_test_id("to-on-the-spot").click()
    _spot_form(page, "5000")
    page.get_by_test_id("form-spot").get_by_label("李华").check()
    page.get_by_test_id("submit-spot").click()
    expect(page.get_by_test_id("form-spot")).to_contain_text("普通程序")
    _spot_form(page, "1000")
    page.get_by_test_id("form-spot").get_by_label("李华").uncheck()
    page.get_by_test_id("submit-spot").click()
    expect(page.get_by_test_id("form-spot")).to_contain_text(
        "当场处罚须由至少2名持有当日有效执法证件的执法人员实施"
    )
    assert not Case.objects.filter(procedure=Procedure.SIMPLE).exists()
    page.get_by_test_id("form-spot").get_by_label("李华").check()
    page.get_by_test_id("submit-spot").click()
    expect(page.get_by_role("alert")).to_contain_text("已登记")
    case = Case.objects.get(procedure=Procedure.SIMPLE)
    expect(page.get_by_test_id("case-number")).to_have_text(case.number)
    assert case.stage == Stage.SERVICE and case.decision.fine_fen == 1000_00
    activity = case.activities.get()
    assert activity.type.code == "on_the_spot_penalty"
    assert {o.username for o in activity.officers.all()} == {"wangming", "lihua"}

    # Regulation Art. 5(一): the penalty on the spot is recorded; the clip goes with it.
    record = upload_recording(page, tmp_path, "现场处罚.mp4", RECORDER)
    assert record.officer.username == "wangming" and record.device.serial == RECORDER
    link_as_evidence(page, record, case.number)
    assert record.links.filter(activity=activity, evidence=True).exists()

    # The decision is issued on the spot and signed by the party and both officers.
    new_document(page, case.pk, "on_the_spot_decision")
    expect(page.get_by_test_id("document-title")).to_have_text("当场行政处罚决定书")
    page.fill("#id_place", "大洼区某农资经营部店内")
    issue(page)
    issued = IssuedDocument.objects.get(case=case, form_code="on_the_spot_decision")
    page.get_by_test_id("sign-link").click()
    page.wait_for_url(f"**/documents/issued/{issued.pk}/sign/")
    draw(page)
    page.get_by_test_id("sign-submit").click()
    sign_officer_line(page)
    expect(page.get_by_test_id("sign-final")).to_have_count(0)  # 李华 has not signed yet

    # 李华 finds the document in 我的待办 and signs his part of the 执法人员 line.
    log_in(page, "lihua")
    page.get_by_test_id("tasks-badge").click()
    task = page.get_by_test_id("task").filter(has_text=case.number)
    expect(task).to_contain_text("当场行政处罚决定书")
    task.get_by_test_id("task-link").click()
    page.get_by_test_id("sign-link").click()
    sign_officer_line(page)
    expect(page.get_by_test_id("sign-final")).to_be_visible()
    assert Finalisation.objects.get(issued=issued).how == Finalisation.How.SIGNED

    # R11.1: the party pays by the QR code printed on the decision, on the payment page.
    notice = PaymentNotice.objects.get(decision=case.decision)
    assert notice.amount_fen == 1000_00
    log_out(page)
    page.goto(f"/pay/{notice.number}/")
    expect(page.locator("[data-state=unpaid]")).to_be_visible()
    page.get_by_test_id("pay-button").click()
    expect(page.locator("[data-state=paid]")).to_be_visible()
    assert Payment.objects.get(notice=notice).amount_fen == 1000_00

    # Back at the office 王明 sees the payment received, files the decision (备案) and
    # sends the closing report.
    log_in(page, "wangming", next_url=f"/cases/{case.pk}/")
    page.get_by_test_id("payments-link").click()
    expect(page.get_by_test_id("notice-state")).to_have_text("已缴纳")
    expect(page.get_by_test_id("notice-paid")).to_contain_text("1,000.00")
    page.goto(f"/cases/{case.pk}/")
    expect(page.get_by_test_id("simple-filing")).to_contain_text("前报所属行政机关备案")
    page.get_by_test_id("simple-file").click()
    expect(page.get_by_role("alert")).to_contain_text("当场处罚决定已备案。")
    expect(page.get_by_test_id("simple-filed")).to_contain_text("已备案")
    case.refresh_from_db()
    assert case.simple_filed_at is not None
    page.get_by_test_id("to-close").click()
    page.get_by_test_id("form-request").get_by_label("结案报告").fill(
        "当场处罚决定已履行，罚款已缴清，拟结案"
    )
    page.get_by_test_id("submit-request").click()
    expect(page.get_by_role("alert")).to_have_text("结案报告已提交审批。")

    # R7.1: each approver of the chain finds the closing report in 我的待办.
    asked = ApprovalRequest.objects.get(case=case, step="closing")
    for approver in ("zhangwei", "juzhang"):
        asked.refresh_from_db()
        if asked.status == ApprovalStatus.APPROVED:
            break
        approve_from_tasks(page, approver, asked, "同意结案")
    asked.refresh_from_db()
    assert asked.status == ApprovalStatus.APPROVED
    assert "zhangwei" in {a.approver.username for a in asked.approvals.all()}

    # Closed as executed, then on to 归档.
    log_in(page, "wangming", next_url=f"/cases/{case.pk}/close/")
    form = page.get_by_test_id("form-close")
    form.get_by_label("结案情形").select_option(value="executed")
    page.get_by_test_id("submit-close").click()
    expect(page.get_by_role("alert")).to_contain_text("已结案")
    page.goto(f"/cases/{case.pk}/")
    page.get_by_test_id("workflow-advance").click()
    expect(page.get_by_test_id("case-stage")).to_have_text("归档")
    case.refresh_from_db()
    assert case.closed_at is not None and case.stage == Stage.ARCHIVING

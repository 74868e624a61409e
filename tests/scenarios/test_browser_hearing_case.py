"""Browser, acceptance scenario: an ordinary case with a hearing, walked through the pages
only after ``seed-demo``, each step by its proper role logged in as that person; approvers
and reviewers reach their step from 我的待办.

The demo's ordinary case at the decision stage (洼农（种子）立〔2026〕2号, investigated by 赵磊
and 王明) is told of a proposed licence revocation with the right to a hearing (行政处罚法
Art. 63 (三)); the party asks for a hearing at once (Art. 64(1)); the hearing is fixed 7
working days ahead (Art. 64(2)) and its 听证会通知书 issued the same day; on the hearing day
李华, who does not investigate the case, chairs it and records it held (Art. 64(4)(8)); the
听证笔录 is signed by the party, the investigators, the chair and the clerk (孙丽), each as
themselves (R9.1); the chair drafts the 听证会报告书 from 我的待办 and the heads approve it
(R7.1); the legal reviewer
reviews (Art. 58(1)(二)); the agency head holds the collective discussion (Art. 57, R7.3);
the heads approve the decision (R7.1), which is made (Art. 65) and its 行政处罚决定书
issued; the closing report is approved and the case closed.

The clock moves to the hearing day once the hearing is notified (time-machine moves the
server's clock too: the live server runs in this process).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.cases import hearings
from liuhen.cases.models import (
    AdvanceNotice,
    ApprovalRequest,
    ApprovalStatus,
    Case,
    Decision,
    DiscussionOpinion,
    Hearing,
    LegalReview,
)
from liuhen.delivery.models import ServiceRecord
from liuhen.documents.models import Document, IssuedDocument, OfficerSignature
from tests.scenarios.browser_steps_c import (
    approve_from_tasks,
    draw,
    field,
    issue_document,
    log_in_as,
    new_document,
    open_case,
    open_draft,
    open_task,
    serve_in_person,
    sign_my_line,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    # Issued documents are rendered, sealed and stored: a blob store of the test's own.
    pytest.mark.usefixtures("shared_font_cache", "blob_root"),
]

CASE_NUMBER = "洼农（种子）立〔2026〕2号"
PARTY_PLACE = "盘锦某种业有限公司经营场所"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def test_a_case_goes_through_a_hearing_to_the_decision_in_the_browser(
    page: Page, time_machine
) -> None:
    # Issuing renders and seals a PDF: slower than a page on the two shared cores.
    page.set_default_timeout(30_000)
    call_command("seed_demo")
    case = Case.objects.get(number=CASE_NUMBER)
    now = timezone.now().replace(second=0, microsecond=0)

    # 事先告知 by the investigating officer: revoking a licence carries the hearing right.
    open_case(page, "wangming", case.pk)
    page.get_by_test_id("to-advance-notice").click()
    form = page.get_by_test_id("form-notice")
    notified_at = now
    form.locator("input[name=notified_at]").fill(field(notified_at))
    form.locator("input[name=notified_to]").fill("盘锦某种业有限公司 法定代表人钱某")
    form.locator("input[name=method]").fill("直接送达")
    form.get_by_label("吊销许可证件", exact=True).check()
    form.get_by_label("听证", exact=True).check()
    form.get_by_role("button", name="登记事先告知").click()
    expect(page.get_by_test_id("workflow-stage")).to_be_visible()
    notice = AdvanceNotice.objects.get(case=case)
    assert "hearing" in notice.rights

    # 行政处罚事先告知书（听证）: issued once the 案件处理意见 is approved (R7.1), asked from the
    # draft itself; the heads approve from 我的待办; then it is issued and served in person.
    new_document(page, "advance_notice_hearing", "行政处罚事先告知书（听证）")
    page.locator("#id_facts").fill("当事人经营劣种子，货值金额较大，情节严重。")
    page.locator("#id_basis").fill("《中华人民共和国种子法》第七十五条")
    page.locator("#id_statement_by").fill(f"{timezone.localdate() + dt.timedelta(days=5):%Y-%m-%d}")
    page.locator("#id_note").fill("拟吊销许可证件，请审批案件处理意见。")
    page.get_by_test_id("do-submit").click()
    expect(page.get_by_test_id("document-approval")).to_be_visible()
    for username in ("zhangwei", "juzhang"):
        if ApprovalRequest.objects.get(case=case, step="handling_opinion").status == "approved":
            break
        approve_from_tasks(page, username, CASE_NUMBER, "同意告知。")
    assert ApprovalRequest.objects.get(case=case, step="handling_opinion").status == "approved"
    open_draft(page, "wangming", case.pk, "行政处罚事先告知书（听证）")
    issue_document(page)
    serve_in_person(page, "钱某", PARTY_PLACE)
    assert ServiceRecord.objects.filter(
        case=case, issued__form_code="advance_notice_hearing"
    ).exists()
    open_case(page, "wangming", case.pk)

    # The party asks for a hearing at once, in writing; the officer records it and the
    # notice of the hearing, 7 working days ahead, with a chair who does not investigate.
    section = page.locator("[data-section=hearings]")
    section.get_by_test_id("to-hearing").click()
    form = page.get_by_test_id("form-request")
    requested_at = timezone.now()
    form.locator("input[name=requested_at]").fill(field(requested_at))
    form.locator("input[name=requested_by_party]").fill("法定代表人钱某")
    form.locator("input[name=request_method]").fill("书面申请")
    form.get_by_role("button", name="登记听证申请").click()
    expect(page.locator("[data-section=hearings] [data-testid=case-hearings]")).to_contain_text(
        "书面申请"
    )
    hearing = Hearing.objects.get(case=case)

    told = timezone.now()
    day = hearings.earliest_hearing_day(told)
    page.locator("[data-section=hearings] [data-testid=to-hearing]").click()
    form = page.get_by_test_id("form-schedule")
    # Neither investigator is offered as the chair (Art. 64(4)).
    expect(form.locator("select[name=chair] option", has_text="王明")).to_have_count(0)
    expect(form.locator("select[name=chair] option", has_text="赵磊")).to_have_count(0)
    form.locator("input[name=notified_at]").fill(field(told))
    form.locator("input[name=scheduled_at]").fill(f"{day - dt.timedelta(days=1):%Y-%m-%d}T09:00")
    form.locator("input[name=place]").fill("区农业农村局听证室")
    form.locator("select[name=chair]").select_option(label="李华")
    form.locator("select[name=clerk]").select_option(label="孙丽")
    form.get_by_role("button", name="登记听证时间和通知").click()
    # A day too early is refused in place, with the first possible day.
    expect(page.get_by_test_id("form-error")).to_contain_text(f"{day:%Y-%m-%d}")
    form = page.get_by_test_id("form-schedule")
    form.locator("input[name=scheduled_at]").fill(f"{day:%Y-%m-%d}T09:00")
    form.get_by_role("button", name="登记听证时间和通知").click()
    hearing_time = page.locator("[data-section=hearings] [data-testid=hearing-time]")
    expect(hearing_time).to_contain_text(f"{day:%Y-%m-%d} 09:00")
    schedule = hearings.latest_schedule(hearing)
    assert schedule is not None and schedule.chair.username == "lihua"

    # 听证会通知书, issued the same day under the bureau's seal, from the schedule.
    new_document(page, "hearing_notice", "行政处罚听证会通知书")
    expect(page.locator("#id_chair")).to_have_value("李华")
    page.locator("#id_public").select_option("公开")
    issue_document(page)
    expect(page.get_by_test_id("sealed")).to_have_count(1)
    issued_notice = IssuedDocument.objects.get(case=case, form_code="hearing_notice")
    assert issued_notice.data["chair"] == "李华" and issued_notice.data["clerk"] == "孙丽"

    # The hearing day: the chair records it held.
    time_machine.move_to(_at(day, 11), tick=True)
    open_case(page, "lihua", case.pk)
    page.locator("[data-section=hearings] [data-testid=to-hearing]").click()
    form = page.get_by_test_id("form-held")
    form.locator("input[name=held_at]").fill(f"{day:%Y-%m-%d}T09:05")
    form.locator("textarea[name=summary]").fill("当事人对违法事实无异议，请求不予吊销")
    form.locator("textarea[name=outcome]").fill("建议按告知内容作出处罚")
    form.get_by_role("button", name="登记听证笔录").click()
    page.wait_for_load_state()
    assert hearings.held(hearing) is not None
    case.refresh_from_db()
    assert case.hearing_held and case.needs_legal_review

    # 听证笔录: the officer types and issues it; the party signs it on the tablet, then each
    # investigator, the chair and the clerk sign their own lines as themselves.
    open_case(page, "wangming", case.pk)
    new_document(page, "hearing_transcript", "听证笔录")
    expect(page.locator("#id_chair")).to_have_value("李华")
    expect(page.locator("#id_clerk")).to_have_value("孙丽")
    page.locator("#id_ended_at").fill(f"{day:%Y-%m-%d}T10:30")
    page.locator("#id_public").select_option("公开")
    page.locator("#id_record").fill(
        "主持人宣布听证开始，核对当事人身份，告知权利义务。调查人员提出违法事实、证据和处罚"
        "建议；当事人对违法事实无异议，请求不予吊销许可证件。"
    )
    issue_document(page)
    page.get_by_test_id("sign-link").click()
    draw(page, "sign-pad")
    page.get_by_test_id("sign-submit").click()
    expect(page.get_by_test_id("signature-row")).to_contain_text("钱某")
    transcript = IssuedDocument.objects.get(case=case, form_code="hearing_transcript")
    for username, role in (
        ("wangming", "案件调查人员"),
        ("zhaolei", "案件调查人员"),
        ("lihua", "听证主持人"),
        ("fazhi", "记录员"),
    ):
        sign_my_line(page, username, case.pk, "听证笔录", role)
    expect(page.get_by_test_id("sign-final")).to_be_visible()
    signed = OfficerSignature.objects.filter(issued=transcript)
    assert {(s.role, s.officer.username) for s in signed} == {
        ("案件调查人员", "wangming"),
        ("案件调查人员", "zhaolei"),
        ("听证主持人", "lihua"),
        ("记录员", "fazhi"),
    }

    # 听证会报告书: the chair, who does not investigate the case, finds it in 我的待办, drafts
    # it and sends it for approval; the heads approve it from 我的待办; then it is issued.
    open_task(page, "lihua", CASE_NUMBER, "起草听证会报告书")
    expect(page.get_by_test_id("chosen-form")).to_contain_text("行政处罚听证会报告书")
    page.get_by_test_id("new-document-create").click()
    page.wait_for_url("**/documents/*/")
    expect(page.get_by_test_id("document-title")).to_have_text("行政处罚听证会报告书")
    expect(page.locator("#id_chair")).to_have_value("李华")
    expect(page.locator("#id_hearing_place")).to_have_value("区农业农村局听证室")
    page.locator("#id_summary").fill("听证会公开举行，当事人法定代表人钱某到场，陈述申辩并质证。")
    page.locator("#id_disputes").fill("当事人对违法事实无异议，认为吊销许可证件处罚过重。")
    page.locator("#id_opinion").fill("违法事实清楚，证据确凿，建议按告知内容作出处罚。")
    page.get_by_test_id("do-submit").click()
    expect(page.get_by_test_id("document-approval")).to_be_visible()
    report = Document.objects.get(case=case, form_code="hearing_report")
    assert report.created_by.username == "lihua" and report.status == "pending"
    approve_from_tasks(page, "zhangwei", CASE_NUMBER, "同意。")
    approve_from_tasks(page, "juzhang", CASE_NUMBER, "同意。")
    open_draft(page, "wangming", case.pk, "行政处罚听证会报告书")
    issue_document(page)
    assert IssuedDocument.objects.filter(case=case, form_code="hearing_report").exists()

    # 法制审核: the legal reviewer finds it in 我的待办 (Art. 58(1)(二)).
    open_task(page, "fazhi", CASE_NUMBER, "法制审核")
    form = page.get_by_test_id("form-review")
    form.locator("select[name=result]").select_option("agree")
    form.locator("textarea[name=opinion]").fill("程序合法，证据充分，听证程序符合规定")
    form.get_by_role("button", name="签署审核意见").click()
    page.wait_for_load_state()
    assert LegalReview.objects.filter(case=case).exists()

    # 集体讨论 (Art. 57: a licence revocation): the agency head finds it in 我的待办, chairs
    # and records it; the unit head confirms his own opinion from 我的待办 (R7.3).
    open_task(page, "juzhang", CASE_NUMBER, "组织并记录集体讨论")
    form = page.get_by_test_id("form-discussion")
    form.get_by_label("讨论时间").fill(field(timezone.now()))
    form.get_by_label("张伟", exact=True).check()
    form.get_by_label("刘建国", exact=True).check()
    form.get_by_label("张伟的意见").fill("同意吊销")
    form.get_by_label("刘建国的意见").fill("同意吊销")
    form.locator("textarea[name=opinions]").fill("听证意见不足以改变处罚")
    form.get_by_label("结论").fill("吊销种子生产经营许可证")
    page.get_by_test_id("submit-discussion").click()
    expect(page.get_by_role("alert")).to_have_text("集体讨论记录已登记。")
    open_task(page, "zhangwei", CASE_NUMBER, "确认本人意见")
    page.get_by_test_id("submit-confirm").click()
    expect(page.get_by_role("alert")).to_have_text("您的意见已确认。")
    opinions = DiscussionOpinion.objects.filter(discussion__case=case)
    assert opinions.count() == 2 and not opinions.filter(confirmed_at__isnull=True).exists()

    # 审批: the officer asks; the unit head and the agency head approve from 我的待办.
    open_case(page, "wangming", case.pk)
    page.get_by_test_id("to-decide").click()
    ask = page.get_by_test_id("form-ask")
    ask.get_by_label("报批说明").fill("听证、法制审核和集体讨论已完成，请审批行政处罚决定。")
    ask.get_by_role("button", name="提交审批").click()
    expect(page.get_by_role("alert")).to_contain_text("已提交审批")
    approve_from_tasks(page, "zhangwei", CASE_NUMBER, "同意，报局长审批。")
    approve_from_tasks(page, "juzhang", CASE_NUMBER, "同意吊销。")
    asked = ApprovalRequest.objects.get(case=case, step="decision")
    assert asked.status == ApprovalStatus.APPROVED

    # The decision (Art. 65: after the hearing).
    open_case(page, "wangming", case.pk)
    page.get_by_test_id("to-decide").click()
    form = page.get_by_test_id("form-decide")
    form.get_by_label("吊销许可证件", exact=True).check()
    form.locator("textarea[name=facts]").fill("经营劣种子，情节严重")
    form.locator("textarea[name=basis]").fill("《中华人民共和国种子法》第七十五条")
    form.get_by_role("button", name="登记处罚决定").click()
    expect(page.get_by_test_id("workflow-decision")).to_be_visible()
    made = Decision.objects.get(case=case)
    assert made.penalty_kinds == ["licence_revoke"]
    log_in_as(page, "wangming", next_url=f"/cases/{case.pk}/")
    expect(page.get_by_test_id("workflow-decision")).to_contain_text(made.number)

    # 行政处罚决定书, from the decision, under the bureau's seal.
    new_document(page, "penalty_decision", "行政处罚决定书")
    page.locator("#id_statement").fill(
        "当事人在听证中提出吊销许可证件处罚过重，经审查，其违法情节严重，该意见不予采纳。"
    )
    page.locator("#id_payment").fill("自收到本决定书之日起十五日内将种子生产经营许可证交回本机关。")
    issue_document(page)
    expect(page.get_by_test_id("sealed")).to_have_count(1)
    decision_document = IssuedDocument.objects.get(case=case, form_code="penalty_decision")
    assert decision_document.number == made.number
    serve_in_person(page, "钱某", PARTY_PLACE)
    assert ServiceRecord.objects.filter(issued=decision_document).exists()

    # On to service; the closing report is approved from 我的待办 and the case closed.
    open_case(page, "wangming", case.pk)
    page.get_by_test_id("workflow-advance").click()
    expect(page.get_by_test_id("workflow-stage")).to_have_text("送达执行")
    page.get_by_test_id("to-close").click()
    page.get_by_test_id("form-request").get_by_label("结案报告").fill(
        "经听证、法制审核和集体讨论，已作出吊销许可证件的处罚决定并送达，拟结案。"
    )
    page.get_by_test_id("submit-request").click()
    expect(page.get_by_role("alert")).to_have_text("结案报告已提交审批。")
    approve_from_tasks(page, "zhangwei", CASE_NUMBER, "同意结案。")
    approve_from_tasks(page, "juzhang", CASE_NUMBER, "同意结案。")
    open_case(page, "wangming", case.pk)
    page.get_by_test_id("to-close").click()
    page.get_by_test_id("form-close").locator("select[name=condition]").select_option("executed")
    page.get_by_test_id("submit-close").click()
    expect(page.get_by_role("alert")).to_have_text("案件已结案。")
    case.refresh_from_db()
    assert case.closed_at is not None

"""Acceptance, in the browser only: after ``liuhen seed-demo`` one ordinary case is walked
from the lead to the archive through the pages, each step by its proper role signed in as
that person with the demo password, and every approver and reviewer reaching their step
from 我的待办 (R7.1, R7.3, R4.1, R4.2, R5.2, R9.1, R9.2, R8.1, R10.1, R11.1).

Nothing is written through the API, a shell or a factory after the seed; the database is
only read, to assert. Each page loaded is checked for a server error here and with axe-core
by the browser fixture.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from liuhen.cases.models import (
    Case,
    CollectiveDiscussion,
    Decision,
    Lead,
    LegalReview,
    Stage,
)
from liuhen.delivery.models import Payment, ServiceRecord
from liuhen.documents.models import Finalisation, IssuedDocument
from liuhen.media.sample_media import make_mp4
from liuhen.subjects.identifiers import resident_id_check_char
from tests.fixtures.browser import open_page
from tests.scenarios.browser_walk import (
    ServerErrors,
    approve_from_tasks,
    as_person,
    draw,
    open_task,
)

# Playwright's sync API runs an event loop in this thread; the test's own reads of the
# database are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shared_font_cache", "gateway_secret"),
]

MINUTE = dt.timedelta(minutes=1)
PARTY = "张大山"
RESIDENT_ID = "21110419800101123" + resident_id_check_char("21110419800101123")
TITLE = "大洼区某农资店销售假农药案"
SUMMARY = "群众举报大洼区某农资店销售假农药"


@pytest.fixture
def walk_page(browser: Browser, live_server, settings) -> Page:
    # The background worker's tasks (probing an uploaded recording, which then counts for
    # its activity) run as they are queued, as the worker beside the server would run them.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("seed_demo")
    with open_page(
        browser, live_server, 20_000, viewport={"width": 1280, "height": 900}, accept_downloads=True
    ) as page:
        errors = ServerErrors(page)
        yield page
        assert not errors.seen, "server errors on the walk:\n" + "\n".join(errors.seen)


def test_an_ordinary_case_from_lead_to_archive_in_the_browser(
    walk_page: Page, tmp_path: Path
) -> None:
    page = walk_page

    # 立案: 王明 records the lead and proposes filing with 李华 as the second officer.
    as_person(page, "wangming", next_url="/cases/leads/")
    page.click("[data-testid=lead-create]")
    page.select_option("select[name=source]", "complaint")
    page.fill("textarea[name=summary]", SUMMARY)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("[data-testid=lead-status]")).to_have_text("核查中")
    form = page.locator("[data-testid=filing-form]")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("select[name=field]").select_option("农药")
    form.get_by_label("李华").check()
    form.get_by_role("button", name="提交审批").click()
    expect(page.locator("[data-testid=lead-status]")).to_have_text("待审批")

    approve_from_tasks(page, "zhangwei", SUMMARY[:20], "", "同意立案")
    approve_from_tasks(page, "juzhang", SUMMARY[:20], "", "同意")
    case = Lead.objects.get(summary=SUMMARY).case
    assert case is not None and case.stage == Stage.INVESTIGATION
    number = case.number

    # Assignment: the unit head adds 赵磊 to the case (R4.1).
    as_person(page, "zhangwei", next_url="/cases/")
    page.get_by_role("link", name=number).click()
    expect(page.locator("[data-testid=case-title]")).to_have_text(TITLE)
    expect(page.locator("[data-testid=header-officers]")).to_contain_text("李华")
    page.click("[data-testid=assignment-link]")
    assign = page.locator("[data-testid=form-assign]")
    assign.locator("select[name=officer]").select_option(label="赵磊")
    assign.locator("textarea[name=reason]").fill("增派办案力量")
    assign.get_by_role("button", name="指派").click()
    expect(page.locator("[data-testid=header-officers]")).to_contain_text("赵磊")
    case = Case.objects.get(pk=case.pk)
    assert {o.username for o in case.officers.all()} == {"wangming", "lihua", "zhaolei"}

    # The party: 王明 enters the person and links them to the case.
    as_person(page, "wangming", next_url="/subjects/")
    page.click("[data-testid=subject-new]")
    page.select_option("[data-testid=kind-select]", "person")
    page.fill("input[name=name]", PARTY)
    page.fill("input[name=resident_id]", RESIDENT_ID)
    page.fill("input[name=address]", "大洼区田家街道1号")
    page.click("[data-testid=subject-save]")
    expect(page.locator("[data-testid=subject-name]")).to_have_text(PARTY)
    page.select_option("[data-testid=link-case] select[name=case]", str(case.pk))
    page.click("[data-testid=link-case] button")
    expect(page.locator("[data-testid=section-cases]")).to_contain_text(number)

    # The inquiry, by 王明 and 李华, the party present (R4.2).
    started = timezone.localtime() - dt.timedelta(minutes=40)
    ended = started + dt.timedelta(minutes=30)
    page.goto(f"/cases/{case.pk}/")  # the case number in the section links here too
    page.locator("[data-testid=activity-new]").click()
    page.locator("[data-testid=field-type]").select_option(label="询问（调查）")
    page.locator("[data-testid=field-started_at]").fill(started.strftime("%Y-%m-%dT%H:%M"))
    page.locator("[data-testid=field-ended_at]").fill(ended.strftime("%Y-%m-%dT%H:%M"))
    page.locator("[data-testid=field-place]").fill("大洼区农业农村局询问室")
    page.locator("[data-testid=officer-choice]", has_text="李华").click()
    party = page.locator("[data-testid=field-party] option", has_text=PARTY)
    page.locator("[data-testid=field-party]").select_option(party.get_attribute("value"))
    page.locator("[data-testid=activity-save]").click()
    expect(page.locator("[data-testid=activity-type]")).to_have_text("询问（调查）")
    activity_url = page.url

    # Its AV record: uploaded from the recorder's file, then linked by hand to the inquiry
    # (R15.1, R16.1).
    clip = tmp_path / "询问.mp4"
    clip.write_bytes(
        make_mp4(seconds=1, width=160, height=96, audio=False, created=started + MINUTE * 2)
    )
    moment = (started + MINUTE * 2).timestamp()
    os.utime(clip, (moment, moment))
    page.goto("/media/upload/")
    page.set_input_files("[data-testid=upload-files]", str(clip))
    item = page.locator("[data-testid=upload-item]")
    item.locator("[data-testid=upload-start]").click()
    expect(item).to_have_attribute("data-state", "done", timeout=60_000)
    item.locator("[data-testid=upload-record-link]").click()
    panel = page.get_by_test_id("record-links")
    by_hand = panel.get_by_test_id("link-activity-form")
    inquiry = by_hand.locator("option", has_text=number)
    by_hand.locator("select[name=activity]").select_option(inquiry.get_attribute("value"))
    by_hand.get_by_test_id("link-activity-save").click()
    expect(panel.get_by_test_id("link-row").get_by_test_id("link-case")).to_have_text(number)
    page.goto(activity_url)
    expect(page.get_by_test_id("activity-av-records")).to_be_visible()

    # 笔录: the inquiry transcript, drafted from the activity, issued, read and signed by
    # the party on the pad, then by the officers on their lines (R9.1, R9.2).
    page.goto(f"/cases/{case.pk}/")
    page.on("dialog", lambda dialog: dialog.accept())  # "Issue this document?"
    page.get_by_test_id("new-document-form").select_option("inquiry_transcript")
    page.get_by_test_id("new-document-create").click()
    expect(page.get_by_test_id("document-title")).to_have_text("询问笔录")
    page.fill("#id_recorder", "王明")
    page.select_option("#id_recusal", "否")
    page.fill(
        "#id_questions_answers",
        "问：你店内销售的农药从何处购进？\n答：从营口一家批发部购进，有进货单。",
    )
    page.get_by_test_id("do-issue").click()
    page.wait_for_url(re.compile(r"/documents/issued/\d+/$"))
    page.get_by_test_id("sign-link").click()
    expect(page.get_by_test_id("sign-name")).to_have_value(PARTY)
    draw(page, "sign-pad")
    page.get_by_test_id("sign-submit").click()
    expect(page.get_by_test_id("sign-final")).to_have_count(0)  # the officers still sign
    for line in ("询问人", "记录人"):
        draw(page, "officer-pad")
        page.get_by_test_id("officer-sign-pad").click()
        expect(page.locator(f"[data-testid=officer-line][data-role={line}]")).to_contain_text(
            "王明"
        )
    # 李华, named on the 询问人 line too, finds the transcript in 我的待办 and signs.
    transcript = IssuedDocument.objects.get(case=case, form_code="inquiry_transcript")
    as_person(page, "lihua")
    open_task(page, number, "询问笔录")
    page.get_by_test_id("sign-link").click()
    draw(page, "officer-pad")
    page.get_by_test_id("officer-sign-pad").click()
    expect(page.get_by_test_id("sign-final")).to_be_visible()
    assert Finalisation.objects.get(issued=transcript).how == Finalisation.How.SIGNED

    # The case is complex: it needs 法制审核 and 集体讨论 (Arts. 57, 58).
    as_person(page, "wangming", next_url=f"/cases/{case.pk}/")
    page.get_by_test_id("to-review-grounds").click()
    page.get_by_label("案情疑难复杂或情节严重（须经法制审核和集体讨论）").check()
    page.get_by_label("理由").fill("涉及多个法律关系，案情疑难复杂")
    page.get_by_test_id("submit-grounds").click()
    expect(page.get_by_role("alert")).to_have_text("法制审核、集体讨论情形已登记。")
    expect(page.get_by_test_id("workflow-complex")).to_be_visible()

    # On to 审核决定, then 告知: the advance notice of a fine (R8.1).
    page.get_by_test_id("workflow-advance").click()
    expect(page.locator("[data-testid=workflow-stage]")).to_have_text("审核决定")
    page.click("[data-testid=to-advance-notice]")
    form = page.locator("[data-testid=form-notice]")
    form.locator("input[name=notified_at]").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=notified_to]").fill(PARTY)
    form.locator("input[name=method]").fill("直接送达")
    form.get_by_label("罚款", exact=True).check()
    form.locator("input[name=proposed_fine_yuan]").fill("1000")
    form.get_by_role("button", name="登记事先告知").click()
    expect(page.locator("[data-testid=to-decide]")).to_be_visible()

    # 法制审核: the reviewer finds it in 我的待办 (Art. 58).
    as_person(page, "fazhi")
    open_task(page, number, TITLE)
    expect(page.get_by_test_id("workflow-title")).to_have_text("法制审核")
    form = page.get_by_test_id("form-review")
    form.get_by_label("审核结论").select_option(label="同意")
    form.get_by_label("意见").fill("事实清楚，证据确凿，适用依据正确，程序合法。")
    page.get_by_test_id("submit-review").click()
    expect(page.get_by_role("alert")).to_have_text("法制审核意见已登记。")

    # 集体讨论: the agency head finds it in 我的待办, holds and records it (Art. 57, R7.3).
    as_person(page, "juzhang")
    open_task(page, number, "组织并记录集体讨论")
    expect(page.get_by_test_id("workflow-title")).to_have_text("集体讨论")
    form = page.get_by_test_id("form-discussion")
    form.get_by_label("讨论时间").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("张伟", exact=True).check()
    form.get_by_label("刘建国", exact=True).check()
    form.get_by_label("张伟的意见").fill("同意罚款")
    form.get_by_label("刘建国的意见").fill("同意罚款八百元")
    form.locator("textarea[name=opinions]").fill("一致同意给予罚款处罚")
    form.get_by_label("结论").fill("罚款人民币800元")
    page.get_by_test_id("submit-discussion").click()
    expect(page.get_by_role("alert")).to_have_text("集体讨论记录已登记。")

    # The attendee confirms their own opinion from 我的待办.
    as_person(page, "zhangwei")
    open_task(page, number, "确认本人意见")
    expect(page.get_by_test_id("form-confirm").get_by_label("本人意见")).to_have_value("同意罚款")
    page.get_by_test_id("submit-confirm").click()
    expect(page.get_by_role("alert")).to_have_text("您的意见已确认。")
    assert LegalReview.objects.get(case=case).reviewer.username == "fazhi"
    discussion = CollectiveDiscussion.objects.get(case=case)
    assert not discussion.attendee_opinions.filter(confirmed_at__isnull=True).exists()

    # Decision approval: asked on the decision page, signed by both heads from 我的待办.
    as_person(page, "wangming", next_url=f"/cases/{case.pk}/")
    page.click("[data-testid=to-decide]")
    ask = page.get_by_test_id("form-ask")
    ask.get_by_label("报批说明").fill("案件已告知，请审批行政处罚决定。")
    ask.get_by_role("button", name="提交审批").click()
    expect(page.get_by_role("alert")).to_contain_text("已提交审批")
    approve_from_tasks(page, "zhangwei", number, "行政处罚决定", "同意，报局长审批。")
    approve_from_tasks(page, "juzhang", number, "行政处罚决定", "同意处罚。")

    # 决定: a fine of 800 yuan, within the notice.
    as_person(page, "wangming", next_url=f"/cases/{case.pk}/")
    page.click("[data-testid=to-decide]")
    form = page.locator("[data-testid=form-decide]")
    form.get_by_label("罚款", exact=True).check()
    form.locator("input[name=fine_yuan]").fill("800")
    form.locator("textarea[name=facts]").fill("销售假农药")
    form.locator("textarea[name=basis]").fill("《农药管理条例》第五十五条")
    form.get_by_role("button", name="登记处罚决定").click()
    expect(page.locator("[data-testid=workflow-decision]")).to_contain_text("¥800.00")
    decision = Decision.objects.get(case=case)
    assert decision.fine_fen == 800_00
    page.get_by_test_id("workflow-advance").click()
    expect(page.locator("[data-testid=workflow-stage]")).to_have_text("送达执行")

    # The 行政处罚决定书 is drafted from the decision and issued; its payment notice with it.
    page.get_by_test_id("new-document-form").select_option("penalty_decision")
    page.get_by_test_id("new-document-create").click()
    expect(page.get_by_test_id("document-title")).to_have_text("行政处罚决定书")
    page.get_by_test_id("do-issue").click()
    page.wait_for_url(re.compile(r"/documents/issued/\d+/$"))
    penalty = IssuedDocument.objects.get(case=case, form_code="penalty_decision")
    assert penalty.number == decision.number

    # Service: directly, with a 送达回证 drafted from the service form and signed by the
    # party on the pad (R10.1).
    page.get_by_test_id("record-service").click()
    page.select_option("select[name=mode]", "direct")
    page.fill("input[name=recipient]", PARTY)
    page.get_by_test_id("draft-receipt-direct").click()
    expect(page.get_by_test_id("document-title")).to_have_text("送达回证")
    page.get_by_test_id("do-issue").click()
    page.wait_for_url(re.compile(r"/documents/issued/\d+/$"))
    receipt = IssuedDocument.objects.get(case=case, form_code="service_receipt")
    page.get_by_test_id("sign-link").click()
    draw(page, "sign-pad")
    page.get_by_test_id("sign-submit").click()
    finalise = page.get_by_test_id("finalise-submit")
    final = page.get_by_test_id("sign-final")
    expect(final.or_(finalise)).to_be_visible()
    if finalise.is_visible():  # no witness: the other lines are marked unsigned
        finalise.click()
    expect(final).to_be_visible()
    page.goto(f"/documents/issued/{receipt.pk}/")
    page.get_by_test_id("serve-with-receipt").click()
    page.select_option("select[name=mode]", "direct")
    page.select_option("select[name=direct__receipt]", str(receipt.pk))
    page.fill("input[name=recipient]", PARTY)
    served = timezone.localtime() - dt.timedelta(minutes=5)
    page.fill("input[name=served_at]", served.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_test_id("service-save").click()
    page.wait_for_url("**/delivery/service/*/")
    assert ServiceRecord.objects.get(issued=penalty).receipt == receipt

    # Payment: the party pays the notice on the public payment page the QR code opens.
    page.goto(f"/cases/{case.pk}/")
    page.get_by_test_id("payments-link").click()
    expect(page.get_by_test_id("payment-title")).to_have_text("罚款缴纳")
    pay_url = page.locator("a", has_text="/pay/").first.get_attribute("href")
    assert pay_url
    page.context.clear_cookies()
    page.goto(urlsplit(pay_url).path)  # the party's phone reaches the public site
    page.get_by_test_id("pay-button").click()
    expect(page.locator("[data-state=paid]")).to_be_visible()
    assert Payment.objects.get(notice__decision=decision).amount_fen == 800_00

    # 结案: the closing report, approved by both heads from 我的待办, then the case closed.
    as_person(page, "wangming", next_url=f"/cases/{case.pk}/")
    page.get_by_test_id("to-close").click()
    report = page.get_by_test_id("form-request")
    report.get_by_label("结案报告").fill("罚款已缴纳，处罚决定执行完毕，拟结案")
    page.get_by_test_id("submit-request").click()
    expect(page.get_by_role("alert")).to_have_text("结案报告已提交审批。")
    approve_from_tasks(page, "zhangwei", number, "结案", "同意结案")
    approve_from_tasks(page, "juzhang", number, "结案", "同意结案")
    as_person(page, "wangming", next_url=f"/cases/{case.pk}/")
    page.get_by_test_id("to-close").click()
    close = page.get_by_test_id("form-close")
    close.get_by_label("结案情形").select_option(label="处罚决定已执行完毕")
    page.get_by_test_id("submit-close").click()
    expect(page.get_by_role("alert")).to_have_text("案件已结案。")

    # 归档: the last stage.
    page.get_by_test_id("workflow-advance").click()
    expect(page.locator("[data-testid=workflow-stage]")).to_have_text("归档")
    case = Case.objects.get(pk=case.pk)
    assert case.stage == Stage.ARCHIVING and case.closing_condition == "executed"

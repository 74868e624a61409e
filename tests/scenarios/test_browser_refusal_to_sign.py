"""A party refuses to sign, walked through the pages only on the demo bureau (R9.2; the
recording rules, Art. 9: a refusal is backed by an AV record made at the time).

刘洋 questions 张某 in the livestock case and issues the 询问笔录; 张某 reads it and will not
sign. Recorded without an AV record, the refusal is refused with the reason and nothing is
final; 刘洋 uploads the recorder's clip of the moment on the upload page, picks it on the
refusal form, and the transcript is final as "refusal recorded on AV", the clip linked to
the case as evidence. The signature task leaves 我的待办 and the case moves on to 审核决定.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override
from playwright.sync_api import Page, expect

from liuhen.cases.models import Case, Stage
from liuhen.documents.models import Finalisation, IssuedDocument
from liuhen.media.models import AvLink
from tests.scenarios.browser_steps_bd import (
    check_out_recorder,
    demo,  # noqa: F401 -- a fixture
    issue,
    log_in,
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

CASE = "洼农（兽药）立〔2026〕3号"
RECORDER = "DSJ-DW-0003"
NO_AV = (
    "A refusal to sign must be backed by an AV record made at that time "
    "(basis: the recording rules, Art. 9): link at least one."
)


def _fill_transcript(page: Page) -> None:
    ended = timezone.localtime() + dt.timedelta(minutes=30)
    page.fill("#id_ended_at", ended.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "某养殖场办公室")
    page.fill("#id_recorder", "陈杰")
    page.select_option("#id_recusal", "否")
    page.fill(
        "#id_questions_answers",
        "问：你场使用的兽药从何处购进？\n答：不清楚，是饲养员自己买的。",
    )


def _refusal_form(page: Page) -> None:
    panel = page.get_by_test_id("refuse-panel")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    page.fill("#id_circumstances", "当事人看过笔录后拒绝签名，称不认可记录内容。")


def test_a_refusal_to_sign_stands_only_with_its_av_record(
    scenario_tablet: Page, tmp_path: Path
) -> None:
    page = scenario_tablet
    case = Case.objects.get(number=CASE)
    log_in(page, "liuyang")
    check_out_recorder(page, RECORDER)
    settle()

    # The inquiry transcript is written and issued on the tablet.
    page.goto("/cases/")
    page.get_by_role("link", name=CASE).click()
    expect(page.get_by_test_id("case-number")).to_have_text(CASE)
    new_document(page, case.pk, "inquiry_transcript")
    expect(page.get_by_test_id("document-title")).to_have_text("询问笔录")
    _fill_transcript(page)
    issue(page)
    issued = IssuedDocument.objects.get(case=case, form_code="inquiry_transcript")
    # It waits in 刘洋's 我的待办 for the party's signature; he opens it from there.
    page.get_by_test_id("tasks-badge").click()
    expect(page.locator("h1")).to_have_text("我的待办")
    task = page.get_by_test_id("task").filter(has_text="询问笔录")
    expect(task).to_contain_text(CASE)
    task.get_by_test_id("task-link").click()
    page.get_by_test_id("sign-link").click()
    page.wait_for_url(f"**/documents/issued/{issued.pk}/sign/")

    # 张某 refuses; without an AV record the refusal is not taken (Art. 9).
    _refusal_form(page)
    expect(page.get_by_test_id("refuse-av-none")).to_be_visible()
    page.get_by_test_id("refuse-submit").click()
    with override("zh-hans"):
        message = gettext(NO_AV)
    expect(page.get_by_test_id("refuse-error")).to_contain_text(message)
    expect(page.get_by_test_id("sign-final")).to_have_count(0)
    assert not issued.refusals.exists()
    assert not Finalisation.objects.filter(issued=issued).exists()

    # The recorder's clip of the refusal is uploaded, then chosen on the refusal form.
    record = upload_recording(page, tmp_path, "拒签现场.mp4", RECORDER)
    assert record.officer.username == "liuyang"
    page.goto(f"/documents/issued/{issued.pk}/sign/")
    _refusal_form(page)
    page.get_by_test_id(f"refuse-av-{record.pk}").check()
    page.get_by_test_id("refuse-submit").click()
    page.wait_for_load_state()
    errors = page.get_by_test_id("refuse-error")
    assert not errors.count(), errors.inner_text()
    refusal = issued.refusals.get()
    assert [r.record_id for r in refusal.recordings.all()] == [record.pk]
    assert AvLink.objects.filter(record=record, evidence=True).exists()
    # The officers sign their lines: 刘洋 questioned, 陈杰 questioned and wrote it down.
    sign_officer_line(page)
    expect(page.locator("[data-testid=officer-line][data-role=询问人]")).to_contain_text("刘洋")
    expect(page.get_by_test_id("sign-final")).to_have_count(0)
    log_in(page, "chenjie", next_url=f"/cases/{case.pk}/")
    page.get_by_role("link", name="询问笔录").click()
    page.get_by_test_id("sign-link").click()
    for line in ("询问人", "记录人"):
        page.get_by_test_id("officer-role").select_option(line)
        sign_officer_line(page)
        expect(page.locator(f"[data-testid=officer-line][data-role={line}]")).to_contain_text(
            "陈杰"
        )
    expect(page.get_by_test_id("sign-final")).to_contain_text("拒绝签字情况已有音像记录")
    assert Finalisation.objects.get(issued=issued).how == Finalisation.How.REFUSED

    # Nothing is left to sign in 我的待办, and the case moves on.
    page.get_by_test_id("tasks-badge").click()
    expect(page.locator("h1")).to_have_text("我的待办")
    expect(page.get_by_test_id("task").filter(has_text="询问笔录")).to_have_count(0)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_test_id("workflow-advance").click()
    expect(page.get_by_test_id("case-stage")).to_have_text("审核决定")
    case.refresh_from_db()
    assert case.stage == Stage.DECISION

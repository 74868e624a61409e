"""Reminders: once per clock and day, in-app and by e-mail; overdue ones to the unit head."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from liuhen.core import notifications
from liuhen.core.models import Notification
from liuhen.deadlines import actions
from liuhen.deadlines.tasks import send_deadline_reminders

pytestmark = pytest.mark.django_db

D = dt.date
OPENED = D(2026, 7, 10)  # decision due 2026-10-08
SOON = D(2026, 9, 30)
LATE = D(2026, 10, 9)


@pytest.fixture
def wang_with_email(officer_wang):
    officer_wang.email = "wang@example.cn"
    officer_wang.save()
    return officer_wang


@pytest.fixture
def zhang(head_zhang):
    head_zhang.email = "zhang@example.cn"
    head_zhang.save()
    return head_zhang


def test_due_soon_reminds_the_officers_once_a_day(case_opened, wang_with_email, zhang) -> None:
    case = case_opened(OPENED)
    assert actions.send_reminders(today=SOON) == 1
    note = Notification.objects.get()
    assert note.recipient == wang_with_email and note.emailed and note.read_at is None
    assert case.number in note.text and "2026-10-08" in note.text
    assert note.link == f"/cases/{case.pk}/#section-deadlines"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wang@example.cn"]
    assert case.number in mail.outbox[0].subject
    # Again the same day: nothing new.
    assert actions.send_reminders(today=SOON) == 0
    assert len(mail.outbox) == 1
    # The next day, again.
    assert actions.send_reminders(today=SOON + dt.timedelta(days=1)) == 1
    assert len(mail.outbox) == 2


def test_overdue_also_reminds_the_unit_head(
    case_opened, wang_with_email, zhang, officer_li
) -> None:
    case_opened(OPENED)
    assert actions.send_reminders(today=LATE) == 2
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "officer_wang",
        "head_zhang",
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["wang@example.cn", "zhang@example.cn"]
    assert "逾期" in Notification.objects.filter(recipient=wang_with_email).get().text


def test_running_and_met_clocks_are_not_reminded(case_opened, wang_with_email) -> None:
    case_opened(OPENED)
    assert actions.send_reminders(today=D(2026, 9, 1)) == 0
    assert not Notification.objects.exists() and not mail.outbox


def test_the_scheduled_task_sends_reminders(case_opened, wang_with_email, settings) -> None:
    case_opened(timezone.localdate() - dt.timedelta(days=120))  # overdue today
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = send_deadline_reminders.enqueue()
    assert result.return_value >= 1
    assert Notification.objects.filter(recipient=wang_with_email).exists()


def test_scheduler_table_lists_the_reminder_job() -> None:
    from liuhen.web.management.commands.scheduler import JOBS

    assert "liuhen.deadlines.tasks.send_deadline_reminders" in [job.task for job in JOBS]


def test_notification_page_shows_own_and_marks_read(client, wang_with_email, officer_li) -> None:
    mine = notifications.notify(wang_with_email, "王的提醒", link="/cases/1/", email=False)
    theirs = notifications.notify(officer_li, "李的提醒", email=False)
    assert notifications.unread_count(wang_with_email) == 1
    client.force_login(wang_with_email)
    html = client.get("/deadlines/notifications/").content.decode()
    assert "王的提醒" in html and "李的提醒" not in html
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert notifications.unread_count(wang_with_email) == 0


def test_mark_all_read_only_touches_own(client, wang_with_email, officer_li) -> None:
    notifications.notify(wang_with_email, "一", email=False)
    notifications.notify(officer_li, "二", email=False)
    client.force_login(wang_with_email)
    assert client.post("/deadlines/notifications/read/").status_code == 302
    assert notifications.unread_count(wang_with_email) == 0
    assert notifications.unread_count(officer_li) == 1
    assert client.get("/deadlines/notifications/read/").status_code == 405


def test_notifications_need_login(client) -> None:
    response = client.get("/deadlines/notifications/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_badge_shows_the_unread_count(wang_with_email) -> None:
    notifications.notify(wang_with_email, "一", email=False)
    notifications.notify(wang_with_email, "二", email=False)
    request = RequestFactory().get("/")
    request.user = wang_with_email
    html = Template("{% load deadlines %}{% notification_badge %}").render(
        Context({"request": request})
    )
    assert 'data-testid="unread-count">2' in html and "/deadlines/notifications/" in html


def test_same_key_is_delivered_once(wang_with_email) -> None:
    assert notifications.notify(wang_with_email, "x", dedupe_key="k") is not None
    assert notifications.notify(wang_with_email, "x", dedupe_key="k") is None
    assert Notification.objects.count() == 1


def test_an_overdue_lead_reminds_its_recorder_and_the_unit_head(
    unit_a, wang_with_email, zhang
) -> None:
    from liuhen.cases.models import Lead

    lead = Lead.objects.create(
        source="complaint",
        received_at=timezone.make_aware(dt.datetime(2026, 9, 1, 9)),
        summary="群众举报",
        unit=unit_a,
        recorded_by=wang_with_email,
    )
    assert actions.send_reminders(today=D(2026, 9, 30)) == 2  # due 09-16
    note = Notification.objects.get(recipient=wang_with_email)
    assert note.link == f"/cases/leads/{lead.pk}/" and "群众举报" in note.text
    assert Notification.objects.filter(recipient=zhang).exists()

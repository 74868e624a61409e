"""R19.1: when a document is served on a party, a text message (through the SMS gateway's
simulator) and an e-mail tell the party it exists and how to query and download it — a
notice, never service (regulation Art. 10(四)). Each attempt is a write-once row and an
audit event; a failed attempt is retried by the task, as a new row pointing to it."""

from __future__ import annotations

import hashlib

import pytest
from django.core import mail
from django.db import DatabaseError, transaction

from liuhen.core.models import AuditEvent
from liuhen.delivery import system_checks
from liuhen.delivery.actions import push
from liuhen.delivery.events import QueryEvents
from liuhen.delivery.models import PushChannel, PushNotice, PushStatus
from liuhen.delivery.push import sms
from tests.delivery.query_helpers import EMAIL, PARTY, PHONE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_chinese")]


def test_service_pushes_a_text_message_and_an_email(decision_served_for_query, sms_outbox):
    served = decision_served_for_query
    assert [(m.to, m.text) for m in sms_outbox] == [(PHONE, sms_outbox[0].text)]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    notices = {n.channel: n for n in PushNotice.objects.filter(case=served.case)}
    assert set(notices) == {PushChannel.SMS, PushChannel.EMAIL}
    for notice in notices.values():
        assert notice.status == PushStatus.SENT
        assert notice.issued_id == served.issued.pk
        assert notice.party_name == PARTY
        assert notice.text_sha256 == hashlib.sha256(notice.text.encode()).hexdigest()
    assert notices[PushChannel.SMS].to == PHONE
    assert notices[PushChannel.EMAIL].to == EMAIL
    events = AuditEvent.objects.filter(action=QueryEvents.PUSH, case_id=served.case.pk)
    assert sorted(e.details["channel"] for e in events) == ["email", "sms"]
    assert all(e.details["status"] == "sent" for e in events)


def test_the_text_is_a_notice_not_service(decision_served_for_query, sms_outbox):
    served = decision_served_for_query
    text = sms_outbox[0].text
    assert served.case.number in text
    assert served.issued.title in text and served.issued.number in text
    assert "/query/" in text and "查询码" in text
    assert "不是文书送达" in text and "不产生送达效力" in text
    # The code itself stays on the paper: a message to a wrong number reveals nothing.
    assert served.code not in text
    assert mail.outbox[0].body == text
    assert "非送达" in mail.outbox[0].subject


def test_a_document_is_pushed_once(decision_served_for_query, sms_outbox):
    served = decision_served_for_query
    assert push.push_served(served.service.pk) == []
    assert len(sms_outbox) == 1


def test_a_failed_message_is_recorded_and_retried(decision_served_for_query, sms_outbox, settings):
    served = decision_served_for_query
    settings.SMS_URL = sms.FAILING_SIMULATOR
    failed = push._attempt(
        served.case.pk, served.issued.pk, PARTY, push.Contact(PushChannel.SMS, PHONE), "提示"
    )
    assert failed.status == PushStatus.FAILED and failed.error
    # Still failing: the retry is a second failed row pointing to the first.
    assert push.retry_pushes() == {"sent": 0, "failed": 1}
    second = PushNotice.objects.get(retry_of=failed)
    assert (second.status, second.attempt) == (PushStatus.FAILED, 2)
    settings.SMS_URL = sms.SIMULATOR
    assert push.retry_pushes() == {"sent": 1, "failed": 0}
    third = PushNotice.objects.get(retry_of=second)
    assert (third.status, third.attempt, third.text) == (PushStatus.SENT, 3, "提示")
    assert sms_outbox[-1].text == "提示"
    assert push.retry_pushes() == {"sent": 0, "failed": 0}  # nothing left to retry
    outcomes = AuditEvent.objects.filter(action=QueryEvents.PUSH, details__to=PHONE)
    assert [e.details["status"] for e in outcomes.order_by("seq")] == [
        "sent",
        "failed",
        "failed",
        "sent",
    ]


def test_retries_stop_after_the_last_attempt(decision_served_for_query, settings):
    served = decision_served_for_query
    settings.SMS_URL = sms.FAILING_SIMULATOR
    push._attempt(
        served.case.pk, served.issued.pk, PARTY, push.Contact(PushChannel.SMS, PHONE), "提示"
    )
    for _ in range(push.MAX_ATTEMPTS + 2):
        push.retry_pushes()
    failed = PushNotice.objects.filter(case=served.case, status=PushStatus.FAILED)
    assert failed.count() == push.MAX_ATTEMPTS


def test_a_push_notice_is_write_once(decision_served_for_query):
    notice = PushNotice.objects.filter(case=decision_served_for_query.case).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        PushNotice.objects.filter(pk=notice.pk).update(status=PushStatus.FAILED)
    with pytest.raises(DatabaseError), transaction.atomic():
        PushNotice.objects.filter(pk=notice.pk).delete()


def test_the_retry_job_is_scheduled():
    from liuhen.web.management.commands.scheduler import JOBS

    assert any(job.task == "liuhen.delivery.tasks.retry_pushes" for job in JOBS)


def test_the_sms_simulator_is_a_deployment_warning(settings):
    assert [m.id for m in system_checks.sms_simulator()] == ["liuhen.W032"]
    settings.SMS_URL = "https://sms.example.cn/send"
    assert system_checks.sms_simulator() == []

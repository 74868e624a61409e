"""Push notices to the party (R19.1): when a document is served on a party, a text message
to the party's telephone and an e-mail to the address the party gave say that the document
exists, the deadlines now running against the party, and where to query and download it
with the query code printed on the document.

A push is a notice, never service (regulation Art. 10(四); 行政处罚法 Art. 61): the text
says so, and no service record is made from it. It is sent after the serving action's
transaction commits; each attempt is a write-once :class:`PushNotice` (channel, address,
text and its digest, result) and an audit event. The task ``retry_pushes`` tries a failed
attempt again, up to ``MAX_ATTEMPTS``, each retry a new row pointing to the one it retries.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from liuhen.cases.models import Case
from liuhen.core import audit
from liuhen.delivery.actions import query
from liuhen.delivery.actions.query_codes import party_of, query_url
from liuhen.delivery.events import QueryEvents
from liuhen.delivery.models import (
    PushChannel,
    PushNotice,
    PushStatus,
    ServiceConsent,
    ServiceRecord,
)
from liuhen.delivery.push import sms
from liuhen.documents.models import IssuedDocument

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Printed into every text: what the message is, and what it is not.
NOT_SERVICE = "本消息仅为提示，不是文书送达，也不产生送达效力；文书以依法送达的为准。"


@dataclass(frozen=True)
class Contact:
    channel: str
    to: str


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _deadline_lines(case: Case) -> str:
    open_ones = [d for d in query._deadlines(case) if d.met_on is None]
    return "".join(f"{d.label}：{d.due:%Y年%m月%d日}前。" for d in open_ones)


def notice_text(issued: IssuedDocument, party_name: str) -> str:
    """The text of the notice for ``issued`` (Chinese data, whatever the language of the
    request: it goes to the party)."""
    case = issued.case
    bureau = case.unit.bureau.name
    number = f"（{issued.number}）" if issued.number else ""
    return (
        f"【{bureau}】{party_name}：案件{case.number}有向您送达的文书《{issued.title}》{number}。"
        f"{_deadline_lines(case)}"
        f"您可在{query_url()}凭案件编号和文书上所印的查询码查询案件进度、期限并下载文书。"
        f"{NOT_SERVICE}"
    )


def contacts(case: Case, issued: IssuedDocument) -> tuple[str, list[Contact]]:
    """The party a served document is for, and where the party can be told: the telephone
    of the party's subject record, the e-mail the party gave for service."""
    party_name, subject = party_of(case, dict(issued.data))
    if not party_name:
        return "", []
    found: list[Contact] = []
    if subject is not None and subject.phone.strip():
        found.append(Contact(PushChannel.SMS, subject.phone.strip()))
    consent = (
        ServiceConsent.objects.filter(case=case, party_name=party_name)
        .exclude(email="")
        .order_by("-consented_on", "-id")
        .first()
    )
    if consent is not None:
        found.append(Contact(PushChannel.EMAIL, consent.email))
    return party_name, found


def _deliver(channel: str, to: str, text: str) -> str:
    """Hand the text over; "" when it was taken, else why not."""
    try:
        if channel == PushChannel.SMS:
            sms.gateway().send(to, text)
        else:
            send_mail("案件文书提示（非送达）", text, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception as error:  # any failure of the channel is recorded and retried
        logger.warning("push %s to %s failed: %s", channel, to, error)
        return str(error)[:300] or type(error).__name__
    return ""


def _attempt(
    case_id: int,
    issued_id: int | None,
    party_name: str,
    contact: Contact,
    text: str,
    *,
    retry_of: PushNotice | None = None,
) -> PushNotice:
    error = _deliver(contact.channel, contact.to, text)
    with transaction.atomic(durable=True):
        notice = PushNotice.objects.create(
            case_id=case_id,
            issued_id=issued_id,
            party_name=party_name,
            channel=contact.channel,
            to=contact.to,
            text=text,
            text_sha256=_digest(text),
            status=PushStatus.FAILED if error else PushStatus.SENT,
            error=error,
            retry_of=retry_of,
            attempt=retry_of.attempt + 1 if retry_of is not None else 1,
        )
        audit.record(
            QueryEvents.PUSH,
            actor=audit.SYSTEM,
            obj=notice,
            case_id=case_id,
            details={
                "channel": contact.channel,
                "to": contact.to,
                "sha256": notice.text_sha256,
                "status": notice.status,
                "attempt": notice.attempt,
                **({"issued": issued_id} if issued_id else {}),
                **({"error": error} if error else {}),
            },
        )
    return notice


def push_served(service_id: int) -> list[PushNotice]:
    """Tell the party a document was served on them (after the service's commit)."""
    service = ServiceRecord.objects.select_related("issued", "case__unit__bureau").get(
        pk=service_id
    )
    if service.served_on is None:
        return []  # not served (a post returned): nothing to tell
    issued, case = service.issued, service.case
    if PushNotice.objects.filter(issued=issued).exists():
        return []  # told once per document: a second service of it says nothing new
    party_name, found = contacts(case, issued)
    if not found:
        return []
    text = notice_text(issued, party_name)
    return [_attempt(case.pk, issued.pk, party_name, contact, text) for contact in found]


def after_service(service: ServiceRecord) -> None:
    """Called inside the serving transaction: push once it has committed."""
    service_id = service.pk
    transaction.on_commit(lambda: _push_quietly(service_id))


def _push_quietly(service_id: int) -> None:
    # The service stands whatever the push does: a failure is logged, the task retries.
    try:
        push_served(service_id)
    except Exception:
        logger.exception("push after service %s failed", service_id)


def retry_pushes() -> dict[str, int]:
    """Try every failed attempt again that nobody retried yet, up to ``MAX_ATTEMPTS``; an
    archived case is left alone (R18.1)."""
    waiting = (
        PushNotice.objects.filter(
            status=PushStatus.FAILED,
            retried_by__isnull=True,
            attempt__lt=MAX_ATTEMPTS,
        )
        .filter(Q(case__archived_at__isnull=True))
        .order_by("sent_at", "id")
    )
    sent = failed = 0
    for old in waiting:
        again = _attempt(
            old.case_id,
            old.issued_id,
            old.party_name,
            Contact(old.channel, old.to),
            old.text,
            retry_of=old,
        )
        if again.status == PushStatus.SENT:
            sent += 1
        else:
            failed += 1
    return {"sent": sent, "failed": failed}

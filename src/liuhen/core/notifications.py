"""In-app notifications, with a copy by e-mail (Django's e-mail backend).

:func:`notify` delivers a message to one person once per ``dedupe_key``: a reminder job
that runs twice (a second scheduler, a retry) does not notify twice. Reading is one's own
business: each person sees and marks only their own notifications.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from liuhen.core.models import Notification

logger = logging.getLogger(__name__)


def notify(
    recipient: Any,
    text: str,
    *,
    link: str = "",
    dedupe_key: str = "",
    subject: str = "",
    body: str = "",
    email: bool = True,
) -> Notification | None:
    """Notify ``recipient``; None when ``dedupe_key`` was already delivered to them.

    The e-mail goes out after the notification is stored; a mail server that is down
    is logged and the in-app notification stays (its ``emailed`` flag tells).
    """
    if (
        dedupe_key
        and Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists()
    ):
        return None
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                recipient=recipient, text=text[:500], link=link[:300], dedupe_key=dedupe_key
            )
    except IntegrityError:
        return None  # delivered at the same moment by another run
    address = getattr(recipient, "email", "")
    if email and address:
        try:
            send_mail(
                subject or text[:80],
                body or text,
                settings.DEFAULT_FROM_EMAIL,
                [address],
            )
        except Exception:
            logger.exception(
                "notification %s: e-mail to recipient %s failed", note.pk, recipient.pk
            )
        else:
            note.emailed = True
            note.save(update_fields=["emailed"])
    return note


def for_user(user: Any) -> models.QuerySet[Notification]:
    """``user``'s own notifications, newest first."""
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return for_user(user).filter(read_at__isnull=True).count()


def mark_read(user: Any, ids: list[int] | None = None) -> int:
    """Mark ``user``'s notifications (all, or those in ``ids``) read; how many changed."""
    unread = for_user(user).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())

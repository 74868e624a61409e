"""Deadline reminders 到期提醒: the officers of a clock due soon or overdue are notified
once a day, and the heads of its unit when it is overdue. The task only calls this."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liuhen.accounts.models import Role, User
from liuhen.cases import deadlines
from liuhen.cases.deadlines import Clock, Status
from liuhen.core import notifications
from liuhen.deadlines import lists


def _about(clock: Clock) -> str:
    if clock.case is not None:
        return str(clock.case.number)
    summary = clock.lead.summary[:30] if clock.lead is not None else ""
    return _("Lead “%(summary)s”") % {"summary": summary}


def _reminder_text(clock: Clock) -> str:
    number = _about(clock)
    if clock.status == Status.OVERDUE:
        return _("%(case)s: %(clock)s was due on %(due)s and is overdue (%(citation)s).") % {
            "case": number,
            "clock": clock.label,
            "due": clock.due.isoformat(),
            "citation": clock.citation,
        }
    return _("%(case)s: %(clock)s is due on %(due)s (%(citation)s).") % {
        "case": number,
        "clock": clock.label,
        "due": clock.due.isoformat(),
        "citation": clock.citation,
    }


def _unit_heads() -> dict[int, list[User]]:
    heads: dict[int, list[User]] = defaultdict(list)
    found = User.objects.filter(
        is_active=True, unit__isnull=False, role_grants__role=Role.UNIT_HEAD
    ).distinct()
    for head in found:
        heads[head.unit_id].append(head)  # type: ignore[index]
    return heads


def send_reminders(*, today: dt.date | None = None) -> int:
    """Notify, once per clock and day, the officers of every clock due soon or overdue;
    for an overdue clock also the heads of the case's unit. Returns notifications sent.

    Run by the system (the scheduler's task), for nobody in particular: it takes no actor
    and checks no permission. Each notification is stored in its own transaction
    (``notifications.notify``), not in one for the run: a run sends e-mail, and one
    recipient's failure must not take back the reminders of the others.
    Messages are written in the bureau's language.
    """
    today = today or timezone.localdate()
    officers = Prefetch("officers", queryset=User.objects.filter(is_active=True))
    cases = lists.open_cases().prefetch_related(officers)
    leads = lists.checking_leads().select_related("unit", "recorded_by")
    clocks = [
        c
        for c in lists.with_leads(deadlines.open_clocks(cases, today=today), leads, today)
        if c.status in (Status.DUE_SOON, Status.OVERDUE)
    ]
    if not clocks:
        return 0
    heads = _unit_heads()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for clock in clocks:
            if clock.case is not None:
                recipients = {u.pk: u for u in clock.case.officers.all()}
                unit_id = clock.case.unit_id
                link = reverse("cases:detail", args=[clock.case_id]) + "#section-deadlines"
            else:
                assert clock.lead is not None  # a clock belongs to a case or to a lead
                recorder = clock.lead.recorded_by
                recipients = {recorder.pk: recorder} if recorder.is_active else {}
                unit_id = clock.lead.unit_id
                link = reverse("cases:lead_detail", args=[clock.lead.pk])
            if clock.status == Status.OVERDUE:
                recipients.update({u.pk: u for u in heads.get(unit_id, [])})
            text = _reminder_text(clock)
            for recipient in recipients.values():
                note = notifications.notify(
                    recipient,
                    text,
                    link=link,
                    dedupe_key=f"deadline:{clock.key}:{today.isoformat()}",
                    subject=_("Deadline reminder: %(case)s") % {"case": _about(clock)},
                )
                sent += note is not None
    return sent

"""Notices of AV disposal (R18.4): the agency heads hear of a request, the custodian who
asked hears of the decision. Sent after the transaction commits, in the bureau's language.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from liuhen.accounts.models import Role, User
from liuhen.core import notifications
from liuhen.media.models import DisposalRequest


def _agency_heads() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role_grants__role=Role.AGENCY_HEAD).distinct()


def notify_heads(request_id: int, count: int, requester_id: int) -> None:
    link = reverse("media:disposal_request", args=[request_id])
    with translation.override(settings.LANGUAGE_CODE):
        text = _("AV disposal request no. %(number)s (%(count)s records) awaits your decision.") % {
            "number": request_id,
            "count": count,
        }
        for head in _agency_heads().exclude(pk=requester_id):
            notifications.notify(
                head, text, link=link, dedupe_key=f"av-disposal:{request_id}:asked"
            )


def notify_requester(request_id: int, approved: bool) -> None:
    asked = DisposalRequest.objects.select_related("requested_by").get(pk=request_id)
    if not asked.requested_by.is_active:
        return
    with translation.override(settings.LANGUAGE_CODE):
        if approved:
            text = _(
                "AV disposal request no. %(number)s was approved; the records are disposed of."
            )
        else:
            text = _("AV disposal request no. %(number)s was rejected.")
        notifications.notify(
            asked.requested_by,
            text % {"number": request_id},
            link=reverse("media:disposal_request", args=[request_id]),
            dedupe_key=f"av-disposal:{request_id}:decided",
        )

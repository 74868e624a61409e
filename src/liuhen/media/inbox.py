"""我的待办 of the AV side: disposal requests awaiting the agency head's decision (R18.4)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.core import access
from liuhen.core.inbox import Task
from liuhen.media.models import DisposalRequest
from liuhen.media.perms import MediaPerms


def disposals_to_decide(user: Any) -> list[Task]:
    if not access.can(user, MediaPerms.DISPOSE_DECIDE):
        return []
    waiting = DisposalRequest.objects.filter(decision__isnull=True).order_by("requested_at", "id")
    return [
        Task(
            kind=_("AV disposal"),
            label=_("Decide on disposal request no. %(number)s") % {"number": item.pk},
            link=reverse("media:disposal_request", args=[item.pk]),
            subject=f"{timezone.localtime(item.requested_at):%Y-%m-%d}",
        )
        for item in waiting
    ]


PROVIDERS = {"av_disposals": disposals_to_decide}

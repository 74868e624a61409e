"""我的待办 of the archives: case file destruction requests awaiting the agency head (R18.4)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.archives.models import DestructionRequest
from liuhen.archives.perms import ArchiveDisposalPerms
from liuhen.core import access
from liuhen.core.inbox import Task


def destructions_to_decide(user: Any) -> list[Task]:
    if not access.can(user, ArchiveDisposalPerms.DESTROY_DECIDE):
        return []
    waiting = (
        DestructionRequest.objects.filter(decision__isnull=True)
        .exclude(requested_by=user)
        .order_by("requested_at", "id")
    )
    return [
        Task(
            kind=_("Case file destruction"),
            label=_("Decide on case file destruction request no. %(number)s") % {"number": item.pk},
            link=reverse("archives:destruction_request", args=[item.pk]),
            subject=f"{timezone.localtime(item.requested_at):%Y-%m-%d}",
        )
        for item in waiting
    ]


PROVIDERS = {"case_file_destructions": destructions_to_decide}

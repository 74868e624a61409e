"""我的待办 of 调阅: the retrieval requests waiting for the person who decides them (R21.1)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Role
from liuhen.core.inbox import Task
from liuhen.retrieval.models import RetrievalRequest


def requests_to_decide(user: Any) -> list[Task]:
    if user.is_admin_role or not user.has_role(Role.UNIT_HEAD, Role.AGENCY_HEAD):
        return []
    waiting = RetrievalRequest.objects.filter(grant__isnull=True, refusal__isnull=True).exclude(
        requested_by=user
    )
    if not user.has_role(Role.AGENCY_HEAD):
        waiting = waiting.filter(owning_unit_id=user.unit_id, needs_agency_head=False)
    return [
        Task(
            kind=_("Retrieval request"),
            label=_("Decide retrieval request %(number)s") % {"number": filed.number},
            link=reverse("retrieval:detail", args=[filed.pk]),
            subject=filed.number,
        )
        for filed in waiting.order_by("requested_at", "id")
    ]


PROVIDERS = {"retrieval_requests": requests_to_decide}

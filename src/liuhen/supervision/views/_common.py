"""What the supervision pages of findings, rectification, accountability and guidance share."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from liuhen.accounts.models import Unit, User
from liuhen.core import access

# The page that shows each kind of evidence a finding links to.
EVIDENCE_PAGES = {
    "cases.case": "cases:detail",
    "activities.activity": "activities:detail",
    "devices.device": "devices:detail",
    "media.avrecord": "media:record",
}


def acting_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def evidence_links(items: list[dict[str, Any]]) -> list[dict[str, str]]:
    links = []
    for item in items:
        url = ""
        name = EVIDENCE_PAGES.get(str(item.get("object_type", "")))
        if name:
            try:
                url = reverse(name, args=[item.get("object_id")])
            except NoReverseMatch:
                url = ""
        links.append({"label": str(item.get("label", "")), "url": url})
    return links


def units_for(user: User) -> QuerySet[Unit]:
    return access.visible(user, Unit.objects.filter(active=True).order_by("name"))

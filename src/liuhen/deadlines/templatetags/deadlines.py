"""``{% load deadlines %}{% notification_badge %}``: the navbar bell with the unread count."""

from __future__ import annotations

from typing import Any

from django import template

from liuhen.core import notifications

register = template.Library()


@register.inclusion_tag("deadlines/_badge.html", takes_context=True)
def notification_badge(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": notifications.unread_count(user)}

"""Template tags every app's pages use: ``{% load liuhen %}``.

- ``{% may "case.change" case as allowed %}``: whether the viewer may (to hide buttons;
  the actions still check);
- ``fen|yuan``: an amount kept in fen, shown in yuan;
- ``role|role_label``: a role code in words;
- ``article|basis``: a requirement id or article number as "依据：制度第九条".
- ``{% task_badge %}``: the navbar's 我的待办 with the count of what waits.
"""

from __future__ import annotations

from typing import Any

from django import template

from liuhen.accounts.models import Role
from liuhen.core import access
from liuhen.core import basis as bases
from liuhen.web.inbox import gathered

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: template.Context, action: str, obj: Any = None) -> bool:
    """Whether the viewer may do ``action`` (to hide buttons; the actions still check)."""
    request = context.get("request")
    return request is not None and access.can(request.user, action, obj)


@register.filter
def yuan(fen: int | None) -> str:
    """Amounts are kept in fen; shown in yuan."""
    return f"¥{(fen or 0) / 100:,.2f}"


@register.filter
def role_label(role: str) -> str:
    return str(dict(Role.choices).get(role, role))


@register.filter
def basis(reference: str) -> str:
    """What a finding rests on, in words ("R9.2" → "依据：制度第九条"); never the id itself."""
    return bases.basis(reference)


@register.inclusion_tag("web/_task_badge.html", takes_context=True)
def task_badge(context: template.Context) -> dict[str, Any]:
    """The count is asked by htmx after the page has loaded (the inbox asks every app:
    no page waits for it), unless the page has gathered the tasks already."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"show": False}
    known = gathered(request)
    return {"show": True, "count": None if known is None else len(known)}

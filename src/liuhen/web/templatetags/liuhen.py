"""Template tags every app's pages use: ``{% load liuhen %}``.

- ``{% may "case.change" case as allowed %}``: whether the viewer may (to hide buttons;
  the actions still check);
- ``fen|yuan``: an amount kept in fen, shown in yuan;
- ``role|role_label``: a role code in words;
- ``article|basis``: a requirement id or article number as "依据：制度第九条".
"""

from __future__ import annotations

from typing import Any

from django import template

from liuhen.accounts.models import Role
from liuhen.core import access
from liuhen.core import basis as bases

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

"""The access idiom: the one way to ask "may this user do this to that?" and to fetch.

Deny by default. Each app declares its permission codes (``<app>/perms.py``) and its
rules and scopes (``<app>/policy.py``) and registers them in ``ready()``; a permission
without a rule is denied, and a code nobody declared is a programming error.

Fetching a domain object always goes through :func:`get_visible_or_404`: an object the
user may not see answers **404** — its existence is not revealed — and the attempt is
audited as denied; an object the user sees but may not act on answers **403** (audited
too). Lists go through :func:`visible`, so nothing a user may not open shows up in any
list, count, search, export or API response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404

from liuhen.core import audit, registry
from liuhen.core.models import ActorType, Outcome

if TYPE_CHECKING:
    from django.http import HttpRequest

M = TypeVar("M", bound=models.Model)


class AccessDenied(PermissionDenied):
    def __init__(self, action: str, obj: Any = None) -> None:
        super().__init__(action)
        self.action = action
        # What was refused, when known: the 403 page offers to ask for it (调阅申请).
        self.obj = obj


class UnknownPermission(LookupError):
    """A permission code no app declared: a typo or a forgotten ``perms.py`` entry."""


class NotVisible(Http404):
    """The object is not there for this user (it may not exist at all)."""


def _declared(action: str) -> str:
    if action not in registry.permissions:
        raise UnknownPermission(f"permission {action!r} is not declared in any app's perms.py")
    return action


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_system(actor: Any) -> bool:
    """The server itself acting (a management command run by the operator on the host)."""
    return isinstance(actor, audit.Actor) and actor.type == ActorType.SYSTEM


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May ``user`` do ``action`` (to ``obj``)? No rule, or an inactive user: no."""
    check_rule = registry.access_rules.get(_declared(action))
    if check_rule is None or not _active(user):
        return False
    return bool(check_rule(user, obj)) or granted(user, action, obj) is not None


def granted(user: Any, action: str, obj: Any) -> Any:
    """The live grant (调阅, R21.1) that lets ``user`` do ``action`` to ``obj``, or None.

    Asked at each use, never cached: a grant that expired or was revoked a moment ago
    allows nothing.
    """
    if not isinstance(obj, models.Model) or not _active(user):
        return None
    for grants in registry.access_grants.values():
        found = grants(user, action, obj)
        if found is not None:
            return found
    return None


def used_grant(user: Any, action: str, obj: Any) -> dict[str, str]:
    """What an audited read records of the grant it relies on: ``{"grant": number}`` when
    only a grant (调阅, R21.1) lets ``user`` do ``action`` to ``obj``; else nothing."""
    found = granted(user, _declared(action), obj)
    if found is None:
        return {}
    check_rule = registry.access_rules.get(action)
    if check_rule is not None and check_rule(user, obj):
        return {}  # the policy allows it by itself: the grant is not what is used
    return {"grant": str(found)}


def require(user: Any, action: str, obj: Any = None, *, request: HttpRequest | None = None) -> None:
    """Raise :class:`AccessDenied` unless allowed; a denial is audited (R1.1, R23.1).

    The system actor passes: commands run with the operator's authority on the server.
    Any other actor — a device, an anonymous request — needs a rule that allows it.
    """
    if is_system(user) or can(user, action, obj):
        return
    _record_denial(user, action, request, obj=obj if isinstance(obj, models.Model) else None)
    raise AccessDenied(action, obj)


def visible(user: Any, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """``queryset`` narrowed to what ``user`` may see; no scope registered → nothing."""
    narrow = registry.access_scopes.get(queryset.model._meta.label_lower)
    if narrow is None or not _active(user):
        return queryset.none()
    return narrow(user, queryset)


def get_visible_or_404(
    user: Any,
    queryset_or_model: models.QuerySet[M] | type[M],
    *,
    action: str,
    request: HttpRequest | None = None,
    **lookup: Any,
) -> M:
    """The one object ``lookup`` finds among what ``user`` may see, allowed ``action``.

    Not visible (or not there): :class:`NotVisible` (404), the attempt audited as a denial
    of ``action``. Visible but ``action`` not allowed: :class:`AccessDenied` (403), audited.
    """
    queryset = (
        queryset_or_model
        if isinstance(queryset_or_model, models.QuerySet)
        else queryset_or_model._default_manager.all()
    )
    _declared(action)
    found = visible(user, queryset).filter(**lookup).first() if _active(user) else None
    if found is None and _active(user) and len(registry.access_grants):
        found = _granted_object(user, queryset, action, lookup)
    if found is None:
        _record_denial(
            user,
            action,
            request,
            object_type=queryset.model._meta.label_lower,
            object_id=_lookup_id(lookup),
            case_id=_case_of_hidden(queryset.model, lookup),
        )
        raise NotVisible(action)
    require(user, action, found, request=request)
    return found


def _granted_object(
    user: Any, queryset: models.QuerySet[M], action: str, lookup: dict[str, Any]
) -> M | None:
    """The object out of the user's scope that a live grant lets them open (调阅)."""
    try:
        candidate = queryset.filter(**lookup).first()
    except (ValueError, TypeError, ValidationError):  # a lookup value that is no key
        return None
    if candidate is None or granted(user, action, candidate) is None:
        return None
    return candidate


def _lookup_id(lookup: dict[str, Any]) -> str:
    for key in ("pk", "id"):
        if key in lookup:
            return str(lookup[key])[:64]
    return ",".join(f"{key}={value}" for key, value in sorted(lookup.items()))[:64]


def _case_of_hidden(model: type[models.Model], lookup: dict[str, Any]) -> int | None:
    """The case a record hidden from the asker belongs to, so that the denied attempt
    shows in that case's trail (R1.1); never shown to the asker."""
    if model._meta.label_lower == "cases.case":
        column = "pk"
    elif any(field.name == "case" for field in model._meta.concrete_fields):
        column = "case_id"
    else:
        return None
    try:
        found = model._default_manager.filter(**lookup).values_list(column, flat=True).first()
    except (ValueError, TypeError, ValidationError):  # a lookup value that is no key
        return None
    return int(found) if found is not None else None


def _record_denial(
    user: Any,
    action: str,
    request: HttpRequest | None,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    case_id: int | None = None,
) -> None:
    # Its own transaction: the caller's, if any, is about to roll back.
    with transaction.atomic():
        audit.record(
            action,
            actor=_who_asked(user, request),
            request=request,
            obj=obj,
            object_type=object_type,
            object_id=object_id,
            case_id=case_id,
            outcome=Outcome.DENIED,
        )


def _who_asked(user: Any, request: HttpRequest | None) -> Any:
    """The actor to record: a user (even a disabled one), a device, or anonymous."""
    if user is not None and not isinstance(user, AnonymousUser):
        return user
    # The request knows more (a device token authenticates the request, not a user).
    return None if request is not None else AnonymousUser()

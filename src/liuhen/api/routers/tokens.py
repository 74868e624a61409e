"""API tokens: list, create (the token is shown once), revoke."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from liuhen.accounts.models import User
from liuhen.api import actions
from liuhen.api.auth import caller
from liuhen.api.models import ApiToken
from liuhen.api.pagination import Pagination
from liuhen.api.perms import TokenPerms
from liuhen.api.schemas import ERRORS, ERRORS_404
from liuhen.core import access

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="first characters of the token, to tell tokens apart")
    owner: str | None = Field(description="username of the owning account")
    device_serial: str | None
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @staticmethod
    def resolve_owner(token: ApiToken) -> str | None:
        return token.user.get_username() if token.user is not None else None

    @staticmethod
    def resolve_device_serial(token: ApiToken) -> str | None:
        return token.device_serial or None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="the token itself; shown this once and never again")


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    device_serial: str | None = Field(
        None,
        max_length=64,
        description="make a token for a enrolled collection station or terminal "
        "(system admin only)",
    )
    expires_at: dt.datetime | None = None


class _Created:
    """The new token row plus, this once, the token itself."""

    def __init__(self, issued: actions.IssuedToken) -> None:
        self._row = issued.token
        self.token = issued.plaintext

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)


def _visible_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    return access.visible(request.user, ApiToken.objects.select_related("user"))


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="List API tokens")
@paginate(Pagination)
def list_tokens(request: HttpRequest) -> QuerySet[Any]:
    return _visible_tokens(request)


@router.post("/tokens", response={201: TokenCreatedOut, **ERRORS}, summary="Create an API token")
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    actor = caller(request)
    issued = actions.create_token(
        actor,
        user=actor if isinstance(actor, User) and not payload.device_serial else None,
        device_serial=payload.device_serial or "",
        name=payload.name,
        expires_at=payload.expires_at,
        request=request,
    )
    return Status(201, _Created(issued))


@router.post(
    "/tokens/{token_id}/revoke",
    response={200: TokenOut, **ERRORS_404},
    summary="Revoke an API token at once",
)
def revoke_token(request: HttpRequest, token_id: int) -> ApiToken:
    token = access.get_visible_or_404(
        request.user,
        ApiToken.objects.select_related("user"),
        action=TokenPerms.REVOKE,
        request=request,
        pk=token_id,
    )
    return actions.revoke_token(caller(request), token, request=request)

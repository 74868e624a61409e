"""GET /me: who the token speaks for."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema

from liuhen.api.schemas import ERRORS, UnitOut

router = Router(tags=["me"])


class MeOut(Schema):
    kind: Literal["user", "device"]
    username: str | None = None
    full_name: str | None = None
    roles: list[str] = []
    unit: UnitOut | None = None
    device_serial: str | None = None
    token_name: str


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The account or device of this token")
def me(request: HttpRequest) -> MeOut:
    token = request.auth  # type: ignore[attr-defined]
    device = getattr(request, "auth_device", None)
    if device is not None:
        return MeOut(kind="device", device_serial=device.serial, token_name=token.name)
    user = request.user
    return MeOut(
        kind="user",
        username=user.get_username(),
        full_name=user.full_name,  # type: ignore[union-attr]
        roles=sorted(user.roles),  # type: ignore[union-attr]
        unit=UnitOut.from_orm(user.unit) if user.unit else None,  # type: ignore[union-attr]
        token_name=token.name,
    )

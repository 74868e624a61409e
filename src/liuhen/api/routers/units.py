"""GET /units: the bureau's units, as far as the access policy shows them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from liuhen.accounts.models import Unit
from liuhen.api.pagination import Pagination
from liuhen.api.schemas import ERRORS, UnitOut
from liuhen.core import access

router = Router(tags=["units"])


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="List units")
@paginate(Pagination)
def list_units(request: HttpRequest) -> QuerySet[Any]:
    return access.visible(request.user, Unit.objects.order_by("id"))

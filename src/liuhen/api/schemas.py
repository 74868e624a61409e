"""Request and response shapes shared by the routers."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class ErrorBody(Schema):
    code: str = Field(description="stable machine-readable code, e.g. not_found")
    message: str = Field(description="for people, in the request's language")
    details: Any = None


class ErrorOut(Schema):
    error: ErrorBody


# The error responses every authenticated endpoint may give, for the OpenAPI document.
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
ERRORS_404: dict[int, type[Schema]] = {**ERRORS, 404: ErrorOut}


class UnitOut(Schema):
    id: int
    name: str
    code: str
    active: bool

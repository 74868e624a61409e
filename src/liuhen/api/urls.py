"""The JSON API at /api/v1/: one router per app, bearer tokens.

The interactive docs page is off: ninja's Swagger UI loads its scripts from a CDN, which
an intranet cannot reach and our CSP forbids. The OpenAPI document is at openapi.json.
"""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from liuhen.api import errors
from liuhen.api.auth import TokenAuth
from liuhen.api.parsing import ObjectParser
from liuhen.api.routers import (
    activities,
    approvals,
    audit,
    cases,
    deadlines,
    devices,
    hearings,
    leads,
    me,
    media,
    records,
    subjects,
    tokens,
    units,
    workflow,
)

# Answers any operation can give before its own code runs (the request's framing, its
# size, a database that is away) or when its input does not validate; the OpenAPI document
# lists them on every operation so that clients and fuzzers know them.
COMMON_ERRORS = {
    400: "Bad request: the body is not a JSON object, a text holds control characters, "
    "or a number is out of range",
    413: "Request body too large",
    422: "Validation error: a path, query or body value does not validate",
    503: "Service unavailable: the database is not reachable; try again shortly",
}


class LiuhenAPI(NinjaAPI):
    """NinjaAPI whose "method not allowed" answers in the uniform JSON error shape too,
    and whose OpenAPI document lists the errors every operation can answer."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                responses = operation.setdefault("responses", {})
                for status, description in COMMON_ERRORS.items():
                    responses.setdefault(status, {"description": description, "content": error})
        return schema

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_405(pattern.callback)
        return patterns


def _json_405(view: Any) -> Any:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            errors.use_client_language(request)
            allow = {"Allow": response["Allow"]} if response.has_header("Allow") else None
            return errors.error_response(
                405, "method_not_allowed", _("Method not allowed."), headers=allow
            )
        return response

    return wrapped


api = LiuhenAPI(
    title="Liuhen API",
    version="1",
    description="留痕 JSON API. Authenticate with 'Authorization: Bearer lh_…'.",
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url=None,
    parser=ObjectParser(),
)
errors.install(api)

for module in (me, units, cases, subjects, activities, deadlines, tokens, audit):
    api.add_router("", module.router)

# Leads, approvals and the workflow steps of a case.
for module in (leads, approvals, workflow):
    api.add_router("", module.router)

# Hearings 听证 and the suspension/resumption of the investigation 中止/恢复调查.
api.add_router("", hearings.router)

# AV devices and their ledger (R13.1).
api.add_router("", devices.router)

# AV records: the register, links, labels and the important mark (R16.1).
api.add_router("", media.router)

# Issued documents, service records and payment notices of a case (R20.1).
api.add_router("", records.router)

api_not_found = errors.not_found_view

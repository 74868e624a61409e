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
    subjects,
    tokens,
    units,
    workflow,
)


class LiuhenAPI(NinjaAPI):
    """NinjaAPI whose "method not allowed" answers in the uniform JSON error shape too."""

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

api_not_found = errors.not_found_view

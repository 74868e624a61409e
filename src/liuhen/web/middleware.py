"""Gives every request an incident id so a 500 page can name the log line behind it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

logger = logging.getLogger("liuhen.incident")


class IncidentIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.incident_id = uuid.uuid4().hex[:12]  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, Http404 | PermissionDenied):
            # An answer, not an incident: the 404 or 403 page; the access idiom has
            # already audited the refusal.
            return
        logger.error(
            "incident %s: %s %s",
            getattr(request, "incident_id", "-"),
            request.method,
            request.path,
            exc_info=exception,
        )


class LanguageMiddleware:
    """zh-hans unless the person chose another language (cookie set by the switch).

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: the
    bureau's screens are Chinese first, whatever the workstation's locale.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response

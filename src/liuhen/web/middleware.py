"""Request-wide concerns of the pages shell: an incident id for every request (a 500 page
names the log line behind it), the language, answers no shared device keeps, and NUL kept
out of every query."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

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


class PrivateAnswersMiddleware:
    """Nothing a signed-in person sees and no API answer is stored by the browser or a proxy.

    Field tablets are shared between officers: a cached case page would show the next
    person (or anyone who picks the tablet up) what the last one was allowed to read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            add_never_cache_headers(response)
        return response


NUL = "\x00"
# A browser's forms; the parsed fields are read again by CSRF and the view, not re-parsed.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _carries_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    if any(NUL in key or NUL in value for key, values in request.GET.lists() for value in values):
        return True
    if request.method == "POST" and request.content_type in FORM_TYPES:
        return any(
            NUL in key or NUL in value for key, values in request.POST.lists() for value in values
        )
    return False


class RefuseNulMiddleware:
    """A request whose path, query or form carries NUL is answered 400 before any view.

    No text kept here may hold NUL, and PostgreSQL refuses it in any query: left to the
    views, a search or a look-up with ``%00`` would be a server error (and is an attack's
    first probe). Pages get a Chinese page, the API its JSON error shape.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _carries_nul(request):
            return self.get_response(request)
        message = _("The request contains a NUL character, which no text here may hold.")
        if request.path.startswith("/api/"):
            body = {"error": {"code": "bad_request", "message": message, "details": None}}
            return JsonResponse(body, status=400)
        return render(request, "web/400.html", {"message": message}, status=400)

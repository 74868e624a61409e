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
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from liuhen.core import out_of_range, outage, text

logger = logging.getLogger("liuhen.incident")


class IncidentIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.incident_id = uuid.uuid4().hex[:12]  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if outage.is_database_outage(exception):
            return database_unavailable(request, exception)
        if out_of_range.is_out_of_range(exception):
            message = str(out_of_range.MESSAGE)
            if request.path.startswith("/api/"):
                body = {"error": {"code": "bad_request", "message": message, "details": None}}
                return JsonResponse(body, status=400)
            return render(request, "web/400.html", {"message": message}, status=400)
        if isinstance(exception, Http404 | PermissionDenied):
            # An answer, not an incident: the 404 or 403 page; the access idiom has
            # already audited the refusal.
            return None
        logger.error(
            "incident %s: %s %s",
            getattr(request, "incident_id", "-"),
            request.method,
            request.path,
            exc_info=exception,
        )
        return None


def database_unavailable(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """503 while the database is away: JSON for the API and tus uploads, a page for the
    rest. The page names no user and reads nothing from the database."""
    logger.warning(
        "incident %s: database unavailable for %s %s: %s",
        getattr(request, "incident_id", "-"),
        request.method,
        request.path,
        exception,
    )
    message = str(outage.MESSAGE)
    if request.path.startswith("/api/"):
        body = {"error": {"code": "service_unavailable", "message": message, "details": None}}
        response: HttpResponse = JsonResponse(
            body, status=503, json_dumps_params={"ensure_ascii": False}
        )
        if request.path.startswith("/api/v1/uploads/"):
            response["Tus-Resumable"] = "1.0.0"
    else:
        # Without the request: its context processors would read the user, from the
        # database that is away.
        page = loader.render_to_string("web/503.html", {"message": message})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(outage.RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


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


# A browser's forms; the parsed fields are read again by CSRF and the view, not re-parsed.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _refused_character(request: HttpRequest) -> str | None:
    values: list[object] = [request.path, list(request.GET.lists())]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        values.append(list(request.POST.lists()))
    return text.refused_in(values)


class RefuseControlCharactersMiddleware:
    """A request whose path, query or form carries a control character (NUL above all) is
    answered 400 before any view.

    No text kept here may hold one (``core.text``), and PostgreSQL refuses NUL in any
    query: left to the views, a search or a look-up with ``%00`` would be a server error
    (and is an attack's first probe). Pages get a Chinese page, the API its JSON error
    shape.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = _refused_character(request)
        if found is None:
            return self.get_response(request)
        message = text.refusal_message(found)
        if request.path.startswith("/api/"):
            body = {"error": {"code": "bad_request", "message": message, "details": None}}
            return JsonResponse(body, status=400)
        return render(request, "web/400.html", {"message": message}, status=400)


TUS_PATH = "/api/v1/uploads/"


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """The 413 answer: a page for people, the JSON error shape for the API."""
    message = _("The request is too large: at most %(size)s MiB may be sent at once.") % {
        "size": f"{limit / 1024**2:g}"
    }
    if request.path.startswith("/api/"):
        body = {"error": {"code": "too_large", "message": message, "details": {"limit": limit}}}
        return JsonResponse(body, status=413)
    context = {"message": message, "status": 413, "heading": _("Request too large")}
    return render(request, "web/400.html", context, status=413)


class RefuseLargeBodiesMiddleware:
    """A body larger than the caller may send is refused by its Content-Length, before
    anything reads it: an anonymous caller cannot make the server read (and spool to
    disk) hundreds of megabytes only to refuse them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(TUS_PATH):
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = (
            settings.MAX_REQUEST_BODY
            if request.user.is_authenticated
            else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)

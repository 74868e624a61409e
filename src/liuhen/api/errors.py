"""One shape for every API error: ``{"error": {"code", "message", "details"}}``.

Clients branch on ``code`` (stable, English) and may show ``message`` (in the request's
language). Handlers are installed on the NinjaAPI, so they cover authentication,
validation, access denials, missing objects and our own failures alike.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from liuhen.api.parsing import BodyRefused
from liuhen.core import out_of_range, outage
from liuhen.core.access import AccessDenied

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("liuhen.incident")

_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_error",
    413: "too_large",
    429: "throttled",
}


class InvalidToken(AuthenticationError):
    """A token was presented but is unknown, revoked, expired or its account disabled."""


def use_client_language(request: HttpRequest) -> None:
    """Honour an API client's explicit Accept-Language (the language cookie still wins).

    The web pages ignore Accept-Language (Chinese first, whatever the workstation says);
    a program that sends the header asks on purpose.
    """
    if "Accept-Language" in request.headers:
        translation.activate(translation.get_language_from_request(request))


def error_response(
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body = {"error": {"code": code, "message": str(message), "details": details}}
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Content-Language"] = translation.get_language()
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    if isinstance(exc, InvalidToken):
        # RFC 6750 §3.1: a presented token that is no good is "invalid_token".
        return error_response(
            401,
            "invalid_token",
            _("The API token is unknown, revoked or expired."),
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return error_response(
        401,
        "unauthenticated",
        _("Authentication required: send an API token as 'Authorization: Bearer …'."),
        headers={"WWW-Authenticate": "Bearer"},
    )


def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    action = exc.action if isinstance(exc, AccessDenied) else None
    return error_response(
        403, "forbidden", _("You are not allowed to do this."), {"action": action}
    )


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, "not_found", _("Not found."))


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(422, "validation_error", _("The request is not valid."), exc.errors)


def _domain_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    # Raised by actions: the messages are already written for the person.
    details: Any = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    message = " ".join(exc.messages) if not hasattr(exc, "error_dict") else _("Invalid input.")
    return error_response(422, "validation_error", message, details)


def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(
        413,
        "too_large",
        _("The request is too large: at most %(size)s MiB may be sent at once.")
        % {"size": f"{limit / 1024**2:g}"},
        {"limit": limit},
    )


def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    headers = {"Retry-After": str(exc.wait)} if exc.wait else None
    return error_response(
        429, "throttled", _("Too many requests; try again later."), {"wait": exc.wait}, headers
    )


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = _CODES.get(exc.status_code, "error")
    if isinstance(exc.__cause__, BodyRefused):  # ninja's own message is English
        return error_response(exc.status_code, code, str(exc.__cause__))
    return error_response(exc.status_code, code, str(exc))


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    if out_of_range.is_out_of_range(exc):
        return error_response(422, "validation_error", str(out_of_range.MESSAGE))
    # Ours, not the client's: log with the incident id the response names.
    incident = getattr(request, "incident_id", "-")
    logger.error("incident %s: %s %s", incident, request.method, request.path, exc_info=exc)
    return error_response(
        500,
        "server_error",
        _("Internal error. Quote incident %(incident)s when you report it.")
        % {"incident": incident},
        {"incident_id": incident},
    )


def _database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    # The database is away: the client may retry; nothing it was told was saved is lost.
    logger.warning(
        "incident %s: database unavailable for %s %s: %s",
        getattr(request, "incident_id", "-"),
        request.method,
        request.path,
        exc,
    )
    return error_response(
        503,
        "service_unavailable",
        str(outage.MESSAGE),
        headers={"Retry-After": str(outage.RETRY_AFTER_SECONDS)},
    )


def install(api: NinjaAPI) -> None:
    # Ninja picks the handler of the nearest class in the exception's MRO.
    handlers: dict[type[Exception], Any] = {
        Exception: _server_error,
        HttpError: _http_error,
        AuthenticationError: _unauthenticated,
        Throttled: _throttled,
        RequestDataTooBig: _too_large,
        ValidationError: _validation,
        DjangoValidationError: _domain_validation,
        PermissionDenied: _forbidden,
        Http404: _not_found,
        ObjectDoesNotExist: _not_found,
        OperationalError: _database_unavailable,
        InterfaceError: _database_unavailable,
    }
    for exc_class, handler in handlers.items():
        api.add_exception_handler(exc_class, handler)


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """For any /api/ path no endpoint matches: JSON, not the HTML 404 page."""
    use_client_language(request)
    return error_response(404, "not_found", _("No such API endpoint."))

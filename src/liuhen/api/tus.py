"""The tus 1.0.0 resumable upload endpoint at ``/api/v1/uploads/`` (docs/uploads.md).

Extensions: creation, termination, checksum (sha1, sha256) and expiration. Plain Django
views, not the ninja API: a PATCH body is streamed from the WSGI input straight into the
partial file (the actions of ``media/actions/uploads.py`` do the work, with
``media/ingest/uploads.py``), never read into memory.

Who may upload: a person allowed ``media.upload`` — signed in to the pages (then the
CSRF token must come in the ``X-CSRFToken`` header, as the upload page's tus-js-client
sends it) or with a personal API token — or a collection station / enforcement terminal
with its device token (the record then names it as the uploader). Only the upload's
creator may touch it afterwards; anybody else is answered 404, as for an unknown upload.
A finished upload is an AV record: DELETE is refused (403) and audited (R14.1). Every
response carries ``Tus-Resumable: 1.0.0``; a finished upload's responses also carry
``Liuhen-Record: /media/<id>/``, the record's page, and ``Liuhen-Captured-At``, its
capture time (ISO 8601; the time written inside the file wins over the one given), with
``Liuhen-Capture-Disagrees: 1`` when the time given lies beyond the tolerance from it.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import get_script_prefix, reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from liuhen.accounts.middleware import SessionSecurityMiddleware
from liuhen.api.auth import TokenAuth
from liuhen.api.errors import InvalidToken, error_response, use_client_language
from liuhen.api.tokens import device_for_token
from liuhen.core.access import AccessDenied
from liuhen.core.blobs import BlobError
from liuhen.media.actions import uploads as upload_actions
from liuhen.media.ingest import capture, uploads
from liuhen.media.ingest.fields import Uploader
from liuhen.media.ingest.uploads import TusError

if TYPE_CHECKING:
    from liuhen.media.models import AvRecord, TusUpload

logger = logging.getLogger(__name__)

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,termination,checksum,expiration"
OFFSET_TYPE = "application/offset+octet-stream"
_DIGITS = re.compile(r"^[0-9]{1,20}$")
_SAFE = ("GET", "HEAD", "OPTIONS", "TRACE")


# --- responses ------------------------------------------------------------------------------


def _tus(response: HttpResponse, headers: dict[str, str] | None = None) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _empty(status: int, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(status=status)
    del response["Content-Type"]
    return _tus(response, headers)


def _error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    if request.method == "HEAD":  # a HEAD answer has no body
        return _empty(status, headers)
    return _tus(error_response(status, code, message, details), headers)


def _options() -> HttpResponse:
    return _empty(
        204,
        {
            "Tus-Version": TUS_VERSION,
            "Tus-Extension": EXTENSIONS,
            "Tus-Max-Size": str(settings.TUS_MAX_SIZE),
            "Tus-Checksum-Algorithm": ",".join(uploads.CHECKSUMS),
        },
    )


def record_url(record: AvRecord) -> str:
    """The record's page, for the ``Liuhen-Record`` header."""
    return f"{get_script_prefix()}media/{record.pk}/"


def capture_headers(record: AvRecord) -> dict[str, str]:
    """The record's capture time for the upload page, and whether the time given at
    upload disagrees with it (the page warns)."""
    if record.captured_at is None:
        return {}
    headers = {"Liuhen-Captured-At": record.captured_at.isoformat()}
    if capture.record_disagreement(record):
        headers["Liuhen-Capture-Disagrees"] = "1"
    return headers


def _state_headers(upload: TusUpload, offset: int) -> dict[str, str]:
    headers = {"Upload-Offset": str(offset), "Upload-Length": str(upload.length)}
    if upload.record is not None:
        headers["Liuhen-Record"] = record_url(upload.record)
        headers.update(capture_headers(upload.record))
    else:
        headers["Upload-Expires"] = http_date(upload.expires_at.timestamp())
    return headers


# --- requests -------------------------------------------------------------------------------


def _method(request: HttpRequest) -> str:
    """The method, honouring X-HTTP-Method-Override on POST (tus core, for clients
    behind proxies that do not pass PATCH or DELETE)."""
    method = str(request.method or "").upper()
    override = request.headers.get("X-HTTP-Method-Override", "").strip().upper()
    if method == "POST" and override in ("PATCH", "DELETE", "HEAD"):
        return override
    return method


def _check_version(request: HttpRequest) -> None:
    if request.headers.get("Tus-Resumable", "").strip() != TUS_VERSION:
        raise TusError(
            412,
            "unsupported_version",
            _("This server speaks tus %(version)s (the Tus-Resumable header).")
            % {"version": TUS_VERSION},
            {"Tus-Version": TUS_VERSION},
        )


def _number(request: HttpRequest, header: str) -> int:
    value = request.headers.get(header, "").strip()
    if not _DIGITS.match(value):
        raise TusError(
            400,
            "bad_header",
            _("The %(header)s header must be a whole number of bytes.") % {"header": header},
        )
    return int(value)


def _checksum(request: HttpRequest) -> tuple[str, bytes] | None:
    header = request.headers.get("Upload-Checksum", "").strip()
    if not header:
        return None
    algorithm, _sep, encoded = header.partition(" ")
    algorithm = algorithm.strip().lower()
    if algorithm not in uploads.CHECKSUMS:
        raise TusError(
            400,
            "unsupported_checksum",
            _("Checksum algorithm %(name)s is not supported; use sha1 or sha256.")
            % {"name": algorithm},
        )
    try:
        expected = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        expected = b""
    if len(expected) != uploads.CHECKSUMS[algorithm]().digest_size:
        raise TusError(400, "bad_checksum", _("The Upload-Checksum header is not well formed."))
    return algorithm, expected


def _session_refused(request: HttpRequest) -> bool:
    """The pages' session rules (idle timeout, lifetime, 2FA, password change) hold here
    too: /api/ is exempt from that middleware because it expects tokens."""
    checker = SessionSecurityMiddleware(lambda _request: HttpResponse())
    return checker._check(request, request.path_info) is not None


def _protected_view(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    return HttpResponse()


def _csrf_refused(request: HttpRequest) -> bool:
    """Django's own CSRF check, as for a view that is not exempt (session requests)."""
    checker = CsrfViewMiddleware(_protected_view)
    return checker.process_view(request, _protected_view, (), {}) is not None


def _actor(request: HttpRequest) -> Uploader:
    """Who is asking: a token's person or device, else the signed-in person."""
    header = request.headers.get("Authorization", "").strip()
    if header:
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise TusError(
                401,
                "unauthenticated",
                _("Authentication required: send an API token as 'Authorization: Bearer …'."),
                {"WWW-Authenticate": "Bearer"},
            )
        use_client_language(request)
        found = TokenAuth().authenticate(request, token.strip())
        if not found.is_device and found.user is not None:
            return found.user
        device = device_for_token(found)
        if device is None:  # a token for a serial no longer enrolled
            upload_actions.refuse_unenrolled_device(found.device_serial, request=request)
        return device
    user = request.user
    if not user.is_authenticated:
        raise TusError(
            401,
            "unauthenticated",
            _("Sign in, or send an API token as 'Authorization: Bearer …'."),
            {"WWW-Authenticate": "Bearer"},
        )
    if _session_refused(request):
        raise TusError(401, "session_ended", _("Your session has ended. Sign in again."))
    if request.method not in _SAFE and _csrf_refused(request):
        raise TusError(
            403,
            "csrf_failed",
            _("The request did not carry the page's CSRF token (X-CSRFToken header)."),
        )
    return user


def _answer(request: HttpRequest, work: Callable[[], HttpResponse]) -> HttpResponse:
    """Run ``work()`` and turn what it raises into the protocol's answers."""
    try:
        return work()
    except TusError as exc:
        return _error(request, exc.status, exc.code, exc.message, headers=exc.headers)
    except InvalidToken:
        return _error(
            request,
            401,
            "invalid_token",
            _("The API token is unknown, revoked or expired."),
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    except AccessDenied as exc:
        return _error(
            request,
            403,
            "forbidden",
            _("You are not allowed to upload AV records."),
            {"action": exc.action},
        )
    except ValidationError as exc:
        details: Any = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return _error(request, 400, "validation_error", " ".join(exc.messages), details)


# --- views ----------------------------------------------------------------------------------


@csrf_exempt
def collection(request: HttpRequest) -> HttpResponse:
    """``/api/v1/uploads/``: OPTIONS (what the server supports) and POST (creation)."""
    method = _method(request)
    if method == "OPTIONS":
        return _options()

    def work() -> HttpResponse:
        _check_version(request)
        if method != "POST":
            raise TusError(
                405, "method_not_allowed", _("Method not allowed."), {"Allow": "OPTIONS, POST"}
            )
        actor = _actor(request)
        if "Upload-Defer-Length" in request.headers:
            raise TusError(400, "defer_length", _("Give the Upload-Length when creating."))
        if "Upload-Length" not in request.headers:
            raise TusError(400, "length_required", _("The Upload-Length header is required."))
        length = _number(request, "Upload-Length")
        metadata = uploads.parse_metadata(request.headers.get("Upload-Metadata", ""))
        upload = upload_actions.create_upload(
            actor, length=length, metadata=metadata, request=request
        )
        location = reverse("tus_upload", args=[upload.pk])
        return _empty(
            201,
            {"Location": location, "Upload-Expires": http_date(upload.expires_at.timestamp())},
        )

    return _answer(request, work)


@csrf_exempt
def resource(request: HttpRequest, upload_id: uuid.UUID) -> HttpResponse:
    """``/api/v1/uploads/<id>``: HEAD (offset), PATCH (bytes), DELETE (termination)."""
    method = _method(request)
    if method == "OPTIONS":
        return _options()

    def work() -> HttpResponse:
        _check_version(request)
        if method not in ("HEAD", "PATCH", "DELETE"):
            raise TusError(
                405,
                "method_not_allowed",
                _("Method not allowed."),
                {"Allow": "OPTIONS, HEAD, PATCH, DELETE"},
            )
        actor = _actor(request)
        upload = uploads.find_upload(actor, upload_id)
        if upload is None:
            raise TusError(404, "not_found", _("No such upload."))
        if method == "HEAD":
            return _head(request, actor, upload)
        if method == "PATCH":
            return _patch(request, actor, upload)
        upload_actions.terminate(actor, upload, request=request)
        return _empty(204)

    return _answer(request, work)


def _head(request: HttpRequest, actor: Uploader, upload: TusUpload) -> HttpResponse:
    if uploads.is_expired(upload):
        raise TusError(410, "expired", _("This upload has expired; start it again."))
    try:
        upload_actions.finish_if_complete(actor, upload, request=request)
    except (ValidationError, AccessDenied, BlobError, OSError):
        # Reported to the client by the PATCH that ends it; here only the offset counts.
        logger.exception("upload %s: could not be completed on HEAD", upload.pk)
    headers = _state_headers(upload, uploads.current_offset(upload))
    if upload.metadata:
        headers["Upload-Metadata"] = uploads.encode_metadata(upload.metadata)
    return _empty(200, headers)


def _patch(request: HttpRequest, actor: Uploader, upload: TusUpload) -> HttpResponse:
    if request.content_type != OFFSET_TYPE:
        raise TusError(
            415, "unsupported_media_type", _("Send the bytes as %(type)s.") % {"type": OFFSET_TYPE}
        )
    offset = _number(request, "Upload-Offset")
    # The body is read up to its Content-Length; without one (and not chunked, which is
    # refused) an HTTP/1.1 request has no body.
    declared = str(request.META.get("CONTENT_LENGTH") or "0").strip()
    if "chunked" in request.headers.get("Transfer-Encoding", "").lower() or not _DIGITS.match(
        declared
    ):
        raise TusError(411, "length_required", _("Send a Content-Length with the bytes."))
    length = int(declared)
    checksum = _checksum(request)
    received = upload_actions.receive(
        actor,
        upload,
        request,
        offset=offset,
        length=length,
        checksum=checksum,
        request=request,
    )
    return _empty(204, _state_headers(upload, received.offset))

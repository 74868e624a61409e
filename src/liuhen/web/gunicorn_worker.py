"""gunicorn's threaded worker, answering the requests gunicorn refuses before Django sees
them (a request line or headers too long, a malformed request) in the people's language,
as one small page like every other error page — not gunicorn's English HTML.

``liuhen serve`` runs gunicorn with ``--worker-class liuhen.web.gunicorn_worker.ThreadWorker``.
"""

from __future__ import annotations

import html
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from gunicorn import http, util
from gunicorn.workers.gthread import ThreadWorker as GunicornThreadWorker

_CLIENT_ERRORS = (
    http.errors.InvalidRequestLine,
    http.errors.InvalidRequestMethod,
    http.errors.InvalidHTTPVersion,
    http.errors.InvalidHeader,
    http.errors.InvalidHeaderName,
    http.errors.LimitRequestLine,
    http.errors.LimitRequestHeaders,
    http.errors.InvalidProxyLine,
    http.errors.ForbiddenProxyRequest,
    http.errors.InvalidSchemeHeaders,
    http.errors.UnsupportedTransferCoding,
    http.errors.ObsoleteFolding,
    http.errors.InvalidChunkSize,
    http.errors.ChunkMissingTerminator,
    http.errors.InvalidChunkExtension,
)


def _answer(exc: BaseException) -> tuple[int, str, str]:
    """Status, reason phrase and the sentence people read for a refused request."""
    if isinstance(exc, http.errors.LimitRequestLine):
        return 414, "URI Too Long", _("The address of the request is too long.")
    if isinstance(exc, http.errors.LimitRequestHeaders):
        return (
            431,
            "Request Header Fields Too Large",
            _("The request carries too many or too long headers."),
        )
    if isinstance(exc, http.errors.UnsupportedTransferCoding):
        return 501, "Not Implemented", _("The request's transfer coding is not supported.")
    if isinstance(exc, http.errors.ForbiddenProxyRequest):
        return 403, "Forbidden", _("Requests through this proxy are not accepted.")
    return 400, "Bad Request", _("The request is malformed and cannot be read.")


def error_response(status: int, reason: str, sentence: str) -> bytes:
    """A whole HTTP/1.1 answer: a small UTF-8 page in Chinese, the connection closed."""
    with translation.override("zh-hans"):
        title = _("The request cannot be served")
    body = (
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head><body><main>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(sentence)}</p>"
        f"<p>{status} {reason}</p></main></body></html>"
    ).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
        "Content-Type: text/html; charset=utf-8\r\nContent-Language: zh-Hans\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("latin-1")
    return head + body


class ThreadWorker(GunicornThreadWorker):
    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if not isinstance(exc, _CLIENT_ERRORS):
            super().handle_error(req, client, addr, exc)
            return
        with translation.override("zh-hans"):
            status, reason, sentence = _answer(exc)
        peer = (addr or ("", -1))[0]
        self.log.warning("Invalid request from ip=%s: %s", peer, exc)
        try:
            util.write_nonblock(client, error_response(status, reason, sentence))
        except Exception:
            self.log.debug("Failed to send error message.")

"""A request body must arrive in time: one that trickles in is cut off and answered 400.

``liuhen serve`` runs gunicorn's threaded workers, which read a request body in the thread
that serves it. A client sending a login form one byte every two seconds would hold that
thread for minutes; twenty such clients hold every thread and the server stops answering
anybody. Behind nginx (docs/operations.md) bodies are buffered before they reach us; this
guard keeps a server without it (or the tus path nginx passes through unbuffered) usable.

Each body gets ``BODY_GRACE_SECONDS`` plus its length at ``BODY_MIN_RATE`` bytes a second.
When that has passed before the last byte came, the connection's reading side is shut
down (the thread blocked in ``recv`` wakes at once) and the request is refused as a bad
request: what arrived is never handed to a view as if it were the whole form. tus uploads
are exempt: a recorder's file may take hours over a field connection, and tus resumes.

Outside gunicorn (tests, the development server) there is no socket to cut: the guard
does nothing.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest

from liuhen.web.middleware import TUS_PATH

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class RequestBodyTooSlow(BadRequest):
    """The body did not arrive within its time."""


class _TimedInput:
    """``wsgi.input`` with a deadline for the whole body."""

    def __init__(self, stream: Any, sock: socket.socket, length: int, seconds: float) -> None:
        self._stream = stream
        self._sock = sock
        self._left = length
        self._expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        self._expired = True
        # SHUT_RD wakes a thread blocked reading; the answer can still be written.
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RD)

    def cancel(self) -> None:
        self._timer.cancel()

    def _read(self, method: Callable[..., Any], *args: Any) -> Any:
        try:
            data = method(*args)
        except Exception as error:
            if self._expired:
                raise RequestBodyTooSlow("the request body arrived too slowly") from error
            raise
        if isinstance(data, bytes):
            self._left -= len(data)
        elif isinstance(data, list):
            self._left -= sum(len(line) for line in data)
        if self._left <= 0:
            self.cancel()
        elif self._expired:
            raise RequestBodyTooSlow("the request body arrived too slowly")
        return data

    def read(self, size: int | None = None) -> bytes:
        return self._read(self._stream.read, *([] if size is None else [size]))

    def readline(self, size: int | None = None) -> bytes:
        return self._read(self._stream.readline, *([] if size is None else [size]))

    def readlines(self, hint: int | None = None) -> list[bytes]:
        return self._read(self._stream.readlines, *([] if hint is None else [hint]))

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line


class BodyDeadline:
    """WSGI wrapper giving each request body under gunicorn a deadline."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        sock = environ.get("gunicorn.socket")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if (
            not isinstance(sock, socket.socket)
            or length <= 0
            or str(environ.get("PATH_INFO", "")).startswith(TUS_PATH)
        ):
            return self.app(environ, start_response)
        seconds = settings.BODY_GRACE_SECONDS + length / settings.BODY_MIN_RATE
        timed = _TimedInput(environ["wsgi.input"], sock, length, seconds)
        environ["wsgi.input"] = timed
        try:
            return self.app(environ, start_response)
        finally:
            timed.cancel()

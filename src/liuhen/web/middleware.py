"""Gives every request an incident id so a 500 page can name the log line behind it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("liuhen.incident")


class IncidentIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.incident_id = uuid.uuid4().hex[:12]  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        logger.error(
            "incident %s: %s %s",
            getattr(request, "incident_id", "-"),
            request.method,
            request.path,
            exc_info=exception,
        )

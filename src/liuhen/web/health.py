"""``/healthz``: whether this server can serve — the database answers and the task worker
lives. For a load balancer, systemd or a monitoring probe: anonymous, cheap (one
``SELECT 1``, one file stat), not audited; 200 when all is well, 503 otherwise."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import Error, connection
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from liuhen.web import worker

OK = "ok"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error:
        return "unavailable"
    return OK


def worker_status() -> str:
    """ok, stale (stopped beating), absent (never beat) or unmonitored (no heartbeat file
    configured: not run by ``liuhen serve``, nothing to judge)."""
    if not settings.WORKER_HEARTBEAT_FILE:
        return "unmonitored"
    age = worker.heartbeat_age(Path(settings.WORKER_HEARTBEAT_FILE))
    if age is None:
        return "absent"
    return OK if age <= settings.WORKER_STALE_SECONDS else "stale"


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    status = {"database": database_status(), "worker": worker_status()}
    healthy = status["database"] == OK and status["worker"] in (OK, "unmonitored")
    response = JsonResponse({"status": OK if healthy else "unavailable", **status})
    response.status_code = 200 if healthy else 503
    add_never_cache_headers(response)
    return response

"""While the database is away every request is answered 503 — the Chinese page for the
pages, JSON for the API and the tus uploads — never a 500; ``/healthz`` says what is
wrong; the task worker's abandoned tasks go back to the queue.

The outage is real for the driver: the connection is closed and pointed at a database
that is not there (a missing file for SQLite, a closed port for PostgreSQL), so every
query fails as it does when the server stops.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from liuhen.core import tasks
from liuhen.web import worker
from tests.factories import free_port

OUTAGE_TEXT = "数据库暂时无法访问"


@pytest.fixture
def database_away(django_db_blocker, monkeypatch) -> Iterator[None]:
    with django_db_blocker.unblock():
        connection.close()
        if connection.vendor == "sqlite":
            monkeypatch.setitem(connection.settings_dict, "NAME", "/nonexistent/away.sqlite3")
        else:
            monkeypatch.setitem(connection.settings_dict, "PORT", str(free_port()))
        yield
        connection.close()


def test_a_page_answers_the_chinese_503_page(database_away) -> None:
    response = Client().get("/verify/NO-SUCH-CODE/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert OUTAGE_TEXT in html and "服务暂时不可用" in html


def test_a_signed_in_page_fails_in_middleware_and_still_answers_503(database_away) -> None:
    """The session is read by a middleware, before any view: the error reaches the
    500 handler, which answers 503 too."""
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a" * 32
    response = client.get("/tasks/")
    assert response.status_code == 503
    assert OUTAGE_TEXT in response.content.decode()


def test_the_api_answers_json_503(database_away) -> None:
    response = Client().get("/api/v1/me", headers={"Authorization": "Bearer lh_x_y"})
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "service_unavailable" and OUTAGE_TEXT in error["message"]


def test_a_tus_upload_answers_json_503(database_away) -> None:
    response = Client(raise_request_exception=False).post(
        "/api/v1/uploads/",
        headers={"Tus-Resumable": "1.0.0", "Upload-Length": "10", "Authorization": "Bearer x"},
    )
    assert response.status_code == 503
    assert response["Tus-Resumable"] == "1.0.0"
    assert response.json()["error"]["code"] == "service_unavailable"


def test_healthz_says_the_database_is_unavailable(database_away) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


# --- /healthz with the database there ----------------------------------------------------


@pytest.mark.django_db
def test_healthz_is_anonymous_and_ok_without_a_supervised_worker(settings) -> None:
    settings.WORKER_HEARTBEAT_FILE = ""
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "unmonitored"}


@pytest.mark.django_db
def test_healthz_judges_the_worker_by_its_heartbeat(settings, tmp_path) -> None:
    beat = tmp_path / "run" / "worker.heartbeat"
    settings.WORKER_HEARTBEAT_FILE = str(beat)
    settings.WORKER_STALE_SECONDS = 30
    client = Client()
    assert (client.get("/healthz").status_code, client.get("/healthz").json()["worker"]) == (
        503,
        "absent",
    )
    worker.beat(beat)
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "worker": "ok"}
    old = time.time() - 60
    os.utime(beat, (old, old))
    response = client.get("/healthz")
    assert (response.status_code, response.json()["worker"]) == (503, "stale")


# --- tasks a killed worker left running -------------------------------------------------


@pytest.mark.django_db
def test_a_restarted_worker_queues_again_what_its_predecessor_left_running() -> None:
    mine, theirs = (tasks.sign_if_new_events.enqueue() for _ in range(2))
    DBTaskResult.objects.get(pk=mine.id).claim("host:8000")
    DBTaskResult.objects.get(pk=theirs.id).claim("other-host:8000")
    assert worker.requeue_abandoned("host:8000") == [str(mine.id)]
    requeued = DBTaskResult.objects.get(pk=mine.id)
    assert requeued.status == TaskResultStatus.READY and requeued.started_at is None
    assert DBTaskResult.objects.get(pk=theirs.id).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.ready().filter(pk=mine.id).exists()

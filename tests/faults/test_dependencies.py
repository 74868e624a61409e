"""``liuhen serve`` survives its dependencies: a PostgreSQL outage and a killed task worker.

One real server for the module, on a database of its own reached through
:class:`~tests.faults.proxy.Proxy`, so the outage is a pulled plug between the server
and PostgreSQL (the machine's PostgreSQL is shared and stays up). The database is
PostgreSQL whatever the rest of the suite runs on: the outage is a network one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.factories import free_port
from tests.faults.proxy import Proxy

LIUHEN = [sys.executable, "-m", "liuhen.manage"]
REPO = Path(__file__).resolve().parents[2]
SLOW_TASK = "tests.faults.slow_task.wait_for_release"

SETUP = f"""
from django.contrib.auth import get_user_model
from django.core.management import call_command
from liuhen.api import actions
from liuhen.core import audit
from {SLOW_TASK.rsplit(".", 1)[0]} import wait_for_release

call_command("migrate", verbosity=0)
user = get_user_model().objects.create_user("faults")
print("TOKEN", actions.create_token(audit.SYSTEM, user=user, name="faults").plaintext)
wait_for_release.enqueue()
"""


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds}s waiting for {what}")


def _postgres_url() -> str:
    url = os.environ.get("LIUHEN_TEST_DATABASE_URL") or os.environ.get("LIUHEN_DATABASE_URL")
    if not url or not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url


@dataclass
class Answer:
    status: int | None
    body: bytes = b""
    content_type: str = ""

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    proxy: Proxy
    database: str  # conninfo straight to PostgreSQL, not through the proxy
    data_dir: Path
    log: Path
    token: str
    acknowledged: list[int] = field(default_factory=list)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def request(self, method: str, path: str, body: dict | None = None) -> Answer:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=data, method=method
        )
        if path.startswith("/api/"):
            request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
                return Answer(response.status, response.read(), response.headers["Content-Type"])
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read(), error.headers.get("Content-Type", ""))
        except OSError:
            return Answer(None)

    def worker_pid(self) -> int | None:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        for pid in children.read_text().split():
            with_args = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            if b"task_worker" in with_args:
                return int(pid)
        return None

    def sql(self, query: str, *params: object) -> list[tuple]:
        with psycopg.connect(self.database, autocommit=True) as db:
            return db.execute(query, params).fetchall()


@pytest.fixture(scope="module")
def server_behind_plug(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``liuhen serve`` on a fresh PostgreSQL database reached through a proxy."""
    base = urlsplit(_postgres_url())
    admin = f"host={base.hostname} port={base.port or 5432} user={base.username or 'postgres'}"
    if base.password:
        admin += f" password={base.password}"
    name = f"liuhen_faults_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin + " dbname=postgres", autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    proxy = Proxy((base.hostname or "127.0.0.1", base.port or 5432))
    credentials = base.username or "postgres"
    if base.password:
        credentials += f":{base.password}"
    data_dir = tmp_path_factory.mktemp("faults")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIUHEN_")}
    env |= {
        "LIUHEN_DATA_DIR": str(data_dir),
        "LIUHEN_DATABASE_URL": f"postgres://{credentials}@127.0.0.1:{proxy.port}/{name}",
        "LIUHEN_DATABASE_CONNECT_TIMEOUT": "2",
        "LIUHEN_WORKER_STALE_SECONDS": "5",
        "LIUHEN_FONT_CACHE_DIR": os.environ.get("LIUHEN_FONT_CACHE_DIR", str(data_dir)),
    }
    process = None
    try:
        setup = subprocess.run(
            [*LIUHEN, "shell", "-c", SETUP],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert setup.returncode == 0, setup.stderr
        token = next(
            line.split()[1] for line in setup.stdout.splitlines() if line.startswith("TOKEN")
        )
        port = free_port()
        log = data_dir / "serve.log"
        with log.open("wb") as handle:
            process = subprocess.Popen(
                [*LIUHEN, "serve", "--port", str(port), "--workers", "1", "--threads", "4",
                 "--no-scheduler"],
                env=env,
                cwd=REPO,  # the slow test task is imported from here by the worker
                stdout=handle,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        server = Server(process, port, proxy, admin + f" dbname={name}", data_dir, log, token)
        _wait_for(
            lambda: server.request("GET", "/healthz").status == 200 or process.poll() is not None,
            120,
            "the server to be healthy",
        )
        assert process.poll() is None, server.output()
        yield server
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        proxy.close()
        with psycopg.connect(admin + " dbname=postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _started(server: Server) -> list[int]:
    folder = server.data_dir / "faults"
    return [int(p.name.split("-")[1]) for p in folder.glob("started-*")] if folder.exists() else []


def test_a_task_the_killed_worker_was_running_completes_after_the_restart(
    server_behind_plug: Server,
) -> None:
    """R16.1: work the server acknowledged is not lost when the worker is killed mid-task;
    the supervisor starts the worker again and the task runs to its end."""
    server = server_behind_plug
    _wait_for(lambda: len(_started(server)) == 1, 60, "the slow task to start")
    [first] = _started(server)
    os.kill(first, signal.SIGKILL)
    _wait_for(lambda: "worker stopped unexpectedly" in server.output(), 10, "the supervisor")
    _wait_for(lambda: len(_started(server)) == 2, 90, "the task to start again")
    (server.data_dir / "faults" / "release").touch()
    [second] = set(_started(server)) - {first}
    _wait_for(lambda: (server.data_dir / "faults" / f"finished-{second}").exists(), 30, "the task")
    _wait_for(
        lambda: (
            server.sql(
                "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
                SLOW_TASK,
            )
            == [("SUCCESSFUL",)]
        ),
        15,
        "the task to be recorded as done",
    )
    assert not (server.data_dir / "faults" / f"finished-{first}").exists()
    assert server.process.poll() is None
    assert server.request("GET", "/healthz").json()["worker"] == "ok"


def test_the_service_rides_out_a_database_outage_under_load(server_behind_plug: Server) -> None:
    """While PostgreSQL is away every answer is a 503 (JSON for the API, the Chinese page
    for the pages), never a 500; when it returns the service is back by itself, and every
    write acknowledged before, during or after the outage is in the database."""
    server = server_behind_plug
    answers: list[tuple[str, Answer]] = []
    stop = threading.Event()

    def load() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            created = server.request("POST", "/api/v1/tokens", {"name": f"load {number}"})
            answers.append(("api", created))
            if created.status == 201:
                server.acknowledged.append(created.json()["id"])
            answers.append(("page", server.request("GET", "/verify/NO-SUCH-CODE/")))
            answers.append(("health", server.request("GET", "/healthz")))
            time.sleep(0.05)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    try:
        time.sleep(2)
        server.proxy.cut()
        time.sleep(4)
        during = len(answers)
        server.proxy.restore()
        _wait_for(
            lambda: server.request("GET", "/healthz").status == 200, 90, "the service to return"
        )
        time.sleep(1)
    finally:
        stop.set()
        thread.join(timeout=30)

    statuses = {(kind, answer.status) for kind, answer in answers}
    assert not {s for s in statuses if s[1] is None or (s[1] >= 500 and s[1] != 503)}, statuses
    outage = [(kind, a) for kind, a in answers[:during] if a.status == 503]
    assert {kind for kind, _ in outage} == {"api", "page", "health"}, statuses
    for kind, answer in outage:
        if kind == "page":
            assert "text/html" in answer.content_type
            assert "数据库暂时无法访问" in answer.body.decode()
        elif kind == "api":
            assert answer.json()["error"]["code"] == "service_unavailable"
            assert "数据库暂时无法访问" in answer.json()["error"]["message"]
        else:
            assert answer.json()["database"] == "unavailable"
    # Back by itself: writes succeed again, and none acknowledged went missing.
    after = server.request("POST", "/api/v1/tokens", {"name": "after the outage"})
    assert after.status == 201
    server.acknowledged.append(after.json()["id"])
    stored = {row[0] for row in server.sql("SELECT id FROM api_apitoken")}
    assert server.acknowledged and set(server.acknowledged) <= stored

"""``liuhen serve`` runs gunicorn, the task worker and the scheduler, restarts one that
dies, and stops them cleanly.

These tests start real processes on a free port with a data dir of their own (SQLite,
whatever database the suite itself uses), so they also show that a second instance runs
beside the first.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.factories import free_port

LIUHEN = [sys.executable, "-m", "liuhen.manage"]
STOP_SECONDS = 20
# Small enough for the suite's machines; a test of load passes serve's own defaults.
DEFAULT_SIZE = ("--workers", "1", "--threads", "2")


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds}s waiting for {what}")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@dataclass
class Instance:
    process: subprocess.Popen[bytes]
    port: int
    data_dir: Path
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def status(self, path: str) -> int | None:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def children(self) -> dict[str, int]:
        named = {}
        for pid in _children(self.process.pid):
            line = _cmdline(pid)
            for name in ("gunicorn", "task_worker", "scheduler"):
                if name in line:
                    named[name] = pid
        return named

    def finished_tasks(self, task_path: str) -> int:
        with sqlite3.connect(self.data_dir / "liuhen.sqlite3") as db:
            row = db.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                " WHERE task_path = ? AND status = 'SUCCESSFUL'",
                [task_path],
            ).fetchone()
        return int(row[0])


def _instance_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIUHEN_")}
    return env | {"LIUHEN_DATA_DIR": str(data_dir), "LIUHEN_AUDIT_SIGN_INTERVAL_SECONDS": "10"}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated data dir each instance starts from a copy of: migrating is the slow part
    of starting one, and every instance would run the same migrations."""
    template = tmp_path_factory.mktemp("serve") / "migrated"
    subprocess.run(
        [*LIUHEN, "migrate", "-v", "0"], env=_instance_env(template), check=True, timeout=300
    )
    return template


@pytest.fixture
def start(tmp_path: Path, migrated: Path) -> Iterator[Callable[[str], Instance]]:
    started: list[Instance] = []

    def start_instance(name: str, *options: str) -> Instance:
        data_dir = tmp_path / name
        shutil.copytree(migrated, data_dir)
        env = _instance_env(data_dir)
        port = free_port()
        log = tmp_path / f"{name}.log"
        with log.open("wb") as handle:
            process = subprocess.Popen(
                [*LIUHEN, "serve", "--port", str(port), *(options or DEFAULT_SIZE)],
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        instance = Instance(process, port, data_dir, log)
        started.append(instance)
        return instance

    yield start_instance
    for instance in started:  # a failed test must not leave servers behind
        if instance.process.poll() is None:
            instance.process.send_signal(signal.SIGTERM)
            try:
                instance.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                instance.process.kill()


def _wait_until_serving(instance: Instance) -> None:
    _wait_for(
        lambda: instance.status("/accounts/login/") == 200 or instance.process.poll() is not None,
        90,
        "the login page",
    )
    assert instance.process.poll() is None, instance.output()
    banner = f"Liuhen is running at {instance.url}/"
    _wait_for(lambda: banner in instance.output(), 30, "the banner")


def test_serve_runs_web_worker_and_scheduler_and_stops_on_ctrl_c(start) -> None:
    first, second = start("first"), start("second")
    for instance in (first, second):
        _wait_until_serving(instance)
    assert first.status("/api/v1/openapi.json") == 200
    assert second.status("/api/v1/me") == 401
    children = first.children()
    assert set(children) == {"gunicorn", "task_worker", "scheduler"}, children
    # The scheduler enqueued the audit-signing job and the worker ran it, in each instance.
    for instance in (first, second):
        _wait_for(
            lambda i=instance: i.finished_tasks("liuhen.core.tasks.sign_if_new_events") >= 1,
            30,
            "the worker to run the scheduled task",
        )

    first.process.send_signal(signal.SIGINT)
    assert first.process.wait(timeout=STOP_SECONDS) == 0, first.output()
    _wait_for(lambda: not any(_alive(pid) for pid in children.values()), 15, "children to exit")
    # The other instance is untouched.
    assert second.status("/accounts/login/") == 200


def test_serve_restarts_a_child_that_dies_and_reports_it_on_healthz(start) -> None:
    """A killed worker or web server comes back by itself (with a back-off, logged); the
    server never gives up, and /healthz tells the worker is alive again."""
    instance = start("crash")
    _wait_until_serving(instance)
    children = instance.children()
    _wait_for(lambda: instance.status("/healthz") == 200, 60, "the worker's first heartbeat")
    os.kill(children["task_worker"], signal.SIGKILL)
    _wait_for(lambda: "worker stopped unexpectedly" in instance.output(), 10, "the supervisor")
    _wait_for(
        lambda: instance.children().get("task_worker") not in (None, children["task_worker"]),
        30,
        "a new worker",
    )
    os.kill(children["gunicorn"], signal.SIGKILL)
    _wait_for(lambda: "web stopped unexpectedly" in instance.output(), 10, "the supervisor")
    _wait_for(lambda: instance.status("/accounts/login/") == 200, 60, "the web server again")
    assert instance.process.poll() is None
    try:
        _wait_for(lambda: instance.status("/healthz") == 200, 90, "a healthy server")
    except AssertionError as timeout:
        raise AssertionError(f"{timeout}\n{instance.output()[-4000:]}") from None
    restarted = instance.children()
    instance.process.send_signal(signal.SIGTERM)
    assert instance.process.wait(timeout=STOP_SECONDS) == 0
    _wait_for(lambda: not any(_alive(pid) for pid in restarted.values()), 15, "children to exit")


def test_serve_stops_on_sigterm(start) -> None:
    instance = start("term")
    _wait_until_serving(instance)
    children = instance.children()
    instance.process.send_signal(signal.SIGTERM)
    assert instance.process.wait(timeout=STOP_SECONDS) == 0
    _wait_for(lambda: not any(_alive(pid) for pid in children.values()), 15, "children to exit")


def test_clients_trickling_request_bodies_do_not_stop_the_server(start) -> None:
    """Twenty anonymous clients sending a login form one byte every two seconds are cut
    off in time: every thread of the default server is not theirs for long, and a
    normal page still answers within a few seconds."""
    instance = start("slow", "--workers", "2", "--threads", "8")  # serve's defaults
    _wait_until_serving(instance)
    body = b"username=officer_wang&password=not-the-password-1A"
    head = (
        b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    )
    slow = [socket.create_connection(("127.0.0.1", instance.port)) for _ in range(20)]
    for sock in slow:
        sock.sendall(head + body[:1])
    stop = threading.Event()

    def trickle() -> None:
        for offset in range(1, len(body)):
            if stop.wait(2):
                return
            for sock in slow:
                with contextlib.suppress(OSError):
                    sock.send(body[offset : offset + 1])

    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()
    try:
        time.sleep(1)  # every server thread is now reading a slow body
        started = time.monotonic()
        with urllib.request.urlopen(instance.url + "/accounts/login/", timeout=15) as page:  # noqa: S310
            assert page.status == 200
        assert time.monotonic() - started < 8
        slow[0].settimeout(10)
        assert slow[0].recv(64).startswith(b"HTTP/1.1 400")
    finally:
        stop.set()
        trickler.join()
        for sock in slow:
            sock.close()


# --- the scheduler's table, without processes ------------------------------------------


def test_scheduler_does_not_pile_up_a_job_whose_last_run_is_waiting(db) -> None:
    from django_tasks_db.models import DBTaskResult

    from liuhen.web.management.commands.scheduler import JOBS, Scheduler

    scheduler = Scheduler(JOBS)
    scheduler.enqueue(JOBS[0])
    scheduler.enqueue(JOBS[0])  # no worker ran the first: not enqueued again
    assert DBTaskResult.objects.filter(task_path=JOBS[0].task).count() == 1


def test_scheduler_survives_a_broken_job(db, caplog) -> None:
    from liuhen.web.management.commands.scheduler import Job, Scheduler

    broken = Job("broken", "liuhen.no_such_module.task", lambda: 60)
    with caplog.at_level("ERROR", logger="liuhen.scheduler"):
        Scheduler((broken,)).enqueue(broken)
    assert "could not enqueue liuhen.no_such_module.task" in caplog.text


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(request)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_requests_gunicorn_refuses_are_answered_in_chinese(start) -> None:
    instance = start("refusals")
    _wait_until_serving(instance)
    long_line = b"GET /cases/?q=" + b"x" * 6000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    answer = _raw(instance.port, long_line)
    head, _sep, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414 "), head
    assert b"charset=utf-8" in head
    assert "请求的网址过长" in body.decode()
    garbage = _raw(instance.port, b"NOT HTTP AT ALL\r\n\r\n")
    assert garbage.startswith(b"HTTP/1.1 400 ") and "无法读取" in garbage.decode(errors="replace")
    # The server goes on serving.
    assert instance.status("/accounts/login/") == 200

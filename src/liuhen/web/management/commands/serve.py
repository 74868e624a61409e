"""``liuhen serve``: the web server, the task worker and the scheduler, as one command.

The parent starts three children — gunicorn (threaded WSGI workers), the task worker
(``liuhen task_worker``, django-tasks-db's ``db_worker`` that first queues again what a
killed predecessor left running) and ``liuhen scheduler`` — and watches them. Ctrl-C or
SIGTERM stops them all cleanly. A child that dies on its own (killed, or the worker
stopping on a lost database connection) is started again after a back-off that doubles
up to :data:`MAX_BACKOFF_SECONDS` and starts over once it ran long enough; the server
never gives up, so a database outage ends with the service back by itself.

Children inherit the environment, so every ``LIUHEN_*`` setting applies to all three and
a second instance with another data dir and port runs beside the first.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from liuhen.web import demo

# Graceful stop: gunicorn finishes requests in flight, the worker its current task.
GRACEFUL_SECONDS = 10
KILL_AFTER_SECONDS = GRACEFUL_SECONDS + 5
STARTUP_TIMEOUT_SECONDS = 60
# Restart back-off of a child that died: 1 s, 2 s, 4 s … at most MAX_BACKOFF_SECONDS; a
# child that ran STABLE_SECONDS before dying starts over at 1 s.
FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 30.0
STABLE_SECONDS = 60.0
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    # If the parent is killed outright (SIGKILL), the children must not live on.
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::"):  # noqa: S104 - only for printing and probing
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


class Command(BaseCommand):
    help = "Start the web server, the background-task worker and the scheduler together."
    # The wiring is checked once before anything starts (core.system_checks): a server
    # with an approval step that does nothing must not come up.

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="web worker processes")
        parser.add_argument("--threads", type=int, default=8, help="threads per web worker")
        parser.add_argument(
            "--no-scheduler", action="store_true", help="do not run the periodic scheduler"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {port}")
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1")
        commands = self._commands(host, port, options)
        supervisor = Supervisor(self, commands, self._child_environment(port))
        self._startup_deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        self._warned_slow = False
        supervisor.run(lambda: self._announce(host, port, supervisor))

    def _commands(self, host: str, port: int, options: dict[str, Any]) -> dict[str, list[str]]:
        python = sys.executable
        manage = [python, "-m", "liuhen.manage"]
        commands = {
            "web": [
                python, "-m", "gunicorn", "liuhen.wsgi:application",
                "--bind", _bind_address(host, port),
                "--worker-class", "gthread",
                "--workers", str(options["workers"]),
                "--threads", str(options["threads"]),
                "--graceful-timeout", str(GRACEFUL_SECONDS),
                # Bounds on what a request may send before a view sees it; a body must
                # arrive in time as well (liuhen.web.slow_bodies, in the WSGI app).
                "--limit-request-line", "4094",
                "--limit-request-fields", "100",
                "--limit-request-field_size", "8190",
                "--keep-alive", "5",
                # gunicorn's control socket lives in $HOME by default: two instances clash.
                "--no-control-socket",
                "--access-logfile", "-",
            ],
            "worker": [
                *manage, "task_worker", "--no-reload", "--interval", "1",
                # Fixed per server: a restarted worker recognises what its predecessor left.
                "--worker-id", f"{socket.gethostname()}:{port}"[-64:],
            ],
        }  # fmt: skip
        if not options["no_scheduler"]:
            commands["scheduler"] = [*manage, "scheduler"]
        return commands

    def _child_environment(self, port: int) -> dict[str, str]:
        environment = os.environ.copy()
        heartbeat = Path(settings.DATA_DIR) / "run" / f"worker-{port}.heartbeat"
        environment.setdefault("LIUHEN_WORKER_HEARTBEAT_FILE", str(heartbeat))
        return environment

    def _announce(self, host: str, port: int, supervisor: Supervisor) -> bool:
        """Once the port answers, print where to go and how to log in (True); one probe
        per call, so the supervisor keeps watching the children meanwhile."""
        if supervisor.any_exited():
            return False
        try:
            with socket.create_connection((_url_host(host).strip("[]"), port), timeout=1):
                pass
        except OSError:
            if time.monotonic() > self._startup_deadline and not self._warned_slow:
                self._warned_slow = True
                self.stderr.write(
                    f"The web server did not answer within {STARTUP_TIMEOUT_SECONDS}s."
                )
            return False
        self.stdout.write(f"\nLiuhen is running at http://{_url_host(host)}:{port}/")
        self._print_demo_logins()
        self.stdout.write("Press Ctrl-C to stop.\n")
        self.stdout.flush()  # a pipe (make, systemd) would hold it back otherwise
        return True

    def _print_demo_logins(self) -> None:
        self.stdout.write(f"Demo logins (password {demo.DEMO_PASSWORD}):")
        for login in demo.DEMO_LOGINS:
            self.stdout.write("  " + "  ".join(login))


@dataclass
class Child:
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    backoff: float = FIRST_BACKOFF_SECONDS
    restart_at: float | None = None  # set while it waits to be started again


class Supervisor:
    """Runs the children, forwards stop signals and restarts a child that dies."""

    def __init__(
        self,
        command: BaseCommand,
        commands: dict[str, list[str]],
        environment: dict[str, str] | None = None,
    ) -> None:
        self.command = command
        self.environment = environment if environment is not None else os.environ.copy()
        self.children = {name: Child(argv) for name, argv in commands.items()}
        self.stopping = False

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def any_exited(self) -> bool:
        """The web server is not there (yet): the announcement waits for it."""
        web = self.children.get("web")
        return web is not None and (web.process is None or web.process.poll() is not None)

    def _start(self, name: str, child: Child) -> None:
        # Own process group: a terminal's Ctrl-C reaches the parent only, which then
        # stops the children in order instead of all of them at once.
        child.process = subprocess.Popen(
            child.argv, env=self.environment, process_group=0, preexec_fn=_die_with_parent
        )
        child.started_at = time.monotonic()
        child.restart_at = None

    def _log(self, message: str) -> None:
        self.command.stderr.write(message)
        self.command.stderr.flush()

    def _watch(self, name: str, child: Child) -> None:
        now = time.monotonic()
        if child.restart_at is not None:
            if now >= child.restart_at:
                self._log(f"{name}: starting again")
                self._start(name, child)
            return
        assert child.process is not None
        code = child.process.poll()
        if code is None:
            return
        if now - child.started_at >= STABLE_SECONDS:
            child.backoff = FIRST_BACKOFF_SECONDS
        self._log(f"{name} stopped unexpectedly (exit {code}); restarting in {child.backoff:g}s.")
        child.restart_at = now + child.backoff
        child.backoff = min(child.backoff * 2, MAX_BACKOFF_SECONDS)

    def run(self, announce: Any) -> int:
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        for name, child in self.children.items():
            self._start(name, child)
        announced = False
        while not self.stopping:
            for name, child in self.children.items():
                self._watch(name, child)
            if not announced:
                # Announced once the web server answers; a web server that died first
                # is restarted like any child and announced when it answers.
                announced = announce()
            time.sleep(0.2)
        self.stop_all()
        return 0

    def stop_all(self) -> None:
        running = {
            name: child.process
            for name, child in self.children.items()
            if child.process is not None and child.restart_at is None
        }
        for process in running.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + KILL_AFTER_SECONDS
        for name, process in running.items():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                self._log(f"{name} did not stop in time; killing it.")
                process.kill()
                process.wait()

"""``liuhen serve``: the web server, the task worker and the scheduler, as one command.

The parent starts three children — gunicorn (threaded WSGI workers), django-tasks-db's
``db_worker`` and ``liuhen scheduler`` — and watches them. Ctrl-C or SIGTERM stops them
all cleanly; if one dies on its own, the others are stopped and the exit status is 1, so
a supervisor (systemd, make) sees the failure instead of half a server.

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
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liuhen.web import demo

# Graceful stop: gunicorn finishes requests in flight, the worker its current task.
GRACEFUL_SECONDS = 10
KILL_AFTER_SECONDS = GRACEFUL_SECONDS + 5
STARTUP_TIMEOUT_SECONDS = 60
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
        supervisor = Supervisor(self, commands)
        code = supervisor.run(lambda: self._announce(host, port, supervisor))
        if code:
            sys.exit(code)

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
            "worker": [*manage, "db_worker", "--no-reload", "--interval", "1"],
        }  # fmt: skip
        if not options["no_scheduler"]:
            commands["scheduler"] = [*manage, "scheduler"]
        return commands

    def _announce(self, host: str, port: int, supervisor: Supervisor) -> bool:
        """Wait until the port answers, then print where to go and how to log in."""
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while time.monotonic() < deadline and not supervisor.stopping:
            if supervisor.any_exited():
                return False
            with (
                contextlib.suppress(OSError),
                socket.create_connection((_url_host(host).strip("[]"), port), timeout=1),
            ):
                break
            time.sleep(0.2)
        else:
            if not supervisor.stopping:
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


class Supervisor:
    """Runs the children, forwards stop signals and notices a child that dies."""

    def __init__(self, command: BaseCommand, commands: dict[str, list[str]]) -> None:
        self.command = command
        self.commands = commands
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = False

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def any_exited(self) -> bool:
        return any(child.poll() is not None for child in self.children.values())

    def run(self, announce: Any) -> int:
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        for name, argv in self.commands.items():
            # Own process group: a terminal's Ctrl-C reaches the parent only, which then
            # stops the children in order instead of all of them at once.
            self.children[name] = subprocess.Popen(
                argv, env=os.environ.copy(), process_group=0, preexec_fn=_die_with_parent
            )
        announce()
        failed: str | None = None
        while not self.stopping and failed is None:
            for name, child in self.children.items():
                if child.poll() is not None:
                    failed = name
                    break
            else:
                time.sleep(0.2)
        if failed is not None:
            code = self.children[failed].returncode
            self.command.stderr.write(f"{failed} stopped unexpectedly (exit {code}); stopping.")
        self.stop_all()
        return 1 if failed is not None else 0

    def stop_all(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + KILL_AFTER_SECONDS
        for name, child in self.children.items():
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                self.command.stderr.write(f"{name} did not stop in time; killing it.")
                child.kill()
                child.wait()

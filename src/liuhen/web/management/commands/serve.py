"""``liuhen serve``: the web server, the task worker and the scheduler, as one command.

The parent starts three children — gunicorn (threaded WSGI workers), the task worker
(``liuhen task_worker``, django-tasks-db's ``db_worker`` that first queues again what a
killed predecessor left running) and ``liuhen scheduler`` — and watches them. Ctrl-C or
SIGTERM stops them all cleanly. A child that dies on its own (killed, or the worker
stopping on a lost database connection) is started again after a back-off that doubles
up to :data:`liuhen.web.supervisor.MAX_BACKOFF_SECONDS` and starts over once it ran long
enough; the server never gives up, so a database outage ends with the service back by itself.

Children inherit the environment, so every ``LIUHEN_*`` setting applies to all three and
a second instance with another data dir and port runs beside the first.

The command checks the configuration (Django's system checks) and then hands over to
:mod:`liuhen.web.supervisor`, which watches the children without Django in memory.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from liuhen.web import demo
from liuhen.web.supervisor import GRACEFUL_SECONDS


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
        spec = {
            "commands": commands,
            "host": _url_host(host).strip("[]"),
            "port": port,
            "announcement": self._announcement(host, port),
        }
        # The children inherit the environment, so every LIUHEN_* setting applies to all.
        os.environ.update(self._child_environment(port))
        sys.stdout.flush()
        sys.stderr.flush()
        # Same process id (systemd, a terminal's Ctrl-C still reach it), without Django.
        os.execv(  # noqa: S606 - our own interpreter and module, no shell
            sys.executable,
            [sys.executable, "-m", "liuhen.web.supervisor", json.dumps(spec)],
        )

    def _commands(self, host: str, port: int, options: dict[str, Any]) -> dict[str, list[str]]:
        python = sys.executable
        manage = [python, "-m", "liuhen.manage"]
        commands = {
            "web": [
                python, "-m", "gunicorn", "liuhen.wsgi:application",
                "--bind", _bind_address(host, port),
                "--worker-class", "liuhen.web.gunicorn_worker.ThreadWorker",
                # The application (URL configuration included, liuhen.wsgi) is loaded once
                # in gunicorn's master and the workers are forked from it: they share its
                # memory instead of each importing everything again, and answer sooner.
                "--preload",
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
            # Checked once above, before anything started: the children skip the system
            # checks, which would load the URL configuration they never use.
            "worker": [
                *manage, "task_worker", "--skip-checks", "--no-reload", "--interval", "1",
                # Fixed per server: a restarted worker recognises what its predecessor left.
                "--worker-id", f"{socket.gethostname()}:{port}"[-64:],
            ],
        }  # fmt: skip
        if not options["no_scheduler"]:
            commands["scheduler"] = [*manage, "scheduler", "--skip-checks"]
        return commands

    def _child_environment(self, port: int) -> dict[str, str]:
        heartbeat = Path(settings.DATA_DIR) / "run" / f"worker-{port}.heartbeat"
        return {
            "LIUHEN_WORKER_HEARTBEAT_FILE": os.environ.get(
                "LIUHEN_WORKER_HEARTBEAT_FILE", str(heartbeat)
            )
        }

    def _announcement(self, host: str, port: int) -> list[str]:
        lines = [f"\nLiuhen is running at http://{_url_host(host)}:{port}/"]
        lines.append(f"Demo logins (password {demo.DEMO_PASSWORD}):")
        lines += ["  " + "  ".join(login) for login in demo.DEMO_LOGINS]
        lines.append("Press Ctrl-C to stop.")
        return lines

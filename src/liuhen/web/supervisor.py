"""The supervisor of ``liuhen serve``: starts the web server, the task worker and the
scheduler, restarts one that dies, stops them on Ctrl-C or SIGTERM.

``liuhen serve`` checks the configuration with Django loaded and then replaces itself
(``exec``, same process id) with this module, which imports nothing but the standard
library: the process that only watches its children does not keep the whole application in
memory. Its instructions come as one JSON argument (:func:`main`).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from types import FrameType
from typing import Any, TextIO

# Graceful stop: gunicorn finishes requests in flight, the worker its current task.
GRACEFUL_SECONDS = 10
KILL_AFTER_SECONDS = GRACEFUL_SECONDS + 5
STARTUP_TIMEOUT_SECONDS = 60
# Restart back-off of a child that died: 1 s, 2 s, 4 s … at most MAX_BACKOFF_SECONDS; a
# child that ran STABLE_SECONDS before dying starts over at 1 s.
FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 30.0
STABLE_SECONDS = 60.0
# The longest the worker and the scheduler wait for the web server to answer first.
WEB_FIRST_SECONDS = 20.0
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    # If the parent is killed outright (SIGKILL), the children must not live on.
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    backoff: float = FIRST_BACKOFF_SECONDS
    restart_at: float | None = None  # set while it waits to be started again


class Supervisor:
    """Runs the children, forwards stop signals and restarts a child that dies."""

    def __init__(self, commands: dict[str, list[str]], stderr: TextIO = sys.stderr) -> None:
        self.stderr = stderr
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
        child.process = subprocess.Popen(child.argv, process_group=0, preexec_fn=_die_with_parent)
        child.started_at = time.monotonic()
        child.restart_at = None

    def _log(self, message: str) -> None:
        self.stderr.write(message + "\n")
        self.stderr.flush()

    def _watch(self, name: str, child: Child) -> None:
        now = time.monotonic()
        if child.restart_at is not None:
            if now >= child.restart_at:
                if child.process is not None:
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
        # The web server starts alone: on a machine with few cores the worker and the
        # scheduler loading beside it would delay the first page. They follow as soon as it
        # answers, or after WEB_FIRST_SECONDS if it does not.
        later = time.monotonic() + WEB_FIRST_SECONDS
        for name, child in self.children.items():
            if name == "web" or "web" not in self.children:
                self._start(name, child)
            else:
                child.restart_at = later
        announced = False
        while not self.stopping:
            for name, child in self.children.items():
                self._watch(name, child)
            if not announced:
                # Announced once the web server answers; a web server that died first
                # is restarted like any child and announced when it answers.
                announced = announce()
                if announced:
                    self._start_waiting()
            time.sleep(0.2)
        self.stop_all()
        return 0

    def _start_waiting(self) -> None:
        for name, child in self.children.items():
            if child.process is None and child.restart_at is not None:
                self._start(name, child)

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


class Announcer:
    """Once the web server's port answers, prints where to go (one probe per call, so the
    supervisor keeps watching the children meanwhile)."""

    def __init__(self, host: str, port: int, lines: list[str], supervisor: Supervisor) -> None:
        self.host, self.port, self.lines = host, port, lines
        self.supervisor = supervisor
        self.deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        self.warned_slow = False

    def __call__(self) -> bool:
        if self.supervisor.any_exited():
            return False
        try:
            with socket.create_connection((self.host, self.port), timeout=1):
                pass
        except OSError:
            if time.monotonic() > self.deadline and not self.warned_slow:
                self.warned_slow = True
                self.supervisor._log(
                    f"The web server did not answer within {STARTUP_TIMEOUT_SECONDS}s."
                )
            return False
        sys.stdout.write("\n".join(self.lines) + "\n")
        sys.stdout.flush()  # a pipe (make, systemd) would hold it back otherwise
        return True


def main(argv: list[str]) -> int:
    """``python -m liuhen.web.supervisor JSON`` with ``commands`` (name → argv), ``host``
    and ``port`` to probe, and the ``announcement`` lines to print once it answers."""
    spec: dict[str, Any] = json.loads(argv[0])
    supervisor = Supervisor(spec["commands"])
    announce = Announcer(spec["host"], spec["port"], spec["announcement"], supervisor)
    return supervisor.run(announce)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

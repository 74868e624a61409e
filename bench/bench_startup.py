"""`liuhen serve` from start to its first answer, and the memory its processes hold when idle,
next to bare gunicorn serving a one-line WSGI app with the same workers, in the same run.

The time runs from starting the command to the first 200 of ``/accounts/login/`` (polled
every 20 ms). Memory is summed over the whole process tree after it settled: RSS counts a
page shared by several processes in each of them, PSS (``/proc/PID/smaps_rollup``) splits it
between them, so the PSS sum is what the service costs the machine.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.bench_media_ingest import _free_port as free_port

NAME = "startup"
DESCRIPTION = "start to first 200 and idle memory of `liuhen serve`, vs bare gunicorn"
WORKERS = 2  # serve's default
THREADS = 8  # serve's default
SETTLE_SECONDS = float(os.environ.get("LIUHEN_BENCH_SETTLE_SECONDS", "8"))
ROUNDS = int(os.environ.get("LIUHEN_BENCH_STARTUP_ROUNDS", "3"))

_TRIVIAL_APP = """
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
"""


def run() -> list[dict[str, Any]]:
    rows = []
    serve_runs = [_measure(_serve_command, "/accounts/login/") for _ in range(ROUNDS)]
    bare_runs = [_measure(_bare_command, "/") for _ in range(ROUNDS)]
    serve, bare = _best(serve_runs), _best(bare_runs)
    rows.append(
        {
            "figure": "start to first 200 (s, best of rounds)",
            "liuhen_serve": serve["seconds"],
            "bare_gunicorn": bare["seconds"],
            "ratio": serve["seconds"] / bare["seconds"],
            "target": "serve <= 1.5 s",
        }
    )
    for key, label, target in (
        ("pss_mb", "idle PSS, all processes (MB)", "serve <= 200 MB"),
        ("rss_mb", "idle RSS, all processes (MB)", ""),
        ("processes", "processes", ""),
    ):
        rows.append(
            {
                "figure": label,
                "liuhen_serve": float(serve[key]),
                "bare_gunicorn": float(bare[key]),
                "ratio": serve[key] / bare[key],
                "target": target,
            }
        )
    return rows


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return min(runs, key=lambda run: run["seconds"])


def _serve_command(port: int) -> list[str]:
    return [sys.executable, "-m", "liuhen.manage", "serve", "--port", str(port)]


def _bare_command(port: int) -> list[str]:
    folder = Path(tempfile.mkdtemp(prefix="liuhen-bench-wsgi-"))
    (folder / "trivial_wsgi.py").write_text(_TRIVIAL_APP)
    return [
        sys.executable, "-m", "gunicorn", "trivial_wsgi:application",
        "--chdir", str(folder),
        "--bind", f"127.0.0.1:{port}",
        "--worker-class", "gthread",
        "--workers", str(WORKERS),
        "--threads", str(THREADS),
        "--no-control-socket",
    ]  # fmt: skip


def _measure(command: Any, path: str) -> dict[str, Any]:
    port = free_port()
    url = f"http://127.0.0.1:{port}{path}"
    start = time.perf_counter()
    process = subprocess.Popen(
        command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, process_group=0
    )
    try:
        seconds = _first_ok(url, start, process)
        time.sleep(SETTLE_SECONDS)
        pids = _tree(process.pid)
        return {
            "seconds": seconds,
            "pss_mb": sum(_memory(pid, "Pss") for pid in pids) / 1024,
            "rss_mb": sum(_memory(pid, "Rss") for pid in pids) / 1024,
            "processes": len(pids),
        }
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _first_ok(url: str, start: float, process: subprocess.Popen[bytes]) -> float:
    deadline = start + 120
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our server
                if response.status == 200:
                    return time.perf_counter() - start
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.02)
    raise RuntimeError(f"no 200 from {url} within 120 s")


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for index in range(len(pids) + 1000):
        if index >= len(pids):
            break
        path = Path(f"/proc/{pids[index]}/task/{pids[index]}/children")
        if path.exists():
            pids += [int(child) for child in path.read_text().split()]
    return pids


def _memory(pid: int, field: str) -> int:
    """kB of ``field`` (Rss, Pss) over the whole address space of ``pid``."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    for line in text.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0

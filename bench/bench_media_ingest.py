"""AV ingest at disk speed (issue 4): a 1 GiB file through the tus endpoint of a running
server (``liuhen serve``), next to the machine's SM3 single-thread rate and fsync'd write
rate measured in the same run; the server's peak RSS while a 4 GiB file goes in; and
``liuhen import-dock`` over 20 × 100 MB files.

Targets: with SHA-256 + SM3 ≥ 0.85 × the SM3 rate; with SHA-256 only
(``LIUHEN_INGEST_SM3=deferred``) ≥ 0.6 × the fsync'd write rate; peak RSS < 200 MB.
Sizes can be lowered for a quick look: LIUHEN_BENCH_INGEST_MB, LIUHEN_BENCH_RSS_MB,
LIUHEN_BENCH_DOCK_FILES, LIUHEN_BENCH_DOCK_MB.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

NAME = "media_ingest"
DESCRIPTION = "AV ingest: tus upload to a running server, RSS, dock import (MB/s)"

MIB = 1024 * 1024
INGEST_MB = int(os.environ.get("LIUHEN_BENCH_INGEST_MB", "1024"))
RSS_MB = int(os.environ.get("LIUHEN_BENCH_RSS_MB", "4096"))
DOCK_FILES = int(os.environ.get("LIUHEN_BENCH_DOCK_FILES", "20"))
DOCK_MB = int(os.environ.get("LIUHEN_BENCH_DOCK_MB", "100"))
BLOCK = 64 * MIB  # one random block, sent again and again (content need not be unique)
SEND_CHUNK = 4 * MIB


def _random_block() -> bytes:
    """Incompressible bytes, made once per run and sent again and again."""
    return os.urandom(BLOCK)


# --- the machine's own rates ---------------------------------------------------------------


def sm3_rate(block: bytes, total_mb: int) -> float:
    hasher = hashlib.new("sm3")
    view = memoryview(block)
    start = time.perf_counter()
    sent = 0
    while sent < total_mb * MIB:
        hasher.update(view[: min(len(view), total_mb * MIB - sent)])
        sent += min(len(view), total_mb * MIB - sent)
    return total_mb / (time.perf_counter() - start)


def fsync_write_rate(block: bytes, total_mb: int, directory: Path) -> float:
    path = directory / "fsync-probe.bin"
    view = memoryview(block)
    start = time.perf_counter()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        written = 0
        while written < total_mb * MIB:
            chunk = view[written % BLOCK : written % BLOCK + MIB]
            written += os.write(fd, chunk)
        os.fsync(fd)
    finally:
        os.close(fd)
    seconds = time.perf_counter() - start
    path.unlink()
    return total_mb / seconds


# --- a running server -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_server(env: dict[str, str]) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "liuhen.manage", "serve", "--no-scheduler", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        yield port, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue.extend(_children(current))
    return pids


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _cmdline(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""


class RssWatcher(threading.Thread):
    """Peak RSS of each process of the web server (gunicorn master and workers)."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak: dict[int, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for pid in _tree(self.root):
                if "gunicorn" in _cmdline(pid):
                    self.peak[pid] = max(self.peak.get(pid, 0.0), _rss_mb(pid))
            time.sleep(0.05)


def tus_upload(port: int, token: str, block: bytes, total_mb: int, name: str) -> float:
    """Create an upload and send it in one PATCH; the seconds from first byte to reply."""
    length = total_mb * MIB
    headers = {"Tus-Resumable": "1.0.0", "Authorization": f"Bearer {token}"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    metadata = "filename " + base64.b64encode(name.encode()).decode()
    conn.request(
        "POST",
        "/api/v1/uploads/",
        headers={**headers, "Upload-Length": str(length), "Upload-Metadata": metadata},
    )
    created = conn.getresponse()
    created.read()
    if created.status != 201:
        raise RuntimeError(f"creating the upload: HTTP {created.status}")
    location = created.getheader("Location") or ""
    path = location.split("://", 1)[-1]
    path = path[path.index("/") :] if "://" in location else location
    view = memoryview(block)
    start = time.perf_counter()
    conn.putrequest("PATCH", path)
    for key, value in {
        **headers,
        "Upload-Offset": "0",
        "Content-Type": "application/offset+octet-stream",
        "Content-Length": str(length),
    }.items():
        conn.putheader(key, value)
    conn.endheaders()
    sent = 0
    while sent < length:
        at = sent % BLOCK
        size = min(SEND_CHUNK, BLOCK - at, length - sent)
        conn.sock.sendall(view[at : at + size])
        sent += size
    reply = conn.getresponse()
    reply.read()
    seconds = time.perf_counter() - start
    conn.close()
    if reply.status != 204:
        raise RuntimeError(f"uploading: HTTP {reply.status}")
    return seconds


def _officer_token() -> str:
    from liuhen.accounts.models import Bureau, Role, RoleGrant, Unit, User
    from liuhen.api.models import ApiToken
    from liuhen.api.tokens import new_token, token_hash

    bureau = Bureau.objects.first() or Bureau.objects.create(name="基准局")
    unit = Unit.objects.create(bureau=bureau, name="基准中队")
    user = User.objects.create_user(
        username=f"bench{time.time_ns()}", password=None, full_name="基准", unit=unit
    )
    RoleGrant.objects.create(user=user, role=Role.OFFICER)
    token, prefix = new_token()
    ApiToken.objects.create(user=user, name="bench", prefix=prefix, token_hash=token_hash(token))
    return token


def _server_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


def ingest_rows(token: str, block: bytes, sm3: float, fsync: float) -> list[dict[str, Any]]:
    rows = []
    for mode, digests, target, reference, label in (
        ("inline", "SHA-256 + SM3", 0.85, sm3, "SM3 rate"),
        ("deferred", "SHA-256 only", 0.6, fsync, "fsync'd write rate"),
    ):
        with running_server(_server_env(LIUHEN_INGEST_SM3=mode)) as (port, _process):
            seconds = tus_upload(port, token, block, INGEST_MB, f"bench-{mode}.mp4")
        rate = INGEST_MB / seconds
        print(f"tus {digests}: {rate:,.0f} MB/s", file=sys.stderr)
        rows.append(
            {
                "run": f"tus {INGEST_MB} MiB, {digests}",
                "MB/s": rate,
                "reference": f"{label} {reference:,.0f} MB/s",
                "ratio": rate / reference,
                "target": f">= {target}",
                "ok": "yes" if rate >= target * reference else "NO",
            }
        )
    # Chunks that reach another server process: the running digests cannot follow them,
    # so the finished file is hashed in one read at completion (both digests, inline).
    with running_server(_server_env(LIUHEN_TUS_RUNNING_DIGEST="false")) as (port, _process):
        seconds = tus_upload(port, token, block, INGEST_MB, "bench-completion.mp4")
    rate = INGEST_MB / seconds
    print(f"tus, digests at completion: {rate:,.0f} MB/s", file=sys.stderr)
    rows.append(
        {
            "run": f"tus {INGEST_MB} MiB, SHA-256 + SM3 in one read at completion",
            "MB/s": rate,
            "reference": f"SM3 rate {sm3:,.0f} MB/s",
            "ratio": rate / sm3,
            "target": "",
            "ok": "",
        }
    )
    return rows


def rss_row(token: str, block: bytes) -> dict[str, Any]:
    with running_server(_server_env()) as (_port, process):
        watcher = RssWatcher(process.pid)
        watcher.start()
        time.sleep(0.5)
        seconds = tus_upload(_port, token, block, RSS_MB, "bench-rss.mp4")
        watcher.stop.set()
        watcher.join()
    peak = max(watcher.peak.values(), default=0.0)
    return {
        "run": f"tus {RSS_MB} MiB, peak RSS of a server process",
        "MB/s": RSS_MB / seconds,
        "reference": f"peak RSS {peak:,.0f} MB",
        "ratio": peak / 200,
        "target": "< 200 MB",
        "ok": "yes" if peak < 200 else "NO",
    }


def dock_row(block: bytes) -> dict[str, Any]:
    from django.core.management import call_command

    from liuhen.accounts.models import Unit
    from liuhen.core.audit import SYSTEM
    from liuhen.devices import actions as devices

    unit = Unit.objects.first()
    station = devices.enrol_device(
        SYSTEM, serial=f"BENCHZ{time.time_ns() % 10**6}", kind="station", unit=unit
    )
    recorder = devices.enrol_device(
        SYSTEM, serial=f"BENCHR{time.time_ns() % 10**6}", kind="recorder", unit=unit
    )
    folder = Path(tempfile.mkdtemp(prefix="liuhen-dock-"))
    try:
        for index in range(DOCK_FILES):
            # Each file different (a counter up front), so the store keeps them all.
            name = f"{recorder.serial}_000{index:03d}_20261101{index % 24:02d}0000_{index:04d}.mp4"
            with open(folder / name, "wb") as handle:
                handle.write(index.to_bytes(8, "big"))
                remaining = DOCK_MB * MIB - 8
                while remaining:
                    size = min(remaining, 8 * MIB)
                    handle.write(block[:size])
                    remaining -= size
        os.sync()
        start = time.perf_counter()
        call_command("import_dock", str(folder), station=station.serial, stdout=io.StringIO())
        seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(folder)
    total = DOCK_FILES * DOCK_MB
    return {
        "run": f"import-dock {DOCK_FILES} x {DOCK_MB} MB",
        "MB/s": total / seconds,
        "reference": f"{DOCK_FILES / seconds:.2f} files/s, {seconds:.1f} s",
        "ratio": "",
        "target": "",
        "ok": "",
    }


def run() -> list[dict[str, Any]]:
    from django.conf import settings

    block = _random_block()
    sm3 = sm3_rate(block, 1024)
    directory = Path(settings.DATA_DIR)
    fsync = fsync_write_rate(block, 1024, directory)
    print(f"SM3 {sm3:,.0f} MB/s, fsync write {fsync:,.0f} MB/s", file=sys.stderr)
    rows: list[dict[str, Any]] = [
        {
            "run": "SM3, one thread, 1 GiB in memory",
            "MB/s": sm3,
            "reference": "",
            "ratio": "",
            "target": "",
            "ok": "",
        },
        {
            "run": "write + fsync 1 GiB to the data dir",
            "MB/s": fsync,
            "reference": "",
            "ratio": "",
            "target": "",
            "ok": "",
        },
    ]
    token = _officer_token()
    rows += ingest_rows(token, block, sm3, fsync)
    rows.append(rss_row(token, block))
    rows.append(dock_row(block))
    return rows

"""Helpers of the fault tests of writes (kill -9, a full disk): the commands run as real
processes against the test's database and a blob store of the test's own, and a child
process can be killed with SIGKILL at a chosen moment (right after the bytes are stored,
before the database commit that records them)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

from tests.fixtures.storage import SHARED_FONT_CACHE

LIUHEN = [sys.executable, "-m", "liuhen.manage"]
KILLED = -9


def database_url() -> str:
    """This test's database (the one pytest-django made), for a child process."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    parts = urlsplit(settings.DATABASE_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def child_env(blob_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "LIUHEN_DATABASE_URL": database_url(),
        "LIUHEN_BLOB_URL": str(blob_root),
        "LIUHEN_FONT_CACHE_DIR": str(SHARED_FONT_CACHE),
    }


def liuhen(blob_root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``liuhen ARGS`` in a process of its own; its output and exit code."""
    return subprocess.run(
        [*LIUHEN, *args],
        env=child_env(blob_root),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def killed_at(
    blob_root: Path, patch_target: str, work: str, *, after: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run ``work`` (Python, Django set up) in a child process that SIGKILLs itself at
    ``patch_target`` (``module:function``): the moment the function returns (``after``)
    or the moment it is called. No clean-up of any kind runs."""
    module, function = patch_target.split(":")
    script = textwrap.dedent(
        f"""
        import os, signal
        import django
        django.setup()
        import {module} as target
        original = target.{function}

        def die_there(*args, **kwargs):
            result = original(*args, **kwargs) if {after!r} else None
            os.kill(os.getpid(), signal.SIGKILL)
            return result

        target.{function} = die_there
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script + textwrap.dedent(work)],
        env=child_env(blob_root),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def stored_blobs(root: Path) -> set[str]:
    """The SHA-256 names of the blobs in a filesystem store (not its temporary files, not
    the SM3 sidecars and marks beside the blobs)."""
    return {
        path.name
        for path in root.rglob("*")
        if path.is_file() and not path.suffix and path.relative_to(root).parts[0] != "tmp"
    }

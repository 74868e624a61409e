"""A task that takes as long as the test wants: each attempt leaves a file, then the task
waits for a release file and leaves a second one. Idempotent like every task here."""

from __future__ import annotations

import os
import time

from django.conf import settings
from django_tasks import task

RELEASE = "release"


@task()
def wait_for_release(max_seconds: float = 90) -> int:
    folder = settings.DATA_DIR / "faults"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"started-{os.getpid()}").touch()
    deadline = time.monotonic() + max_seconds
    while not (folder / RELEASE).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    (folder / f"finished-{os.getpid()}").touch()
    return os.getpid()

#!/usr/bin/env python3
"""Bring every app's zh-Hans catalog up to date after strings moved or were added.

For each app: ``makemessages`` (new strings in, removed ones marked obsolete); an empty
translation is filled from any other app's catalog that translates the same string (a
label that moved from one app to another keeps its translation); obsolete entries are
dropped; ``compilemessages``. What is still untranslated is listed: translate it by hand
(the glossary's official terms) and run this again.

    .venv/bin/python scripts/sync-translations.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

SRC = Path(__file__).resolve().parents[1] / "src" / "liuhen"
APPS = sorted(p.parent.name for p in SRC.glob("*/apps.py"))


def _catalog(app: str) -> Path:
    return SRC / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _manage(*args: str, cwd: Path, data: Path) -> None:
    env = {**os.environ, "LIUHEN_DATA_DIR": str(data)}
    command = [sys.executable, "-P", "-m", "liuhen.manage", *args, "-v", "0"]
    subprocess.run(command, cwd=cwd, env=env, check=True)


def _known_translations() -> dict[tuple[str | None, str], str]:
    known: dict[tuple[str | None, str], str] = {}
    for app in APPS:
        path = _catalog(app)
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.msgstr and not entry.msgid_plural and "fuzzy" not in entry.flags:
                known.setdefault((entry.msgctxt, entry.msgid), entry.msgstr)
    return known


def main() -> int:
    with tempfile.TemporaryDirectory() as data:
        return _sync(Path(data))


def _sync(data: Path) -> int:
    known = _known_translations()  # before makemessages turns moved strings obsolete
    missing: list[str] = []
    for app in APPS:
        (SRC / app / "locale").mkdir(exist_ok=True)
        _manage("makemessages", "-l", "zh_Hans", "--no-obsolete", cwd=SRC / app, data=data)
        path = _catalog(app)
        if not path.exists():
            continue
        catalog = polib.pofile(str(path))
        if not any(entry.msgid for entry in catalog):
            path.unlink()
            continue
        for entry in catalog:
            if "fuzzy" in entry.flags:
                # msgmerge's guess from a similar string is never taken as a translation.
                entry.flags.remove("fuzzy")
                entry.msgstr = ""
                entry.previous_msgid = None
            if not entry.msgstr and not entry.msgid_plural:
                found = known.get((entry.msgctxt, entry.msgid))
                if found:
                    entry.msgstr = found
                else:
                    missing.append(f"{app}: {entry.msgid}")
        catalog.save()
        _manage("compilemessages", "-l", "zh_Hans", cwd=SRC / app, data=data)
    for line in missing:
        print("untranslated", line)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The zh-Hans catalog is complete: every translatable string in every app has a translation.

Each app keeps its own catalog (``<app>/locale``). The test re-extracts the strings from a
copy of the source with ``makemessages``, so a new string without a translation fails here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "liuhen"
APPS = sorted(p.parent.name for p in SRC.glob("*/apps.py"))


def _extract(app: str, tmp_path: Path) -> Path:
    copy = tmp_path / app
    shutil.copytree(SRC / app, copy, ignore=shutil.ignore_patterns("vendor", "__pycache__"))
    # makemessages writes into an existing locale folder only.
    (copy / "locale").mkdir(exist_ok=True)
    env = {**os.environ, "LIUHEN_DATA_DIR": str(tmp_path / "data")}
    subprocess.run(
        [sys.executable, "-P", "-m", "liuhen.manage", "makemessages", "-l", "zh_Hans", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
    )
    return copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("app", APPS)
def test_every_string_is_translated_and_compiled(app: str, tmp_path: Path) -> None:
    extracted = _extract(app, tmp_path)
    catalog_path = SRC / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    if not extracted.exists():
        assert not catalog_path.exists(), f"{app} has a catalog but no translatable strings"
        return
    missing = [
        entry.msgid
        for entry in polib.pofile(str(extracted))
        if not entry.obsolete and not entry.translated()
    ]
    assert not missing, f"untranslated strings in {app}: {missing}"
    assert catalog_path.exists(), f"{app} has translatable strings but no zh_Hans catalog"
    mo_path = catalog_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run compilemessages"
    assert _entries(polib.pofile(str(catalog_path))) == _entries(polib.mofile(str(mo_path))), (
        f"{mo_path} is out of date: run compilemessages"
    )


def _entries(catalog: polib._BaseFile) -> dict[tuple[str | None, str], object]:
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
        for entry in catalog
        if entry.msgid
        and (entry.msgstr or entry.msgstr_plural)
        and "fuzzy" not in entry.flags
        and not entry.obsolete
    }


def test_one_msgid_means_one_thing_across_apps() -> None:
    """Django merges every app's catalog and one translation wins silently; so a msgid
    used by two apps (without a context) must be translated the same way in both."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for po_path in sorted(SRC.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po_path)):
            if entry.msgid_plural or not entry.msgstr or entry.obsolete:
                continue
            seen.setdefault((entry.msgctxt, entry.msgid), {})[po_path.parts[-5]] = entry.msgstr
    clashes = {key[1]: by_app for key, by_app in seen.items() if len(set(by_app.values())) > 1}
    assert not clashes, f"translated differently by different apps: {clashes}"

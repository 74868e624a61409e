"""The outside auditor's verifier runs without Django and without a database (R1.1)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from liuhen.core.models import AuditEvent
from liuhen.core.treehead import sign_tree_head

pytestmark = pytest.mark.usefixtures("signing_key_file")

SRC = Path(__file__).resolve().parents[2] / "src"

PROBE = """
import sys
from liuhen.verify_export import main
code = main([sys.argv[1]])
leaked = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print("DJANGO-MODULES:", leaked)
sys.exit(code)
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(SRC)}  # no Django settings
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def _export(tmp_path: Path) -> Path:
    sign_tree_head()
    path = tmp_path / "audit.jsonl"
    call_command("audit", "export", str(path), stderr=io.StringIO())
    return path


def test_verifier_imports_no_django(some_events: list[AuditEvent], tmp_path: Path) -> None:
    path = _export(tmp_path)
    done = _run("-c", PROBE, str(path))
    assert done.returncode == 0, done.stderr
    assert "audit export intact: 11 events" in done.stdout
    assert "DJANGO-MODULES: []" in done.stdout


def test_module_entry_point_and_exit_codes(some_events: list[AuditEvent], tmp_path: Path) -> None:
    path = _export(tmp_path)
    done = _run("-X", "importtime", "-m", "liuhen.verify_export", str(path))
    assert done.returncode == 0
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()]
    assert not any(name == "django" or name.startswith("django.") for name in imported)

    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace('"outcome":"ok"', '"outcome":"denied"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = _run("-m", "liuhen.verify_export", str(path))
    assert done.returncode == 1
    assert "NOT intact at sequence number 4" in done.stderr

    done = _run("-m", "liuhen.verify_export", str(tmp_path / "nothing.jsonl"))
    assert done.returncode == 2

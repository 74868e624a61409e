"""collectstatic works on what `make run` copies in (hashed, compressed names for WhiteNoise)."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_finds_every_referenced_file(tmp_path: Path) -> None:
    with override_settings(STATIC_ROOT=tmp_path):
        call_command("collectstatic", "--noinput", verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    for name in ("vendor/bootstrap/bootstrap.min.css", "vendor/htmx/htmx.min.js", "web/liuhen.css"):
        assert name in manifest
    assert list(tmp_path.glob("vendor/htmx/htmx.min.*.js.gz"))

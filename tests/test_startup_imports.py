"""A web process starts without the heavy libraries: pyHanko, WeasyPrint, openpyxl, boto3,
PyAV and aiohttp load where a seal, a PDF, a workbook, an S3 call or a recording needs them,
not with the URL configuration every process imports (start-up time and idle memory; the
figures are in docs/benchmarks.md, `startup`).

Checked in a fresh interpreter: the test process itself has imported them long ago.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("pyhanko", "weasyprint", "openpyxl", "boto3", "av", "aiohttp")

_LOADED = """
import json, sys
import django
django.setup()
from django.urls import resolve
import liuhen.wsgi
resolve("/accounts/login/")
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _top_level_modules_after(code: str, data_dir: Path) -> set[str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "liuhen.settings",
        "LIUHEN_DATA_DIR": str(data_dir),
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_url_configuration_loads_no_heavy_library(tmp_path: Path) -> None:
    loaded = _top_level_modules_after(_LOADED, tmp_path)
    assert "liuhen" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_a_heavy_library_loads_when_it_is_used(tmp_path: Path) -> None:
    # Writing a workbook brings openpyxl in: the probe is not blind to a loaded library.
    code = _LOADED.replace(
        "print(",
        "from liuhen.core import tabular\n"
        "tabular.xlsx_response(['a'], [['b']], 'register', title='t').close()\n"
        "print(",
        1,
    )
    loaded = _top_level_modules_after(code, tmp_path)
    assert "openpyxl" in loaded
    assert "pyhanko" not in loaded

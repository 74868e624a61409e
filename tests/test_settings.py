"""Settings: every knob a LIUHEN_* variable, parsed strictly; a bad value names the variable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def _load(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import liuhen.settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.LANGUAGE_CODE, s.DEBUG, s.TIME_ZONE)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LIUHEN_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "LIUHEN_DATA_DIR": str(tmp_path / "data"), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_defaults_are_the_embedded_deployment(tmp_path: Path) -> None:
    result = _load(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "zh-hans",
        "False",
        "Asia/Shanghai",
    ]
    # The secret key is generated under the data dir on first start, readable by us only.
    key = tmp_path / "data" / "keys" / "secret_key"
    assert key.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LIUHEN_DEBUG", "maybe"),
        ("LIUHEN_LOGIN_MAX_FAILURES", "five"),
        ("LIUHEN_PASSWORD_MIN_LENGTH", "6"),
        ("LIUHEN_DATABASE_URL", "mysql://x"),
        ("LIUHEN_TIME_ZONE", "Mars/Olympus"),
        ("LIUHEN_LANGUAGE", "fr"),
        ("LIUHEN_BLOB_URL", "ftp://host/x"),
        ("LIUHEN_BLOB_URL", "s3://"),
        ("LIUHEN_S3_PART_SIZE", "1048576"),
        ("LIUHEN_SECRET_KEY_FILE", "/nonexistent/key"),
        ("LIUHEN_DATABASE_CONN_MAX_AGE", "-1"),
    ],
)
def test_bad_value_stops_startup_naming_the_variable(
    tmp_path: Path, variable: str, value: str
) -> None:
    result = _load(tmp_path, **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr


def test_postgres_url_and_secret_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    result = _load(
        tmp_path,
        LIUHEN_DATABASE_URL="postgres://postgres@127.0.0.1:5432/liuhen",
        LIUHEN_SECRET_KEY_FILE=str(secret),
        LIUHEN_LANGUAGE="en",
        LIUHEN_DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "en", "True", "Asia/Shanghai"]


def _database_settings(tmp_path: Path, **env: str) -> dict[str, object]:
    code = (
        "import json, liuhen.settings as s; d = s.DATABASES['default']; "
        "print(json.dumps({'max_age': d['CONN_MAX_AGE'], "
        "'health': d.get('CONN_HEALTH_CHECKS', False), "
        "'init': d.get('OPTIONS', {}).get('init_command', '')}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LIUHEN_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "LIUHEN_DATA_DIR": str(tmp_path / "data"), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_sqlite_commits_are_synced_and_connections_are_per_request(tmp_path: Path) -> None:
    database = _database_settings(tmp_path)
    # A committed audit event or AV registration must survive a power cut.
    assert "PRAGMA synchronous=FULL" in str(database["init"])
    assert "journal_mode=WAL" in str(database["init"])
    assert database["max_age"] == 0


def test_postgres_connections_are_kept_and_checked_before_reuse(tmp_path: Path) -> None:
    url = "postgres://postgres@127.0.0.1:5432/liuhen"
    database = _database_settings(tmp_path, LIUHEN_DATABASE_URL=url)
    assert database == {"max_age": 60, "health": True, "init": ""}
    shorter = _database_settings(
        tmp_path, LIUHEN_DATABASE_URL=url, LIUHEN_DATABASE_CONN_MAX_AGE="0"
    )
    assert shorter["max_age"] == 0

"""The API fuzzed against a live server (R20.1): schemathesis generates requests from the
OpenAPI document, as an officer and as a supervisor, on the seeded demo, and runs every
check — no server error, and every answer (status, content type, headers, body) as the
document says. The counts appear in the session summary (tests/fixtures/fuzz.py).

A run is bounded (a few examples per operation, deterministic generation) so that CI
answers the same way every time; token management is left out because a generated
request may revoke the very token the run signs in with.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from liuhen.accounts.models import User
from liuhen.api.urls import api
from tests.fixtures import fuzz
from tests.fixtures.api import token_for

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
# The officer, who may write, gets every phase (the schema's examples, the coverage of each
# parameter's edges, random fuzzing); the supervisor, who mostly reads, examples and fuzzing.
PEOPLE = {
    "wangming": ("officer", "examples,coverage,fuzzing", 3),
    "jiandu": ("supervisor", "examples,fuzzing", 5),
}


@pytest.fixture
def demo_server(live_server):
    call_command("seed_demo")
    return live_server


@pytest.mark.parametrize("username", sorted(PEOPLE))
def test_no_server_error_and_no_schema_violation(demo_server, tmp_path, username) -> None:
    schema = tmp_path / "openapi.json"
    schema.write_text(json.dumps(api.get_openapi_schema()), encoding="utf-8")
    token = token_for(User.objects.get(username=username), name="fuzzing")
    role, phases, examples = PEOPLE[username]
    output = _schemathesis(schema, demo_server.url, token, tmp_path, phases, examples)
    counts = _counts(output.stdout)
    fuzz.RUNS.append(
        {
            "who": role,
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "exit": output.returncode,
            **counts,
        }
    )
    assert counts["operations"] > 60, output.stdout[-3000:]
    assert output.returncode == 0, output.stdout[-20000:]
    assert counts["failures"] == 0


def _schemathesis(
    schema: Path, url: str, token: str, tmp: Path, phases: str, examples: int
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.api.fuzz_hooks",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        "NO_COLOR": "1",
    }
    command = [
        str(Path(sys.executable).with_name("st")),
        "run",
        str(schema),
        "--url",
        url,
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        "all",
        "--phases",
        phases,
        "--max-examples",
        str(examples),
        "--generation-deterministic",
        "--exclude-path-regex",
        "/tokens",
        "--request-timeout",
        "120",
        "--workers",
        "1",
        "--no-color",
        "--report-dir",
        str(tmp),
    ]
    return subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False
    )


def _counts(text: str) -> dict[str, int]:
    def number(pattern: str) -> int:
        found = re.search(pattern, text)
        return int(found.group(1)) if found else 0

    failures = re.findall(r"❌ (ST\d+|[A-Za-z][^:\n]*?) ([^:\n]*): (\d+)", text)
    server = sum(int(n) for code, title, n in failures if "Server error" in f"{code} {title}")
    total = sum(int(n) for _code, _title, n in failures)
    return {
        "operations": number(r"Tested: (\d+)"),
        "cases": number(r"(\d+) generated"),
        "failures": total,
        "server_errors": server,
        "schema_violations": total - server,
    }

"""The nightly export to the provincial platform (制度第二十条): JSON Lines of subjects,
cases and decisions, incremental by change time, each line valid against the schema in
the repository."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from django.utils import timezone

from liuhen.cases.actions.platform import export_due, export_to_platform
from liuhen.cases.models import PlatformExportMark
from liuhen.core import access
from liuhen.core.audit import SYSTEM
from liuhen.subjects import actions as subject_actions
from liuhen.subjects.models import Subject
from tests.factories import person, resident_id
from tests.subjects.file.world import build_world

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(__file__).parents[3] / "docs/schemas/platform-export.schema.json").read_text()
)


def _lines(path: Path | None) -> list[dict]:
    assert path is not None
    found = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for line in found:
        validator.validate(line)
    return found


def test_first_run_writes_all_second_writes_nothing_a_change_writes_only_it(
    tmp_path, unit_a, officer_wang
) -> None:
    world = build_world(unit_a, officer_wang)
    someone = person()
    first = _lines(export_to_platform(SYSTEM, tmp_path))
    kinds = {(line["type"], line["id"]) for line in first}
    assert {
        ("subject", world.subject.pk),
        ("subject", someone.pk),
        ("case", world.case.pk),
    } <= kinds
    assert ("decision", world.case.decision.pk) in kinds
    assert next(line for line in first if line["id"] == someone.pk)["data"]["identifier"] != (
        someone.resident_id()
    )  # masked

    assert export_to_platform(SYSTEM, tmp_path) is None
    assert len(list(tmp_path.iterdir())) == 1

    subject_actions.update_subject(SYSTEM, someone, address="盘锦市新地址1号")
    third = _lines(export_to_platform(SYSTEM, tmp_path))
    assert [(line["type"], line["id"]) for line in third] == [("subject", someone.pk)]
    assert third[0]["data"]["address"] == "盘锦市新地址1号"


def test_a_read_only_touch_is_not_sent_again(tmp_path, head_zhang) -> None:
    someone = person()
    export_to_platform(SYSTEM, tmp_path)
    subject_actions.reveal_identifier(SYSTEM, Subject.objects.get(pk=someone.pk))
    assert export_to_platform(SYSTEM, tmp_path) is None


def test_restricted_subjects_do_not_leave_the_bureau(tmp_path) -> None:
    secret = person(confidentiality="state_secret")
    ordinary = person(resident_id(31), name="钱三")
    sent = {(line["type"], line["id"]) for line in _lines(export_to_platform(SYSTEM, tmp_path))}
    assert ("subject", ordinary.pk) in sent and ("subject", secret.pk) not in sent


def test_the_command_writes_the_file_and_says_so(tmp_path, capsys) -> None:
    person()
    call_command("export_platform", str(tmp_path))
    assert "platform-" in capsys.readouterr().out
    call_command("export_platform", str(tmp_path))
    assert capsys.readouterr().out.strip() == "nothing changed"


def test_the_nightly_task_runs_once_a_local_day(tmp_path) -> None:
    person()
    assert export_due(SYSTEM, tmp_path) is not None
    person(resident_id(32), name="钱二")
    assert export_due(SYSTEM, tmp_path) is None  # already ran today
    mark = PlatformExportMark.objects.get()
    mark.last_run_at = timezone.now() - timezone.timedelta(days=1)
    mark.save()
    assert export_due(SYSTEM, tmp_path) is not None


def test_only_the_system_exports_to_the_platform(tmp_path, agency_head_liu) -> None:
    with pytest.raises(access.AccessDenied):
        export_to_platform(agency_head_liu, tmp_path)
    assert not list(tmp_path.iterdir())

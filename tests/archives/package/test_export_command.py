"""``liuhen archive export``: archive packages copied out of the blob store (filesystem or
S3) to a folder for transfer, one OCFL object per case (制度第十八条; R18.1)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from liuhen.archives.models import ArchivePackage
from liuhen.core.blobs import get_store
from liuhen.core.models import AuditEvent
from liuhen.media.actions import curation
from tests.archives.package.package_helpers import (
    CLIP,
    archive,
    bureau_key_id,
    ocfl_check,
    run_checker,
)
from tests.factories import CaseFactory
from tests.fixtures.media import ingest_bytes

pytestmark = pytest.mark.usefixtures("signing_key_file")


def _archived_case_with_clip(officer: Any, unit: Any, marker: bytes) -> Any:
    case = CaseFactory(unit=unit, officers=[officer])
    record = ingest_bytes(officer, CLIP + marker, "现场检查.mp4")
    curation.link(officer, record, case=case, evidence=True)
    return archive(case)


def _export(*args: str) -> str:
    out = io.StringIO()
    call_command("archive", "export", *args, stdout=out)
    return out.getvalue()


def test_export_one_case_from_either_store(
    blob_backend: str, unit_a: Any, officer_wang: Any, tmp_path: Path
) -> None:
    case = _archived_case_with_clip(officer_wang, unit_a, b"one")
    output = _export(case.number, str(tmp_path / "transfer"))
    folder = tmp_path / "transfer" / case.number
    assert f"{case.number}: {folder}" in output and "1 archive packages exported" in output
    package = ArchivePackage.objects.get(case=case)
    assert package.built_by is None and get_store().exists(package.blob_id)
    assert ocfl_check(folder)[0]
    done = run_checker(folder, "--key-id", bureau_key_id())
    assert done.returncode == 0, done.stdout
    [clip] = (folder / "v1/content/av").glob("*/现场检查.mp4")
    assert clip.read_bytes().startswith(CLIP)

    # A second export copies the same package again; it builds no new one.
    _export(case.number, str(tmp_path / "again"))
    assert ArchivePackage.objects.filter(case=case).count() == 1
    assert AuditEvent.objects.filter(action="archive_package.export").count() == 2


def test_export_all_archived_cases(
    blob_root: Path, unit_a: Any, officer_wang: Any, tmp_path: Path
) -> None:
    first = _archived_case_with_clip(officer_wang, unit_a, b"first")
    second = _archived_case_with_clip(officer_wang, unit_a, b"second")
    open_case = CaseFactory(unit=unit_a, officers=[officer_wang])
    output = _export("--all", str(tmp_path / "all"))
    assert "2 archive packages exported" in output
    folders = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert folders == sorted([first.number, second.number])
    assert open_case.number not in output
    for folder in (tmp_path / "all").iterdir():
        assert run_checker(folder, "--key-id", bureau_key_id()).returncode == 0


def test_export_refusals(blob_root: Path, unit_a: Any, officer_wang: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as unknown:
        _export("洼农（农药）立〔1999〕1号", str(tmp_path))
    assert unknown.value.returncode == 2
    open_case = CaseFactory(unit=unit_a, officers=[officer_wang])
    with pytest.raises(CommandError, match=r"尚未归档|not archived"):
        _export(open_case.number, str(tmp_path))
    case = _archived_case_with_clip(officer_wang, unit_a, b"taken")
    (tmp_path / "taken" / case.number).mkdir(parents=True)
    with pytest.raises(CommandError, match="taken"):
        _export(case.number, str(tmp_path / "taken"))
    assert not ArchivePackage.objects.exists()

"""The archive package of an archived case (制度第十八条; R18.1, R18.2, R1.1; DA/T 46,
DA/T 63, DA/T 70): an OCFL 1.1 object that an independent validator accepts and that
``python -m liuhen.verify_package`` checks without the system, naming what was tampered."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from liuhen.archives.actions.package import (
    build_archive_package,
    export_archive_packages,
)
from liuhen.archives.models import ArchivePackage
from liuhen.archives.package.items import ExtraItem
from liuhen.core.access import AccessDenied
from liuhen.core.blobs import get_store
from liuhen.core.models import AuditEvent
from tests.archives.package.package_helpers import (
    add_scan_and_av,
    archive,
    blank_pdf,
    bureau_key_id,
    ocfl_check,
    run_checker,
)

pytestmark = pytest.mark.usefixtures("signing_key_file")

BOUND = ExtraItem(name="案卷.pdf", data=blank_pdf(3), title="案卷（装订本）")


@pytest.fixture
def archived_case_with_records(issued_order: Any, officer_wang: Any) -> Any:
    """The decided case with its sealed 责令改正通知书, a scanned 询问笔录 and an AV record
    used as evidence, archived."""
    case = issued_order.case
    add_scan_and_av(officer_wang, case)
    return archive(case)


@pytest.fixture
def exported_package(archived_case_with_records: Any, archivist_wu: Any, tmp_path: Path) -> Path:
    build_archive_package(archivist_wu, archived_case_with_records, extra_items=[BOUND])
    [exported] = export_archive_packages(
        archivist_wu, [archived_case_with_records], tmp_path / "transfer"
    )
    return exported.folder


def _content(folder: Path, pattern: str) -> Path:
    [found] = sorted((folder / "v1" / "content").glob(pattern))
    return found


def _relative(folder: Path, path: Path) -> str:
    return path.relative_to(folder).as_posix()


def test_the_package_passes_the_ocfl_validator_and_the_checker(
    exported_package: Path, archived_case_with_records: Any
) -> None:
    assert ocfl_check(exported_package) == (True, {"E056b"})

    done = run_checker(exported_package, "--key-id", bureau_key_id())
    assert done.returncode == 0, done.stdout + done.stderr
    for line in (
        "真实性 authenticity: 通过 PASS",
        "完整性 integrity: 通过 PASS",
        "可用性 usability: 通过 PASS",
        "安全性 security: 通过 PASS",
        "结论 result: 通过 PASS",
        archived_case_with_records.number,
    ):
        assert line in done.stdout

    manifest = json.loads(_content(exported_package, "package.json").read_text())
    kinds = sorted(item["kind"] for item in manifest["items"])
    assert kinds == ["av", "casefile", "document", "document"]
    [order] = [i for i in manifest["items"] if i["title"] == "责令改正通知书"]
    assert order["sealed"] == [f"{order['folder']}/issued.pdf"]
    metadata = _content(exported_package, "documents/*责令改正通知书/metadata.xml").read_text()
    assert "DA/T 46-2009" in metadata and "<题名>责令改正通知书</题名>" in metadata
    assert "<电子签名>" in metadata
    av_metadata = _content(exported_package, "av/*/metadata.xml").read_text()
    assert "DA/T 63-2017" in av_metadata and "作为证据使用" in av_metadata
    inventory = json.loads((exported_package / "inventory.json").read_text())
    assert set(inventory["fixity"]) == {"sha256", "sm3"}
    readme = _content(exported_package, "README.txt").read_text()
    assert "python -m liuhen.verify_package" in readme and "四性检测" in readme


def test_the_package_is_in_the_blob_store_and_the_log(
    exported_package: Path, archived_case_with_records: Any, archivist_wu: Any
) -> None:
    package = ArchivePackage.objects.get(case=archived_case_with_records)
    assert get_store().exists(package.blob_id)
    sidecar = (exported_package / "inventory.json.sha512").read_text().split()[0]
    assert package.inventory_sha512 == sidecar and package.item_count == 4
    manifest = _content(exported_package, "package.json").read_bytes()
    seal = AuditEvent.objects.get(seq=package.seal_seq)
    assert seal.action == "archive_package.seal" and seal.case_id == archived_case_with_records.pk
    assert seal.details["manifest_sha256"] == hashlib.sha256(manifest).hexdigest()
    assert AuditEvent.objects.filter(
        action="archive_package.build", object_id=str(package.pk), actor_id=str(archivist_wu.pk)
    ).exists()
    assert AuditEvent.objects.filter(action="archive_package.export").count() == 1


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _failing(folder: Path) -> str:
    done = run_checker(folder, "--key-id", bureau_key_id())
    assert done.returncode == 1, done.stdout
    assert "结论 result: 不通过 FAIL" in done.stdout
    return done.stdout


def test_one_changed_byte_of_a_content_file_is_named(exported_package: Path) -> None:
    pdf = _content(exported_package, "documents/*责令改正通知书/issued.pdf")
    _flip_byte(pdf)
    report = _failing(exported_package)
    assert f"{_relative(exported_package, pdf)}: was changed" in report
    assert "完整性 integrity: 不通过 FAIL" in report


def test_a_deleted_file_is_named(exported_package: Path) -> None:
    clip = _content(exported_package, "av/*/执法记录仪-0001.mp4")
    clip.unlink()
    assert f"{_relative(exported_package, clip)}: is missing" in _failing(exported_package)


def test_an_edited_metadata_file_is_named(exported_package: Path) -> None:
    metadata = _content(exported_package, "documents/*询问笔录/metadata.xml")
    metadata.write_text(metadata.read_text().replace("现场手写笔录", "另一份笔录"))
    metadata.write_text(metadata.read_text().replace("<题名>询问笔录", "<题名>改过的题名"))
    assert f"{_relative(exported_package, metadata)}: was changed" in _failing(exported_package)


def test_an_edited_inventory_is_named(exported_package: Path) -> None:
    inventory = exported_package / "inventory.json"
    inventory.write_text(inventory.read_text().replace("Archive package", "Rewritten package"))
    report = _failing(exported_package)
    assert "inventory.json: does not match its digest in inventory.json.sha512" in report
    assert "v1/inventory.json: differs from the object's inventory.json" in report


def _rehash_inventory(folder: Path) -> None:
    """What a forger does after changing content: new digests everywhere OCFL keeps them."""
    inventory = json.loads((folder / "inventory.json").read_text())
    manifest: dict[str, list[str]] = {}
    fixity: dict[str, dict[str, list[str]]] = {"sha256": {}, "sm3": {}}
    state: dict[str, list[str]] = {}
    for path in sorted((folder / "v1" / "content").rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        relative = _relative(folder, path)
        manifest.setdefault(hashlib.sha512(data).hexdigest(), []).append(relative)
        fixity["sha256"].setdefault(hashlib.sha256(data).hexdigest(), []).append(relative)
        fixity["sm3"].setdefault(hashlib.new("sm3", data).hexdigest(), []).append(relative)
        logical = relative.removeprefix("v1/content/")
        state.setdefault(hashlib.sha512(data).hexdigest(), []).append(logical)
    inventory.update(manifest=manifest, fixity=fixity)
    inventory["versions"]["v1"]["state"] = state
    data = json.dumps(inventory, ensure_ascii=False, indent=1, sort_keys=True).encode()
    sidecar = f"{hashlib.sha512(data).hexdigest()} inventory.json\n"
    for where in (folder, folder / "v1"):
        (where / "inventory.json").write_bytes(data)
        (where / "inventory.json.sha512").write_text(sidecar)


def test_a_consistent_forgery_is_caught_by_the_sealed_manifest(exported_package: Path) -> None:
    """Changing a file and then every digest (inventory, package.json) still fails: the
    audit log sealed the manifest's digest under a signed tree head."""
    pdf = _content(exported_package, "documents/*询问笔录/scan.pdf")
    _flip_byte(pdf)
    manifest_path = _content(exported_package, "package.json")
    manifest = json.loads(manifest_path.read_text())
    logical = _relative(exported_package, pdf).removeprefix("v1/content/")
    data = pdf.read_bytes()
    manifest["files"][logical].update(
        sha512=hashlib.sha512(data).hexdigest(),
        sha256=hashlib.sha256(data).hexdigest(),
        sm3=hashlib.new("sm3", data).hexdigest(),
    )
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    _rehash_inventory(exported_package)
    assert ocfl_check(exported_package)[0]  # OCFL alone cannot tell
    report = _failing(exported_package)
    assert f"{_relative(exported_package, manifest_path)}: its digest is not the one" in report
    assert "真实性 authenticity: 不通过 FAIL" in report


def test_the_bureau_key_is_pinned(exported_package: Path, tmp_path: Path) -> None:
    done = run_checker(exported_package, "--key-id", "0" * 64)
    assert done.returncode == 1
    assert "audit/public-key.pem: is not the bureau's key" in done.stdout
    done = run_checker(exported_package)
    assert done.returncode == 0 and "pin the bureau's key" in done.stdout
    assert run_checker(tmp_path / "nothing").returncode == 2


def test_the_checker_imports_no_django(exported_package: Path) -> None:
    done = run_checker(
        exported_package, "--key-id", bureau_key_id(), python_options=("-X", "importtime")
    )
    assert done.returncode == 0
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()]
    assert "liuhen.archives.package.layout" in imported
    assert not any(name == "django" or name.startswith("django.") for name in imported)


def test_an_extra_file_is_named(exported_package: Path) -> None:
    shutil.copy(exported_package / "inventory.json", exported_package / "v1/content/extra.json")
    assert "v1/content/extra.json: is not in the inventory" in _failing(exported_package)


def test_only_an_archived_case_gets_a_package(decided_case: Any, archivist_wu: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        build_archive_package(archivist_wu, decided_case)
    assert f"案件{decided_case.number}尚未归档" in refused.value.messages[0]
    assert not ArchivePackage.objects.exists()


def test_only_the_archivist_builds_and_exports(
    archived_case_with_records: Any, officer_wang: Any, archivist_wu: Any, tmp_path: Path
) -> None:
    case = archived_case_with_records
    with pytest.raises(AccessDenied):
        build_archive_package(officer_wang, case)
    with pytest.raises(AccessDenied):
        export_archive_packages(officer_wang, [case], tmp_path / "out")
    denials = AuditEvent.objects.filter(outcome="denied", actor_id=str(officer_wang.pk))
    assert {e.action for e in denials} == {"archive_package.build", "archive_package.export"}
    assert not ArchivePackage.objects.exists()
    package = build_archive_package(archivist_wu, case)
    assert package.built_by == archivist_wu

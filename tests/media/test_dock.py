"""``liuhen import-dock`` (R15.1, R16.1): a collection station's files become AV records —
named by patterns and sidecars, flagged for labelling when the name says too little,
imported once however often the command runs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from liuhen.core.access import AccessDenied
from liuhen.core.audit import SYSTEM
from liuhen.core.models import AuditEvent
from liuhen.devices import actions as device_actions
from liuhen.media.actions import dock
from liuhen.media.ingest import dock_names
from liuhen.media.models import AvRecord, AvSource, DockFile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("blob_root")]

NAME = "DSJ0001_010203_20240501083000_0001.MP4"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "dock"
    path.mkdir()
    return path


@pytest.fixture
def wang_with_officer_number(officer_wang):
    officer_wang.officer_number = "010203"
    officer_wang.save(update_fields=["officer_number"])
    return officer_wang


def put(folder: Path, relpath: str, data: bytes | str = b"") -> Path:
    path = folder / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data)
    else:
        path.write_bytes(data or relpath.encode() * 100)
    return path


def run(folder: Path, *args: str, station: str = "CJZ01") -> str:
    out = StringIO()
    call_command("import_dock", str(folder), "--station", station, *args, stdout=out)
    return out.getvalue()


def record_of(relpath: str) -> AvRecord:
    return DockFile.objects.select_related("record").get(path=relpath).record


def local(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args), timezone.get_default_timezone())


def test_default_pattern_gives_recorder_officer_and_local_time(
    folder, station, recorder, wang_with_officer_number
) -> None:
    data = os.urandom(300_000)
    put(folder, f"DCIM/{NAME}", data)
    output = run(folder)
    record = record_of(f"DCIM/{NAME}")
    assert (record.device, record.officer, record.via_device) == (
        recorder,
        wang_with_officer_number,
        station,
    )
    assert record.captured_at == local(2024, 5, 1, 8, 30)  # 00:30 UTC
    assert record.source == AvSource.DOCK and record.uploaded_by is None
    assert not record.needs_labelling and "labelling" not in record.metadata
    assert record.metadata["dock"] == {
        "station": "CJZ01",
        "path": f"DCIM/{NAME}",
        "pattern": dock_names.DEFAULT_PATTERN,
        "name": {
            "serial": "DSJ0001",
            "officer_no": "010203",
            "time": "20240501083000",
            "seq": "0001",
            "ext": "MP4",
        },
    }
    assert record.blob.sha256 == hashlib.sha256(data).hexdigest()
    assert record.blob.sm3 == hashlib.new("sm3", data).hexdigest()
    assert f"[1/1] DCIM/{NAME} 0.3 MB" in output and "MB/s" in output
    assert "CJZ01 from" in output and "1 imported (0 flagged for labelling)" in output
    event = AuditEvent.objects.get(action="media.dock_import")
    assert (event.actor_type, event.actor_id, event.outcome) == ("device", "CJZ01", "ok")
    assert event.details["imported"] == 1 and event.details["bytes"] == len(data)
    ingest = AuditEvent.objects.get(action="media.ingest")
    assert (ingest.actor_type, ingest.actor_id) == ("device", "CJZ01")


def test_custom_patterns_from_the_setting_and_the_option(
    folder, settings, station, recorder, wang_with_officer_number
) -> None:
    put(folder, "DSJ0001-2024-05-01_083000.mp4")
    put(folder, "DSJ0001/20240502/clip7.wav")
    settings.DOCK_PATTERNS = ["{serial}-{YYYY-MM-DD}_{hhmmss}.{ext}"]
    run(folder)
    named = record_of("DSJ0001-2024-05-01_083000.mp4")
    assert (named.device, named.captured_at) == (recorder, local(2024, 5, 1, 8, 30))
    assert record_of("DSJ0001/20240502/clip7.wav").needs_labelling
    # --pattern replaces the setting; a pattern with "/" looks at the folders too.
    put(folder, "DSJ0001/20240503/clip8.wav")
    run(folder, "--pattern", "{serial}/{YYYYMMDD}/{any}.{ext}")
    by_folder = record_of("DSJ0001/20240503/clip8.wav")
    assert (by_folder.device, by_folder.captured_at) == (recorder, local(2024, 5, 3))
    assert not by_folder.needs_labelling


def test_a_sidecar_overrides_the_name_and_is_kept(
    folder, unit_a, station, recorder, wang_with_officer_number
) -> None:
    other = device_actions.enrol_device(SYSTEM, serial="DSJ0009", kind="recorder", unit=unit_a)
    put(folder, NAME)
    sidecar = {
        "serial": "DSJ0009",
        "captured_at": "2024-05-01T09:15:00+08:00",
        "gps": {"lat": 30.25, "lon": 120.1},
        "case_hint": "农药抽检",
    }
    put(folder, NAME.replace(".MP4", ".json"), json.dumps(sidecar, ensure_ascii=False))
    put(folder, "DSJ0001_010203_20240501100000_0002.jpg")
    put(
        folder,
        "DSJ0001_010203_20240501100000_0002.jpg.xml",
        "<?xml version='1.0' encoding='utf-8'?><meta><officer_no>999</officer_no>"
        "<captured_at>20240501101500</captured_at><gps><lat>30.5</lat><lon>120.5</lon></gps>"
        "<note>现场照片</note></meta>",
    )
    output = run(folder)
    video = record_of(NAME)
    assert (video.device, video.officer) == (other, wang_with_officer_number)
    assert video.captured_at == local(2024, 5, 1, 9, 15)
    assert video.metadata["sidecar"] == sidecar and video.metadata["gps"] == {
        "lat": 30.25,
        "lon": 120.1,
    }
    photo = record_of("DSJ0001_010203_20240501100000_0002.jpg")
    assert photo.captured_at == local(2024, 5, 1, 10, 15)
    assert photo.metadata["sidecar"]["note"] == "现场照片"
    assert photo.metadata["gps"] == {"lat": 30.5, "lon": 120.5}
    # The sidecar's officer number is unknown: flagged, not guessed from the name.
    assert photo.officer is None and photo.needs_labelling
    assert photo.metadata["labelling"] == [{"code": "unknown_officer", "value": "999"}]
    # Sidecars are not records.
    assert AvRecord.objects.count() == 2 and "[1/2]" in output and "[2/2]" in output


def test_an_xml_sidecar_with_a_dtd_is_refused_and_the_file_flagged(
    folder, station, recorder, wang_with_officer_number
) -> None:
    put(folder, NAME)
    put(
        folder,
        NAME.replace(".MP4", ".xml"),
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><m><serial>&a;</serial></m>',
    )
    run(folder)
    record = record_of(NAME)
    assert record.device == recorder and record.needs_labelling
    assert record.metadata["labelling"] == [
        {"code": "bad_sidecar", "value": "an XML sidecar with a DTD is not accepted"}
    ]
    assert "sidecar" not in record.metadata and record.officer == wang_with_officer_number


def test_names_that_say_too_little_are_imported_and_flagged(folder, station, recorder) -> None:
    put(folder, "IMG_1234.JPG")
    put(folder, "DSJ9999_777_20240501083000_1.mp4")
    put(folder, "DSJ0001_010203_20241301083000_1.mp4")
    put(folder, "DSJ0001_010203_20990101083000_1.mp4")
    output = run(folder)
    reasons = {
        path: [r["code"] for r in record_of(path).metadata["labelling"]]
        for path in DockFile.objects.values_list("path", flat=True)
    }
    assert reasons == {
        "IMG_1234.JPG": ["no_pattern", "no_device"],
        "DSJ9999_777_20240501083000_1.mp4": ["unknown_device", "unknown_officer"],
        "DSJ0001_010203_20241301083000_1.mp4": ["bad_time", "unknown_officer"],
        "DSJ0001_010203_20990101083000_1.mp4": ["future_time", "unknown_officer"],
    }
    assert all(r.needs_labelling for r in AvRecord.objects.all())
    assert record_of("DSJ0001_010203_20990101083000_1.mp4").captured_at is None
    assert "4 imported (4 flagged for labelling)" in output
    # The reasons are told in the operator's language (zh-hans by default).
    assert "flagged: 未登记设备编号为 DSJ9999 的设备。" in output
    unknown = record_of("DSJ9999_777_20240501083000_1.mp4")
    assert unknown.device is None and unknown.unit == station.unit


def test_without_an_officer_number_the_checkout_ledger_names_the_officer(
    folder, station, recorder, custodian_zhou, officer_wang
) -> None:
    now = timezone.localtime().replace(microsecond=0)
    device_actions.check_out(
        custodian_zhou, recorder, holder=officer_wang, at=now - dt.timedelta(hours=5)
    )
    taken = now - dt.timedelta(hours=4)
    put(folder, f"DSJ0001_{taken:%Y%m%d%H%M%S}_0001.mp4")
    run(folder, "--pattern", "{serial}_{YYYYMMDDhhmmss}_{seq}.{ext}")
    record = AvRecord.objects.get()
    assert (record.officer, record.captured_at) == (officer_wang, taken)
    assert not record.needs_labelling


def test_a_second_run_reads_nothing_and_imports_nothing(
    folder, station, recorder, wang_with_officer_number, monkeypatch
) -> None:
    for seq in range(3):
        put(folder, NAME.replace("0001.MP4", f"000{seq}.MP4"), os.urandom(1000))
    run(folder)
    assert (AvRecord.objects.count(), DockFile.objects.count()) == (3, 3)

    def must_not_read(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a file already imported was read again")

    monkeypatch.setattr(dock, "store_blob", must_not_read)
    output = run(folder)
    assert "skipped 3 already imported, 0 to import" in output
    assert "0 imported" in output and "3 skipped already imported" in output
    assert (AvRecord.objects.count(), DockFile.objects.count()) == (3, 3)
    assert AuditEvent.objects.filter(action="media.dock_import").count() == 2


def test_a_moved_or_touched_file_is_linked_to_its_record_not_recorded_twice(
    folder, station, recorder, wang_with_officer_number
) -> None:
    put(folder, NAME, os.urandom(2000))
    run(folder)
    record = record_of(NAME)
    (folder / "again").mkdir()
    shutil.copy2(folder / NAME, folder / "again" / NAME)  # same bytes and name elsewhere
    output = run(folder)
    assert "already AV-" in output and "1 already a record" in output
    assert AvRecord.objects.count() == 1 and record_of(f"again/{NAME}") == record
    # The same bytes under another name are another record (the name carries its facts).
    shutil.copy2(folder / NAME, folder / "renamed.mp4")
    run(folder)
    assert AvRecord.objects.count() == 2
    assert record_of("renamed.mp4").blob == record.blob


def test_hidden_files_sidecars_and_other_files_are_not_records(folder, station) -> None:
    put(folder, ".hidden.mp4")
    put(folder, ".Trashes/clip.mp4")
    put(folder, "notes.txt")
    put(folder, "orphan.json", "{}")
    put(folder, "clip.mp4")
    output = run(folder)
    assert list(DockFile.objects.values_list("path", flat=True)) == ["clip.mp4"]
    assert "1 media files" in output and "(1 other files ignored)" in output


def test_a_file_that_fails_is_reported_exit_1_and_imported_next_time(
    folder, station, recorder, wang_with_officer_number, monkeypatch
) -> None:
    put(folder, NAME)
    growing = put(folder, NAME.replace("0001", "0002"))
    deep = "/".join(["d" * 200] * 3) + "/x.mp4"
    put(folder, deep)
    real_store_blob = dock.store_blob

    def still_copying(handle: Any) -> Any:
        if handle.name == str(growing):
            with growing.open("ab") as more:  # the station is still writing it
                more.write(b"more")
        return real_store_blob(handle)

    monkeypatch.setattr(dock, "store_blob", still_copying)
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_dock", str(folder), "--station", "CJZ01", stdout=out)
    assert failed.value.returncode == 1 and "2 failed" in str(failed.value)
    assert "FAILED: the file changed while it was read" in out.getvalue()
    assert "FAILED: the path is longer than 500 characters" in out.getvalue()
    event = AuditEvent.objects.get(action="media.dock_import")
    assert event.outcome == "failed" and event.details["failed_count"] == 2
    assert AvRecord.objects.count() == 1
    monkeypatch.setattr(dock, "store_blob", real_store_blob)
    with pytest.raises(CommandError):
        run(folder)  # the deep path still fails; the grown file is complete now
    assert DockFile.objects.filter(path=NAME.replace("0001", "0002")).exists()
    assert record_of(NAME.replace("0001", "0002")).blob.size == growing.stat().st_size


def test_only_a_registered_station_or_terminal_in_service_imports(
    folder, unit_a, station, recorder
) -> None:
    put(folder, "clip.mp4")
    for ident, message in [
        ("DSJ0001", "not a collection station or enforcement terminal"),
        ("NOPE", "no device with serial number or id 'NOPE'"),
    ]:
        with pytest.raises(CommandError, match=message) as refused:
            run(folder, station=ident)
        assert refused.value.returncode == 2
    # Acting as a recorder is refused by the action itself too, and audited.
    with pytest.raises(AccessDenied):
        dock.import_dock(recorder, folder)
    assert AuditEvent.objects.get(action="media.upload").outcome == "denied"
    assert not AvRecord.objects.exists()
    terminal = device_actions.enrol_device(SYSTEM, serial="ZD01", kind="terminal", unit=unit_a)
    run(folder, station=str(terminal.pk))  # by id
    assert AvRecord.objects.get().via_device == terminal
    device_actions.change_device(SYSTEM, station, status="retired")
    with pytest.raises(CommandError, match="CJZ01 is retired"):
        run(folder, station="cjz01")


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("{serial}_{colour}.{ext}", "unknown placeholder {colour}"),
        ("{serial}_{YYYY}.{ext}", "needs a year, month and day"),
        ("{serial}_{serial}.{ext}", "appears twice"),
        ("{serial.{ext}", "unbalanced brace"),
    ],
)
def test_a_bad_pattern_stops_the_run_with_a_message(folder, station, pattern, problem) -> None:
    put(folder, "clip.mp4")
    with pytest.raises(CommandError, match=problem):
        run(folder, "--pattern", pattern)
    assert not AvRecord.objects.exists()


def test_patterns_parse_names() -> None:
    pattern = dock_names.compile_pattern(dock_names.DEFAULT_PATTERN)
    assert pattern.parse("a/b/" + NAME) == {
        "serial": "DSJ0001",
        "officer_no": "010203",
        "t_YYYY": "2024",
        "t_MM": "05",
        "t_DD": "01",
        "t_hh": "08",
        "t_mm": "30",
        "t_ss": "00",
        "seq": "0001",
        "ext": "MP4",
    }
    assert pattern.parse("DSJ0001_20240501083000_0001.MP4") is None
    short = dock_names.compile_pattern("{YY}{MM}{DD}_{any}.{ext}")
    assert short.parse("240501_x.mp4") == {
        "t_YY": "24",
        "t_MM": "05",
        "t_DD": "01",
        "ext": "mp4",
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{serial}_{seq}.{ext}; {any}.{ext}", ["{serial}_{seq}.{ext}", "{any}.{ext}"]),
        ('["{serial};{seq}.{ext}"]', ["{serial};{seq}.{ext}"]),
    ],
)
def test_the_patterns_setting_is_a_list_or_json(monkeypatch, value, expected) -> None:
    from liuhen import settings as liuhen_settings

    monkeypatch.setenv("LIUHEN_DOCK_PATTERNS", value)
    assert liuhen_settings._dock_patterns("LIUHEN_DOCK_PATTERNS", []) == expected


@pytest.mark.parametrize("value", ["[1]", "[", ";  ;"])
def test_a_bad_patterns_setting_names_the_variable(monkeypatch, value) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from liuhen import settings as liuhen_settings

    monkeypatch.setenv("LIUHEN_DOCK_PATTERNS", value)
    with pytest.raises(ImproperlyConfigured, match="LIUHEN_DOCK_PATTERNS"):
        liuhen_settings._dock_patterns("LIUHEN_DOCK_PATTERNS", [])


def test_a_fifo_or_symlinked_sidecar_is_not_followed(
    folder, station, recorder, wang_with_officer_number
) -> None:
    # A dock folder is written by others: a FIFO would hang the run, a link would read
    # a file outside the folder.
    put(folder, NAME)
    os.mkfifo(folder / NAME.replace(".MP4", ".json"))
    other = put(folder, NAME.replace("0001.MP4", "0002.MP4"))
    outside = folder.parent / "outside.json"
    outside.write_text(json.dumps({"officer_no": "X"}))
    os.symlink(outside, other.with_suffix(".json"))
    run(folder)
    for name in (NAME, other.name):
        record = record_of(name)
        assert record.needs_labelling and "sidecar" not in record.metadata
        assert record.metadata["labelling"][0]["code"] == "bad_sidecar"


def test_names_from_a_windows_share_in_gbk_are_read_not_fatal(folder, station) -> None:
    # A station copying from a Windows share writes GBK file names: on Linux these are
    # bytes that are not UTF-8. The run decodes them (GB 18030, else escaped) and goes on.
    raw_root = os.fsencode(folder)
    gbk = "执法记录_现场检查.mp4".encode("gbk")
    undecodable = b"clip_\xff\xfe.mp4"
    for raw in (gbk, undecodable):
        with open(os.path.join(raw_root, raw), "wb") as handle:
            handle.write(raw * 100)
    put(folder, "clip.mp4")
    output = run(folder)
    assert "3 media files" in output
    paths = set(DockFile.objects.values_list("path", flat=True))
    assert paths == {"执法记录_现场检查.mp4", "clip_\\xff\\xfe.mp4", "clip.mp4"}
    assert record_of("执法记录_现场检查.mp4").original_name == "执法记录_现场检查.mp4"
    event = AuditEvent.objects.get(action="media.dock_import")
    assert event.outcome == "ok" and event.details["imported"] == 3
    run(folder)  # a second run recognises the decoded names and reads nothing again
    assert AvRecord.objects.count() == 3


def test_a_run_stopped_outside_a_file_still_writes_its_summary(folder, station) -> None:
    """A run whose output goes away (``liuhen import-dock … | head``) after the first file
    is interrupted, but the log still says what it did; the next run does the rest."""
    with open(os.path.join(os.fsencode(folder), "现场_01.mp4".encode("gbk")), "wb") as handle:
        handle.write(b"first" * 100)
    put(folder, "clip.mp4")

    def output_closed(number: int, *_: Any) -> None:
        if number == 1:
            raise BrokenPipeError(32, "Broken pipe")

    with pytest.raises(BrokenPipeError):
        dock.import_dock(station, folder, progress=output_closed)
    event = AuditEvent.objects.get(action="media.dock_import")
    assert event.outcome == "failed"
    assert event.details["imported"] == 1 and event.details["found"] == 2
    assert event.details["interrupted"].startswith("BrokenPipeError")
    assert list(DockFile.objects.values_list("path", flat=True)) == ["clip.mp4"]
    run(folder)
    assert set(DockFile.objects.values_list("path", flat=True)) == {"clip.mp4", "现场_01.mp4"}

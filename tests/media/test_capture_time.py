"""The capture time of an AV record is the one written inside the file (R15.1, R16.1).

The upload page fills 拍摄时间 from the file's last-modified time (often when it was
copied); a container's ``creation_time`` or a photo's EXIF ``DateTimeOriginal`` wins. The
time given is kept and a disagreement beyond the rule's tolerance is shown. The officer
(the checkout ledger), the upload deadline and the suggested activities follow the file's
time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from liuhen.core import rules
from liuhen.core.audit import SYSTEM
from liuhen.devices import actions as device_actions
from liuhen.media import links
from liuhen.media.actions import dock as dock_actions
from liuhen.media.ingest import capture
from liuhen.media.ingest.probe import embedded_time
from liuhen.media.models import AvRecord
from tests.fixtures.media import ingest_bytes
from tests.media import linking
from tests.media import media_factory as make

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


def clip(created: dt.datetime | None) -> bytes:
    return make.make_mp4(seconds=1, width=160, height=96, audio=False, created=created)


def test_embedded_time_of_a_video_and_a_photo(officer_wang) -> None:
    """The container's creation_time (UTC) and EXIF DateTimeOriginal with its offset."""
    created = dt.datetime(2024, 5, 1, 8, 30, tzinfo=dt.UTC)
    video = ingest_bytes(officer_wang, clip(created), "clip.mp4")
    photo = ingest_bytes(officer_wang, make.make_jpeg(), "IMG_0001.JPG")
    other = ingest_bytes(officer_wang, b"not a recording" * 10, "notes.mp4")
    assert embedded_time(video.blob.sha256, video.kind) == created
    assert embedded_time(photo.blob.sha256, photo.kind) == dt.datetime(
        2024, 5, 1, 8, 31, 5, tzinfo=dt.UTC
    )
    assert embedded_time(other.blob.sha256, other.kind) is None


def test_the_file_time_wins_and_the_time_given_is_kept(officer_wang, recorder) -> None:
    """The page sent the file's modification time; the container says otherwise."""
    now = timezone.now().replace(microsecond=0)
    created = now - 3 * H
    device_actions.check_out(SYSTEM, recorder, holder=officer_wang, at=now - 5 * H)
    record = ingest_bytes(
        officer_wang, clip(created), "DSJ0001.mp4", device=recorder, captured_at=now
    )
    assert record.captured_at == created
    assert record.declared_captured_at == now
    assert capture.record_disagreement(record) == 3 * H
    assert record.officer == officer_wang


def test_a_photo_takes_its_exif_time(officer_wang) -> None:
    given = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    record = ingest_bytes(officer_wang, make.make_jpeg(), "IMG_0001.JPG", captured_at=given)
    assert record.captured_at == dt.datetime(2024, 5, 1, 8, 31, 5, tzinfo=dt.UTC)
    assert record.declared_captured_at == given
    assert capture.record_disagreement(record) > dt.timedelta(0)


def test_within_the_tolerance_there_is_no_warning(officer_wang) -> None:
    """A recorder clock a few minutes off is no disagreement (rule, 5 minutes)."""
    now = timezone.now().replace(microsecond=0)
    tolerance = int(rules.value("av_capture_time_tolerance_minutes"))
    near = ingest_bytes(officer_wang, clip(now - H), "a.mp4", captured_at=now - H + 2 * M)
    far = ingest_bytes(
        officer_wang, clip(now - 2 * H), "b.mp4", captured_at=now - 2 * H + (tolerance + 1) * M
    )
    assert near.captured_at == now - H and capture.record_disagreement(near) == dt.timedelta(0)
    assert capture.record_disagreement(far) == (tolerance + 1) * M


def test_without_a_time_in_the_file_the_time_given_stands(officer_wang) -> None:
    given = timezone.now().replace(microsecond=0) - H
    record = ingest_bytes(officer_wang, clip(None), "clip.mp4", captured_at=given)
    assert record.captured_at == given == record.declared_captured_at
    assert capture.record_disagreement(record) == dt.timedelta(0)


def test_a_time_in_the_future_is_a_wrong_clock(officer_wang) -> None:
    """A recorder clock set a day ahead: the time given stands."""
    now = timezone.now().replace(microsecond=0)
    record = ingest_bytes(officer_wang, clip(now + 24 * H), "clip.mp4", captured_at=now - H)
    assert record.captured_at == now - H == record.declared_captured_at


def test_the_officer_and_the_upload_deadline_follow_the_file_time(
    officer_wang, officer_ma, recorder
) -> None:
    """R15.1: made during 马骏's checkout, which ended yesterday; the page sent the copy
    time, when 王明 has the recorder. The file's time names 马骏 and counts the deadline
    from yesterday's return: the upload is late."""
    now = timezone.now().replace(microsecond=0)
    first = device_actions.check_out(SYSTEM, recorder, holder=officer_ma, at=now - 30 * H)
    device_actions.return_device(SYSTEM, recorder, at=now - 26 * H)
    device_actions.check_out(SYSTEM, recorder, holder=officer_wang, at=now - 2 * H)
    record = ingest_bytes(
        officer_wang, clip(now - 28 * H), "DSJ0001.mp4", device=recorder, captured_at=now
    )
    assert first.holder == officer_ma
    assert record.officer == officer_ma
    assert record.returned_at == now - 26 * H
    assert record.late is True


def test_linking_suggests_the_activity_at_the_file_time(officer_wang, unit_a) -> None:
    """The activity at the time written in the file is suggested, not the one at the
    copy time."""
    officer_ma = linking.second_officer(unit_a)
    case = linking.case_of(unit_a, [officer_wang, officer_ma])
    now = timezone.now().replace(microsecond=0)
    morning = linking.activity(officer_wang, case, [officer_wang, officer_ma], now - 6 * H)
    afternoon = linking.activity(
        officer_wang, case, [officer_wang, officer_ma], now - 2 * H, code="inquiry"
    )
    record = ingest_bytes(
        officer_wang,
        clip(now - 6 * H + 10 * M),
        "clip.mp4",
        officer=officer_wang,
        captured_at=now - 2 * H + 10 * M,
    )
    suggested = [s.activity for s in links.suggestions(record, user=officer_wang)]
    assert suggested[:1] == [morning] and afternoon not in suggested[:1]


def test_a_station_import_takes_the_file_time(station, recorder, officer_wang, tmp_path) -> None:
    """A collection station's file: the time in its name is the one given; the file's
    own wins there too."""
    officer_wang.officer_number = "010203"
    officer_wang.save(update_fields=["officer_number"])
    now = timezone.now().replace(microsecond=0)
    created = now - 3 * H
    root = tmp_path / "dock"
    root.mkdir()
    named = timezone.localtime(now - H).strftime("%Y%m%d%H%M%S")
    (root / f"DSJ0001_010203_{named}_0001.MP4").write_bytes(clip(created))
    dock_actions.import_dock(station, root)
    record = AvRecord.objects.get(via_device=station)
    assert record.captured_at == created
    assert record.declared_captured_at == now - H
    assert record.officer == officer_wang

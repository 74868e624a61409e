"""Probe and preview (issue 4, item 4): real media made by the suite, read back from
either blob store — duration, codecs, resolution, creation time, EXIF time and GPS,
and a thumbnail; a file that cannot be read gets a probe with its error."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from PIL import Image, ImageChops, ImageStat

from liuhen.core.audit import SYSTEM
from liuhen.core.blobs import FilesystemStore, get_store
from liuhen.core.models import AuditEvent, Outcome
from liuhen.media.actions.ingest import probe_in_worker, probe_record
from liuhen.media.models import AvKind, AvProbe, AvRecord
from tests.fixtures.media import ingest_bytes
from tests.media import media_factory as make

pytestmark = pytest.mark.django_db


def _thumbnail(probe: AvProbe) -> Image.Image:
    assert probe.thumbnail is not None
    with get_store().open(probe.thumbnail.sha256) as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_video_duration_codecs_size_time_and_poster(blob_backend, officer_wang):
    record = ingest_bytes(officer_wang, make.make_mp4(seconds=4), "DSJ0001_clip.mp4")
    probe = probe_record(SYSTEM, record.pk)
    assert probe.error == ""
    assert probe.duration == pytest.approx(4.0, abs=0.1)
    assert (probe.video_codec, probe.audio_codec) == ("h264", "aac")
    assert (probe.width, probe.height) == (640, 360)
    assert probe.created == make.CREATED
    assert probe.gps_lat is None and probe.gps_lon is None
    assert probe.details["frame_rate"] == 25
    poster = _thumbnail(probe)
    assert poster.format == "JPEG" and poster.size == (320, 180)
    event = AuditEvent.objects.get(action="media.probe", object_id=str(record.pk))
    assert event.actor_type == "system" and event.outcome == Outcome.OK
    assert event.details["video_codec"] == "h264"


def test_poster_frame_is_from_about_a_second_in(blob_backend, officer_wang):
    """The test pattern's box moves: the poster differs from the first frame."""
    data = make.make_mp4(seconds=4)
    record = ingest_bytes(officer_wang, data, "clip.mp4")
    poster = _thumbnail(probe_record(SYSTEM, record.pk)).convert("L")
    first = make._pattern(0, 640, 360, 25).convert("L").resize(poster.size)
    second_in = make._pattern(25, 640, 360, 25).convert("L").resize(poster.size)

    def distance(a: Image.Image, b: Image.Image) -> float:
        return float(ImageStat.Stat(ImageChops.difference(a, b)).mean[0])

    assert distance(poster, second_in) < distance(poster, first)


def test_photo_exif_time_gps_and_upright_thumbnail(blob_backend, officer_wang):
    record = ingest_bytes(officer_wang, make.make_jpeg(), "IMG_0001.JPG")
    assert record.kind == AvKind.PHOTO
    probe = probe_record(SYSTEM, record.pk)
    assert probe.error == ""
    assert (probe.width, probe.height) == (1024, 768)
    # 16:31:05 at +08:00 is 08:31:05 UTC.
    assert probe.created == dt.datetime(2024, 5, 1, 8, 31, 5, tzinfo=dt.UTC)
    assert probe.gps_lat == Decimal(str(make.GPS_LAT_DECIMAL)).quantize(Decimal("0.000001"))
    assert probe.gps_lon == Decimal("122.083000")
    assert (probe.video_codec, probe.audio_codec, probe.duration) == ("", "", None)
    thumb = _thumbnail(probe)
    assert thumb.format == "JPEG" and thumb.size == (320, 240)


def test_photo_taken_on_its_side_is_shown_upright(officer_wang, settings, tmp_path):
    settings.BLOB_URL = str(tmp_path / "blobs")
    # Orientation 6: the pixels are landscape, the photo is portrait.
    record = ingest_bytes(officer_wang, make.make_jpeg(orientation=6), "side.jpg")
    probe = probe_record(SYSTEM, record.pk)
    assert (probe.width, probe.height) == (768, 1024)
    assert _thumbnail(probe).size == (240, 320)
    assert probe.details["orientation"] == 6


def test_photo_south_west_and_local_time_without_offset(officer_wang, settings, tmp_path):
    settings.BLOB_URL = str(tmp_path / "blobs")
    data = make.make_jpeg(offset=None, refs=("S", "W"))
    probe = probe_record(SYSTEM, ingest_bytes(officer_wang, data, "sw.jpg").pk)
    assert probe.gps_lat == Decimal("-40.994500") and probe.gps_lon == Decimal("-122.083000")
    # No offset in the EXIF: the camera's clock is taken as local time (Asia/Shanghai).
    assert probe.created == dt.datetime(2024, 5, 1, 8, 31, 5, tzinfo=dt.UTC)


def test_photo_without_exif(officer_wang, settings, tmp_path):
    settings.BLOB_URL = str(tmp_path / "blobs")
    data = make.make_jpeg(taken=None, gps=None)
    probe = probe_record(SYSTEM, ingest_bytes(officer_wang, data, "plain.jpg").pk)
    assert probe.error == "" and probe.created is None and probe.gps_lat is None
    assert _thumbnail(probe).size == (320, 240)


@pytest.mark.parametrize(
    ("maker", "name", "codec", "seconds"),
    [(make.make_m4a, "voice.m4a", "aac", 3.0), (make.make_wav, "voice.wav", "pcm_s16le", 2.0)],
)
def test_audio(blob_backend, officer_wang, maker, name, codec, seconds):
    record = ingest_bytes(officer_wang, maker(), name)
    assert record.kind == AvKind.AUDIO
    probe = probe_record(SYSTEM, record.pk)
    assert probe.error == ""
    assert probe.audio_codec == codec and probe.video_codec == ""
    assert probe.duration == pytest.approx(seconds, abs=0.1)
    assert probe.width is None and probe.thumbnail is None


def test_unreadable_file_gets_an_error_row(blob_backend, officer_wang):
    record = ingest_bytes(officer_wang, b"\x00\x01 not a video at all" * 50, "broken.mp4")
    probe = probe_record(SYSTEM, record.pk)
    assert probe.error and probe.thumbnail is None and probe.duration is None
    event = AuditEvent.objects.get(action="media.probe", object_id=str(record.pk))
    assert event.outcome == Outcome.FAILED and event.details["error"] == probe.error


def test_unreadable_photo_gets_an_error_row(officer_wang, settings, tmp_path):
    settings.BLOB_URL = str(tmp_path / "blobs")
    record = ingest_bytes(officer_wang, make.make_jpeg()[:400], "cut.jpg")
    probe = probe_record(SYSTEM, record.pk)
    assert probe.error and probe.thumbnail is None


def test_missing_stored_file_gets_an_error_row(officer_wang, settings, tmp_path):
    settings.BLOB_URL = str(tmp_path / "blobs")
    record = ingest_bytes(officer_wang, make.make_wav(), "gone.wav")
    store = get_store()
    assert isinstance(store, FilesystemStore)
    store.path(record.blob.sha256).unlink()
    probe = probe_record(SYSTEM, record.pk)
    assert probe.error.startswith("BlobNotFound")


def test_probing_twice_changes_nothing(officer_wang, settings, tmp_path):
    settings.BLOB_URL = str(tmp_path / "blobs")
    record = ingest_bytes(officer_wang, make.make_wav(), "twice.wav")
    first = probe_record(SYSTEM, record.pk)
    second = probe_record(SYSTEM, record.pk)
    assert second.pk == first.pk
    assert AvProbe.objects.filter(record=record).count() == 1
    assert AuditEvent.objects.filter(action="media.probe").count() == 1


def test_the_task_after_ingest_probes_the_record(
    officer_wang, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.BLOB_URL = str(tmp_path / "blobs")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        record = ingest_bytes(officer_wang, make.make_mp4(seconds=1), "queued.mp4")
    probe = AvRecord.objects.get(pk=record.pk).probe
    assert probe.video_codec == "h264"
    probe_in_worker.call(record.pk)  # run again by the worker: nothing new
    assert AvProbe.objects.filter(record=record).count() == 1

"""Probe and preview of AV records: what the file says about itself (PyAV, Pillow).

Read once per record in the background after it came in
(``media.actions.ingest.probe_record`` keeps the result):
duration, video and audio codecs, resolution and the creation time written in the
container; for photos the EXIF time taken and GPS position; and a thumbnail (a video's
poster frame about a second in, a photo turned upright). The result is a write-once
:class:`AvProbe`: probing a record again does nothing. A file that cannot be read gets
a probe row with ``error`` set — the worker never fails on a bad file — and the probe
decides: a file that is no decodable video, sound or photo (a web page, an SVG, a
program, a text renamed ``.mp4``) is quarantined, never counted as a recording.

The bytes are read where they are kept: a file path for the filesystem store (no
copy), a seekable reader (ranged GETs) for S3.

PyAV is imported where a file is read: the web processes import this module through the
upload views, and only the background probe and the capture-time read open a recording.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any

from django.utils import timezone
from PIL import Image

from liuhen.core.blobs import BlobNotFound, FilesystemStore, get_store
from liuhen.core.models import Blob
from liuhen.media.ingest.thumbnails import THUMBNAIL_MAX, store_thumbnail
from liuhen.media.models import AvKind, AvRecord

logger = logging.getLogger(__name__)

# The poster frame: about a second in, past a recorder's black first frames.
POSTER_AT_SECONDS = 1.0
# Frames decoded at most while looking for the poster frame after a seek.
_POSTER_MAX_FRAMES = 250
# Times before this are a recorder's unset clock, not a capture time.
_EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
_MICRO = Decimal("0.000001")

_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_DATETIME = 0x0132
_MAKE, _MODEL, _ORIENTATION = 0x010F, 0x0110, 0x0112
_DATETIME_ORIGINAL = 0x9003
_OFFSET_TIME_ORIGINAL = 0x9011


@dataclass
class Facts:
    """What a probe found; becomes the AvProbe row."""

    duration: float | None = None
    video_codec: str = ""
    audio_codec: str = ""
    width: int | None = None
    height: int | None = None
    created: dt.datetime | None = None
    gps_lat: Decimal | None = None
    gps_lon: Decimal | None = None
    thumbnail: Blob | None = None
    error: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def read_facts(record: AvRecord) -> Facts:
    """Everything the file tells; any failure to read it becomes ``Facts.error``."""
    try:
        with _source(record.blob.sha256) as source:
            if record.kind == AvKind.PHOTO:
                return _photo_facts(source)
            return _av_facts(source)
    except Exception as exc:  # a bad file must not crash the worker
        logger.warning("probe of AV record %s failed: %s", record.pk, exc, exc_info=True)
        return Facts(error=f"{type(exc).__name__}: {exc}"[:500])


def embedded_time(sha256: str, kind: str) -> dt.datetime | None:
    """The capture time written inside the stored file, or None: the container's
    ``creation_time`` of a recording, a photo's EXIF time. Only the header is read (no
    decoding), so a record being made can wait for it; any failure to read is None."""
    import av

    try:
        with _source(sha256) as source:
            if kind == AvKind.PHOTO:
                with Image.open(source) as image:
                    return _exif_time(image.getexif())
            with av.open(source, mode="r") as container:
                return _container_time(container)
    except Exception:  # not a readable media file: the time given at upload stands
        logger.info("no embedded capture time in blob %s", sha256)
        return None


@contextlib.contextmanager
def _source(sha256: str) -> Iterator[str | IO[bytes]]:
    """A path to the stored file when there is one, else a seekable reader."""
    store = get_store()
    if isinstance(store, FilesystemStore):
        path = store.path(sha256)
        if not path.is_file():
            raise BlobNotFound(sha256)
        yield str(path)
        return
    with store.open(sha256) as handle:
        yield handle


# --- video and sound (PyAV) ------------------------------------------------------------


# FFmpeg reads some things that are no recording as a "video": a text file (the tty
# demuxer shows it as ANSI art), a single picture or an SVG through an image pipe.
_NOT_RECORDINGS = {"tty", "image2", "image2pipe", "lavfi"}


def _av_facts(source: str | IO[bytes]) -> Facts:
    import av

    facts = Facts()
    with av.open(source, mode="r") as container:
        facts.details["format"] = container.format.name
        names = set(container.format.name.split(","))
        if names & _NOT_RECORDINGS or any(name.endswith("_pipe") for name in names):
            raise ValueError(f"{container.format.name} is not a recording format")
        if container.bit_rate:
            facts.details["bit_rate"] = int(container.bit_rate)
        facts.duration = _duration(container)
        facts.created = _container_time(container)
        video = next(
            (s for s in container.streams.video if not _is_cover(s)),
            None,
        )
        cover = next((s for s in container.streams.video if _is_cover(s)), None)
        sound = next(iter(container.streams.audio), None)
        if video is not None:
            facts.video_codec = video.codec_context.name
            facts.width = video.codec_context.width or None
            facts.height = video.codec_context.height or None
            if video.average_rate:
                facts.details["frame_rate"] = round(float(video.average_rate), 3)
        if sound is not None:
            facts.audio_codec = sound.codec_context.name
            facts.details["sample_rate"] = sound.codec_context.sample_rate
            facts.details["channels"] = sound.codec_context.channels
        if video is None and sound is None:
            raise ValueError("no video or audio stream in the file")
        if video is None and sound is not None and _first_frame(container, sound) is None:
            raise ValueError("no sound could be decoded from the file")
        picture = video or cover
        if picture is not None:
            # A cover picture comes once, at the start: no seeking for it.
            image = _poster(container, picture, facts.duration if video else None)
            if image is None and video is not None:
                raise ValueError("no picture could be decoded from the video")
            if image is not None:
                facts.thumbnail = store_thumbnail(image)
    return facts


def _first_frame(container: Any, stream: Any) -> Any:
    """The first decodable frame of ``stream`` (None if there is none); rewinds after."""
    import av

    frame = next(iter(container.decode(stream)), None)
    with contextlib.suppress(av.error.FFmpegError):
        container.seek(0, stream=stream)
    return frame


def _is_cover(stream: Any) -> bool:
    """A still picture attached to a sound file (album art), not a video."""
    import av

    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def _duration(container: Any) -> float | None:
    import av

    if container.duration:
        return round(container.duration / av.time_base, 3)
    lengths = [
        float(s.duration * s.time_base) for s in container.streams if s.duration and s.time_base
    ]
    return round(max(lengths), 3) if lengths else None


def _container_time(container: Any) -> dt.datetime | None:
    """``creation_time`` (UTC, as MP4/MOV keep it) of the container or its first stream."""
    candidates = [container.metadata.get("creation_time")]
    candidates += [s.metadata.get("creation_time") for s in container.streams]
    for value in candidates:
        moment = _parse_iso(value)
        if moment is not None:
            return moment
    return None


def _parse_iso(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return moment if moment >= _EARLIEST else None


def _poster(container: Any, stream: Any, duration: float | None) -> Image.Image | None:
    """A frame about POSTER_AT_SECONDS in (the first one for shorter clips)."""
    import av

    target = POSTER_AT_SECONDS if (duration or 0) > 2 * POSTER_AT_SECONDS else 0.0
    if target and stream.time_base:
        try:
            container.seek(int(target / stream.time_base), stream=stream)
        except av.error.FFmpegError:
            target = 0.0  # not seekable: the first frame will do
    last = None
    for count, frame in enumerate(container.decode(stream)):
        last = frame
        if frame.time is None or frame.time >= target - 0.02 or count >= _POSTER_MAX_FRAMES:
            break
    if last is None:
        return None
    image: Image.Image = last.to_image()
    return image


# --- photos (Pillow, EXIF) -------------------------------------------------------------


def _photo_facts(source: str | IO[bytes]) -> Facts:
    facts = Facts()
    with Image.open(source) as image:
        exif = image.getexif()
        orientation = int(exif.get(_ORIENTATION, 1) or 1)
        width, height = image.size
        # Orientations 5–8 are turned a quarter: shown, the photo is the other way round.
        if orientation in (5, 6, 7, 8):
            width, height = height, width
        facts.width, facts.height = width, height
        facts.details["format"] = image.format or ""
        if orientation != 1:
            facts.details["orientation"] = orientation
        camera = " ".join(str(exif.get(tag, "")).strip("\x00 ") for tag in (_MAKE, _MODEL))
        if camera.strip():
            facts.details["camera"] = camera.strip()[:100]
        facts.created = _exif_time(exif)
        facts.gps_lat, facts.gps_lon = _exif_gps(exif)
        if image.format == "JPEG":
            image.draft("RGB", (THUMBNAIL_MAX, THUMBNAIL_MAX))  # decode at a smaller scale
        image.load()
        facts.thumbnail = store_thumbnail(image, orient=True)
    return facts


def _exif_time(exif: Image.Exif) -> dt.datetime | None:
    """DateTimeOriginal with its offset; without one, the camera's clock is local time."""
    sub = exif.get_ifd(_EXIF_IFD)
    value = sub.get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    if not value:
        return None
    try:
        moment = dt.datetime.strptime(str(value).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = str(sub.get(_OFFSET_TIME_ORIGINAL) or "").strip("\x00 ")
    zone: dt.tzinfo | None = None
    if offset:
        with contextlib.suppress(ValueError):
            zone = dt.datetime.strptime(offset, "%z").tzinfo
    aware = moment.replace(tzinfo=zone) if zone else timezone.make_aware(moment)
    return aware if aware >= _EARLIEST else None


def _exif_gps(exif: Image.Exif) -> tuple[Decimal | None, Decimal | None]:
    gps = exif.get_ifd(_GPS_IFD)
    lat = _degrees(gps.get(2), gps.get(1), "S", 90)
    lon = _degrees(gps.get(4), gps.get(3), "W", 180)
    if lat is None or lon is None or (lat == 0 and lon == 0):
        return None, None  # no fix (0, 0 is what some cameras write then)
    return lat, lon


def _degrees(value: Any, ref: Any, negative: str, limit: int) -> Decimal | None:
    """Degrees, minutes, seconds (rationals) and N/S or E/W → signed decimal degrees."""
    try:
        d, m, s = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not all(math.isfinite(part) for part in (d, m, s)):
        return None  # a 0/0 rational: no value
    decimal = Decimal(str(d + m / 60 + s / 3600)).quantize(_MICRO, rounding=ROUND_HALF_UP)
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if str(ref or "").strip("\x00 ").upper() == negative:
        decimal = -decimal
    return decimal if abs(decimal) <= limit else None

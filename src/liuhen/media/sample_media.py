"""Real media made with PyAV and Pillow: the test suite's probe, preview and playback
tests read these, and ``liuhen seed-demo`` stores one clip and one photo.

- :func:`make_mp4`: H.264 video with AAC sound in MP4 (PyAV), a moving test pattern so
  frames differ, keyframes every second (seeking) and a ``creation_time`` tag;
- :func:`make_jpeg`: a photo with EXIF DateTimeOriginal, GPS and an orientation (Pillow);
- :func:`make_m4a` (AAC in MP4) and :func:`make_wav` (PCM): sound recordings.

Each returns the file's bytes. Everything is generated: no sample files are kept.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import struct
import tempfile
import wave
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageDraw

CREATED = dt.datetime(2024, 5, 1, 8, 30, 0, tzinfo=dt.UTC)
PHOTO_TAKEN = "2024:05:01 16:31:05"  # local time, as a camera writes it
PHOTO_OFFSET = "+08:00"
# Panjin, Dawa District (about): 40°59′40.2″N 122°04′58.8″E
GPS_LAT = (40.0, 59.0, 40.2)
GPS_LON = (122.0, 4.0, 58.8)
GPS_LAT_DECIMAL = 40.994500
GPS_LON_DECIMAL = 122.083000

_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_ORIENTATION = 0x0112
_DATETIME_ORIGINAL = 0x9003
_OFFSET_TIME_ORIGINAL = 0x9011


def _pattern(index: int, width: int, height: int, fps: int) -> Image.Image:
    """Colour bars with a white box moving across and the frame number, so frames differ."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    colours = [(192, 192, 192), (192, 192, 0), (0, 192, 192), (0, 192, 0), (192, 0, 192)]
    bar = math.ceil(width / len(colours))
    for number, colour in enumerate(colours):
        draw.rectangle([number * bar, 0, (number + 1) * bar, height], fill=colour)
    box = max(16, height // 6)
    x = (index * 7) % max(1, width - box)
    y = (height - box) // 2 + int((height // 4) * math.sin(index / fps * math.pi))
    draw.rectangle([x, y, x + box, y + box], fill=(255, 255, 255))
    draw.text((8, 8), f"{index:05d}", fill=(0, 0, 0))
    return image


def _tone(seconds: float, rate: int, frequency: float = 440.0) -> bytes:
    """Mono signed 16-bit samples of a sine tone."""
    count = int(seconds * rate)
    return b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency * n / rate)))
        for n in range(count)
    )


def make_mp4(
    *,
    seconds: float = 4.0,
    width: int = 640,
    height: int = 360,
    fps: int = 25,
    codec: str = "h264",
    audio: bool = True,
    created: dt.datetime | None = CREATED,
) -> bytes:
    """An MP4 of ``seconds`` of test pattern (H.264 by default) with AAC sound.

    ``movflags=faststart`` puts the index first, as recorders' export tools do, so a
    player can start before the whole file has arrived.
    """
    rate = 48_000
    with tempfile.TemporaryDirectory(prefix="lh-media-") as folder:
        path = Path(folder) / "clip.mp4"
        options = {"movflags": "faststart"}
        with av.open(str(path), mode="w", format="mp4", options=options) as container:
            if created is not None:
                container.metadata["creation_time"] = created.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            video = container.add_stream(codec, rate=fps)
            assert isinstance(video, av.VideoStream)
            video.width, video.height = width, height
            video.pix_fmt = "yuv420p"
            video.codec_context.gop_size = fps  # a keyframe every second: seeking
            if codec in ("h264", "libx264"):
                video.codec_context.options = {"preset": "ultrafast", "profile": "baseline"}
            sound = container.add_stream("aac", rate=rate, layout="mono") if audio else None
            assert sound is None or isinstance(sound, av.AudioStream)
            tone = _tone(seconds, rate) if audio else b""
            sent = 0  # audio samples encoded so far: sound is interleaved with the video
            frames = int(seconds * fps)
            for index in range(frames):
                frame = av.VideoFrame.from_image(_pattern(index, width, height, fps))
                frame.pts = index
                frame.time_base = Fraction(1, fps)
                for packet in video.encode(frame):
                    container.mux(packet)
                if sound is not None:
                    until = min(len(tone) // 2, (index + 1) * rate // fps)
                    sent = _encode_samples(container, sound, tone, sent, until, rate)
            for packet in video.encode(None):
                container.mux(packet)
            if sound is not None:
                _encode_samples(container, sound, tone, sent, len(tone) // 2, rate)
                for packet in sound.encode(None):
                    container.mux(packet)
        return path.read_bytes()


def _encode_samples(
    container: av.container.OutputContainer,
    stream: av.audio.stream.AudioStream,
    tone: bytes,
    start: int,
    end: int,
    rate: int,
) -> int:
    """Encode mono s16 samples ``start``..``end`` of ``tone``; return ``end``."""
    if end > start:
        frame = av.AudioFrame(format="s16", layout="mono", samples=end - start)
        frame.planes[0].update(tone[start * 2 : end * 2])
        frame.sample_rate = rate
        frame.pts = start
        frame.time_base = Fraction(1, rate)
        for packet in stream.encode(frame):
            container.mux(packet)
    return end


def make_m4a(*, seconds: float = 3.0, created: dt.datetime | None = CREATED) -> bytes:
    """AAC sound in an MP4 container (what voice recorders and phones write)."""
    rate = 44_100
    with tempfile.TemporaryDirectory(prefix="lh-media-") as folder:
        path = Path(folder) / "voice.m4a"
        with av.open(str(path), mode="w", format="ipod") as container:
            if created is not None:
                container.metadata["creation_time"] = created.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            stream = container.add_stream("aac", rate=rate, layout="mono")
            tone = _tone(seconds, rate)
            _encode_samples(container, stream, tone, 0, len(tone) // 2, rate)
            for packet in stream.encode(None):
                container.mux(packet)
        return path.read_bytes()


def make_wav(*, seconds: float = 2.0, rate: int = 16_000) -> bytes:
    """PCM sound in a WAV file (the standard library writes it)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(_tone(seconds, rate))
    return out.getvalue()


def make_jpeg(
    *,
    width: int = 1024,
    height: int = 768,
    taken: str | None = PHOTO_TAKEN,
    offset: str | None = PHOTO_OFFSET,
    gps: tuple[tuple[float, float, float], tuple[float, float, float]] | None = (
        GPS_LAT,
        GPS_LON,
    ),
    orientation: int = 1,
    refs: tuple[str, str] = ("N", "E"),
) -> bytes:
    """A JPEG photo with EXIF: the time taken, GPS (north, east) and the orientation."""
    image = _pattern(3, width, height, 25)
    exif = Image.Exif()
    exif[_ORIENTATION] = orientation
    if taken is not None:
        exif_ifd = exif.get_ifd(_EXIF_IFD)
        exif_ifd[_DATETIME_ORIGINAL] = taken
        if offset is not None:
            exif_ifd[_OFFSET_TIME_ORIGINAL] = offset
    if gps is not None:
        lat, lon = gps
        gps_ifd = exif.get_ifd(_GPS_IFD)
        gps_ifd[0] = b"\x02\x02\x00\x00"  # GPSVersionID 2.2
        gps_ifd[1] = refs[0]
        gps_ifd[2] = lat
        gps_ifd[3] = refs[1]
        gps_ifd[4] = lon
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, exif=exif.tobytes())
    return out.getvalue()

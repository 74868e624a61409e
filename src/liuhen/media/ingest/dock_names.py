"""What a collection station's file says about itself: its name and its sidecar (R16.1).

File names are parsed by patterns (``LIUHEN_DOCK_PATTERNS`` or ``liuhen import-dock
--pattern``), tried in order; the default is ``{serial}_{officer_no}_{YYYYMMDDhhmmss}_{seq}.{ext}``.
A placeholder compiles to a named group of a regular expression; everything else in a
pattern is literal. A sidecar ``<stem>.json`` or ``<name>.json`` (or ``.xml``, flat
elements) beside the file overrides what the name says.

:func:`describe` turns both into the recorder (``Device`` by serial), the officer (by
officer number; without one ``media.actions.ingest.create_record`` asks the checkout
ledger), the capture time (local time unless an offset is given) and the reasons the
custodian must label the record (codes in ``metadata["labelling"]``, shown with
:func:`reason_text`).
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from xml.parsers import expat

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.devices.models import Device
from liuhen.devices.tokens import normal_serial
from liuhen.media.ingest.fields import CLOCK_SLACK

DEFAULT_PATTERN = "{serial}_{officer_no}_{YYYYMMDDhhmmss}_{seq}.{ext}"
SIDECAR_SUFFIXES = (".json", ".xml")
SIDECAR_MAX_BYTES = 256 * 1024


class DockError(Exception):
    """The import cannot start: unknown or unsuitable station, bad pattern, no folder."""


# --- file-name patterns ----------------------------------------------------------------

# Text placeholders are non-greedy: the literal separators around them decide the split.
_FIELDS = {
    "serial": r"[^/]+?",
    "officer_no": r"[^/]+?",
    "seq": r"\d+",
    "ext": r"[A-Za-z0-9]+",
    "any": r"[^/]*?",
}
_TIME_TOKENS = {
    "YYYY": r"\d{4}",
    "YY": r"\d{2}",
    "MM": r"\d{2}",
    "DD": r"\d{2}",
    "hh": r"\d{2}",
    "mm": r"\d{2}",
    "ss": r"\d{2}",
}
_TIME_PLACEHOLDER = re.compile(r"(?:YYYY|YY|MM|DD|hh|mm|ss|[-_:. T])+")
_TIME_PIECE = re.compile(r"YYYY|YY|MM|DD|hh|mm|ss|.")
_TIME_TOKEN = re.compile(r"YY|MM|DD|hh|mm|ss")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class NamePattern:
    """A compiled pattern. One containing ``/`` is matched against the end of the path
    relative to the import folder (``{serial}/{any}.{ext}``), others against the name."""

    text: str
    regex: re.Pattern[str]

    def parse(self, relpath: str) -> dict[str, str] | None:
        found = self.regex.search(relpath if "/" in self.text else PurePosixPath(relpath).name)
        if found is None:
            return None
        return {key: value for key, value in found.groupdict().items() if value is not None}


def compile_pattern(text: str) -> NamePattern:
    """Placeholders: ``{serial}``, ``{officer_no}``, ``{seq}``, ``{ext}``, ``{any}``, and a
    time made of ``YYYY YY MM DD hh mm ss`` with ``- _ : . T`` or spaces between, e.g.
    ``{YYYYMMDDhhmmss}`` or ``{YYYY-MM-DD}`` and ``{hhmmss}``. Anything else is literal."""
    parts: list[str] = []
    seen: set[str] = set()
    position = 0

    def literal(chunk: str) -> str:
        if "{" in chunk or "}" in chunk:
            raise DockError(f"unbalanced brace in file-name pattern {text!r}")
        return re.escape(chunk)

    def group(name: str, regex: str) -> str:
        if name in seen:
            raise DockError(f"{{{name}}} appears twice in file-name pattern {text!r}")
        seen.add(name)
        return f"(?P<{name}>{regex})"

    for found in _PLACEHOLDER.finditer(text):
        parts.append(literal(text[position : found.start()]))
        position = found.end()
        name = found.group(1)
        if name == "any":
            parts.append(f"(?:{_FIELDS['any']})")
        elif name in _FIELDS:
            parts.append(group(name, _FIELDS[name]))
        elif _TIME_PLACEHOLDER.fullmatch(name) and _TIME_TOKEN.search(name):
            for piece in _TIME_PIECE.findall(name):
                token = _TIME_TOKENS.get(piece)
                parts.append(group(f"t_{piece}", token) if token else re.escape(piece))
        else:
            raise DockError(
                f"unknown placeholder {{{name}}} in file-name pattern {text!r}; use {{serial}}, "
                "{officer_no}, {seq}, {ext}, {any} or a time such as {YYYYMMDDhhmmss}"
            )
    parts.append(literal(text[position:]))
    times = {name[2:] for name in seen if name.startswith("t_")}
    if times and not ({"MM", "DD"} <= times and times & {"YYYY", "YY"}):
        raise DockError(f"the time in file-name pattern {text!r} needs a year, month and day")
    if not text.strip():
        raise DockError("an empty file-name pattern")
    return NamePattern(text, re.compile("(?:^|/)" + "".join(parts) + "$"))


def compile_patterns(texts: Iterable[str] | None = None) -> list[NamePattern]:
    """The given patterns, else ``LIUHEN_DOCK_PATTERNS`` (setting ``DOCK_PATTERNS``)."""
    chosen = list(texts or getattr(settings, "DOCK_PATTERNS", None) or [DEFAULT_PATTERN])
    return [compile_pattern(text) for text in chosen]


def _name_time(parsed: dict[str, str]) -> dt.datetime | None:
    """The local time the name gives; ValueError if it is no real date."""
    if "t_YYYY" not in parsed and "t_YY" not in parsed:
        return None
    year = int(parsed["t_YYYY"]) if "t_YYYY" in parsed else 2000 + int(parsed["t_YY"])
    naive = dt.datetime(
        year,
        int(parsed["t_MM"]),
        int(parsed["t_DD"]),
        int(parsed.get("t_hh", 0)),
        int(parsed.get("t_mm", 0)),
        int(parsed.get("t_ss", 0)),
    )
    return timezone.make_aware(naive, timezone.get_default_timezone())


# --- sidecars ------------------------------------------------------------------------


class SidecarError(ValueError):
    pass


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading, never through a symbolic link and never a FIFO or
    device (a dock folder is written by others; a FIFO would hang the import)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        os.set_blocking(fd, True)
        raw = io.FileIO(fd, "rb")
        raw.name = str(path)  # as open() would name it (messages, logs)
        return io.BufferedReader(raw)
    except BaseException:
        os.close(fd)
        raise


def read_sidecar(path: Path) -> dict[str, Any]:
    """A JSON object, or a flat XML document (one level of nesting, e.g. ``<gps>``)."""
    try:
        with open_regular(path) as handle:
            data = handle.read(SIDECAR_MAX_BYTES + 1)
    except OSError as exc:
        raise SidecarError(exc.strerror or str(exc)) from None
    if len(data) > SIDECAR_MAX_BYTES:
        raise SidecarError(f"larger than {SIDECAR_MAX_BYTES} bytes")
    if path.suffix.lower() == ".json":
        try:
            value = json.loads(data.decode("utf-8-sig"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError) as exc:
            raise SidecarError(f"not JSON: {exc}") from None
        if not isinstance(value, dict):
            raise SidecarError("not a JSON object")
        return value
    return _flat_xml(data)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")  # NaN and Infinity are not JSON


def _flat_xml(data: bytes) -> dict[str, Any]:
    """Elements under the root as ``{tag: text}``, one level deeper as ``{tag: {tag: text}}``.

    A sidecar needs no DTD: refusing one (whatever the encoding) rules out entity tricks —
    expansion bombs, external entities — before any is declared.
    """
    result: dict[str, Any] = {}
    path: list[str] = []
    text: list[str] = []

    def refuse(*args: Any) -> None:
        raise SidecarError("an XML sidecar with a DTD is not accepted")

    def start(name: str, attrs: Any) -> None:
        path.append(name.rsplit(":", 1)[-1])
        text.clear()
        if len(path) == 3 and not isinstance(result.get(path[1]), dict):
            result[path[1]] = {}

    def end(name: str) -> None:
        value = "".join(text).strip()
        text.clear()
        if len(path) == 2 and not isinstance(result.get(path[1]), dict):
            result[path[1]] = value
        elif len(path) == 3:
            result[path[1]][path[2]] = value
        path.pop()

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise SidecarError(f"not XML: {exc}") from None
    return result


def _first(values: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = values.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _sidecar_time(value: str) -> dt.datetime:
    """ISO 8601 (an offset, else local time) or ``YYYYMMDDhhmmss``; ValueError if neither."""
    if re.fullmatch(r"\d{14}", value):
        naive = dt.datetime.strptime(value, "%Y%m%d%H%M%S")
    else:
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(value)
        if timezone.is_aware(parsed):
            return parsed
        naive = parsed
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _gps(values: dict[str, Any]) -> dict[str, float] | None:
    nested = values.get("gps")
    gps: dict[str, Any] = nested if isinstance(nested, dict) else values
    lat, lon = _first(gps, "lat", "latitude", "gps_lat"), _first(gps, "lon", "lng", "gps_lon")
    try:
        point = Decimal(lat), Decimal(lon)
    except InvalidOperation:
        return None
    if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        return None
    return {"lat": float(point[0]), "lon": float(point[1])}


# --- why a record needs labelling (R16.1) ---------------------------------------------


def reason_text(reason: dict[str, Any]) -> str:
    """A ``metadata["labelling"]`` item in the reader's language."""
    code, value = reason.get("code"), reason.get("value", "")
    texts = {
        "no_pattern": _("The file name matches no pattern."),
        "no_device": _("Neither the name nor a sidecar gives the recorder's serial number."),
        "unknown_device": _("No device with serial number %(value)s is registered."),
        "unknown_officer": _("No officer has officer number %(value)s."),
        "bad_time": _("The capture time %(value)s is not a valid time."),
        "future_time": _("The capture time %(value)s is in the future (recorder clock?)."),
        "bad_sidecar": _("The sidecar file could not be read: %(value)s"),
    }
    text = texts.get(str(code))
    return text % {"value": value} if text else str(code)


@dataclass
class Described:
    """What is known about a file before its bytes are read."""

    device: Device | None = None
    officer: User | None = None
    captured_at: dt.datetime | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    reasons: list[dict[str, str]] = field(default_factory=list)

    def flag(self, code: str, value: str = "") -> None:
        self.reasons.append({"code": code, "value": value} if value else {"code": code})


def describe(relpath: str, sidecar: Path | None, patterns: list[NamePattern]) -> Described:
    """Parse the name, apply the sidecar, find device and officer; flag what is missing.

    ``metadata["dock"]``: the path, the pattern that matched and what the name said.
    """
    result = Described()
    dock: dict[str, Any] = {"path": relpath}
    parsed: dict[str, str] = {}
    for pattern in patterns:
        if (found := pattern.parse(relpath)) is not None:
            parsed, dock["pattern"] = found, pattern.text
            break
    else:
        result.flag("no_pattern")
    serial, officer_no = parsed.get("serial", ""), parsed.get("officer_no", "")
    dock["name"] = {k: v for k, v in parsed.items() if not k.startswith("t_")}
    when: dt.datetime | None = None
    time_text = "".join(v for k, v in parsed.items() if k.startswith("t_"))
    try:
        when = _name_time(parsed)
    except ValueError:
        result.flag("bad_time", time_text)
    if time_text:
        dock["name"]["time"] = time_text
    if sidecar is not None:
        dock["sidecar"] = PurePosixPath(relpath).with_name(sidecar.name).as_posix()
        try:
            side = read_sidecar(sidecar)
        except SidecarError as exc:
            result.flag("bad_sidecar", str(exc)[:200])
            side = {}
        if side:
            result.metadata["sidecar"] = side
            serial = _first(side, "serial", "device_serial") or serial
            officer_no = _first(side, "officer_no", "officer_number") or officer_no
            if side_time := _first(side, "captured_at"):
                try:
                    when = _sidecar_time(side_time)
                except ValueError:
                    result.flag("bad_time", side_time)
            if gps := _gps(side):
                result.metadata["gps"] = gps
    if when is not None and when > timezone.now() + CLOCK_SLACK:
        result.flag("future_time", timezone.localtime(when).isoformat())
        when = None
    result.captured_at = when
    if serial:
        result.device = Device.objects.filter(serial=normal_serial(serial)).first()
        if result.device is None:
            result.flag("unknown_device", serial)
    else:
        result.flag("no_device")
    if officer_no:
        officers = list(User.objects.filter(officer_number=officer_no)[:2])
        if len(officers) == 1:
            result.officer = officers[0]
        else:
            result.flag("unknown_officer", officer_no)
    result.metadata["dock"] = dock
    if result.reasons:
        result.metadata["labelling"] = result.reasons
    return result

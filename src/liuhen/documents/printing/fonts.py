"""The CJK font of the printed forms: found once, cut down once, embedded in every PDF.

WeasyPrint subsets each font it embeds on every render; on a full CJK font (24 000
glyphs) that alone takes most of a second. So the first render builds a "lean" copy of
the system font with only the GB2312 hanzi, Latin and the punctuation and symbols the
forms use (~7 600 glyphs), and later renders subset that one (about three times faster).
Characters outside GB2312 (rare characters in names, 䶮) still print: the full system
family follows the lean one in the CSS font stack, and Pango falls back to it per glyph.

The font is a Debian package (``fonts-arphic-uming``, or ``fonts-wqy-zenhei``), never a
file of this repository. The lean copy lives in ``FONT_CACHE_DIR``, named by a digest of
the source file's path, size and mtime and of :data:`LEAN_FONT_VERSION`, so an upgraded
font package or a changed recipe builds a new one. Building is atomic (temporary file +
``os.replace``) and serialised between processes by a lock file.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import logging
import os
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

logger = logging.getLogger(__name__)

# Bump when the subsetting recipe below changes: every cache then builds a new copy.
LEAN_FONT_VERSION = 2
LEAN_FAMILY = "Liuhen Lean Song"
LEAN_POSTSCRIPT_NAME = "LiuhenLeanSong"

# Preferred TrueType CJK fonts: a Ming (宋体-like) face first, as official documents use.
KNOWN_FONTS = (
    (Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0),  # AR PL UMing CN
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),  # WenQuanYi Zen Hei
)
# Families listed after the lean face, for glyphs it lacks.
FALLBACK_FAMILIES = ("AR PL UMing CN", "WenQuanYi Zen Hei")

# Besides the GB2312 hanzi: ASCII, Latin-1 + Latin Extended-A, general punctuation (…—‘’“”),
# letterlike symbols (№ ℃), enclosed numbers (①), geometric shapes (□ ■ ○ √ boxes on
# forms), CJK symbols and punctuation (、。〔〕《》), full-width forms (（）：；１).
_EXTRA_RANGES = (
    (0x0020, 0x007E),
    (0x00A0, 0x017F),
    (0x2000, 0x206F),
    (0x2100, 0x21FF),
    (0x2460, 0x24FF),
    (0x25A0, 0x25FF),
    (0x2713, 0x2714),
    (0x3000, 0x303F),
    (0xFF00, 0xFFEF),
)
# Tables a PDF never needs: bitmaps, vertical metrics, layout (WeasyPrint drops GSUB/GPOS
# anyway), hinting programs.
_DROPPED_TABLES = (
    "EBDT",
    "EBLC",
    "EBSC",
    "BDF ",
    "FFTM",
    "GDEF",
    "GSUB",
    "GPOS",
    "gasp",
    "vhea",
    "vmtx",
    "VORG",
)


@dataclass(frozen=True)
class SourceFont:
    path: Path
    index: int  # face number within a .ttc collection


def font_cache_dir() -> Path:
    # LIUHEN_FONT_CACHE_DIR; default DATA_DIR/fonts.
    return Path(getattr(settings, "FONT_CACHE_DIR", settings.DATA_DIR / "fonts"))


def source_font() -> SourceFont:
    """The system CJK TrueType font the lean copy is made from.

    ``PDF_FONT`` (LIUHEN_PDF_FONT) names a file, optionally ``path#index`` for a face of a
    collection; otherwise AR PL UMing, then WenQuanYi Zen Hei, then any TrueType font
    fontconfig knows for Chinese.
    """
    return _find_source_font(str(getattr(settings, "PDF_FONT", "") or ""))


@functools.cache
def _find_source_font(configured: str) -> SourceFont:
    if configured:
        path_text, _, index_text = configured.partition("#")
        path = Path(path_text)
        if not path.is_file():
            raise ImproperlyConfigured(
                f"LIUHEN_PDF_FONT names {path}, which does not exist. Name a TrueType CJK "
                "font file, or unset it to use fonts-arphic-uming."
            )
        try:
            index = int(index_text or 0)
        except ValueError:
            raise ImproperlyConfigured(
                f"LIUHEN_PDF_FONT must be PATH or PATH#INDEX, not {configured!r}"
            ) from None
        return SourceFont(path, index)
    for path, index in KNOWN_FONTS:
        if path.is_file():
            return SourceFont(path, index)
    if found := _fontconfig_chinese_truetype():
        return found
    raise ImproperlyConfigured(
        "No Chinese TrueType font is installed, so documents cannot be printed. "
        "Install one as root: apt-get install fonts-arphic-uming "
        "(or set LIUHEN_PDF_FONT to a TrueType CJK font file)."
    )


def _fontconfig_chinese_truetype() -> SourceFont | None:
    # Only TrueType outlines: subsetting CFF (OpenType/PostScript) CJK fonts is ~10× slower.
    try:
        listing = subprocess.run(
            ["fc-list", "--format", "%{file}\t%{index}\n", ":lang=zh:fontformat=TrueType"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        logger.warning("fc-list failed while looking for a Chinese font", exc_info=True)
        return None
    faces = sorted(
        (line.split("\t")[0], int(line.split("\t")[1] or 0))
        for line in listing.splitlines()
        if "\t" in line
    )
    return SourceFont(Path(faces[0][0]), faces[0][1]) if faces else None


def lean_font_path() -> Path:
    """The lean font file, built on first use (a few seconds) and then reused."""
    source = source_font()
    target = font_cache_dir() / f"lean-{_cache_key(source)}.ttf"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(target.parent / ".lean-font.lock"):
        if not target.is_file():  # another process may have built it while we waited
            _build_atomically(source, target)
    return target


def font_family_stack() -> str:
    """The CSS ``font-family`` value: the lean face, then full fonts for rarer glyphs."""
    families = [LEAN_FAMILY]
    with contextlib.suppress(ImproperlyConfigured):  # the preview prints without it
        families.append(_family_name(source_font()))
    families += [family for family in FALLBACK_FAMILIES if family not in families]
    return ", ".join(f'"{family}"' for family in families) + ", serif"


def font_face_css() -> str:
    """The ``@font-face`` rule of the lean font (a ``file://`` URL WeasyPrint loads)."""
    return (
        f'@font-face {{ font-family: "{LEAN_FAMILY}"; src: url("{lean_font_path().as_uri()}"); }}'
    )


@functools.cache
def _family_name(source: SourceFont) -> str:
    # fontTools loads with the first print, not with every web process.
    from fontTools.ttLib import TTFont

    return str(TTFont(source.path, fontNumber=source.index, lazy=True)["name"].getBestFamilyName())


def _cache_key(source: SourceFont) -> str:
    stat = source.path.stat()
    identity = "|".join(
        str(part)
        for part in (
            LEAN_FONT_VERSION,
            source.path.resolve(),
            source.index,
            stat.st_size,
            stat.st_mtime_ns,
        )
    )
    return hashlib.sha256(identity.encode()).hexdigest()[:16]


@contextlib.contextmanager
def _exclusive_lock(lock_path: Path) -> Iterator[None]:
    # flock locks belong to the open file, so threads of one process exclude each other too.
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build_atomically(source: SourceFont, target: Path) -> None:
    descriptor, temporary = tempfile.mkstemp(prefix=".lean-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            _write_lean_font(source, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    logger.info("built the lean PDF font %s from %s", target, source.path)


@contextlib.contextmanager
def _quiet_font_tools() -> Iterator[None]:
    # fontTools.subset logs every kept glyph name at INFO: thousands of lines per build.
    font_tools_logger = logging.getLogger("fontTools")
    level = font_tools_logger.level
    font_tools_logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        font_tools_logger.setLevel(level)


def _write_lean_font(source: SourceFont, handle: BinaryIO) -> None:
    with _quiet_font_tools():
        _subset_into(source, handle)


def _subset_into(source: SourceFont, handle: BinaryIO) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source.path, fontNumber=source.index)
    options = subset.Options()
    options.drop_tables += list(_DROPPED_TABLES)
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]  # keeps the copyright and licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_lean_codepoints())
    subsetter.subset(font)
    _rename(font)
    font.save(handle)


def _rename(font: TTFont) -> None:
    # A name of its own, so fontconfig never mistakes the cut-down copy for the full font.
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16):
            value = LEAN_FAMILY
        elif record.nameID == 3:
            value = f"{LEAN_FAMILY} {LEAN_FONT_VERSION}"
        elif record.nameID == 6:
            value = LEAN_POSTSCRIPT_NAME
        else:
            continue
        names.setName(value, record.nameID, record.platformID, record.platEncID, record.langID)


def _lean_codepoints() -> set[int]:
    codepoints = {
        codepoint for first, last in _EXTRA_RANGES for codepoint in range(first, last + 1)
    }
    # Every GB2312 character: rows 0xA1–0xF7, cells 0xA1–0xFE.
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                codepoints.add(ord(bytes((row, cell)).decode("gb2312")))
    return codepoints

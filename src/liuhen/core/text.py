"""What text kept here may hold: no control characters but tab and line breaks, no lone
surrogates, no Unicode noncharacters, no unassigned code points.

PostgreSQL refuses NUL and lone surrogates in any query (a server error if left to the
database), and the other control characters end up inside document numbers, printed
forms and XLSX files that cannot hold them. An unassigned code point (category Cn) prints
as nothing or a box in a legal document. One exception: the planes set aside for CJK
ideographs (U+20000–U+3FFFF) are let through whole, because Python's Unicode tables lag
the standard there and the newest CJK extensions hold characters of real people's names.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

ALLOWED_CONTROLS = frozenset("\t\n\r")

MESSAGE = _("The text contains a control character (U+%(code)04X), which no text here may hold.")
UNASSIGNED_MESSAGE = _(
    "The text contains an unassigned character (U+%(code)04X), which no text here may hold."
)

# The Supplementary and Tertiary Ideographic Planes: CJK extensions newer than Python's
# tables show as unassigned there.
_CJK_PLANES = range(0x20000, 0x40000)


def _noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _unassigned(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) == "Cn" and code not in _CJK_PLANES and not _noncharacter(code)
    )


def _refused(char: str) -> bool:
    if char in ALLOWED_CONTROLS:
        return False
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return True
    if _noncharacter(code):
        return True
    return unicodedata.category(char) == "Cs" or _unassigned(char)


def refused_character(text: str) -> str | None:
    """The first character of ``text`` no text here may hold, or None."""
    for char in text:
        if _refused(char):
            return char
    return None


def refused_in(values: Iterable[Any]) -> str | None:
    """The first refused character in any string of ``values`` (nested lists and dicts,
    keys included), or None."""
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if (found := refused_character(value)) is not None:
                return found
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
    return None


def refusal_message(char: str) -> str:
    """Why ``char`` (one :func:`refused_character` found) is refused, for the person."""
    message = UNASSIGNED_MESSAGE if _unassigned(char) else MESSAGE
    return str(message) % {"code": ord(char)}

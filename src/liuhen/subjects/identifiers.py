"""Official identifiers of enforcement subjects (R18.3) and their check characters.

- 统一社会信用代码 (unified social credit code, USCC): GB 32100-2015, 18 characters from a
  31-character set: the registering authority, the entity type, the six-digit region code of
  GB/T 2260, the nine-character organisation code of GB 11714 (with its own check character),
  and a check character over all of it (weights 3^i mod 31).
- 居民身份证号码 (resident identity number): GB 11643-1999, 17 digits + a check character
  by ISO 7064 MOD 11-2 (``X`` stands for 10); digits 7–14 are the date of birth.

Pure functions, no Django: the API, forms, import and tests all use the same ones.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# GB 32100-2015 §4.4: digits and capital letters without I, O, S, V, Z.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUES = {char: value for value, char in enumerate(USCC_CHARSET)}
# GB 32100-2015 Table 1 and its amendments: 1 编制, 5 民政, 9 工商 (市场监管), Y 其他, and the
# later authorities 2 外交, 3 司法行政, 4 文化, 6 旅游, 7 宗教, 8 工会, A 中央军委改革和编制办公室,
# N 农业农村 (the 农村集体经济组织 an agriculture bureau deals with).
_USCC_AUTHORITIES = frozenset("123456789ANY")
# GB 11714-1997 §5: weights of the eight body characters of an organisation code.
ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# GB 11643-1999 §6: weights 2^(17-i) mod 11 and the check characters for remainders 0..10.
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID_CHECK = "10X98765432"
# First two digits: province-level codes of GB/T 2260 (71 Taiwan; 81/82 Hong Kong and Macao,
# 83 residence permits for Taiwan residents).
_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)
_EARLIEST_BIRTH = dt.date(1900, 1, 1)

_SEPARATORS = re.compile(r"[\s\-·•.]+")


def _fold(text: str) -> str:
    # NFKC folds full-width digits and letters typed with a Chinese input method.
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or "")).upper()


# --- 统一社会信用代码 ------------------------------------------------------------------


def normalize_uscc(code: str) -> str:
    """Upper case, no spaces or separators, full-width folded. Does not validate."""
    return _fold(code)


def uscc_check_char(body: str) -> str:
    """The check character for the first 17 characters ``body`` (ValueError if not valid)."""
    if len(body) != 17 or any(char not in _USCC_VALUES for char in body):
        raise ValueError("a USCC body is 17 characters of the GB 32100-2015 set")
    total = sum(
        _USCC_VALUES[char] * weight for char, weight in zip(body, USCC_WEIGHTS, strict=True)
    )
    return USCC_CHARSET[(31 - total % 31) % 31]


def organisation_code_check_char(body: str) -> str:
    """GB 11714 check character for the 8-character organisation code ``body``: digits count as
    themselves and capital letters A–Z as 10–35; a result of 10 is ``X`` and 11 is ``0``."""
    if len(body) != 8 or not body.isascii() or not body.isalnum() or body != body.upper():
        raise ValueError("an organisation code body is 8 digits or capital letters")
    total = sum(
        int(char, 36) * weight for char, weight in zip(body, ORGANISATION_CODE_WEIGHTS, strict=True)
    )
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def complete_uscc(first_sixteen: str) -> str:
    """The code whose authority, entity type, region and organisation-code body are
    ``first_sixteen``: the organisation code's check character and the final one appended."""
    with_organisation = first_sixteen + organisation_code_check_char(first_sixteen[8:16])
    return with_organisation + uscc_check_char(with_organisation)


def validate_uscc(code: str) -> bool:
    """Is ``code`` (as given, not normalised) a well-formed USCC with the right check chars?

    Checks the registering authority, that the region code is six digits, the embedded
    organisation code's own check character (GB 11714) and the final one (GB 32100).
    """
    if not isinstance(code, str) or len(code) != 18:
        return False
    if any(char not in _USCC_VALUES for char in code):
        return False
    if code[0] not in _USCC_AUTHORITIES or not code[2:8].isdigit():
        return False
    if organisation_code_check_char(code[8:16]) != code[16]:
        return False
    return uscc_check_char(code[:17]) == code[17]


# --- 居民身份证号码 ---------------------------------------------------------------------


def normalize_resident_id(number: str) -> str:
    """Upper-case ``X``, no spaces, full-width folded. Does not validate."""
    return _fold(number)


def resident_id_check_char(body: str) -> str:
    """The check character for the first 17 digits ``body`` (ValueError if not 17 digits)."""
    if len(body) != 17 or not body.isascii() or not body.isdigit():
        raise ValueError("a resident id body is 17 digits")
    total = sum(
        int(digit) * weight for digit, weight in zip(body, RESIDENT_ID_WEIGHTS, strict=True)
    )
    return _RESIDENT_ID_CHECK[total % 11]


def birth_date(number: str) -> dt.date | None:
    """The date of birth in an 18-character resident id, or None if it is no real date."""
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_resident_id(number: str, *, today: dt.date | None = None) -> bool:
    """Is ``number`` (as given, not normalised) a plausible 18-character resident id?

    Checks the MOD 11-2 check character, a province code, and a birth date between
    1900-01-01 and today.
    """
    if not isinstance(number, str) or len(number) != 18:
        return False
    body, check = number[:17], number[17]
    if not body.isascii() or not body.isdigit() or check not in "0123456789X":
        return False
    if int(body[:2]) not in _PROVINCES:
        return False
    born = birth_date(number)
    if born is None or not _EARLIEST_BIRTH <= born <= (today or dt.date.today()):
        return False
    return resident_id_check_char(body) == check


def mask_resident_id(number: str) -> str:
    """First 3 and last 4 characters visible: ``211***********123X``.

    Enough for a person to recognise their own number on a document, not enough to use it.
    """
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


# --- vehicles, vessels, projects -------------------------------------------------------


def normalize_plate(plate: str) -> str:
    """A plate or vessel registration number without spaces or the middle dot (辽L·12345)."""
    return _fold(plate)


def normalize_project_code(code: str) -> str:
    return _fold(code)

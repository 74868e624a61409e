"""Masking personal data before publication (R12.1; 个人信息保护法 Art. 28): a natural
person's name becomes the surname and 某某 (张某某), resident identity numbers keep their
first three and last four characters, telephone numbers their first three and last four
digits, a person's address is left out. Which of these apply is the rule
``disclosure_masked_fields``; organisations' names and codes are public.

Pure functions on text: the approver's preview and the publication use the same ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from liuhen.subjects.identifiers import mask_resident_id

# 复姓: a name starting with one of these keeps two characters.
COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "长孙", "慕容",
    "司徒", "令狐", "夏侯", "宇文", "端木", "轩辕", "澹台", "公冶", "太史", "申屠",
    "呼延", "万俟", "闻人", "独孤", "南宫", "西门", "百里", "东郭", "钟离", "赫连",
))  # fmt: skip
MASK = "某某"
ADDRESS_MASK = "（地址已隐去）"

RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")


def mask_name(name: str) -> str:
    """张三 → 张某某, 欧阳明 → 欧阳某某; an empty name stays empty."""
    name = name.strip()
    if not name:
        return ""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[0]
    return surname + MASK


def mask_phone(number: str) -> str:
    digits = number.replace("-", "")
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_text(
    text: str,
    *,
    names: Iterable[str] = (),
    addresses: Iterable[str] = (),
    fields: Iterable[str],
) -> str:
    """``text`` with the natural persons' ``names`` and ``addresses`` masked, and every
    resident id and telephone number in it, as far as ``fields`` ask."""
    fields = set(fields)
    if "person_name" in fields:
        # Longest first: 张三丰 is masked before 张三 would leave "丰".
        for name in sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True):
            text = text.replace(name, mask_name(name))
    if "address" in fields:
        for address in sorted({a.strip() for a in addresses if a.strip()}, key=len, reverse=True):
            text = text.replace(address, ADDRESS_MASK)
    if "resident_id" in fields:
        text = RESIDENT_ID.sub(lambda m: mask_resident_id(m.group(0)), text)
    if "phone" in fields:
        text = MOBILE.sub(lambda m: mask_phone(m.group(0)), text)
        text = LANDLINE.sub(lambda m: mask_phone(m.group(0)), text)
    return text

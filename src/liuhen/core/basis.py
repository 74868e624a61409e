"""What a finding, a refusal or a rule rests on, as a person reads it.

Code, tests and the API cite the bureau's regulation by requirement id (``R9.2``: article
9 of the 行政执法全过程记录制度) and the 行政处罚法 by bare article number (``59``). People
never see those ids: the screen says "依据：制度第九条" or "依据：《中华人民共和国行政处罚法》
第59条" (in small print or a tooltip).
"""

from __future__ import annotations

import re

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from liuhen.core.rule_types import Citation, Law

REQUIREMENT_ID = re.compile(r"^R(\d+)(?:\.\d+)?$")
ARTICLE_NUMBER = re.compile(r"^\d+$")
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 24 → 二十四 (the regulation's articles, up to 99)."""
    tens, ones = divmod(n, 10)
    if not tens:
        return DIGITS[ones]
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[ones] if ones else ''}"


def basis(reference: str) -> str:
    """The basis ``reference`` ("R9.2", "59") names, for the screen; "" for no reference."""
    reference = (reference or "").strip()
    if found := REQUIREMENT_ID.match(reference):
        number = int(found.group(1))
        chinese = (get_language() or "zh-hans").startswith("zh")
        article = chinese_number(number) if chinese else str(number)
        return _("Basis: the recording rules, Art. %(article)s") % {"article": article}
    if ARTICLE_NUMBER.match(reference):
        return _("Basis: %(citation)s") % {"citation": Citation(Law.PENALTY, reference)}
    return ""

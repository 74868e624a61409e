"""The scoring checklist of 案卷评查 (R22.2), as data: six sections in the order a penalty
case file runs — 立案, 调查取证, 审查决定, 送达执行, 归档, 文书规范 — each item with its
points (100 in all), and the veto items 否决项: one failed makes the file 不合格 whatever
its score.

Source: the structure and the veto items follow the agriculture administrative penalty
case-file review standard used in the provincial 案卷评查 (农业行政处罚案卷评查标准), the
procedure it checks being that of 《农业行政处罚程序规定》 and 《中华人民共和国行政处罚法》
(articles named per item). The points are the bureau's weighting; the legal staff confirm
them with the grade thresholds (``law.py``: ``case_review_excellent_score``,
``case_review_pass_score``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Item:
    code: str
    text: str | Promise
    points: Decimal  # 0 for a veto item
    veto: bool = False
    basis: str = ""  # the article it checks, as the law cites it


@dataclass(frozen=True)
class Section:
    code: str
    title: str | Promise
    items: tuple[Item, ...]

    @property
    def points(self) -> Decimal:
        return sum((item.points for item in self.items), Decimal(0))


def _item(code: str, text: str | Promise, points: int, basis: str = "") -> Item:
    return Item(code, text, Decimal(points), basis=basis)


def _veto(code: str, text: str | Promise, basis: str = "") -> Item:
    return Item(code, text, Decimal(0), veto=True, basis=basis)


SECTIONS: tuple[Section, ...] = (
    Section(
        "filing",
        _("Filing (立案)"),
        (
            _item("filing_basis", _("The filing is well founded and its approval complete"), 6),
            _item("filing_timely", _("The case was filed within the prescribed period"), 5),
            _item("filing_particulars", _("The cause and the party's particulars are clear"), 4),
            _veto(
                "veto_unfiled",
                _("A penalty was decided without the case being filed (simple procedure aside)"),
            ),
        ),
    ),
    Section(
        "investigation",
        _("Investigation and evidence (调查取证)"),
        (
            _item(
                "two_officers",
                _("At least two officers investigated and showed their enforcement certificates"),
                6,
                "行政处罚法第42条",
            ),
            _item(
                "evidence_lawful",
                _("Evidence was gathered lawfully; transcripts have every required element"),
                8,
            ),
            _item(
                "evidence_sufficient",
                _("The evidence is true and sufficient and corroborates the facts"),
                8,
            ),
            _item(
                "coercive_measures",
                _("Sampling, advance preservation and seizure followed the procedure"),
                5,
            ),
            _item(
                "av_recorded",
                _("The whole-process AV record was made and linked as required"),
                3,
            ),
            _veto(
                "veto_facts_unclear",
                _("The main facts of the violation are unclear or the evidence is insufficient"),
            ),
        ),
    ),
    Section(
        "decision",
        _("Review and decision (审查决定)"),
        (
            _item("law_applied", _("Laws, regulations and rules were applied correctly"), 7),
            _item(
                "discretion",
                _("Discretion was exercised properly; the penalty fits the circumstances"),
                5,
            ),
            _item(
                "rights_notice",
                _("The party was told of the rights to state, defend and request a hearing"),
                6,
                "行政处罚法第44、45、63条",
            ),
            _item(
                "legal_review",
                _("Legal review and collective discussion were held where required"),
                4,
                "行政处罚法第57、58条",
            ),
            _item(
                "decision_content",
                _("The decision document states everything the law requires"),
                3,
                "行政处罚法第59条",
            ),
            _veto(
                "veto_wrong_law",
                _("The law applied is wrong, or the penalty exceeds the agency's powers"),
            ),
            _veto(
                "veto_rights_denied",
                _("The party was denied the right to state, defend or be heard"),
                "行政处罚法第62条",
            ),
        ),
    ),
    Section(
        "service",
        _("Service and execution (送达执行)"),
        (
            _item(
                "served",
                _("Documents were served lawfully; the service receipts are complete"),
                6,
                "行政处罚法第61条",
            ),
            _item("executed", _("Fines and confiscations were paid and executed"), 5),
            _item("closing_report", _("The closing report is timely and records execution"), 4),
        ),
    ),
    Section(
        "archiving",
        _("Archiving (归档)"),
        (
            _item(
                "file_bound",
                _("The file is bound in order with its catalogue and archived in time"),
                5,
            ),
        ),
    ),
    Section(
        "documents",
        _("Document standards (文书规范)"),
        (
            _item(
                "forms_used",
                _("The standard forms are used, with document numbers, dates and seals"),
                5,
            ),
            _item(
                "forms_filled",
                _("Documents are filled in accurately and legibly, without alterations"),
                5,
            ),
        ),
    ),
)

ITEMS: dict[str, Item] = {item.code: item for section in SECTIONS for item in section.items}
FULL_MARKS: Decimal = sum((section.points for section in SECTIONS), Decimal(0))

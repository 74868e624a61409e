"""The vocabulary of the legal rules: kinds of value, cited laws, citations, the rule itself.

Each app's ``law.py`` is written in these terms; ``rules`` looks values up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import get_language, override, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from liuhen.core import registry


class Kind(models.TextChoices):
    """What a value is, and for periods how it is counted."""

    # 行政处罚法 Art. 85: the "2, 3, 5, 7 days" of the law are working days.
    WORKING_DAYS = "working_days", pgettext_lazy("unit", "working days")
    # Calendar days; in the party's periods a last day that is a rest day moves to the next
    # working day (民事诉讼法 Art. 85; see :class:`Serves`).
    CALENDAR_DAYS = "calendar_days", pgettext_lazy("unit", "calendar days")
    MONTHS = "months", pgettext_lazy("unit", "months")
    YEARS = "years", pgettext_lazy("unit", "years")
    HOURS = "hours", pgettext_lazy("unit", "hours")
    MINUTES = "minutes", pgettext_lazy("unit", "minutes")
    AMOUNT_FEN = "amount_fen", pgettext_lazy("unit", "amount (fen)")
    PERCENT = "percent", pgettext_lazy("unit", "percent")
    PERSONS = "persons", pgettext_lazy("unit", "persons")
    # How many (findings, complaints …): a threshold counted in things, not time.
    COUNT = "count", pgettext_lazy("unit", "items")
    CODES = "codes", pgettext_lazy("unit", "list of codes")
    CHOICE = "choice", pgettext_lazy("unit", "choice")


PERIOD_KINDS = (Kind.WORKING_DAYS, Kind.CALENDAR_DAYS, Kind.MONTHS, Kind.YEARS)
# Periods whose last day may fall on a rest day (a working-day period never ends on one).
ROLLING_KINDS = (Kind.CALENDAR_DAYS, Kind.MONTHS, Kind.YEARS)
# Every kind of time limit: the periods and the limits in hours.
TIME_KINDS = (*PERIOD_KINDS, Kind.HOURS, Kind.MINUTES)
INTEGER_KINDS = (*TIME_KINDS, Kind.AMOUNT_FEN, Kind.PERCENT, Kind.PERSONS, Kind.COUNT)
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class Law(models.TextChoices):
    """The sources cited; labels are the English titles, ``zh`` the official Chinese ones."""

    PENALTY = "penalty", _("Administrative Penalty Law of the PRC (2021)")
    AGRICULTURE = (
        "agriculture",
        _("Provisions on Administrative Penalty Procedures in Agriculture (MARA Order 2021 No. 4)"),
    )
    CIVIL_PROCEDURE = "civil_procedure", _("Civil Procedure Law of the PRC (2023)")
    COERCION = "coercion", _("Administrative Coercion Law of the PRC")
    RECONSIDERATION = "reconsideration", _("Administrative Reconsideration Law of the PRC (2023)")
    LITIGATION = "litigation", _("Administrative Litigation Law of the PRC")
    STATE_COUNCIL_2018 = (
        "gbf_2018_118",
        _(
            "Guiding Opinions of the General Office of the State Council on the three enforcement "
            "systems (Guobanfa [2018] No. 118)"
        ),
    )
    REGULATION = "regulation", _("The bureau's whole-process recording rules (Dawa District)")
    ARCHIVES = (
        "archives",
        _("Regulations for the Implementation of the Archives Law of the PRC (2024)"),
    )


LAW_ZH = {
    Law.PENALTY: "中华人民共和国行政处罚法",
    Law.AGRICULTURE: "农业行政处罚程序规定",
    Law.CIVIL_PROCEDURE: "中华人民共和国民事诉讼法",
    Law.COERCION: "中华人民共和国行政强制法",
    Law.RECONSIDERATION: "中华人民共和国行政复议法",
    Law.LITIGATION: "中华人民共和国行政诉讼法",
    Law.STATE_COUNCIL_2018: (
        "国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的"
        "指导意见（国办发〔2018〕118号）"
    ),
    Law.REGULATION: "盘锦市大洼区农业农村局行政执法全过程记录制度",
    Law.ARCHIVES: "中华人民共和国档案法实施条例",
}


class Serves(models.TextChoices):
    """Whose time a period is: which way the law's figure binds, and whether its last day
    moves off a rest day."""

    # Time the law gives the party to act or to prepare: to request a hearing, to pay, to
    # apply for reconsideration or sue, before service by public notice takes effect. The
    # law's figure is a floor (the bureau may give more, never less), and a last day that
    # is a rest day moves to the next working day (民事诉讼法 Art. 85).
    PARTY = "party", _("the party (a right)")
    # Time the law allows the agency for its own act: service, a decision, disclosure, a
    # seizure. The law's figure is a ceiling (the bureau may be quicker, never slower), and
    # a rest day does not move the last day: the agency acts on a working day before it.
    # Where the law sets the agency a least time instead (keep "不少于六个月"), the rule
    # says ``at_least`` and the figure is a floor.
    AGENCY = "agency", _("the agency (a duty)")
    # The bureau's own control, for which no law gives a figure: the legal staff confirm it.
    INTERNAL = "internal", _("the bureau (internal control)")


@dataclass(frozen=True)
class Citation:
    law: Law
    article: str = ""  # "60", "64(1)"; empty for a document cited as a whole

    @property
    def zh(self) -> str:
        title = f"《{LAW_ZH[self.law]}》"
        if not self.article:
            return title
        number, _sep, item = self.article.partition("(")
        clause = f"第{item.rstrip(')')}项" if item else ""
        return f"{title}第{number}条{clause}"

    @property
    def en(self) -> str:
        with override("en"):
            title = str(Law(self.law).label)
        return f"{title}, Art. {self.article}" if self.article else title

    def __str__(self) -> str:
        return self.zh if (get_language() or "zh-hans").startswith("zh") else self.en


@dataclass(frozen=True)
class Rule:
    key: str
    label: str | Promise
    kind: Kind
    default: Any
    citations: tuple[Citation, ...]
    description: str | Promise = ""
    minimum: int | None = None  # a floor the administrator cannot go below
    maximum: int | None = None  # a ceiling set by a higher law
    choices: tuple[str, ...] = ()
    # CODES: names for the codes on screen; ``min_items`` codes at least; ``ordered`` lists
    # are sequences (an approval chain), shown with arrows.
    choice_labels: tuple[tuple[str, str | Promise], ...] = ()
    min_items: int = 0
    ordered: bool = False
    extension_key: str = ""  # the rule holding the approved extension of this period
    # Periods (and limits in hours): whose time it is. It decides which bound the law's
    # figure is (PARTY: ``minimum``; AGENCY: ``maximum``, or ``minimum`` when ``at_least``)
    # and whether the last day rolls forward (only PARTY's do; tests/core/test_rules.py).
    serves: Serves | None = None
    at_least: bool = False  # an AGENCY period the law sets as a least time (不少于)
    # None: follows ``serves``. An explicit value must agree with it (tests check).
    roll_forward: bool | None = None
    # False: listed with its citation but no code applies it yet; shown as "not yet
    # applied", never as in force (a test checks the flag against the code that reads it).
    applied: bool = True
    needs_check: bool = False  # law.md *[check]*: confirm with the legal staff
    value: Any = None  # the current value (set by get())
    overridden: bool = False

    @property
    def citation(self) -> str:
        return "；".join(str(item) for item in self.citations)

    @property
    def is_period(self) -> bool:
        return self.kind in PERIOD_KINDS

    @property
    def rolls_forward(self) -> bool:
        """A calendar-day, month or year period whose last day is a rest day ends on the
        next working day: the party's periods (民事诉讼法 Art. 85), not the agency's."""
        if self.roll_forward is not None:
            return self.roll_forward
        return self.serves == Serves.PARTY

    @property
    def serves_label(self) -> str:
        return "" if self.serves is None else str(Serves(self.serves).label)

    def display(self, value: Any = None) -> str:
        """The value with its unit, for people: "15 个工作日", "¥200.00"."""
        value = self.value if value is None else value
        if self.kind == Kind.AMOUNT_FEN:
            return f"¥{value // 100:,}.{value % 100:02d}"
        if self.kind == Kind.PERCENT:
            return f"{value}%"
        if self.kind == Kind.CODES:
            names = dict(self.choice_labels)
            return (" → " if self.ordered else ", ").join(str(names.get(v, v)) for v in value)
        if self.kind == Kind.CHOICE:
            if self.choice_labels:
                return str(dict(self.choice_labels).get(value, value))
            chosen = registry.rules.get(value)
            return str(chosen.label) if chosen is not None else str(value)
        return f"{value} {Kind(self.kind).label}"

    @property
    def default_display(self) -> str:
        return self.display(self.default)

    @property
    def minimum_display(self) -> str:
        if self.minimum is None:
            return ""
        if self.kind == Kind.CODES:
            return str(_("the defaults cannot be removed"))
        return self.display(self.minimum)

    @property
    def maximum_display(self) -> str:
        return "" if self.maximum is None else self.display(self.maximum)

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

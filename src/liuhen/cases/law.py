"""The legal rules the cases app applies (R2.1): leads and filing, the simple
procedure, investigation, the decision, rights and hearings, remedies and disclosure.

Law is configuration with citations: the only place a legal number of this app is
written; code asks ``rules.value(key)``. Registered by the app's ``ready()``; the
defaults and citations are listed in docs/rules.md.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liuhen.cases.models import PenaltyKind
from liuhen.core import rules
from liuhen.core.rule_types import Citation, Kind, Law, Rule, Serves

PENALTY = Law.PENALTY

# R7.3 / Art. 57: "较重的行政处罚" — the penalties a collective discussion decides.
HEAVY_PENALTY_KINDS = ("licence_suspend", "licence_revoke", "restrict")

# 行政处罚法 Art. 63 (三)(四), 农业行政处罚程序规定 Art. 59: whatever the amounts, these
# penalties carry the right to a hearing — 降低资质等级, 吊销许可证件, and 责令停产停业,
# 责令关闭, 限制从业 (``restrict``). 暂扣许可证件 is taken as one of "其他较重的行政处罚"
# (Art. 63 (五)): offering a hearing that was not required is lawful, omitting one is not.
HEARING_PENALTY_KINDS = (
    "licence_downgrade",
    "licence_suspend",
    "licence_revoke",
    "restrict",
    "close",
    "bar_from_occupation",
)

HEARING_CITATIONS = (Citation(PENALTY, "63"), Citation(Law.AGRICULTURE, "59"))
# The amounts from which a fine or a confiscation is large (较大数额): the province sets
# them, per citizen and per organisation. The defaults are deliberately low, since offering
# a hearing that was not required is lawful and omitting one is not.
HEARING_THRESHOLDS = (
    (
        "hearing_large_fine_person",
        _("Large fine on a citizen (hearing)"),
        _(
            "A proposed fine of at least this amount on a citizen carries the right to a "
            "hearing. The province sets the figure; the default is deliberately low, since "
            "offering a hearing that was not required is lawful and omitting one is not."
        ),
        1_000_00,
    ),
    (
        "hearing_large_fine_organisation",
        _("Large fine on a legal person or other organisation (hearing)"),
        _(
            "A proposed fine of at least this amount on a legal person or other "
            "organisation carries the right to a hearing. The province sets the figure; the "
            "default is deliberately low."
        ),
        10_000_00,
    ),
    (
        "hearing_large_confiscation_person",
        _("Large confiscation from a citizen (hearing)"),
        _(
            "Confiscating illegal gains or illegal property worth at least this amount from "
            "a citizen carries the right to a hearing. The province sets the figure; the "
            "default is deliberately low."
        ),
        1_000_00,
    ),
    (
        "hearing_large_confiscation_organisation",
        _("Large confiscation from a legal person or other organisation (hearing)"),
        _(
            "Confiscating illegal gains or illegal property worth at least this amount from "
            "a legal person or other organisation carries the right to a hearing. The "
            "province sets the figure; the default is deliberately low."
        ),
        10_000_00,
    ),
)

RULES: tuple[Rule, ...] = (
    # --- leads and filing ----------------------------------------------------------
    Rule(
        key="lead_check",
        label=_("Lead check period"),
        description=_("A lead is checked and filing decided within this period of receipt."),
        kind=Kind.CALENDAR_DAYS,
        default=15,
        minimum=1,
        maximum=15,
        serves=Serves.AGENCY,
        extension_key="lead_check_extension",
        needs_check=True,
        citations=(Citation(Law.AGRICULTURE),),
    ),
    Rule(
        key="lead_check_extension",
        label=_("Lead check extension (with approval)"),
        kind=Kind.CALENDAR_DAYS,
        default=15,
        minimum=0,
        maximum=15,
        serves=Serves.AGENCY,
        needs_check=True,
        citations=(Citation(Law.AGRICULTURE),),
    ),
    Rule(
        key="limitation_years",
        label=_("Limitation period"),
        description=_("An offence not discovered within this period is not penalised."),
        kind=Kind.YEARS,
        default=2,
        # The law bars the agency after this time: a longer one would penalise a
        # time-barred act, a shorter one let a punishable act go. Fixed.
        minimum=2,
        maximum=2,
        serves=Serves.AGENCY,
        citations=(Citation(PENALTY, "36"),),
    ),
    Rule(
        key="limitation_years_serious",
        label=_("Limitation period (life, health or financial safety, with harm)"),
        kind=Kind.YEARS,
        default=5,
        minimum=5,  # fixed, as limitation_years
        maximum=5,
        serves=Serves.AGENCY,
        citations=(Citation(PENALTY, "36"),),
    ),
    # --- approvals (R7.2) -------------------------------------------------------------
    Rule(
        key="urgent_start_paperwork",
        label=_("Paperwork after an urgent start"),
        description=_(
            "A step started before approval because of urgency has its approval paperwork "
            "completed within this period."
        ),
        kind=Kind.WORKING_DAYS,
        default=2,
        minimum=1,
        maximum=2,
        serves=Serves.AGENCY,
        citations=(Citation(Law.REGULATION, "7"), Citation(PENALTY, "85")),
    ),
    # --- simple procedure ---------------------------------------------------------------
    Rule(
        key="simple_procedure_max_fine_person",
        label=_("Simple procedure: largest fine on a citizen"),
        kind=Kind.AMOUNT_FEN,
        default=200_00,
        minimum=0,
        maximum=200_00,
        citations=(Citation(PENALTY, "51"),),
    ),
    Rule(
        key="simple_procedure_max_fine_organisation",
        label=_("Simple procedure: largest fine on an organisation"),
        kind=Kind.AMOUNT_FEN,
        default=3_000_00,
        minimum=0,
        maximum=3_000_00,
        citations=(Citation(PENALTY, "51"),),
    ),
    Rule(
        key="simple_procedure_filing",
        label=_("Simple procedure: filing with the agency"),
        description=_(
            "An on-the-spot decision is filed (备案) with the agency within this period."
        ),
        kind=Kind.WORKING_DAYS,
        default=2,
        minimum=1,
        maximum=2,
        serves=Serves.AGENCY,
        needs_check=True,
        citations=(Citation(PENALTY, "52"), Citation(Law.AGRICULTURE)),
    ),
    # --- investigation ------------------------------------------------------------------
    Rule(
        key="urgent_preservation_report_hours",
        label=_("Urgent advance preservation: report to the head"),
        description=_(
            "Evidence preserved on the spot before approval, because the matter was urgent: "
            "the head's approval is completed within this many hours of the start."
        ),
        kind=Kind.HOURS,
        default=24,
        minimum=1,
        maximum=24,
        serves=Serves.AGENCY,
        # The approval it stands in for is 行政处罚法 Art. 56's; the article of the
        # agriculture provisions (二十四小时内补办批准手续) is to be confirmed.
        needs_check=True,
        citations=(Citation(Law.AGRICULTURE, "41"), Citation(PENALTY, "56")),
    ),
    Rule(
        key="advance_preservation_decision",
        label=_("Advance preservation: handling decision"),
        description=_(
            "Evidence registered and preserved in advance is dealt with within this period."
        ),
        kind=Kind.WORKING_DAYS,
        default=7,
        minimum=1,
        maximum=7,
        serves=Serves.AGENCY,
        citations=(Citation(PENALTY, "56"), Citation(PENALTY, "85")),
    ),
    Rule(
        key="urgent_seizure_report_hours",
        label=_("Urgent seizure or detention: report to the head"),
        description=_(
            "A seizure carried out on the spot before approval, because the matter was "
            "urgent, is reported to the head and its approval completed within this many "
            "hours; if the head does not approve, the measure is lifted at once."
        ),
        kind=Kind.HOURS,
        default=24,
        minimum=1,
        maximum=24,
        serves=Serves.AGENCY,
        citations=(Citation(Law.COERCION, "19"),),
    ),
    Rule(
        key="seizure_days",
        label=_("Seizure or detention period"),
        description=_(
            "A seizure or detention lasts at most this long from the day it is carried out; "
            "the period on the decision may not be longer."
        ),
        kind=Kind.CALENDAR_DAYS,
        default=30,
        minimum=1,
        maximum=30,
        serves=Serves.AGENCY,
        extension_key="seizure_extension",
        citations=(Citation(Law.COERCION, "25"),),
    ),
    Rule(
        key="seizure_extension",
        label=_("Seizure or detention extension (with approval)"),
        description=_(
            "In a complex case the period may be extended once, with the head's approval, "
            "by at most this long."
        ),
        kind=Kind.CALENDAR_DAYS,
        default=30,
        minimum=0,
        maximum=30,
        serves=Serves.AGENCY,
        citations=(Citation(Law.COERCION, "25"),),
    ),
    # --- decision -----------------------------------------------------------------------
    Rule(
        key="collective_discussion_penalty_kinds",
        label=_("Penalties decided by collective discussion"),
        description=_(
            "A decision with one of these penalties needs a collective discussion record, "
            "as a complex or serious case does. The defaults stay; others can be added."
        ),
        kind=Kind.CODES,
        default=HEAVY_PENALTY_KINDS,
        minimum=0,
        choices=tuple(PenaltyKind.values),
        choice_labels=tuple(PenaltyKind.choices),
        needs_check=True,
        citations=(Citation(PENALTY, "57"), Citation(Law.REGULATION, "7")),
    ),
    Rule(
        key="decision_deadline",
        label=_("Decision deadline"),
        description=_("A decision is made within this period of filing the case (立案)."),
        kind=Kind.CALENDAR_DAYS,
        default=90,
        minimum=1,
        maximum=90,
        serves=Serves.AGENCY,
        citations=(Citation(PENALTY, "60"),),
    ),
    Rule(
        key="decision_deadline_agriculture",
        label=_("Decision deadline (agriculture provisions)"),
        description=_(
            "Within this period of filing, extendable with approval; suspension, hearing, "
            "public notice and testing are not counted."
        ),
        kind=Kind.MONTHS,
        default=6,
        minimum=1,
        maximum=6,
        serves=Serves.AGENCY,
        needs_check=True,
        citations=(Citation(Law.AGRICULTURE), Citation(PENALTY, "60")),
    ),
    Rule(
        key="decision_deadline_applies",
        label=_("Which decision deadline applies"),
        description=_(
            "Art. 60 gives way where a rule provides otherwise; choose the general or the "
            "agriculture deadline."
        ),
        kind=Kind.CHOICE,
        default="decision_deadline",
        choices=("decision_deadline", "decision_deadline_agriculture"),
        needs_check=True,
        citations=(Citation(PENALTY, "60"), Citation(Law.AGRICULTURE)),
    ),
    # --- rights: statement, defence, hearing ------------------------------------------
    Rule(
        key="hearing_penalty_kinds",
        label=_("Penalties that carry the right to a hearing"),
        description=_(
            "Proposing one of these penalties, whatever the amounts, obliges the agency to "
            "notify the right to a hearing. The defaults stay; others can be added."
        ),
        kind=Kind.CODES,
        default=HEARING_PENALTY_KINDS,
        minimum=0,
        choices=tuple(PenaltyKind.values),
        choice_labels=tuple(PenaltyKind.choices),
        citations=(Citation(PENALTY, "63"), Citation(Law.AGRICULTURE, "59")),
    ),
    *(
        Rule(
            key=key,
            label=label,
            description=description,
            kind=Kind.AMOUNT_FEN,
            default=default,
            minimum=0,
            needs_check=True,
            citations=HEARING_CITATIONS,
        )
        for key, label, description, default in HEARING_THRESHOLDS
    ),
    Rule(
        key="hearing_request",
        label=_("Hearing request window"),
        description=_("The party requests a hearing within this period of the advance notice."),
        kind=Kind.WORKING_DAYS,
        default=5,
        minimum=5,
        serves=Serves.PARTY,
        citations=(Citation(PENALTY, "64(1)"), Citation(PENALTY, "85")),
    ),
    Rule(
        key="hearing_notice",
        label=_("Hearing notice before the hearing"),
        description=_(
            "The party is told the time and place at least this long before the hearing."
        ),
        kind=Kind.WORKING_DAYS,
        default=7,
        minimum=7,
        serves=Serves.PARTY,
        citations=(Citation(PENALTY, "64(2)"), Citation(PENALTY, "85")),
    ),
    Rule(
        key="reconsideration",
        label=_("Application for administrative reconsideration"),
        kind=Kind.CALENDAR_DAYS,
        default=60,
        # A floor: a law may give the party longer (Art. 20, "超过六十日的除外").
        minimum=60,
        serves=Serves.PARTY,
        citations=(Citation(Law.RECONSIDERATION, "20"),),
    ),
    Rule(
        key="litigation",
        label=_("Administrative lawsuit"),
        kind=Kind.MONTHS,
        default=6,
        minimum=6,
        serves=Serves.PARTY,
        citations=(Citation(Law.LITIGATION, "46"),),
    ),
)


def decision_deadline_key() -> str:
    """Which decision deadline applies: the general 90 days of 行政处罚法 Art. 60 or the
    agriculture provisions' 6 months (Art. 60 gives way to "另有规定"; *[check]*)."""
    return str(rules.value("decision_deadline_applies"))

"""The rules of 执法公示 (R12.1): the publication periods of decisions, the withdrawal
period, the date of the annual data, and which personal data are masked.

国办发〔2018〕118号: penalty (and licence) decisions are published within 7 working days of
the decision, other enforcement decisions within 20; 行政处罚法 Art. 48: a published
decision that is revoked, changed or confirmed illegal is withdrawn within 3 working days;
the year's enforcement data is published by 31 January of the year after. Registered by
``DisclosureConfig.ready()``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liuhen.core.rule_types import Citation, Kind, Law, Rule, Serves

# The keys are read where they apply (drafts.py, clocks.py): the rule catalogue's test
# finds a rule applied by its key written there.

# What is masked in a published decision about a natural person.
MASKABLE = (
    ("person_name", _("Name of a natural person (surname kept: 张某某)")),
    ("resident_id", _("Resident identity number")),
    ("phone", _("Telephone numbers")),
    ("address", _("Address of a natural person")),
)
MASKABLE_CODES = tuple(code for code, _label in MASKABLE)

RULES: tuple[Rule, ...] = (
    Rule(
        key="disclosure_penalty_decision",
        label=_("Publication of a penalty decision"),
        description=_(
            "A penalty decision is published on the government service portal within this "
            "period of the decision; later, the case shows a finding."
        ),
        kind=Kind.WORKING_DAYS,
        default=7,
        minimum=1,
        maximum=7,
        serves=Serves.AGENCY,
        citations=(Citation(Law.STATE_COUNCIL_2018), Citation(Law.REGULATION, "12")),
    ),
    Rule(
        key="disclosure_other_decision",
        label=_("Publication of another enforcement decision"),
        description=_(
            "An enforcement decision other than a penalty is published within this period "
            "of the decision."
        ),
        kind=Kind.WORKING_DAYS,
        default=20,
        minimum=1,
        maximum=20,
        serves=Serves.AGENCY,
        citations=(Citation(Law.STATE_COUNCIL_2018), Citation(Law.REGULATION, "12")),
    ),
    Rule(
        key="disclosure_withdrawal",
        label=_("Withdrawal of a published decision"),
        description=_(
            "A published decision that is revoked, changed or confirmed illegal is withdrawn "
            "within this period; the notice of withdrawal stays public."
        ),
        kind=Kind.WORKING_DAYS,
        default=3,
        minimum=1,
        maximum=3,
        serves=Serves.AGENCY,
        citations=(
            Citation(Law.PENALTY, "48"),
            Citation(Law.PENALTY, "85"),
            Citation(Law.REGULATION, "12"),
        ),
    ),
    Rule(
        key="disclosure_annual_data",
        label=_("Publication of the annual enforcement data"),
        description=_(
            "The enforcement data of a year is published within this many days of the "
            "year's end (31 January)."
        ),
        kind=Kind.CALENDAR_DAYS,
        default=31,
        minimum=1,
        maximum=31,
        serves=Serves.AGENCY,
        citations=(Citation(Law.STATE_COUNCIL_2018), Citation(Law.REGULATION, "12")),
    ),
    Rule(
        key="disclosure_masked_fields",
        label=_("Personal data masked before publication"),
        description=_(
            "What is masked in a published decision about a natural person; the approver "
            "sees the masked text before publishing."
        ),
        kind=Kind.CODES,
        default=MASKABLE_CODES,
        choices=MASKABLE_CODES,
        choice_labels=MASKABLE,
        needs_check=True,
        citations=(Citation(Law.STATE_COUNCIL_2018), Citation(Law.REGULATION, "12")),
    ),
)

"""The rules of archiving a case file (R18.1): the order of its catalogue, the retention
class chosen from the case, and the period for archiving after closing.

Law is configuration with citations: the retention classes and the period come from
archive rules the legal staff and the archivist confirm (law.md *[check]*). Registered by
``ArchivesConfig.ready()``.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liuhen.archives.models import Retention
from liuhen.core.rule_types import Citation, Kind, Law, Rule, Serves

# The groups of the catalogue, in the order the agriculture enforcement file binds them:
# the conclusion first, then the filing, the evidence, review, notice, hearing, service,
# execution and the closing report; what fits nowhere last.
GROUPS: tuple[tuple[str, str | Promise], ...] = (
    ("decision", _("Decision")),
    ("filing", _("Filing")),
    ("investigation", _("Investigation and evidence")),
    ("av_evidence", _("AV evidence")),
    ("review", _("Review and approval")),
    ("notice", _("Advance notice")),
    ("hearing", _("Hearing")),
    ("service", _("Service")),
    ("execution", _("Execution")),
    ("closing", _("Closing")),
    ("other", _("Other material")),
)
GROUP_CODES = tuple(code for code, _label in GROUPS)
OTHER_GROUP = "other"
AV_GROUP = "av_evidence"

# Which group each form of the catalogue belongs to (documents.md); a form not listed
# (one the bureau added) goes to "other" unless its stage says more.
FORM_GROUPS: dict[str, str] = {
    "penalty_decision": "decision",
    "no_penalty_decision": "decision",
    "on_the_spot_decision": "decision",
    "filing_approval": "filing",
    "filing_revocation_approval": "filing",
    "designated_jurisdiction_notice": "filing",
    "case_assignment_notice": "filing",
    "case_transfer_letter": "filing",
    "criminal_case_transfer": "filing",
    "inquiry_transcript": "investigation",
    "inspection_transcript": "investigation",
    "sampling_voucher": "investigation",
    "test_result_notice": "investigation",
    "product_confirmation_notice": "investigation",
    "advance_preservation_notice": "investigation",
    "preserved_goods_disposal_notice": "investigation",
    "seizure_notice": "investigation",
    "seizure_transcript": "investigation",
    "seizure_release_decision": "investigation",
    "seizure_list": "investigation",
    "suspension_decision": "investigation",
    "resumption_decision": "investigation",
    "assistance_request_letter": "investigation",
    "assistance_result_letter": "investigation",
    "rectification_order": "investigation",
    "case_handling_opinion": "review",
    "legal_review_opinion": "review",
    "collective_discussion_record": "review",
    "decision_approval": "review",
    "advance_notice": "notice",
    "advance_notice_hearing": "notice",
    "hearing_notice": "hearing",
    "hearing_transcript": "hearing",
    "hearing_report": "hearing",
    "service_receipt": "service",
    "payment_reminder": "execution",
    "enforcement_application": "execution",
    "deferral_notice": "execution",
    "confiscated_goods_disposal_record": "execution",
    "closing_report": "closing",
}

RETENTION_LABELS: tuple[tuple[str, str | Promise], ...] = tuple(
    (value, label) for value, label in Retention.choices
)

RULES: tuple[Rule, ...] = (
    Rule(
        key="case_file_order",
        label=_("Order of the case file's catalogue"),
        description=_(
            "The groups of a case file in the order they are bound; within a group, by date. "
            "A group left out goes to the end."
        ),
        kind=Kind.CODES,
        default=GROUP_CODES,
        choices=GROUP_CODES,
        choice_labels=GROUPS,
        min_items=1,
        ordered=True,
        needs_check=True,
        citations=(Citation(Law.AGRICULTURE), Citation(Law.REGULATION, "18")),
    ),
    Rule(
        key="retention_ordinary",
        label=_("Retention of an ordinary-procedure case file"),
        description=_(
            "Ordinary-procedure penalty files are kept permanently or for 30 years; the "
            "archivist confirms the class when archiving."
        ),
        kind=Kind.CHOICE,
        default=Retention.PERMANENT.value,
        choices=(Retention.PERMANENT.value, Retention.YEARS_30.value),
        choice_labels=RETENTION_LABELS,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "18"),),
    ),
    Rule(
        key="retention_simple",
        label=_("Retention of a simple-procedure case file"),
        description=_(
            "Simple-procedure files are kept for 10 or 30 years; the archivist confirms the "
            "class when archiving."
        ),
        kind=Kind.CHOICE,
        default=Retention.YEARS_30.value,
        choices=(Retention.YEARS_10.value, Retention.YEARS_30.value),
        choice_labels=RETENTION_LABELS,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "18"),),
    ),
    Rule(
        key="archiving_period",
        label=_("Archiving after closing"),
        description=_(
            "A closed case's file is archived within this period of closing; later, the "
            "case shows a finding."
        ),
        # The regulation asks for archiving "in time" (及时归档) without a figure: the
        # bureau's own control, confirmed by the legal staff.
        kind=Kind.CALENDAR_DAYS,
        default=30,
        minimum=1,
        serves=Serves.INTERNAL,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "18"), Citation(Law.AGRICULTURE)),
    ),
    Rule(
        key="archive_transfer_years",
        label=_("Transfer to the county archive"),
        description=_(
            "Case files the county archive takes are handed over once this many whole years "
            "have passed since the year they were archived."
        ),
        kind=Kind.YEARS,
        default=10,
        minimum=1,
        # The regulations' figure is the latest the bureau may keep them.
        maximum=10,
        serves=Serves.AGENCY,
        citations=(Citation(Law.ARCHIVES, "20"),),
    ),
    Rule(
        key="archive_transfer_classes",
        label=_("Case files handed over to the archive"),
        description=_(
            "The retention classes of the files the county archive takes; files kept for "
            "less are appraised and destroyed by the bureau when their retention ends."
        ),
        kind=Kind.CODES,
        default=(Retention.PERMANENT.value, Retention.YEARS_30.value),
        choices=tuple(value for value, _label in Retention.choices),
        choice_labels=RETENTION_LABELS,
        needs_check=True,
        citations=(Citation(Law.ARCHIVES, "20"),),
    ),
)

"""The legal rules and their defaults (R2.1; sources in shared/domain/law.md).

The only place in the code where a legal number is written. Keys are stable: other
modules and stored overrides refer to them. docs/rules.md is generated from this list.
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from liuhen.core.rule_types import Citation, Kind, Law, Rule

PENALTY = Law.PENALTY

# R5.1: activity types whose recording must include AV (regulation Art. 5 (一)–(六)).
AV_REQUIRED_ACTIVITY_TYPES = (
    "on_site_handling",  # 现场执法
    "on_the_spot_penalty",  # 当场处罚
    "inquiry",  # 现场询问
    "inspection",  # 检查、勘验
    "sampling",  # 抽样取证
    "advance_preservation",  # 先行登记保存
    "seizure",  # 查封、扣押
    "forced_removal",  # 强制拆除
    "hearing",  # 听证
    "service_by_leaving",  # 留置送达
    "service_by_public_notice",  # 公告送达
    "emergency",  # 重大突发事件、群体性事件
)

# R9.1: documents the party (or another person) checks and signs (regulation Art. 9).
SIGNATURE_REQUIRED_DOCUMENT_KINDS = (
    # (一) transcripts 笔录
    "on_site_transcript",  # 现场笔录
    "inquiry_transcript",  # 询问笔录
    "inspection_transcript",  # 现场检查（勘验）笔录
    "hearing_transcript",  # 听证笔录
    "statement_defence_transcript",  # 陈述申辩笔录
    "seizure_transcript",  # 查封（扣押）现场笔录
    # (二) property documents
    "sampling_voucher",  # 抽样取证凭证
    "advance_preservation_notice",  # 证据先行登记保存通知书
    "preserved_goods_disposal_notice",  # 先行登记保存物品处理通知书
    "confiscated_goods_disposal_record",  # 罚没物品处理记录
    "seizure_list",  # 查封（扣押）财物清单
    "return_list",  # 解除查封（扣押）财物清单
    # (三) rights documents
    "rights_waiver",  # 权利放弃记录
    "on_the_spot_decision",  # 当场行政处罚决定书
    "seizure_notice",  # 查封（扣押）决定书
    # (四) evidence, service method and address
    "evidence_material",  # 证据材料
    "service_receipt",  # 送达回证
    "service_address_confirmation",  # 送达地址确认书
)

# R7.1: the steps that need approval, each with its chain of approving roles (the unit
# head, then the agency head, unless the administrator configures the step otherwise).
APPROVAL_STEPS = (
    ("filing", _("Filing (立案)")),
    ("decline_filing", _("Not filing (不予立案)")),
    ("lead_extension", _("Extension of the lead check")),
    ("advance_preservation", _("Advance registration and preservation")),
    ("decision", _("Penalty decision")),
    ("closing", _("Closing report (结案报告)")),
    ("urgent_start_paperwork", _("Paperwork after an urgent start")),
    ("suspension", _("Suspension of the investigation (中止调查)")),
    ("resumption", _("Resumption of the investigation (恢复调查)")),
    ("av_exemption", _("Exemption from AV recording (免于音像记录)")),
    ("document", _("Internal document (审批表)")),
    ("payment_deferral", _("Deferred or instalment payment (延期、分期缴纳)")),
)

# R10.1: forms never served by e-mail (行政处罚法 Art. 61: decisions are not served by
# e-mail), whatever consent the party gave.
NO_EMAIL_SERVICE_FORMS = (
    "penalty_decision",  # 行政处罚决定书
    "on_the_spot_decision",  # 当场行政处罚决定书
    "no_penalty_decision",  # 不予行政处罚决定书
)
# R7.3 / Art. 57: "较重的行政处罚" — the penalties a collective discussion decides.
PENALTY_KIND_LABELS = (
    ("warning", _("Warning")),
    ("fine", _("Fine")),
    ("confiscate_gains", _("Confiscation of illegal gains")),
    ("confiscate_goods", _("Confiscation of illegal property")),
    ("licence_downgrade", _("Downgrade of qualification")),
    ("licence_suspend", _("Suspension of licence")),
    ("licence_revoke", _("Revocation of licence")),
    ("restrict", _("Restriction or suspension of business")),
    ("other", _("Other penalty")),
)
HEAVY_PENALTY_KINDS = ("licence_suspend", "licence_revoke", "restrict")

APPROVER_ROLES = ("unit_head", "agency_head")
APPROVER_ROLE_LABELS = (("unit_head", _("Unit head")), ("agency_head", _("Agency head")))
DEFAULT_APPROVAL_CHAIN = ("unit_head", "agency_head")
# Steps whose default chain differs: R5.2 — the unit head approves an AV exemption.
APPROVAL_CHAIN_DEFAULTS: dict[str, tuple[str, ...]] = {"av_exemption": ("unit_head",)}

DEFINITIONS: tuple[Rule, ...] = (
    # --- leads and filing ----------------------------------------------------------
    Rule(
        key="lead_check",
        label=_("Lead check period"),
        description=_("A lead is checked and filing decided within this period of receipt."),
        kind=Kind.CALENDAR_DAYS,
        default=15,
        minimum=1,
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
        needs_check=True,
        citations=(Citation(Law.AGRICULTURE),),
    ),
    Rule(
        key="limitation_years",
        label=_("Limitation period"),
        description=_("An offence not discovered within this period is not penalised."),
        kind=Kind.YEARS,
        default=2,
        minimum=2,
        roll_forward=False,
        citations=(Citation(PENALTY, "36"),),
    ),
    Rule(
        key="limitation_years_serious",
        label=_("Limitation period (life, health or financial safety, with harm)"),
        kind=Kind.YEARS,
        default=5,
        minimum=5,
        roll_forward=False,
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
        citations=(Citation(Law.REGULATION, "7"), Citation(PENALTY, "85")),
    ),
    *(
        Rule(
            key=f"approval_chain_{step}",
            label=format_lazy(_("Approval chain: {step}"), step=label),
            description=_(
                "The roles that approve this step, in order. A request keeps the chain it "
                "was made with."
            ),
            kind=Kind.CODES,
            default=APPROVAL_CHAIN_DEFAULTS.get(step, DEFAULT_APPROVAL_CHAIN),
            choices=APPROVER_ROLES,
            choice_labels=APPROVER_ROLE_LABELS,
            min_items=1,
            ordered=True,
            citations=(Citation(Law.REGULATION, "7"),),
        )
        for step, label in APPROVAL_STEPS
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
        needs_check=True,
        citations=(Citation(PENALTY, "52"), Citation(Law.AGRICULTURE)),
    ),
    # --- investigation ------------------------------------------------------------------
    Rule(
        key="urgent_preservation_report_hours",
        label=_("Urgent advance preservation: report to the head"),
        kind=Kind.HOURS,
        default=24,
        minimum=1,
        needs_check=True,
        citations=(Citation(Law.AGRICULTURE),),
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
        citations=(Citation(PENALTY, "56"), Citation(PENALTY, "85")),
    ),
    Rule(
        key="seizure_days",
        label=_("Seizure or detention period"),
        kind=Kind.CALENDAR_DAYS,
        default=30,
        minimum=1,
        maximum=30,
        extension_key="seizure_extension",
        citations=(Citation(Law.COERCION, "25"),),
    ),
    Rule(
        key="seizure_extension",
        label=_("Seizure or detention extension (with approval)"),
        kind=Kind.CALENDAR_DAYS,
        default=30,
        minimum=0,
        maximum=30,
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
        choices=tuple(code for code, _label in PENALTY_KIND_LABELS),
        choice_labels=PENALTY_KIND_LABELS,
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
        key="hearing_request",
        label=_("Hearing request window"),
        description=_("The party requests a hearing within this period of the advance notice."),
        kind=Kind.WORKING_DAYS,
        default=5,
        minimum=5,
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
        citations=(Citation(PENALTY, "64(2)"), Citation(PENALTY, "85")),
    ),
    # --- service, payment, execution ----------------------------------------------------
    Rule(
        key="service",
        label=_("Service of the decision"),
        description=_("A decision not handed over on announcement is served within this period."),
        kind=Kind.WORKING_DAYS,
        default=7,
        minimum=1,
        citations=(Citation(PENALTY, "61"), Citation(PENALTY, "85")),
    ),
    Rule(
        key="public_notice_service",
        label=_("Service by public notice takes effect"),
        kind=Kind.CALENDAR_DAYS,
        default=30,
        minimum=30,
        citations=(Citation(Law.CIVIL_PROCEDURE, "95"),),
    ),
    Rule(
        key="payment",
        label=_("Payment of the fine"),
        description=_(
            "The party pays at the bank or online within this period of receiving the decision."
        ),
        kind=Kind.CALENDAR_DAYS,
        default=15,
        minimum=15,
        citations=(Citation(PENALTY, "67"),),
    ),
    Rule(
        key="on_the_spot_collection_max",
        label=_("On-the-spot collection: largest fine"),
        kind=Kind.AMOUNT_FEN,
        default=100_00,
        minimum=0,
        maximum=100_00,
        citations=(Citation(PENALTY, "68"),),
    ),
    Rule(
        key="cash_handover",
        label=_("Cash collected on the spot handed to the agency"),
        kind=Kind.WORKING_DAYS,
        default=2,
        minimum=1,
        maximum=2,
        citations=(Citation(PENALTY, "71"), Citation(PENALTY, "85")),
    ),
    Rule(
        key="cash_deposit",
        label=_("Cash handed over paid into the bank"),
        kind=Kind.WORKING_DAYS,
        default=2,
        minimum=1,
        maximum=2,
        citations=(Citation(PENALTY, "71"), Citation(PENALTY, "85")),
    ),
    Rule(
        key="late_surcharge_percent_per_day",
        label=_("Late payment surcharge per day"),
        kind=Kind.PERCENT,
        default=3,
        minimum=0,
        maximum=3,
        citations=(Citation(PENALTY, "72"),),
    ),
    Rule(
        key="late_surcharge_cap_percent",
        label=_("Late payment surcharge cap (share of the fine)"),
        kind=Kind.PERCENT,
        default=100,
        minimum=0,
        maximum=100,
        citations=(Citation(PENALTY, "72"),),
    ),
    Rule(
        key="reconsideration",
        label=_("Application for administrative reconsideration"),
        kind=Kind.CALENDAR_DAYS,
        default=60,
        minimum=60,
        citations=(Citation(Law.RECONSIDERATION, "20"),),
    ),
    Rule(
        key="litigation",
        label=_("Administrative lawsuit"),
        kind=Kind.MONTHS,
        default=6,
        minimum=6,
        citations=(Citation(Law.LITIGATION, "46"),),
    ),
    # --- disclosure (R12) ---------------------------------------------------------------
    Rule(
        key="disclosure_penalty_decision",
        label=_("Disclosure of penalty and licence decisions"),
        kind=Kind.WORKING_DAYS,
        default=7,
        minimum=1,
        citations=(Citation(Law.STATE_COUNCIL_2018), Citation(PENALTY, "48")),
    ),
    Rule(
        key="disclosure_other_decision",
        label=_("Disclosure of other enforcement decisions"),
        kind=Kind.WORKING_DAYS,
        default=20,
        minimum=1,
        citations=(Citation(Law.STATE_COUNCIL_2018),),
    ),
    Rule(
        key="disclosure_withdrawal",
        label=_("Withdrawal of a published decision that was changed or revoked"),
        kind=Kind.WORKING_DAYS,
        default=3,
        minimum=1,
        maximum=3,
        citations=(Citation(PENALTY, "48"), Citation(PENALTY, "85")),
    ),
    # --- AV records (R5.1, R18.4) and signatures (R9.1) ---------------------------------
    Rule(
        key="device_checkout_hours",
        label=_("Longest checkout of an AV device"),
        description=_(
            "A recorder or other AV device out longer than this is flagged as not returned."
        ),
        kind=Kind.HOURS,
        default=24,
        minimum=1,
        needs_check=True,  # the regulation requires the ledger, not a period: the bureau's own
        citations=(Citation(Law.REGULATION, "13"),),
    ),
    Rule(
        key="av_raw_retention",
        label=_("Retention of raw AV material"),
        description=_(
            "Raw AV is kept at least this long; AV used as evidence is kept with its case file."
        ),
        kind=Kind.CALENDAR_DAYS,
        default=180,
        minimum=180,
        roll_forward=False,
        citations=(Citation(Law.REGULATION, "18"),),
    ),
    Rule(
        key="av_required_activity_types",
        label=_("Activity types that need an AV record"),
        description=_("Activity type codes; the defaults come from the regulation and stay."),
        kind=Kind.CODES,
        default=AV_REQUIRED_ACTIVITY_TYPES,
        minimum=0,
        citations=(Citation(Law.REGULATION, "5"), Citation(Law.STATE_COUNCIL_2018)),
    ),
    Rule(
        key="signature_required_document_kinds",
        label=_("Document kinds the party checks and signs"),
        description=_("Document kind codes; the defaults come from the regulation and stay."),
        kind=Kind.CODES,
        default=SIGNATURE_REQUIRED_DOCUMENT_KINDS,
        minimum=0,
        citations=(Citation(Law.REGULATION, "9"),),
    ),
)

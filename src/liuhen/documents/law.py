"""The legal rules of the text records (R2.1, R9.1).

Law is configuration with citations: the only place a legal number of this app is
written; code asks ``rules.value(key)``. Registered by the app's ``ready()``; the
defaults and citations are listed in docs/rules.md.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liuhen.core.rule_types import Citation, Kind, Law, Rule

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

# The codes' names on screen (the rules page shows names, never the codes).
SIGNATURE_REQUIRED_DOCUMENT_KIND_LABELS: tuple[tuple[str, str | Promise], ...] = (
    ("on_site_transcript", _("On-site transcript")),
    ("inquiry_transcript", _("Inquiry transcript")),
    ("inspection_transcript", _("On-site inspection (examination) transcript")),
    ("hearing_transcript", _("Hearing transcript")),
    ("statement_defence_transcript", _("Statement and defence transcript")),
    ("seizure_transcript", _("On-site transcript of sealing up (seizure)")),
    ("sampling_voucher", _("Sampling voucher")),
    (
        "advance_preservation_notice",
        _("Notice of advance registration and preservation of evidence"),
    ),
    ("preserved_goods_disposal_notice", _("Notice on the disposal of preserved goods")),
    ("confiscated_goods_disposal_record", _("Record of the disposal of confiscated goods")),
    ("seizure_list", _("List of sealed-up (seized) property")),
    ("return_list", _("List of property released from sealing up (seizure)")),
    ("rights_waiver", _("Record of a waiver of rights")),
    ("on_the_spot_decision", _("On-the-spot administrative penalty decision")),
    ("seizure_notice", _("Decision on sealing up (seizure)")),
    ("evidence_material", _("Evidence material")),
    ("service_receipt", _("Service receipt")),
    ("service_address_confirmation", _("Confirmation of the service address")),
)

RULES: tuple[Rule, ...] = (
    Rule(
        key="signature_required_document_kinds",
        label=_("Document kinds the party checks and signs"),
        description=_("Document kind codes; the defaults come from the regulation and stay."),
        kind=Kind.CODES,
        default=SIGNATURE_REQUIRED_DOCUMENT_KINDS,
        choice_labels=SIGNATURE_REQUIRED_DOCUMENT_KIND_LABELS,
        minimum=0,
        citations=(Citation(Law.REGULATION, "9"),),
    ),
)

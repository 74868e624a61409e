"""The legal rules of enforcement activities (R2.1, R5.1).

Law is configuration with citations: the only place a legal number of this app is
written; code asks ``rules.value(key)``. Registered by the app's ``ready()``; the
defaults and citations are listed in docs/rules.md.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liuhen.core.rule_types import Citation, Kind, Law, Rule

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

# The codes' names on screen (the rules page shows names, never the codes).
AV_REQUIRED_ACTIVITY_TYPE_LABELS: tuple[tuple[str, str | Promise], ...] = (
    ("on_site_handling", _("On-site handling")),
    ("on_the_spot_penalty", _("On-the-spot penalty")),
    ("inquiry", _("On-site inquiry")),
    ("inspection", _("Inspection or examination")),
    ("sampling", _("Sampling for evidence")),
    ("advance_preservation", _("Advance registration and preservation")),
    ("seizure", _("Sealing up or seizure")),
    ("forced_removal", _("Forced removal")),
    ("hearing", _("Hearing")),
    ("service_by_leaving", _("Service by leaving")),
    ("service_by_public_notice", _("Service by public notice")),
    ("emergency", _("Major emergency or mass incident")),
)

RULES: tuple[Rule, ...] = (
    Rule(
        key="av_required_activity_types",
        label=_("Activity types that need an AV record"),
        description=_("Activity type codes; the defaults come from the regulation and stay."),
        kind=Kind.CODES,
        default=AV_REQUIRED_ACTIVITY_TYPES,
        choice_labels=AV_REQUIRED_ACTIVITY_TYPE_LABELS,
        minimum=0,
        citations=(Citation(Law.REGULATION, "5"), Citation(Law.STATE_COUNCIL_2018)),
    ),
    Rule(
        key="min_officers_on_site",
        label=_("Certified officers on site"),
        description=_(
            "Investigations and inspections are made by at least this many officers holding "
            "an enforcement certificate valid on the day."
        ),
        # 执法人员不得少于两人: the law's floor; a bureau may ask for more, never fewer.
        kind=Kind.PERSONS,
        default=2,
        minimum=2,
        citations=(Citation(Law.PENALTY, "42"), Citation(Law.AGRICULTURE, "6")),
    ),
)

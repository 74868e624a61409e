"""The activity types and the bureau's AV item checklist (law.md: 大洼区农业农村局
行政执法音像记录事项清单, 2022; other bureaus' items for hearing and service)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

_INSPECTION = [
    "进入检查现场",
    "表明身份、出示执法证件",
    "现场检查过程",
    "当事人形象",
    "产品名称、编号、批号及存放场所",
    "现场周边环境",
    "询问当事人",
    "收集、调取证据",
    "见证人陈述及签字确认",
]
_SAMPLING = [
    "进入现场",
    "表明身份",
    "出示执法证件",
    "抽样产品名称、存放场所、编号、批号",
    "现场周边环境",
    "封样及签字确认",
    "填写抽样凭证",
]
_INVESTIGATION = [
    "进入现场",
    "表明身份",
    "出示执法证件",
    "询问当事人",
    "收集、调取证据",
    "见证人陈述及签字确认",
]
_PRESERVATION = [
    "物品名称、编号、批号",
    "存放场所及周边环境",
    "物品规格、数量",
    "签字确认",
]
_COERCION = [
    "表明身份",
    "宣读实施行政强制措施的理由、依据以及当事人依法享有的权利、救济途径",
    "听取当事人陈述和申辩",
    "实施主体、时间、地点及方式",
    "清点查封、扣押物品",
]
_INQUIRY = [
    "表明身份",
    "询问过程",
    "票据、货物的名称、规格、数量及销售情况",
    "签字确认",
]
_ADVANCE_NOTICE = [
    "表明身份、出示执法证件",
    "告知处罚依据及条款",
    "告知当事人享有陈述、申辩的权利",
    "当事人陈述和申辩",
]

# code, zh, en, on site, checklist
TYPES: list[tuple[str, str, str, bool, list[str]]] = [
    ("on_site_handling", "现场执法", "On-site handling", True, _INVESTIGATION),
    ("on_the_spot_penalty", "当场处罚", "On-the-spot penalty", True, _ADVANCE_NOTICE),
    ("inquiry", "询问（调查）", "Inquiry", True, _INQUIRY),
    ("inspection", "现场检查（勘验）", "On-site inspection", True, _INSPECTION),
    ("sampling", "抽样取证", "Sampling", True, _SAMPLING),
    (
        "advance_preservation",
        "先行登记保存证据",
        "Advance registration and preservation of evidence",
        True,
        _PRESERVATION,
    ),
    ("seizure", "查封（扣押）", "Seizure or detention", True, _COERCION),
    ("forced_removal", "强制拆除", "Forced removal", True, _COERCION),
    ("hearing", "听证", "Hearing", False, ["听证全过程"]),
    (
        "service_by_leaving",
        "留置送达",
        "Service by leaving",
        True,
        ["送达全过程", "当事人拒绝签收的现场情况", "见证人或者拍照、录像记录留置情况"],
    ),
    ("service_by_public_notice", "公告送达", "Service by public notice", False, ["公告送达全过程"]),
    (
        "emergency",
        "重大突发事件、群体性事件处置",
        "Emergency or mass incident handling",
        True,
        ["现场情况", "处置全过程"],
    ),
    ("other", "其他", "Other", False, []),
]


def seed(apps: Any, schema_editor: Any) -> None:
    ActivityType = apps.get_model("activities", "ActivityType")
    AvChecklistItem = apps.get_model("activities", "AvChecklistItem")
    for order, (code, zh, en, on_site, items) in enumerate(TYPES, start=1):
        kind, _created = ActivityType.objects.update_or_create(
            code=code,
            defaults={"name_zh": zh, "name_en": en, "on_site": on_site, "order": order * 10},
        )
        AvChecklistItem.objects.filter(type=kind).delete()
        AvChecklistItem.objects.bulk_create(
            AvChecklistItem(type=kind, order=i, text=text) for i, text in enumerate(items, 1)
        )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

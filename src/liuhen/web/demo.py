"""The demo organisation that `liuhen seed-demo` creates, and the logins `make run` prints."""

from __future__ import annotations

from typing import Any

from liuhen.accounts.models import Role

DEMO_PASSWORD = "Liuhen@2026"  # noqa: S105 -- the published demo password
BUREAU = ("盘锦市大洼区农业农村局", "洼农", "11211104MB1234567X")
UNITS = ("种植业执法科", "畜牧兽医执法科", "渔业执法科")

# username, full name, unit index (None: bureau level), roles
OFFICERS: tuple[tuple[str, str, int | None, tuple[str, ...]], ...] = (
    ("wangming", "王明", 0, (Role.OFFICER,)),
    ("lihua", "李华", 0, (Role.OFFICER,)),
    ("zhaolei", "赵磊", 0, (Role.OFFICER,)),
    ("zhangwei", "张伟", 0, (Role.UNIT_HEAD, Role.OFFICER)),
    ("liuyang", "刘洋", 1, (Role.OFFICER,)),
    ("chenjie", "陈杰", 1, (Role.OFFICER,)),
    ("yangfan", "杨帆", 1, (Role.OFFICER,)),
    ("huangli", "黄丽", 1, (Role.UNIT_HEAD, Role.OFFICER)),
    ("zhoubo", "周博", 2, (Role.OFFICER,)),
    ("wujun", "吴军", 2, (Role.OFFICER,)),
    ("xuming", "徐明", 2, (Role.OFFICER,)),
    ("sunqiang", "孙强", 2, (Role.UNIT_HEAD, Role.OFFICER)),
)

STAFF: tuple[tuple[str, str, int | None, tuple[str, ...]], ...] = (
    ("juzhang", "刘建国", None, (Role.AGENCY_HEAD,)),
    ("fazhi", "孙丽", None, (Role.LEGAL_REVIEWER,)),
    ("yinxiang", "周涛", 0, (Role.CUSTODIAN,)),
    ("dangan", "吴芳", None, (Role.ARCHIVIST,)),
    ("jiandu", "郑磊", None, (Role.SUPERVISOR,)),
    ("xitong", "赵敏", None, (Role.SYSTEM_ADMIN,)),
    ("anquan", "钱进", None, (Role.SECURITY_ADMIN,)),
    ("shenji", "陈静", None, (Role.AUDIT_ADMIN,)),
)

# One login per role, as `make run` prints them.
DEMO_LOGINS: tuple[tuple[str, str], ...] = (
    ("wangming", "执法人员 officer"),
    ("zhangwei", "科室负责人 unit head"),
    ("juzhang", "局负责人 agency head"),
    ("fazhi", "法制审核人员 legal reviewer"),
    ("yinxiang", "音像资料管理员 AV custodian"),
    ("dangan", "档案管理员 archivist"),
    ("jiandu", "执法监督人员 supervisor"),
    ("xitong", "系统管理员 system admin (2FA)"),
    ("anquan", "安全管理员 security admin (2FA)"),
    ("shenji", "审计管理员 audit admin (2FA)"),
)

# number, field of enforcement (as configured; its abbreviation is in the number), title,
# unit index, officers (usernames), stage
CASES = (
    (
        "洼农（农药）立〔2026〕1号",
        "农药",
        "大洼某农资店涉嫌销售假农药案",
        0,
        ("wangming", "lihua"),
        "investigation",
    ),
    (
        "洼农（种子）立〔2026〕2号",
        "种子",
        "某种业公司涉嫌经营劣种子案",
        0,
        ("zhaolei", "wangming"),
        "decision",
    ),
    (
        "洼农（兽药）立〔2026〕3号",
        "兽药",
        "某养殖场涉嫌使用禁用兽药案",
        1,
        ("liuyang", "chenjie"),
        "investigation",
    ),
    (
        "洼农（饲料）立〔2026〕4号",
        "饲料和饲料添加剂",
        "某饲料厂涉嫌生产不合格饲料案",
        1,
        ("yangfan", "chenjie"),
        "initiation",
    ),
    (
        "洼农（渔政）立〔2026〕5号",
        "渔业",
        "某渔船涉嫌违反禁渔期规定案",
        2,
        ("zhoubo", "wujun"),
        "service",
    ),
)

# The party of each demo case (same order as CASES): kind, name, identifier fields.
# serial, kind, unit index, model, storage place — the recorders the officers check out.
DEVICES: tuple[tuple[str, str, int, str, str], ...] = (
    ("DSJ-DW-0001", "recorder", 0, "执法记录仪 DSJ-V9", "种植业执法科音像资料柜"),
    ("DSJ-DW-0002", "recorder", 0, "执法记录仪 DSJ-V9", "种植业执法科音像资料柜"),
    ("DSJ-DW-0003", "recorder", 1, "执法记录仪 DSJ-V9", "畜牧兽医执法科音像资料柜"),
    ("CJZ-DW-0001", "station", 0, "执法记录仪采集工作站", "局档案室"),
)

PARTIES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("unit", "大洼区某农资经营部", {"uscc": "92211104MA0Y8K3PXP", "legal_representative": "孙某"}),
    ("unit", "盘锦某种业有限公司", {"uscc": "91211104MA0QF2L79Q", "legal_representative": "钱某"}),
    ("person", "张某", {"resident_id": "211104197803152511", "address": "大洼区西安镇"}),
    ("unit", "盘锦某饲料有限公司", {"uscc": "91211100MA0UH7N456", "legal_representative": "李某"}),
    ("vehicle", "辽盘渔12345", {"plate": "辽盘渔12345"}),
)

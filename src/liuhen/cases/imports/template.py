"""The columns of the import template: the Chinese header people fill in, the key the
code reads, whether it is required, and what goes in it (docs/import.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    hint: str


COLUMNS = (
    Column("number", "案件编号", True, "唯一，重复导入时据此识别同一案件"),
    Column("title", "案件名称", True, ""),
    Column("unit", "执法科室", True, "系统中已有的执法科室（单位）名称"),
    Column("field", "执法领域", False, "如 农药、种子；可空"),
    Column("procedure", "程序", False, "普通程序 或 简易程序；空为普通程序"),
    Column("stage", "办理阶段", True, "启动（立案）、调查取证、审核决定、送达执行 或 归档"),
    Column("opened_on", "立案日期", True, "如 2024-03-05"),
    Column("closed_on", "结案日期", False, "已结案的填写"),
    Column("closing_condition", "结案情形", False, "填写结案日期时必填，如 处罚决定已执行完毕"),
    Column("officers", "承办人员", False, "系统中的执法人员姓名或用户名，以顿号分隔"),
    Column("party_kind", "当事人类型", True, "单位 或 个人"),
    Column("party_name", "当事人名称", True, ""),
    Column("party_id", "证件号码", False, "单位填统一社会信用代码，个人填公民身份号码"),
    Column("party_address", "当事人地址", False, ""),
    Column("decision_number", "处罚决定书文号", False, ""),
    Column("decided_on", "决定日期", False, "填写文号时必填"),
    Column("penalty", "处罚种类", False, "如 警告、罚款"),
    Column("fine_yuan", "罚款金额（元）", False, "如 5000 或 5000.00"),
    Column("note", "备注", False, ""),
)

BY_HEADER = {column.header: column for column in COLUMNS}
HEADERS = tuple(column.header for column in COLUMNS)

"""The template people fill: the header row with a note per column saying what goes in
it, and example rows of the demo bureau (docs/import.md; the tests import them)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from liuhen.cases.imports.template import COLUMNS, HEADERS

EXAMPLE_ROWS: tuple[dict[str, str], ...] = (
    {
        "number": "洼农（农药）立〔2023〕12号",
        "title": "盘锦某农资经营部经营假农药案",
        "unit": "种植业执法科",
        "field": "农药",
        "procedure": "普通程序",
        "stage": "送达执行",
        "opened_on": "2023-04-10",
        "closed_on": "2023-06-20",
        "closing_condition": "处罚决定已执行完毕",
        "officers": "王明",
        "party_kind": "单位",
        "party_name": "盘锦某农资经营部",
        "party_id": "912111043456789098",
        "party_address": "盘锦市大洼区田家街道",
        "decision_number": "洼农（农药）罚〔2023〕12号",
        "decided_on": "2023-05-30",
        "penalty": "罚款、没收违法所得",
        "fine_yuan": "5000",
        "note": "纸质案卷存档案室",
    },
    {
        "number": "洼农（种子）立〔2024〕3号",
        "title": "张某经营未经登记的种子案",
        "unit": "种植业执法科",
        "field": "种子",
        "procedure": "普通程序",
        "stage": "调查取证",
        "opened_on": "2024年3月5日",
        "officers": "王明",
        "party_kind": "个人",
        "party_name": "张某某",
        "party_id": "211104198003124517",
        "party_address": "盘锦市大洼区新开镇",
    },
    {
        "number": "洼农（农药）简〔2024〕7号",
        "title": "某农药店未按规定建立经营台账案",
        "unit": "种植业执法科",
        "field": "农药",
        "procedure": "简易程序",
        "stage": "审核决定",
        "opened_on": "2024/6/18",
        "closed_on": "2024/6/18",
        "closing_condition": "处罚决定已执行完毕",
        "party_kind": "单位",
        "party_name": "盘锦某农药店",
        "party_id": "922111045678901200",
        "decision_number": "洼农（农药）简罚〔2024〕7号",
        "decided_on": "2024-06-18",
        "penalty": "警告",
    },
)


def example_csv() -> bytes:
    """The example rows as a CSV file (UTF-8 with BOM, so Excel opens it in Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in EXAMPLE_ROWS:
        writer.writerow([row.get(column.key, "") for column in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_template(path: Path) -> None:
    """The template as an XLSX workbook: a note on each header, then the example rows."""
    from openpyxl import Workbook  # heavy; only writing the template needs it
    from openpyxl.comments import Comment

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "案件"
    sheet.append(list(HEADERS))
    for cell, column in zip(sheet[1], COLUMNS, strict=True):
        note = ("必填。" if column.required else "") + column.hint
        if note:
            cell.comment = Comment(note, "留痕")
    for row in EXAMPLE_ROWS:
        sheet.append([row.get(column.key, "") for column in COLUMNS])
    sheet.freeze_panes = "A2"
    book.save(path)

"""Importing existing cases (``liuhen import-cases``): cases per second from an XLSX file of
the template, each row checked and written as the command does, next to a bare openpyxl
read of the same file in the same run — the reference for what reading the file costs.

Every case has a party of its own (a unit with a valid USCC), so the import enters a
subject, a case, its officer, its party link, its imported facts and two audit events a
row, as a real first import does.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from bench.harness import timer

NAME = "import"
DESCRIPTION = "cases imported per second from XLSX vs a bare openpyxl read of the file"
CASES = int(os.environ.get("LIUHEN_BENCH_IMPORT_CASES", "10000"))


def run() -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    from liuhen.accounts.models import User
    from liuhen.cases.actions.imports import Status, import_cases
    from liuhen.cases.imports import reader
    from liuhen.web.management.commands.seed_demo import seed

    seed()
    actor = User.objects.get(username="zhangwei")  # the demo unit head of 种植业执法科
    path = Path(tempfile.mkdtemp(prefix="liuhen-bench-import-")) / "cases.xlsx"
    _write(path, CASES)
    with timer() as bare:
        book = load_workbook(path, read_only=True, data_only=True)
        cells = sum(len(row) for row in book.worksheets[0].iter_rows(values_only=True))
    with timer() as imported:
        report = import_cases(actor, reader.read(path), commit=True)
    created = report.count(Status.CREATED)
    assert created == CASES, [o.problems for o in report.outcomes if o.problems][:3]
    return [
        {
            "cases": CASES,
            "cells": cells,
            "bare_read_s": bare["seconds"],
            "import_s": imported["seconds"],
            "cases_per_second": CASES / imported["seconds"],
            "bare_rows_per_second": CASES / bare["seconds"],
            "import_vs_read": bare["seconds"] / imported["seconds"],
        }
    ]


def _write(path: Path, count: int) -> None:
    from openpyxl import Workbook

    from liuhen.cases.imports.template import COLUMNS, HEADERS
    from liuhen.subjects.identifiers import complete_uscc

    book = Workbook(write_only=True)
    sheet = book.create_sheet("案件")
    sheet.append(list(HEADERS))
    for n in range(1, count + 1):
        row = {
            "number": f"洼农（农药）立〔2019〕{n}号",
            "title": f"历史案件{n}",
            "unit": "种植业执法科",
            "field": "农药",
            "stage": "送达执行",
            "opened_on": "2019-03-05",
            "closed_on": "2019-06-20",
            "closing_condition": "处罚决定已执行完毕",
            "officers": "王明",
            "party_kind": "单位",
            "party_name": f"盘锦某农资经营部{n}",
            "party_id": complete_uscc(f"91211104{n:08d}"),
            "decision_number": f"洼农（农药）罚〔2019〕{n}号",
            "decided_on": "2019-05-30",
            "penalty": "罚款",
            "fine_yuan": "2000",
        }
        sheet.append([row.get(column.key, "") for column in COLUMNS])
    book.save(path)

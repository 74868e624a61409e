"""The archived case file as items of its archive package (R18.1, R18.2): the bound,
sealed PDF and the catalogue 卷内目录 as JSON, each AV line naming its place in the
package. They lead the package, ahead of the case's own records."""

from __future__ import annotations

import json
from typing import Any

from django.utils import translation

from liuhen.archives.models import CaseFile, CaseFileEntry, CaseFileStatus, EntryKind
from liuhen.archives.package.items import ExtraItem
from liuhen.archives.package.layout import safe_name
from liuhen.cases.models import Case
from liuhen.documents.files import read_blob

BOUND_TITLE = "案卷（装订本）"
CATALOGUE_TITLE = "卷内目录"
CATALOGUE_FORMAT = "liuhen-case-file-catalogue"


def _line(entry: CaseFileEntry) -> dict[str, Any]:
    with translation.override("zh-hans"):
        kind = str(entry.get_kind_display())
    line: dict[str, Any] = {
        "顺序号": entry.position,
        "类别": kind,
        "文号": entry.number,
        "题名": entry.title,
        "日期": entry.date.isoformat() if entry.date else "",
        "页数": entry.pages,
        "页号": (
            f"{entry.first_page}-{entry.last_page}" if entry.first_page and entry.last_page else ""
        ),
        "备注": entry.remarks,
    }
    if entry.kind == EntryKind.AV:
        line["SHA-256"] = entry.digest
        line["时长（秒）"] = round(entry.duration, 1) if entry.duration else None
        line["存放位置"] = entry.package_path
    return line


def catalogue_json(case_file: CaseFile) -> bytes:
    """The catalogue as the archivist archived it, one line per entry in file order."""
    with translation.override("zh-hans"):
        retention = str(case_file.get_retention_display())
    document = {
        "format": CATALOGUE_FORMAT,
        "案件编号": case_file.case.number,
        "档号": case_file.archive_number,
        "保管期限": retention,
        "总页数": case_file.bound_pages,
        "卷内目录": [_line(entry) for entry in case_file.entries.order_by("position")],
        "备考表": case_file.note,
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()


def case_file_items(case: Case) -> list[ExtraItem]:
    """The bound file and its catalogue, if the case was archived through its file."""
    case_file = (
        CaseFile.objects.filter(case=case, status=CaseFileStatus.ARCHIVED)
        .select_related("case")
        .first()
    )
    if case_file is None or case_file.bound_id is None:
        return []
    with translation.override("zh-hans"):
        described = {
            "档号": case_file.archive_number,
            "保管期限": str(case_file.get_retention_display()),
        }
    name = safe_name(case_file.archive_number or case.number, "case-file")
    return [
        ExtraItem(
            name=f"{name}.pdf",
            data=read_blob(case_file.bound_id),
            title=BOUND_TITLE,
            description=described,
            sealed=True,
        ),
        ExtraItem(
            name="catalogue.json",
            data=catalogue_json(case_file),
            title=CATALOGUE_TITLE,
            content_type="application/json",
            description=described,
        ),
    ]

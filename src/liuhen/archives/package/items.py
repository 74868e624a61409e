"""What goes into a case's archive package: its issued documents (each file as issued,
signed or scanned, sealed where the bureau sealed it), the AV records linked to it, and
the items the caller adds (the bound case file and its catalogue) — each an item with a
DA/T 46 or DA/T 63 description (R18.1, R18.2, R16.1)."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone, translation

from liuhen.archives.package.layout import (
    AV_SCHEME,
    DOCUMENT_SCHEME,
    av_file_name,
    av_folder,
    safe_name,
)
from liuhen.cases.models import Case
from liuhen.core.blobs import get_store
from liuhen.documents.models import DocumentFile, FilePurpose, IssuedDocument
from liuhen.media.models import AvLink, AvRecord

Opener = Callable[[], IO[bytes]]

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
_FORMAT_NAMES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/json": "JSON",
}
_PURPOSE_NAMES = {
    FilePurpose.ISSUED: "issued",
    FilePurpose.SIGNED: "signed",
    FilePurpose.SCAN: "scan",
}


@dataclass(frozen=True)
class SourceFile:
    """A file to copy into the package: its name in the item's folder and how to read it."""

    name: str
    open: Opener
    format_name: str
    role: str = ""
    sealed: bool = False
    # A stored file's digests on record: its bytes are checked against the SHA-256 and
    # its SM3 is not computed again ("" where the store has none yet).
    expected_sha256: str = ""
    known_sm3: str = ""


@dataclass(frozen=True)
class PackageItem:
    """One item of the package: a folder with its files and one metadata file."""

    folder: str
    kind: str  # "document", "av" or "casefile"
    title: str
    scheme: str
    description: Mapping[str, Any]
    files: list[SourceFile]


@dataclass(frozen=True)
class ExtraItem:
    """An item the caller adds, such as the bound case file (PDF) or its catalogue.

    ``description``: further DA/T 46 elements (e.g. ``{"档号": …}``), beside the title,
    the unit and the date the package fills in.
    """

    name: str
    data: bytes
    title: str
    content_type: str = "application/pdf"
    description: Mapping[str, Any] = field(default_factory=dict)
    sealed: bool = False


def _blob_opener(sha256: str) -> Opener:
    return lambda: get_store().open(sha256)


def _local(moment: Any) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _source(case: Case) -> dict[str, str]:
    return {"立档单位名称": case.unit.name, "全宗名称": case.unit.bureau.name}


def _confidentiality(case: Case) -> str:
    with translation.override("zh-hans"):
        return str(case.get_confidentiality_display())


def _document_item(case: Case, number: int, issued: IssuedDocument) -> PackageItem:
    files: list[SourceFile] = []
    document_files: list[DocumentFile] = list(issued.files.all())
    for stored in document_files:
        extension = _EXTENSIONS.get(stored.content_type, ".bin")
        with translation.override("zh-hans"):
            role = str(stored.get_purpose_display())
        files.append(
            SourceFile(
                name=_PURPOSE_NAMES.get(FilePurpose(stored.purpose), stored.purpose) + extension,
                open=_blob_opener(stored.blob_id),
                format_name=_FORMAT_NAMES.get(stored.content_type, stored.content_type),
                role=role,
                sealed=stored.sealed,
                expected_sha256=stored.blob_id,
                known_sm3=stored.blob.sm3,
            )
        )
    with translation.override("zh-hans"):
        origin = str(issued.get_origin_display())
    description = {
        "聚合层次": "文件",
        "来源": _source(case),
        "电子文件号": f"issued-{issued.pk}",
        "内容描述": {
            "题名": issued.title,
            "文件编号": issued.number,
            "责任者": issued.unit.name,
            "日期": _local(issued.issued_at),
            "文种": issued.form.get("title", "") if isinstance(issued.form, dict) else "",
            "密级": _confidentiality(case),
            "关联案件": case.number,
        },
        "形式特征": {
            "件数": len(files),
            "页数": sum(f.pages for f in document_files),
            "语种": "汉语",
            "稿本": origin,
        },
        "业务实体": {
            "业务行为": "签发",
            "行为时间": _local(issued.issued_at),
            "机构人员名称": issued.issued_by.full_name or issued.issued_by.username,
        },
    }
    folder = f"documents/{number:03d}-{safe_name(issued.title)}"
    return PackageItem(folder, "document", issued.title, DOCUMENT_SCHEME, description, files)


def _probe(record: AvRecord) -> Any:
    try:
        return record.probe
    except ObjectDoesNotExist:
        return None


def _av_item(case: Case, record: AvRecord, evidence: bool) -> PackageItem:
    probe = _probe(record)
    with translation.override("zh-hans"):
        kind = str(record.get_kind_display())
    officer = record.officer
    format_info = {
        "时长": f"{probe.duration:.1f}" if probe and probe.duration else "",
        "视频编码标准": probe.video_codec if probe else "",
        "音频编码标准": probe.audio_codec if probe else "",
        "分辨率": f"{probe.width}×{probe.height}" if probe and probe.width else "",
    }
    description = {
        "聚合层次": "文件",
        "来源": _source(case),
        "电子文件号": f"av-{record.pk}",
        "内容描述": {
            "题名": f"{kind} {record.original_name}",
            "摄录者": (officer.full_name or officer.username) if officer else "",
            "摄录时间": _local(record.captured_at),
            "摄录地点": (
                f"{probe.gps_lat},{probe.gps_lon}" if probe and probe.gps_lat is not None else ""
            ),
            "密级": _confidentiality(case),
            "关联案件": case.number,
            "证据标识": "作为证据使用" if evidence else "",
        },
        "形式特征": format_info,
        "摄录设备": {"设备序列号": record.device.serial if record.device else ""},
        "业务实体": {
            "业务行为": "采集归集",
            "行为时间": _local(record.uploaded_at),
        },
    }
    name = av_file_name(record.original_name, record.pk)
    source = SourceFile(
        name=name,
        open=_blob_opener(record.blob_id),
        format_name=record.content_type or kind,
        role=kind,
        expected_sha256=record.blob_id,
        known_sm3=record.blob.sm3,
    )
    return PackageItem(
        av_folder(record.pk),
        "av",
        f"{kind} {record.original_name}",
        AV_SCHEME,
        description,
        [source],
    )


def _extra_item(case: Case, number: int, extra: ExtraItem) -> PackageItem:
    data = extra.data
    description = {
        "聚合层次": "案卷",
        "来源": _source(case),
        "内容描述": {
            "题名": extra.title,
            "责任者": case.unit.name,
            "日期": _local(case.archived_at),
            "密级": _confidentiality(case),
            "关联案件": case.number,
            **extra.description,
        },
    }
    source = SourceFile(
        name=safe_name(extra.name),
        open=lambda: io.BytesIO(data),
        format_name=_FORMAT_NAMES.get(extra.content_type, extra.content_type),
        sealed=extra.sealed,
    )
    folder = f"casefile/{number:03d}-{safe_name(extra.title)}"
    return PackageItem(folder, "casefile", extra.title, DOCUMENT_SCHEME, description, [source])


def case_av_links(case: Case) -> dict[int, bool]:
    """The AV records linked to the case or its activities (links in force): record id →
    used as evidence."""
    links = AvLink.objects.filter(
        Q(case=case) | Q(activity__case=case),
        unlink__isnull=True,
        record__disposal__isnull=True,
        record__quarantine__isnull=True,
    ).values_list("record_id", "evidence")
    evidence: dict[int, bool] = {}
    for record_id, used in links:
        evidence[record_id] = evidence.get(record_id, False) or used
    return evidence


def items_of(case: Case, extra: list[ExtraItem]) -> list[PackageItem]:
    """Every item of the package, in a stable order: the caller's items first (the case
    file leads the transfer), then documents by issue, then AV records by capture."""
    items = [_extra_item(case, n, e) for n, e in enumerate(extra, start=1)]
    issued = (
        IssuedDocument.objects.filter(case=case)
        .select_related("unit", "issued_by")
        .prefetch_related("files__blob")
        .order_by("issued_at", "id")
    )
    items += [_document_item(case, n, doc) for n, doc in enumerate(issued, start=1)]
    evidence = case_av_links(case)
    records = (
        AvRecord.objects.filter(pk__in=list(evidence))
        .select_related("officer", "device", "blob")
        .order_by("captured_at", "uploaded_at", "id")
    )
    items += [_av_item(case, record, evidence[record.pk]) for record in records]
    return items

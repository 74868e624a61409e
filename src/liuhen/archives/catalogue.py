"""What goes into a case's file and in which order (R18.1): its issued documents (the
signed version where there is one), the scans of its paper records, and the AV records
used as evidence, grouped and ordered by the rule ``case_file_order``; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from liuhen.archives import law
from liuhen.archives.models import EntryKind
from liuhen.archives.package import layout
from liuhen.cases.models import Case
from liuhen.core import rules
from liuhen.documents.files import current_file
from liuhen.documents.models import DocumentFile, FilePurpose, IssuedDocument, Origin
from liuhen.media.models import AvLink, AvRecord

PDF = "application/pdf"


@dataclass(frozen=True)
class Item:
    """One line of the catalogue before it is stored."""

    kind: str
    group: str
    number: str
    title: str
    date: dt.date | None
    pages: int
    document_file: DocumentFile | None = None
    av_record: AvRecord | None = None
    digest: str = ""
    duration: float | None = None
    package_path: str = ""
    sort_key: tuple[object, ...] = ()


def av_package_path(record: AvRecord) -> str:
    """Where an AV record lies in the case's archive package (its path in the OCFL
    object's state): the package names the folder by the record, so the catalogue and the
    package agree without a lookup."""
    return f"{layout.av_folder(record.pk)}/{layout.av_file_name(record.original_name, record.pk)}"


def group_order() -> list[str]:
    """The groups in binding order; groups the administrator left out follow at the end."""
    configured = [code for code in rules.value("case_file_order") if code in law.GROUP_CODES]
    return [*configured, *(code for code in law.GROUP_CODES if code not in configured)]


def _current_documents(case: Case) -> list[IssuedDocument]:
    # A superseded version stays in the trail, not in the file: its successor replaces it.
    return list(
        IssuedDocument.objects.filter(case=case, superseded_by__isnull=True)
        .prefetch_related("files")
        .order_by("issued_at", "id")
        .distinct()
    )


def _document_item(issued: IssuedDocument) -> Item | None:
    try:
        file = current_file(issued)
    except DocumentFile.DoesNotExist:
        return None
    scanned = issued.origin == Origin.PAPER or file.purpose == FilePurpose.SCAN
    issued_on = timezone.localdate(issued.issued_at)
    return Item(
        kind=EntryKind.SCAN if scanned else EntryKind.DOCUMENT,
        group=law.FORM_GROUPS.get(issued.form_code, law.OTHER_GROUP),
        number=issued.number,
        title=issued.title,
        date=issued_on,
        pages=max(file.pages, 1),
        document_file=file,
        sort_key=(issued_on, issued.issued_at, issued.pk),
    )


def _evidence_av(case: Case) -> list[AvRecord]:
    links = AvLink.objects.filter(
        Q(case=case) | Q(activity__case=case), evidence=True, unlink__isnull=True
    )
    return list(
        AvRecord.objects.filter(pk__in=links.values("record_id"))
        .select_related("probe")
        .order_by("captured_at", "id")
    )


def _av_item(record: AvRecord) -> Item:
    probe = getattr(record, "probe", None)
    captured = record.captured_at or record.uploaded_at
    return Item(
        kind=EntryKind.AV,
        group=law.AV_GROUP,
        number="",
        title=record.original_name,
        date=timezone.localdate(captured),
        pages=0,
        av_record=record,
        digest=record.blob_id,
        duration=probe.duration if probe is not None else None,
        package_path=av_package_path(record),
        sort_key=(timezone.localdate(captured), captured, record.pk),
    )


def items_for(case: Case) -> list[Item]:
    """The case's file in binding order."""
    found = [item for item in map(_document_item, _current_documents(case)) if item is not None]
    found += [_av_item(record) for record in _evidence_av(case)]
    order = {code: index for index, code in enumerate(group_order())}
    return sorted(found, key=lambda item: (order.get(item.group, len(order)), *item.sort_key))


def number_pages(pages: list[int]) -> list[int | None]:
    """The first page of each entry, numbered through the file from 1 (an entry without
    pages, an AV record, has none)."""
    first: list[int | None] = []
    next_page = 1
    for count in pages:
        if count:
            first.append(next_page)
            next_page += count
        else:
            first.append(None)
    return first

"""The one door of archiving (R18.1): assembling a closed case's file, the archivist's
review (order, remarks, the note 备考表), binding it as one sealed PDF, and archiving it
with its 档号 and retention class.

A 档号 serial is taken inside the archiving transaction with its year's series row locked,
so a rolled-back archiving gives it back and the numbers stay gapless (as the 文号 of
``cases.actions.numbering``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.archives import binding, catalogue, numbering
from liuhen.archives.events import ArchiveEvents
from liuhen.archives.models import (
    ArchiveNumbering,
    ArchiveSeries,
    CaseFile,
    CaseFileDestruction,
    CaseFileEntry,
    CaseFileStatus,
    EntryKind,
    Retention,
)
from liuhen.archives.perms import ArchivePerms
from liuhen.cases.models import Case
from liuhen.core import access, audit
from liuhen.core.perms import ConfigPerms
from liuhen.documents.files import read_blob, store_bytes

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User
    from liuhen.core.models import Blob

_RETRIES = 5
REMARKS_MAX = 300
NOTE_MAX = 4000


def _require_closed(case: Case) -> None:
    if case.closed_at is None:
        raise ValidationError(
            _("The case is not closed: its file is assembled after closing."), code="state"
        )
    if case.archived_at is not None:
        raise ValidationError(_("The case is archived already."), code="archived")


def _require_unarchived(case_file: CaseFile) -> None:
    if case_file.is_archived:
        raise ValidationError(
            _("The case file is archived: its catalogue can no longer change."), code="archived"
        )


def _renumber(case_file: CaseFile, entries: list[CaseFileEntry]) -> None:
    """Positions 1…n in the given order and page numbers running through the file."""
    firsts = catalogue.number_pages([entry.pages for entry in entries])
    for position, (entry, first) in enumerate(zip(entries, firsts, strict=True), start=1):
        entry.position = position
        entry.first_page = first
    CaseFileEntry.objects.bulk_update(entries, ["position", "first_page"])


def assemble_case_file(actor: User, case: Case, *, request: HttpRequest | None = None) -> CaseFile:
    """The closed case's file from its records, in the configured order, bound and sealed.

    Assembling again (before archiving) starts the catalogue afresh from the records; the
    archivist's note stays.
    """
    access.require(actor, ArchivePerms.ASSEMBLE, case, request=request)
    _require_closed(case)
    items = catalogue.items_for(case)
    with transaction.atomic(durable=True):
        case_file = CaseFile.objects.select_for_update().filter(case=case).first()
        if case_file is not None:
            _require_unarchived(case_file)
            case_file.entries.all().delete()
            case_file.assembled_by = actor
            case_file.assembled_at = timezone.now()
            case_file.suggested_retention = numbering.suggested_retention(case)
            case_file.bound = None
            case_file.bound_pages = 0
            case_file.save()
        else:
            case_file = CaseFile.objects.create(
                case=case,
                assembled_by=actor,
                suggested_retention=numbering.suggested_retention(case),
            )
        entries = CaseFileEntry.objects.bulk_create(
            CaseFileEntry(
                case_file=case_file,
                position=index,
                kind=item.kind,
                group=item.group,
                number=item.number,
                title=item.title[:300],
                date=item.date,
                pages=item.pages,
                document_file=item.document_file,
                av_record=item.av_record,
                digest=item.digest,
                duration=item.duration,
                package_path=item.package_path,
            )
            for index, item in enumerate(items, start=1)
        )
        _renumber(case_file, entries)
        audit.record(
            ArchiveEvents.ASSEMBLE,
            actor=actor,
            request=request,
            obj=case_file,
            case_id=case.pk,
            details={
                "entries": len(entries),
                "av": sum(1 for item in items if item.kind == EntryKind.AV),
            },
        )
    return bind_case_file(actor, case_file, request=request)


def bind_case_file(
    actor: User, case_file: CaseFile, *, request: HttpRequest | None = None
) -> CaseFile:
    """Bind the file as it now stands into one sealed PDF (the review's preview)."""
    access.require(actor, ArchivePerms.ASSEMBLE, case_file, request=request)
    _require_unarchived(case_file)
    blob, pages = _bound_blob(case_file)
    with transaction.atomic(durable=True):
        _store_bound(case_file, blob, pages)
        audit.record(
            ArchiveEvents.BIND,
            actor=actor,
            request=request,
            obj=case_file,
            case_id=case_file.case_id,
            details={"sha256": blob.sha256, "pages": pages},
        )
    return case_file


def _bound_blob(case_file: CaseFile) -> tuple[Blob, int]:
    # Rendering, merging and sealing take seconds: outside any transaction.
    entries = list(case_file.entries.select_related("document_file").order_by("position"))
    bound = binding.bind(case_file, entries)
    return store_bytes(bound.pdf), bound.pages


def _store_bound(case_file: CaseFile, blob: Blob, pages: int) -> None:
    case_file.bound = blob
    case_file.bound_pages = pages
    case_file.save(update_fields=["bound", "bound_pages"])


def _entries_for_change(actor: User, case_file: CaseFile, request: HttpRequest | None) -> None:
    access.require(actor, ArchivePerms.REVIEW, case_file, request=request)
    # The row as stored: the caller's copy may predate the archiving.
    _require_unarchived(CaseFile.objects.get(pk=case_file.pk))


def move_entry(
    actor: User, entry: CaseFileEntry, *, offset: int, request: HttpRequest | None = None
) -> CaseFileEntry:
    """Move an entry ``offset`` places up (negative) or down in the catalogue."""
    case_file = entry.case_file
    _entries_for_change(actor, case_file, request)
    with transaction.atomic(durable=True):
        entries = list(case_file.entries.select_for_update().order_by("position"))
        index = next(i for i, e in enumerate(entries) if e.pk == entry.pk)
        target = min(max(index + offset, 0), len(entries) - 1)
        if target == index:
            raise ValidationError(_("The entry cannot move further."), code="edge")
        moved = entries.pop(index)
        entries.insert(target, moved)
        _renumber(case_file, entries)
        _unbind(case_file)
        audit.record(
            ArchiveEvents.REORDER,
            actor=actor,
            request=request,
            obj=case_file,
            case_id=case_file.case_id,
            details={"entry": entry.pk, "from": index + 1, "to": target + 1},
        )
    return moved


def annotate_entry(
    actor: User, entry: CaseFileEntry, *, remarks: str, request: HttpRequest | None = None
) -> CaseFileEntry:
    """The remarks 备注 of one catalogue line."""
    case_file = entry.case_file
    _entries_for_change(actor, case_file, request)
    remarks = remarks.strip()
    if len(remarks) > REMARKS_MAX:
        raise ValidationError(
            {"remarks": [_("Remarks are at most %(n)s characters.") % {"n": REMARKS_MAX}]}
        )
    with transaction.atomic(durable=True):
        entry.remarks = remarks
        entry.save(update_fields=["remarks"])
        _unbind(case_file)
        audit.record(
            ArchiveEvents.ANNOTATE,
            actor=actor,
            request=request,
            obj=case_file,
            case_id=case_file.case_id,
            details={"entry": entry.pk, "remarks": remarks},
        )
    return entry


def set_note(
    actor: User, case_file: CaseFile, *, note: str, request: HttpRequest | None = None
) -> CaseFile:
    """The archivist's note 备考表 of the file."""
    _entries_for_change(actor, case_file, request)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": [_("The note is at most %(n)s characters.") % {"n": NOTE_MAX}]}
        )
    with transaction.atomic(durable=True):
        case_file.note = note
        case_file.save(update_fields=["note"])
        _unbind(case_file)
        audit.record(
            ArchiveEvents.ANNOTATE,
            actor=actor,
            request=request,
            obj=case_file,
            case_id=case_file.case_id,
            details={"note": note},
        )
    return case_file


def _unbind(case_file: CaseFile) -> None:
    # The bound PDF no longer shows the catalogue: bound again on review or on archiving.
    case_file.bound = None
    case_file.bound_pages = 0
    case_file.save(update_fields=["bound", "bound_pages"])


def _allocate_archive_serial(year: int) -> int:
    """The next 件号 of ``year``; a step of the archiving transaction (gapless)."""
    for attempt in range(_RETRIES):
        try:
            with transaction.atomic():
                series, _created = ArchiveSeries.objects.select_for_update().get_or_create(
                    year=year
                )
                series.last_serial += 1
                series.save(update_fields=["last_serial"])
                return series.last_serial
        except IntegrityError:
            if attempt == _RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def archive_case_file(
    actor: User,
    case_file: CaseFile,
    *,
    retention: str,
    request: HttpRequest | None = None,
) -> CaseFile:
    """归档: the archivist confirms the retention class, the file gets its 档号, is bound
    and sealed with the number on its cover, and the case records when it was archived."""
    access.require(actor, ArchivePerms.ARCHIVE, case_file, request=request)
    case = case_file.case
    _require_unarchived(CaseFile.objects.get(pk=case_file.pk))
    _require_closed(case)
    if retention not in Retention.values:
        raise ValidationError({"retention": [_("Choose the retention period.")]})
    now = timezone.now()
    year = timezone.localdate(now).year
    fonds, pattern = numbering.current()
    with transaction.atomic(durable=True):
        locked = CaseFile.objects.select_for_update().get(pk=case_file.pk)
        _require_unarchived(locked)
        serial = _allocate_archive_serial(year)
        case_file.archive_year = year
        case_file.archive_serial = serial
        case_file.archive_number = numbering.format_number(
            pattern, fonds=fonds, year=year, retention=retention, serial=serial
        )
        case_file.retention = retention
        case_file.archived_by = actor
        case_file.archived_at = now
        # The bound PDF carries the 档号 and the archiving date on its cover: bound here,
        # inside the transaction, since the number exists only within it.
        blob, pages = _bound_blob(case_file)
        case_file.status = CaseFileStatus.ARCHIVED
        case_file.bound = blob
        case_file.bound_pages = pages
        case_file.save()
        case.archived_at = now
        case.save(update_fields=["archived_at"])
        audit.record(
            ArchiveEvents.ARCHIVE,
            actor=actor,
            request=request,
            obj=case_file,
            case_id=case.pk,
            details={
                "archive_number": case_file.archive_number,
                "retention": retention,
                "suggested_retention": case_file.suggested_retention,
                "sha256": blob.sha256,
                "pages": pages,
            },
        )
    return case_file


def open_bound_pdf(
    actor: User, case_file: CaseFile, *, request: HttpRequest | None = None
) -> bytes:
    """The bound PDF for reading (audited, R21.1); bound first when the review changed it."""
    access.require(actor, ArchivePerms.VIEW, case_file, request=request)
    if CaseFileDestruction.objects.filter(case_file=case_file).exists():
        raise ValidationError(
            _("The case file was destroyed after its retention ended."), code="destroyed"
        )
    if case_file.bound_id is None:
        if case_file.is_archived:
            raise ValidationError(_("The bound file is missing."), code="missing")
        case_file = bind_case_file(actor, case_file, request=request)
    assert case_file.bound_id is not None
    with transaction.atomic(durable=True):
        audit.record(
            ArchiveEvents.READ_BOUND,
            actor=actor,
            request=request,
            obj=case_file,
            case_id=case_file.case_id,
            details={"sha256": case_file.bound_id},
        )
    return read_blob(case_file.bound_id)


def set_archive_numbering(
    actor: User, *, fonds: str, pattern: str, request: HttpRequest | None = None
) -> ArchiveNumbering:
    """The 全宗号 and 档号 pattern (system admin; audited with old and new)."""
    access.require(actor, ConfigPerms.MANAGE, request=request)
    pattern = numbering.validate_pattern(pattern)
    fonds = fonds.strip()
    if not fonds or len(fonds) > 20 or any(ch in fonds for ch in "{}"):
        raise ValidationError({"fonds": [_("Enter the fonds number (at most 20 characters).")]})
    with transaction.atomic(durable=True):
        old = numbering.current()
        row, _created = ArchiveNumbering.objects.update_or_create(
            pk=ArchiveNumbering.SINGLETON_ID, defaults={"fonds": fonds, "pattern": pattern}
        )
        audit.record(
            ArchiveEvents.NUMBERING,
            actor=actor,
            request=request,
            object_type="archives.archivenumbering",
            object_id=ArchiveNumbering.SINGLETON_ID,
            details={"old": list(old), "new": [fonds, pattern]},
        )
    return row

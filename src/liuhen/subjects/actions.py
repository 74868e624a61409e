"""Changes to enforcement subjects (R18.3): enter, correct, merge, say who owns a vehicle
or project; the audited showing of a full resident id number (R18.5) and the audited
export of a subject's file.

Each action checks access before its transaction, validates, changes data and audits in
one durable transaction. The audit details never carry a resident id number (R18.5):
only which fields changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.core import access, audit
from liuhen.core.audit import Actor
from liuhen.core.basis import basis
from liuhen.core.confidentiality import Confidentiality
from liuhen.core.models import Outcome
from liuhen.subjects import crypto, sections
from liuhen.subjects.events import SubjectEvents
from liuhen.subjects.identifiers import (
    normalize_plate,
    normalize_project_code,
    normalize_resident_id,
    normalize_uscc,
    validate_resident_id,
    validate_uscc,
)
from liuhen.subjects.models import (
    OWNED_KINDS,
    OWNER_KINDS,
    CaseParty,
    PartyRole,
    Subject,
    SubjectKind,
)
from liuhen.subjects.perms import SubjectPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

# The fields each kind holds besides name, address and phone; the others stay empty.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    SubjectKind.UNIT: ("legal_representative", "uscc"),
    SubjectKind.PERSON: ("resident_id",),
    SubjectKind.VEHICLE: ("plate",),
    SubjectKind.PROJECT: ("project_code",),
}
FILE_EXPORT_FORMATS = ("pdf", "xlsx")
COMMON_FIELDS = ("name", "address", "phone", "confidentiality")
KIND_SPECIFIC_FIELDS = ("legal_representative", "uscc", "resident_id", "plate", "project_code")
EDITABLE_FIELDS = (*COMMON_FIELDS, *KIND_SPECIFIC_FIELDS)
# The identifier columns duplicates are detected on, per kind.
_IDENTIFIER_COLUMN: dict[str, str] = {
    SubjectKind.UNIT: "uscc",
    SubjectKind.PERSON: "resident_id_index",
    SubjectKind.VEHICLE: "plate",
    SubjectKind.PROJECT: "project_code",
}
_FORM_FIELD = {"resident_id_index": "resident_id"}
# R18.5: the stricter class wins when two records become one.
_CLASS_ORDER = [c.value for c in Confidentiality]


class DuplicateSubject(ValidationError):
    """Another live record has this identifier; it is named so the officer can use it."""

    def __init__(self, field: str, existing: Subject, actor: User | Actor) -> None:
        if not isinstance(actor, User) or access.can(actor, SubjectPerms.VIEW, existing):
            message = _(
                "This subject is registered already: %(name)s (no. %(id)s). "
                "Use that record instead of entering a new one."
            ) % {"name": existing.name, "id": existing.pk}
        else:
            # A restricted record: say that it exists, not whose it is.
            message = _(
                "A subject with this identifier is registered already in a restricted "
                "record. Ask your unit head."
            )
        super().__init__({field: [ValidationError(message, code="duplicate")]})
        self.existing = existing


def _clean(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """Normalised, validated column values for ``kind`` (ValidationError per field)."""
    if kind not in SubjectKind.values:
        raise ValidationError({"kind": [_("Choose the kind of subject.")]})
    errors: dict[str, list[str]] = {}
    name = " ".join(str(values.get("name") or "").split())
    if not name:
        errors["name"] = [_("Enter the name.")]
    confidentiality = values.get("confidentiality") or Confidentiality.ORDINARY
    if confidentiality not in Confidentiality.values:
        errors["confidentiality"] = [_("Unknown confidentiality class.")]
    columns: dict[str, Any] = {
        "name": name[:200],
        "address": str(values.get("address") or "").strip()[:300],
        "phone": str(values.get("phone") or "").strip()[:40],
        "confidentiality": confidentiality,
        "legal_representative": "",
        "uscc": "",
        "resident_id_encrypted": "",
        "resident_id_index": "",
        "plate": "",
        "project_code": "",
    }
    if kind == SubjectKind.UNIT:
        columns["legal_representative"] = str(values.get("legal_representative") or "").strip()
        uscc = normalize_uscc(str(values.get("uscc") or ""))
        if uscc and not validate_uscc(uscc):
            errors["uscc"] = [
                _(
                    "This is not a valid unified social credit code: it has 18 characters, "
                    "characters 3 to 8 are the region code, and the organisation code and "
                    "the last character must match their check characters "
                    "(GB 32100-2015, GB 11714)."
                )
            ]
        columns["uscc"] = uscc
    elif kind == SubjectKind.PERSON:
        number = normalize_resident_id(str(values.get("resident_id") or ""))
        if number and not validate_resident_id(number):
            errors["resident_id"] = [
                _(
                    "This is not a valid resident identity card number: it has 18 characters, "
                    "a real date of birth and a matching check digit (GB 11643-1999)."
                )
            ]
        elif number:
            columns["resident_id_encrypted"] = crypto.encrypt(number)
            columns["resident_id_index"] = crypto.blind_index(number)
    elif kind == SubjectKind.VEHICLE:
        plate = normalize_plate(str(values.get("plate") or ""))
        if not plate:
            errors["plate"] = [_("Enter the plate or registration number.")]
        columns["plate"] = plate[:40]
    else:
        columns["project_code"] = normalize_project_code(str(values.get("project_code") or ""))[:60]
    if errors:
        raise ValidationError(errors)
    return columns


def _find_duplicate(kind: str, columns: dict[str, Any], exclude: int | None = None) -> Any:
    column = _IDENTIFIER_COLUMN[kind]
    value = columns[column]
    if not value:
        return None, column
    found = Subject.objects.filter(merged_into__isnull=True, **{column: value})
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.order_by("pk").first(), column


def _refuse_duplicate(
    actor: User | Actor, kind: str, columns: dict[str, Any], exclude: int | None
) -> None:
    existing, column = _find_duplicate(kind, columns, exclude)
    if existing is not None:
        raise DuplicateSubject(_FORM_FIELD.get(column, column), existing, actor)


def create_subject(
    actor: User | Actor,
    *,
    kind: str,
    name: str,
    request: HttpRequest | None = None,
    **values: Any,
) -> Subject:
    """Enter a subject; an identifier another live record has is refused (R18.3).

    ``values``: address, phone, legal_representative, uscc, resident_id, plate,
    project_code, confidentiality — only those of ``kind`` are kept.
    """
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown subject fields: {sorted(unknown)}")
    access.require(actor, SubjectPerms.CREATE, request=request)
    columns = _clean(kind, {**values, "name": name})
    with transaction.atomic(durable=True):
        _refuse_duplicate(actor, kind, columns, None)
        try:
            with transaction.atomic():
                subject = Subject.objects.create(
                    kind=kind, created_by=actor if isinstance(actor, User) else None, **columns
                )
        except IntegrityError:
            # Entered by someone else a moment ago: the live-unique constraint caught it.
            _refuse_duplicate(actor, kind, columns, None)
            raise
        audit.record(
            SubjectEvents.CREATE,
            actor=actor,
            request=request,
            obj=subject,
            details={"kind": kind, "name": subject.name, "fields": _filled(columns)},
        )
    return subject


def _filled(columns: dict[str, Any]) -> list[str]:
    return sorted(
        _FORM_FIELD.get(key, key).replace("_encrypted", "")
        for key, value in columns.items()
        if value and key not in ("name", "confidentiality", "resident_id_index")
    )


def update_subject(
    actor: User | Actor, subject: Subject, *, request: HttpRequest | None = None, **values: Any
) -> Subject:
    """Correct a subject's details. The kind stays; a merged record is read-only.

    A resident id left empty keeps the stored one (the form never shows it in clear).
    """
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown subject fields: {sorted(unknown)}")
    access.require(actor, SubjectPerms.CHANGE, subject, request=request)
    if subject.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another; change that one."))
    current = {
        field: getattr(subject, field) for field in EDITABLE_FIELDS if field != "resident_id"
    }
    merged_values = {**current, **values}
    keep_number = not str(values.get("resident_id") or "").strip()
    merged_values["resident_id"] = "" if keep_number else values["resident_id"]
    columns = _clean(subject.kind, merged_values)
    if keep_number:
        columns["resident_id_encrypted"] = subject.resident_id_encrypted
        columns["resident_id_index"] = subject.resident_id_index
    changed = sorted(
        _FORM_FIELD.get(key, key)
        for key, value in columns.items()
        if key != "resident_id_encrypted" and getattr(subject, key) != value
    )
    with transaction.atomic(durable=True):
        _refuse_duplicate(actor, subject.kind, columns, subject.pk)
        for key, value in columns.items():
            setattr(subject, key, value)
        subject.save()
        audit.record(
            SubjectEvents.CHANGE,
            actor=actor,
            request=request,
            obj=subject,
            details={"fields": changed},
        )
    return subject


def _refuse_if_party_of_archived(
    actor: User | Actor, merge: Subject, *, request: HttpRequest | None
) -> None:
    """R18.1: merging moves the record's case links; an archived case's parties are frozen."""
    frozen = CaseParty.objects.filter(subject=merge, case__archived_at__isnull=False).first()
    if frozen is None:
        return
    # Its own transaction, outside the merge's, so that the refused attempt is kept.
    with transaction.atomic():
        audit.record(
            SubjectEvents.MERGE,
            actor=actor,
            request=request,
            obj=merge,
            case_id=frozen.case_id,
            outcome=Outcome.DENIED,
            details={"archived_case": frozen.case_id},
        )
    raise ValidationError(
        _(
            "This record is a party of an archived case, whose file is frozen: it cannot be "
            "merged into another. %(basis)s"
        )
        % {"basis": basis("R18.1")},
        code="archived",
    )


def merge_subjects(
    actor: User | Actor, keep: Subject, merge: Subject, *, request: HttpRequest | None = None
) -> Subject:
    """Make ``merge`` a pointer to ``keep``: its case links move, empty details are filled.

    Two records with different identifiers are different subjects and are not merged.
    """
    access.require(actor, SubjectPerms.MERGE, keep, request=request)
    access.require(actor, SubjectPerms.MERGE, merge, request=request)
    _refuse_if_party_of_archived(actor, merge, request=request)
    with transaction.atomic(durable=True):
        keep, merge = (
            Subject.objects.select_for_update().get(pk=keep.pk),
            Subject.objects.select_for_update().get(pk=merge.pk),
        )
        if keep.pk == merge.pk:
            raise ValidationError(_("A record cannot be merged with itself."))
        if keep.merged_into_id is not None or merge.merged_into_id is not None:
            raise ValidationError(_("One of the records was merged already."))
        if keep.kind != merge.kind:
            raise ValidationError(_("Only records of the same kind can be merged."))
        column = _IDENTIFIER_COLUMN[keep.kind]
        ours, theirs = getattr(keep, column), getattr(merge, column)
        if ours and theirs and ours != theirs:
            raise ValidationError(
                _("The two records have different identifiers: they are different subjects.")
            )
        moved, dropped = _move_links(merge, keep)
        filled = []
        for field in (*COMMON_FIELDS, "legal_representative", "uscc", "plate", "project_code"):
            if field != "confidentiality" and not getattr(keep, field) and getattr(merge, field):
                setattr(keep, field, getattr(merge, field))
                filled.append(field)
        if not keep.resident_id_encrypted and merge.resident_id_encrypted:
            keep.resident_id_encrypted = merge.resident_id_encrypted
            keep.resident_id_index = merge.resident_id_index
            filled.append("resident_id")
        stricter = max(keep.confidentiality, merge.confidentiality, key=_CLASS_ORDER.index)
        if stricter != keep.confidentiality:
            keep.confidentiality = stricter
            filled.append("confidentiality")
        # The merged record leaves the live set first, so its identifier can move to keep.
        merge.merged_into = keep
        merge.save(update_fields=["merged_into"])
        Subject.objects.filter(merged_into=merge).update(merged_into=keep)
        # What the duplicate owned belongs to the record kept.
        owned = list(Subject.objects.filter(owner=merge).values_list("pk", flat=True))
        Subject.objects.filter(pk__in=owned).update(owner=keep)
        if not keep.owner_id and merge.owner_id and merge.owner_id != keep.pk:
            keep.owner_id = merge.owner_id
            filled.append("owner")
        keep.save()
        audit.record(
            SubjectEvents.MERGE,
            actor=actor,
            request=request,
            obj=keep,
            details={
                "kept": keep.pk,
                "merged": merge.pk,
                "moved_links": moved,
                "dropped_links": dropped,
                "filled": filled,
                "moved_owned": owned,
            },
        )
    return keep


def reveal_identifier(
    actor: User | Actor, subject: Subject, *, request: HttpRequest | None = None
) -> str:
    """The full resident id number of ``subject``, shown once on request; the showing is
    logged (R18.5) — the number itself never is."""
    access.require(actor, SubjectPerms.VIEW_IDENTIFIER, subject, request=request)
    with transaction.atomic(durable=True):
        audit.record(SubjectEvents.VIEW_IDENTIFIER, actor=actor, request=request, obj=subject)
    return subject.resident_id()


def _move_links(merge: Subject, keep: Subject) -> tuple[list[int], list[int]]:
    """Move ``merge``'s case links to ``keep``; where keep has the case already, keep one."""
    moved: list[int] = []
    dropped: list[int] = []
    kept_links = {link.case_id: link for link in CaseParty.objects.filter(subject=keep)}
    for link in CaseParty.objects.filter(subject=merge):
        existing = kept_links.get(link.case_id)
        if existing is None:
            link.subject = keep
            link.save(update_fields=["subject"])
            moved.append(link.pk)
            continue
        if link.role == PartyRole.PARTY and existing.role != PartyRole.PARTY:
            existing.role = PartyRole.PARTY  # being a party outranks being interested
            existing.save(update_fields=["role"])
        dropped.append(link.pk)
        link.delete()
    return moved, dropped


def set_owner(
    actor: User | Actor,
    subject: Subject,
    owner: Subject | None,
    *,
    request: HttpRequest | None = None,
) -> Subject:
    """A vehicle (vessel) or project belongs to a unit or person (R18.3), or to nobody
    known: ``owner`` None. The owner must be one the actor reads."""
    access.require(actor, SubjectPerms.CHANGE, subject, request=request)
    if owner is not None:
        access.require(actor, SubjectPerms.VIEW, owner, request=request)
    if subject.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another; change that one."))
    if owner is not None and subject.kind not in OWNED_KINDS:
        raise ValidationError(_("Only a vehicle, vessel or project has an owner."))
    if owner is not None and owner.kind not in OWNER_KINDS:
        raise ValidationError(_("The owner must be a unit or a person."))
    if owner is not None and owner.merged_into_id is not None:
        raise ValidationError(_("That record was merged into another; choose that one."))
    before = subject.owner_id
    with transaction.atomic(durable=True):
        subject.owner = owner
        subject.save(update_fields=["owner"])
        audit.record(
            SubjectEvents.SET_OWNER,
            actor=actor,
            request=request,
            obj=subject,
            details={"owner": owner.pk if owner else None, "before": before},
        )
    return subject


def export_file(
    actor: User, subject: Subject, *, fmt: str, request: HttpRequest | None = None
) -> list[tuple[sections.Section, list[sections.Entry]]]:
    """The subject's whole file as the actor may see it, section by section (R18.3), for
    an export in ``fmt``: a read of many records at once, allowed and audited (with its
    size) before the file is written."""
    access.require(actor, SubjectPerms.EXPORT_FILE, subject, request=request)
    if fmt not in FILE_EXPORT_FORMATS:
        raise ValidationError(_("Choose PDF or XLSX."))
    found = [
        (section, list(sections.entries(actor, subject, section)))
        for section in sections.registered()
        if section.rows is not None and section.entry is not None
    ]
    with transaction.atomic(durable=True):
        audit.record(
            SubjectEvents.EXPORT_FILE,
            actor=actor,
            request=request,
            obj=subject,
            details={
                "format": fmt,
                "rows": {section.key: len(entries) for section, entries in found},
            },
        )
    return found

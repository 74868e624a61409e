"""AV records 音像记录 (R14–R16): the register, one record, its suggestions, and the
links, labels and important mark said about it afterwards.

The same actions and access policy as the pages. A record, activity or case the caller
may not see is answered 404, as one that does not exist, and the attempt is audited
(``access.get_visible_or_404``); a refused action 403; an invalid one 422 with the
action's message. An AV record itself is never changed (R14.1): PUT, PATCH and DELETE
are refused with 405 and the attempt is audited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from liuhen.activities.models import Activity
from liuhen.activities.perms import ActivityPerms
from liuhen.api import errors
from liuhen.api.auth import person
from liuhen.api.lookups import display_name, username
from liuhen.api.pagination import Pagination
from liuhen.api.schemas import ERRORS, ERRORS_404, ErrorOut
from liuhen.cases.models import Case
from liuhen.cases.perms import CasePerms
from liuhen.core import access
from liuhen.media import links, registers
from liuhen.media.actions import curation, ingest
from liuhen.media.models import AvLabel, AvLink, AvMark, AvRecord
from liuhen.media.perms import MediaPerms

router = Router(tags=["media"])


# --- shapes --------------------------------------------------------------------------


class LinkOut(Schema):
    """A link to an activity or a case. One the caller may not see has ``visible`` false
    and no ids or number (R21.2)."""

    id: int
    kind: str = Field(description="suggested (a suggestion confirmed) or manual")
    visible: bool
    activity_id: int | None
    activity_type: str
    activity_started_at: dt.datetime | None
    case_id: int | None
    case_number: str
    evidence: bool = Field(description="used as evidence: kept with the case file (R18.4)")
    linked_by: str = Field(description="username")
    linked_by_name: str
    linked_at: dt.datetime
    withdrawn: bool
    withdrawn_reason: str
    withdrawn_by: str
    withdrawn_at: dt.datetime | None

    @staticmethod
    def _shown(link: AvLink) -> bool:
        return bool(getattr(link, "visible", False))

    @staticmethod
    def resolve_visible(link: AvLink) -> bool:
        return LinkOut._shown(link)

    @staticmethod
    def resolve_activity_id(link: AvLink) -> int | None:
        return link.activity_id if LinkOut._shown(link) else None

    @staticmethod
    def resolve_activity_type(link: AvLink) -> str:
        shown = LinkOut._shown(link) and link.activity is not None
        return link.activity.type.code if shown and link.activity else ""

    @staticmethod
    def resolve_activity_started_at(link: AvLink) -> dt.datetime | None:
        shown = LinkOut._shown(link) and link.activity is not None
        return link.activity.started_at if shown and link.activity else None

    @staticmethod
    def _case(link: AvLink) -> Case | None:
        if not LinkOut._shown(link):
            return None
        return link.case if link.case is not None else getattr(link.activity, "case", None)

    @staticmethod
    def resolve_case_id(link: AvLink) -> int | None:
        case = LinkOut._case(link)
        return case.pk if case is not None else None

    @staticmethod
    def resolve_case_number(link: AvLink) -> str:
        case = LinkOut._case(link)
        return case.number if case is not None else ""

    @staticmethod
    def resolve_linked_by(link: AvLink) -> str:
        return username(link.linked_by)

    @staticmethod
    def resolve_linked_by_name(link: AvLink) -> str:
        return display_name(link.linked_by)

    @staticmethod
    def resolve_withdrawn(link: AvLink) -> bool:
        return links.is_withdrawn(link)

    @staticmethod
    def resolve_withdrawn_reason(link: AvLink) -> str:
        return link.unlink.reason if links.is_withdrawn(link) else ""

    @staticmethod
    def resolve_withdrawn_by(link: AvLink) -> str:
        return username(link.unlink.by) if links.is_withdrawn(link) else ""

    @staticmethod
    def resolve_withdrawn_at(link: AvLink) -> dt.datetime | None:
        return link.unlink.at if links.is_withdrawn(link) else None


class MediaOut(Schema):
    id: int
    kind: str = Field(description="video, audio, photo or other")
    source: str = Field(description="upload, dock or third_party")
    original_name: str
    content_type: str
    unit_id: int
    unit_name: str
    device_id: int | None
    device_serial: str
    officer: str = Field(description="username of the officer who made it; empty: unknown")
    officer_name: str
    captured_at: dt.datetime | None = Field(
        description="the time written in the file when it has one, else the time given"
    )
    declared_captured_at: dt.datetime | None = Field(description="the time given at upload")
    uploaded_at: dt.datetime
    due_at: dt.datetime | None = Field(description="upload deadline (R15.1)")
    late: bool = Field(description="uploaded after the deadline (R15.1)")
    checkout_problem: str = Field(
        description="R14.1: not_checked_out, other_uploader, or empty when none"
    )
    third_party: bool = Field(description="third-party material (R17.1)")
    provider: str
    duration: float | None = Field(description="seconds, once probed")
    linked: bool
    links: list[LinkOut] = Field(description="the current links")
    important: bool
    label: str = Field(description="the custodian's latest label")
    needs_labelling: bool
    disposed: bool

    @staticmethod
    def resolve_unit_name(record: AvRecord) -> str:
        return record.unit.name

    @staticmethod
    def resolve_device_serial(record: AvRecord) -> str:
        return record.device.serial if record.device else ""

    @staticmethod
    def resolve_officer(record: AvRecord) -> str:
        return username(record.officer)

    @staticmethod
    def resolve_officer_name(record: AvRecord) -> str:
        return display_name(record.officer) if record.officer else ""

    @staticmethod
    def resolve_third_party(record: AvRecord) -> bool:
        return record.is_third_party

    @staticmethod
    def resolve_duration(record: AvRecord) -> float | None:
        return registers.duration_of(record)

    @staticmethod
    def resolve_linked(record: AvRecord) -> bool:
        return bool(getattr(record, "is_linked", False))

    @staticmethod
    def resolve_links(record: AvRecord) -> list[AvLink]:
        return list(getattr(record, "shown_links", ()))

    @staticmethod
    def resolve_important(record: AvRecord) -> bool:
        return bool(getattr(record, "is_important", False))

    @staticmethod
    def resolve_label(record: AvRecord) -> str:
        return str(getattr(record, "label_text", ""))

    @staticmethod
    def resolve_needs_labelling(record: AvRecord) -> bool:
        return registers.needs_labelling_now(record)

    @staticmethod
    def resolve_disposed(record: AvRecord) -> bool:
        return registers.is_disposed(record)


class ProbeOut(Schema):
    duration: float | None
    video_codec: str
    audio_codec: str
    width: int | None
    height: int | None
    created: dt.datetime | None = Field(description="creation time written in the file")
    gps_lat: Decimal | None
    gps_lon: Decimal | None
    has_thumbnail: bool
    error: str
    probed_at: dt.datetime

    @staticmethod
    def resolve_has_thumbnail(probe: Any) -> bool:
        return probe.thumbnail_id is not None


class LabelOut(Schema):
    id: int
    text: str
    by: str
    by_name: str
    at: dt.datetime

    @staticmethod
    def resolve_by(item: AvLabel) -> str:
        return username(item.by)

    @staticmethod
    def resolve_by_name(item: AvLabel) -> str:
        return display_name(item.by)


class MarkOut(Schema):
    id: int
    important: bool
    reason: str
    by: str
    by_name: str
    at: dt.datetime

    @staticmethod
    def resolve_by(item: AvMark) -> str:
        return username(item.by)

    @staticmethod
    def resolve_by_name(item: AvMark) -> str:
        return display_name(item.by)


class MediaDetailOut(MediaOut):
    size: int
    sha256: str
    sm3: str = Field(description="SM3 digest; empty until computed (SHA-256-only ingest)")
    late_reason: str
    late_reason_text: str
    returned_at: dt.datetime | None
    channel: str
    obtained_at: dt.datetime | None
    probe: ProbeOut | None
    all_links: list[LinkOut] = Field(description="every link, withdrawn ones too, oldest first")
    labels: list[LabelOut] = Field(description="newest first")
    marks: list[MarkOut] = Field(description="newest first")

    @staticmethod
    def resolve_size(record: AvRecord) -> int:
        return record.blob.size

    @staticmethod
    def resolve_sha256(record: AvRecord) -> str:
        return record.blob.sha256

    @staticmethod
    def resolve_sm3(record: AvRecord) -> str:
        if record.blob.sm3:
            return record.blob.sm3
        # Stored with SHA-256 only: the SM3 computed afterwards, once it is.
        late = getattr(record.blob, "late_sm3", None)
        return late.sm3 if late is not None else ""

    @staticmethod
    def resolve_probe(record: AvRecord) -> Any:
        return record.probe_or_none()

    @staticmethod
    def resolve_all_links(record: AvRecord) -> list[AvLink]:
        return list(getattr(record, "all_link_rows", ()))

    @staticmethod
    def resolve_labels(record: AvRecord) -> list[AvLabel]:
        return list(record.labels.select_related("by").order_by("-at", "-id"))

    @staticmethod
    def resolve_marks(record: AvRecord) -> list[AvMark]:
        return list(record.marks.select_related("by").order_by("-at", "-id"))


class SuggestionOut(Schema):
    activity_id: int
    activity_type: str
    activity_type_name: str
    started_at: dt.datetime
    ended_at: dt.datetime
    place: str
    case_id: int | None
    case_number: str
    case_title: str
    overlap_seconds: float = Field(description="of the recording with the activity")
    distance_seconds: float = Field(description="from the capture time to the activity")


class LinkIn(Schema):
    activity_id: int | None = Field(None, description="link to this activity")
    case_id: int | None = Field(None, description="or directly to this case")
    case_number: str = Field("", max_length=60, description="or to the case with this number")
    evidence: bool = Field(False, description="used as evidence in the case (R18.4)")
    suggested: bool = Field(
        False, description="confirm the activity as one of the record's suggestions"
    )


class WithdrawIn(Schema):
    reason: str = Field(max_length=300, description="why the link is wrong")


class LabelIn(Schema):
    text: str = Field(max_length=300)


class MarkIn(Schema):
    important: bool = Field(description="true: mark important 重要; false: take the mark off")
    reason: str = Field("", max_length=300)


# --- lookups -------------------------------------------------------------------------


def _visible_record(request: HttpRequest, record_id: int) -> AvRecord:
    """A record the caller may see, with what the register says about it; else 404."""
    return access.get_visible_or_404(
        request.user,
        registers.filtered(request.user, {})[0],
        action=MediaPerms.VIEW,
        request=request,
        pk=record_id,
    )


def _with_all_links(request: HttpRequest, record: AvRecord) -> AvRecord:
    rows = list(links.links_of(record))
    activity_ids = {link.activity_id for link in rows if link.activity_id is not None}
    case_ids = {link.case_id for link in rows if link.case_id is not None}
    seen_activities = set(
        access.visible(request.user, Activity.objects.filter(pk__in=activity_ids)).values_list(
            "pk", flat=True
        )
    )
    seen_cases = set(
        access.visible(request.user, Case.objects.filter(pk__in=case_ids)).values_list(
            "pk", flat=True
        )
    )
    for link in rows:
        link.visible = (  # type: ignore[attr-defined]
            link.activity_id in seen_activities
            if link.activity_id is not None
            else link.case_id in seen_cases
        )
    record.all_link_rows = rows  # type: ignore[attr-defined]
    return record


def _detail(request: HttpRequest, record_id: int) -> AvRecord:
    return _with_all_links(request, _visible_record(request, record_id))


# --- reading -------------------------------------------------------------------------


def _date_param(name: str, value: str) -> str:
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]}) from exc


# Query parameters of builtin types only: ninja resolves the (postponed) annotations of a
# paginated view outside this module.
@router.get("/media", response={200: list[MediaOut], **ERRORS}, summary="The AV register")
@paginate(Pagination)
def list_media(
    request: HttpRequest,
    unit: int | None = Query(None, description="unit id"),
    device: str = Query("", description="device number (part of it)"),
    officer: str = Query("", description="officer's name (part of it) or username"),
    case: str = Query("", description="case number (part of it)"),
    time: str = Query(
        "captured", description="what date_from/date_to filter: captured or uploaded"
    ),
    date_from: str = Query("", description="local date YYYY-MM-DD, inclusive"),
    date_to: str = Query("", description="local date YYYY-MM-DD, inclusive"),
    linked: str = Query("", description="yes or no"),
    late: bool = Query(False, description="only records uploaded late (R15.1)"),
    important: bool = Query(False, description="only records marked important"),
    third_party: bool = Query(False, description="only third-party material (R17.1)"),
    needs_labelling: bool = Query(False, description="only records waiting for a label"),
    outside_checkout: bool = Query(
        False, description="only recorder files made or uploaded outside a checkout (R14.1)"
    ),
    mine_unlinked: bool = Query(False, description="my own records not linked yet (待关联)"),
) -> QuerySet[Any]:
    """The records the caller may see, newest upload first, with the register's filters."""
    access.require(request.user, MediaPerms.LIST, request=request)
    params = {
        "unit": str(unit or ""),
        "device": device,
        "officer": officer,
        "case": case,
        "time": time,
        "date_from": _date_param("date_from", date_from),
        "date_to": _date_param("date_to", date_to),
        "linked": linked,
        **{
            name: "1" if flag else ""
            for name, flag in (
                ("late", late),
                ("important", important),
                ("third_party", third_party),
                ("needs_labelling", needs_labelling),
                ("outside_checkout", outside_checkout),
                ("mine_unlinked", mine_unlinked),
            )
        },
    }
    return registers.filtered(request.user, params)[0]


@router.get(
    "/media/{record_id}",
    response={200: MediaDetailOut, **ERRORS_404},
    summary="One AV record: digests, probe, links, labels, mark",
)
def get_media(request: HttpRequest, record_id: int) -> AvRecord:
    return _detail(request, record_id)


def _refused(request: HttpRequest, record_id: int) -> HttpResponse:
    """R14.1: always 405. The attempt is audited (``media.modify``, denied) — against the
    record when the caller may see it."""
    record = access.visible(request.user, AvRecord.objects.all()).filter(pk=record_id).first()
    device = getattr(request, "auth_device", None)
    actor = device.audit_actor() if device is not None else person(request, MediaPerms.VIEW)
    ingest.refuse_change(actor, record, str(request.method).lower(), request=request)
    return errors.error_response(
        405,
        "method_not_allowed",
        _("An AV record cannot be changed or deleted."),
        {"record_id": record_id},
        headers={"Allow": "GET"},
    )


_REFUSED = {405: ErrorOut, 401: ErrorOut}


@router.put(
    "/media/{record_id}",
    response=_REFUSED,
    summary="Refused: an AV record is never edited (R14.1)",
)
def put_media(request: HttpRequest, record_id: int) -> HttpResponse:
    return _refused(request, record_id)


@router.patch(
    "/media/{record_id}",
    response=_REFUSED,
    summary="Refused: an AV record is never edited (R14.1)",
)
def patch_media(request: HttpRequest, record_id: int) -> HttpResponse:
    return _refused(request, record_id)


@router.delete(
    "/media/{record_id}",
    response=_REFUSED,
    summary="Refused: an AV record is never deleted (R14.1; disposal only after retention)",
)
def delete_media(request: HttpRequest, record_id: int) -> HttpResponse:
    return _refused(request, record_id)


@router.get(
    "/media/{record_id}/suggestions",
    response={200: list[SuggestionOut], **ERRORS_404},
    summary="Activities the record probably belongs to (R16.1)",
)
def media_suggestions(request: HttpRequest, record_id: int) -> list[dict[str, Any]]:
    """The activities the record's officer was present at when it was captured, best
    overlap first. Nothing is linked until one is confirmed (POST …/links with
    ``suggested``)."""
    record = _visible_record(request, record_id)
    return [
        {
            "activity_id": s.activity.pk,
            "activity_type": s.activity.type.code,
            "activity_type_name": s.activity.type.name,
            "started_at": s.activity.started_at,
            "ended_at": s.activity.ended_at,
            "place": s.activity.place,
            "case_id": s.case.pk if s.case else None,
            "case_number": s.case.number if s.case else "",
            "case_title": s.case.title if s.case else "",
            "overlap_seconds": s.overlap.total_seconds(),
            "distance_seconds": s.distance.total_seconds(),
        }
        for s in links.suggestions(record, user=request.user)
    ]


# --- curation ------------------------------------------------------------------------


@router.post(
    "/media/{record_id}/links",
    response={201: MediaDetailOut, **ERRORS_404},
    summary="Link the record to an activity or a case",
)
def link_media(request: HttpRequest, record_id: int, payload: LinkIn) -> Status:
    """One of ``activity_id``, ``case_id`` or ``case_number``. With ``suggested`` the
    activity must be one of the record's suggestions. Linking to a case needs the right to
    change the case. An activity or case id the caller may not see: 404."""
    record = _visible_record(request, record_id)
    user = person(request, MediaPerms.LINK)
    if payload.activity_id is not None:
        activity = access.get_visible_or_404(
            user,
            Activity.objects.select_related("case", "type"),
            action=ActivityPerms.VIEW,
            request=request,
            pk=payload.activity_id,
        )
        if payload.suggested:
            curation.confirm_suggestion(
                user, record, activity, evidence=payload.evidence, request=request
            )
        else:
            curation.link(
                user, record, activity=activity, evidence=payload.evidence, request=request
            )
    else:
        target: Case | None = None
        if payload.case_id is not None:
            target = access.get_visible_or_404(
                user, Case, action=CasePerms.VIEW, request=request, pk=payload.case_id
            )
        elif payload.case_number.strip():
            target = curation.case_by_number(user, payload.case_number)
        curation.link(user, record, case=target, evidence=payload.evidence, request=request)
    return Status(201, _detail(request, record_id))


@router.post(
    "/media/{record_id}/links/{link_id}/withdraw",
    response={201: MediaDetailOut, **ERRORS_404},
    summary="Withdraw a wrong link, with the reason",
)
def withdraw_media_link(
    request: HttpRequest, record_id: int, link_id: int, payload: WithdrawIn
) -> Status:
    record = _visible_record(request, record_id)
    link = record.links.select_related("activity", "case", "record").filter(pk=link_id).first()
    if link is None:
        raise Http404
    curation.withdraw_link(
        person(request, MediaPerms.LINK), link, reason=payload.reason, request=request
    )
    return Status(201, _detail(request, record_id))


@router.post(
    "/media/{record_id}/labels",
    response={201: MediaDetailOut, **ERRORS_404},
    summary="Label the record (the custodian, R16.1)",
)
def label_media(request: HttpRequest, record_id: int, payload: LabelIn) -> Status:
    record = _visible_record(request, record_id)
    curation.label(person(request, MediaPerms.LABEL), record, payload.text, request=request)
    return Status(201, _detail(request, record_id))


@router.post(
    "/media/{record_id}/marks",
    response={201: MediaDetailOut, **ERRORS_404},
    summary="Mark the record important, or take the mark off",
)
def mark_media(request: HttpRequest, record_id: int, payload: MarkIn) -> Status:
    record = _visible_record(request, record_id)
    curation.mark(
        person(request, MediaPerms.MARK),
        record,
        important=payload.important,
        reason=payload.reason,
        request=request,
    )
    return Status(201, _detail(request, record_id))

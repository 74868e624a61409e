"""The AV register 音像记录台账 (R16.1, R4.3): one filter for the list, the print view,
the exports and the API, and the register's columns (the register kit, ``core.registers``).

Rows are the records the user may see (``access.visible``). What later rows say about a
record — its current links, label and important mark — is read with the page in a fixed
number of queries (annotations and one prefetch), however many rows there are. A linked
activity or case the user may not see is not named (R21.2).

Exports stream (the kit): CSV row by row, XLSX through openpyxl's write-only mode, so
memory stays flat for any number of rows; each export or print is an audited read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.activities.models import Activity
from liuhen.cases.models import Case
from liuhen.core import access, registers
from liuhen.core.registers import Column, Register, yes
from liuhen.media.events import MediaEvents
from liuhen.media.links import current_links
from liuhen.media.models import AvLabel, AvLink, AvMark, AvRecord, AvSource, CheckoutProblem
from liuhen.media.perms import MediaPerms

PAGE_SIZE = 50
PRINT_LIMIT = 2000  # a printed register longer than this is a job for the XLSX export

YES_NO = ("yes", "no")
TIME_FIELDS = {"captured": "captured_at", "uploaded": "uploaded_at"}
FLAGS = (
    "late",
    "important",
    "third_party",
    "needs_labelling",
    "outside_checkout",
    "mine_unlinked",
)
TEXT_FILTERS = ("device", "officer", "case")


class Filters(registers.Filters):
    @property
    def active(self) -> bool:
        return any(name != "time" for name in self.values)


def parse(params: Mapping[str, Any]) -> Filters:
    """Keep the recognised filter values of a query string (or an API call's params)."""
    values = registers.unit_filter(params)
    for name in TEXT_FILTERS:
        text = str(params.get(name) or "").strip()[:100]
        if text:
            values[name] = text
    time = str(params.get("time") or "captured")
    values["time"] = time if time in TIME_FIELDS else "captured"
    values.update(registers.date_filters(params))
    linked = str(params.get("linked") or "")
    if linked in YES_NO:
        values["linked"] = linked
    for name in FLAGS:
        if registers.is_checked(params, name):
            values[name] = "1"
    return Filters(values)


def _latest(model: type[AvMark] | type[AvLabel], field: str) -> Subquery:
    return Subquery(
        model.objects.filter(record=OuterRef("pk")).order_by("-at", "-id").values(field)[:1]
    )


def annotated(user: Any) -> QuerySet[AvRecord]:
    """The records ``user`` may see, with what the register shows about each."""
    records = access.visible(
        user,
        AvRecord.objects.select_related(
            "blob", "device", "officer", "unit", "uploaded_by", "via_device", "probe", "disposal"
        ),
    )
    return records.annotate(
        is_linked=Exists(current_links().filter(record=OuterRef("pk"))),
        is_important=Coalesce(_latest(AvMark, "important"), Value(False)),
        label_text=Coalesce(_latest(AvLabel, "text"), Value("")),
    ).order_by("-uploaded_at", "-id")


def _with_links(records: QuerySet[AvRecord], user: Any) -> QuerySet[AvRecord]:
    """Each record's current links as ``record.shown_links``, each with ``visible``
    (whether ``user`` may see what it points to): one query per page."""
    activities = access.visible(user, Activity.objects.all()).values("pk")
    cases = access.visible(user, Case.objects.all()).values("pk")
    visible = ExpressionWrapper(
        Q(activity__isnull=False, activity_id__in=activities)
        | Q(activity__isnull=True, case_id__in=cases),
        output_field=BooleanField(),
    )
    rows = (
        current_links()
        .select_related("activity__type", "activity__case", "case", "linked_by", "unlink__by")
        .annotate(visible=visible)
        .order_by("linked_at", "id")
    )
    return records.prefetch_related(Prefetch("links", queryset=rows, to_attr="shown_links"))


def filtered(user: Any, params: Mapping[str, Any]) -> tuple[QuerySet[AvRecord], Filters]:
    """The records ``user`` may see that match the filter, ready for a page or an export."""
    filters = parse(params)
    records = annotated(user)
    if filters.get("unit"):
        records = records.filter(unit_id=int(filters.get("unit")))
    if filters.get("device"):
        records = records.filter(device__serial__icontains=filters.get("device"))
    if filters.get("officer"):
        name = filters.get("officer")
        records = records.filter(
            Q(officer__full_name__icontains=name) | Q(officer__username__iexact=name)
        )
    field = TIME_FIELDS[filters.get("time", "captured")]
    records = registers.within_dates(records, field, filters)
    if filters.get("case"):
        number = filters.get("case")
        # Only through cases the user may see: the filter must not reveal hidden ones.
        cases = access.visible(user, Case.objects.filter(number__icontains=number)).values("pk")
        matching = current_links().filter(Q(case__in=cases) | Q(activity__case__in=cases))
        records = records.filter(pk__in=matching.values("record_id"))
    # Q(): the annotations of :func:`annotated` (the type checker does not follow them).
    if filters.get("linked") == "yes":
        records = records.filter(Q(is_linked=True))
    elif filters.get("linked") == "no":
        records = records.filter(Q(is_linked=False))
    if filters.get("late"):
        records = records.filter(late=True)
    if filters.get("important"):
        records = records.filter(Q(is_important=True))
    if filters.get("third_party"):
        records = records.filter(source=AvSource.THIRD_PARTY)
    if filters.get("needs_labelling"):
        records = records.filter(Q(needs_labelling=True, label_text=""))
    if filters.get("outside_checkout"):
        # R14.1: the recorder was with nobody, or with another officer, at the capture time.
        records = records.exclude(checkout_problem=CheckoutProblem.NONE)
    if filters.get("mine_unlinked"):
        # 待关联: the officer's own recordings still waiting for their activity (a record
        # disposed of waits for nothing).
        records = records.filter(
            Q(officer=user) | Q(uploaded_by=user), Q(is_linked=False), disposal__isnull=True
        )
    return _with_links(records, user), filters


# --- what a row shows -------------------------------------------------------------------


def duration_of(record: AvRecord) -> float | None:
    probe = record.probe_or_none()
    return probe.duration if probe is not None else None


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def is_disposed(record: AvRecord) -> bool:
    try:
        return record.disposal is not None
    except ObjectDoesNotExist:
        return False


def link_text(link: AvLink) -> str:
    if not getattr(link, "visible", False):
        return _("(not visible to you)")
    if link.activity is not None:
        when = timezone.localtime(link.activity.started_at)
        text = f"{link.activity.type.name} {when:%Y-%m-%d %H:%M}"
        if link.activity.case is not None:
            text = f"{link.activity.case.number} {text}"
        return text
    return link.case.number if link.case is not None else ""


def links_text(record: AvRecord) -> str:
    return "；".join(link_text(link) for link in getattr(record, "shown_links", ()))


def checkout_problem_text(record: AvRecord) -> str:
    return str(record.get_checkout_problem_display()) if record.checkout_problem else ""


def needs_labelling_now(record: AvRecord) -> bool:
    return record.needs_labelling and not getattr(record, "label_text", "")


@dataclass(frozen=True)
class Row:
    """One line of the register page, from a record of :func:`filtered`."""

    record: AvRecord
    links: list[AvLink]
    important: bool
    label: str
    duration: str
    needs_labelling: bool
    disposed: bool


def row(record: AvRecord) -> Row:
    return Row(
        record=record,
        links=list(getattr(record, "shown_links", ())),
        important=bool(getattr(record, "is_important", False)),
        label=getattr(record, "label_text", ""),
        duration=format_duration(duration_of(record)),
        needs_labelling=needs_labelling_now(record),
        disposed=is_disposed(record),
    )


# --- the register's columns -------------------------------------------------------------


class AvRegister(Register[AvRecord]):
    title = gettext_lazy("AV register")
    file_stem = "av-register"
    permission = MediaPerms.LIST
    event = MediaEvents.EXPORT
    object_type = "media.avrecord"
    columns = (
        Column(gettext_lazy("Record no."), lambda record: f"AV-{record.pk}"),
        Column(gettext_lazy("File name"), lambda record: record.original_name),
        Column(gettext_lazy("Kind"), lambda record: record.get_kind_display()),
        Column(
            gettext_lazy("Recording device"),
            lambda record: record.device.serial if record.device else "",
        ),
        Column(
            gettext_lazy("Officer"),
            lambda record: record.officer.display_name if record.officer else "",
        ),
        Column(gettext_lazy("Unit"), lambda record: record.unit.name),
        Column(gettext_lazy("Captured at"), lambda record: record.captured_at),
        Column(gettext_lazy("Uploaded at"), lambda record: record.uploaded_at),
        Column(gettext_lazy("Duration"), lambda record: format_duration(duration_of(record))),
        Column(gettext_lazy("Linked to"), links_text),
        Column(gettext_lazy("Uploaded late"), lambda record: yes(record.late)),
        Column(
            gettext_lazy("Important"),
            lambda record: yes(getattr(record, "is_important", False)),
        ),
        Column(gettext_lazy("Third-party material"), lambda record: yes(record.is_third_party)),
        Column(gettext_lazy("Provided by"), lambda record: record.provider),
        Column(gettext_lazy("Needs labelling"), lambda record: yes(needs_labelling_now(record))),
        Column(gettext_lazy("Label"), lambda record: getattr(record, "label_text", "")),
        Column(gettext_lazy("Outside a checkout"), checkout_problem_text),
        Column("SHA-256", lambda record: record.blob.sha256),
    )


REGISTER = AvRegister()

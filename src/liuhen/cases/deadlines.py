"""Every running clock of a case, computed from its records; nothing here writes.

A *provider* turns one case into its clocks: ``provider(case) -> Iterable[Clock | None]``
(None for a clock whose start has not happened, which is left out). It may
have a ``prefetch(queryset) -> queryset`` hook so that a list of cases loads what every
provider reads in a constant number of queries (:func:`open_clocks`). Each app registers
its providers in ``AppConfig.ready()`` (``registry.deadline_providers``).

The cases app's providers read the case's own records (its lead, approval requests,
advance notices, hearings, suspensions, decision) and its activities, each through the
case's reverse relation (:class:`Related`), so the activities app, a layer above, is not
imported.

Periods, their counting and their citations come from ``core.rules`` via
``core.calendar.deadline``; nothing here writes a legal number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from liuhen.cases import law
from liuhen.cases.models import ApprovalStatus, Case, Lead, LeadStatus
from liuhen.cases.suspensions import periods
from liuhen.core import calendar, registry, rules
from liuhen.core.rule_types import Kind


class Status:
    """Where a clock stands (labels are the deadlines app's: this module adds no strings)."""

    RUNNING = "running"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"


@dataclasses.dataclass(frozen=True)
class Clock:
    """One legal period of one case: when it started, when it is due, whether it is met."""

    code: str  # which clock: "decision", "service", …
    label: str | Promise
    rule_key: str
    citation: str
    started_on: dt.date
    due: dt.date
    kind: str  # core.rule_types.Kind: working or calendar days, months
    ref: str  # what the clock belongs to ("case:7", "lead:3"): one reminder per ref
    case_id: int | None = None
    met_on: dt.date | None = None
    warning: str = ""  # the calendar lacks holiday data for a year the period touches
    status: str = Status.RUNNING
    days_left: int | None = None  # as of the day the status was computed
    # The decision clock stops while the investigation is suspended (中止调查): days of
    # suspensions already over, and the day a running one began (the due date then moves
    # with each day of it, counted in :func:`with_status`).
    paused_days: int = 0
    paused_since: dt.date | None = None
    # What the running pause is (empty: a suspension), and the spans not counted, shown
    # with the clock.
    paused_for: str | Promise = ""
    uncounted: tuple[Uncounted, ...] = ()
    case: Case | None = dataclasses.field(default=None, compare=False, repr=False)
    lead: Lead | None = dataclasses.field(default=None, compare=False, repr=False)  # a lead's

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def days_late(self) -> int:
        return max(-(self.days_left or 0), 0)

    @property
    def is_open(self) -> bool:
        return self.status != Status.MET

    @property
    def paused(self) -> bool:
        return self.paused_since is not None and self.met_on is None

    @property
    def key(self) -> str:
        """Stable identity of the clock, for reminders sent once."""
        return f"{self.ref}:{self.code}"


@dataclasses.dataclass(frozen=True)
class Uncounted:
    """A span left out of a period: from ``start`` until ``end`` (None: still running),
    counted as ``(end - start)`` days."""

    code: str  # "suspension", "hearing", "public_notice", "testing"
    what: str | Promise
    start: dt.date
    end: dt.date | None


class Provider(Protocol):
    def __call__(self, case: Case) -> Iterable[Clock | None]: ...


def providers() -> list[Provider]:
    """The clock providers apps registered (``registry.deadline_providers``); a provider
    may define ``prefetch(queryset)``."""
    return registry.deadline_providers.values()


# --- evaluation -----------------------------------------------------------------------


def local_date(value: Any) -> dt.date | None:
    """A date from a date or datetime field (datetimes in the bureau's local time)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def make_clock(
    case: Case | None,
    code: str,
    rule_key: str,
    start: Any,
    *,
    ref: str = "",
    met: Any = None,
    extended: bool = False,
) -> Clock | None:
    """The clock of rule ``rule_key`` started by an event on ``start`` (None without one)."""
    started_on = local_date(start)
    if started_on is None:
        return None
    period = calendar.deadline(started_on, rule_key, extended=extended)
    return Clock(
        code=code,
        label=period.rule.label,
        rule_key=rule_key,
        citation=period.rule.citation,
        started_on=started_on,
        due=period.due,
        kind=str(period.kind),
        ref=ref or f"case:{case.pk if case is not None else ''}",
        case_id=case.pk if case is not None else None,
        met_on=local_date(met),
        warning=period.warning,
        case=case,
    )


def with_status(clock: Clock, today: dt.date, soon_until: dt.date) -> Clock:
    if clock.paused:
        clock = _paused_until(clock, today)
    if clock.met_on is not None:
        status = Status.MET
    elif today > clock.due:
        status = Status.OVERDUE
    elif clock.due <= soon_until:
        status = Status.DUE_SOON
    else:
        status = Status.RUNNING
    return dataclasses.replace(clock, status=status, days_left=(clock.due - today).days)


def _shifted(clock: Clock, days: int) -> calendar.Deadline:
    """The period of ``clock`` with ``days`` not counted (as if it started that much later)."""
    return calendar.deadline(clock.started_on + dt.timedelta(days=days), clock.rule_key)


def _paused_until(clock: Clock, today: dt.date) -> Clock:
    """A clock paused by a running suspension: its due date moves on with each day of it."""
    assert clock.paused_since is not None
    running = max((today - clock.paused_since).days, 0)
    period = _shifted(clock, clock.paused_days + running)
    reason = clock.paused_for or _("paused: investigation suspended")
    label = format_lazy("{} ({})", clock.label, reason)
    return dataclasses.replace(clock, due=period.due, warning=period.warning, label=label)


def soon_until(today: dt.date) -> dt.date:
    """The last day that counts as "due soon" (``DEADLINE_DUE_SOON_WORKING_DAYS``)."""
    return calendar.add_working_days(today, settings.DEADLINE_DUE_SOON_WORKING_DAYS)


def _case_clocks(case: Case) -> list[Clock]:
    found: list[Clock] = []
    for provider in providers():
        found.extend(clock for clock in provider(case) if clock is not None)
    return found


def clocks_for_case(case: Case, *, today: dt.date | None = None) -> list[Clock]:
    """All clocks of ``case``, met ones included, by due date."""
    today = today or timezone.localdate()
    limit = soon_until(today)
    clocks = [with_status(clock, today, limit) for clock in _case_clocks(case)]
    return sorted(clocks, key=lambda c: (c.met_on is not None, c.due, c.code))


def prefetch(queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """``queryset`` loading what every provider reads (each source once, however many
    providers read it)."""
    seen: set[str] = set()
    for provider in providers():
        sources = getattr(provider, "sources", None)
        if sources is not None:
            for source in sources:
                if source.label not in seen:
                    seen.add(source.label)
                    queryset = source.prefetch(queryset)
            continue
        hook: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] | None = getattr(
            provider, "prefetch", None
        )
        if hook is not None:
            queryset = hook(queryset)
    return queryset


def open_clocks(cases: models.QuerySet[Case], *, today: dt.date | None = None) -> list[Clock]:
    """The clocks not yet met of ``cases`` (a queryset), by due date; constant queries."""
    today = today or timezone.localdate()
    limit = soon_until(today)
    result = []
    for case in prefetch(cases):
        for clock in _case_clocks(case):
            if clock.met_on is None:
                result.append(with_status(clock, today, limit))
    return sorted(result, key=lambda c: (c.due, c.case_id or 0, c.code))


def latest_day_before(event: dt.date, working_days: int) -> dt.date:
    """The last day on which something can happen with ``working_days`` working days still
    to run before ``event`` (the event's day counts, the starting day does not)."""
    day, counted = event, 0
    while counted < working_days:
        if calendar.is_working_day(day):
            counted += 1
        day -= dt.timedelta(days=1)
    return day


def earliest(values: Iterable[Any]) -> dt.date | None:
    dates = [d for d in (local_date(v) for v in values) if d is not None]
    return min(dates) if dates else None


class Related:
    """The rows that hang off a case by its reverse relation ``accessor`` (a foreign key or
    a one-to-one to the case, e.g. ``hearings``), read through the prefetch cache when
    :meth:`prefetch` was applied. ``also`` names relations of those rows to load with them."""

    def __init__(
        self, accessor: str, *, also: tuple[str, ...] = (), where: dict[str, Any] | None = None
    ) -> None:
        self.accessor = accessor
        self.also = also
        self.where = where or {}  # only these rows (a many-side relation)

    @property
    def label(self) -> str:
        """What :func:`prefetch` loads once however many providers read it."""
        label = f"{self.accessor}:{sorted(self.where.items())}" if self.where else self.accessor
        # The rows loaded with them are part of what is loaded: a source that also loads
        # other relations is not the same source.
        return f"{label}+{','.join(self.also)}" if self.also else label

    def _relation(self) -> Any:
        return Case._meta.get_field(self.accessor)

    @property
    def _attr(self) -> str:
        # Two sources of one relation with different filters (the public notices, the
        # services that took effect) are two prefetched lists, each under its own name.
        if not self.where and not self.also:
            return f"_deadline_{self.accessor}"
        digest = hashlib.sha256(self.label.encode()).hexdigest()[:12]
        return f"_deadline_{self.accessor}_{digest}"

    def prefetch(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        relation = self._relation()
        if relation.one_to_one:
            return queryset.prefetch_related(
                self.accessor, *(f"{self.accessor}__{also}" for also in self.also)
            )
        # A plain list per case (``to_attr``): Django then builds no related manager and
        # queryset per case, which over thousands of open cases is most of the time.
        rows = relation.related_model._default_manager.filter(**self.where).prefetch_related(
            *self.also
        )
        return queryset.prefetch_related(
            models.Prefetch(self.accessor, queryset=rows, to_attr=self._attr)
        )

    def of(self, case: Case) -> list[Any]:
        if case.pk is None:
            return []
        if self._relation().one_to_one:
            try:
                return [getattr(case, self.accessor)]
            except ObjectDoesNotExist:
                return []
        prefetched = getattr(case, self._attr, None)
        if prefetched is not None:
            return list(prefetched)
        return list(getattr(case, self.accessor).filter(**self.where))


class RelatedProvider:
    """A provider reading the rows of some of the case's relations."""

    sources: tuple[Related, ...] = ()

    def prefetch(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        for source in self.sources:
            queryset = source.prefetch(queryset)
        return queryset

    def __call__(self, case: Case) -> Iterable[Clock | None]:
        raise NotImplementedError


# --- the providers ------------------------------------------------------------------

LEAD = Related("lead")
APPROVALS = Related("approval_requests")
NOTICES = Related("advance_notices", also=("waivers",))
HEARINGS = Related("hearings", also=("schedules", "record"))
SUSPENSIONS = Related("suspensions", also=("approval", "resumptions__approval"))
DECISION = Related("decision")
ACTIVITIES = Related("activities", also=("type",))
# Service by public notice (the delivery app's records, a layer above) and the sampling
# test result notices 抽样检测结果告知书 (the documents app's), read by their relation.
PUBLIC_NOTICES = Related("services", where={"mode": "public_notice"})
TEST_RESULTS = Related("issued", where={"form_code": "test_result_notice"})

# The services that took effect (the delivery app's records, read by their relation), with
# the document served: the 行政处罚决定书 carries its decision's 文号.
EFFECTIVE_SERVICES = Related("services", where={"served_on__isnull": False}, also=("issued",))

# The activity types that serve a decision (留置送达, 公告送达; activities' seeded types).
SERVICE_ACTIVITIES = ("service_by_leaving", "service_by_public_notice")


def _activity_day(activity: Any) -> dt.date | None:
    return local_date(activity.started_at)


def _decided(case: Case) -> list[dt.datetime]:
    return [decision.decided_at for decision in DECISION.of(case)]


AGRICULTURE_DEADLINE = "decision_deadline_agriculture"


class DecisionDeadline(RelatedProvider):
    """行政处罚法 Art. 60: a decision within 90 days of 立案 (or the agriculture rule's 6
    months — ``law.decision_deadline_key()``). Met by the decision, or by closing.

    Spans not counted move the due date on by their days; while one runs, the clock is
    paused (:attr:`Clock.paused`) and its due date moves on day by day. The days the
    investigation was suspended (中止调查, approved) are never counted. Under the
    agriculture rule (农业行政处罚程序规定: hearing, public notice and testing time is not
    counted in the 6 months; the article is to be confirmed, the rule is *[check]*),
    neither are a hearing (from the party's request to the hearing held), a service by
    public notice (from publication to the day it takes effect) and testing (from the
    sampling day on a test result notice 抽样检测结果告知书 to the day that notice was
    issued). Spans that overlap are counted once."""

    sources = (DECISION, SUSPENSIONS, HEARINGS, PUBLIC_NOTICES, TEST_RESULTS)

    def __call__(self, case: Case) -> Iterable[Clock]:
        met = earliest([*_decided(case), case.closed_at])
        key = law.decision_deadline_key()
        clock = make_clock(case, "decision", key, case.opened_at, met=met)
        if clock is None:
            return []
        spans = [
            Uncounted("suspension", _("investigation suspended"), p.start, p.end)
            for p in periods(SUSPENSIONS.of(case))
        ]
        if key == AGRICULTURE_DEADLINE:
            spans += _agriculture_uncounted(case)
        spans = _merged(spans, clock.started_on, met)
        over = sum((span.end - span.start).days for span in spans if span.end is not None)
        running = next((span for span in spans if span.end is None), None)
        if over:
            period = _shifted(clock, over)
            clock = dataclasses.replace(clock, due=period.due, warning=period.warning)
        return [
            dataclasses.replace(
                clock,
                paused_days=over,
                paused_since=running.start if running else None,
                paused_for=_paused_for(running),
                uncounted=tuple(spans),
            )
        ]


def _paused_for(running: Uncounted | None) -> str | Promise:
    if running is None or running.code == "suspension":
        return ""  # the clock's own wording for a suspension
    return format_lazy("{}: {}", _("paused, not counted"), running.what)


def _agriculture_uncounted(case: Case) -> list[Uncounted]:
    """The hearing, public-notice and testing spans of ``case`` (agriculture rule)."""
    spans = []
    for hearing in HEARINGS.of(case):
        started = local_date(hearing.requested_at)
        record = getattr(hearing, "record", None)  # None until the hearing is held
        if started is not None:
            held = local_date(record.held_at) if record is not None else None
            spans.append(Uncounted("hearing", _("hearing"), started, held))
    for service in PUBLIC_NOTICES.of(case):
        published = local_date(service.served_at)
        if published is not None and service.served_on is not None:
            spans.append(
                Uncounted("public_notice", _("public notice"), published, service.served_on)
            )
    for notice in TEST_RESULTS.of(case):
        sampled = _iso_date((notice.data or {}).get("sampled_on"))
        issued = local_date(notice.issued_at)
        if sampled is not None and issued is not None and sampled <= issued:
            spans.append(
                Uncounted("testing", _("testing, inspection or appraisal"), sampled, issued)
            )
    return spans


def _iso_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _merged(spans: list[Uncounted], opened: dt.date, met: dt.date | None) -> list[Uncounted]:
    """``spans`` within the period (from ``opened``, until ``met`` when met), overlapping
    ones joined (named after the first), by start."""
    clipped = []
    for span in spans:
        start = max(span.start, opened)
        end = span.end if met is None else min(span.end or met, met)
        if end is None or end > start:
            clipped.append(dataclasses.replace(span, start=start, end=end))
    merged: list[Uncounted] = []
    for span in sorted(clipped, key=lambda s: s.start):
        last = merged[-1] if merged else None
        if last is not None and (last.end is None or span.start <= last.end):
            end = None if last.end is None or span.end is None else max(last.end, span.end)
            merged[-1] = dataclasses.replace(last, end=end)
        else:
            merged.append(span)
    return merged


def lead_clock(lead: Lead, case: Case | None = None) -> Clock | None:
    """A lead is checked and filing decided within 15 days of receipt, +15 with approval
    (agriculture provisions, *[check]*). Met when filed (the case opened) or declined."""
    met: dt.datetime | None = case.opened_at if case is not None else None
    if met is None and lead.status in (LeadStatus.FILED, LeadStatus.DECLINED):
        # The lead keeps no day of its filing decision (its approval request does): the
        # clock is over, and counted as met on the day the lead came in.
        met = lead.received_at
    clock = make_clock(
        case,
        "lead_check",
        "lead_check",
        lead.received_at,
        ref=f"lead:{lead.pk}",
        met=met,
        extended=lead.check_extended,
    )
    return dataclasses.replace(clock, lead=lead) if clock else None


class LeadCheck(RelatedProvider):
    sources = (LEAD,)

    def __call__(self, case: Case) -> Iterable[Clock | None]:
        return [lead_clock(lead, case) for lead in LEAD.of(case)]


def open_lead_clocks(leads: models.QuerySet[Lead], *, today: dt.date | None = None) -> list[Clock]:
    """The check clocks of leads not yet decided (they have no case yet)."""
    today = today or timezone.localdate()
    limit = soon_until(today)
    found = [lead_clock(lead) for lead in leads]
    return sorted(
        (with_status(c, today, limit) for c in found if c and c.met_on is None),
        key=lambda c: (c.due, c.ref),
    )


def hours_clock(
    case: Case, code: str, rule_key: str, started_at: dt.datetime, due_at: dt.datetime, **kw: Any
) -> Clock:
    """The clock of a period the law counts in hours (行政强制法 Art. 19: 24 hours): due on
    the day its hour falls; whether it was met in time is judged to the minute by the
    supervision check."""
    rule = rules.get(rule_key)
    started_on, due = local_date(started_at), local_date(due_at)
    assert started_on is not None and due is not None
    return Clock(
        code=code,
        label=rule.label,
        rule_key=rule_key,
        citation=rule.citation,
        started_on=started_on,
        due=due,
        kind=str(rule.kind),
        case_id=case.pk,
        case=case,
        **kw,
    )


class UrgentPaperwork(RelatedProvider):
    """R7.2: a step started before approval has its paperwork approved in 2 working days;
    a seizure (行政强制法 Art. 19) or an advance preservation (农业行政处罚程序规定) within
    24 hours."""

    sources = (APPROVALS,)

    def __call__(self, case: Case) -> Iterator[Clock | None]:
        steps = registry.approval_steps
        for request in APPROVALS.of(case):
            if request.urgent_started_at is None:
                continue
            # As ApprovalRequest.is_overdue: the paperwork is done when it is approved.
            approved = request.status == ApprovalStatus.APPROVED
            step = steps.get(request.step)
            if request.report_due_at is not None and step is not None:
                yield hours_clock(
                    case,
                    "urgent_report",
                    step.urgent_report_rule,
                    request.urgent_started_at,
                    request.report_due_at,
                    ref=f"approval:{request.pk}",
                    met_on=local_date(request.decided_at) if approved else None,
                )
                continue
            yield make_clock(
                case,
                "urgent_paperwork",
                "urgent_start_paperwork",
                request.urgent_started_at,
                ref=f"approval:{request.pk}",
                met=request.decided_at if approved else None,
            )


class AdvancePreservation(RelatedProvider):
    """行政处罚法 Art. 56: evidence preserved in advance is dealt with within 7 working days.
    Met by the case's decision or its closing."""

    sources = (ACTIVITIES, DECISION)
    activity_type = "advance_preservation"

    def __call__(self, case: Case) -> Iterator[Clock | None]:
        ended = earliest([*_decided(case), case.closed_at])
        for activity in ACTIVITIES.of(case):
            if activity.type.code != self.activity_type:
                continue
            yield make_clock(
                case,
                "advance_preservation",
                "advance_preservation_decision",
                activity.started_at,
                ref=f"activity:{activity.pk}",
                met=ended,
            )


class Seizure(RelatedProvider):
    """行政强制法 Art. 25: a seizure or detention lasts at most 30 days from the day it is
    carried out, extended once by at most 30 days with the head's approval (the step
    ``seizure_extension``). Met by the case's decision or its closing (Art. 27: dealt with
    within the period)."""

    sources = (ACTIVITIES, APPROVALS, DECISION)
    activity_type = "seizure"

    def __call__(self, case: Case) -> Iterator[Clock | None]:
        ended = earliest([*_decided(case), case.closed_at])
        extended = any(
            request.step == "seizure_extension" and request.status == ApprovalStatus.APPROVED
            for request in APPROVALS.of(case)
        )
        for activity in ACTIVITIES.of(case):
            if activity.type.code != self.activity_type:
                continue
            yield make_clock(
                case,
                "seizure",
                "seizure_days",
                activity.started_at,
                ref=f"activity:{activity.pk}",
                met=ended,
                extended=extended,
            )


class HearingRequest(RelatedProvider):
    """行政处罚法 Art. 64(1): the party asks for a hearing within 5 working days of the
    advance notice. Met by the request on that notice (``cases.Hearing``), a waiver of
    the hearing right, or a hearing held (an activity of type "hearing")."""

    sources = (NOTICES, HEARINGS, ACTIVITIES)

    def __call__(self, case: Case) -> Iterator[Clock | None]:
        hearings = HEARINGS.of(case)
        held = earliest(_activity_day(a) for a in ACTIVITIES.of(case) if a.type.code == "hearing")
        for notice in NOTICES.of(case):
            if "hearing" not in (notice.rights or ()):
                continue  # no hearing right notified: no window
            waived = earliest(w.recorded_at for w in notice.waivers.all() if "hearing" in w.rights)
            requested = earliest(h.requested_at for h in hearings if h.notice_id == notice.pk)
            yield make_clock(
                case,
                "hearing_request",
                "hearing_request",
                notice.notified_at,
                ref=f"notice:{notice.pk}",
                met=requested or waived or held,
            )


class HearingNotice(RelatedProvider):
    """行政处罚法 Art. 64(2): the party is told of the hearing at least 7 days before it
    (working days, Art. 85). Due: the last day the notice can still be given for the
    hearing's time in force (its latest schedule); met on the day the party was told."""

    sources = (HEARINGS,)

    def __call__(self, case: Case) -> Iterator[Clock]:
        rule = rules.get("hearing_notice")
        for hearing in HEARINGS.of(case):
            schedules = list(hearing.schedules.all())
            if not schedules:
                continue  # no time set yet
            schedule = max(schedules, key=lambda s: (s.recorded_at, s.pk))
            held_on = local_date(schedule.scheduled_at)
            assert held_on is not None
            due = latest_day_before(held_on, int(rule.value))
            missing = calendar.years_without_data(due, held_on)
            period = calendar.Deadline(due, due, rule, Kind(rule.kind), 0, tuple(missing))
            started = local_date(hearing.requested_at) or due
            yield Clock(
                code="hearing_notice",
                label=rule.label,
                rule_key=rule.key,
                citation=rule.citation,
                started_on=min(started, due),
                due=due,
                kind=str(rule.kind),
                ref=f"hearing:{hearing.pk}",
                case_id=case.pk,
                met_on=local_date(schedule.notified_at),
                warning=period.warning,
                case=case,
            )


class ServiceAndPayment(RelatedProvider):
    """行政处罚法 Art. 61: a decision is served within 7 working days; Art. 67: the fine is
    paid within 15 days of receiving it (a decision without a fine has no payment clock).
    Service is read from a service activity on or after the decision, or from a service
    of the decision's document recorded on the service form: the period to serve is met on
    the day of the officer's act, the period to pay runs from the day service took effect
    (a post's receipt); both are met by closing the case."""

    sources = (DECISION, ACTIVITIES, EFFECTIVE_SERVICES)

    def __call__(self, case: Case) -> Iterator[Clock | None]:
        closed = case.closed_at
        for decision in DECISION.of(case):
            decided = local_date(decision.decided_at)
            if decided is None:
                continue
            by_activity = [
                _activity_day(a)
                for a in ACTIVITIES.of(case)
                if a.type.code in SERVICE_ACTIVITIES and (_activity_day(a) or decided) >= decided
            ]
            recorded = [
                record
                for record in EFFECTIVE_SERVICES.of(case)
                if decision.number and record.issued.number == decision.number
            ]
            served = earliest([*by_activity, *(local_date(r.served_at) for r in recorded)])
            takes_effect = earliest([*by_activity, *(r.served_on for r in recorded)])
            yield make_clock(
                case,
                "service",
                "service",
                decided,
                ref=f"decision:{decision.pk}",
                met=served or closed,
            )
            if takes_effect is not None and decision.fine_fen:
                yield make_clock(
                    case,
                    "payment",
                    "payment",
                    takes_effect,
                    ref=f"decision:{decision.pk}",
                    met=closed,
                )


# The clocks of the case's own records, by provider name (registered by ``ready()``).
PROVIDERS = {
    "lead_check": LeadCheck(),
    "urgent_paperwork": UrgentPaperwork(),
    "advance_preservation": AdvancePreservation(),
    "seizure": Seizure(),
    "hearing_request": HearingRequest(),
    "hearing_notice": HearingNotice(),
    "decision": DecisionDeadline(),
    "service_and_payment": ServiceAndPayment(),
}

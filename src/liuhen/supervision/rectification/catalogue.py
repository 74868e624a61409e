"""The findings catalogue (制度第二十三条): every requirement a machine can detect, as a kind
with its article, severity and owner, and the detectors that find its instances.

The checks on a case (``cases.compliance``: activities without AV, unapproved steps, late
service, archiving late …) are kinds of their own, one per check code; others are found
in the records of other apps — devices kept out, late uploads, fixity problems, changes to
archived cases refused; the last are what a reviewer finds (a spot check, a complaint
replay, a case-file review), raised by the review itself. Each instance has a stable
``dedupe_key`` so that the daily run raises it once
(``actions.catalogue.raise_daily_findings``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import User
from liuhen.activities.models import Activity
from liuhen.cases import compliance
from liuhen.cases.events import CaseEvents
from liuhen.cases.models import Case
from liuhen.core import registry, rules
from liuhen.core.models import AuditEvent
from liuhen.devices.ledger import overdue_cutoff
from liuhen.devices.models import Device, DeviceStatus
from liuhen.media.events import MediaEvents
from liuhen.media.links import current_links
from liuhen.media.models import AvRecord, IntegrityFinding
from liuhen.supervision.coverage.activities import coverages, needing_av
from liuhen.supervision.models import Severity


class Owner:
    UNIT = "unit"
    OFFICER = "officer"


OWNER_LABELS = {Owner.UNIT: _("The unit"), Owner.OFFICER: _("The officer")}


@dataclass(frozen=True)
class FindingKind:
    code: str
    label: str | Promise
    article: str  # the requirement it enforces ("R5.2"); on screen its basis in words
    severity: str
    owner: str  # who rectifies it: the unit, or the officer who did it

    @property
    def owner_label(self) -> str:
        return str(OWNER_LABELS[self.owner])

    @property
    def severity_label(self) -> str:
        return str(Severity(self.severity).label)


# What each check on a case reads as; a check another app adds later and not listed here
# reads as the generic label.
CASE_CHECK_LABELS: dict[str, str | Promise] = {
    "av_missing": _("Activity without the AV record it needs"),
    "officers_uncertified": _("Too few certified officers on site"),
    "urgent_paperwork_overdue": _("Paperwork of an urgent step overdue"),
    "urgent_report_late": _("Urgent step approved late"),
    "urgent_seizure_not_lifted": _("Unapproved urgent seizure not lifted"),
    "advance_notice_missing": _("No advance notice before the decision"),
    "advance_notice_not_served": _("Advance notice not served"),
    "collective_discussion_missing": _("Collective discussion missing"),
    "expert_record_missing": _("Experts' opinion not kept"),
    "service_mode_invalid": _("Service by a mode not allowed"),
    "service_overdue": _("Decision served late"),
    "av_outside_checkout": _("Recording outside a device checkout"),
    "archiving_late": _("Case file archived late"),
    "signature_missing": _("Signature missing on a document"),
    "publication_late": _("Decision published late"),
    "withdrawal_late": _("Publication withdrawn late"),
}
CASE_CHECK_GENERIC = _("Compliance check on a case")

DEVICE_OVERDUE = "device_overdue"
UPLOAD_LATE = "upload_late"
INTEGRITY = "integrity_problem"
ARCHIVED_CHANGE = "archived_change_refused"
AV_INTERRUPTED = "av_interrupted"
AV_CHANGE_ATTEMPTED = "av_change_attempted"

OTHER_KINDS = (
    FindingKind(
        DEVICE_OVERDUE,
        _("Recorder kept out past the checkout limit"),
        "R13.1",
        Severity.MINOR,
        Owner.OFFICER,
    ),
    FindingKind(UPLOAD_LATE, _("AV uploaded late"), "R15.1", Severity.MINOR, Owner.OFFICER),
    FindingKind(
        INTEGRITY,
        _("Stored record changed, missing or unverified"),
        "R16.1",
        Severity.SERIOUS,
        Owner.UNIT,
    ),
    FindingKind(
        ARCHIVED_CHANGE,
        _("Attempt to change an archived case"),
        "R18.1",
        Severity.MAJOR,
        Owner.OFFICER,
    ),
    FindingKind(
        AV_INTERRUPTED,
        _("AV record of an activity interrupted"),
        "R14.1",
        Severity.MINOR,
        Owner.UNIT,
    ),
    FindingKind(
        AV_CHANGE_ATTEMPTED,
        _("Attempt to change or delete an AV record"),
        "R14.1",
        Severity.MAJOR,
        Owner.OFFICER,
    ),
)


SPOT_CHECK_ITEM_MISSING = "spot_check_item_missing"
SPOT_CHECK_PROHIBITED_ACT = "spot_check_prohibited_act"
COMPLAINT_SUBSTANTIATED = "complaint_substantiated"
CASE_REVIEW_VETO = "case_review_veto"

# What a person finds by reviewing: no detector looks for these; the review's action raises
# them (``actions.spot_checks``, ``actions.complaints``, ``actions.reviews``).
REVIEW_KINDS = (
    FindingKind(
        SPOT_CHECK_ITEM_MISSING,
        _("Item of Art. 13 not filmed (spot check)"),
        "R13.2",
        Severity.MAJOR,
        Owner.OFFICER,
    ),
    FindingKind(
        SPOT_CHECK_PROHIBITED_ACT,
        _("Prohibited act on the footage (spot check)"),
        "R14.1",
        Severity.SERIOUS,
        Owner.OFFICER,
    ),
    # Partly substantiated complaints are minor; the action sets the severity of each.
    FindingKind(
        COMPLAINT_SUBSTANTIATED,
        _("Complaint substantiated on replay"),
        "R22.4",
        Severity.MAJOR,
        Owner.OFFICER,
    ),
    FindingKind(
        CASE_REVIEW_VETO,
        _("Case file failed a veto item (case-file review)"),
        "R22.2",
        Severity.SERIOUS,
        Owner.UNIT,
    ),
)


def case_check_kind(check: compliance.Check) -> FindingKind:
    # A check that blocks a stage is a major fault; one that only flags is minor.
    return FindingKind(
        check.code,
        CASE_CHECK_LABELS.get(check.code, CASE_CHECK_GENERIC),
        check.article,
        Severity.MAJOR if check.blocking else Severity.MINOR,
        Owner.UNIT,
    )


def kinds() -> list[FindingKind]:
    """Every kind of the catalogue: the case checks registered, the others the daily run
    detects, then those raised by reviews."""
    return (
        [case_check_kind(c) for c in compliance.all_checks()]
        + list(OTHER_KINDS)
        + list(REVIEW_KINDS)
    )


def kind(code: str) -> FindingKind | None:
    if code in registry.case_checks:
        return case_check_kind(registry.case_checks[code])
    return next((k for k in OTHER_KINDS + REVIEW_KINDS if k.code == code), None)


def kind_label(code: str) -> str:
    found = kind(code)
    return str(found.label) if found is not None else code


# --- detection ----------------------------------------------------------------------


@dataclass
class Candidate:
    """One instance of a kind, ready for ``raise_finding``."""

    kind: FindingKind
    summary: str
    dedupe_key: str
    case: Case | None = None
    unit: Any = None
    officer: User | None = None
    about: Model | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)


def link(label: str | Promise, obj: Model) -> dict[str, Any]:
    return {"label": str(label), "object_type": obj._meta.label_lower, "object_id": str(obj.pk)}


def since() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=int(rules.value("findings_closed_case_days")))


def checked_cases() -> Any:
    """Open cases and those closed in the look-back period."""
    return Case.objects.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=since())).order_by("pk")


def case_check_candidates(case: Case) -> Iterator[Candidate]:
    for item in compliance.findings_for_case(case):
        about = item.object if isinstance(item.object, Model) else case
        evidence = [link(_("Case"), case)]
        if about is not case:
            evidence.append(link(str(about._meta.verbose_name), about))
        yield Candidate(
            kind=case_check_kind(registry.case_checks[item.code]),
            summary=str(item.message),
            dedupe_key=f"check:{item.code}:{about._meta.label_lower}:{about.pk}",
            case=case,
            unit=case.unit,
            officer=getattr(about, "officer", None) if hasattr(about, "officer_id") else None,
            about=about,
            evidence=evidence,
        )


def _device_overdue() -> Iterator[Candidate]:
    kind_ = kind(DEVICE_OVERDUE)
    assert kind_ is not None
    late = Device.objects.filter(
        status=DeviceStatus.CHECKED_OUT, out_since__lt=overdue_cutoff()
    ).select_related("unit", "holder")
    for device in late:
        assert device.out_since is not None
        out = timezone.localtime(device.out_since)
        yield Candidate(
            kind=kind_,
            summary=str(
                _("Recorder %(serial)s checked out on %(time)s has not been returned.")
                % {"serial": device.serial, "time": f"{out:%Y-%m-%d %H:%M}"}
            ),
            # One per checkout: the same device kept out again is a new finding.
            dedupe_key=f"{DEVICE_OVERDUE}:{device.pk}:{device.out_since.isoformat()}",
            unit=device.unit,
            officer=device.holder,
            about=device,
            evidence=[link(_("Device"), device)],
        )


def _uploads_late() -> Iterator[Candidate]:
    kind_ = kind(UPLOAD_LATE)
    assert kind_ is not None
    late = AvRecord.objects.filter(late=True, uploaded_at__gte=since()).select_related(
        "unit", "officer"
    )
    for record in late:
        yield Candidate(
            kind=kind_,
            summary=str(
                _("%(name)s was uploaded after its upload deadline.")
                % {"name": record.original_name}
            ),
            dedupe_key=f"{UPLOAD_LATE}:{record.pk}",
            unit=record.unit,
            officer=record.officer,
            about=record,
            evidence=[link(_("AV record"), record)],
        )


def _integrity() -> Iterator[Candidate]:
    kind_ = kind(INTEGRITY)
    assert kind_ is not None
    for problem in IntegrityFinding.objects.filter(found_at__gte=since()):
        record = AvRecord.objects.filter(blob_id=problem.sha256).select_related("unit").first()
        evidence = [link(_("Integrity finding"), problem)]
        if record is not None:
            evidence.append(link(_("AV record"), record))
        yield Candidate(
            kind=kind_,
            summary=str(
                _("Stored file %(sha)s…: %(problem)s.")
                % {"sha": problem.sha256[:12], "problem": problem.get_problem_display()}
            ),
            dedupe_key=f"{INTEGRITY}:{problem.pk}",
            unit=record.unit if record is not None else None,
            about=problem,
            evidence=evidence,
        )


def _archived_changes() -> Iterator[Candidate]:
    kind_ = kind(ARCHIVED_CHANGE)
    assert kind_ is not None
    events = AuditEvent.objects.filter(action=CaseEvents.FROZEN_REFUSED, time__gte=since())
    for event in events.order_by("seq"):
        case = (
            Case.objects.filter(pk=event.case_id).select_related("unit").first()
            if event.case_id is not None
            else None
        )
        officer = (
            User.objects.filter(pk=event.actor_id).first() if event.actor_id.isdigit() else None
        )
        evidence = [
            {
                "label": str(_("Audit event")),
                "object_type": "core.auditevent",
                "object_id": str(event.seq),
            }
        ]
        if case is not None:
            evidence.insert(0, link(_("Case"), case))
        yield Candidate(
            kind=kind_,
            summary=str(
                _("%(who)s tried to change archived case %(case)s.")
                % {
                    "who": event.actor_name or "—",
                    "case": case.number if case is not None else event.case_id,
                }
            ),
            dedupe_key=f"{ARCHIVED_CHANGE}:{event.seq}",
            case=case,
            officer=officer,
            evidence=evidence,
        )


def _av_interrupted() -> Iterator[Candidate]:
    """R14.1 (不得中断): an activity that needs AV whose linked recordings leave a gap longer
    than the threshold. Judged once the activity ended before the checkout limit, when every
    recorder out at it is due back and its footage uploaded; an activity with no recording
    of known time is the check ``av_missing``'s, and one exempted by its head is left out."""
    kind_ = kind(AV_INTERRUPTED)
    assert kind_ is not None
    linked = current_links().filter(activity__isnull=False).values("activity_id")
    activities = (
        needing_av(Activity.objects.all())
        .filter(started_at__gte=since(), ended_at__lt=overdue_cutoff(), pk__in=linked)
        .select_related("case", "unit", "type")
        .prefetch_related("av_exemptions__approval")
        .order_by("pk")
    )
    for item in coverages(activities):
        if not item.recordings or not item.coverage.gaps:
            continue
        activity = item.activity
        if any(exemption.approved for exemption in activity.av_exemptions.all()):
            continue
        case = activity.case
        longest = max(gap.minutes for gap in item.coverage.gaps)
        start = timezone.localtime(activity.started_at)
        yield Candidate(
            kind=kind_,
            summary=str(
                _(
                    "%(activity)s on %(time)s: its recordings cover %(percent)s%% of it and "
                    "leave %(gaps)d gap(s), the longest %(minutes)s minutes."
                )
                % {
                    "activity": activity.type.name,
                    "time": f"{start:%Y-%m-%d %H:%M}",
                    "percent": item.coverage.percent,
                    "gaps": len(item.coverage.gaps),
                    "minutes": longest,
                }
            ),
            dedupe_key=f"{AV_INTERRUPTED}:{activity.pk}",
            # An archived case takes nothing more: the finding is then the unit's alone.
            case=case if case is not None and case.archived_at is None else None,
            unit=activity.unit or (case.unit if case is not None else None),
            about=activity,
            evidence=[link(_("Activity"), activity)],
        )


def _av_change_attempts() -> Iterator[Candidate]:
    """R14.1: an AV record is never edited, cut or deleted; each refused attempt (audited as
    ``media.modify``) is a finding against the one who tried."""
    kind_ = kind(AV_CHANGE_ATTEMPTED)
    assert kind_ is not None
    events = AuditEvent.objects.filter(action=MediaEvents.MODIFY, time__gte=since())
    for event in events.order_by("seq"):
        record = (
            AvRecord.objects.filter(pk=event.object_id).select_related("unit").first()
            if event.object_type == "media.avrecord" and event.object_id.isdigit()
            else None
        )
        officer = (
            User.objects.filter(pk=event.actor_id).select_related("unit").first()
            if event.actor_id.isdigit()
            else None
        )
        evidence = [
            {
                "label": str(_("Audit event")),
                "object_type": "core.auditevent",
                "object_id": str(event.seq),
            }
        ]
        if record is not None:
            evidence.insert(0, link(_("AV record"), record))
        yield Candidate(
            kind=kind_,
            summary=str(
                _("%(who)s tried to change or delete %(record)s.")
                % {
                    "who": event.actor_name or "—",
                    "record": record.original_name if record is not None else "—",
                }
            ),
            dedupe_key=f"{AV_CHANGE_ATTEMPTED}:{event.seq}",
            unit=record.unit if record is not None else getattr(officer, "unit", None),
            officer=officer,
            about=record,
            evidence=evidence,
        )


OTHER_DETECTORS: tuple[Callable[[], Iterator[Candidate]], ...] = (
    _device_overdue,
    _uploads_late,
    _integrity,
    _archived_changes,
    _av_interrupted,
    _av_change_attempts,
)


def candidates() -> Iterator[Candidate]:
    """Every instance found today, case checks first."""
    for case in checked_cases().select_related("unit"):
        yield from case_check_candidates(case)
    for detector in OTHER_DETECTORS:
        yield from detector()

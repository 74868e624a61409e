"""Cases 案件: the case, its numbers, leads, approvals, rights notices, the decision, hearings."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.core.confidentiality import Confidentiality
from liuhen.core.field_groups import Recorded, Requested, RequestWithReason, SingletonRow
from liuhen.subjects.models import PartyRole


class Stage(models.TextChoices):
    """R3.1: the stages named by Art. 3."""

    INITIATION = "initiation", _("Initiation")
    INVESTIGATION = "investigation", _("Investigation")
    DECISION = "decision", _("Review and decision")
    SERVICE = "service", _("Service and execution")
    ARCHIVING = "archiving", _("Archiving")


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary procedure")
    SIMPLE = "simple", _("Simple procedure")


class ClosingCondition(models.TextChoices):
    """The conditions for closing 结案 (农业行政处罚程序规定)."""

    EXECUTED = "executed", _("Decision executed")
    COURT_ENFORCEMENT = "court_enforcement", _("Court enforcement accepted")
    NO_PENALTY = "no_penalty", _("No penalty imposed")
    REVOKED = "revoked", _("Case revoked")
    OTHER = "other", _("Other reason approved")


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    # 执法领域 as in the case number, e.g. 农药 or 种子.
    field = models.CharField(_("field of enforcement"), max_length=20, blank=True)
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cases"
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.INITIATION
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.ORDINARY,
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officers"),
        related_name="assigned_cases",
        blank=True,
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set once, by the archivist's archiving of the case file; from then on the case is
    # frozen (制度第十八条): later material goes in only by 补充归档.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    procedure = models.CharField(
        _("procedure"), max_length=10, choices=Procedure.choices, default=Procedure.ORDINARY
    )
    # Why a case needs legal review 法制审核 (Art. 58) or collective discussion (Art. 57).
    complex_or_serious = models.BooleanField(_("complex or serious"), default=False)
    major_public_interest = models.BooleanField(_("major public interest"), default=False)
    hearing_held = models.BooleanField(_("hearing held"), default=False)
    # Simple procedure: the on-the-spot decision is filed 备案 with the agency (Art. 52).
    simple_filing_due = models.DateField(_("filing due"), null=True, blank=True)
    simple_filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    closing_condition = models.CharField(
        _("closing condition"), max_length=20, choices=ClosingCondition.choices, blank=True
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        # The register's order: its first page must not sort the whole table.
        indexes = [models.Index(fields=["-opened_at", "-id"], name="case_register_order")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def needs_legal_review(self) -> bool:
        return self.complex_or_serious or self.major_public_interest or self.hearing_held


DEFAULT_NUMBER_PATTERN = "洼农（{field}）{kind}〔{year}〕{serial}号"


class EnforcementField(models.Model):
    """A field of enforcement 执法领域 the bureau works in: the configured list a case's
    field is chosen from (seeded by the data migration, like the activity types).

    A case keeps the ``name``; its numbers carry the ``abbreviation`` in the pattern's
    ``{field}`` (洼农（饲料）罚… for 饲料和饲料添加剂), so an abbreviation names one field.
    """

    name = models.CharField(_("name"), max_length=20, unique=True)
    abbreviation = models.CharField(_("abbreviation in numbers"), max_length=10, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("field of enforcement")
        verbose_name_plural = _("fields of enforcement")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class NumberPattern(SingletonRow):
    """The 文号 pattern, one row, set by the system admin (documents.md).

    Placeholders: ``{field}`` 执法领域, ``{kind}`` 文书种类 code (立/罚/告…), ``{year}``,
    ``{serial}`` (no padding). No row means :data:`DEFAULT_NUMBER_PATTERN`.
    """

    pattern = models.CharField(_("number pattern"), max_length=120, default=DEFAULT_NUMBER_PATTERN)

    class Meta:
        verbose_name = _("number pattern")
        verbose_name_plural = _("number patterns")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="number_pattern_singleton"),
        ]

    def __str__(self) -> str:
        return self.pattern


class NumberSeries(models.Model):
    """The bureau's last serial per (year, kind, field): numbers are gapless per series."""

    kind = models.CharField(_("number kind"), max_length=10)
    field = models.CharField(_("field of enforcement"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    last_serial = models.PositiveIntegerField(_("last serial"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "field"], name="number_series_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind} {self.field}: {self.last_serial}"


# --- leads, approvals, rights, decision ---------------------------------------


class LeadSource(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    COMPLAINT = "complaint", _("Complaint or report")
    REFERRAL = "referral", _("Referral")
    TRANSFER = "transfer", _("Transfer from another agency")
    OTHER = "other", _("Other")


class LeadStatus(models.TextChoices):
    OPEN = "open", _("Being checked")
    PROPOSED = "proposed", _("Awaiting approval")
    FILED = "filed", _("Case filed")
    DECLINED = "declined", _("Not filed")


class Lead(models.Model):
    """A lead 线索, checked and decided: 立案 or 不予立案, both by approval."""

    source = models.CharField(_("source"), max_length=20, choices=LeadSource.choices)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    summary = models.TextField(_("summary"))
    violation_date = models.DateField(_("date of the act"), null=True, blank=True)
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="leads"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=LeadStatus.choices, default=LeadStatus.OPEN
    )
    check_extended = models.BooleanField(_("check period extended"), default=False)
    case = models.OneToOneField(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead",
    )
    # What the proposer asked for, used when the filing is approved.
    proposal = models.JSONField(_("proposal"), default=dict, blank=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.summary[:40]


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ApprovalRequest(Requested):
    """A step that needs approval by a chain of roles (R7.1)."""

    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_requests",
    )
    lead = models.ForeignKey(
        Lead,
        verbose_name=_("lead"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_requests",
    )
    step = models.CharField(_("step"), max_length=30)
    # What the step is about within the case when it can be asked for more than one thing
    # at once (e.g. "activity:12" for an AV exemption); empty for the case itself.
    ref = models.CharField(_("about"), max_length=60, blank=True, default="")
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    chain = models.JSONField(_("approval chain"), default=list)
    position = models.PositiveSmallIntegerField(_("chain position"), default=0)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # R7.2: the step began before approval; the paperwork is due by this date.
    urgent_reason = models.TextField(_("reason for urgent start"), blank=True)
    urgent_started_at = models.DateTimeField(_("started urgently at"), null=True, blank=True)
    paperwork_due = models.DateField(_("paperwork due"), null=True, blank=True)
    # 行政强制法 Art. 19, 农业行政处罚程序规定: a seizure or an advance preservation started
    # urgently is reported and approved within hours, not days: the moment it is due.
    report_due_at = models.DateTimeField(_("report due at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "step"], name="approval_status_step")]

    def __str__(self) -> str:
        return f"{self.step} · {self.status}"

    @property
    def current_role(self) -> str:
        return self.chain[self.position] if self.position < len(self.chain) else ""

    @property
    def unit_id(self) -> int | None:
        if self.case is not None:
            return self.case.unit_id
        return self.lead.unit_id if self.lead is not None else None

    @property
    def target(self) -> models.Model | None:
        """The thing the request is about (its ``ref``), e.g. the activity of an AV exemption."""
        label, _sep, pk = self.ref.rpartition(":")
        if not label:
            return None
        model = apps.get_model(label)
        return model._default_manager.filter(pk=pk).first()

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """R7.2: urgent-start paperwork not approved by its due date (by its due hour where
        the law counts hours, Art. 19 行政强制法)."""
        if self.report_due_at is not None:
            if self.status == ApprovalStatus.APPROVED:
                return self.approved_late
            if today is None:
                return timezone.now() > self.report_due_at
            return today > timezone.localtime(self.report_due_at).date()
        if self.paperwork_due is None or self.status == ApprovalStatus.APPROVED:
            return False
        return (today or timezone.localdate()) > self.paperwork_due

    @property
    def approved_late(self) -> bool:
        """An urgent start counted in hours whose approval came after the hour it was due."""
        return (
            self.report_due_at is not None
            and self.status == ApprovalStatus.APPROVED
            and self.decided_at is not None
            and self.decided_at > self.report_due_at
        )


class ExpertsConsulted(models.Model):
    """R7.4: experts or legal advisers who took part in an approval or a collective
    discussion; where they did, their minutes or written opinion is kept."""

    experts = models.TextField(_("experts or legal advisers taking part"), blank=True)
    expert_opinion = models.TextField(_("experts' minutes or written opinion"), blank=True)

    class Meta:
        abstract = True


class Approval(ExpertsConsulted):
    """One approver's signed opinion (R7.1). Write-once: database triggers refuse changes."""

    request = models.ForeignKey(
        ApprovalRequest,
        verbose_name=_("approval request"),
        on_delete=models.PROTECT,
        related_name="approvals",
    )
    position = models.PositiveSmallIntegerField(_("chain position"))
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=30)
    approved = models.BooleanField(_("approved"))
    opinion = models.TextField(_("opinion"))
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="approval_once_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.position} · {self.approved}"


class AdvanceNotice(models.Model):
    """事先告知 (R8.1): when, how, by whom, to whom, which rights, the proposed penalty."""

    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="advance_notices",
    )
    notified_at = models.DateTimeField(_("notified at"))
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("notified by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    notified_to = models.CharField(_("notified to"), max_length=200)
    method = models.CharField(_("method"), max_length=100)
    penalty_kinds = models.JSONField(_("proposed penalty kinds"), default=list)
    proposed_fine_fen = models.BigIntegerField(_("proposed fine (fen)"), default=0)
    # 行政处罚法 Art. 63 (二): the value of the illegal gains and property to be confiscated,
    # which decides with the fine whether the party has the right to a hearing.
    proposed_confiscation_fen = models.BigIntegerField(
        _("proposed confiscation value (fen)"), default=0
    )
    rights = models.JSONField(_("rights notified"), default=list)
    # The licence a proposed suspension or revocation (暂扣、吊销许可证件) is about.
    licence = models.ForeignKey(
        "subjects.Licence",
        verbose_name=_("licence concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("advance notice")
        verbose_name_plural = _("advance notices")
        ordering = ["-notified_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.notified_at:%Y-%m-%d}"


class Waiver(Recorded):
    """The party's signed statement waiving rights (R8.2)."""

    notice = models.ForeignKey(
        AdvanceNotice,
        verbose_name=_("advance notice"),
        on_delete=models.PROTECT,
        related_name="waivers",
    )
    rights = models.JSONField(_("rights waived"), default=list)
    statement = models.TextField(_("party's statement"))

    class Meta:
        verbose_name = _("waiver")
        verbose_name_plural = _("waivers")

    def __str__(self) -> str:
        return f"{self.notice_id} · {','.join(self.rights)}"


class ReviewResult(models.TextChoices):
    AGREE = "agree", _("Agree")
    AMEND = "amend", _("Agree with changes")
    DISAGREE = "disagree", _("Disagree: investigate further")


class LegalReview(models.Model):
    """法制审核 before a decision (Art. 58); the reviewer is not an investigator of the case."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="legal_reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opinion = models.TextField(_("opinion"))
    result = models.CharField(_("result"), max_length=10, choices=ReviewResult.choices)
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)

    class Meta:
        verbose_name = _("legal review")
        verbose_name_plural = _("legal reviews")
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.result}"


class CollectiveDiscussion(ExpertsConsulted, Recorded):
    """集体讨论记录 (R7.3, Art. 57); expert minutes or opinion where experts took part (R7.4)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="discussions"
    )
    held_at = models.DateTimeField(_("held at"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), related_name="+"
    )
    other_attendees = models.TextField(_("other attendees"), blank=True)
    opinions = models.TextField(_("opinions"))
    conclusion = models.TextField(_("conclusion"))

    class Meta:
        verbose_name = _("collective discussion")
        verbose_name_plural = _("collective discussions")
        ordering = ["-held_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.held_at:%Y-%m-%d}"


class DiscussionOpinion(models.Model):
    """One attendee's own opinion at a collective discussion (R7.3): drafted by the chair
    who records the discussion, then confirmed (or corrected) by the attendee in person; or,
    where the attendee cannot confirm, the chair's reason why not."""

    discussion = models.ForeignKey(
        CollectiveDiscussion,
        verbose_name=_("collective discussion"),
        on_delete=models.PROTECT,
        related_name="attendee_opinions",
    )
    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendee"),
        on_delete=models.PROTECT,
        related_name="discussion_opinions",
    )
    drafted = models.TextField(_("opinion as recorded"), blank=True)
    confirmed = models.TextField(_("opinion as confirmed"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unconfirmed_reason = models.TextField(_("why not confirmed"), blank=True)
    reason_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reason recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendee's opinion")
        verbose_name_plural = _("attendees' opinions")
        ordering = ["discussion", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["discussion", "attendee"], name="discussion_opinion_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.discussion_id} · {self.attendee_id}"

    @property
    def settled(self) -> bool:
        """Confirmed by the attendee, or the reason they could not is on record."""
        return self.confirmed_at is not None or bool(self.unconfirmed_reason)


class PenaltyKind(models.TextChoices):
    """The kinds of administrative penalty of 行政处罚法 Art. 9 an agriculture bureau
    imposes (行政拘留 is the police's)."""

    WARNING = "warning", _("Warning")
    FINE = "fine", _("Fine")
    CONFISCATE_GAINS = "confiscate_gains", _("Confiscation of illegal gains")
    CONFISCATE_GOODS = "confiscate_goods", _("Confiscation of illegal property")
    LICENCE_DOWNGRADE = "licence_downgrade", _("Downgrade of qualification")
    LICENCE_SUSPEND = "licence_suspend", _("Suspension of licence")
    LICENCE_REVOKE = "licence_revoke", _("Revocation of licence")
    RESTRICT = "restrict", _("Restriction or suspension of business")
    CLOSE = "close", _("Order to close down")
    BAR_FROM_OCCUPATION = "bar_from_occupation", _("Bar from the occupation")
    OTHER = "other", _("Other penalty")


class Decision(models.Model):
    """The penalty decision 行政处罚决定 (Art. 59) with its 罚 number."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="decision"
    )
    number = models.CharField(_("decision number"), max_length=60, unique=True)
    penalty_kinds = models.JSONField(_("penalty kinds"), default=list)
    fine_fen = models.BigIntegerField(_("fine (fen)"), default=0)
    facts = models.TextField(_("facts"))
    basis = models.TextField(_("legal basis"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.number


# --- hearings 听证 and suspension of the investigation 中止调查 ----------------
#
# Records are write-once (architecture rule 2): each step of a hearing or a suspension is
# its own row, never updated; the state of a hearing is read from which rows exist.


class Hearing(Recorded):
    """The party's request for a hearing 听证申请 (行政处罚法 Art. 63, 64(1)).

    A hearing's life is three kinds of write-once rows, each added by its own action:
    this request (made on an advance notice that named the hearing right, within the
    ``hearing_request`` window), then one :class:`HearingSchedule` per notice of time and
    place given to the party (a later one reschedules; the latest counts), then at most
    one :class:`HearingRecord` once the hearing was held. Triggers refuse UPDATE and
    DELETE on all three tables (migration 0005).
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="hearings"
    )
    notice = models.ForeignKey(
        AdvanceNotice,
        verbose_name=_("advance notice"),
        on_delete=models.PROTECT,
        related_name="hearings",
    )
    requested_at = models.DateTimeField(_("requested at"))
    requested_by_party = models.CharField(_("requested by"), max_length=200)
    request_method = models.CharField(_("how it was requested"), max_length=100)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["notice"], name="hearing_once_per_notice"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.requested_at:%Y-%m-%d}"


class HearingSchedule(Recorded):
    """The time, place, chair and clerk of a hearing, and when the party was told of them
    (Art. 64(2)–(4)): at least ``hearing_notice`` working days before; the chair is not an
    investigator of the case; public unless secrets or privacy are involved."""

    hearing = models.ForeignKey(
        Hearing, verbose_name=_("hearing"), on_delete=models.PROTECT, related_name="schedules"
    )
    scheduled_at = models.DateTimeField(_("hearing time"))
    place = models.CharField(_("place"), max_length=200)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clerk"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    notified_at = models.DateTimeField(_("party notified at"))
    public = models.BooleanField(_("public hearing"), default=True)
    closed_reason = models.TextField(_("reason for a closed hearing"), blank=True)

    class Meta:
        verbose_name = _("hearing schedule")
        verbose_name_plural = _("hearing schedules")
        ordering = ["hearing", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.hearing_id} · {self.scheduled_at:%Y-%m-%d %H:%M}"


class HearingRecord(Recorded):
    """The hearing held: the summary of its transcript 听证笔录 and the outcome reported
    (听证会报告书, Art. 64(8), 65). Recording it marks the case ``hearing_held``."""

    hearing = models.OneToOneField(
        Hearing, verbose_name=_("hearing"), on_delete=models.PROTECT, related_name="record"
    )
    schedule = models.ForeignKey(
        HearingSchedule,
        verbose_name=_("hearing schedule"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_at = models.DateTimeField(_("hearing held at"))
    summary = models.TextField(_("transcript summary"))
    outcome = models.TextField(_("outcome"))

    class Meta:
        verbose_name = _("hearing record")
        verbose_name_plural = _("hearing records")

    def __str__(self) -> str:
        return f"{self.hearing_id} · {self.held_at:%Y-%m-%d}"


class SuspensionGround(models.TextChoices):
    """Why an investigation is suspended (农业行政处罚程序规定, 中止调查)."""

    RELATED_CASE = "related_case", _("Awaiting another case or decision it depends on")
    INTERPRETATION = "interpretation", _("Awaiting an authoritative interpretation")
    FORCE_MAJEURE = "force_majeure", _("Force majeure")
    PARTY_MISSING = "party_missing", _("Whereabouts of the party unknown")
    OTHER = "other", _("Other ground")


class ApprovedRequest(RequestWithReason):
    """A request that takes effect when its approval request is approved (R7.1): what was
    asked, by whom, when and why. Write-once: a rejected one stays; asking again is a new
    row."""

    approval = models.OneToOneField(
        ApprovalRequest,
        verbose_name=_("approval request"),
        on_delete=models.PROTECT,
        related_name="%(class)s",
    )

    class Meta:
        abstract = True
        ordering = ["requested_at", "id"]

    @property
    def status(self) -> str:
        """pending, approved or rejected: the approval request's."""
        return str(self.approval.status)

    @property
    def approved(self) -> bool:
        return self.approval.status == ApprovalStatus.APPROVED

    @property
    def rejected(self) -> bool:
        return self.approval.status == ApprovalStatus.REJECTED

    @property
    def approved_on(self) -> dt.date | None:
        """The day it took effect (its approval), or None while not approved."""
        if not self.approved or self.approval.decided_at is None:
            return None
        return timezone.localdate(self.approval.decided_at)


class Suspension(ApprovedRequest):
    """Suspension of the investigation 中止调查, approved by the agency's head.

    Write-once rows: this one is the request, carried by its approval (step
    ``suspension``); it takes effect on the day that approval is granted
    (:attr:`suspended_on`). Resuming is a :class:`Resumption` row with its own approval
    (step ``resumption``; a rejected one leaves the suspension running). While a
    suspension is in effect the decision clock pauses and the case may not move to its
    next stage.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="suspensions"
    )
    ground = models.CharField(_("ground"), max_length=20, choices=SuspensionGround.choices)

    class Meta(ApprovedRequest.Meta):
        verbose_name = _("suspension of the investigation")
        verbose_name_plural = _("suspensions of the investigation")

    def __str__(self) -> str:
        return f"{self.case_id} · {self.requested_at:%Y-%m-%d}"

    @property
    def suspended_on(self) -> dt.date | None:
        return self.approved_on


class Resumption(ApprovedRequest):
    """Resumption of a suspended investigation 恢复调查, approved like the suspension."""

    # A rejected resumption leaves the suspension running; a new request is a new row.
    suspension = models.ForeignKey(
        Suspension,
        verbose_name=_("suspension"),
        on_delete=models.PROTECT,
        related_name="resumptions",
    )

    class Meta(ApprovedRequest.Meta):
        verbose_name = _("resumption of the investigation")
        verbose_name_plural = _("resumptions of the investigation")

    def __str__(self) -> str:
        return f"{self.suspension_id} · {self.requested_at:%Y-%m-%d}"

    @property
    def resumed_on(self) -> dt.date | None:
        return self.approved_on


class AssignmentKind(models.TextChoices):
    OFFICER = "officer", _("Officer")
    PARTY = "party", _("Party")


class AssignmentChangeKind(models.TextChoices):
    ADDED = "added", _("Assigned")
    REMOVED = "removed", _("Removed")


class AssignmentChange(models.Model):
    """One change of who a case is worked by or about: an officer assigned or released, a
    party added or removed (R4.1, R18.3). Write-once: the case's officers and parties of
    any day are read back from these rows, and who changed them, when and why."""

    # Empty when the system made the change (an import, the demo data).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="assignment_changes"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AssignmentKind.choices)
    change = models.CharField(_("change"), max_length=10, choices=AssignmentChangeKind.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The party's role (当事人 or 利害关系人) when the change is about a party.
    role = models.CharField(
        _("role in the case"), max_length=12, choices=PartyRole.choices, blank=True
    )
    # The officer's certificate number on the day of the assignment (R4.2).
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("assignment change")
        verbose_name_plural = _("assignment changes")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="officer", officer__isnull=False, subject__isnull=True)
                    | models.Q(kind="party", officer__isnull=True, subject__isnull=False)
                ),
                name="assignment_change_names_one",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.kind} · {self.change}"


# --- the nightly export to the provincial enforcement platform (制度第二十条) ------


class PlatformExportMark(SingletonRow):
    """Where the last export to the platform stopped: the audit log's sequence number up
    to which changes were read (every change is an audited action, so the log says what
    changed since)."""

    last_seq = models.BigIntegerField(_("audit events read up to"), default=0)
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)

    class Meta:
        verbose_name = _("platform export mark")
        verbose_name_plural = _("platform export marks")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="platform_export_singleton")
        ]


class PlatformExported(models.Model):
    """What the platform last received of one record, by digest: a record touched by a
    read only is not sent again."""

    kind = models.CharField(_("record type"), max_length=10)
    object_id = models.BigIntegerField(_("record"))
    digest = models.CharField(_("digest"), max_length=64)
    exported_at = models.DateTimeField(_("exported at"), default=timezone.now)

    class Meta:
        verbose_name = _("record sent to the platform")
        verbose_name_plural = _("records sent to the platform")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="platform_exported_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class ImportedCase(models.Model):
    """A case brought in from the bureau's earlier records (spreadsheets, paper files):
    what the import file said of it, kept as it came, and where it came from. Its presence
    marks the case as imported — the system holds no whole-process record of what happened
    before the import, and says so instead of pretending to."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="imported"
    )
    file_name = models.CharField(_("import file"), max_length=255)
    file_sha256 = models.CharField(_("digest of the import file"), max_length=64)
    row_number = models.PositiveIntegerField(_("row"))
    # The row's cells under their template keys, as read (strings).
    source = models.JSONField(_("row as imported"), default=dict)
    # At import: the stage the earlier records had reached (the checks of the whole-process
    # record apply from there on).
    stage = models.CharField(_("stage at import"), max_length=20, choices=Stage.choices)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    penalty = models.CharField(_("penalty"), max_length=200, blank=True)
    fine_fen = models.BigIntegerField(_("fine (fen)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("imported case")
        verbose_name_plural = _("imported cases")

    def __str__(self) -> str:
        return f"{self.case} ({self.file_name}:{self.row_number})"

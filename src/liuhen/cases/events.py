"""The audit event codes this app writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseEvents(models.TextChoices):
    LINK_PARTY = "case.link_party", _("Link subject to case")
    REMOVE_PARTY = "case.remove_party", _("Remove party from case")
    ASSIGN_OFFICER = "case.assign_officer", _("Assign officer to case")
    RELEASE_OFFICER = "case.release_officer", _("Release officer from case")
    CREATE = "case.create", _("Create case")
    IMPORT = "case.import", _("Import case from earlier records")
    VIEW = "case.view", _("View case")
    TIMELINE = "case.timeline", _("View case timeline")
    TIMELINE_EXPORT = "case.timeline_export", _("Export case timeline")
    STAGE = "case.stage", _("Move case to next stage")
    CLOSE = "case.close", _("Close case")
    REVIEW_GROUNDS = (
        "case.review_grounds",
        _("Record whether the case needs legal review and collective discussion"),
    )
    ADVANCE_NOTICE = "case.advance_notice", _("Record advance notice of rights")
    WAIVER = "case.waiver", _("Record waiver of rights")
    LEGAL_REVIEW = "case.legal_review", _("Record legal review")
    DISCUSSION = "case.discussion", _("Record collective discussion")
    OPINION_CONFIRMED = "case.opinion_confirmed", _("Attendee confirms discussion opinion")
    OPINION_UNCONFIRMED = (
        "case.opinion_unconfirmed",
        _("Record why an attendee's opinion is not confirmed"),
    )
    DECIDE = "case.decide", _("Record penalty decision")
    DECIDE_ON_THE_SPOT = "case.decide_on_the_spot", _("On-the-spot penalty decision")
    SIMPLE_FILED = "case.simple_filed", _("File on-the-spot decision with the agency")
    HEARING_REQUEST = "case.hearing_request", _("Record hearing request")
    HEARING_SCHEDULE = "case.hearing_schedule", _("Schedule hearing and notify party")
    HEARING_HELD = "case.hearing_held", _("Hearing held")
    SUSPEND = "case.suspend", _("Request suspension of investigation")
    RESUME = "case.resume", _("Request resumption of investigation")
    INVESTIGATION_SUSPENDED = "case.investigation_suspended", _("Investigation suspended")
    INVESTIGATION_RESUMED = "case.investigation_resumed", _("Investigation resumed")
    EXPORT = "case.export", _("Export case register")
    FROZEN_REFUSED = "case.frozen_refused", _("Change to an archived case refused")


class PlatformEvents(models.TextChoices):
    EXPORT = "platform.export", _("Export to the provincial enforcement platform")


class LeadEvents(models.TextChoices):
    CREATE = "lead.create", _("Record lead")
    FILE = "lead.file", _("Open case from lead")
    DECLINE = "lead.decline", _("Lead not filed")


class ApprovalEvents(models.TextChoices):
    REQUEST = "approval.request", _("Request approval")
    URGENT_START = "approval.urgent_start", _("Urgent start before approval")
    DECIDE = "approval.decide", _("Approve or reject")


class NumberingEvents(models.TextChoices):
    PATTERN_CHANGE = "numbering.pattern_change", _("Change case number pattern")

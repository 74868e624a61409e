"""Permission codes of this app: what the access policy is asked, with what people read.

Each code has a rule in this app's or another app's ``policy.py``; a code checked
anywhere must be declared here (``core.access`` refuses an undeclared one)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CasePerms(models.TextChoices):
    CREATE = "case.create", _("Create case")
    VIEW = "case.view", _("View case")
    LIST = "case.list", _("List cases")
    CHANGE = "case.change", _("Change case")
    TIMELINE = "case.timeline", _("View case timeline")
    LEGAL_REVIEW = "case.legal_review", _("Record legal review")
    DISCUSS = "case.discuss", _("Chair and record collective discussion")
    CONFIRM_OPINION = "case.confirm_opinion", _("Confirm one's own discussion opinion")
    HEARING = "case.hearing", _("Record hearing request or schedule")
    HEARING_RECORD = "case.hearing_record", _("Record hearing held")
    SUSPEND = "case.suspend", _("Request suspension of investigation")
    ASSIGN = "case.assign", _("Assign officers and parties of a case")


class PlatformPerms(models.TextChoices):
    EXPORT = "platform.export", _("Export to the provincial enforcement platform")


class LeadPerms(models.TextChoices):
    CREATE = "lead.create", _("Record lead")
    VIEW = "lead.view", _("View lead")
    LIST = "lead.list", _("List leads")
    PROPOSE = "lead.propose", _("Propose filing decision on lead")


class ApprovalPerms(models.TextChoices):
    REQUEST = "approval.request", _("Request approval")
    DECIDE = "approval.decide", _("Approve or reject")
    LIST = "approval.list", _("View approval inbox")
    VIEW = "approval.view", _("View an approval request")

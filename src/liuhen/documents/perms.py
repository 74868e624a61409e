"""Permission codes of this app: what the access policy is asked, with what people read.

Each code has a rule in this app's or another app's ``policy.py``; a code checked
anywhere must be declared here (``core.access`` refuses an undeclared one)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentPerms(models.TextChoices):
    VIEW = "document.view", _("View document")
    DOWNLOAD = "document.download", _("Download document")
    DRAFT = "document.draft", _("Draft document")
    ISSUE = "document.issue", _("Issue document")
    SIGN = "document.sign", _("Record party signature")
    SCAN = "document.scan", _("Upload scanned paper record")
    REQUEST = "document.request", _("Request approval of document")
    OFFICER_SIGN = "document.officer_sign", _("Sign own line as officer")
    DRAFT_AS_CHAIR = "document.draft_as_chair", _("Draft hearing report as its chair")


class SignaturePerms(models.TextChoices):
    ENROL = "signature.enrol", _("Enrol own signature image")


class FormPerms(models.TextChoices):
    MANAGE = "form.manage", _("Manage bureau forms")


class SealPerms(models.TextChoices):
    MANAGE = "seal.manage", _("Manage seal certificate")

"""The audit event codes this app writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentEvents(models.TextChoices):
    VIEW = "document.view", _("View document")
    DOWNLOAD = "document.download", _("Download document")
    DRAFT = "document.draft", _("Draft document")
    DISCARD = "document.discard", _("Discard document draft")
    SUBMIT = "document.submit", _("Submit document for approval")
    ISSUE = "document.issue", _("Issue document")
    SIGN = "document.sign", _("Record party signature")
    REFUSAL = "document.refusal", _("Record refusal to sign")
    FINALISE = "document.finalise", _("Finalise document")
    OFFICER_SIGN = "document.officer_sign", _("Officer signs own line")
    SCAN = "document.scan", _("Upload scanned paper record")
    MODIFY = "document.modify", _("Attempt to change issued document")
    VERIFY = "document.verify", _("Check document on the verification page")
    TREE_HEAD_PDF = "document.tree_head_pdf", _("Seal PDF of audit log tree head")


class SignatureEvents(models.TextChoices):
    ENROL = "signature.enrol", _("Enrol own signature image")


class FormEvents(models.TextChoices):
    CREATE = "form.create", _("Add bureau form")
    CHANGE = "form.change", _("Change bureau form")


class SealEvents(models.TextChoices):
    INSTALL = "seal.install", _("Install seal certificate")

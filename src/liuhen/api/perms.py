"""Permission codes of this app: what the access policy is asked, with what people read.

Each code has a rule in this app's or another app's ``policy.py``; a code checked
anywhere must be declared here (``core.access`` refuses an undeclared one)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenPerms(models.TextChoices):
    MANAGE = "token.manage", _("Manage API tokens")
    MANAGE_OWN = "token.manage_own", _("Manage own API tokens")
    REVOKE = "token.revoke", _("Revoke API token")

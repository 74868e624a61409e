"""Permission codes of this app: what the access policy is asked, with what people read.

Each code has a rule in this app's or another app's ``policy.py``; a code checked
anywhere must be declared here (``core.access`` refuses an undeclared one)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountPerms(models.TextChoices):
    LIST = "account.list", _("List accounts")
    VIEW = "account.view", _("View account")
    MANAGE = "account.manage", _("Manage accounts")
    RESET_2FA = "account.reset_2fa", _("Reset two-factor authentication")


class RolePerms(models.TextChoices):
    GRANT = "role.grant", _("Grant role")


class SecurityPerms(models.TextChoices):
    CONFIGURE = "security.configure", _("Change security settings")


class UnitPerms(models.TextChoices):
    MANAGE = "unit.manage", _("Manage units")

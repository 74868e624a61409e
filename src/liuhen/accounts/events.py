"""The audit event codes this app writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuthEvents(models.TextChoices):
    LOGIN = "auth.login", _("Log in")
    PASSWORD_OK = "auth.password_ok", _("Password accepted (second factor next)")
    OTP = "auth.otp", _("Two-factor code")
    OTP_ENROLLED = "auth.otp_enrolled", _("Two-factor authentication set up")
    LOCKOUT = "auth.lockout", _("Account locked after failed logins")
    LOGOUT = "auth.logout", _("Log out")


class SessionEvents(models.TextChoices):
    EXPIRED = "session.expired", _("Session ended")


class AccountEvents(models.TextChoices):
    CREATE = "account.create", _("Create account")
    UPDATE = "account.update", _("Change account")
    DISABLE = "account.disable", _("Disable account")
    ENABLE = "account.enable", _("Enable account")
    UNLOCK = "account.unlock", _("Unlock account")
    PASSWORD_SET = "account.password_set", _("Set password")
    PASSWORD_CHANGE = "account.password_change", _("Change own password")
    RESET_2FA = "account.reset_2fa", _("Reset two-factor authentication")


class RoleEvents(models.TextChoices):
    GRANT = "role.grant", _("Grant role")
    REVOKE = "role.revoke", _("Revoke role")


class SecurityEvents(models.TextChoices):
    CONFIGURE = "security.configure", _("Change security settings")


class BureauEvents(models.TextChoices):
    CREATE = "bureau.create", _("Create bureau")


class UnitEvents(models.TextChoices):
    CREATE = "unit.create", _("Create unit")
    UPDATE = "unit.update", _("Change unit")


class CertificateEvents(models.TextChoices):
    ADD = "certificate.add", _("Record enforcement certificate")
    REVOKE = "certificate.revoke", _("Revoke enforcement certificate")

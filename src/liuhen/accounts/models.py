"""Organisation (bureau → units → officers), certificates, posts and roles (R4.1, R4.2)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Enforcement officer")
    UNIT_HEAD = "unit_head", _("Unit head")
    AGENCY_HEAD = "agency_head", _("Agency head")
    LEGAL_REVIEWER = "legal_reviewer", _("Legal reviewer")
    CUSTODIAN = "custodian", _("AV custodian")
    ARCHIVIST = "archivist", _("Archivist")
    SUPERVISOR = "supervisor", _("Supervisor")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# The three separated administrators 三员: no account may hold two of them.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class Bureau(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    code = models.CharField(_("organisation code"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=20, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "name"], name="unit_name_unique_in_bureau")
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """A post 岗位 with its duties, e.g. 执法岗, 法制审核岗."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="posts")
    name = models.CharField(_("name"), max_length=100)
    duties = models.TextField(_("duties"), blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "name"], name="post_name_unique_in_bureau")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """An account. Officers belong to a unit; administrators may have none."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, null=True, blank=True
    )
    officer_number = models.CharField(_("officer number"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Login security state (kept on the account so a lockout survives restarts).
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    # Raised on disable/role change; sessions created before it are ended.
    sessions_valid_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def roles(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(self.role_grants.values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_admin_role(self) -> bool:
        return bool(self.roles & ADMIN_ROLES)

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Certificate(models.Model):
    """An enforcement certificate 执法证 (R4.2)."""

    officer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="certificates")
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    issuing_authority = models.CharField(_("issuing authority"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("enforcement certificate")
        verbose_name_plural = _("enforcement certificates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="certificate_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: dt.date) -> bool:
        return not self.revoked and self.valid_from <= day <= self.valid_to

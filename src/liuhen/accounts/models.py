"""Organisation (bureau → units → officers), certificates, posts and roles (R4.1, R4.2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.core.field_groups import SingletonRow


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
    # Login security state (kept in the database so a lockout survives restarts): the
    # failed attempts and the latest lock over all sources, as the administrators see them;
    # the login decides by LoginLock, per account and source.
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    # Set when an administrator chose the password: the owner must replace it at next login.
    must_change_password = models.BooleanField(default=False)
    # Raised when an account is disabled; sessions created before it are ended.
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


class LoginLock(models.Model):
    """Failed logins with one user name from one address, and the lock they led to.

    Keyed by the name as typed, not the account: an unknown name is counted and locked
    exactly like a real one, so the answers do not tell which accounts exist. Keyed by the
    address too: a stranger who types an administrator's name five times locks only
    themselves out, never the administrator at their own workstation.
    """

    username = models.CharField(max_length=150)
    source = models.CharField(max_length=45)
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField(db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("login lock")
        verbose_name_plural = _("login locks")
        constraints = [
            models.UniqueConstraint(fields=["username", "source"], name="login_lock_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.source}"

    def is_locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


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

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Enforced on every save, not only in forms: no path may break the 三员 rule.
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.role in ADMIN_ROLES:
            others = RoleGrant.objects.filter(user_id=self.user_id, role__in=ADMIN_ROLES)
            if self.pk:
                others = others.exclude(pk=self.pk)
            if others.exclude(role=self.role).exists():
                # 三员分立: system, security and audit administration stay in separate hands.
                raise ValidationError(
                    _(
                        "An account may hold only one of the three administrator roles "
                        "(system, security, audit)."
                    ),
                    code="separation_of_duties",
                )


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


def _default(name: str) -> object:
    from django.conf import settings

    return getattr(settings, name)


class SecuritySettings(SingletonRow):
    """Login and password policy, one row, edited by the security admin (R4.2; 等保 8.1.4.1).

    Defaults come from the ``LIUHEN_*`` settings; see docs/security.md.
    """

    login_max_failures = models.PositiveSmallIntegerField(
        _("failed logins before lockout"), default=5
    )
    lockout_seconds = models.PositiveIntegerField(_("lockout period (seconds)"), default=15 * 60)
    session_idle_seconds = models.PositiveIntegerField(_("idle timeout (seconds)"), default=30 * 60)
    session_max_age_seconds = models.PositiveIntegerField(
        _("absolute session lifetime (seconds)"), default=12 * 3600
    )
    password_min_length = models.PositiveSmallIntegerField(_("minimum password length"), default=8)
    password_require_complexity = models.BooleanField(
        _("require three of four character classes"), default=True
    )
    password_max_age_days = models.PositiveSmallIntegerField(
        _("password maximum age (days, 0 = no rotation)"), default=0
    )
    require_2fa_for_all = models.BooleanField(
        _("require two-factor authentication for every account"), default=False
    )

    class Meta:
        verbose_name = _("security settings")
        verbose_name_plural = _("security settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="security_settings_singleton"),
            models.CheckConstraint(
                condition=models.Q(password_min_length__gte=8),
                name="security_settings_min_length_8",
            ),
            models.CheckConstraint(
                condition=models.Q(login_max_failures__gte=1),
                name="security_settings_failures_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(_("security settings"))

    @classmethod
    def defaults(cls) -> dict[str, object]:
        return {
            "login_max_failures": _default("LOGIN_MAX_FAILURES"),
            "lockout_seconds": _default("LOGIN_LOCKOUT_SECONDS"),
            "session_idle_seconds": _default("SESSION_IDLE_SECONDS"),
            "session_max_age_seconds": _default("SESSION_MAX_AGE_SECONDS"),
            "password_min_length": _default("PASSWORD_MIN_LENGTH"),
            "password_require_complexity": _default("PASSWORD_REQUIRE_COMPLEXITY"),
            "password_max_age_days": _default("PASSWORD_MAX_AGE_DAYS"),
            "require_2fa_for_all": _default("REQUIRE_2FA_FOR_ALL"),
        }

    @classmethod
    def load(cls) -> SecuritySettings:
        row, _created = cls.objects.get_or_create(pk=cls.SINGLETON_ID, defaults=cls.defaults())
        return row

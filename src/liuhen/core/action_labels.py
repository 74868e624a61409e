"""What each audit action is called on screen. Codes stay in the log; people read labels.

An action without a label here is shown by its code. Features add their actions' labels.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, str | Promise] = {
    "auth.login": _("Log in"),
    "auth.password_ok": _("Password accepted (second factor next)"),
    "auth.otp": _("Two-factor code"),
    "auth.otp_enrolled": _("Two-factor authentication set up"),
    "auth.lockout": _("Account locked after failed logins"),
    "auth.logout": _("Log out"),
    "session.expired": _("Session ended"),
    "account.create": _("Create account"),
    "account.update": _("Change account"),
    "account.disable": _("Disable account"),
    "account.enable": _("Enable account"),
    "account.unlock": _("Unlock account"),
    "account.password_set": _("Set password"),
    "account.password_change": _("Change own password"),
    "account.2fa_reset": _("Reset two-factor authentication"),
    "account.list": _("List accounts"),
    "account.view": _("View account"),
    "account.manage": _("Manage accounts"),
    "account.reset_2fa": _("Reset two-factor authentication"),
    "role.grant": _("Grant role"),
    "role.revoke": _("Revoke role"),
    "security.configure": _("Change security settings"),
    "bureau.create": _("Create bureau"),
    "config.manage": _("Change configuration"),
    "rule.set": _("Change legal rule"),
    "rule.reset": _("Reset legal rule to default"),
    "calendar.day_set": _("Enter holiday or make-up working day"),
    "calendar.day_remove": _("Remove holiday or make-up working day"),
    "calendar.year_set": _("Mark holiday data of a year"),
    "unit.create": _("Create unit"),
    "unit.update": _("Change unit"),
    "unit.manage": _("Manage units"),
    "certificate.add": _("Record enforcement certificate"),
    "certificate.revoke": _("Revoke enforcement certificate"),
    "case.create": _("Register case"),
    "case.view": _("View case"),
    "case.list": _("List cases"),
    "case.change": _("Change case"),
    "subject.list": _("List enforcement subjects"),
    "subject.view": _("View enforcement subject"),
    "subject.create": _("Enter enforcement subject"),
    "subject.change": _("Change enforcement subject"),
    "subject.merge": _("Merge enforcement subjects"),
    "subject.view_identifier": _("Show full ID number"),
    "subject.link_party": _("Link subject to case"),
    "case.timeline": _("View case timeline"),
    "case.export": _("Export case register"),
    "numbering.pattern_change": _("Change case number pattern"),
    "token.create": _("Create API token"),
    "token.revoke": _("Revoke API token"),
    "token.manage": _("Manage API tokens"),
    "token.manage_own": _("Manage own API tokens"),
    "api.auth_failed": _("API token refused"),
    "audit.view": _("View audit log"),
    "audit.sign": _("Sign tree head"),
    "audit.verify": _("Verify audit log"),
    "audit.export": _("Export audit log"),
}


def label(action: str) -> str:
    found = LABELS.get(action)
    return str(found) if found is not None else action

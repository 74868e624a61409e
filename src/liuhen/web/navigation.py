"""The navigation bar: which entries each role sees.

An entry shows when the access policy allows its action, so the menu and the pages
behind it can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liuhen.accounts import access


@dataclass(frozen=True)
class Entry:
    key: str
    label: str | Promise
    url_name: str
    action: str | None  # None: every signed-in user


ENTRIES = (
    Entry("home", _("Home"), "web:home", None),
    Entry("cases", _("Cases"), "cases:list", "case.list"),
    Entry("leads", _("Leads"), "cases:leads", "lead.list"),
    Entry("approvals", _("Approvals"), "cases:approvals", "approval.list"),
    Entry("deadlines", _("Deadlines"), "deadlines:mine", "deadline.list_own"),
    Entry("unit-deadlines", _("Unit deadlines"), "deadlines:unit", "deadline.list_unit"),
    Entry("subjects", _("Enforcement subjects"), "subjects:list", "subject.list"),
    Entry("devices", _("Recorders"), "devices:list", "device.list"),
    Entry("users", _("Accounts"), "accounts:users", "account.list"),
    Entry("units", _("Units"), "accounts:units", "unit.manage"),
    Entry("rules", _("Legal parameters"), "config:rules", "config.manage"),
    Entry("calendar", _("Working-day calendar"), "config:calendar", "config.manage"),
    Entry("numbering", _("Document numbers"), "cases:number_pattern", "config.manage"),
    Entry("security", _("Security settings"), "accounts:security_settings", "security.configure"),
    Entry("audit", _("Audit log"), "audit:events", "audit.view"),
    Entry("audit-status", _("Log integrity"), "audit:status", "audit.view"),
    Entry("profile", _("My account"), "accounts:profile", None),
)


def entries_for(user: Any, current_path: str = "") -> list[dict[str, Any]]:
    items = []
    for entry in ENTRIES:
        if entry.action is not None and not access.can(user, entry.action):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue  # a page a later feature brings
        active = url == current_path if url == "/" else current_path.startswith(url)
        items.append({"key": entry.key, "label": entry.label, "url": url, "active": active})
    return items

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
    Entry("media", _("AV records"), "media:register", "media.list"),
    Entry("upload", _("Upload AV"), "media:upload", "media.upload"),
    Entry("devices", _("Recorders"), "devices:list", "device.list"),
    Entry("disposal", _("AV disposal"), "media:disposal", "media.dispose_request"),
    Entry(
        "disposal-requests",
        _("Disposal approvals"),
        "media:disposal_requests",
        "media.dispose_decide",
    ),
    Entry("delivery", _("Delivery register"), "delivery:register", "service.list"),
    Entry("users", _("Accounts"), "accounts:users", "account.list"),
    Entry("units", _("Units"), "accounts:units", "unit.manage"),
    Entry("rules", _("Legal parameters"), "config:rules", "config.manage"),
    Entry("calendar", _("Working-day calendar"), "config:calendar", "config.manage"),
    Entry("numbering", _("Document numbers"), "cases:number_pattern", "config.manage"),
    Entry("forms", _("Document forms"), "documents:forms", "form.manage"),
    Entry("security", _("Security settings"), "accounts:security_settings", "security.configure"),
    Entry("seal", _("Electronic seal"), "documents:seal", "seal.manage"),
    Entry("integrity", _("Integrity check"), "media:integrity", "media.integrity"),
    Entry("audit", _("Audit log"), "audit:events", "audit.view"),
    Entry("audit-status", _("Log integrity"), "audit:status", "audit.view"),
    Entry("profile", _("My account"), "accounts:profile", None),
)


def entries_for(user: Any, current_path: str = "") -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for entry in ENTRIES:
        if entry.action is not None and not access.can(user, entry.action):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue  # a page a later feature brings
        items.append({"key": entry.key, "label": entry.label, "url": url, "active": False})
    # The longest entry the page lies under is the active one (/media/upload/ is "upload",
    # not also "media" at /media/).
    matches = [item for item in items if _under(current_path, str(item["url"]))]
    if matches:
        max(matches, key=lambda item: len(str(item["url"])))["active"] = True
    return items


def _under(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)

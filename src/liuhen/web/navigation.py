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

from liuhen.accounts.perms import AccountPerms, SecurityPerms, UnitPerms
from liuhen.cases.perms import ApprovalPerms, CasePerms, LeadPerms
from liuhen.core import access
from liuhen.core.perms import AuditLogPerms, ConfigPerms
from liuhen.deadlines.perms import DeadlinePerms
from liuhen.delivery.perms import ServicePerms
from liuhen.devices.perms import DevicePerms
from liuhen.documents.perms import FormPerms, SealPerms
from liuhen.media.perms import MediaPerms
from liuhen.subjects.perms import SubjectPerms


@dataclass(frozen=True)
class Entry:
    key: str
    label: str | Promise
    url_name: str
    action: str | None  # None: every signed-in user


ENTRIES = (
    Entry("home", _("Home"), "web:home", None),
    Entry("cases", _("Cases"), "cases:list", CasePerms.LIST),
    Entry("leads", _("Leads"), "cases:leads", LeadPerms.LIST),
    Entry("approvals", _("Approvals"), "cases:approvals", ApprovalPerms.LIST),
    Entry("deadlines", _("Deadlines"), "deadlines:mine", DeadlinePerms.LIST_OWN),
    Entry("unit-deadlines", _("Unit deadlines"), "deadlines:unit", DeadlinePerms.LIST_UNIT),
    Entry("subjects", _("Enforcement subjects"), "subjects:list", SubjectPerms.LIST),
    Entry("media", _("AV records"), "media:register", MediaPerms.LIST),
    Entry("upload", _("Upload AV"), "media:upload", MediaPerms.UPLOAD),
    Entry("devices", _("Recorders"), "devices:list", DevicePerms.LIST),
    Entry("disposal", _("AV disposal"), "media:disposal", MediaPerms.DISPOSE_REQUEST),
    Entry(
        "disposal-requests",
        _("Disposal approvals"),
        "media:disposal_requests",
        MediaPerms.DISPOSE_DECIDE,
    ),
    Entry("delivery", _("Delivery register"), "delivery:register", ServicePerms.LIST),
    Entry("users", _("Accounts"), "accounts:users", AccountPerms.LIST),
    Entry("units", _("Units"), "accounts:units", UnitPerms.MANAGE),
    Entry("rules", _("Legal parameters"), "config:rules", ConfigPerms.MANAGE),
    Entry("calendar", _("Working-day calendar"), "config:calendar", ConfigPerms.MANAGE),
    Entry("numbering", _("Document numbers"), "cases:number_pattern", ConfigPerms.MANAGE),
    Entry("forms", _("Document forms"), "documents:forms", FormPerms.MANAGE),
    Entry(
        "security", _("Security settings"), "accounts:security_settings", SecurityPerms.CONFIGURE
    ),
    Entry("seal", _("Electronic seal"), "documents:seal", SealPerms.MANAGE),
    Entry("integrity", _("Integrity check"), "media:integrity", MediaPerms.INTEGRITY),
    Entry("audit", _("Audit log"), "audit:events", AuditLogPerms.VIEW),
    Entry("audit-status", _("Log integrity"), "audit:status", AuditLogPerms.VIEW),
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

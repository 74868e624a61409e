"""Core's pages, in two namespaces under their own prefixes (see ``liuhen/urls.py``):
``audit:*`` at /audit/ (the audit admin's log) and ``config:*`` at /config/ (the system
admin's legal rules and calendar)."""

from __future__ import annotations

from django.urls import path

from liuhen.core.views import audit_log, configuration

audit_patterns = (
    [
        path("", audit_log.events, name="events"),
        path("events/<int:seq>/", audit_log.event, name="event"),
        path("status/", audit_log.status, name="status"),
        path("sign/", audit_log.sign, name="sign"),
    ],
    "audit",
)

config_patterns = (
    [
        path("rules/", configuration.rule_list, name="rules"),
        path("rules/<slug:key>/", configuration.rule_edit, name="rule_edit"),
        path("calendar/", configuration.calendar_page, name="calendar"),
    ],
    "config",
)

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from liuhen.core.navigation import Entry
from liuhen.media.perms import MediaPerms

NAVIGATION = (
    Entry("media", _("AV records"), "media:register", MediaPerms.LIST, order=80),
    Entry("upload", _("Upload AV"), "media:upload", MediaPerms.UPLOAD, order=90),
    Entry("disposal", _("AV disposal"), "media:disposal", MediaPerms.DISPOSE_REQUEST, order=110),
    Entry(
        "disposal-requests",
        _("Disposal approvals"),
        "media:disposal_requests",
        MediaPerms.DISPOSE_DECIDE,
        order=120,
    ),
    Entry("integrity", _("Integrity check"), "media:integrity", MediaPerms.INTEGRITY, order=220),
)


class MediaConfig(AppConfig):
    name = "liuhen.media"
    label = "media"
    verbose_name = _("AV records")

    def ready(self) -> None:
        from liuhen.core import registry
        from liuhen.media import (
            activity_av,
            checks,
            events,
            inbox,
            labels,
            law,
            links,
            perms,
            policy,
            subject_section,
        )
        from liuhen.media.actions import integrity
        from liuhen.media.retention import candidates

        registry.permissions.declare(perms.MediaPerms)
        registry.events.declare(events.MediaEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.rules.extend(law.RULES)
        # R5.2: an activity's AV status counts the records linked to it.
        registry.av_counters.add("media", links.linked_count)
        registry.av_listings.add("media", activity_av.linked_records)
        # R18.4: a stored file is removed only when no AV record refers to it.
        registry.blob_references.add("media", candidates.references_blob)
        # R23.1: fixity problems of the store become findings of the AV records.
        registry.fixity_listeners.add("media", integrity.raise_findings)
        registry.navigation.extend(NAVIGATION)
        registry.subject_sections.extend((subject_section.SUBJECT_SECTION,))
        # R1.1: views and plays of the AV records linked to a case are in its trail.
        registry.case_trail_records.update(labels.TRAIL_RECORDS)
        registry.object_labels.update(labels.LABELS)
        registry.task_providers.update(inbox.PROVIDERS)
        # R14.1: recordings outside a checkout are findings of their cases.
        registry.case_checks.extend(checks.CHECKS)

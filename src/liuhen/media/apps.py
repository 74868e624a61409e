from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "liuhen.media"
    label = "media"
    verbose_name = _("AV records")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from liuhen.core import registry
        from liuhen.media import events, perms, policy

        registry.permissions.declare(perms.MediaPerms)
        registry.events.declare(events.MediaEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        # R5.2: the activities app counts linked AV records through this link point.
        from liuhen.activities.av import register_av_counter
        from liuhen.media.links import linked_count

        register_av_counter(linked_count)

        # R18.4: a stored file is removed only when no record refers to it; R23.1: fixity
        # problems become findings.
        from liuhen.core.blob_refs import register_reference_check
        from liuhen.core.blobs import on_fixity_problems
        from liuhen.media.integrity import raise_findings
        from liuhen.media.retention import references_blob

        register_reference_check(references_blob)
        on_fixity_problems(raise_findings)

"""Archiving (制度第十八条): the case file (案卷), its archive number and retention, the
freeze of an archived case, and the self-verifying archive package."""

from __future__ import annotations

from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "liuhen.archives"
    label = "archives"
    verbose_name = "Archives"

    def ready(self) -> None:
        from liuhen.archives import events, perms, policy
        from liuhen.archives.package import blob_refs
        from liuhen.core import registry

        registry.permissions.declare(perms.ArchivePackagePerms)
        registry.events.declare(events.ArchivePackageEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        # R18.4: a stored package is never removed while its row refers to it.
        registry.blob_references.add("archives", blob_refs.references_blob)

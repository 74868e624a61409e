from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from liuhen.archives.perms import ArchivePerms
from liuhen.core.navigation import Entry

NAVIGATION = (Entry("archives", _("Archiving"), "archives:queue", ArchivePerms.QUEUE, order=135),)


class ArchivesConfig(AppConfig):
    name = "liuhen.archives"
    label = "archives"
    verbose_name = _("Archives")

    def ready(self) -> None:
        from liuhen.archives import (
            blob_refs,
            checks,
            clocks,
            events,
            inbox,
            law,
            perms,
            policy,
            retention,
            sections,
        )
        from liuhen.archives.package import blob_refs as package_blob_refs
        from liuhen.core import registry

        registry.permissions.declare(perms.ArchivePerms)
        registry.permissions.declare(perms.ArchivePackagePerms)
        registry.permissions.declare(perms.ArchiveDisposalPerms)
        registry.events.declare(events.ArchiveEvents)
        registry.events.declare(events.ArchivePackageEvents)
        registry.events.declare(events.ArchiveDisposalEvents)
        registry.task_providers.update(inbox.PROVIDERS)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.rules.extend(law.RULES)
        registry.case_sections.extend((sections.SECTION,))
        registry.case_checks.extend(checks.CHECKS)
        registry.deadline_providers.update(clocks.PROVIDERS)
        # R18.4: the bound PDF of a case file is kept as long as the file.
        registry.blob_references.add("archives", blob_refs.references_blob)
        # A stored package is never removed while its row refers to it.
        registry.blob_references.add("archive_packages", package_blob_refs.references_blob)
        registry.navigation.extend(NAVIGATION)
        # R18.4: AV linked to an archived case is kept as long as its file.
        registry.av_retention_holds.update(retention.HOLDS)

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "liuhen.documents"
    label = "documents"
    verbose_name = _("Text records")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from liuhen.core import registry
        from liuhen.documents import events, perms, policy

        registry.permissions.declare(perms.DocumentPerms)
        registry.permissions.declare(perms.FormPerms)
        registry.permissions.declare(perms.SealPerms)
        registry.events.declare(events.DocumentEvents)
        registry.events.declare(events.FormEvents)
        registry.events.declare(events.SealEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        # The case page's "Documents" section registers itself on import.
        # R18.4: a stored file is removed only when no document, signature, seal image or
        # proof of service refers to it.
        from liuhen.core.blob_refs import register_reference_check

        # R9.2, R8.1: the document checks join the supervision registry on import.
        from liuhen.documents import (
            checks,  # noqa: F401
            section,  # noqa: F401
        )
        from liuhen.documents.blob_refs import references_blob

        register_reference_check(references_blob)

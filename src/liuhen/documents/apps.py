from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from liuhen.core.navigation import Entry
from liuhen.documents.perms import FormPerms, SealPerms

NAVIGATION = (
    Entry("forms", _("Document forms"), "documents:forms", FormPerms.MANAGE, order=190),
    Entry("seal", _("Electronic seal"), "documents:seal", SealPerms.MANAGE, order=210),
)


class DocumentsConfig(AppConfig):
    name = "liuhen.documents"
    label = "documents"
    verbose_name = _("Text records")

    def ready(self) -> None:
        from django.core import checks as system

        from liuhen.cases import approvals
        from liuhen.core import registry
        from liuhen.documents import (
            blob_refs,
            checks,
            events,
            inbox,
            labels,
            law,
            perms,
            policy,
            sections,
            subject_section,
            system_checks,
        )
        from liuhen.documents.actions import approval
        from liuhen.documents.printing import pdf, watermark

        registry.permissions.declare(
            perms.DocumentPerms, perms.FormPerms, perms.SealPerms, perms.SignaturePerms
        )
        registry.events.declare(
            events.DocumentEvents, events.FormEvents, events.SealEvents, events.SignatureEvents
        )
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.rules.extend(law.RULES)
        approvals.add_steps(approval.APPROVAL_STEPS)
        registry.case_sections.extend((sections.SECTION,))
        registry.subject_sections.extend((subject_section.SUBJECT_SECTION,))
        # R9.2, R8.1: signatures and served notices.
        registry.case_checks.extend(checks.CHECKS)
        # R18.4: a stored file is removed only when no document, signature, seal image or
        # scan refers to it.
        registry.blob_references.add("documents", blob_refs.references_blob)
        registry.navigation.extend(NAVIGATION)
        # R1.1: documents in a case's trail by title and 文号; the trail's PDF export.
        registry.object_labels.update(labels.LABELS)
        registry.pdf_renderers.add("html", pdf.render_listing_pdf)
        registry.copy_watermarks.add("stamp", watermark.stamp_copy)
        registry.task_providers.update(inbox.PROVIDERS)
        for check in system_checks.SYSTEM_CHECKS:
            system.register(check, "liuhen")

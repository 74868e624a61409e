from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from liuhen.core.navigation import Entry
from liuhen.delivery.perms import ServicePerms

NAVIGATION = (
    Entry("delivery", _("Delivery register"), "delivery:register", ServicePerms.LIST, order=130),
)


class DeliveryConfig(AppConfig):
    name = "liuhen.delivery"
    label = "delivery"
    verbose_name = _("Service and payment")

    def ready(self) -> None:
        from django.core import checks as system

        from liuhen.cases import approvals
        from liuhen.core import registry
        from liuhen.delivery import (
            blob_refs,
            checks,
            events,
            labels,
            law,
            perms,
            policy,
            sections,
            subject_sections,
            system_checks,
        )
        from liuhen.delivery.actions import deferrals, notices, query_codes

        registry.permissions.declare(
            perms.ServicePerms, perms.PaymentPerms, perms.PaymentDeferralPerms
        )
        registry.events.declare(events.ServiceEvents, events.PaymentEvents, events.QueryEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.rules.extend(law.RULES)
        approvals.add_steps(deferrals.APPROVAL_STEPS)
        registry.case_sections.extend((sections.SECTION,))
        registry.subject_sections.extend(
            (subject_sections.SERVICE_SECTION, subject_sections.PAYMENT_SECTION)
        )
        # R10.1, R10.2: the service checks.
        registry.case_checks.extend(checks.CHECKS)
        # R18.4: proofs of service (receipts, photos, notices) are kept with their records.
        registry.blob_references.add("delivery", blob_refs.references_blob)
        # R11.1: a decision's payment QR code comes from its payment notice.
        registry.document_behaviours.add(notices.PaymentQr.key, notices.PaymentQr())
        # R19.1: a document served on a party prints the party's case query code.
        registry.document_behaviours.add(query_codes.QueryCode.key, query_codes.QueryCode())
        registry.navigation.extend(NAVIGATION)
        registry.object_labels.update(labels.LABELS)  # R1.1: service records in the trail
        # R11.1: `liuhen check --deploy` warns while the payment simulator takes payments.
        for check in system_checks.DEPLOY_CHECKS:
            system.register(check, "liuhen", deploy=True)

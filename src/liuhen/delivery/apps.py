from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "liuhen.delivery"
    label = "delivery"
    verbose_name = _("Service and payment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from liuhen.core import registry
        from liuhen.delivery import events, perms, policy

        registry.permissions.declare(perms.ServicePerms)
        registry.permissions.declare(perms.PaymentPerms)
        registry.permissions.declare(perms.PaymentDeferralPerms)
        registry.events.declare(events.ServiceEvents)
        registry.events.declare(events.PaymentEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        # Registered on import: R10.1, R10.2 the service checks (supervision's registry);
        # R11.1 the case page's payment section and the deferral handler of its actions.
        from liuhen.core.blob_refs import register_reference_check
        from liuhen.delivery import checks, payment_section  # noqa: F401
        from liuhen.delivery.actions import references_blob

        # R18.4: a stored file is removed only when nothing refers to it; proofs of
        # service (receipts, photos, notices) are kept with their records.
        register_reference_check(references_blob)

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.perms import AccountPerms, SecurityPerms, UnitPerms
from liuhen.core.navigation import Entry

NAVIGATION = (
    Entry("users", _("Accounts"), "accounts:users", AccountPerms.LIST, order=140),
    Entry("units", _("Units"), "accounts:units", UnitPerms.MANAGE, order=150),
    Entry(
        "security",
        _("Security settings"),
        "accounts:security_settings",
        SecurityPerms.CONFIGURE,
        order=200,
    ),
    Entry("profile", _("My account"), "accounts:profile", None, order=250),
)


class AccountsConfig(AppConfig):
    name = "liuhen.accounts"
    label = "accounts"

    def ready(self) -> None:
        from liuhen.accounts import events, perms, policy
        from liuhen.core import registry

        registry.permissions.declare(
            perms.AccountPerms, perms.RolePerms, perms.SecurityPerms, perms.UnitPerms
        )
        registry.events.declare(
            events.AuthEvents,
            events.SessionEvents,
            events.AccountEvents,
            events.RoleEvents,
            events.SecurityEvents,
            events.BureauEvents,
            events.UnitEvents,
            events.CertificateEvents,
        )
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.navigation.extend(NAVIGATION)

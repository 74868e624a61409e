from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from liuhen.core.navigation import Entry
from liuhen.devices.perms import DevicePerms

NAVIGATION = (Entry("devices", _("Recorders"), "devices:list", DevicePerms.LIST, order=100),)


class DevicesConfig(AppConfig):
    name = "liuhen.devices"
    label = "devices"
    verbose_name = _("AV devices")

    def ready(self) -> None:
        from liuhen.core import registry
        from liuhen.devices import events, inbox, law, perms, policy

        registry.permissions.declare(perms.DevicePerms)
        registry.events.declare(events.DeviceEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.rules.extend(law.RULES)
        registry.navigation.extend(NAVIGATION)
        registry.task_providers.update(inbox.PROVIDERS)

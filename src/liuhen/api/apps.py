from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "liuhen.api"
    label = "api"

    def ready(self) -> None:
        from liuhen.api import actions, events, perms, policy
        from liuhen.core import registry

        registry.permissions.declare(perms.TokenPerms)
        registry.events.declare(events.TokenEvents, events.ApiEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        # R4.2: disabling an account revokes its tokens for good.
        registry.account_credentials.add("api_tokens", actions._revoke_tokens_of)

"""``liuhen token``: make, list and revoke API tokens from the server's shell.

``liuhen token create USERNAME`` prints only the token, so a script can capture it:
``TOKEN=$(liuhen token create wangming --name tablet)``. The command acts as the system
actor; every creation and revocation is audited like one made in the app.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from liuhen.api import actions
from liuhen.api.models import ApiToken
from liuhen.core.audit import Actor

SYSTEM = Actor.system("liuhen token")


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="make a token and print it (shown once)")
        create.add_argument("username", nargs="?", help="the account the token acts for")
        create.add_argument(
            "--device",
            metavar="SERIAL",
            help="make a token for a collection station or terminal instead",
        )
        create.add_argument("--name", default="", help="what the token is for")
        create.add_argument(
            "--expires-in-days", type=int, metavar="DAYS", help="default: no expiry"
        )
        revoke = sub.add_parser("revoke", help="revoke a token now")
        revoke.add_argument("prefix", help="the token's prefix, as shown by 'list'")
        sub.add_parser("list", help="list tokens (prefixes only)")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "create":
            self._create(options)
        elif subcommand == "revoke":
            self._revoke(options["prefix"])
        else:
            self._list()

    def _create(self, options: dict[str, Any]) -> None:
        username, device = options["username"], options["device"]
        if bool(username) == bool(device):
            raise CommandError("give either USERNAME or --device SERIAL")
        user = None
        if username:
            try:
                user = get_user_model().objects.get(username=username)
            except get_user_model().DoesNotExist:
                raise CommandError(f"no account named {username!r}") from None
        expires_at = None
        if options["expires_in_days"] is not None:
            if options["expires_in_days"] < 1:
                raise CommandError("--expires-in-days must be at least 1")
            expires_at = timezone.now() + dt.timedelta(days=options["expires_in_days"])
        name = options["name"] or (f"device {device}" if device else "command line")
        try:
            issued = actions.create_token(
                SYSTEM,
                user=user,
                device_serial=device or "",
                name=name,
                expires_at=expires_at,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(issued.plaintext)

    def _revoke(self, prefix: str) -> None:
        prefix = prefix.removeprefix("lh_").split("_", 1)[0]
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"no token with prefix {prefix!r}")
        if token.revoked_at is not None:
            self.stdout.write(f"{prefix} was already revoked at {token.revoked_at:%Y-%m-%d %H:%M}")
            return
        actions.revoke_token(SYSTEM, token)
        self.stdout.write(f"{prefix} revoked")

    def _list(self) -> None:
        rows = ApiToken.objects.select_related("user").order_by("created_at", "id")
        self.stdout.write(f"{'PREFIX':<10}{'OWNER':<24}{'NAME':<24}{'CREATED':<18}STATUS")
        for token in rows:
            owner = token.user.get_username() if token.user else f"device:{token.device_serial}"
            if token.revoked_at is not None:
                status = "revoked"
            elif not token.is_usable():
                status = "expired"
            else:
                status = "active"
            created = timezone.localtime(token.created_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{token.prefix:<10}{owner:<24}{token.name:<24}{created:<18}{status}")

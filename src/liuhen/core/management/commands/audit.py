"""``liuhen audit sign|verify|export|public-key|public-keys|rotate-key|prove|consistency``:
the audit log from the shell (R1.1).

``verify`` exits 0 with a one-line summary when the log is intact and 1 naming the first
bad sequence number when it is not (changed, deleted, inserted or reordered events, or
a signed tree head that does not match). With ``--witness URL`` it also checks that the
log extends the witness's latest head, and says in Chinese when it does not.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from liuhen.core import audit, proofs
from liuhen.core.actions import audit_keys, audit_log, witnesses
from liuhen.core.logcheck import key_id
from liuhen.core.signing_keys import keyring
from liuhen.core.treehead import (
    InconsistentLog,
    SigningKeyMissing,
    as_dict,
    public_key,
    public_key_pem,
)
from liuhen.core.verify import verify_chain


class Command(BaseCommand):
    help = "Sign, verify, export and prove the tamper-evident audit log."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("sign", help="make a signed tree head now and print it")
        verify = sub.add_parser("verify", help="recompute every hash, SM3 and signed tree head")
        verify.add_argument(
            "--witness",
            action="append",
            default=[],
            metavar="URL",
            help="also check the log extends this witness's latest head (repeatable)",
        )
        sub.add_parser(
            "public-keys",
            help="print every key that signed, with its validity period (JSON, the file "
            "verify_export --public-keys reads)",
        )
        sub.add_parser(
            "rotate-key",
            help="retire the signing key for a new one (audited; announced to the witnesses)",
        )
        export = sub.add_parser("export", help="write events, tree heads and public key")
        export.add_argument("file", help="JSON Lines output file ('-' for standard output)")
        sub.add_parser(
            "public-key",
            help="print the signing key's public half (PEM; its key id on standard error) "
            "to hand to an outside auditor separately from any export",
        )
        prove = sub.add_parser("prove", help="print an inclusion proof for one event")
        prove.add_argument("--seq", type=int, required=True, help="sequence number")
        prove.add_argument("--size", type=int, default=None, help="tree size (default: latest)")
        consistency = sub.add_parser("consistency", help="print a consistency proof")
        consistency.add_argument("--from", dest="first", type=int, required=True)
        consistency.add_argument("--to", dest="second", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['subcommand'].replace('-', '_')}")(options)

    def _json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def do_sign(self, options: dict[str, Any]) -> None:
        try:
            head = audit_log.sign_now(audit.SYSTEM)
        except InconsistentLog as exc:
            raise CommandError(
                f"not signed: {exc}; run `liuhen audit verify`", returncode=1
            ) from None
        self._json(as_dict(head))

    def do_verify(self, options: dict[str, Any]) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(result.summary(), returncode=1)
        self.stdout.write(result.summary())
        failed = []
        with translation.override("zh-hans"):  # the witness's verdict is read by people
            for url in options["witness"]:
                check = witnesses.check_against_witness(audit.SYSTEM, url)
                if check.ok:
                    self.stdout.write(check.message)
                else:
                    failed.append(check.message)
        if failed:
            raise CommandError("\n".join(failed), returncode=1)

    def do_public_keys(self, options: dict[str, Any]) -> None:
        self._json(keyring().as_dict())

    def do_rotate_key(self, options: dict[str, Any]) -> None:
        try:
            rotated = audit_keys.rotate_key(audit.SYSTEM)
        except InconsistentLog as exc:
            raise CommandError(
                f"key not rotated: {exc}; run `liuhen audit verify`", returncode=1
            ) from None
        self._json(rotated)

    def do_export(self, options: dict[str, Any]) -> None:
        destination = options["file"]
        if destination == "-":
            counts = audit_log.export_log(audit.SYSTEM, stream=sys.stdout, destination="-")
        else:
            with open(destination, "w", encoding="utf-8") as stream:
                counts = audit_log.export_log(audit.SYSTEM, stream=stream, destination=destination)
        self.stderr.write(
            f"exported {counts['events']} events and {counts['tree_heads']} signed tree heads"
        )
        if not counts["intact"]:
            self.stderr.write("warning: the audit log failed verification; exported as it stands")

    def do_public_key(self, options: dict[str, Any]) -> None:
        try:
            pem = public_key_pem(create=False)
        except SigningKeyMissing:
            raise CommandError(
                "nothing has been signed yet: run `liuhen audit sign` first", returncode=2
            ) from None
        self.stdout.write(pem, ending="")
        self.stderr.write(f"key id {key_id(public_key(create=False))}")

    def do_prove(self, options: dict[str, Any]) -> None:
        try:
            self._json(proofs.inclusion(options["seq"], options["size"]))
        except proofs.ProofError as exc:
            raise CommandError(str(exc), returncode=2) from None

    def do_consistency(self, options: dict[str, Any]) -> None:
        try:
            self._json(proofs.consistency(options["first"], options["second"]))
        except proofs.ProofError as exc:
            raise CommandError(str(exc), returncode=2) from None

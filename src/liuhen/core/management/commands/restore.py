"""``liuhen restore SRC``: rebuild this empty instance (the database, stored files and keys
its ``LIUHEN_*`` settings name) from a backup set, then check it as it would be checked
in service — the audit log verifies and every stored file passes fixity (R23.1).

SRC is a backup folder (its newest set) or one of its sets. ``--check`` only decrypts and
compares every file of the set, restoring nothing. Exits 0 when the restored instance
passed both checks, 1 when it did not (do not serve it), 2 when nothing was restored
(wrong passphrase, damaged set, target not empty).
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from liuhen.core import audit
from liuhen.core.actions import backup as backup_actions
from liuhen.core.backup import secrets, sets

# The server acting for the operator at the shell.
OPERATOR = audit.SYSTEM


class Command(BaseCommand):
    help = "Restore this empty instance from a backup set and check it before it serves."
    # The target has no tables yet: the system checks would ask the database for them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("src", help="backup folder (newest set) or one set folder")
        parser.add_argument("--key-file", default=None, help="key file of the backup folder")
        parser.add_argument("--passphrase-file", default=None, help="file holding the passphrase")
        parser.add_argument("--check", action="store_true", help="only check the set")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            secret = secrets.from_options(options["key_file"], options["passphrase_file"])
        except secrets.NoSecret as exc:
            raise CommandError(str(exc), returncode=2) from None
        source = Path(options["src"])
        try:
            if options["check"]:
                opened = sets.open_set(source, secret)
                count = sets.check_set(opened)
                self.stdout.write(
                    _("Backup set %(set)s is intact: %(count)d files checked.")
                    % {"set": opened.set_dir.name, "count": count}
                )
                return
            outcome = backup_actions.restore_instance(OPERATOR, source, secret)
        except sets.BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        report = outcome.report
        self.stdout.write(
            _(
                "Restored backup set %(set)s (as of %(began)s): database, %(keys)d keys, "
                "%(blobs)d files."
            )
            % {
                "set": report.set_name,
                "began": report.began_at,
                "keys": report.keys,
                "blobs": report.blobs,
            }
        )
        verified = _("Audit log verified: %(summary)s")
        failed = _("Audit log FAILED: %(summary)s")
        self.stdout.write(
            (verified if outcome.audit_log.ok else failed)
            % {"summary": outcome.audit_log.summary()}
        )
        fixity = outcome.fixity
        self.stdout.write(
            (
                _("Fixity passed: %(checked)d files checked.")
                if fixity.ok
                else _(
                    "Fixity FAILED: %(checked)d checked, %(changed)d changed, %(missing)d "
                    "missing, %(untracked)d untracked."
                )
            )
            % {
                "checked": fixity.checked,
                "changed": len(fixity.changed),
                "missing": len(fixity.missing),
                "untracked": len(fixity.untracked),
            }
        )
        if not outcome.ok:
            raise CommandError(
                _("The restored instance failed its checks: do not serve it."), returncode=1
            )
        self.stdout.write(_("The restored instance passed its checks and may serve."))

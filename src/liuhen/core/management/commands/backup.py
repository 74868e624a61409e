"""``liuhen backup DEST [--keep N]``: a consistent, encrypted backup set of the running
instance — database, stored files (only those no earlier set in DEST holds) and keys
(R23.1; the procedure is in docs/operations.md, 备份与恢复).

Exits 0 with a summary, 1 when the backup failed, 2 for a wrong passphrase or usage.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from liuhen.core import audit
from liuhen.core.actions import backup as backup_actions
from liuhen.core.backup import database, secrets, sets

# The server acting for the operator at the shell.
OPERATOR = audit.SYSTEM


class Command(BaseCommand):
    help = "Make an encrypted backup set of the running instance in a backup folder."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("dest", help="backup folder (made if missing)")
        parser.add_argument("--key-file", default=None, help="key file (at least 32 bytes)")
        parser.add_argument("--passphrase-file", default=None, help="file holding the passphrase")
        parser.add_argument("--keep", type=int, default=None, help="keep the newest N sets")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError(_("--keep must be at least 1."), returncode=2)
        try:
            secret = secrets.from_options(
                options["key_file"], options["passphrase_file"], confirm=True
            )
        except secrets.NoSecret as exc:
            raise CommandError(str(exc), returncode=2) from None
        try:
            report = backup_actions.back_up(
                OPERATOR, Path(options["dest"]), secret, keep=options["keep"]
            )
        except sets.WrongSecret as exc:
            raise CommandError(str(exc), returncode=2) from None
        except (sets.BackupError, database.DatabaseError, OSError) as exc:
            message = _("Backup failed: %(reason)s") % {"reason": exc}
            raise CommandError(message, returncode=1) from None
        for sha256 in report.blobs_missing:
            self.stdout.write(
                _("File %(sha256)s was removed by a disposal during the backup.")
                % {"sha256": sha256}
            )
        self.stdout.write(
            _(
                "Backup set %(set)s made: database %(database)d bytes, %(blobs)d files "
                "(%(copied)d copied, %(reused)d already in earlier sets), as of %(began)s."
            )
            % {
                "set": report.set_dir,
                "database": report.database_bytes,
                "blobs": report.blobs,
                "copied": report.blobs_copied,
                "reused": report.blobs_reused,
                "began": report.began_at,
            }
        )
        if report.removed_sets:
            self.stdout.write(
                _("Older sets removed: %(sets)s") % {"sets": ", ".join(report.removed_sets)}
            )

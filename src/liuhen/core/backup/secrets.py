"""Where the operator's passphrase or key file comes from at the shell: ``--key-file``,
``--passphrase-file``, the ``LIUHEN_BACKUP_PASSPHRASE`` variable, or a prompt — never the
command line, where other users of the machine could read it."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from django.utils.translation import gettext as _

from liuhen.core.backup.crypto import Secret

PASSPHRASE_VARIABLE = "LIUHEN_BACKUP_PASSPHRASE"  # noqa: S105 (a variable name)
MIN_PASSPHRASE = 12


class NoSecret(Exception):
    pass


def from_options(
    key_file: str | None, passphrase_file: str | None, *, confirm: bool = False
) -> Secret:
    if key_file and passphrase_file:
        raise NoSecret(_("Give a key file or a passphrase, not both."))
    if key_file:
        path = Path(key_file)
        if not path.is_file() or path.stat().st_size < 32:
            raise NoSecret(_("The key file %(path)s must hold at least 32 bytes.") % {"path": path})
        return Secret(key_file=path)
    if passphrase_file:
        passphrase = Path(passphrase_file).read_text(encoding="utf-8").rstrip("\r\n")
    elif os.environ.get(PASSPHRASE_VARIABLE):
        passphrase = os.environ[PASSPHRASE_VARIABLE]
    elif sys.stdin.isatty():
        passphrase = getpass.getpass(_("Backup passphrase: "))
        if confirm and getpass.getpass(_("Again: ")) != passphrase:
            raise NoSecret(_("The two passphrases differ."))
    else:
        raise NoSecret(
            _("Give --key-file, --passphrase-file or %(variable)s.")
            % {"variable": PASSPHRASE_VARIABLE}
        )
    if len(passphrase) < MIN_PASSPHRASE:
        raise NoSecret(
            _("The passphrase must have at least %(count)d characters.") % {"count": MIN_PASSPHRASE}
        )
    return Secret(passphrase=passphrase)

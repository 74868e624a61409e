"""An e-mail witness (``mailto:address``): each head and each new key is mailed, e.g. to
the supervision office, whose mailbox is out of the server's reach. It only receives: it
cannot be asked for its latest head (an auditor compares the mails by hand or copies the
latest into a directory witness)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from liuhen.core.witness.base import NotQueryable, WitnessedHead, WitnessError


class MailWitness:
    def __init__(self, address: str, url: str = "") -> None:
        if "@" not in address:
            raise WitnessError(f"not an e-mail address: {address!r}")
        self.address = address
        self.url = url or f"mailto:{address}"

    def _send(self, subject: str, intro: str, data: dict[str, Any]) -> None:
        body = intro + "\n\n" + json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [self.address])
        except Exception as exc:  # any mail backend's failure
            raise WitnessError(f"{self.url}: {exc}") from None

    def announce(self, head: WitnessedHead) -> None:
        self._send(
            _("Audit log signed tree head: %(size)d events") % {"size": head.tree_size},
            _(
                "The audit log was signed. Keep this message: it lets an auditor show "
                "later that the log was not cut back or rewritten."
            ),
            head.as_dict(),
        )

    def announce_key(self, announcement: dict[str, Any]) -> None:
        self._send(
            _("Audit log signing key changed"),
            _(
                "The audit log's signing key was changed. Keep this message: heads signed "
                "from now on carry the new key id below."
            ),
            announcement,
        )

    def latest(self) -> WitnessedHead | None:
        raise NotQueryable(f"{self.url}: an e-mail witness cannot be asked for its latest head")

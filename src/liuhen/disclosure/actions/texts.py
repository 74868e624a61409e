"""The one door of the 事前公示 texts (R12.1): the bureau's duties, its supervision and
complaint channels, and its own flowchart and procedure texts, saved as a new write-once
version each time; the portal shows the latest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liuhen.core import access, audit
from liuhen.disclosure import public
from liuhen.disclosure.events import DisclosureEvents
from liuhen.disclosure.models import DisclosureTextsVersion
from liuhen.disclosure.perms import DisclosurePerms

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User

FIELDS = ("duties", "channels", "flowchart", "procedures")
MAX_CHARS = 5000


def save_texts(
    actor: User,
    *,
    duties: str,
    channels: str,
    flowchart: str = "",
    procedures: str = "",
    request: HttpRequest | None = None,
) -> DisclosureTextsVersion:
    """Save the texts as a new version; refused when nothing changed."""
    access.require(actor, DisclosurePerms.TEXTS, request=request)
    values = {
        "duties": duties.strip(),
        "channels": channels.strip(),
        "flowchart": flowchart.strip(),
        "procedures": procedures.strip(),
    }
    errors: dict[str, str] = {}
    for name in ("duties", "channels"):
        if not values[name]:
            errors[name] = _("This text is published; it cannot be empty.")
    for name, value in values.items():
        if len(value) > MAX_CHARS:
            errors[name] = _("At most %(count)d characters.") % {"count": MAX_CHARS}
    if errors:
        raise ValidationError(errors)
    current = public.texts()
    if all(getattr(current, name) == value for name, value in values.items()):
        raise ValidationError(_("Nothing was changed."))
    with transaction.atomic(durable=True):
        version = DisclosureTextsVersion.objects.create(saved_by=actor, **values)
        audit.record(
            DisclosureEvents.TEXTS,
            actor=actor,
            request=request,
            obj=version,
            details={
                "changed": [name for name in FIELDS if getattr(current, name) != values[name]]
            },
        )
    return version

"""Document numbers 文号: changing the pattern, and taking the next serial of a series.

A serial is taken inside the caller's transaction with the series row locked, so a
rolled-back registration gives its serial back and the numbers stay gapless; concurrent
callers queue on the row lock (PostgreSQL ``SELECT … FOR UPDATE``; SQLite takes its
write lock at the start of every transaction, IMMEDIATE mode in settings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.cases import enforcement_fields, numbering
from liuhen.cases.events import NumberingEvents
from liuhen.cases.models import NumberPattern, NumberSeries
from liuhen.core import access, audit
from liuhen.core.perms import ConfigPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User

_RETRIES = 5


def allocate(kind: str, field: str, year: int | None = None) -> str:
    """Take the next serial of (year, ``kind``, ``field``) and return the formatted number.

    Not an action of its own but a step of the caller's: it must run inside the
    transaction that uses the number, so that the serial goes back to the series if that
    transaction rolls back (the numbers stay gapless).
    """
    kind = numbering.check_part(kind, 10)
    field = numbering.check_part(enforcement_fields.number_part(field.strip()), 20)
    if not kind:
        raise ValidationError(_("A number needs a kind."), code="required")
    year = year or timezone.localdate().year
    for attempt in range(_RETRIES):
        try:
            with transaction.atomic():
                # get_or_create re-reads (and locks) the row if another transaction
                # created it first; the retry covers the rare remaining race.
                series, _created = NumberSeries.objects.select_for_update().get_or_create(
                    year=year, kind=kind, field=field
                )
                series.last_serial += 1
                series.save(update_fields=["last_serial"])
                serial = series.last_serial
            break
        except IntegrityError:
            if attempt == _RETRIES - 1:
                raise
    return numbering.format_number(
        numbering.current_pattern(), field=field, kind=kind, year=year, serial=serial
    )


def set_number_pattern(actor: User, pattern: str, *, request: HttpRequest | None = None) -> str:
    """Change the 文号 pattern (system admin; audited with the old and new pattern)."""
    access.require(actor, ConfigPerms.MANAGE, request=request)
    pattern = numbering.validate_pattern(pattern)
    with transaction.atomic(durable=True):
        old = numbering.current_pattern()
        NumberPattern.objects.update_or_create(
            pk=NumberPattern.SINGLETON_ID, defaults={"pattern": pattern}
        )
        audit.record(
            NumberingEvents.PATTERN_CHANGE,
            actor=actor,
            request=request,
            object_type="cases.numberpattern",
            object_id=NumberPattern.SINGLETON_ID,
            details={"old": old, "new": pattern},
        )
    return pattern

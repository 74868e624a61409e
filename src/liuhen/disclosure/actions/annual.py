"""The one door of the annual enforcement data (R12.1): publishing a finished year's
figures once, by 31 January of the year after (``disclosure_annual_period``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.core import access, audit
from liuhen.disclosure.annual import figures_for
from liuhen.disclosure.clocks import annual_clock
from liuhen.disclosure.events import DisclosureEvents
from liuhen.disclosure.models import AnnualData
from liuhen.disclosure.perms import DisclosurePerms

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User


def publish_annual_data(
    actor: User, year: int, *, request: HttpRequest | None = None
) -> AnnualData:
    access.require(actor, DisclosurePerms.ANNUAL, request=request)
    if year >= timezone.localdate().year:
        raise ValidationError(_("A year's data is published after the year is over."))
    if year < 2000:
        raise ValidationError(_("Enter a year from 2000 on."))
    clock = annual_clock(year)
    assert clock is not None
    figures = figures_for(year)
    try:
        with transaction.atomic(durable=True):
            data = AnnualData.objects.create(
                year=year, figures=figures, due=clock.due, published_by=actor
            )
            audit.record(
                DisclosureEvents.ANNUAL,
                actor=actor,
                request=request,
                obj=data,
                details={"year": year, "due": clock.due.isoformat()},
            )
    except IntegrityError:
        raise ValidationError(_("The data of this year is published already.")) from None
    return data

"""What the public pages read (R12.1): only what was published, and the bureau's own
public facts (units, officers with certificates, the rule catalogue, the texts it set).

The portal, a layer above, calls these; nothing here is personal beyond what the law asks
to publish (an officer's name and certificate number). Lists page by key (``before`` an
id, newest first), so a page costs the same at any depth.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from liuhen.accounts.models import Certificate, Unit, User
from liuhen.core import rules
from liuhen.core.rule_types import Rule
from liuhen.disclosure.models import (
    AnnualData,
    DisclosureTexts,
    DisclosureTextsVersion,
    Publication,
    PublicationKind,
)

PAGE_SIZE = 20
FEED_LIMIT = 100
FEED_MAX = 500


@dataclasses.dataclass(frozen=True)
class Page:
    rows: list[Publication]
    next_before: int | None  # the key of the next (older) page


def _listed() -> QuerySet[Publication]:
    return Publication.objects.only(
        "id",
        "kind",
        "category",
        "decision_number",
        "decided_on",
        "title",
        "party",
        "penalty",
        "unit_name",
        "published_at",
        "replaces_id",
    )


def publications(*, before: int | None = None, kind: str = "", size: int = PAGE_SIZE) -> Page:
    """One page of publications, newest first, older than id ``before``."""
    qs = _listed()
    if kind in PublicationKind.values:
        qs = qs.filter(kind=kind)
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs.order_by("-id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, rows[-1].pk if more and rows else None)


def publication(pk: int) -> Publication | None:
    return Publication.objects.select_related("replaces").filter(pk=pk).first()


def replacement(row: Publication) -> Publication | None:
    """The withdrawal notice or correction that replaced ``row``, if any."""
    return Publication.objects.filter(replaces=row).first()


def feed(*, after: int | None = None, limit: int = FEED_LIMIT) -> list[Publication]:
    """Every publication oldest first from id ``after`` on: a portal pulls what is new."""
    qs = Publication.objects.all()
    if after is not None:
        qs = qs.filter(id__gt=after)
    return list(qs.order_by("id")[: max(1, min(limit, FEED_MAX))])


def feed_item(row: Publication) -> dict[str, Any]:
    """One publication as the feed gives it (docs/schemas/disclosure-feed.schema.json)."""
    return {
        "id": row.pk,
        "kind": row.kind,
        "category": row.category,
        "decision_number": row.decision_number,
        "decided_on": row.decided_on.isoformat(),
        "title": row.title,
        "party_kind": row.party_kind,
        "party": row.party,
        "party_identifier": row.party_identifier,
        "facts": row.facts,
        "basis": row.basis,
        "penalty": row.penalty,
        "fine_fen": row.fine_fen,
        "unit": row.unit_name,
        "agency": row.bureau_name,
        "published_at": timezone.localtime(row.published_at).isoformat(timespec="seconds"),
        "replaces": row.replaces_id,
        "ground": row.ground or None,
        "ground_on": row.ground_on.isoformat() if row.ground_on else None,
        "reason": row.reason or None,
    }


@dataclasses.dataclass(frozen=True)
class OfficerListing:
    name: str
    unit: str
    certificates: list[Certificate]


def units() -> list[Unit]:
    return list(Unit.objects.filter(active=True).select_related("bureau").order_by("bureau", "id"))


def officers(today: dt.date | None = None) -> list[OfficerListing]:
    """Officers holding a certificate valid today, with its number and validity."""
    today = today or timezone.localdate()
    valid = Certificate.objects.filter(
        revoked=False, valid_from__lte=today, valid_to__gte=today
    ).order_by("number")
    people = (
        User.objects.filter(is_active=True, certificates__in=valid)
        .distinct()
        .select_related("unit")
        .prefetch_related(Prefetch("certificates", queryset=valid, to_attr="valid_certificates"))
        .order_by("unit__name", "full_name", "id")
    )
    return [
        OfficerListing(
            str(person),
            person.unit.name if person.unit else "",
            list(person.valid_certificates),
        )
        for person in people
    ]


def bases() -> list[Rule]:
    """The legal rules the system applies, with their citations (the rule catalogue)."""
    return [rule for rule in rules.all_rules() if rule.applied]


def texts() -> DisclosureTextsVersion:
    """The latest saved version of the 事前公示 texts; before the first save, the texts
    of the settings row (or the defaults), as an unsaved version."""
    latest = DisclosureTextsVersion.objects.order_by("-id").first()
    if latest is not None:
        return latest
    row = (
        DisclosureTexts.objects.filter(pk=DisclosureTexts.SINGLETON_ID).first() or DisclosureTexts()
    )
    return DisclosureTextsVersion(duties=row.duties, channels=row.channels)


def text_versions() -> list[DisclosureTextsVersion]:
    return list(DisclosureTextsVersion.objects.select_related("saved_by").order_by("-id"))


def annual_years() -> list[AnnualData]:
    return list(AnnualData.objects.order_by("-year"))


def annual(year: int) -> AnnualData | None:
    return AnnualData.objects.filter(year=year).first()

"""The one registry: what each app contributes to the others, wired explicitly.

Each app's ``AppConfig.ready()`` registers its vocabulary, access rules, case page
sections, compliance checks, approval steps, deadline providers, blob references and
navigation entries here, one call per thing. The stores are fixed (no store is added
later) and refuse a key registered twice, so two apps cannot silently claim one name.
The system checks (``core.system_checks``) hold the wiring against what is declared.

Nothing registers as a side effect of importing a module: a contribution that is not
named in a ``ready()`` does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from django.db.models import Choices

T = TypeVar("T")


class AlreadyRegistered(RuntimeError):
    pass


class Store(Generic[T]):
    """One kind of contribution, by key, in the order registered."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, T] = {}

    def add(self, key: str, item: T) -> T:
        key = str(key)
        if key in self._items:
            raise AlreadyRegistered(f"{self.name} {key!r} registered twice")
        self._items[key] = item
        return item

    def extend(self, items: Iterable[Any]) -> None:
        """Add items that name themselves (``item.key``)."""
        for item in items:
            self.add(item.key, item)

    def update(self, items: Mapping[Any, T]) -> None:
        """Add a table of ``key: item``."""
        for key, item in items.items():
            self.add(str(key), item)

    def get(self, key: str) -> T | None:
        return self._items.get(str(key))

    def __getitem__(self, key: str) -> T:
        return self._items[str(key)]

    def __contains__(self, key: object) -> bool:
        return str(key) in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        return list(self._items)

    def values(self) -> list[T]:
        return list(self._items.values())

    def items(self) -> list[tuple[str, T]]:
        return list(self._items.items())

    @contextmanager
    def temporarily(self, key: str, item: T) -> Iterator[T]:
        """``item`` registered for the duration of a block (tests of the wiring)."""
        self.add(key, item)
        try:
            yield item
        finally:
            self._items.pop(str(key), None)

    @contextmanager
    def without(self, key: str) -> Iterator[None]:
        """``key`` missing for the duration of a block (tests of the wiring)."""
        saved = self._items.pop(str(key))
        try:
            yield
        finally:
            self._items[str(key)] = saved


class Vocabulary(Store[Any]):
    """Codes with labels: an app registers its ``TextChoices`` enum of codes."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.enums: list[type[Choices]] = []

    def declare(self, *vocabularies: type[Choices]) -> None:
        for codes in vocabularies:
            for member in codes:
                self.add(member.value, member.label)
            self.enums.append(codes)

    def label(self, code: str) -> Any:
        found = self.get(code)
        return code if found is None else found


# The vocabulary (codes → labels): permissions checked and audit events written.
permissions = Vocabulary("permission")
events = Vocabulary("audit event")

# The access policy: permission code → rule ``(user, obj) -> bool``; model label → scope
# ``(user, queryset) -> queryset``.
access_rules: Store[Callable[[Any, Any], bool]] = Store("access rule")
access_scopes: Store[Callable[[Any, Any], Any]] = Store("access scope")
# Access beyond the policy, granted to a person for a time (调阅, R21.1): each answers
# ``(user, permission code, obj) -> the live grant that allows it, or None``; asked at each
# use (an expired or revoked grant stops at once), only where the policy said no.
access_grants: Store[Callable[[Any, str, Any], Any]] = Store("access grant")

# The legal rules (law as configuration), by key.
rules: Store[Any] = Store("legal rule")

# Approval steps (R7.1): step code → its declaration (label, and what approval does).
approval_steps: Store[Any] = Store("approval step")

# Pages made of contributions: the case page's sections and the subject page's.
case_sections: Store[Any] = Store("case page section")
subject_sections: Store[Any] = Store("subject page section")

# Compliance checks on a case (architecture rule 4), by code.
case_checks: Store[Any] = Store("compliance check")

# Running clocks of a case, by provider name.
deadline_providers: Store[Any] = Store("deadline provider")

# Is a stored file still needed? Each app that keeps blob references answers (R18.4).
blob_references: Store[Callable[[str, Any], bool]] = Store("blob reference check")
# Who hears about fixity problems of the blob store (R16.1, R23.1).
fixity_listeners: Store[Callable[..., None]] = Store("fixity listener")

# What keeps an AV record past its own retention (R18.4): each returns, for a day, a
# filter expression on AV records that is true for the records it holds.
av_retention_holds: Store[Callable[[Any], Any]] = Store("AV retention hold")
# How many AV records are linked to an activity (R5.2): the AV side answers.
av_counters: Store[Callable[[Any], int]] = Store("AV counter")
# The AV records linked to an activity that a user may see, as rows to list (R5.2).
av_listings: Store[Callable[[Any, Any], list[Any]]] = Store("AV listing")
# What apps above the activities app add to an activity page's AV block (supervision: the
# share of its time the recordings cover): ``(template, (request, activity) -> context)``.
activity_av_panels: Store[tuple[str, Callable[[Any, Any], dict[str, Any]]]] = Store(
    "activity AV panel"
)

# Who records an activity as part of an action of an app below the activities app (R5.1:
# the simple procedure's on-the-spot penalty is an activity that needs AV): the activities
# app answers, with the same checks as any activity.
activity_recorders: Store[Callable[..., Any]] = Store("activity recorder")

# The navigation bar's entries, in order.
navigation: Store[Any] = Store("navigation entry")

# The case's whole trail 全程留痕 (R1.1) also holds the events of records that are the case's
# without a case column of their own: model label → ``case -> primary keys`` (the AV records
# linked to it, answered by the media app), as text like the log's object ids — a
# queryset of them is used as a subquery.
case_trail_records: Store[Callable[[Any], Iterable[str]]] = Store("case trail records")
# What people read for an object of the log instead of its table and id: model label →
# ``ids -> {id: label}`` (a case's number, a document's title and 文号, an AV file's name).
object_labels: Store[Callable[[list[str]], Mapping[str, str]]] = Store("object label")
# HTML laid out as PDF with the printed forms' CJK font (key "html"): the documents app
# answers, for apps below it that print a list.
pdf_renderers: Store[Callable[[str], bytes]] = Store("PDF renderer")
# The watermarked copy of a PDF or image handed to a person (R21.1), key "stamp":
# ``(data, content_type, user, request_number) -> bytes``, None for a kind of file that
# carries no watermark. The documents app answers, for the AV files of the media app.
copy_watermarks: Store[Callable[[bytes, str, Any, str], bytes | None]] = Store("copy watermark")

# What an account holds beyond its sessions, taken away when the account is disabled (R4.2):
# key → ``(user) -> how many were revoked`` (the API app revokes the account's tokens, so
# enabling the account again brings none of them back).
account_credentials: Store[Callable[[Any], int]] = Store("account credential")

# Document behaviours a form spec may name (numbering sources, service clock starts …).
document_behaviours: Store[Any] = Store("document behaviour")

# 我的待办: who owes what. Each provider answers ``(user) -> list[inbox.Task]`` — the
# approvals, reviews, discussions, uploads, deadlines or disposals waiting for that person.
task_providers: Store[Callable[[Any], list[Any]]] = Store("task provider")

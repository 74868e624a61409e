"""The canonical encoding and the hash chain as appended (R1.1)."""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

import pytest

from liuhen.core import audit
from liuhen.core.audit import as_chain_dict
from liuhen.core.chain import GENESIS_HASH, canonical, event_hashes
from liuhen.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("signing_key_file")

SAMPLE = {
    "seq": 7,
    "time": "2026-03-01T02:03:04.000005Z",
    "actor_type": "user",
    "actor_id": "12",
    "actor_name": "王明",
    "action": "case.create",
    "object_type": "cases.case",
    "object_id": "3",
    "case_id": 3,
    "ip": "10.0.0.8",
    "user_agent": "Mozilla/5.0",
    "outcome": "ok",
    "details": {"z": 1, "a": [1, "二", None, True]},
    "prev_hash": "ab" * 32,
}


def test_canonical_encoding_is_stable() -> None:
    """These bytes and hashes are a contract with every export ever written: never change."""
    assert (
        canonical(SAMPLE)
        == (
            '{"action":"case.create","actor_id":"12","actor_name":"王明","actor_type":"user",'
            '"case_id":3,"details":{"a":[1,"二",null,true],"z":1},"ip":"10.0.0.8",'
            '"object_id":"3","object_type":"cases.case","outcome":"ok","prev_hash":"'
            + "ab" * 32
            + '","seq":7,"time":"2026-03-01T02:03:04.000005Z","user_agent":"Mozilla/5.0"}'
        ).encode()
    )
    assert event_hashes(SAMPLE) == (
        "ffc4f6694e9dcaac6d42a15a24696570726def7ec63fbfd0385f7cf08fbc0253",
        "afabf4bde23819ccc7cecdbd9ce9a267414c01912a90570aca009e122a97edd7",
    )


def test_canonical_ignores_key_order_and_extra_keys() -> None:
    shuffled = dict(reversed(list(SAMPLE.items())))
    assert canonical({**shuffled, "hash": "x", "type": "event"}) == canonical(SAMPLE)


@pytest.mark.parametrize("field", sorted(SAMPLE))
def test_every_field_is_covered_by_the_hash(field: str) -> None:
    changed = dict(SAMPLE)
    changed[field] = "changed" if not isinstance(SAMPLE[field], int) else 8
    assert event_hashes(changed)[0] != event_hashes(SAMPLE)[0]
    assert event_hashes(changed)[1] != event_hashes(SAMPLE)[1]


def test_sm3_is_the_chinese_standard_hash() -> None:
    # GB/T 32905-2016 example: SM3("abc").
    assert (
        hashlib.new("sm3", b"abc").hexdigest()
        == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_appended_events_are_linked(some_events: list[AuditEvent]) -> None:
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [row.seq for row in rows] == list(range(1, 11))
    assert rows[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.hash
    for row in rows:
        # Read back from the database, the fields hash to what was stored.
        assert event_hashes(as_chain_dict(row)) == (row.hash, row.sm3)


def test_record_fills_object_and_case(db: None, officer_wang: object) -> None:
    from tests.factories import CaseFactory

    case: Any = CaseFactory()
    event = audit.record("case.view", actor=officer_wang, obj=case)
    assert (event.object_type, event.object_id, event.case_id) == (
        "cases.case",
        str(case.pk),
        case.pk,
    )
    assert event.actor_type == "user" and event.actor_name == "officer_wang"

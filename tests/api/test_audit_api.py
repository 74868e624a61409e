"""Tree head and Merkle proofs over the API: the audit admin only (``audit.view``)."""

from __future__ import annotations

import pytest

from liuhen.core import audit
from liuhen.core.models import AuditEvent
from liuhen.core.treehead import sign_tree_head
from tests.fixtures.api import ApiClient, assert_error, token_for


@pytest.fixture
def signed_log(db) -> int:
    for number in range(5):
        audit.record("test.event", details={"n": number})
    sign_tree_head()
    return AuditEvent.objects.count()


def test_auditor_reads_the_latest_tree_head(auditor_chen, signed_log) -> None:
    api = ApiClient(token_for(auditor_chen))
    head = api.get("/audit/tree-head").json()
    assert head["tree_size"] == signed_log
    assert "BEGIN PUBLIC KEY" in head["public_key_pem"]


def test_auditor_gets_inclusion_and_consistency_proofs(auditor_chen, signed_log) -> None:
    api = ApiClient(token_for(auditor_chen))
    proof = api.get(f"/audit/proofs/inclusion?seq=2&tree_size={signed_log}").json()
    assert proof["seq"] == 2 and proof["tree_size"] == signed_log
    assert proof["matches_tree_head"] is True
    consistency = api.get(f"/audit/proofs/consistency?first=2&second={signed_log}").json()
    assert consistency["second_root"] == proof["root_hash"]


def test_impossible_proof_is_422(auditor_chen, signed_log) -> None:
    api = ApiClient(token_for(auditor_chen))
    assert_error(api.get("/audit/proofs/inclusion?seq=999"), 422, "validation_error")
    assert_error(api.get("/audit/proofs/consistency?first=9&second=2"), 422, "validation_error")
    assert_error(api.get("/audit/proofs/consistency?first=0&second=2"), 422, "validation_error")


def test_a_refused_proof_says_why_in_one_language(auditor_chen, signed_log) -> None:
    """The reason inside the message is translated like the message around it."""
    api = ApiClient(token_for(auditor_chen))
    message = api.get("/audit/proofs/inclusion?seq=999").json()["error"]["message"]
    assert message.startswith("无法生成该证明：") and "999" in message
    assert not any(word in message for word in ("event", "tree", "size", "log")), message
    assert_error(api.get("/audit/proofs/inclusion"), 422, "validation_error")


def test_no_tree_head_yet_is_404(auditor_chen) -> None:
    assert_error(ApiClient(token_for(auditor_chen)).get("/audit/tree-head"), 404, "not_found")


@pytest.mark.parametrize(
    "persona", ["sysadmin_zhao", "secadmin_qian", "officer_wang", "agency_head_liu"]
)
@pytest.mark.parametrize(
    "path",
    [
        "/audit/tree-head",
        "/audit/proofs/inclusion?seq=1",
        "/audit/proofs/consistency?first=1&second=2",
    ],
)
def test_everyone_else_is_denied(request, signed_log, persona: str, path: str) -> None:
    api = ApiClient(token_for(request.getfixturevalue(persona)))
    assert_error(api.get(path), 403, "forbidden")

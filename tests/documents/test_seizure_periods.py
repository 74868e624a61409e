"""The period written on a 查封（扣押）决定书 and on its extension decision is checked against
行政强制法 Art. 25 (rules ``seizure_days``, ``seizure_extension``): not longer than 30 days,
extended once, with approval, by at most 30 days (R2.1, R6.1)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from liuhen.documents.models import IssuedDocument
from tests.fixtures.documents import approve, issue_form

pytestmark = pytest.mark.django_db

SEIZURE = {
    "measure": "扣押",
    "reason": "涉嫌销售假农药",
    "basis": "《农药管理条例》第四十一条",
    "items": '[["假农药", "100克/瓶", "10", "瓶"]]',
    "place": "大洼区田家街道8号",
}


def _seizure(officer, case, start: str, end: str) -> IssuedDocument:
    return issue_form(officer, case, "seizure_notice", **SEIZURE, period_from=start, period_to=end)


def _extension(officer, case, original: str, extended: str) -> IssuedDocument:
    return issue_form(
        officer,
        case,
        "seizure_extension_decision",
        seizure_number="洼农封〔2026〕1号",
        original_period_to=original,
        extended_to=extended,
        reason="案情复杂，需检验涉案农药",
    )


def test_a_seizure_period_of_30_days_is_issued(installed_seal, decided_case, officer_wang):
    """30 days from 06-01 (the start day not counted) end on 07-01."""
    issued = _seizure(officer_wang, decided_case, "2026-06-01", "2026-07-01")
    assert issued.number


def test_a_longer_seizure_period_is_refused(installed_seal, decided_case, officer_wang):
    with pytest.raises(ValidationError) as refused:
        _seizure(officer_wang, decided_case, "2026-06-01", "2026-07-02")
    [message] = refused.value.message_dict["period_to"]
    assert "2026-07-01" in message and "第25条" in message
    assert not decided_case.issued.filter(form_code="seizure_notice").exists()


def test_a_period_ending_before_it_starts_is_refused(installed_seal, decided_case, officer_wang):
    with pytest.raises(ValidationError):
        _seizure(officer_wang, decided_case, "2026-06-10", "2026-06-01")


def test_an_extension_needs_its_approval(installed_seal, decided_case, officer_wang):
    """Art. 25: 经行政机关负责人批准, 可以延长."""
    with pytest.raises(ValidationError) as refused:
        _extension(officer_wang, decided_case, "2026-07-01", "2026-07-31")
    assert refused.value.code == "not_approved"


def test_an_extension_of_at_most_30_days_once(
    installed_seal, decided_case, officer_wang, head_zhang, agency_head_liu
):
    """Art. 25: 延长期限不得超过三十日 — once."""
    approve(officer_wang, decided_case, "seizure_extension", head_zhang, agency_head_liu)
    with pytest.raises(ValidationError) as refused:
        _extension(officer_wang, decided_case, "2026-07-01", "2026-08-01")
    assert "2026-07-31" in refused.value.message_dict["extended_to"][0]
    with pytest.raises(ValidationError):
        _extension(officer_wang, decided_case, "2026-07-01", "2026-07-01")  # no extension
    assert _extension(officer_wang, decided_case, "2026-07-01", "2026-07-31").number
    with pytest.raises(ValidationError) as again:
        _extension(officer_wang, decided_case, "2026-07-31", "2026-08-15")
    assert again.value.code == "extended_once"

"""The advance notice offered on the case page (R6.1, R8.1): where the proposed penalty
carries the right to a hearing (行政处罚法 Art. 63; 农业行政处罚程序规定 Art. 59) the 听证
variant 行政处罚事先告知书（听证） is the one offered, chosen already, and the one without the
hearing right is neither offered nor drafted nor issued; otherwise both are offered."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from liuhen.cases.actions import decisions as decision_actions
from liuhen.documents.actions import drafting, issuing
from liuhen.documents.catalog import catalog
from liuhen.documents.models import Document

pytestmark = pytest.mark.django_db

PLAIN, HEARING = "advance_notice", "advance_notice_hearing"


def _notice(case, officer, kinds, fine=0):
    return decision_actions.record_advance_notice(
        officer,
        case,
        notified_at=timezone.now(),
        notified_to="某农资店 张三",
        method="直接送达",
        penalty_kinds=kinds,
        proposed_fine_fen=fine,
    )


def _options(text: str) -> dict[str, bool]:
    """The picker's forms: code → selected."""
    picker = text[text.index('data-testid="new-document-picker"') :]
    return {
        code: bool(selected)
        for code, selected in re.findall(r'<option value="([a-z_]+)"( selected)?>', picker)
    }


def test_the_flag_marks_the_hearing_variant_only():
    flagged = catalog.codes_where(lambda spec: spec.advance_notice and spec.hearing_right)
    assert set(flagged) == {HEARING}


@override("zh-hans")
def test_a_revocation_offers_only_the_hearing_variant_chosen_already(
    client, case_in_decision, officer_wang
):
    _notice(case_in_decision, officer_wang, ["licence_revoke"])
    client.force_login(officer_wang)
    text = client.get(reverse("cases:detail", args=[case_in_decision.pk])).content.decode()
    offered = _options(text)
    assert PLAIN not in offered and offered[HEARING] is True
    assert 'data-testid="hearing-right-required"' in text and "吊销许可证件" in text
    new_page = client.get(reverse("documents:new", args=[case_in_decision.pk])).content.decode()
    assert PLAIN not in _options(new_page) and HEARING in _options(new_page)


def test_a_small_fine_offers_both_and_chooses_none(client, case_in_decision, officer_wang):
    _notice(case_in_decision, officer_wang, ["fine"], 500_00)
    client.force_login(officer_wang)
    text = client.get(reverse("cases:detail", args=[case_in_decision.pk])).content.decode()
    offered = _options(text)
    assert offered[PLAIN] is False and offered[HEARING] is False
    assert 'data-testid="hearing-right-required"' not in text


@override("zh-hans")
def test_the_plain_notice_is_refused_where_the_hearing_right_is_due(case_in_decision, officer_wang):
    draft = drafting.create_draft(officer_wang, case_in_decision, PLAIN)  # no notice yet
    _notice(case_in_decision, officer_wang, ["fine"], 50_000_00)
    with pytest.raises(ValidationError) as refused:
        drafting.create_draft(officer_wang, case_in_decision, PLAIN)
    reason = " ".join(refused.value.messages)
    assert "听证" in reason and "依据：《中华人民共和国行政处罚法》第六十三条" in reason
    # A draft started before is not issued either.
    with pytest.raises(ValidationError) as refused:
        issuing.issue(officer_wang, draft)
    assert "第六十三条" in " ".join(refused.value.messages)
    hearing = drafting.create_draft(officer_wang, case_in_decision, HEARING)
    assert (
        "听证" in hearing.data["hearing_rights"] and "第六十三条" in hearing.data["hearing_rights"]
    )
    assert Document.objects.filter(case=case_in_decision).count() == 2

"""A case's field of enforcement 执法领域 comes from the bureau's configured list, a case is
entered with its certified officers, and no way in lets a control or unassigned character
into a case's number (R4.1, R4.2, R4.3, R2.1)."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liuhen.accounts.models import Role
from liuhen.cases import enforcement_fields, numbering
from liuhen.cases.actions import filing, registration
from liuhen.cases.actions.decisions import decide_on_the_spot
from liuhen.cases.models import Case, EnforcementField, LeadStatus, NumberSeries
from liuhen.core import text
from liuhen.media.ingest.uploads import TusError, parse_metadata
from liuhen.subjects.models import Subject
from tests.factories import UserFactory, sign_in
from tests.fixtures.api import API, assert_error, bearer, client_for, token_for

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
OFFICERS = ["officer_wang", "officer_ma"]


def test_the_seeded_list_of_an_agriculture_bureau() -> None:
    names = [name for name, _label in enforcement_fields.choices()]
    for name in ("农药", "种子", "肥料", "兽药", "饲料和饲料添加剂", "农产品质量安全", "渔业"):
        assert name in names
    assert enforcement_fields.number_part("饲料和饲料添加剂") == "饲料"
    assert enforcement_fields.number_part("旧领域") == "旧领域"  # an imported case's field


# --- the API ------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["\u0001\u001e", "农\u0378药", "\U000e0080"])
def test_control_or_unassigned_characters_in_the_field_are_refused(
    client, officer_wang, officer_ma, field: str
) -> None:
    body = json.dumps({"title": "x", "field": field, "officers": OFFICERS})
    headers = bearer(token_for(officer_wang))
    response = client.post(API + "/cases", body, content_type="application/json", headers=headers)
    error = assert_error(response, 400, "bad_request")
    assert "控制字符" in error["message"] or "未分配的字符" in error["message"]
    assert not Case.objects.exists() and not NumberSeries.objects.exists()


def test_a_field_not_in_the_list_is_refused_in_chinese(officer_wang, officer_ma) -> None:
    response = client_for(officer_wang).post(
        "/cases", {"title": "某案", "field": "木材", "officers": OFFICERS}
    )
    error = assert_error(response, 422, "validation_error")
    assert error["message"].startswith("未知的执法领域")
    assert "农药" in error["message"] and "饲料和饲料添加剂" in error["message"]
    assert not Case.objects.exists() and not NumberSeries.objects.exists()


def test_an_inactive_field_is_refused(officer_wang, officer_ma) -> None:
    EnforcementField.objects.filter(name="草原").update(active=False)
    response = client_for(officer_wang).post(
        "/cases", {"title": "某案", "field": "草原", "officers": OFFICERS}
    )
    assert_error(response, 422, "validation_error")


def test_the_number_carries_the_fields_abbreviation(officer_wang, officer_ma) -> None:
    response = client_for(officer_wang).post(
        "/cases", {"title": "某饲料厂案", "field": "饲料和饲料添加剂", "officers": OFFICERS}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == f"洼农（饲料）立〔{YEAR}〕1号"
    assert body["field"] == "饲料和饲料添加剂"
    # The abbreviation names the same field.
    response = client_for(officer_wang).post(
        "/cases", {"title": "另一饲料案", "field": "饲料", "officers": OFFICERS}
    )
    assert response.json()["number"] == f"洼农（饲料）立〔{YEAR}〕2号"
    assert response.json()["field"] == "饲料和饲料添加剂"


@pytest.mark.parametrize("officers", [[], ["officer_wang"]])
def test_a_case_is_entered_with_two_certified_officers(
    officer_wang, officer_ma, officers: list[str]
) -> None:
    response = client_for(officer_wang).post(
        "/cases", {"title": "某案", "field": "农药", "officers": officers}
    )
    error = assert_error(response, 422, "validation_error")
    assert "至少指定2名" in error["message"]
    assert not Case.objects.exists() and not NumberSeries.objects.exists()


def test_an_uncertified_officer_is_not_counted(officer_wang, unit_a) -> None:
    UserFactory(username="clerk_he", full_name="何某", unit=unit_a, roles=[Role.OFFICER])
    response = client_for(officer_wang).post(
        "/cases", {"title": "某案", "field": "农药", "officers": ["officer_wang", "clerk_he"]}
    )
    error = assert_error(response, 422, "validation_error")
    assert "何某" in json.dumps(error["details"], ensure_ascii=False)
    assert not Case.objects.exists()


# --- the actions behind the pages -----------------------------------------------------


def test_registration_and_the_on_the_spot_decision_take_only_listed_fields(
    officer_wang, officer_ma, unit_a
) -> None:
    with pytest.raises(ValidationError) as refused:
        registration.create_case(officer_wang, title="某案", field="\u0001", unit=unit_a)
    assert refused.value.code == "invalid_field"
    subject = Subject.objects.create(kind="person", name="赵六")
    with pytest.raises(ValidationError):
        decide_on_the_spot(
            officer_wang,
            unit=unit_a,
            subject=subject,
            officers=[officer_ma],
            penalty_kind="warning",
            amount_fen=0,
            facts="未按规定标注",
            basis="《农药管理条例》",
            field="木材",
            place="某农资店门前",
        )
    assert not Case.objects.exists() and not NumberSeries.objects.exists()
    # A case entered with its number (an import) may come without a field, never a wrong one.
    imported = registration.create_case(officer_wang, number="旧案1号", title="导入", unit=unit_a)
    assert imported.field == ""
    with pytest.raises(ValidationError):
        registration.create_case(
            officer_wang, number="旧案2号", title="导入", field="木材", unit=unit_a
        )


def test_a_filing_proposal_takes_only_listed_fields(officer_wang, officer_ma, unit_a) -> None:
    lead = filing.record_lead(officer_wang, source="other", summary="线索", unit=unit_a)
    with pytest.raises(ValidationError):
        filing.propose_filing(officer_wang, lead, title="某案", field="木材", officers=[officer_ma])
    lead.refresh_from_db()
    assert lead.status == LeadStatus.OPEN
    filing.propose_filing(officer_wang, lead, title="某案", field="饲料", officers=[officer_ma])
    lead.refresh_from_db()
    assert lead.proposal["field"] == "饲料和饲料添加剂"


def test_the_filing_form_offers_the_list_and_refuses_other_fields(
    client, officer_wang, unit_a
) -> None:
    lead = filing.record_lead(officer_wang, source="other", summary="线索", unit=unit_a)
    sign_in(client, officer_wang)
    url = reverse("cases:lead_detail", args=[lead.pk])
    page = client.get(url).content.decode()
    assert '<option value="饲料和饲料添加剂">饲料和饲料添加剂</option>' in page
    response = client.post(url, {"do": "file", "title": "某案", "field": "木材"})
    assert response.status_code == 200
    lead.refresh_from_db()
    assert lead.status == LeadStatus.OPEN


def test_an_unassigned_character_in_a_form_is_refused(client, officer_wang, unit_a) -> None:
    sign_in(client, officer_wang)
    response = client.post(
        reverse("cases:lead_create"), {"source": "complaint", "summary": "举报\u0378"}
    )
    assert response.status_code == 400
    assert "未分配的字符（U+0378）" in response.content.decode()


# --- the text itself --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["\u0378", "\U000e0080", "\U000effff", "\u0001", "\ufdd0"])
def test_refused_characters(value: str) -> None:
    assert text.refused_character(f"王{value}明") == value


@pytest.mark.parametrize("value", ["王\U00031350", "\U0002b739", "中文\t\n", "Ⅻ"])
def test_the_newest_cjk_characters_pass(value: str) -> None:
    # Unassigned in Python's tables, but the planes of CJK ideographs: names of people.
    assert text.refused_character(value) is None


def test_the_demo_numbers_use_the_configured_fields(db) -> None:
    from liuhen.web import demo

    for number, field, *_rest in demo.CASES:
        assert enforcement_fields.resolve(field) == field
        assert f"（{enforcement_fields.number_part(field)}）" in number
    assert numbering.peek(numbering.KIND_PENALTY, "农药").startswith("洼农（农药）罚")


@pytest.mark.parametrize("name", ["clip\u0001.mp4", "clip\u0378.mp4"])
def test_upload_metadata_is_text_like_any_other(name: str) -> None:
    encoded = base64.b64encode(name.encode()).decode()
    with pytest.raises(TusError) as refused:
        parse_metadata(f"filename {encoded}")
    assert refused.value.status == 400
    assert parse_metadata(f"filename {base64.b64encode(b'clip.mp4').decode()}") == {
        "filename": "clip.mp4"
    }

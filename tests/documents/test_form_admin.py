"""Bureau forms added without code (R6.1): the system administrator types the settings and
the fields as lines; wrong lines are refused by number; the form then is one of the catalog
and prints like any other."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent, Outcome
from liuhen.documents.actions import bureau_forms
from liuhen.documents.catalog import bureau, catalog
from liuhen.documents.catalog.bureau import FormInput
from liuhen.documents.models import FormDefinition
from liuhen.documents.printing.context import PrintContext
from liuhen.documents.printing.pdf import render_pdf
from liuhen.documents.spec import FieldType, Kind
from tests.factories import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_font_cache")]

FIELD_LINES = """
party_name|当事人|text|yes|party.name
site|检查地点|text|yes|
findings|现场发现的问题|textarea|no|
checked_on|检查日期|date|yes|today
result|处理结果|choice|no||责令整改；不予处理
"""


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Messages are compared in English, the language of the source (the pages too)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _input(**overrides) -> FormInput:
    values = {
        "title": "农产品质量安全巡查记录",
        "kind": Kind.RECORD.value,
        "fields": FIELD_LINES,
        "stage": "investigation",
        "signature": True,
        "signers": "当事人\n检查人",
        "paginated": True,
    }
    return FormInput(**{**values, **overrides})


def _create(actor, code: str = "quality_patrol_record", **overrides) -> FormDefinition:
    return bureau_forms.create_form(actor, code=code, data=_input(**overrides))


def _field_errors(refused: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return refused.value.message_dict["fields"]


# --- the actions -------------------------------------------------------------------------


def test_system_admin_adds_a_bureau_form_that_joins_the_catalog(sysadmin_zhao):
    row = _create(sysadmin_zhao)

    spec = catalog.get("quality_patrol_record")
    assert spec in catalog.all_forms()
    assert (spec.title, spec.kind, spec.stage, spec.national) == (
        "农产品质量安全巡查记录",
        Kind.RECORD,
        "investigation",
        False,
    )
    assert spec.signers == ("当事人", "检查人") and spec.paginated and spec.signature
    assert catalog.needs_signature(spec)
    assert [f.name for f in spec.fields] == [
        "party_name",
        "site",
        "findings",
        "checked_on",
        "result",
    ]
    party, site, findings, checked_on, result = spec.fields
    assert party.required and party.prefill == "party.name"
    assert site.required and not findings.required and findings.type == FieldType.TEXTAREA
    assert checked_on.type == FieldType.DATE and checked_on.prefill == "today"
    assert result.type == FieldType.CHOICE and result.choices == ("责令整改", "不予处理")
    event = AuditEvent.objects.get(action="form.create")
    assert event.object_id == str(row.pk) and event.details["fields"] == 5


def test_bureau_form_renders_to_a_pdf_with_its_title(sysadmin_zhao):
    _create(sysadmin_zhao)
    spec = catalog.get("quality_patrol_record")
    values = {"party_name": "某农资店", "site": "大洼区田家街道", "checked_on": "2026-11-28"}

    rendered = render_pdf(PrintContext(spec=spec, values=values, bureau_name="大洼区农业农村局"))

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.pdf)).pages)
    assert rendered.pdf.startswith(b"%PDF-") and rendered.pages >= 1
    assert "农产品质量安全巡查记录" in text and "大洼区田家街道" in text


def test_changing_a_bureau_form_is_audited_and_keeps_its_code(sysadmin_zhao):
    row = _create(sysadmin_zhao)

    bureau_forms.update_form(
        sysadmin_zhao,
        row,
        data=_input(title="农产品质量安全巡查记录（2026版）", active=False, fields="a|甲|text|no|"),
    )

    row.refresh_from_db()
    assert row.code == "quality_patrol_record" and not row.active
    assert row.title == "农产品质量安全巡查记录（2026版）" and len(row.fields) == 1
    assert "quality_patrol_record" not in {s.code for s in catalog.all_forms()}
    assert catalog.get("quality_patrol_record").title == "农产品质量安全巡查记录（2026版）"
    event = AuditEvent.objects.get(action="form.change")
    assert event.details["changed"] == ["active", "fields", "title"]


def test_fields_written_back_as_lines_parse_to_the_same_fields(sysadmin_zhao):
    row = _create(sysadmin_zhao)
    assert bureau.parse_fields(bureau.fields_as_lines(row.fields)) == row.fields


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("party_name|当事人|text|yes|party.name\nsite", ["Line 2"]),
        ("Party Name|当事人|text|yes|", ["Line 1", "Party Name"]),
        ("a|甲|text|no|\n\nb|乙|money|maybe|", ["Line 3", "maybe"]),
        ("a|甲|text|no|\nb|乙|colour|no|", ["Line 2", "colour"]),
        ("a|甲|text|no|party.shoe_size", ["Line 1", "party.shoe_size"]),
        ("a|甲|text|no|\nb||text|no|", ["Line 2"]),
        ("a|甲|text|no|\na|乙|text|no|", ["Line 2", "line 1"]),
        ("a|甲|choice|no|", ["Line 1"]),
        ("a|甲|text|no||x;y", ["Line 1"]),
        ("a|甲|text|no|||extra", ["Line 1"]),
        ("\n  \n", []),
    ],
)
def test_wrong_field_lines_are_refused_by_line_number(sysadmin_zhao, lines, expected):
    with pytest.raises(ValidationError) as refused:
        _create(sysadmin_zhao, fields=lines)
    [message] = _field_errors(refused)
    for part in expected:
        assert part in message
    assert not FormDefinition.objects.exists()


def test_every_wrong_line_is_reported_at_once(sysadmin_zhao):
    with pytest.raises(ValidationError) as refused:
        _create(sysadmin_zhao, fields="1a|甲|text|no|\nok|乙|text|no|\nb|丙|text|perhaps|")
    errors = _field_errors(refused)
    assert [e.split(":")[0] for e in errors] == ["Line 1", "Line 3"]


def test_a_code_of_the_standard_catalog_is_refused(sysadmin_zhao):
    with pytest.raises(ValidationError) as refused:
        _create(sysadmin_zhao, code="penalty_decision")
    assert list(refused.value.message_dict) == ["code"]
    with pytest.raises(ValidationError) as refused:
        _create(sysadmin_zhao, code="legal_review_opinion")  # a bureau form of the catalog
    assert list(refused.value.message_dict) == ["code"]
    _create(sysadmin_zhao)
    with pytest.raises(ValidationError) as refused:
        _create(sysadmin_zhao)  # the same code twice
    assert list(refused.value.message_dict) == ["code"]
    assert FormDefinition.objects.count() == 1


def test_settings_are_checked(sysadmin_zhao):
    with pytest.raises(ValidationError) as refused:
        _create(
            sysadmin_zhao,
            code="Bad Code",
            title="",
            kind="zzz",
            stage="nowhere",
            number_kind="{year}",
            approval_step="filing",
            signers="当事人\n当事人",
        )
    assert set(refused.value.message_dict) == {
        "code",
        "title",
        "kind",
        "stage",
        "number_kind",
        "approval_step",
        "signers",
    }


def test_an_internal_form_may_name_its_approval_step(sysadmin_zhao):
    row = _create(sysadmin_zhao, kind=Kind.INTERNAL.value, approval_step="document")
    assert catalog.get(row.code).approval_step == "document"
    with pytest.raises(ValidationError) as refused:
        _create(sysadmin_zhao, code="other_form", approval_step="document")  # a record
    assert list(refused.value.message_dict) == ["approval_step"]


@pytest.mark.parametrize("persona", ["secadmin_qian", "officer_wang", "agency_head_liu"])
def test_only_the_system_admin_manages_forms(request, persona, sysadmin_zhao):
    actor = request.getfixturevalue(persona)
    with pytest.raises(AccessDenied):
        _create(actor)
    row = _create(sysadmin_zhao)
    with pytest.raises(AccessDenied):
        bureau_forms.update_form(actor, row, data=_input(title="改"))
    row.refresh_from_db()
    assert row.title == "农产品质量安全巡查记录"


# --- the pages ---------------------------------------------------------------------------


def _post_data(**overrides) -> dict[str, str]:
    data = {
        "code": "quality_patrol_record",
        "title": "农产品质量安全巡查记录",
        "kind": "rec",
        "number_kind": "",
        "stage": "investigation",
        "signature": "on",
        "signers": "当事人\r\n检查人",
        "paginated": "on",
        "approval_step": "",
        "active": "on",
        "field_lines": FIELD_LINES.replace("\n", "\r\n"),
    }
    return {**data, **overrides}


def test_forms_page_lists_standard_and_bureau_forms(client, sysadmin_zhao):
    _create(sysadmin_zhao)
    sign_in(client, sysadmin_zhao)
    page = client.get(reverse("documents:forms")).content.decode()
    assert 'data-code="penalty_decision"' in page and "行政处罚决定书" in page
    assert 'data-code="quality_patrol_record"' in page
    row = FormDefinition.objects.get()
    assert reverse("documents:form_edit", args=[row.pk]) in page
    # A standard form is shown, never edited.
    view = client.get(reverse("documents:form_view", args=["penalty_decision"]))
    assert view.status_code == 200 and "decision.facts" in view.content.decode()
    assert 'method="post"' not in view.content.decode().split('id="main"')[1]


def test_system_admin_adds_and_edits_a_form_on_the_page(client, sysadmin_zhao):
    sign_in(client, sysadmin_zhao)
    response = client.post(reverse("documents:form_create"), _post_data())
    row = FormDefinition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:form_edit", args=[row.pk])
    assert len(row.fields) == 5 and row.signers == ["当事人", "检查人"]

    edit = client.get(response["Location"]).content.decode()
    assert "findings|现场发现的问题|textarea|no|" in edit
    response = client.post(
        response["Location"], _post_data(code="hijacked", title="农产品巡查记录")
    )
    row.refresh_from_db()
    assert response.status_code == 302
    assert row.code == "quality_patrol_record" and row.title == "农产品巡查记录"


def test_the_page_shows_bad_lines_on_the_fields_box(client, sysadmin_zhao):
    sign_in(client, sysadmin_zhao)
    response = client.post(
        reverse("documents:form_create"),
        _post_data(field_lines="a|甲|text|no|\r\nb|乙|colour|no|"),
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["field_lines"]
    assert error.startswith("Line 2: unknown type “colour”")
    assert not FormDefinition.objects.exists()


@pytest.mark.parametrize("persona", ["secadmin_qian", "officer_wang"])
def test_form_pages_are_the_system_admins_only(client, request, persona, sysadmin_zhao):
    row = _create(sysadmin_zhao)
    sign_in(client, request.getfixturevalue(persona))
    for url in (
        reverse("documents:forms"),
        reverse("documents:form_create"),
        reverse("documents:form_edit", args=[row.pk]),
        reverse("documents:form_view", args=["penalty_decision"]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("documents:form_create"), _post_data(code="intruder"))
    assert response.status_code == 403
    assert not FormDefinition.objects.filter(code="intruder").exists()


@pytest.mark.parametrize("decision", [True, False])
def test_a_bureau_form_says_whether_it_is_an_enforcement_decision(sysadmin_zhao, decision):
    """R10.1, regulation Art. 10(四): a bureau form that is an enforcement decision
    行政执法决定书 says so; the spec the rest of the code reads carries it (delivery refuses
    its electronic service)."""
    row = _create(sysadmin_zhao, kind=Kind.SERVED.value, enforcement_decision=decision)
    assert row.enforcement_decision is decision
    assert catalog.get(row.code).enforcement_decision is decision
    changed = bureau_forms.update_form(
        sysadmin_zhao,
        row,
        data=_input(kind=Kind.SERVED.value, enforcement_decision=not decision),
    )
    assert catalog.get(changed.code).enforcement_decision is not decision
    event = AuditEvent.objects.filter(action="form.change").get()
    assert event.details["changed"] == ["enforcement_decision"]


def _decision_box(page: str) -> str:
    [box] = re.findall(r'<input[^>]*name="enforcement_decision"[^>]*>', page)
    return box


def test_the_page_leaves_the_decision_box_unticked_and_keeps_it_ticked(client, sysadmin_zhao):
    sign_in(client, sysadmin_zhao)
    url = reverse("documents:form_create")
    new = client.get(url).content.decode()
    assert "checked" not in _decision_box(new)  # not a decision unless ticked
    assert "the recording regulation, Art. 10(4)" in new  # the basis, by the article
    client.post(reverse("documents:form_create"), _post_data(enforcement_decision="on"))
    row = FormDefinition.objects.get()
    assert row.enforcement_decision is True
    edit = client.get(reverse("documents:form_edit", args=[row.pk])).content.decode()
    assert "checked" in _decision_box(edit)


def test_a_bureau_form_that_is_not_there_is_404_and_audited(client, sysadmin_zhao):
    sign_in(client, sysadmin_zhao)
    response = client.get(reverse("documents:form_edit", args=[4040]))
    assert response.status_code == 404
    denied = AuditEvent.objects.get(action="form.manage", outcome=Outcome.DENIED)
    assert denied.object_type == "documents.formdefinition" and denied.object_id == "4040"
    row = _create(sysadmin_zhao)
    assert client.get(reverse("documents:form_edit", args=[row.pk])).status_code == 200

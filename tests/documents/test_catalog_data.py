"""The document catalog as data (R6.1) checked against documents.md and the R9.1 rule list."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from liuhen.cases import approvals
from liuhen.cases.models import Stage
from liuhen.documents.catalog import prefill
from liuhen.documents.catalog.data import BUREAU_FORMS, DOCUMENT_STEP, NATIONAL_FORMS
from liuhen.documents.law import SIGNATURE_REQUIRED_DOCUMENT_KINDS
from liuhen.documents.spec import FieldType, FormSpec, Kind

# The project's copy of the document catalog (shared/domain/documents.md), kept in docs/ so
# the test runs from a clean clone; test_the_copy_is_current checks it where shared/ exists.
DOCUMENTS_MD = Path(__file__).resolve().parents[2] / "docs" / "document-catalog.md"
SHARED_MD = Path(__file__).resolve().parents[3] / "shared" / "domain" / "documents.md"
ALL_FORMS = NATIONAL_FORMS + BUREAU_FORMS
_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*([^|]+?)\s*\|\s*([^|]*?)\s*\|")


def _official(title: str) -> str:
    # Official use writes brackets full-width: 现场检查（勘验）笔录.
    return title.replace("(", "（").replace(")", "）")


def _documents_md() -> dict[int, tuple[str, set[str]]]:
    """number → (title, kinds) from the table of documents.md."""
    rows = {}
    for line in DOCUMENTS_MD.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            number, title, kinds = match.groups()
            rows[int(number)] = (_official(title), {k.strip() for k in kinds.split(",")})
    return rows


def test_the_copy_is_current():
    if SHARED_MD.is_file():  # beside the repository on a developer's machine
        assert DOCUMENTS_MD.read_text(encoding="utf-8") == SHARED_MD.read_text(encoding="utf-8")
    assert len(_documents_md()) == 38


def _by_number() -> dict[int, FormSpec]:
    return {form.number: form for form in NATIONAL_FORMS if form.number is not None}


def test_the_38_national_forms_once_each_with_the_official_titles():
    numbers = [form.number for form in NATIONAL_FORMS]
    assert sorted(n for n in numbers if n is not None) == list(range(1, 39))
    assert len(numbers) == 38
    table = _documents_md()
    assert sorted(table) == list(range(1, 39))
    titles = {number: form.title for number, form in _by_number().items()}
    assert titles == {number: title for number, (title, _kinds) in table.items()}
    assert titles[12] == "现场检查（勘验）笔录" and titles[18] == "查封（扣押）决定书"
    assert all(form.national for form in NATIONAL_FORMS)


def test_kinds_follow_documents_md():
    for number, (title, kinds) in _documents_md().items():
        form = _by_number()[number]
        expected = Kind.INTERNAL if "int" in kinds else Kind.SERVED if "ext" in kinds else None
        assert form.kind == (expected or Kind.RECORD), title
        if "sig" in kinds:
            assert form.signature, title


def test_bureau_forms():
    assert {form.code for form in BUREAU_FORMS} == {
        "legal_review_opinion",
        "collective_discussion_record",
        "statement_defence_transcript",
        "rights_waiver",
        "service_address_confirmation",
        "document_correction",
        "seizure_extension_decision",
    }
    assert all(form.number is None and not form.national for form in BUREAU_FORMS)
    correction = next(form for form in BUREAU_FORMS if form.code == "document_correction")
    assert {"original_number", "corrected_item", "corrected_text"} <= {
        field.name for field in correction.fields
    }
    assert correction.served and correction.sealed


def test_codes_are_unique_slugs():
    codes = [form.code for form in ALL_FORMS]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z][a-z_]*", code) for code in codes)


def test_signature_forms_are_exactly_the_r91_list():
    codes = {form.code for form in ALL_FORMS}
    signed = {form.code for form in ALL_FORMS if form.signature}
    assert signed == set(SIGNATURE_REQUIRED_DOCUMENT_KINDS) & codes
    # R9.1 names these by the same codes as the catalog.
    assert {
        "inquiry_transcript",
        "seizure_notice",
        "seizure_list",
        "rights_waiver",
        "service_receipt",
        "on_the_spot_decision",
    } <= signed
    assert all(form.signers for form in ALL_FORMS if form.signature)


@pytest.mark.parametrize("form", ALL_FORMS, ids=lambda form: form.code)
def test_every_form_names_the_party(form):
    party = [field for field in form.fields if field.prefill == "party.name"]
    assert party and party[0].required
    assert form.fields[0].prefill == "party.name"


@pytest.mark.parametrize("form", ALL_FORMS, ids=lambda form: form.code)
def test_fields_are_well_formed(form):
    names = [field.name for field in form.fields]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in names)
    assert any(field.required for field in form.fields)
    for field in form.fields:
        assert field.label.strip()
        assert not field.prefill or field.prefill in prefill.KEYS, field.prefill
        if field.type in (FieldType.CHOICE, FieldType.ITEMS):
            # ITEMS: the choices are the table's column headers.
            assert len(field.choices) >= 2, field.name


def test_served_forms_are_sealed_and_numbered_records_are_not_numbered():
    for form in ALL_FORMS:
        assert len(form.number_kind) <= 4
        if form.served:
            assert form.sealed and form.number_kind, form.code
        if form.kind == Kind.RECORD:
            assert not form.number_kind, form.code


def test_number_kinds_reuse_the_case_numbering():
    by_code = {form.code: form for form in ALL_FORMS}
    assert by_code["penalty_decision"].number_kind == "罚"
    assert by_code["on_the_spot_decision"].number_kind == "罚"
    assert by_code["advance_notice"].number_kind == "告"
    assert by_code["advance_notice_hearing"].number_kind == "告"
    assert by_code["filing_approval"].number_kind == "立"


def test_payment_qr_only_on_penalty_decisions():
    with_qr = {form.number for form in ALL_FORMS if form.payment_qr}
    assert with_qr == {7, 29}


def test_av_required_and_pagination():
    assert {form.number for form in ALL_FORMS if form.av_required} == {19, 31}
    transcripts = {form.code for form in ALL_FORMS if form.title.endswith("笔录")}
    assert transcripts <= {form.code for form in ALL_FORMS if form.paginated}
    assert "inquiry_transcript" in transcripts


def test_stages_activity_types_and_approval_steps_exist():
    migration = importlib.import_module("liuhen.activities.migrations.0002_activity_types")
    activity_types = {code for code, *_rest in migration.TYPES}
    steps = set(approvals.steps()) | {DOCUMENT_STEP}
    for form in ALL_FORMS:
        assert form.stage in Stage.values, form.code
        assert set(form.activity_types) <= activity_types, form.code
        if form.internal:
            assert form.approval_step in steps, form.code
        else:
            assert not form.approval_step or form.approval_step in steps, form.code
    by_number = _by_number()
    assert by_number[8].approval_step == "filing"
    assert by_number[28].approval_step == "decision"
    assert by_number[38].approval_step == "closing"
    assert by_number[22].approval_step == "suspension"
    assert by_number[23].approval_step == "resumption"
    assert by_number[11].activity_types == ("inquiry",)


def test_penalty_decision_has_the_content_of_article_59():
    decision = _by_number()[29]
    prefills = {field.prefill for field in decision.fields}
    assert {
        "party.name",
        "decision.facts",
        "decision.basis",
        "decision.penalty",
        "text.payment",
        "text.remedies",
        "bureau.name",
        "decision.decided_on",
    } <= prefills
    assert decision.get_field("payment_notice_number") is not None

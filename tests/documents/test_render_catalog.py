"""Every form of the catalog (the 38 national forms and the bureau forms, R6.1) prints to a
valid PDF whose text layer gives back its title and the party's name (issue 5 acceptance)."""

from __future__ import annotations

import datetime
import io

import pytest
from pypdf import PdfReader

from liuhen.documents.catalog.catalog import builtin_forms
from liuhen.documents.printing.context import PrintApproval, PrintContext
from liuhen.documents.printing.pdf import render_pdf
from liuhen.documents.spec import FieldSpec, FieldType, FormSpec

pytestmark = pytest.mark.usefixtures("shared_font_cache")

PARTY = "盘锦市大洼区丰收农资经营部"
BUREAU = "盘锦市大洼区农业农村局"


def dummy_value(field: FieldSpec) -> str:
    if field.name == "party_name":
        return PARTY
    match field.type:
        case FieldType.TEXTAREA:
            return f"{field.label}第一段。\n{field.label}第二段。"
        case FieldType.DATE:
            return "2026-03-05"
        case FieldType.DATETIME:
            return "2026-03-05T09:30"
        case FieldType.INTEGER:
            return "3"
        case FieldType.MONEY:
            return "18000.00"
        case FieldType.CHOICE:
            return field.choices[0] if field.choices else "是"
        case FieldType.ITEMS:
            columns = max(len(field.choices), 1)
            return "\n".join(
                "|".join(f"第{row}行{col}" for col in range(columns)) for row in (1, 2)
            )
    return f"{field.label}内容"


def filled_context(spec: FormSpec) -> PrintContext:
    return PrintContext(
        spec=spec,
        values={field.name: dummy_value(field) for field in spec.fields},
        bureau_name=BUREAU,
        number=f"洼农（农药）{spec.number_kind}〔2026〕1号" if spec.number_kind else "",
        issued_on=datetime.date(2026, 3, 5),
        verify_url="https://liuhen.example.org/verify/1",
        payment_url="https://pay.example.org/notice/1" if spec.payment_qr else "",
        payment_notice_number="2111042026000001" if spec.payment_qr else "",
        approvals=(
            (PrintApproval("执法机关负责人意见", "刘建国", "同意。", datetime.date(2026, 3, 5)),)
            if spec.internal
            else ()
        ),
    )


def flat(text: str) -> str:
    # Long titles wrap onto a second line; compare without the line breaks.
    return "".join(text.split())


@pytest.mark.parametrize("spec", builtin_forms(), ids=lambda spec: spec.code)
def test_every_catalog_form_prints_its_title_and_the_party(spec: FormSpec):
    rendered = render_pdf(filled_context(spec))
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert len(reader.pages) == rendered.pages >= 1
    text = flat("\n".join(page.extract_text() for page in reader.pages))
    assert flat(spec.title) in text
    assert PARTY in text
    if spec.sealed:
        assert rendered.seal_box is not None
        assert rendered.seal_box[0] == rendered.pages - 1
    else:
        assert rendered.seal_box is None
    if spec.paginated:
        assert flat(f"第 1 页 共 {rendered.pages} 页") in text

"""The export of a subject's file (R18.3): PDF and XLSX for those allowed, audited;
refused (and the refusal audited) to an officer of another unit."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from liuhen.core.models import AuditEvent
from liuhen.subjects.perms import SubjectPerms
from tests.factories import denial, sign_in
from tests.fixtures.documents import pdf_text
from tests.subjects.file.world import build_world

pytestmark = pytest.mark.django_db


def test_a_supervisor_exports_the_file_as_xlsx_audited(
    unit_a, officer_wang, supervisor_zheng
) -> None:
    world = build_world(unit_a, officer_wang)
    client = sign_in(Client(), supervisor_zheng)
    response = client.get(reverse("subjects:export", args=[world.subject.pk, "xlsx"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    assert world.case.number in cells and world.notice.number in cells
    event = AuditEvent.objects.get(action=SubjectPerms.EXPORT_FILE, object_id=str(world.subject.pk))
    assert event.details["format"] == "xlsx" and event.details["rows"]["payments"] == 1


def test_the_officer_of_the_case_exports_the_pdf_summary(unit_a, officer_wang) -> None:
    world = build_world(unit_a, officer_wang)
    response = sign_in(Client(), officer_wang).get(
        reverse("subjects:export", args=[world.subject.pk, "pdf"])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert world.subject.name in pdf_text(response.content)
    assert AuditEvent.objects.filter(action=SubjectPerms.EXPORT_FILE).count() == 1


def test_an_officer_of_another_unit_may_not_export(unit_a, officer_wang, officer_li) -> None:
    world = build_world(unit_a, officer_wang)
    client = sign_in(Client(), officer_li)
    assert (
        'data-testid="export-pdf"'
        not in client.get(reverse("subjects:detail", args=[world.subject.pk])).content.decode()
    )
    response = client.get(reverse("subjects:export", args=[world.subject.pk, "xlsx"]))
    assert response.status_code == 403
    assert denial(SubjectPerms.EXPORT_FILE, object_id=str(world.subject.pk))
    assert not AuditEvent.objects.filter(action=SubjectPerms.EXPORT_FILE, outcome="ok").exists()

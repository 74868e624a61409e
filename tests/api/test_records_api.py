"""The records API (R20.1): a case's issued documents with their files' digests, service
records and payment notices, read under the pages' access policy — the case's unit reads
them, another unit's officer gets 404 (audited) — and opening one document is an audited
read."""

from __future__ import annotations

import datetime as dt

import pytest

from liuhen.core.models import AuditEvent, Outcome
from liuhen.documents.files import store_bytes
from liuhen.documents.models import DocumentFile, FilePurpose
from tests.fixtures.api import client_for
from tests.subjects.file.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("blob_root")]


@pytest.fixture
def served_world(unit_a, officer_wang):
    """Unit A's decided case, its decision issued (with a file) and served, and its notice."""
    world = build_world(unit_a, officer_wang)
    blob = store_bytes(b"%PDF-1.7 decision")
    DocumentFile.objects.create(
        issued=world.service.issued,
        purpose=FilePurpose.ISSUED,
        blob=blob,
        content_type="application/pdf",
        pages=2,
        created_by=officer_wang,
    )
    return world


def test_the_units_officer_reads_documents_service_and_payments(served_world, officer_wang):
    client, case = client_for(officer_wang), served_world.case
    documents = client.get(f"/cases/{case.pk}/documents").json()
    [document] = documents["items"]
    assert (document["number"], document["title"]) == (
        "洼农（农药）罚〔2026〕1号",
        "行政处罚决定书",
    )
    [file] = document["files"]
    assert file["sha256"] == served_world.service.issued.files.get().blob_id
    assert file["size"] == len(b"%PDF-1.7 decision") and file["pages"] == 2

    [service] = client.get(f"/cases/{case.pk}/service-records").json()["items"]
    assert service["issued_id"] == document["id"] and service["served_on"] == "2026-03-03"
    assert service["mode_label"] == "直接送达"

    [notice] = client.get(f"/cases/{case.pk}/payment-notices").json()
    assert notice["number"] == served_world.notice.number
    assert notice["amount_fen"] == served_world.notice.amount_fen
    assert notice["state"] in {"unpaid", "overdue"} and notice["paid_fen"] == 0
    assert notice["due_on"] is not None and dt.date.fromisoformat(notice["due_on"]) > dt.date(
        2026, 3, 3
    )


def test_opening_a_document_is_an_audited_read(served_world, officer_wang):
    issued = served_world.service.issued
    answer = client_for(officer_wang).get(f"/documents/{issued.pk}")
    assert answer.status_code == 200 and answer.json()["id"] == issued.pk
    assert AuditEvent.objects.filter(action="document.view", object_id=str(issued.pk)).exists()


def test_another_units_officer_gets_404_and_the_attempt_is_logged(served_world, officer_li):
    client, case = client_for(officer_li), served_world.case
    for path in (
        f"/cases/{case.pk}/documents",
        f"/cases/{case.pk}/service-records",
        f"/cases/{case.pk}/payment-notices",
        f"/documents/{served_world.service.issued.pk}",
    ):
        assert client.get(path).status_code == 404, path
    denials = AuditEvent.objects.filter(outcome=Outcome.DENIED)
    assert sorted(denials.values_list("action", flat=True)) == [
        "case.view",
        "case.view",
        "case.view",
        "document.view",
    ]

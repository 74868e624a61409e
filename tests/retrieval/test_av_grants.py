"""调阅 of AV records (R21.1, R14.1): the refusal page offers the request, a download grant
lets the officer download with an id of its own in the file name, logged with the grant;
the player shows who watches."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liuhen.core.models import AuditEvent
from liuhen.retrieval.actions import requests as retrieval
from tests.fixtures.media import ingest_bytes
from tests.media import media_factory as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def wangs_recording(officer_wang, recorder):
    return ingest_bytes(officer_wang, make.make_mp4(seconds=2), "现场检查.mp4", device=recorder)


def test_a_refused_download_offers_a_retrieval_request(client, wangs_recording, officer_wang):
    client.force_login(officer_wang)
    refused = client.get(reverse("media:download", args=[wangs_recording.pk]))
    assert refused.status_code == 403
    page = refused.content.decode()
    assert 'data-testid="ask-retrieval"' in page and "提出调阅申请" in page
    assert f"target={wangs_recording.pk}" in page and "access=download" in page


def test_a_download_grant_names_each_download(client, wangs_recording, officer_wang, head_zhang):
    filed = retrieval.file_request(
        officer_wang,
        kind="record",
        pk=wangs_recording.pk,
        access_kind="download",
        reason="移送司法机关需提供复制件",
    )
    retrieval.grant(head_zhang, filed)
    client.force_login(officer_wang)
    first = client.get(reverse("media:download", args=[wangs_recording.pk]))
    second = client.get(reverse("media:download", args=[wangs_recording.pk]))
    assert first.status_code == second.status_code == 200
    downloads = AuditEvent.objects.filter(action="media.download", outcome="ok").order_by("pk")
    ids = [event.details["download_id"] for event in downloads]
    assert len(set(ids)) == 2
    assert {event.details["grant"] for event in downloads} == {filed.number}
    assert ids[0] in first["Content-Disposition"] and ids[1] in second["Content-Disposition"]


def test_the_player_shows_who_watches(client, wangs_recording, officer_li, head_zhang):
    client.force_login(officer_li)
    record_page = reverse("media:record", args=[wangs_recording.pk])
    assert client.get(record_page).status_code == 404
    filed = retrieval.file_request(officer_li, kind="record", pk=wangs_recording.pk, reason="比对")
    retrieval.grant(head_zhang, filed)
    page = client.get(record_page).content.decode()
    assert 'data-testid="viewer-mark"' in page and "李强" in page and filed.number in page
    view = AuditEvent.objects.get(action="media.view", outcome="ok")
    assert view.details["grant"] == filed.number
    assert client.get(reverse("media:download", args=[wangs_recording.pk])).status_code == 403

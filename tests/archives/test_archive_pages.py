"""R18.1: the archivist's pages — closed cases awaiting archiving, the review of a case
file, the case page's section — shown and refused both ways, in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from liuhen.archives.actions import case_file as actions
from liuhen.archives.models import CaseFile
from liuhen.archives.perms import ArchivePerms
from tests.factories import CaseFactory, denial, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting_archiving(unit_a, officer_wang):
    """王明's case, closed two days ago, with no documents yet archived."""
    return CaseFactory(
        unit=unit_a,
        officers=[officer_wang],
        title="某农资店销售假农药案",
        closed_at=timezone.now() - dt.timedelta(days=2),
        closing_condition="executed",
    )


def _zh(client, url: str):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_the_archivist_sees_the_queue(client, archivist_wu, awaiting_archiving) -> None:
    sign_in(client, archivist_wu)
    html = _zh(client, "/archives/").content.decode()
    assert "待归档" in html and awaiting_archiving.title in html


def test_an_officer_may_not_open_the_queue(client, officer_wang, awaiting_archiving) -> None:
    sign_in(client, officer_wang)
    assert _zh(client, "/archives/").status_code == 403
    assert denial(ArchivePerms.QUEUE, actor_id=officer_wang.pk)


def test_the_archivist_assembles_and_archives_through_the_pages(
    client, archivist_wu, awaiting_archiving, installed_seal
) -> None:
    sign_in(client, archivist_wu)
    url = f"/archives/cases/{awaiting_archiving.pk}/"
    assert "尚未组卷" in _zh(client, url).content.decode()
    client.post(f"{url}assemble/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = _zh(client, url).content.decode()
    assert 'data-testid="archive-form"' in html and "依据：制度第十八条" in html
    assert "R18" not in html
    client.post(f"{url}note/", {"note": "本卷无纸质材料。"})
    client.post(f"{url}archive/", {"retention": "permanent"})
    case_file = CaseFile.objects.get(case=awaiting_archiving)
    assert case_file.is_archived and case_file.note == "本卷无纸质材料。"
    response = client.get(f"{url}bound.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_officer_sees_the_file_but_not_the_archive_button(
    client, officer_wang, archivist_wu, awaiting_archiving, installed_seal
) -> None:
    case_file = actions.assemble_case_file(archivist_wu, awaiting_archiving)
    sign_in(client, officer_wang)
    url = f"/archives/cases/{awaiting_archiving.pk}/"
    html = _zh(client, url).content.decode()
    assert 'data-testid="catalogue"' in html and 'data-testid="archive-form"' not in html
    assert client.post(f"{url}archive/", {"retention": "permanent"}).status_code == 403
    case_file.refresh_from_db()
    assert not case_file.is_archived
    case_page = _zh(client, f"/cases/{awaiting_archiving.pk}/").content.decode()
    assert 'data-testid="case-file-section"' in case_page


def test_another_units_officer_gets_404(client, officer_li, awaiting_archiving) -> None:
    sign_in(client, officer_li)
    assert _zh(client, f"/archives/cases/{awaiting_archiving.pk}/").status_code == 404

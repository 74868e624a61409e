"""The public pages of 执法公示 (R12.1): no login, the 事前公示 from the data the system
holds, the decisions paged by key, and the annual data with its clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liuhen.core.access import AccessDenied
from liuhen.disclosure import public
from liuhen.disclosure.actions.annual import publish_annual_data
from liuhen.disclosure.clocks import annual_clock
from tests.factories import CertificateFactory, sign_in

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.local_dates,
    pytest.mark.usefixtures("local_midday"),
]

PAGES = [
    "portal:disclosure",
    "portal:disclosure_decisions",
    "portal:disclosure_units",
    "portal:disclosure_bases",
    "portal:disclosure_procedures",
    "portal:disclosure_channels",
    "portal:disclosure_annual",
]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_opens_without_login(client, name) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="zh' in response.content.decode()


def test_officers_are_listed_with_valid_certificates(client, officer_wang, officer_ma) -> None:
    valid = CertificateFactory(officer=officer_wang, number="21110999001")
    CertificateFactory(
        officer=officer_ma,
        number="21110999002",
        valid_to=timezone.localdate() - dt.timedelta(days=1),
        valid_from=timezone.localdate() - dt.timedelta(days=400),
    )
    text = client.get(reverse("portal:disclosure_units")).content.decode()
    assert valid.number in text and str(officer_wang) in text
    assert "21110999002" not in text
    assert officer_wang.unit.name in text


def test_bases_come_from_the_rule_catalogue(client) -> None:
    text = client.get(reverse("portal:disclosure_bases")).content.decode()
    assert "国办发〔2018〕118号" in text


def test_keyset_pages(decided_case, decided_case_of_a_person, reviewer_sun) -> None:
    from liuhen.disclosure.actions import publishing

    first = publishing.publish_decision(reviewer_sun, decided_case.decision)
    second = publishing.publish_decision(reviewer_sun, decided_case_of_a_person.decision)
    page = public.publications(size=1)
    assert [row.pk for row in page.rows] == [second.pk] and page.next_before == second.pk
    older = public.publications(before=page.next_before, size=1)
    assert [row.pk for row in older.rows] == [first.pk] and older.next_before is None


def test_an_unknown_publication_is_404(client) -> None:
    assert client.get(reverse("portal:disclosure_publication", args=[999])).status_code == 404


def test_annual_data_by_31_january(client, decided_case, agency_head_liu, officer_wang) -> None:
    year = timezone.localdate().year - 1
    clock = annual_clock(year)
    assert clock is not None and clock.due == dt.date(year + 1, 1, 31)
    with pytest.raises(AccessDenied):
        publish_annual_data(officer_wang, year)
    data = publish_annual_data(agency_head_liu, year)
    assert data.due == dt.date(year + 1, 1, 31)
    assert set(data.figures) >= {"cases_opened", "decisions", "fines_fen"}
    with pytest.raises(ValidationError):
        publish_annual_data(agency_head_liu, year)
    with pytest.raises(ValidationError):
        publish_annual_data(agency_head_liu, year + 1)
    page = client.get(reverse("portal:disclosure_annual_year", args=[year]))
    assert page.status_code == 200
    assert client.get(reverse("portal:disclosure_annual_year", args=[year - 5])).status_code == 404
    met = annual_clock(year)
    assert met is not None and met.met_on == timezone.localdate()


def test_the_annual_staff_page_both_ways(client, agency_head_liu, officer_wang) -> None:
    sign_in(client, officer_wang)
    assert client.get(reverse("disclosure:annual")).status_code == 403
    client.logout()
    sign_in(client, agency_head_liu)
    assert client.get(reverse("disclosure:annual")).status_code == 200
    year = timezone.localdate().year - 1
    assert client.post(reverse("disclosure:publish_annual"), {"year": year}).status_code == 302
    assert public.annual(year) is not None

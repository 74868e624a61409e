"""Licences on the subject page and the case page (R18.3, R20): fetching from the data
exchange, fetching twice, a timeout, the digest shown; entry by hand; access both ways."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from liuhen.cases.actions.registration import link_party
from liuhen.core.models import AuditEvent
from liuhen.subjects.models import ExchangeRecord, Licence, LicenceType
from tests.factories import SYSTEM, denial, sign_in, unit_subject

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("blob_root")]

DEMO_SEED_USCC = "91211104MA0QF2L79Q"


@pytest.fixture
def demo_seed_company_of_case_a(case_a):
    """The demo 种业有限公司 (the simulator holds its 种子生产经营许可证), a party of case A."""
    company = unit_subject(DEMO_SEED_USCC, name="盘锦某种业有限公司")
    link_party(SYSTEM, case_a, company)
    return company


def _fetch(user, subject):
    client = sign_in(Client(), user)
    return client.post(reverse("subjects:fetch_licences", args=[subject.pk]), follow=True)


def test_fetching_shows_the_licence_and_its_digest(
    officer_wang, demo_seed_company_of_case_a
) -> None:
    page = _fetch(officer_wang, demo_seed_company_of_case_a)
    assert page.status_code == 200
    text = page.content.decode()
    record = ExchangeRecord.objects.get()
    assert "种子生产经营许可证" in text and "D（辽盘）农种许字（2023）第0007号" in text
    assert record.blob_id in text and "已从政务数据共享交换平台获取并保存" in text
    assert "交换平台签名已验证" in text


def test_fetching_twice_keeps_one_and_says_so(officer_wang, demo_seed_company_of_case_a) -> None:
    _fetch(officer_wang, demo_seed_company_of_case_a)
    page = _fetch(officer_wang, demo_seed_company_of_case_a)
    assert "均已保存" in page.content.decode()
    assert ExchangeRecord.objects.count() == 1 == Licence.objects.count()


def test_a_timeout_leaves_the_page_usable_with_a_message(
    settings, officer_wang, demo_seed_company_of_case_a
) -> None:
    settings.EXCHANGE_URL = "simulator:timeout"
    page = _fetch(officer_wang, demo_seed_company_of_case_a)
    assert page.status_code == 200
    text = page.content.decode()
    assert "政务数据共享交换平台未能及时应答" in text
    assert 'data-testid="fetch-licences"' in text and 'data-testid="licence-entry"' in text
    assert not Licence.objects.exists()


def test_an_officer_of_the_case_enters_a_licence_by_hand(
    officer_wang, demo_seed_company_of_case_a
) -> None:
    client = sign_in(Client(), officer_wang)
    kind = LicenceType.objects.get(name="农药经营许可证")
    page = client.post(
        reverse("subjects:add_licence", args=[demo_seed_company_of_case_a.pk]),
        {
            "licence-licence_type": kind.pk,
            "licence-number": "农药经许（辽）21110400999",
            "licence-issuer": "盘锦市大洼区农业农村局",
            "licence-valid_from": "2025-01-01",
            "licence-valid_until": "2029-12-31",
            "licence-status": "valid",
        },
        follow=True,
    )
    assert "许可证已记录" in page.content.decode()
    licence = Licence.objects.get()
    assert (licence.number, licence.created_by) == ("农药经许（辽）21110400999", officer_wang)
    assert AuditEvent.objects.filter(action="subject.licence_add").count() == 1


def test_hand_entry_refusals_are_said_in_chinese(officer_wang, demo_seed_company_of_case_a) -> None:
    client = sign_in(Client(), officer_wang)
    kind = LicenceType.objects.get(name="农药经营许可证")
    page = client.post(
        reverse("subjects:add_licence", args=[demo_seed_company_of_case_a.pk]),
        {
            "licence-licence_type": kind.pk,
            "licence-number": "X1",
            "licence-valid_from": "2029-01-01",
            "licence-valid_until": "2025-01-01",
            "licence-status": "valid",
        },
        follow=True,
    )
    assert "许可证的有效期限不能早于开始日期" in page.content.decode()
    assert not Licence.objects.exists()


def test_another_units_officer_sees_the_licences_but_may_not_add_or_fetch(
    officer_wang, officer_li, demo_seed_company_of_case_a
) -> None:
    _fetch(officer_wang, demo_seed_company_of_case_a)
    client = sign_in(Client(), officer_li)
    page = client.get(reverse("subjects:detail", args=[demo_seed_company_of_case_a.pk]))
    text = page.content.decode()
    assert "D（辽盘）农种许字（2023）第0007号" in text
    assert 'data-testid="fetch-licences"' not in text and 'data-testid="licence-entry"' not in text
    refused = client.post(reverse("subjects:fetch_licences", args=[demo_seed_company_of_case_a.pk]))
    assert refused.status_code == 403
    assert denial("subject.change").actor_name == "officer_li"
    refused = client.post(reverse("subjects:add_licence", args=[demo_seed_company_of_case_a.pk]))
    assert refused.status_code == 403
    assert Licence.objects.count() == 1


def test_a_hidden_subjects_licences_answer_404(officer_li) -> None:
    hidden = unit_subject(DEMO_SEED_USCC, confidentiality="state_secret")
    client = sign_in(Client(), officer_li)
    assert client.post(reverse("subjects:fetch_licences", args=[hidden.pk])).status_code == 404


def test_the_case_page_shows_the_partys_licences(
    officer_wang, case_a, demo_seed_company_of_case_a
) -> None:
    _fetch(officer_wang, demo_seed_company_of_case_a)
    page = sign_in(Client(), officer_wang).get(reverse("cases:detail", args=[case_a.pk]))
    text = page.content.decode()
    assert 'data-testid="case-licences"' in text
    assert "D（辽盘）农种许字（2023）第0007号" in text and "当事人许可证件" in text

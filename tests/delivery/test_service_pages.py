"""The service pages (R10.1, R10.2): the service form (every mode's fieldset, usable without
JavaScript), the consent form, a service record and its proofs, the delivery register
送达台账 with its filters and audited exports — each access rule both ways."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from openpyxl import load_workbook

from liuhen.cases.models import Case
from liuhen.core.models import AuditEvent, Outcome
from liuhen.delivery.models import ServiceConsent, ServiceRecord
from liuhen.delivery.service import register as delivery_register
from liuhen.media.actions import curation
from tests.delivery.service_helpers import PARTY, av, consent, issued_row, local_input, serve
from tests.factories import pks, sign_in

pytestmark = pytest.mark.django_db

REGISTER = "/delivery/"


@pytest.fixture
def numbered_issued_decision(officer_wang, numbered_case_a):
    return issued_row(officer_wang, numbered_case_a, number="洼农（农药）罚〔2026〕7号")


def _html(response) -> str:
    return response.content.decode()


# --- the service form -------------------------------------------------------------------


def _mode_options(html: str) -> list[str]:
    [select] = re.findall(r'<select name="mode".*?</select>', html, re.S)
    return [value for value in re.findall(r'<option value="([^"]*)"', select) if value]


def test_service_form_shows_every_mode(client, officer_wang, numbered_case_a):
    """A document that is not an enforcement decision: all six modes (R10.1)."""
    notice = issued_row(officer_wang, numbered_case_a, "advance_notice")
    client.force_login(officer_wang)
    response = client.get(f"/delivery/serve/{notice.pk}/")
    assert response.status_code == 200
    html = _html(response)
    modes = ["direct", "leaving", "post", "electronic", "entrusted", "public_notice"]
    for mode in modes:
        assert f'data-mode-section="{mode}"' in html
    assert _mode_options(html) == modes
    assert notice.number in html and 'data-testid="no-electronic"' not in html
    assert 'enctype="multipart/form-data"' in html
    # CSP: the only script is the static file; the channel labels travel as JSON data.
    assert re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html) == []
    assert "delivery/service_form.js" in html
    assert 'data-testid="service-deadline"' not in html  # a notice runs no service clock


def test_the_decisions_service_form_offers_no_electronic_service(
    client, officer_wang, numbered_issued_decision
):
    """R10.1, regulation Art. 10(四): the enforcement decision's form offers no electronic
    mode and says why, citing the article by its name."""
    client.force_login(officer_wang)
    response = client.get(
        f"/delivery/serve/{numbered_issued_decision.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    html = _html(response)
    assert response.status_code == 200 and numbered_issued_decision.number in html
    assert 'data-mode-section="electronic"' not in html
    assert _mode_options(html) == ["direct", "leaving", "post", "entrusted", "public_notice"]
    [note] = re.findall(r'data-testid="no-electronic">([^<]*)<', html)
    assert "行政执法决定书" in note and "依据：制度第十条" in note and "R10" not in note
    assert 'data-testid="service-deadline"' in html


def test_service_form_access_both_ways(
    client, officer_li, reviewer_sun, officer_wang, numbered_issued_decision
):
    url = f"/delivery/serve/{numbered_issued_decision.pk}/"
    assert client.get(url).status_code == 302  # to log in
    client.force_login(officer_li)  # another unit: the document does not exist for him
    assert client.get(url).status_code == 404
    hidden = AuditEvent.objects.get(action="service.record", outcome=Outcome.DENIED)
    assert hidden.actor_name == "officer_li" and hidden.object_id == str(
        numbered_issued_decision.pk
    )
    client.force_login(reviewer_sun)  # reads the case, does not work it
    assert client.get(url).status_code == 403
    assert client.post(url, {"mode": "direct"}).status_code == 403
    denied = AuditEvent.objects.filter(action="service.record", outcome=Outcome.DENIED)
    assert denied.count() == 3
    client.force_login(officer_wang)
    assert client.get(url).status_code == 200


def test_direct_service_posted_without_javascript(client, officer_wang, numbered_issued_decision):
    """The form as a browser without JS sends it: every fieldset's fields, the chosen one
    filled."""
    client.force_login(officer_wang)
    served_at = timezone.now() - dt.timedelta(hours=1)
    scan = SimpleUploadedFile("回证.pdf", b"%PDF-1.4 receipt scan", content_type="application/pdf")
    response = client.post(
        f"/delivery/serve/{numbered_issued_decision.pk}/",
        {
            "mode": "direct",
            "recipient": PARTY,
            "address": "",
            "served_at": local_input(served_at),
            "direct__file__receipt": scan,
            "post__tracking_number": "ignored: another mode",
        },
    )
    record = ServiceRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/delivery/service/{record.pk}/"
    assert record.mode == "direct" and record.served_on == timezone.localdate(served_at)
    assert record.details == {}
    [proof] = record.attachments.all()
    assert (proof.kind, proof.name, proof.content_type) == (
        "receipt",
        "回证.pdf",
        "application/pdf",
    )

    page = client.get(f"/delivery/service/{record.pk}/")
    assert page.status_code == 200 and "回证.pdf" in _html(page)
    download = client.get(f"/delivery/service/{record.pk}/proof/{proof.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 receipt scan"
    event = AuditEvent.objects.get(action="service.view")
    assert (
        event.details["attachment"] == proof.pk
        and event.case_id == numbered_issued_decision.case_id
    )


def test_the_modes_message_shows_on_its_field(client, officer_wang, numbered_issued_decision):
    client.force_login(officer_wang)
    with translation.override("zh-hans"):
        response = client.post(
            f"/delivery/serve/{numbered_issued_decision.pk}/",
            {
                "mode": "leaving",
                "recipient": PARTY,
                "address": "大洼区田家街道1号",
                "served_at": local_input(timezone.now()),
                "leaving__circumstances": "当事人拒收。",
            },
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 422
    html = _html(response)
    assert 'data-testid="error-leaving__witness"' in html and "第八十九条" in html
    assert not ServiceRecord.objects.exists()


@pytest.mark.parametrize(
    "channel, fields",
    [
        ("portal", {}),
        ("fax", {"electronic__fax_number": "0427-6888888"}),
        ("email", {"electronic__email": "fengshou@example.cn"}),
    ],
)
def test_electronic_service_of_the_decision_is_refused_on_the_page(
    client, officer_wang, numbered_issued_decision, channel, fields
):
    """A post naming the electronic mode anyway (regulation Art. 10(四)): refused with
    the reason on the mode field, whatever the party agreed."""
    consent(officer_wang, numbered_issued_decision.case, "portal", "fax", "email")
    client.force_login(officer_wang)
    response = client.post(
        f"/delivery/serve/{numbered_issued_decision.pk}/",
        {
            "mode": "electronic",
            "recipient": PARTY,
            "served_at": local_input(timezone.now()),
            "electronic__channel": channel,
            "electronic__file__screenshot": SimpleUploadedFile("sent.png", b"\x89PNG sent"),
            **fields,
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 422
    [error] = re.findall(r'data-testid="error-mode">([^<]*)<', _html(response))
    assert "行政执法决定书不通过政务服务网自助下载、传真、电子邮件方式送达" in error
    assert "依据：制度第十条" in error
    assert not ServiceRecord.objects.exists()


def _portal_post(client, issued):
    return client.post(
        f"/delivery/serve/{issued.pk}/",
        {
            "mode": "electronic",
            "recipient": PARTY,
            "served_at": local_input(timezone.now() - dt.timedelta(hours=1)),
            "electronic__channel": "portal",
            "electronic__file__screenshot": SimpleUploadedFile("下载记录.png", b"\x89PNG dl"),
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def test_portal_download_of_a_notice_needs_consent_on_the_page(
    client, officer_wang, numbered_case_a
):
    """行政处罚法 Art. 61(2), 民事诉讼法 Art. 90: refused without the party's consent,
    recorded with it."""
    notice = issued_row(officer_wang, numbered_case_a, "advance_notice")
    client.force_login(officer_wang)
    response = _portal_post(client, notice)
    assert response.status_code == 422
    [error] = re.findall(r'data-testid="error-electronic__consent">([^<]*)<', _html(response))
    assert "须经受送达人同意" in error and "第六十一条第二款" in error
    assert not ServiceRecord.objects.exists()
    agreed = consent(officer_wang, numbered_case_a, "portal")
    response = _portal_post(client, notice)
    record = ServiceRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/delivery/service/{record.pk}/"
    assert (record.channel, record.consent) == ("portal", agreed)


def test_the_cases_av_records_are_offered_as_proof(client, officer_wang, numbered_issued_decision):
    video = av(officer_wang, "posting.mp4")
    curation.link(officer_wang, video, case=numbered_issued_decision.case)
    client.force_login(officer_wang)
    assert f'value="{video.pk}"' in _html(
        client.get(f"/delivery/serve/{numbered_issued_decision.pk}/")
    )
    response = client.post(
        f"/delivery/serve/{numbered_issued_decision.pk}/",
        {
            "mode": "public_notice",
            "recipient": PARTY,
            "served_at": local_input(timezone.now() - dt.timedelta(hours=1)),
            "public_notice__reason": "下落不明",
            "public_notice__method": "住所地张贴",
            "public_notice__process": "当日张贴并录像",
            "public_notice__file__notice_original": SimpleUploadedFile("公告.pdf", b"%PDF notice"),
            "av_records": [str(video.pk)],
        },
    )
    assert response.status_code == 302
    record = ServiceRecord.objects.get()
    assert {a.kind for a in record.attachments.all()} == {"notice_original", "av_record"}


# --- the consent form -------------------------------------------------------------------


def test_consent_form_records_and_returns_to_the_service_form(
    client, officer_wang, numbered_issued_decision
):
    client.force_login(officer_wang)
    decision = numbered_issued_decision
    url = f"/delivery/consent/{decision.case_id}/?issued={decision.pk}"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    # The law as it is: consent for every channel, no electronic service of a decision.
    assert "第六十一条第二款" in _html(page) and "依据：制度第十条" in _html(page)
    assert 'value="portal"' in _html(page)
    response = client.post(
        url,
        {
            "party_name": PARTY,
            "channels": ["fax"],
            "fax_number": "0427-6888888",
            "consented_on": timezone.localdate().isoformat(),
        },
    )
    assert (
        response.status_code == 302
        and response["Location"] == f"/delivery/serve/{numbered_issued_decision.pk}/"
    )
    assert ServiceConsent.objects.get().channels == ["fax"]
    assert AuditEvent.objects.filter(action="service.consent").count() == 1


def test_consent_form_errors_and_access(
    client, officer_wang, officer_li, reviewer_sun, numbered_case_a
):
    url = f"/delivery/consent/{numbered_case_a.pk}/"
    client.force_login(officer_wang)
    with translation.override("zh-hans"):
        response = client.post(url, {"party_name": PARTY}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 422 and "请至少选择一种" in _html(response)
    client.force_login(officer_li)
    assert client.get(url).status_code == 404
    hidden = AuditEvent.objects.get(action="service.record", outcome=Outcome.DENIED)
    assert hidden.actor_name == "officer_li" and hidden.object_id == str(numbered_case_a.pk)
    client.force_login(reviewer_sun)
    assert client.get(url).status_code == 403
    assert not ServiceConsent.objects.exists()


# --- a record and its proofs ------------------------------------------------------------


def test_record_page_access_both_ways(
    client, officer_wang, officer_li, reviewer_sun, numbered_issued_decision
):
    record = serve(officer_wang, numbered_issued_decision, "direct")
    proof = record.attachments.get()
    page, download = (
        f"/delivery/service/{record.pk}/",
        f"/delivery/service/{record.pk}/proof/{proof.pk}/",
    )
    client.force_login(officer_li)
    assert client.get(page).status_code == 404 and client.get(download).status_code == 404
    hidden = AuditEvent.objects.filter(action="service.view", outcome=Outcome.DENIED)
    assert [e.object_id for e in hidden] == [str(record.pk)] * 2
    assert not AuditEvent.objects.filter(action="service.view", outcome=Outcome.OK).exists()
    client.force_login(reviewer_sun)  # reads the case: reads its service too
    assert client.get(page).status_code == 200 and client.get(download).status_code == 200
    opened = AuditEvent.objects.get(action="service.view", outcome=Outcome.OK)
    assert opened.actor_name == "reviewer_sun" and opened.details["attachment"] == proof.pk


def test_the_issued_document_page_lists_its_service(client, officer_wang, numbered_issued_decision):
    record = serve(officer_wang, numbered_issued_decision, "direct")
    client.force_login(officer_wang)
    html = _html(client.get(f"/documents/issued/{numbered_issued_decision.pk}/"))
    assert 'data-testid="record-service"' in html and f"/delivery/service/{record.pk}/" in html


def test_issued_services_include(officer_wang, numbered_issued_decision, numbered_case_a, rf):
    """The block the issued document's page includes (docui)."""
    record = serve(officer_wang, numbered_issued_decision, "direct")
    request = rf.get("/")
    request.user = officer_wang
    html = render_to_string(
        "delivery/issued_services.html", {"issued": numbered_issued_decision}, request=request
    )
    assert (
        f"/delivery/serve/{numbered_issued_decision.pk}/" in html
        and f"/delivery/service/{record.pk}/" in html
    )
    internal = issued_row(officer_wang, numbered_case_a, "decision_approval", number="")
    assert "record-service" not in render_to_string(
        "delivery/issued_services.html", {"issued": internal}
    )


def test_record_service_is_offered_only_to_who_may_record_it(
    client, officer_wang, reviewer_sun, numbered_issued_decision, numbered_case_a
):
    """Issue 12 item 12: the button shows only where the service form would open, and the
    form answers as the button says, both ways; an archived case takes no service (R18.1)."""
    page = f"/documents/issued/{numbered_issued_decision.pk}/"
    serve_url = f"/delivery/serve/{numbered_issued_decision.pk}/"
    client.force_login(officer_wang)
    assert 'data-testid="record-service"' in _html(client.get(page))
    assert client.get(serve_url).status_code == 200
    client.force_login(reviewer_sun)  # reads the case, does not work it
    assert 'data-testid="record-service"' not in _html(client.get(page))
    assert client.get(serve_url).status_code == 403
    Case.objects.filter(pk=numbered_case_a.pk).update(archived_at=timezone.now())
    for person in (officer_wang, reviewer_sun):
        client.force_login(person)
        html = _html(client.get(page))
        assert 'data-testid="issued-services"' in html
        assert 'data-testid="record-service"' not in html


def test_a_receipt_offers_the_service_of_its_document_only_to_who_may_record_it(
    client, officer_wang, reviewer_sun, numbered_issued_decision, numbered_case_a
):
    receipt = issued_row(
        officer_wang, numbered_case_a, "service_receipt", number="", serves=numbered_issued_decision
    )
    page = f"/documents/issued/{receipt.pk}/"
    client.force_login(officer_wang)
    assert 'data-testid="serve-with-receipt"' in _html(client.get(page))
    client.force_login(reviewer_sun)
    html = _html(client.get(page))
    assert 'data-testid="receipt-serves"' in html and 'data-testid="serve-with-receipt"' not in html
    Case.objects.filter(pk=numbered_case_a.pk).update(archived_at=timezone.now())
    client.force_login(officer_wang)
    assert 'data-testid="serve-with-receipt"' not in _html(client.get(page))


# --- the delivery register ----------------------------------------------------------------


@pytest.fixture
def service_world(officer_wang, officer_li, numbered_case_a, numbered_case_b):
    """Service records of two units: one decision served late, posts, a public notice."""
    late = issued_row(
        officer_wang,
        numbered_case_a,
        issued_at=timezone.now() - dt.timedelta(days=30),
        number="罚〔1〕",
    )
    fresh = issued_row(officer_wang, numbered_case_a, number="罚〔2〕")
    notice = issued_row(officer_wang, numbered_case_a, "advance_notice", number="告〔3〕")
    other = issued_row(officer_li, numbered_case_b, number="罚〔4〕")
    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    # One moment for the recent ones, so a date filter cannot split them at midnight.
    just_now = timezone.now() - dt.timedelta(minutes=1)
    return {
        "late": serve(officer_wang, late, "direct", served_at=ten_days_ago),
        "fresh": serve(officer_wang, fresh, "post", served_at=just_now),
        "notice": serve(officer_wang, notice, "public_notice", served_at=just_now),
        "other": serve(officer_li, other, "leaving", served_at=just_now),
    }


def shown(client, query: str = "") -> set[int]:
    response = client.get(REGISTER + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'data-service="(\d+)"', _html(response))}


def test_register_shows_what_each_person_may_see(
    client, officer_wang, officer_li, agency_head_liu, service_world
):
    client.force_login(officer_wang)
    assert shown(client) == pks(service_world, "late", "fresh", "notice")
    client.force_login(officer_li)
    assert shown(client) == pks(service_world, "other")
    client.force_login(agency_head_liu)
    assert shown(client) == pks(service_world, "late", "fresh", "notice", "other")


@pytest.mark.parametrize("who", ["sysadmin_zhao", "auditor_chen"])
def test_admin_roles_may_not_open_the_register(who, request, client):
    sign_in(client, request.getfixturevalue(who))
    assert client.get(REGISTER).status_code == 403
    assert client.get(REGISTER + "export.csv").status_code == 403
    denied = AuditEvent.objects.filter(action="service.list", outcome=Outcome.DENIED)
    assert denied.count() == 2


def test_register_filters(client, agency_head_liu, unit_b, service_world):
    client.force_login(agency_head_liu)
    ten_days_ago = timezone.localdate(service_world["late"].served_at).isoformat()
    recent = timezone.localdate(service_world["fresh"].served_at).isoformat()
    expected = {
        f"unit={unit_b.pk}": ("other",),
        "mode=post": ("fresh",),
        "mode=public_notice": ("notice",),
        f"date_from={ten_days_ago}&date_to={ten_days_ago}": ("late",),
        f"date_from={recent}": ("fresh", "notice", "other"),
        "overdue=1": ("late",),
        "mode=bogus": ("late", "fresh", "notice", "other"),
    }
    for query, names in expected.items():
        assert shown(client, query) == pks(service_world, *names), query


def test_register_flags_the_late_row(client, officer_wang, service_world):
    client.force_login(officer_wang)
    html = _html(client.get(REGISTER))
    late_row = re.search(rf'data-service="{service_world["late"].pk}".*?</tr>', html, re.S)
    assert late_row and 'data-testid="flag-overdue"' in late_row.group(0)
    assert html.count('data-testid="flag-overdue"') == 1


def test_register_page_in_constant_queries(
    client, officer_wang, numbered_case_a, django_assert_max_num_queries
):
    def add(count: int) -> None:
        for _n in range(count):
            serve(officer_wang, issued_row(officer_wang, numbered_case_a), "direct")

    add(2)
    client.force_login(officer_wang)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert len(shown(client)) == 2
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(shown(client)) == 12


def test_csv_export_is_audited(client, officer_wang, service_world):
    client.force_login(officer_wang)
    response = client.get(REGISTER + "export.csv?mode=direct")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="delivery-register-')
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    with translation.override("zh-hans"):
        assert lines[0] == delivery_register.REGISTER.headers()
    assert len(lines) == 2
    row = lines[1]
    assert row[0] == service_world["late"].case.number and row[2] == "罚〔1〕" and row[4] == PARTY
    assert row[7] != ""  # served late
    event = AuditEvent.objects.get(action="service.export")
    assert event.details == {"filters": {"mode": "direct"}, "format": "csv", "rows": 1}


def test_xlsx_export_is_what_the_person_sees(client, officer_li, service_world):
    client.force_login(officer_li)
    response = client.get(REGISTER + "export.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][2] == "罚〔4〕"
    assert AuditEvent.objects.get(action="service.export").details["rows"] == 1


def test_unknown_export_format_is_404(client, officer_wang):
    client.force_login(officer_wang)
    assert client.get(REGISTER + "export.pdf").status_code == 404


# --- in the browser: the chosen mode's fieldset only (service_form.js) ----------------------

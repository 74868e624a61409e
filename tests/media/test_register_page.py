"""The AV register 音像记录台账 (R16.1, R4.3): who may open it, whose records each person
sees, every filter, a page in a constant number of queries, and the audited exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from liuhen.core.models import AuditEvent
from liuhen.devices import actions as device_actions
from liuhen.media import registers
from liuhen.media.actions import curation
from liuhen.media.models import AvProbe
from tests.factories import pks, sign_in
from tests.fixtures.clock import hours_ago
from tests.media.linking import H, M, activity, av, case_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_types", "local_midday")]

URL = "/media/"


@pytest.fixture
def av_world(
    unit_a,
    unit_b,
    recorder,
    officer_wang,
    officer_ma,
    officer_li,
    custodian_zhou,
    numbered_case_a_two_officers,
):
    """Records of several people: what each one sees differs."""
    other_recorder = device_actions.enrol_device(
        custodian_zhou, serial="DSJ0902", kind="recorder", unit=unit_b
    )
    inspection = activity(
        officer_wang, numbered_case_a_two_officers, [officer_wang, officer_ma], hours_ago(5)
    )
    linked = av(
        officer_wang,
        officer=officer_wang,
        device=recorder,
        captured_at=inspection.started_at + 10 * M,
        probed=False,
    )
    curation.confirm_suggestion(officer_wang, linked, inspection)
    curation.mark(custodian_zhou, linked, important=True)
    AvProbe.objects.create(record=linked, duration=125.0)
    waiting = av(officer_wang, officer=officer_wang, captured_at=hours_ago(30))
    ma_linked = av(officer_ma, officer=officer_ma, captured_at=hours_ago(4))
    curation.link(officer_ma, ma_linked, case=numbered_case_a_two_officers, evidence=True)
    ma_private = av(officer_ma, officer=officer_ma, captured_at=hours_ago(4))
    li_record = av(officer_li, officer=officer_li, device=other_recorder, captured_at=hours_ago(3))
    third = av(
        custodian_zhou,
        source="third_party",
        provider="某超市",
        channel="调取监控",
        obtained_at=hours_ago(20),
        name="cctv.mp4",
    )
    unlabelled = av(custodian_zhou, device=recorder, needs_labelling=True, name="X001.MP4")
    # R15.1: returned two days ago, uploaded only now.
    two_days = timezone.now() - dt.timedelta(days=2)
    device_actions.check_out(custodian_zhou, other_recorder, holder=officer_li, at=two_days - 3 * H)
    device_actions.return_device(custodian_zhou, other_recorder, at=two_days)
    late = av(officer_li, device=other_recorder, captured_at=two_days - 2 * H)
    assert late.late and late.officer == officer_li
    return {
        "linked": linked,
        "waiting": waiting,
        "ma_linked": ma_linked,
        "ma_private": ma_private,
        "li": li_record,
        "third": third,
        "unlabelled": unlabelled,
        "late": late,
        "inspection": inspection,
    }


def shown(client, query: str = "") -> set[int]:
    response = client.get(URL + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'data-record="(\d+)"', response.content.decode())}


# --- who may open it, who sees what ---------------------------------------------------


@pytest.mark.parametrize("who", ["sysadmin_zhao", "secadmin_qian", "auditor_chen"])
def test_admin_roles_may_not_open_the_register(who, request, client):
    sign_in(client, request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.get(URL + "register/export.xlsx").status_code == 403
    assert AuditEvent.objects.filter(action="media.list", outcome="denied").count() == 2


def test_anonymous_is_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


def test_officer_sees_own_and_linked_case_records(client, officer_wang, av_world):
    client.force_login(officer_wang)
    # 马骏's record linked to 王明's case shows; his unlinked one and unit B's do not.
    assert shown(client) == pks(av_world, "linked", "waiting", "ma_linked")


def test_custodian_sees_all(client, custodian_zhou, av_world):
    client.force_login(custodian_zhou)
    every = set(pks(av_world, *[k for k in av_world if k != "inspection"]))
    assert shown(client) == every


def test_unit_head_sees_the_units(client, head_zhang, av_world):
    client.force_login(head_zhang)
    assert shown(client) == pks(
        av_world, "linked", "waiting", "ma_linked", "ma_private", "third", "unlabelled"
    )


def test_rows_show_what_is_known(client, officer_wang, av_world, numbered_case_a_two_officers):
    client.force_login(officer_wang)
    html = client.get(URL).content.decode()
    assert numbered_case_a_two_officers.number in html and "DSJ0001" in html and "2:05" in html
    assert 'data-testid="flag-important"' in html


def test_a_linked_case_the_user_may_not_see_is_not_named(
    client, custodian_zhou, officer_li, unit_b, av_world
):
    """The custodian sees every record, but not unit B's case 李强 filed his record in."""
    case_b = case_of(unit_b, [officer_li], number="洼农（兽药）立〔2026〕8号")
    curation.link(officer_li, av_world["li"], case=case_b)
    client.force_login(custodian_zhou)
    html = client.get(URL + "?device=0902&linked=yes").content.decode()
    assert f'data-record="{av_world["li"].pk}"' in html
    assert case_b.number not in html and 'data-testid="link-hidden"' in html
    client.force_login(officer_li)
    assert case_b.number in client.get(URL).content.decode()


# --- filters --------------------------------------------------------------------------


FILTERS = [
    ("unit={unit_b}", ("li", "late")),
    ("device=0902", ("li", "late")),
    ("officer=王明", ("linked", "waiting")),
    ("officer=officer_li", ("li", "late")),
    ("case=立〔2026〕3", ("linked", "ma_linked")),
    ("linked=yes", ("linked", "ma_linked")),
    ("linked=no", ("waiting", "ma_private", "li", "third", "unlabelled", "late")),
    ("late=1", ("late",)),
    ("important=1", ("linked",)),
    ("third_party=1", ("third",)),
    ("needs_labelling=1", ("unlabelled",)),
    ("time=captured&date_from={two_days_ago}&date_to={two_days_ago}", ("late",)),
    ("time=uploaded&date_from={two_days_ago}&date_to={two_days_ago}", ()),
]


def test_filters(client, custodian_zhou, unit_b, av_world):
    """Each filter alone, over the same records (one world: building it is the slow part)."""
    two_days_ago = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    client.force_login(custodian_zhou)
    for query, expected in FILTERS:
        query = query.format(unit_b=unit_b.pk, two_days_ago=two_days_ago)
        assert shown(client, query) == pks(av_world, *expected), query


def test_label_clears_needs_labelling(client, custodian_zhou, av_world):
    curation.label(custodian_zhou, av_world["unlabelled"], "巡查：田家街道")
    client.force_login(custodian_zhou)
    assert shown(client, "needs_labelling=1") == set()


def test_case_filter_only_through_visible_cases(client, officer_li, av_world):
    client.force_login(officer_li)
    assert shown(client, "case=立〔2026〕3") == set()


def test_waiting_to_be_linked_quick_filter(client, officer_wang, officer_ma, av_world):
    """待关联: my own records without a link."""
    client.force_login(officer_wang)
    assert shown(client, "mine_unlinked=1") == pks(av_world, "waiting")
    client.force_login(officer_ma)
    assert shown(client, "mine_unlinked=1") == pks(av_world, "ma_private")


def test_withdrawn_link_counts_as_unlinked(client, officer_wang, av_world):
    link = av_world["linked"].links.get()
    curation.withdraw_link(officer_wang, link, reason="关联错误")
    client.force_login(officer_wang)
    assert shown(client, "mine_unlinked=1") == pks(av_world, "linked", "waiting")


# --- a page in a constant number of queries -------------------------------------------


def test_a_page_takes_a_constant_number_of_queries(
    client, custodian_zhou, officer_wang, av_world, django_assert_max_num_queries
):
    client.force_login(custodian_zhou)
    client.get(URL)  # warm the session and the caches
    with django_assert_max_num_queries(10) as few:
        shown(client)
    for n in range(30):
        record = av(
            officer_wang,
            officer=officer_wang,
            captured_at=av_world["inspection"].started_at,
            probed=False,
        )
        curation.confirm_suggestion(officer_wang, record, av_world["inspection"])
        curation.label(custodian_zhou, record, f"标注{n}")
        curation.mark(custodian_zhou, record, important=True)
        AvProbe.objects.create(record=record, duration=float(n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(shown(client)) == 38


# --- exports and print ----------------------------------------------------------------


def test_xlsx_export_of_the_filtered_rows_is_audited(
    client, custodian_zhou, av_world, numbered_case_a_two_officers
):
    client.force_login(custodian_zhou)
    response = client.get(URL + "register/export.xlsx?linked=yes&important=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="av-register-')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    with translation.override("zh-hans"):  # the pages speak Chinese first
        assert rows[0] == tuple(registers.REGISTER.headers())
    assert len(rows) == 2 and rows[1][0] == f"AV-{av_world['linked'].pk}"
    assert numbered_case_a_two_officers.number in rows[1][9] and rows[1][8] == "2:05"
    event = AuditEvent.objects.get(action="media.export")
    assert event.details == {
        "filters": {"time": "captured", "linked": "yes", "important": "1"},
        "format": "xlsx",
        "rows": 1,
    }


def test_csv_export_is_what_the_officer_sees(client, officer_wang, av_world):
    client.force_login(officer_wang)
    response = client.get(URL + "register/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert {line[0] for line in lines[1:]} == {
        f"AV-{pk}" for pk in pks(av_world, "linked", "waiting", "ma_linked")
    }
    assert AuditEvent.objects.get(action="media.export").details["rows"] == 3


def test_unknown_export_format_is_404(client, custodian_zhou):
    client.force_login(custodian_zhou)
    assert client.get(URL + "register/export.pdf").status_code == 404


def test_print_view_is_audited(client, custodian_zhou, av_world):
    client.force_login(custodian_zhou)
    response = client.get(URL + "register/print/?late=1")
    assert response.status_code == 200
    assert f"AV-{av_world['late'].pk}" in response.content.decode()
    assert AuditEvent.objects.get(action="media.export").details["format"] == "print"

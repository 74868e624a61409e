"""Recording activities: two certified officers on site (R4.2), GPS, time span, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.activities.actions import parse_gps
from liuhen.activities.models import Activity
from liuhen.core import rules
from liuhen.core.access import AccessDenied
from liuhen.core.actions import configuration
from liuhen.core.models import AuditEvent
from tests.activities.helpers import kind, record
from tests.factories import CertificateFactory

pytestmark = pytest.mark.usefixtures("activity_types")


def test_two_certified_officers_record_an_inspection(officer_wang, officer_ma, case_a_two_officers):
    activity = record(
        officer_wang, case_a_two_officers, [officer_wang, officer_ma], gps=("40.9876", "122.1")
    )
    numbers = dict(activity.presences.values_list("officer__username", "certificate_number"))
    assert numbers["officer_wang"] == officer_wang.certificates.get().number
    assert numbers["officer_ma"] == officer_ma.certificates.get().number
    assert activity.stage == case_a_two_officers.stage and activity.unit == case_a_two_officers.unit
    event = AuditEvent.objects.get(action="activity.record")
    assert event.case_id == case_a_two_officers.pk and event.details["type"] == "inspection"


def test_one_officer_is_refused(officer_wang, case_a_two_officers):
    with pytest.raises(ValidationError) as caught:
        record(officer_wang, case_a_two_officers, [officer_wang])
    assert "officers" in caught.value.message_dict
    assert not Activity.objects.exists()


def test_the_number_of_officers_is_the_rule_never_below_two(
    officer_wang, officer_ma, case_a_two_officers, sysadmin_zhao
):
    """R4.2 (行政处罚法 Art. 42): 执法人员不得少于两人 — a bureau may ask for more."""
    with pytest.raises(ValidationError):
        configuration.set_rule(sysadmin_zhao, "min_officers_on_site", 1, "人手不足")
    configuration.set_rule(sysadmin_zhao, "min_officers_on_site", 3, "重点检查三人")
    with pytest.raises(ValidationError) as caught:
        record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    assert "3" in " ".join(caught.value.message_dict["officers"])
    assert not Activity.objects.exists()


def test_expired_certificate_is_refused_and_named(officer_wang, officer_ma, case_a_two_officers):
    cert = officer_ma.certificates.get()
    cert.valid_to = timezone.localdate() - dt.timedelta(days=10)
    cert.save()
    with pytest.raises(ValidationError) as caught:
        record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    assert "马骏" in " ".join(caught.value.message_dict["officers"])


def test_certificate_valid_on_the_activity_day_counts(
    officer_wang, officer_ma, case_a_two_officers
):
    # Expired today, valid on the day of the act: the act is lawful.
    cert = officer_ma.certificates.get()
    cert.valid_to = timezone.localdate() - dt.timedelta(days=3)
    cert.save()
    start = timezone.now() - dt.timedelta(days=5)
    activity = record(
        officer_wang, case_a_two_officers, [officer_wang, officer_ma], started_at=start
    )
    assert activity.presences.count() == 2


def test_revoked_certificate_is_refused(officer_wang, officer_ma, case_a_two_officers):
    officer_ma.certificates.update(revoked=True)
    with pytest.raises(ValidationError):
        record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])


def test_a_second_valid_certificate_is_used(officer_wang, officer_ma, case_a_two_officers):
    officer_ma.certificates.update(revoked=True)
    new = CertificateFactory(officer=officer_ma)
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    assert activity.presences.get(officer=officer_ma).certificate_number == new.number


def test_message_is_in_chinese(officer_wang, case_a_two_officers):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        record(officer_wang, case_a_two_officers, [officer_wang])
    assert "执法证" in caught.value.message_dict["officers"][0]


def test_hearing_is_not_on_site(officer_wang, case_a_two_officers):
    # Not an on-site act: one officer may record it.
    assert record(officer_wang, case_a_two_officers, [officer_wang], code="hearing").pk


def test_non_site_enforcement_needs_no_second_officer(officer_wang, case_a_two_officers):
    # R4.4: CCTV or remote monitoring, nobody on site.
    activity = record(officer_wang, case_a_two_officers, [officer_wang], non_site=True)
    assert activity.non_site and not activity.needs_two_officers


@pytest.mark.parametrize(
    "gps",
    [("91", "120"), ("-90.5", "120"), ("40", "180.01"), ("40", "-181"), ("x", "1"), ("40", None)],
)
def test_gps_out_of_range_is_refused(gps):
    with pytest.raises(ValidationError) as caught:
        parse_gps(gps)
    assert "gps" in caught.value.message_dict


def test_gps_edges_are_accepted():
    assert parse_gps(("90", "-180")) is not None
    assert parse_gps(None) is None


def test_gps_is_stored(officer_wang, officer_ma, case_a_two_officers):
    activity = record(
        officer_wang, case_a_two_officers, [officer_wang, officer_ma], gps=(40.123456, 122.5)
    )
    activity.refresh_from_db()
    assert str(activity.gps_lat) == "40.123456" and str(activity.gps_lon) == "122.500000"


def test_end_before_start_is_refused(officer_wang, officer_ma, case_a_two_officers):
    start = timezone.now() - dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as caught:
        record(
            officer_wang,
            case_a_two_officers,
            [officer_wang, officer_ma],
            started_at=start,
            ended_at=start - dt.timedelta(minutes=1),
        )
    assert "ended_at" in caught.value.message_dict


def test_future_start_and_empty_place_are_refused(officer_wang, officer_ma, case_a_two_officers):
    start = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        record(
            officer_wang,
            case_a_two_officers,
            [officer_wang, officer_ma],
            started_at=start,
            place=" ",
        )
    assert {"started_at", "place"} <= set(caught.value.message_dict)


def test_patrol_without_a_case(officer_wang, officer_ma):
    activity = record(officer_wang, None, [officer_wang, officer_ma])
    assert activity.case is None and activity.unit == officer_wang.unit
    assert AuditEvent.objects.get(action="activity.record").case_id is None


def test_officer_of_another_unit_cannot_record_on_the_case(
    officer_li, officer_wang, case_a_two_officers
):
    with pytest.raises(AccessDenied):
        record(officer_li, case_a_two_officers, [officer_wang, officer_li])
    assert AuditEvent.objects.filter(action="activity.record", outcome="denied").exists()


def test_needs_av_flag_follows_the_rule(sysadmin_zhao):
    inspection, other = kind("inspection"), kind("other")
    assert inspection.needs_av and not other.needs_av
    assert set(rules.value("av_required_activity_types")) == {
        t.code for t in type(other).objects.all() if t.needs_av
    }
    codes = [*rules.value("av_required_activity_types"), "other"]
    configuration.set_rule(sysadmin_zhao, "av_required_activity_types", codes, "上级规定")
    assert kind("other").needs_av


def test_bureau_may_add_av_to_a_type():
    other = kind("other")
    other.needs_av_extra = True
    assert other.needs_av


def test_checklist_is_seeded_from_the_bureau_list():
    items = list(kind("inspection").checklist.values_list("text", flat=True))
    assert "表明身份、出示执法证件" in items
    assert kind("sampling").checklist.filter(text="填写抽样凭证").exists()
    assert not kind("other").checklist.exists()

"""The service checks, each found and cleared (architecture rule 4): a record whose mode is
not allowed for its document (R10.1, blocking: an enforcement decision served
electronically, regulation Art. 10(四); electronic service without consent, 行政处罚法
Art. 61(2)), a decision served late or not at all (R10.2, 行政处罚法 Art. 61, not
blocking)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from liuhen.cases import compliance
from liuhen.cases.models import Stage
from liuhen.core import calendar
from liuhen.core.blobs import store_blob
from liuhen.delivery.models import ServiceAttachment, ServiceRecord
from liuhen.delivery.service import clock
from tests.delivery.service_helpers import PARTY, consent, issued_row, serve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_chinese")]


def found(case, code: str) -> list[compliance.Finding]:
    return [f for f in compliance.findings_for_case(case) if f.code == code]


def imported(issued, officer, mode: str, **fields) -> ServiceRecord:
    """A record written without the action (an import, older data)."""
    values = {
        "recipient": PARTY,
        "served_at": timezone.now() - dt.timedelta(hours=3),
        "served_on": timezone.localdate(),
        **fields,
    }
    return ServiceRecord.objects.create(
        issued=issued, case=issued.case, mode=mode, recorded_by=officer, **values
    )


def test_registry_names_the_articles():
    registered = {c.code: (c.article, c.blocking) for c in compliance.all_checks()}
    assert registered["service_mode_invalid"] == ("R10.1", True)
    assert registered["service_overdue"] == ("R10.2", False)


# --- service_mode_invalid (R10.1) -------------------------------------------------------


@pytest.mark.parametrize(
    "channel, details",
    [("portal", {}), ("fax", {"fax_number": "1"}), ("email", {"email": "a@b.cn"})],
)
@pytest.mark.finding_kind("service_mode_invalid")
def test_electronic_service_of_a_decision_is_found(officer_wang, case_a, channel, details):
    """Regulation Art. 10(四): a decision served electronically, however it came in."""
    decision = issued_row(officer_wang, case_a)
    record = imported(decision, officer_wang, "electronic", channel=channel, details=details)
    [finding] = found(case_a, "service_mode_invalid")
    assert (finding.article, finding.blocking, finding.stage) == ("R10.1", True, Stage.SERVICE)
    assert finding.object == record
    assert "行政执法决定书不通过政务服务网自助下载、传真、电子邮件方式送达" in str(finding.message)
    assert "依据：制度第十条" in str(finding.message)
    assert compliance.blocking_findings(case_a, Stage.SERVICE) == [finding]


@pytest.mark.parametrize("channel, details", [("portal", {}), ("fax", {"fax_number": "1"})])
def test_electronic_service_without_consent_is_found(officer_wang, case_a, channel, details):
    """行政处罚法 Art. 61(2), 民事诉讼法 Art. 90: the portal's download included."""
    notice = issued_row(officer_wang, case_a, "advance_notice")
    imported(notice, officer_wang, "electronic", channel=channel, details=details)
    [finding] = found(case_a, "service_mode_invalid")
    assert "须经受送达人同意" in str(finding.message) and "电子送达" in str(finding.message)


def test_leaving_without_witness_is_found_and_a_photo_clears_it(officer_wang, case_a):
    decision = issued_row(officer_wang, case_a)
    record = imported(
        decision,
        officer_wang,
        "leaving",
        address="大洼区田家街道1号",
        details={"circumstances": "拒收"},
    )
    [finding] = found(case_a, "service_mode_invalid")
    assert "见证人" in str(finding.message)
    ServiceAttachment.objects.create(
        service=record,
        kind="photo",
        blob=store_blob(io.BytesIO(b"photo of the leaving" + bytes(16))),
        name="留置.jpg",
        content_type="image/jpeg",
    )
    assert found(case_a, "service_mode_invalid") == []


def test_records_made_through_the_action_are_not_found(officer_wang, case_a):
    decision = issued_row(officer_wang, case_a)
    for mode in ("direct", "leaving", "post", "entrusted", "public_notice"):
        serve(officer_wang, decision, mode)
    notice = issued_row(officer_wang, case_a, "advance_notice")
    consent(officer_wang, case_a, "portal")
    serve(officer_wang, notice, "electronic")
    assert found(case_a, "service_mode_invalid") == []


# --- service_overdue (R10.2) ------------------------------------------------------------


def _due(issued) -> dt.date:
    deadline = clock.service_deadline(issued)
    assert deadline is not None and deadline.rule.key == "service"
    return deadline.due


def test_the_deadline_is_seven_working_days_after_issue(officer_wang, case_a):
    friday = timezone.make_aware(dt.datetime(2026, 3, 6, 10, 0))
    decision = issued_row(officer_wang, case_a, issued_at=friday)
    assert _due(decision) == dt.date(2026, 3, 17)  # Mon 9 … Tue 17 (weekends skipped)
    assert _due(decision) == calendar.add_working_days(dt.date(2026, 3, 6), 7)
    notice = issued_row(officer_wang, case_a, "advance_notice", issued_at=friday)
    assert clock.service_deadline(notice) is None and not clock.is_overdue(notice)


def test_a_decision_not_served_in_time_is_found_and_service_in_time_clears(officer_wang, case_a):
    issued_at = timezone.now() - dt.timedelta(days=20)
    decision = issued_row(officer_wang, case_a, issued_at=issued_at)
    [finding] = found(case_a, "service_overdue")
    assert (finding.article, finding.blocking, finding.stage) == ("R10.2", False, Stage.SERVICE)
    assert finding.object == decision
    assert _due(decision).isoformat() in str(finding.message)
    assert "至今未送达" in str(finding.message)
    assert compliance.blocking_findings(case_a, Stage.SERVICE) == []
    serve(officer_wang, decision, "direct", served_at=issued_at + dt.timedelta(days=1))
    assert found(case_a, "service_overdue") == [] and not clock.is_overdue(decision)


@pytest.mark.finding_kind("service_overdue")
def test_a_decision_served_late_is_found(officer_wang, case_a):
    decision = issued_row(officer_wang, case_a, issued_at=timezone.now() - dt.timedelta(days=20))
    serve(officer_wang, decision, "direct")
    [finding] = found(case_a, "service_overdue")
    assert "实际于" in str(finding.message) and clock.is_overdue(decision)


def test_a_returned_post_does_not_count_as_service(officer_wang, case_a):
    issued_at = timezone.now() - dt.timedelta(days=20)
    decision = issued_row(officer_wang, case_a, issued_at=issued_at)
    serve(
        officer_wang,
        decision,
        "post",
        served_at=issued_at + dt.timedelta(days=1),
        details={
            "tracking_number": "1151234567890",
            "outcome": "returned",
            "return_reason": "拒收",
        },
        attachments=[],
    )
    assert [f.code for f in found(case_a, "service_overdue")] == ["service_overdue"]


def test_a_public_notice_published_in_time_is_in_time(officer_wang, case_a):
    """The officer's act counts: the 30 days of the notice do not make it late."""
    issued_at = timezone.now() - dt.timedelta(days=40)
    decision = issued_row(officer_wang, case_a, issued_at=issued_at)
    serve(officer_wang, decision, "public_notice", served_at=issued_at + dt.timedelta(days=2))
    assert found(case_a, "service_overdue") == []


def test_a_fresh_decision_is_not_overdue(officer_wang, case_a):
    decision = issued_row(officer_wang, case_a)
    assert found(case_a, "service_overdue") == [] and not clock.is_overdue(decision)


def test_a_replaced_version_is_not_overdue_its_replacement_counts(officer_wang, case_a):
    old = issued_row(officer_wang, case_a, issued_at=timezone.now() - dt.timedelta(days=20))
    new = issued_row(officer_wang, case_a, supersedes=old, number=old.number)
    assert found(case_a, "service_overdue") == []
    assert not clock.is_overdue(old) and not clock.is_overdue(new)
    assert clock.overdue_ids(type(old).objects.filter(case=case_a)) == set()

"""R18.4: raw AV kept at least six calendar months (不少于六个月); evidence kept with its
case file; disposal lists expired candidates, needs the agency head's approval, removes a
stored file only when nothing else refers to it, and is audited."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.utils import timezone

from liuhen.accounts.models import Role
from liuhen.activities.models import Activity, ActivityType
from liuhen.core import blob_refs, blobs
from liuhen.core.access import AccessDenied
from liuhen.core.actions import blobs as blob_actions
from liuhen.core.actions import configuration
from liuhen.core.audit import SYSTEM
from liuhen.core.blobs import store_blob
from liuhen.core.models import AuditEvent, Blob, BlobRemoval, Notification, Outcome
from liuhen.media.actions import retention
from liuhen.media.models import (
    AvDisposal,
    AvLink,
    AvMark,
    AvProbe,
    AvRecord,
    AvUnlink,
    DisposalDecision,
    DisposalRequest,
    DisposalStatus,
    IntegrityFinding,
)
from liuhen.media.retention import candidates as retention_rules
from liuhen.media.retention.requests import status_of
from tests.factories import CaseFactory, UserFactory, sign_in

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def blob_store(settings: Any, tmp_path: Any) -> blobs.BlobStore:
    """Each test its own store: fixity sees only this test's blobs."""
    settings.BLOB_URL = str(tmp_path / "blobs")
    return blobs.get_store()


def _record(
    actor: Any,
    data: bytes,
    *,
    days: float,
    captured_days: float | None = None,
    name: str = "clip.mp4",
    now: dt.datetime | None = None,
) -> AvRecord:
    """A record that came in ``days`` before ``now`` (write-once: created with its time)."""
    now = now or timezone.now()
    return AvRecord.objects.create(
        blob=store_blob(io.BytesIO(data)),
        kind="video",
        source="upload",
        original_name=name,
        content_type="video/mp4",
        unit=actor.unit,
        officer=actor,
        uploaded_by=actor,
        uploaded_at=now - days * DAY,
        captured_at=None if captured_days is None else now - captured_days * DAY,
    )


def _ids(qs: Any) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def _approve(head: Any, asked: Any, capture: Any, opinion: str = "同意销毁") -> Any:
    with capture(execute=True):
        return retention.decide(head, asked, approve=True, opinion=opinion)


# --- candidates -------------------------------------------------------------------------


def test_candidates_by_age_from_the_later_of_capture_and_upload(officer_wang):
    old = _record(officer_wang, b"old", days=185)  # six months are 181–184 days
    young = _record(officer_wang, b"young", days=180)
    # Captured long ago, brought in recently (third-party footage): the upload counts.
    late = _record(officer_wang, b"late", days=10, captured_days=400)
    # A recorder clock ahead of time does not shorten the period either.
    odd_clock = _record(officer_wang, b"odd", days=200, captured_days=100)
    assert retention_rules.retention_months() == 6
    assert _ids(retention_rules.candidates()) == {old.pk}
    assert young.pk not in _ids(retention_rules.past_retention())
    assert late.pk not in _ids(retention_rules.past_retention())
    assert odd_clock.pk not in _ids(retention_rules.past_retention())


def test_retention_cannot_be_set_below_six_months(officer_wang, sysadmin_zhao):
    record = _record(officer_wang, b"a", days=200)
    with pytest.raises(ValidationError):
        configuration.set_rule(sysadmin_zhao, "av_raw_retention_months", 5, "节省存储空间")
    assert retention_rules.retention_months() == 6
    assert _ids(retention_rules.candidates()) == {record.pk}
    configuration.set_rule(sysadmin_zhao, "av_raw_retention_months", 12, "延长保存")
    assert retention_rules.retention_months() == 12
    assert not retention_rules.candidates().exists()


def _came_in(actor: Any, data: bytes, local: dt.datetime) -> AvRecord:
    return _record(actor, data, days=0, now=local)


SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_six_calendar_months_counted_from_the_day_after(officer_wang, time_machine):
    """Art. 18 不少于六个月, counted as 民法典 Art. 201–202 count months: the day it came in
    is not counted; the period ends on the corresponding day, or the month's last day."""
    month_end = _came_in(officer_wang, b"aug31", dt.datetime(2026, 8, 31, 9, 0, tzinfo=SHANGHAI))
    aug28 = _came_in(officer_wang, b"aug28", dt.datetime(2026, 8, 28, 23, 0, tzinfo=SHANGHAI))
    aug27 = _came_in(officer_wang, b"aug27", dt.datetime(2026, 8, 27, 23, 59, tzinfo=SHANGHAI))
    # 180 days before 2027-02-28: a 180-day rule would let it go two days early.
    sep1 = _came_in(officer_wang, b"sep1", dt.datetime(2026, 9, 1, 8, 0, tzinfo=SHANGHAI))

    time_machine.move_to(dt.datetime(2027, 2, 28, 23, 30, tzinfo=SHANGHAI), tick=False)
    assert _ids(retention_rules.candidates()) == {aug27.pk}
    assert retention_rules.retention_cutoff().date() == dt.date(2026, 8, 28)

    time_machine.move_to(dt.datetime(2027, 3, 1, 0, 0, 1, tzinfo=SHANGHAI), tick=False)
    assert _ids(retention_rules.candidates()) == {aug27.pk, aug28.pk, month_end.pk}
    assert sep1.pk not in _ids(retention_rules.past_retention())

    time_machine.move_to(dt.datetime(2027, 3, 2, 0, 0, 1, tzinfo=SHANGHAI), tick=False)
    assert sep1.pk in _ids(retention_rules.past_retention())


def test_important_records_are_kept(officer_wang, custodian_zhou):
    record = _record(officer_wang, b"a", days=200)
    AvMark.objects.create(record=record, important=True, reason="重大案件线索", by=custodian_zhou)
    assert not retention_rules.candidates().exists()
    # The latest mark counts: taken off, the record is a candidate again.
    AvMark.objects.create(record=record, important=False, by=custodian_zhou)
    assert _ids(retention_rules.candidates()) == {record.pk}


def test_evidence_in_a_case_is_never_a_candidate(officer_wang, unit_a):
    case = CaseFactory(unit=unit_a)
    direct = _record(officer_wang, b"direct", days=300)
    via_activity = _record(officer_wang, b"activity", days=300)
    not_evidence = _record(officer_wang, b"plain", days=300)
    withdrawn = _record(officer_wang, b"withdrawn", days=300)
    activity = Activity.objects.create(
        case=case,
        unit=unit_a,
        type=ActivityType.objects.order_by("pk").first(),
        started_at=timezone.now() - 301 * DAY,
        ended_at=timezone.now() - 300 * DAY,
        place="某农资店",
        recorded_by=officer_wang,
    )

    def link(record: AvRecord, **target: Any) -> AvLink:
        return AvLink.objects.create(record=record, kind="manual", linked_by=officer_wang, **target)

    link(direct, case=case, evidence=True)
    link(via_activity, activity=activity, evidence=True)
    link(not_evidence, case=case, evidence=False)
    AvUnlink.objects.create(
        link=link(withdrawn, case=case, evidence=True), reason="关联错误", by=officer_wang
    )
    assert _ids(retention_rules.candidates()) == {not_evidence.pk, withdrawn.pk}


def test_records_in_a_pending_request_are_not_offered_again(
    officer_wang, custodian_zhou, agency_head_liu
):
    record = _record(officer_wang, b"a", days=200)
    asked = retention.request_disposal(custodian_zhou, [record.pk], "超过保存期限")
    assert not retention_rules.candidates().exists()
    with pytest.raises(ValidationError) as refused:
        retention.request_disposal(custodian_zhou, [record.pk], "再次申请")
    assert f"AV-{record.pk}" in str(refused.value.message_dict["records"])
    retention.decide(agency_head_liu, asked, approve=False, opinion="暂缓销毁")
    assert _ids(retention_rules.candidates()) == {record.pk}


# --- asking -----------------------------------------------------------------------------


def test_custodian_asks_only_for_candidates_with_a_reason(officer_wang, custodian_zhou):
    old = _record(officer_wang, b"old", days=200)
    young = _record(officer_wang, b"young", days=20)
    with pytest.raises(ValidationError) as refused:
        retention.request_disposal(custodian_zhou, [old.pk, young.pk], "超过保存期限")
    assert f"AV-{young.pk}" in str(refused.value.message_dict["records"])
    with pytest.raises(ValidationError) as refused:
        retention.request_disposal(custodian_zhou, [], " ")
    assert set(refused.value.message_dict) == {"records", "reason"}
    assert not AuditEvent.objects.filter(action="media.dispose_request").exists()

    asked = retention.request_disposal(custodian_zhou, [old.pk], "超过保存期限")
    assert list(asked.items.values_list("record_id", flat=True)) == [old.pk]
    assert status_of(asked) == DisposalStatus.PENDING
    event = AuditEvent.objects.get(action="media.dispose_request")
    assert event.object_id == str(asked.pk) and event.details["records"] == [old.pk]
    assert event.actor_id == str(custodian_zhou.pk)


@pytest.mark.parametrize(
    "who", ["officer_wang", "head_zhang", "agency_head_liu", "sysadmin_zhao", "secadmin_qian"]
)
def test_only_the_custodian_asks(request, who, officer_wang):
    record = _record(officer_wang, b"a", days=200)
    person = request.getfixturevalue(who)
    with pytest.raises(AccessDenied):
        retention.request_disposal(person, [record.pk], "超过保存期限")
    denied = AuditEvent.objects.get(action="media.dispose_request")
    assert denied.outcome == "denied" and denied.actor_id == str(person.pk)


def test_agency_head_is_told_of_a_request(
    officer_wang, custodian_zhou, agency_head_liu, django_capture_on_commit_callbacks
):
    record = _record(officer_wang, b"a", days=200)
    with django_capture_on_commit_callbacks(execute=True):
        asked = retention.request_disposal(custodian_zhou, [record.pk], "超过保存期限")
    note = Notification.objects.get(recipient=agency_head_liu)
    assert note.link == f"/media/disposal/requests/{asked.pk}/"


# --- deciding ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["custodian_zhou", "officer_wang", "sysadmin_zhao"])
def test_only_the_agency_head_decides(request, who, officer_wang, custodian_zhou):
    record = _record(officer_wang, b"a", days=200)
    asked = retention.request_disposal(custodian_zhou, [record.pk], "超过保存期限")
    person = request.getfixturevalue(who)
    with pytest.raises(AccessDenied):
        retention.decide(person, asked, approve=True, opinion="同意")
    assert not DisposalDecision.objects.exists()
    assert AuditEvent.objects.filter(action="media.dispose_decide", outcome="denied").exists()


def test_who_asked_cannot_decide(officer_wang, agency_head_liu, django_capture_on_commit_callbacks):
    both = UserFactory(username="zhou_liu", roles=[Role.CUSTODIAN, Role.AGENCY_HEAD])
    record = _record(officer_wang, b"a", days=200)
    asked = retention.request_disposal(both, [record.pk], "超过保存期限")
    with pytest.raises(ValidationError) as refused:
        retention.decide(both, asked, approve=True, opinion="同意")
    assert "approved" in refused.value.message_dict
    assert not DisposalDecision.objects.exists()
    denied = AuditEvent.objects.get(action="media.dispose_decide")
    assert denied.outcome == "denied" and denied.details == {"reason": "own request"}
    _approve(agency_head_liu, asked, django_capture_on_commit_callbacks)
    assert status_of(asked) == DisposalStatus.APPROVED


def test_opinion_required_and_one_decision_only(officer_wang, custodian_zhou, agency_head_liu):
    record = _record(officer_wang, b"a", days=200)
    asked = retention.request_disposal(custodian_zhou, [record.pk], "超过保存期限")
    with pytest.raises(ValidationError) as refused:
        retention.decide(agency_head_liu, asked, approve=False, opinion="  ")
    assert "opinion" in refused.value.message_dict
    retention.decide(agency_head_liu, asked, approve=False, opinion="暂缓")
    with pytest.raises(ValidationError) as refused:
        retention.decide(agency_head_liu, asked, approve=True, opinion="同意")
    assert "approved" in refused.value.message_dict
    assert DisposalDecision.objects.count() == 1


def test_rejection_keeps_everything(
    officer_wang, custodian_zhou, agency_head_liu, blob_store, django_capture_on_commit_callbacks
):
    record = _record(officer_wang, b"a", days=200)
    asked = retention.request_disposal(custodian_zhou, [record.pk], "超过保存期限")
    with django_capture_on_commit_callbacks(execute=True):
        decision = retention.decide(agency_head_liu, asked, approve=False, opinion="仍需保留")
    assert not decision.approved
    assert status_of(asked) == DisposalStatus.REJECTED
    assert not AvDisposal.objects.exists() and not BlobRemoval.objects.exists()
    assert blob_store.exists(record.blob_id)
    assert not AuditEvent.objects.filter(action="media.dispose").exists()
    event = AuditEvent.objects.get(action="media.dispose_decide")
    assert event.details["approved"] is False and event.details["opinion"] == "仍需保留"
    note = Notification.objects.get(recipient=custodian_zhou)
    assert str(asked.pk) in note.text


def test_approval_removes_a_file_only_when_nothing_else_uses_it(
    officer_wang, custodian_zhou, agency_head_liu, blob_store, django_capture_on_commit_callbacks
):
    shared_a = _record(officer_wang, b"same clip", days=200, name="a.mp4")
    shared_b = _record(officer_wang, b"same clip", days=190, name="b.mp4")
    assert shared_a.blob_id == shared_b.blob_id
    alone = _record(officer_wang, b"unique clip", days=200)
    # Thumbnails: ``alone`` has its own; the two shared records share theirs.
    own_thumb = store_blob(io.BytesIO(b"thumb of alone"))
    shared_thumb = store_blob(io.BytesIO(b"thumb of shared"))
    AvProbe.objects.create(record=alone, thumbnail=own_thumb)
    AvProbe.objects.create(record=shared_a, thumbnail=shared_thumb)
    AvProbe.objects.create(record=shared_b, thumbnail=shared_thumb)

    asked = retention.request_disposal(custodian_zhou, [shared_a.pk, alone.pk], "超过保存期限")
    decision = _approve(agency_head_liu, asked, django_capture_on_commit_callbacks)

    assert decision.approved
    assert AvDisposal.objects.get(record=alone).blob_removed is True
    assert AvDisposal.objects.get(record=shared_a).blob_removed is False
    assert not blob_store.exists(alone.blob_id) and not blob_store.exists(own_thumb.sha256)
    assert blob_store.exists(shared_a.blob_id) and blob_store.exists(shared_thumb.sha256)
    assert set(BlobRemoval.objects.values_list("blob_id", flat=True)) == {
        alone.blob_id,
        own_thumb.sha256,
    }
    assert Blob.objects.filter(sha256=alone.blob_id).exists()  # the row stays as the record
    events = {e.object_id: e.details for e in AuditEvent.objects.filter(action="media.dispose")}
    assert events[str(alone.pk)]["blob_removed"] is True
    assert events[str(alone.pk)]["thumbnail_removed"] is True
    assert events[str(shared_a.pk)]["blob_removed"] is False
    assert events[str(shared_a.pk)]["thumbnail_removed"] is False
    assert blob_refs.is_referenced(shared_a.blob_id)
    assert not blob_refs.is_referenced(alone.blob_id)

    # Nothing missing, nothing untracked: removed files are not expected any more.
    report = blob_actions.run_fixity(SYSTEM, blob_store)
    assert report.ok and report.checked == 2
    assert not IntegrityFinding.objects.exists()

    # The second record of the shared clip goes too: now the file is removed.
    second = retention.request_disposal(custodian_zhou, [shared_b.pk], "超过保存期限")
    _approve(agency_head_liu, second, django_capture_on_commit_callbacks)
    assert AvDisposal.objects.get(record=shared_b).blob_removed is True
    assert not blob_store.exists(shared_b.blob_id)
    assert not blob_store.exists(shared_thumb.sha256)
    assert blob_actions.run_fixity(SYSTEM, blob_store).ok


def test_two_records_of_one_file_in_one_request(
    officer_wang, custodian_zhou, agency_head_liu, blob_store, django_capture_on_commit_callbacks
):
    first = _record(officer_wang, b"same", days=200)
    second = _record(officer_wang, b"same", days=200)
    asked = retention.request_disposal(custodian_zhou, [first.pk, second.pk], "超过保存期限")
    _approve(agency_head_liu, asked, django_capture_on_commit_callbacks)
    assert list(AvDisposal.objects.values_list("blob_removed", flat=True)) == [True, True]
    assert BlobRemoval.objects.count() == 1
    assert not blob_store.exists(first.blob_id)


def test_bytes_stored_again_after_disposal_are_expected_again(
    officer_wang, custodian_zhou, agency_head_liu, blob_store, django_capture_on_commit_callbacks
):
    old = _record(officer_wang, b"came back", days=200)
    asked = retention.request_disposal(custodian_zhou, [old.pk], "超过保存期限")
    _approve(agency_head_liu, asked, django_capture_on_commit_callbacks)
    assert not blob_store.exists(old.blob_id)
    # The identical file is uploaded again: the bytes are back, and fixity expects them.
    again = _record(officer_wang, b"came back", days=200, name="again.mp4")
    removal = BlobRemoval.objects.get(blob_id=old.blob_id)
    assert removal.restore is not None and blob_store.exists(again.blob_id)
    blob_store.delete(again.blob_id)
    assert blobs.check_fixity(blob_store).missing == [again.blob_id]
    store_blob(io.BytesIO(b"came back"))
    # Disposed of again: a second removal, and the bytes go again.
    second = retention.request_disposal(custodian_zhou, [again.pk], "超过保存期限")
    _approve(agency_head_liu, second, django_capture_on_commit_callbacks)
    assert BlobRemoval.objects.filter(blob_id=old.blob_id).count() == 2
    assert not blob_store.exists(again.blob_id)
    assert blobs.check_fixity(blob_store).ok


def test_a_rollback_never_loses_bytes(
    officer_wang, custodian_zhou, agency_head_liu, blob_store, django_capture_on_commit_callbacks
):
    record = _record(officer_wang, b"a", days=200)
    asked = retention.request_disposal(custodian_zhou, [record.pk], "超过保存期限")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        retention.decide(agency_head_liu, asked, approve=True, opinion="同意")
        assert BlobRemoval.objects.filter(blob_id=record.blob_id).exists()
        assert blob_store.exists(record.blob_id)  # not before the commit
        raise RuntimeError("the transaction fails after the decision")
    assert blob_store.exists(record.blob_id)
    assert not BlobRemoval.objects.exists() and not AvDisposal.objects.exists()


def test_bytes_are_kept_when_the_same_file_comes_in_again_before_the_commit(
    officer_wang, custodian_zhou, agency_head_liu, blob_store, django_capture_on_commit_callbacks
):
    record = _record(officer_wang, b"clip", days=200)
    asked = retention.request_disposal(custodian_zhou, [record.pk], "超过保存期限")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        retention.decide(agency_head_liu, asked, approve=True, opinion="同意")
    again = _record(officer_wang, b"clip", days=0)  # the same bytes, uploaded meanwhile
    for callback in callbacks:
        callback()
    assert again.blob_id == record.blob_id and blob_store.exists(record.blob_id)


def test_approval_refused_when_a_record_must_be_kept_now(
    officer_wang, custodian_zhou, agency_head_liu, blob_store
):
    record = _record(officer_wang, b"a", days=200)
    asked = retention.request_disposal(custodian_zhou, [record.pk], "超过保存期限")
    AvMark.objects.create(record=record, important=True, reason="信访", by=custodian_zhou)
    with pytest.raises(ValidationError) as refused:
        retention.decide(agency_head_liu, asked, approve=True, opinion="同意")
    assert f"AV-{record.pk}" in str(refused.value.message_dict["records"])
    assert not DisposalDecision.objects.exists() and blob_store.exists(record.blob_id)
    retention.decide(agency_head_liu, asked, approve=False, opinion="已标记重要，不予销毁")
    assert status_of(asked) == DisposalStatus.REJECTED


def test_disposed_records_are_no_longer_candidates_or_linked(
    officer_wang, custodian_zhou, agency_head_liu, django_capture_on_commit_callbacks
):
    record = _record(officer_wang, b"a", days=200)
    asked = retention.request_disposal(custodian_zhou, [record.pk], "超过保存期限")
    _approve(agency_head_liu, asked, django_capture_on_commit_callbacks)
    assert not retention_rules.candidates().exists()
    assert not retention_rules.past_retention().exists()


# --- pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer_wang", "agency_head_liu", "sysadmin_zhao"])
def test_candidate_page_is_the_custodians(client: Client, request, who):
    sign_in(client, request.getfixturevalue(who))
    assert client.get("/media/disposal/").status_code == 403


@pytest.mark.parametrize("who", ["officer_wang", "sysadmin_zhao", "supervisor_zheng"])
def test_request_pages_are_for_custodian_and_agency_head(
    client: Client, request, who, officer_wang, custodian_zhou
):
    record = _record(officer_wang, b"a", days=200)
    asked = retention.request_disposal(custodian_zhou, [record.pk], "超过保存期限")
    sign_in(client, request.getfixturevalue(who))
    assert client.get("/media/disposal/requests/").status_code == 403
    assert client.get(f"/media/disposal/requests/{asked.pk}/").status_code == 403
    post = client.post(
        f"/media/disposal/requests/{asked.pk}/", {"approved": "1", "opinion": "同意"}
    )
    assert post.status_code == 403
    assert not DisposalDecision.objects.exists()


def test_a_request_not_there_is_not_found_and_the_attempt_audited(
    client: Client, officer_wang, custodian_zhou, agency_head_liu
):
    record = _record(officer_wang, b"a", days=200)
    asked = retention.request_disposal(custodian_zhou, [record.pk], "超过保存期限")
    client.force_login(agency_head_liu)
    assert client.get(f"/media/disposal/requests/{asked.pk}/").status_code == 200
    assert not AuditEvent.objects.filter(outcome=Outcome.DENIED).exists()
    assert client.get(f"/media/disposal/requests/{asked.pk + 1}/").status_code == 404
    event = AuditEvent.objects.get(outcome=Outcome.DENIED)
    assert (event.action, event.object_type) == ("media.dispose_view", "media.disposalrequest")
    assert event.object_id == str(asked.pk + 1)


def test_custodian_asks_and_agency_head_decides_through_the_pages(
    client: Client,
    officer_wang,
    custodian_zhou,
    agency_head_liu,
    blob_store,
    django_capture_on_commit_callbacks,
):
    old = _record(officer_wang, b"old", days=200, name="旧视频.mp4")
    young = _record(officer_wang, b"young", days=5, name="新视频.mp4")
    client.force_login(custodian_zhou)
    html = client.get("/media/disposal/").content.decode()
    assert "旧视频.mp4" in html and "新视频.mp4" not in html
    refused = client.post("/media/disposal/", {"records": [old.pk, young.pk], "reason": "到期"})
    assert refused.status_code == 422 and f"AV-{young.pk}" in refused.content.decode()
    done = client.post("/media/disposal/", {"records": [old.pk], "reason": "超过保存期限"})
    assert done.status_code == 302
    asked = DisposalRequest.objects.get()
    assert done["Location"] == f"/media/disposal/requests/{asked.pk}/"
    page = client.get(done["Location"]).content.decode()
    assert 'data-testid="decision-form"' not in page  # the custodian does not decide
    assert client.get("/media/disposal/requests/").status_code == 200
    assert client.post(done["Location"], {"approved": "1", "opinion": "同意"}).status_code == 403

    client.force_login(agency_head_liu)
    page = client.get(done["Location"]).content.decode()
    assert 'data-testid="decision-form"' in page and "旧视频.mp4" in page
    assert client.get("/media/disposal/requests/?status=pending").status_code == 200
    empty = client.post(done["Location"], {"approved": "1", "opinion": ""})
    assert empty.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(done["Location"], {"approved": "1", "opinion": "同意销毁"})
    assert decided.status_code == 302
    assert AvDisposal.objects.get(record=old).blob_removed
    assert not blob_store.exists(old.blob_id) and blob_store.exists(young.blob_id)
    page = client.get(done["Location"]).content.decode()
    assert 'data-testid="decision-form"' not in page and "同意销毁" in page


def test_page_tells_who_asked_that_another_head_decides(client: Client, officer_wang):
    both = UserFactory(username="zhou_liu", roles=[Role.CUSTODIAN, Role.AGENCY_HEAD])
    record = _record(officer_wang, b"a", days=200)
    asked = retention.request_disposal(both, [record.pk], "超过保存期限")
    client.force_login(both)
    page = client.get(f"/media/disposal/requests/{asked.pk}/").content.decode()
    assert 'data-testid="own-request"' in page and 'data-testid="decision-form"' not in page
    refused = client.post(
        f"/media/disposal/requests/{asked.pk}/", {"approved": "1", "opinion": "同意"}
    )
    assert refused.status_code == 422 and 'data-testid="form-error"' in refused.content.decode()
    assert not DisposalDecision.objects.exists()

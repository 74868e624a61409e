"""Service 送达 in six modes (R10.1): for each mode a valid record and invalid ones with the
message the officer reads; an enforcement decision never served by portal self-download,
fax or e-mail (regulation Art. 10(四)); any other document served electronically only with
the party's consent, on every channel (行政处罚法 Art. 61(2), 民事诉讼法 Art. 90); a public
notice effective 30 days after publication (民事诉讼法 Art. 95); a post returned by the
post office is not service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.cases.models import Decision
from liuhen.core.access import AccessDenied
from liuhen.core.blobs import get_store
from liuhen.core.models import AuditEvent, Outcome
from liuhen.delivery.actions import service as service_actions
from liuhen.delivery.models import ServiceAttachment, ServiceRecord
from liuhen.delivery.service import clock
from liuhen.documents import files
from liuhen.documents.issuing import versions
from liuhen.documents.models import IssuedDocument
from tests.delivery.service_helpers import (
    PARTY,
    av,
    consent,
    issued_row,
    serve,
    signed_receipt,
    upload,
    valid_kwargs,
)
from tests.factories import CaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_chinese")]

MODES = ["direct", "leaving", "post", "electronic", "entrusted", "public_notice"]


@pytest.fixture
def issued_decision(officer_wang, case_a) -> IssuedDocument:
    """A 行政处罚决定书 (served, never by e-mail)."""
    return issued_row(officer_wang, case_a, "penalty_decision")


@pytest.fixture
def issued_advance_notice(officer_wang, case_a) -> IssuedDocument:
    """A 行政处罚事先告知书: served, e-mail allowed with consent."""
    return issued_row(officer_wang, case_a, "advance_notice", number="洼农（农药）告〔2026〕1号")


def refused(actor, issued, mode, **overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        serve(actor, issued, mode, **overrides)
    assert not ServiceRecord.objects.filter(issued=issued).exists()
    return caught.value.message_dict


# --- each mode: a valid record ----------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_a_valid_record_of_each_mode(
    mode, officer_wang, issued_decision, issued_advance_notice, case_a
):
    issued = issued_decision
    if mode == "electronic":
        # A decision never goes electronically (regulation Art. 10(四)): a notice does,
        # with the party's consent (行政处罚法 Art. 61(2)).
        issued = issued_advance_notice
        consent(officer_wang, case_a, "portal")
    record = serve(officer_wang, issued, mode)
    assert record.mode == mode and record.case_id == issued.case_id
    assert record.recipient == PARTY and record.recorded_by == officer_wang
    assert record.served_on is not None
    kinds = sorted(a.kind for a in record.attachments.all())
    assert kinds == sorted(
        k for k, *_ in valid_kwargs(mode, officer_wang, issued.case)["attachments"]
    )
    for item in record.attachments.all():  # the proofs are in the blob store, SHA-256 keyed
        assert get_store().exists(item.blob_id)
    event = AuditEvent.objects.get(action="service.record")
    assert event.case_id == issued.case_id and event.object_id == str(record.pk)
    assert event.details["mode"] == mode and len(event.details["attachments"]) == len(kinds)
    assert versions.is_served(issued)


def test_direct_service_takes_effect_on_the_day_handed_over(officer_wang, issued_decision):
    """民事诉讼法 Art. 87: the date signed for on the receipt is the service date."""
    served_at = timezone.now() - dt.timedelta(days=2)
    record = serve(officer_wang, issued_decision, "direct", served_at=served_at)
    assert record.served_on == timezone.localdate(served_at)


def test_direct_service_with_the_signed_service_receipt(officer_wang, issued_decision, case_a):
    receipt = signed_receipt(officer_wang, case_a, serves=issued_decision)
    record = serve(officer_wang, issued_decision, "direct", attachments=[], receipt=receipt)
    assert record.receipt == receipt and record.attachments.count() == 0
    assert AuditEvent.objects.get(action="service.record").details["receipt"] == receipt.pk


# --- direct ----------------------------------------------------------------------------


def test_direct_without_a_receipt_is_refused(officer_wang, issued_decision):
    errors = refused(officer_wang, issued_decision, "direct", attachments=[])
    assert "送达回证" in errors["receipt"][0]


def test_direct_with_an_unsigned_receipt_is_refused(officer_wang, issued_decision, case_a):
    unsigned = issued_row(officer_wang, case_a, "service_receipt", number="")
    errors = refused(officer_wang, issued_decision, "direct", attachments=[], receipt=unsigned)
    assert "尚未签收" in errors["receipt"][0]


def test_direct_with_another_cases_receipt_is_refused(officer_wang, issued_decision, unit_a):
    other = CaseFactory(unit=unit_a, officers=[officer_wang])
    receipt = signed_receipt(officer_wang, other)
    errors = refused(officer_wang, issued_decision, "direct", attachments=[], receipt=receipt)
    assert errors["receipt"] == ["请选择本案的送达回证。"]


def test_direct_without_recipient_or_time_is_refused(officer_wang, issued_decision):
    errors = refused(officer_wang, issued_decision, "direct", recipient=" ", served_at=None)
    assert errors["recipient"] == ["请填写受送达人。"]
    assert errors["served_at"] == ["请填写送达时间。"]


# --- leaving (民事诉讼法 Art. 89) -------------------------------------------------------


def test_leaving_with_a_witness_and_no_photo(officer_wang, issued_decision):
    record = serve(
        officer_wang,
        issued_decision,
        "leaving",
        details={"circumstances": "当事人拒收。", "witness": "李四", "witness_org": "田家村委会"},
        attachments=[],
    )
    assert record.details["witness"] == "李四" and record.served_on is not None


def test_leaving_with_a_video_av_record(officer_wang, issued_decision):
    video = av(officer_wang, "leaving.mp4")
    record = serve(
        officer_wang, issued_decision, "leaving", attachments=[], av_record_ids=[video.pk]
    )
    [item] = record.attachments.all()
    assert item.av_record == video and item.kind == "av_record" and item.blob is None


def test_leaving_without_witness_or_photo_is_refused(officer_wang, issued_decision):
    errors = refused(officer_wang, issued_decision, "leaving", attachments=[])
    assert "见证人" in errors["witness"][0] and "第八十九条" in errors["witness"][0]


def test_an_audio_recording_does_not_show_a_leaving(officer_wang, issued_decision):
    audio = av(officer_wang, "call.m4a")
    assert audio.kind == "audio"
    errors = refused(
        officer_wang, issued_decision, "leaving", attachments=[], av_record_ids=[audio.pk]
    )
    assert "见证人" in errors["witness"][0]


def test_leaving_needs_circumstances_and_address(officer_wang, issued_decision):
    errors = refused(officer_wang, issued_decision, "leaving", details={}, address="")
    assert errors["circumstances"] == ["请填写拒收事由及留置情况。"]
    assert errors["address"] == ["请填写送达地点。"]


def test_someone_elses_av_record_is_refused(officer_wang, officer_li, issued_decision):
    theirs = av(officer_li, "leaving.mp4")
    errors = refused(
        officer_wang, issued_decision, "leaving", attachments=[], av_record_ids=[theirs.pk]
    )
    assert "av_records" in errors


# --- post -------------------------------------------------------------------------------


def test_post_takes_effect_on_the_return_receipts_date(officer_wang, issued_decision):
    posted = timezone.now() - dt.timedelta(days=5)
    received = timezone.localdate(posted) + dt.timedelta(days=2)
    record = serve(
        officer_wang,
        issued_decision,
        "post",
        served_at=posted,
        details={
            "tracking_number": "1151234567890",
            "outcome": "received",
            "receipt_date": received.isoformat(),
        },
    )
    assert record.served_on == received


def test_post_returned_by_the_post_office_is_not_service(officer_wang, issued_decision):
    record = serve(
        officer_wang,
        issued_decision,
        "post",
        details={
            "tracking_number": "1151234567890",
            "outcome": "returned",
            "return_reason": "查无此人",
        },
        attachments=[upload("posting_slip")],
    )
    assert record.served_on is None and record.details["return_reason"] == "查无此人"
    assert not versions.is_served(issued_decision)
    assert AuditEvent.objects.get(action="service.record").details["served_on"] is None


def test_post_returned_needs_the_reason(officer_wang, issued_decision):
    errors = refused(
        officer_wang,
        issued_decision,
        "post",
        details={"tracking_number": "1151234567890", "outcome": "returned"},
    )
    assert errors["return_reason"] == ["请填写邮局退回原因。"]


def test_post_without_tracking_number_is_refused(officer_wang, issued_decision):
    errors = refused(
        officer_wang,
        issued_decision,
        "post",
        details={"outcome": "received", "receipt_date": timezone.localdate().isoformat()},
    )
    assert errors["tracking_number"] == ["请填写邮件单号。"]


def test_post_received_without_return_receipt_is_refused(officer_wang, issued_decision):
    errors = refused(officer_wang, issued_decision, "post", attachments=[upload("posting_slip")])
    assert errors["return_receipt"] == ["请附邮件回执。"]


def test_return_receipt_dated_before_posting_is_refused(officer_wang, issued_decision):
    posted = timezone.now() - dt.timedelta(days=1)
    errors = refused(
        officer_wang,
        issued_decision,
        "post",
        served_at=posted,
        details={
            "tracking_number": "1151234567890",
            "outcome": "received",
            "receipt_date": (timezone.localdate(posted) - dt.timedelta(days=3)).isoformat(),
        },
    )
    assert errors["receipt_date"] == ["回执签收日期不能早于交寄日期。"]


# --- electronic: never a decision (regulation Art. 10(四)) -----------------------------------

CHANNEL_DETAILS = {
    "portal": {},
    "fax": {"fax_number": "0427-6888888"},
    "email": {"email": "fengshou@example.cn"},
}
DECISIONS = [
    "penalty_decision",
    "on_the_spot_decision",
    "no_penalty_decision",
    "seizure_notice",
    "seizure_release_decision",
    "preserved_goods_disposal_notice",
]


@pytest.mark.parametrize("channel", list(CHANNEL_DETAILS))
def test_each_electronic_channel_of_a_penalty_decision_is_refused(
    officer_wang, issued_decision, case_a, channel
):
    """Regulation Art. 10(四): whatever the party agreed — 行政处罚法 Art. 61(2) would
    allow fax and e-mail with consent, the bureau's regulation does not."""
    consent(officer_wang, case_a, "portal", "fax", "email")
    errors = refused(
        officer_wang,
        issued_decision,
        "electronic",
        channel=channel,
        details=CHANNEL_DETAILS[channel],
    )
    assert errors == {
        "mode": [
            "行政执法决定书不通过政务服务网自助下载、传真、电子邮件方式送达，请采用直接送达、"
            "留置送达、邮寄送达、委托送达或者公告送达（依据：制度第十条第（四）项）。"
        ]
    }


@pytest.mark.parametrize("form_code", DECISIONS)
def test_no_enforcement_decision_is_downloaded_from_the_portal(officer_wang, case_a, form_code):
    consent(officer_wang, case_a, "portal")
    decision = issued_row(officer_wang, case_a, form_code)
    errors = refused(officer_wang, decision, "electronic")
    assert "依据：制度第十条" in errors["mode"][0]


def test_a_decision_is_still_served_on_paper(officer_wang, issued_decision, case_a):
    consent(officer_wang, case_a, "portal", "fax", "email")
    assert serve(officer_wang, issued_decision, "post").served_on is not None


# --- electronic: other documents with consent (行政处罚法 Art. 61(2), 民事诉讼法 Art. 90) -------


def test_email_service_of_a_notice_with_consent(officer_wang, issued_advance_notice, case_a):
    agreed = consent(officer_wang, case_a, "email")
    record = serve(
        officer_wang,
        issued_advance_notice,
        "electronic",
        channel="email",
        details={"email": "fengshou@example.cn"},
    )
    assert record.channel == "email" and record.consent == agreed
    assert record.details == {"email": "fengshou@example.cn"}


@pytest.mark.parametrize("channel", list(CHANNEL_DETAILS))
def test_each_channel_without_consent_is_refused(officer_wang, issued_advance_notice, channel):
    errors = refused(
        officer_wang,
        issued_advance_notice,
        "electronic",
        channel=channel,
        details=CHANNEL_DETAILS[channel],
    )
    assert errors == {
        "consent": [
            "通过政务服务网自助下载、传真、电子邮件方式送达须经受送达人同意（依据：《行政处罚法》"
            "第六十一条第二款、《民事诉讼法》第九十条）：请先登记当事人同意电子送达的记录。"
        ]
    }


def test_portal_download_of_a_notice_needs_consent(officer_wang, issued_advance_notice, case_a):
    """The portal's self-download is electronic service too: refused without the party's
    consent, recorded with it."""
    errors = refused(officer_wang, issued_advance_notice, "electronic", channel="portal")
    assert "须经受送达人同意" in errors["consent"][0]
    agreed = consent(officer_wang, case_a, "portal")
    record = serve(officer_wang, issued_advance_notice, "electronic", channel="portal")
    assert record.channel == "portal" and record.consent == agreed
    assert AuditEvent.objects.get(action="service.record").details["consent"] == agreed.pk


def test_consent_to_the_portal_does_not_cover_email(officer_wang, issued_advance_notice, case_a):
    consent(officer_wang, case_a, "portal")
    errors = refused(
        officer_wang,
        issued_advance_notice,
        "electronic",
        channel="email",
        details={"email": "fengshou@example.cn"},
    )
    assert "须经受送达人同意" in errors["consent"][0]


def test_fax_with_consent_records_number_and_time(officer_wang, issued_advance_notice, case_a):
    agreed = consent(officer_wang, case_a, "fax")
    sent = timezone.now() - dt.timedelta(minutes=30)
    record = serve(
        officer_wang,
        issued_advance_notice,
        "electronic",
        channel="fax",
        served_at=sent,
        details={"fax_number": "0427-6888888", "email": "dropped@example.cn"},
        attachments=[upload("electronic_receipt", "传真发送报告.pdf", "application/pdf")],
    )
    assert record.consent == agreed and record.served_at == sent
    assert record.details == {"fax_number": "0427-6888888"}  # the e-mail belongs to no fax


def test_consent_to_email_does_not_cover_fax(officer_wang, issued_advance_notice, case_a):
    agreed = consent(officer_wang, case_a, "email")
    fax = {"channel": "fax", "details": {"fax_number": "0427-6888888"}}
    errors = refused(officer_wang, issued_advance_notice, "electronic", consent=agreed, **fax)
    assert errors["consent"] == ["当事人的同意不包括以传真方式送达。"]
    # Without naming one, no consent of the case covers fax.
    errors = refused(officer_wang, issued_advance_notice, "electronic", **fax)
    assert "须经受送达人同意" in errors["consent"][0]


def test_another_cases_consent_is_refused(officer_wang, issued_advance_notice, unit_a):
    other = CaseFactory(unit=unit_a, officers=[officer_wang])
    theirs = consent(officer_wang, other, "fax")
    fax = {"channel": "fax", "details": {"fax_number": "0427-6888888"}}
    errors = refused(officer_wang, issued_advance_notice, "electronic", consent=theirs, **fax)
    assert errors["consent"][0] == "请选择本案的电子送达同意记录。"


def test_fax_needs_the_number(officer_wang, issued_advance_notice, case_a):
    consent(officer_wang, case_a, "fax")
    errors = refused(officer_wang, issued_advance_notice, "electronic", channel="fax")
    assert errors["fax_number"] == ["请填写传真号码。"]


def test_electronic_service_needs_a_channel_and_a_proof(
    officer_wang, issued_advance_notice, case_a
):
    consent(officer_wang, case_a, "portal")
    errors = refused(officer_wang, issued_advance_notice, "electronic", attachments=[])
    assert "电子送达凭证" in errors["proof"][0]
    errors = refused(officer_wang, issued_advance_notice, "electronic", channel="")
    assert errors["channel"] == ["请选择电子送达渠道：政务服务网下载、传真或电子邮件。"]


def test_a_call_recording_av_record_is_electronic_proof(
    officer_wang, issued_advance_notice, case_a
):
    consent(officer_wang, case_a, "portal")
    call = av(officer_wang, "call.m4a")
    record = serve(
        officer_wang, issued_advance_notice, "electronic", attachments=[], av_record_ids=[call.pk]
    )
    assert record.attachments.get().av_record == call


# --- entrusted ----------------------------------------------------------------------------


def test_entrusted_without_the_letter_is_refused(officer_wang, issued_decision):
    errors = refused(
        officer_wang, issued_decision, "entrusted", attachments=[upload("receipt")], details={}
    )
    assert errors["entrustment_letter"] == ["请附委托送达函。"]
    assert errors["agent"] == ["请填写受委托机关或人员。"]


def test_entrusted_receipt_must_note_the_entrustment(officer_wang, issued_decision, case_a):
    direct_receipt = signed_receipt(officer_wang, case_a, "直接送达", serves=issued_decision)
    errors = refused(
        officer_wang,
        issued_decision,
        "entrusted",
        attachments=[upload("entrustment_letter")],
        receipt=direct_receipt,
    )
    assert errors["receipt"] == ["送达回证记载的送达方式为直接送达，而非委托送达。"]
    noted = signed_receipt(officer_wang, case_a, "委托送达", serves=issued_decision)
    record = serve(
        officer_wang,
        issued_decision,
        "entrusted",
        attachments=[upload("entrustment_letter")],
        receipt=noted,
    )
    assert record.receipt == noted


# --- public notice (民事诉讼法 Art. 95) ----------------------------------------------------


def _at_local(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))


def test_public_notice_takes_effect_30_days_after_publication(officer_wang, issued_decision):
    # A Monday: 30 days later is a Wednesday (no holidays in the test calendar).
    published = dt.date(2026, 3, 2)
    record = serve(officer_wang, issued_decision, "public_notice", served_at=_at_local(published))
    assert record.served_on == dt.date(2026, 4, 1)
    assert record.details["published_on"] == "2026-03-02"


def test_public_notice_ending_on_a_rest_day_ends_on_the_next_working_day(
    officer_wang, issued_decision
):
    published = dt.date(2026, 2, 5)  # + 30 days = Saturday 7 March
    record = serve(officer_wang, issued_decision, "public_notice", served_at=_at_local(published))
    assert record.served_on == dt.date(2026, 3, 9)


def test_public_notice_needs_original_and_posting_photos(officer_wang, issued_decision):
    errors = refused(officer_wang, issued_decision, "public_notice", attachments=[])
    assert errors["notice_original"] == ["请附公告原件。"]
    assert errors["posting_photo"] == ["请附在受送达人住所张贴公告的照片或录像。"]
    assert "reason" not in errors


def test_public_notice_posting_video_as_av_record(officer_wang, issued_decision):
    video = av(officer_wang, "posting.mp4")
    record = serve(
        officer_wang,
        issued_decision,
        "public_notice",
        attachments=[upload("notice_original", "公告.pdf", "application/pdf")],
        av_record_ids=[video.pk],
    )
    assert {a.kind for a in record.attachments.all()} == {"notice_original", "av_record"}


def test_public_notice_needs_reason_method_process(officer_wang, issued_decision):
    errors = refused(officer_wang, issued_decision, "public_notice", details={})
    assert errors["reason"] == ["请填写公告送达原因。"]
    assert set(errors) >= {"reason", "method", "process"}


# --- what can be served, by whom ----------------------------------------------------------


def test_an_internal_form_is_not_served(officer_wang, case_a):
    internal = issued_row(officer_wang, case_a, "decision_approval", number="")
    errors = refused(officer_wang, internal, "direct")
    assert errors["issued"] == ["只有向当事人送达的文书才能登记送达。"]


def test_a_replaced_version_is_not_served(officer_wang, case_a, issued_decision):
    issued_row(officer_wang, case_a, supersedes=issued_decision, number=issued_decision.number)
    errors = refused(officer_wang, issued_decision, "direct")
    assert "新版本" in errors["issued"][0]


def test_service_in_the_future_is_refused(officer_wang, issued_decision):
    errors = refused(
        officer_wang, issued_decision, "direct", served_at=timezone.now() + dt.timedelta(hours=2)
    )
    assert errors["served_at"] == ["送达时间不能晚于当前时间。"]


def test_unknown_mode_and_proof_kind_are_refused(officer_wang, issued_decision):
    with pytest.raises(ValidationError) as caught:
        serve(officer_wang, issued_decision, "carrier_pigeon")
    assert caught.value.message_dict == {"mode": ["请选择送达方式。"]}
    errors = refused(
        officer_wang, issued_decision, "direct", attachments=[("selfie", "a.jpg", "", b"x")]
    )
    assert errors["attachments"] == ["未知的送达凭证类型：selfie。"]


def test_empty_file_is_refused(officer_wang, issued_decision):
    errors = refused(
        officer_wang, issued_decision, "direct", attachments=[("receipt", "回证.pdf", "", b"")]
    )
    assert errors["receipt"] == ["文件回证.pdf为空。"]


@pytest.mark.parametrize("who", ["officer_li", "reviewer_sun"])
def test_only_those_working_the_case_record_service(who, request, issued_decision):
    """Another unit's officer, and a legal reviewer who reads the case, may not record."""
    outsider = request.getfixturevalue(who)
    with pytest.raises(AccessDenied):
        serve(outsider, issued_decision, "direct")
    assert AuditEvent.objects.get(action="service.record").outcome == Outcome.DENIED
    assert not ServiceAttachment.objects.exists()


def test_the_unit_head_may_record(head_zhang, issued_decision):
    assert serve(head_zhang, issued_decision, "direct").recorded_by == head_zhang


# --- consent to electronic service ----------------------------------------------------------


def test_record_consent(officer_wang, case_a):
    agreed = consent(officer_wang, case_a, "email", "fax")
    assert agreed.channels == ["fax", "email"]  # in the channels' order
    event = AuditEvent.objects.get(action="service.consent")
    assert event.case_id == case_a.pk and event.details["channels"] == ["fax", "email"]


def test_consent_needs_channel_party_and_number(officer_wang, case_a):
    with pytest.raises(ValidationError) as caught:
        service_actions.record_consent(
            officer_wang, case_a, party_name="", channels=[], consented_on=None
        )
    errors = caught.value.message_dict
    assert errors["channels"] == ["请至少选择一种当事人同意的送达渠道。"]
    assert errors["party_name"] == ["请填写同意电子送达的当事人。"]
    assert errors["consented_on"] == ["请填写同意日期。"]
    with pytest.raises(ValidationError) as caught:
        service_actions.record_consent(
            officer_wang,
            case_a,
            party_name=PARTY,
            channels=["fax", "email"],
            consented_on=timezone.localdate(),
            email="not-an-address",
        )
    errors = caught.value.message_dict
    assert errors["fax_number"] == ["请填写当事人提供的传真号码。"]
    assert errors["email"] == ["请输入有效的电子邮箱地址。"]


def test_consent_only_by_those_working_the_case(officer_li, case_a):
    with pytest.raises(AccessDenied):
        consent(officer_li, case_a)
    # The denial is audited under the access rule it failed ("service.record").
    assert AuditEvent.objects.get(action="service.record").outcome == Outcome.DENIED
    assert not AuditEvent.objects.filter(action="service.consent").exists()


# --- the real path: a decision issued, sealed and served ----------------------------------


def _fill_required(document, spec) -> dict[str, str]:
    """What the officer types beyond what the case fills in."""
    from liuhen.documents.spec import FieldType

    values = dict(document.data)
    for field in spec.fields:
        if field.required and not values.get(field.name):
            values[field.name] = {
                FieldType.DATE: "2026-11-28",
                FieldType.DATETIME: "2026-11-28T10:30",
                FieldType.MONEY: "5000.00",
                FieldType.INTEGER: "1",
            }.get(field.type, field.choices[0] if field.choices else "经查明的情况")
    return values


def test_an_issued_decision_is_served_with_the_signed_receipt(
    settings, seal_from_demo_p12, officer_wang, unit_a
):
    """Through the documents' actions: the decision issued and sealed (R18.2), the 送达回证
    signed by the recipient (R9.1); e-mail refused (regulation Art. 10(四)), direct service
    with the receipt taken."""
    from liuhen.documents.actions import drafting, issuing, signing
    from liuhen.documents.catalog import catalog
    from tests.documents.signing_helpers import make_party_case, signature_png
    from tests.fixtures.storage import SHARED_FONT_CACHE

    settings.FONT_CACHE_DIR = SHARED_FONT_CACHE
    case = make_party_case(unit_a, [officer_wang])
    Decision.objects.create(
        case=case,
        number="洼农（农药）罚〔2026〕7号",
        penalty_kinds=["fine"],
        fine_fen=500_000,
        facts="当事人销售未取得农药登记证的农药。",
        basis="《农药管理条例》第五十五条",
        decided_by=officer_wang,
    )
    draft = drafting.create_draft(officer_wang, case, "penalty_decision")
    spec = catalog.get("penalty_decision")
    draft = drafting.save_draft(officer_wang, draft, _fill_required(draft, spec))
    issued = issuing.issue(officer_wang, draft)
    assert issued.served and files.current_file(issued).sealed
    consent(officer_wang, case, "email")
    with pytest.raises(ValidationError) as caught:
        serve(officer_wang, issued, "electronic", channel="email", details={"email": "a@b.cn"})
    assert "依据：制度第十条" in caught.value.message_dict["mode"][0]

    receipt_draft = drafting.create_draft(officer_wang, case, "service_receipt", serves=issued)
    values = {
        **_fill_required(receipt_draft, catalog.get("service_receipt")),
        "documents": f"行政处罚决定书|{issued.number}",
        "mode": "直接送达",
    }
    receipt = issuing.issue(officer_wang, drafting.save_draft(officer_wang, receipt_draft, values))
    with pytest.raises(ValidationError) as caught:  # not signed yet
        serve(officer_wang, issued, "direct", attachments=[], receipt=receipt)
    assert "尚未签收" in caught.value.message_dict["receipt"][0]
    signing.sign(
        officer_wang,
        receipt,
        role="受送达人",
        name="张三",
        opinion="已收到",
        image_png=signature_png(),
    )
    signing.finalise(officer_wang, receipt)  # no witness took part: final as it is
    record = serve(officer_wang, issued, "direct", attachments=[], receipt=receipt)
    assert record.receipt == receipt and versions.is_served(issued)
    assert not clock.is_overdue(issued)

"""R16.1: confirming a suggestion, linking by hand, withdrawing a link, the custodian's
label and the important mark — each allowed and refused, validated, write-once, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent, Outcome
from liuhen.media import links
from liuhen.media.actions import curation
from liuhen.media.models import (
    AvDisposal,
    AvLabel,
    AvLink,
    AvMark,
    AvUnlink,
    DisposalDecision,
    DisposalRequest,
    LinkKind,
)
from tests.fixtures.clock import hours_ago
from tests.media.linking import M, activity, av, case_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_types")]


@pytest.fixture
def clip_during_inspection(officer_wang, inspection_5h_ago):
    """王明's recording, captured during the inspection."""
    return av(officer_wang, officer=officer_wang, captured_at=inspection_5h_ago.started_at + 10 * M)


def dispose(record, custodian, agency_head):
    """R18.4 after approval (rows made directly: the disposal flow is not under test)."""
    request = DisposalRequest.objects.create(reason="保管期限届满", requested_by=custodian)
    decision = DisposalDecision.objects.create(
        request=request, approved=True, opinion="同意", by=agency_head
    )
    AvDisposal.objects.create(record=record, decision=decision, blob_removed=False)


def events(action, outcome=Outcome.OK):
    return AuditEvent.objects.filter(action=action, outcome=outcome)


# --- confirming a suggestion ----------------------------------------------------------


def test_officer_confirms_the_suggestion(
    officer_wang, clip_during_inspection, inspection_5h_ago, case_a_two_officers
):
    link = curation.confirm_suggestion(
        officer_wang, clip_during_inspection, inspection_5h_ago, evidence=True
    )
    assert (link.kind, link.activity, link.case, link.evidence) == (
        LinkKind.SUGGESTED,
        inspection_5h_ago,
        None,
        True,
    )
    assert link.linked_by == officer_wang
    event = events("media.link").get()
    assert (
        event.object_id == str(clip_during_inspection.pk)
        and event.case_id == case_a_two_officers.pk
    )
    assert (
        event.details["activity"] == inspection_5h_ago.pk and event.details["kind"] == "suggested"
    )


def test_custodian_confirms_too(custodian_zhou, clip_during_inspection, inspection_5h_ago):
    assert (
        curation.confirm_suggestion(
            custodian_zhou, clip_during_inspection, inspection_5h_ago
        ).linked_by
        == custodian_zhou
    )


@pytest.mark.parametrize("who", ["officer_li", "head_zhang", "officer_ma", "sysadmin_zhao"])
def test_others_may_not_confirm(who, request, clip_during_inspection, inspection_5h_ago):
    """Not 王明's colleague on the case, not his unit head: only who made or uploaded it,
    and the custodian (R16.1). Admin roles never touch AV."""
    with pytest.raises(AccessDenied):
        curation.confirm_suggestion(
            request.getfixturevalue(who), clip_during_inspection, inspection_5h_ago
        )
    assert not AvLink.objects.exists()
    assert events("media.link", Outcome.DENIED).count() == 1


def test_only_a_suggested_activity_is_confirmed(
    officer_wang, officer_ma, case_a_two_officers, clip_during_inspection
):
    elsewhere = activity(
        officer_wang, case_a_two_officers, [officer_wang, officer_ma], hours_ago(30)
    )
    with pytest.raises(ValidationError) as err:
        curation.confirm_suggestion(officer_wang, clip_during_inspection, elsewhere)
    assert "activity" in err.value.message_dict
    assert not AvLink.objects.exists()


def test_confirming_twice_links_once(officer_wang, clip_during_inspection, inspection_5h_ago):
    curation.confirm_suggestion(officer_wang, clip_during_inspection, inspection_5h_ago)
    with pytest.raises(ValidationError):
        curation.confirm_suggestion(officer_wang, clip_during_inspection, inspection_5h_ago)
    assert AvLink.objects.count() == 1


# --- linking by hand ------------------------------------------------------------------


def test_link_by_hand_to_a_case_as_evidence_and_to_an_activity(
    officer_wang, officer_ma, case_a_two_officers, clip_during_inspection
):
    other = case_of(case_a_two_officers.unit, [officer_wang], number="洼农（种子）立〔2026〕7号")
    to_case = curation.link(officer_wang, clip_during_inspection, case=other, evidence=True)
    assert (to_case.kind, to_case.case, to_case.evidence) == (LinkKind.MANUAL, other, True)
    patrol = activity(officer_wang, case_a_two_officers, [officer_wang, officer_ma], hours_ago(30))
    to_activity = curation.link(officer_wang, clip_during_inspection, activity=patrol)
    # A record may belong to several activities and cases.
    assert set(links.current_links().filter(record=clip_during_inspection)) == {
        to_case,
        to_activity,
    }
    assert events("media.link").count() == 2
    assert events("media.link").filter(case_id=other.pk).exists()


def test_linking_to_a_case_needs_the_right_to_change_it(
    custodian_zhou, officer_wang, clip_during_inspection, case_a_two_officers
):
    """The custodian may link the record, but filing it in a case is for the case's officers."""
    with pytest.raises(AccessDenied) as err:
        curation.link(custodian_zhou, clip_during_inspection, case=case_a_two_officers)
    assert err.value.action == "case.change"
    assert (
        curation.link(officer_wang, clip_during_inspection, case=case_a_two_officers).case
        == case_a_two_officers
    )


def test_linking_to_an_activity_needs_sight_of_it(
    officer_wang, officer_li, case_b, clip_during_inspection
):
    hidden = activity(officer_li, case_b, [officer_li], hours_ago(5), code="other")
    with pytest.raises(AccessDenied) as err:
        curation.link(officer_wang, clip_during_inspection, activity=hidden)
    assert err.value.action == "activity.view"
    assert not AvLink.objects.exists()


def test_one_target_exactly(
    officer_wang, clip_during_inspection, inspection_5h_ago, case_a_two_officers
):
    for targets in ({}, {"activity": inspection_5h_ago, "case": case_a_two_officers}):
        with pytest.raises(ValidationError):
            curation.link(officer_wang, clip_during_inspection, **targets)
    curation.link(officer_wang, clip_during_inspection, case=case_a_two_officers)
    with pytest.raises(ValidationError) as err:
        curation.link(officer_wang, clip_during_inspection, case=case_a_two_officers)
    assert "case" in err.value.message_dict


def test_case_by_number_only_among_visible_cases(officer_wang, case_a_two_officers, case_b):
    assert (
        curation.case_by_number(officer_wang, f" {case_a_two_officers.number} ")
        == case_a_two_officers
    )
    for number in (case_b.number, "", "洼农（农药）立〔2099〕1号"):
        with pytest.raises(ValidationError) as err:
            curation.case_by_number(officer_wang, number)
        assert "case_number" in err.value.message_dict


def test_disposed_records_are_not_linked(
    officer_wang, agency_head_liu, custodian_zhou, clip_during_inspection, case_a_two_officers
):
    dispose(clip_during_inspection, custodian_zhou, agency_head_liu)
    with pytest.raises(ValidationError) as err:
        curation.link(officer_wang, clip_during_inspection, case=case_a_two_officers)
    assert "record" in err.value.message_dict


# --- withdrawing ----------------------------------------------------------------------


def test_withdraw_with_a_reason_keeps_the_history(
    officer_wang, clip_during_inspection, inspection_5h_ago, case_a_two_officers
):
    link = curation.confirm_suggestion(officer_wang, clip_during_inspection, inspection_5h_ago)
    with pytest.raises(ValidationError) as err:
        curation.withdraw_link(officer_wang, link, reason="  ")
    assert "reason" in err.value.message_dict
    unlink = curation.withdraw_link(officer_wang, link, reason="关联错误")
    assert (unlink.link, unlink.reason, unlink.by) == (link, "关联错误", officer_wang)
    assert AvLink.objects.filter(pk=link.pk).exists()  # the link stays, withdrawn
    assert not links.current_links().filter(record=clip_during_inspection).exists()
    event = events("media.unlink").get()
    assert event.details["reason"] == "关联错误" and event.case_id == case_a_two_officers.pk
    with pytest.raises(ValidationError):
        curation.withdraw_link(officer_wang, link, reason="再次撤回")
    assert AvUnlink.objects.count() == 1
    # Linked again afterwards: a new link.
    assert (
        curation.confirm_suggestion(officer_wang, clip_during_inspection, inspection_5h_ago).pk
        != link.pk
    )


def test_others_may_not_withdraw(
    officer_wang, officer_li, custodian_zhou, clip_during_inspection, case_a_two_officers
):
    link = curation.link(officer_wang, clip_during_inspection, case=case_a_two_officers)
    with pytest.raises(AccessDenied):
        curation.withdraw_link(officer_li, link, reason="x")
    # The custodian manages the record but may not take it out of a case file.
    with pytest.raises(AccessDenied):
        curation.withdraw_link(custodian_zhou, link, reason="x")
    assert not AvUnlink.objects.exists()


# --- label and mark -------------------------------------------------------------------


def test_custodian_labels_and_relabels(custodian_zhou, clip_during_inspection):
    first = curation.label(custodian_zhou, clip_during_inspection, " 现场检查：农药仓库 ")
    assert first.text == "现场检查：农药仓库"
    with pytest.raises(ValidationError):
        curation.label(custodian_zhou, clip_during_inspection, "现场检查：农药仓库")
    with pytest.raises(ValidationError):
        curation.label(custodian_zhou, clip_during_inspection, "")
    second = curation.label(custodian_zhou, clip_during_inspection, "现场检查：农药仓库及销售台账")
    assert links.current_label(clip_during_inspection) == second
    assert list(AvLabel.objects.filter(record=clip_during_inspection)) == [first, second]
    assert events("media.label").count() == 2


@pytest.mark.parametrize("who", ["officer_wang", "head_zhang", "agency_head_liu", "auditor_chen"])
def test_only_the_custodian_labels(who, request, clip_during_inspection):
    with pytest.raises(AccessDenied):
        curation.label(request.getfixturevalue(who), clip_during_inspection, "标注")
    assert not AvLabel.objects.exists()


def test_mark_important_and_take_it_off(officer_wang, custodian_zhou, clip_during_inspection):
    assert not links.is_important(clip_during_inspection)
    curation.mark(officer_wang, clip_during_inspection, important=True, reason="关键证据")
    assert links.is_important(clip_during_inspection)
    with pytest.raises(ValidationError):
        curation.mark(custodian_zhou, clip_during_inspection, important=True)
    curation.mark(custodian_zhou, clip_during_inspection, important=False)
    assert not links.is_important(clip_during_inspection)
    with pytest.raises(ValidationError):
        curation.mark(custodian_zhou, clip_during_inspection, important=False)
    assert [m.important for m in AvMark.objects.filter(record=clip_during_inspection)] == [
        True,
        False,
    ]
    assert [e.details["important"] for e in events("media.mark").order_by("seq")] == [True, False]


@pytest.mark.parametrize("who", ["officer_li", "officer_ma", "head_zhang", "secadmin_qian"])
def test_others_may_not_mark(who, request, clip_during_inspection):
    with pytest.raises(AccessDenied):
        curation.mark(request.getfixturevalue(who), clip_during_inspection, important=True)
    assert not AvMark.objects.exists()


def test_curation_rows_are_write_once(
    officer_wang, custodian_zhou, clip_during_inspection, inspection_5h_ago
):
    link = curation.confirm_suggestion(officer_wang, clip_during_inspection, inspection_5h_ago)
    label = curation.label(custodian_zhou, clip_during_inspection, "标注")
    mark = curation.mark(custodian_zhou, clip_during_inspection, important=True)
    for model, row, change in (
        (AvLink, link, {"evidence": True}),
        (AvLabel, label, {"text": "改"}),
        (AvMark, mark, {"important": False}),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            model.objects.filter(pk=row.pk).update(**change)
        with pytest.raises(DatabaseError), transaction.atomic():
            model.objects.filter(pk=row.pk).delete()


# --- the links panel of the record page and its forms ---------------------------------


def panel(client, record) -> str:
    response = client.get(f"/media/{record.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_panel_shows_the_officer_the_suggestion_and_link_forms(
    client, officer_wang, clip_during_inspection, case_a_two_officers
):
    client.force_login(officer_wang)
    html = panel(client, clip_during_inspection)
    assert 'data-testid="confirm-suggestion"' in html and case_a_two_officers.number in html
    assert 'data-testid="link-case-form"' in html and 'data-testid="mark-form"' in html
    assert 'data-testid="label-form"' not in html  # labelling is the custodian's


def test_panel_shows_the_custodian_the_label_form(client, custodian_zhou, clip_during_inspection):
    client.force_login(custodian_zhou)
    html = panel(client, clip_during_inspection)
    assert 'data-testid="label-form"' in html and 'data-testid="mark-form"' in html


def test_panel_has_no_forms_for_a_reader(
    client, head_zhang, officer_wang, clip_during_inspection, inspection_5h_ago
):
    """The unit head sees the unit's records and their links, and changes nothing here."""
    curation.confirm_suggestion(officer_wang, clip_during_inspection, inspection_5h_ago)
    client.force_login(head_zhang)
    html = panel(client, clip_during_inspection)
    assert 'data-testid="link-row"' in html
    for form in ("confirm-suggestion", "link-case-form", "mark-form", "label-form", "withdraw"):
        assert f'data-testid="{form}' not in html


def test_panel_has_no_forms_once_disposed(
    client, custodian_zhou, agency_head_liu, clip_during_inspection
):
    client.force_login(custodian_zhou)
    assert 'data-testid="label-form"' in panel(client, clip_during_inspection)
    dispose(clip_during_inspection, custodian_zhou, agency_head_liu)
    html = panel(client, clip_during_inspection)
    for form in ("label-form", "mark-form", "link-case-form", "suggestions"):
        assert f'data-testid="{form}"' not in html


def test_confirm_form_links_and_goes_back(
    client, officer_wang, clip_during_inspection, inspection_5h_ago
):
    client.force_login(officer_wang)
    response = client.post(
        f"/media/{clip_during_inspection.pk}/links/confirm/",
        {"activity": inspection_5h_ago.pk, "evidence": "1"},
    )
    assert (
        response.status_code == 302
        and response["Location"] == f"/media/{clip_during_inspection.pk}/#links"
    )
    link = AvLink.objects.get()
    assert (link.activity, link.kind, link.evidence) == (
        inspection_5h_ago,
        LinkKind.SUGGESTED,
        True,
    )
    html = panel(client, clip_during_inspection)
    assert 'data-testid="link-row"' in html and 'data-testid="no-suggestions"' in html


def test_case_number_form_and_its_error(
    client, officer_wang, clip_during_inspection, case_a_two_officers
):
    client.force_login(officer_wang)
    response = client.post(
        f"/media/{clip_during_inspection.pk}/links/", {"case_number": "无此案号"}, follow=True
    )
    assert response.status_code == 200 and not AvLink.objects.exists()
    assert 'class="alert alert-danger"' in response.content.decode()
    client.post(
        f"/media/{clip_during_inspection.pk}/links/", {"case_number": case_a_two_officers.number}
    )
    assert AvLink.objects.get().case == case_a_two_officers


def test_withdraw_label_and_mark_forms(
    client, officer_wang, custodian_zhou, clip_during_inspection, inspection_5h_ago
):
    link = curation.confirm_suggestion(officer_wang, clip_during_inspection, inspection_5h_ago)
    client.force_login(officer_wang)
    client.post(
        f"/media/{clip_during_inspection.pk}/links/{link.pk}/withdraw/", {"reason": "关联错误"}
    )
    assert AvUnlink.objects.get().reason == "关联错误"
    client.post(
        f"/media/{clip_during_inspection.pk}/mark/", {"important": "1", "reason": "关键证据"}
    )
    assert links.is_important(clip_during_inspection)
    client.force_login(custodian_zhou)
    client.post(f"/media/{clip_during_inspection.pk}/label/", {"text": "现场检查"})
    client.post(f"/media/{clip_during_inspection.pk}/mark/", {"important": "0"})
    assert links.current_label(
        clip_during_inspection
    ).text == "现场检查" and not links.is_important(clip_during_inspection)


def test_forms_refuse_others(
    client, officer_li, head_zhang, officer_wang, clip_during_inspection, inspection_5h_ago
):
    link = curation.confirm_suggestion(officer_wang, clip_during_inspection, inspection_5h_ago)
    client.force_login(officer_li)  # may not see the record at all
    assert (
        client.post(f"/media/{clip_during_inspection.pk}/mark/", {"important": "1"}).status_code
        == 404
    )
    hidden = AuditEvent.objects.get(outcome=Outcome.DENIED)
    assert (hidden.action, hidden.object_id) == ("media.view", str(clip_during_inspection.pk))
    client.force_login(head_zhang)  # sees it, may not change what is said about it
    for url, data in (
        (f"/media/{clip_during_inspection.pk}/mark/", {"important": "1"}),
        (f"/media/{clip_during_inspection.pk}/label/", {"text": "x"}),
        (f"/media/{clip_during_inspection.pk}/links/{link.pk}/withdraw/", {"reason": "x"}),
        (f"/media/{clip_during_inspection.pk}/links/confirm/", {"activity": inspection_5h_ago.pk}),
    ):
        assert client.post(url, data).status_code == 403, url
    assert client.get(f"/media/{clip_during_inspection.pk}/mark/").status_code == 405
    assert not AvMark.objects.exists() and not AvLabel.objects.exists()
    assert not AvUnlink.objects.exists()

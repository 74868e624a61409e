"""R7.3 集体讨论 (行政处罚法 Art. 57): the chair — normally the agency head — records the
discussion with each attendee's opinion as drafted; each attendee confirms their own
opinion; the discussion counts only when every opinion is confirmed or a reason is on
record."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liuhen.cases import decisions
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.models import CollectiveDiscussion, DiscussionOpinion
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent, Notification
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def serious_case(case_in_decision):
    case_in_decision.complex_or_serious = True
    case_in_decision.save()
    return case_in_decision


def _record(chair, case, *attendees, drafts=None):
    return decision_actions.record_discussion(
        chair,
        case,
        held_at=timezone.now(),
        attendees=list(attendees),
        opinions="一致同意给予罚款处罚",
        conclusion="罚款",
        attendee_opinions=drafts or {person.pk: "同意" for person in attendees},
    )


def test_the_agency_head_chairs_a_case_they_do_not_work(
    serious_case, agency_head_liu, head_zhang, reviewer_sun, django_capture_on_commit_callbacks
):
    """Art. 57: the agency head, who must attend, may record the discussion of a case they
    are not assigned to (refused before as "case.change")."""
    with django_capture_on_commit_callbacks(execute=True):
        discussion = _record(
            agency_head_liu,
            serious_case,
            agency_head_liu,
            head_zhang,
            reviewer_sun,
            drafts={agency_head_liu.pk: "同意罚款", head_zhang.pk: "同意", reviewer_sun.pk: ""},
        )
    assert discussion.recorded_by == agency_head_liu
    own = discussion.attendee_opinions.get(attendee=agency_head_liu)
    # The chair drafted their own opinion: it stands confirmed.
    assert own.confirmed_at is not None and own.confirmed == "同意罚款"
    waiting = set(decisions.unsettled_opinions().values_list("attendee_id", flat=True))
    assert waiting == {head_zhang.pk, reviewer_sun.pk}
    assert AuditEvent.objects.filter(action="case.discussion", outcome="ok").exists()
    # Each attendee who must confirm is told once, in the app and by e-mail.
    told = Notification.objects.filter(dedupe_key__startswith="discussion_opinion:")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [head_zhang.pk, reviewer_sun.pk]
    )


def test_the_discussion_page_opens_for_the_agency_head(client, serious_case, agency_head_liu):
    sign_in(client, agency_head_liu)
    url = reverse("cases:discussion", args=[serious_case.pk])
    assert client.get(url).status_code == 200
    detail = client.get(reverse("cases:detail", args=[serious_case.pk])).content.decode()
    assert 'data-testid="to-discussion"' in detail


def test_a_reader_who_neither_chairs_nor_works_the_case_may_not_record(
    serious_case, reviewer_sun, head_zhang, agency_head_liu
):
    with pytest.raises(AccessDenied):
        _record(reviewer_sun, serious_case, head_zhang, agency_head_liu)
    assert not CollectiveDiscussion.objects.exists()


def test_each_attendee_confirms_their_own_opinion_only(
    serious_case, officer_wang, head_zhang, agency_head_liu
):
    discussion = _record(officer_wang, serious_case, head_zhang, agency_head_liu)
    zhang = discussion.attendee_opinions.get(attendee=head_zhang)
    with pytest.raises(AccessDenied):
        decision_actions.confirm_opinion(agency_head_liu, zhang, text="同意")
    with pytest.raises(AccessDenied):
        decision_actions.confirm_opinion(officer_wang, zhang, text="同意")
    with pytest.raises(ValidationError):
        decision_actions.confirm_opinion(head_zhang, zhang, text="  ")
    decision_actions.confirm_opinion(head_zhang, zhang, text="同意，但建议从轻")
    zhang.refresh_from_db()
    assert zhang.confirmed == "同意，但建议从轻" and zhang.drafted == "同意"
    event = AuditEvent.objects.get(action="case.opinion_confirmed", outcome="ok")
    assert event.details["opinion"] == "同意，但建议从轻" and not event.details["as_drafted"]
    with pytest.raises(ValidationError) as twice:
        decision_actions.confirm_opinion(head_zhang, zhang, text="改口")
    assert twice.value.code == "settled"


def test_the_discussion_concludes_when_every_opinion_is_settled(
    serious_case, officer_wang, head_zhang, agency_head_liu, reviewer_sun
):
    discussion = _record(officer_wang, serious_case, head_zhang, agency_head_liu)
    assert not decisions.concluded_discussions(serious_case).exists()
    zhang = discussion.attendee_opinions.get(attendee=head_zhang)
    liu = discussion.attendee_opinions.get(attendee=agency_head_liu)
    decision_actions.confirm_opinion(head_zhang, zhang, text="同意")
    assert not decisions.concluded_discussions(serious_case).exists()
    # A reason instead of the confirmation: by who works the case, not by a mere reader.
    with pytest.raises(AccessDenied):
        decision_actions.record_unconfirmed_reason(reviewer_sun, liu, reason="出差")
    with pytest.raises(ValidationError):
        decision_actions.record_unconfirmed_reason(officer_wang, liu, reason=" ")
    decision_actions.record_unconfirmed_reason(officer_wang, liu, reason="长期病假，无法确认")
    assert list(decisions.concluded_discussions(serious_case)) == [discussion]
    assert AuditEvent.objects.filter(action="case.opinion_unconfirmed", outcome="ok").exists()


def test_confirm_page_both_ways(
    client, serious_case, officer_wang, head_zhang, agency_head_liu, officer_li
):
    discussion = _record(officer_wang, serious_case, head_zhang, agency_head_liu)
    opinion = discussion.attendee_opinions.get(attendee=head_zhang)
    url = reverse("cases:confirm_opinion", args=[opinion.pk])
    sign_in(client, agency_head_liu)  # reads the case, but it is not his opinion
    assert client.get(url).status_code == 403
    client.logout()
    sign_in(client, officer_li)  # may not read the case at all
    assert client.get(url).status_code == 404
    client.logout()
    sign_in(client, head_zhang)
    page = client.get(url).content.decode()
    assert "一致同意给予罚款处罚" in page and "同意" in page
    done = client.post(url, {"do": "confirm", "text": "同意"})
    assert done.status_code == 302 and done["Location"] == reverse("web:tasks")
    opinion.refresh_from_db()
    assert opinion.confirmed_at is not None
    assert 'name="text"' not in client.get(url).content.decode()  # settled: no form


def test_the_chair_drafts_each_attendees_opinion_on_the_page(
    client, serious_case, agency_head_liu, head_zhang
):
    sign_in(client, agency_head_liu)
    url = reverse("cases:discussion", args=[serious_case.pk])
    response = client.post(
        url,
        {
            "do": "discussion",
            "held_at": "2026-11-21T09:30",
            "attendees": [head_zhang.pk, agency_head_liu.pk],
            "opinions": "同意处罚",
            "conclusion": "罚款",
            f"opinion_{head_zhang.pk}": "同意罚款八百元",
            f"opinion_{agency_head_liu.pk}": "同意",
        },
    )
    assert response.status_code == 302
    drafted = dict(DiscussionOpinion.objects.values_list("attendee_id", "drafted"))
    assert drafted == {head_zhang.pk: "同意罚款八百元", agency_head_liu.pk: "同意"}


def test_notifying_twice_reaches_the_attendee_once(
    serious_case, officer_wang, head_zhang, agency_head_liu, django_capture_on_commit_callbacks
):
    from liuhen.cases import notices

    with django_capture_on_commit_callbacks(execute=True):
        discussion = _record(officer_wang, serious_case, head_zhang, agency_head_liu)
    opinion = discussion.attendee_opinions.get(attendee=head_zhang)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        notices.opinion_to_confirm(opinion)
    assert Notification.objects.filter(recipient=head_zhang).count() == 1
    assert len(mail.outbox) == sent

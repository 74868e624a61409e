"""事后公示 (R12.1): a decision is published within its clock with the party's personal
data masked; a revoked decision's publication is withdrawn with the notice kept public;
publications are write-once; access both ways; a late publication is a finding."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from liuhen.cases import deadlines
from liuhen.cases.compliance import findings_for_case
from liuhen.cases.models import Decision
from liuhen.core import calendar
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent
from liuhen.disclosure.actions import publishing
from liuhen.disclosure.clocks import publication_clock
from liuhen.disclosure.models import Publication, PublicationKind
from tests.factories import sign_in
from tests.fixtures.disclosure import PERSON_ADDRESS, PERSON_ID, PERSON_NAME, PERSON_PHONE

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.local_dates,
    pytest.mark.usefixtures("local_midday"),
]


def test_a_person_is_published_masked_within_the_clock(
    decided_case_of_a_person, reviewer_sun, client
) -> None:
    decision = decided_case_of_a_person.decision
    clock = publication_clock(decided_case_of_a_person)
    assert clock is not None and clock.met_on is None
    assert clock.due == calendar.add_working_days(timezone.localdate(decision.decided_at), 7)

    row = publishing.publish_decision(reviewer_sun, decision)

    assert row.kind == PublicationKind.DECISION and row.category == "penalty"
    assert row.party == "张某某" and row.party_kind == "person"
    assert PERSON_ID not in row.party_identifier and row.party_identifier.startswith("211")
    for secret in (PERSON_NAME, PERSON_ID, PERSON_PHONE, PERSON_ADDRESS):
        assert secret not in row.facts
    assert "张某某" in row.facts
    assert row.due == clock.due
    met = publication_clock(decided_case_of_a_person)
    assert met is not None and met.met_on == timezone.localdate()
    assert any(c.code == "publication" for c in deadlines.clocks_for_case(decided_case_of_a_person))
    assert [
        f for f in findings_for_case(decided_case_of_a_person) if f.code == "publication_late"
    ] == []
    assert AuditEvent.objects.filter(action="disclosure.publish", object_id=str(row.pk)).exists()

    page = client.get(reverse("portal:disclosure_publication", args=[row.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "张某某" in text and PERSON_NAME not in text and PERSON_PHONE not in text
    listing = client.get(reverse("portal:disclosure_decisions")).content.decode()
    assert decision.number in listing and PERSON_NAME not in listing


def test_an_organisation_keeps_its_name(decided_case, agency_head_liu) -> None:
    row = publishing.publish_decision(agency_head_liu, decided_case.decision)
    assert row.party == "丰收农资经营部" and row.party_kind == "organisation"


def test_a_decision_is_published_once(decided_case, reviewer_sun) -> None:
    publishing.publish_decision(reviewer_sun, decided_case.decision)
    with pytest.raises(ValidationError, match=r"已公示|published already"):
        publishing.publish_decision(reviewer_sun, decided_case.decision)


def test_withdrawal_after_revocation_keeps_the_notice_public(
    decided_case_of_a_person, reviewer_sun, client
) -> None:
    row = publishing.publish_decision(reviewer_sun, decided_case_of_a_person.decision)
    notice = publishing.withdraw_publication(
        reviewer_sun,
        row,
        ground="revoked",
        ground_on=timezone.localdate(),
        reason="经行政复议，原处罚决定被撤销。",
    )
    assert notice.kind == PublicationKind.WITHDRAWAL and notice.replaces_id == row.pk
    assert notice.party == "张某某"
    assert notice.due == calendar.add_working_days(timezone.localdate(), 3)
    assert not publishing.live(row)
    with pytest.raises(ValidationError):
        publishing.withdraw_publication(
            reviewer_sun, row, ground="revoked", ground_on=timezone.localdate(), reason="再次"
        )

    public = client.get(reverse("portal:disclosure_publication", args=[notice.pk]))
    assert public.status_code == 200
    assert 'data-testid="withdrawal-notice"' in public.content.decode()
    old = client.get(reverse("portal:disclosure_publication", args=[row.pk])).content.decode()
    assert 'data-testid="replaced"' in old
    listing = client.get(reverse("portal:disclosure_decisions") + "?kind=withdrawal")
    assert f'data-publication="{notice.pk}"' in listing.content.decode()
    assert [
        f for f in findings_for_case(decided_case_of_a_person) if f.code == "withdrawal_late"
    ] == []


@pytest.mark.finding_kind("withdrawal_late")
def test_a_late_withdrawal_is_a_finding(decided_case, reviewer_sun, time_machine) -> None:
    row = publishing.publish_decision(reviewer_sun, decided_case.decision)
    time_machine.shift(dt.timedelta(days=20))
    publishing.withdraw_publication(
        reviewer_sun,
        row,
        ground="illegal",
        ground_on=timezone.localdate() - dt.timedelta(days=15),
        reason="经行政诉讼，原处罚决定被确认违法。",
    )
    found = [f for f in findings_for_case(decided_case) if f.code == "withdrawal_late"]
    assert len(found) == 1 and found[0].article == "R12.1"


def test_a_correction_changes_the_penalty(decided_case, reviewer_sun) -> None:
    row = publishing.publish_decision(reviewer_sun, decided_case.decision)
    corrected = publishing.correct_publication(
        reviewer_sun,
        row,
        ground="changed",
        ground_on=timezone.localdate(),
        reason="经行政复议，罚款变更为二千元。",
        penalty="警告；罚款2,000.00元",
    )
    assert corrected.kind == PublicationKind.CORRECTION and corrected.penalty.startswith("警告")
    assert corrected.party == row.party


def test_publications_are_write_once(decided_case, reviewer_sun) -> None:
    row = publishing.publish_decision(reviewer_sun, decided_case.decision)
    with pytest.raises(DatabaseError), transaction.atomic():
        Publication.objects.filter(pk=row.pk).update(party="改了")
    with pytest.raises(DatabaseError), transaction.atomic():
        Publication.objects.filter(pk=row.pk).delete()


@pytest.mark.finding_kind("publication_late")
def test_not_published_in_time_is_a_finding(decided_case, reviewer_sun, time_machine) -> None:
    time_machine.shift(dt.timedelta(days=20))
    found = [f for f in findings_for_case(decided_case) if f.code == "publication_late"]
    assert len(found) == 1 and not found[0].blocking
    row = publishing.publish_decision(reviewer_sun, decided_case.decision)
    assert row.due < timezone.localdate()
    late = [f for f in findings_for_case(decided_case) if f.code == "publication_late"]
    assert len(late) == 1 and str(late[0].message) != str(found[0].message)


def test_a_state_secret_is_never_published(decided_case, agency_head_liu) -> None:
    decided_case.confidentiality = "state_secret"
    decided_case.save(update_fields=["confidentiality"])
    decision = Decision.objects.get(case=decided_case)
    with pytest.raises(ValidationError):
        publishing.publish_decision(agency_head_liu, decision)


# --- access, both ways ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reviewer_sun", "agency_head_liu"])
def test_publishers_may_publish(request, decided_case, who) -> None:
    actor = request.getfixturevalue(who)
    assert publishing.publish_decision(actor, decided_case.decision).pk


@pytest.mark.parametrize("who", ["officer_wang", "head_zhang", "supervisor_zheng", "sysadmin_zhao"])
def test_others_may_not_publish(request, decided_case, who) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(AccessDenied):
        publishing.publish_decision(actor, decided_case.decision)
    assert not Publication.objects.exists()
    assert AuditEvent.objects.filter(action="disclosure.publish", outcome="denied").exists()


def test_others_may_not_withdraw(decided_case, reviewer_sun, officer_wang, head_zhang) -> None:
    row = publishing.publish_decision(reviewer_sun, decided_case.decision)
    for actor in (officer_wang, head_zhang):
        with pytest.raises(AccessDenied):
            publishing.withdraw_publication(
                actor, row, ground="revoked", ground_on=timezone.localdate(), reason="撤销"
            )


def test_the_staff_pages_both_ways(client, decided_case, reviewer_sun, officer_wang) -> None:
    sign_in(client, officer_wang)
    assert client.get(reverse("disclosure:queue")).status_code == 403
    assert client.post(reverse("disclosure:preview", args=[decided_case.pk])).status_code in (
        403,
        404,
    )
    assert not Publication.objects.exists()
    client.logout()
    sign_in(client, reviewer_sun)
    queue = client.get(reverse("disclosure:queue"))
    assert queue.status_code == 200 and f'data-case="{decided_case.pk}"' in queue.content.decode()
    preview = client.get(reverse("disclosure:preview", args=[decided_case.pk]))
    assert preview.status_code == 200 and 'data-testid="masked-preview"' in preview.content.decode()
    done = client.post(reverse("disclosure:preview", args=[decided_case.pk]))
    row = Publication.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "disclosure:publication", args=[row.pk]
    )
    page = client.post(
        reverse("disclosure:publication", args=[row.pk]),
        {
            "do": "withdraw",
            "withdraw-ground": "revoked",
            "withdraw-ground_on": timezone.localdate().isoformat(),
            "withdraw-reason": "原处罚决定被撤销。",
        },
    )
    assert page.status_code == 302
    assert Publication.objects.filter(kind="withdrawal", replaces=row).exists()

"""The hearing transcript 听证笔录 (R9.1, 行政处罚法 Art. 64(4)(8)): its chair and clerk sign
their own lines as themselves though neither is an officer of the case — the chair may not
be, never being an investigator — and only those lines; the investigators sign theirs, the
party its own. A member of staff named for no line of it signs nothing, and the signing
screen shows the chair only the officer lines, not the party's pad."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions import hearings as hearing_actions
from liuhen.cases.hearings import earliest_hearing_day, staff_ids
from liuhen.cases.models import Case, Stage
from liuhen.core.access import AccessDenied
from liuhen.documents.actions import officer_signing, signing
from liuhen.documents.catalog import catalog
from liuhen.documents.issuing.signatures import (
    TRANSCRIPT_OPINION,
    is_final,
    may_sign_line,
    officer_roles,
    party_roles,
)
from liuhen.documents.models import OfficerSignature
from tests.documents.signing_helpers import PARTY, make_party_case, signature_png
from tests.factories import sign_in
from tests.fixtures.documents import issue_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("docs_storage")]

CHAIR, CLERK, INVESTIGATORS = "听证主持人", "记录员", "案件调查人员"


def _local(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


@pytest.fixture
def heard_case(officer_wang, officer_ma, reviewer_sun, unit_a) -> Case:
    """王明 investigates; the party asked for a hearing, chaired by 马骏 (an officer of the unit
    who does not work the case) with 孙丽 (the legal reviewer) as clerk."""
    case = make_party_case(unit_a, [officer_wang])
    Case.objects.filter(pk=case.pk).update(stage=Stage.DECISION)
    case.refresh_from_db()
    notified = timezone.now() - dt.timedelta(days=30)
    notice = decision_actions.record_advance_notice(
        officer_wang,
        case,
        notified_at=notified,
        notified_to=PARTY,
        method="直接送达",
        penalty_kinds=["licence_revoke"],
        rights=["statement", "defence", "hearing"],
    )
    hearing = hearing_actions.request_hearing(
        officer_wang,
        notice,
        requested_at=notified + dt.timedelta(days=1),
        requested_by_party=PARTY,
        request_method="书面申请",
    )
    told = notified + dt.timedelta(days=1, hours=2)
    day = earliest_hearing_day(told)
    hearing_actions.schedule_hearing(
        officer_wang,
        hearing,
        scheduled_at=timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9)),
        place="局听证室",
        chair=officer_ma,
        clerk=reviewer_sun,
        notified_at=told,
    )
    return case


@pytest.fixture
def hearing_transcript_doc(officer_wang, heard_case):
    started = timezone.now() - dt.timedelta(days=10)
    return issue_form(
        officer_wang,
        heard_case,
        "hearing_transcript",
        started_at=_local(started),
        ended_at=_local(started + dt.timedelta(hours=1)),
        public="公开",
        record="主持人宣布听证开始……当事人陈述申辩……",
    )


def test_the_transcript_has_the_party_line_and_three_staff_lines(
    hearing_transcript_doc, officer_ma, reviewer_sun
):
    spec = catalog.spec_of_issued(hearing_transcript_doc)
    assert party_roles(spec) == ("当事人（委托代理人）",)
    assert officer_roles(spec) == (INVESTIGATORS, CHAIR, CLERK)
    # Prefilled from the hearing's schedule.
    assert (
        hearing_transcript_doc.data["chair"] == "马骏"
        and hearing_transcript_doc.data["clerk"] == "孙丽"
    )
    assert staff_ids(hearing_transcript_doc.case) == {officer_ma.pk, reviewer_sun.pk}


def test_chair_and_clerk_sign_their_lines_and_the_transcript_is_final(
    hearing_transcript_doc, officer_wang, officer_ma, reviewer_sun
):
    signing.sign(
        officer_wang,
        hearing_transcript_doc,
        role="当事人（委托代理人）",
        name=PARTY,
        opinion=TRANSCRIPT_OPINION,
        image_png=signature_png(),
    )
    officer_signing.sign_as_officer(
        officer_wang, hearing_transcript_doc, role=INVESTIGATORS, image_png=signature_png()
    )
    officer_signing.sign_as_officer(
        officer_ma, hearing_transcript_doc, role=CHAIR, image_png=signature_png()
    )
    assert not is_final(hearing_transcript_doc)
    officer_signing.sign_as_officer(
        reviewer_sun, hearing_transcript_doc, role=CLERK, image_png=signature_png()
    )
    assert is_final(hearing_transcript_doc)
    signed = OfficerSignature.objects.filter(issued=hearing_transcript_doc).order_by("id")
    assert [(s.role, s.name) for s in signed] == [
        (INVESTIGATORS, "王明"),
        (CHAIR, "马骏"),
        (CLERK, "孙丽"),
    ]


def test_each_signs_only_the_line_naming_them(
    hearing_transcript_doc, officer_wang, officer_ma, reviewer_sun, head_zhang, officer_li
):
    # The chair is no investigator: the investigators' line is not theirs.
    assert not may_sign_line(officer_ma, hearing_transcript_doc, INVESTIGATORS)
    with pytest.raises(ValidationError, match="王明"):
        officer_signing.sign_as_officer(
            officer_ma, hearing_transcript_doc, role=INVESTIGATORS, image_png=signature_png()
        )
    # The investigator does not sign for the chair or the clerk.
    for role in (CHAIR, CLERK):
        with pytest.raises(ValidationError):
            officer_signing.sign_as_officer(
                officer_wang, hearing_transcript_doc, role=role, image_png=signature_png()
            )
    # The clerk does not sign the chair's line.
    with pytest.raises(ValidationError, match="马骏"):
        officer_signing.sign_as_officer(
            reviewer_sun, hearing_transcript_doc, role=CHAIR, image_png=signature_png()
        )
    # Staff named for no line of the hearing sign nothing: the unit head who works the case,
    # an officer of another unit.
    for outsider in (head_zhang, officer_li):
        with pytest.raises(AccessDenied):
            officer_signing.sign_as_officer(
                outsider, hearing_transcript_doc, role=CHAIR, image_png=signature_png()
            )
    assert not OfficerSignature.objects.exists()


def test_the_chair_sees_the_signing_screen_with_only_the_officer_lines(
    client, hearing_transcript_doc, officer_ma, officer_li, officer_wang
):
    url = reverse("documents:sign", args=[hearing_transcript_doc.pk])
    sign_in(client, officer_ma)
    # The issued document's page leads the chair to the signing screen.
    issued_page = client.get(
        reverse("documents:issued", args=[hearing_transcript_doc.pk])
    ).content.decode()
    assert 'data-testid="sign-link"' in issued_page
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="officer-sign-form"' in text
    assert f'<option value="{CHAIR}"' in text and f'<option value="{INVESTIGATORS}"' not in text
    assert 'data-testid="sign-form"' not in text and 'data-testid="refuse-form"' not in text
    # The chair does not record the party's signature.
    refused = client.post(url, {"role": "当事人（委托代理人）", "name": PARTY})
    assert refused.status_code in (403, 404)
    client.logout()

    sign_in(client, officer_wang)
    text = client.get(url).content.decode()
    assert 'data-testid="sign-form"' in text and 'data-testid="officer-sign-form"' in text
    client.logout()

    sign_in(client, officer_li)
    assert client.get(url).status_code in (403, 404)


def test_staff_not_named_for_the_hearing_do_not_see_the_signing_screen(
    client, hearing_transcript_doc, custodian_zhou
):
    """A member of the unit who reads the case but neither works it nor sits at its hearing."""
    sign_in(client, custodian_zhou)
    issued_page = client.get(reverse("documents:issued", args=[hearing_transcript_doc.pk]))
    assert issued_page.status_code == 200
    assert 'data-testid="sign-link"' not in issued_page.content.decode()
    assert (
        client.get(reverse("documents:sign", args=[hearing_transcript_doc.pk])).status_code == 403
    )

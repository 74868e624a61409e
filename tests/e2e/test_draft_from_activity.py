"""R6.1 in the browser, on a tablet: an officer drafts the 现场检查（勘验）笔录 of an inspection
from the new-document picker and finds the activity's time, place, officers present with
their certificate numbers (R4.2) and party already filled in — nothing typed again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from liuhen.activities import actions as activity_actions
from liuhen.activities.models import ActivityType
from liuhen.cases.models import Case
from liuhen.documents.models import Document
from liuhen.subjects.models import CaseParty
from tests.e2e.helpers import login
from tests.fixtures.documents import PARTY_NAME

pytestmark = pytest.mark.django_db(transaction=True)

PLACE = "大洼区田家街道8号丰收农资经营部门店"


def test_officer_drafts_an_inspection_transcript_from_the_activity(
    portrait_tablet: Page, decided_case: Case, officer_wang, head_zhang
) -> None:
    start = timezone.localtime(timezone.now() - dt.timedelta(hours=3)).replace(
        second=0, microsecond=0
    )
    activity = activity_actions.record_activity(
        officer_wang,
        case=decided_case,
        type=ActivityType.objects.get(code="inspection"),
        started_at=start,
        ended_at=start + dt.timedelta(minutes=50),
        place=PLACE,
        officers=[officer_wang, head_zhang],
        party=CaseParty.objects.get(case=decided_case).subject,
    )
    page = login(portrait_tablet, "officer_wang", next_url=f"/documents/new/{decided_case.pk}/")
    page.locator("[data-testid=new-document-form]").select_option("inspection_transcript")
    page.locator("[data-testid=new-document-activity]").select_option(str(activity.pk))
    page.locator("[data-testid=new-document-create]").tap()
    page.wait_for_url("**/documents/*/")

    assert page.locator("[data-testid=document-title]").inner_text() == "现场检查（勘验）笔录"
    assert Document.objects.get(case=decided_case).activity_id == activity.pk
    assert page.locator("#id_started_at").input_value() == start.strftime("%Y-%m-%dT%H:%M")
    end = start + dt.timedelta(minutes=50)
    assert page.locator("#id_ended_at").input_value() == end.strftime("%Y-%m-%dT%H:%M")
    assert page.locator("#id_place").input_value() == PLACE
    officers = page.locator("#id_officers").input_value()
    for presence in activity.presences.select_related("officer"):
        assert (
            f"{presence.officer.display_name}（执法证号 {presence.certificate_number}）" in officers
        )
    assert page.locator("#id_party_name").input_value() == PARTY_NAME

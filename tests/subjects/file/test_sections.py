"""The subject's file (R18.3): every section on one page, each a page at a time and
narrowed to what the viewer may read; the timeline; owners of vehicles and projects."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from liuhen.core.models import AuditEvent
from liuhen.subjects import actions, sections
from liuhen.subjects.models import CaseParty
from tests.factories import SYSTEM, CaseFactory, sign_in, unit_subject, uscc
from tests.subjects.file.world import build_world

pytestmark = pytest.mark.django_db


def _page(user, subject, **params) -> str:
    response = sign_in(Client(), user).get(reverse("subjects:detail", args=[subject.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_supervisor_sees_cases_av_documents_services_and_payments_together(
    unit_a, officer_wang, supervisor_zheng
) -> None:
    world = build_world(unit_a, officer_wang)
    html = _page(supervisor_zheng, world.subject)
    for key in ("cases", "activities", "av", "documents", "services", "payments"):
        assert f'data-testid="section-{key}"' in html
    assert world.case.number in html
    assert "洼农（农药）罚〔2026〕1号" in html  # the case's result: its decision
    assert reverse("media:record", args=[world.record.pk]) in html
    assert reverse("documents:issued", args=[world.service.issued_id]) in html
    assert reverse("delivery:service", args=[world.service.pk]) in html
    assert world.notice.number in html and "5,000.00" in html


def test_an_officer_of_another_unit_sees_the_subject_but_not_unit_a_records(
    unit_a, officer_wang, officer_li
) -> None:
    world = build_world(unit_a, officer_wang)
    html = _page(officer_li, world.subject)
    assert world.subject.name in html
    assert world.case.number not in html
    assert reverse("media:record", args=[world.record.pk]) not in html
    assert reverse("delivery:service", args=[world.service.pk]) not in html
    assert world.notice.number not in html
    # And the same through the registry, section by section.
    for section in sections.registered():
        if section.rows is not None:
            assert list(sections.entries(officer_li, world.subject, section)) == []


def test_each_section_is_paged(unit_a, officer_wang, head_zhang) -> None:
    subject = unit_subject(uscc(77), name="分页农资店")
    cases = [
        CaseFactory(unit=unit_a, officers=[officer_wang]) for _ in range(sections.ROWS_SHOWN + 2)
    ]
    for case in cases:
        CaseParty.objects.create(case=case, subject=subject)
    first = _page(head_zhang, subject)
    assert 'data-testid="pager-cases"' in first
    second = _page(head_zhang, subject, **{"cases-page": 2})
    newest_first = sorted(cases, key=lambda c: (c.opened_at, c.pk), reverse=True)
    assert newest_first[-1].number in second and newest_first[-1].number not in first
    # The htmx swap answers the section alone.
    client = sign_in(Client(), head_zhang)
    part = client.get(
        reverse("subjects:section", args=[subject.pk, "cases"]), {"page": 2}
    ).content.decode()
    assert newest_first[-1].number in part and "<html" not in part
    assert client.get(reverse("subjects:section", args=[subject.pk, "nope"])).status_code == 404


def test_the_timeline_merges_the_sections_newest_first(unit_a, officer_wang, head_zhang) -> None:
    world = build_world(unit_a, officer_wang)
    page, items = sections.timeline(head_zhang, world.subject)
    keys = [item.section for item in items]
    assert {"cases", "av", "documents", "services", "payments"} <= set(keys)
    dated = [item.entry.at for item in items if item.entry.at is not None]
    assert dated == sorted(dated, reverse=True)
    assert page.paginator.count == len(items)
    html = (
        sign_in(Client(), head_zhang)
        .get(reverse("subjects:timeline", args=[world.subject.pk]))
        .content.decode()
    )
    assert world.case.number in html and world.notice.number in html


def test_the_timeline_of_another_units_officer_is_empty(unit_a, officer_wang, officer_li) -> None:
    world = build_world(unit_a, officer_wang)
    page, items = sections.timeline(officer_li, world.subject)
    assert items == [] and page.paginator.count == 0


def test_a_vessel_belongs_to_its_owner_and_each_page_links_the_other(
    officer_wang, head_zhang
) -> None:
    owner = unit_subject(uscc(91), name="渔业合作社")
    boat = actions.create_subject(SYSTEM, kind="vehicle", name="辽盘渔01", plate="辽盘渔01")
    actions.set_owner(officer_wang, boat, owner)
    boat.refresh_from_db()
    assert boat.owner_id == owner.pk
    assert AuditEvent.objects.filter(action="subject.set_owner", object_id=str(boat.pk)).exists()
    assert reverse("subjects:detail", args=[owner.pk]) in _page(head_zhang, boat)
    assert reverse("subjects:detail", args=[boat.pk]) in _page(head_zhang, owner)


def test_only_a_vehicle_or_project_has_an_owner_and_only_a_unit_or_person_owns(
    officer_wang,
) -> None:
    owner = unit_subject(uscc(92), name="合作社")
    boat = actions.create_subject(SYSTEM, kind="vehicle", name="船", plate="辽盘渔02")
    with pytest.raises(ValidationError):
        actions.set_owner(officer_wang, owner, boat)
    other_boat = actions.create_subject(SYSTEM, kind="vehicle", name="船2", plate="辽盘渔03")
    with pytest.raises(ValidationError):
        actions.set_owner(officer_wang, boat, other_boat)


def test_the_owner_is_chosen_on_its_page(officer_wang) -> None:
    owner = unit_subject(uscc(93), name="某某合作社")
    boat = actions.create_subject(SYSTEM, kind="vehicle", name="辽盘渔04", plate="辽盘渔04")
    client = sign_in(Client(), officer_wang)
    found = client.get(reverse("subjects:owner", args=[boat.pk]), {"q": "某某"}).content.decode()
    assert owner.name in found
    response = client.post(reverse("subjects:set_owner", args=[boat.pk]), {"owner": owner.pk})
    assert response.status_code == 302
    boat.refresh_from_db()
    assert boat.owner_id == owner.pk


def test_merging_owners_moves_what_the_duplicate_owned(head_zhang) -> None:
    keep = unit_subject(uscc(94), name="渔业合作社甲")
    duplicate = actions.create_subject(SYSTEM, kind="unit", name="渔业合作社甲")
    boat = actions.create_subject(SYSTEM, kind="vehicle", name="辽盘渔05", plate="辽盘渔05")
    actions.set_owner(head_zhang, boat, duplicate)
    actions.merge_subjects(head_zhang, keep, duplicate)
    boat.refresh_from_db()
    assert boat.owner_id == keep.pk

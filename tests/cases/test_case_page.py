"""The case page: access both ways per persona, one "case.view" per visit, the timeline."""

from __future__ import annotations

import pytest

from liuhen.cases.actions import registration
from liuhen.cases.actions.registration import link_party
from liuhen.core import access, audit
from liuhen.core.models import AuditEvent, Outcome
from tests.factories import CaseFactory, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_number_7(unit_a, officer_wang, head_zhang):
    case = registration.create_case(
        head_zhang,
        number="洼农（农药）立〔2026〕7号",
        title="某农资店涉嫌销售假农药案",
        unit=unit_a,
        officers=[officer_wang, head_zhang],
    )
    return case


def _views(case) -> int:
    return AuditEvent.objects.filter(
        action="case.view", case_id=case.pk, outcome=Outcome.OK
    ).count()


def test_assigned_officer_sees_the_header_officers_and_timeline(
    client, case_number_7, officer_wang
) -> None:
    client.force_login(officer_wang)
    response = client.get(f"/cases/{case_number_7.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "洼农（农药）立〔2026〕7号" in html and "某农资店涉嫌销售假农药案" in html
    assert "种植业执法科" in html
    for stage in ("启动", "调查取证", "审核决定", "送达执行", "归档"):
        assert stage in html
    assert 'aria-current="step" data-stage="initiation"' in html
    # Officers with certificate number and validity (R4.2).
    cert = officer_wang.certificates.get()
    assert cert.number in html and cert.valid_to.strftime("%Y-%m-%d") in html
    assert "王明" in html and "张伟" in html
    # Timeline: the registration by 张伟 and this very visit by 王明, in Chinese.
    assert "案件登记" in html and "查阅案件" in html
    assert html.count('class="timeline-entry"') == 2


def test_each_visit_writes_exactly_one_case_view_event(client, case_number_7, officer_wang) -> None:
    client.force_login(officer_wang)
    before = AuditEvent.objects.count()
    client.get(f"/cases/{case_number_7.pk}/")
    assert AuditEvent.objects.count() == before + 1
    assert _views(case_number_7) == 1
    client.get(f"/cases/{case_number_7.pk}/")
    assert _views(case_number_7) == 2
    event = AuditEvent.objects.filter(action="case.view").last()
    assert event is not None and event.actor_name == "officer_wang"


@pytest.mark.parametrize(
    "persona",
    [
        "officer_wang",
        "head_zhang",
        "agency_head_liu",
        "reviewer_sun",
        "supervisor_zheng",
        "archivist_wu",
        "custodian_zhou",
    ],
)
def test_who_may_open_the_case_page(request, client, case_number_7, persona: str) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/cases/{case_number_7.pk}/").status_code == 200
    assert _views(case_number_7) == 1


@pytest.mark.parametrize(
    "persona", ["officer_li", "sysadmin_zhao", "secadmin_qian", "auditor_chen"]
)
def test_who_may_not_open_the_case_page_and_the_denial_is_audited(
    request, client, case_number_7, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    sign_in(client, user)
    response = client.get(f"/cases/{case_number_7.pk}/")
    # A case one may not see is not there (404): its existence is not revealed.
    assert response.status_code == 404
    assert _views(case_number_7) == 0
    denied = AuditEvent.objects.get(action="case.view", outcome=Outcome.DENIED)
    assert (denied.object_type, denied.object_id) == ("cases.case", str(case_number_7.pk))
    assert denied.actor_name == user.username
    # The timeline's "load more" is refused too, and audited.
    assert client.get(f"/cases/{case_number_7.pk}/timeline/?before=999").status_code == 404
    assert AuditEvent.objects.filter(action="case.timeline", outcome=Outcome.DENIED).count() == 1


def test_a_missing_case_is_404(client, officer_wang) -> None:
    client.force_login(officer_wang)
    assert client.get("/cases/999999/").status_code == 404


def test_anonymous_is_sent_to_login(client, case_number_7) -> None:
    response = client.get(f"/cases/{case_number_7.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_timeline_rule_follows_the_case_view_rule(
    case_number_7, officer_wang, officer_li, auditor_chen
) -> None:
    assert access.can(officer_wang, "case.timeline", case_number_7)
    assert not access.can(officer_li, "case.timeline", case_number_7)
    assert not access.can(auditor_chen, "case.timeline", case_number_7)  # the audit admin: never


def test_timeline_shows_only_this_case_newest_first_with_full_names(
    client, case_number_7, unit_a, officer_wang, head_zhang
) -> None:
    other = CaseFactory(unit=unit_a, officers=[officer_wang], title="别的案件")
    audit.record("test.other_case", actor=officer_wang, obj=other)
    audit.record("test.step", actor=head_zhang, obj=case_number_7, outcome=Outcome.FAILED)
    audit.record("test.system_step", case_id=case_number_7.pk)
    client.force_login(officer_wang)
    html = client.get(f"/cases/{case_number_7.pk}/").content.decode()
    seqs = [int(s) for s in _seqs(html)]
    assert seqs == sorted(seqs, reverse=True)
    mine = set(AuditEvent.objects.filter(case_id=case_number_7.pk).values_list("seq", flat=True))
    assert set(seqs) == mine
    assert "test step" in html and "another case" not in html  # their labels
    assert "张伟" in html  # full name, not the username
    assert "head_zhang" not in html


def _seqs(html: str) -> list[str]:
    import re

    return re.findall(r'data-seq="(\d+)" class="timeline-entry"', html)


def test_timeline_paginates_with_load_more(
    client, case_number_7, officer_wang, django_assert_max_num_queries
) -> None:
    for index in range(45):
        audit.record("test.step", actor=officer_wang, obj=case_number_7, details={"i": index})
    client.force_login(officer_wang)
    html = client.get(f"/cases/{case_number_7.pk}/").content.decode()
    first = _seqs(html)
    assert len(first) == 20 and 'data-testid="timeline-more"' in html
    seen = list(first)
    pages = 0
    while True:
        # session, user, security settings, roles, 2FA device, case, access (the fetch's
        # and the action's), the action's transaction (a savepoint pair in tests), page,
        # chain append (4; +1 advisory lock on PostgreSQL), one names lookup, one lookup of
        # what the events were about (the case's number)
        with django_assert_max_num_queries(18):
            partial = client.get(
                f"/cases/{case_number_7.pk}/timeline/?before={seen[-1]}",
                headers={"HX-Request": "true"},
            ).content.decode()
        rows = _seqs(partial)
        assert rows and all(int(r) < int(seen[-1]) for r in rows)
        seen += rows
        pages += 1
        if 'data-testid="timeline-more"' not in partial:
            break
    # 1 registration + 45 steps + 1 view = 47 rows, in three pages of 20 (the load-more
    # requests are logged as they happen, newer than the rows paged through).
    assert len(seen) == 47 and len(set(seen)) == 47 and pages == 2
    loads = AuditEvent.objects.filter(action="case.timeline", outcome=Outcome.OK)
    assert loads.count() == 2 and all(e.case_id == case_number_7.pk for e in loads)


def test_timeline_page_queries_do_not_grow_with_actors(
    client, case_number_7, officer_wang, head_zhang, agency_head_liu
) -> None:
    def partial_queries(before: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/cases/{case_number_7.pk}/timeline/?before={before}")
        return len(ctx.captured_queries)

    client.force_login(officer_wang)
    partial_queries(10**9)  # warm-up: the first request of a session does more
    one_actor = partial_queries(10**9)
    for user in (head_zhang, agency_head_liu, officer_wang) * 5:
        audit.record("test.many", actor=user, obj=case_number_7)
    assert partial_queries(10**9) == one_actor


def test_register_links_case_numbers_to_the_case_page(client, case_number_7, officer_wang) -> None:
    client.force_login(officer_wang)
    html = client.get("/cases/").content.decode()
    assert f'href="/cases/{case_number_7.pk}/"' in html


def test_header_names_party_officers_and_next_deadlines(
    client, case_number_7, officer_wang
) -> None:
    from liuhen.subjects import actions as subject_actions

    shop = subject_actions.create_subject(
        officer_wang, kind="unit", name="大洼区丰收农资店", uscc="91350100M000100Y43"
    )
    link_party(officer_wang, case_number_7, shop)
    client.force_login(officer_wang)
    html = client.get(f"/cases/{case_number_7.pk}/").content.decode()
    header = html.split('data-testid="case-header"', 1)[1].split("</header>", 1)[0]
    assert f'href="/subjects/{shop.pk}/">大洼区丰收农资店</a>' in header
    assert "（当事人）" in header or "(当事人)" in header
    assert "王明、张伟" in header or "张伟、王明" in header
    # The decision clock runs from filing (行政处罚法 Art. 60).
    assert 'data-clock="decision"' in header


def test_records_section_shows_notice_review_and_discussion(
    client, case_number_7, officer_wang, head_zhang, agency_head_liu, reviewer_sun
) -> None:
    """What the records say is on the case page, not only that they exist."""
    from django.utils import timezone

    from liuhen.cases.actions import decisions as decision_actions

    client.force_login(officer_wang)
    assert (
        'data-testid="records-empty"' in client.get(f"/cases/{case_number_7.pk}/").content.decode()
    )
    notice = decision_actions.record_advance_notice(
        officer_wang,
        case_number_7,
        notified_at=timezone.now(),
        notified_to="某农资店 法定代表人",
        method="直接送达",
        penalty_kinds=["fine"],
        proposed_fine_fen=5000_00,
    )
    decision_actions.record_waiver(
        officer_wang, notice, rights=["hearing"], statement="本人放弃听证权利"
    )
    decision_actions.record_legal_review(
        reviewer_sun, case_number_7, opinion="事实清楚，证据确凿", result="agree"
    )
    decision_actions.record_discussion(
        officer_wang,
        case_number_7,
        held_at=timezone.now(),
        attendees=[head_zhang, agency_head_liu],
        opinions="一致同意处以罚款",
        conclusion="罚款五千元",
    )
    html = client.get(f"/cases/{case_number_7.pk}/").content.decode()
    section = html.split('data-section="records"', 1)[1].split("</section>", 1)[0]
    assert "直接送达" in section and "¥5,000.00" in section and "罚款" in section
    assert "本人放弃听证权利" in section and "听证" in section
    assert "事实清楚，证据确凿" in section and "同意" in section
    assert "一致同意处以罚款" in section and "罚款五千元" in section and "刘建国" in section

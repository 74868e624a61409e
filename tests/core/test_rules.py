"""Law as configuration (R2.1): defaults with citations, audited overrides, legal floors,
and the system admin's rules and calendar pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from liuhen.cases import law
from liuhen.core import calendar, registry, rules
from liuhen.core.access import AccessDenied
from liuhen.core.actions import configuration
from liuhen.core.models import AuditEvent, CalendarDay, CalendarYear, Outcome, RuleOverride
from tests.factories import sign_in

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_key_file")]


def test_catalog_has_the_legal_parameters() -> None:
    expected = {
        "lead_check": (15, "calendar_days"),
        "lead_check_extension": (15, "calendar_days"),
        "urgent_start_paperwork": (2, "working_days"),
        "advance_preservation_decision": (7, "working_days"),
        "decision_deadline": (90, "calendar_days"),
        "decision_deadline_agriculture": (6, "months"),
        "hearing_request": (5, "working_days"),
        "hearing_notice": (7, "working_days"),
        "service": (7, "working_days"),
        "payment": (15, "calendar_days"),
        "simple_procedure_max_fine_person": (20000, "amount_fen"),
        "simple_procedure_max_fine_organisation": (300000, "amount_fen"),
        "on_the_spot_collection_max": (10000, "amount_fen"),
        "late_surcharge_percent_per_day": (3, "percent"),
        "late_surcharge_cap_percent": (100, "percent"),
        "limitation_years": (2, "years"),
        "limitation_years_serious": (5, "years"),
        "simple_procedure_filing": (2, "working_days"),
        "public_notice_service": (30, "calendar_days"),
        "seizure_days": (30, "calendar_days"),
        "seizure_extension": (30, "calendar_days"),
        "av_raw_retention_months": (6, "months"),
        "av_upload_grace_hours": (24, "hours"),
        "min_officers_on_site": (2, "persons"),
        "disclosure_penalty_decision": (7, "working_days"),
    }
    for key, (default, kind) in expected.items():
        rule = rules.get(key)
        assert (rule.default, rule.kind) == (default, kind), key
        assert rule.value == default and not rule.overridden
        assert rule.citations, key
    assert "seizure" in rules.value("av_required_activity_types")
    assert "inquiry_transcript" in rules.value("signature_required_document_kinds")
    assert len({rule.key for rule in registry.rules.values()}) == len(registry.rules.values())


def test_citations_in_both_languages() -> None:
    rule = rules.get("hearing_request")
    assert rule.citations[0].zh == "《中华人民共和国行政处罚法》第64条第1项"
    assert rule.citations[0].en == "Administrative Penalty Law of the PRC (2021), Art. 64(1)"
    with translation.override("zh-hans"):
        assert rule.citation.startswith("《中华人民共和国行政处罚法》第64条")
        assert str(rule.label) == "听证申请期限"
        assert rules.get("payment").display() == "15 日"
    with translation.override("en"):
        assert rule.citation.startswith("Administrative Penalty Law")
        assert rules.get("service").display() == "7 working days"
    assert rules.get("simple_procedure_max_fine_organisation").display() == "¥3,000.00"


def test_working_day_periods_follow_article_85() -> None:
    # The "2, 3, 5, 7 days" of 行政处罚法 are working days; longer ones are calendar days.
    for rule in registry.rules.values():
        if rule.kind in rules.PERIOD_KINDS and any(c.article == "85" for c in rule.citations):
            assert rule.kind == rules.Kind.WORKING_DAYS and rule.default in (2, 3, 5, 7)


def test_override_changes_the_value_and_is_audited(sysadmin_zhao: Any) -> None:
    configuration.set_rule(sysadmin_zhao, "decision_deadline", 60, "局务会决定从严")
    assert rules.value("decision_deadline") == 60
    assert rules.get("decision_deadline").overridden
    assert calendar.deadline(dt.date(2026, 3, 2), "decision_deadline").amount == 60
    event = AuditEvent.objects.get(action="rule.set")
    assert event.actor_name == "sysadmin_zhao" and event.outcome == Outcome.OK
    assert event.details["key"] == "decision_deadline"
    assert (event.details["from"], event.details["to"]) == (90, 60)
    assert event.details["reason"] == "局务会决定从严"

    configuration.reset_rule(sysadmin_zhao, "decision_deadline", "恢复法定期限")
    assert rules.value("decision_deadline") == 90
    assert AuditEvent.objects.filter(action="rule.reset").count() == 1
    assert RuleOverride.objects.filter(key="decision_deadline").count() == 2  # history kept


def test_floors_and_ceilings_are_enforced(sysadmin_zhao: Any) -> None:
    cases: list[tuple[str, Any]] = [
        ("av_raw_retention_months", 5),  # R18.4: at least six months
        ("payment", 10),  # the party's 15 days cannot be shortened
        ("hearing_request", 3),
        ("simple_procedure_max_fine_person", 200_01),  # Art. 51 is a ceiling
        ("late_surcharge_percent_per_day", 4),
        ("decision_deadline", 0),
        ("decision_deadline", "90"),
        ("decision_deadline", True),
        ("decision_deadline_applies", "something_else"),
        ("av_required_activity_types", ["inspection"]),  # defaults cannot be removed
        ("av_required_activity_types", [*rules.value("av_required_activity_types"), "Bad Code"]),
    ]
    for key, value in cases:
        with pytest.raises(ValidationError):
            configuration.set_rule(sysadmin_zhao, key, value, "试图突破")
    with pytest.raises(ValidationError):  # a reason is required
        configuration.set_rule(sysadmin_zhao, "av_raw_retention_months", 12, "  ")
    assert not RuleOverride.objects.exists()
    assert rules.value("av_raw_retention_months") == 6

    configuration.set_rule(sysadmin_zhao, "av_raw_retention_months", 12, "延长保存")
    assert rules.value("av_raw_retention_months") == 12
    extra = [*rules.value("av_required_activity_types"), "drone_patrol"]
    configuration.set_rule(sysadmin_zhao, "av_required_activity_types", extra, "上级规定")
    assert rules.value("av_required_activity_types")[-1] == "drone_patrol"
    configuration.set_rule(
        sysadmin_zhao, "decision_deadline_applies", "decision_deadline_agriculture", "适用规章"
    )
    assert law.decision_deadline_key() == "decision_deadline_agriculture"


def test_a_stored_override_below_a_raised_floor_is_ignored() -> None:
    RuleOverride.objects.create(key="av_raw_retention_months", value=1, reason="old floor")
    RuleOverride.objects.create(key="no_such_rule", value=1, reason="removed rule")
    assert rules.value("av_raw_retention_months") == 6


@pytest.mark.parametrize("persona", ["officer_wang", "auditor_chen", "secadmin_qian"])
def test_only_the_system_admin_changes_rules(persona: str, request: Any) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(AccessDenied):
        configuration.set_rule(user, "decision_deadline", 60, "reason")
    with pytest.raises(AccessDenied):
        configuration.set_calendar_day(user, dt.date(2027, 1, 1), "holiday", "元旦", "reason")
    with pytest.raises(AccessDenied):
        configuration.set_year_complete(user, 2027, True, "reason")
    assert rules.value("decision_deadline") == 90
    assert not CalendarDay.objects.filter(date=dt.date(2027, 1, 1)).exists()
    denied = AuditEvent.objects.filter(action="config.manage", outcome=Outcome.DENIED)
    assert denied.count() == 3 and denied.first().actor_name == persona  # type: ignore[union-attr]
    client = sign_in(Client(), user)
    for name in ("config:rules", "config:calendar"):
        assert client.get(reverse(name)).status_code == 403
    url = reverse("config:rule_edit", args=["payment"])
    assert client.post(url, {"value": "30", "reason": "x"}).status_code == 403
    assert rules.value("payment") == 15


def test_rules_page(sysadmin_zhao: Any) -> None:
    client = sign_in(Client(), sysadmin_zhao)
    body = client.get(reverse("config:rules")).content.decode()
    assert "决定期限" in body and "《中华人民共和国行政处罚法》第60条" in body
    assert all(f'data-rule="{rule.key}"' in body for rule in registry.rules.values())

    url = reverse("config:rule_edit", args=["payment"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"value": "10", "reason": "试试"})
    assert response.status_code == 200 and "不得少于" in response.content.decode()
    response = client.post(url, {"value": "20", "reason": "便民"})
    assert response.status_code == 302 and rules.value("payment") == 20
    assert "便民" in client.get(url).content.decode()
    response = client.post(url, {"reset": "1", "reset-reason": "恢复"})
    assert response.status_code == 302 and rules.value("payment") == 15

    codes = reverse("config:rule_edit", args=["av_required_activity_types"])
    value = ", ".join([*rules.value("av_required_activity_types"), "drone_patrol"])
    assert client.post(codes, {"value": value, "reason": "上级规定"}).status_code == 302
    assert "drone_patrol" in rules.value("av_required_activity_types")
    assert client.get(reverse("config:rule_edit", args=["nope"])).status_code == 404


def test_calendar_page(sysadmin_zhao: Any) -> None:
    client = sign_in(Client(), sysadmin_zhao)
    url = reverse("config:calendar")
    body = client.get(url, {"year": 2027}).content.decode()
    assert "2027" in body and 'data-testid="year-status"' in body
    body = client.get(url, {"year": 2026}).content.decode()
    assert 'data-date="2026-02-14"' in body and "春节" in body

    response = client.post(
        url + "?year=2027",
        {
            "op": "add",
            "day-date": "2027-01-01",
            "day-kind": "holiday",
            "day-name": "元旦",
            "day-reason": "国务院通知",
        },
    )
    assert response.status_code == 302
    assert not calendar.is_working_day(dt.date(2027, 1, 1))
    response = client.post(url, {"op": "add", "day-date": "2027-01-04", "day-kind": "workday"})
    assert response.status_code == 200  # no reason, and a Monday: refused with the form
    assert not CalendarDay.objects.filter(date=dt.date(2027, 1, 4)).exists()

    client.post(
        url, {"op": "year", "year-year": "2027", "year-complete": "True", "year-reason": "录入完毕"}
    )
    assert CalendarYear.objects.get(year=2027).complete
    response = client.post(url, {"op": "remove", "remove-date": "2027-01-01", "remove-reason": ""})
    assert response.status_code == 200 and CalendarDay.objects.filter(date="2027-01-01").exists()
    client.post(url, {"op": "remove", "remove-date": "2027-01-01", "remove-reason": "录错"})
    assert not CalendarDay.objects.filter(date="2027-01-01").exists()
    assert AuditEvent.objects.filter(action__startswith="calendar.").count() == 3


def test_docs_list_every_rule() -> None:
    assert DOCS.read_text(encoding="utf-8") == rules.as_markdown(), (
        "docs/rules.md is out of date: regenerate it from liuhen.core.rules.as_markdown()"
    )

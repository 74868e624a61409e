"""Law as configuration (R2.1): defaults with citations, audited overrides, legal floors,
and the system admin's rules and calendar pages."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

import liuhen
from liuhen.cases import law
from liuhen.core import calendar, registry, rules, system_checks
from liuhen.core.access import AccessDenied
from liuhen.core.actions import configuration
from liuhen.core.models import AuditEvent, CalendarDay, CalendarYear, Outcome, RuleOverride
from liuhen.core.rule_types import TIME_KINDS, Kind, Serves
from tests.factories import sign_in

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
SRC = Path(liuhen.__file__).resolve().parent
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


def test_every_time_limit_binds_the_way_its_side_needs() -> None:
    """R2.1. A period the law gives the party (行政处罚法 Art. 64, 67; 行政复议法 Art. 20;
    行政诉讼法 Art. 46; 民事诉讼法 Art. 95) keeps the law's figure as a floor: the bureau may
    give more, never less. A period the law allows the agency for its own act (Art. 56, 61,
    36, 48, 60; 国办发〔2018〕118号; regulation Art. 7, 15) has it as a ceiling: the bureau may
    be quicker, never slower — or as a floor where the law sets a least time (不少于,
    ``at_least``). The bureau's own controls no law gives a figure for are marked for the
    legal staff. Only the party's periods roll forward off a rest day (民事诉讼法 Art. 85).
    The defaults are the law's figures."""
    problems = []
    for rule in registry.rules.values():
        if rule.kind not in TIME_KINDS:
            continue
        figure = rule.default
        if rule.serves is None:
            problems.append(f"{rule.key}: no serves= (Serves.PARTY, AGENCY or INTERNAL)")
        elif rule.serves == Serves.PARTY and rule.minimum != figure:
            problems.append(f"{rule.key}: the party's period needs minimum={figure}")
        elif rule.serves == Serves.AGENCY and rule.at_least and rule.minimum != figure:
            problems.append(f"{rule.key}: an at_least agency period needs minimum={figure}")
        elif rule.serves == Serves.AGENCY and not rule.at_least and rule.maximum != figure:
            problems.append(f"{rule.key}: the agency's period needs maximum={figure}")
        elif rule.serves == Serves.INTERNAL and not rule.needs_check:
            problems.append(f"{rule.key}: a figure no law gives needs needs_check=True")
        if rule.at_least and rule.serves != Serves.AGENCY:
            problems.append(f"{rule.key}: at_least is for the agency's periods")
        if rule.rolls_forward != (rule.serves == Serves.PARTY):
            problems.append(f"{rule.key}: roll_forward= disagrees with serves=")
    assert not problems, "\n".join(problems)

    # Whose time each period is, as the law gives it (law.md).
    party = {"hearing_request", "hearing_notice", "payment", "public_notice_service"}
    party |= {"reconsideration", "litigation"}
    agency = {"service", "advance_preservation_decision", "urgent_start_paperwork"}
    agency |= {"simple_procedure_filing", "lead_check", "lead_check_extension"}
    agency |= {"disclosure_penalty_decision", "disclosure_other_decision"}
    agency |= {"disclosure_withdrawal", "decision_deadline", "decision_deadline_agriculture"}
    agency |= {"seizure_days", "seizure_extension", "cash_handover", "cash_deposit"}
    agency |= {"urgent_preservation_report_hours", "av_upload_grace_hours"}
    agency |= {"limitation_years", "limitation_years_serious", "av_raw_retention_months"}
    assert {key for key in party if rules.get(key).serves != Serves.PARTY} == set()
    assert {key for key in agency if rules.get(key).serves != Serves.AGENCY} == set()
    assert rules.get("service").maximum == 7 and rules.get("payment").minimum == 15
    assert rules.get("disclosure_other_decision").maximum == 20


def test_the_agency_may_shorten_its_own_periods_never_lengthen_them(sysadmin_zhao: Any) -> None:
    """R2.1; 行政处罚法 Art. 61 (service within 7 working days), Art. 56 (7 days), Art. 60
    (90 days): an administrator may set the agency's own period shorter, never longer."""
    for key, longer in (
        ("service", 8),
        ("advance_preservation_decision", 8),
        ("decision_deadline", 91),
        ("lead_check", 16),
        ("disclosure_penalty_decision", 8),
        ("urgent_start_paperwork", 3),
    ):
        with pytest.raises(ValidationError):
            configuration.set_rule(sysadmin_zhao, key, longer, "放宽期限")
    configuration.set_rule(sysadmin_zhao, "service", 5, "从严：五个工作日内送达")
    assert rules.value("service") == 5
    assert calendar.deadline(dt.date(2026, 9, 30), "service").due == dt.date(2026, 10, 13)


def _keys_read_in_source() -> set[str]:
    """The rule keys the project's code reads: named in a rule look-up anywhere (a law.py
    function included), named by any string outside the law.py declarations, or built from
    a prefix (``f"approval_chain_{step}"``); with the extension and the choices of a rule
    read."""
    named = {key for _path, _line, key in system_checks.rule_keys_in_source()}
    prefixes: set[str] = set()
    for path in SRC.rglob("*.py"):
        if path.name == "law.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                named.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                head = node.values[0]
                if isinstance(head, ast.Constant) and str(head.value).endswith("_"):
                    prefixes.add(str(head.value))
    read = {
        key
        for key in registry.rules
        if key in named or any(len(p) > 5 and key.startswith(p) for p in prefixes)
    }
    grown = True
    while grown:  # a rule read reads its extension, and the rules it chooses between
        reached = set()
        for key in read:
            rule = registry.rules[key]
            if rule.extension_key:
                reached.add(rule.extension_key)
            if rule.kind == Kind.CHOICE:
                reached |= {choice for choice in rule.choices if choice in registry.rules}
        grown = not reached <= read
        read |= reached
    return read


def test_a_rule_is_marked_applied_exactly_when_code_reads_it() -> None:
    """R2.1: a rule listed but never applied is shown as not yet applied, never as in force
    (行政处罚法 Art. 68–71: nothing collects fines on the spot). The flag cannot lie: an
    applied rule is read by the code, a rule not applied is not."""
    read = _keys_read_in_source()
    unread = [key for key, rule in registry.rules.items() if rule.applied and key not in read]
    assert not unread, f"marked applied, but no code reads them (applied=False?): {unread}"
    applied = [key for key, rule in registry.rules.items() if not rule.applied and key in read]
    assert not applied, f"read by the code, but marked applied=False: {applied}"
    for key in ("on_the_spot_collection_max", "cash_handover", "cash_deposit"):
        assert not rules.get(key).applied, key
    for key in ("disclosure_penalty_decision", "disclosure_other_decision"):
        assert rules.get(key).applied, key
    assert rules.get("payment").applied and rules.get("lead_check_extension").applied
    assert rules.get("approval_chain_filing").applied


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


def _row(body: str, key: str) -> str:
    start = body.index(f'data-rule="{key}"')
    return body[start : body.index("</tr>", start)]


def test_rules_page(sysadmin_zhao: Any) -> None:
    client = sign_in(Client(), sysadmin_zhao)
    body = client.get(reverse("config:rules")).content.decode()
    assert "决定期限" in body and "《中华人民共和国行政处罚法》第60条" in body
    assert all(f'data-rule="{rule.key}"' in body for rule in registry.rules.values())
    # R2.1: a rule no code applies says so (行政处罚法 Art. 68–71), an applied one does not.
    for rule in registry.rules.values():
        assert ("尚未适用" in _row(body, rule.key)) == (not rule.applied), rule.key
    assert "尚未适用" in _row(body, "cash_handover")
    page = client.get(reverse("config:rule_edit", args=["cash_deposit"])).content.decode()
    assert 'data-testid="rule-not-applied"' in page and "尚未适用" in page
    page = client.get(reverse("config:rule_edit", args=["payment"])).content.decode()
    assert 'data-testid="rule-not-applied"' not in page
    # Whose time, and whether a last day on a rest day moves (民事诉讼法 Art. 85).
    assert '"rule-serves">当事人（权利期限）<' in page and '"rule-roll-forward">是<' in page
    page = client.get(reverse("config:rule_edit", args=["decision_deadline"])).content.decode()
    assert '"rule-serves">行政机关（履职期限）<' in page and '"rule-roll-forward">否<' in page
    page = client.get(reverse("config:rule_edit", args=["service"])).content.decode()
    assert 'data-testid="rule-roll-forward"' not in page  # working days end on one

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
    # Per rule: whose time, roll-forward, floor, ceiling, applied (R2.1; 民事诉讼法 Art. 85).
    lines = {line.split(" | ")[0][3:-1]: line.split(" | ") for line in _table_rows()}
    assert set(lines) == set(registry.rules)
    assert lines["payment"][5:10] == ["the party (a right)", "yes", "15 calendar days", "", "yes"]
    assert lines["service"][5:10] == [
        "the agency (a duty)",
        "—",
        "1 working days",
        "7 working days",
        "yes",
    ]
    assert lines["decision_deadline"][6] == "no"
    assert lines["cash_handover"][9] == "**not yet applied**"


def _table_rows() -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.startswith("| `")]

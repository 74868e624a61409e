"""Case numbers 文号: the pattern, gapless serials per (year, kind, field), concurrency, config."""

from __future__ import annotations

import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction

from liuhen.cases import numbering
from liuhen.cases.actions import numbering as number_actions
from liuhen.cases.actions import registration
from liuhen.cases.models import Case, NumberPattern, NumberSeries
from liuhen.core import access
from liuhen.core.models import AuditEvent, Outcome
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def test_default_pattern_and_serials_without_padding() -> None:
    assert number_actions.allocate("罚", "农药", year=2026) == "洼农（农药）罚〔2026〕1号"
    assert number_actions.allocate("罚", "农药", year=2026) == "洼农（农药）罚〔2026〕2号"
    assert numbering.peek("罚", "农药", year=2026) == "洼农（农药）罚〔2026〕3号"


def test_series_are_separate_per_kind_field_and_year() -> None:
    assert number_actions.allocate("罚", "农药", year=2026).endswith("〕1号")
    assert number_actions.allocate("立", "农药", year=2026) == "洼农（农药）立〔2026〕1号"
    assert number_actions.allocate("罚", "种子", year=2026) == "洼农（种子）罚〔2026〕1号"
    assert number_actions.allocate("罚", "农药", year=2026).endswith("〕2号")
    # Year rollover: the new year starts again at 1; the old series keeps its count.
    assert number_actions.allocate("罚", "农药", year=2027) == "洼农（农药）罚〔2027〕1号"
    assert NumberSeries.objects.get(year=2026, kind="罚", field="农药").last_serial == 2


def test_year_defaults_to_the_current_local_year(settings) -> None:
    from django.utils import timezone

    year = timezone.localdate().year
    assert number_actions.allocate("告", "兽药") == f"洼农（兽药）告〔{year}〕1号"


def test_a_rolled_back_transaction_returns_its_serial() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        number_actions.allocate("罚", "农药", year=2026)
        raise RuntimeError("the registration failed")
    assert number_actions.allocate("罚", "农药", year=2026).endswith("〕1号")


def test_register_case_allocates_a_number_and_keeps_explicit_ones(officer_wang, unit_a) -> None:
    first = registration.create_case(officer_wang, title="甲案", field="农药", unit=unit_a)
    second = registration.create_case(officer_wang, title="乙案", field="农药", unit=unit_a)
    year = first.opened_at.year
    assert first.number == f"洼农（农药）立〔{year}〕1号"
    assert second.number == f"洼农（农药）立〔{year}〕2号"
    assert first.field == "农药"
    imported = registration.create_case(officer_wang, number="旧案1号", title="导入", unit=unit_a)
    assert imported.number == "旧案1号"
    event = AuditEvent.objects.get(action="case.create", case_id=first.pk)
    assert event.details["number"] == first.number


def test_register_case_skips_a_number_an_import_already_holds(officer_wang, unit_a) -> None:
    from django.utils import timezone

    year = timezone.localdate().year
    registration.create_case(
        officer_wang, number=f"洼农（农药）立〔{year}〕1号", title="导入", unit=unit_a
    )
    case = registration.create_case(officer_wang, title="新案", field="农药", unit=unit_a)
    assert case.number == f"洼农（农药）立〔{year}〕2号"


def test_register_case_without_number_needs_a_field(officer_wang, unit_a) -> None:
    with pytest.raises(ValidationError):
        registration.create_case(officer_wang, title="甲案", unit=unit_a)
    assert not Case.objects.exists() and not NumberSeries.objects.exists()


def test_a_refused_registration_takes_no_serial(officer_wang, unit_a) -> None:
    with pytest.raises(ValidationError):
        registration.create_case(
            officer_wang, title="甲案", field="农药", unit=unit_a, stage="no-such-stage"
        )
    case = registration.create_case(officer_wang, title="甲案", field="农药", unit=unit_a)
    assert case.number.endswith("〕1号")


@pytest.mark.parametrize(
    "pattern",
    [
        "洼农（{field}）{kind}〔{year}〕号",  # no serial: every number the same
        "洼农{kind}{serial}号",  # no year
        "洼农{kind}{year}{serial}{unit}",  # unknown placeholder
        "洼农{kind}{year}{serial:05d}",  # format specs
        "洼农{kind}{year}{serial",  # unbalanced
        "x" * 58 + "{kind}{year}{serial}",  # numbers too long for the column
    ],
)
def test_bad_patterns_are_refused(sysadmin_zhao, pattern: str) -> None:
    with pytest.raises(ValidationError):
        number_actions.set_number_pattern(sysadmin_zhao, pattern)
    assert not NumberPattern.objects.exists()
    assert not AuditEvent.objects.filter(action="numbering.pattern_change").exists()


def test_system_admin_changes_the_pattern_audited(sysadmin_zhao) -> None:
    number_actions.set_number_pattern(sysadmin_zhao, " 洼农{kind}字〔{year}〕第{serial}号 ")
    assert number_actions.allocate("罚", "农药", year=2026) == "洼农罚字〔2026〕第1号"
    event = AuditEvent.objects.get(action="numbering.pattern_change")
    assert event.actor_name == "sysadmin_zhao" and event.outcome == Outcome.OK
    assert event.details == {
        "old": "洼农（{field}）{kind}〔{year}〕{serial}号",
        "new": "洼农{kind}字〔{year}〕第{serial}号",
    }


@pytest.mark.parametrize(
    "persona", ["officer_wang", "agency_head_liu", "secadmin_qian", "auditor_chen"]
)
def test_others_may_not_change_the_pattern(request, persona: str) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(access.AccessDenied):
        number_actions.set_number_pattern(user, "X{kind}{year}{serial}")
    assert not NumberPattern.objects.exists()
    denied = AuditEvent.objects.get(action="config.manage")
    assert denied.outcome == Outcome.DENIED


def test_pattern_page_for_the_system_admin(client, sysadmin_zhao) -> None:
    sign_in(client, sysadmin_zhao)
    page = client.get("/cases/numbering/")
    assert page.status_code == 200 and "洼农（农药）罚〔" in page.content.decode()
    bad = client.post("/cases/numbering/", {"pattern": "{kind}"})
    assert bad.status_code == 422
    saved = client.post("/cases/numbering/", {"pattern": "洼农{kind}〔{year}〕{serial}号"})
    assert saved.status_code == 302
    assert numbering.current_pattern() == "洼农{kind}〔{year}〕{serial}号"


def test_pattern_page_is_refused_to_an_officer(client, officer_wang) -> None:
    client.force_login(officer_wang)
    assert client.get("/cases/numbering/").status_code == 403
    assert client.post("/cases/numbering/", {"pattern": "X{kind}{year}{serial}"}).status_code == 403
    assert not NumberPattern.objects.exists()


THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_get_twenty_distinct_gapless_numbers() -> None:
    """Each thread has its own connection; the series row does not exist at the start,
    so the create-if-missing race is exercised as well as the increment."""
    barrier = threading.Barrier(THREADS)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def take() -> None:
        try:
            barrier.wait()
            number = number_actions.allocate("罚", "农药", year=2026)
            with lock:
                numbers.append(number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    serials = sorted(int(re.search(r"〕(\d+)号", n).group(1)) for n in numbers)  # type: ignore[union-attr]
    assert serials == list(range(1, THREADS + 1))
    assert NumberSeries.objects.get().last_serial == THREADS

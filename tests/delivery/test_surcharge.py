"""The payment period and the late surcharge 加处罚款 (R11.1; 行政处罚法 Art. 67, 72, 73)."""

from __future__ import annotations

import datetime as dt

import pytest

from liuhen.core.actions import configuration
from liuhen.delivery.payment.surcharge import late_days, payment_due, surcharge_fen, surcharge_table

pytestmark = pytest.mark.django_db

D = dt.date
FINE = 5_000_00  # ¥5,000.00
DUE = D(2026, 3, 2)


def day(n: int) -> dt.date:
    """The n-th day after the due date."""
    return DUE + dt.timedelta(days=n)


def test_three_percent_a_day_capped_at_the_fine() -> None:
    assert surcharge_fen(FINE, DUE, DUE) == 0  # paid on the last day
    assert surcharge_fen(FINE, DUE, D(2026, 2, 20)) == 0  # paid early
    assert surcharge_fen(FINE, DUE, day(1)) == 150_00  # ¥150.00
    assert surcharge_fen(FINE, DUE, day(20)) == 3_000_00
    assert surcharge_fen(FINE, DUE, day(33)) == 4_950_00  # the last day below the cap
    assert surcharge_fen(FINE, DUE, day(34)) == 5_000_00  # Art. 72: never more than the fine
    assert surcharge_fen(FINE, DUE, day(400)) == 5_000_00
    assert surcharge_fen(0, DUE, day(10)) == 0


def test_days_count_from_the_day_after_the_due_date() -> None:
    assert late_days(DUE, DUE) == 0
    assert late_days(DUE, day(1)) == 1
    assert late_days(DUE, D(2026, 4, 1)) == 30


def test_a_pause_in_the_middle_removes_its_days() -> None:
    # Art. 73: reconsideration applied for on day 6, decided on day 15 — ten days paused.
    pause = [(day(6), day(15))]
    assert late_days(DUE, day(30), pause) == 20
    assert surcharge_fen(FINE, DUE, day(30), pause) == 3_000_00
    assert surcharge_fen(FINE, DUE, day(10), pause) == 5 * 150_00  # inside the pause
    assert surcharge_fen(FINE, DUE, day(44), pause) == 5_000_00  # the cap still holds
    assert surcharge_fen(FINE, DUE, day(43), pause) == 4_950_00


def test_an_open_pause_stops_accrual() -> None:
    litigation = [(day(8), None)]  # lawsuit filed on day 8, not decided yet
    assert late_days(DUE, day(7), litigation) == 7
    assert surcharge_fen(FINE, DUE, day(8), litigation) == 7 * 150_00
    assert surcharge_fen(FINE, DUE, day(300), litigation) == 7 * 150_00


def test_overlapping_and_outside_pauses_are_counted_once() -> None:
    pauses = [
        (D(2026, 1, 1), D(2026, 3, 1)),  # wholly before the due date: no effect
        (day(3), day(6)),
        (day(5), day(8)),  # overlaps the one before
        (day(9), day(9)),  # adjacent
        (day(50), None),  # after the day asked about
    ]
    assert late_days(DUE, day(20), pauses) == 20 - 7
    with pytest.raises(ValueError):
        late_days(DUE, day(20), [(day(5), day(4))])


def test_rounding_is_half_up_on_the_whole_amount() -> None:
    # 3 % of ¥0.17 is 0.51 fen a day: rounded per day it would be 1 fen + 1 fen on day 2.
    assert surcharge_fen(17, DUE, day(1)) == 1
    assert surcharge_fen(17, DUE, day(2)) == 1  # 1.02 fen
    assert surcharge_fen(50, DUE, day(1)) == 2  # 1.5 fen rounds up
    assert surcharge_fen(49, DUE, day(1)) == 1  # 1.47 fen rounds down
    with pytest.raises(ValueError):
        surcharge_fen(-1, DUE, day(1))


def test_explicit_rates_win_over_the_rules() -> None:
    assert surcharge_fen(FINE, DUE, day(10), percent_per_day=1) == 500_00
    assert surcharge_fen(FINE, DUE, day(30), cap_percent=50) == 2_500_00
    with pytest.raises(ValueError):
        surcharge_fen(FINE, DUE, day(1), percent_per_day=-1)


def test_rule_overrides_change_the_result(sysadmin_zhao) -> None:
    configuration.set_rule(sysadmin_zhao, "late_surcharge_percent_per_day", 1, "局务会决定")
    assert surcharge_fen(FINE, DUE, day(1)) == 50_00
    assert surcharge_fen(FINE, DUE, day(34)) == 1_700_00
    configuration.set_rule(sysadmin_zhao, "late_surcharge_cap_percent", 20, "局务会决定")
    assert surcharge_fen(FINE, DUE, day(34)) == 1_000_00
    assert surcharge_table(FINE, DUE, day(21))[-1] == (day(21), 21, 1_000_00)


def test_the_table_for_the_page() -> None:
    pause = [(day(6), day(15))]
    table = surcharge_table(FINE, DUE, day(50), pause)
    assert len(table) == 50
    assert table[0] == (day(1), 1, 150_00)
    assert table[4] == (day(5), 5, 750_00)
    assert table[5] == (day(6), 5, 750_00)  # paused: the count and the amount stand still
    assert table[14] == (day(15), 5, 750_00)
    assert table[15] == (day(16), 6, 900_00)
    assert table[29] == (day(30), 20, 3_000_00)
    assert table[43] == (day(44), 34, 5_000_00)
    # Every row agrees with the single-day functions.
    for row_day, days, amount in table:
        assert days == late_days(DUE, row_day, pause)
        assert amount == surcharge_fen(FINE, DUE, row_day, pause)
    assert surcharge_table(FINE, DUE, DUE) == []


def test_payment_due_is_fifteen_days_after_service() -> None:
    # Art. 67: served Mon Mar 2, fifteen days from the day after: Tue Mar 17.
    assert payment_due(D(2026, 3, 2)) == D(2026, 3, 17)


def test_payment_due_rolls_over_a_weekend() -> None:
    # Served Fri Mar 6: the fifteenth day is Sat Mar 21, so the last day is Mon Mar 23.
    assert payment_due(D(2026, 3, 6)) == D(2026, 3, 23)
    assert payment_due(D(2026, 3, 7)) == D(2026, 3, 23)  # Sun Mar 22


def test_payment_due_rolls_over_national_day_2026() -> None:
    # 2026-10-01..07 are holidays; Thu Oct 8 is the first working day after them.
    assert payment_due(D(2026, 9, 16)) == D(2026, 10, 8)  # Oct 1
    assert payment_due(D(2026, 9, 22)) == D(2026, 10, 8)  # Oct 7, the last holiday
    # Sat Oct 10 is a make-up working day (调休上班): no roll.
    assert payment_due(D(2026, 9, 25)) == D(2026, 10, 10)

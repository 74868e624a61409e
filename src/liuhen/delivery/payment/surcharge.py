"""The payment period and the late-payment surcharge 加处罚款 (R11.1).

行政处罚法 Art. 67: the party pays within 15 days of receiving the decision. Art. 72: a party
who pays late is charged 3 % of the fine for every day late, never more than the fine itself.
Art. 73: while reconsideration or litigation is pending the surcharge does not accrue.

Pure functions over dates and fen: the caller supplies the pauses it has recorded. The rates
are legal rules (``late_surcharge_percent_per_day``, ``late_surcharge_cap_percent``) that the
administrator may lower, never raise.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from liuhen.core import calendar, rules

Pause = tuple[date, date | None]  # [start, end] inclusive; end None = still paused
_Span = tuple[date, date]  # a pause clipped to the days that matter
_ONE_DAY = timedelta(days=1)


def payment_due(served_on: date) -> date:
    """The last day to pay a fine served on ``served_on`` (Art. 67).

    The rule "payment" (15 calendar days) counts from the day after service; a last day that
    is a rest day moves to the next working day (民事诉讼法 Art. 85).
    """
    return calendar.deadline(served_on, "payment").due


def _merged_pauses(pauses: Iterable[Pause], first: date, last: date) -> list[_Span]:
    """The pauses clipped to [first, last], sorted and merged so no day is counted twice."""
    clipped: list[_Span] = []
    for start, end in pauses:
        if end is not None and end < start:
            raise ValueError(f"pause ends ({end}) before it starts ({start})")
        low, high = max(start, first), min(end or last, last)
        if low <= high:
            clipped.append((low, high))
    clipped.sort()
    merged: list[_Span] = []
    for low, high in clipped:
        if merged:
            previous_low, previous_high = merged[-1]
            if low <= previous_high + _ONE_DAY:
                merged[-1] = (previous_low, max(previous_high, high))
                continue
        merged.append((low, high))
    return merged


def late_days(due: date, on: date, pauses: Iterable[Pause] = ()) -> int:
    """Days late on ``on``: from the day after ``due`` up to and including ``on``, without
    the days inside a pause (Art. 73)."""
    if on <= due:
        return 0
    first = due + _ONE_DAY
    paused = 0
    for start, end in _merged_pauses(pauses, first, on):
        paused += (end - start).days + 1
    return (on - due).days - paused


def _rates(percent_per_day: int | None, cap_percent: int | None) -> tuple[int, int]:
    if percent_per_day is None:
        percent_per_day = int(rules.value("late_surcharge_percent_per_day"))
    if cap_percent is None:
        cap_percent = int(rules.value("late_surcharge_cap_percent"))
    if percent_per_day < 0 or cap_percent < 0:
        raise ValueError("surcharge rates cannot be negative")
    return percent_per_day, cap_percent


def _percent_of(amount_fen: int, percent: int) -> int:
    """``percent`` % of ``amount_fen``, rounded half up to the fen (both non-negative)."""
    return (amount_fen * percent + 50) // 100


def _surcharge_for_days(fine_fen: int, days: int, percent_per_day: int, cap_percent: int) -> int:
    # Rounded once on the whole amount, not per day, so rounding does not add up.
    return min(_percent_of(fine_fen, percent_per_day * days), _percent_of(fine_fen, cap_percent))


def _check_fine(fine_fen: int) -> None:
    if isinstance(fine_fen, bool) or not isinstance(fine_fen, int) or fine_fen < 0:
        raise ValueError(f"fine must be a non-negative whole number of fen, not {fine_fen!r}")


def surcharge_fen(
    fine_fen: int,
    due: date,
    on: date,
    pauses: Iterable[Pause] = (),
    *,
    percent_per_day: int | None = None,
    cap_percent: int | None = None,
) -> int:
    """The surcharge owed on ``on`` for a fine of ``fine_fen`` due on ``due`` (Art. 72, 73).

    Rates default to the rules; a fine paid on or before ``due`` owes nothing.
    """
    _check_fine(fine_fen)
    per_day, cap = _rates(percent_per_day, cap_percent)
    return _surcharge_for_days(fine_fen, late_days(due, on, pauses), per_day, cap)


def surcharge_table(
    fine_fen: int,
    due: date,
    until: date,
    pauses: Iterable[Pause] = (),
    *,
    percent_per_day: int | None = None,
    cap_percent: int | None = None,
) -> list[tuple[date, int, int]]:
    """One row per calendar day from the day after ``due`` to ``until``: (day, days late,
    surcharge). A paused day repeats the previous row's count and amount."""
    _check_fine(fine_fen)
    per_day, cap = _rates(percent_per_day, cap_percent)
    if until <= due:
        return []
    first = due + _ONE_DAY
    paused = _merged_pauses(pauses, first, until)
    rows: list[tuple[date, int, int]] = []
    days = 0
    day = first
    while day <= until:
        if not any(start <= day <= end for start, end in paused):
            days += 1
        rows.append((day, days, _surcharge_for_days(fine_fen, days, per_day, cap)))
        day += _ONE_DAY
    return rows

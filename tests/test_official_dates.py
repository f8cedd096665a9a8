"""Real official dates of 2024–2026 and due instants computed across them.

Every expected value here was worked out by hand from the Government's announcements (cited
next to each group), not taken from the library.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tthc_flow.calendar import EXTRA_SWAPS, DayKind, WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = timedelta(hours=8)

CLOSED_WEEKDAYS = {
    # 2024 — Tết 08–14/02 (five Tết days plus two for the weekend they covered), Hùng Kings 18/04,
    # 29/04 swapped with Sat 04/05 (Công văn 2450/VPCP-KGVX), 30/04, 01/05, 02–03/09.
    2024: [
        date(2024, 1, 1),
        *[date(2024, 2, d) for d in (8, 9, 12, 13, 14)],
        date(2024, 4, 18),
        date(2024, 4, 29),
        date(2024, 4, 30),
        date(2024, 5, 1),
        date(2024, 9, 2),
        date(2024, 9, 3),
    ],
    # 2025 — Tết 27–31/01, Hùng Kings Mon 07/04, 30/04, 01/05, Fri 02/05 swapped with
    # Sat 26/04 (Thông báo 6150/TB-BLĐTBXH), 01–02/09.
    2025: [
        date(2025, 1, 1),
        *[date(2025, 1, d) for d in range(27, 32)],
        date(2025, 4, 7),
        date(2025, 4, 30),
        date(2025, 5, 1),
        date(2025, 5, 2),
        date(2025, 9, 1),
        date(2025, 9, 2),
    ],
    # 2026 — 01/01 and Fri 02/01 swapped with Sat 10/01 (Công văn 12729/VPCP-KGVX), Tết 16–20/02,
    # Hùng Kings on Sunday 26/04 so Monday 27/04 off, 30/04, 01/05, Mon 31/08 swapped with
    # Sat 22/08, 01–02/09, 24/11 Vietnam Culture Day (first year).
    2026: [
        date(2026, 1, 1),
        date(2026, 1, 2),
        *[date(2026, 2, d) for d in range(16, 21)],
        date(2026, 4, 27),
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 8, 31),
        date(2026, 9, 1),
        date(2026, 9, 2),
        date(2026, 11, 24),
    ],
}
WORKED_WEEKENDS = {
    2024: [date(2024, 5, 4)],
    2025: [date(2025, 4, 26)],
    2026: [date(2026, 1, 10), date(2026, 8, 22)],
}
# Weekdays in the year (by the first weekday and leap years) minus closed plus worked.
WORKING_DAYS_IN_YEAR = {2024: 262 - 12 + 1, 2025: 261 - 12 + 1, 2026: 261 - 14 + 2}


@pytest.mark.parametrize("year", sorted(CLOSED_WEEKDAYS))
def test_exceptional_days_of_the_year_are_exactly_the_official_ones(
    cal: WorkingCalendar, year: int
) -> None:
    notable = cal.notable_days(date(year, 1, 1), date(year, 12, 31))
    assert [d.day for d in notable if not d.is_working] == CLOSED_WEEKDAYS[year]
    assert [d.day for d in notable if d.is_working] == WORKED_WEEKENDS[year]
    assert len(cal.working_days(date(year, 1, 1), date(year, 12, 31))) == WORKING_DAYS_IN_YEAR[year]


@pytest.mark.parametrize(
    ("day", "worked"),
    [
        (date(2025, 4, 26), True),  # make-up Saturday
        (date(2025, 5, 2), False),  # swapped Friday
        (date(2026, 8, 22), True),
        (date(2026, 8, 31), False),
        (date(2026, 4, 26), False),  # Hùng Kings' day on a Sunday
        (date(2026, 4, 27), False),  # … and its compensatory Monday
        (date(2026, 4, 28), True),
        (date(2026, 11, 24), False),
        (date(2025, 11, 24), True),  # Culture Day is a holiday from 2026 only
        (date(2026, 2, 13), True),  # the Friday before Tết
        (date(2026, 2, 23), True),  # the Monday after
        (date(2026, 1, 10), True),
        (date(2026, 1, 3), False),
    ],
)
def test_is_working_day_on_official_dates(cal: WorkingCalendar, day: date, worked: bool) -> None:
    assert cal.is_working_day(day) is worked


def test_explain_names_the_holiday_the_swap_and_their_sources(cal: WorkingCalendar) -> None:
    swap = cal.explain(date(2025, 5, 2))
    assert not swap.is_working
    assert swap.decisive.kind is DayKind.SWAPPED_DAY_OFF
    assert "26/04/2025" in swap.decisive.name
    assert "6150/TB-BLĐTBXH" in swap.decisive.source

    makeup = cal.explain(date(2025, 4, 26))
    assert makeup.is_working
    assert makeup.working_minutes == 480
    assert makeup.decisive.kind is DayKind.MAKEUP_WORKDAY
    assert "02/05/2025" in makeup.decisive.name

    hung = cal.explain(date(2026, 4, 27))
    assert hung.decisive.kind is DayKind.COMPENSATORY_DAY_OFF
    assert "Hùng Vương" in hung.decisive.name
    assert "Điều 111" in hung.decisive.source

    culture = cal.explain(date(2026, 11, 24))
    assert culture.decisive.kind is DayKind.PUBLIC_HOLIDAY
    assert "80-NQ/TW" in culture.decisive.source

    tet = cal.explain(date(2026, 2, 17))
    assert tet.decisive.name == "Tết Nguyên Đán"
    assert tet.decisive.source == "Bộ luật Lao động 2019, Điều 112"

    plain = cal.explain(date(2026, 3, 4))
    assert plain.is_working
    assert plain.reasons[0].kind is DayKind.WORKDAY
    weekend = cal.explain(date(2026, 3, 7))
    assert not weekend.is_working
    assert weekend.reasons[0].kind is DayKind.WEEKLY_REST


def test_older_holidays_cite_the_labour_code_then_in_force(cal: WorkingCalendar) -> None:
    assert cal.explain(date(2019, 4, 30)).decisive.source == "Bộ luật Lao động 2012, Điều 115"
    assert cal.explain(date(2005, 9, 2)).decisive.source == "Bộ luật Lao động 1994, Điều 73"


def test_extra_swaps_are_applied_once_with_their_document(cal: WorkingCalendar) -> None:
    for swap in EXTRA_SWAPS:
        assert swap.day_off is not None
        assert swap.workday is not None
        off, on = cal.explain(swap.day_off), cal.explain(swap.workday)
        assert not off.is_working
        assert on.is_working
        # Exactly one national reason each (the weekly pattern comes first).
        assert len(off.reasons) == 2
        assert len(on.reasons) == 2
        assert "12729/VPCP-KGVX" in off.decisive.source


DUE_CASES = [
    # (start, budget, due) — each worked out by hand in the comment.
    # Fri 16–17 (1 h), Sat 26/4 make-up (8 h), Mon 28 (8 h), Tue 29 08–12, 13–16 (7 h).
    (datetime(2025, 4, 25, 16, 0, tzinfo=VN), 3 * DAY, datetime(2025, 4, 29, 16, 0, tzinfo=VN)),
    # … then 30/4–2/5 closed, 3–4/5 weekend: Mon 5/5 (8 h), Tue 6/5 to 16:00 (7 h).
    (datetime(2025, 4, 25, 16, 0, tzinfo=VN), 5 * DAY, datetime(2025, 5, 6, 16, 0, tzinfo=VN)),
    # Thu 12/2 10:00 (6 h), Fri 13/2 (8 h), Tết 16–20/2, Mon 23–Wed 25 (24 h), Thu 26 to 10:00.
    (datetime(2026, 2, 12, 10, 0, tzinfo=VN), 5 * DAY, datetime(2026, 2, 26, 10, 0, tzinfo=VN)),
    # Thu 20/8 14:30 (2.5 h), Fri 21, Sat 22 (make-up), Mon 24–Fri 28, 31/8–2/9 closed,
    # Thu 3, Fri 4/9, Mon 7/9 08–12 and 13–14:30.
    (datetime(2026, 8, 20, 14, 30, tzinfo=VN), 10 * DAY, datetime(2026, 9, 7, 14, 30, tzinfo=VN)),
    # Mon 23/11 09:15 (6.75 h), Tue 24/11 Culture Day, Wed 25/11 08–12, 13–14:15.
    (
        datetime(2026, 11, 23, 9, 15, tzinfo=VN),
        timedelta(hours=12),
        datetime(2026, 11, 25, 14, 15, tzinfo=VN),
    ),
    # Wed 31/12/2025 15:00 (2 h), 1–2/1 closed, weekend, Mon 5/1 08–12, 13–15.
    (datetime(2025, 12, 31, 15, 0, tzinfo=VN), DAY, datetime(2026, 1, 5, 15, 0, tzinfo=VN)),
    # Fri 9/1/2026 16:00 (1 h), Sat 10/1 is a make-up day: 08:00–09:00.
    (
        datetime(2026, 1, 9, 16, 0, tzinfo=VN),
        timedelta(hours=2),
        datetime(2026, 1, 10, 9, 0, tzinfo=VN),
    ),
    # Fri 3/5/2024 16:00 (1 h), Sat 4/5/2024 make-up 08:00–09:00.
    (
        datetime(2024, 5, 3, 16, 0, tzinfo=VN),
        timedelta(hours=2),
        datetime(2024, 5, 4, 9, 0, tzinfo=VN),
    ),
    # Tue 2/9/2025 is a holiday: the clock starts Wed 3/9 08:00; 8 h end at 17:00 sharp.
    (datetime(2025, 9, 2, 10, 0, tzinfo=VN), DAY, datetime(2025, 9, 3, 17, 0, tzinfo=VN)),
]


@pytest.mark.parametrize(("start", "budget", "due"), DUE_CASES)
def test_due_instants_across_official_days(
    cal: WorkingCalendar, start: datetime, budget: timedelta, due: datetime
) -> None:
    assert cal.add_working_time(start, budget) == due
    assert cal.working_time_between(start, due) == budget


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2025, 4, 25), 1, date(2025, 4, 26)),  # Fri + 1 = make-up Saturday
        (date(2025, 4, 29), 1, date(2025, 5, 5)),  # over 30/4–4/5
        (date(2026, 2, 13), 1, date(2026, 2, 23)),  # over Tết
        (date(2026, 2, 14), 0, date(2026, 2, 23)),  # n = 0 on a closed day
        (date(2026, 2, 23), -1, date(2026, 2, 13)),
        (date(2026, 8, 21), 1, date(2026, 8, 22)),
        (date(2026, 8, 28), 1, date(2026, 9, 3)),
        (date(2026, 11, 23), 1, date(2026, 11, 25)),
        (date(2025, 12, 31), 1, date(2026, 1, 5)),
    ],
)
def test_add_working_days_across_official_days(
    cal: WorkingCalendar, day: date, n: int, expected: date
) -> None:
    assert cal.add_working_days(day, n) == expected


def test_count_working_days_across_the_2025_swap(cal: WorkingCalendar) -> None:
    # (Fri 25/4, Mon 5/5]: Sat 26/4, Mon 28/4, Tue 29/4, Mon 5/5.
    assert cal.count_working_days(date(2025, 4, 25), date(2025, 5, 5)) == 4
    assert cal.count_working_days(date(2025, 5, 5), date(2025, 4, 25)) == -4


@pytest.mark.parametrize(
    ("event", "days", "end"),
    [
        # Day 15 after 12/4/2026 is Mon 27/4 (compensatory day off): ends with Tue 28/4.
        (date(2026, 4, 12), 15, datetime(2026, 4, 29, 0, 0, tzinfo=VN)),
        # Day 16 after 15/8/2026 is Mon 31/8 (swap); 1–2/9 holidays: ends with Thu 3/9.
        (date(2026, 8, 15), 16, datetime(2026, 9, 4, 0, 0, tzinfo=VN)),
        # Day 1 after Fri 24/4/2026 is Sat 25/4 (not a make-up day): ends with Tue 28/4.
        (date(2026, 4, 24), 1, datetime(2026, 4, 29, 0, 0, tzinfo=VN)),
        # Day 1 after Fri 25/4/2025 is the make-up Saturday 26/4: a working day, ends there.
        (date(2025, 4, 25), 1, datetime(2025, 4, 27, 0, 0, tzinfo=VN)),
    ],
)
def test_calendar_day_periods_per_civil_code(
    cal: WorkingCalendar, event: date, days: int, end: datetime
) -> None:
    assert cal.add_calendar_days(event, days) == end


def test_month_periods_per_civil_code(cal: WorkingCalendar) -> None:
    # 31/1/2025 + 1 month: February has no 31st, so the last day is Fri 28/2/2025.
    assert cal.add_months(date(2025, 1, 31), 1) == datetime(2025, 3, 1, 0, 0, tzinfo=VN)
    # 30/3/2026 + 1 month = Thu 30/4 holiday, Fri 1/5 holiday, weekend: Mon 4/5/2026.
    assert cal.add_months(date(2026, 3, 30), 1) == datetime(2026, 5, 5, 0, 0, tzinfo=VN)
    assert cal.add_months(date(2026, 3, 30), 1, at_close=True) == datetime(
        2026, 5, 4, 17, 0, tzinfo=VN
    )

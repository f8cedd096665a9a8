"""Hostile input at the calendar and budget entry points: every refusal is a typed
``TthcFlowError`` naming the argument, never an ``OverflowError``, ``TypeError`` or
``AttributeError`` from below, and every bound the library sets is pinned here at its edge.

The calendar covers 1995–2100 (38,716 days, 1,272 months). Bounds follow from that:

- a calendar question, and a budget's due, accepts any count whose answer is inside the
  calendar, and raises ``CalendarRangeError`` for the rest before any date arithmetic (from
  1 January 1995, 38,715 calendar days or 1,271 months is the most that can fall due);
- a budget counts at most 1,000,000,000 of its unit, so that every figure of it can be
  computed and printed;
- numbers given as text or Decimal have at most 1,000 digits and an exponent within ±1,000.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_flow._validators import MAX_NUMBER_DIGITS, aware, exact_number, flag, shown
from tthc_flow.calendar import (
    Closure,
    DayInfo,
    DayReason,
    HoursChange,
    OfficeHours,
    OfficialDay,
    Opening,
    Session,
    Swap,
    WorkingCalendar,
    explain_due,
    format_duration,
    format_instant,
    vietnam_calendar,
    vietnam_official_days,
)
from tthc_flow.calendar._days import weekday_vi
from tthc_flow.calendar._years import DAYS_COVERED, MONTHS_COVERED, check_year
from tthc_flow.engine import ResultClass, classify
from tthc_flow.engine._budgets import (
    DESK_TRANSFER_RULE,
    MAX_AMOUNT,
    MAX_OPENING_MINUTES,
    AfterCutoff,
    BoundBudget,
    Budget,
    BudgetSum,
    CalendarDays,
    Months,
    SameDayRule,
    SameWorkingDay,
    WorkingDays,
    WorkingHours,
    parse_budget,
)
from tthc_flow.errors import (
    BudgetError,
    CalendarRangeError,
    InvalidHoursError,
    InvalidInputError,
    NaiveDatetimeError,
    TthcFlowError,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PLUS_14 = timezone(timedelta(hours=14))
MINUS_12 = timezone(timedelta(hours=-12))
CAL = vietnam_calendar()
DESK = vietnam_calendar(saturday_desk="07:30-11:30")
MONDAY = date(2026, 3, 2)
MONDAY_9 = datetime(2026, 3, 2, 9, tzinfo=VN)

# Instants whose offset cannot be carried into the calendar's zone (UTC+7): converting them
# overflows the datetime range.
EDGE_INSTANTS = (
    datetime(1, 1, 1, tzinfo=PLUS_14),
    datetime(1, 1, 1, 0, 59, tzinfo=timezone(timedelta(hours=8))),
    datetime(9999, 12, 31, 23, tzinfo=MINUS_12),
    datetime.max.replace(tzinfo=timezone.utc),
    datetime.min.replace(tzinfo=PLUS_14),
)


def fast(call: Callable[[], object], error: type[Exception], seconds: float = 2.0) -> Exception:
    """``call()`` raises ``error`` within ``seconds`` (a refusal that first builds 10**10**9
    is no refusal); returns the error."""
    started = clock.perf_counter()
    with pytest.raises(error) as caught:
        call()
    assert clock.perf_counter() - started < seconds
    return caught.value


# ----------------------------------------------------------------------------- the cases


def test_huge_calendar_day_and_month_counts_are_range_errors() -> None:
    error = fast(lambda: CAL.add_calendar_days(date(2025, 4, 25), 3_000_000), CalendarRangeError)
    assert "n" in str(error) and "3000000" in str(error)
    fast(lambda: CAL.add_months(date(2025, 4, 25), 10**6), CalendarRangeError)
    fast(lambda: CAL.add_calendar_days(MONDAY_9, 10**30), CalendarRangeError)
    fast(lambda: CAL.add_months(MONDAY_9, 10**30), CalendarRangeError)
    fast(lambda: CAL.add_working_days(MONDAY, 10**30), CalendarRangeError)
    fast(lambda: CAL.add_working_days(MONDAY, -(10**5000)), CalendarRangeError)
    fast(lambda: CAL.instant_at(10**5000), CalendarRangeError)


@pytest.mark.parametrize(
    "value", [Decimal("Infinity"), Decimal("-Infinity"), Decimal("NaN"), Decimal("sNaN"), "nan",
              "inf", "-Infinity", "1e999999999", "1e-999999999", Decimal("1e999999999"),
              10**30, "1" * 2_000, -1, "-0.5", 0.5, True, None, "abc", [1], 1j],
)  # fmt: skip
def test_working_budgets_refuse_what_is_not_a_bounded_exact_amount(value: object) -> None:
    for kind in (WorkingDays, WorkingHours):
        error = fast(lambda kind=kind: kind(value), BudgetError)
        assert isinstance(error, TthcFlowError)


def test_a_huge_budget_is_refused_when_built_not_when_it_falls_due() -> None:
    fast(lambda: WorkingDays(10**30), BudgetError)
    fast(lambda: WorkingHours(10**30), BudgetError)
    fast(lambda: CalendarDays(10**30), BudgetError)
    fast(lambda: Months(10**30), BudgetError)
    fast(lambda: WorkingDays(10**5000), BudgetError)  # too long to print, still named
    with pytest.raises(BudgetError, match="more than 1,000,000,000 working days"):
        WorkingDays("1e400")


def test_a_bool_is_not_a_count() -> None:
    for make in (WorkingDays, WorkingHours, CalendarDays, Months):
        with pytest.raises(BudgetError):
            make(True)
    with pytest.raises(BudgetError):
        SameDayRule(None, True)  # type: ignore[arg-type]
    for call in (
        lambda: CAL.add_working_days(MONDAY, True),
        lambda: CAL.add_calendar_days(MONDAY, True),
        lambda: CAL.add_months(MONDAY, False),
        lambda: CAL.instant_at(True),
        lambda: format_duration(timedelta(hours=1), True),
        lambda: OfficeHours.standard().with_day(True),
        lambda: OfficeHours.standard().sessions_on(False),
        lambda: CAL.add_calendar_days(MONDAY, 1, at_close=1),
        lambda: flag(0, "at_close"),
        lambda: check_year(True),
    ):
        with pytest.raises(TthcFlowError):
            call()


@pytest.mark.parametrize("instant", EDGE_INSTANTS)
def test_instants_near_year_1_or_9999_are_range_errors(instant: datetime) -> None:
    calls: list[Callable[[], object]] = [
        lambda: CAL.is_working_day(instant),
        lambda: CAL.sessions_on(instant),
        lambda: CAL.add_working_days(instant, 1),
        lambda: CAL.count_working_days(MONDAY, instant),
        lambda: CAL.working_days(instant, MONDAY),
        lambda: CAL.is_working_time(instant),
        lambda: CAL.next_opening(instant),
        lambda: CAL.is_desk_open(instant),
        lambda: DESK.is_desk_open(instant),
        lambda: CAL.working_time_between(MONDAY_9, instant),
        lambda: CAL.position(instant),
        lambda: CAL.day_end_position(instant),
        lambda: CAL.due_day(instant),
        lambda: CAL.day_opening(instant),
        lambda: CAL.day_closing(instant),
        lambda: CAL.add_working_time(instant, timedelta(0)),
        lambda: CAL.add_calendar_days(instant, 1),
        lambda: CAL.add_months(instant, 1),
        lambda: CAL.explain(instant),
        lambda: CAL.notable_days(instant, MONDAY),
        lambda: CAL.to_local(instant),
        lambda: explain_due(CAL, instant, timedelta(hours=1)),
        lambda: WorkingDays(1).due(CAL, instant),
        lambda: CalendarDays(1).due(CAL, instant),
        lambda: Months(1).due(CAL, instant),
        lambda: SameWorkingDay().due(CAL, instant),
        lambda: instant + WorkingDays(1).on(CAL),
    ]
    for call in calls:
        with pytest.raises(CalendarRangeError):
            call()


def test_a_date_or_a_string_where_an_instant_is_needed_is_named() -> None:
    for wrong in (MONDAY, "2026-03-02T09:00+07:00", None, 1_772_000_000):
        calls: dict[str, Callable[[], object]] = {
            "instant": lambda wrong=wrong: CAL.is_working_time(wrong),
            "instant ": lambda wrong=wrong: CAL.next_opening(wrong),
            "instant  ": lambda wrong=wrong: CAL.position(wrong),
            "instant   ": lambda wrong=wrong: CAL.is_desk_open(wrong),
            "start": lambda wrong=wrong: CAL.add_working_time(wrong, timedelta(hours=1)),
            "end": lambda wrong=wrong: CAL.working_time_between(MONDAY_9, wrong),
            "due": lambda wrong=wrong: CAL.due_day(wrong),
            "start ": lambda wrong=wrong: WorkingDays(1).due(CAL, wrong),
            "start  ": lambda wrong=wrong: SameWorkingDay().due(CAL, wrong),
            "start   ": lambda wrong=wrong: explain_due(CAL, wrong, timedelta(hours=1)),
        }
        for argument, call in calls.items():
            with pytest.raises(InvalidInputError, match=f"^{argument.strip()} must be an aware"):
                call()
    with pytest.raises(InvalidInputError, match="is a date; a budget on a calendar is added"):
        MONDAY + WorkingDays(1).on(CAL)  # type: ignore[operator]
    with pytest.raises(InvalidInputError, match="is a str"):
        "2026-03-02" + WorkingDays(1).on(CAL)  # type: ignore[operator]
    # Days accept a date or an aware datetime, never a string.
    for call in (
        lambda: CAL.is_working_day("2026-03-02"),
        lambda: CAL.add_working_days("2026-03-02", 1),
        lambda: CAL.add_calendar_days("2026-03-02", 1),
        lambda: CAL.count_working_days(MONDAY, "2026-03-09"),
    ):
        with pytest.raises(InvalidInputError, match=r"must be a datetime\.date or an aware"):
            call()


def test_a_naive_datetime_is_refused_everywhere_it_could_be_misread() -> None:
    naive = datetime(2026, 3, 2, 9)
    for call in (
        lambda: CAL.is_working_day(naive),
        lambda: CAL.position(naive),
        lambda: CAL.add_working_time(naive, timedelta(hours=1)),
        lambda: CAL.add_calendar_days(naive, 1),
        lambda: SameWorkingDay().due(CAL, naive),  # once read as the host's local time
        lambda: format_instant(naive),
        lambda: naive + CalendarDays(1).on(CAL),
    ):
        with pytest.raises(NaiveDatetimeError):
            call()


def test_official_days_refuse_years_before_computing_any() -> None:
    for first, last in ((-(10**30), 2025), (0, 2025), (1995, 10**9), (2030, 2020), (True, 2000)):
        fast(lambda first=first, last=last: vietnam_official_days(first, last), InvalidInputError)
    assert vietnam_official_days(2025, 2025)[0].day.year == 2025


# ----------------------------------------------------------------------------- bounds, pinned


def test_the_bounds_are_the_calendars_years() -> None:
    assert (DAYS_COVERED, MONTHS_COVERED) == (38_716, 1_272)
    assert MAX_AMOUNT == 1_000_000_000
    assert MAX_OPENING_MINUTES == 1_440
    assert MAX_NUMBER_DIGITS == 1_000


def test_budget_bounds_at_their_edge() -> None:
    largest = [WorkingDays(MAX_AMOUNT), WorkingHours(MAX_AMOUNT), CalendarDays(MAX_AMOUNT),
               Months(MAX_AMOUNT)]  # fmt: skip
    for budget in largest:  # every figure of the largest budget is computable and printable
        assert str(budget) and budget.label and repr(budget)
    assert WorkingDays(MAX_AMOUNT).timedelta == timedelta(minutes=480 * MAX_AMOUNT)
    assert WorkingHours(MAX_AMOUNT).timedelta == timedelta(hours=MAX_AMOUNT)
    for make, beyond in (
        (WorkingDays, MAX_AMOUNT + Fraction(1, 480)),  # one minute more
        (WorkingHours, MAX_AMOUNT + Fraction(1, 60)),
        (CalendarDays, MAX_AMOUNT + 1),
        (Months, MAX_AMOUNT + 1),
    ):
        with pytest.raises(BudgetError, match="1,000,000,000"):
            make(beyond)
    with pytest.raises(BudgetError):  # a sum past the bound is refused as its parts would be
        WorkingDays(MAX_AMOUNT) + WorkingHours(1)
    with pytest.raises(BudgetError):
        CalendarDays(MAX_AMOUNT) + CalendarDays(1)
    assert SameDayRule(None, MAX_OPENING_MINUTES).opening_minutes == 1_440
    with pytest.raises(BudgetError):
        SameDayRule(None, MAX_OPENING_MINUTES + 1)
    assert parse_budget("1000000000 ngày") == CalendarDays(MAX_AMOUNT)
    for text in ("1000000001 ngày", "9" * 5_000 + " tháng", "1000000001 ngày làm việc"):
        fast(lambda text=text: parse_budget(text), BudgetError)


def test_the_largest_due_is_the_calendars_last_day() -> None:
    first = datetime(1995, 1, 1, tzinfo=VN)
    assert CalendarDays(38_715).due(CAL, first) == datetime(2101, 1, 1, tzinfo=VN)
    assert Months(1_271).due(CAL, first) == datetime(2100, 12, 2, tzinfo=VN)
    left = CAL.working_time_between(MONDAY_9, datetime(2100, 12, 31, 23, 59, tzinfo=VN))
    assert WorkingHours(Fraction(left // timedelta(minutes=1), 60)).due(CAL, MONDAY_9) == (
        datetime(2100, 12, 31, 17, tzinfo=VN)
    )
    beyond: list[tuple[Budget, datetime]] = [
        (WorkingHours(left // timedelta(hours=1) + 1), MONDAY_9),  # an hour past what is left
        *((budget, start) for budget in (CalendarDays(38_716), Months(1_272))
          for start in (first, MONDAY_9)),
        *((make(MAX_AMOUNT), MONDAY_9) for make in (WorkingDays, WorkingHours, CalendarDays,
                                                    Months)),
    ]  # fmt: skip
    for budget, start in beyond:
        fast(lambda budget=budget, start=start: budget.due(CAL, start), CalendarRangeError)
        fast(lambda budget=budget, start=start: start + budget.on(CAL), CalendarRangeError)


def test_calendar_counts_at_the_edge_of_the_calendar() -> None:
    first = CAL.first_day
    # 31/12/2100 is a working Friday: the longest period ends at 24:00 that day.
    assert CAL.add_calendar_days(first, 38_715) == datetime(2101, 1, 1, tzinfo=VN)
    with pytest.raises(CalendarRangeError, match=r"period end \(n\)"):
        CAL.add_calendar_days(first, 38_716)
    assert CAL.add_months(first, 1_271) == datetime(2100, 12, 2, tzinfo=VN)
    with pytest.raises(CalendarRangeError, match=r"period end \(n\)"):
        CAL.add_months(first, 1_272)
    # From a later day the largest count shrinks to what is left of the calendar.
    assert CAL.add_calendar_days(date(2100, 12, 30), 1) == datetime(2101, 1, 1, tzinfo=VN)
    with pytest.raises(CalendarRangeError):
        CAL.add_calendar_days(date(2100, 12, 30), 2)
    assert CAL.add_months(date(2100, 11, 30), 1) == datetime(2100, 12, 31, tzinfo=VN)
    with pytest.raises(CalendarRangeError):
        CAL.add_months(date(2100, 11, 30), 2)
    # Working days: the largest n from a day is the count of working days left.
    left = CAL.count_working_days(MONDAY, CAL.last_day)
    assert CAL.add_working_days(MONDAY, left) == date(2100, 12, 31)
    with pytest.raises(CalendarRangeError, match=r"result \(n\)"):
        CAL.add_working_days(MONDAY, left + 1)
    # A narrower calendar is bounded by its own years.
    narrow = vietnam_calendar(first_year=2025, last_year=2026)
    with pytest.raises(CalendarRangeError):
        narrow.add_calendar_days(date(2026, 12, 1), 31)
    with pytest.raises(CalendarRangeError):
        narrow.add_months(date(2026, 1, 31), 12)


def test_small_bounds_of_the_calendar_helpers() -> None:
    hour = timedelta(hours=1)
    assert format_duration(hour, 1) == "60 ngày làm việc (60 working minutes)"
    assert format_duration(hour, 1_440) == "1 giờ (60 working minutes)"
    for wrong in (0, 1_441, -480, True, 480.0):
        with pytest.raises(InvalidInputError, match="minutes_per_day must be an int from 1"):
            format_duration(hour, wrong)  # type: ignore[arg-type]
    hours = OfficeHours.standard()
    assert hours.sessions_on(0) and not hours.sessions_on(6)
    for weekday in (7, -1, True, 1.0, "0"):
        with pytest.raises(InvalidHoursError, match="weekday must be an int from 0"):
            hours.sessions_on(weekday)  # type: ignore[arg-type]
    assert check_year(1995) == 1995 and check_year(2100) == 2100
    for year in (1994, 2101, True, "2026", 2026.0):
        with pytest.raises(InvalidInputError, match="from 1995 to 2100"):
            check_year(year)


def test_a_due_day_is_a_day_of_the_calendar() -> None:
    with pytest.raises(CalendarRangeError):
        CAL.due_day(datetime(1, 1, 1, tzinfo=VN))
    assert CAL.due_day(datetime(2101, 1, 1, tzinfo=VN)) == date(2100, 12, 31)  # its 24:00
    assert CAL.due_day(datetime(1995, 1, 1, 0, 1, tzinfo=VN)) == date(1995, 1, 1)
    for outside in (datetime(1995, 1, 1, tzinfo=VN), datetime(2101, 1, 1, 0, 1, tzinfo=VN)):
        with pytest.raises(CalendarRangeError, match=r"^due "):
            CAL.due_day(outside)


def test_numbers_in_text_are_bounded_before_they_are_built() -> None:
    assert exact_number("1e1000", what="share", example="'0.5'") == 10**1000
    assert exact_number("1" * 1_000, what="share", example="'0.5'") == int("1" * 1_000)
    assert exact_number(Decimal("0E-999999999"), what="share", example="'0.5'") == 0
    for text in ("1e1001", "1e-1001", "1" * 1_001, Decimal("1e1001")):
        fast(lambda text=text: exact_number(text, what="share", example="'0.5'"),
             InvalidInputError)  # fmt: skip


def test_an_error_about_a_huge_int_does_not_fail_to_print_it() -> None:
    assert shown(10**5000) == "<an int of about 5,000 digits>"
    assert shown("x" * 200).endswith("…") and len(shown("x" * 200)) == 80
    with pytest.raises(InvalidInputError, match="an int of about"):
        CAL.is_working_day(10**5000)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- wrong kinds


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: vietnam_calendar(hours=None), InvalidHoursError),
        (lambda: vietnam_calendar(hours=[1, 2]), InvalidHoursError),
        (lambda: vietnam_calendar(hours="08:00-17:00"), InvalidHoursError),
        (lambda: vietnam_calendar(closures=None), InvalidInputError),
        (lambda: vietnam_calendar(closures=[[]]), InvalidInputError),  # unhashable inside
        (lambda: vietnam_calendar(openings="x"), InvalidInputError),
        (lambda: vietnam_calendar(saturday_desk=True), InvalidHoursError),
        (lambda: vietnam_calendar(saturday_desk=[7]), InvalidHoursError),
        (lambda: vietnam_calendar(tz=[]), InvalidInputError),
        (lambda: vietnam_calendar(tz="a" * 5_000), InvalidInputError),
        (lambda: vietnam_calendar(tz="/etc/passwd"), InvalidInputError),
        (lambda: vietnam_calendar(name=[]), InvalidInputError),
        (lambda: vietnam_calendar(first_year="1995"), InvalidInputError),
        (lambda: WorkingCalendar(OfficeHours.standard(), desk_hours="x"), InvalidInputError),
        (lambda: WorkingCalendar(OfficeHours.standard(), name=5), InvalidInputError),
        (lambda: CAL.with_hours(None, from_date=MONDAY), InvalidHoursError),
        (lambda: CAL.with_hours(OfficeHours.standard(), from_date=MONDAY, source=5),
         InvalidHoursError),
        (lambda: CAL.with_closures("2026-03-02"), InvalidInputError),
        (lambda: HoursChange(MONDAY, "08:00-17:00"), InvalidHoursError),
        (lambda: Session.parse(None), InvalidHoursError),
        (lambda: Session.parse(date(2026, 1, 1)), InvalidHoursError),
        (lambda: Session(8, 17), InvalidHoursError),
        (lambda: OfficeHours(None), InvalidHoursError),
        (lambda: OfficeHours([5] * 7), InvalidHoursError),
        (lambda: OfficeHours.weekdays(None), InvalidHoursError),
        (lambda: OfficeHours.standard().with_day(7), InvalidHoursError),
        (lambda: OfficeHours.standard().sessions_on(-1), InvalidHoursError),  # not Sunday
        (lambda: OfficeHours.standard().sessions_on(10**30), InvalidHoursError),
        (lambda: Closure(date.max, reason="r", source="s").days().__next__(), None),
        (lambda: Opening(MONDAY, reason="r", source="s", sessions=5), InvalidHoursError),
        (lambda: DayReason("holiday", "x"), InvalidInputError),
        (lambda: DayInfo(MONDAY, True, (), ()), InvalidInputError),
        (lambda: OfficialDay("2026-01-01", None), InvalidInputError),
        (lambda: Swap("2026-01-02", None, "n", "e", "s"), InvalidInputError),
        (lambda: weekday_vi(None), InvalidInputError),
        (lambda: format_instant("2026-03-02"), InvalidInputError),
        (lambda: format_duration(None), InvalidInputError),
        (lambda: format_duration(timedelta(1), 0), InvalidInputError),
        (lambda: explain_due(None, MONDAY_9, timedelta(hours=1)), InvalidInputError),
        (lambda: WorkingDays(1).due(None, MONDAY_9), InvalidInputError),
        (lambda: CalendarDays(1).due(MONDAY_9, CAL), InvalidInputError),  # swapped
        (lambda: WorkingDays(1).on("cal"), InvalidInputError),
        (lambda: BoundBudget(5, CAL), BudgetError),
        (lambda: BudgetSum(5), BudgetError),
        (lambda: BudgetSum([WorkingDays(1), "2 days"]), BudgetError),
        (lambda: SameWorkingDay(after_cutoff="next"), BudgetError),
        (lambda: SameWorkingDay(rule="desk"), BudgetError),
        (lambda: SameWorkingDay().bind(None), BudgetError),
        (lambda: SameDayRule(time(15), 60, citation=5), BudgetError),
        (lambda: parse_budget(None), BudgetError),
        (lambda: aware("2026-03-02"), InvalidInputError),
    ],
)
def test_wrong_kinds_are_typed_errors(
    call: Callable[[], object], error: type[Exception] | None
) -> None:
    if error is None:  # no error: date.max is a day like any other
        assert call() == date.max
        return
    with pytest.raises(error):
        call()


# ----------------------------------------------------------------------------- anything at all


def anything() -> st.SearchStrategy[Any]:
    """Values of every kind an entry point may be handed by mistake or by malice."""
    offsets = st.sampled_from([VN, timezone.utc, PLUS_14, MINUS_12])
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(),
        st.decimals(),
        st.fractions(),
        st.text(max_size=12),
        st.binary(max_size=4),
        st.dates(),
        st.datetimes(),  # naive
        st.datetimes(timezones=offsets),
        st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2100, 12, 31),
                     timezones=offsets),
        st.timedeltas(),
        st.times(),
        st.complex_numbers(),
        st.lists(st.integers(), max_size=3),
        st.sampled_from([
            *EDGE_INSTANTS, date.min, date.max, timedelta.max, timedelta.min,
            Decimal("Infinity"), Decimal("sNaN"), "1e999999999", "NaN", "08:00-12:00",
            "2026-03-02", 10**30, -(10**30), 10**5000, object(), MONDAY, MONDAY_9,
            OfficeHours.standard(), AfterCutoff.NEXT_DAY, DESK_TRANSFER_RULE, CAL,
            WorkingDays(1), Closure(MONDAY, reason="r", source="s"),
        ]),
    )  # fmt: skip


def _result(kind: type | tuple[type, ...]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, kind)


def _is_bool(value: Any) -> bool:
    return type(value) is bool


# (name, callable, number of arguments, check of a result)
ENTRY_POINTS: list[tuple[str, Callable[..., Any], int, Callable[[Any], bool]]] = [
    ("is_working_day", CAL.is_working_day, 1, _is_bool),
    ("sessions_on", CAL.sessions_on, 1, _result(tuple)),
    ("add_working_days", CAL.add_working_days, 2, lambda d: type(d) is date),
    ("count_working_days", CAL.count_working_days, 2, lambda n: type(n) is int),
    ("working_days", CAL.working_days, 2, _result(list)),
    ("is_working_time", CAL.is_working_time, 1, _is_bool),
    ("next_opening", CAL.next_opening, 1, _result(datetime)),
    ("is_desk_open", DESK.is_desk_open, 1, _is_bool),
    ("working_time_between", CAL.working_time_between, 2, _result(timedelta)),
    ("position", CAL.position, 1, lambda n: type(n) is int and n >= 0),
    ("instant_at", CAL.instant_at, 1, _result(datetime)),
    ("day_end_position", CAL.day_end_position, 1, lambda n: type(n) is int),
    ("due_day", CAL.due_day, 1, lambda d: type(d) is date),
    ("day_opening", CAL.day_opening, 1, lambda d: d is None or isinstance(d, datetime)),
    ("day_closing", CAL.day_closing, 1, lambda d: d is None or isinstance(d, datetime)),
    ("add_working_time", CAL.add_working_time, 2, _result(datetime)),
    ("add_calendar_days", CAL.add_calendar_days, 2, _result(datetime)),
    ("add_calendar_days at_close", lambda e, c: CAL.add_calendar_days(MONDAY, 3, at_close=c),
     2, _result(datetime)),
    ("add_months", CAL.add_months, 2, _result(datetime)),
    ("explain", CAL.explain, 1, _result(DayInfo)),
    ("notable_days", CAL.notable_days, 2, _result(list)),
    ("to_local", CAL.to_local, 1, _result(datetime)),
    ("with_closures", CAL.with_closures, 1, _result(WorkingCalendar)),
    ("with_openings", CAL.with_openings, 1, _result(WorkingCalendar)),
    ("with_hours", lambda h, d: CAL.with_hours(h, from_date=d), 2, _result(WorkingCalendar)),
    ("explain_due", lambda s, a: explain_due(CAL, s, a), 2, lambda e: str(e) != ""),
    ("format_instant", format_instant, 1, _result(str)),
    ("format_duration", format_duration, 2, _result(str)),
    ("weekday_vi", weekday_vi, 1, _result(str)),
    ("vietnam_official_days", vietnam_official_days, 2, _result(tuple)),
    ("vietnam_calendar tz", lambda tz: vietnam_calendar(tz=tz, first_year=2026,
                                                        last_year=2026), 1,
     _result(WorkingCalendar)),
    ("vietnam_calendar hours", lambda h: vietnam_calendar(hours=h, first_year=2026,
                                                          last_year=2026), 1,
     _result(WorkingCalendar)),
    ("vietnam_calendar closures", lambda c: vietnam_calendar(closures=c), 1,
     _result(WorkingCalendar)),
    ("vietnam_calendar desk", lambda d: vietnam_calendar(saturday_desk=d), 1,
     _result(WorkingCalendar)),
    ("vietnam_calendar years", lambda a, b: vietnam_calendar(first_year=a, last_year=b), 2,
     _result(WorkingCalendar)),
    ("Session", Session, 2, _result(Session)),
    ("Session.parse", Session.parse, 1, _result(Session)),
    ("OfficeHours", OfficeHours, 1, _result(OfficeHours)),
    ("OfficeHours.weekdays", OfficeHours.weekdays, 2, _result(OfficeHours)),
    ("with_day", OfficeHours.standard().with_day, 2, _result(OfficeHours)),
    ("sessions_on weekday", OfficeHours.standard().sessions_on, 1, _result(tuple)),
    ("HoursChange", HoursChange, 2, _result(HoursChange)),
    ("Closure", lambda a, b: Closure(a, b, reason="r", source="s"), 2, _result(Closure)),
    ("Opening", lambda d, s: Opening(d, reason="r", source="s", sessions=s), 2,
     _result(Opening)),
    ("DayReason", DayReason, 2, _result(DayReason)),
    ("check_year", check_year, 1, lambda y: type(y) is int),
    ("WorkingDays", WorkingDays, 1, lambda b: 0 <= b.minutes <= 480 * MAX_AMOUNT),
    ("WorkingHours", WorkingHours, 1, lambda b: 0 <= b.minutes <= 60 * MAX_AMOUNT),
    ("CalendarDays", CalendarDays, 1, lambda b: 0 <= b.days <= MAX_AMOUNT),
    ("Months", Months, 1, lambda b: 0 <= b.months <= MAX_AMOUNT),
    ("parse_budget", parse_budget, 1, _result(Budget)),
    ("SameDayRule", SameDayRule, 2, _result(SameDayRule)),
    ("SameWorkingDay", SameWorkingDay, 2, _result(SameWorkingDay)),
    ("bind", SameWorkingDay().bind, 1, _result(SameWorkingDay)),
    ("BudgetSum", BudgetSum, 1, _result(BudgetSum)),
    ("BoundBudget", BoundBudget, 2, _result(BoundBudget)),
    ("WorkingDays.due", WorkingDays(3).due, 2, _result(datetime)),
    ("WorkingHours.due", lambda s: WorkingHours(3).due(CAL, s), 1, _result(datetime)),
    ("CalendarDays.due", lambda s: CalendarDays(30).due(CAL, s), 1, _result(datetime)),
    ("Months.due", lambda s: Months(3).due(CAL, s), 1, _result(datetime)),
    ("SameWorkingDay.due", lambda s: SameWorkingDay().due(CAL, s), 1, _result(datetime)),
    ("on", WorkingDays(1).on, 1, _result(BoundBudget)),
    ("start + bound", lambda s: s + WorkingDays(1).on(CAL), 1, _result(datetime)),
    ("exact_number", lambda v: exact_number(v, what="share", example="'0.5'"), 1,
     _result(Fraction)),
    ("aware", aware, 1, _result(datetime)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "call", "arity", "check"), ENTRY_POINTS, ids=[e[0] for e in ENTRY_POINTS]
)
@settings(max_examples=60)
@given(data=st.data())
def test_anything_is_a_typed_error_or_a_sound_result(
    name: str, call: Callable[..., Any], arity: int, check: Callable[[Any], bool],
    data: st.DataObject,
) -> None:  # fmt: skip
    arguments = [data.draw(anything(), label=f"argument {n}") for n in range(arity)]
    try:
        result = call(*arguments)
    except TthcFlowError:
        return
    assert check(result), f"{name}{tuple(arguments)!r} gave {result!r}"


@settings(max_examples=200)
@given(day=st.dates(), n=st.integers(min_value=-(10**9), max_value=10**9))
def test_working_days_out_and_back_or_a_range_error(day: date, n: int) -> None:
    try:
        end = CAL.add_working_days(day, n)
    except CalendarRangeError:
        inside = CAL.first_day <= day <= CAL.last_day
        if inside and n > 0:
            assert n > CAL.count_working_days(day, CAL.last_day)
        return
    if n:
        assert CAL.count_working_days(day, end) == n


@settings(max_examples=200)
@given(
    value=st.one_of(
        st.integers(min_value=0, max_value=2 * MAX_AMOUNT),
        st.decimals(min_value=0, max_value=2 * MAX_AMOUNT, places=3),
        st.fractions(min_value=0, max_value=2 * MAX_AMOUNT, max_denominator=960),
    )
)
def test_a_working_budget_is_exactly_its_amount_or_a_budget_error(value: Any) -> None:
    try:
        budget = WorkingDays(value)
    except BudgetError:
        amount = Fraction(value)
        assert amount > MAX_AMOUNT or (amount * 480).denominator != 1
        return
    assert budget.days == Fraction(value) and budget.minutes <= 480 * MAX_AMOUNT
    assert WorkingDays(str(value)) == budget


def test_a_clock_due_at_the_calendars_first_instant_is_classed() -> None:
    # 00:00 of the calendar's first day is the 24:00 of a day the calendar does not hold:
    # a finish at that instant is on time, one after it overdue (found by a property test:
    # a consultation given no time, asked and answered at that instant).
    due = datetime.combine(CAL.first_day, time(0), VN)
    assert classify(due, due, CAL) is ResultClass.ON_TIME
    assert classify(due + timedelta(minutes=1), due, CAL) is ResultClass.OVERDUE

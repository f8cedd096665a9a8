"""Every boundary rule of the calendar, pinned on real dates.

March 2026 is an ordinary month (no holiday): Mon 2, Tue 3, … Fri 6, Sat 7, Sun 8.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tthc_flow.calendar import (
    SUNDAY,
    Closure,
    HoursChange,
    OfficeHours,
    Opening,
    Session,
    WorkingCalendar,
    vietnam_calendar,
)
from tthc_flow.errors import (
    CalendarRangeError,
    ConflictingDayError,
    InvalidHoursError,
    InvalidInputError,
    NaiveDatetimeError,
    TthcFlowError,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0, second: int = 0, us: int = 0) -> datetime:
    """An instant in March 2026, Hà Nội time."""
    return datetime(2026, 3, day, hour, minute, second, us, tzinfo=VN)


H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (at(2, 8), True),  # a session contains its start
        (at(2, 7, 59, 59, 999999), False),
        (at(2, 11, 59, 59, 999999), True),
        (at(2, 12), False),  # … and not its end
        (at(2, 12, 30), False),  # lunch
        (at(2, 13), True),
        (at(2, 16, 59), True),
        (at(2, 17), False),  # 17:00 sharp is after hours
        (at(2, 0), False),  # midnight
        (at(7, 10), False),  # Saturday
    ],
)
def test_is_working_time_sessions_are_half_open(
    cal: WorkingCalendar, instant: datetime, expected: bool
) -> None:
    assert cal.is_working_time(instant) is expected


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (at(2, 10, 15), at(2, 10, 15)),  # inside a session: itself
        (at(2, 8), at(2, 8)),
        (at(2, 12), at(2, 13)),  # 12:00 sharp: the afternoon session
        (at(2, 17), at(3, 8)),  # 17:00 sharp: next morning
        (at(2, 6, 30), at(2, 8)),
        (at(6, 17), at(9, 8)),  # Friday evening: Monday
        (at(7, 10), at(9, 8)),  # Saturday
        (datetime(2026, 2, 13, 17, 0, tzinfo=VN), datetime(2026, 2, 23, 8, 0, tzinfo=VN)),  # Tết
    ],
)
def test_next_opening(cal: WorkingCalendar, instant: datetime, expected: datetime) -> None:
    assert cal.next_opening(instant) == expected


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        (at(2, 10), 24 * H, at(5, 10)),  # 3 working days from Mon 10:00 is Thu 10:00
        (at(2, 8), 8 * H, at(2, 17)),  # ends exactly at 17:00: 17:00, not 08:00 next day
        (at(2, 9), 7 * H, at(2, 17)),
        (at(2, 9), 8 * H, at(3, 9)),  # lunch is not working time
        (at(2, 8), 4 * H, at(2, 12)),  # ends exactly at 12:00: 12:00, not 13:00
        (at(2, 8), 4 * H + timedelta(minutes=1), at(2, 13, 1)),
        (at(2, 12, 30), H, at(2, 14)),  # a start at lunch behaves as 13:00
        (at(6, 16), 2 * H, at(9, 9)),  # over the weekend
        (at(7, 10), H, at(9, 9)),  # a start on Saturday behaves as Monday 08:00
        (at(7, 10), timedelta(0), at(7, 10)),  # zero: the start itself, even off hours
        (at(2, 10, 0, 30), H, at(2, 11, 0, 30)),  # seconds are kept exactly
        (at(2, 17), timedelta(minutes=1), at(3, 8, 1)),
    ],
)
def test_add_working_time(
    cal: WorkingCalendar, start: datetime, amount: timedelta, expected: datetime
) -> None:
    assert cal.add_working_time(start, amount) == expected


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        (at(3, 13), -4 * H, at(3, 8)),  # latest instant: 08:00 (13:00 − 4 h of work)
        (at(3, 12), -4 * H, at(3, 8)),
        (at(3, 8), -H, at(2, 16)),
        (at(3, 14), -H, at(3, 13)),  # lands on a session start, not 12:00
        (at(9, 8), -8 * H, at(6, 8)),  # back over the weekend
    ],
)
def test_add_working_time_backwards(
    cal: WorkingCalendar, start: datetime, amount: timedelta, expected: datetime
) -> None:
    assert cal.add_working_time(start, amount) == expected


def test_results_are_in_the_calendar_zone_whatever_the_input_zone(cal: WorkingCalendar) -> None:
    start_utc = datetime(2025, 4, 25, 9, 0, tzinfo=timezone.utc)  # 16:00 in Hà Nội
    due = cal.add_working_time(start_utc, 24 * H)
    assert due == datetime(2025, 4, 29, 16, 0, tzinfo=VN)
    assert due.utcoffset() == timedelta(hours=7)
    assert cal.add_working_time(start_utc, timedelta(0)).utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(2, 8), at(2, 17), 8 * H),
        (at(2, 11), at(2, 14), 2 * H),  # lunch excluded
        (at(6, 17), at(9, 8), timedelta(0)),  # Friday evening to Monday morning
        (at(6, 16), at(9, 9), 2 * H),
        (at(2, 17), at(2, 8), -8 * H),  # reversed: negative
        (at(2, 10), at(2, 10), timedelta(0)),
        (at(2, 10), at(2, 10, 0, 0, 1), timedelta(microseconds=1)),
    ],
)
def test_working_time_between(
    cal: WorkingCalendar, start: datetime, end: datetime, expected: timedelta
) -> None:
    assert cal.working_time_between(start, end) == expected


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Fri + 1 = Mon
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # Sat + 1 = Mon: the start day is not counted
        (date(2026, 3, 2), 0, date(2026, 3, 2)),  # n = 0 on a working day: itself
        (date(2026, 3, 7), 0, date(2026, 3, 9)),  # n = 0 on a rest day: the next working day
        (date(2026, 3, 9), -1, date(2026, 3, 6)),  # negative counts back
        (date(2026, 3, 8), -1, date(2026, 3, 6)),  # Sun − 1 = Fri
        (date(2026, 3, 2), 5, date(2026, 3, 9)),
    ],
)
def test_add_working_days(cal: WorkingCalendar, day: date, n: int, expected: date) -> None:
    assert cal.add_working_days(day, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 3, 6), date(2026, 3, 9), 1),  # (Fri, Mon]: Monday only
        (date(2026, 3, 2), date(2026, 3, 2), 0),
        (date(2026, 3, 2), date(2026, 3, 6), 4),  # start excluded, end included
        (date(2026, 3, 7), date(2026, 3, 8), 0),
        (date(2026, 3, 9), date(2026, 3, 6), -1),  # reversed: minus the days in [end, start)
        (date(2026, 3, 8), date(2026, 3, 6), -1),
    ],
)
def test_count_working_days(cal: WorkingCalendar, start: date, end: date, expected: int) -> None:
    assert cal.count_working_days(start, end) == expected


def test_date_questions_accept_aware_datetimes_as_their_local_date(cal: WorkingCalendar) -> None:
    # 2026-03-06 20:00 UTC is Saturday 03:00 in Hà Nội.
    late_friday_utc = datetime(2026, 3, 6, 20, 0, tzinfo=timezone.utc)
    assert not cal.is_working_day(late_friday_utc)
    assert cal.add_working_days(late_friday_utc, 1) == date(2026, 3, 9)


def test_calendar_day_period_boundaries(cal: WorkingCalendar) -> None:
    # n = 0: the event's own day is the last day.
    assert cal.add_calendar_days(date(2026, 3, 4), 0) == at(5, 0)
    # The start day is not counted: 3 days after Wed 4/3 is Sat 7/3 → next working day Mon 9/3.
    assert cal.add_calendar_days(date(2026, 3, 4), 3) == at(10, 0)
    assert cal.add_calendar_days(date(2026, 3, 4), 3, at_close=True) == at(9, 17)
    # An instant is read as its local date, whatever its time.
    assert cal.add_calendar_days(at(4, 23, 59), 1) == at(6, 0)
    with pytest.raises(InvalidInputError):
        cal.add_calendar_days(date(2026, 3, 4), -1)


# ------------------------------------------------------------------ hours of provinces


def test_provincial_hours_and_a_saturday_desk() -> None:
    cal = vietnam_calendar(
        hours=OfficeHours.weekdays("07:30-11:30", "13:00-17:00"), saturday_desk="07:30-11:30"
    )
    assert cal.is_working_time(at(2, 7, 30))
    assert not cal.is_working_time(at(2, 11, 30))
    assert cal.add_working_time(at(2, 7, 30), 8 * H) == at(2, 17)
    assert cal.add_working_time(at(2, 11), H) == at(2, 13, 30)
    # The Saturday desk receives, but its hours are not working time.
    assert cal.is_desk_open(at(7, 8))
    assert not cal.is_working_time(at(7, 8))
    assert not cal.is_desk_open(at(7, 12))
    assert cal.working_time_between(at(7, 8), at(7, 11)) == timedelta(0)
    # … and it stays shut when the Saturday is a holiday (30/4/2022 fell on a Saturday).
    assert not cal.is_desk_open(datetime(2022, 4, 30, 8, 0, tzinfo=VN))
    # Without a Saturday desk, the desk keeps office hours.
    assert not vietnam_calendar().is_desk_open(at(7, 8))


def test_hours_that_change_from_a_date() -> None:
    summer = OfficeHours.weekdays("07:00-11:00", "13:30-17:30")
    base = vietnam_calendar(first_year=2025, last_year=2027)
    cal = base.with_hours(summer, from_date=date(2026, 3, 4), source="illustrative decision")
    assert cal.sessions_on(date(2026, 3, 3)) == (
        Session("08:00", "12:00"),
        Session("13:00", "17:00"),
    )
    assert cal.sessions_on(date(2026, 3, 4)) == (
        Session("07:00", "11:00"),
        Session("13:30", "17:30"),
    )
    # Tue 3/3 16:00 + 2 h: 1 h on Tuesday (to 17:00), then 1 h from 07:00 on Wednesday.
    assert cal.add_working_time(at(3, 16), 2 * H) == at(4, 8)
    assert base.sessions_on(date(2026, 3, 4))[0].start == time(8, 0)  # base unchanged
    assert cal.explain(date(2026, 3, 4)).reasons[0].source == "illustrative decision"

    history = (
        HoursChange(date.min, OfficeHours.standard()),
        HoursChange(date(2026, 3, 4), summer),
    )
    assert vietnam_calendar(hours=history, first_year=2025, last_year=2027) == cal


def test_a_make_up_saturday_gets_weekday_hours() -> None:
    cal = vietnam_calendar(hours=OfficeHours.weekdays("07:30-11:30", "13:00-17:00"))
    assert cal.sessions_on(date(2025, 4, 26)) == (
        Session("07:30", "11:30"),
        Session("13:00", "17:00"),
    )


# ------------------------------------------------------------------ local decisions


def test_closures_and_openings_return_new_calendars(cal: WorkingCalendar) -> None:
    storm = Closure(date(2026, 3, 3), date(2026, 3, 4), reason="Bão (illustrative)", source="x")
    extra = Opening(
        date(2026, 3, 7), reason="Làm thêm (illustrative)", source="y", sessions=("07:30-11:30",)
    )
    changed = cal.with_closures(storm).with_openings(extra)
    assert cal.is_working_day(date(2026, 3, 3))
    assert not changed.is_working_day(date(2026, 3, 3))
    assert not changed.is_working_day(date(2026, 3, 4))
    assert changed.sessions_on(date(2026, 3, 7)) == (Session("07:30", "11:30"),)
    assert not cal.is_working_day(date(2026, 3, 7))
    # Mon 2/3 16:00 + 2 h: 1 h on Monday, Tue–Wed closed, then Thursday 08:00–09:00.
    assert changed.add_working_time(at(2, 16), 2 * H) == at(5, 9)
    info = changed.explain(date(2026, 3, 3))
    assert info.decisive.name == "Bão (illustrative)"
    assert info.decisive.source == "x"
    assert [d.day for d in changed.notable_days(date(2026, 3, 1), date(2026, 3, 31))] == [
        date(2026, 3, 3),
        date(2026, 3, 4),
        date(2026, 3, 7),
    ]


def test_a_local_opening_can_reopen_a_national_day_off(cal: WorkingCalendar) -> None:
    reopened = cal.with_openings(Opening(date(2025, 5, 2), reason="r", source="s"))
    assert reopened.is_working_day(date(2025, 5, 2))
    assert len(reopened.explain(date(2025, 5, 2)).reasons) == 3


def test_closing_and_opening_the_same_day_is_refused(cal: WorkingCalendar) -> None:
    with pytest.raises(ConflictingDayError) as info:
        cal.with_closures(Closure(date(2026, 3, 7), reason="r", source="s")).with_openings(
            Opening(date(2026, 3, 7), reason="r", source="s")
        )
    assert info.value.day == date(2026, 3, 7)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Closure(date(2026, 3, 3), reason="", source="s"),
        lambda: Closure(date(2026, 3, 3), reason="r", source="  "),
        lambda: Closure(date(2026, 3, 3), date(2026, 3, 2), reason="r", source="s"),
        lambda: Closure(datetime(2026, 3, 3, tzinfo=VN), reason="r", source="s"),
        lambda: Opening(date(2026, 3, 7), reason="r", source=""),
    ],
)
def test_bad_local_decisions_are_refused(make: object) -> None:
    with pytest.raises(InvalidInputError):
        make()  # type: ignore[operator]


def test_closures_outside_the_calendar_are_refused() -> None:
    cal = vietnam_calendar(first_year=2025, last_year=2026)
    with pytest.raises(CalendarRangeError):
        cal.with_closures(Closure(date(2027, 1, 4), reason="r", source="s"))


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.is_working_time(datetime(2026, 3, 2, 9)),
        lambda c: c.next_opening(datetime(2026, 3, 2, 9)),
        lambda c: c.add_working_time(datetime(2026, 3, 2, 9), H),
        lambda c: c.working_time_between(datetime(2026, 3, 2, 9), at(2, 10)),
        lambda c: c.working_time_between(at(2, 10), datetime(2026, 3, 2, 9)),
        lambda c: c.is_working_day(datetime(2026, 3, 2, 9)),
        lambda c: c.add_calendar_days(datetime(2026, 3, 2, 9), 3),
    ],
)
def test_naive_datetimes_are_refused(cal: WorkingCalendar, call: object) -> None:
    with pytest.raises(NaiveDatetimeError) as info:
        call(cal)  # type: ignore[operator]
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, TthcFlowError)
    assert "time zone" in str(info.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.is_working_day(date(1994, 12, 31)),
        lambda c: c.is_working_day(date(2101, 1, 1)),
        lambda c: c.add_working_days(date(2100, 12, 30), 5),
        lambda c: c.add_working_days(date(1995, 1, 3), -5),
        lambda c: c.add_working_time(datetime(2100, 12, 31, 16, tzinfo=VN), 8 * H),
        lambda c: c.add_working_time(datetime(1995, 1, 3, 9, tzinfo=VN), -80 * H),
        lambda c: c.next_opening(datetime(2100, 12, 31, 17, tzinfo=VN)),
        lambda c: c.add_calendar_days(date(2100, 12, 20), 30),
        lambda c: c.add_months(date(2100, 12, 20), 1),
    ],
)
def test_outside_1995_2100_is_a_clear_error(cal: WorkingCalendar, call: object) -> None:
    with pytest.raises(CalendarRangeError) as info:
        call(cal)  # type: ignore[operator]
    assert "1995-01-01" in str(info.value)
    assert "2100-12-31" in str(info.value)


@pytest.mark.parametrize("year", [1994, 2101, "2026", 2026.0])
def test_calendar_years_are_checked(year: object) -> None:
    with pytest.raises(InvalidInputError):
        vietnam_calendar(first_year=year)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add_working_time(at(2, 9), 3),
        lambda c: c.add_working_days(date(2026, 3, 2), 1.5),
        lambda c: c.is_working_day("2026-03-02"),
        lambda c: c.is_working_time(date(2026, 3, 2)),
    ],
)
def test_wrong_types_get_a_typed_error(cal: WorkingCalendar, call: object) -> None:
    with pytest.raises(TthcFlowError):
        call(cal)  # type: ignore[operator]


@pytest.mark.parametrize(
    "make",
    [
        lambda: Session("12:00", "08:00"),
        lambda: Session("08:00", "08:00"),
        lambda: Session("8h", "12:00"),
        lambda: Session(time(8, 0, 30), time(12, 0)),
        lambda: Session.parse("08:00"),
        # Digits that int() reads but an office-hours table never holds.
        lambda: OfficeHours.weekdays("\u0660\u0668:00-12:00"),
        lambda: OfficeHours.weekdays("0_8:00-12:00"),
        lambda: OfficeHours.weekdays("+8:00-12:00"),
        lambda: Session("8: 00", "12:00"),
        lambda: OfficeHours.weekdays("08:00-12:00", "11:00-17:00"),
        lambda: OfficeHours(weekly=((),) * 7),
        lambda: OfficeHours(weekly=((),) * 6),
        lambda: OfficeHours.standard().with_day(7, "08:00-12:00"),
        lambda: vietnam_calendar(hours=()),
        lambda: vietnam_calendar(hours=(HoursChange(date(2026, 1, 1), OfficeHours.standard()),)),
    ],
)
def test_bad_hours_are_refused(make: object) -> None:
    with pytest.raises(InvalidHoursError):
        make()  # type: ignore[operator]


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        vietnam_calendar(tz="Asia/Sai_Gon")


def test_calendars_are_frozen_values(cal: WorkingCalendar) -> None:
    with pytest.raises(AttributeError):
        cal.tz = ZoneInfo("UTC")  # type: ignore[misc]
    assert vietnam_calendar() == cal
    assert hash(vietnam_calendar()) == hash(cal)


# ------------------------------------------------------------------ zones that move their clocks

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("night", "tz"),
    [
        ("00:00-04:00", "Europe/London"),  # 29/3/2026: 01:00 becomes 02:00
        ("00:30-03:00", "America/New_York"),  # 8/3/2026: 02:00 becomes 03:00
        # Ramadan: 03:00 becomes 02:00 on 15/2/2026 and back on 22/3, between any two of
        # the quarter days a coarser scan would read.
        ("00:00-04:00", "Africa/Casablanca"),
    ],
)
def test_a_session_the_clocks_jump_through_is_refused(night: str, tz: str) -> None:
    # On the night summer time starts, 00:00–04:00 is three real hours, not four: counted on
    # the wall clock it would give an hour that never passed.
    hours = OfficeHours.weekdays("08:00-17:00").with_day(SUNDAY, night)
    with pytest.raises(InvalidHoursError, match=r"clocks of .* change during the session"):
        vietnam_calendar(tz=tz, first_year=2026, last_year=2026, hours=hours)
    # The same hours in a zone with a fixed offset are fine.
    vietnam_calendar(tz=timezone(timedelta(hours=-5)), first_year=2026, last_year=2026,
                     hours=hours)  # fmt: skip


def test_office_hours_clear_of_the_change_keep_real_time_in_a_summer_time_zone() -> None:
    cal = vietnam_calendar(tz="Europe/London", first_year=2026, last_year=2026)
    # Fri 27/3 16:00 GMT + 2 working hours: 1 h on Friday, then Monday 30/3 08:00 BST + 1 h.
    friday = datetime(2026, 3, 27, 16, tzinfo=LONDON)
    due = cal.add_working_time(friday, timedelta(hours=2))
    assert due == datetime(2026, 3, 30, 9, tzinfo=LONDON)
    assert due.astimezone(timezone.utc) == datetime(2026, 3, 30, 8, tzinfo=timezone.utc)
    assert cal.working_time_between(friday, due) == timedelta(hours=2)

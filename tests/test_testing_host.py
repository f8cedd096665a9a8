"""The kit used as a host would use it: two deliberately buggy host integrations are caught,
and Hypothesis shrinks each failure to a minimal counterexample.

A host (case-management software embedding the engine) prints the due date on the receipt
(ngày hẹn trả kết quả) with its own code. The property: for any procedure and any receipt
instant, the host's due date is the engine's legal due date. Procedures published with a
budget of "0 ngày làm việc" follow the same-day rule (Decree 118/2025 Art. 18(2)), a rule of
their own: the buggy hosts below are about working time, so they are given procedures with
some.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc_flow.calendar import WorkingCalendar, vietnam_calendar
from tthc_flow.engine import Case, Procedure, ProcedureKind, WorkingDays
from tthc_flow.testing import calendars, instants, procedures, working_hours

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = vietnam_calendar(first_year=2024, last_year=2027)
SESSIONS = ((time(8), time(12)), (time(13), time(17)))
FIRST, LAST = date(2025, 1, 1), date(2026, 12, 31)
ANY_PROCEDURE = procedures(
    kind=ProcedureKind.ONE_STOP, min_steps=2, max_steps=5, loops=False, branches=False,
    pauses=False, adjustments=False,
)  # fmt: skip
HOST_PROCEDURES = ANY_PROCEDURE.filter(lambda p: p.total.minutes > 0)  # type: ignore[union-attr]
SHRINKING = settings(
    max_examples=300, database=None, derandomize=True, deadline=None,
    report_multiple_bugs=False, suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip


def weekday_host_due(received: datetime, minutes: int) -> datetime:
    """The buggy host: Monday to Friday 08:00–12:00 and 13:00–17:00, and nothing else: no
    holidays, no swapped days off, no make-up Saturdays."""
    t = received.astimezone(VN)
    left = timedelta(minutes=minutes)
    if not left:
        return t
    while True:
        if t.weekday() < 5:
            for start, end in SESSIONS:
                begin = max(t, datetime.combine(t.date(), start, VN))
                close = datetime.combine(t.date(), end, VN)
                if begin < close:
                    if left <= close - begin:
                        return begin + left
                    left -= close - begin
        t = datetime.combine(t.date() + timedelta(days=1), time(0), VN)


def calendar_day_host_due(received: datetime, minutes: int) -> datetime:
    """The other buggy host: reads "n ngày làm việc" (working days) as n calendar days."""
    return received + timedelta(days=minutes / 480)


def same_day_due(calendar: WorkingCalendar, received: datetime) -> datetime:
    """A correct host's same-day rule, written from Decree 118/2025 Art. 18(2) and the rule
    pack's reading of "đầu giờ" as the first working hour: received on a working day by
    15:00 (and before the close), due at the day's close; otherwise an hour after the next
    working day opens."""
    local = received.astimezone(calendar.tz)
    sessions = calendar.sessions_on(local.date())
    if sessions:
        close = datetime.combine(local.date(), sessions[-1].end, calendar.tz)
        if local.time() <= time(15) and local < close:
            return close
    following = calendar.add_working_days(local.date(), 1)
    opening = datetime.combine(following, calendar.sessions_on(following)[0].start, calendar.tz)
    return calendar.add_working_time(opening, timedelta(hours=1))


def correct_host_due(calendar: WorkingCalendar, received: datetime, minutes: int) -> datetime:
    if minutes == 0:
        return same_day_due(calendar, received)
    return calendar.add_working_time(received, timedelta(minutes=minutes))


def engine_due(procedure: Procedure, received: datetime) -> datetime:
    case = Case.open(procedure, case_id="HOST", received_at=received, actor="Lan",
                     unit=procedure.first.unit, calendar=CAL)  # fmt: skip
    due = case.legal_clock().due
    assert due is not None
    return due


def reported(error: AssertionError) -> bool:
    """Hypothesis names the shrunk example in a note on the error it raises."""
    notes = getattr(error, "__notes__", [])
    return any(
        note.startswith(("Falsifying example", "Failing test case"))
        and "host_prints_the_engine_due(" in note
        for note in notes
    )


def _run(host: object) -> tuple[AssertionError, list[tuple[Procedure, datetime]]]:
    seen: list[tuple[Procedure, datetime]] = []

    @SHRINKING
    @given(procedure=HOST_PROCEDURES, received=instants(CAL, min_value=FIRST, max_value=LAST))
    def host_prints_the_engine_due(procedure: Procedure, received: datetime) -> None:
        seen.append((procedure, received))
        minutes = procedure.total.minutes  # type: ignore[union-attr]
        assert host(received, minutes) == engine_due(procedure, received)  # type: ignore[operator]

    with pytest.raises(AssertionError) as info:
        host_prints_the_engine_due()
    return info.value, seen


def test_a_host_that_ignores_holidays_and_make_up_days_is_caught_and_shrunk() -> None:
    error, seen = _run(weekday_host_due)
    # Hypothesis reports the example it shrank to, and runs it last.
    assert reported(error)
    procedure, received = seen[-1]
    # Minimal: the fewest steps a one-stop procedure has, and the smallest budget that is not
    # zero (a quarter of a working day: 120 minutes). With no budget at all, both agree.
    assert len(procedure.steps) == 2
    assert procedure.total == WorkingDays("0.25")
    # The reason is in the calendar: between the receipt and the true due date lies a weekday
    # that is not worked (a holiday, a swapped day off) or a Saturday that is (ngày làm bù).
    due = engine_due(procedure, received)
    day, last = received.astimezone(VN).date(), due.astimezone(VN).date()
    odd = []
    while day <= last:
        if CAL.is_working_day(day) != (day.weekday() < 5):
            odd.append(day)
        day += timedelta(days=1)
    assert odd, (received, due)


def test_a_host_counting_calendar_days_is_caught_and_shrunk() -> None:
    error, seen = _run(calendar_day_host_due)
    assert reported(error)
    procedure, received = seen[-1]
    assert len(procedure.steps) == 2
    assert procedure.total == WorkingDays("0.25")
    # Six calendar hours instead of two working hours.
    assert calendar_day_host_due(received, 120) - received == timedelta(hours=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(procedure=ANY_PROCEDURE, received=instants(CAL, min_value=FIRST, max_value=LAST))
def test_a_correct_host_passes(procedure: Procedure, received: datetime) -> None:
    """The same property with a host that asks the calendar (and knows the same-day rule):
    no counterexample."""
    minutes = procedure.total.minutes  # type: ignore[union-attr]
    assert correct_host_due(CAL, received, minutes) == engine_due(procedure, received)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    calendar=calendars(min_year=2025, max_year=2026, hours=working_hours(realistic=True)),
    procedure=ANY_PROCEDURE,
    data=st.data(),
)
def test_a_correct_host_passes_on_provincial_calendars(
    calendar: WorkingCalendar, procedure: Procedure, data: st.DataObject
) -> None:
    """Local closures (storms), local extra days and hours that change: a host that asks the
    calendar it was given still agrees with the engine."""
    received = data.draw(instants(calendar, max_value=date(2026, 6, 30)))
    case = Case.open(procedure, case_id="P", received_at=received, actor="Lan",
                     unit=procedure.first.unit, calendar=calendar)  # fmt: skip
    minutes = procedure.total.minutes  # type: ignore[union-attr]
    assert case.legal_clock().due == correct_host_due(calendar, received, minutes)

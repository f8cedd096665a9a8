"""Property tests: ``WorkingCalendar`` against the slow model in ``reference.py``, plus the
algebra its docstrings promise (round trips, monotonicity, additivity, inverses).

Calendars, days and instants come from the testing kit (``tthc_flow.testing``): random weekly
hours (adjacent sessions, sessions from midnight, one-minute sessions), hours that change from
a date, real or invented national days or none, random closures and openings, over 2024–2025
so that each one builds in a few milliseconds; instants on session bounds, at midnight, at
17:00, at random minutes or microseconds, a microsecond off a bound, in other zones. The model
is built from the drawn calendar's public configuration (``Spec.of``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.reference import OPENING_KINDS, Reference, RefRangeError, Spec
from tthc_flow import testing as kit
from tthc_flow.calendar import (
    Closure,
    DayKind,
    OfficeHours,
    Opening,
    WorkingCalendar,
)
from tthc_flow.errors import (
    CalendarRangeError,
    ConflictingDayError,
    NaiveDatetimeError,
    TthcFlowError,
)

T = TypeVar("T")

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST, LAST = date(2024, 1, 1), date(2025, 12, 31)
# Instants of the algebraic properties stay inside this window so that budgets of a few weeks
# do not run off the calendar.
SAFE_FIRST, SAFE_LAST = date(2024, 1, 15), date(2025, 11, 30)
OTHER_ZONES = (
    timezone.utc,
    timezone(timedelta(hours=7)),  # the same offset, another tzinfo object
    timezone(timedelta(hours=-9, minutes=-30)),
    ZoneInfo("Europe/Paris"),  # with daylight saving time
)
US = timedelta(microseconds=1)

SETTINGS = settings(deadline=None, max_examples=120, suppress_health_check=[HealthCheck.too_slow])


# Every combination the model knows: national days or none, invented national decisions,
# hours that change, local closures and openings.
CALENDARS = kit.calendars(
    min_year=2024, max_year=2025, national=None, invented_days=True, changing_hours=True
)


def build(spec: Spec) -> WorkingCalendar:
    return WorkingCalendar(
        hours=spec.hours,
        official=spec.official,
        closures=spec.closures,
        openings=spec.openings,
        tz=spec.tz,
        first_year=spec.first_year,
        last_year=spec.last_year,
    )


def all_hours(spec: Spec) -> list[OfficeHours]:
    if isinstance(spec.hours, OfficeHours):
        return [spec.hours]
    return [change.hours for change in spec.hours]


@dataclass
class Case:
    spec: Spec
    ref: Reference
    cal: WorkingCalendar
    cap_minutes: int  # about four weeks of working time under the leanest hours


@st.composite
def cases(draw: st.DrawFn) -> Case:
    cal = draw(CALENDARS)
    spec = Spec.of(cal)
    # Working minutes of a plain week, under the leanest of the calendar's office hours.
    week = min(
        sum(s.end.hour * 60 + s.end.minute - s.start.hour * 60 - s.start.minute
            for day in change.hours.weekly for s in day)
        for change in cal.hours
    )  # fmt: skip
    return Case(spec, Reference(spec), cal, max(4 * week, 1))


# --------------------------------------------------------------------------- instants, budgets


def local_days(case: Case, *, edges: bool = False) -> st.SearchStrategy[date]:
    """Days of the kit (holidays, make-up days, decisions ± 3 days...); with ``edges``, any
    covered day with the first and last weeks favoured, else inside the safe window."""
    if not edges:
        return kit.days(case.cal, min_value=SAFE_FIRST, max_value=SAFE_LAST)
    return st.one_of(
        kit.days(case.cal),
        kit.days(case.cal, max_value=FIRST + timedelta(days=6)),
        kit.days(case.cal, min_value=LAST - timedelta(days=6)),
    )


def instants(case: Case, *, edges: bool = False) -> st.SearchStrategy[datetime]:
    """Instants of the kit in every zone, to the microsecond; local dates as ``local_days``."""
    if not edges:
        return kit.instants(
            case.cal, min_value=SAFE_FIRST, max_value=SAFE_LAST, other_zones=True, sub_minute=True
        )
    return st.one_of(
        kit.instants(case.cal, other_zones=True, sub_minute=True),
        kit.instants(
            case.cal, max_value=FIRST + timedelta(days=6), other_zones=True, sub_minute=True
        ),
        kit.instants(
            case.cal, min_value=LAST - timedelta(days=6), other_zones=True, sub_minute=True
        ),
    )


@st.composite
def forward_budgets(draw: st.DrawFn, case: Case, start: datetime) -> timedelta:
    """A budget >= 0: random minutes, small ones, ones that end exactly on a session bound,
    some with seconds and microseconds."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        amount = timedelta(minutes=draw(st.integers(0, case.cap_minutes)))
    elif kind == 1:
        amount = timedelta(minutes=draw(st.integers(0, 600)))
    else:
        # the working time up to a session start or end of the next three weeks
        ahead = [b for b in case.ref.boundaries(start, 22) if b >= start]
        end = draw(st.sampled_from(ahead)) if ahead else start
        amount = case.ref.working_time_between(start, end)
    if draw(st.integers(0, 4)) == 0:
        amount += timedelta(
            seconds=draw(st.integers(0, 59)), microseconds=draw(st.integers(0, 999_999))
        )
    return amount


@st.composite
def backward_budgets(draw: st.DrawFn, case: Case, start: datetime) -> timedelta:
    """A budget <= 0, often one that ends exactly on a session bound when counted back."""
    if draw(st.booleans()):
        return -draw(forward_budgets(case, start))
    day = max(case.ref.local_date(start) - timedelta(days=21), FIRST)
    behind = [b for b in case.ref.boundaries(datetime.combine(day, time(0), VN), 22) if b <= start]
    if not behind:
        return timedelta(0)
    return -case.ref.working_time_between(draw(st.sampled_from(behind)), start)


def budgets(case: Case, start: datetime) -> st.SearchStrategy[timedelta]:
    return st.one_of(
        forward_budgets(case, start), backward_budgets(case, start), st.just(timedelta(0))
    )


# --------------------------------------------------------------------------- helpers


def agree(actual: Callable[[], T], expected: Callable[[], T], cal: WorkingCalendar) -> None:
    """The library gives the model's answer, or a CalendarRangeError where the model runs off
    the covered days. Instants must be equal and rendered in the calendar's zone."""
    try:
        want = expected()
    except RefRangeError:
        with pytest.raises(CalendarRangeError):
            actual()
        return
    got = actual()
    assert got == want
    if isinstance(want, datetime):
        assert isinstance(got, datetime)
        assert got.tzinfo is cal.tz
        assert got.isoformat() == want.isoformat()


def add_or_reject(cal: WorkingCalendar, start: datetime, amount: timedelta) -> datetime:
    """``add_working_time``; an example whose result leaves the calendar is skipped (the
    reference test checks those errors)."""
    try:
        return cal.add_working_time(start, amount)
    except CalendarRangeError:
        assume(False)
        raise


# --------------------------------------------------------------------------- 1. the model


@SETTINGS
@given(case=cases())
def test_every_day_and_its_sessions_match_the_model(case: Case) -> None:
    cal = case.cal
    for day, sessions in case.ref.sessions.items():
        assert cal.is_working_day(day) is bool(sessions), day
        assert cal.sessions_on(day) == sessions, day
    assert list(cal) == case.ref.working_days()


@SETTINGS
@given(case=cases(), data=st.data())
def test_day_arithmetic_matches_the_model(case: Case, data: st.DataObject) -> None:
    cal = case.cal
    as_instant = st.sampled_from(["date", "instant"])

    def pick(day: date) -> date | datetime:
        """The day itself, or an aware instant whose local date it is (in any zone)."""
        if data.draw(as_instant) == "date":
            return day
        instant = datetime.combine(day, data.draw(st.times()), tzinfo=VN)
        return instant.astimezone(data.draw(st.sampled_from([VN, *OTHER_ZONES])))

    day = pick(data.draw(local_days(case, edges=True)))
    other = pick(data.draw(local_days(case, edges=True)))
    n = data.draw(st.integers(-40, 40))
    agree(lambda: cal.is_working_day(day), lambda: case.ref.is_working_day(day), cal)
    agree(lambda: cal.add_working_days(day, n), lambda: case.ref.add_working_days(day, n), cal)
    agree(
        lambda: cal.count_working_days(day, other),
        lambda: case.ref.count_working_days(day, other),
        cal,
    )
    span = data.draw(st.one_of(st.integers(0, 10), st.integers(0, 120)))
    at_close = data.draw(st.booleans())
    agree(
        lambda: cal.add_calendar_days(day, span, at_close=at_close),
        lambda: case.ref.add_calendar_days(day, span, at_close=at_close),
        cal,
    )


@SETTINGS
@given(case=cases(), data=st.data())
def test_instant_questions_match_the_model(case: Case, data: st.DataObject) -> None:
    cal = case.cal
    start = data.draw(instants(case, edges=True))
    end = data.draw(instants(case, edges=True))
    agree(lambda: cal.is_working_time(start), lambda: case.ref.is_working_time(start), cal)
    agree(lambda: cal.next_opening(start), lambda: case.ref.next_opening(start), cal)
    agree(
        lambda: cal.working_time_between(start, end),
        lambda: case.ref.working_time_between(start, end),
        cal,
    )


@SETTINGS
@given(case=cases(), data=st.data())
def test_add_working_time_matches_the_model(case: Case, data: st.DataObject) -> None:
    cal = case.cal
    start = data.draw(instants(case, edges=data.draw(st.integers(0, 4)) == 0))
    try:
        amount = data.draw(budgets(case, start))
    except RefRangeError:
        amount = data.draw(st.integers(-600, 600).map(lambda m: timedelta(minutes=m)))
    agree(
        lambda: cal.add_working_time(start, amount),
        lambda: case.ref.add_working_time(start, amount),
        cal,
    )


@SETTINGS
@given(hours=kit.working_hours(), other=kit.working_hours())
def test_a_worked_rest_day_defaults_to_the_first_weekday_with_sessions(
    hours: OfficeHours, other: OfficeHours
) -> None:
    assert hours.worked_rest_day  # never empty once built
    weekly = other.weekly
    assume(any(weekly))
    default = OfficeHours(weekly=tuple(weekly))
    assert default.worked_rest_day == next(day for day in weekly if day)


# --------------------------------------------------------------------------- 2–5. algebra


@SETTINGS
@given(case=cases(), data=st.data())
def test_round_trip(case: Case, data: st.DataObject) -> None:
    """working_time_between(t, add_working_time(t, d)) == d, forward, zero and backward."""
    cal = case.cal
    start = data.draw(instants(case))
    amount = data.draw(budgets(case, start))
    end = add_or_reject(cal, start, amount)
    assert cal.working_time_between(start, end) == amount
    if amount == timedelta(0):
        assert end == start
    else:
        assert (end > start) is (amount > timedelta(0))


@SETTINGS
@given(case=cases(), data=st.data())
def test_monotonic_in_the_budget(case: Case, data: st.DataObject) -> None:
    cal = case.cal
    start = data.draw(instants(case))
    small, large = sorted([data.draw(budgets(case, start)), data.draw(budgets(case, start))])
    assert add_or_reject(cal, start, small) <= add_or_reject(cal, start, large)


@SETTINGS
@given(case=cases(), data=st.data())
def test_monotonic_in_the_start(case: Case, data: st.DataObject) -> None:
    cal = case.cal
    early, late = sorted([data.draw(instants(case)), data.draw(instants(case))])
    amount = data.draw(budgets(case, early))
    assert add_or_reject(cal, early, amount) <= add_or_reject(cal, late, amount)


@SETTINGS
@given(case=cases(), data=st.data())
def test_additive(case: Case, data: st.DataObject) -> None:
    """Two budgets of the same sign in a row are one budget of their sum."""
    cal = case.cal
    start = data.draw(instants(case))
    first = data.draw(forward_budgets(case, start))
    second = data.draw(forward_budgets(case, start))
    if data.draw(st.booleans()):
        first, second = -first, -second
    middle = add_or_reject(cal, start, first)
    assert add_or_reject(cal, middle, second) == add_or_reject(cal, start, first + second)


@SETTINGS
@given(case=cases(), data=st.data())
def test_results_land_in_or_at_the_end_of_a_session(case: Case, data: st.DataObject) -> None:
    """Forward: inside a session or exactly at the end of one (never at a later start).
    Backward: inside a session or at its start (never at an end)."""
    cal = case.cal
    start = data.draw(instants(case))
    forward = data.draw(forward_budgets(case, start))
    assume(forward > timedelta(0))
    end = add_or_reject(cal, start, forward)
    local = end.astimezone(cal.tz)
    at_an_end = any(local.time() == s.end for s in cal.sessions_on(local.date()))
    assert cal.is_working_time(end) or at_an_end
    assert cal.is_working_time(end - US)  # the clock was running until the last microsecond
    back = add_or_reject(cal, start, -forward)
    assert cal.is_working_time(back)


# --------------------------------------------------------------------------- 6–7. days, between


@SETTINGS
@given(case=cases(), data=st.data())
def test_count_and_add_working_days_are_inverse(case: Case, data: st.DataObject) -> None:
    cal = case.cal
    day = data.draw(local_days(case))
    n = data.draw(st.integers(-40, 40).filter(bool))
    try:
        target = cal.add_working_days(day, n)
    except CalendarRangeError:
        assume(False)
        raise
    assert cal.count_working_days(day, target) == n
    assert cal.is_working_day(target)
    worked = case.ref.working_days()
    assume(worked)
    other = data.draw(st.sampled_from(worked))
    assert cal.add_working_days(day, cal.count_working_days(day, other)) == other


@SETTINGS
@given(case=cases(), data=st.data())
def test_working_time_between_is_antisymmetric_and_additive(
    case: Case, data: st.DataObject
) -> None:
    cal = case.cal
    a, b, c = (data.draw(instants(case)) for _ in range(3))
    assert cal.working_time_between(a, b) == -cal.working_time_between(b, a)
    assert cal.working_time_between(a, a) == timedelta(0)
    assert cal.working_time_between(a, c) == (
        cal.working_time_between(a, b) + cal.working_time_between(b, c)
    )


# --------------------------------------------------------------------------- 8. immutability


@SETTINGS
@given(case=cases(), data=st.data())
def test_with_closures_and_openings_leave_the_original_alone(
    case: Case, data: st.DataObject
) -> None:
    spec = case.spec
    cal = build(spec)
    probes = [data.draw(instants(case)) for _ in range(3)]
    before = [
        (cal.is_working_time(t), cal.next_opening(t), cal.working_time_between(probes[0], t))
        for t in probes
    ]
    opened = {o.day for o in spec.openings}
    closed = {d for c in spec.closures for d in c.days()}
    first = data.draw(kit.days(cal))
    closure = Closure(
        first,
        min(first + timedelta(days=data.draw(st.integers(0, 5))), LAST),
        reason="new",
        source="s",
    )
    assume(not opened & set(closure.days()))
    opening = Opening(data.draw(kit.days(cal)), reason="new", source="s")
    assume(opening.day not in closed)

    more_closed = cal.with_closures(closure)
    more_open = cal.with_openings(opening)
    assert more_closed is not cal
    assert more_open is not cal
    assert (cal.closures, cal.openings) == (spec.closures, spec.openings)
    for day, sessions in case.ref.sessions.items():
        assert cal.sessions_on(day) == sessions
    after = [
        (cal.is_working_time(t), cal.next_opening(t), cal.working_time_between(probes[0], t))
        for t in probes
    ]
    assert after == before
    for derived, changed in (
        (more_closed, replace(spec, closures=(*spec.closures, closure))),
        (more_open, replace(spec, openings=(*spec.openings, opening))),
    ):
        model = Reference(changed)
        for day, sessions in model.sessions.items():
            assert derived.sessions_on(day) == sessions, day


# --------------------------------------------------------------------------- 9. bad input


def _instant_calls(naive: datetime, aware: datetime) -> list[Callable[[WorkingCalendar], Any]]:
    day = aware.astimezone(VN).date()
    return [
        lambda c: c.is_working_day(naive),
        lambda c: c.sessions_on(naive),
        lambda c: c.explain(naive),
        lambda c: c.add_working_days(naive, 1),
        lambda c: c.add_working_days(naive, 0),
        lambda c: c.count_working_days(naive, day),
        lambda c: c.count_working_days(day, naive),
        lambda c: c.working_days(naive, day),
        lambda c: c.notable_days(day, naive),
        lambda c: c.is_working_time(naive),
        lambda c: c.is_desk_open(naive),
        lambda c: c.next_opening(naive),
        lambda c: c.working_time_between(naive, aware),
        lambda c: c.working_time_between(aware, naive),
        lambda c: c.add_working_time(naive, timedelta(0)),
        lambda c: c.add_working_time(naive, timedelta(hours=1)),
        lambda c: c.add_working_time(naive, timedelta(hours=-1)),
        lambda c: c.add_calendar_days(naive, 3),
        lambda c: c.add_calendar_days(naive, 3, at_close=True),
        lambda c: c.add_months(naive, 1),
    ]


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(), data=st.data())
def test_naive_datetimes_are_refused_everywhere(case: Case, data: st.DataObject) -> None:
    cal = case.cal
    aware = data.draw(instants(case))
    naive = aware.replace(tzinfo=None)
    for call in _instant_calls(naive, aware):
        with pytest.raises(NaiveDatetimeError) as info:
            call(cal)
        assert isinstance(info.value, ValueError)
        assert isinstance(info.value, TthcFlowError)


outside_days = st.one_of(
    st.dates(date(1995, 1, 1), FIRST - timedelta(days=1)),
    st.dates(LAST + timedelta(days=1), date(2100, 12, 31)),
    st.sampled_from([FIRST - timedelta(days=1), LAST + timedelta(days=1)]),
)


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(), day=outside_days, at=st.times(), zone=st.sampled_from([VN, *OTHER_ZONES]))
def test_dates_and_instants_outside_the_years_are_refused(
    case: Case, day: date, at: time, zone: Any
) -> None:
    cal = case.cal
    instant = datetime.combine(day, at, tzinfo=VN).astimezone(zone)
    inside = datetime(2025, 1, 6, 9, tzinfo=VN)
    calls: list[Callable[[], Any]] = [
        lambda: cal.is_working_day(day),
        lambda: cal.sessions_on(day),
        lambda: cal.explain(day),
        lambda: cal.add_working_days(day, 1),
        lambda: cal.add_working_days(day, -1),
        lambda: cal.add_working_days(day, 0),
        lambda: cal.count_working_days(day, inside.date()),
        lambda: cal.count_working_days(inside.date(), day),
        lambda: cal.add_calendar_days(day, 0),
        lambda: cal.is_working_day(instant),
        lambda: cal.is_working_time(instant),
        lambda: cal.next_opening(instant),
        lambda: cal.working_time_between(instant, inside),
        lambda: cal.working_time_between(inside, instant),
        lambda: cal.add_working_time(instant, timedelta(0)),
        lambda: cal.add_working_time(instant, timedelta(hours=1)),
        lambda: cal.add_working_time(instant, timedelta(hours=-1)),
    ]
    for call in calls:
        with pytest.raises(CalendarRangeError):
            call()


def test_the_range_follows_the_local_date_of_an_instant() -> None:
    cal = build(Spec(OfficeHours.standard()))
    utc = timezone.utc
    assert not cal.is_working_time(datetime(2023, 12, 31, 17, 0, tzinfo=utc))  # 00:00 local
    with pytest.raises(CalendarRangeError):
        cal.is_working_time(datetime(2023, 12, 31, 16, 59, 59, 999_999, tzinfo=utc))
    assert not cal.is_working_time(datetime(2025, 12, 31, 16, 59, 59, 999_999, tzinfo=utc))
    with pytest.raises(CalendarRangeError):
        cal.is_working_time(datetime(2025, 12, 31, 17, 0, tzinfo=utc))


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(cal=CALENDARS, day=outside_days)
def test_local_decisions_outside_the_years_are_refused(cal: WorkingCalendar, day: date) -> None:
    spec = Spec.of(cal)
    with pytest.raises(CalendarRangeError):
        build(replace(spec, closures=(*spec.closures, Closure(day, reason="r", source="s"))))
    with pytest.raises(CalendarRangeError):
        build(replace(spec, openings=(*spec.openings, Opening(day, reason="r", source="s"))))


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(cal=CALENDARS, data=st.data(), before=st.integers(0, 3), after=st.integers(0, 3))
def test_closing_and_opening_the_same_day_conflicts(
    cal: WorkingCalendar, data: st.DataObject, before: int, after: int
) -> None:
    spec = Spec.of(cal)
    day = data.draw(kit.days(cal))
    closure = Closure(
        max(day - timedelta(days=before), FIRST),
        min(day + timedelta(days=after), LAST),
        reason="closed",
        source="s",
    )
    opening = Opening(day, reason="opened", source="s")
    opened = {o.day for o in spec.openings}
    closed = {d for c in spec.closures for d in c.days()}
    assume(not opened & set(closure.days()) and day not in closed)
    conflicting = replace(
        spec, closures=(*spec.closures, closure), openings=(*spec.openings, opening)
    )
    with pytest.raises(ConflictingDayError) as info:
        build(conflicting)
    assert info.value.day == day
    assert isinstance(info.value, ValueError)
    base = build(spec)
    with pytest.raises(ConflictingDayError):
        base.with_closures(closure).with_openings(opening)
    with pytest.raises(ConflictingDayError):
        base.with_openings(opening).with_closures(closure)


def test_the_model_knows_which_kinds_open_a_day() -> None:
    assert {k for k in DayKind if k.opens} == OPENING_KINDS

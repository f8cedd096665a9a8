"""Property tests: ``WorkingCalendar`` against the slow model in ``reference.py``, plus the
algebra its docstrings promise (round trips, monotonicity, additivity, inverses).

Calendars are random: random weekly hours (adjacent sessions, sessions from midnight, one-minute
sessions), hours that change from a date, random or real national days, random closures and
openings, over 2024–2025 so that each one builds in a few milliseconds.
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
from tthc_flow.calendar import (
    Closure,
    DayKind,
    DayReason,
    HoursChange,
    OfficeHours,
    OfficialDay,
    Opening,
    Session,
    WorkingCalendar,
    vietnam_official_days,
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
NATIONAL = vietnam_official_days(2024, 2025)
NATIONAL_DATES = sorted({d.day for d in NATIONAL})
OTHER_ZONES = (
    timezone.utc,
    timezone(timedelta(hours=7)),  # the same offset, another tzinfo object
    timezone(timedelta(hours=-9, minutes=-30)),
    ZoneInfo("Europe/Paris"),  # with daylight saving time
)
US = timedelta(microseconds=1)

SETTINGS = settings(deadline=None, max_examples=120, suppress_health_check=[HealthCheck.too_slow])


def clock(minute: int) -> time:
    return time(minute // 60, minute % 60)


PRESET_DAYS = (
    (Session("08:00", "12:00"), Session("13:00", "17:00")),
    (Session("07:30", "11:30"), Session("13:00", "17:00")),
    (Session("07:00", "11:00"), Session("13:30", "17:30")),
    (Session("08:00", "12:00"),),
)


# --------------------------------------------------------------------------- calendars


@st.composite
def day_sessions(draw: st.DrawFn, min_size: int = 0) -> tuple[Session, ...]:
    """0–3 sessions of a day: presets, adjacent ones, one-minute ones, one from midnight."""
    if draw(st.integers(0, 2)) == 0:
        return draw(st.sampled_from(PRESET_DAYS))
    count = draw(st.integers(min_size, 3))
    cursor = draw(st.one_of(st.integers(0, 1438), st.sampled_from([0, 420, 450, 480])))
    sessions: list[Session] = []
    for i in range(count):
        if i:
            cursor += draw(st.one_of(st.just(0), st.integers(1, 240)))  # 0: adjacent sessions
        if cursor >= 1439:
            break
        end = cursor + draw(st.integers(1, min(300, 1439 - cursor)))
        sessions.append(Session(clock(cursor), clock(end)))
        cursor = end
    return tuple(sessions)


@st.composite
def office_hours(draw: st.DrawFn) -> OfficeHours:
    if draw(st.booleans()):
        day = draw(day_sessions(min_size=1))
        weekly = [day] * 5 + [(), ()]
        if draw(st.booleans()):
            weekly[5] = draw(day_sessions())
    else:
        weekly = [draw(day_sessions()) for _ in range(7)]
    if not any(weekly):
        weekly[draw(st.integers(0, 6))] = PRESET_DAYS[0]
    worked_rest_day = draw(st.one_of(st.just(()), day_sessions(min_size=1)))
    return OfficeHours(weekly=tuple(weekly), worked_rest_day=worked_rest_day)


@st.composite
def hours_setting(draw: st.DrawFn) -> OfficeHours | tuple[HoursChange, ...]:
    if draw(st.booleans()):
        return draw(office_hours())
    starts = draw(st.lists(st.dates(date(2023, 6, 1), date(2026, 6, 1)), max_size=3, unique=True))
    changes = [HoursChange(date.min, draw(office_hours()), "base")]
    changes += [HoursChange(d, draw(office_hours()), f"from {d}") for d in starts]
    return tuple(draw(st.permutations(changes)))


decision_dates = st.one_of(
    st.dates(FIRST, LAST),
    st.sampled_from(NATIONAL_DATES),
    # a weekend day
    st.dates(FIRST, LAST - timedelta(days=7)).map(lambda d: d + timedelta(days=5 - d.weekday())),
)

official_kinds = st.sampled_from(
    [
        DayKind.PUBLIC_HOLIDAY,
        DayKind.COMPENSATORY_DAY_OFF,
        DayKind.SWAPPED_DAY_OFF,
        DayKind.MAKEUP_WORKDAY,
    ]
)
random_official = st.lists(
    st.builds(
        lambda day, kind: OfficialDay(day, DayReason(kind, kind.value, kind.english, "test")),
        decision_dates,
        official_kinds,
    ),
    max_size=8,
)


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    hours = draw(hours_setting())
    which = draw(st.sampled_from(["none", "national", "random", "both"]))
    official: tuple[OfficialDay, ...] = ()
    if which in ("national", "both"):
        official = NATIONAL
    if which in ("random", "both"):
        official += tuple(draw(random_official))
    closures = []
    for first, length in draw(st.lists(st.tuples(decision_dates, st.integers(0, 10)), max_size=5)):
        closures.append(
            Closure(first, min(first + timedelta(days=length), LAST), reason="r", source="s")
        )
    closed = {day for c in closures for day in c.days()}
    openings = []
    for day, sessions in draw(
        st.lists(
            st.tuples(decision_dates, st.one_of(st.none(), st.just(()), day_sessions(min_size=1))),
            max_size=6,
        )
    ):
        if day not in closed:
            openings.append(Opening(day, reason="r", source="s", sessions=sessions))
    return Spec(hours, official, tuple(closures), tuple(openings))


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
    boundary_minutes: list[int]  # every session bound in the spec, and midnight
    days_of_note: list[date]  # dates where the spec changes something
    cap_minutes: int  # about four weeks of working time under the leanest hours


@st.composite
def cases(draw: st.DrawFn) -> Case:
    spec = draw(specs())
    day_lists: list[tuple[Session, ...]] = []
    for hours in all_hours(spec):
        day_lists += [*hours.weekly, hours.worked_rest_day]
    day_lists += [o.sessions for o in spec.openings if o.sessions]
    minutes = {0}
    for sessions in day_lists:
        for s in sessions:
            minutes |= {s.start.hour * 60 + s.start.minute, s.end.hour * 60 + s.end.minute}
    noted = {o.day for o in spec.official} | {o.day for o in spec.openings}
    noted |= {c.first for c in spec.closures} | {c.last for c in spec.closures}
    if not isinstance(spec.hours, OfficeHours):
        noted |= {c.effective_from for c in spec.hours if FIRST <= c.effective_from <= LAST}
    # Working minutes of a plain week, under the leanest of the spec's office hours.
    week = min(
        sum(
            s.end.hour * 60 + s.end.minute - s.start.hour * 60 - s.start.minute
            for day in hours.weekly
            for s in day
        )
        for hours in all_hours(spec)
    )
    return Case(spec, Reference(spec), sorted(minutes), sorted(noted), max(4 * week, 1))


# --------------------------------------------------------------------------- instants, budgets


@st.composite
def local_days(draw: st.DrawFn, case: Case, *, edges: bool = False) -> date:
    lo, hi = (FIRST, LAST) if edges else (SAFE_FIRST, SAFE_LAST)
    options = [st.dates(lo, hi)]
    if case.days_of_note:
        options.append(
            st.tuples(st.sampled_from(case.days_of_note), st.integers(-3, 3)).map(
                lambda p: min(max(p[0] + timedelta(days=p[1]), lo), hi)
            )
        )
    if edges:
        options.append(st.dates(FIRST, FIRST + timedelta(days=6)))
        options.append(st.dates(LAST - timedelta(days=6), LAST))
    return draw(st.one_of(options))


@st.composite
def instants(draw: st.DrawFn, case: Case, *, edges: bool = False) -> datetime:
    """An aware instant: on session bounds, at midnight, at random minutes or microseconds,
    a microsecond or a minute off a bound, in the calendar's zone or another one."""
    day = draw(local_days(case, edges=edges))
    own = [b for s in case.ref.sessions.get(day, ()) for b in (s.start, s.end)]
    at = draw(
        st.one_of(
            st.sampled_from(own or [time(0)]),  # a bound of this very day's sessions
            st.sampled_from(case.boundary_minutes).map(clock),
            st.integers(0, 1439).map(clock),
            st.times(),
        )
    )
    instant = datetime.combine(day, at, tzinfo=VN)
    instant += draw(st.sampled_from([timedelta(0)] * 4 + [US, -US, timedelta(minutes=1)]))
    if draw(st.integers(0, 3)) == 0:
        instant = instant.astimezone(draw(st.sampled_from(OTHER_ZONES)))
    if not edges:
        # A nudge may cross midnight; keep the algebraic properties inside the safe window.
        local = instant.astimezone(VN).date()
        assume(SAFE_FIRST <= local <= SAFE_LAST)
    return instant


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
    cal = build(case.spec)
    for day, sessions in case.ref.sessions.items():
        assert cal.is_working_day(day) is bool(sessions), day
        assert cal.sessions_on(day) == sessions, day
    assert list(cal) == case.ref.working_days()


@SETTINGS
@given(case=cases(), data=st.data())
def test_day_arithmetic_matches_the_model(case: Case, data: st.DataObject) -> None:
    cal = build(case.spec)
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
    cal = build(case.spec)
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
    cal = build(case.spec)
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
@given(hours=office_hours(), weekly=st.lists(day_sessions(), min_size=7, max_size=7))
def test_a_worked_rest_day_defaults_to_the_first_weekday_with_sessions(
    hours: OfficeHours, weekly: list[tuple[Session, ...]]
) -> None:
    assert hours.worked_rest_day  # never empty once built
    assume(any(weekly))
    default = OfficeHours(weekly=tuple(weekly))
    assert default.worked_rest_day == next(day for day in weekly if day)


# --------------------------------------------------------------------------- 2–5. algebra


@SETTINGS
@given(case=cases(), data=st.data())
def test_round_trip(case: Case, data: st.DataObject) -> None:
    """working_time_between(t, add_working_time(t, d)) == d, forward, zero and backward."""
    cal = build(case.spec)
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
    cal = build(case.spec)
    start = data.draw(instants(case))
    small, large = sorted([data.draw(budgets(case, start)), data.draw(budgets(case, start))])
    assert add_or_reject(cal, start, small) <= add_or_reject(cal, start, large)


@SETTINGS
@given(case=cases(), data=st.data())
def test_monotonic_in_the_start(case: Case, data: st.DataObject) -> None:
    cal = build(case.spec)
    early, late = sorted([data.draw(instants(case)), data.draw(instants(case))])
    amount = data.draw(budgets(case, early))
    assert add_or_reject(cal, early, amount) <= add_or_reject(cal, late, amount)


@SETTINGS
@given(case=cases(), data=st.data())
def test_additive(case: Case, data: st.DataObject) -> None:
    """Two budgets of the same sign in a row are one budget of their sum."""
    cal = build(case.spec)
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
    cal = build(case.spec)
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
    cal = build(case.spec)
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
    cal = build(case.spec)
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
    first = data.draw(decision_dates)
    closure = Closure(
        first,
        min(first + timedelta(days=data.draw(st.integers(0, 5))), LAST),
        reason="new",
        source="s",
    )
    assume(not opened & set(closure.days()))
    opening = Opening(data.draw(decision_dates), reason="new", source="s")
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
    cal = build(case.spec)
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
    cal = build(case.spec)
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
@given(spec=specs(), day=outside_days)
def test_local_decisions_outside_the_years_are_refused(spec: Spec, day: date) -> None:
    with pytest.raises(CalendarRangeError):
        build(replace(spec, closures=(*spec.closures, Closure(day, reason="r", source="s"))))
    with pytest.raises(CalendarRangeError):
        build(replace(spec, openings=(*spec.openings, Opening(day, reason="r", source="s"))))


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs(), day=decision_dates, before=st.integers(0, 3), after=st.integers(0, 3))
def test_closing_and_opening_the_same_day_conflicts(
    spec: Spec, day: date, before: int, after: int
) -> None:
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

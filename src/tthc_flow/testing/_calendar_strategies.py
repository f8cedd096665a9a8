"""Hypothesis strategies for working calendars (lịch làm việc), office hours, days and instants.

The strategies lean towards the places where deadline code goes wrong: 17:00 sharp, midnight,
15:00 (the desk's cut-off, Decree 118/2025 Art. 18(2)), make-up Saturdays (ngày làm bù), the
days around Tết and other holidays, local closures for storms, sessions that touch or last one
minute. Arguments are checked when the strategy is built, not when it is drawn from: a bad one
raises :class:`~tthc_flow.errors.InvalidInputError` at once.
"""

from __future__ import annotations

import contextlib
import functools
from bisect import bisect_left, bisect_right
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from tthc_flow._validators import shown
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
from tthc_flow.calendar._working import FIRST_YEAR, LAST_YEAR
from tthc_flow.errors import CalendarRangeError, InvalidInputError

__all__ = ["calendars", "days", "instants", "working_hours"]

PRESET_DAYS: tuple[tuple[Session, ...], ...] = (
    (Session("08:00", "12:00"), Session("13:00", "17:00")),  # Decision 188/1999/QĐ-TTg
    (Session("07:30", "11:30"), Session("13:00", "17:00")),
    (Session("07:00", "11:00"), Session("13:30", "17:30")),
    (Session("08:00", "12:00"),),
)
# Zones an instant may be written in when ``other_zones`` is asked for: the same offset as
# Hà Nội under another tzinfo object, UTC, a half-hour offset, and one with daylight saving.
OTHER_ZONES: tuple[tzinfo, ...] = (
    timezone.utc,
    timezone(timedelta(hours=7)),
    timezone(timedelta(hours=-9, minutes=-30)),
    ZoneInfo("Europe/Paris"),
)
# 00:00, 08:00, 12:00, 13:00, 15:00 (desk cut-off), 17:00: the minutes every bug report names.
AWKWARD_MINUTES = (0, 480, 720, 780, 900, 1020)
_OFFICIAL_KINDS = (
    DayKind.PUBLIC_HOLIDAY,
    DayKind.COMPENSATORY_DAY_OFF,
    DayKind.SWAPPED_DAY_OFF,
    DayKind.MAKEUP_WORKDAY,
)
_US = timedelta(microseconds=1)


def _clock(minute: int) -> time:
    return time(minute // 60, minute % 60)


def _check_year(name: str, value: object) -> int:
    if type(value) is not int or not FIRST_YEAR <= value <= LAST_YEAR:
        raise InvalidInputError(
            f"{name}={shown(value)} is not a year the calendar covers.",
            value=value,
            hint=f"Pass an int from {FIRST_YEAR} to {LAST_YEAR}.",
        )
    return value


def _check_strategy(name: str, value: object) -> None:
    if value is not None and not isinstance(value, st.SearchStrategy):
        raise InvalidInputError(
            f"{name}={shown(value)} is not a Hypothesis strategy.",
            value=value,
            hint=f"Pass a strategy such as st.just(...) for {name}, or leave it out.",
        )


def _check_flag(name: str, value: object, *, optional: bool = False) -> None:
    if not (type(value) is bool or (optional and value is None)):
        allowed = "True, False or None" if optional else "True or False"
        raise InvalidInputError(f"{name}={shown(value)} is not a flag.", value=value, hint=allowed)


# --------------------------------------------------------------------------- office hours


@st.composite
def _day_sessions(draw: st.DrawFn, min_size: int = 0) -> tuple[Session, ...]:
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
        sessions.append(Session(_clock(cursor), _clock(end)))
        cursor = end
    return tuple(sessions)


@st.composite
def _any_hours(draw: st.DrawFn) -> OfficeHours:
    if draw(st.booleans()):
        day = draw(_day_sessions(min_size=1))
        weekly = [day] * 5 + [(), ()]
        if draw(st.booleans()):
            weekly[5] = draw(_day_sessions())
    else:
        weekly = [draw(_day_sessions()) for _ in range(7)]
    if not any(weekly):
        weekly[draw(st.integers(0, 6))] = PRESET_DAYS[0]
    worked_rest_day = draw(st.one_of(st.just(()), _day_sessions(min_size=1)))
    return OfficeHours(weekly=tuple(weekly), worked_rest_day=worked_rest_day)


def working_hours(*, realistic: bool = False) -> st.SearchStrategy[OfficeHours]:
    """Weekly office hours (giờ làm việc).

    ``realistic=True``: Monday to Friday with the sessions provinces publish (08:00–12:00 and
    13:00–17:00, 07:30–11:30 and 13:00–17:00, 07:00–11:00 and 13:30–17:30, or mornings only).
    ``realistic=False`` (the default) adds every shape the library accepts: any weekday worked
    or not, Saturday sessions, sessions that touch, one-minute sessions, a session from
    midnight, and a separate set of sessions for worked rest days.
    """
    _check_flag("realistic", realistic)
    if realistic:
        return st.sampled_from(PRESET_DAYS).map(lambda d: OfficeHours(weekly=(d,) * 5 + ((), ())))
    return _any_hours()


# --------------------------------------------------------------------------- calendars


@functools.lru_cache(maxsize=16)
def _national(first_year: int, last_year: int) -> tuple[OfficialDay, ...]:
    return vietnam_official_days(first_year, last_year)


@functools.lru_cache(maxsize=16)
def _invented_days(first: date, last: date) -> st.SearchStrategy[list[OfficialDay]]:
    return st.lists(
        st.builds(
            lambda day, kind: OfficialDay(
                day, DayReason(kind, kind.vietnamese, kind.english, "invented by tthc_flow.testing")
            ),
            _decision_dates(first, last),
            st.sampled_from(_OFFICIAL_KINDS),
        ),
        max_size=8,
    )


@functools.lru_cache(maxsize=16)
def _decision_dates(first: date, last: date) -> st.SearchStrategy[date]:
    """Dates a local or national decision is likely to touch: any day, a national day, or a
    weekend day."""
    options = [
        st.dates(first, last),
        # a Saturday or Sunday
        st.dates(first, last - timedelta(days=7)).map(
            lambda d: d + timedelta(days=5 - d.weekday() if d.weekday() <= 5 else 0)
        ),
    ]
    national = _national(first.year, last.year)
    inside = sorted({o.day for o in national if first <= o.day <= last})
    if inside:
        options.append(st.sampled_from(inside))
    return st.one_of(options)


@st.composite
def _calendars(
    draw: st.DrawFn,
    *,
    min_year: int,
    max_year: int,
    hours: st.SearchStrategy[OfficeHours],
    changing_hours: bool,
    national: bool | None,
    invented_days: bool,
    local_decisions: bool,
) -> WorkingCalendar:
    first, last = date(min_year, 1, 1), date(max_year, 12, 31)
    known = _national(min_year, max_year)
    official: tuple[OfficialDay, ...] = ()
    if national or (national is None and draw(st.booleans())):
        official = known
    if invented_days:
        official += tuple(draw(_invented_days(first, last)))
    setting: OfficeHours | tuple[HoursChange, ...]
    if not changing_hours or draw(st.booleans()):
        setting = draw(hours)
    else:
        starts = draw(
            st.lists(
                st.dates(first - timedelta(days=180), last + timedelta(days=150)),
                max_size=3,
                unique=True,
            )
        )
        changes = [HoursChange(date.min, draw(hours), "base")]
        changes += [HoursChange(d, draw(hours), f"from {d}") for d in starts]
        setting = tuple(draw(st.permutations(changes)))
    closures: list[Closure] = []
    openings: list[Opening] = []
    if local_decisions:
        dates = _decision_dates(first, last)
        for start, length in draw(st.lists(st.tuples(dates, st.integers(0, 10)), max_size=5)):
            end = min(start + timedelta(days=length), last)
            closures.append(Closure(start, end, reason="Nghỉ do bão lũ (storm)", source="test"))
        closed = {day for c in closures for day in c.days()}
        sessions = st.one_of(st.none(), st.just(()), _day_sessions(min_size=1))
        for day, own in draw(st.lists(st.tuples(dates, sessions), max_size=6)):
            if day not in closed:  # a day both closed and opened is refused, by design
                openings.append(
                    Opening(day, reason="Làm thêm (extra day)", source="test", sessions=own)
                )
    return WorkingCalendar(
        hours=setting,
        official=official,
        closures=closures,
        openings=openings,
        first_year=min_year,
        last_year=max_year,
        name="tthc_flow.testing",
    )


def calendars(
    *,
    min_year: int = 2024,
    max_year: int = 2026,
    hours: st.SearchStrategy[OfficeHours] | None = None,
    changing_hours: bool = True,
    national: bool | None = True,
    invented_days: bool = False,
    local_decisions: bool = True,
) -> st.SearchStrategy[WorkingCalendar]:
    """Working calendars covering the years ``min_year`` to ``max_year`` (inclusive).

    - ``hours``: a strategy of :class:`OfficeHours` (default :func:`working_hours`, every
      shape); ``changing_hours``: sometimes the hours change on up to three dates, as when a
      province moves to summer hours.
    - ``national``: True (default) puts in the national holidays, compensatory days, swaps and
      make-up Saturdays of those years; False leaves them out; None draws either.
    - ``invented_days``: add up to eight invented national decisions (holidays on weekends,
      make-up days on holidays...) to reach cases the real years never had.
    - ``local_decisions``: up to five local closures (storms, floods) of up to eleven days and
      six local openings, on random days, national days and weekends (never both on a day).

    Fewer years build faster; a calendar of three years takes a few milliseconds.
    """
    min_year = _check_year("min_year", min_year)
    max_year = _check_year("max_year", max_year)
    if max_year < min_year:
        raise InvalidInputError(
            f"max_year={max_year} is before min_year={min_year}.",
            value=(min_year, max_year),
            hint="Give the earlier year as min_year.",
        )
    _check_strategy("hours", hours)
    for name, flag in (
        ("changing_hours", changing_hours),
        ("invented_days", invented_days),
        ("local_decisions", local_decisions),
    ):
        _check_flag(name, flag)
    _check_flag("national", national, optional=True)
    return _calendars(
        min_year=min_year,
        max_year=max_year,
        hours=hours if hours is not None else working_hours(),
        changing_hours=changing_hours,
        national=national,
        invented_days=invented_days,
        local_decisions=local_decisions,
    )


# --------------------------------------------------------------------------- days, instants


def _bounds(
    calendar: WorkingCalendar, min_value: date | None, max_value: date | None
) -> tuple[date, date]:
    if not isinstance(calendar, WorkingCalendar):
        raise InvalidInputError(
            f"expected a WorkingCalendar, got {shown(calendar)}.",
            value=calendar,
            hint="Pass a calendar, e.g. vietnam_calendar() or one drawn from calendars().",
        )
    lo = calendar.first_day if min_value is None else min_value
    hi = calendar.last_day if max_value is None else max_value
    for name, value in (("min_value", lo), ("max_value", hi)):
        if type(value) is not date:
            raise InvalidInputError(
                f"{name}={shown(value)} is not a date.", value=value, hint="Pass a datetime.date."
            )
        if not calendar.first_day <= value <= calendar.last_day:
            raise InvalidInputError(
                f"{name}={value} is outside the calendar ({calendar.first_day} to "
                f"{calendar.last_day}).",
                value=value,
                hint="Keep the bounds inside the years the calendar covers.",
            )
    if hi < lo:
        raise InvalidInputError(
            f"max_value={hi} is before min_value={lo}.", value=(lo, hi), hint="Swap them."
        )
    return lo, hi


def _days_of_note(calendar: WorkingCalendar, lo: date, hi: date) -> list[date]:
    """Days where something changes: national and local decisions, hour changes, and the last
    working day before each run of closed weekdays (the day before Tết)."""
    noted = _all_days_of_note(calendar)
    return list(noted[bisect_left(noted, lo) : bisect_right(noted, hi)])


@functools.lru_cache(maxsize=16)
def _all_days_of_note(calendar: WorkingCalendar) -> tuple[date, ...]:
    # Built once per calendar: a stateful test draws a history, so days, for every case.
    noted = {o.day for o in calendar.official}
    noted |= {d for c in calendar.closures for d in (c.first, c.last)}
    noted |= {o.day for o in calendar.openings}
    noted |= {c.effective_from for c in calendar.hours if c.effective_from != date.min}
    for info in calendar.notable_days(calendar.first_day, calendar.last_day):
        noted.add(info.day)
        if not info.is_working:
            # The calendar day before, and the last working day before (Friday 13/2/2026 for
            # Tết 2026, whose first day off is a Monday).
            before = info.day - timedelta(days=1)
            if before >= calendar.first_day:
                noted.add(before)
            with contextlib.suppress(CalendarRangeError):
                noted.add(calendar.add_working_days(info.day, -1))
    return tuple(sorted(noted))


def days(
    calendar: WorkingCalendar, *, min_value: date | None = None, max_value: date | None = None
) -> st.SearchStrategy[date]:
    """Local dates of ``calendar`` from ``min_value`` to ``max_value`` (default: every day it
    covers), half of them on or within three days of a day of note: a holiday, a make-up
    Saturday, a swapped day off, a local closure or opening, an office-hours change, the last
    working day before a run of closed days (the day before Tết)."""
    lo, hi = _bounds(calendar, min_value, max_value)
    noted = _days_of_note(calendar, lo, hi)
    anywhere = st.dates(lo, hi)
    if not noted:
        return anywhere
    near = st.tuples(st.sampled_from(noted), st.integers(-3, 3)).map(
        lambda p: min(max(p[0] + timedelta(days=p[1]), lo), hi)
    )
    return st.one_of(anywhere, st.sampled_from(noted), near)


def _all_bounds(calendar: WorkingCalendar) -> list[int]:
    minutes = set(AWKWARD_MINUTES)
    sessions = [s for change in calendar.hours for day in change.hours.weekly for s in day]
    sessions += [s for change in calendar.hours for s in change.hours.worked_rest_day]
    sessions += [s for o in calendar.openings for s in (o.sessions or ())]
    for s in sessions:
        minutes |= {s.start_minute, s.end_minute}
    return sorted(minutes)


@st.composite
def _instants(
    draw: st.DrawFn,
    calendar: WorkingCalendar,
    lo: date,
    hi: date,
    day_strategy: st.SearchStrategy[date],
    bounds: list[int],
    other_zones: bool,
    sub_minute: bool,
) -> datetime:
    day = draw(day_strategy)
    own = [m for s in calendar.sessions_on(day) for m in (s.start_minute, s.end_minute)]
    clocks = [
        st.sampled_from(own or [0]).map(_clock),  # a bound of this very day's sessions
        st.sampled_from(bounds).map(_clock),
        st.integers(0, 1439).map(_clock),
    ]
    if sub_minute:
        clocks.append(st.times())
    instant = datetime.combine(day, draw(st.one_of(clocks)), tzinfo=calendar.tz)
    if sub_minute:
        nudged = instant + draw(st.sampled_from([timedelta(0)] * 4 + [_US, -_US]))
        if lo <= nudged.astimezone(calendar.tz).date() <= hi:  # never leave the range
            instant = nudged
    if draw(st.integers(0, 5)) == 0:
        nudged = instant + timedelta(minutes=draw(st.sampled_from([-1, 1])))
        if lo <= nudged.astimezone(calendar.tz).date() <= hi:
            instant = nudged
    if other_zones and draw(st.integers(0, 3)) == 0:
        instant = instant.astimezone(draw(st.sampled_from(OTHER_ZONES)))
    return instant


def instants(
    calendar: WorkingCalendar,
    *,
    min_value: date | None = None,
    max_value: date | None = None,
    other_zones: bool = False,
    sub_minute: bool = False,
) -> st.SearchStrategy[datetime]:
    """Aware instants whose local date (in the calendar's zone) lies from ``min_value`` to
    ``max_value`` (default: every day the calendar covers).

    Days come from :func:`days` (holidays, make-up Saturdays, the day before Tết...). Times
    are a bound of that day's sessions, 00:00, 08:00, 12:00, 13:00, 15:00, 17:00 or any
    session bound of the calendar, or any minute, sometimes one minute off. Instants are whole
    minutes in the calendar's zone unless ``sub_minute`` (any microsecond, and one microsecond
    either side of a bound) or ``other_zones`` (the same instant written in UTC, UTC+7 under
    another tzinfo, UTC−9:30 or Europe/Paris) is asked for.
    """
    lo, hi = _bounds(calendar, min_value, max_value)
    _check_flag("other_zones", other_zones)
    _check_flag("sub_minute", sub_minute)
    return _instants(
        calendar,
        lo,
        hi,
        days(calendar, min_value=lo, max_value=hi),
        _all_bounds(calendar),
        other_zones,
        sub_minute,
    )

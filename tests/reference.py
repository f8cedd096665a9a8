"""A slow, obviously-correct model of ``WorkingCalendar``, written from its docstrings.

The property tests check the library against this model. It shares no arithmetic with the
library: it only reads the public configuration values (sessions, closures, openings, official
days, hours changes) and answers every question with plain loops over days and sessions.

- A day's sessions: the weekday's sessions of the office hours in force that day; when national
  or local decisions touch the day, the last of [official days in their given order, closures,
  openings] decides: a closing kind gives no sessions, an opening kind gives the opening's own
  sessions if it has any, else the weekday's sessions if any, else the worked-rest-day sessions.
- Sessions are half-open ``[start, end)`` of local wall-clock time.
- Instants are compared and subtracted in UTC, so working time is real elapsed time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from tthc_flow.calendar import (
    Closure,
    DayKind,
    HoursChange,
    OfficeHours,
    OfficialDay,
    Opening,
    Session,
    WorkingCalendar,
)

__all__ = ["OPENING_KINDS", "RefRangeError", "Reference", "Spec", "day_sessions"]

ONE_DAY = timedelta(days=1)
UTC = timezone.utc
ZERO = timedelta(0)

# The kinds of reason that make a day worked; every other kind closes it.
OPENING_KINDS = frozenset({DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY, DayKind.LOCAL_OPENING})


class RefRangeError(Exception):
    """The question (or its answer) lies outside the days the model covers."""


@dataclass(frozen=True)
class Spec:
    """Everything a calendar is built from; the tests build both the library and the model."""

    hours: OfficeHours | tuple[HoursChange, ...]
    official: tuple[OfficialDay, ...] = ()
    closures: tuple[Closure, ...] = ()
    openings: tuple[Opening, ...] = ()
    first_year: int = 2024
    last_year: int = 2025
    tz: str = "Asia/Ho_Chi_Minh"

    @classmethod
    def of(cls, calendar: WorkingCalendar) -> Spec:
        """The spec of a calendar (e.g. one drawn from ``tthc_flow.testing.calendars()``), read
        from its public configuration only."""
        return cls(
            hours=calendar.hours,
            official=calendar.official,
            closures=calendar.closures,
            openings=calendar.openings,
            first_year=calendar.first_year,
            last_year=calendar.last_year,
            tz=str(calendar.tz),
        )


def hours_on(hours: OfficeHours | tuple[HoursChange, ...], day: date) -> OfficeHours:
    """The office hours in force on ``day``: the last change taking effect on or before it."""
    if isinstance(hours, OfficeHours):
        return hours
    best: HoursChange | None = None
    for change in hours:
        if change.effective_from <= day and (
            best is None or change.effective_from > best.effective_from
        ):
            best = change
    assert best is not None, "the first change takes effect at date.min"
    return best.hours


def day_sessions(spec: Spec, day: date) -> tuple[Session, ...]:
    """Sessions of ``day`` under ``spec`` (empty: not a working day)."""
    hours = hours_on(spec.hours, day)
    weekly = tuple(hours.weekly[day.weekday()])
    # Every decision touching the day, in the order they apply: (kind, the opening's sessions).
    decisions: list[tuple[DayKind, tuple[Session, ...] | None]] = []
    for official in spec.official:
        if official.day == day:
            decisions.append((official.reason.kind, None))
    for closure in spec.closures:
        if closure.first <= day <= closure.last:
            decisions.append((DayKind.LOCAL_CLOSURE, None))
    for opening in spec.openings:
        if opening.day == day:
            decisions.append((DayKind.LOCAL_OPENING, opening.sessions))
    if not decisions:
        return weekly
    kind, own = decisions[-1]
    if kind not in OPENING_KINDS:
        return ()
    if own:
        return tuple(own)
    if weekly:
        return weekly
    return tuple(hours.worked_rest_day)


class Reference:
    """The model calendar: a table of every covered day's sessions, then loops."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.tz = ZoneInfo(spec.tz)
        self.first = date(spec.first_year, 1, 1)
        self.last = date(spec.last_year, 12, 31)
        self.sessions: dict[date, tuple[Session, ...]] = {}
        day = self.first
        while day <= self.last:
            self.sessions[day] = day_sessions(spec, day)
            day += ONE_DAY
        self._spans: dict[date, list[tuple[datetime, datetime]]] = {}

    # ------------------------------------------------------------------ helpers

    def local_date(self, value: date | datetime) -> date:
        """The covered local date of a date or an aware instant."""
        day = value.astimezone(self.tz).date() if isinstance(value, datetime) else value
        if day not in self.sessions:
            raise RefRangeError(value)
        return day

    def spans(self, day: date) -> list[tuple[datetime, datetime]]:
        """The sessions of a covered day as UTC instants ``[start, end)``."""
        if day not in self.sessions:
            raise RefRangeError(day)
        if day not in self._spans:
            self._spans[day] = [
                (self.at(day, s.start), self.at(day, s.end)) for s in self.sessions[day]
            ]
        return self._spans[day]

    def at(self, day: date, clock: time) -> datetime:
        """Local wall-clock ``clock`` on ``day``, as a UTC instant."""
        return datetime.combine(day, clock, tzinfo=self.tz).astimezone(UTC)

    def in_zone(self, instant: datetime) -> datetime:
        return instant.astimezone(self.tz)

    def working_days(self) -> list[date]:
        return [day for day, sessions in self.sessions.items() if sessions]

    # ------------------------------------------------------------------ days

    def is_working_day(self, value: date | datetime) -> bool:
        return bool(self.sessions[self.local_date(value)])

    def add_working_days(self, value: date | datetime, n: int) -> date:
        day = self.local_date(value)
        if n == 0:
            while not self.sessions[day]:
                day += ONE_DAY
                if day not in self.sessions:
                    raise RefRangeError(value, n)
            return day
        step = ONE_DAY if n > 0 else -ONE_DAY
        left = abs(n)
        while left:
            day += step
            if day not in self.sessions:
                raise RefRangeError(value, n)
            if self.sessions[day]:
                left -= 1
        return day

    def count_working_days(self, start: date | datetime, end: date | datetime) -> int:
        a = self.local_date(start)
        b = self.local_date(end)
        if b >= a:
            # (a, b]
            return sum(1 for day in self.sessions if a < day <= b and self.sessions[day])
        # -[b, a)
        return -sum(1 for day in self.sessions if b <= day < a and self.sessions[day])

    def add_calendar_days(self, event: date | datetime, n: int, *, at_close: bool) -> datetime:
        day = self.local_date(event) + timedelta(days=n)
        if day not in self.sessions:
            raise RefRangeError(event, n)
        while not self.sessions[day]:
            day += ONE_DAY
            if day not in self.sessions:
                raise RefRangeError(event, n)
        if at_close:
            return datetime.combine(day, self.sessions[day][-1].end, tzinfo=self.tz)
        return datetime.combine(day + ONE_DAY, time(0), tzinfo=self.tz)

    # ------------------------------------------------------------------ instants

    def is_working_time(self, instant: datetime) -> bool:
        day = self.local_date(instant)
        clock = instant.astimezone(self.tz).time()
        return any(s.start <= clock < s.end for s in self.sessions[day])

    def next_opening(self, instant: datetime) -> datetime:
        day = self.local_date(instant)
        while day in self.sessions:
            for start, end in self.spans(day):
                if end > instant:
                    return self.in_zone(max(start, instant))
            day += ONE_DAY
        raise RefRangeError(instant)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Length of the overlap of ``[start, end)`` with the sessions (negated if reversed)."""
        if end < start:
            return -self.working_time_between(end, start)
        total = ZERO
        day = self.local_date(start)
        last = self.local_date(end)
        while day <= last:
            for s, e in self.spans(day):
                lo, hi = max(s, start), min(e, end)
                if hi > lo:
                    total += hi - lo
            day += ONE_DAY
        return total

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        day = self.local_date(start)
        if amount == ZERO:
            return self.in_zone(start)
        if amount > ZERO:
            # Walk sessions forward; stop in the first one that holds what is left (earliest:
            # a budget that ends a session lands on its end).
            left = amount
            while day in self.sessions:
                for s, e in self.spans(day):
                    if e <= start:
                        continue
                    begin = max(s, start)
                    if left <= e - begin:
                        return self.in_zone(begin + left)
                    left -= e - begin
                day += ONE_DAY
            raise RefRangeError(start, amount)
        # Walk sessions backward; a budget that uses a session up lands on its start (latest).
        left = -amount
        while day in self.sessions:
            for s, e in reversed(self.spans(day)):
                if s >= start:
                    continue
                finish = min(e, start)
                if left <= finish - s:
                    return self.in_zone(finish - left)
                left -= finish - s
            day -= ONE_DAY
        raise RefRangeError(start, amount)

    def boundaries(self, start: datetime, days: int) -> list[datetime]:
        """Every session start and end in the ``days`` covered days from ``start``'s day."""
        found: list[datetime] = []
        day = self.local_date(start)
        for _ in range(days):
            if day not in self.sessions:
                break
            for s, e in self.spans(day):
                found.extend((s, e))
            day += ONE_DAY
        return found

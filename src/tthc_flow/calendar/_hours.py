"""Office hours (giờ làm việc): sessions of a day, a weekly pattern, and changes over time.

Decision 188/1999/QĐ-TTg sets a 40-hour, five-day week for state agencies; each province then
fixes the clock times (08:00–12:00 and 13:00–17:00 is common, 07:30–11:30 and 13:00–17:00 too).
Everything here is a frozen value; times are whole minutes of local wall-clock time.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from datetime import date, time

import attrs

from tthc_flow._validators import shown
from tthc_flow.errors import InvalidHoursError

__all__ = [
    "DECISION_188_1999",
    "FRIDAY",
    "MINUTES_PER_WORKING_DAY",
    "MONDAY",
    "SATURDAY",
    "SUNDAY",
    "THURSDAY",
    "TUESDAY",
    "WEDNESDAY",
    "HoursChange",
    "OfficeHours",
    "Session",
]

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)

DECISION_188_1999 = "Quyết định 188/1999/QĐ-TTg (40-hour, five-day week for state agencies)"

# One working day (ngày làm việc) is 8 working hours: Decision 188/1999/QĐ-TTg's 40-hour,
# five-day week. Budgets in working days, reports in working days and forms all read this one
# definition.
MINUTES_PER_WORKING_DAY = 480

TimeLike = time | str


_HH_MM = re.compile(r"([0-9]{1,2}):([0-9]{2})", re.ASCII)


def _to_time(value: TimeLike) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        # ASCII digits only: int() would also read "٠٨", "+8" and "0_8" as 8.
        found = _HH_MM.fullmatch(value.strip())
        try:
            if found is None:
                raise ValueError(value)
            return time(int(found[1]), int(found[2]))
        except ValueError:
            raise InvalidHoursError(
                f"cannot read {shown(value)} as a time of day; write it as 'HH:MM', e.g. "
                "'07:30'.",
                value=value,
            ) from None
    raise InvalidHoursError(
        "a session bound must be a datetime.time or an 'HH:MM' string, not "
        f"{type(value).__name__} {shown(value)}; write e.g. '07:30'.",
        value=value,
    )


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


@attrs.frozen(order=True)
class Session:
    """One continuous stretch of working time within a day (một buổi làm việc), e.g. 08:00–12:00.

    A session is half-open: it contains its ``start`` and not its ``end``, so at 12:00 sharp a
    08:00–12:00 session is over. Bounds are whole minutes of local time and ``start < end``;
    a session cannot run past midnight.

    >>> Session("07:30", "11:30").minutes
    240
    """

    start: time = attrs.field(converter=_to_time)
    end: time = attrs.field(converter=_to_time)

    def __attrs_post_init__(self) -> None:
        for bound in (self.start, self.end):
            if bound.second or bound.microsecond or bound.tzinfo is not None:
                raise InvalidHoursError(
                    f"session bound {bound.isoformat()} must be a whole minute of local time "
                    "without a time zone (the calendar carries the zone).",
                    value=bound,
                )
        if _minutes(self.end) <= _minutes(self.start):
            raise InvalidHoursError(
                f"session {self.start:%H:%M}–{self.end:%H:%M} ends before it starts; write the "
                "earlier time first (sessions cannot run past midnight).",
                value=(self.start, self.end),
            )

    @classmethod
    def parse(cls, text: str) -> Session:
        """Read ``"07:30-11:30"`` (an en dash works too); anything else raises
        :class:`~tthc_flow.errors.InvalidHoursError`."""
        parts = text.replace("–", "-").split("-") if isinstance(text, str) else ()
        if len(parts) != 2:
            raise InvalidHoursError(
                f"cannot read {shown(text)} as a session; write it as 'HH:MM-HH:MM', "
                "e.g. '13:00-17:00'.",
                value=text,
            )
        return cls(parts[0], parts[1])

    @property
    def start_minute(self) -> int:
        """Minutes from local midnight to the start."""
        return _minutes(self.start)

    @property
    def end_minute(self) -> int:
        """Minutes from local midnight to the end."""
        return _minutes(self.end)

    @property
    def minutes(self) -> int:
        """Length of the session in minutes."""
        return self.end_minute - self.start_minute

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


SessionLike = Session | str
DaySessions = tuple[Session, ...]


def checked_sessions(values: Iterable[SessionLike]) -> DaySessions:
    if isinstance(values, (str, Session)):
        values = (values,)
    elif not isinstance(values, Iterable):
        raise InvalidHoursError(
            f"sessions must be a Session, an 'HH:MM-HH:MM' text or a list of them, got "
            f"{shown(values)}.",
            value=values,
        )
    result = tuple(v if isinstance(v, Session) else Session.parse(v) for v in values)
    ordered = tuple(sorted(result))
    for before, after in itertools.pairwise(ordered):
        if after.start_minute < before.end_minute:
            raise InvalidHoursError(
                f"sessions {before} and {after} overlap; a minute can be counted only once.",
                value=result,
            )
    return ordered


def _weekly(values: Iterable[Iterable[SessionLike]]) -> tuple[DaySessions, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InvalidHoursError(
            f"a weekly pattern is 7 days of sessions (Monday first), got {shown(values)}.",
            value=values,
        )
    days = tuple(checked_sessions(day) for day in values)
    if len(days) != 7:
        raise InvalidHoursError(
            f"a weekly pattern needs 7 days (Monday first), got {len(days)}.", value=days
        )
    return days


def _extra(values: Iterable[SessionLike]) -> DaySessions:
    return checked_sessions(values)


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@attrs.frozen
class OfficeHours:
    """A weekly pattern of sessions (lịch làm việc trong tuần), Monday first.

    ``weekly[d]`` are the sessions of weekday ``d`` (0 = Monday … 6 = Sunday); an empty tuple is
    a weekly rest day. ``worked_rest_day`` are the sessions of a rest day that is worked anyway
    (a make-up Saturday, ngày làm bù, or a local opening); by default the Monday sessions.

    >>> OfficeHours.standard().minutes_per_week
    2400
    >>> OfficeHours.weekdays("07:30-11:30", "13:00-17:00").sessions_on(0)[0].start.isoformat()
    '07:30:00'
    """

    weekly: tuple[DaySessions, ...] = attrs.field(converter=_weekly)
    worked_rest_day: DaySessions = attrs.field(converter=_extra, default=())

    def __attrs_post_init__(self) -> None:
        if not self.worked_rest_day:
            fallback = next((day for day in self.weekly if day), ())
            object.__setattr__(self, "worked_rest_day", fallback)
        if not any(self.weekly):
            raise InvalidHoursError(
                "office hours with no session on any weekday would make every day closed; "
                "give at least one session.",
                value=self.weekly,
            )

    @classmethod
    def standard(cls) -> OfficeHours:
        """Monday–Friday 08:00–12:00 and 13:00–17:00: 8 hours a day, Decision 188/1999/QĐ-TTg."""
        return cls.weekdays("08:00-12:00", "13:00-17:00")

    @classmethod
    def weekdays(cls, *sessions: SessionLike) -> OfficeHours:
        """The same sessions Monday to Friday, Saturday and Sunday off."""
        day = checked_sessions(sessions)
        return cls(weekly=(day,) * 5 + ((), ()))

    def with_day(self, weekday: int, *sessions: SessionLike) -> OfficeHours:
        """A copy with weekday ``weekday`` (an int, 0 = Monday … 6 = Sunday) set to
        ``sessions`` (none: a rest day)."""
        weekly = list(self.weekly)
        weekly[_weekday(weekday)] = checked_sessions(sessions)
        return attrs.evolve(self, weekly=tuple(weekly))

    def sessions_on(self, weekday: int) -> DaySessions:
        """Sessions of a weekday (an int, 0 = Monday … 6 = Sunday; -1 is not Sunday)."""
        return self.weekly[_weekday(weekday)]

    @property
    def minutes_per_week(self) -> int:
        return sum(s.minutes for day in self.weekly for s in day)

    def __str__(self) -> str:
        parts = []
        for name, day in zip(_WEEKDAY_NAMES, self.weekly, strict=False):
            if day:
                parts.append(f"{name[:3]} " + ", ".join(str(s) for s in day))
        return "; ".join(parts)


def _weekday(value: int) -> int:
    if type(value) is not int or not 0 <= value <= 6:
        raise InvalidHoursError(
            f"weekday must be an int from 0 (Monday) to 6 (Sunday), got {shown(value)}.",
            value=value,
        )
    return value


@attrs.frozen(order=True)
class HoursChange:
    """Office hours that apply from ``effective_from`` on (inclusive) until the next change.

    ``source`` names the decision that set them (e.g. a provincial People's Committee decision).
    """

    effective_from: date
    hours: OfficeHours = attrs.field(order=False)
    # Where the hours come from is metadata: two histories with the same hours are equal.
    source: str = attrs.field(default="", eq=False, order=False)

    def __attrs_post_init__(self) -> None:
        if type(self.effective_from) is not date:
            raise InvalidHoursError(
                f"effective_from must be a datetime.date, got {shown(self.effective_from)}.",
                value=self.effective_from,
            )
        if not isinstance(self.hours, OfficeHours):
            raise InvalidHoursError(
                f"hours must be OfficeHours, got {shown(self.hours)}; build them with "
                "OfficeHours.weekdays('08:00-12:00', '13:00-17:00') or OfficeHours(...).",
                value=self.hours,
            )
        if not isinstance(self.source, str):
            raise InvalidHoursError(
                f"source must be a text naming the decision, got {shown(self.source)}.",
                value=self.source,
            )

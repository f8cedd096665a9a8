"""The working calendar of a state agency (lịch làm việc của cơ quan hành chính nhà nước)."""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
from dateutil.relativedelta import relativedelta

from tthc_flow._validators import flag, shown
from tthc_flow.calendar._days import Closure, DayInfo, DayKind, DayReason, Opening
from tthc_flow.calendar._hours import (
    DECISION_188_1999,
    DaySessions,
    HoursChange,
    OfficeHours,
)
from tthc_flow.calendar._index import US_PER_MINUTE, DayShape, Index
from tthc_flow.calendar._official import OfficialDay
from tthc_flow.calendar._years import FIRST_YEAR, LAST_YEAR, check_year
from tthc_flow.codec._display import short_text
from tthc_flow.errors import (
    CalendarRangeError,
    ConflictingDayError,
    InvalidHoursError,
    InvalidInputError,
    NaiveDatetimeError,
)

__all__ = ["DEFAULT_TIMEZONE", "FIRST_YEAR", "LAST_YEAR", "WorkingCalendar"]

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

CIVIL_CODE_ART_147 = "Bộ luật Dân sự 2015, Điều 147 khoản 2 (ngày đầu tiên không được tính)"
CIVIL_CODE_ART_148 = "Bộ luật Dân sự 2015, Điều 148 (kết thúc thời hạn)"


def checked_zone(value: str | tzinfo) -> tzinfo:
    if isinstance(value, tzinfo):
        return value
    try:
        if not isinstance(value, str):
            raise TypeError
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise InvalidInputError(
            f"unknown time zone {shown(value)}.",
            value=value,
            hint="Use an IANA name such as 'Asia/Ho_Chi_Minh', or a tzinfo.",
        ) from None


def _items(value: Any, what: str, kind: str) -> tuple[Any, ...]:
    """``value`` as a tuple; a value that is not a collection is a typed error, not the
    ``TypeError`` of ``tuple(5)``. A lone text is refused rather than read as characters."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidInputError(
            f"{what} must be a collection of {kind} values, got {shown(value)}.",
            value=value,
            hint=f"Pass a list or tuple, e.g. [{kind}(...)], or () for none.",
        )
    return tuple(value)


def checked_hours(value: OfficeHours | Iterable[HoursChange]) -> tuple[HoursChange, ...]:
    if isinstance(value, OfficeHours):
        return (HoursChange(date.min, value, DECISION_188_1999),)
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidHoursError(
            f"hours must be OfficeHours or a non-empty sequence of HoursChange, got "
            f"{shown(value)}.",
            value=value,
        )
    given = tuple(value)
    if not given or not all(isinstance(c, HoursChange) for c in given):
        raise InvalidHoursError(
            "hours must be OfficeHours or a non-empty sequence of HoursChange.", value=value
        )
    changes = tuple(sorted(given))
    if changes[0].effective_from != date.min:
        raise InvalidHoursError(
            "the first HoursChange must start at date.min so every day has hours; use "
            "WorkingCalendar.with_hours(...) to add a change from a given date.",
            value=changes,
        )
    dates = [c.effective_from for c in changes]
    if len(set(dates)) != len(dates):
        raise InvalidHoursError("two hour changes take effect on the same day.", value=changes)
    return changes


def _official(value: Iterable[OfficialDay]) -> tuple[OfficialDay, ...]:
    return _typed_tuple(value, OfficialDay, "official")


def _closures(value: Iterable[Closure]) -> tuple[Closure, ...]:
    return _typed_tuple(value, Closure, "closures")


def _openings(value: Iterable[Opening]) -> tuple[Opening, ...]:
    return _typed_tuple(value, Opening, "openings")


def _typed_tuple(value: Iterable[Any], kind: type, what: str) -> tuple[Any, ...]:
    items = _items(value, what, kind.__name__)
    for item in items:
        if not isinstance(item, kind):
            raise InvalidInputError(
                f"{what} must hold {kind.__name__} values, got {shown(item)}.",
                value=item,
                hint=f"Build each one with {kind.__name__}(...).",
            )
    return items


def checked_year(value: Any) -> int:
    return check_year(value, "a calendar year")


def _desk(value: Any) -> OfficeHours | None:
    if value is not None and not isinstance(value, OfficeHours):
        raise InvalidInputError(
            f"desk_hours must be OfficeHours or None, got {shown(value)}.",
            value=value,
            hint="Build them with OfficeHours(...), or pass saturday_desk to vietnam_calendar.",
        )
    return value


def _name(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(
            f"a calendar's name must be a text, got {shown(value)}.",
            value=value,
            hint="Name it after its agency, e.g. 'UBND tỉnh Quảng Nam', or leave it out.",
        )
    return value


DateOrInstant = date | datetime


@attrs.frozen(eq=True, repr=False, cache_hash=True)
class WorkingCalendar:
    """Working days and hours of a state agency, with the reason for every exception.

    Build one with :func:`tthc_flow.calendar.vietnam_calendar`; change it with
    :meth:`with_closures`, :meth:`with_openings` and :meth:`with_hours`, which return new
    calendars. All datetimes must be timezone-aware (a naive one raises
    :class:`~tthc_flow.errors.NaiveDatetimeError`); results are in the calendar's zone.

    Time model: sessions are half-open ``[start, end)`` intervals of local time. Working time
    between two instants is the length of their overlap with sessions, exact to the
    microsecond (budgets themselves are whole minutes).

    What every question accepts, and what it refuses with a typed
    :class:`~tthc_flow.errors.TthcFlowError` naming the argument:

    - a *day* is a ``datetime.date`` or an aware datetime (read as its local date); an
      *instant* is an aware datetime only (a ``date``, a string or None is an
      :class:`~tthc_flow.errors.InvalidInputError`, a naive datetime a
      :class:`~tthc_flow.errors.NaiveDatetimeError`);
    - days and instants outside ``first_year``–``last_year`` (local time), including those
      so near year 1 or 9999 that their offset cannot be converted to the calendar's zone,
      raise :class:`~tthc_flow.errors.CalendarRangeError`, as does any answer that would
      fall outside them: the largest count a question accepts is the one whose answer is
      still inside the calendar;
    - counts are ints; a bool is not a count;
    - switches (``at_close``) are bools.
    """

    hours: tuple[HoursChange, ...] = attrs.field(converter=checked_hours)
    official: tuple[OfficialDay, ...] = attrs.field(default=(), converter=_official)
    closures: tuple[Closure, ...] = attrs.field(default=(), converter=_closures)
    openings: tuple[Opening, ...] = attrs.field(default=(), converter=_openings)
    tz: tzinfo = attrs.field(default=ZoneInfo(DEFAULT_TIMEZONE), converter=checked_zone)
    first_year: int = attrs.field(default=FIRST_YEAR, converter=checked_year)
    last_year: int = attrs.field(default=LAST_YEAR, converter=checked_year)
    desk_hours: OfficeHours | None = attrs.field(default=None, converter=_desk)
    name: str = attrs.field(default="", eq=False, converter=_name)
    _index: Index = attrs.field(init=False, repr=False, eq=False)
    _reasons: dict[date, tuple[DayReason, ...]] = attrs.field(init=False, repr=False, eq=False)
    _notable: list[int] = attrs.field(init=False, repr=False, eq=False)
    # What position() reads for an instant in the calendar's zone, in one load: the first
    # ordinal, the number of days covered, the rank table, the working µs before each
    # working day, the shapes, the zone.
    _fast: tuple[int, int, list[int], list[int], list[DayShape], tzinfo] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __repr__(self) -> str:
        # One line: its official days alone would fill pages of a failure report.
        return (
            f"<WorkingCalendar {short_text(self.name, 28)} {self.tz} "
            f"{self.first_year}–{self.last_year}: {len(self.official)} official days, "
            f"{len(self.closures)} closures, {len(self.openings)} openings>"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        """A calendar pickles as what it is built from (a few kB, not its 2 MB index); a
        process unpickling the same calendar again reuses the one it built."""
        return _unpickled, (
            self.hours, self.official, self.closures, self.openings, self.tz,
            self.first_year, self.last_year, self.desk_hours, self.name,
        )  # fmt: skip

    def __attrs_post_init__(self) -> None:
        if self.last_year < self.first_year:
            raise InvalidInputError(
                f"last_year {self.last_year} is before first_year {self.first_year}.",
                value=(self.first_year, self.last_year),
            )
        _build(self)
        _check_clock_changes(self)

    # ----------------------------------------------------------------- derived calendars

    def with_closures(self, *closures: Closure) -> WorkingCalendar:
        """A new calendar with these local closed days added (this one is unchanged). Each
        must be a :class:`Closure` inside the calendar's years."""
        return attrs.evolve(self, closures=self.closures + tuple(closures))

    def with_openings(self, *openings: Opening) -> WorkingCalendar:
        """A new calendar with these local extra working days added. Each must be an
        :class:`Opening` inside the calendar's years."""
        return attrs.evolve(self, openings=self.openings + tuple(openings))

    def with_hours(
        self, hours: OfficeHours, *, from_date: date, source: str = ""
    ) -> WorkingCalendar:
        """A new calendar whose office hours become ``hours`` (:class:`OfficeHours`) from
        ``from_date`` (a ``datetime.date``, inclusive); ``source`` names the decision."""
        change = HoursChange(from_date, hours, source)
        kept = tuple(c for c in self.hours if c.effective_from != from_date)
        return attrs.evolve(self, hours=(*kept, change))

    # ----------------------------------------------------------------- range and conversion

    @property
    def first_day(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.last_year, 12, 31)

    def _range_error(self, value: Any, what: str = "date") -> CalendarRangeError:
        if type(value) is int:
            value = shown(value)  # an int too long to print is described, not printed
        return CalendarRangeError(value, first=self.first_day, last=self.last_day, what=what)

    def _ordinal(self, day: DateOrInstant, argument: str = "day") -> int:
        if type(day) is date:
            ordinal = day.toordinal()
        elif isinstance(day, datetime):
            ordinal = self._local(day, argument).toordinal()
        elif isinstance(day, date):
            ordinal = day.toordinal()
        else:
            raise InvalidInputError(
                f"{argument} must be a datetime.date or an aware datetime, got {shown(day)}.",
                value=day,
                hint="Pass e.g. date(2026, 3, 2), or an aware datetime for its local day.",
            )
        index = self._index
        if not index.first_ordinal <= ordinal <= index.last_ordinal:
            raise self._range_error(day, argument)
        return ordinal

    def _local(self, instant: datetime, argument: str = "instant") -> datetime:
        if not isinstance(instant, datetime):
            raise InvalidInputError(
                f"{argument} must be an aware datetime, got {shown(instant)}.",
                value=instant,
                hint="Pass e.g. datetime(2026, 3, 2, 8, tzinfo=ZoneInfo('Asia/Ho_Chi_Minh')); "
                "a date has no time of day.",
            )
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise NaiveDatetimeError(instant, argument=argument)
        try:
            return instant.astimezone(self.tz)
        except OverflowError:
            # So near year 1 or 9999 that the calendar's zone has no such local time.
            raise self._range_error(instant, argument) from None

    def _split(self, instant: datetime, argument: str = "instant") -> tuple[int, int]:
        """Local (ordinal, µs since local midnight) of an aware instant, range-checked."""
        # An instant already in the calendar's zone needs no conversion (the common case).
        if type(instant) is datetime and instant.tzinfo is self.tz:
            local = instant
        else:
            local = self._local(instant, argument)
        ordinal = local.toordinal()
        index = self._index
        if not index.first_ordinal <= ordinal <= index.last_ordinal:
            raise self._range_error(instant, argument)
        us = (local.hour * 3600 + local.minute * 60 + local.second) * 1_000_000 + local.microsecond
        return ordinal, us

    def to_local(self, instant: datetime, argument: str = "instant") -> datetime:
        """``instant`` in the calendar's zone, checked as every question checks an instant: an
        aware datetime (else :class:`~tthc_flow.errors.InvalidInputError` or
        :class:`~tthc_flow.errors.NaiveDatetimeError` naming ``argument``) whose local day
        is inside the calendar (else :class:`~tthc_flow.errors.CalendarRangeError`)."""
        self._split(instant, argument)
        return instant.astimezone(self.tz)

    def _instant(self, i: int, us: int) -> datetime:
        return self._index.midnights[i] + _offset(us)

    # ----------------------------------------------------------------- days

    def is_working_day(self, day: DateOrInstant) -> bool:
        """Whether ``day`` is worked. An aware datetime is read as its local date."""
        return self._index.is_worked(self._ordinal(day))

    def sessions_on(self, day: DateOrInstant) -> DaySessions:
        """Sessions of ``day`` (empty when the day is not worked)."""
        ordinal = self._ordinal(day)
        index = self._index
        if index.is_worked(ordinal):
            return index.shapes[index.find(ordinal)].sessions
        return ()

    def add_working_days(self, day: DateOrInstant, n: int) -> date:
        """The ``n``-th working day after ``day``; ``day`` itself is not counted.

        - ``n > 0``: counting starts the day after ``day``, whether or not ``day`` is worked
          (Friday + 1 is Monday; Saturday + 1 is Monday too).
        - ``n == 0``: ``day`` if it is worked, else the next working day.
        - ``n < 0``: the ``|n|``-th working day before ``day`` (Monday − 1 is Friday).

        ``n`` is an int (not a bool) of any size: one whose answer falls outside the calendar
        raises :class:`~tthc_flow.errors.CalendarRangeError`, so the largest ``n`` accepted
        from ``day`` is ``count_working_days(day, calendar.last_day)``.
        ``count_working_days(day, add_working_days(day, n)) == n`` for every ``n != 0``.
        """
        index = self._index
        if type(day) is date and type(n) is int:
            # Fast path for the common call; everything else goes through the checks below.
            k = day.toordinal() - index.first_ordinal
            if 0 <= k <= index.last_ordinal - index.first_ordinal:
                i = index.before[k + 1] + n - 1 if n > 0 else index.before[k] + n
                if 0 <= i < index.size:
                    return index.dates[i]
        if type(n) is not int:
            raise InvalidInputError(
                f"n must be an int (a number of working days), got {shown(n)}.",
                value=n,
                hint="Pass a whole number such as 3; a bool is not a count.",
            )
        ordinal = self._ordinal(day)
        i = index.count_through(ordinal) + n - 1 if n > 0 else index.find(ordinal) + n
        if not 0 <= i < index.size:
            raise self._range_error(f"{day} {shown(n, 30)} working days", "result (n)")
        return index.dates[i]

    def count_working_days(self, start: DateOrInstant, end: DateOrInstant) -> int:
        """Working days in ``(start, end]``: ``start`` excluded, ``end`` included.

        When ``end`` is before ``start`` the answer is negative: minus the working days in
        ``[end, start)``, again excluding ``start`` and including ``end``, so that this is the
        inverse of :meth:`add_working_days` in both directions.
        """
        index = self._index
        a = self._ordinal(start, "start")
        b = self._ordinal(end, "end")
        if b >= a:
            return index.count_through(b) - index.count_through(a)
        return -(index.find(a) - index.find(b))

    def working_days(self, start: DateOrInstant, end: DateOrInstant) -> list[date]:
        """Working days in ``[start, end]``, both included (a slice of the index)."""
        index = self._index
        return index.dates[
            index.find(self._ordinal(start)) : index.count_through(self._ordinal(end))
        ]

    # ----------------------------------------------------------------- instants

    def is_working_time(self, instant: datetime) -> bool:
        """Whether ``instant`` is inside a session of a working day.

        Sessions are half-open: 08:00 sharp is working time, 17:00 sharp is not.
        """
        first, span, before, _, shapes, tz = self._fast
        if type(instant) is datetime and instant.tzinfo is tz:  # the common case, inline
            k = instant.toordinal() - first
            if 0 <= k < span:
                i = before[k]
                return before[k + 1] != i and shapes[i].open_minutes[
                    instant.hour * 60 + instant.minute
                ] == 1  # fmt: skip
        ordinal, us = self._split(instant)
        index = self._index
        return index.is_worked(ordinal) and index.shapes[index.find(ordinal)].open_at(us)

    def next_opening(self, instant: datetime) -> datetime:
        """The first instant at or after ``instant`` that is working time.

        Inside a session it is ``instant`` itself; at 12:00 or 17:00 sharp it is the start of
        the next session (13:00, or 08:00 of the next working day).
        """
        ordinal, us = self._split(instant)
        index = self._index
        i = index.find(ordinal)
        if index.is_worked(ordinal):
            start = index.shapes[i].next_start(us)
            if start is not None:
                return instant.astimezone(self.tz) if start == us else self._instant(i, start)
            i += 1
        if i >= index.size:
            raise self._range_error(instant, "next opening after")
        return self._instant(i, index.shapes[i].first_start)

    def is_desk_open(self, instant: datetime) -> bool:
        """Whether the reception desk (bộ phận một cửa) receives at ``instant``.

        The desk is open in working time and, if the calendar has ``desk_hours``, in those
        extra sessions on days that no holiday or closure shuts (a Saturday-morning desk).
        Desk-only hours receive dossiers but are not working time: the clock of a case
        received then starts at :meth:`next_opening`.
        """
        if self.is_working_time(instant):
            return True
        if self.desk_hours is None:
            return False
        local = self._local(instant)
        reasons = self._reasons.get(local.date(), ())
        if any(not r.kind.opens and r.kind is not DayKind.WEEKLY_REST for r in reasons):
            return False
        minute = local.hour * 60 + local.minute
        return any(
            s.start_minute <= minute < s.end_minute
            for s in self.desk_hours.sessions_on(local.weekday())
        )

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from ``start`` to ``end``: the overlap of ``[start, end)`` with sessions.

        Exact to the microsecond; negative when ``end`` is before ``start``. Instants outside
        working time contribute nothing, so Friday 17:00 to Monday 08:00 is zero.
        """
        fast = self._fast
        tz = fast[5]
        if (
            type(start) is datetime and start.tzinfo is tz
            and type(end) is datetime and end.tzinfo is tz
        ):  # fmt: skip
            a, b = _zone_position(start, fast), _zone_position(end, fast)
            if a >= 0 and b >= 0:
                return _ONE_US * (b - a)
        a = self._index.position(*self._split(start, "start"))
        b = self._index.position(*self._split(end, "end"))
        return _ONE_US * (b - a)

    # ----------------------------------------------------------------- positions

    def position(self, instant: datetime) -> int:
        """The working-time position of ``instant`` (vị trí trên trục thời gian làm việc):
        the working time, in whole microseconds, from 00:00 of the calendar's first day to
        ``instant``.

        Positions lay working time on one line: they grow inside sessions and stand still
        outside them (Friday 17:00, Saturday noon and Monday 08:00 share one position), so
        the working time between two instants is the difference of their positions:
        ``working_time_between(a, b) == timedelta(microseconds=position(b) - position(a))``.
        One working minute is 60,000,000. Clocks fold events in positions, so that elapsed
        time is an integer subtraction and only the instants that decide a class cost a
        search.

        >>> from tthc_flow.calendar import vietnam_calendar
        >>> from zoneinfo import ZoneInfo
        >>> cal, vn = vietnam_calendar(), ZoneInfo("Asia/Ho_Chi_Minh")
        >>> friday = cal.position(datetime(2026, 3, 6, 17, 0, tzinfo=vn))
        >>> friday == cal.position(datetime(2026, 3, 9, 8, 0, tzinfo=vn))  # the weekend
        True
        >>> (cal.position(datetime(2026, 3, 9, 9, 30, tzinfo=vn)) - friday) // 60_000_000
        90
        """
        fast = self._fast
        if type(instant) is datetime and instant.tzinfo is fast[5]:
            found = _zone_position(instant, fast)
            if found >= 0:
                return found
        return self._index.position(*self._split(instant))

    def instant_at(self, position: int) -> datetime:
        """The earliest instant whose position is ``position`` (the inverse of
        :meth:`position`), in the calendar's zone.

        - Inside a session it is the one instant with that position.
        - A position that ends a session is that session's end (12:00, 17:00), not the start
          of the next one (13:00, 08:00 the next working day): the rule of
          :meth:`add_working_time`, so that ``add_working_time(t, d) ==
          instant_at(position(t) + d)`` for every ``d > 0``.
        - Position 0 is 00:00 of the calendar's first day.

        Raises :class:`~tthc_flow.errors.CalendarRangeError` for a negative position or one
        past the calendar's last working minute.
        """
        if type(position) is not int:
            raise InvalidInputError(
                f"a position is an int of working microseconds, got {shown(position)}.",
                value=position,
                hint="Take positions from WorkingCalendar.position(instant).",
            )
        index = self._index
        if position == 0:
            return datetime.combine(self.first_day, datetime.min.time(), self.tz)
        if position > 0:
            minutes, rest = divmod(position, US_PER_MINUTE)
            j = bisect_left(index.cum_end, minutes + 1 if rest else minutes)
            if j < index.size:
                local_us = index.shapes[j].earliest(position - index.cum[j] * US_PER_MINUTE)
                return index.midnights[j] + _offset(local_us)
        raise self._range_error(position, "position")

    def day_end_position(self, day: DateOrInstant) -> int:
        """The position of 24:00 at the end of ``day``: the working time from the calendar's
        start through the whole day (an aware instant is read as its local day). A finish
        on a day whose end position is short of a due's position is on a day before the
        due's (trước hạn, early)."""
        first, span, before, cum_us, _, tz = self._fast
        if type(day) is datetime and day.tzinfo is tz:
            k = day.toordinal() - first
            if 0 <= k < span:
                return cum_us[before[k + 1]]
        return cum_us[self._index.count_through(self._ordinal(day))]

    def due_day(self, due: datetime) -> date:
        """The day a due instant falls on (ngày hết hạn): its local date, except that a due
        at 00:00 sharp is 24:00 of a Civil Code period (Bộ luật Dân sự 2015, Art. 148(6))
        and belongs to the day before. Result classes compare a finish's local date with
        this day: finished on a day before it is early (trước hạn). The day must be inside
        the calendar (00:00 just after its last day is that last day's 24:00), else
        :class:`~tthc_flow.errors.CalendarRangeError`.

        >>> from tthc_flow.calendar import vietnam_calendar
        >>> from zoneinfo import ZoneInfo
        >>> cal, vn = vietnam_calendar(), ZoneInfo("Asia/Ho_Chi_Minh")
        >>> cal.due_day(datetime(2026, 4, 29, 0, 0, tzinfo=vn))
        datetime.date(2026, 4, 28)
        >>> cal.due_day(datetime(2026, 4, 29, 9, 0, tzinfo=vn))
        datetime.date(2026, 4, 29)
        """
        local = self._local(due, "due")
        day = local.date()
        if local.hour == local.minute == local.second == local.microsecond == 0:
            if day == date.min:
                raise self._range_error(due, "due")
            day -= timedelta(days=1)
        if not self.first_day <= day <= self.last_day:
            raise self._range_error(due, "due")
        return day

    def day_opening(self, day: DateOrInstant) -> datetime | None:
        """The start of ``day``'s first session (08:00), or None when the day is not worked."""
        ordinal = self._ordinal(day)
        index = self._index
        if not index.is_worked(ordinal):
            return None
        i = index.find(ordinal)
        return self._instant(i, index.shapes[i].first_start)

    def day_closing(self, day: DateOrInstant) -> datetime | None:
        """The end of ``day``'s last session (17:00), or None when the day is not worked."""
        ordinal = self._ordinal(day)
        index = self._index
        if not index.is_worked(ordinal):
            return None
        i = index.find(ordinal)
        return self._instant(i, index.shapes[i].last_end)

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The earliest instant at which ``amount`` of working time has elapsed since ``start``.

        - The clock only runs in sessions: Friday 16:00 + 2 hours is Monday 09:00 (if Monday
          is worked).
        - An amount that ends exactly at the end of a session ends there: Monday 08:00 +
          8 hours is Monday 17:00, not Tuesday 08:00; Monday 08:00 + 4 hours is 12:00, not 13:00.
        - A zero amount returns ``start`` (in the calendar's zone), even outside working time.
        - A start outside working time behaves as the next opening: Saturday 10:00 + 1 hour is
          Monday 09:00.
        - A negative amount counts back: the latest instant from which ``-amount`` of working
          time runs to ``start`` (it lands on a session start, never on a session end).

        ``working_time_between(start, add_working_time(start, d)) == d`` always holds.

        >>> from tthc_flow.calendar import vietnam_calendar
        >>> from zoneinfo import ZoneInfo
        >>> cal, vn = vietnam_calendar(), ZoneInfo("Asia/Ho_Chi_Minh")
        >>> monday = datetime(2026, 3, 2, 8, 0, tzinfo=vn)
        >>> cal.add_working_time(monday, timedelta(hours=8)).isoformat()
        '2026-03-02T17:00:00+07:00'
        >>> cal.add_working_time(monday, timedelta(hours=4)).isoformat()
        '2026-03-02T12:00:00+07:00'
        >>> cal.add_working_time(monday, timedelta(hours=-1)).isoformat()
        '2026-02-27T16:00:00+07:00'
        """
        if type(amount) is not timedelta and not isinstance(amount, timedelta):
            raise InvalidInputError(
                f"amount must be a datetime.timedelta, got {shown(amount)}.",
                value=amount,
                hint="For working days use timedelta(hours=8 * n) or the engine's WorkingDays(n).",
            )
        delta = (amount.days * 86_400 + amount.seconds) * 1_000_000 + amount.microseconds
        fast = self._fast
        if type(start) is datetime and start.tzinfo is fast[5] and delta:
            target = _zone_position(start, fast)  # the common case, inline
            if target < 0:
                target = self._index.position(*self._split(start, "start"))
            target += delta
        else:
            ordinal, us = self._split(start, "start")
            if delta == 0:
                return start.astimezone(self.tz)
            target = self._index.position(ordinal, us) + delta
        index = self._index
        cum = index.cum
        # The earliest instant at ``target`` for a forward budget (a session end stays a
        # session end), the latest for a backward one (a session start).
        if delta > 0:
            # instant_at(target) inline (a call costs a sixth of this method): the day whose
            # working time holds the minute in which target ends, then DayShape.earliest,
            # the local minute of that working minute. A property pins the two equal.
            worked_total = (target - 1) // US_PER_MINUTE
            j = bisect_right(index.cum_end, worked_total)
            if j < index.size:
                local = index.shapes[j].starts[worked_total - cum[j]]
                rest = target - worked_total * US_PER_MINUTE
                return index.midnights[j] + _offset(local * US_PER_MINUTE + rest)
        elif target >= 0:
            j = bisect_right(cum, target // US_PER_MINUTE) - 1
            if j < index.size:
                local_us = index.shapes[j].latest(target - cum[j] * US_PER_MINUTE)
                return index.midnights[j] + _offset(local_us)
        raise self._range_error(
            f"{start.isoformat()} {'+' if delta > 0 else '-'} {abs(amount)}", "result"
        )

    # ----------------------------------------------------------------- calendar-day periods

    def add_calendar_days(
        self, event: DateOrInstant, n: int, *, at_close: bool = False
    ) -> datetime:
        """End of a period of ``n`` calendar days (ngày) after ``event``, Civil Code 2015.

        - Art. 147(2): the day of the event is not counted; the period's last day is
          ``event_day + n``. ``n == 0`` makes the event's own day the last day.
        - Art. 148(5): if the last day is not a working day (weekend, holiday, closure), the
          period ends with the next working day. Make-up Saturdays count as working days.
        - Art. 148(6): the period ends at 24:00 of its last day, returned as 00:00 of the
          following day. With ``at_close=True`` it ends instead at the close of that day's
          last session (the practice of desks that return results in office hours).

        ``n`` is an int from 0 (not a bool); ``at_close`` a bool. A period whose last day
        (before the move to a working day) is after the calendar's last day raises
        :class:`~tthc_flow.errors.CalendarRangeError` before any date arithmetic: from
        ``event`` the largest ``n`` accepted is ``(calendar.last_day - event_day).days``, at
        most 38,715 on the 1995–2100 calendar.
        """
        self._period_length(n, "calendar days")
        ordinal = self._ordinal(event, "event")
        if n > self._index.last_ordinal - ordinal:
            raise self._range_error(
                f"{date.fromordinal(ordinal)} + {shown(n, 30)} calendar days", "period end (n)"
            )
        return self._period_end(date.fromordinal(ordinal + n), flag(at_close, "at_close"))

    def add_months(self, event: DateOrInstant, n: int, *, at_close: bool = False) -> datetime:
        """End of a period of ``n`` months (tháng) after ``event``, Civil Code 2015 Art. 148(3).

        The last day is the same day of the month ``n`` months later, or the last day of that
        month if it has no such day (31 January + 1 month is 28 or 29 February), computed with
        ``dateutil.relativedelta``; then the rules of :meth:`add_calendar_days` apply.

        ``n`` is an int from 0 (not a bool); ``at_close`` a bool. A period ending in a month
        after the calendar's last one raises :class:`~tthc_flow.errors.CalendarRangeError`
        before any date arithmetic: the largest ``n`` accepted is the number of months from
        the event's month to December of ``last_year`` (at most 1,271 on the 1995–2100
        calendar).
        """
        self._period_length(n, "months")
        ordinal = self._ordinal(event, "event")
        start = date.fromordinal(ordinal)
        if n > (self.last_year - start.year) * 12 + 12 - start.month:
            raise self._range_error(f"{start} + {shown(n, 30)} months", "period end (n)")
        return self._period_end(start + relativedelta(months=n), flag(at_close, "at_close"))

    @staticmethod
    def _period_length(n: Any, unit: str) -> None:
        if type(n) is not int or n < 0:
            raise InvalidInputError(
                f"n, a period's length in {unit}, must be a whole number from 0, got "
                f"{shown(n)}.",
                value=n,
                hint="Pass e.g. 15; a bool, a float or a string is not a count.",
            )

    def _period_end(self, last: date, at_close: bool) -> datetime:
        if not self.first_day <= last <= self.last_day:
            raise self._range_error(last, "period end")
        index = self._index
        i = index.find(last.toordinal())
        if i >= index.size:
            raise self._range_error(last, "period end")
        if at_close:
            return self._instant(i, index.shapes[i].last_end)
        day = index.dates[i]
        return datetime(day.year, day.month, day.day, tzinfo=self.tz) + timedelta(days=1)

    # ----------------------------------------------------------------- explanations

    def explain(self, day: DateOrInstant) -> DayInfo:
        """Whether ``day`` is worked, its sessions, and every reason, with its source."""
        ordinal = self._ordinal(day)
        local_day = date.fromordinal(ordinal)
        sessions = self.sessions_on(local_day)
        reasons = self._reasons.get(local_day)
        if reasons is None:
            hours = _change_on(self.hours, local_day)
            kind = DayKind.WORKDAY if sessions else DayKind.WEEKLY_REST
            reasons = (DayReason(kind, kind.vietnamese, kind.english, hours.source),)
        return DayInfo(local_day, bool(sessions), sessions, reasons)

    def notable_days(self, start: DateOrInstant, end: DateOrInstant) -> list[DayInfo]:
        """Days in ``[start, end]`` that break the weekly pattern: closed weekdays and worked
        rest days, each explained. Plain weekends and plain working days are left out."""
        a = self._ordinal(start, "start")
        b = self._ordinal(end, "end")
        notable = self._notable
        return [
            self.explain(date.fromordinal(o))
            for o in notable[bisect_left(notable, a) : bisect_right(notable, b)]
        ]

    def __iter__(self) -> Iterator[date]:
        """Every working day of the calendar, in order."""
        return iter(self._index.dates)

    def __len__(self) -> int:
        return len(self._index)


def _offsets_vary(tz: tzinfo, year: int) -> bool:
    """Whether ``tz`` gives different UTC offsets at noon on some two days of ``year`` a week
    apart, or on its first and last days (a zone with summer time does, as does one whose
    clocks change for a month, as Morocco's do in Ramadan; Vietnam's has not since 1975).
    A change undone within the week between two samples would be missed: no zone has one."""
    start = datetime(year, 1, 1, 12)
    days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    offset_at = tz.utcoffset  # read with naive wall times: a zone's own method, no datetime made
    first = offset_at(start)
    return any(
        offset_at(start + timedelta(days=day)) != first for day in (*range(7, days, 7), days - 1)
    )


def _check_clock_changes(calendar: WorkingCalendar) -> None:
    """Refuse a calendar whose zone moves its clocks during a working session.

    Positions count the minutes of the day's office hours on the wall clock; a session the
    clocks jump through would count an hour that never passed, or miss one that did (a
    session of 00:00–04:00 on the night summer time starts is 3 hours long, not 4). Zones
    with a fixed offset are never checked; others are scanned only in the years whose
    offsets differ. Office hours that keep clear of the change (as 08:00–17:00 does in
    every zone that changes at night) are accepted."""
    tz = calendar.tz
    if isinstance(tz, timezone):
        return
    index = calendar._index
    utc = timezone.utc
    for year in range(calendar.first_year, calendar.last_year + 1):
        if not _offsets_vary(tz, year):
            continue
        day = date(year, 1, 1)
        before = datetime(year, 1, 1, tzinfo=tz).utcoffset()
        while day.year == year:
            following = day + timedelta(days=1)
            after = datetime.combine(following, time(0), tz).utcoffset()
            if after != before and index.is_worked(day.toordinal()):
                for session in index.shapes[index.find(day.toordinal())].sessions:
                    start = datetime.combine(day, session.start, tz)
                    end = datetime.combine(day, session.end, tz)
                    real = end.astimezone(utc) - start.astimezone(utc)
                    if real != end.replace(tzinfo=None) - start.replace(tzinfo=None):
                        raise InvalidHoursError(
                            f"on {day.isoformat()} the clocks of {tz} change during the "
                            f"session {session.start:%H:%M}–{session.end:%H:%M} (it lasts "
                            f"{real} of real time): working time would be counted on the wall "
                            "clock. Keep that day's office hours clear of the change, or use "
                            "a zone with a fixed offset.",
                            value=(day, session),
                        )
            before = after
            day = following


def _build(calendar: WorkingCalendar) -> None:
    """Lay out the index: one pass over the covered days, done once per calendar."""
    first, last = calendar.first_day, calendar.last_day
    reasons: dict[date, list[DayReason]] = {}
    for official in calendar.official:
        if first <= official.day <= last:
            reasons.setdefault(official.day, []).append(official.reason)
    local: dict[date, str] = {}
    opening_sessions: dict[date, DaySessions | None] = {}
    for closure in calendar.closures:
        for day in closure.days():
            if not first <= day <= last:
                raise calendar._range_error(day, "closure")
            if local.get(day) == "opening":
                raise ConflictingDayError(day, "opened", "closed")
            local[day] = "closure"
            reasons.setdefault(day, []).append(closure.reason_for())
    for opening in calendar.openings:
        day = opening.day
        if not first <= day <= last:
            raise calendar._range_error(day, "opening")
        if local.get(day) == "closure":
            raise ConflictingDayError(day, "closed", "opened")
        local[day] = "opening"
        opening_sessions[day] = opening.sessions
        reasons.setdefault(day, []).append(opening.reason_for())

    index = Index(first, last)
    shapes: dict[DaySessions, DayShape] = {}
    changes = calendar.hours
    change_at = 0
    notable: list[int] = []
    one_day = timedelta(days=1)
    day = first
    while day <= last:
        while change_at + 1 < len(changes) and changes[change_at + 1].effective_from <= day:
            change_at += 1
        hours = changes[change_at].hours
        sessions = hours.weekly[day.weekday()]
        day_reasons = reasons.get(day)
        if day_reasons:
            decisive = day_reasons[-1]
            if decisive.kind.opens:
                sessions = opening_sessions.get(day) or sessions or hours.worked_rest_day
            else:
                sessions = ()
            if bool(sessions) != bool(hours.weekly[day.weekday()]):
                notable.append(day.toordinal())
        if sessions:
            shape = shapes.get(sessions)
            if shape is None:
                shape = shapes[sessions] = DayShape(sessions)
            index.append(day, shape, calendar.tz)
        else:
            index.skip()
        day += one_day

    index.close()
    frozen_reasons: dict[date, tuple[DayReason, ...]] = {}
    for day, found in reasons.items():
        change = _change_on(changes, day)
        base_kind = DayKind.WORKDAY if change.hours.weekly[day.weekday()] else DayKind.WEEKLY_REST
        base = DayReason(base_kind, base_kind.vietnamese, base_kind.english, change.source)
        frozen_reasons[day] = (base, *found)
    object.__setattr__(calendar, "_index", index)
    object.__setattr__(calendar, "_reasons", frozen_reasons)
    object.__setattr__(calendar, "_notable", notable)
    object.__setattr__(
        calendar,
        "_fast",
        (
            index.first_ordinal,
            index.last_ordinal - index.first_ordinal + 1,
            index.before,
            [minutes * US_PER_MINUTE for minutes in index.cum],
            index.shapes,
            calendar.tz,
        ),
    )


_ONE_US = timedelta(microseconds=1)  # multiplying it makes a timedelta fastest


def _zone_position(
    instant: datetime, fast: tuple[int, int, list[int], list[int], list[DayShape], tzinfo]
) -> int:
    """The position of ``instant``, already in the calendar's zone, or -1 when its day is not
    covered (the caller then takes the checked path, which raises). The hot path of
    :meth:`WorkingCalendar.position`, ``working_time_between`` and ``add_working_time``:
    one lookup in the rank table and in the day shape's per-minute tables."""
    first, span, before, cum_us, shapes, _ = fast
    k = instant.toordinal() - first
    if not 0 <= k < span:
        return -1
    i = before[k]
    if before[k + 1] == i:
        return cum_us[i]
    shape = shapes[i]
    minute = instant.hour * 60 + instant.minute
    if shape.open_minutes[minute]:
        return (
            cum_us[i] + shape.before_minute[minute] * US_PER_MINUTE
            + instant.second * 1_000_000 + instant.microsecond
        )  # fmt: skip
    return cum_us[i] + shape.before_minute[minute] * US_PER_MINUTE


# Every whole minute of a day as a timedelta, made once: answers land on whole minutes almost
# always, and adding a ready timedelta to a midnight is several times cheaper than making one.
_MINUTE_OFFSETS = tuple(timedelta(minutes=m) for m in range(24 * 60 + 1))


def _offset(us: int) -> timedelta:
    """``us`` microseconds after local midnight, as a timedelta."""
    minute, rest = divmod(us, US_PER_MINUTE)
    if rest == 0 and 0 <= minute <= 24 * 60:
        return _MINUTE_OFFSETS[minute]
    return timedelta(microseconds=us)


def _change_on(changes: tuple[HoursChange, ...], day: date) -> HoursChange:
    """The office-hours change in force on ``day``."""
    keys = [c.effective_from for c in changes]
    return changes[bisect_right(keys, day) - 1]


@functools.lru_cache(maxsize=8)
def _unpickled(
    hours: tuple[HoursChange, ...], official: tuple[OfficialDay, ...],
    closures: tuple[Closure, ...], openings: tuple[Opening, ...], tz: tzinfo,
    first_year: int, last_year: int, desk_hours: OfficeHours | None, name: str,
) -> WorkingCalendar:  # fmt: skip
    """A pickled calendar, built once per process (see :meth:`WorkingCalendar.__reduce__`)."""
    return WorkingCalendar(hours, official, closures, openings, tz, first_year, last_year,
                           desk_hours, name)  # fmt: skip

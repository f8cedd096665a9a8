"""The sorted index behind every calendar question: working days and cumulative working time.

Working time is laid out on one line. The *position* of an instant is the working time, in
microseconds, from the start of the calendar to that instant; it grows inside sessions and
stands still outside them. Day ``i`` of the index (the i-th working day) starts at position
``cum[i]`` minutes and ends at ``cum[i + 1]``.

Two lookups answer every question, never a loop over days:

- date → rank: ``before[ordinal - first_ordinal]`` is the number of working days before a date,
  a direct table lookup (O(1); a binary search over ``ordinals`` gives the same answer, twice
  as slowly in CPython);
- working time → day: a binary search over the cumulative minutes (O(log n)), then a walk over
  the two or three sessions of one day.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from tthc_flow.calendar._hours import DaySessions

__all__ = ["US_PER_MINUTE", "DayShape", "Index"]

US_PER_MINUTE = 60_000_000
_MINUTES_PER_DAY = 24 * 60
_US_PER_DAY = _MINUTES_PER_DAY * US_PER_MINUTE


class DayShape:
    """The sessions of one working day, in microseconds from local midnight.

    Many days share one shape (every ordinary Monday looks the same), so shapes are interned.
    """

    __slots__ = (
        "before_minute",
        "first_start",
        "last_end",
        "open_minutes",
        "sessions",
        "spans",
        "starts",
        "total_minutes",
        "total_us",
    )

    def __init__(self, sessions: DaySessions) -> None:
        self.sessions = sessions
        self.spans = tuple(
            (s.start_minute * US_PER_MINUTE, s.end_minute * US_PER_MINUTE) for s in sessions
        )
        self.total_minutes = sum(s.minutes for s in sessions)
        self.total_us = self.total_minutes * US_PER_MINUTE
        self.first_start = self.spans[0][0]
        self.last_end = self.spans[-1][1]
        # Per-minute tables (sessions start and end on whole minutes, so an instant is in
        # working time exactly when its minute is): whether each minute of the day is worked,
        # the working minutes before it, and the local minute of each working minute. Every
        # question about one day is then a lookup, not a walk over its sessions; the tables
        # are shared by the days of one shape.
        worked = bytearray(_MINUTES_PER_DAY + 1)
        for s in sessions:
            worked[s.start_minute : s.end_minute] = b"\x01" * (s.end_minute - s.start_minute)
        self.open_minutes = bytes(worked)
        before, count = [], 0
        for minute in range(_MINUTES_PER_DAY + 1):
            before.append(count)
            count += worked[minute]
        self.before_minute = tuple(before)
        self.starts = tuple(m for m in range(_MINUTES_PER_DAY) if worked[m])

    def elapsed(self, us: int) -> int:
        """Working time of this day before local time ``us`` (µs from midnight)."""
        minute, rest = divmod(us, US_PER_MINUTE)
        if minute >= _MINUTES_PER_DAY:
            return self.total_us
        if self.open_minutes[minute]:
            return self.before_minute[minute] * US_PER_MINUTE + rest
        return self.before_minute[minute] * US_PER_MINUTE

    def earliest(self, offset: int) -> int:
        """Earliest local time at which ``offset`` µs (0 < offset <= total) have elapsed.

        An offset that ends a session lands on that session's end (12:00, 17:00), not on the
        start of the next one.
        """
        worked = (offset - 1) // US_PER_MINUTE  # the working minute in which offset ends
        return self.starts[worked] * US_PER_MINUTE + offset - worked * US_PER_MINUTE

    def latest(self, offset: int) -> int:
        """Latest local time at which exactly ``offset`` µs (0 <= offset < total) have elapsed.

        An offset that ends a session lands on the start of the next one (13:00, 08:00).
        """
        worked = offset // US_PER_MINUTE  # the working minute offset falls in
        return self.starts[worked] * US_PER_MINUTE + offset - worked * US_PER_MINUTE

    def open_at(self, us: int) -> bool:
        return 0 <= us < _US_PER_DAY and self.open_minutes[us // US_PER_MINUTE] == 1

    def next_start(self, us: int) -> int | None:
        """Local time of the first instant at or after ``us`` inside a session, if any today."""
        for start, end in self.spans:
            if us < end:
                return max(us, start)
        return None


class Index:
    """Working days of a calendar, sorted, with cumulative working minutes.

    ``ordinals[i]`` is the proleptic ordinal of the i-th working day, ``dates[i]`` the same
    day as a date, ``shapes[i]`` its sessions, ``cum[i]`` the working minutes before it
    (``cum`` has one more entry than days: the total) and ``cum_end[i] == cum[i + 1]``.
    """

    __slots__ = (
        "before",
        "cum",
        "cum_end",
        "dates",
        "first_ordinal",
        "last_ordinal",
        "midnights",
        "ordinals",
        "shapes",
        "size",
    )

    def __init__(self, first: date, last: date) -> None:
        self.first_ordinal = first.toordinal()
        self.last_ordinal = last.toordinal()
        self.ordinals: list[int] = []
        self.dates: list[date] = []
        self.midnights: list[datetime] = []
        self.shapes: list[DayShape] = []
        self.cum: list[int] = [0]
        self.cum_end: list[int] = []
        self.before: list[int] = []
        self.size = 0

    def skip(self) -> None:
        """Record a covered day that is not worked."""
        self.before.append(self.size)

    def append(self, day: date, shape: DayShape, tz: tzinfo) -> None:
        """Record the next covered day, which is worked with ``shape``."""
        self.before.append(self.size)
        self.ordinals.append(day.toordinal())
        self.dates.append(day)
        # Results are built as midnight + offset: cheaper than datetime(...) from parts, and
        # exact because calendar zones are read as wall-clock time.
        self.midnights.append(datetime(day.year, day.month, day.day, tzinfo=tz))
        self.shapes.append(shape)
        total = self.cum[-1] + shape.total_minutes
        self.cum.append(total)
        self.cum_end.append(total)
        self.size += 1

    def __len__(self) -> int:
        return self.size

    def close(self) -> None:
        """Finish the rank table (one entry past the last day, for ``count_through``)."""
        self.before.append(self.size)

    def find(self, ordinal: int) -> int:
        """Index of the first working day on or after ``ordinal`` (a covered day)."""
        return self.before[ordinal - self.first_ordinal]

    def count_through(self, ordinal: int) -> int:
        """Number of working days on or before ``ordinal`` (a covered day)."""
        return self.before[ordinal - self.first_ordinal + 1]

    def is_worked(self, ordinal: int) -> bool:
        k = ordinal - self.first_ordinal
        return self.before[k + 1] != self.before[k]

    def position(self, ordinal: int, us: int) -> int:
        """Working time (µs) from the calendar's start to local time ``us`` on day ``ordinal``."""
        k = ordinal - self.first_ordinal
        i = self.before[k]
        if self.before[k + 1] != i:
            return self.cum[i] * US_PER_MINUTE + self.shapes[i].elapsed(us)
        return self.cum[i] * US_PER_MINUTE

"""Due instants explained in words an officer understands: "why this date?"."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from tthc_flow._validators import shown
from tthc_flow.calendar._days import DayInfo, weekday_vi
from tthc_flow.calendar._hours import MINUTES_PER_WORKING_DAY
from tthc_flow.calendar._working import WorkingCalendar
from tthc_flow.errors import InvalidInputError, NaiveDatetimeError

__all__ = ["DueExplanation", "explain_due", "format_duration", "format_instant"]


def format_instant(instant: datetime) -> str:
    """``Thứ Sáu 25/04/2025 16:00`` (seconds shown only when present), the wall-clock time of
    an aware datetime as given (convert it to the calendar's zone first). A date, a naive
    datetime or anything else raises a typed error."""
    if not isinstance(instant, datetime):
        raise InvalidInputError(
            f"instant must be an aware datetime, got {shown(instant)}.",
            value=instant,
            hint="Pass e.g. due.astimezone(calendar.tz).",
        )
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise NaiveDatetimeError(instant, argument="instant")
    clock = "%H:%M:%S" if instant.second or instant.microsecond else "%H:%M"
    return f"{weekday_vi(instant.date())} {instant:%d/%m/%Y} {instant.strftime(clock)}"


def format_duration(amount: timedelta, minutes_per_day: int = MINUTES_PER_WORKING_DAY) -> str:
    """Working time as working days, hours and minutes: ``3 ngày làm việc 2 giờ (26 h)``.

    ``amount`` is a timedelta; ``minutes_per_day`` an int from 1 to 1,440 (a day's minutes;
    a bool is not a count)."""
    if not isinstance(amount, timedelta):
        raise InvalidInputError(
            f"amount must be a datetime.timedelta, got {shown(amount)}.",
            value=amount,
            hint="Pass e.g. timedelta(hours=26).",
        )
    if type(minutes_per_day) is not int or not 1 <= minutes_per_day <= 24 * 60:
        raise InvalidInputError(
            f"minutes_per_day must be an int from 1 to 1440, got {shown(minutes_per_day)}.",
            value=minutes_per_day,
            hint=f"A working day is {MINUTES_PER_WORKING_DAY} minutes (8 hours).",
        )
    total_minutes, rest = divmod(abs(amount) // timedelta(microseconds=1), 60_000_000)
    days, minutes = divmod(total_minutes, minutes_per_day)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days} ngày làm việc")
    if hours:
        parts.append(f"{hours} giờ")
    if minutes or rest or not parts:
        parts.append(f"{minutes} phút" + (f" {rest / 1_000_000:g} giây" if rest else ""))
    sign = "−" if amount < timedelta(0) else ""
    return f"{sign}{' '.join(parts)} ({sign}{total_minutes} working minutes)"


@attrs.frozen
class DueExplanation:
    """Why a due instant is what it is: start, budget, the unusual days crossed, the due."""

    start: datetime
    amount: timedelta
    clock_starts: datetime
    due: datetime
    crossed: tuple[DayInfo, ...]

    @property
    def lines(self) -> list[str]:
        lines = [f"Bắt đầu (start): {format_instant(self.start)}"]
        if self.clock_starts != self.start:
            lines.append(
                f"  ngoài giờ làm việc; thời gian bắt đầu tính từ "
                f"{format_instant(self.clock_starts)}"
                " (outside working hours; the clock starts at the next opening)"
            )
        lines.append(f"Thời hạn (budget): {format_duration(self.amount)}")
        if self.crossed:
            lines.append("Ngày đặc biệt trên đường đi (unusual days on the way):")
            lines.extend(f"  {day}" for day in self.crossed)
        lines.append(f"Hạn (due): {format_instant(self.due)}")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines)


def explain_due(calendar: WorkingCalendar, start: datetime, amount: timedelta) -> DueExplanation:
    """Compute ``calendar.add_working_time(start, amount)`` and say why it lands there. Its
    arguments are checked as :meth:`WorkingCalendar.add_working_time` checks them."""
    if not isinstance(calendar, WorkingCalendar):
        raise InvalidInputError(
            f"calendar must be a WorkingCalendar, got {shown(calendar)}.",
            value=calendar,
            hint="Pass vietnam_calendar(...).",
        )
    due = calendar.add_working_time(start, amount)
    if amount > timedelta(0):
        clock_starts = calendar.next_opening(start)
        first, last = start, due
    else:
        clock_starts = start.astimezone(calendar.tz)
        first, last = due, start
    crossed = tuple(calendar.notable_days(first, last))
    return DueExplanation(start.astimezone(calendar.tz), amount, clock_starts, due, crossed)

"""Reporting periods (kỳ báo cáo): a first and a last day, both included, and their months,
quarters and years, within the working calendar's years (1995–2100). A wrong type or a day
outside those years is an :class:`~tthc_flow.errors.InvalidInputError` that names the
argument, never a silently different period.

A period is read in a calendar's zone: it starts at 00:00 of ``start`` and its *cutoff* — the
instant at which unfinished cases are measured (Decision 766/QĐ-TTg: an unfinished case is
measured at the end of the period) — is the last microsecond of ``end``. An event at 00:00 of
the day after ``end`` belongs to the next period.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

import attrs

from tthc_flow._validators import plain_date, shown
from tthc_flow.calendar._working import FIRST_YEAR, LAST_YEAR
from tthc_flow.errors import InvalidInputError

__all__ = ["Granularity", "Period", "granularity_of"]

_LAST_MICROSECOND = time(23, 59, 59, 999_999)


class Granularity(enum.Enum):
    """How a period is cut into rows (theo tháng / quý / năm)."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@attrs.frozen
class Period:
    """From ``start`` to ``end``, both days included (từ ngày … đến ngày …).

    >>> Period(date(2026, 1, 1), date(2026, 3, 31)).label
    '01/01/2026–31/03/2026'
    """

    start: date = attrs.field(validator=plain_date)
    end: date = attrs.field(validator=plain_date)

    def __attrs_post_init__(self) -> None:
        for name, day in (("start", self.start), ("end", self.end)):
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise InvalidInputError(
                    f"Period {name} {day.isoformat()} is outside the working calendar "
                    f"({FIRST_YEAR}–{LAST_YEAR}).",
                    value=day,
                    hint=f"Give days from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31.",
                )
        if self.end < self.start:
            raise InvalidInputError(
                f"a period ends on or after its start; got {self.start} to {self.end}.",
                value=(self.start, self.end),
                hint="Swap the two dates.",
            )

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year ``year`` (a whole number, 1995–2100)."""
        number = _whole(year, "Period.year", "year", FIRST_YEAR, LAST_YEAR, "Period.year(2026)")
        return cls(date(number, 1, 1), date(number, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """Month ``month`` (1–12) of ``year`` (1995–2100)."""
        example = "Period.month(2026, 3)"
        number = _whole(year, "Period.month", "year", FIRST_YEAR, LAST_YEAR, example)
        which = _whole(month, "Period.month", "month", 1, 12, example)
        return cls(date(number, which, 1), _month_end(number, which))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Quarter ``quarter`` (1–4) of ``year`` (1995–2100)."""
        example = "Period.quarter(2026, 1)"
        number = _whole(year, "Period.quarter", "year", FIRST_YEAR, LAST_YEAR, example)
        which = _whole(quarter, "Period.quarter", "quarter", 1, 4, example)
        return cls(date(number, which * 3 - 2, 1), _month_end(number, which * 3))

    def opening(self, tz: tzinfo) -> datetime:
        """00:00 of the first day, in ``tz``."""
        return datetime.combine(self.start, time(0), tzinfo=_zone(tz))

    def cutoff(self, tz: tzinfo) -> datetime:
        """The last microsecond of the last day, in ``tz``: unfinished cases are read here."""
        return datetime.combine(self.end, _LAST_MICROSECOND, tzinfo=_zone(tz))

    def split(self, granularity: Granularity | str) -> Iterator[tuple[str, Period]]:
        """Consecutive sub-periods with their keys (``2026-03``, ``2026-Q1``, ``2026``), the
        first and last clipped to this period."""
        grain = granularity_of(granularity)
        day = self.start
        while day <= self.end:
            if grain is Granularity.MONTH:
                key, last = f"{day.year}-{day.month:02d}", _month_end(day.year, day.month)
            elif grain is Granularity.QUARTER:
                quarter = (day.month - 1) // 3 + 1
                key, last = f"{day.year}-Q{quarter}", _month_end(day.year, quarter * 3)
            else:
                key, last = str(day.year), date(day.year, 12, 31)
            last = min(last, self.end)
            yield key, Period(day, last)
            day = last + timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"

    def __str__(self) -> str:
        return self.label


def _zone(tz: Any) -> tzinfo:
    if not isinstance(tz, tzinfo):
        raise InvalidInputError(
            f"a period is read in a time zone (tzinfo), got {type(tz).__name__} {shown(tz, 40)}.",
            value=tz,
            hint="Write e.g. ZoneInfo('Asia/Ho_Chi_Minh').",
        )
    return tz


def _whole(value: Any, where: str, argument: str, low: int, high: int, example: str) -> int:
    """``value`` if it is a whole number (an int, not a bool or a text) in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(
            f"{where}: {argument} must be a whole number (int), got "
            f"{type(value).__name__} {shown(value, 40)}.",
            value=value,
            hint=f"Write e.g. {example}.",
        )
    if not low <= value <= high:
        what = "the working calendar's years" if argument == "year" else "its range"
        raise InvalidInputError(
            f"{where}: {argument} {shown(value)} is outside {what} ({low}–{high}).",
            value=value,
            hint=f"Write e.g. {example}.",
        )
    return int(value)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def granularity_of(value: Granularity | str) -> Granularity:
    try:
        return value if isinstance(value, Granularity) else Granularity(value)
    except ValueError:
        raise InvalidInputError(
            f"unknown granularity {shown(value)}.", value=value, hint="Use month, quarter or year."
        ) from None

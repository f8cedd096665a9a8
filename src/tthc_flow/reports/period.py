"""Reporting periods (kỳ báo cáo): a first and a last day, both included, and their months,
quarters and years.

A period is read in a calendar's zone: it starts at 00:00 of ``start`` and its *cutoff* — the
instant at which unfinished cases are measured (Decision 766/QĐ-TTg: an unfinished case is
measured at the end of the period) — is the last microsecond of ``end``. An event at 00:00 of
the day after ``end`` belongs to the next period.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, tzinfo

import attrs

from tthc_flow.errors import InvalidInputError
from tthc_flow.validators import plain_date

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
        if self.end < self.start:
            raise InvalidInputError(
                f"a period ends on or after its start; got {self.start} to {self.end}.",
                value=(self.start, self.end),
                hint="Swap the two dates.",
            )

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), _month_end(year, month))

    def opening(self, tz: tzinfo) -> datetime:
        """00:00 of the first day, in ``tz``."""
        return datetime.combine(self.start, time(0), tzinfo=tz)

    def cutoff(self, tz: tzinfo) -> datetime:
        """The last microsecond of the last day, in ``tz``: unfinished cases are read here."""
        return datetime.combine(self.end, _LAST_MICROSECOND, tzinfo=tz)

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


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def granularity_of(value: Granularity | str) -> Granularity:
    try:
        return value if isinstance(value, Granularity) else Granularity(value)
    except ValueError:
        raise InvalidInputError(
            f"unknown granularity {value!r}.", value=value, hint="Use month, quarter or year."
        ) from None

"""The years a calendar may cover (1995–2100), and the largest counts that can end in them.

The national data behind the calendar (public holidays, the Government's swaps) is kept for
1995–2100 only. Every count a calendar question or a budget takes is bounded by these years,
checked before any arithmetic, so that a typo (``3_000_000`` days) is a typed error and never
an ``OverflowError`` from the standard library.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tthc_flow._validators import shown
from tthc_flow.errors import InvalidInputError

__all__ = ["DAYS_COVERED", "FIRST_YEAR", "LAST_YEAR", "MONTHS_COVERED", "check_year"]

FIRST_YEAR = 1995
LAST_YEAR = 2100

#: Days from 1 January 1995 to 31 December 2100, both included (38,716).
DAYS_COVERED = (date(LAST_YEAR, 12, 31) - date(FIRST_YEAR, 1, 1)).days + 1
#: Months from January 1995 to December 2100, both included (1,272).
MONTHS_COVERED = (LAST_YEAR - FIRST_YEAR + 1) * 12


def check_year(value: Any, argument: str = "year") -> int:
    """``value`` if it is an int from :data:`FIRST_YEAR` to :data:`LAST_YEAR` (a bool is not
    a year); else :class:`~tthc_flow.errors.InvalidInputError` naming ``argument``."""
    if type(value) is not int or not FIRST_YEAR <= value <= LAST_YEAR:
        raise InvalidInputError(
            f"{argument} must be an integer year from {FIRST_YEAR} to {LAST_YEAR}, got "
            f"{shown(value)}.",
            value=value,
            hint="The national data the calendar rests on is maintained for those years only.",
        )
    return value

"""One exception hierarchy for the whole library.

Every error the library raises on purpose is a :class:`TthcFlowError`. Leaves also subclass
the built-in exception they narrow (``ValueError``, ``KeyError``, ``TypeError``) so that code
written against the standard library's conventions keeps working. Each error says what was
wrong and how to fix it, and carries the offending value as an attribute so that a host
system can react without parsing the message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

__all__ = [
    "CalendarError",
    "CalendarRangeError",
    "ConflictingDayError",
    "InvalidHoursError",
    "InvalidInputError",
    "NaiveDatetimeError",
    "TthcFlowError",
]


class TthcFlowError(Exception):
    """Root of every error raised by tthc_flow (lỗi của thư viện tthc_flow)."""


class InvalidInputError(TthcFlowError, ValueError):
    """A value of the right type but with a meaning the library cannot accept.

    ``value`` holds what was passed, ``hint`` how to fix it.
    """

    def __init__(self, message: str, *, value: Any = None, hint: str = "") -> None:
        self.value = value
        self.hint = hint
        super().__init__(f"{message} {hint}".strip())


class CalendarError(TthcFlowError):
    """Something is wrong with a working calendar (lịch làm việc) or a question put to it."""


class NaiveDatetimeError(CalendarError, ValueError):
    """A datetime without a time zone was given where an instant is required.

    A naive datetime cannot be placed on the timeline: 08:00 in Hà Nội and 08:00 UTC are seven
    hours apart, and guessing is how deadlines end up wrong.
    """

    def __init__(self, value: Any, *, argument: str = "datetime") -> None:
        self.value = value
        self.argument = argument
        super().__init__(
            f"{argument}={value!r} has no time zone. Pass an aware datetime, e.g. "
            "datetime(2025, 4, 25, 16, 0, tzinfo=ZoneInfo('Asia/Ho_Chi_Minh')) or an ISO "
            "string with an offset such as '2025-04-25T16:00+07:00'."
        )


class CalendarRangeError(CalendarError, ValueError):
    """A date, or a result, falls outside the years a calendar covers."""

    def __init__(self, value: Any, *, first: date, last: date, what: str = "date") -> None:
        self.value = value
        self.first = first
        self.last = last
        super().__init__(
            f"{what} {value!r} is outside the calendar, which covers {first.isoformat()} to "
            f"{last.isoformat()}. Build a calendar that spans it (the supported years are "
            "1995–2100), or check the date for a typo."
        )


class InvalidHoursError(CalendarError, ValueError):
    """Office hours (giờ làm việc) that cannot be used: overlapping, reversed, sub-minute."""

    def __init__(self, message: str, *, value: Any = None) -> None:
        self.value = value
        super().__init__(message)


class ConflictingDayError(CalendarError, ValueError):
    """The same day was both closed and opened by local decisions; say which one holds."""

    def __init__(self, day: date, first: str, second: str) -> None:
        self.day = day
        super().__init__(
            f"{day.isoformat()} is both {first} and {second}. Remove one of them: a day is "
            "either closed or open."
        )

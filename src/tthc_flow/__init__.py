"""tthc_flow: Vietnamese administrative procedures (thủ tục hành chính) as state machines with
working-time budgets, official working-day calendars and legal pause rules."""

from tthc_flow.calendar import (
    Closure,
    DayInfo,
    DayKind,
    HoursChange,
    OfficeHours,
    Opening,
    Session,
    WorkingCalendar,
    explain_due,
    vietnam_calendar,
)
from tthc_flow.errors import (
    CalendarError,
    CalendarRangeError,
    ConflictingDayError,
    InvalidHoursError,
    InvalidInputError,
    NaiveDatetimeError,
    TthcFlowError,
)

__version__ = "0.1.0"

__all__ = [
    "CalendarError",
    "CalendarRangeError",
    "Closure",
    "ConflictingDayError",
    "DayInfo",
    "DayKind",
    "HoursChange",
    "InvalidHoursError",
    "InvalidInputError",
    "NaiveDatetimeError",
    "OfficeHours",
    "Opening",
    "Session",
    "TthcFlowError",
    "WorkingCalendar",
    "__version__",
    "explain_due",
    "vietnam_calendar",
]

"""Working-time calendars of Vietnamese state agencies (lịch làm việc).

>>> from datetime import datetime, timedelta
>>> from zoneinfo import ZoneInfo
>>> cal = vietnam_calendar()
>>> received = datetime(2025, 4, 25, 16, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
>>> cal.add_working_time(received, timedelta(hours=24)).isoformat()
'2025-04-29T16:00:00+07:00'
"""

from tthc_flow.calendar._days import Closure, DayInfo, DayKind, DayReason, Opening
from tthc_flow.calendar._explain import (
    DueExplanation,
    explain_due,
    format_duration,
    format_instant,
)
from tthc_flow.calendar._factory import vietnam_calendar
from tthc_flow.calendar._hours import (
    FRIDAY,
    MINUTES_PER_WORKING_DAY,
    MONDAY,
    SATURDAY,
    SUNDAY,
    THURSDAY,
    TUESDAY,
    WEDNESDAY,
    HoursChange,
    OfficeHours,
    Session,
)
from tthc_flow.calendar._official import EXTRA_SWAPS, OfficialDay, Swap, vietnam_official_days
from tthc_flow.calendar._working import DEFAULT_TIMEZONE, WorkingCalendar

__all__ = [
    "DEFAULT_TIMEZONE",
    "EXTRA_SWAPS",
    "FRIDAY",
    "MINUTES_PER_WORKING_DAY",
    "MONDAY",
    "SATURDAY",
    "SUNDAY",
    "THURSDAY",
    "TUESDAY",
    "WEDNESDAY",
    "Closure",
    "DayInfo",
    "DayKind",
    "DayReason",
    "DueExplanation",
    "HoursChange",
    "OfficeHours",
    "OfficialDay",
    "Opening",
    "Session",
    "Swap",
    "WorkingCalendar",
    "explain_due",
    "format_duration",
    "format_instant",
    "vietnam_calendar",
    "vietnam_official_days",
]

"""tthc_flow: Vietnamese administrative procedures (thủ tục hành chính) as state machines with
working-time budgets, official working-day calendars and legal pause rules.

The top level holds the names most programs use; the errors are in :mod:`tthc_flow.errors`
(one hierarchy under :class:`TthcFlowError`), and each package (``calendar``, ``engine``,
``catalog``, ``reports``, ``forms``, ``portal``, ``store``, ``views``, ``testing``) exports
the rest of what it offers.
"""

import importlib

from tthc_flow import errors
from tthc_flow.calendar import (
    Closure,
    OfficeHours,
    Opening,
    WorkingCalendar,
    explain_due,
    vietnam_calendar,
)
from tthc_flow.catalog import Catalog, Unit, load_catalog
from tthc_flow.engine import (
    DECREE_61_2018,
    DECREE_118_2025,
    INTERNAL_PRACTICE,
    CalendarDays,
    Case,
    ClockReading,
    ClockStatus,
    Event,
    EventKind,
    Mode,
    Months,
    Phase,
    Procedure,
    ProcedureKind,
    ResultClass,
    RulePack,
    SameWorkingDay,
    Step,
    WorkingDays,
    WorkingHours,
)
from tthc_flow.errors import TthcFlowError

__version__ = "0.1.0"

__all__ = [
    "DECREE_61_2018",
    "DECREE_118_2025",
    "INTERNAL_PRACTICE",
    "CalendarDays",
    "Case",
    "Catalog",
    "ClockReading",
    "ClockStatus",
    "Closure",
    "Event",
    "EventKind",
    "Mode",
    "Months",
    "OfficeHours",
    "Opening",
    "Phase",
    "Procedure",
    "ProcedureKind",
    "ResultClass",
    "RulePack",
    "SameWorkingDay",
    "Step",
    "TthcFlowError",
    "Unit",
    "WorkingCalendar",
    "WorkingDays",
    "WorkingHours",
    "__version__",
    "errors",
    "explain_due",
    "load_catalog",
    "vietnam_calendar",
]


# Names the top level once exported, now found where they live (and still found here).
_ELSEWHERE = {
    **dict.fromkeys(("DayInfo", "DayKind", "HoursChange", "Session"), "tthc_flow.calendar"),
    **dict.fromkeys(("BudgetAdjustment", "BudgetPolicy", "ZeroBudget"), "tthc_flow.engine"),
    **dict.fromkeys(("Decision", "Publication"), "tthc_flow.catalog"),
    **dict.fromkeys(errors.__all__, "tthc_flow.errors"),
}


def __getattr__(name: str) -> object:
    home = _ELSEWHERE.get(name)
    if home is None:
        raise AttributeError(f"module 'tthc_flow' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)

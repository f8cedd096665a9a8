"""tthc_flow: Vietnamese administrative procedures (thủ tục hành chính) as state machines with
working-time budgets, official working-day calendars and legal pause rules.

The top level holds the names most programs use; the errors are in :mod:`tthc_flow.errors`
(one hierarchy under :class:`TthcFlowError`), and each package (``calendar``, ``engine``,
``catalog``, ``reports``, ``forms``, ``portal``, ``store``, ``views``, ``testing``) exports
the rest of what it offers.
"""

import importlib
from typing import TYPE_CHECKING

from tthc_flow import errors
from tthc_flow.errors import TthcFlowError

if TYPE_CHECKING:  # the names below are imported on first use (see __getattr__)
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


# Where each name of the top level lives. ``import tthc_flow`` imports none of them: a name is
# imported the first time it is read (PEP 562), so a script that needs the calendar alone
# does not pay for the engine, the catalogs and holidays' data.
_HOME = {
    **dict.fromkeys(
        ("Closure", "OfficeHours", "Opening", "WorkingCalendar", "explain_due",
         "vietnam_calendar"),
        "tthc_flow.calendar",
    ),
    **dict.fromkeys(("Catalog", "Unit", "load_catalog"), "tthc_flow.catalog"),
    **dict.fromkeys(
        ("DECREE_61_2018", "DECREE_118_2025", "INTERNAL_PRACTICE", "CalendarDays", "Case",
         "ClockReading", "ClockStatus", "Event", "EventKind", "Mode", "Months", "Phase",
         "Procedure", "ProcedureKind", "ResultClass", "RulePack", "SameWorkingDay", "Step",
         "WorkingDays", "WorkingHours"),
        "tthc_flow.engine",
    ),
}  # fmt: skip

# Names the top level once exported, now found where they live (and still found here).
_ELSEWHERE = {
    **dict.fromkeys(("DayInfo", "DayKind", "HoursChange", "Session"), "tthc_flow.calendar"),
    **dict.fromkeys(("BudgetAdjustment", "BudgetPolicy", "ZeroBudget"), "tthc_flow.engine"),
    **dict.fromkeys(("Decision", "Publication"), "tthc_flow.catalog"),
    **dict.fromkeys(errors.__all__, "tthc_flow.errors"),
}


# The package's public modules, found as attributes as a package's imported submodules are.
_SUBMODULES = frozenset({
    "calendar", "catalog", "cli", "codec", "diagrams", "engine", "errors", "forms", "journal",
    "labels", "portal", "reports", "samples", "simulation", "store", "testing", "views",
})  # fmt: skip


def __getattr__(name: str) -> object:
    if name in _SUBMODULES:
        return importlib.import_module(f"tthc_flow.{name}")
    home = _HOME.get(name)
    if home is not None:
        value = getattr(importlib.import_module(home), name)
        globals()[name] = value  # read once; later reads find it here
        return value
    home = _ELSEWHERE.get(name)
    if home is None:
        raise AttributeError(f"module 'tthc_flow' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

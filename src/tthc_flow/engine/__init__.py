"""Procedures as validated state machines, legal rule packs, event-sourced cases, their clocks.

Builds on :mod:`tthc_flow.calendar`; nothing here imports upward.
"""

from tthc_flow.engine.budgets import (
    Budget,
    CalendarDays,
    Months,
    WorkingBudget,
    WorkingDays,
    WorkingHours,
    parse_budget,
)
from tthc_flow.engine.case import Case, Mode
from tthc_flow.engine.clocks import ClockReading, ClockStatus, ResultClass
from tthc_flow.engine.definitions import (
    BudgetAdjustment,
    BudgetPolicy,
    Procedure,
    ProcedureKind,
    Step,
)
from tthc_flow.engine.events import Event, EventKind, Violation
from tthc_flow.engine.machine import (
    DEFAULT_BACKEND,
    CompiledProcedure,
    MachineBackend,
    TransitionsBackend,
    compile_procedure,
)
from tthc_flow.engine.rules import (
    DECREE_61_2018,
    DECREE_118_2025,
    NATIONAL_PACKS,
    Effect,
    Invoker,
    PauseRule,
    RescheduleRule,
    RulePack,
    pack_in_force,
)
from tthc_flow.engine.state import CaseStatus, Phase

__all__ = [
    "DECREE_61_2018",
    "DECREE_118_2025",
    "DEFAULT_BACKEND",
    "NATIONAL_PACKS",
    "Budget",
    "BudgetAdjustment",
    "BudgetPolicy",
    "CalendarDays",
    "Case",
    "CaseStatus",
    "ClockReading",
    "ClockStatus",
    "CompiledProcedure",
    "Effect",
    "Event",
    "EventKind",
    "Invoker",
    "MachineBackend",
    "Mode",
    "Months",
    "PauseRule",
    "Phase",
    "Procedure",
    "ProcedureKind",
    "RescheduleRule",
    "ResultClass",
    "RulePack",
    "Step",
    "TransitionsBackend",
    "Violation",
    "WorkingBudget",
    "WorkingDays",
    "WorkingHours",
    "compile_procedure",
    "pack_in_force",
    "parse_budget",
]

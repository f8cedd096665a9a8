"""Procedures as validated state machines, legal rule packs, event-sourced cases, their clocks.

Builds on :mod:`tthc_flow.calendar`; nothing here imports upward.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported on first use (see __getattr__)
    from tthc_flow.engine._budgets import (
        DESK_TRANSFER_RULE,
        AfterCutoff,
        Budget,
        BudgetSum,
        CalendarDays,
        Months,
        SameDayRule,
        SameWorkingDay,
        WorkingBudget,
        WorkingDays,
        WorkingHours,
        parse_budget,
    )
    from tthc_flow.engine._case import Case, Mode
    from tthc_flow.engine._channels import CHANNELS, case_channel
    from tthc_flow.engine._clocks import ClockReading, ClockStatus, Mark, ResultClass, classify
    from tthc_flow.engine._definitions import (
        BudgetAdjustment,
        BudgetPolicy,
        Procedure,
        ProcedureKind,
        Step,
        ZeroBudget,
        default_packs,
    )
    from tthc_flow.engine._events import (
        FINISH_KINDS,
        Event,
        EventKind,
        Violation,
        ViolationCategory,
        events_from_json,
        events_to_json,
    )
    from tthc_flow.engine._graph import ART_20_2_ORDERS, Flow, Fork, Order
    from tthc_flow.engine._kernel import CaseClocks, ClockKernel
    from tthc_flow.engine._machine import (
        DEFAULT_BACKEND,
        FORK,
        CompiledProcedure,
        MachineBackend,
        TransitionsBackend,
        compile_procedure,
    )
    from tthc_flow.engine._replay import Replay, replay, replay_statuses
    from tthc_flow.engine._rules import (
        DECREE_61_2018,
        DECREE_118_2025,
        INTERNAL_PACKS,
        INTERNAL_PRACTICE,
        NATIONAL_PACKS,
        ClosureRule,
        Effect,
        ForwardingRule,
        Invoker,
        PauseRule,
        RefusalRule,
        RescheduleRule,
        RulePack,
        StopRule,
        effect_of,
        pack_in_force,
    )
    from tthc_flow.engine._state import ActiveStep, CaseStatus, Phase
    from tthc_flow.engine._statechart import StatemachineBackend

__all__ = [
    "ART_20_2_ORDERS",
    "CHANNELS",
    "DECREE_61_2018",
    "DECREE_118_2025",
    "DEFAULT_BACKEND",
    "DESK_TRANSFER_RULE",
    "FINISH_KINDS",
    "FORK",
    "INTERNAL_PACKS",
    "INTERNAL_PRACTICE",
    "NATIONAL_PACKS",
    "ActiveStep",
    "AfterCutoff",
    "Budget",
    "BudgetAdjustment",
    "BudgetPolicy",
    "BudgetSum",
    "CalendarDays",
    "Case",
    "CaseClocks",
    "CaseStatus",
    "ClockKernel",
    "ClockReading",
    "ClockStatus",
    "ClosureRule",
    "CompiledProcedure",
    "Effect",
    "Event",
    "EventKind",
    "Flow",
    "Fork",
    "ForwardingRule",
    "Invoker",
    "MachineBackend",
    "Mark",
    "Mode",
    "Months",
    "Order",
    "PauseRule",
    "Phase",
    "Procedure",
    "ProcedureKind",
    "RefusalRule",
    "Replay",
    "RescheduleRule",
    "ResultClass",
    "RulePack",
    "SameDayRule",
    "SameWorkingDay",
    "StatemachineBackend",
    "Step",
    "StopRule",
    "TransitionsBackend",
    "Violation",
    "ViolationCategory",
    "WorkingBudget",
    "WorkingDays",
    "WorkingHours",
    "ZeroBudget",
    "case_channel",
    "classify",
    "compile_procedure",
    "default_packs",
    "effect_of",
    "events_from_json",
    "events_to_json",
    "pack_in_force",
    "parse_budget",
    "replay",
    "replay_statuses",
]


# Where each exported name lives: the package imports a module the first time one of its
# names is read (PEP 562), so that importing one part of it does not load the others.
_HOME = {
    **dict.fromkeys(
        (
            "AfterCutoff",
            "Budget",
            "BudgetSum",
            "CalendarDays",
            "DESK_TRANSFER_RULE",
            "Months",
            "SameDayRule",
            "SameWorkingDay",
            "WorkingBudget",
            "WorkingDays",
            "WorkingHours",
            "parse_budget",
        ),
        "tthc_flow.engine._budgets",
    ),
    **dict.fromkeys(("Case", "Mode"), "tthc_flow.engine._case"),
    **dict.fromkeys(
        ("ClockReading", "ClockStatus", "Mark", "ResultClass", "classify"),
        "tthc_flow.engine._clocks",
    ),
    **dict.fromkeys(
        (
            "BudgetAdjustment",
            "BudgetPolicy",
            "Procedure",
            "ProcedureKind",
            "Step",
            "ZeroBudget",
            "default_packs",
        ),
        "tthc_flow.engine._definitions",
    ),
    **dict.fromkeys(
        (
            "Event",
            "EventKind",
            "FINISH_KINDS",
            "Violation",
            "ViolationCategory",
            "events_from_json",
            "events_to_json",
        ),
        "tthc_flow.engine._events",
    ),
    **dict.fromkeys(("ART_20_2_ORDERS", "Flow", "Fork", "Order"), "tthc_flow.engine._graph"),
    **dict.fromkeys(("CHANNELS", "case_channel"), "tthc_flow.engine._channels"),
    **dict.fromkeys(("CaseClocks", "ClockKernel"), "tthc_flow.engine._kernel"),
    **dict.fromkeys(
        (
            "CompiledProcedure",
            "DEFAULT_BACKEND",
            "FORK",
            "MachineBackend",
            "TransitionsBackend",
            "compile_procedure",
        ),
        "tthc_flow.engine._machine",
    ),
    **dict.fromkeys(("Replay", "replay", "replay_statuses"), "tthc_flow.engine._replay"),
    **dict.fromkeys(
        (
            "ClosureRule",
            "DECREE_118_2025",
            "DECREE_61_2018",
            "Effect",
            "ForwardingRule",
            "INTERNAL_PACKS",
            "INTERNAL_PRACTICE",
            "Invoker",
            "NATIONAL_PACKS",
            "PauseRule",
            "RefusalRule",
            "RescheduleRule",
            "RulePack",
            "StopRule",
            "effect_of",
            "pack_in_force",
        ),
        "tthc_flow.engine._rules",
    ),
    **dict.fromkeys(("ActiveStep", "CaseStatus", "Phase"), "tthc_flow.engine._state"),
    **dict.fromkeys(("StatemachineBackend",), "tthc_flow.engine._statechart"),
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

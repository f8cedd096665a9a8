"""Reports on cases (báo cáo): figures by procedure, unit, level, channel and period on the
legal or the Decision 766/QĐ-TTg indicator clock, responsibility for delays, compliance
findings, threshold policies, early warnings and the impact of calendar changes."""

from tthc_flow.reports.fast import FastProcedure
from tthc_flow.reports.outcomes import (
    FINISH_KINDS,
    CaseOutcome,
    ClockChoice,
    UnitOutcome,
    outcome_of,
)
from tthc_flow.reports.period import Granularity, Period
from tthc_flow.reports.report import (
    DIMENSIONS,
    UNKNOWN,
    Report,
    ReportBuilder,
    build_report,
    build_report_from_events,
)
from tthc_flow.reports.responsibility import Responsibility, UnitDelay, responsibility_of
from tthc_flow.reports.tally import EMPTY_TALLY, Tally, tally_case, tally_unit

__all__ = [
    "DIMENSIONS",
    "EMPTY_TALLY",
    "FINISH_KINDS",
    "UNKNOWN",
    "CaseOutcome",
    "ClockChoice",
    "FastProcedure",
    "Granularity",
    "Period",
    "Report",
    "ReportBuilder",
    "Responsibility",
    "Tally",
    "UnitDelay",
    "UnitOutcome",
    "build_report",
    "build_report_from_events",
    "outcome_of",
    "responsibility_of",
    "tally_case",
    "tally_unit",
]

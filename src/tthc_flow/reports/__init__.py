"""Reports on cases (báo cáo): figures by procedure, unit, level, channel and period on the
legal or the Decision 766/QĐ-TTg indicator clock, responsibility for delays, compliance
findings, threshold policies, early warnings and the impact of calendar changes. Every
report says what it could not trust (its data quality, :mod:`tthc_flow.reports._quality`)
and leaves those cases out of the figures they would corrupt.

>>> from datetime import date
>>> report = build_report([], Period(date(2026, 1, 1), date(2026, 3, 31)))
>>> report.total.total, report.total.on_time_rate
(0, None)
"""

from tthc_flow.reports._alerts import DEFAULT_SHARES, Alert, alerts, alerts_from_events
from tthc_flow.reports._fast import FastProcedure
from tthc_flow.reports._findings import (
    COMPLIANCE_RULES,
    LATE_WITHOUT_APOLOGY,
    ComplianceFinding,
    compliance_findings,
)
from tthc_flow.reports._impact import DayChange, DueChange, calendar_impact, changed_days
from tthc_flow.reports._outcomes import (
    FINISH_KINDS,
    CaseOutcome,
    ClockChoice,
    UnitOutcome,
    outcome_of,
)
from tthc_flow.reports._period import Granularity, Period
from tthc_flow.reports._quality import (
    EXCLUDING,
    JOURNAL_SKIPPED,
    LATE_ENTRY,
    NEGATIVE_DURATION,
    QUALITY_LABELS,
    TIME_ORDER,
    VIOLATION,
    QualityFlag,
)
from tthc_flow.reports._render import report_to_dict, to_csv, to_json, to_markdown
from tthc_flow.reports._report import (
    DIMENSIONS,
    UNKNOWN,
    Report,
    ReportBuilder,
    build_report,
    build_report_from_events,
)
from tthc_flow.reports._responsibility import Responsibility, UnitDelay, responsibility_of
from tthc_flow.reports._tally import EMPTY_TALLY, Tally, tally_case, tally_unit
from tthc_flow.reports._thresholds import (
    AN_GIANG_2020,
    Breach,
    ThresholdPolicy,
    ThresholdRule,
    total_points,
)

__all__ = [
    "AN_GIANG_2020",
    "COMPLIANCE_RULES",
    "DEFAULT_SHARES",
    "DIMENSIONS",
    "EMPTY_TALLY",
    "EXCLUDING",
    "FINISH_KINDS",
    "JOURNAL_SKIPPED",
    "LATE_ENTRY",
    "LATE_WITHOUT_APOLOGY",
    "NEGATIVE_DURATION",
    "QUALITY_LABELS",
    "TIME_ORDER",
    "UNKNOWN",
    "VIOLATION",
    "Alert",
    "Breach",
    "CaseOutcome",
    "ClockChoice",
    "ComplianceFinding",
    "DayChange",
    "DueChange",
    "FastProcedure",
    "Granularity",
    "Period",
    "QualityFlag",
    "Report",
    "ReportBuilder",
    "Responsibility",
    "Tally",
    "ThresholdPolicy",
    "ThresholdRule",
    "UnitDelay",
    "UnitOutcome",
    "alerts",
    "alerts_from_events",
    "build_report",
    "build_report_from_events",
    "calendar_impact",
    "changed_days",
    "compliance_findings",
    "outcome_of",
    "report_to_dict",
    "responsibility_of",
    "tally_case",
    "tally_unit",
    "to_csv",
    "to_json",
    "to_markdown",
    "total_points",
]

"""Reports as CSV, JSON and Markdown, headed in Vietnamese with English in parentheses.

Rates and averages are stored exactly (fractions); they are rounded only here, for people:
percentages and working days to two decimals, half away from zero. JSON keeps the exact
values too (``"on_time_rate": "4087/4241"``) beside the rounded ones.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from tthc_flow.errors import InvalidInputError
from tthc_flow.reports.report import Report
from tthc_flow.reports.tally import FIELDS, Tally

__all__ = [
    "COLUMNS",
    "DIMENSION_LABELS",
    "report_to_dict",
    "to_csv",
    "to_json",
    "to_markdown",
]

DIMENSION_LABELS: Mapping[str, str] = {
    "procedure": "Thủ tục (procedure)",
    "unit": "Đơn vị (unit)",
    "level": "Cấp (level)",
    "channel": "Kênh nộp hồ sơ (channel)",
    "period": "Kỳ (period)",
}
CHANNEL_LABELS: Mapping[str, str] = {
    "in_person": "Trực tiếp (in person)",
    "online": "Trực tuyến (online)",
    "postal": "Bưu chính công ích (postal)",
}
COLUMNS: tuple[tuple[str, str], ...] = (
    ("total", "Tổng số hồ sơ (total)"),
    ("received", "Tiếp nhận trong kỳ (received)"),
    ("carried_over", "Kỳ trước chuyển sang (carried over)"),
    ("early", "Trước hạn (early)"),
    ("on_time", "Đúng hạn (on time)"),
    ("overdue", "Quá hạn (overdue)"),
    ("in_progress", "Đang giải quyết trong hạn (in progress)"),
    ("in_progress_overdue", "Đang giải quyết quá hạn (in progress, overdue)"),
    ("withdrawn", "Rút hồ sơ (withdrawn)"),
    ("closed", "Đóng hồ sơ do không bổ sung (closed)"),
    ("refused", "Từ chối (refused)"),
    ("stopped", "Dừng giải quyết (stopped)"),
    ("on_time_rate", "Tỷ lệ đúng hạn % (on-time rate)"),
    ("average_days", "Thời gian TB, ngày làm việc (average processing, working days)"),
)
TOTAL_LABEL = "Tổng cộng (total)"
UNITS_TOTAL_LABEL = "Tổng các đơn vị (all units' clocks)"
PERIOD_TOTAL_LABEL = "Cả kỳ (whole period)"
_MINUTE = timedelta(minutes=1)


def _round(value: Fraction | None, scale: int = 1) -> str:
    if value is None:
        return "—"
    exact = Decimal(value.numerator * scale) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _cells(tally: Tally) -> list[str]:
    counts = [str(getattr(tally, name)) for name, _ in COLUMNS[:-2]]
    return [*counts, _round(tally.on_time_rate, 100), _round(tally.average_processing_days)]


def _key_label(by: str, key: str) -> str:
    return CHANNEL_LABELS.get(key, key) if by == "channel" else key


def _total_row(report: Report, by: str, rows: tuple[tuple[str, Tally], ...]) -> tuple[str, Tally]:
    """The last line: the cases of the period for case rows (procedure, channel: the rows add
    up to it); the sum of the rows for unit and level rows, which count units' clocks (a case
    is in every unit it reached); the whole period for sub-period rows (a case alive in
    several sub-periods is in each)."""
    if by in ("unit", "level"):
        return UNITS_TOTAL_LABEL, sum((t for _, t in rows), Tally())
    if by == "period":
        return PERIOD_TOTAL_LABEL, report.total
    return TOTAL_LABEL, report.total


def _header(report: Report, by: str) -> list[str]:
    assert report.period is not None
    return [
        f"Báo cáo kết quả giải quyết hồ sơ (case report) {report.period.label}",
        f"Đồng hồ (clock): {report.clock.value}; theo (by): {DIMENSION_LABELS[by]}",
    ]


def _require(report: Report) -> None:
    if report.period is None:
        raise InvalidInputError(
            "the empty report has no period to show.",
            value=report,
            hint="Render a report built over a period.",
        )


def to_csv(report: Report, by: str = "procedure", levels: Mapping[str, Any] | None = None) -> str:
    """One header line, one line per row, then the total line (see :func:`_total_row`)."""
    _require(report)
    rows = report.rows(by, levels)  # refuses an unknown dimension first
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([DIMENSION_LABELS.get(by, by),
                     *(label for _, label in COLUMNS)])  # fmt: skip
    for key, tally in rows:
        writer.writerow([_key_label(by, key), *_cells(tally)])
    label, total = _total_row(report, by, rows)
    writer.writerow([label, *_cells(total)])
    return out.getvalue()


def to_markdown(
    report: Report, by: str = "procedure", levels: Mapping[str, Any] | None = None
) -> str:
    """A Markdown table with a title line; the total row in bold."""
    _require(report)
    rows = report.rows(by, levels)
    head = [DIMENSION_LABELS[by], *(label for _, label in COLUMNS)]
    lines = [f"**{line}**  " for line in _header(report, by)]
    lines.append("")
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * len(COLUMNS)) + "|")
    for key, tally in rows:
        lines.append("| " + " | ".join([_key_label(by, key).replace("|", "\\|"),
                                         *_cells(tally)]) + " |")  # fmt: skip
    label, total = _total_row(report, by, rows)
    lines.append("| " + " | ".join(f"**{c}**" for c in [label, *_cells(total)]) + " |")
    if report.responsibility:
        lines.append("")
        lines.append(f"Hồ sơ quá hạn có xác định trách nhiệm (overdue cases with the units "
                     f"that ran over): {len(report.responsibility)}")  # fmt: skip
    return "\n".join(lines) + "\n"


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def _tally_dict(tally: Tally) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(tally, name) for name in FIELDS}
    data["on_time_rate"] = _exact(tally.on_time_rate)
    data["on_time_percent"] = _round(tally.on_time_rate, 100)
    data["average_processing_minutes"] = _exact(tally.average_processing_minutes)
    data["average_processing_days"] = _round(tally.average_processing_days)
    return data


def report_to_dict(report: Report, levels: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The whole report as JSON values (rows of every dimension; levels when given)."""
    _require(report)
    assert report.period is not None
    rows: dict[str, Any] = {
        by: {key: _tally_dict(t) for key, t in report.rows(by)}
        for by in ("procedure", "unit", "channel", "period")
    }
    if levels is not None:
        rows["level"] = {key: _tally_dict(t) for key, t in report.by_level(levels)}
    return {
        "period": {"from": report.period.start.isoformat(), "to": report.period.end.isoformat()},
        "clock": report.clock.value,
        "granularity": report.granularity.value,
        "total": _tally_dict(report.total),
        "rows": rows,
        "responsibility": [
            {
                "case_id": r.case_id,
                "procedure": r.procedure,
                "result": r.result.name.lower(),
                "overrun_minutes": r.overrun // _MINUTE,
                "units": [
                    {"unit": u.unit, "result": u.result.name.lower(),
                     "overrun_minutes": u.overrun // _MINUTE}
                    for u in r.units
                ],
            }
            for r in report.responsibility
        ],
    }


def to_json(report: Report, levels: Mapping[str, Any] | None = None) -> str:
    return json.dumps(report_to_dict(report, levels), ensure_ascii=False, indent=2) + "\n"


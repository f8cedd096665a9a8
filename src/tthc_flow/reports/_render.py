"""Reports as CSV, JSON and Markdown, headed in Vietnamese with English in parentheses.

Rates and averages are stored exactly (fractions); they are rounded only here, for people:
percentages and working days to two decimals, half away from zero. JSON keeps the exact
values too (``"on_time_rate": "4087/4241"``) beside the rounded ones.

Every rendering ends with the report's data quality (chất lượng dữ liệu): each kind of
problem, how many cases show it, whether they are left out of the figures, and their ids
(the first :data:`MAX_IDS` in CSV and Markdown, all of them in JSON). Each row's
``unverified`` count stands beside its average: the cases the rates and the average leave
out.

Text that came from the data (unit names, procedure codes, channels, case ids) is made safe
for where it is opened (:mod:`tthc_flow.codec._display`): escaped control characters
everywhere, formula-looking CSV cells quoted, Markdown's own characters escaped. Figures are
written as they are: a number in a CSV cell stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from tthc_flow._validators import shown
from tthc_flow.codec import csv_text, json_text, markdown_text
from tthc_flow.errors import InvalidInputError
from tthc_flow.reports._report import Report
from tthc_flow.reports._tally import FIELDS, Tally

__all__ = [
    "COLUMNS",
    "DIMENSION_LABELS",
    "MAX_IDS",
    "QUALITY_COLUMNS",
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
    ("withdrawn", "Rút hồ sơ khi còn hạn, không xếp loại (withdrawn in time, not classed)"),
    ("closed", "Đóng hồ sơ do không bổ sung (closed)"),
    ("refused", "Từ chối (refused)"),
    ("stopped", "Dừng giải quyết (stopped)"),
    ("withdrawn_classed", "Rút hồ sơ, đã xếp loại (withdrawn, classed)"),
    ("on_time_rate", "Tỷ lệ đúng hạn % (on-time rate)"),
    ("average_days", "Thời gian TB, ngày làm việc (average processing, working days)"),
    ("unverified", "Không đánh giá do dữ liệu lỗi, không tính vào tỷ lệ và TB (unverified: "
                   "left out of the rates and the average)"),
)
_COUNTS = tuple(name for name, _ in COLUMNS[:-3])
QUALITY_TITLE = "Chất lượng dữ liệu (data quality)"
QUALITY_COLUMNS: tuple[str, ...] = (
    "Vấn đề (problem)",
    "Mã (kind)",
    "Số hồ sơ (cases)",
    "Loại khỏi số liệu (left out of the figures)",
    "Mã hồ sơ (case ids)",
)
NO_PROBLEM = "Không phát hiện vấn đề (no problem found)"
YES, NO = "có (yes)", "không (no)"
# Case ids shown in CSV and Markdown per kind; JSON lists them all.
MAX_IDS = 200
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
    """The figures of a row (never text from the data: written as they are)."""
    counts = [str(getattr(tally, name)) for name in _COUNTS]
    return [*counts, _round(tally.on_time_rate, 100), _round(tally.average_processing_days),
            str(tally.unverified)]  # fmt: skip


def _key_label(by: str, key: str) -> str:
    """A row's key in words: text from the data, to be made safe by the caller."""
    return CHANNEL_LABELS.get(key, key) if by == "channel" else key


def _ids(ids: tuple[str, ...], safe: Callable[[str], str]) -> str:
    shown = ", ".join(safe(i) for i in ids[:MAX_IDS])
    if len(ids) > MAX_IDS:
        shown += f", … (+{len(ids) - MAX_IDS}; JSON lists all)"
    return shown


def _quality_rows(report: Report, safe: Callable[[str], str]) -> list[list[str]]:
    """One row per kind of problem: label, kind, count, whether excluded, ids (each id
    made safe with ``safe``)."""
    return [
        [flag.label, flag.kind, str(flag.count), YES if flag.excludes else NO,
         _ids(flag.case_ids, safe)]
        for flag in report.data_quality
    ]  # fmt: skip


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
    if not isinstance(report, Report):
        raise InvalidInputError(
            f"a report is rendered from a Report, got {type(report).__name__} {shown(report, 60)}.",
            value=report,
            hint="Build one with build_report(...) or build_report_from_events(...).",
        )
    if report.period is None:
        raise InvalidInputError(
            "the empty report has no period to show.",
            value=report,
            hint="Render a report built over a period.",
        )


def to_csv(report: Report, by: str = "procedure", levels: Mapping[str, Any] | None = None) -> str:
    """One header line, one line per row, then the total line (see :func:`_total_row`);
    after an empty line, the data quality: a header line and one line per kind of problem
    (or one line saying there is none). Cells of text from the data that start with ``=``,
    ``+``, ``-``, ``@``, tab or carriage return get a leading ``'`` (OWASP's advice against
    CSV injection), so that a spreadsheet shows them instead of computing them; figures are
    never changed."""
    _require(report)
    rows = report.rows(by, levels)  # refuses an unknown dimension first
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([DIMENSION_LABELS.get(by, by),
                     *(label for _, label in COLUMNS)])  # fmt: skip
    for key, tally in rows:
        writer.writerow([csv_text(_key_label(by, key)), *_cells(tally)])
    label, total = _total_row(report, by, rows)
    writer.writerow([label, *_cells(total)])
    writer.writerow([])
    writer.writerow([QUALITY_TITLE, *QUALITY_COLUMNS[1:]])
    quality = _quality_rows(report, str)
    for label, kind, count, excluded, ids in quality:
        # The joined ids are one cell from the data: quoted as a whole if it starts like a
        # formula, control characters escaped in each id.
        writer.writerow([label, kind, count, excluded, csv_text(ids)])
    if not quality:
        writer.writerow([NO_PROBLEM])
    return out.getvalue()


def to_markdown(
    report: Report, by: str = "procedure", levels: Mapping[str, Any] | None = None
) -> str:
    """A Markdown table with a title line; the total row in bold; then the data quality, a
    table of the kinds of problem found (or a line saying there is none). Text from the data
    is shown with its control characters escaped (a terminal shows them, and does not act
    on them) and Markdown's own characters escaped (a viewer shows them as text, not as
    HTML, links or table borders)."""
    _require(report)
    rows = report.rows(by, levels)
    head = [DIMENSION_LABELS[by], *(label for _, label in COLUMNS)]
    lines = [f"**{line}**  " for line in _header(report, by)]
    lines.append("")
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * len(COLUMNS)) + "|")
    for key, tally in rows:
        lines.append("| " + " | ".join([markdown_text(_key_label(by, key)),
                                         *_cells(tally)]) + " |")  # fmt: skip
    label, total = _total_row(report, by, rows)
    lines.append("| " + " | ".join(f"**{c}**" for c in [label, *_cells(total)]) + " |")
    if report.responsibility:
        lines.append("")
        lines.append(f"Hồ sơ quá hạn có xác định trách nhiệm (overdue cases with the units "
                     f"that ran over): {len(report.responsibility)}")  # fmt: skip
    lines.append("")
    quality = _quality_rows(report, markdown_text)
    if not quality:
        lines.append(f"**{QUALITY_TITLE}**: {NO_PROBLEM}.")
        return "\n".join(lines) + "\n"
    lines.append(f"**{QUALITY_TITLE}**  ")
    lines.append(f"Hồ sơ không đánh giá được, không tính vào tỷ lệ và thời gian trung bình "
                 f"(cases left out of the rates and the average): {report.total.unverified}")
    lines.append("")
    lines.append("| " + " | ".join(QUALITY_COLUMNS) + " |")
    lines.append("|---|---|---:|---|---|")
    for label, kind, count, excluded, ids in quality:
        lines.append("| " + " | ".join([markdown_text(label), markdown_text(kind), count,
                                         excluded, ids]) + " |")  # fmt: skip
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
    """The whole report as JSON values (rows of every dimension; levels when given;
    responsibility; data quality with every flagged case's id)."""
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
        "data_quality": {
            "unverified_cases": report.total.unverified,
            "flags": [
                {
                    "kind": flag.kind,
                    "label": flag.label,
                    "excludes": flag.excludes,
                    "count": flag.count,
                    "case_ids": list(flag.case_ids),
                }
                for flag in report.data_quality
            ],
        },
    }


def to_json(report: Report, levels: Mapping[str, Any] | None = None) -> str:
    """:func:`report_to_dict` as indented JSON, UTF-8 kept readable; the characters a
    terminal would act on that JSON allows raw (C1 controls, U+2028/U+2029, bidirectional
    controls) are written as ``\\uXXXX`` escapes, the same strings to any JSON reader."""
    return json_text(report_to_dict(report, levels)) + "\n"

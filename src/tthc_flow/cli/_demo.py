"""``tthc-flow demo``: the sample catalog over a simulated year of cases, as an agency head
would want to see it.

1. the catalog: which version of each procedure is in force, and why versions change;
2. a year of cases (seeded, reproducible), per procedure and per unit in the shape of the
   provincial reports (received / early / on time / overdue / in progress), with the on-time
   rate of Decision 766/QĐ-TTg;
3. the units that caused the delays, and by how much;
4. one late case's full timeline: every event, each step against its own budget, and the
   legal clock's explanation of its due date;
5. the calendar behind every figure: a due date across the official holidays;
7. the embedded case store the year went through: the cases due soon, read from it, and its
   hash chain verified.

The cases are streamed into the report, so a large run (``--cases 1000000``) keeps only
counts in memory.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from tthc_flow.calendar import explain_due, format_instant, vietnam_calendar
from tthc_flow.calendar._explain import format_duration
from tthc_flow.catalog import Catalog
from tthc_flow.cli._commands import DEMO_CASES
from tthc_flow.engine import Case, ResultClass
from tthc_flow.errors import InvalidInputError
from tthc_flow.forms import control_slip, render_text
from tthc_flow.reports import (
    AN_GIANG_2020,
    Period,
    Report,
    Tally,
    alerts,
    build_report,
    compliance_findings,
    total_points,
)
from tthc_flow.reports._render import CHANNEL_LABELS
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate
from tthc_flow.store import Store, open_store

__all__ = ["run_demo"]

VN = ZoneInfo("Asia/Ho_Chi_Minh")
COLUMNS = (
    ("Tiếp nhận", "received", 9),
    ("Trước hạn", "early", 9),
    ("Đúng hạn", "on time", 9),
    ("Quá hạn", "overdue", 8),
    ("Đang GQ", "in prog.", 8),
    ("Đang GQ quá hạn", "in prog. late", 15),
    ("Rút", "withdrawn", 9),
    ("Đóng", "closed", 7),
    ("Đúng hạn %", "on-time %", 10),
)


def _rate(value: Fraction | None) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f}%"


def _row(label: str, tally: Tally, width: int) -> str:
    cells = (
        tally.total, tally.early, tally.on_time, tally.overdue, tally.in_progress,
        tally.in_progress_overdue, tally.withdrawn, tally.closed,
    )  # fmt: skip
    widths = [w for _, _, w in COLUMNS]
    numbers = "".join(f"{value:>{w + 1},}" for value, w in zip(cells, widths, strict=False))
    return f"  {label:<{width}}{numbers}{_rate(tally.on_time_rate):>{COLUMNS[-1][2] + 1}}"


def _table(title: str, rows: list[tuple[str, Tally]], total: Tally | None, out: TextIO) -> None:
    width = max([len(label) for label, _ in rows] + [len(title), 12]) + 1
    print(f"  {title:<{width}}" + "".join(f"{vi:>{w + 1}}" for vi, _, w in COLUMNS), file=out)
    print(f"  {'':<{width}}" + "".join(f"{en:>{w + 1}}" for _, en, w in COLUMNS), file=out)
    for label, tally in rows:
        print(_row(label, tally, width), file=out)
    if total is not None:
        print(_row("Tổng (total)", total, width), file=out)


class _Stream:
    """Passes simulated cases on to the report, keeping the one late case to show and the
    progress line; nothing else is kept."""

    def __init__(
        self, cases: Iterator[Case], count: int, progress: bool, period: Period, at: datetime,
        store: Store | None = None,
    ) -> None:
        self.cases = cases
        self.store = store
        self.count = count
        self.progress = progress
        self.period = period
        self.at = at  # the instant warnings are read at
        self.late: Case | None = None
        self.seen = 0
        self.findings: Counter[tuple[str, str]] = Counter()
        self.warnings: Counter[str] = Counter()
        self.started = time.perf_counter()

    def __iter__(self) -> Iterator[Case]:
        best = 0
        for case in self.cases:
            self.seen += 1
            if best < _MOST_TELLING:
                score = _story(case)
                if score > best:
                    best, self.late = score, case
            for finding in compliance_findings([case], self.period):
                self.findings[(finding.title, finding.citation)] += 1
            if not case.status.phase.finished:
                for alert in alerts([case], self.at, within=_DUE_SOON, steps=False):
                    self.warnings[_warning_label(alert.share, alert.due_soon)] += 1
            if self.store is not None:
                # Simulated instants are the source's, not entered now: stored as imported.
                self.store.add(case, imported=True)
            if self.progress and self.seen % 10_000 == 0:
                self._progress()
            yield case
        if self.progress:
            if self.seen % 10_000:  # else the last count is already on the line
                self._progress()
            print(file=sys.stderr)

    def _progress(self) -> None:
        rate = self.seen / max(time.perf_counter() - self.started, 1e-9)
        print(
            f"\r  … {self.seen:,} / {self.count:,} cases ({rate:,.0f}/s)",
            end="", file=sys.stderr, flush=True,
        )  # fmt: skip


_MOST_TELLING = 5
_DUE_SOON = timedelta(hours=8)  # one working day


def _warning_label(share: Fraction | None, due_soon: bool) -> str:
    if share is not None and share >= 1:
        return "đã dùng hết thời hạn (budget used up, overdue)"
    soon = "; hạn trong 1 ngày làm việc (due within a working day)" if due_soon else ""
    if share is None:
        return f"chưa tới 50% thời hạn{soon} (under half the budget used)"
    return f"đã dùng ≥ {float(share):.0%} thời hạn (budget used){soon}"


def _story(case: Case) -> int:
    """How much a case's timeline tells (0: not a finished late case). The most telling has
    an apology, a supplement, a send-back and excluded time; the first such case is shown."""
    status = case.status
    if not status.phase.finished or case.legal_clock().result is not ResultClass.OVERDUE:
        return 0
    kinds = {event.kind.value for event in case.events}
    return 1 + sum(
        (
            status.reschedules > 0,
            status.supplement_requests > 0,
            "sent_back" in kinds,
            "paused" in kinds,
        )
    )


def _catalog_section(catalog: Catalog, year: int, out: TextIO) -> None:
    print(f"1. Danh mục (catalog): {catalog.name} — {len(catalog.codes)} thủ tục, "
          f"{len(catalog.publications)} phiên bản (versions)\n", file=out)  # fmt: skip
    for code in catalog.codes:
        versions = catalog.versions(code)
        name = versions[-1].procedure.name
        print(f"   {code:<8} {name}", file=out)
        for publication in versions:
            procedure = publication.procedure
            until = procedure.effective_until or "…"
            total = procedure.total.label if procedure.total else "?"
            packs = ", ".join(p.name for p in procedure.rules)
            print(f"            v{procedure.version:<8} {procedure.effective_from} → {until}; "
                  f"{total}; {procedure.kind.name}; {packs}", file=out)  # fmt: skip
    findings = catalog.check(today=date(year, 12, 31))
    for finding in findings:
        print(f"   {finding}", file=out)


def _units_section(report: Report, out: TextIO) -> None:
    caused: dict[str, list[timedelta]] = {}
    outside = 0
    for entry in report.responsibility:
        if not entry.units:
            outside += 1
        for delay in entry.units:
            caused.setdefault(delay.unit, []).append(delay.overrun)
    ranked = sorted(caused.items(), key=lambda item: (-len(item[1]), item[0]))
    print(f"3. Đơn vị gây chậm (units that caused the delays): {len(report.responsibility):,} "
          "cases late on the legal clock, late withdrawals included\n", file=out)  # fmt: skip
    width = max([len(unit) for unit in caused] + [14]) + 2
    print(f"   {'đơn vị (unit)':<{width}}{'hồ sơ (cases)':>14}   vượt trung bình (mean overrun)",
          file=out)  # fmt: skip
    for unit, overruns in ranked:
        mean = sum(overruns, timedelta(0)) / len(overruns)
        mean = timedelta(minutes=round(mean / timedelta(minutes=1)))
        print(f"   {unit:<{width}}{len(overruns):>14,}   {format_duration(mean).split(' (')[0]}",
              file=out)  # fmt: skip
    if outside:
        print(f"   {outside:,} overdue case(s) with no unit over its own budget (the delay lies "
              "in the case clock: pauses, rework)", file=out)  # fmt: skip


def _compliance_section(stream: _Stream, report: Report, catalog: Catalog, out: TextIO) -> None:
    print("4. Tuân thủ và cảnh báo (compliance, thresholds, warnings)\n", file=out)
    total = sum(stream.findings.values())
    print(f"   Vi phạm quy định (findings, each with its article): {total:,}", file=out)
    by_title: Counter[str] = Counter()
    citations: dict[str, list[str]] = {}
    for (title, citation), count in stream.findings.items():
        by_title[title] += count
        citations.setdefault(title, []).append(citation)
    for title, count in by_title.most_common():
        print(f"     {count:>7,}  {title}", file=out)
        for citation in sorted(citations[title]):
            print(f"              [{citation}]", file=out)
    breaches = AN_GIANG_2020.apply(report, catalog.units)
    print(f"\n   Ngưỡng (threshold policy, example): {AN_GIANG_2020.name}", file=out)
    print(f"   [{AN_GIANG_2020.citation}]", file=out)
    for breach in breaches:
        print(f"     {breach.unit} ({breach.level}): {breach.overdue:,}/{breach.total:,} = "
              f"{float(breach.rate):.1%} > {float(breach.limit):.1%} → −{float(breach.points):g} "
              "điểm (points)",
              file=out)  # fmt: skip
    print(f"     Tổng điểm trừ (points deducted): −{float(total_points(breaches)):g}", file=out)
    at = format_instant(stream.at)
    print(f"\n   Hồ sơ đang giải quyết lúc {at} (unfinished cases, legal clock):", file=out)
    for label, count in sorted(stream.warnings.items()):
        print(f"     {count:>7,}  {label}", file=out)


def _timeline_section(case: Case, out: TextIO) -> None:
    tz = case.calendar.tz
    print(f"5. Một hồ sơ trễ hạn (one late case): {case.case_id} — {case.procedure}\n", file=out)
    for event in case.events:
        detail = event.target or event.reason or ""
        if event.new_due is not None:
            detail += f" → hẹn mới (new due) {format_instant(event.new_due.astimezone(tz))}"
        print(f"   {format_instant(event.at.astimezone(tz)):<26}{event.kind.label}", file=out)
        print(f"   {'':<26}  {event.unit}{': ' + detail if detail else ''}", file=out)
    print("\n   Từng bước (each step against its own budget):", file=out)
    for reading in case.step_clocks():
        used, allowed = format_duration(reading.elapsed), format_duration(reading.allowed)
        spent = f"{used.split(' (')[0]} / {allowed.split(' (')[0]}"
        print(f"     {reading.name:<16} {spent:<50} {reading.result.label}", file=out)
    print("\n   Đồng hồ pháp lý (legal clock):", file=out)
    for line in case.legal_clock().explain(case.calendar).splitlines():
        print(f"     {line}", file=out)
    print("\n   Phiếu kiểm soát quá trình giải quyết hồ sơ (process control slip), as printed:\n",
          file=out)  # fmt: skip
    for line in render_text(control_slip(case)).splitlines():
        print(f"     {line}", file=out)


def _calendar_section(out: TextIO) -> None:
    cal = vietnam_calendar()
    print("6. Lịch làm việc (the calendar under every figure): 3 working days from Fri "
          "25/4/2025 16:00\n", file=out)  # fmt: skip
    start = datetime(2025, 4, 25, 16, 0, tzinfo=VN)
    for line in explain_due(cal, start, timedelta(hours=24)).lines:
        print(f"   {line}", file=out)


def run_demo(
    *,
    cases: int = DEMO_CASES,
    seed: int = 2025,
    year: int = 2025,
    progress: bool | None = None,
    out: TextIO | None = None,
    store: str | None = None,
) -> Report:
    """Print the demo to ``out`` (standard output) and return the year's report. The
    simulated cases go through an embedded SQLite store: the file ``store`` (a path), else a
    temporary one removed at the end."""
    out = out if out is not None else sys.stdout
    with tempfile.TemporaryDirectory(prefix="tthc-flow-demo-") as folder:
        path = store if store is not None else str(Path(folder) / "cases.db")
        with open_store(f"sqlite:///{path}", catalog=sample_catalog()) as kept:
            if len(kept):
                raise InvalidInputError(
                    f"the store {path} already holds {len(kept):,} case(s).",
                    value=path, hint="Give --store a new file.",
                )  # fmt: skip
            shown = path if store is not None else "(tệp tạm, a temporary file)"
            return _run(cases, seed, year, progress, out, kept, shown)


def _run(
    cases: int, seed: int, year: int, progress: bool | None, out: TextIO, store: Store,
    path: str,
) -> Report:  # fmt: skip
    catalog = store.catalog
    # simulate() checks its arguments when called: a bad year fails before anything prints.
    simulated = simulate(catalog, cases=cases, seed=seed, year=year)
    print("tthc_flow — thủ tục hành chính như máy trạng thái, với thời hạn và lịch làm việc",
          file=out)  # fmt: skip
    print("(administrative procedures as state machines, with budgets and working calendars)",
          file=out)  # fmt: skip
    print("=" * 96 + "\n", file=out)
    _catalog_section(catalog, year, out)

    started = time.perf_counter()
    period = Period.year(year)
    # Warnings are read at 16:00 on the last working day of the year (the working day
    # before 1 January, which add_working_days does not count).
    last_day = vietnam_calendar().add_working_days(date(year + 1, 1, 1), -1)
    at = datetime(last_day.year, last_day.month, last_day.day, 16, tzinfo=VN)
    stream = _Stream(
        simulated, cases, progress if progress is not None else cases >= 50_000, period, at,
        store,
    )
    report = build_report(stream, period)
    seconds = time.perf_counter() - started
    print(f"\n2. Năm {year}: {stream.seen:,} hồ sơ mô phỏng (simulated cases, seed {seed}; "
          f"{seconds:.1f} s), đồng hồ pháp lý (legal clock)\n", file=out)  # fmt: skip
    _table("Thủ tục (procedure)", list(report.procedures), report.total, out)
    print(file=out)
    _table("Đơn vị (unit)", list(report.units), None, out)
    print(file=out)
    _table("Kênh (channel)", [(CHANNEL_LABELS.get(key, key), tally)
                              for key, tally in report.channels], None, out)  # fmt: skip
    print(file=out)
    _units_section(report, out)
    print(file=out)
    _compliance_section(stream, report, catalog, out)
    print(file=out)
    if stream.late is not None:
        _timeline_section(stream.late, out)
        print(file=out)
    _calendar_section(out)
    print(file=out)
    _store_section(store, path, report, period, at, out)
    return report


def _store_section(
    store: Store, path: str, report: Report, period: Period, at: datetime, out: TextIO
) -> None:
    """The cases as a host keeps them: due soon, read from the store's index; the report
    from the store alone; the hash chain verified."""
    print("7. Kho hồ sơ (case store): SQLite nhúng (embedded), "
          f"{len(store):,} hồ sơ (cases) in {path}", file=out)  # fmt: skip
    soon = store.due_within(at, _DUE_SOON)
    late = sum(1 for _, due in soon if due < at)
    print(f"   Đến hạn trong 8 giờ làm việc kể từ {format_instant(at)} (due within 8 working "
          f"hours): {len(soon):,}, trong đó đã quá hạn (already overdue): {late:,}",
          file=out)  # fmt: skip
    for case_id, due in soon[:3]:
        print(f"     {case_id}: {format_instant(due.astimezone(VN))}", file=out)
    same = store.report(period) == report
    print(f"   Báo cáo đọc lại từ kho (the report read back from the store) "
          f"{'khớp (matches)' if same else 'KHÔNG khớp (DIFFERS)'}", file=out)  # fmt: skip
    checked = store.verify()
    verdict = "toàn vẹn (intact)" if checked.ok else "BỊ SỬA (ALTERED)"
    print(f"   Chuỗi băm (hash chain): {checked.events:,} sự kiện (events), {verdict}",
          file=out)  # fmt: skip

"""The benchmark scripts run and check their answers (their timing targets are checked by
running them directly, not here: timings in a test suite are noise)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_calendar_benchmark_runs_and_agrees_with_its_references() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "calendar.py"), "--pairs", "3000", "--repeats", "1"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    # Exit 1 may mean a missed timing target on a loaded machine; a wrong answer prints to
    # stderr and leaves the table unprinted.
    assert result.returncode in (0, 1), result.stderr
    assert "disagrees" not in result.stderr
    out = result.stdout
    for row in (
        "add_working_days (tthc_flow)",
        "numpy.busday_offset, called per item",
        "naive day-by-day loop",
        "add_working_time (tthc_flow)",
        "working_time_between (tthc_flow)",
        "is_working_time (tthc_flow)",
        "pandas CustomBusinessHour",
        "numpy vectorised over every instant",
        "flat in the span",
    ):
        assert row in out
    assert "numpy and tthc_flow agree on every pair" in out
    assert "does not invert" not in result.stderr


def test_replay_benchmark_runs_and_agrees_with_its_reference() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "replay.py"), "--cases", "1500",
         "--reference-cases", "300", "--repeats", "1"],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    assert "disagrees" not in result.stderr
    assert "events each" in result.stdout
    assert "agree on finished/in-progress for 200/200" in result.stdout
    assert "reference: one transitions machine per case" in result.stdout
    # A share of the cases forks, online ones with their branches interleaved.
    assert "mix: 30% of an inter-agency procedure that forks" in result.stdout


def test_catalog_benchmark_runs_and_round_trips() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "catalog.py"), "--procedures", "200", "--repeats", "1",
         "--growth", "50,400"],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    assert "disagrees" not in result.stderr
    assert "tthc_flow catalog benchmark: 200 procedures" in result.stdout
    assert "reference: json.loads of the same document alone" in result.stdout
    assert "linear: 400 procedures take" in result.stdout
    assert "ms per procedure at every size" in result.stdout


def test_kernel_benchmark_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "kernel.py"), "--short", "10", "--long", "150",
         "--repeats", "3", "--sizes", "50,5000"],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    out = result.stdout
    assert "histories of 10 and 150 events" in out
    for row in ("a command (handover, send-back, apology)", "a legal-clock reading",
                "status history, per event"):  # fmt: skip
        assert row in out
    # Growth, with a generous bound: from 50 to 5,000 events (100 times as long), each
    # operation a host runs on a whole case costs at most 10 times as much per event. One
    # that replayed the history per event (quadratic) would cost about 100 times as much.
    rows = {
        line[:46].strip(): float(line.split()[-1].rstrip("x"))
        for line in out.splitlines()
        if line.rstrip().endswith("x") and line[:46].strip() in _GROWTH_ROWS
    }
    assert set(rows) == set(_GROWTH_ROWS), out
    assert all(ratio <= 10 for ratio in rows.values()), rows


_GROWTH_ROWS = (
    "replay (Case.from_events, audit mode)",
    "every clock (legal, indicator, steps, units)",
    "control slip, built and printed",
    "apology form, built and printed",
    "portal status history",
)


def test_journal_benchmark_runs_and_reads_back_every_case() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "journal.py"), "--events", "3000"],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    assert "disagrees" not in result.stderr
    assert "every case written was read back" in result.stdout
    assert "reference, lines held and parsed with json.loads" in result.stdout
    assert "tthc-flow report, one process" in result.stdout


def test_store_benchmark_runs_its_writers_its_query_and_its_report(
    postgres_server: object,  # the binaries are there (or the test is skipped, outside CI)
) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "store.py"), "--commands", "40", "--cases", "2000",
         "--report-cases", "300"],
        capture_output=True, text=True, encoding="utf-8", timeout=600,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    out = result.stdout
    for backend in ("sqlite", "postgresql"):
        section = out.split(f"== {backend} ==")[1].split("==")[0]
        assert f"raw {backend}: the store's write statements, replayed" in section
        assert "store.run, 4 writer processes" in section
        assert "due within 8 working hours over 2,000 cases" in section
        assert "simulated 2026, at 31 Dec 2026 08:00); stress workload" in section
        assert "report over 300 cases" in section
    assert out.count("PASS") + out.count("MISS") == 10


def test_startup_benchmark_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "startup.py"), "--repeats", "1"],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    for row in ("python -c pass", "import tthc_flow", "tthc-flow due --working-days 3"):
        assert row in result.stdout
    assert "import tthc_flow <= 60 ms" in result.stdout


def test_report_benchmark_runs_and_its_paths_agree() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "report.py"), "--cases", "600", "--pool", "300",
         "--check", "200"],
        capture_output=True, text=True, encoding="utf-8", timeout=600,
    )  # fmt: skip
    # Exit 1 may be a missed timing target; a disagreement between paths prints to stderr
    # and stops before the table.
    assert result.returncode in (0, 1), result.stderr
    assert "disagrees" not in result.stderr
    out = result.stdout
    for row in (
        "build_report_from_events (fast path), CPU",
        "build_report over Case.from_events (engine path), CPU",
        "build_report over Case objects already built, CPU",
        "the two agree on 200 cases",
        "every case counted",
        "every path at most 20 µs/case",
    ):
        assert row in out

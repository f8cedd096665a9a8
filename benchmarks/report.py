"""Report speed and memory: a period report over 1,000,000 replayed cases.

Run: ``python benchmarks/report.py [--cases 1000000] [--pool 50000] [--seed 7]
[--workload simulated|synthetic]``. The default workload is a realistic year: the cases of
:func:`tthc_flow.simulation.simulate` over the sample catalog in 2026 (every procedure of
the catalog, supplements, pauses, reschedules, late units, and the cases still in progress
on 31 December), reported over 2026; the mix measured is printed. ``synthetic`` uses the
replay benchmark's histories instead (8–12 events, six steps, four units, nearly all early;
imported from ``benchmarks/replay.py``, not copied), reported over July 2025 – December 2026.
A pool of ``--pool`` distinct histories is built first and streamed round and round until
``--cases`` histories have gone through the report, because a million histories held at
once would take gigabytes that the report itself never needs. The report is
:func:`tthc_flow.reports.build_report_from_events` (the fast path, no ``Case`` built),
monthly rows, on the legal clock.

Both paths read the same clock kernel: the fast path folds each history once without
building a case (checking every event as an audit replay does, so that its data-quality
list matches the engine path's), the engine path
replays it as a :class:`~tthc_flow.engine.Case` (``Case.from_events``, every rule checked)
and reads the case's clocks. Before timing, the two reports of a sample are checked equal,
and both paths' times per case are printed side by side.

Also timed on the checked sample: :func:`~tthc_flow.reports.build_report` over ``Case``
objects already built (a host's live cases: their clocks are folded, only the report is
timed).

Targets (exit 1 if one is missed): the fast path takes at most 28 µs of CPU per case on
one core (28 s for a million cases), the figure measured before the kernel on the reference
machine; and every path a user takes (from events, and from ``Case`` objects) at most 20 µs
per case on the realistic workload. The ratio to the engine path is printed with them.
Memory: the process's peak resident size (``resource.getrusage``) and, on a sample, the
peak traced while streaming (``tracemalloc``).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

import _isolate  # noqa: F401  (must come first: see its docstring)

from tthc_flow.calendar import vietnam_calendar
from tthc_flow.engine import Case, Event, Procedure
from tthc_flow.reports import Period, build_report, build_report_from_events
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate

TARGET_SECONDS_PER_MILLION = 28.0
# Every path, on the realistic (simulated) workload: µs of CPU per case on one core.
TARGET_EVERY_PATH_US = 20.0
SYNTHETIC_PERIOD = Period(date(2025, 7, 1), date(2026, 12, 31))
SIMULATED_YEAR = 2026


def _replay_module() -> object:
    # The benchmarks folder is off the import path (see _isolate), so the replay benchmark
    # is loaded from its file to reuse its synthetic generator.
    path = Path(__file__).resolve().parent / "replay.py"
    spec = importlib.util.spec_from_file_location("tthc_flow_benchmark_replay", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


History = tuple[Procedure, list[Event]]


def stream(pool: Sequence[History], cases: int) -> Iterator[History]:
    size = len(pool)
    for number in range(cases):
        yield pool[number % size]


def simulated_pool(size: int, seed: int) -> list[History]:
    """A realistic year: the simulation's cases over the sample catalog."""
    cases = simulate(sample_catalog(), cases=size, seed=seed, year=SIMULATED_YEAR)
    return [(case.procedure, list(case.events)) for case in cases]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--pool", type=int, default=50_000, help="distinct histories")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", type=int, default=2_000, help="cases checked on both paths")
    parser.add_argument("--workload", choices=("simulated", "synthetic"), default="simulated")
    args = parser.parse_args()
    if args.cases < 1 or args.pool < 1:
        parser.error("--cases and --pool must be at least 1")

    calendar = vietnam_calendar()
    start = time.perf_counter()
    size = min(args.pool, args.cases)
    if args.workload == "simulated":
        pool = simulated_pool(size, args.seed)
        period = Period.year(SIMULATED_YEAR)
        what = f"simulated cases of the sample catalog received in {SIMULATED_YEAR}"
    else:
        replay = _replay_module()
        procedure: Procedure = replay.procedure()  # type: ignore[attr-defined]
        rng = random.Random(args.seed)
        pool = [
            (procedure, replay.synthetic_case(rng, n))  # type: ignore[attr-defined]
            for n in range(size)
        ]
        period = SYNTHETIC_PERIOD
        what = "synthetic histories of the replay benchmark"
    built = time.perf_counter() - start
    sizes = [len(events) for _, events in pool]

    sample = pool[: args.check]
    # Both paths stream: each case is replayed, read and dropped, as a report job would.
    start = time.process_time()
    slow = build_report(
        (Case.from_events(p, h, calendar=calendar) for p, h in sample), period,
        tz=calendar.tz,
    )  # fmt: skip
    per_slow = (time.process_time() - start) / len(sample)
    built_cases = [Case.from_events(p, h, calendar=calendar) for p, h in sample]
    start = time.process_time()
    from_cases = build_report(built_cases, period, tz=calendar.tz)
    per_case_objects = (time.process_time() - start) / len(sample)
    del built_cases
    if from_cases != slow:
        print("the report over built cases disagrees with the engine path", file=sys.stderr)
        return 1
    quick = build_report_from_events(iter(sample), period, calendar=calendar)
    if quick != slow:
        print("the fast report disagrees with the engine path", file=sys.stderr)
        return 1

    wall, cpu = time.perf_counter(), time.process_time()
    report = build_report_from_events(stream(pool, args.cases), period, calendar=calendar)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux

    # The same report on two worker processes (histories sent in chunks, partial reports
    # merged with +), against one process; the machine's load beside it, since a second
    # core that is busy gives nothing.
    parallel_cases = min(args.cases, 100_000)
    one = time.perf_counter()
    alone = build_report_from_events(stream(pool, parallel_cases), period, calendar=calendar)
    one = time.perf_counter() - one
    with ProcessPoolExecutor(2) as executor:
        # The workers started and warm before the timing.
        build_report_from_events(
            stream(pool, 2_000), period, calendar=calendar, executor=executor
        )
        two = time.perf_counter()
        shared = build_report_from_events(
            stream(pool, parallel_cases), period, calendar=calendar, executor=executor,
            chunk=2_000,
        )  # fmt: skip
        two = time.perf_counter() - two
    if shared != alone:
        print("the report on two processes disagrees with one process", file=sys.stderr)
        return 1

    traced = min(20_000, args.cases)
    tracemalloc.start()
    build_report_from_events(stream(pool, traced), period, calendar=calendar)
    _, peak_traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    total = report.total
    per_case = cpu / args.cases
    print(
        f"tthc_flow report benchmark: {args.cases:,} replayed cases from {len(pool):,} distinct "
        f"{what}, {min(sizes)}–{max(sizes)} events each "
        f"(mean {sum(sizes) / len(sizes):.1f}); pool built in {built:.1f} s"
    )
    print(f"python {sys.version.split()[0]}; period {period.label}, monthly rows, legal clock\n")
    print(f"{'path':<56}{'µs/case':>10}{'cases/s':>12}")
    print(f"{'build_report_from_events (fast path), CPU':<56}{per_case * 1e6:>10.1f}"
          f"{1 / per_case:>12,.0f}")  # fmt: skip
    print(f"{'build_report over Case.from_events (engine path), CPU':<56}{per_slow * 1e6:>10.1f}"
          f"{1 / per_slow:>12,.0f}")  # fmt: skip
    print(f"{'build_report over Case objects already built, CPU':<56}"
          f"{per_case_objects * 1e6:>10.1f}{1 / per_case_objects:>12,.0f}")  # fmt: skip
    print(f"\nfast path {per_slow / per_case:.1f}x faster than the engine path; the two agree "
          f"on {len(sample):,} cases")  # fmt: skip
    print(f"report of {args.cases:,} cases: {cpu:.1f} s CPU, {wall:.1f} s wall")
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{parallel_cases:,} cases on 1 process {one:.1f} s, on 2 worker processes {two:.1f} s "
          f"wall: {one / two:.2f}x (load average {load}; {os.cpu_count()} CPUs)")  # fmt: skip
    print(
        f"peak resident memory of the process: {peak_rss / 2**20:,.0f} MiB (includes the pool); "
        f"peak traced while streaming {traced:,} cases: {peak_traced / 2**20:,.1f} MiB"
    )
    print(
        f"cases {total.total:,}: early {total.early:,}, on time {total.on_time:,}, overdue "
        f"{total.overdue:,}, in progress {total.in_progress + total.in_progress_overdue:,}, "
        f"withdrawn {total.withdrawn:,}; responsibility entries {len(report.responsibility):,}"
    )

    budget = TARGET_SECONDS_PER_MILLION * args.cases / 1_000_000
    checks = [
        (f"report under {budget:g} s of CPU on one core", cpu < budget),
        ("every case counted", total.total == args.cases),
    ]
    if args.workload == "simulated":
        slowest = max(per_case, per_case_objects) * 1e6
        checks.append(
            (f"every path at most {TARGET_EVERY_PATH_US:g} µs/case (slowest {slowest:.1f})",
             slowest <= TARGET_EVERY_PATH_US)
        )  # fmt: skip
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

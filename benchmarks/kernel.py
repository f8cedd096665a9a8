"""The clock kernel folds incrementally: what a command, a clock reading and the portal's
status history cost as a case's history grows.

Run: ``python benchmarks/kernel.py [--long 3000] [--short 10] [--repeats 3]``. Two long-lived
cases, in audit mode (a real system's history, every event kept):

- a judicial-record case sent back and forth between review and approval, with an apology
  (a command that checks the legal due) on every loop; the cost of one loop's commands and
  of one legal-clock reading is measured when the history holds ``--short`` events and when
  it holds ``--long``;
- the portal's status history (one record per status change) of the same histories, per
  event.

The reference is the same operation on the short history, in the same run: a fold that
replayed the whole history for each command or reading would cost about ``long/short``
times more per event on the long one. Targets (exit 1 if missed): a command, a reading and
the status history per event cost at most 3x as much on the long history as on the short.

Growth (``--sizes 10,100,1000,10000``): every operation a host runs on a whole case, per
event of its history, at each size: the replay (``Case.from_events``, every rule checked),
every clock (legal, indicator, each step visit, each unit), the control slip and the
apology form (built and printed as text), the portal's status history. Target: each costs
at most 3x per event at the largest size what it costs at the smallest (linear in the
history's length; a quadratic one would cost sizes[-1] / sizes[0] times more).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import _isolate  # noqa: F401  (must come first: see its docstring)

from tthc_flow.calendar import vietnam_calendar
from tthc_flow.engine import Case, Mode, Procedure, ProcedureKind, Step, WorkingDays
from tthc_flow.forms import apology, control_slip, render_text
from tthc_flow.portal import status_history

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TARGET_RATIO = 3.0
DESK, RECORDS = "Bộ phận Một cửa", "Phòng Hành chính tư pháp"
CALENDAR = vietnam_calendar(first_year=2025, last_year=2035)


def procedure() -> Procedure:
    return Procedure(
        code="BENCH.K", name="Thủ tục dài (minh họa)", version="1", kind=ProcedureKind.ONE_STOP,
        total=WorkingDays(10),
        steps=[
            Step("receive", "Tiếp nhận", DESK, WorkingDays("0.5"), next="review",
                 reception=True),
            Step("review", "Thẩm định", RECORDS, WorkingDays(6), next="approve"),
            Step("approve", "Lãnh đạo phòng", RECORDS, WorkingDays(3), next="return",
                 back="review"),
            Step("return", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
    )  # fmt: skip


def loop(case: Case, at: datetime) -> datetime:
    """One loop of three commands, ten minutes apart: approve, send back, apologise."""
    at += timedelta(minutes=10)
    case.handover("approve", at=at, actor="cv", unit=RECORDS)
    at += timedelta(minutes=10)
    case.send_back("review", at=at, actor="lđ", unit=RECORDS, reason="làm lại")
    at += timedelta(minutes=10)
    case.reschedule(new_due=at + timedelta(days=30), reason="xin lỗi", at=at, actor="lđ",
                    unit=RECORDS)  # fmt: skip
    return at


def grown(events: int) -> tuple[Case, datetime]:
    """A case whose history holds about ``events`` events."""
    at = datetime(2026, 3, 2, 9, tzinfo=VN)
    case = Case.open(procedure(), case_id="K", received_at=at, actor="a", unit=DESK,
                     calendar=CALENDAR, mode=Mode.AUDIT,
                     attributes={"channel": "online"})  # fmt: skip
    at += timedelta(minutes=10)
    case.handover("review", at=at, actor="a", unit=DESK)
    while len(case.events) + 3 <= events:
        at = loop(case, at)
    return case, at


def best(repeats: int, run: Callable[[], object]) -> float:
    found = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        found = min(found, time.perf_counter() - start)
    return found


def measure(events: int, repeats: int) -> tuple[float, float, float]:
    """(s per command, s per reading, s per event of the status history) at this length."""
    rounds = 30

    def commands() -> None:
        case, at = grown(events)
        start = time.perf_counter()
        for _ in range(rounds):
            at = loop(case, at)
        timings.append(time.perf_counter() - start)

    timings: list[float] = []
    for _ in range(repeats):
        commands()
    per_command = min(timings) / (3 * rounds)
    case, at = grown(events)
    readings = 200
    per_reading = best(repeats, lambda: [case.legal_clock(at) for _ in range(readings)])
    per_reading /= readings
    per_event = best(repeats, lambda: status_history(case)) / len(case.events)
    return per_command, per_reading, per_event


def _every_clock(case: Case, at: datetime) -> None:
    case.legal_clock(at)
    case.indicator_clock(at)
    case.step_clocks(at)
    case.unit_clocks(at)


# What a host runs on a whole case, each per event of its history.
GROWTH: tuple[tuple[str, Callable[[Case, datetime], object]], ...] = (
    ("replay (Case.from_events, audit mode)",
     lambda case, _: Case.from_events(case.procedure, case.events, calendar=CALENDAR)),
    ("every clock (legal, indicator, steps, units)", _every_clock),
    ("control slip, built and printed", lambda case, _: render_text(control_slip(case))),
    ("apology form, built and printed", lambda case, _: render_text(apology(case))),
    ("portal status history", lambda case, _: status_history(case)),
)  # fmt: skip


def growth(sizes: list[int], repeats: int) -> list[tuple[str, bool]]:
    """Per-event cost of each GROWTH operation at each size; the checks."""
    costs: dict[str, list[float]] = {label: [] for label, _ in GROWTH}
    for size in sizes:
        case, at = grown(size)
        for label, operation in GROWTH:
            run = partial(operation, case, at)
            costs[label].append(best(repeats, run) / len(case.events))
    head = "".join(f"{size:>10,}" for size in sizes)
    print(f"\ngrowth: µs per event of the history, at {', '.join(f'{s:,}' for s in sizes)} events")
    print(f"{'operation':<46}{head}{'last/first':>12}")
    checks = []
    for label, per in costs.items():
        ratio = per[-1] / per[0]
        row = "".join(f"{cost * 1e6:>10.1f}" for cost in per)
        print(f"{label:<46}{row}{ratio:>11.1f}x")
        checks.append((f"{label}: linear, at most {TARGET_RATIO:g}x per event from "
                       f"{sizes[0]:,} to {sizes[-1]:,} events", ratio <= TARGET_RATIO))  # fmt: skip
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--short", type=int, default=10)
    parser.add_argument("--long", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="10,100,1000,10000",
                        help="history lengths of the growth table ('' to skip)")  # fmt: skip
    args = parser.parse_args()
    if args.short < 5 or args.long <= args.short:
        parser.error("--short must be at least 5 and --long above it")

    short = measure(args.short, args.repeats)
    long = measure(args.long, args.repeats)
    print(f"tthc_flow kernel benchmark: a case sent back and apologised for on every loop, "
          f"audit mode; histories of {args.short:,} and {args.long:,} events")  # fmt: skip
    print(f"python {sys.version.split()[0]}\n")
    print(f"{'operation':<44}{'short µs':>10}{'long µs':>10}{'long/short':>12}")
    labels = ("a command (handover, send-back, apology)", "a legal-clock reading",
              "status history, per event")  # fmt: skip
    ratios = []
    for label, a, b in zip(labels, short, long, strict=True):
        ratios.append(b / a)
        print(f"{label:<44}{a * 1e6:>10.1f}{b * 1e6:>10.1f}{b / a:>11.1f}x")
    print(f"\na whole-history replay per operation would be about {args.long / args.short:,.0f}x")
    checks = [(f"{label}: at most {TARGET_RATIO:g}x on the long history", ratio <= TARGET_RATIO)
              for label, ratio in zip(labels, ratios, strict=True)]  # fmt: skip
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    if sizes:
        checks += growth(sizes, args.repeats)
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Replay speed and memory: 100,000 synthetic cases of 8–12 events each, to their statuses.

Run: ``python benchmarks/replay.py [--cases 100000] [--seed 7]``. In the same run it measures
the reference, one ``transitions.Machine`` built per case firing the same triggers, and
prints cases/s and ratios. Targets (exit 1 if missed): ``replay_statuses`` at least 20x
faster than the reference; under 2 KB of memory per replayed case (tracemalloc: what the
replay keeps per case, and the peak while streaming).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import _isolate  # noqa: F401  (must come first: see its docstring)
from transitions import Machine

from tthc_flow.calendar import vietnam_calendar
from tthc_flow.engine import (
    Case,
    Event,
    EventKind,
    Procedure,
    ProcedureKind,
    Step,
    WorkingDays,
)
from tthc_flow.engine.machine import TERMINALS, transition_specs
from tthc_flow.engine.replay import replay_statuses

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TARGET_RATIO = 20.0
TARGET_BYTES = 2048

# A synthetic six-step one-stop workflow: desk, three divisions, a signer, the desk again.
UNITS = ("Một cửa", "Phòng Chuyên môn", "Phòng Chuyên môn", "Lãnh đạo", "Văn thư", "Một cửa")
KEYS = ("receive", "check", "review", "sign", "issue", "return")
BUDGETS = ("0.5", "3", "1.5", "1", "0.5", "0.5")


def procedure() -> Procedure:
    steps = [
        Step(
            key,
            f"Bước {key}",
            unit,
            WorkingDays(budget),
            next=KEYS[i + 1 : i + 2],
            back=("check",) if key in ("review", "sign") else (),
            reception=i == 0,
            returns=i == len(KEYS) - 1,
        )
        for i, (key, unit, budget) in enumerate(zip(KEYS, UNITS, BUDGETS, strict=True))
    ]
    return Procedure(
        code="BENCH.1", name="Thủ tục tổng hợp", version="1", kind=ProcedureKind.ONE_STOP,
        total=WorkingDays(7), steps=steps,
    )  # fmt: skip


def synthetic_case(rng: random.Random, number: int) -> list[Event]:
    """8–12 events: the path through the steps; sometimes a supplement, a send-back for rework
    or an apology with a new date; now and then a refusal or withdrawal instead of the return."""
    at = datetime(2025, 7, 1, 8, tzinfo=VN) + timedelta(minutes=rng.randrange(60 * 24 * 500))
    events = [Event(0, EventKind.RECEIVED, at, "desk", UNITS[0],
                    data={"case_id": f"C{number}", "attributes": {}})]  # fmt: skip

    def add(kind: EventKind, unit: str, **fields: object) -> None:
        nonlocal at
        at += timedelta(minutes=rng.randrange(30, 60 * 30))
        events.append(Event(len(events), kind, at, "officer", unit, **fields))  # type: ignore[arg-type]

    extra = rng.random()
    for i, key in enumerate(KEYS[1:], 1):
        if i == 2 and extra < 0.3:
            add(EventKind.SUPPLEMENT_REQUESTED, UNITS[1], evidence=("form",))
            add(EventKind.SUPPLEMENT_RECEIVED, UNITS[0])
        if i == 3 and 0.35 <= extra < 0.6:
            add(EventKind.RESCHEDULED, UNITS[2], reason="xin lỗi: chờ xác minh",
                new_due=at + timedelta(days=5))  # fmt: skip
        if i == 4 and 0.3 <= extra < 0.5:
            add(EventKind.SENT_BACK, UNITS[3], target="check", reason="rework")
            add(EventKind.HANDED_OVER, UNITS[1], target="review")
            add(EventKind.HANDED_OVER, UNITS[2], target="sign")
        if i == 5:
            add(EventKind.RESOLVED, UNITS[4])
        add(EventKind.HANDED_OVER, UNITS[i - 1], target=key)
    ending = rng.random()
    if ending < 0.9:
        add(EventKind.RETURNED, UNITS[5])
    elif ending < 0.95:
        add(EventKind.REFUSED, UNITS[5], reason="không đủ điều kiện")
    else:
        add(EventKind.WITHDRAWN, UNITS[5])
    return events


def triggers(events: Sequence[Event]) -> list[str]:
    """The same history as the reference machine's trigger names."""
    names = {
        EventKind.HANDED_OVER: "handover:",
        EventKind.SENT_BACK: "send_back:",
        EventKind.RETURNED: "return_result",
        EventKind.REFUSED: "refuse",
        EventKind.WITHDRAWN: "withdraw",
    }
    fired = []
    for event in events:
        name = names.get(event.kind)
        if name is not None:
            fired.append(name + (event.target or "") if name.endswith(":") else name)
    return fired


def best_of(repeats: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument(
        "--reference-cases",
        type=int,
        default=5_000,
        help="the reference is slow; its per-case time is measured on a sample",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    proc = procedure()
    calendar = vietnam_calendar()
    rng = random.Random(args.seed)
    start = time.perf_counter()
    cases = [synthetic_case(rng, n) for n in range(args.cases)]
    built = time.perf_counter() - start
    sizes = [len(c) for c in cases]

    statuses = list(replay_statuses(proc, cases, calendar=calendar))
    full = [Case.from_events(proc, c, calendar=calendar).status for c in cases[:2000]]
    if any(a.phase != b.phase or a.step != b.step for a, b in zip(statuses, full, strict=False)):
        print("replay_statuses disagrees with Case.from_events", file=sys.stderr)
        return 1

    t_fast = best_of(args.repeats, lambda: list(replay_statuses(proc, cases, calendar=calendar)))
    sample = cases[: args.reference_cases]
    t_full = best_of(1, lambda: [Case.from_events(proc, c, calendar=calendar) for c in sample])

    states = [s.key for s in proc.steps] + list(TERMINALS)
    specs = transition_specs(proc)
    fired = [triggers(c) for c in sample]

    class Model:
        state: str

    def reference() -> None:
        for names in fired:
            model = Model()
            Machine(model=model, states=states, transitions=specs, initial=KEYS[0],
                    auto_transitions=False)  # fmt: skip
            for name in names:
                model.trigger(name)  # type: ignore[attr-defined]

    t_ref = best_of(1, reference)
    ref_phases = []
    for names in fired[:200]:
        model = Model()
        Machine(model=model, states=states, transitions=specs, initial=KEYS[0],
                auto_transitions=False)  # fmt: skip
        for name in names:
            model.trigger(name)  # type: ignore[attr-defined]
        ref_phases.append(model.state)
    ours_phases = [s.step if s.step and not s.phase.finished else None for s in statuses[:200]]
    agree = sum(
        (r in TERMINALS) == (o is None) for r, o in zip(ref_phases, ours_phases, strict=True)
    )

    per_fast = t_fast / args.cases
    per_full = t_full / len(sample)
    per_ref = t_ref / len(sample)

    tracemalloc.start()
    kept = list(replay_statuses(proc, cases[:20_000], calendar=calendar))
    retained, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    for _status in replay_statuses(proc, cases[:20_000], calendar=calendar):
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    per_case_bytes = retained / len(kept)

    print(f"tthc_flow replay benchmark: {args.cases:,} synthetic cases, "
          f"{min(sizes)}–{max(sizes)} events each (mean {sum(sizes) / len(sizes):.1f}); "
          f"built in {built:.1f} s")  # fmt: skip
    print(f"python {sys.version.split()[0]}; reference sample {len(sample):,} cases\n")
    print(f"{'path':<52}{'µs/case':>10}{'cases/s':>12}{'ratio':>10}")
    rows = (
        ("replay_statuses (state machine only)", per_fast),
        ("Case.from_events (every rule, audit mode)", per_full),
        ("reference: one transitions.Machine per case", per_ref),
    )
    for label, per in rows:
        print(f"{label:<52}{per * 1e6:>10.1f}{1 / per:>12,.0f}{per_ref / per:>9.1f}x")
    print(f"\nreference and replay agree on finished/in-progress for {agree}/200 sampled cases")
    print(
        f"memory kept per replayed case (its status): {per_case_bytes:,.0f} B; "
        f"peak while streaming 20,000 cases: {peak:,} B ({peak / 20_000:,.1f} B/case)"
    )

    checks = [
        (f"replay_statuses >= {TARGET_RATIO:g}x faster than a Machine per case",
         per_ref / per_fast >= TARGET_RATIO),
        (f"memory per replayed case < {TARGET_BYTES} B", per_case_bytes < TARGET_BYTES),
        ("reference agrees", agree == 200),
    ]  # fmt: skip
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Replay speed and memory: 100,000 synthetic cases of 6 to 14 events each, to their statuses.

Run: ``python benchmarks/replay.py [--cases 100000] [--seed 7] [--parallel 0.3]``. A share of
the cases (``--parallel``, 30 % by default) is of an inter-agency procedure whose review forks
to two agencies (Decree 118/2025 Art. 20(2)): filed online, its branches run side by side and
their events interleave; filed in person, in the fixed order. In the same run it measures the
reference, one ``transitions`` machine built per case firing the same triggers (a
``HierarchicalMachine`` with a parallel state for a parallel case, a ``Machine`` otherwise),
and prints cases/s and ratios. Targets (exit 1 if missed): ``replay_statuses`` at least 20x
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
from typing import Any
from zoneinfo import ZoneInfo

import _isolate  # noqa: F401  (must come first: see its docstring)
from transitions import Machine
from transitions.extensions import HierarchicalMachine

from tthc_flow.calendar import vietnam_calendar
from tthc_flow.engine import (
    ART_20_2_ORDERS,
    Case,
    Event,
    EventKind,
    Order,
    Procedure,
    ProcedureKind,
    Step,
    WorkingDays,
    replay_statuses,
)
from tthc_flow.engine._graph import flow_of
from tthc_flow.engine._machine import FORK, TERMINALS, Nesting, transition_specs

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


# The inter-agency one: the desk, a check, then two agencies side by side (online) or in
# turn (paper), a signer, the desk again. Critical path 0.5 + 1 + 2 + 1 + 0.5 = 5 days; in
# turn 7 days, the total.
P_UNITS = {"receive": "Một cửa", "check": "Phòng Chuyên môn", "police": "Công an",
           "insurance": "Bảo hiểm xã hội", "sign": "Lãnh đạo", "return": "Một cửa"}  # fmt: skip


def parallel_procedure() -> Procedure:
    steps = [
        Step("receive", "Tiếp nhận", P_UNITS["receive"], WorkingDays("0.5"), next="check",
             reception=True),
        Step("check", "Kiểm tra", P_UNITS["check"], WorkingDays(1),
             fork=("police", "insurance")),
        Step("police", "Công an xác nhận", P_UNITS["police"], WorkingDays(2), next="sign"),
        Step("insurance", "Cấp thẻ BHYT", P_UNITS["insurance"], WorkingDays(2), next="sign"),
        Step("sign", "Ký duyệt", P_UNITS["sign"], WorkingDays(1), next="return",
             back="check"),
        Step("return", "Trả kết quả", P_UNITS["return"], WorkingDays("0.5"), returns=True),
    ]  # fmt: skip
    return Procedure(
        code="BENCH.2", name="Liên thông tổng hợp", version="1",
        kind=ProcedureKind.INTER_AGENCY, total=WorkingDays(7), steps=steps,
        orders=ART_20_2_ORDERS,
    )  # fmt: skip


def parallel_case(rng: random.Random, number: int) -> list[Event]:
    """9–12 events: online (two thirds) the check forks and the two agencies' handovers to
    the signer interleave in either order; in person they run in turn. Sometimes the signer
    sends the case back to the check, which forks again; now and then a refusal."""
    at = datetime(2025, 7, 1, 8, tzinfo=VN) + timedelta(minutes=rng.randrange(60 * 24 * 500))
    channel = "online" if rng.random() < 2 / 3 else "in_person"
    order = ART_20_2_ORDERS[channel].value
    events = [Event(0, EventKind.RECEIVED, at, "desk", P_UNITS["receive"],
                    data={"case_id": f"P{number}", "attributes": {"channel": channel},
                          "order": order})]  # fmt: skip

    def add(kind: EventKind, key: str, **fields: object) -> None:
        nonlocal at
        at += timedelta(minutes=rng.randrange(30, 60 * 30))
        events.append(Event(len(events), kind, at, "officer", P_UNITS[key], **fields))  # type: ignore[arg-type]

    add(EventKind.HANDED_OVER, "receive", target="check")
    rounds = 2 if rng.random() < 0.2 else 1
    for round_ in range(rounds):
        if round_:
            add(EventKind.SENT_BACK, "sign", target="check", reason="rework")
        if channel == "online":
            add(EventKind.HANDED_OVER, "check", target=None)
            first, second = rng.sample(["police", "insurance"], 2)
            add(EventKind.HANDED_OVER, first, target="sign", step=first)
            add(EventKind.HANDED_OVER, second, target="sign", step=second)
        else:
            add(EventKind.HANDED_OVER, "check", target="police")
            add(EventKind.HANDED_OVER, "police", target="insurance")
            add(EventKind.HANDED_OVER, "insurance", target="sign")
    if rng.random() < 0.95:
        add(EventKind.RESOLVED, "sign")
        add(EventKind.HANDED_OVER, "sign", target="return")
        add(EventKind.RETURNED, "return")
    else:
        add(EventKind.REFUSED, "sign", reason="không đủ điều kiện")
    return events


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
        if event.kind is EventKind.HANDED_OVER and event.target is None:
            fired.append(FORK)
        elif name is not None:
            fired.append(name + (event.target or "") if name.endswith(":") else name)
    return fired


JOIN = "join"


def fire(model: Any, names: Sequence[str]) -> None:
    """Fire the triggers; after each, a parallel state whose regions are all final is left
    for its join (what ``on_final`` would do)."""
    for name in names:
        model.trigger(name)
        state = model.state
        if isinstance(state, list) and all(str(part).endswith("done") for part in state):
            model.trigger(JOIN)


def reference_machine(proc: Procedure, order: Order | None, model: object) -> Machine:
    """One machine for one case, as a host without a compiled table would build it: a
    ``HierarchicalMachine`` with the fork as a parallel state for a parallel case."""
    if order is Order.PARALLEL:
        nesting = Nesting(proc, flow_of(proc, order))
        nested = nesting.specs(proc, order)
        for fork in flow_of(proc, order).forks.values():
            # Leaving the parallel state once every region is final: fired by the host.
            nested.append({"trigger": JOIN, "source": nesting.fork_name[fork.step],
                           "dest": nesting.name[fork.join]})  # fmt: skip
        return HierarchicalMachine(
            model=model, states=nesting.tree(proc), transitions=nested,
            initial=nesting.name[proc.first.key], auto_transitions=False,
            ignore_invalid_triggers=True,
        )  # fmt: skip
    states = [s.key for s in proc.steps] + list(TERMINALS)
    return Machine(model=model, states=states, transitions=transition_specs(proc, order),
                   initial=proc.first.key,
                   auto_transitions=False)  # fmt: skip


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
    parser.add_argument("--parallel", type=float, default=0.3,
                        help="share of cases of the inter-agency procedure that forks")  # fmt: skip
    args = parser.parse_args()

    linear, forking = procedure(), parallel_procedure()
    calendar = vietnam_calendar()
    rng = random.Random(args.seed)
    start = time.perf_counter()
    # (procedure, events) in a mixed order, as a journal holds them.
    mixed: list[tuple[Procedure, list[Event]]] = [
        (forking, parallel_case(rng, n)) if rng.random() < args.parallel
        else (linear, synthetic_case(rng, n))
        for n in range(args.cases)
    ]  # fmt: skip
    built = time.perf_counter() - start
    sizes = [len(c) for _, c in mixed]
    by_procedure: dict[str, tuple[Procedure, list[list[Event]]]] = {}
    for proc, events in mixed:
        by_procedure.setdefault(proc.code, (proc, []))[1].append(events)
    online = sum(
        1 for proc, events in mixed if proc is forking and events[0].data["order"] == "parallel"
    )

    def replay_all() -> list[object]:
        found: list[object] = []
        for proc, group in by_procedure.values():
            found += replay_statuses(proc, group, calendar=calendar)
        return found

    statuses = {
        proc.code: list(replay_statuses(proc, group, calendar=calendar))
        for proc, group in by_procedure.values()
    }
    for proc, group in by_procedure.values():
        full = [Case.from_events(proc, c, calendar=calendar).status for c in group[:2000]]
        pairs = zip(statuses[proc.code], full, strict=False)
        if any(a.phase != b.phase or a.steps != b.steps for a, b in pairs):
            print(f"replay_statuses disagrees with Case.from_events on {proc.code}",
                  file=sys.stderr)  # fmt: skip
            return 1

    t_fast = best_of(args.repeats, replay_all)
    sample = mixed[: args.reference_cases]
    t_full = best_of(1, lambda: [Case.from_events(p, c, calendar=calendar) for p, c in sample])
    fired = [(p, _order(p, c), triggers(c)) for p, c in sample]

    class Model:
        state: Any

    def reference() -> None:
        for proc, order, names in fired:
            model = Model()
            reference_machine(proc, order, model)
            fire(model, names)

    t_ref = best_of(1, reference)
    agree = 0
    replayed = {code: iter(found) for code, found in statuses.items()}
    ours = [next(replayed[p.code]) for p, _ in mixed[:200]]
    for (proc, order, names), status in zip(fired[:200], ours, strict=True):
        model = Model()
        reference_machine(proc, order, model)
        fire(model, names)
        agree += (model.state in TERMINALS) == status.phase.finished  # type: ignore[attr-defined]

    per_fast = t_fast / args.cases
    per_full = t_full / len(sample)
    per_ref = t_ref / len(sample)

    tracemalloc.start()
    subset = mixed[:20_000]
    kept = [
        status
        for proc, group in _groups(subset).values()
        for status in replay_statuses(proc, group, calendar=calendar)
    ]
    retained, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    for proc, group in _groups(subset).values():
        for _status in replay_statuses(proc, group, calendar=calendar):
            pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    per_case_bytes = retained / len(kept)

    share = sum(1 for p, _ in mixed if p is forking) / len(mixed)
    print(f"tthc_flow replay benchmark: {args.cases:,} synthetic cases, "
          f"{min(sizes)}–{max(sizes)} events each (mean {sum(sizes) / len(sizes):.1f}); "
          f"built in {built:.1f} s")  # fmt: skip
    print(f"mix: {share:.0%} of an inter-agency procedure that forks ({online:,} filed online, "
          f"branches interleaved; the rest in the fixed paper order), the others one step at "
          f"a time")  # fmt: skip
    print(f"python {sys.version.split()[0]}; reference sample {len(sample):,} cases\n")
    print(f"{'path':<52}{'µs/case':>10}{'cases/s':>12}{'ratio':>10}")
    rows = (
        ("replay_statuses (state machine only)", per_fast),
        ("Case.from_events (every rule, audit mode)", per_full),
        ("reference: one transitions machine per case", per_ref),
    )
    for label, per in rows:
        print(f"{label:<52}{per * 1e6:>10.1f}{1 / per:>12,.0f}{per_ref / per:>9.1f}x")
    print(f"\nreference and replay agree on finished/in-progress for {agree}/200 sampled cases")
    print(
        f"memory kept per replayed case (its status): {per_case_bytes:,.0f} B; "
        f"peak while streaming 20,000 cases: {peak:,} B ({peak / 20_000:,.1f} B/case)"
    )

    checks = [
        (f"replay_statuses >= {TARGET_RATIO:g}x faster than a machine per case",
         per_ref / per_fast >= TARGET_RATIO),
        (f"memory per replayed case < {TARGET_BYTES} B", per_case_bytes < TARGET_BYTES),
        ("reference agrees", agree == 200),
    ]  # fmt: skip
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


def _order(proc: Procedure, events: Sequence[Event]) -> Order | None:
    recorded = events[0].data.get("order")
    return None if recorded is None else Order(recorded)


def _groups(
    mixed: Sequence[tuple[Procedure, list[Event]]],
) -> dict[str, tuple[Procedure, list[list[Event]]]]:
    groups: dict[str, tuple[Procedure, list[list[Event]]]] = {}
    for proc, events in mixed:
        groups.setdefault(proc.code, (proc, []))[1].append(events)
    return groups


if __name__ == "__main__":
    sys.exit(main())

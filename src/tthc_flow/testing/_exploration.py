"""Every path a case can take through a procedure (mọi đường đi của hồ sơ), up to a bound.

:func:`explore` walks the procedure's state machine (the same transitions the engine compiles:
handovers, send-backs for rework, return of the result, refusal, withdrawal, stop) and reports
what a definition check cannot see one step at a time: steps from which the result can never
be returned, steps no path reaches, and the longest legal time a case may take.

>>> from tthc_flow.engine import Procedure, ProcedureKind, Step, WorkingDays
>>> p = Procedure(
...     code="X.1", name="Thủ tục minh họa", version="1", kind=ProcedureKind.ONE_STOP,
...     total=WorkingDays(3),
...     steps=[
...         Step("receive", "Tiếp nhận", "Một cửa", WorkingDays("0.5"), next="review",
...              reception=True),
...         Step("review", "Thẩm định", "Phòng Tư pháp", WorkingDays(2), next="return",
...              back="receive"),
...         Step("return", "Trả kết quả", "Một cửa", WorkingDays("0.5"), returns=True),
...     ],
... )
>>> report = explore(p, max_loops=1)
>>> report.dead_ends, report.unreached, report.truncated
((), (), False)
>>> report.longest_path, report.longest_working_days  # one rework loop: 0.5 + 2 + 0.5 + 2 + 0.5
(('receive', 'review', 'receive', 'review', 'return'), Fraction(11, 2))
>>> report.rework_exceeds_total, report.over_total
(True, None)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import timedelta
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from tthc_flow._validators import shown
from tthc_flow.calendar import MINUTES_PER_WORKING_DAY
from tthc_flow.engine import (
    Budget,
    CalendarDays,
    Months,
    Procedure,
    WorkingBudget,
)
from tthc_flow.engine._budgets import fraction_text
from tthc_flow.engine._graph import Flow, Order, flow_of
from tthc_flow.engine._machine import (
    CLOSE,
    FORK,
    REFUSE,
    RETURN_RESULT,
    STOP,
    WITHDRAW,
    transition_specs,
)
from tthc_flow.errors import InvalidInputError

__all__ = ["Exploration", "explore"]

_ZERO = timedelta(0)
_FINISHES = (RETURN_RESULT, REFUSE, WITHDRAW, STOP, CLOSE)


def _frozen(value: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Exploration:
    """What :func:`explore` found in one procedure.

    - ``paths``: complete paths found (each ends with a terminal command); ``ends`` counts
      them by command (``return_result``, ``refuse``, ``withdraw``, ``stop``).
    - ``dead_ends``: steps from which no sequence of handovers and send-backs leads to the
      return of the result (only refusal, withdrawal or stop can end the case there). Found on
      the whole graph, whatever the bound.
    - ``unreached``: steps that no explored path visits.
    - ``unknown_targets``: ``(step, target)`` moves to steps the procedure does not have
      (possible only in a definition built without validation).
    - ``longest_path``: the steps of the longest path that returns the result, by the sum of
      its step budgets (a step visited twice counts twice: each visit has its own clock);
      ``longest_working`` that sum in working time, ``longest_calendar_days`` and
      ``longest_months`` the steps counted in calendar days and months, kept apart because
      they do not add to working time.
    - ``over_total``: a path without send-backs whose working (or calendar-day) step budgets
      exceed the published total (None if none): a promise the procedure cannot keep.
      ``rework_exceeds_total``: some path *with* send-backs does (rework eats the budget).
    - ``truncated``: the bounds (``max_depth`` moves, ``max_paths`` paths) cut the search:
      ``paths``, ``unreached`` and the longest path are then lower bounds.
    """

    procedure: str
    total: Budget
    paths: int
    ends: Mapping[str, int] = attrs.field(converter=_frozen, eq=False)
    dead_ends: tuple[str, ...]
    unreached: tuple[str, ...]
    unknown_targets: tuple[tuple[str, str], ...]
    longest_path: tuple[str, ...] | None
    longest_working: timedelta
    longest_calendar_days: int
    longest_months: int
    over_total: tuple[str, ...] | None
    rework_exceeds_total: bool
    truncated: bool

    @property
    def longest_working_days(self) -> Fraction:
        """``longest_working`` in working days of 8 hours (exact)."""
        return Fraction(self.longest_working // timedelta(minutes=1), MINUTES_PER_WORKING_DAY)

    @property
    def ok(self) -> bool:
        """No dead end, no unreached step, no broken move, no loop-free path over the total."""
        return not (self.dead_ends or self.unreached or self.unknown_targets or self.over_total)

    def __str__(self) -> str:
        cut = " (truncated)" if self.truncated else ""
        lines = [f"{self.procedure}: {self.paths} paths{cut}"]
        if self.longest_path is not None:
            lines.append(
                f"  longest to result: {' → '.join(self.longest_path)} = "
                f"{fraction_text(self.longest_working_days)} working days, "
                f"{self.longest_calendar_days} calendar days, {self.longest_months} months "
                f"(published total {self.total})"
            )
        for label, items in (
            ("dead ends (không thể trả kết quả)", self.dead_ends),
            ("unreached steps (bước không tới được)", self.unreached),
        ):
            if items:
                lines.append(f"  {label}: {', '.join(items)}")
        if self.over_total:
            lines.append(f"  over the total: {' → '.join(self.over_total)}")
        return "\n".join(lines)


def _amounts(budget: Budget | None) -> tuple[int, int, int]:
    """(working minutes, calendar days, months) of a step budget."""
    if isinstance(budget, WorkingBudget):
        return budget.minutes, 0, 0
    if isinstance(budget, CalendarDays):
        return 0, budget.days, 0
    if isinstance(budget, Months):
        return 0, 0, budget.months
    return 0, 0, 0


def _check_bound(name: str, value: object, low: int) -> int:
    if type(value) is not int or value < low:
        raise InvalidInputError(
            f"{name}={shown(value)} must be an int >= {low}.", value=value,
            hint=f"e.g. {name}=10",
        )  # fmt: skip
    return value


def _order(value: object) -> Order | None:
    """``value`` as an :class:`~tthc_flow.engine.Order` (None: the default). Converted here,
    before the procedure's flows are looked up: they are cached by order, and a text would
    be cached beside its member, as a flow of its own."""
    if value is None or isinstance(value, Order):
        return value
    try:
        return Order(value)
    except (ValueError, TypeError):
        raise InvalidInputError(
            f"order={shown(value)} is not an Order.",
            value=value,
            hint="Pass Order.PARALLEL or Order.SEQUENTIAL (or 'parallel', 'sequential').",
        ) from None


def _attributes(value: object) -> Mapping[str, Any] | None:
    if value is not None and not isinstance(value, Mapping):
        raise InvalidInputError(
            f"attributes must be a mapping of a case's attributes, got "
            f"{type(value).__name__} {shown(value)}.",
            value=value,
            hint='Pass e.g. attributes={"remote": True}, or leave it out.',
        )
    return value


# A state of the search: the active steps with the sums at which each one's time ends, the
# branches that reached each fork's join (by fork step: branch index and sums), the steps
# entered so far, the send-backs taken per edge, and the moves made.
_Sums = tuple[int, int, int]
_State = tuple[
    tuple[tuple[str, _Sums], ...],
    tuple[tuple[str, tuple[tuple[int, _Sums], ...]], ...],
    tuple[str, ...],
    Mapping[tuple[str, str], int],
    int,
]


def _later(a: _Sums, b: _Sums) -> _Sums:
    return (max(a[0], b[0]), max(a[1], b[1]), max(a[2], b[2]))


def _next_state(
    flow: Flow | None, budgets: Mapping[str, _Sums], active: tuple[tuple[str, _Sums], ...],
    arrived: tuple[tuple[str, tuple[tuple[int, _Sums], ...]], ...], path: tuple[str, ...],
    loops: Mapping[tuple[str, str], int], moves_made: int, source: str, target: str | None,
    edge: tuple[str, str] | None,
) -> _State:  # fmt: skip
    """The state after ``source`` hands over to ``target`` (None: a fork; ``edge``: a
    send-back), as :meth:`~tthc_flow.engine.Flow.move` says."""
    ends = dict(active)
    start = ends[source]
    taken = loops if edge is None else {**loops, edge: loops.get(edge, 0) + 1}
    left: tuple[str, ...]
    entered: tuple[str, ...]
    updates: dict[str, frozenset[int]]
    if flow is None:
        assert target is not None
        left, entered, updates = (source,), (target,), {}
    else:
        arrived_sets = {fork: frozenset(b for b, _ in items) for fork, items in arrived}
        left, entered, updates = flow.move(
            list(ends), arrived_sets, source, target, back=edge is not None
        )
    waits = {fork: dict(items) for fork, items in arrived}
    for fork, done in updates.items():
        if done:
            branch = next(iter(done - frozenset(waits.get(fork, {}))))
            waits.setdefault(fork, {})[branch] = start
        else:
            joined = waits.pop(fork, {})
            for sums in joined.values():
                start = _later(start, sums)
    remaining = [(step, sums) for step, sums in active if step not in left]
    for step in entered:
        b = budgets[step]
        remaining = [(s, e) for s, e in remaining if s != step]
        remaining.append((step, (start[0] + b[0], start[1] + b[1], start[2] + b[2])))
    return (
        tuple(remaining),
        tuple(sorted((fork, tuple(sorted(items.items()))) for fork, items in waits.items())),
        (*path, *entered),
        taken,
        moves_made + 1,
    )


def explore(
    procedure: Procedure,
    *,
    max_depth: int = 40,
    max_paths: int = 10_000,
    max_loops: int = 1,
    attributes: Mapping[str, Any] | None = None,
    order: Order | None = None,
) -> Exploration:
    """Enumerate the paths of ``procedure`` and report dead ends, unreached steps and the
    longest legal time to the result.

    A path starts at the reception step and is a sequence of moves: handovers (``next`` and
    branch targets), send-backs (each send-back edge taken at most ``max_loops`` times on a
    path), ending with a terminal command: returning the result (from the return step, or,
    without one, from a step with nowhere to go), refusing, withdrawing or stopping (from any
    step). Paths longer than ``max_depth`` moves are cut and at most ``max_paths`` complete
    paths are counted; either sets ``truncated``. ``attributes`` are a case's attributes, to
    apply the procedure's budget adjustments (e.g. ``{"remote": True}``).

    A procedure whose steps fork is walked in ``order`` (default: the parallel order, the
    graph as drawn; ``Order.SEQUENTIAL`` for its paper order): a fork enters every branch,
    and each interleaving of the branches' moves is a path of its own (``longest_path`` lists
    the steps in the order they were entered). A branch's steps run side by side with the
    other branches', so the time to the result is the critical path: the join starts when
    the latest branch arrives. The result is returned once the case is at the return step
    alone.
    """
    if not isinstance(procedure, Procedure):
        raise InvalidInputError(
            f"expected a Procedure, got {shown(procedure)}.", value=procedure,
            hint="Pass a procedure, or iterate over catalog.procedures.",
        )  # fmt: skip
    max_depth = _check_bound("max_depth", max_depth, 0)
    max_paths = _check_bound("max_paths", max_paths, 1)
    max_loops = _check_bound("max_loops", max_loops, 0)
    order = _order(order)
    attributes = _attributes(attributes)
    keys = [s.key for s in procedure.steps]
    known = set(keys)
    walked = order if order is not None else Order.PARALLEL
    flow = flow_of(procedure, walked) if procedure.parallel else None
    forward: dict[str, list[str]] = {k: [] for k in keys}
    back: dict[str, list[str]] = {k: [] for k in keys}
    finishes: dict[str, list[str]] = {k: [] for k in keys}
    forks: dict[str, tuple[str, ...]] = {}
    unknown: list[tuple[str, str]] = []
    for spec in transition_specs(procedure, order):
        trigger, dest = spec["trigger"], spec["dest"]
        sources = spec["source"] if isinstance(spec["source"], list) else [spec["source"]]
        for source in sources:
            if trigger in _FINISHES:
                finishes[source].append(trigger)
            elif trigger == FORK and flow is not None:
                forks[source] = flow.forks[source].branches
            elif dest not in known:
                unknown.append((source, dest))
            elif trigger.startswith("send_back:"):
                back[source].append(dest)
            else:
                forward[source].append(dest)
    budgets: dict[str, tuple[int, int, int]] = {}
    for key in keys:
        if attributes is not None and procedure.step(key).budget is not None:
            budgets[key] = _amounts(procedure.step_budget_for(key, attributes))
        else:
            budgets[key] = _amounts(procedure.step(key).budget)
    total = (
        procedure.total_for(attributes if attributes is not None else {})
        if procedure.total is not None
        else None
    )
    limit = _amounts(total)

    # Dead ends, on the whole graph: no move sequence reaches a step that can return (a fork
    # step reaches its branches).
    can_return = {k for k in keys if RETURN_RESULT in finishes[k]}
    reverse: dict[str, set[str]] = {k: set() for k in keys}
    for source in keys:
        for dest in (*forward[source], *back[source], *forks.get(source, ())):
            reverse[dest].add(source)
    alive = set(can_return)
    stack = list(can_return)
    while stack:
        for source in reverse[stack.pop()]:
            if source not in alive:
                alive.add(source)
                stack.append(source)
    dead = tuple(k for k in keys if k not in alive)

    ends: Counter[str] = Counter()
    visited: set[str] = set()
    truncated = False
    best: tuple[tuple[int, int, int], tuple[str, ...]] | None = None
    over: tuple[str, ...] | None = None
    rework_over = False
    complete = 0
    first = procedure.first.key
    # Depth-first over the case's states: the steps it is at, each with the sums at which its
    # own time ends (a branch's steps run side by side, so a join starts when the latest
    # branch arrives), the branches that reached each join with their sums, the path of
    # steps entered (one interleaving of the branches) and the send-backs taken per edge.
    todo: list[_State] = [
        (((first, budgets[first]),), (), (first,), {}, 0)
    ]
    while todo:
        active, arrived, path, loops, moves_made = todo.pop()
        visited.update(step for step, _ in active)
        steps = [step for step, _ in active]
        ended = dict(active)
        done = set()
        for step in steps:
            for finish in finishes[step]:
                if finish in done or (finish == RETURN_RESULT and len(steps) > 1):
                    continue
                done.add(finish)
                complete += 1
                ends[finish] += 1
                if finish == RETURN_RESULT:
                    sums = ended[step]
                    if best is None or sums > best[0]:
                        best = (sums, path)
                    exceeds = (limit[0] and sums[0] > limit[0]) or (
                        limit[1] and sums[1] > limit[1]
                    )
                    if exceeds:
                        if loops:
                            rework_over = True
                        elif over is None:
                            over = path
                if complete >= max_paths:
                    truncated = True
                    break
            if truncated:
                break
        if truncated:
            break
        moves: list[tuple[str, str | None, tuple[str, str] | None]] = []
        for step in steps:
            if step in forks:
                moves.append((step, None, None))
            moves += [(step, t, None) for t in forward[step]]
            moves += [
                (step, t, (step, t)) for t in back[step] if loops.get((step, t), 0) < max_loops
            ]
        if moves and moves_made >= max_depth:
            truncated = True
            continue
        for source, target, edge in reversed(moves):
            state = _next_state(
                flow, budgets, active, arrived, path, loops, moves_made, source, target, edge
            )
            todo.append(state)
    return Exploration(
        procedure=str(procedure),
        total=total if total is not None else CalendarDays(0),
        paths=complete,
        ends=dict(ends),
        dead_ends=dead,
        unreached=tuple(k for k in keys if k not in visited),
        unknown_targets=tuple(unknown),
        longest_path=best[1] if best else None,
        longest_working=timedelta(minutes=best[0][0]) if best else _ZERO,
        longest_calendar_days=best[0][1] if best else 0,
        longest_months=best[0][2] if best else 0,
        over_total=over,
        rework_exceeds_total=rework_over,
        truncated=truncated,
    )

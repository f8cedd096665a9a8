"""The checks a procedure passes when it is built, each a named function.

Each check takes a :class:`Procedure` and raises :class:`~tthc_flow.errors.DefinitionError`
naming the check and, where there is one, the step. :data:`CHECKS` lists them in the order
they run: later checks may assume what earlier ones established (keys are unique, targets
exist).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from tthc_flow.codec import check_text
from tthc_flow.engine._budgets import (
    MINUTES_PER_WORKING_DAY,
    Budget,
    CalendarBudget,
    SameWorkingDay,
    WorkingBudget,
)
from tthc_flow.engine._graph import reach
from tthc_flow.errors import DefinitionError, InvalidInputError

if TYPE_CHECKING:
    from tthc_flow.engine._definitions import Procedure, Step

__all__ = ["CHECKS", "forward_paths", "validate"]

# Enumerating paths is exponential in the worst case; real workflows have a handful.
MAX_PATHS = 10_000
_SCALARS = (str, int, float, bool, type(None))


def _fail(procedure: Procedure, check: str, message: str, step: str | None = None) -> None:
    raise DefinitionError(message, procedure=procedure.code, step=step, check=check)


def check_has_steps(procedure: Procedure) -> None:
    """A procedure needs at least one step."""
    if not procedure.steps:
        _fail(procedure, "check_has_steps", "has no steps; give at least a reception step.")


def check_identity(procedure: Procedure) -> None:
    """Code, name and version are non-empty texts, and they and the agency hold no control
    character (they are printed on forms and written to journals); effective dates are in
    order."""
    for field in ("code", "name", "version", "agency"):
        value = getattr(procedure, field)
        try:
            check_text(value, field)
        except InvalidInputError as error:
            _fail(procedure, "check_identity", str(error))
        if field != "agency" and not value.strip():
            _fail(procedure, "check_identity", f"needs a non-empty {field}.")
        if field in ("code", "version") and value != value.strip():
            # Lookup keys: " VD.LLTP" would be a second procedure beside "VD.LLTP".
            _fail(procedure, "check_identity",
                  f"{field} {value!r} starts or ends with a space; write it without.")  # fmt: skip
    until = procedure.effective_until
    if until is not None and until < procedure.effective_from:
        _fail(
            procedure,
            "check_identity",
            f"effective_until {until} is before effective_from {procedure.effective_from}.",
        )
    if not procedure.rules:
        _fail(procedure, "check_identity", "needs at least one rule pack.")
    check_rule_packs(procedure)


def check_rule_packs(procedure: Procedure) -> None:
    """No two rule packs share a name: a case records the name of the pack it is judged by
    (the first listed of those in force on its receipt day), so one name must mean one
    pack."""
    seen: set[str] = set()
    for pack in procedure.rules:
        if pack.name in seen:
            _fail(procedure, "check_rule_packs",
                  f"lists rule pack {pack.name} twice; list each pack once (the first in "
                  "force on a case's receipt day judges it).")  # fmt: skip
        seen.add(pack.name)


def check_unique_keys(procedure: Procedure) -> None:
    """No two steps share a key."""
    seen: set[str] = set()
    for step in procedure.steps:
        if not step.key.strip():
            _fail(procedure, "check_unique_keys", "a step has an empty key.", step.key)
        if step.key != step.key.strip():
            _fail(procedure, "check_unique_keys",
                  "the key starts or ends with a space; commands name steps by key: write it "
                  "without.", step.key)  # fmt: skip
        if step.key in seen:
            _fail(procedure, "check_unique_keys", "this key is used by two steps.", step.key)
        seen.add(step.key)


def check_unit_and_budget(procedure: Procedure) -> None:
    """Every step names its responsible unit and has a budget (0 is a budget; None is not)."""
    for step in procedure.steps:
        if not step.unit or not step.unit.strip():
            _fail(
                procedure,
                "check_unit_and_budget",
                "has no responsible unit; say which agency or division does it.",
                step.key,
            )
        if step.budget is None:
            _fail(
                procedure,
                "check_unit_and_budget",
                "has no budget; give one, e.g. WorkingDays('0.5') (WorkingDays(0) for a "
                "same-day hand-back).",
                step.key,
            )
    if procedure.total is None:
        _fail(procedure, "check_unit_and_budget", "has no published total budget.")


def check_texts(procedure: Procedure) -> None:
    """Steps have names, roles are either absent or named, and every legal basis is a
    non-empty text: what a receipt prints and a catalog publishes must say something."""
    for step in procedure.steps:
        if not isinstance(step.name, str) or not step.name.strip():
            _fail(procedure, "check_texts", "has no name; say what the step does.", step.key)
        if step.role is not None and (not isinstance(step.role, str) or not step.role.strip()):
            _fail(procedure, "check_texts", "has an empty role; name it or use None.", step.key)
    for basis in procedure.legal_basis:
        if not isinstance(basis, str) or not basis.strip():
            _fail(procedure, "check_texts", f"has an empty legal basis {basis!r}; cite a document.")
        try:
            check_text(basis, "legal_basis", free=True)
        except InvalidInputError as error:
            _fail(procedure, "check_texts", str(error))


def check_known_targets(procedure: Procedure) -> None:
    """Every ``next``, ``back`` and branch target is a step of the procedure."""
    keys = {s.key for s in procedure.steps}
    for step in procedure.steps:
        for target in (*step.next, *step.back, *step.branches.values(), *step.fork):
            if target not in keys:
                _fail(
                    procedure,
                    "check_known_targets",
                    f"goes to unknown step {target!r}; known steps: {', '.join(sorted(keys))}.",
                    step.key,
                )
            if target == step.key:
                _fail(procedure, "check_known_targets", "goes to itself.", step.key)
        for field in ("next", "back", "fork"):
            targets = getattr(step, field)
            twice = sorted({t for t in targets if targets.count(t) > 1})
            if twice:
                _fail(procedure, "check_known_targets",
                      f"lists {', '.join(map(repr, twice))} twice in {field}; name each step "
                      "once.", step.key)  # fmt: skip


def check_desk_steps(procedure: Procedure) -> None:
    """At most one reception step and one return step; the return step ends the workflow."""
    receptions = [s.key for s in procedure.steps if s.reception]
    returns = [s for s in procedure.steps if s.returns]
    if len(receptions) > 1:
        _fail(procedure, "check_desk_steps", f"has several reception steps: {receptions}.")
    if len(returns) > 1:
        _fail(
            procedure,
            "check_desk_steps",
            f"has several return steps: {[s.key for s in returns]}.",
        )
    for step in returns:
        if step.forward:
            _fail(procedure, "check_desk_steps", "returns the result but goes on.", step.key)


def _successors(procedure: Procedure) -> dict[str, tuple[str, ...]]:
    return {s.key: s.forward for s in procedure.steps}


def check_reachable(procedure: Procedure) -> None:
    """Every step can be reached from the reception step by handovers."""
    reached = reach(procedure.first.key, _successors(procedure))
    for step in procedure.steps:
        if step.key not in reached:
            _fail(
                procedure,
                "check_reachable",
                f"cannot be reached from {procedure.first.key!r}; add it to a step's next.",
                step.key,
            )


def _ends(procedure: Procedure) -> set[str]:
    # Where the state machine lets a result be returned: the return step when there is one,
    # else every step with nowhere to go (internal procedures end where the work ends).
    returns = {s.key for s in procedure.steps if s.returns}
    return returns or {s.key for s in procedure.steps if not s.forward}


def check_can_finish(procedure: Procedure) -> None:
    """From every step some sequence of handovers reaches an end: the return step when the
    procedure has one (a step with nowhere to go beside it is a dead end: a case handed to it
    could never get its result), else a step with nowhere to go."""
    # One walk backwards from the ends finds every step that reaches one (a walk forwards
    # from each step would be quadratic in the steps).
    before: dict[str, list[str]] = {}
    for step in procedure.steps:
        for target in step.forward:
            before.setdefault(target, []).append(step.key)
    finishing = _ends(procedure)
    stack = list(finishing)
    while stack:
        for source in before.get(stack.pop(), ()):
            if source not in finishing:
                finishing.add(source)
                stack.append(source)
    for step in procedure.steps:
        if step.key not in finishing:
            _fail(
                procedure,
                "check_can_finish",
                "cannot reach the end of the procedure: every path from it loops.",
                step.key,
            )


def check_no_cycles(procedure: Procedure) -> None:
    """Handovers never lead back to a step already passed: rework goes through an explicit
    send-back (``back``), so a loop is always a decision someone recorded. Checked for
    procedures whose steps fork, whose branches and joins need a graph without loops."""
    if not procedure.parallel:
        return
    graph = _successors(procedure)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in graph:
        if root in state:
            continue
        stack = [(root, iter(graph[root]))]
        state[root] = 1
        while stack:
            key, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                state[key] = 2
                stack.pop()
            elif state.get(target) == 1:
                _fail(
                    procedure,
                    "check_no_cycles",
                    f"hands over to {target!r}, which leads back to it: a loop of handovers. "
                    "Rework goes back with a send-back: list the earlier step in back=, not "
                    "in next=.",
                    key,
                )
            elif target not in state:
                state[target] = 1
                stack.append((target, iter(graph[target])))


def check_forks(procedure: Procedure) -> None:
    """A fork (Decree 118/2025 Art. 20(2)(b)) names at least two distinct branches and
    nothing else to go to; its branches meet at one join, every branch reaches it, branches
    share no step, nothing outside a branch hands over into it, a fork inside a branch joins
    inside that branch, and no two forks share a join. ``orders`` are declared only by a
    procedure that forks, map channels of Art. 15 (``in_person``, ``online``, ``postal``) and
    name :class:`~tthc_flow.engine._graph.Order` values."""
    from tthc_flow.engine._channels import CHANNELS
    from tthc_flow.engine._graph import Order, forks_of, join_of

    for channel, order in procedure.orders.items():
        if channel not in CHANNELS:
            _fail(procedure, "check_forks", f"orders names the channel {channel!r:.60}; the "
                  f"channels are {', '.join(CHANNELS)} (Decree 118/2025 Art. 15).")  # fmt: skip
        if not isinstance(order, Order):
            _fail(procedure, "check_forks", f"orders[{channel!r}] is {order!r}; use "
                  "Order.PARALLEL or Order.SEQUENTIAL.")  # fmt: skip
    if procedure.orders and not procedure.parallel:
        _fail(procedure, "check_forks", "declares orders but no step forks; orders choose "
              "between a parallel and a sequential run of forked branches.")  # fmt: skip
    graph = _successors(procedure)
    for step in procedure.steps:
        if not step.fork:
            continue
        if len(step.fork) < 2 or len(set(step.fork)) != len(step.fork):
            _fail(procedure, "check_forks", f"forks to {list(step.fork)}; a fork names at "
                  "least two different steps (one step is a handover: use next=).", step.key)
        if step.next or step.branches:
            _fail(procedure, "check_forks", "forks and also hands over (next= or branches=); "
                  "a fork step hands the case to every branch at once and to nothing else.",
                  step.key)  # fmt: skip
        if join_of(step.fork, graph) is None:
            _fail(procedure, "check_forks", f"forks to {', '.join(step.fork)}, which never "
                  "meet: every branch must reach a common step (the join), such as the "
                  "return step.", step.key)  # fmt: skip
    forks = forks_of(procedure)
    joins: dict[str, str] = {}
    for fork in forks.values():
        if fork.join in fork.branches:
            _fail(procedure, "check_forks", f"forks to {', '.join(fork.branches)}, and a step "
                  f"of another branch hands over to {fork.join!r}; no step hands over to a "
                  "step in another branch (the branches meet at a join after all of them).",
                  fork.step)  # fmt: skip
        if fork.join in joins:
            _fail(procedure, "check_forks", f"the forks at {joins[fork.join]!r} and "
                  f"{fork.step!r} both join at {fork.join!r}; give each fork its own join "
                  "step.", fork.step)  # fmt: skip
        joins[fork.join] = fork.step
        seen: dict[str, str] = {}
        for branch, region in zip(fork.branches, fork.regions, strict=True):
            for key in sorted(region):
                if key in seen:
                    _fail(procedure, "check_forks", f"is in two parallel branches of the "
                          f"fork at {fork.step!r} ({seen[key]!r} and {branch!r}); no step "
                          "hands over to a step in another branch.", key)  # fmt: skip
                seen[key] = branch
                if not graph[key]:
                    _fail(procedure, "check_forks", f"ends branch {branch!r} of the fork at "
                          f"{fork.step!r} without reaching its join {fork.join!r}; every "
                          "branch reaches the join.", key)  # fmt: skip
        inside = fork.inside
        for step in procedure.steps:
            if step.key in inside or step.key == fork.step:
                continue
            entered = [t for t in step.forward if t in inside]
            if entered:
                _fail(procedure, "check_forks", f"hands over to {entered[0]!r}, inside a "
                      f"parallel branch of the fork at {fork.step!r}; a branch is entered "
                      "only by its fork.", step.key)  # fmt: skip
        for other in forks.values():
            if other.step in inside and other.join not in inside:
                _fail(procedure, "check_forks", f"is inside a branch of the fork at "
                      f"{fork.step!r} but its branches meet at {other.join!r}, outside that "
                      "branch; a fork inside a branch joins inside it.", other.step)


def check_send_backs(procedure: Procedure) -> None:
    """A send-back goes to an earlier step: one from which the sender can be reached again.
    From inside a parallel branch it goes to a step of the same branch, or to the fork step
    or a step before it (a common ancestor, which ends every branch of the fork); never into
    another branch, or from outside a fork into one of its branches."""
    from tthc_flow.engine._graph import forks_of

    graph = _successors(procedure)
    forks = forks_of(procedure)
    for step in procedure.steps:
        for target in step.back:
            for fork in forks.values():
                here, there = fork.branch_of(step.key), fork.branch_of(target)
                if there is not None and here != there:
                    _fail(
                        procedure,
                        "check_send_backs",
                        f"sends back to {target!r}, inside branch {fork.branches[there]!r} "
                        f"of the fork at {fork.step!r}; send back within the same branch, or "
                        f"to {fork.step!r} or a step before it.",
                        step.key,
                    )
            if step.key not in reach(target, graph):
                _fail(
                    procedure,
                    "check_send_backs",
                    f"sends back to {target!r}, which is not an earlier step (the case could "
                    "never come back).",
                    step.key,
                )


def forward_paths(
    procedure: Procedure, forward: Mapping[str, tuple[str, ...]] | None = None
) -> Iterator[tuple[Step, ...]]:
    """Every simple path of handovers from the reception step to an end (``forward``: the
    handovers of one order, default the graph as drawn, where each branch of a fork is one
    path)."""
    by_key = {s.key: s for s in procedure.steps}
    if forward is None:
        forward = {s.key: s.forward for s in procedure.steps}
    ends = _ends(procedure)
    count = 0
    stack: list[tuple[str, tuple[str, ...]]] = [(procedure.first.key, (procedure.first.key,))]
    while stack:
        key, path = stack.pop()
        if key in ends:
            count += 1
            if count > MAX_PATHS:
                _fail(
                    procedure,
                    "forward_paths",
                    f"has more than {MAX_PATHS} paths; split it or declare "
                    "budget_policy=BudgetPolicy.UNCHECKED.",
                )
            yield tuple(by_key[k] for k in path)
            continue
        for target in reversed(forward[key]):
            if target not in path:
                stack.append((target, (*path, target)))


def _working(budget: Budget | None) -> bool:
    return isinstance(budget, (WorkingBudget, SameWorkingDay))


def _minutes(budget: Budget | None) -> int:
    # A same-day budget is "0 ngày làm việc" in the sums: its time depends on the instant the
    # case arrives, and lies inside the day that the other steps also count.
    return budget.minutes if isinstance(budget, WorkingBudget) else 0


def check_budget_total(procedure: Procedure) -> None:
    """On every path, step budgets add up to the published total (``BudgetPolicy.EXACT``) or
    to at most it (``WITHIN``). Seed 002: a unit's time is part of the procedure's time, never
    on top of it. Same-day step budgets count as 0 working days; under a same-day total the
    steps may add up to at most one working day, whatever the policy (the time a same-day
    case has depends on the instant it is received). A procedure whose steps fork is checked
    on the critical path: in its parallel order every path fits the total (the sum of all
    budgets need not) and, under ``EXACT``, the longest one equals it, unless a sequential
    order is declared, whose paths then add up exactly (:func:`_budget_orders`)."""
    from tthc_flow.engine._definitions import BudgetPolicy

    policy = procedure.budget_policy
    if policy is BudgetPolicy.UNCHECKED:
        return
    total = procedure.total
    working = _working(total)
    for step in procedure.steps:
        if _working(step.budget) != working or (
            not working and type(step.budget) is not type(total)
        ):
            _fail(
                procedure,
                "check_budget_total",
                f"has budget {step.budget} while the total is {total}: they cannot be added. Use "
                "the total's unit, or declare budget_policy=BudgetPolicy.UNCHECKED.",
                step.key,
            )
    # Each step's share, counted once: a step lies on many paths.
    share = {
        step.key: _minutes(step.budget) if working else step.budget._count  # type: ignore[union-attr]
        for step in procedure.steps
    }
    for order, forward, exact, longest in _budget_orders(procedure):
        sums: list[tuple[int, tuple[Step, ...]]] = []
        for path in forward_paths(procedure, forward):
            exact_here = exact
            spent = sum([share[s.key] for s in path])
            if working:
                limit = _minutes(total)
                if isinstance(total, SameWorkingDay):
                    limit, exact_here, longest = MINUTES_PER_WORKING_DAY, False, False
            else:
                limit = total._count  # type: ignore[union-attr]
            sums.append((spent, path))
            if (exact_here and spent != limit) or (not exact_here and spent > limit):
                _budget_failure(procedure, order, path, spent, working, total)
        if longest and sums:
            spent, path = max(sums, key=lambda item: item[0])
            if spent != limit:
                _budget_failure(procedure, order, path, spent, working, total, longest=True)


def _budget_orders(
    procedure: Procedure,
) -> Iterator[tuple[str, Mapping[str, tuple[str, ...]] | None, bool, bool]]:
    """The handover graphs whose paths the budgets are checked on, each with whether every
    path must add up to the total exactly and whether the longest one must: a procedure
    without forks has one graph; one with forks, its parallel graph (every branch a path;
    the longest path, the critical one, fits the total, and under ``EXACT`` equals it unless
    a sequential order carries the exact rule) and its sequential graph when declared (every
    path through all the branches one after another, as a procedure without forks)."""
    from tthc_flow.engine._definitions import BudgetPolicy
    from tthc_flow.engine._graph import Order, flow_of

    exact = procedure.budget_policy is BudgetPolicy.EXACT
    if not procedure.parallel:
        yield "", None, exact, False
        return
    orders = set(procedure.orders.values()) or {Order.PARALLEL}
    sequential = Order.SEQUENTIAL in orders
    if Order.PARALLEL in orders:
        yield " (parallel order)", flow_of(procedure, Order.PARALLEL).forward, False, (
            exact and not sequential
        )
    if sequential:
        yield " (sequential order)", flow_of(procedure, Order.SEQUENTIAL).forward, exact, False


def _budget_failure(
    procedure: Procedure, order: str, path: tuple[Step, ...], spent: int, working: bool,
    total: Budget | None, *, longest: bool = False,
) -> None:  # fmt: skip
    route = " → ".join(s.key for s in path)
    shown = (
        f"{spent / MINUTES_PER_WORKING_DAY:g} working days"
        if working
        else f"{spent} {type(total).__name__}"
    )
    what = "the longest path" if longest else "path"
    _fail(
        procedure,
        "check_budget_total",
        f"the steps of {what} {route}{order} add up to {shown} but the published total is "
        f"{total}. Fix a step's budget, or declare budget_policy=BudgetPolicy.WITHIN "
        "if the steps may leave a margin.",
    )


def check_pauses(procedure: Procedure) -> None:
    """Every declared pause reason is known to every rule pack of the procedure and is a
    reason the law allows."""
    for pack in procedure.rules:
        for code in sorted(procedure.pauses):
            if code not in pack.reasons:
                _fail(
                    procedure,
                    "check_pauses",
                    f"declares pause reason {code!r}, unknown to rule pack {pack.name}; known: "
                    f"{', '.join(sorted(pack.reasons))}.",
                )
            if not pack.reasons[code].allowed:
                _fail(
                    procedure,
                    "check_pauses",
                    f"declares pause reason {code!r}, which {pack.name} does not allow as a "
                    f"pause ({pack.reasons[code].citation}).",
                )


def check_adjustments(procedure: Procedure) -> None:
    """Adjustments name existing steps and add budgets of a unit that fits the total."""
    keys = {s.key for s in procedure.steps}
    for adjustment in procedure.adjustments:
        for name, value in adjustment.when.items():
            # Case attributes travel in JSON: a condition on anything else could never be
            # met by a replayed case, or published in a catalog.
            if not isinstance(name, str) or not isinstance(value, _SCALARS):
                _fail(
                    procedure,
                    "check_adjustments",
                    f"adjustment {adjustment.name!r} has the condition {name!r}: {value!r}; "
                    "conditions name a case attribute (text) and a JSON value (text, number, "
                    "true/false or None).",
                )
        if adjustment.step is not None and adjustment.step not in keys:
            _fail(
                procedure,
                "check_adjustments",
                f"adjustment {adjustment.name!r} names unknown step {adjustment.step!r}.",
            )
        step_budget = (
            procedure.step(adjustment.step).budget if adjustment.step is not None else None
        )
        if isinstance(procedure.total, SameWorkingDay) or isinstance(step_budget, SameWorkingDay):
            _fail(
                procedure,
                "check_adjustments",
                f"adjustment {adjustment.name!r} adds {adjustment.extra} to a same-day budget; "
                "a same-day budget has no length to extend. Give the step (or the total) a "
                "budget in working days instead.",
            )
        extra_working = isinstance(adjustment.extra, WorkingBudget)
        if extra_working != isinstance(procedure.total, WorkingBudget) or (
            isinstance(adjustment.extra, CalendarBudget)
            and type(adjustment.extra) is not type(procedure.total)
        ):
            _fail(
                procedure,
                "check_adjustments",
                f"adjustment {adjustment.name!r} adds {adjustment.extra} to a total of "
                f"{procedure.total}; use the total's unit.",
            )


def check_consultations(procedure: Procedure) -> None:
    """A step consults other units (Decree 118/2025 Art. 19(4)): each named, not the step's
    own unit, with a budget for its answer that fits in the step's own time (the answers
    come within the processing time)."""
    for step in procedure.steps:
        for unit, budget in step.consults.items():
            if not unit.strip():
                _fail(procedure, "check_consultations", "consults a unit with no name.", step.key)
            if unit == step.unit:
                _fail(
                    procedure,
                    "check_consultations",
                    f"consults its own unit {unit!r}; a unit does not ask itself for an "
                    "opinion. Consult another unit, or give the step more time.",
                    step.key,
                )
            if not isinstance(budget, Budget):
                _fail(
                    procedure,
                    "check_consultations",
                    f"gives {unit!r} {budget!r} to answer; give a budget, e.g. WorkingDays(3).",
                    step.key,
                )
            own = step.budget
            if (
                isinstance(own, WorkingBudget)
                and isinstance(budget, WorkingBudget)
                and budget.minutes > own.minutes
            ):
                _fail(
                    procedure,
                    "check_consultations",
                    f"gives {unit!r} {budget} to answer, more than the step's own {own}; the "
                    "answer comes within the step's time (Decree 118/2025 Art. 19(4)).",
                    step.key,
                )


CHECKS: tuple[Callable[[Procedure], None], ...] = (
    check_has_steps,
    check_identity,
    check_unique_keys,
    check_unit_and_budget,
    check_texts,
    check_known_targets,
    check_desk_steps,
    # A broken fork also leaves steps unreached or unable to finish: say what is wrong
    # with the fork first.
    check_no_cycles,
    check_forks,
    check_reachable,
    check_can_finish,
    check_send_backs,
    check_adjustments,
    check_budget_total,
    check_pauses,
    check_consultations,
)


def validate(procedure: Procedure) -> None:
    """Run every check of :data:`CHECKS`; the first failure raises."""
    for check in CHECKS:
        check(procedure)

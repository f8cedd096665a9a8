"""A procedure's steps as a graph (sơ đồ quy trình): forks, joins and the two orders of an
inter-agency procedure (Decree 118/2025 Art. 20(2)).

A step with ``fork`` hands the case to every listed step at once (chuyển đồng thời): each
branch runs with its own unit and budget, and the branches meet again at a *join*, the first
step every branch reaches, which starts when the last branch hands over to it. Forks are
structured, as a hierarchical state machine's parallel states are: a branch is the steps
reached from its first step before the join, branches share no step, nothing outside a
branch hands over into it, and send-backs stay within a branch or go to a step before the
fork (which ends every branch).

An inter-agency procedure runs in one of two orders (:class:`Order`): ``PARALLEL`` for a
dossier filed online (Art. 20(2)(b): the centre sends it to all participating agencies at
once, each with its task and deadline), ``SEQUENTIAL`` for a paper dossier (Art. 20(2)(a):
the agencies act one after another in a fixed order). The sequential order of a graph is
derived from it: the branches of each fork, one after another in the order the fork lists
them, each branch handing over to the next branch's first step and the last to the join.
Each step keeps its own budget in both orders.

:class:`Flow` is one procedure compiled in one order; :meth:`Flow.move` is the one place
that says which steps a handover or send-back leaves and enters. The state fold and the
clock kernel both call it, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from tthc_flow.labels import Labelled

if TYPE_CHECKING:
    from tthc_flow.engine._definitions import Procedure

__all__ = ["ART_20_2_ORDERS", "Flow", "Fork", "Order", "acting_step", "flow_of", "order_of_receipt"]


class Order(Labelled):
    """The order in which the agencies of an inter-agency procedure act (Decree 118/2025
    Art. 20(2)); the value is a stable code, :attr:`label` its Vietnamese and English name."""

    PARALLEL = "parallel"
    SEQUENTIAL = "sequential"


#: The orders of Decree 118/2025 Art. 20(2) by the case attribute ``channel``: a dossier
#: filed online goes to every agency at once (point b); one filed in person or by post is a
#: paper dossier, handled one agency after another (point a).
ART_20_2_ORDERS: Mapping[str, Order] = MappingProxyType(
    {"online": Order.PARALLEL, "in_person": Order.SEQUENTIAL, "postal": Order.SEQUENTIAL}
)


@attrs.frozen
class Fork:
    """A fork step, its branches (each the first step of a branch), the join where they
    meet and each branch's steps (``regions``, in the order of ``branches``)."""

    step: str
    branches: tuple[str, ...]
    join: str
    regions: tuple[frozenset[str], ...]
    #: Every step of every branch.
    inside: frozenset[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "inside", frozenset().union(*self.regions))

    def branch_of(self, step: str) -> int | None:
        """The index of the branch holding ``step`` (None: not in a branch of this fork)."""
        for index, region in enumerate(self.regions):
            if step in region:
                return index
        return None


@attrs.frozen
class Flow:
    """A procedure compiled in one :class:`Order`.

    ``forward`` maps each step to the steps it may hand over to in this order (a fork step:
    its branches, which it enters all at once; in the sequential order, the fork's first
    branch). ``forks`` are the forks that run in parallel (none in the sequential order),
    ``joins`` each join step's fork, ``within`` each step's enclosing forks, outermost first.
    """

    order: Order
    forward: Mapping[str, tuple[str, ...]]
    back: Mapping[str, tuple[str, ...]]
    forks: Mapping[str, Fork]
    joins: Mapping[str, Fork]
    within: Mapping[str, tuple[Fork, ...]]

    @property
    def parallel(self) -> bool:
        """Whether a case in this flow can be at several steps at once."""
        return bool(self.forks)

    def move(
        self, active: Iterable[str], arrived: Mapping[str, frozenset[int]], source: str,
        target: str | None, *, back: bool = False,
    ) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, frozenset[int]]]:  # fmt: skip
        """What a handover (``back``: a send-back) from ``source`` to ``target`` does, given
        the steps the case is at (``active``) and the branches that reached each fork's join
        (``arrived``, by fork step): the steps it leaves, the steps it enters, and the new
        ``arrived`` entries (a fork step mapped to an empty set is cleared).

        - a fork step forking (``target`` None): it leaves itself, enters every branch;
        - a branch's step handing over to its fork's join: it leaves itself; the join is
          entered when no other step of the fork's branches is active (this was the last
          branch to arrive; in a history recorded in audit mode that entered a branch
          without its fork, the join does not wait for branches that never started);
        - a send-back out of a fork (to the fork step or before it): every step inside the
          fork is left, the branches that arrived are forgotten;
        - anything else: leave ``source``, enter ``target``.
        """
        if target is None:
            fork = self.forks.get(source)
            if fork is None:
                return (), (), {}
            return (source,), fork.branches, {fork.step: frozenset()}
        if not back:
            join = self.joins.get(target)
            if join is not None:
                branch = join.branch_of(source)
                if branch is not None:
                    inside = join.inside
                    if not any(s != source and s in inside for s in active):
                        # No other branch still runs: the join starts.
                        return (source,), (target,), {join.step: frozenset()}
                    done = arrived.get(join.step, frozenset()) | {branch}
                    return (source,), (), {join.step: done}
            return (source,), (target,), {}
        # A send-back leaving the forks that enclose the sender but not the target ends
        # every branch of the outermost such fork.
        for fork in self.within.get(source, ()):
            if fork.branch_of(target) is None:
                inside = fork.inside
                left = tuple(step for step in active if step in inside)
                cleared: dict[str, frozenset[int]] = {
                    other.step: frozenset()
                    for other in self.forks.values()
                    if other.step == fork.step or other.step in inside
                }
                return left, (target,), cleared
        return (source,), (target,), {}


def flow_of(procedure: Procedure, order: Order) -> Flow:
    """The procedure's flow in ``order``; cached on the procedure. Assumes the definition
    checks of :mod:`~tthc_flow.engine._validation` passed (a graph they refuse has no
    flow)."""
    cache: dict[Order, Flow] = procedure._compiled.setdefault("flows", {})
    found = cache.get(order)
    if found is None:
        found = cache[order] = _compile(procedure, order)
    return found


def forks_of(procedure: Procedure) -> dict[str, Fork]:
    """Every fork of the procedure with its join and branches, as drawn (the parallel
    order). Raises nothing: a fork whose branches never meet is left out (the definition
    checks refuse it, naming the step)."""
    forward = {step.key: step.forward for step in procedure.steps}
    found: dict[str, Fork] = {}
    for step in procedure.steps:
        if len(step.fork) < 2:
            continue
        join = join_of(step.fork, forward)
        if join is None:
            continue
        regions = tuple(_region(branch, join, forward) for branch in step.fork)
        found[step.key] = Fork(step.key, step.fork, join, regions)
    return found


def join_of(branches: tuple[str, ...], forward: Mapping[str, tuple[str, ...]]) -> str | None:
    """The first step every branch reaches (None: they never meet). With several candidates,
    the one from which the others are reached."""
    reached = [reach(branch, forward) for branch in branches]
    common = set.intersection(*reached)
    for candidate in sorted(common):
        if common <= reach(candidate, forward):
            return candidate
    return None


def reach(start: str, forward: Mapping[str, tuple[str, ...]]) -> set[str]:
    """Every step reached from ``start`` by handovers, ``start`` included."""
    seen = {start}
    stack = [start]
    while stack:
        for target in forward.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _region(branch: str, join: str, forward: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    seen = {branch}
    stack = [branch]
    while stack:
        for target in forward.get(stack.pop(), ()):
            if target != join and target not in seen:
                seen.add(target)
                stack.append(target)
    return frozenset(seen)


def _compile(procedure: Procedure, order: Order) -> Flow:
    forks = forks_of(procedure)
    forward = {step.key: step.forward for step in procedure.steps}
    back = {step.key: step.back for step in procedure.steps}
    within: dict[str, list[Fork]] = {}
    # Outermost first: a fork encloses another when the other's step is in its branches.
    ordered = sorted(forks.values(), key=lambda f: sum(f.step in o.inside for o in forks.values()))
    for fork in ordered:
        for step in fork.inside:
            within.setdefault(step, []).append(fork)
    if order is Order.SEQUENTIAL:
        # Innermost forks first, so that an outer fork chains branches already in sequence.
        for fork in reversed(ordered):
            forward[fork.step] = (fork.branches[0],)
            for index, region in enumerate(fork.regions):
                after = (
                    fork.branches[index + 1] if index + 1 < len(fork.branches) else fork.join
                )
                for step in region:
                    forward[step] = tuple(
                        after if target == fork.join else target for target in forward[step]
                    )
        return Flow(
            order, MappingProxyType(forward), MappingProxyType(back), MappingProxyType({}),
            MappingProxyType({}), MappingProxyType({}),
        )  # fmt: skip
    return Flow(
        order,
        MappingProxyType(forward),
        MappingProxyType(back),
        MappingProxyType(forks),
        MappingProxyType({fork.join: fork for fork in forks.values()}),
        MappingProxyType({step: tuple(found) for step, found in within.items()}),
    )


def acting_step(
    active: Iterable[str], named: str | None, unit: str, unit_of: Mapping[str, str]
) -> str | None:
    """The step a command acts on, given the steps the case is at: the step it names (None
    when that step is not active), else the one step the case is at, else the one active step
    of the acting ``unit`` (None: the command must name its step)."""
    steps = list(active)
    if named is not None:
        return named if named in steps else None
    if len(steps) == 1:
        return steps[0]
    mine = [step for step in steps if unit_of.get(step) == unit]
    return mine[0] if len(mine) == 1 else None


def order_of_receipt(procedure: Procedure, data: Mapping[str, object]) -> Order | None:
    """The order a case runs in, from its receipt's ``data``: the order recorded there, else
    the one its attributes' channel gives (:meth:`Procedure.order_for`), else (a channel the
    procedure does not list) the fixed sequence, which every dossier can follow. None for a
    procedure whose steps never fork."""
    if not procedure.parallel:
        return None
    recorded = data.get("order")
    if recorded in _BY_CODE:
        return _BY_CODE[recorded]
    attributes = data.get("attributes")
    order = procedure.order_for(attributes if isinstance(attributes, Mapping) else {})
    return Order.SEQUENTIAL if order is None else order


_BY_CODE = {order.value: order for order in Order}

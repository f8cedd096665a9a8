"""The state-machine port: a procedure compiles once into a transition table.

Cases never own a machine object; any number of them share the compiled table of their
procedure (a dictionary lookup per command). The default backend builds the machine with
``transitions`` (which also draws diagrams) and reads its table back, so the table is exactly
what ``transitions`` would allow.

A procedure whose steps fork compiles once per :class:`~tthc_flow.engine._graph.Order`: in
the parallel order each fork is a parallel state of a hierarchical machine (one region per
branch, each ending in a final state, the join entered once every region is final); in the
sequential order the branches are a chain. The table keeps one row per step: a case at
several steps looks each one up. The fork trigger (:data:`FORK`) leads to the fork's join, as
the parallel state as a whole does.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

import attrs
from transitions import Machine

from tthc_flow.engine._graph import Flow, Order, flow_of

if TYPE_CHECKING:
    from tthc_flow.engine._definitions import Procedure, Step

__all__ = [
    "CLOSE",
    "DEFAULT_BACKEND",
    "FORK",
    "TERMINALS",
    "CompiledProcedure",
    "MachineBackend",
    "TransitionsBackend",
    "compile_procedure",
    "handover",
    "send_back",
]

RETURNED = "__returned__"
REFUSED = "__refused__"
WITHDRAWN = "__withdrawn__"
STOPPED = "__stopped__"
CLOSED = "__closed__"
TERMINALS = (RETURNED, REFUSED, WITHDRAWN, STOPPED, CLOSED)

RETURN_RESULT = "return_result"
REFUSE = "refuse"
WITHDRAW = "withdraw"
STOP = "stop"
CLOSE = "close"
#: The trigger of a fork step: it hands the case to every branch at once.
FORK = "fork"


def handover(target: str) -> str:
    """Trigger name of a handover to ``target`` (chuyển bước)."""
    return f"handover:{target}"


def send_back(target: str) -> str:
    """Trigger name of a send-back to ``target`` for rework (trả lại bước trước)."""
    return f"send_back:{target}"


Table = Mapping[str, Mapping[str, str]]


class MachineBackend(Protocol):
    """Builds the transition table of a procedure: state → trigger → next state."""

    @property
    def name(self) -> str: ...

    def compile(self, procedure: Procedure, order: Order | None = None) -> Table: ...


def transition_specs(procedure: Procedure, order: Order | None = None) -> list[dict[str, Any]]:
    """The transitions of a procedure (in ``order``, for one whose steps fork: the parallel
    order by default), in the ``transitions`` package's own format, with step keys for
    states: a fork step's :data:`FORK` trigger leads to its join, and so does a branch's
    handover to the join."""
    specs: list[dict[str, Any]] = []
    steps = [s.key for s in procedure.steps]
    flow = flow_of(procedure, order or Order.PARALLEL) if procedure.parallel else None
    for step in procedure.steps:
        key = step.key
        if flow is None:
            forward = step.forward
        else:
            fork = flow.forks.get(key)
            if fork is not None:
                specs.append({"trigger": FORK, "source": key, "dest": fork.join})
                forward = ()
            else:
                forward = flow.forward[key]
        specs.extend({"trigger": handover(t), "source": key, "dest": t} for t in forward)
        specs.extend({"trigger": send_back(t), "source": key, "dest": t} for t in step.back)
    ends = [s.key for s in procedure.steps if s.returns] or [
        s.key for s in procedure.steps if not s.forward
    ]
    specs.append({"trigger": RETURN_RESULT, "source": ends, "dest": RETURNED})
    specs.append({"trigger": REFUSE, "source": steps, "dest": REFUSED})
    specs.append({"trigger": WITHDRAW, "source": steps, "dest": WITHDRAWN})
    specs.append({"trigger": STOP, "source": steps, "dest": STOPPED})
    specs.append({"trigger": CLOSE, "source": steps, "dest": CLOSED})
    return specs


# transitions' NestedState.separator (the default): internal names never hold it.
_SEPARATOR = "_"


class Nesting:
    """Where each step sits in a hierarchical machine of a parallel flow: internal state
    names (``s0``, ``s1``… for steps, ``p0``… for forks' parallel states, ``r0``… for their
    regions, ``done`` for a region's final state), so that step keys need not be
    identifiers; both backends build their machines from it and read their tables back
    through it."""

    def __init__(self, procedure: Procedure, flow: Flow) -> None:
        self.flow = flow
        self.name = {step.key: f"s{i}" for i, step in enumerate(procedure.steps)}
        self.key = {name: key for key, name in self.name.items()}
        forks = list(flow.forks.values())
        self.fork_name = {fork.step: f"p{i}" for i, fork in enumerate(forks)}
        # Each step's enclosing (fork, branch index), outermost first.
        self.path: dict[str, tuple[tuple[str, int], ...]] = {}
        for key in self.name:
            path = []
            for fork in flow.within.get(key, ()):
                branch = fork.branch_of(key)
                assert branch is not None
                path.append((fork.step, branch))
            self.path[key] = tuple(path)
        # Each internal name of a final state or parallel state, and the join it leads to.
        self.leads_to: dict[str, str] = {}

    def containers(self, key: str) -> list[str]:
        """The internal names of the states enclosing step ``key``, outermost first."""
        names: list[str] = []
        for fork, branch in self.path[key]:
            names += [self.fork_name[fork], f"r{branch}"]
        return names

    def source(self, key: str, separator: str) -> str:
        return separator.join([*self.containers(key), self.name[key]])

    def dest(self, trigger: str, source: str, dest: str, separator: str) -> str:
        """The internal name of a transition's destination: a fork's parallel state, a
        branch's final state (a handover to its join), or a step."""
        flow = self.flow
        if trigger == FORK:
            full = separator.join([*self.containers(source), self.fork_name[source]])
            self.leads_to[full] = dest
            return full
        join = flow.joins.get(dest)
        if join is not None and trigger == handover(dest):
            for fork, branch in self.path[source]:
                if fork == join.step:
                    outer = self.containers(fork)
                    full = separator.join(
                        [*outer, self.fork_name[fork], f"r{branch}", "done"]
                    )
                    self.leads_to[full] = dest
                    return full
        if dest in self.name:
            return separator.join([*self.containers(dest), self.name[dest]])
        return dest  # a terminal state, at the top

    def step_of(self, full: str, separator: str) -> str:
        """The step key (or terminal, or join) an internal state name stands for."""
        if full in self.leads_to:
            return self.leads_to[full]
        if full in TERMINALS:
            return full
        last = full.rsplit(separator, 1)[-1]
        return self.key.get(last, last)

    def members(self, fork: str, branch: int) -> tuple[list[str], list[str]]:
        """The steps directly in branch ``branch`` of ``fork`` (not in a fork inside it), and
        the forks directly inside it."""
        here = ((fork, branch),)
        steps = [key for key in self.name if self.path[key][-1:] == here]
        inner = [key for key in self.flow.forks if self.path[key][-1:] == here]
        return steps, inner

    def specs(self, procedure: Procedure, order: Order) -> list[dict[str, Any]]:
        """:func:`transition_specs` in the machine's nested state names: one spec per
        source, forks leading to their parallel state, branch ends to their region's final
        state."""
        found = []
        for spec in transition_specs(procedure, order):
            sources = spec["source"] if isinstance(spec["source"], list) else [spec["source"]]
            for source in sources:
                found.append({
                    "trigger": spec["trigger"],
                    "source": self.source(source, _SEPARATOR),
                    "dest": self.dest(spec["trigger"], source, spec["dest"], _SEPARATOR),
                })  # fmt: skip
        return found

    def tree(self, procedure: Procedure) -> list[Any]:
        """The states of the machine, nested: the parallel states of the forks with one
        region per branch, each with its steps and a final state."""

        def region_children(fork_key: str, branch: int) -> list[Any]:
            steps, inner = self.members(fork_key, branch)
            children: list[Any] = [self.name[key] for key in steps]
            children += [parallel(key) for key in inner]
            children.append({"name": "done", "final": True})
            return children

        def parallel(fork_key: str) -> dict[str, Any]:
            fork = self.flow.forks[fork_key]
            return {
                "name": self.fork_name[fork_key],
                "parallel": [
                    {
                        "name": f"r{i}",
                        "children": region_children(fork_key, i),
                        "initial": self.name[branch],
                    }
                    for i, branch in enumerate(fork.branches)
                ],
            }

        top: list[Any] = [self.name[key] for key in self.name if not self.path[key]]
        top += [parallel(f.step) for f in self.flow.forks.values() if not self.path[f.step]]
        return top + list(TERMINALS)


@attrs.frozen
class TransitionsBackend:
    """The default backend: a ``transitions.Machine`` built once per procedure (a
    ``HierarchicalMachine`` with parallel states when its steps fork)."""

    name: str = "transitions"

    def machine(self, procedure: Procedure, order: Order | None = None) -> Machine:
        if procedure.parallel and flow_of(procedure, order or Order.PARALLEL).parallel:
            return self._nested(procedure, order or Order.PARALLEL)[0]
        return Machine(
            model=None,
            states=[s.key for s in procedure.steps] + list(TERMINALS),
            transitions=transition_specs(procedure, order),
            initial=procedure.first.key,
            auto_transitions=False,
        )

    def _nested(self, procedure: Procedure, order: Order) -> tuple[Machine, Nesting]:
        from transitions.extensions import HierarchicalMachine

        nesting = Nesting(procedure, flow_of(procedure, order))
        machine = HierarchicalMachine(
            model=None, states=nesting.tree(procedure),
            transitions=nesting.specs(procedure, order),
            initial=nesting.name[procedure.first.key], auto_transitions=False,
        )  # fmt: skip
        return machine, nesting

    def compile(self, procedure: Procedure, order: Order | None = None) -> Table:
        if procedure.parallel and flow_of(procedure, order or Order.PARALLEL).parallel:
            machine, nesting = self._nested(procedure, order or Order.PARALLEL)
            separator = _SEPARATOR
            table: dict[str, dict[str, str]] = {s.key: {} for s in procedure.steps}
            table.update({state: {} for state in TERMINALS})
            for trigger, event in machine.events.items():
                for source, transitions in event.transitions.items():
                    for transition in transitions:
                        row = table.setdefault(nesting.step_of(source, separator), {})
                        row[trigger] = nesting.step_of(str(transition.dest), separator)
            return MappingProxyType({k: MappingProxyType(v) for k, v in table.items()})
        machine = self.machine(procedure, order)
        table = {state: {} for state in machine.states}
        for trigger, event in machine.events.items():
            for source, transitions in event.transitions.items():
                for transition in transitions:
                    table[source][trigger] = str(transition.dest)
        return MappingProxyType({k: MappingProxyType(v) for k, v in table.items()})


DEFAULT_BACKEND = TransitionsBackend()


@attrs.frozen
class CompiledProcedure:
    """A procedure and its transition table; shared by every case of the procedure.

    ``steps`` maps keys to steps and ``first`` is the reception step's key: lookups every
    replayed event needs, done once here.
    """

    procedure: Procedure
    table: Table
    backend: str
    order: Order | None = None
    steps: Mapping[str, Step] = attrs.field(init=False, eq=False, repr=False)
    first: str = attrs.field(init=False, repr=False)
    unit_of: Mapping[str, str] = attrs.field(init=False, eq=False, repr=False)
    #: The procedure's flow in this order (None: no step forks, one step at a time).
    flow: Flow | None = attrs.field(init=False, eq=False, repr=False)
    # The table regrouped for replay: per state, the targets of handovers and send-backs.
    handovers: Mapping[str, frozenset[str]] = attrs.field(init=False, eq=False, repr=False)
    send_backs: Mapping[str, frozenset[str]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self, "steps", MappingProxyType({s.key: s for s in self.procedure.steps})
        )
        object.__setattr__(self, "first", self.procedure.first.key)
        object.__setattr__(
            self, "unit_of", MappingProxyType({s.key: s.unit for s in self.procedure.steps})
        )
        flow = (
            flow_of(self.procedure, self.order or Order.PARALLEL)
            if self.procedure.parallel
            else None
        )
        object.__setattr__(self, "flow", flow)
        for name, prefix in (("handovers", handover("")), ("send_backs", send_back(""))):
            grouped = {
                state: frozenset(t[len(prefix) :] for t in triggers if t.startswith(prefix))
                for state, triggers in self.table.items()
            }
            object.__setattr__(self, name, MappingProxyType(grouped))

    def next_state(self, state: str, trigger: str) -> str | None:
        return self.table.get(state, {}).get(trigger)

    def triggers(self, state: str) -> tuple[str, ...]:
        return tuple(self.table.get(state, {}))


def compile_procedure(
    procedure: Procedure, backend: MachineBackend = DEFAULT_BACKEND, order: Order | None = None
) -> CompiledProcedure:
    """Compile once, cached on the procedure per backend (and per order, for a procedure
    whose steps fork: ``order`` None is the parallel order, the graph as drawn)."""
    if not procedure.parallel or order is Order.PARALLEL:
        order = None
    cache: dict[Any, CompiledProcedure] = procedure._compiled
    key = backend.name if order is None else (backend.name, order)
    found = cache.get(key)
    if found is None:
        table = backend.compile(procedure) if order is None else backend.compile(procedure, order)
        found = cache[key] = CompiledProcedure(procedure, table, backend.name, order)
    return found

"""A second state-machine backend, on ``python-statemachine`` (an optional extra:
``pip install "tthc-flow[statemachine]"``).

It builds the procedure's machine as a ``statemachine.StateMachine`` class (whose own checks
run when the class is made: every state reachable, final states without exits) and reads its
transitions back into the same table the default backend gives, so cases run on it exactly
as on ``transitions``. Both backends compile from
:func:`~tthc_flow.engine._machine.transition_specs`; the tests check on generated procedures
that they allow exactly the same commands. A procedure whose steps fork becomes a
``StateChart`` with parallel states (:meth:`StatemachineBackend.chart_class`), as it becomes a
hierarchical machine on ``transitions``.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from tthc_flow.engine._graph import Order, flow_of
from tthc_flow.engine._machine import FORK, TERMINALS, Nesting, Table, handover, transition_specs
from tthc_flow.errors import DefinitionError, InvalidInputError

if TYPE_CHECKING:
    from tthc_flow.engine._definitions import Procedure

__all__ = ["StatemachineBackend"]


def _library() -> Any:
    try:
        import statemachine
    except ImportError:
        raise InvalidInputError(
            "the python-statemachine backend needs the python-statemachine package.",
            value="statemachine",
            hint='Install it with pip install "tthc-flow[statemachine]", or use the default '
            "backend (transitions).",
        ) from None
    return statemachine


def _made(library: Any, base: type, procedure: Procedure, namespace: dict[str, Any]) -> type:
    """The machine class, whose own checks run as it is made; their refusal is a
    :class:`~tthc_flow.errors.DefinitionError` of the procedure."""
    try:
        made: type = type(f"{base.__name__}_{procedure.code}", (base,), namespace)
    except library.exceptions.InvalidDefinition as error:
        raise DefinitionError(
            f"python-statemachine refuses the machine: {error}",
            procedure=procedure.code, check="statemachine_backend",
        ) from None  # fmt: skip
    return made


@attrs.frozen
class StatemachineBackend:
    """A ``python-statemachine`` machine class built once per procedure, read back as a
    transition table. States are named ``s0``, ``s1``… in the class (a step key need not be
    a Python identifier) and carry the step key as their value."""

    name: str = "python-statemachine"

    def machine_class(self, procedure: Procedure, order: Order | None = None) -> type:
        """The procedure's ``StateMachine`` subclass."""
        library = _library()
        keys = [step.key for step in procedure.steps] + list(TERMINALS)
        first = procedure.first.key
        states = {
            key: library.State(key, value=key, initial=key == first, final=key in TERMINALS)
            for key in keys
        }
        namespace: dict[str, Any] = {f"s{index}": states[key] for index, key in enumerate(keys)}
        number = 0
        for spec in transition_specs(procedure, order):
            sources = spec["source"] if isinstance(spec["source"], list) else [spec["source"]]
            for source in sources:
                namespace[f"t{number}"] = states[source].to(
                    states[spec["dest"]], event=spec["trigger"]
                )
                number += 1
        return _made(library, library.StateMachine, procedure, namespace)

    def chart_class(self, procedure: Procedure, order: Order | None = None) -> tuple[type, Any]:
        """The ``StateChart`` subclass of a procedure whose steps fork, in ``order``: each
        fork a parallel state with one compound region per branch, each region ending in a
        final state, the join entered by the parallel state's ``done.state`` event once every
        region is final. Returns the class and the map from each final or parallel state's
        id to the join it leads to."""
        library = _library()
        flow = flow_of(procedure, order or Order.PARALLEL)
        nesting = Nesting(procedure, flow)
        starts = {branch for fork in flow.forks.values() for branch in fork.branches}
        first = procedure.first.key
        states: dict[str, Any] = {
            key: library.State(
                name, value=key, initial=key == first or key in starts
            )
            for key, name in nesting.name.items()
        }
        for key in TERMINALS:
            states[key] = library.State(key, value=key, final=True)
        leads_to: dict[str, str] = {}
        finals: dict[tuple[str, int], Any] = {}
        parallels: dict[str, Any] = {}

        def region(fork_key: str, branch: int) -> type:
            here = (fork_key, branch)
            final_id = f"d_{nesting.fork_name[fork_key]}_r{branch}"
            final = finals[here] = library.State(final_id, value=final_id, final=True)
            leads_to[final_id] = flow.forks[fork_key].join
            namespace: dict[str, Any] = {final_id: final}
            steps, inner = nesting.members(fork_key, branch)
            namespace.update({nesting.name[key]: states[key] for key in steps})
            namespace.update({nesting.fork_name[key]: parallel(key) for key in inner})
            made: type = type(f"r{branch}", (library.State.Compound,), namespace)
            return made

        def parallel(fork_key: str) -> type:
            fork = flow.forks[fork_key]
            name = nesting.fork_name[fork_key]
            namespace = {f"r{i}": region(fork_key, i) for i in range(len(fork.branches))}
            made: type = type(name, (library.State.Parallel,), namespace)
            parallels[fork_key] = made
            leads_to[name] = fork.join
            return made

        namespace: dict[str, Any] = {
            name: states[key] for key, name in nesting.name.items() if not nesting.path[key]
        }
        for fork in flow.forks.values():
            if not nesting.path[fork.step]:
                namespace[nesting.fork_name[fork.step]] = parallel(fork.step)
        namespace.update({key: states[key] for key in TERMINALS})
        number = 0
        for spec in transition_specs(procedure, order):
            sources = spec["source"] if isinstance(spec["source"], list) else [spec["source"]]
            for source in sources:
                trigger, dest = spec["trigger"], spec["dest"]
                target: Any = states[dest]
                join = flow.joins.get(dest)
                if trigger == FORK:
                    target = parallels[source]
                elif join is not None and trigger == handover(dest):
                    branch = join.branch_of(source)
                    if branch is not None:
                        target = finals[(join.step, branch)]
                namespace[f"t{number}"] = states[source].to(target, event=trigger)
                number += 1
        for fork in flow.forks.values():
            # SCXML's done.state.<id>: every region reached its final state.
            namespace[f"done_state_{nesting.fork_name[fork.step]}"] = parallels[fork.step].to(
                states[fork.join]
            )
        return _made(library, library.StateChart, procedure, namespace), leads_to

    def compile(self, procedure: Procedure, order: Order | None = None) -> Table:
        parallel = procedure.parallel and flow_of(procedure, order or Order.PARALLEL).parallel
        if parallel:
            made, leads_to = self.chart_class(procedure, order)
        else:
            made, leads_to = self.machine_class(procedure, order), {}
        triggers = {spec["trigger"] for spec in transition_specs(procedure, order)}
        table: dict[str, dict[str, str]] = {s.key: {} for s in procedure.steps}
        table.update({key: {} for key in TERMINALS})
        for state in made.states_map.values():  # type: ignore[attr-defined]
            if state.value not in table:
                continue  # a parallel state, a region, a region's final state
            row = table[state.value]
            for transition in state.transitions:
                for event in transition.events:
                    # Each transition also answers to its attribute's name (t0, t1…).
                    if str(event) in triggers:
                        target = transition.target
                        row[str(event)] = leads_to.get(target.id, target.value)
        return MappingProxyType({k: MappingProxyType(v) for k, v in table.items()})

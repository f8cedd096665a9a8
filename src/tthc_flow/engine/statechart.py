"""A second state-machine backend, on ``python-statemachine`` (an optional extra:
``pip install "tthc-flow[statemachine]"``).

It builds the procedure's machine as a ``statemachine.StateMachine`` class (whose own checks
run when the class is made: every state reachable, final states without exits) and reads its
transitions back into the same table the default backend gives, so cases run on it exactly
as on ``transitions``. Both backends compile from
:func:`~tthc_flow.engine.machine.transition_specs`; the tests check on generated procedures
that they allow exactly the same commands.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from tthc_flow.engine.machine import TERMINALS, Table, transition_specs
from tthc_flow.errors import DefinitionError, InvalidInputError

if TYPE_CHECKING:
    from tthc_flow.engine.definitions import Procedure

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


@attrs.frozen
class StatemachineBackend:
    """A ``python-statemachine`` machine class built once per procedure, read back as a
    transition table. States are named ``s0``, ``s1``… in the class (a step key need not be
    a Python identifier) and carry the step key as their value."""

    name: str = "python-statemachine"

    def machine_class(self, procedure: Procedure) -> type:
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
        for spec in transition_specs(procedure):
            sources = spec["source"] if isinstance(spec["source"], list) else [spec["source"]]
            for source in sources:
                namespace[f"t{number}"] = states[source].to(
                    states[spec["dest"]], event=spec["trigger"]
                )
                number += 1
        try:
            made: type = type(f"Machine_{procedure.code}", (library.StateMachine,), namespace)
        except library.exceptions.InvalidDefinition as error:
            raise DefinitionError(
                f"python-statemachine refuses the machine: {error}",
                procedure=procedure.code, check="statemachine_backend",
            ) from None  # fmt: skip
        return made

    def compile(self, procedure: Procedure) -> Table:
        made = self.machine_class(procedure)
        triggers = {spec["trigger"] for spec in transition_specs(procedure)}
        table: dict[str, dict[str, str]] = {}
        for state in made.states:  # type: ignore[attr-defined]
            row = table.setdefault(state.value, {})
            for transition in state.transitions:
                for event in transition.events:
                    # Each transition also answers to its attribute's name (t0, t1…).
                    if str(event) in triggers:
                        row[str(event)] = transition.target.value
        return MappingProxyType({k: MappingProxyType(v) for k, v in table.items()})

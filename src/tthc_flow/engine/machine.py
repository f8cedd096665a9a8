"""The state-machine port: a procedure compiles once into a transition table.

Cases never own a machine object; any number of them share the compiled table of their
procedure (a dictionary lookup per command). The default backend builds the machine with
``transitions`` (which also draws diagrams) and reads its table back, so the table is exactly
what ``transitions`` would allow.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

import attrs
from transitions import Machine

if TYPE_CHECKING:
    from tthc_flow.engine.definitions import Procedure, Step

__all__ = [
    "CLOSE",
    "DEFAULT_BACKEND",
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

    def compile(self, procedure: Procedure) -> Table: ...


def transition_specs(procedure: Procedure) -> list[dict[str, Any]]:
    """The transitions of a procedure, in the ``transitions`` package's own format."""
    specs: list[dict[str, Any]] = []
    steps = [s.key for s in procedure.steps]
    for step in procedure.steps:
        specs.extend({"trigger": handover(t), "source": step.key, "dest": t} for t in step.forward)
        specs.extend({"trigger": send_back(t), "source": step.key, "dest": t} for t in step.back)
    ends = [s.key for s in procedure.steps if s.returns] or [
        s.key for s in procedure.steps if not s.forward
    ]
    specs.append({"trigger": RETURN_RESULT, "source": ends, "dest": RETURNED})
    specs.append({"trigger": REFUSE, "source": steps, "dest": REFUSED})
    specs.append({"trigger": WITHDRAW, "source": steps, "dest": WITHDRAWN})
    specs.append({"trigger": STOP, "source": steps, "dest": STOPPED})
    specs.append({"trigger": CLOSE, "source": steps, "dest": CLOSED})
    return specs


@attrs.frozen
class TransitionsBackend:
    """The default backend: a ``transitions.Machine`` built once per procedure."""

    name: str = "transitions"

    def machine(self, procedure: Procedure) -> Machine:
        return Machine(
            model=None,
            states=[s.key for s in procedure.steps] + list(TERMINALS),
            transitions=transition_specs(procedure),
            initial=procedure.first.key,
            auto_transitions=False,
        )

    def compile(self, procedure: Procedure) -> Table:
        machine = self.machine(procedure)
        table: dict[str, dict[str, str]] = {state: {} for state in machine.states}
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
    steps: Mapping[str, Step] = attrs.field(init=False, eq=False, repr=False)
    first: str = attrs.field(init=False, repr=False)
    # The table regrouped for replay: per state, the targets of handovers and send-backs.
    handovers: Mapping[str, frozenset[str]] = attrs.field(init=False, eq=False, repr=False)
    send_backs: Mapping[str, frozenset[str]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self, "steps", MappingProxyType({s.key: s for s in self.procedure.steps})
        )
        object.__setattr__(self, "first", self.procedure.first.key)
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
    procedure: Procedure, backend: MachineBackend = DEFAULT_BACKEND
) -> CompiledProcedure:
    """Compile once, cached on the procedure per backend."""
    cache: dict[str, CompiledProcedure] = procedure._compiled
    found = cache.get(backend.name)
    if found is None:
        found = cache[backend.name] = CompiledProcedure(
            procedure, backend.compile(procedure), backend.name
        )
    return found

"""Replaying many cases to their statuses, fast: the reporting job's path.

:meth:`Case.from_events` checks every rule of the pack for every event (audit or strict);
:func:`replay_statuses` folds the events through the compiled state machine only, counting
the transitions the machine does not allow as violations, and keeps no case object. It gives
the same :class:`~tthc_flow.engine.state.CaseStatus` as ``Case.from_events(...).status``
except that ``violations`` counts machine violations only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from tthc_flow.calendar import WorkingCalendar, vietnam_calendar
from tthc_flow.engine.definitions import Procedure
from tthc_flow.engine.events import Event, EventKind
from tthc_flow.engine.machine import (
    REFUSE,
    RETURN_RESULT,
    STOP,
    WITHDRAW,
    CompiledProcedure,
    compile_procedure,
)
from tthc_flow.engine.state import CaseStatus, Fold
from tthc_flow.errors import EventFormatError

__all__ = ["replay_status", "replay_statuses"]

_HANDED_OVER = EventKind.HANDED_OVER
_SENT_BACK = EventKind.SENT_BACK
_RECEIVED = EventKind.RECEIVED
# Keyed by value: hashing an Enum member runs Python code.
_TRIGGERS = {
    EventKind.RETURNED.value: RETURN_RESULT,
    EventKind.REFUSED.value: REFUSE,
    EventKind.WITHDRAWN.value: WITHDRAW,
    EventKind.STOPPED.value: STOP,
}


def replay_status(
    compiled: CompiledProcedure, events: Sequence[Event], calendar: WorkingCalendar
) -> CaseStatus:
    """The status of one case from its events, checked against the state machine only."""
    if not events or events[0].kind is not _RECEIVED:
        raise EventFormatError("a case's events start with its receipt ('received').")
    first = events[0]
    # A status needs no rule pack: the machine alone decides; the pack is for checks.
    fold = Fold(compiled, None, calendar)
    table = compiled.table
    handovers, send_backs = compiled.handovers, compiled.send_backs
    last_step = None
    machine_violations = 0
    fold.apply(first)
    for event in events[1:]:
        kind = event.kind
        current = fold.current
        if current is None:
            machine_violations += 1  # an event after the case ended
            continue
        if kind is _HANDED_OVER:
            if event.target not in handovers[current]:
                machine_violations += 1
        elif kind is _SENT_BACK:
            if event.target not in send_backs[current]:
                machine_violations += 1
        elif (trigger := _TRIGGERS.get(kind._value_)) and table[current].get(trigger) is None:
            machine_violations += 1
        elif kind is _RECEIVED:
            machine_violations += 1
            continue
        fold.apply(event)
        if fold.current is not None:
            last_step = fold.current
    fold.violations = machine_violations
    return fold.snapshot(last_step or compiled.first)


def replay_statuses(
    procedure: Procedure,
    cases: Iterable[Sequence[Event]],
    *,
    calendar: WorkingCalendar | None = None,
) -> Iterator[CaseStatus]:
    """Statuses of many cases of one procedure, one per event sequence, lazily."""
    compiled = compile_procedure(procedure)
    calendar = calendar if calendar is not None else vietnam_calendar()
    for events in cases:
        yield replay_status(compiled, events, calendar)

"""Replaying a recorded history without building a :class:`~tthc_flow.engine.Case`: the path
of reports over millions of cases, of the portal's status history, and of forms printed from
a journal.

:class:`Replay` folds each event through the same state :class:`~tthc_flow.engine._state.Fold`
and the same clock kernel (:class:`~tthc_flow.engine._kernel.CaseClocks`) as a case replayed
in audit mode, so its clocks are that case's clocks. It checks only the events that can move
a clock (pauses, supplement requests, apologies): an unlawful one moves no clock, and the
other checks change no clock. It allocates no new events: the fold keeps a list of the
ones fed to it (to re-read the clocks at an earlier instant), not copies of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from tthc_flow.calendar import WorkingCalendar
from tthc_flow.engine._arguments import a_calendar, a_history, a_procedure
from tthc_flow.engine._definitions import Procedure
from tthc_flow.engine._events import CLOCK_MOVE_VALUES, Event, EventKind
from tthc_flow.engine._graph import order_of_receipt
from tthc_flow.engine._kernel import CaseClocks, ClockKernel
from tthc_flow.engine._machine import FORK, CompiledProcedure, compile_procedure
from tthc_flow.engine._rules import RulePack, nearest_pack
from tthc_flow.engine._state import TRIGGER_OF, CaseStatus, Fold
from tthc_flow.errors import EventFormatError

__all__ = ["Replay", "clocks_of", "compiled_for", "pack_for", "replay", "replay_statuses"]


def compiled_for(procedure: Procedure, first: Event) -> CompiledProcedure:
    """The compiled procedure a history starting with receipt ``first`` runs on: in the
    order its receipt records (a procedure whose steps fork), else the one table."""
    return compile_procedure(procedure, order=order_of_receipt(procedure, first.data))

def pack_for(procedure: Procedure, received: datetime, calendar: WorkingCalendar) -> RulePack:
    """The rule pack a case received at ``received`` is judged by: the one in force on its
    local receipt day, or, when none (or several) is, the nearest (the receipt's check records
    that as a violation). Cached per procedure and day."""
    a_procedure(procedure)
    calendar = a_calendar(calendar)
    day = calendar.to_local(received, "received").date()
    cache: dict[Any, RulePack] = procedure._compiled.setdefault("packs", {})
    pack = cache.get(day)
    if pack is None:
        pack = cache[day] = nearest_pack(day, procedure.rules)
    return pack


class Replay:
    """A history being folded: ``fold`` (the state machine's state) and ``clocks`` (every
    clock), after the events fed so far. Feed it with :meth:`feed`."""

    __slots__ = ("clocks", "fold", "procedure")

    def __init__(
        self, procedure: Procedure, first: Event, calendar: WorkingCalendar, *,
        record: bool = False, visits: bool = True, indicator: bool = True,
        history: Sequence[Event] | None = None,
    ) -> None:  # fmt: skip
        a_history((first,), "first")
        calendar = a_calendar(calendar)
        self.procedure = procedure
        pack = pack_for(procedure, first.at, calendar)
        self.fold = Fold(compiled_for(procedure, first), pack, calendar)
        attributes = first.data.get("attributes") or {}
        self.clocks: CaseClocks = ClockKernel.of(procedure, pack, calendar).start(
            attributes, record=record, visits=visits, indicator=indicator, history=history
        )

    def feed(self, event: Event) -> None:
        """Fold one more event in."""
        if type(event) is not Event and not isinstance(event, Event):
            raise EventFormatError(f"feed takes an Event, got {type(event).__name__}.")
        fold = self.fold
        void = event.kind._value_ in CLOCK_MOVE_VALUES and bool(fold.check(event, self.clocks))
        self.clocks.apply(event, void=void, source=fold.acting(event))
        fold.apply(event)

    @property
    def status(self) -> CaseStatus:
        """The case's state after the events fed so far. Its ``violations`` count those the
        events carry (a replay re-checks only the events that move clocks)."""
        return self.fold.snapshot()

    @property
    def latest(self) -> datetime | None:
        return self.clocks.latest


def clocks_of(
    procedure: Procedure,
    events: Sequence[Event],
    calendar: WorkingCalendar,
    *,
    visits: bool = False,
    indicator: bool = True,
) -> CaseClocks:
    """The clocks of a recorded history, as :class:`Replay` folds them, for readers that want
    only the clocks (reports). Only a pause, a supplement request or an apology moves a
    clock differently when it breaks a rule, so the rules are checked, and the state machine
    folded, only as far as the last such event; after it the kernel alone reads on (a
    handover leaves the one step the case is at, as the state machine would say)."""
    events = a_history(events)
    moves = CLOCK_MOVE_VALUES
    last = -1
    for number in range(len(events) - 1, 0, -1):
        if events[number].kind._value_ in moves:
            last = number
            break
    first = events[0]
    pack = pack_for(procedure, first.at, calendar)
    clocks = ClockKernel.of(procedure, pack, calendar).start(
        first.data.get("attributes") or {}, visits=visits, indicator=indicator, history=events
    )
    apply = clocks.apply
    if last < 0:
        for event in events:
            apply(event)
        return clocks
    fold = Fold(compiled_for(procedure, first), pack, calendar)
    check, fold_apply, acting = fold.check, fold.apply, fold.acting
    for number, event in enumerate(events):
        if number > last:
            apply(event)
            continue
        void = event.kind._value_ in moves and bool(check(event, clocks))
        apply(event, void=void, source=acting(event))
        fold_apply(event)
    return clocks


def replay(
    procedure: Procedure,
    events: Sequence[Event],
    *,
    calendar: WorkingCalendar | None = None,
    record: bool = False,
) -> Replay:
    """The replay of a whole history (its receipt first)."""
    a_procedure(procedure)
    events = a_history(events)
    calendar = a_calendar(calendar)
    folded = Replay(procedure, events[0], calendar, record=record)
    for event in events:
        folded.feed(event)
    return folded


def replay_statuses(
    procedure: Procedure,
    cases: Iterable[Sequence[Event]],
    *,
    calendar: WorkingCalendar | None = None,
) -> Iterator[CaseStatus]:
    """Statuses of many cases of one procedure, one per event sequence, lazily: the state
    fold of :class:`~tthc_flow.engine._state.Fold` checked against the state machine only
    (no clock is folded and no rule of the pack re-checked). A status's ``violations``
    counts the transitions the machine does not allow (a move it has no edge for, an event
    after the end, a second receipt); ``Case.from_events(...).status`` gives the same phase,
    step and unit, and counts every rule."""
    calendar = a_calendar(calendar)
    a_procedure(procedure)
    if isinstance(cases, (str, bytes, Mapping)) or not isinstance(cases, Iterable):
        raise EventFormatError(
            f"cases must be an iterable of histories, got {type(cases).__name__}."
        )
    for events in cases:
        events = a_history(events)
        compiled = compiled_for(procedure, events[0])
        table, handovers, send_backs = compiled.table, compiled.handovers, compiled.send_backs
        fold = Fold(compiled, pack_for(procedure, events[0].at, calendar), calendar)
        apply = fold.apply
        apply(events[0])
        broken = 0
        for event in events[1:]:
            kind = event.kind
            current = fold.current
            if current is not None and (fold.flow is not None or event.step is not None):
                # The step acted on: the one named, or the one its unit holds.
                current = fold.acting(event)
                if current is None:
                    broken += 1
                    apply(event)
                    continue
                if kind is _HANDED_OVER and event.target is None:
                    broken += table[current].get(FORK) is None
                    apply(event)
                    continue
            if current is None or kind is _RECEIVED:
                broken += 1  # after the end, or a second receipt: recorded, changes nothing
            elif kind is _HANDED_OVER:
                broken += event.target not in handovers[current]
            elif kind is _SENT_BACK:
                broken += event.target not in send_backs[current]
            else:
                trigger = _TRIGGERS.get(kind._value_)
                if trigger is not None and table[current].get(trigger) is None:
                    broken += 1
            apply(event)
        fold.violations = broken
        yield fold.snapshot()


_RECEIVED, _HANDED_OVER, _SENT_BACK = (
    EventKind.RECEIVED, EventKind.HANDED_OVER, EventKind.SENT_BACK,
)  # fmt: skip
# Keyed by value: hashing an Enum member runs Python code.
_TRIGGERS = {kind.value: trigger for kind, trigger in TRIGGER_OF.items()}

"""The reporting fast path: a case's outcome straight from its events, without building a
:class:`~tthc_flow.engine.Case`.

:meth:`FastProcedure.outcome` reads the same clock kernel as
:func:`~tthc_flow.reports._outcomes.outcome_of` (a test compares them on random histories):
the history is folded once by :func:`~tthc_flow.engine._replay` (the engine's state fold and
clock kernel, re-checking only the events that can move a clock) and read at the instants a
report asks for. A report folds it through :meth:`FastProcedure.audit` instead, which
checks every event as an audit-mode replay does, for the report's data quality. Nothing is
kept between cases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from tthc_flow._validators import aware
from tthc_flow.calendar import WorkingCalendar
from tthc_flow.engine import Case, CaseClocks, Event, EventKind, Procedure
from tthc_flow.engine._events import CLOCK_MOVE_VALUES
from tthc_flow.engine._replay import Replay, clocks_of
from tthc_flow.errors import EventFormatError, InvalidInputError
from tthc_flow.reports._outcomes import (
    CaseOutcome,
    ClockChoice,
    Facts,
    clock_choice,
    facts_of,
    outcome_from_clocks,
)

__all__ = ["FastProcedure"]

_RECEIVED = EventKind.RECEIVED
_NONE: frozenset[str] = frozenset()


class FastProcedure:
    """A procedure prepared for the fast path on one calendar, shared by every case of it."""

    __slots__ = ("calendar", "procedure")

    def __init__(self, procedure: Procedure, calendar: WorkingCalendar) -> None:
        self.procedure = procedure
        self.calendar = calendar

    def case(self, events: Sequence[Event]) -> Case:
        """The reference: the case replayed by the engine (audit mode)."""
        return Case.from_events(self.procedure, events, calendar=self.calendar)

    def _clocks(self, events: Sequence[Event], legal: bool) -> CaseClocks:
        """The case's clocks: no step visits (reports read the case and its units), and no
        indicator clock for a report on the legal one."""
        return clocks_of(self.procedure, events, self.calendar, indicator=not legal)

    def outcome(
        self,
        events: Sequence[Event],
        at: datetime,
        clock: ClockChoice | str = ClockChoice.LEGAL,
        *,
        units: bool = True,
    ) -> CaseOutcome:
        """The outcome of the case with these events at ``at``; equal to
        ``outcome_of(Case.from_events(procedure, events), at, clock, units=units)``."""
        aware(at)
        legal = clock_choice(clock) is ClockChoice.LEGAL
        return self.reader(events, legal)(at, units)

    def reader(
        self, events: Sequence[Event], legal: bool
    ) -> Callable[[datetime, bool], CaseOutcome]:
        """``read(at, units)``: the outcome of these events at ``at`` on the legal clock (or
        the indicator one), for :class:`~tthc_flow.reports._report.ReportBuilder`. The history
        is folded once, at the first reading."""
        if not events or events[0].kind is not _RECEIVED:
            raise EventFormatError("a case's events start with its receipt ('received').")
        first = events[0]
        data = first.data
        case_id = str(data.get("case_id", ""))
        attributes = data.get("attributes") or {}
        procedure = self.procedure
        folded: list[CaseClocks] = []

        def read(at: datetime, units: bool) -> CaseOutcome:
            if not folded:
                folded.append(self._clocks(events, legal))
            return outcome_from_clocks(
                case_id, procedure.code, procedure.version, attributes, first.at,
                folded[0], at, legal, units,
            )  # fmt: skip

        return read

    def audit(self, events: Sequence[Event], legal: bool) -> tuple[CaseClocks, frozenset[str]]:
        """The case's clocks and the rule codes its events break, every event checked as
        :meth:`Case.from_events <tthc_flow.engine.Case.from_events>` checks it in audit mode
        (an unlawful clock move moves no clock; the violations events say they carry are
        not read). Slower than a fold that checks only the events that can move a clock,
        but what a report's data quality needs."""
        if not events or events[0].kind is not _RECEIVED:
            raise EventFormatError("a case's events start with its receipt ('received').")
        folded = Replay(
            self.procedure, events[0], self.calendar, visits=False, indicator=not legal,
            history=events,
        )  # fmt: skip
        fold, clocks = folded.fold, folded.clocks
        check, apply, fold_apply = fold.check, clocks.apply, fold.apply
        moves = CLOCK_MOVE_VALUES
        broken: set[str] | None = None
        for event in events:
            found = check(event, clocks)
            if found:
                if broken is None:
                    broken = set()
                broken.update(violation.rule for violation in found)
                apply(event, void=event.kind._value_ in moves, source=fold.acting(event))
            else:
                apply(event, source=fold.acting(event))
            fold_apply(event)
        return clocks, frozenset(broken) if broken is not None else _NONE

    def audited_reader(
        self, events: Sequence[Event], legal: bool
    ) -> tuple[Callable[[datetime, bool], Facts], Callable[[], frozenset[str]]]:
        """``(read, violations)`` for a report: ``read(at, units)`` the kernel's facts at
        ``at`` (:func:`~tthc_flow.reports._outcomes.facts_of`), on the clocks of :meth:`audit`,
        and ``violations()`` the rule codes the
        audit found. The history is folded once, when either is first called."""
        if not events or events[0].kind is not _RECEIVED:
            raise EventFormatError("a case's events start with its receipt ('received').")
        received = events[0].at
        folded: list[tuple[CaseClocks, frozenset[str]]] = []

        def read(at: datetime, units: bool) -> Facts:
            if not folded:
                folded.append(self.audit(events, legal))
            if received > at:
                raise InvalidInputError(
                    f"case {events[0].data.get('case_id', '')} was received at "
                    f"{received.isoformat()}, after {at.isoformat()}: it has no outcome yet.",
                    value=at,
                    hint="Read it at or after its receipt.",
                )
            return facts_of(folded[0][0], at, legal, units)

        def violations() -> frozenset[str]:
            if not folded:
                folded.append(self.audit(events, legal))
            return folded[0][1]

        return read, violations

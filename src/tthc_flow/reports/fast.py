"""The reporting fast path: a case's outcome straight from its events, in one pass, without
building a :class:`~tthc_flow.engine.Case`.

:meth:`FastProcedure.outcome` computes exactly what :func:`~tthc_flow.reports.outcomes.outcome_of`
reads from the engine's clocks (a test compares them on random histories): the case clock's
marks (start, stop, go, restart, extend, end) and each unit's visits are folded as the events
stream by, in working-time *positions* (microseconds of working time since the calendar's
first day), so elapsed time is an integer subtraction and only the due instants that decide a
class cost a calendar search. It checks no rules (a report reads history, it does not judge
commands) and keeps nothing between cases.

Histories it does not mirror one for one fall back to the reference path: procedures with
calendar-day or month budgets (their allowance depends on the start day), and histories with a
second receipt (accepted in audit mode, where the engine discards the open step visit).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from tthc_flow.calendar import WorkingCalendar
from tthc_flow.engine import (
    Case,
    Effect,
    Event,
    EventKind,
    PauseRule,
    Procedure,
    ResultClass,
    RulePack,
    WorkingBudget,
    pack_in_force,
)
from tthc_flow.engine.state import due_day
from tthc_flow.errors import EventFormatError, InvalidInputError, UnknownStepError
from tthc_flow.reports.outcomes import (
    CaseOutcome,
    ClockChoice,
    UnitOutcome,
    clock_choice,
    outcome_of,
)

__all__ = ["FastProcedure"]

_US_PER_MINUTE = 60_000_000
_NONE = Effect.NONE
_PAUSE = Effect.PAUSE
_RESTART = Effect.RESTART
_RECEIVED = EventKind.RECEIVED
_HANDED_OVER = EventKind.HANDED_OVER
_SENT_BACK = EventKind.SENT_BACK
_PAUSED = EventKind.PAUSED
_RESUMED = EventKind.RESUMED
_SUPPLEMENT_REQUESTED = EventKind.SUPPLEMENT_REQUESTED
_SUPPLEMENT_RECEIVED = EventKind.SUPPLEMENT_RECEIVED
_RESCHEDULED = EventKind.RESCHEDULED
_RESOLVED = EventKind.RESOLVED
_TERMINAL = frozenset(
    {EventKind.RETURNED, EventKind.REFUSED, EventKind.WITHDRAWN, EventKind.STOPPED}
)


def _effect(rule: PauseRule | None, which: str) -> Effect:
    # The engine's rule: an improper pause stops no clock.
    if rule is None or not rule.allowed:
        return _NONE
    effect: Effect = getattr(rule, which)
    return effect


class _Effects:
    """A rule pack reduced to what the clocks need: each reason's effect on each clock."""

    __slots__ = ("by_reason", "supplement")

    def __init__(self, pack: RulePack) -> None:
        self.by_reason: dict[str, dict[str, Effect]] = {
            which: {code: _effect(rule, which) for code, rule in pack.reasons.items()}
            for which in ("legal", "indicator", "step")
        }
        self.supplement = {
            which: _effect(pack.supplement_rule, which) for which in ("legal", "indicator", "step")
        }


class _Unit:
    """One unit's clock while the events stream by (positions in µs of working time)."""

    __slots__ = ("base", "broken", "finished", "gos", "seg", "started", "steps")

    def __init__(self, step: str, at: datetime, pos: int) -> None:
        self.steps = {step: None}
        self.started = at
        self.base = 0
        self.seg: int | None = pos
        self.gos: list[tuple[datetime, int]] = []
        self.finished: datetime | None = None
        self.broken = False


def _working(budget: Any) -> bool:
    return isinstance(budget, WorkingBudget)


class FastProcedure:
    """A procedure prepared for the fast path on one calendar.

    >>> # see tests/test_reports_fast.py for the comparison with the engine's clocks
    """

    __slots__ = (
        "_effects",
        "_index",
        "_split",
        "adjusted",
        "calendar",
        "exact",
        "first",
        "procedure",
        "step_us",
        "total_us",
        "unit_of",
    )

    def __init__(self, procedure: Procedure, calendar: WorkingCalendar) -> None:
        self.procedure = procedure
        self.calendar = calendar
        # Working-time positions come from the calendar's index (the same numbers its own
        # working_time_between subtracts), read once per event.
        self._index = calendar._index
        self._split = calendar._split
        self.first = procedure.first.key
        self.unit_of = {step.key: step.unit for step in procedure.steps}
        budgets = [procedure.total, *(s.budget for s in procedure.steps)]
        budgets += [a.extra for a in procedure.adjustments]
        self.exact = all(_working(b) for b in budgets)
        self.adjusted = bool(procedure.adjustments)
        self.total_us = 0
        self.step_us: dict[str, int] = {}
        if self.exact:
            assert isinstance(procedure.total, WorkingBudget)
            self.total_us = procedure.total.minutes * _US_PER_MINUTE
            self.step_us = {
                s.key: s.budget.minutes * _US_PER_MINUTE  # type: ignore[union-attr]
                for s in procedure.steps
            }
        self._effects: dict[int, _Effects] = {}

    def _effects_on(self, ordinal: int) -> _Effects:
        effects = self._effects.get(ordinal)
        if effects is None:
            day = date.fromordinal(ordinal)
            pack = pack_in_force(day, self.procedure.rules)
            effects = self._effects[ordinal] = _Effects(pack)
        return effects

    def _budgets(self, attributes: Mapping[str, Any]) -> tuple[int, Mapping[str, int]]:
        if not self.adjusted:
            return self.total_us, self.step_us
        proc = self.procedure
        total = proc.total_for(attributes).minutes * _US_PER_MINUTE  # type: ignore[attr-defined]
        steps = {
            key: proc.step_budget_for(key, attributes).minutes * _US_PER_MINUTE  # type: ignore[attr-defined]
            for key in self.step_us
        }
        return total, steps

    def case(self, events: Sequence[Event]) -> Case:
        """The reference: the case replayed by the engine (audit mode)."""
        return Case.from_events(self.procedure, events, calendar=self.calendar)

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
        if not events or events[0].kind is not _RECEIVED:
            raise EventFormatError("a case's events start with its receipt ('received').")
        choice = clock_choice(clock)
        if not self.exact or any(e.kind is _RECEIVED for e in events[1:]):
            return outcome_of(self.case(events), at, choice, units=units)
        return self._outcome(events, at, choice is ClockChoice.LEGAL, units)

    def _outcome(
        self, events: Sequence[Event], at: datetime, legal: bool, want_units: bool
    ) -> CaseOutcome:
        calendar = self.calendar
        split = self._split
        position = self._index.position
        add = calendar.add_working_time
        first = events[0]
        received = first.at
        if received > at:
            raise InvalidInputError(
                f"case {first.data.get('case_id', '')} was received at {received.isoformat()}, "
                f"after {at.isoformat()}: it has no outcome yet.",
                value=at,
                hint="Read it at or after its receipt.",
            )
        data = first.data
        attributes = data.get("attributes") or {}
        total_us, step_us = self._budgets(attributes)
        effects = self._effects_on(split(received)[0])
        which = "legal" if legal else "indicator"
        case_effect = effects.by_reason[which]
        case_supplement = effects.supplement[which]
        step_effect = effects.by_reason["step"]
        step_supplement = effects.supplement["step"]
        unit_of = self.unit_of

        # Case clock (mirrors engine.clocks._case_track + evaluate).
        c_live = True
        c_open = _NONE
        allowed = -1  # -1: not started
        base = 0
        seg: int | None = None
        anchor_at = received
        anchor_us = 0
        due_set: datetime | None = None  # a due set by an apology (extend_to)
        finished: datetime | None = None
        ending: EventKind | None = None
        requests = 0
        # Step visits and unit clocks (mirrors engine.clocks.visits + unit_clocks).
        v_live = want_units
        v_open = _NONE
        units: dict[str, _Unit] = {}
        cur: _Unit | None = None
        has_visit = False

        for event in events:
            kind = event.kind
            t = event.at
            pos = -1
            if kind is _SUPPLEMENT_REQUESTED and t <= at:
                requests += 1
            elif (kind is _HANDED_OVER or kind is _SENT_BACK) and event.target not in unit_of:
                raise UnknownStepError(self.procedure.code, event.target)
            if c_live:
                op = ""
                if kind is _RECEIVED:
                    op = "start"
                elif kind is _PAUSED:
                    c_open = case_effect.get(event.reason or "", _NONE)
                    op = "note" if c_open is _NONE else "stop"
                elif kind is _RESUMED:
                    if c_open is _RESTART:
                        op = "start"
                    elif c_open is _PAUSE:
                        op = "go"
                    c_open = _NONE
                elif kind is _SUPPLEMENT_REQUESTED:
                    c_open = case_supplement
                    if c_open is not _NONE:
                        op = "stop"
                elif kind is _SUPPLEMENT_RECEIVED:
                    if event.complete:
                        if c_open is _RESTART:
                            op = "start"
                        elif c_open is _PAUSE:
                            op = "go"
                        c_open = _NONE
                elif kind is _RESCHEDULED:
                    if legal and event.new_due is not None:
                        op = "extend"
                elif kind is _RESOLVED or kind in _TERMINAL:
                    op = "end"
                if op:
                    if t > at:
                        c_live = False
                    elif op == "start":
                        pos = position(*split(t))
                        base, seg, allowed = 0, pos, total_us
                        anchor_at, anchor_us, due_set = t, total_us, None
                    elif op == "stop":
                        if seg is not None:
                            pos = position(*split(t))
                            base += pos - seg
                            seg = None
                    elif op == "go":
                        if seg is None and allowed >= 0:
                            pos = position(*split(t))
                            seg = pos
                            if allowed - base >= 0:
                                anchor_at, anchor_us, due_set = t, allowed - base, None
                    elif op == "extend":
                        new_due = event.new_due
                        assert new_due is not None
                        due = due_set or add(anchor_at, timedelta(microseconds=anchor_us))
                        if new_due > due:
                            allowed += position(*split(new_due)) - position(*split(due))
                            due_set = new_due
                    elif op == "end":
                        if seg is not None:
                            pos = position(*split(t))
                            base += pos - seg
                            seg = None
                        finished, ending = t, kind
                        c_live = False
            if v_live:
                if kind is _HANDED_OVER or kind is _SENT_BACK:
                    target = event.target
                    if target:
                        if cur is not None:
                            _mark_end(cur, t, at, position, split)
                        has_visit = True
                        cur = _open_visit(units, unit_of[target], target, t, at, position, split)
                        if cur is not None and v_open is not _NONE:
                            _mark_stop(cur, t, at, position, split)
                elif kind is _RECEIVED:
                    has_visit = True
                    cur = _open_visit(units, unit_of[self.first], self.first, t, at, position,
                                      split)  # fmt: skip
                elif not has_visit:
                    pass
                elif kind is _PAUSED or kind is _SUPPLEMENT_REQUESTED:
                    v_open = (
                        step_supplement
                        if kind is _SUPPLEMENT_REQUESTED
                        else step_effect.get(event.reason or "", _NONE)
                    )
                    if v_open is not _NONE and cur is not None:
                        _mark_stop(cur, t, at, position, split)
                elif kind is _RESUMED or (kind is _SUPPLEMENT_RECEIVED and event.complete):
                    if v_open is not _NONE and cur is not None:
                        _mark_go(cur, t, at, position, split)
                    v_open = _NONE
                elif kind in _TERMINAL:
                    if cur is not None:
                        _mark_end(cur, t, at, position, split)
                    cur = None
                    v_live = False
            elif not c_live and legal:
                break  # nothing left to read (the indicator clock still counts requests)

        cut = position(*split(at))
        elapsed = base + (cut - seg if seg is not None else 0)
        remaining = allowed - elapsed
        forced = not legal and requests > 1
        if finished is not None:
            due = due_set or add(anchor_at, timedelta(microseconds=anchor_us))
            result = _finished_class(finished, due, forced, calendar)
        else:
            late = remaining < 0 or forced
            if not late and seg is not None:
                due = due_set or add(anchor_at, timedelta(microseconds=anchor_us))
                late = at > due
            result = ResultClass.IN_PROGRESS_OVERDUE if late else ResultClass.IN_PROGRESS
        unit_outcomes: tuple[UnitOutcome, ...] = ()
        if want_units:
            unit_outcomes = tuple(
                _unit_outcome(name, u, step_us, cut, at, calendar) for name, u in units.items()
            )
        channel = attributes.get("channel")
        return CaseOutcome(
            case_id=str(data.get("case_id", "")),
            procedure=self.procedure.code,
            version=self.procedure.version,
            channel=None if channel is None else str(channel),
            received_at=received,
            at=at,
            result=result,
            finished_at=finished,
            ending=ending,
            allowed=timedelta(microseconds=allowed),
            elapsed=timedelta(microseconds=elapsed),
            working=True,
            units=unit_outcomes,
        )


def _finished_class(
    finished: datetime, due: datetime, forced: bool, calendar: WorkingCalendar
) -> ResultClass:
    if finished > due or forced:
        return ResultClass.OVERDUE
    if finished.astimezone(calendar.tz).date() < due_day(due, calendar):
        return ResultClass.EARLY
    return ResultClass.ON_TIME


def _open_visit(
    units: dict[str, _Unit], unit: str, step: str, t: datetime, at: datetime,
    position: Any, split: Any,
) -> _Unit | None:  # fmt: skip
    if t > at:
        return None  # a visit that starts after the reading does not count
    state = units.get(unit)
    if state is None:
        state = units[unit] = _Unit(step, t, position(*split(t)))
        return state
    state.steps[step] = None
    if not state.broken:
        state.finished = None  # the earlier visit's end was a stop
        if state.seg is None:
            state.seg = position(*split(t))
            state.gos.append((t, state.base))
    return state


def _mark_stop(u: _Unit, t: datetime, at: datetime, position: Any, split: Any) -> None:
    if u.broken:
        return
    if t > at:
        u.broken = True
    elif u.seg is not None:
        u.base += position(*split(t)) - u.seg
        u.seg = None


def _mark_go(u: _Unit, t: datetime, at: datetime, position: Any, split: Any) -> None:
    if u.broken:
        return
    if t > at:
        u.broken = True
    elif u.seg is None:
        u.seg = position(*split(t))
        u.gos.append((t, u.base))


def _mark_end(u: _Unit, t: datetime, at: datetime, position: Any, split: Any) -> None:
    if u.broken:
        return
    if t > at:
        u.broken = True
        return
    if u.seg is not None:
        u.base += position(*split(t)) - u.seg
        u.seg = None
    u.finished = t


def _unit_outcome(
    name: str, u: _Unit, step_us: Mapping[str, int], cut: int, at: datetime,
    calendar: WorkingCalendar,
) -> UnitOutcome:  # fmt: skip
    allowed = sum(step_us[s] for s in u.steps)
    elapsed = u.base + (cut - u.seg if u.seg is not None else 0)
    remaining = allowed - elapsed

    def due() -> datetime:
        anchor_at, amount = u.started, allowed
        for go_at, base in u.gos:
            if allowed - base >= 0:
                anchor_at, amount = go_at, allowed - base
        return calendar.add_working_time(anchor_at, timedelta(microseconds=amount))

    if u.finished is not None:
        result = _finished_class(u.finished, due(), False, calendar)
    else:
        late = remaining < 0 or (u.seg is not None and at > due())
        result = ResultClass.IN_PROGRESS_OVERDUE if late else ResultClass.IN_PROGRESS
    return UnitOutcome(
        name,
        result,
        timedelta(microseconds=allowed),
        timedelta(microseconds=elapsed),
        u.started,
        u.finished,
    )

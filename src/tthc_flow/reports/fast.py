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

from collections.abc import Callable, Mapping, Sequence
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
from tthc_flow.validators import aware

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
# Compared by identity: hashing an Enum member runs Python code.
_RETURNED = EventKind.RETURNED
_REFUSED = EventKind.REFUSED
_WITHDRAWN = EventKind.WITHDRAWN
_STOPPED = EventKind.STOPPED


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

    __slots__ = (
        "allowed",
        "base",
        "broken",
        "finished",
        "finished_ordinal",
        "finished_pos",
        "gos",
        "seg",
        "start_pos",
        "started",
        "steps",
    )

    def __init__(self, step: str, at: datetime, pos: int, allowed: int) -> None:
        self.steps = {step: None}
        self.allowed = allowed  # the budgets of the distinct steps it has had
        self.started = at
        self.start_pos = pos
        self.base = 0
        self.seg: int | None = pos
        self.gos: list[tuple[datetime, int, int]] = []  # (instant, position, base then)
        self.finished: datetime | None = None
        self.finished_pos = 0
        self.finished_ordinal = 0
        self.broken = False


def _working(budget: Any) -> bool:
    return isinstance(budget, WorkingBudget)


class FastProcedure:
    """A procedure prepared for the fast path on one calendar: its budgets in microseconds
    of working time, its step units, and each rule pack's effects, computed once and shared
    by every case of the procedure."""

    __slots__ = (
        "_effects",
        "_index",
        "_spans",
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
        self._spans: dict[int, timedelta] = {}  # unit budgets are few: one timedelta each

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
        aware(at)
        choice = clock_choice(clock)
        if self.exact:
            found = self._outcome(events, at, choice is ClockChoice.LEGAL, units)
            if found is not None:
                return found
        return outcome_of(self.case(events), at, choice, units=units)

    def reader(
        self, events: Sequence[Event], legal: bool
    ) -> Callable[[datetime, bool], CaseOutcome]:
        """``read(at, units)``: the outcome of these events at ``at`` on the legal clock (or
        the indicator one), for :class:`~tthc_flow.reports.report.ReportBuilder`."""
        if not events or events[0].kind is not _RECEIVED:
            raise EventFormatError("a case's events start with its receipt ('received').")
        choice = ClockChoice.LEGAL if legal else ClockChoice.INDICATOR
        replayed: list[Case] = []  # the reference case, built once if it is needed

        def read(at: datetime, units: bool) -> CaseOutcome:
            found = self._outcome(events, at, legal, units) if self.exact else None
            if found is None:
                if not replayed:
                    replayed.append(self.case(events))
                return outcome_of(replayed[0], at, choice, units=units)
            return found

        return read

    def _outcome(
        self, events: Sequence[Event], at: datetime, legal: bool, want_units: bool
    ) -> CaseOutcome | None:
        """The outcome, or None for a history with a second receipt (the reference path
        reads it)."""
        split = self._split
        index = self._index
        position = index.position
        before, cum, shapes = index.before, index.cum, index.shapes
        first_ordinal = index.first_ordinal
        span = index.last_ordinal - first_ordinal + 1
        tz = self.calendar.tz
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
        total_us, step_us = (
            self._budgets(attributes) if self.adjusted else (self.total_us, self.step_us)
        )
        day = received.toordinal() if received.tzinfo is tz else split(received)[0]
        effects = self._effects.get(day) or self._effects_on(day)
        which = "legal" if legal else "indicator"
        case_effect = effects.by_reason[which]
        case_supplement = effects.supplement[which]
        step_effect = effects.by_reason["step"]
        step_supplement = effects.supplement["step"]
        unit_of = self.unit_of

        # Case clock (mirrors engine.clocks._case_track + evaluate). The due instant is kept
        # as an anchor (instant, position, working time to add) and only resolved when a
        # class depends on it; an apology's new date replaces it outright (``due_set``).
        c_live = True
        c_open = _NONE
        allowed = -1  # -1: not started
        base = 0
        seg: int | None = None
        anchor_at, anchor_pos, anchor_us = received, 0, 0
        due_set: datetime | None = None
        finished: datetime | None = None
        finished_pos = finished_ordinal = 0
        ending: EventKind | None = None
        requests = 0
        last_mark = last_request = received  # latest mark read; latest supplement request
        # Step visits and unit clocks (mirrors engine.clocks.visits + unit_clocks).
        v_live = want_units
        v_open = _NONE
        units: dict[str, _Unit] = {}
        cur: _Unit | None = None
        has_visit = False

        for event in events:
            kind = event.kind
            t = event.at
            if kind is _SUPPLEMENT_REQUESTED and t > last_request:
                last_request = t
            if t <= at:
                # Index.position inlined for instants in the calendar's zone (the common
                # case); anything else goes through the calendar's checks.
                ordinal = t.toordinal()
                k = ordinal - first_ordinal
                if t.tzinfo is tz and 0 <= k < span:
                    i = before[k]
                    pos = cum[i] * _US_PER_MINUTE
                    if before[k + 1] != i:
                        pos += shapes[i].elapsed(
                            (t.hour * 3600 + t.minute * 60 + t.second) * 1_000_000
                            + t.microsecond
                        )
                else:
                    ordinal, us = split(t)
                    pos = position(ordinal, us)
                if kind is _SUPPLEMENT_REQUESTED:
                    requests += 1
            else:
                ordinal = pos = -1
            if kind is _HANDED_OVER or kind is _SENT_BACK:  # the most frequent events
                target = event.target
                if target not in unit_of:
                    raise UnknownStepError(self.procedure.code, target)
                if v_live:  # a handover marks no case clock, only step visits
                    if cur is not None:
                        _mark_end(cur, t, pos, ordinal)
                    has_visit = True
                    cur = _open_visit(units, unit_of[target], target, t, pos, step_us)
                    if cur is not None and v_open is not _NONE:
                        _mark_stop(cur, pos)
                continue
            if kind is _RECEIVED and event is not first:
                return None
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
                elif (
                    kind is _RESOLVED
                    or kind is _RETURNED
                    or kind is _REFUSED
                    or kind is _WITHDRAWN
                    or kind is _STOPPED
                ):
                    op = "end"
                if op:
                    if pos >= 0 and t > last_mark:
                        last_mark = t
                    if pos < 0:
                        c_live = False  # a mark after the reading: the clock reads no further
                    elif op == "start":
                        base, seg, allowed = 0, pos, total_us
                        anchor_at, anchor_pos, anchor_us, due_set = t, pos, total_us, None
                    elif op == "stop":
                        if seg is not None:
                            base += pos - seg
                            seg = None
                    elif op == "go":
                        if seg is None and allowed >= 0:
                            seg = pos
                            if allowed - base >= 0:
                                anchor_at, anchor_pos, anchor_us = t, pos, allowed - base
                                due_set = None
                    elif op == "extend":
                        new_due = event.new_due
                        assert new_due is not None
                        due = self._due(anchor_at, anchor_us, due_set)
                        if new_due > due:
                            allowed += position(*split(new_due)) - position(*split(due))
                            due_set = new_due
                    elif op == "end":
                        if seg is not None:
                            base += pos - seg
                            seg = None
                        finished, finished_pos, finished_ordinal = t, pos, ordinal
                        ending = kind
                        c_live = False
            if v_live:
                if kind is _RECEIVED:
                    has_visit = True
                    cur = _open_visit(units, unit_of[self.first], self.first, t, pos, step_us)
                elif not has_visit:
                    pass
                elif kind is _PAUSED or kind is _SUPPLEMENT_REQUESTED:
                    v_open = (
                        step_supplement
                        if kind is _SUPPLEMENT_REQUESTED
                        else step_effect.get(event.reason or "", _NONE)
                    )
                    if v_open is not _NONE and cur is not None:
                        _mark_stop(cur, pos)
                elif kind is _RESUMED or (kind is _SUPPLEMENT_RECEIVED and event.complete):
                    if v_open is not _NONE and cur is not None:
                        _mark_go(cur, t, pos)
                    v_open = _NONE
                elif (
                    kind is _RETURNED or kind is _REFUSED or kind is _WITHDRAWN or kind is _STOPPED
                ):
                    if cur is not None:
                        _mark_end(cur, t, pos, ordinal)
                    cur = None
                    v_live = False

        cut = position(*split(at))
        elapsed = base + (cut - seg if seg is not None else 0)
        if not legal and requests > 1:
            result = ResultClass.OVERDUE if finished is not None else _LATE
        elif finished is not None:
            result = self._finished_class(
                finished, finished_pos, finished_ordinal, anchor_at, anchor_pos, anchor_us,
                due_set,
            )  # fmt: skip
        else:
            result = self._open_class(
                at, cut, seg is not None, allowed - elapsed, anchor_at, anchor_us, due_set
            )
        unit_outcomes: tuple[UnitOutcome, ...] = ()
        if want_units:
            unit_outcomes = tuple([self._unit_outcome(n, u, cut, at) for n, u in units.items()])
        settled = None
        if finished is not None:
            settled = last_mark if legal else max(last_mark, last_request)
        channel = attributes.get("channel")
        return CaseOutcome(
            str(data.get("case_id", "")),
            self.procedure.code,
            self.procedure.version,
            None if channel is None else str(channel),
            received,
            at,
            result,
            finished,
            ending,
            timedelta(microseconds=allowed),
            timedelta(microseconds=elapsed),
            True,
            settled,
            unit_outcomes,
        )

    # ------------------------------------------------------------------ classes

    def _due(self, anchor_at: datetime, amount: int, due_set: datetime | None) -> datetime:
        if due_set is not None:
            return due_set
        return self.calendar.add_working_time(anchor_at, timedelta(microseconds=amount))

    def _finished_class(
        self, finished: datetime, pos: int, ordinal: int, anchor_at: datetime, anchor_pos: int,
        amount: int, due_set: datetime | None,
    ) -> ResultClass:  # fmt: skip
        """The engine's rule (overdue after the due instant; early on a day before the due
        day), decided on positions where they suffice: ``target`` is the due's position, the
        earliest instant at which ``amount`` has run from the anchor."""
        if due_set is None and amount > 0:
            target = anchor_pos + amount
            if pos > target:
                return ResultClass.OVERDUE
            if pos < target:
                # Early iff the due lies beyond the finish day: the working time through the
                # end of that day falls short of the due's position.
                index = self._index
                through = index.cum[index.before[ordinal - index.first_ordinal + 1]]
                return ResultClass.EARLY if through * _US_PER_MINUTE < target else _ON_TIME
        due = self._due(anchor_at, amount, due_set)
        return _finished_class(finished, due, False, self.calendar)

    def _open_class(
        self, at: datetime, cut: int, running: bool, remaining: int, anchor_at: datetime,
        amount: int, due_set: datetime | None,
    ) -> ResultClass:  # fmt: skip
        if remaining < 0:
            return _LATE
        if not running or (due_set is None and remaining > 0 and amount > 0):
            return _OPEN  # paused, or short of the due's position
        return _LATE if at > self._due(anchor_at, amount, due_set) else _OPEN

    def _unit_outcome(self, name: str, u: _Unit, cut: int, at: datetime) -> UnitOutcome:
        allowed = u.allowed
        elapsed = u.base + (cut - u.seg if u.seg is not None else 0)
        anchor_at, anchor_pos, amount = u.started, u.start_pos, allowed
        for go_at, go_pos, base in u.gos:
            if allowed - base >= 0:
                anchor_at, anchor_pos, amount = go_at, go_pos, allowed - base
        finished = u.finished
        if finished is None:
            result = self._open_class(
                at, cut, u.seg is not None, allowed - elapsed, anchor_at, amount, None
            )
        elif amount > 0 and u.finished_pos < anchor_pos + amount:
            # The common case, decided here as _finished_class would: finished before the
            # due; early iff the due lies beyond the finish day.
            index = self._index
            through = index.cum[index.before[u.finished_ordinal - index.first_ordinal + 1]]
            result = (
                ResultClass.EARLY if through * _US_PER_MINUTE < anchor_pos + amount else _ON_TIME
            )
        else:
            result = self._finished_class(
                finished, u.finished_pos, u.finished_ordinal, anchor_at, anchor_pos, amount,
                None,
            )  # fmt: skip
        span = self._spans.get(allowed)
        if span is None:
            span = self._spans[allowed] = timedelta(microseconds=allowed)
        return UnitOutcome(
            name,
            result,
            span,
            timedelta(microseconds=elapsed),
            u.started,
            finished,
        )


_LATE = ResultClass.IN_PROGRESS_OVERDUE
_OPEN = ResultClass.IN_PROGRESS
_ON_TIME = ResultClass.ON_TIME


def _finished_class(
    finished: datetime, due: datetime, forced: bool, calendar: WorkingCalendar
) -> ResultClass:
    if finished > due or forced:
        return ResultClass.OVERDUE
    if finished.astimezone(calendar.tz).date() < due_day(due, calendar):
        return ResultClass.EARLY
    return ResultClass.ON_TIME


# Unit marks. A position of -1 is an instant after the reading: the unit's track reads no
# further (``broken``), as the engine's evaluation stops at the first mark after it.


def _open_visit(
    units: dict[str, _Unit], unit: str, step: str, t: datetime, pos: int,
    step_us: Mapping[str, int],
) -> _Unit | None:  # fmt: skip
    if pos < 0:
        return None  # a visit that starts after the reading does not count
    state = units.get(unit)
    if state is None:
        state = units[unit] = _Unit(step, t, pos, step_us[step])
        return state
    if step not in state.steps:
        state.steps[step] = None
        state.allowed += step_us[step]
    if not state.broken:
        state.finished = None  # the earlier visit's end was a stop
        if state.seg is None:
            state.seg = pos
            state.gos.append((t, pos, state.base))
    return state


def _mark_stop(u: _Unit, pos: int) -> None:
    if u.broken:
        return
    if pos < 0:
        u.broken = True
    elif u.seg is not None:
        u.base += pos - u.seg
        u.seg = None


def _mark_go(u: _Unit, t: datetime, pos: int) -> None:
    if u.broken:
        return
    if pos < 0:
        u.broken = True
    elif u.seg is None:
        u.seg = pos
        u.gos.append((t, pos, u.base))


def _mark_end(u: _Unit, t: datetime, pos: int, ordinal: int) -> None:
    if u.broken:
        return
    if pos < 0:
        u.broken = True
        return
    if u.seg is not None:
        u.base += pos - u.seg
        u.seg = None
    u.finished, u.finished_pos, u.finished_ordinal = t, pos, ordinal

"""The clock kernel (lõi tính thời hạn): every clock of a case, from one fold over its events.

A :class:`ClockKernel` is a procedure, the rule pack a case is judged by and a working
calendar, compiled once: each pause reason's effect on each clock (:func:`effect_of`), the
budgets of the total and of each step as clocks allow them, the units of the steps. It is
shared by every case of that procedure and pack.

:class:`CaseClocks` folds one case's events through it, one event at a time, in working-time
*positions* (:meth:`WorkingCalendar.position`): elapsed time is an integer subtraction, and
only the due instants that decide a class cost a calendar search. Each event costs O(1)
amortised (a move also costs the units it touches), and a reading at or after the latest event
reads the folded state directly, so a command that checks the legal due, and a portal job
that follows a case event by event, cost time linear in the history in total.

What it yields, at any instant: the legal clock, the indicator clock, one clock per step
visit and one per unit (:class:`~tthc_flow.engine.ClockReading`), and the facts reports need
(:meth:`CaseClocks.case_facts`, :meth:`CaseClocks.unit_facts`). Every module that shows a
clock reads it here: :class:`~tthc_flow.engine.Case`, the report fast path, the forms, the
alerts, the simulation and the testing kit.

The rules, each in one place:

- which events finish a clock: :data:`~tthc_flow.engine._events.FINISH_KINDS`;
- what an event does to each clock: :meth:`CaseClocks.apply` with the pack's effects
  (:func:`~tthc_flow.engine._rules.effect_of`); an event that broke a rule (``void``: it
  carries violations, or the engine's check found some) moves no clock, so an unlawful
  pause, supplement request or apology never buys the agency time;
- how a finished clock is classed: :func:`~tthc_flow.engine._clocks.classify`;
- a reading at ``at`` reads the history as recorded by ``at``: the events up to the first
  one dated after ``at`` (a history in time order: every event up to ``at``).

The fold keeps the set of steps a case is at. A procedure whose steps fork runs, in its
parallel order (chosen at receipt: :func:`~tthc_flow.engine._graph.order_of_receipt`),
through :meth:`~tthc_flow.engine._graph.Flow.move`, the same function the state fold uses: a
fork enters every branch, each branch's step and unit run their own clocks, and the join is
entered when the last branch arrives. The last branch to arrive is the critical one: a unit
whose overrun lay only in branches that arrived earlier did not delay the case
(:meth:`CaseClocks.responsible_units`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple

from tthc_flow._validators import aware
from tthc_flow.calendar import WorkingCalendar
from tthc_flow.calendar._index import US_PER_MINUTE
from tthc_flow.engine._arguments import a_history
from tthc_flow.engine._budgets import (
    Budget,
    BudgetSum,
    CalendarBudget,
    SameWorkingDay,
    WorkingBudget,
)
from tthc_flow.engine._clocks import ClockReading, ClockStatus, Mark, ResultClass, classify
from tthc_flow.engine._events import CLOCK_MOVE_VALUES, FINISH_KINDS, Event, EventKind
from tthc_flow.engine._graph import Flow, Order, acting_step, flow_of, order_of_receipt
from tthc_flow.engine._rules import Effect, RulePack, effect_of
from tthc_flow.errors import BudgetError, InvalidInputError

__all__ = ["CaseClocks", "ClockKernel", "Dues", "Visit"]

_ONE_US = timedelta(microseconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

_NONE, _PAUSE, _RESTART = Effect.NONE, Effect.PAUSE, Effect.RESTART
_RECEIVED = EventKind.RECEIVED
_HANDED_OVER = EventKind.HANDED_OVER
_SENT_BACK = EventKind.SENT_BACK
_PAUSED = EventKind.PAUSED
_RESUMED = EventKind.RESUMED
_CONSULTED, _ANSWERED, _PROCEEDED = EventKind.CONSULTED, EventKind.ANSWERED, EventKind.PROCEEDED
_SUPPLEMENT_REQUESTED = EventKind.SUPPLEMENT_REQUESTED
_SUPPLEMENT_RECEIVED = EventKind.SUPPLEMENT_RECEIVED
_RESCHEDULED = EventKind.RESCHEDULED
_RESOLVED = EventKind.RESOLVED
_CLOSED = EventKind.CLOSED
_EARLY, _ON_TIME, _OVERDUE = ResultClass.EARLY, ResultClass.ON_TIME, ResultClass.OVERDUE
_FINISHES = frozenset(kind.value for kind in FINISH_KINDS)
_OPEN, _LATE = ResultClass.IN_PROGRESS, ResultClass.IN_PROGRESS_OVERDUE


class Dues(NamedTuple):
    """The due instants of a case's clocks at one instant (:meth:`CaseClocks.dues`); None
    where a clock has none."""

    legal: datetime | None
    indicator: datetime | None
    step: datetime | None  # the soonest among the steps the case is at
    unit: datetime | None  # the soonest among the units holding it


class Allowance:
    """A budget as a clock allows it: ``fixed`` working microseconds (working budgets), or an
    amount computed at each start from the budget's own due (same-day and calendar
    budgets). ``real`` clocks (calendar days, months) count real time, not working time.
    ``again``: the same-day rule, which each visit of its step is granted anew, on the
    unit's clock too (Decree 118/2025 Art. 18(2) sets it for every dossier sent on)."""

    __slots__ = ("again", "budget", "fixed", "real")

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.real = isinstance(budget, CalendarBudget)
        self.fixed = budget.minutes * US_PER_MINUTE if isinstance(budget, WorkingBudget) else None
        self.again = isinstance(budget, SameWorkingDay)


class Plan:
    """The allowances of one case: its total and each step's (adjustments, the forwarding
    rule and the same-day rule applied). Cases with the same attributes share one plan."""

    __slots__ = ("real", "steps", "total")

    def __init__(self, total: Allowance, steps: dict[str, Allowance]) -> None:
        self.total = total
        self.steps = steps
        self.real = total.real or any(a.real for a in steps.values())


class ClockKernel:
    """A procedure, a rule pack and a calendar, compiled once for the fold of every case
    judged by that pack. Build it with :meth:`of` (cached per calendar on the procedure)."""

    __slots__ = (
        "_plain",
        "_plans",
        "calendar",
        "consult_real",
        "consults",
        "effects",
        "first",
        "pack",
        "procedure",
        "supplement_effects",
        "tz",
        "unit_of",
    )

    def __init__(self, procedure: Any, pack: RulePack, calendar: WorkingCalendar) -> None:
        self.procedure = procedure
        self.pack = pack
        self.calendar = calendar
        self.tz = calendar.tz
        self.first: str = procedure.first.key
        self.unit_of: dict[str, str] = {step.key: step.unit for step in procedure.steps}
        # reason → (legal, indicator, step) effects, read once per pause.
        self.effects: dict[str, tuple[Effect, Effect, Effect]] = {
            code: (effect_of(rule, "legal"), effect_of(rule, "indicator"), effect_of(rule, "step"))
            for code, rule in pack.reasons.items()
        }
        self.supplement_effects = self.effects[pack.supplement]
        # (step, consulted unit) → the time its answer is allowed (Decree 118 Art. 19(4)).
        self.consults: dict[tuple[str, str], Allowance] = {
            (step.key, unit): Allowance(budget)
            for step in procedure.steps
            for unit, budget in step.consults.items()
        }
        self.consult_real = any(a.real for a in self.consults.values())
        self._plans: dict[tuple[Any, ...], Plan] = {}
        # A procedure without adjustments under a pack without forwarding has one plan.
        self._plain: Plan | None = None
        if not procedure.adjustments and pack.forwarding is None:
            self._plain = self.plan({})

    @classmethod
    def of(cls, procedure: Any, pack: RulePack, calendar: WorkingCalendar) -> ClockKernel:
        """The kernel of ``procedure`` under ``pack`` on ``calendar``, compiled once."""
        if not hasattr(procedure, "_compiled"):
            raise InvalidInputError(
                f"ClockKernel.of takes a Procedure, got {type(procedure).__name__}.",
                value=procedure,
                hint="Pass a procedure version, e.g. catalog.version(code, version).",
            )
        cache: dict[tuple[int, int], ClockKernel] = procedure._compiled.setdefault(
            "kernels", {}
        )
        key = (id(pack), id(calendar))
        found = cache.get(key)
        if found is None or found.pack is not pack or found.calendar is not calendar:
            if not isinstance(pack, RulePack) or not isinstance(calendar, WorkingCalendar):
                raise InvalidInputError(
                    f"ClockKernel.of takes a RulePack and a WorkingCalendar, got "
                    f"{type(pack).__name__} and {type(calendar).__name__}.",
                    value=(pack, calendar),
                    hint="Pass procedure.rules[...] (or pack_for(...)) and vietnam_calendar().",
                )
            found = cache[key] = cls(procedure, pack, calendar)
        return found

    # ------------------------------------------------------------------ budgets

    def plan(self, attributes: Mapping[str, Any]) -> Plan:
        """The allowances of a case with these attributes."""
        plain = self._plain
        if plain is not None:
            return plain
        procedure = self.procedure
        forwarding = self.pack.forwarding
        key = tuple(a.applies(attributes) for a in procedure.adjustments)
        if forwarding is not None:
            key += (forwarding.applies(attributes),)
        plan = self._plans.get(key)
        if plan is None:
            pack = self.pack
            plan = self._plans[key] = Plan(
                Allowance(procedure.total_for(attributes, pack)),
                {
                    step.key: Allowance(procedure.step_budget_for(step.key, attributes, pack))
                    for step in procedure.steps
                },
            )
        return plan

    # ------------------------------------------------------------------ positions

    def real_position(self, instant: datetime) -> int:
        """Microseconds of real time since 1970: the positions of calendar-day clocks."""
        try:
            return (instant - _EPOCH) // _ONE_US
        except TypeError:
            aware(instant, "instant")
            raise

    def position_of(self, instant: datetime, real: bool) -> int:
        return self.real_position(instant) if real else self.calendar.position(instant)

    def instant(self, position: int, real: bool) -> datetime:
        """The earliest instant at ``position`` (working or real)."""
        if real:
            return (_EPOCH + timedelta(microseconds=position)).astimezone(self.tz)
        return self.calendar.instant_at(position)

    def amount(
        self, allowance: Allowance, real: bool, at: datetime, pos: int
    ) -> tuple[int, datetime | None]:
        """The time ``allowance`` gives from ``at`` (at position ``pos``), in the clock's
        positions, and its exact due instant when it is not a fixed working amount."""
        fixed = allowance.fixed
        if fixed is not None and not real:
            return fixed, None
        due = allowance.budget.due(self.calendar, at)
        return self.position_of(due, real) - pos, due

    def advance(self, at: datetime, pos: int, amount: int, real: bool) -> datetime:
        """The earliest instant ``amount`` after ``at``: ``at`` itself for nothing."""
        if amount == 0:
            return at.astimezone(self.tz)
        return self.instant(pos + amount, real)

    def legal_start(self, received: datetime) -> datetime:
        """When the legal clock starts for a case received at ``received``: at receipt
        (Decree 118/2025 Art. 17(3)), or, with the pack's practice switch on, at the next
        working day's first session for a receipt after the same-day cut-off or on a day
        not worked."""
        pack = self.pack
        if not pack.late_receipt_next_day:
            return received
        calendar = self.calendar
        local = received.astimezone(self.tz)
        cutoff = pack.same_day.cutoff
        close = calendar.day_closing(local)
        if close is not None and local < close and (cutoff is None or local.time() <= cutoff):
            return received
        opening = calendar.day_opening(calendar.add_working_days(local.date(), 1))
        assert opening is not None
        return opening

    # ------------------------------------------------------------------ cases

    def start(
        self, attributes: Mapping[str, Any], *, record: bool = False, visits: bool = True,
        indicator: bool = True, history: Sequence[Event] | None = None,
    ) -> CaseClocks:  # fmt: skip
        """An empty fold for a case with these attributes; ``record`` keeps each clock's
        history for :meth:`ClockReading.explain`; ``visits=False`` keeps no step visits and
        ``indicator=False`` no indicator clock (the report path, which reads one case clock
        and the unit clocks only); ``history`` is the owner's list of the events applied
        (which it appends to after each :meth:`CaseClocks.apply`), else the fold keeps its
        own."""
        if not isinstance(attributes, Mapping):
            raise InvalidInputError(
                f"attributes must be a mapping, got {type(attributes).__name__}.",
                value=attributes,
                hint="Pass the case's attributes ({} for none).",
            )
        return CaseClocks(
            self, attributes, record=record, visits=visits, indicator=indicator,
            history=history,
        )  # fmt: skip

    def fold(
        self,
        events: Iterable[Event],
        attributes: Mapping[str, Any] | None = None,
        *,
        record: bool = False,
    ) -> CaseClocks:
        """The clocks of a recorded history: each event moves them unless it carries
        violations (recorded in audit mode), each handover leaves the step the case was at.
        ``attributes`` default to the receipt's."""
        events = list(a_history(events))
        if attributes is None:
            attributes = events[0].data.get("attributes") or {}
        clocks = self.start(attributes, record=record)
        for event in events:
            clocks.apply(event, void=bool(event.violations))
        return clocks


class Track:
    """One clock's state, in positions of its metric (working or real microseconds).

    ``allowed`` is -1 until the clock starts. The due instant is kept as an anchor (the
    instant and position the clock last started or went on, and the amount it then had
    left), resolved only when asked; ``due_set`` holds a due known exactly (an apology's new
    date, or a same-day or calendar budget's own due at its start). ``floor`` is the position
    it last started at: a pause or finish dated before it (a legal clock deferred to the next
    working day by ``late_receipt_next_day``) counts from there, so no time is negative.
    """

    __slots__ = (
        "allowance",
        "allowed",
        "amount",
        "anchor_at",
        "anchor_pos",
        "base",
        "due_read",
        "due_set",
        "finished_at",
        "finished_pos",
        "floor",
        "floor_at",
        "ops",
        "real",
        "seg",
        "settled",
        "started_at",
        "stopped_at_end",
        "waiting",
    )

    def __init__(
        self, allowance: Allowance | None, real: bool, record: bool,
        at: datetime | None = None, pos: int = 0, amount: int = -1,
    ) -> None:  # fmt: skip
        """A clock not started yet; or, given ``at`` (with its position and the ``amount``
        allowed), one started there."""
        self.allowance = allowance
        self.real = real
        self.allowed = amount
        self.base = 0
        self.seg: int | None = None if at is None else pos
        self.anchor_at: datetime | None = at
        self.anchor_pos = self.floor = pos
        self.floor_at: datetime | None = at
        self.amount = amount
        self.due_set: datetime | None = None
        # The last due resolved from the anchor, with the anchor it came from: a host that
        # keeps a case between commands reads the same due again and again.
        self.due_read: tuple[datetime, int, int, datetime] | None = None
        self.started_at: datetime | None = at
        self.finished_at: datetime | None = None
        self.finished_pos = 0
        self.waiting = False
        self.settled: datetime | None = None
        self.stopped_at_end = False
        self.ops: list[tuple[datetime, str, Event | None]] | None = [] if record else None

    # ------------------------------------------------------------------ operations

    def start(
        self, at: datetime, pos: int, amount: int, due: datetime | None, event: Event | None,
        op: str = "start",
    ) -> None:  # fmt: skip
        """Start (or restart from zero) with ``amount`` allowed."""
        if self.started_at is None:
            self.started_at = at
        self.allowed = amount
        self.base = 0
        self.seg = self.floor = pos
        self.floor_at = at
        self.anchor_at, self.anchor_pos, self.amount, self.due_set = at, pos, amount, due
        self.waiting = False
        if self.ops is not None:
            self.ops.append((at, op, event))

    def stop(self, at: datetime, pos: int, event: Event | None, op: str = "stop") -> None:
        if pos < self.floor:
            pos = self.floor
        if self.seg is not None:
            self.base += pos - self.seg
            self.seg = None
        if op == "wait":
            self.waiting = True
        if self.ops is not None:
            self.ops.append((at, op, event))

    def go(self, at: datetime, pos: int, event: Event | None) -> None:
        if self.seg is None and self.allowed >= 0:
            anchor = at
            if pos < self.floor:
                anchor, pos = self.floor_at or at, self.floor
            self.seg = pos
            left = self.allowed - self.base
            # Exactly nothing left (a zero budget, or a pause as the budget ran out): due the
            # instant it runs again. Already over: the due it ran out at stands.
            if left >= 0:
                self.anchor_at, self.anchor_pos, self.amount, self.due_set = (
                    anchor, pos, left, None,
                )  # fmt: skip
        if self.ops is not None:
            self.ops.append((at, "go", event))

    def grow(self, at: datetime, pos: int, amount: int) -> None:
        """More time allowed (a unit takes on another step); a running clock is re-anchored
        at ``at`` so its due moves by the same amount of working time."""
        self.allowed += amount
        if self.seg is not None:
            left = self.allowed - self.base - (pos - self.seg)
            if left >= 0:
                self.anchor_at, self.anchor_pos, self.amount, self.due_set = at, pos, left, None

    def credit(self, kernel: ClockKernel, amount: int, pos: int) -> None:
        """``amount`` more time allowed, granted at position ``pos`` (time the clock ran but
        that is not this clock's to answer for: a late answer to a consultation). Its due
        moves as if the time had been allowed from the start: a running clock is
        re-anchored at ``pos``; a stopped one anchors when it goes on; a finished one is
        judged against the due its total time allowed gives."""
        self.allowed += amount
        self.due_set = None
        if self.finished_at is not None:
            finished = self.finished_pos
            left = self.allowed - self.base
            # The due is where the clock, ending at ``finished``, had ``left`` to spare (or
            # had overspent it): within its last stretch of running time.
            target = finished + left
            self.anchor_pos = target
            self.anchor_at = kernel.instant(target, self.real) if left else self.finished_at
            self.amount = 0
            self.stopped_at_end = False
            return
        if self.seg is not None:
            left = self.allowed - self.base - (pos - self.seg)
            if left >= 0:
                self.anchor_at = kernel.instant(pos, self.real)
                self.anchor_pos, self.amount = pos, left
            else:
                target = pos + left  # ran out then, in this stretch of running time
                self.anchor_at = kernel.instant(target, self.real)
                self.anchor_pos, self.amount = target, 0

    def extend(self, kernel: ClockKernel, new_due: datetime, event: Event) -> None:
        due = self.due(kernel)
        if due is not None and new_due > due:
            real = self.real
            self.allowed += kernel.position_of(new_due, real) - kernel.position_of(due, real)
            self.due_set = new_due
        if self.ops is not None:
            self.ops.append((event.at, "extend_to", event))

    def end(self, at: datetime, pos: int, event: Event | None, settled: datetime) -> None:
        if pos < self.floor:
            pos = self.floor
        self.stopped_at_end = self.seg is None
        if self.seg is not None:
            self.base += pos - self.seg
            self.seg = None
        self.finished_at = at
        self.finished_pos = pos
        self.settled = settled
        if self.ops is not None:
            self.ops.append((at, "end", event))

    def note(self, at: datetime, event: Event) -> None:
        if self.ops is not None:
            self.ops.append((at, "note", event))

    # ------------------------------------------------------------------ reading

    def due(self, kernel: ClockKernel) -> datetime | None:
        """The due instant the clock runs to (not a projection); None before it starts and
        while it waits for a restart."""
        if self.allowed < 0 or self.waiting:
            return None
        if self.due_set is not None:
            return self.due_set
        at, pos, amount = self.anchor_at, self.anchor_pos, self.amount
        assert at is not None
        read = self.due_read
        if read is not None and read[0] is at and read[1] == pos and read[2] == amount:
            return read[3]
        due = kernel.advance(at, pos, amount, self.real)
        self.due_read = (at, pos, amount, due)
        return due

    def finish_due(self, kernel: ClockKernel) -> datetime:
        """The due a finished clock is judged against: the due it ran to; or, for a clock
        that ended while paused with time left, or while waiting for a restart, the due it
        would have had from its finish (its time was excluded, not spent)."""
        finished = self.finished_at
        assert finished is not None
        if self.waiting and self.allowance is not None:
            return self.allowance.budget.due(kernel.calendar, finished)
        left = self.allowed - self.base
        if self.stopped_at_end and left >= 0:
            return kernel.advance(finished, self.finished_pos, left, self.real)
        due = self.due(kernel)
        assert due is not None
        return due

    def finished_class(self, kernel: ClockKernel) -> ResultClass:
        """The class of the finished clock against :meth:`finish_due`, by
        :func:`~tthc_flow.engine._clocks.classify`."""
        finished = self.finished_at
        assert finished is not None
        if (
            self.due_set is None
            and self.amount > 0
            and not self.real
            and not self.waiting
            and not (self.stopped_at_end and self.allowed - self.base >= 0)
        ):
            target = self.anchor_pos + self.amount
            pos = self.finished_pos
            # Positions decide where they can, as classify would: a finish past the due's
            # position is after the due, and a finish on a day whose end lies short of the
            # due's position is on a day before the due's day.
            if pos > target:
                return _OVERDUE
            if pos < target:
                through = kernel.calendar.day_end_position(finished)
                return _EARLY if through < target else _ON_TIME
        return classify(finished, self.finish_due(kernel), kernel.calendar)


class Visit:
    """One stay of the case at a step (a rework visit is a new one): ``number`` counts the
    visits of that step, ``entered``/``left`` are the positions in the history of the events
    that opened and closed it (``left`` None while the case is there). Its clock is built
    when it is read (:meth:`CaseClocks.step_clocks`), from its entry, the case's pauses while
    it lasted, and its exit: reports, which read units, never pay for it."""

    __slots__ = (
        "credits",
        "enter_at",
        "enter_event",
        "enter_pos",
        "entered",
        "leave",
        "left",
        "number",
        "paused",
        "step",
        "unit",
    )

    def __init__(
        self, step: str, unit: str, number: int, entered: int, event: Event,
        at: datetime, pos: tuple[int, int], paused: bool,
    ) -> None:  # fmt: skip
        self.step = step
        self.unit = unit
        self.number = number
        self.entered = entered
        self.enter_event = event
        self.enter_at = at
        self.enter_pos = pos  # (working, real) positions
        self.paused = paused  # entered while the case was paused
        # Late answers to its consultations, not its unit's delay: (due, end, history index).
        self.credits: list[tuple[datetime, datetime, int]] = []
        self.left: int | None = None
        # (event, instant, (working, real) positions, settled) of the exit
        self.leave: tuple[Event, datetime, tuple[int, int], datetime] | None = None


_NO_CONSULTING: dict[str, Any] = {}
_NO_CREDITS: dict[str, Any] = {}
_NO_SPANS: list[tuple[int, int, bool]] = []


class Consultation:
    """An open consultation: the unit of the step that asked (the lead), when the answer is
    due, and the lead's visit (None when visits are not kept)."""

    __slots__ = ("due", "lead", "proceeded", "visit")

    def __init__(self, lead: str, due: datetime, visit: Visit | None) -> None:
        self.lead = lead
        self.due = due
        self.visit = visit
        self.proceeded = False  # the lead went on without the answer


def _union(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _running(intervals: list[tuple[int, int]], spans: list[tuple[int, int, bool]], at: int) -> int:
    """How much of ``intervals`` (positions) the case's steps were running: their length
    less the step pauses in ``spans`` (``at``: 0 working, 1 real positions)."""
    paused: list[tuple[int, int]] = []
    opened: int | None = None
    for span in spans:
        if span[2]:
            if opened is None:
                opened = span[at]
        elif opened is not None:
            paused.append((opened, span[at]))
            opened = None
    if opened is not None:
        paused.append((opened, 1 << 62))
    total = 0
    for start, end in intervals:
        total += end - start
        for stop, go in paused:
            overlap = min(end, go) - max(start, stop)
            if overlap > 0:
                total -= overlap
    return total


class UnitTrack(Track):
    """One unit's clock: all its visits on one track, allowed the budgets of the distinct
    steps it has had (each at its first visit): a rework visit to a step with a working
    budget gets no new time. A step under the same-day rule (the desk's transfer, Decree
    118/2025 Art. 18(2)) is the exception: that rule is set for each dossier sent on, so each
    visit is granted it again, from its entry (``again`` lists the later grants). ``active``
    counts the steps it holds the case at now."""

    __slots__ = ("active", "again", "answering", "asked_by", "consults", "steps")

    def __init__(
        self, real: bool, record: bool, step: str, at: datetime, pos: int, amount: int,
        event: Event,
    ) -> None:  # fmt: skip
        # Track.__init__ written out: a unit clock is made for every unit of every case.
        self.allowance = None
        self.real = real
        self.allowed = self.amount = amount
        self.base = self.finished_pos = 0
        self.seg = self.anchor_pos = self.floor = pos
        self.anchor_at = self.started_at = self.floor_at = at
        self.due_set = self.finished_at = self.settled = self.due_read = None
        self.waiting = self.stopped_at_end = False
        self.ops = [(at, "start", event)] if record else None
        self.steps: tuple[str, ...] = (step,)  # the steps it has had, in the order taken on
        self.again: tuple[str, ...] = ()  # same-day steps granted again on a later visit
        # The answers it owes or owed (budgets of the consultations put to it), and the steps
        # that asked for them.
        self.consults: tuple[Budget, ...] = ()
        self.asked_by: tuple[str, ...] = ()
        self.active = 1
        self.answering = 0  # of ``active``, the open consultations it owes an answer to


class CaseClocks:
    """The clocks of one case, folded event by event. Build it with
    :meth:`ClockKernel.start` (then :meth:`apply` each event) or :meth:`ClockKernel.fold`.
    """

    __slots__ = (
        "_position",
        "_view",
        "active",
        "arrived",
        "attributes",
        "closed",
        "consulting",
        "counts",
        "credited",
        "ending",
        "events",
        "finish_count",
        "flow",
        "halts",
        "history",
        "indicator",
        "indicator_open",
        "kernel",
        "latest",
        "legal",
        "legal_open",
        "notes",
        "off_path",
        "own",
        "plan",
        "real",
        "record",
        "requests",
        "spans",
        "step_open",
        "unit_of",
        "units",
        "visits",
        "with_visits",
        "working",
    )

    def __init__(
        self, kernel: ClockKernel, attributes: Mapping[str, Any], *, record: bool,
        visits: bool = True, indicator: bool = True, history: Sequence[Event] | None = None,
    ) -> None:  # fmt: skip
        self.kernel = kernel
        self.attributes = attributes
        self.record = record
        self.with_visits = visits
        plan = self.plan = kernel.plan(attributes)
        self.real = plan.real or kernel.consult_real
        # The case clock counts working time (reports average it only then).
        self.working = not plan.total.real and isinstance(plan.total.budget, WorkingBudget)
        total = plan.total
        self.legal = Track(total, total.real, record)
        # The indicator clock ends with the legal one; a report on the legal clock does
        # without it.
        self.indicator = Track(total, total.real, record) if indicator else None
        # The step visits, and the pauses of their clocks: (history index, instant,
        # positions, op, event); neither is kept without visits.
        self.visits: list[Visit] = [] if visits else _NO_VISITS
        self.halts: list[tuple[int, datetime, tuple[int, int], str, Event]] = (
            [] if visits else _NO_HALTS
        )
        self.counts: dict[str, int] = {} if visits else _NO_COUNTS
        # The steps the case is at, each with its visit (or None when visits are not kept).
        self.active: dict[str, Visit | None] = {}
        self.units: dict[str, UnitTrack] = {}
        # A case in parallel branches: its flow, the branches that reached each fork's join,
        # and the steps of branches that arrived before the last one (off the critical
        # path). None and shared empties for every other case.
        self.flow: Flow | None = None
        self.arrived: dict[str, frozenset[int]] = _NO_ARRIVALS
        self.off_path: set[str] = _NO_OFF_PATH
        # Open consultations by consulted unit; the late-answer time credited to each lead
        # unit so far; and the case's step pauses as (working, real positions, stop?), which
        # a late answer's credit leaves out.
        # (Shared empty containers until a case has consultations or pauses: most have none,
        # and a report folds millions of cases.)
        self.consulting: dict[str, Consultation] = _NO_CONSULTING
        self.credited: dict[str, tuple[list[tuple[datetime, datetime]], int]] = _NO_CREDITS
        self.spans: list[tuple[int, int, bool]] = _NO_SPANS
        self.legal_open = _NONE
        self.indicator_open = _NONE
        self.step_open = _NONE
        self.requests = 0
        self.ending: EventKind | None = None
        # How many events were folded when the legal clock finished (0 while it has not):
        # responsibility is read there (:meth:`delay_facts`).
        self.finish_count = 0
        self.closed = False  # every clock has ended
        self.latest: datetime | None = None
        # Every event applied, and (by index) the void flags and move sources that differ from
        # the defaults: a reading before the latest event refolds this prefix.
        # The owner of ``history`` (a case's event list) appends each event once applied;
        # without one, the fold keeps its own.
        self.own: list[Event] | None = [] if history is None else None
        self.history: Sequence[Event] = self.own if self.own is not None else history  # type: ignore[assignment]
        # Only events whose void flag or source differs from the default are noted.
        self.notes: dict[int, tuple[bool, str | None]] = _NO_NOTES
        self._position = kernel.calendar.position
        self.unit_of = kernel.unit_of
        self.events = 0
        self._view: tuple[datetime, CaseClocks] | None = None

    # ------------------------------------------------------------------ folding

    def apply(self, event: Event, *, void: bool = False, source: str | None = None) -> None:
        """Fold ``event`` in. ``void``: the event broke a rule, so it moves no clock.
        ``source`` is the step a handover or send-back leaves (default: every active step,
        which is the one step of a sequential procedure). A move to a step the procedure does
        not have moves nothing (audit mode records it as a violation)."""
        if type(event) is not Event and not isinstance(event, Event):
            raise InvalidInputError(
                f"apply takes an Event, got {type(event).__name__} {event!r:.60}.",
                value=event,
                hint="Read JSON with Event.from_json first.",
            )
        kind = event.kind
        t = event.at
        # Positions first: an instant outside the calendar raises before anything changes.
        pos = self._position(t)
        rpos = self.kernel.real_position(t) if self.real else 0
        own = self.own
        if own is not None:
            own.append(event)
        if void or source is not None:
            active = self.active
            if void or source not in active or len(active) != 1:
                if self.notes is _NO_NOTES:
                    self.notes = {}
                self.notes[self.events] = (void, source)
        self.events += 1
        if self._view is not None:
            self._view = None
        latest = self.latest
        if latest is None or t > latest:
            self.latest = latest = t
        if self.closed:
            return
        if kind is _HANDED_OVER or kind is _SENT_BACK:
            if self.flow is not None:
                self._parallel_move(event, source, t, pos, rpos)
                return
            # A move to a step the procedure does not have is recorded and moves nothing;
            # before the receipt there is nothing to leave or enter.
            target = event.target
            if target not in self.unit_of or self.legal.started_at is None:
                return
            active = self.active
            if len(active) == 1 and (source is None or source in active):
                (step,) = active
                if step != target:
                    # The one step the case is at hands over (every move of a sequential
                    # procedure).
                    visit = active.pop(step)
                    if visit is not None:
                        visit.left = self.events - 1
                        visit.leave = (event, t, (pos, rpos), latest)
                    unit_of = self.unit_of
                    name, to = unit_of[step], unit_of[target]
                    if name == to:
                        # The unit keeps the case: its clock runs on through the move (leaving
                        # and entering at one instant would stop it and set it going again at
                        # the same position), taking on the new step's time if it is new.
                        self._enter(target, event, t, pos, rpos, staying=True, name=to)
                        return
                    unit = self.units[name]
                    unit.active -= 1
                    if unit.active == 0:
                        unit.end(t, rpos if unit.real else pos, event, latest)
                    self._enter(target, event, t, pos, rpos, name=to)
                    return
            self._move(event, source, t, pos, rpos)
            return
        kernel = self.kernel
        if kind is _SUPPLEMENT_REQUESTED and self.ending is None:
            self.requests += 1
        if kind is _RECEIVED:
            if self.legal.started_at is None:
                self._receive(event, t, pos, rpos)
            return
        if void and kind._value_ in CLOCK_MOVE_VALUES:
            self._note(event, t)
            return
        if kind is _PAUSED or kind is _SUPPLEMENT_REQUESTED:
            effects = (
                kernel.supplement_effects
                if kind is _SUPPLEMENT_REQUESTED
                else kernel.effects.get(event.reason or "", (_NONE, _NONE, _NONE))
            )
            self.legal_open = self._halt(self.legal, effects[0], event, t, pos, rpos)
            if self.indicator is not None:
                self.indicator_open = self._halt(self.indicator, effects[1], event, t, pos, rpos)
            self.step_open = effects[2]
            if effects[2] is not _NONE:
                self._span(pos, rpos, True)
                if self.with_visits:
                    self.halts.append((self.events - 1, t, (pos, rpos), "stop", event))
                for unit in self._active_units():
                    unit.stop(t, rpos if unit.real else pos, event)
        elif kind is _RESUMED or (kind is _SUPPLEMENT_RECEIVED and event.complete):
            # The desk asked at reception for a dossier that restarts the time: the dossier
            # is received only now (Decree 118/2025 Art. 17(1)(c), 17(3)), so the desk's
            # own time (its same-day transfer, Art. 18) starts again from here too.
            anew = (
                kind is _SUPPLEMENT_RECEIVED
                and self.legal_open is _RESTART
                and list(self.active) == [kernel.first]
            )
            self._resume(self.legal, self.legal_open, event, t, pos, rpos)
            if self.indicator is not None:
                self._resume(self.indicator, self.indicator_open, event, t, pos, rpos)
            self.legal_open = self.indicator_open = _NONE
            if self.step_open is not _NONE:
                self._span(pos, rpos, False)
                if self.with_visits:
                    self.halts.append(
                        (self.events - 1, t, (pos, rpos), "restart" if anew else "go", event)
                    )
                for unit in self._active_units():
                    up = rpos if unit.real else pos
                    if anew:
                        allowance = self.plan.steps[kernel.first]
                        unit.start(t, up, *kernel.amount(allowance, unit.real, t, up), event,
                                   "restart")  # fmt: skip
                    else:
                        unit.go(t, up, event)
            self.step_open = _NONE
        elif kind is _RESCHEDULED:
            legal = self.legal
            if event.new_due is not None and legal.finished_at is None:
                legal.extend(kernel, event.new_due, event)
            if self.indicator is not None:
                self.indicator.note(t, event)
        elif kind._value_ in _FINISHES:
            settled = self.latest
            assert settled is not None
            for track in (self.legal, self.indicator):
                if track is not None and track.finished_at is None and track.started_at is not None:
                    track.end(t, rpos if track.real else pos, event, settled)
            if self.ending is None:
                self.ending = kind
                self.finish_count = self.events
            if kind is not _RESOLVED:
                for step in list(self.active):
                    self._leave(step, event, t, pos, rpos)
                for consulted in list(self.consulting):
                    self._close_consultation(consulted, event, t, pos, rpos)
                self.closed = True
        elif kind is _CONSULTED:
            self._consult(event, t, pos, rpos)
        elif kind is _ANSWERED or kind is _PROCEEDED:
            target = event.target
            consultation = None if target is None else self.consulting.get(target)
            if consultation is None or consultation.proceeded:
                self._note(event, t)  # nothing open: recorded, moves nothing
                if consultation is not None and kind is _ANSWERED:
                    self._close_consultation(target, event, t, pos, rpos)  # type: ignore[arg-type]
            elif kind is _ANSWERED:
                self._close_consultation(target, event, t, pos, rpos)  # type: ignore[arg-type]
            else:
                # The lead reports the delay and goes on (Art. 19(4)(c)): it waits no
                # longer, the consulted unit still owes its answer.
                self._credit(consultation, t, pos, rpos)
                consultation.proceeded = True
        else:
            self._note(event, t)

    # ------------------------------------------------------------------ consultations

    def _span(self, pos: int, rpos: int, stop: bool) -> None:
        if self.spans is _NO_SPANS:
            self.spans = []
        self.spans.append((pos, rpos, stop))

    def _consult(self, event: Event, t: datetime, pos: int, rpos: int) -> None:
        """A unit is consulted (Decree 118/2025 Art. 19(4)): its clock runs from now with
        the answer's budget, beside the lead unit's, and never stops the legal clock."""
        name = event.target
        active = self.active
        step = acting_step(active, event.step, event.unit, self.unit_of)
        allowance = None if step is None or name is None else self.kernel.consults.get((step, name))
        if allowance is None or name is None or step is None or name in self.consulting:
            self._note(event, t)  # not declared, or already open: recorded, moves nothing
            return
        unit = self.units.get(name)
        # The answer's time in the metric of the unit's clock (one it already has keeps its
        # own: working or calendar time).
        real = allowance.real if unit is None else unit.real
        up = rpos if real else pos
        amount = self.kernel.amount(allowance, real, t, up)[0]
        if unit is None:
            unit = self.units[name] = UnitTrack(real, self.record, step, t, up, amount, event)
            unit.steps = ()
        else:
            if unit.active == 0:
                # The answer is owed by the request's deadline: time the unit had to spare
                # on earlier work does not carry over into it.
                unit.allowed = unit.base + amount
                unit.finished_at = None
                if unit.seg is None:
                    unit.go(t, up, event)
            else:
                unit.grow(t, up, amount)
            unit.active += 1
        unit.answering += 1
        unit.consults += (allowance.budget,)
        unit.asked_by += (step,)
        due = allowance.budget.due(self.kernel.calendar, t)
        if self.consulting is _NO_CONSULTING:
            self.consulting = {}
        self.consulting[name] = Consultation(self.unit_of[step], due, active.get(step))

    def _close_consultation(
        self, name: str, event: Event, t: datetime, pos: int, rpos: int
    ) -> None:
        """An answer, or the case ending: the consulted unit's clock stops; unless the lead
        unit already went on without it, the time the lead waited past the answer's due (its
        clock running) is credited to it, as the consulted unit's delay."""
        consultation = self.consulting.pop(name)
        unit = self.units[name]
        unit.active -= 1
        unit.answering -= 1
        if unit.active == 0:
            assert self.latest is not None
            unit.end(t, rpos if unit.real else pos, event, self.latest)
        if not consultation.proceeded:
            self._credit(consultation, t, pos, rpos)

    def _credit(self, consultation: Consultation, t: datetime, pos: int, rpos: int) -> None:
        lead = self.units.get(consultation.lead)
        if lead is None:
            return
        # The lead waited from the answer's due to now, but no longer than it held the
        # case (a lead that handed on with the answer awaited, in audit mode, waits no more).
        end = t
        if lead.finished_at is not None and lead.finished_at < end:
            end = lead.finished_at
        if end <= consultation.due:
            return
        if self.credited is _NO_CREDITS:
            self.credited = {}
        intervals, credited = self.credited.get(consultation.lead, ([], 0))
        intervals.append((consultation.due, end))
        waited = self._waited(intervals, lead.real)
        self.credited[consultation.lead] = (intervals, waited)
        if waited > credited:
            lead.credit(self.kernel, waited - credited, rpos if lead.real else pos)
        visit = consultation.visit
        if visit is not None:
            visit.credits.append((consultation.due, end, self.events - 1))

    def _waited(self, intervals: list[tuple[datetime, datetime]], real: bool) -> int:
        """The running time (positions of the metric) in the union of ``intervals``, less
        the case's step pauses."""
        kernel = self.kernel
        spans = [
            (kernel.position_of(start, real), kernel.position_of(end, real))
            for start, end in intervals
        ]
        return _running(_union(spans), self.spans, 1 if real else 0)

    def _note(self, event: Event, t: datetime) -> None:
        if self.record:
            self.legal.note(t, event)
            if self.indicator is not None:
                self.indicator.note(t, event)

    def _receive(self, event: Event, t: datetime, pos: int, rpos: int) -> None:
        kernel = self.kernel
        if kernel.procedure.parallel:
            order = order_of_receipt(kernel.procedure, event.data)
            flow = flow_of(kernel.procedure, order or Order.PARALLEL)
            if flow.parallel:
                self.flow = flow
        legal, indicator = self.legal, self.indicator
        start = kernel.legal_start(t) if kernel.pack.late_receipt_next_day else t
        if start is t:
            lpos = rpos if legal.real else pos
        else:
            lpos = kernel.position_of(start, legal.real)
        total = self.plan.total
        legal.start(start, lpos, *kernel.amount(total, legal.real, start, lpos), event)
        if indicator is not None:
            ipos = rpos if indicator.real else pos
            indicator.start(t, ipos, *kernel.amount(total, indicator.real, t, ipos), event)
        self._enter(kernel.first, event, t, pos, rpos)

    def _halt(
        self, track: Track, effect: Effect, event: Event, t: datetime, pos: int, rpos: int
    ) -> Effect:
        if track.finished_at is not None or track.started_at is None:
            return _NONE
        if effect is _NONE:
            track.note(t, event)
        else:
            track.stop(t, rpos if track.real else pos, event,
                       "wait" if effect is _RESTART else "stop")  # fmt: skip
        return effect

    def _resume(
        self, track: Track, effect: Effect, event: Event, t: datetime, pos: int, rpos: int
    ) -> None:
        if track.finished_at is not None:
            return
        p = rpos if track.real else pos
        if effect is _RESTART:
            assert track.allowance is not None
            track.start(t, p, *self.kernel.amount(track.allowance, track.real, t, p), event,
                        "restart")  # fmt: skip
        elif effect is _PAUSE:
            track.go(t, p, event)

    def _stop(self, track: Track, event: Event, t: datetime, pos: int, rpos: int) -> None:
        track.stop(t, rpos if track.real else pos, event)

    def _active_units(self) -> list[UnitTrack]:
        """The units holding the case, whose clocks a pause stops: not a unit that only owes
        an answer (its deadline is a date set in the request, which a pause of the case
        does not move)."""
        return [unit for unit in self.units.values() if unit.active > unit.answering]

    def _enter(
        self, step: str, event: Event, t: datetime, pos: int, rpos: int, *,
        staying: bool = False, name: str | None = None,
    ) -> None:  # fmt: skip
        """Open a visit of ``step`` (and the unit's clock; ``staying``: the unit already holds
        the case and its clock runs on; ``name``: the step's unit, when known)."""
        allowance = self.plan.steps[step]
        paused = self.step_open is not _NONE
        if name is None:
            name = self.unit_of[step]
        if self.with_visits:
            number = self.counts[step] = self.counts.get(step, 0) + 1
            visit = Visit(step, name, number, self.events - 1, event, t, (pos, rpos), paused)
            self.visits.append(visit)
            self.active[step] = visit
        else:
            self.active[step] = None
        unit = self.units.get(name)
        if unit is None:
            real = allowance.real
            up = rpos if real else pos
            fixed = allowance.fixed
            amount = (
                fixed
                if fixed is not None and not real
                else self.kernel.amount(allowance, real, t, up)[0]
            )
            unit = self.units[name] = UnitTrack(real, self.record, step, t, up, amount, event)
            if paused:
                # A case handed over while paused starts its next step paused.
                unit.stop(t, up, event)
            return
        up = rpos if unit.real else pos
        if step not in unit.steps:
            unit.steps += (step,)
            fixed = allowance.fixed
            amount = (
                fixed
                if fixed is not None and not unit.real
                else self.kernel.amount(allowance, unit.real, t, up)[0]
            )
            unit.grow(t, up, amount)
        elif allowance.again:
            # The same-day rule again, from this entry: the desk sends each dossier on the
            # day it has it, however often it comes back (Art. 18(2)).
            unit.again += (step,)
            unit.grow(t, up, self.kernel.amount(allowance, unit.real, t, up)[0])
        if staying:
            return
        if unit.active == 0:
            unit.finished_at = None
            if unit.seg is None:
                unit.go(t, up, event)
        unit.active += 1
        if paused and unit.seg is not None:
            # A case handed over while paused starts its next step paused.
            unit.stop(t, up, event)

    def _leave(self, step: str, event: Event, t: datetime, pos: int, rpos: int) -> None:
        """Close the visit of ``step`` (and stop the unit's clock when it holds the case no
        more)."""
        assert self.latest is not None
        visit = self.active.pop(step)
        if visit is not None:
            visit.left = self.events - 1
            visit.leave = (event, t, (pos, rpos), self.latest)
        unit = self.units[self.kernel.unit_of[step]]
        unit.active -= 1
        if unit.active == 0:
            unit.end(t, rpos if unit.real else pos, event, self.latest)

    def _parallel_move(
        self, event: Event, source: str | None, t: datetime, pos: int, rpos: int
    ) -> None:
        """A move of a case in parallel branches, as :meth:`Flow.move` says: the steps it
        leaves and enters. A move from a step the case is not at, or to a step the
        procedure does not have, is recorded and moves nothing."""
        flow = self.flow
        assert flow is not None
        target = event.target
        active = self.active
        if self.legal.started_at is None or (target is not None and target not in self.unit_of):
            self._note(event, t)
            return
        step = source if source is not None and source in active else acting_step(
            active, event.step, event.unit, self.unit_of
        )
        if step is None:
            self._note(event, t)
            return
        left, entered, arrived = flow.move(
            list(active), self.arrived, step, target, back=event.kind is _SENT_BACK
        )
        if not left and not entered:
            self._note(event, t)
            return
        for key in left:
            if key in active:
                self._leave(key, event, t, pos, rpos)
        if self.arrived is _NO_ARRIVALS and arrived:
            self.arrived = {}
        for fork, done in arrived.items():
            if done:
                self.arrived[fork] = done
                continue
            self.arrived.pop(fork, None)
            join = flow.forks[fork].join
            if join in entered and step in flow.forks[fork].inside:
                # The join starts: the branch that arrived last was the critical one, the
                # others' steps were off the case's critical path.
                last = flow.forks[fork].branch_of(step)
                if self.off_path is _NO_OFF_PATH:
                    self.off_path = set()
                for index, region in enumerate(flow.forks[fork].regions):
                    if index != last:
                        self.off_path |= region
                    else:
                        self.off_path -= region
        for key in entered:
            if key in active:
                self._leave(key, event, t, pos, rpos)
            self._enter(key, event, t, pos, rpos)

    def _move(self, event: Event, source: str | None, t: datetime, pos: int, rpos: int) -> None:
        """Any other move: leave the source step (or every active step), and the target if
        the case is already there, then enter the target."""
        active = self.active
        target = event.target
        assert target is not None
        if source is not None and source not in active:
            source = None
        leave = self._leave
        if source is not None:
            leave(source, event, t, pos, rpos)
        else:
            for step in list(active):
                leave(step, event, t, pos, rpos)
        if target in active:
            leave(target, event, t, pos, rpos)
        self._enter(target, event, t, pos, rpos)

    # ------------------------------------------------------------------ views

    def view(self, at: datetime) -> CaseClocks:
        """The clocks as the history stood at ``at``: this fold when no event is dated
        after ``at``, else a fold of the events recorded before the first one dated after
        it."""
        latest = self.latest
        try:
            if latest is None or at >= latest:
                if latest is None:
                    aware(at)
                return self
        except TypeError:
            aware(at)  # a naive datetime, a date, a string: say which, with the fix
            raise
        cached = self._view
        if cached is not None and cached[0] == at:
            return cached[1]
        prefix = self._again(self.events, until=at)
        self._view = (at, prefix)
        return prefix

    def _again(
        self, count: int, *, until: datetime | None = None, record: bool | None = None
    ) -> CaseClocks:
        """A new fold of the first ``count`` events (stopping at the first one dated after
        ``until``), with the same settings (``record`` as asked)."""
        again = self.kernel.start(
            self.attributes, record=self.record if record is None else record,
            visits=self.with_visits or bool(record), indicator=self.indicator is not None,
        )  # fmt: skip
        notes = self.notes
        for number, event in enumerate(self.history[:count]):
            if until is not None and event.at > until:
                break
            void, source = notes.get(number, _PLAIN)
            again.apply(event, void=void, source=source)
        return again

    def prefix(self, count: int) -> CaseClocks:
        """The clocks as they stood after the first ``count`` events (before event number
        ``count``): what a check, or a form, saw just before that event. ``count`` is a
        whole number from 0 (the clocks before any event)."""
        if type(count) is not int or count < 0:
            raise InvalidInputError(
                f"count must be a whole number of events from 0, got {count!r}.",
                value=count,
                hint="Pass how many of the case's events to fold, e.g. prefix(3).",
            )
        if count >= self.events:
            return self
        return self._again(count)

    # ------------------------------------------------------------------ readings

    def legal_clock(self, at: datetime) -> ClockReading:
        """The legal clock at ``at``."""
        view = self.view(at)
        return view._reading("legal", view.legal, at, view.plan.total.budget)

    def indicator_clock(self, at: datetime) -> ClockReading:
        """The Decision 766/QĐ-TTg indicator clock at ``at``."""
        view = self.view(at)
        if view.indicator is None:
            raise InvalidInputError(
                "this fold keeps no indicator clock (it was started with indicator=False).",
                value=at,
                hint="Start the fold with indicator=True to read the Decision 766 clock.",
            )
        return view._reading(
            "indicator", view.indicator, at, view.plan.total.budget, forced=view._forced()
        )

    def step_clocks(self, at: datetime) -> list[ClockReading]:
        """One clock per step visit at ``at``, in the order the visits began."""
        view = self.view(at)
        readings = []
        for visit in view.visits:
            track = view._visit_track(visit)
            readings.append(
                view._reading(
                    f"step:{visit.step}#{visit.number}", track, at,
                    view.plan.steps[visit.step].budget, step=visit.step, unit=visit.unit,
                    visit=visit.number,
                )
            )  # fmt: skip
        return readings

    def _visit_track(self, visit: Visit) -> Track:
        """A visit's clock: started at its entry with its step's allowance, stopped and gone on
        with the case's pauses while it lasted, ended at its exit."""
        allowance = self.plan.steps[visit.step]
        real = allowance.real
        track = Track(allowance, real, self.record)
        at, positions = visit.enter_at, visit.enter_pos
        p = positions[1] if real else positions[0]
        track.start(at, p, *self.kernel.amount(allowance, real, at, p), visit.enter_event)
        if visit.paused:
            track.stop(at, p, visit.enter_event)
        halts = self.halts
        begin = bisect_right(halts, visit.entered, key=_index_of)
        end = len(halts) if visit.left is None else bisect_left(halts, visit.left, key=_index_of)
        for _, t, where, op, event in halts[begin:end]:
            q = where[1] if real else where[0]
            if op == "stop":
                track.stop(t, q, event)
            elif op == "restart":
                track.start(t, q, *self.kernel.amount(allowance, real, t, q), event, "restart")
            else:
                track.go(t, q, event)
        if visit.leave is not None:
            event, t, where, settled = visit.leave
            track.end(t, where[1] if real else where[0], event, settled)
        if visit.credits:
            # Late answers to the step's consultations, credited as its unit's clock was,
            # once for overlapping waits, in the step clock's own metric.
            credited = 0
            done: list[tuple[datetime, datetime]] = []
            for start, finish, _ in visit.credits:
                done.append((start, finish))
                waited = self._waited(done, real)
                if waited > credited:
                    track.credit(self.kernel, waited - credited,
                                 self.kernel.position_of(finish, real))  # fmt: skip
                    credited = waited
        return track

    def unit_clocks(self, at: datetime) -> dict[str, ClockReading]:
        """One clock per unit at ``at``, in the order the units first held the case."""
        view = self.view(at)
        return {
            name: view._reading(
                f"unit:{name}", unit, at,
                _sum([*(view.plan.steps[step].budget for step in unit.steps + unit.again),
                      *unit.consults]), unit=name,
            )
            for name, unit in view.units.items()
        }

    def legal_due(self, at: datetime) -> datetime | None:
        """The legal due instant at ``at`` (projected while paused; None while the
        applicant is awaited or before receipt), without building a reading."""
        view = self.view(at)
        return view._due_of(view.legal, at)

    def dues(self, at: datetime) -> Dues:
        """The due instants at ``at`` of every clock a host watches, without building
        readings: those :meth:`legal_clock`, :meth:`indicator_clock`, :meth:`step_clocks` and
        :meth:`unit_clocks` give as ``due``. ``step`` is the soonest among the steps the
        case is at, ``unit`` the soonest among the units holding it (at a step, or owing an
        answer to a consultation); a clock stopped, waiting for the applicant or not
        started has none (None)."""
        view = self.view(at)
        due_of = view._due_of
        legal = due_of(view.legal, at)
        indicator = None if view.indicator is None else due_of(view.indicator, at)
        soonest_step: datetime | None = None
        for visit in view.active.values():
            if visit is not None:
                track = view._visit_track(visit)
                due = None if track.finished_at is not None else due_of(track, at)
                if due is not None:
                    soonest_step = due if soonest_step is None else min(soonest_step, due)
        soonest_unit: datetime | None = None
        for unit in view.units.values():
            if unit.active and unit.finished_at is None:
                due = due_of(unit, at)
                if due is not None:
                    soonest_unit = due if soonest_unit is None else min(soonest_unit, due)
        return Dues(legal, indicator, soonest_step, soonest_unit)

    def legal_late(self, at: datetime) -> bool:
        """Whether the legal clock is overdue at ``at``."""
        view = self.view(at)
        return view._figures(view.legal, at, None, due=False)[5].overdue

    def overrun_units(self, at: datetime) -> list[str]:
        """The units whose own clock is overdue at ``at``, among those that held a step: the
        units that may apologise for a delay they caused. A unit that was only consulted
        answers to the lead unit, which reports its delay (Decree 118/2025 Art. 19(4)(c));
        the apology and new date are the handling agency's (Art. 19(6)). Who delayed the
        case, consulted units included, is :meth:`responsible_units`."""
        view = self.view(at)
        kernel = view.kernel
        positions: dict[bool, int] = {}
        found = []
        for name, unit in view.units.items():
            if not unit.steps:
                continue
            if unit.finished_at is not None:
                late = unit.finished_class(kernel) is _OVERDUE
            else:
                real = unit.real
                p = positions.get(real)
                if p is None:
                    p = positions[real] = kernel.position_of(at, real)
                late = view._running_late(unit, at, p)
            if late:
                found.append(name)
        return found

    def responsible_units(self, at: datetime) -> list[str]:
        """The units that delayed the case, as it stood at ``at`` (:meth:`delay_facts`):
        the units a report's responsibility names."""
        return [fact[0] for fact in self.delay_facts(at)]

    def delay_facts(self, at: datetime) -> list[tuple[Any, ...]]:
        """The units that delayed the case, as :meth:`unit_facts` gives them: each unit whose
        own clock had overrun when the legal clock finished, if it had by ``at`` (the clocks
        as folded through the event that finished it, read at its instant), else at ``at``;
        less, in a case that ran parallel branches, a unit whose steps all lay in branches
        that reached their join before the last one (its overrun was off the critical path:
        the join waited for another branch anyway). A consulted unit whose answer was late
        is one of them (the lead's wait past the answer's due is credited to the lead: the
        delay is the consulted unit's, Decree 118/2025 Art. 19(4)(b)), unless every step
        that consulted it lay off the critical path. Time a unit spent after the case's clock
        stopped (the desk returning the result, the unit that resolved the case and has not
        handed it on) did not make the case late."""
        return self.view(at)._delays(at, None)

    def _delays(
        self, at: datetime, found: list[tuple[Any, ...]] | None
    ) -> list[tuple[Any, ...]]:
        """:meth:`delay_facts` of this fold (already the view at ``at``); ``found``: its
        :meth:`_unit_facts` at ``at``, when read."""
        count = self.finish_count
        finished = self.legal.finished_at
        if count and finished is not None:
            fold = self if count == self.events else self._again(count)
            found = fold._unit_facts(finished)
        elif found is None:
            found = self._unit_facts(at)
        return [fact for fact in found if fact[1].overdue and fact[6]]

    def active_units(self, at: datetime) -> list[str]:
        """The units holding the case at ``at``."""
        view = self.view(at)
        return list(dict.fromkeys(view.kernel.unit_of[step] for step in view.active))

    def active_steps(self) -> list[str]:
        return list(self.active)

    # ------------------------------------------------------------------ facts for reports

    def case_facts(self, at: datetime, legal: bool) -> tuple[Any, ...]:
        """``(result, finished_at, ending, allowed µs, elapsed µs, working, settled_at)`` of
        the legal (or indicator) clock at ``at``: what a report counts of the case."""
        view = self.view(at)
        track = view.legal if legal else view.indicator
        if track is None:
            raise InvalidInputError(
                "this fold keeps no indicator clock (it was started with indicator=False).",
                value=at,
                hint="Start the fold with indicator=True to read the Decision 766 clock.",
            )
        finished = track.finished_at
        forced = None if legal else view._forced()
        if finished is not None and forced is None and view.ending is not _CLOSED:
            # Finished (the common case in a report): its figures are its own.
            result, allowed, elapsed = track.finished_class(view.kernel), track.allowed, track.base
        else:
            _, allowed, elapsed, _, _, result = view._figures(track, at, forced, due=False)
        return (
            result,
            finished,
            view.ending if finished is not None else None,
            allowed,
            elapsed,
            view.working,
            track.settled if finished is not None else None,
        )

    def facts(self, at: datetime, legal: bool, units: bool) -> tuple[Any, ...]:
        """:meth:`case_facts` and, with ``units``, :meth:`unit_facts` and the units that
        delayed the case (:meth:`delay_facts`; empty unless the case is overdue on the
        chosen clock), else None and None, in one tuple: what a report reads of a case at
        ``at``."""
        case = self.case_facts(at, legal)
        if not units:
            return (*case, None, None)
        view = self.view(at)
        found = view._unit_facts(at)
        return (*case, found, view._delays(at, found) if case[0].overdue else [])

    def unit_facts(self, at: datetime) -> list[tuple[Any, ...]]:
        """``(unit, result, allowed µs, elapsed µs, started_at, finished_at, critical)`` of
        each unit's clock at ``at``; ``critical`` is False for a unit whose steps, and the
        steps that consulted it, all lay in parallel branches that reached their join before
        the last one (its overrun, if any, did not delay the case: :meth:`delay_facts`)."""
        return self.view(at)._unit_facts(at)

    def _unit_facts(self, at: datetime) -> list[tuple[Any, ...]]:
        """:meth:`unit_facts` of this fold as it stands, read at ``at``."""
        kernel = self.kernel
        off = self.off_path
        found: list[tuple[Any, ...]] = []
        for name, unit in self.units.items():
            critical = _on_path(unit, off)
            if unit.finished_at is not None:
                # A unit that holds the case no more (the common case in a report).
                found.append((
                    name, unit.finished_class(kernel), unit.allowed, unit.base,
                    unit.started_at, unit.finished_at, critical,
                ))  # fmt: skip
                continue
            _, allowed, elapsed, _, _, result = self._figures(unit, at, None, due=False)
            found.append((name, result, allowed, elapsed, unit.started_at, None, critical))
        return found

    def visit_list(self) -> list[Visit]:
        """The step visits so far, in order (``Visit.entered`` and ``Visit.left`` index
        :meth:`recorded`)."""
        return list(self.visits)

    def recorded(self) -> list[Event]:
        """The events folded so far, in the order they were applied."""
        return list(self.history[: self.events])

    # ------------------------------------------------------------------ internals

    def _forced(self) -> str | None:
        """Why the indicator clock is overdue whatever its time: more than one supplement
        request (Decision 766/QĐ-TTg, as a secondary source reads it). ``requests`` counts
        the requests recorded before the case first finished, void ones included: an
        unlawful second request is still the second request the applicant was sent."""
        if self.requests > 1:
            return (
                f"{self.requests} supplement requests (more than one counts as overdue, "
                "Quyết định 766/QĐ-TTg)"
            )
        return None

    def _figures(
        self, track: Track, at: datetime, forced: str | None, *, due: bool = True
    ) -> tuple[ClockStatus, int, int, datetime | None, datetime | None, ResultClass]:
        """(status, allowed, elapsed, due, projected due, result) of ``track`` at ``at``."""
        kernel = self.kernel
        if track.started_at is None:
            return ClockStatus.NOT_STARTED, 0, 0, None, None, _OPEN
        real = track.real
        seg = track.seg
        if track.finished_at is not None:
            elapsed = track.base
            closed = self.ending is _CLOSED and (track is self.legal or track is self.indicator)
            if forced:
                result = _OVERDUE
            elif closed:
                result = ResultClass.CLOSED
            else:
                result = track.finished_class(kernel)
            if track.waiting:
                when = track.finish_due(kernel) if due else None
                # It ended while the applicant was awaited: it never had a due; it is judged
                # against the full budget from its finish, given as the projection.
                return ClockStatus.STOPPED, track.allowed, elapsed, None, when, result
            when = self._due_of(track, at) if due else None
            return ClockStatus.STOPPED, track.allowed, elapsed, when, None, result
        p = kernel.position_of(at, real)
        if p < track.floor:
            p = track.floor
        elapsed = track.base + (p - seg if seg is not None else 0)
        remaining = track.allowed - elapsed
        if track.waiting:
            projected = None
            if due and track.allowance is not None:
                projected = track.allowance.budget.due(kernel.calendar, at)
            result = _LATE if forced else _OPEN
            return ClockStatus.WAITING, track.allowed, elapsed, None, projected, result
        late = forced is not None or self._late(track, at, remaining)
        when = self._due_of(track, at, p) if due else None
        if seg is None:
            return ClockStatus.PAUSED, track.allowed, elapsed, when, None, _LATE if late else _OPEN
        return ClockStatus.RUNNING, track.allowed, elapsed, when, None, _LATE if late else _OPEN

    def _due_of(self, track: Track, at: datetime, p: int | None = None) -> datetime | None:
        """The due :meth:`_figures` gives for ``track`` at ``at`` (``p``: the position of
        ``at`` in its metric, when known), without its other figures: None before the clock
        starts and while it waits for the applicant; a finished clock's :meth:`Track.finish_due`;
        a running clock's due; a paused one's projected from ``at`` with the time it has left
        (its due as it stood when that is nothing or less)."""
        if track.started_at is None or track.waiting:
            return None
        kernel = self.kernel
        if track.finished_at is not None:
            return track.finish_due(kernel)
        if track.seg is not None:
            return track.due(kernel)
        remaining = track.allowed - track.base
        if remaining <= 0:
            return track.due(kernel)
        real = track.real
        if p is None:
            p = kernel.position_of(at, real)
            if p < track.floor:
                p = track.floor
        return kernel.advance(at, p, remaining, real)

    def _late(self, track: Track, at: datetime, remaining: int) -> bool:
        """Whether a started clock that has not finished and is not waiting, with
        ``remaining`` left at ``at``, is overdue there: time overspent; or, with exactly
        nothing left, a running clock past its due instant (a paused one is not)."""
        if remaining != 0:
            return remaining < 0
        if track.seg is None:
            return False
        deadline = track.due(self.kernel)
        assert deadline is not None
        return at > deadline

    def _running_late(self, track: Track, at: datetime, p: int) -> bool:
        """Whether an unfinished ``track`` is overdue at ``at`` (at position ``p`` of its
        metric), as :meth:`_figures` says, without its other figures."""
        if track.started_at is None or track.waiting:
            return False
        seg = track.seg
        if p < track.floor:
            p = track.floor
        elapsed = track.base + (p - seg if seg is not None else 0)
        return self._late(track, at, track.allowed - elapsed)

    def _reading(
        self, name: str, track: Track, at: datetime, budget: Budget, *,
        forced: str | None = None, step: str | None = None, unit: str | None = None,
        visit: int | None = None,
    ) -> ClockReading:  # fmt: skip
        status, allowed, elapsed, due, projected, result = self._figures(track, at, forced)
        ops = track.ops
        if ops is not None:
            count = len(ops)
            history = lambda: _marks(ops, count, self.kernel)  # noqa: E731
        else:
            history = lambda: self._history(name, at)  # noqa: E731
        return ClockReading(
            name, at, status, budget,
            timedelta(microseconds=allowed), timedelta(microseconds=elapsed),
            timedelta(microseconds=allowed - elapsed), due, track.started_at,
            track.finished_at, result, step, unit, forced, projected, visit,
            history=history,
        )  # fmt: skip

    def _history(self, name: str, at: datetime) -> tuple[Mark, ...]:
        """The marks of clock ``name`` as the history stood at ``at``: the events folded
        again with every clock keeping its history (only an explanation pays for it)."""
        view = self._again(self.events, record=True).view(at)
        track: Track | None
        if name == "legal":
            track = view.legal
        elif name == "indicator":
            track = view.indicator
        elif name.startswith("unit:"):
            track = view.units[name[5:]]
        else:
            step, visit_number = name[5:].rsplit("#", 1)
            visit = next(
                v for v in view.visits if v.step == step and v.number == int(visit_number)
            )
            track = view._visit_track(visit)
        if track is None:
            return ()
        ops = track.ops or []
        return _marks(ops, len(ops), self.kernel)


_PLAIN: tuple[bool, str | None] = (False, None)
# Shared, never appended to: folds that keep no visits.
_NO_VISITS: list[Visit] = []
_NO_HALTS: list[tuple[int, datetime, tuple[int, int], str, Event]] = []
_NO_COUNTS: dict[str, int] = {}
_NO_NOTES: dict[int, tuple[bool, str | None]] = {}


def _on_path(unit: UnitTrack, off: set[str]) -> bool:
    """Whether ``unit`` may have delayed the case: not every step it held, or that consulted
    it, lay in branches that reached their join before the last one (a late answer delays
    the case only through the step that waited for it)."""
    if not off:
        return True
    return any(step not in off for step in unit.steps) or any(
        step not in off for step in unit.asked_by
    )
_NO_ARRIVALS: dict[str, frozenset[int]] = {}
_NO_OFF_PATH: set[str] = set()


def _index_of(halt: tuple[int, datetime, tuple[int, int], str, Event]) -> int:
    return halt[0]


def _none() -> tuple[Mark, ...]:
    return ()


def _sum(budgets: Sequence[Budget]) -> Budget:
    """The budget a unit's clock shows: its steps' budgets added when they add up (working
    budgets; calendar budgets of one unit), else listed."""
    total = budgets[0]
    for extra in budgets[1:]:
        try:
            total = total + extra  # type: ignore[operator]
        except (TypeError, BudgetError):
            return BudgetSum(tuple(budgets))
    return total


_OP_NOTES = {
    "start": "bắt đầu tính (the clock starts)",
    "restart": "tính lại từ đầu (the budget restarts from zero)",
    "stop": "tạm dừng (paused)",
    "wait": "chờ người nộp bổ sung; thời hạn sẽ tính lại từ đầu (awaiting the applicant)",
    "go": "tiếp tục (resumed)",
    "end": "kết thúc (finished)",
    "note": "không làm thay đổi đồng hồ này (moves nothing on this clock)",
}


def _marks(
    ops: list[tuple[datetime, str, Event | None]], count: int, kernel: ClockKernel
) -> tuple[Mark, ...]:
    marks = []
    for at, op, event in ops[:count]:
        what = event.kind.label if event is not None else ""
        note = f"{what}: {_OP_NOTES.get(op, op)}" if what else _OP_NOTES.get(op, op)
        if event is not None and event.kind is _PAUSED:
            rule = kernel.pack.reasons.get(event.reason or "")
            note += f" — {rule.name_en if rule else repr(event.reason)}"
        if op == "note" and event is not None and event.kind._value_ in CLOCK_MOVE_VALUES:
            # Only a clock move that broke a rule is left out; any other event with
            # violations (a wrong unit's handover, in audit mode) still moved the clock.
            note += " — vi phạm, không tính (broke a rule: moves no clock)"
        new_due = event.new_due if op == "extend_to" and event is not None else None
        if op == "extend_to":
            note = f"xin lỗi, hẹn lại (apology): {event.reason if event else ''}"
        marks.append(Mark(at, op, note, new_due))
    return tuple(marks)

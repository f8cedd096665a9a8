"""Clocks: pure folds over a case's events, read at any instant.

Each clock is a *track* of marks (start, stop, go, restart, extend, end) built from the events
by the rules of that clock, then evaluated at an instant ``at`` by one function. Three kinds:

- the **legal clock** (thời hạn giải quyết theo quy định): the published total (with the
  case's adjustments); pauses exclude time, a complete supplement restarts the budget from
  zero, an apology with a new date extends it to that date; pauses the pack does not allow do
  not stop it;
- one clock per **step visit** and per **unit**: their own budgets, so each unit's lateness is
  visible (Circular 01/2018, indicator 2);
- the **indicator clock** of Decision 766/QĐ-TTg: supplement time subtracted instead of
  restarting, no extension by apology, and more than one supplement request counts as overdue.

Result classes: **early** (finished on a day before the due day), **on time** (on the due day,
not after the due instant), **overdue** (after it), or still **in progress** (overdue or not).
A due at 00:00 (24:00 of a Civil Code period) belongs to the day before.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from tthc_flow.calendar import WorkingCalendar, format_instant
from tthc_flow.engine.budgets import Budget, WorkingBudget
from tthc_flow.engine.events import Event, EventKind
from tthc_flow.engine.rules import Effect, PauseRule, RulePack
from tthc_flow.engine.state import due_day

if TYPE_CHECKING:
    from tthc_flow.engine.definitions import Procedure

__all__ = [
    "ClockReading",
    "ClockStatus",
    "ResultClass",
    "indicator_clock",
    "legal_clock",
    "step_clocks",
    "unit_clocks",
]

ZERO = timedelta(0)


class ClockStatus(enum.Enum):
    """Whether a clock is running at the instant it is read."""

    NOT_STARTED = "chưa bắt đầu (not started)"
    RUNNING = "đang tính (running)"
    PAUSED = "tạm dừng (paused)"
    STOPPED = "đã kết thúc (stopped)"


class ResultClass(enum.Enum):
    """Result class of a case, step or unit (trước hạn / đúng hạn / quá hạn / đang giải quyết)."""

    EARLY = "trước hạn (early)"
    ON_TIME = "đúng hạn (on time)"
    OVERDUE = "quá hạn (overdue)"
    IN_PROGRESS = "đang giải quyết, trong hạn (in progress)"
    IN_PROGRESS_OVERDUE = "đang giải quyết, quá hạn (in progress, overdue)"

    @property
    def overdue(self) -> bool:
        return self in (ResultClass.OVERDUE, ResultClass.IN_PROGRESS_OVERDUE)


@attrs.frozen
class Mark:
    """One point of a clock's track."""

    at: datetime
    op: str  # start | stop | go | restart | extend_to | end
    note: str = ""
    new_due: datetime | None = None


@attrs.frozen
class ClockReading:
    """What a clock says at ``at``.

    ``allowed`` is the working (or, for calendar budgets, real) time the clock allows, the
    budget plus any extension; ``elapsed`` what it has used; ``remaining`` the difference
    (negative when overdue); ``share_used`` elapsed / allowed (None for a zero budget); ``due``
    the due instant (projected from ``at`` while paused).
    """

    name: str
    at: datetime
    status: ClockStatus
    budget: Budget
    allowed: timedelta
    elapsed: timedelta
    remaining: timedelta
    due: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    result: ResultClass
    step: str | None = None
    unit: str | None = None
    forced_overdue: str | None = None
    marks: tuple[Mark, ...] = attrs.field(default=(), repr=False)

    @property
    def share_used(self) -> Fraction | None:
        if self.allowed <= ZERO:
            return None
        return Fraction(self.elapsed // timedelta(microseconds=1)) / Fraction(
            self.allowed // timedelta(microseconds=1)
        )

    @property
    def overdue(self) -> bool:
        return self.result.overdue

    def explain(self, calendar: WorkingCalendar) -> str:
        """Why the due instant is what it is, in an officer's words."""
        lines = []
        for mark in self.marks:
            if mark.at > self.at:
                break
            lines.append(f"{format_instant(mark.at.astimezone(calendar.tz))}: {mark.note}")
        lines.insert(1 if lines else 0, f"Thời hạn (budget): {self.budget.label} ({self.budget})")
        if self.started_at is not None and self.due is not None:
            for info in calendar.notable_days(self.started_at, max(self.due, self.started_at)):
                lines.append(f"  {info}")
        if self.forced_overdue:
            lines.append(f"Quá hạn (overdue): {self.forced_overdue}")
        if self.due is not None:
            projected = " (if resumed now)" if self.status is ClockStatus.PAUSED else ""
            lines.append(
                f"Hạn (due): {format_instant(self.due.astimezone(calendar.tz))}{projected}"
            )
        lines.append(f"Kết quả (result): {self.result.value}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------- evaluation


def _metric(
    calendar: WorkingCalendar, budget: Budget
) -> tuple[
    Callable[[datetime, datetime], timedelta],
    Callable[[datetime, timedelta], datetime],
    Callable[[datetime], timedelta],
]:
    """(measure, advance, allowance) for a budget: working time for working budgets, real
    time for calendar ones (whose allowance at an anchor applies the Civil Code rule)."""
    if isinstance(budget, WorkingBudget):
        fixed = budget.timedelta
        return calendar.working_time_between, calendar.add_working_time, lambda _a: fixed

    def allowance(anchor: datetime) -> timedelta:
        return budget.due(calendar, anchor) - anchor

    return (lambda a, b: b - a), (lambda t, d: t + d), allowance


def evaluate(
    name: str,
    marks: Iterable[Mark],
    budget: Budget,
    calendar: WorkingCalendar,
    at: datetime,
    *,
    step: str | None = None,
    unit: str | None = None,
    forced_overdue: str | None = None,
) -> ClockReading:
    """Read a track at ``at``. Marks after ``at`` are ignored, so a reading at any past
    instant is what the clock said then."""
    measure, advance, allowance = _metric(calendar, budget)
    marks = tuple(marks)
    base = ZERO  # elapsed before the running segment
    seg: datetime | None = None  # start of the running segment
    allowed: timedelta | None = None
    due: datetime | None = None
    started: datetime | None = None
    finished: datetime | None = None
    for mark in marks:
        if mark.at > at:
            break
        op = mark.op
        if op in ("start", "restart"):
            if started is None:
                started = mark.at
            base, seg = ZERO, mark.at
            allowed = allowance(mark.at)
            due = advance(seg, allowed)
        elif op == "stop":
            if seg is not None:
                base += measure(seg, mark.at)
                seg = None
        elif op == "go":
            if seg is None and allowed is not None:
                seg = mark.at
                # Exactly nothing left (a zero budget, or a pause as the budget ran out): the
                # due is the instant it runs again, not the instant it ran out before the
                # pause, so a clock that used no more than it was allowed is not overdue.
                if allowed - base >= ZERO:
                    due = advance(seg, allowed - base)
        elif op == "extend_to" and allowed is not None and due is not None:
            assert mark.new_due is not None
            if mark.new_due > due:
                allowed += measure(due, mark.new_due)
                due = mark.new_due
        elif op == "end":  # other ops ("note") only explain
            if seg is not None:
                base += measure(seg, mark.at)
                seg = None
            finished = mark.at
            break
    if allowed is None:
        return ClockReading(
            name, at, ClockStatus.NOT_STARTED, budget, ZERO, ZERO, ZERO, None, None, None,
            ResultClass.IN_PROGRESS, step, unit, forced_overdue, marks,
        )  # fmt: skip
    elapsed = base + (measure(seg, at) if seg is not None else ZERO)
    remaining = allowed - elapsed
    if seg is None and finished is None and remaining > ZERO:
        due = advance(at, remaining)  # paused: the due if the clock ran again now
    assert due is not None
    if finished is not None:
        status = ClockStatus.STOPPED
        if finished > due or forced_overdue:
            result = ResultClass.OVERDUE
        elif finished.astimezone(calendar.tz).date() < due_day(due, calendar):
            result = ResultClass.EARLY
        else:
            result = ResultClass.ON_TIME
    else:
        status = ClockStatus.RUNNING if seg is not None else ClockStatus.PAUSED
        late = remaining < ZERO or (seg is not None and at > due) or forced_overdue
        result = ResultClass.IN_PROGRESS_OVERDUE if late else ResultClass.IN_PROGRESS
    return ClockReading(
        name, at, status, budget, allowed, elapsed, remaining, due, started, finished,
        result, step, unit, forced_overdue, marks,
    )  # fmt: skip


# ---------------------------------------------------------------------------- tracks


def _effect(rule: PauseRule | None, which: str) -> Effect:
    if rule is None or not rule.allowed:
        return Effect.NONE  # an improper pause does not stop any clock
    effect: Effect = getattr(rule, which)
    return effect


_FINISH = frozenset(
    {
        EventKind.RESOLVED,
        EventKind.RETURNED,
        EventKind.REFUSED,
        EventKind.WITHDRAWN,
        EventKind.STOPPED,
    }
)


def _case_track(events: Iterable[Event], pack: RulePack, which: str) -> list[Mark]:
    """Marks of the legal (``which="legal"``) or indicator (``"indicator"``) clock."""
    marks: list[Mark] = []
    open_effect = Effect.NONE
    supplement = pack.supplement_rule
    for event in events:
        kind = event.kind
        if kind is EventKind.RECEIVED:
            marks.append(Mark(event.at, "start", "tiếp nhận hồ sơ (received); the clock starts"))
        elif kind is EventKind.PAUSED:
            rule = pack.reasons.get(event.reason or "")
            open_effect = _effect(rule, which)
            name = rule.name_en if rule else repr(event.reason)
            if open_effect is Effect.NONE:
                marks.append(Mark(event.at, "note", f"pause for {name}: does not stop this clock"))
            else:
                marks.append(Mark(event.at, "stop", f"tạm dừng (paused): {name}"))
        elif kind is EventKind.RESUMED:
            if open_effect is Effect.RESTART:
                marks.append(Mark(event.at, "restart", "tiếp tục; budget restarts from zero"))
            elif open_effect is Effect.PAUSE:
                marks.append(Mark(event.at, "go", "tiếp tục (resumed)"))
            open_effect = Effect.NONE
        elif kind is EventKind.SUPPLEMENT_REQUESTED:
            open_effect = _effect(supplement, which)
            if open_effect is not Effect.NONE:
                marks.append(Mark(event.at, "stop", "yêu cầu bổ sung (supplement requested)"))
        elif kind is EventKind.SUPPLEMENT_RECEIVED and event.complete:
            if open_effect is Effect.RESTART:
                marks.append(
                    Mark(event.at, "restart", "nhận đủ hồ sơ bổ sung; budget restarts from zero")
                )
            elif open_effect is Effect.PAUSE:
                marks.append(Mark(event.at, "go", "nhận đủ hồ sơ bổ sung (supplement received)"))
            open_effect = Effect.NONE
        elif kind is EventKind.RESCHEDULED and which == "legal" and event.new_due is not None:
            marks.append(
                Mark(event.at, "extend_to", f"xin lỗi, hẹn lại (apology): {event.reason}",
                     event.new_due)
            )  # fmt: skip
        elif kind in _FINISH:
            marks.append(Mark(event.at, "end", kind.label))
            break
    return marks


def legal_clock(
    procedure: Procedure,
    pack: RulePack,
    calendar: WorkingCalendar,
    events: Iterable[Event],
    attributes: Mapping[str, Any],
    at: datetime,
) -> ClockReading:
    """The legal clock of a case at ``at``."""
    marks = _case_track(events, pack, "legal")
    return evaluate("legal", marks, procedure.total_for(attributes), calendar, at)


def indicator_clock(
    procedure: Procedure,
    pack: RulePack,
    calendar: WorkingCalendar,
    events: Iterable[Event],
    attributes: Mapping[str, Any],
    at: datetime,
) -> ClockReading:
    """The indicator clock of Decision 766/QĐ-TTg at ``at``."""
    events = tuple(events)
    marks = _case_track(events, pack, "indicator")
    requests = sum(1 for e in events if e.kind is EventKind.SUPPLEMENT_REQUESTED and e.at <= at)
    forced = (
        f"{requests} supplement requests (more than one counts as overdue, Quyết định 766/QĐ-TTg)"
        if requests > 1
        else None
    )
    return evaluate(
        "indicator", marks, procedure.total_for(attributes), calendar, at, forced_overdue=forced
    )


@attrs.frozen
class Visit:
    step: str
    unit: str
    marks: tuple[Mark, ...]


def visits(events: Iterable[Event], procedure: Procedure, pack: RulePack) -> list[Visit]:
    """Each stay of the case at a step, with its own marks (pauses that stop step clocks)."""
    result: list[Visit] = []
    current: list[Mark] | None = None
    step: str | None = None
    open_effect = Effect.NONE

    def close(at: datetime, note: str) -> None:
        nonlocal current
        if current is not None and step is not None:
            current.append(Mark(at, "end", note))
            result.append(Visit(step, procedure.step(step).unit, tuple(current)))
        current = None

    for event in events:
        kind = event.kind
        if kind is EventKind.RECEIVED:
            step = procedure.first.key
            current = [Mark(event.at, "start", "tiếp nhận (received)")]
        elif kind in (EventKind.HANDED_OVER, EventKind.SENT_BACK) and event.target:
            close(event.at, f"{kind.label} → {event.target}")
            step = event.target
            if open_effect is not Effect.NONE:
                # A case handed over while paused starts its next step paused.
                current = [Mark(event.at, "start", kind.label), Mark(event.at, "stop", "paused")]
            else:
                current = [Mark(event.at, "start", kind.label)]
        elif current is None:
            continue
        elif kind is EventKind.PAUSED or kind is EventKind.SUPPLEMENT_REQUESTED:
            rule = (
                pack.supplement_rule
                if kind is EventKind.SUPPLEMENT_REQUESTED
                else pack.reasons.get(event.reason or "")
            )
            open_effect = _effect(rule, "step")
            if open_effect is not Effect.NONE:
                current.append(Mark(event.at, "stop", kind.label))
        elif kind is EventKind.RESUMED or (
            kind is EventKind.SUPPLEMENT_RECEIVED and event.complete
        ):
            if open_effect is not Effect.NONE:
                current.append(Mark(event.at, "go", kind.label))
            open_effect = Effect.NONE
        elif kind in (
            EventKind.RETURNED,
            EventKind.REFUSED,
            EventKind.WITHDRAWN,
            EventKind.STOPPED,
        ):
            close(event.at, kind.label)
            break
    if current is not None and step is not None:
        result.append(Visit(step, procedure.step(step).unit, tuple(current)))
    return result


def step_clocks(
    procedure: Procedure,
    pack: RulePack,
    calendar: WorkingCalendar,
    events: Iterable[Event],
    attributes: Mapping[str, Any],
    at: datetime,
) -> list[ClockReading]:
    """One clock per step visit, in order; a step visited twice (rework) has two."""
    readings = []
    counts: dict[str, int] = {}
    for visit in visits(events, procedure, pack):
        if visit.marks[0].at > at:
            break
        counts[visit.step] = counts.get(visit.step, 0) + 1
        budget = procedure.step_budget_for(visit.step, attributes)
        readings.append(
            evaluate(
                f"step:{visit.step}#{counts[visit.step]}", visit.marks, budget, calendar, at,
                step=visit.step, unit=visit.unit,
            )
        )  # fmt: skip
    return readings


def unit_clocks(
    procedure: Procedure,
    pack: RulePack,
    calendar: WorkingCalendar,
    events: Iterable[Event],
    attributes: Mapping[str, Any],
    at: datetime,
) -> dict[str, ClockReading]:
    """One clock per unit: all its visits on one track, against the sum of the budgets of the
    distinct steps it handled (a rework visit gets no new time: rework is the unit's cost)."""
    by_unit: dict[str, list[Visit]] = {}
    for visit in visits(events, procedure, pack):
        if visit.marks[0].at <= at:
            by_unit.setdefault(visit.unit, []).append(visit)
    readings = {}
    for unit, unit_visits in by_unit.items():
        steps = dict.fromkeys(v.step for v in unit_visits)
        budgets = [procedure.step_budget_for(s, attributes) for s in steps]
        total = budgets[0]
        for extra in budgets[1:]:
            total = total + extra  # type: ignore[operator]
        marks: list[Mark] = []
        for number, visit in enumerate(unit_visits):
            for mark in visit.marks:
                op = mark.op
                if op == "start" and number:
                    op = "go"
                elif op == "end" and number < len(unit_visits) - 1:
                    op = "stop"
                marks.append(attrs.evolve(mark, op=op))
        readings[unit] = evaluate(f"unit:{unit}", marks, total, calendar, at, unit=unit)
    return readings

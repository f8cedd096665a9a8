"""A slow, obviously-correct model of the legal clock, written from the rules in the engine's
docstrings (:mod:`tthc_flow.engine._clocks`, Decree 118/2025 Art. 19(5) and 19(6)).

It shares no arithmetic with the kernel: no positions, no anchors. It walks the events the
history held at the reading instant, keeps the working time used as a ``timedelta`` and
asks the calendar (tested against its own model) for working time between two instants and
for the instant a budget ends. Working-time and same-working-day budgets only.

Rules, as the model reads them:

- the clock starts at the receipt with the total budget (a same-day budget allows the
  working time from its start to its own due);
- an event that broke a rule (it carries violations) and could have bought time (a pause, a
  supplement request, an apology) does nothing;
- a pause whose reason the pack allows stops the clock (``PAUSE``) or stops it until the
  dossier is complete and then starts it again from zero with the whole budget (``RESTART``,
  no due meanwhile); a pause for a reason the law puts inside the budget does nothing;
- an apology with a later date extends the allowed time by the working time between the due
  the clock ran to and the new date;
- the first finishing event ends it;
- a finish is overdue after its due, early on a local day before the due's day (a due at
  00:00 belongs to the day before), on time otherwise; a clock that ends paused with time
  left, or waiting, is judged against the due it would have had from the finish.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tthc_flow.calendar import WorkingCalendar
from tthc_flow.engine import (
    Effect,
    Event,
    EventKind,
    Procedure,
    ResultClass,
    RulePack,
    SameWorkingDay,
    WorkingBudget,
)

ZERO = timedelta(0)
FINISHES = {
    EventKind.RESOLVED,
    EventKind.RETURNED,
    EventKind.REFUSED,
    EventKind.WITHDRAWN,
    EventKind.STOPPED,
    EventKind.CLOSED,
}
BUYS_TIME = {EventKind.PAUSED, EventKind.SUPPLEMENT_REQUESTED, EventKind.RESCHEDULED}


@dataclass
class Reading:
    due: datetime | None
    elapsed: timedelta
    allowed: timedelta
    result: ResultClass
    finished: datetime | None


def _effect(pack: RulePack, event: Event) -> Effect:
    if event.kind is EventKind.SUPPLEMENT_REQUESTED:
        rule = pack.supplement_rule
    else:
        rule = pack.reasons.get(event.reason or "")
    if rule is None or not rule.allowed:
        return Effect.NONE
    return rule.legal


def _due_day(due: datetime, calendar: WorkingCalendar) -> object:
    local = due.astimezone(calendar.tz)
    if (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0):
        return local.date() - timedelta(days=1)
    return local.date()


def _class(finish: datetime, due: datetime, calendar: WorkingCalendar) -> ResultClass:
    if finish > due:
        return ResultClass.OVERDUE
    if finish.astimezone(calendar.tz).date() < _due_day(due, calendar):
        return ResultClass.EARLY
    return ResultClass.ON_TIME


def legal_reading(
    procedure: Procedure,
    pack: RulePack,
    calendar: WorkingCalendar,
    events: Sequence[Event],
    at: datetime,
) -> Reading:
    attributes = events[0].data.get("attributes") or {}
    total = procedure.total_for(attributes, pack)
    assert isinstance(total, (WorkingBudget, SameWorkingDay)), "working-time budgets only"
    between, plus = calendar.working_time_between, calendar.add_working_time

    def allow(start: datetime) -> tuple[timedelta, datetime]:
        if isinstance(total, WorkingBudget):
            return total.timedelta, plus(start, total.timedelta)
        end = total.due(calendar, start)
        return between(start, end), end

    used = ZERO
    running: datetime | None = events[0].at
    allowed, due = allow(running)
    waiting = False
    open_effect = Effect.NONE
    finished: datetime | None = None
    paused_at_end = False
    for event in events[1:]:
        if event.at > at:
            break  # the history as it stood at ``at``
        kind = event.kind
        if kind in BUYS_TIME and event.violations:
            continue
        t = event.at
        if kind in (EventKind.PAUSED, EventKind.SUPPLEMENT_REQUESTED):
            open_effect = _effect(pack, event)
            if open_effect is not Effect.NONE and running is not None:
                used += between(running, t)
                running = None
                waiting = open_effect is Effect.RESTART
        elif kind is EventKind.RESUMED or (
            kind is EventKind.SUPPLEMENT_RECEIVED and event.complete
        ):
            if open_effect is Effect.RESTART:
                used, running, waiting = ZERO, t, False
                allowed, due = allow(t)
            elif open_effect is Effect.PAUSE and running is None:
                running = t
                if allowed - used >= ZERO:
                    due = plus(t, allowed - used)
            open_effect = Effect.NONE
        elif kind is EventKind.RESCHEDULED and event.new_due is not None and not waiting:
            if event.new_due > due:
                allowed += between(due, event.new_due)
                due = event.new_due
        elif kind in FINISHES:
            paused_at_end = running is None
            if running is not None:
                used += between(running, t)
                running = None
            finished = t
            break
    if finished is not None:
        left = allowed - used
        if waiting:
            judged = total.due(calendar, finished)
        elif paused_at_end and left >= ZERO:
            judged = plus(finished, left)
        else:
            judged = due
        return Reading(
            None if waiting else judged, used, allowed, _class(finished, judged, calendar),
            finished,
        )  # fmt: skip
    elapsed = used + (between(running, at) if running is not None else ZERO)
    remaining = allowed - elapsed
    if waiting:
        return Reading(None, elapsed, allowed, ResultClass.IN_PROGRESS, None)
    if running is None:
        shown = plus(at, remaining) if remaining > ZERO else due
        late = remaining < ZERO
    else:
        shown = due
        late = at > due
    result = ResultClass.IN_PROGRESS_OVERDUE if late else ResultClass.IN_PROGRESS
    return Reading(shown, elapsed, allowed, result, None)

"""Early warnings (cảnh báo sớm): cases and steps that have used a given share of their budget
or are due within a given working time, at an instant, so a host can notify before a breach.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

import attrs

from tthc_flow._validators import aware, exact_number, flag, shown
from tthc_flow.calendar import WorkingCalendar, vietnam_calendar
from tthc_flow.engine import (
    Case,
    CaseClocks,
    ClockReading,
    ClockStatus,
    Event,
    Procedure,
    WorkingBudget,
    replay,
)
from tthc_flow.errors import InvalidInputError
from tthc_flow.reports._inputs import case_of, history_of, items_of
from tthc_flow.reports._quality import history_order

__all__ = ["DEFAULT_SHARES", "Alert", "alerts", "alerts_from_events"]

DEFAULT_SHARES = (Fraction(1, 2), Fraction(3, 4), Fraction(1))


@attrs.frozen
class Alert:
    """One clock to watch.

    ``clock`` is ``legal`` (the case) or ``step:<key>#<visit>`` (the step it is at); ``share``
    the largest of the given shares its ``share_used`` has reached (None when only
    ``due_soon`` fired); ``due_soon`` whether its remaining working time is at most the
    ``within`` asked (an overdue clock has a negative remainder, so it is due soon too).
    """

    case_id: str
    procedure: str
    clock: str
    unit: str | None
    share_used: Fraction | None
    share: Fraction | None
    remaining: timedelta
    due: datetime | None
    due_soon: bool


def _shares(values: Iterable[Any]) -> tuple[Fraction, ...]:
    shares = []
    hint = "Pass e.g. shares=[Fraction(1, 2), '0.75', 1]."
    for value in items_of(values, "alerts", "shares", "exact numbers", hint):
        share = exact_number(value, what="share", example="Fraction(3, 4) or '0.75'")
        if share <= 0:
            raise InvalidInputError(f"a share must be positive, got {shown(value)}.", value=value)
        shares.append(share)
    return tuple(sorted(shares))


def _alert(case_id: str, procedure: str, reading: ClockReading, shares: tuple[Fraction, ...],
           within: timedelta | None) -> Alert | None:  # fmt: skip
    used = reading.share_used
    reached = [s for s in shares if used is not None and used >= s]
    # Only working-time remainders compare with a working-time ``within``.
    soon = (
        within is not None
        and isinstance(reading.budget, WorkingBudget)
        and reading.remaining <= within
    )
    if not reached and not soon:
        return None
    return Alert(
        case_id, procedure, reading.name, reading.unit, used,
        reached[-1] if reached else None, reading.remaining, reading.due, soon,
    )  # fmt: skip


def _checked(
    at: datetime, shares: Iterable[Any], within: timedelta | None, steps: bool
) -> tuple[Fraction, ...]:
    aware(at)
    flag(steps, "steps")
    wanted = _shares(shares)
    if within is not None and not isinstance(within, timedelta):
        raise InvalidInputError(
            f"within must be a timedelta of working time, got {shown(within)}.", value=within
        )
    return wanted


def _case_alerts(
    case_id: str, procedure: str, clocks: CaseClocks, at: datetime,
    wanted: tuple[Fraction, ...], within: timedelta | None, steps: bool,
) -> list[Alert]:  # fmt: skip
    legal = clocks.legal_clock(at)
    if legal.status is ClockStatus.STOPPED:
        return []
    readings = [legal]
    if steps:
        readings += [r for r in clocks.step_clocks(at) if r.status is not ClockStatus.STOPPED]
    found = []
    for reading in readings:
        alert = _alert(case_id, procedure, reading, wanted, within)
        if alert is not None:
            found.append(alert)
    return found


def alerts(
    cases: Iterable[Case],
    at: datetime,
    *,
    shares: Iterable[Any] = DEFAULT_SHARES,
    within: timedelta | None = None,
    steps: bool = True,
) -> list[Alert]:
    """Alerts at ``at`` for every unfinished case (its legal clock) and, with ``steps``, each
    step it is at (every branch of a case in parallel branches), in case order.

    A clock alerts when ``share_used >= share`` for some share (the largest reached is
    reported; a zero budget has no share) or, with ``within`` (working time, e.g.
    ``timedelta(hours=8)``), when its remaining working time is ``<= within``. Finished
    clocks never alert; a paused one still does (its share does not move while paused, but a
    host may still want to know). A case awaiting a supplement that restarts its time has
    no due: only its share of the period the restart will replace can alert.
    """
    wanted = _checked(at, shares, within, steps)
    found: list[Alert] = []
    items = items_of(cases, "alerts", "cases", "Case", "Pass a list of Case values.")
    for number, case in enumerate(items):
        case = case_of(case, "alerts", number)
        if case.received_at > at:
            continue
        found += _case_alerts(
            case.case_id, case.procedure.code, case.clocks, at, wanted, within, steps
        )
    return found


def alerts_from_events(
    histories: Iterable[
        tuple[Procedure, Sequence[Event]] | tuple[Procedure, Sequence[Event], str]
    ],
    at: datetime,
    *,
    shares: Iterable[Any] = DEFAULT_SHARES,
    within: timedelta | None = None,
    steps: bool = True,
    calendar: WorkingCalendar | None = None,
) -> list[Alert]:
    """:func:`alerts` over ``(procedure, events)`` pairs, without building cases: each
    history is folded once through the engine's replay. Equal to :func:`alerts` over the
    replayed cases."""
    wanted = _checked(at, shares, within, steps)
    if calendar is not None and not isinstance(calendar, WorkingCalendar):
        raise InvalidInputError(
            f"alerts_from_events: calendar must be a WorkingCalendar or None, got "
            f"{type(calendar).__name__}.",
            value=calendar,
            hint="Pass vietnam_calendar(...) or leave it out.",
        )
    calendar = calendar if calendar is not None else vietnam_calendar()
    found: list[Alert] = []
    items = items_of(
        histories, "alerts_from_events", "histories", "(procedure, events) pairs",
        "Pass e.g. [(procedure, events)].",
    )  # fmt: skip
    for number, item in enumerate(items):
        procedure, events, named = history_of(item, "alerts_from_events", number)
        history_order(events, f"histories[{number}][1]")  # every item an Event
        if events[0].at > at:
            continue
        folded = replay(procedure, events, calendar=calendar)
        case_id = named if named is not None else str(events[0].data.get("case_id", ""))
        found += _case_alerts(case_id, procedure.code, folded.clocks, at, wanted, within, steps)
    return found

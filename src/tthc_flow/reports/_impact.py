"""Calendar-change impact (ảnh hưởng của thay đổi lịch làm việc): which in-flight cases'
due instants move when a calendar changes — a province closes two days for a storm, the
Government announces a swap — by how much, and because of which days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import attrs

from tthc_flow._validators import aware, flag, shown
from tthc_flow.calendar import WorkingCalendar
from tthc_flow.engine import Case, ClockKernel, ClockReading, ClockStatus
from tthc_flow.errors import InvalidInputError
from tthc_flow.reports._inputs import case_of, items_of

__all__ = ["DayChange", "DueChange", "calendar_impact", "changed_days"]


@attrs.frozen
class DayChange:
    """A day the two calendars disagree on: worked before / after, and why (the new
    calendar's explanation of the day, with its source)."""

    day: date
    was_working: bool
    is_working: bool
    reason: str


@attrs.frozen
class DueChange:
    """A clock of an in-flight case whose due instant moves: ``shift`` is new − old in real
    time, ``days`` the changed days between the clock's start and the later due."""

    case_id: str
    procedure: str
    clock: str
    unit: str | None
    old_due: datetime
    new_due: datetime
    shift: timedelta
    days: tuple[DayChange, ...]


def _calendars(old: Any, new: Any, where: str) -> None:
    for name, value in (("old", old), ("new", new)):
        if not isinstance(value, WorkingCalendar):
            raise InvalidInputError(
                f"{where} compares two WorkingCalendar values; {name} is "
                f"{type(value).__name__} {shown(value)}.",
                value=value,
                hint="Pass the calendar before the change and after it, e.g. "
                "vietnam_calendar() and vietnam_calendar(closures=...).",
            )


def changed_days(
    old: WorkingCalendar, new: WorkingCalendar, start: date, end: date
) -> tuple[DayChange, ...]:
    """Days in ``[start, end]`` that one calendar works and the other does not, or that
    they work with different sessions."""
    _calendars(old, new, "changed_days")
    for name, value in (("start", start), ("end", end)):
        if type(value) is not date:
            raise InvalidInputError(
                f"changed_days: {name} must be a datetime.date, got {type(value).__name__} "
                f"{shown(value)}.",
                value=value,
                hint=f"Write e.g. {name}=date(2026, 3, 1): a whole day.",
            )
    found = []
    day = start
    while day <= end:
        was, now = old.is_working_day(day), new.is_working_day(day)
        if was != now or (now and old.sessions_on(day) != new.sessions_on(day)):
            found.append(DayChange(day, was, now, str(new.explain(day))))
        day += timedelta(days=1)
    return tuple(found)


def calendar_impact(
    cases: Iterable[Case],
    old: WorkingCalendar,
    new: WorkingCalendar,
    at: datetime,
    *,
    steps: bool = True,
) -> list[DueChange]:
    """Every clock of the cases unfinished at ``at`` whose due instant differs between
    ``old`` and ``new`` (the legal clock, and with ``steps`` the step each case is at), in
    case order. Each case is read on both calendars from its own events and rule pack; its
    own calendar is not used."""
    _calendars(old, new, "calendar_impact")
    aware(at)
    flag(steps, "steps")
    found: list[DueChange] = []
    items = items_of(cases, "calendar_impact", "cases", "Case", "Pass a list of Case values.")
    for number, case in enumerate(items):
        case = case_of(case, "calendar_impact", number)
        if case.received_at > at:
            continue
        pack = case.pack
        assert pack is not None
        # The case's own history, with the violations it recorded, folded on each calendar.
        on_old = ClockKernel.of(case.procedure, pack, old).fold(case.events, case.attributes)
        before = on_old.legal_clock(at)
        if before.status is ClockStatus.STOPPED:
            continue
        on_new = ClockKernel.of(case.procedure, pack, new).fold(case.events, case.attributes)
        after = on_new.legal_clock(at)
        pairs: list[tuple[ClockReading, ClockReading]] = [(before, after)]
        if steps:
            old_steps = on_old.step_clocks(at)
            new_steps = on_new.step_clocks(at)
            pairs += [
                (a, b)
                for a, b in zip(old_steps, new_steps, strict=True)
                if a.status is not ClockStatus.STOPPED
            ]
        for a, b in pairs:
            if a.due is None or b.due is None or a.due == b.due:
                continue
            start = (a.started_at or case.received_at).astimezone(new.tz).date()
            end = max(a.due, b.due).astimezone(new.tz).date()
            found.append(
                DueChange(
                    case.case_id, case.procedure.code, a.name, a.unit, a.due, b.due,
                    b.due - a.due, changed_days(old, new, start, end),
                )
            )  # fmt: skip
    return found

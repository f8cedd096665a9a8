"""What a report needs to know of one case at one instant (kết quả của một hồ sơ tại một thời
điểm): its class on the chosen clock, how it ended, its working time, and each unit's own class.

:func:`outcome_of` reads it from a :class:`~tthc_flow.engine.Case` through the engine's clocks
(the reference); :mod:`tthc_flow.reports._fast` computes the same value from events in one pass.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import attrs

from tthc_flow._validators import aware, shown
from tthc_flow.engine import FINISH_KINDS as _FINISH_KINDS
from tthc_flow.engine import Case, CaseClocks, EventKind, ResultClass, case_channel
from tthc_flow.errors import InvalidInputError

__all__ = [
    "FINISH_KINDS",
    "CaseOutcome",
    "ClockChoice",
    "Facts",
    "UnitOutcome",
    "facts_of",
    "outcome_from_clocks",
    "outcome_from_facts",
    "outcome_of",
]

# The finish set lives with the events (the one definition); reports re-export it.
FINISH_KINDS = _FINISH_KINDS


class ClockChoice(enum.Enum):
    """Which case clock classes a report (đồng hồ dùng để xếp loại).

    ``LEGAL`` (the default): the legal due date the applicant was given — a complete
    supplement restarts the budget, an apology with a new date extends it; this is what the
    receipt promises and what seed 001's figures count. ``INDICATOR``: Decision 766/QĐ-TTg's
    measurement — supplement time subtracted, no extension by apology, more than one
    supplement request counts as overdue.
    """

    LEGAL = "legal"
    INDICATOR = "indicator"


def clock_choice(value: ClockChoice | str) -> ClockChoice:
    try:
        return value if isinstance(value, ClockChoice) else ClockChoice(value)
    except ValueError:
        raise InvalidInputError(
            f"unknown clock {shown(value)}.", value=value, hint="Use 'legal' or 'indicator'."
        ) from None


@attrs.frozen
class UnitOutcome:
    """One unit's own clock (Circular 01/2018 indicator 2): its steps' budgets against its own
    time, read at the same instant as the case."""

    unit: str
    result: ResultClass
    allowed: timedelta
    elapsed: timedelta
    started_at: datetime | None
    finished_at: datetime | None
    #: False for a unit whose steps, and the steps that consulted it, all lay in parallel
    #: branches that reached their join before the last one: its own lateness did not delay
    #: the case (the critical path).
    critical: bool = True

    @property
    def overrun(self) -> timedelta:
        """Working time used beyond the unit's budget (zero when within it)."""
        return max(self.elapsed - self.allowed, timedelta(0))


@attrs.frozen
class CaseOutcome:
    """A case read at ``at``: ``result`` on the chosen clock, ``finished_at`` the clock's
    finish (None if unfinished at ``at``), ``ending`` the kind of the finishing event,
    ``allowed``/``elapsed`` the clock's time, ``working`` whether its budget is working time
    (calendar-day budgets count real time and stay out of average processing time).

    ``settled_at`` (finished cases only) is the instant from which the reading no longer
    changes: the latest mark the clock read up to its finish (and, on the indicator clock,
    the latest supplement request, all of which it counts). For a history in time order it
    is the finish; a history recorded out of order can settle later.

    ``delays`` are the units that delayed an overdue case
    (:meth:`~tthc_flow.engine.CaseClocks.delay_facts`): read when its clock finished (or at
    ``at``, if it had not), so that time a unit spent after the finish is not counted; empty
    for a case that is not overdue, None when the units were not read (the responsibility
    then takes the overdue ``units`` on the critical path, read at ``at``).
    """

    case_id: str
    procedure: str
    version: str
    channel: str | None
    received_at: datetime
    at: datetime
    result: ResultClass
    finished_at: datetime | None
    ending: EventKind | None
    allowed: timedelta
    elapsed: timedelta
    working: bool
    settled_at: datetime | None = None
    units: tuple[UnitOutcome, ...] = ()
    delays: tuple[UnitOutcome, ...] | None = None


def outcome_of(
    case: Case,
    at: datetime,
    clock: ClockChoice | str = ClockChoice.LEGAL,
    *,
    units: bool = True,
) -> CaseOutcome:
    """The outcome of ``case`` at ``at``, from its clocks (the engine path).

    Raises :class:`~tthc_flow.errors.InvalidInputError` if the case was received after ``at``,
    :class:`~tthc_flow.errors.NaiveDatetimeError` if ``at`` has no time zone.
    """
    aware(at)
    legal = clock_choice(clock) is ClockChoice.LEGAL
    return outcome_from_clocks(
        case.case_id, case.procedure.code, case.procedure.version, case.attributes,
        case.received_at, case.clocks, at, legal, units,
    )  # fmt: skip


def outcome_from_clocks(
    case_id: str,
    procedure: str,
    version: str,
    attributes: Mapping[str, Any],
    received: datetime,
    clocks: CaseClocks,
    at: datetime,
    legal: bool,
    units: bool,
) -> CaseOutcome:
    """The outcome read from a case's clock fold: what the engine path and the fast path
    both build, from the kernel's facts."""
    if received > at:
        raise InvalidInputError(
            f"case {case_id} was received at {received.isoformat()}, after "
            f"{at.isoformat()}: it has no outcome yet.",
            value=at,
            hint="Read it at or after its receipt.",
        )
    return outcome_from_facts(
        case_id, procedure, version, case_channel(attributes), received, at,
        facts_of(clocks, at, legal, units),
    )  # fmt: skip


# What the kernel says of a case at an instant, as a report counts it: (result, finished,
# ending, allowed µs, elapsed µs, working, settled, unit facts or None, and, optionally, the
# facts of the units that delayed the case or None), each unit's facts (unit, result,
# allowed µs, elapsed µs, started, finished, on the critical path).
Facts = tuple[Any, ...]


def facts_of(clocks: CaseClocks, at: datetime, legal: bool, units: bool) -> Facts:
    """The kernel's facts of a case at ``at`` (the units' too, with ``units``)."""
    return clocks.facts(at, legal, units)


def outcome_from_facts(
    case_id: str, procedure: str, version: str, channel: str | None, received: datetime,
    at: datetime, facts: Facts,
) -> CaseOutcome:  # fmt: skip
    """The :class:`CaseOutcome` of a case's facts."""
    result, finished, ending, allowed, elapsed, working, settled, unit_facts = facts[:8]
    delay_facts = facts[8] if len(facts) > 8 else None
    unit_outcomes = _unit_outcomes(unit_facts)
    return CaseOutcome(
        case_id,
        procedure,
        version,
        channel,
        received,
        at,
        result,
        finished,
        ending,
        _span(allowed),
        timedelta(microseconds=elapsed),
        working,
        settled,
        unit_outcomes,
        None if delay_facts is None else _unit_outcomes(delay_facts),
    )


def _unit_outcomes(unit_facts: Any) -> tuple[UnitOutcome, ...]:
    return tuple(
        [
            UnitOutcome(
                name, unit_result, _span(unit_allowed), timedelta(microseconds=unit_elapsed),
                started, unit_finished, critical,
            )
            for name, unit_result, unit_allowed, unit_elapsed, started, unit_finished, critical
            in unit_facts or ()
        ]
    )  # fmt: skip


_SPANS: dict[int, timedelta] = {}


def _span(us: int) -> timedelta:
    # Budgets are few: one timedelta each, shared.
    span = _SPANS.get(us)
    if span is None:
        if len(_SPANS) > 4096:
            _SPANS.clear()
        span = _SPANS[us] = timedelta(microseconds=us)
    return span

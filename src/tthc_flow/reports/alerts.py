"""Early warnings (cảnh báo sớm): cases and steps that have used a given share of their budget
or are due within a given working time, at an instant, so a host can notify before a breach.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

import attrs

from tthc_flow.engine import Case, ClockReading, ClockStatus, WorkingBudget
from tthc_flow.errors import InvalidInputError
from tthc_flow.validators import aware, exact_number

__all__ = ["DEFAULT_SHARES", "Alert", "alerts"]

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
    for value in values:
        share = exact_number(value, what="share", example="Fraction(3, 4) or '0.75'")
        if share <= 0:
            raise InvalidInputError(f"a share must be positive, got {value!r}.", value=value)
        shares.append(share)
    return tuple(sorted(shares))


def _alert(case: Case, reading: ClockReading, shares: tuple[Fraction, ...],
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
        case.case_id, case.procedure.code, reading.name, reading.unit, used,
        reached[-1] if reached else None, reading.remaining, reading.due, soon,
    )  # fmt: skip


def alerts(
    cases: Iterable[Case],
    at: datetime,
    *,
    shares: Iterable[Any] = DEFAULT_SHARES,
    within: timedelta | None = None,
    steps: bool = True,
) -> list[Alert]:
    """Alerts at ``at`` for every unfinished case (its legal clock) and, with ``steps``, the
    step it is at, in case order.

    A clock alerts when ``share_used >= share`` for some share (the largest reached is
    reported; a zero budget has no share) or, with ``within`` (working time, e.g.
    ``timedelta(hours=8)``), when its remaining working time is ``<= within``. Finished
    clocks never alert; a paused one still does (its share does not move while paused, but a
    host may still want to know).
    """
    aware(at)
    wanted = _shares(shares)
    if within is not None and not isinstance(within, timedelta):
        raise InvalidInputError(
            f"within must be a timedelta of working time, got {within!r}.", value=within
        )
    found: list[Alert] = []
    for case in cases:
        if case.received_at > at:
            continue
        legal = case.legal_clock(at)
        if legal.status is ClockStatus.STOPPED:
            continue
        readings = [legal]
        if steps:
            readings += [r for r in case.step_clocks(at) if r.status is not ClockStatus.STOPPED]
        for reading in readings:
            alert = _alert(case, reading, wanted, within)
            if alert is not None:
                found.append(alert)
    return found

"""Who made an overdue case late (làm rõ trách nhiệm của từng cơ quan, đơn vị): seed 004 asks
to make clear which unit caused each delay, and Decree 61/2018 Art. 12(5) makes the delaying
unit the one that apologises.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs

from tthc_flow.engine import ResultClass
from tthc_flow.reports._outcomes import CaseOutcome

__all__ = ["Responsibility", "UnitDelay", "responsibility_of"]

_ZERO = timedelta(0)


@attrs.frozen
class UnitDelay:
    """A unit whose own clock ran late on the case: ``overrun`` is its working time beyond
    its budget (zero when it used exactly its budget but finished after its due instant)."""

    unit: str
    result: ResultClass
    allowed: timedelta
    elapsed: timedelta
    overrun: timedelta


@attrs.frozen
class Responsibility:
    """An overdue case (finished late in the period, or unfinished and late at its end) and
    the units whose own time ran over on the case's critical path, each with its figures as
    they stood when the case's clock finished (at the period's end for a case still running):
    the time a unit spent after the finish — the desk returning the result, the unit that
    resolved the case and has not handed it on — did not make the case late. In a case that
    ran parallel branches, a unit whose steps all lay in branches that reached their join
    before the last one did not delay the case, however late it was on its own clock: the
    join waited for another branch anyway. ``units`` is empty when no unit ran over its own
    budget — the delay then lies outside the units' clocks (for instance an improper pause
    counted by the case clock only, or the indicator's rule on repeated supplement requests)
    and the case is still listed, so that nothing is hidden."""

    case_id: str
    procedure: str
    result: ResultClass
    overrun: timedelta
    units: tuple[UnitDelay, ...]

    @property
    def sort_key(self) -> tuple[Any, ...]:
        """A total order (case, procedure, then the figures), so that merged reports list
        their entries exactly as a single pass does, even when case ids repeat."""
        units = tuple((u.unit, u.result.value, u.allowed, u.elapsed) for u in self.units)
        return (self.case_id, self.procedure, self.result.value, self.overrun, units)


def responsibility_of(outcome: CaseOutcome) -> Responsibility | None:
    """The responsibility entry of an outcome, or None when the case is not overdue. A case
    the applicant withdrew after its due is overdue like any other and has its entry: the
    withdrawal does not erase the delay (see :class:`~tthc_flow.reports.Tally`). Its units are
    the outcome's ``delays`` (read when the case's clock finished); for an outcome read
    without them, its overdue ``units`` on the critical path."""
    if not outcome.result.overdue:
        return None
    delays = outcome.delays
    if delays is None:
        delays = tuple(u for u in outcome.units if u.result.overdue and u.critical)
    units = tuple(UnitDelay(u.unit, u.result, u.allowed, u.elapsed, u.overrun) for u in delays)
    return Responsibility(
        outcome.case_id,
        outcome.procedure,
        outcome.result,
        max(outcome.elapsed - outcome.allowed, _ZERO),
        units,
    )

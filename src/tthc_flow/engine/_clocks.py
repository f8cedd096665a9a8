"""What a clock says (đồng hồ thời hạn): its reading at an instant, its status, and the result
classes, with the one rule that classes a finished clock.

Every clock of a case (legal, indicator, per step visit, per unit) is computed by the clock
kernel (:mod:`tthc_flow.engine._kernel`) and read as a :class:`ClockReading`:

- the **legal clock** (thời hạn giải quyết theo quy định): the published total (with the
  case's adjustments); pauses exclude time, a complete supplement restarts the budget from
  zero (Decree 118/2025 Art. 19(5)), an apology with a new date extends it to that date
  (Art. 19(6)); pauses the pack does not allow, and any unlawful act, move it nowhere;
- one clock per **step visit** and per **unit**: their own budgets, so each unit's lateness is
  visible (Circular 01/2018, indicator 2);
- the **indicator clock** of Decision 766/QĐ-TTg: supplement time subtracted instead of
  restarting, no extension by apology, and more than one supplement request counts as overdue.

Result classes (:func:`classify`): **early** (finished on a day before the due day), **on
time** (on the due day, not after the due instant), **overdue** (after it), or still **in
progress** (overdue or not); a dossier closed because the applicant never completed it is
**closed**, neither early nor late. A due at 00:00 (24:00 of a Civil Code period) belongs to
the day before (:meth:`~tthc_flow.calendar.WorkingCalendar.due_day`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from fractions import Fraction
from typing import Any

import attrs

from tthc_flow._validators import aware
from tthc_flow.calendar import WorkingCalendar, format_instant
from tthc_flow.engine._budgets import Budget
from tthc_flow.errors import InvalidInputError
from tthc_flow.labels import Labelled

__all__ = ["ClockReading", "ClockStatus", "Mark", "ResultClass", "classify"]

ZERO = timedelta(0)


class ClockStatus(Labelled):
    """Whether a clock is running at the instant it is read."""

    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    WAITING = "waiting"
    STOPPED = "stopped"


class ResultClass(Labelled):
    """Result class of a case, step or unit (trước hạn / đúng hạn / quá hạn / đang giải quyết /
    đóng hồ sơ)."""

    EARLY = "early"
    ON_TIME = "on_time"
    OVERDUE = "overdue"
    IN_PROGRESS = "in_progress"
    IN_PROGRESS_OVERDUE = "in_progress_overdue"
    CLOSED = "closed"

    @property
    def overdue(self) -> bool:
        return self in (ResultClass.OVERDUE, ResultClass.IN_PROGRESS_OVERDUE)


_MIDNIGHT = time(0)


def classify(finished: datetime, due: datetime, calendar: WorkingCalendar) -> ResultClass:
    """The class of a clock that finished at ``finished`` against its due instant ``due``:
    ``OVERDUE`` after the due instant, ``EARLY`` on a (local) day before the due's day,
    otherwise ``ON_TIME`` (Decision 766/QĐ-TTg: on time iff the finish is no later than the
    promised date). Finishing at the due instant exactly is on time.

    >>> from zoneinfo import ZoneInfo
    >>> from tthc_flow.calendar import vietnam_calendar
    >>> cal, vn = vietnam_calendar(), ZoneInfo("Asia/Ho_Chi_Minh")
    >>> due = datetime(2026, 3, 16, 9, tzinfo=vn)
    >>> [classify(datetime(2026, 3, d, h, tzinfo=vn), due, cal).name for d, h in
    ...  ((13, 16), (16, 8), (16, 9), (16, 10))]
    ['EARLY', 'ON_TIME', 'ON_TIME', 'OVERDUE']
    """
    try:
        late = finished > due
        naive = finished.tzinfo is None or due.tzinfo is None
    except (TypeError, AttributeError):
        naive = True
    if naive:
        aware(finished, "finished")  # a naive datetime, a date, None: say which
        aware(due, "due")
    if late:
        return ResultClass.OVERDUE
    if not isinstance(calendar, WorkingCalendar):
        raise InvalidInputError(
            f"classify needs a WorkingCalendar, got {type(calendar).__name__}.",
            value=calendar,
            hint="Pass the case's calendar (case.calendar), e.g. vietnam_calendar().",
        )
    local = due.astimezone(calendar.tz)
    if local.date() == calendar.first_day and local.time() == _MIDNIGHT:
        # Due at the calendar's first instant (24:00 of the day before it): no finish inside
        # the calendar, and none after the due, falls on a day before that.
        return ResultClass.ON_TIME
    if finished.astimezone(calendar.tz).date() < calendar.due_day(due):
        return ResultClass.EARLY
    return ResultClass.ON_TIME


@attrs.frozen
class Mark:
    """One point of a clock's history, for explanations: ``op`` is ``start``, ``stop``,
    ``wait`` (stopped until the applicant completes the dossier), ``go``, ``restart``,
    ``extend_to``, ``end`` or ``note`` (an event that moved nothing, and why)."""

    at: datetime
    op: str
    note: str = ""
    new_due: datetime | None = None


def _no_marks() -> tuple[Mark, ...]:
    return ()


@attrs.frozen
class ClockReading:
    """What a clock says at ``at``.

    ``allowed`` is the working (or, for calendar budgets, real) time the clock allows, the
    budget plus any extension; ``elapsed`` what it has used; ``remaining`` the difference
    (negative when overdue); ``share_used`` elapsed / allowed (None for a zero budget).

    ``due`` is the due instant: the one the clock runs to, the projected one while paused
    (when it would fall if the clock ran again at ``at``; a clock paused with nothing left
    keeps the due it ran out at, already past), and None while it waits for a
    supplement that restarts it (``ClockStatus.WAITING``): the law gives no due date then
    (Decree 118/2025 Art. 19(5), "tính lại từ đầu sau khi nhận đủ hồ sơ"), and
    ``projected_due`` says when the full budget would end if the complete dossier arrived at
    ``at``. While waiting, ``allowed``/``elapsed``/``remaining`` describe the period the
    restart will replace. A clock that ended while waiting (a dossier closed, stopped or
    withdrawn before it was completed) has no ``due`` either; its ``projected_due`` is the
    full budget from its finish, the due its class is judged against.

    ``step`` and ``unit`` name the step (visit number ``visit``) or unit of step and unit
    clocks. ``marks`` (the clock's history, for :meth:`explain`) are built on demand and are
    not part of the value: two readings are equal when their figures are.
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
    projected_due: datetime | None = None
    visit: int | None = None
    _history: Callable[[], tuple[Mark, ...]] = attrs.field(
        default=_no_marks, eq=False, repr=False, alias="history"
    )

    @property
    def marks(self) -> tuple[Mark, ...]:
        """The clock's history up to ``at``, oldest first."""
        return self._history()

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

    def to_json(self) -> dict[str, Any]:
        """The reading as JSON, in the shape of the published schema ``clock_reading``
        (:func:`tthc_flow.views.json_schema`)."""
        from tthc_flow.views._build import clock_json

        return clock_json(self)

    def explain(self, calendar: WorkingCalendar) -> str:
        """Why the due instant is what it is, in an officer's words."""
        lines = [
            f"{format_instant(mark.at.astimezone(calendar.tz))}: {mark.note}"
            for mark in self.marks
        ]
        lines.insert(1 if lines else 0, f"Thời hạn (budget): {self.budget.label} ({self.budget})")
        end = self.due or self.projected_due
        if self.started_at is not None and end is not None:
            for info in calendar.notable_days(self.started_at, max(end, self.started_at)):
                lines.append(f"  {info}")
        if self.forced_overdue:
            lines.append(f"Quá hạn (overdue): {self.forced_overdue}")
        if self.due is not None:
            projected = " (if resumed now)" if self.status is ClockStatus.PAUSED else ""
            lines.append(
                f"Hạn (due): {format_instant(self.due.astimezone(calendar.tz))}{projected}"
            )
        elif self.projected_due is not None:
            lines.append(
                "Hạn (due): chưa có, chờ người nộp bổ sung (none yet: the applicant is "
                "awaited); nếu nhận đủ hồ sơ lúc đọc (if completed now): "
                f"{format_instant(self.projected_due.astimezone(calendar.tz))}"
            )
        lines.append(f"Kết quả (result): {self.result.label}")
        return "\n".join(lines)

"""Why a day is worked or not: reasons with sources, local closures and openings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import attrs

from tthc_flow._validators import instance_of, plain_date, required_text, shown
from tthc_flow.calendar._hours import DaySessions, Session, checked_sessions
from tthc_flow.errors import InvalidInputError
from tthc_flow.labels import Labelled

__all__ = ["Closure", "DayInfo", "DayKind", "DayReason", "Opening", "weekday_vi"]


class DayKind(Labelled):
    """What kind of day a reason makes of a date. The value is a stable code; the Vietnamese
    name is :attr:`vietnamese` (:mod:`tthc_flow.labels`)."""

    WORKDAY = "workday"
    WEEKLY_REST = "weekly_rest"
    PUBLIC_HOLIDAY = "public_holiday"
    COMPENSATORY_DAY_OFF = "compensatory_day_off"
    SWAPPED_DAY_OFF = "swapped_day_off"
    MAKEUP_WORKDAY = "makeup_workday"
    LOCAL_CLOSURE = "local_closure"
    LOCAL_OPENING = "local_opening"

    @property
    def opens(self) -> bool:
        """True for kinds that make a day worked."""
        return self in _OPENING_KINDS


_OPENING_KINDS = frozenset({DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY, DayKind.LOCAL_OPENING})

_WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def weekday_vi(day: date) -> str:
    """Vietnamese name of the weekday: ``Thứ Hai`` … ``Chủ nhật``, of a date (a datetime
    gives the weekday of its own wall-clock date)."""
    if not isinstance(day, date):
        raise InvalidInputError(
            f"day must be a datetime.date, got {shown(day)}.",
            value=day,
            hint="Pass e.g. date(2026, 3, 2).",
        )
    return _WEEKDAYS_VI[day.weekday()]


@attrs.frozen
class DayReason:
    """One reason why a day is (not) worked, with the document it comes from.

    ``name`` is Vietnamese (as printed on an agency's notice), ``name_en`` its English gloss.
    """

    kind: DayKind = attrs.field(validator=instance_of(DayKind, "Use a DayKind member."))
    name: str = attrs.field(validator=instance_of(str, "Write the day's name as text."))
    name_en: str = attrs.field(default="", validator=instance_of(str, "Write it as text."))
    source: str = attrs.field(default="", validator=instance_of(str, "Name the document."))

    def __str__(self) -> str:
        text = self.name if not self.name_en else f"{self.name} ({self.name_en})"
        return f"{text} [{self.source}]" if self.source else text


# Why a day changes, and which decision says so: a closure nobody can trace is how clocks get
# paused without a legal reason.
_REASON_HINT = (
    "Say why the day changes (e.g. 'Bão số 3 (Yagi)') and which decision says so "
    "(e.g. 'Công văn 123/UBND-VX ngày 06/9/2024')."
)


@attrs.frozen
class Closure:
    """Local closed days (nghỉ theo quyết định của địa phương): storm, flood, epidemic, a
    provincial day off. ``first`` to ``last`` inclusive; ``last`` defaults to ``first``.

    >>> c = Closure(date(2024, 9, 9), reason="Bão số 3 (Yagi)", source="illustrative")
    >>> list(c.days())
    [datetime.date(2024, 9, 9)]
    """

    first: date = attrs.field(validator=plain_date)
    last: date = attrs.field(
        default=attrs.Factory(lambda self: self.first, takes_self=True), validator=plain_date
    )
    reason: str = attrs.field(default="", kw_only=True, validator=required_text(_REASON_HINT))
    source: str = attrs.field(default="", kw_only=True, validator=required_text(_REASON_HINT))

    def __attrs_post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidInputError(
                f"closure ends ({self.last}) before it starts ({self.first}).",
                value=(self.first, self.last),
                hint="Give the first closed day first.",
            )

    def days(self) -> Iterator[date]:
        """Every closed day, ``first`` to ``last`` (``date.max`` included: no overflow)."""
        for ordinal in range(self.first.toordinal(), self.last.toordinal() + 1):
            yield date.fromordinal(ordinal)

    def reason_for(self) -> DayReason:
        return DayReason(DayKind.LOCAL_CLOSURE, self.reason, "local closure", self.source)


def _optional_sessions(value: Any) -> DaySessions | None:
    if value is None:
        return None
    return checked_sessions(value)


@attrs.frozen
class Opening:
    """A local extra working day (ngày làm việc bổ sung), e.g. a Saturday worked to clear a
    backlog. ``sessions`` default to the calendar's hours for a worked rest day.
    """

    day: date = attrs.field(validator=plain_date)
    reason: str = attrs.field(default="", kw_only=True, validator=required_text(_REASON_HINT))
    source: str = attrs.field(default="", kw_only=True, validator=required_text(_REASON_HINT))
    sessions: DaySessions | None = attrs.field(
        default=None, kw_only=True, converter=_optional_sessions
    )

    def reason_for(self) -> DayReason:
        return DayReason(DayKind.LOCAL_OPENING, self.reason, "local extra working day", self.source)


@attrs.frozen
class DayInfo:
    """The answer of :meth:`WorkingCalendar.explain`: is the day worked, in which sessions, why.

    ``reasons`` lists every rule that touched the day, in the order applied (weekly pattern,
    national days, local decisions); the last opening or closing reason is the one that holds.
    """

    day: date = attrs.field(validator=plain_date)
    is_working: bool = attrs.field(validator=instance_of(bool, "Pass True or False."))
    sessions: tuple[Session, ...] = attrs.field(
        validator=instance_of(tuple, "Pass the day's sessions as a tuple.")
    )
    reasons: tuple[DayReason, ...] = attrs.field(
        validator=instance_of(tuple, "Pass the reasons as a non-empty tuple of DayReason.")
    )

    def __attrs_post_init__(self) -> None:
        if not self.reasons or not all(isinstance(r, DayReason) for r in self.reasons):
            raise InvalidInputError(
                f"DayInfo.reasons must be a non-empty tuple of DayReason, got "
                f"{shown(self.reasons)}.",
                value=self.reasons,
                hint="Every day has at least its weekly-pattern reason.",
            )
        if not all(isinstance(s, Session) for s in self.sessions):
            raise InvalidInputError(
                f"DayInfo.sessions must hold Session values, got {shown(self.sessions)}.",
                value=self.sessions,
                hint="Take them from WorkingCalendar.sessions_on(day).",
            )

    @property
    def working_minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)

    @property
    def decisive(self) -> DayReason:
        """The reason that decides whether the day is worked."""
        return self.reasons[-1]

    def __str__(self) -> str:
        state = "làm việc (worked)" if self.is_working else "nghỉ (closed)"
        hours = f" {', '.join(str(s) for s in self.sessions)}" if self.sessions else ""
        # The weekly-pattern reason is implied by the weekday; show what overrides it.
        shown = self.reasons[1:] if len(self.reasons) > 1 else self.reasons
        why = "; ".join(str(r) for r in shown)
        return f"{weekday_vi(self.day)} {self.day:%d/%m/%Y}: {state}{hours} — {why}"

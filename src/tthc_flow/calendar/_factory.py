"""``vietnam_calendar(...)``: the working calendar of a Vietnamese state agency."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import tzinfo
from typing import Any

from tthc_flow._validators import shown
from tthc_flow.calendar._days import Closure, Opening
from tthc_flow.calendar._hours import (
    HoursChange,
    OfficeHours,
    Session,
    SessionLike,
    checked_sessions,
)
from tthc_flow.calendar._official import vietnam_official_days
from tthc_flow.calendar._working import (
    DEFAULT_TIMEZONE,
    FIRST_YEAR,
    LAST_YEAR,
    WorkingCalendar,
    checked_hours,
    checked_year,
    checked_zone,
)
from tthc_flow.errors import InvalidInputError

__all__ = ["vietnam_calendar"]

STANDARD_HOURS = OfficeHours.standard()


def vietnam_calendar(
    *,
    hours: OfficeHours | Iterable[HoursChange] = STANDARD_HOURS,
    closures: Iterable[Closure] = (),
    openings: Iterable[Opening] = (),
    saturday_desk: SessionLike | Iterable[SessionLike] | None = None,
    tz: str | tzinfo = DEFAULT_TIMEZONE,
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
    name: str = "",
) -> WorkingCalendar:
    """The calendar of a Vietnamese state agency (lịch làm việc của cơ quan nhà nước).

    - National public holidays, compensatory days and the Government's swaps for public
      servants (with their make-up Saturdays) come from the ``holidays`` package, country
      ``VN``, plus :data:`~tthc_flow.calendar._official.EXTRA_SWAPS` where it lacks a decision.
    - ``hours``: the weekly office hours, by default Monday–Friday 08:00–12:00 and 13:00–17:00
      (Decision 188/1999/QĐ-TTg); or a sequence of :class:`HoursChange` for hours that change
      over time (the first must take effect at ``date.min``).
    - ``closures`` / ``openings``: local decisions (storm, flood, epidemic, extra working day),
      each with a reason and a source.
    - ``saturday_desk``: sessions in which the one-stop desk also receives on Saturdays. They
      are desk hours, not working time: processing clocks do not run on them.
    - ``first_year`` / ``last_year``: the years covered, ints within 1995–2100. A narrower
      span builds faster; every date outside it raises ``CalendarRangeError``.
    - ``tz``: an IANA zone name or a ``tzinfo``; ``name``: a text.

    Every argument is checked before anything is built: a value of the wrong kind raises a
    typed :class:`~tthc_flow.errors.TthcFlowError` naming it (a lone text where a list of
    closures is expected is refused, not read as its characters).

    Calendars are cached by their arguments, so asking twice for the same one is free.

    >>> cal = vietnam_calendar()
    >>> from datetime import date
    >>> cal.is_working_day(date(2025, 4, 26)), cal.is_working_day(date(2025, 5, 2))
    (True, False)
    """
    desk = None
    if saturday_desk is not None:
        sessions = checked_sessions(
            (saturday_desk,) if isinstance(saturday_desk, (str, Session)) else saturday_desk
        )
        desk = OfficeHours(weekly=((),) * 5 + (sessions, ()))
    if not isinstance(hours, OfficeHours):
        hours = checked_hours(hours)
    if not isinstance(name, str):
        raise InvalidInputError(
            f"name must be a text, got {shown(name)}.", value=name,
            hint="Name the agency, e.g. 'UBND tỉnh Quảng Nam', or leave it out.",
        )  # fmt: skip
    checked_zone(tz)  # a zone that cannot be used is refused before the cache is asked
    try:
        hash(tz)
    except TypeError:
        raise InvalidInputError(
            f"tz {shown(tz)} cannot be hashed, so calendars on it cannot be cached.",
            value=tz, hint="Pass an IANA name such as 'Asia/Ho_Chi_Minh', or a ZoneInfo.",
        ) from None  # fmt: skip
    return _cached(
        hours, _collection(closures, "closures", Closure),
        _collection(openings, "openings", Opening), desk, tz, checked_year(first_year),
        checked_year(last_year), name,
    )  # fmt: skip


def _collection(value: Any, what: str, kind: type) -> tuple[Any, ...]:
    """``value`` as a tuple of ``kind`` (which the cache can hash), or a typed error."""
    items = None
    if not isinstance(value, (str, bytes)) and isinstance(value, Iterable):
        items = tuple(value)
    if items is None or not all(isinstance(item, kind) for item in items):
        raise InvalidInputError(
            f"{what} must be a collection of {kind.__name__} values, got {shown(value)}.",
            value=value,
            hint=f"Pass a list or tuple, e.g. [{kind.__name__}(...)], or leave it out.",
        )
    return items


# Each calendar holds about 2 MB of index for 1995–2100; a few cached ones are plenty.
@functools.lru_cache(maxsize=8)
def _cached(
    hours: OfficeHours | tuple[HoursChange, ...],
    closures: tuple[Closure, ...],
    openings: tuple[Opening, ...],
    desk: OfficeHours | None,
    tz: str | tzinfo,
    first_year: int,
    last_year: int,
    name: str,
) -> WorkingCalendar:
    return WorkingCalendar(
        hours=hours,
        official=vietnam_official_days(first_year, last_year),
        closures=closures,
        openings=openings,
        desk_hours=desk,
        tz=tz,
        first_year=first_year,
        last_year=last_year,
        name=name or "Việt Nam — cơ quan hành chính nhà nước",
    )

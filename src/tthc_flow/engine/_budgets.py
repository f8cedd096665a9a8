"""Time budgets (thời hạn): working days and hours, calendar days and months, as exact values.

A budget is a frozen value. Working budgets are exact fractions of a working day
(``WorkingDays("0.25")`` is 120 minutes; floats are refused because 0.1 of a day is not a
float) and add to each other; calendar budgets count days or months under the Civil Code.
Mixing the two kinds in one sum is an error: "3 working days + 2 days" has no meaning.

Bounds. A budget counts at most :data:`MAX_AMOUNT` (1,000,000,000) of its unit: far past
any calendar, and small enough that every figure of it (its minutes, its ``timedelta``, its
label) can be computed and printed. Whether a budget falls due is the calendar's question:
the calendar covers 1995–2100, so :meth:`Budget.due` raises
:class:`~tthc_flow.errors.CalendarRangeError` for any budget whose due would fall after its
last day (more than 38,715 calendar days or 1,271 months from 1 January 1995, the most any
due can be), before any date arithmetic. Catalogs bound budgets more tightly, by the
calendar's years (:mod:`tthc_flow.catalog._codec`).

Budgets resolve to a due instant on a :class:`~tthc_flow.calendar.WorkingCalendar`:

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from tthc_flow.calendar import vietnam_calendar
>>> cal = vietnam_calendar()
>>> received = datetime(2025, 4, 25, 16, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
>>> WorkingDays(3).due(cal, received).isoformat()
'2025-04-29T16:00:00+07:00'
>>> (received + WorkingDays(3).on(cal)).isoformat()
'2025-04-29T16:00:00+07:00'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, NoReturn

import attrs

from tthc_flow._validators import exact_fraction, shown
from tthc_flow.calendar import MINUTES_PER_WORKING_DAY, WorkingCalendar
from tthc_flow.errors import BudgetError, InvalidInputError
from tthc_flow.labels import Labelled

__all__ = [
    "DESK_TRANSFER_RULE",
    "MAX_AMOUNT",
    "MAX_OPENING_MINUTES",
    "MINUTES_PER_WORKING_DAY",
    "AfterCutoff",
    "BoundBudget",
    "Budget",
    "BudgetSum",
    "CalendarDays",
    "Months",
    "SameDayRule",
    "SameWorkingDay",
    "WorkingBudget",
    "WorkingDays",
    "WorkingHours",
    "parse_budget",
]

Number = int | str | Fraction | Decimal

#: Most working days, working hours, calendar days or months a budget may count. The
#: calendar's 38,716 days are far below it; its point is that every figure of a budget
#: (minutes, ``timedelta``, label) stays computable and printable.
MAX_AMOUNT = 1_000_000_000
#: Longest start of a working day (đầu giờ) a :class:`SameDayRule` may set: a whole day.
MAX_OPENING_MINUTES = 24 * 60


def _exact(value: Any, unit: str) -> Fraction:
    """An exact, non-negative amount of ``unit`` up to :data:`MAX_AMOUNT`."""

    def fail(reason: str) -> NoReturn:
        raise BudgetError(
            f"budget amount {shown(value)} {reason}. Write the number of {unit} as an int, a "
            "string ('0.25'), a Fraction(1, 4) or a Decimal.",
            value=value,
        )

    amount = exact_fraction(value, fail)
    if amount < 0:
        raise BudgetError(f"a budget cannot be negative, got {shown(value)}.", value=value)
    if amount > MAX_AMOUNT:
        raise BudgetError(
            f"a budget of {shown(value)} {unit} is more than {MAX_AMOUNT:,} {unit}, far past "
            "the years the calendar covers (1995–2100): it could never fall due. Check the "
            "number for a typo.",
            value=value,
        )
    return amount


def _whole(value: Any, unit: str) -> int:
    if type(value) is not int or not 0 <= value <= MAX_AMOUNT:
        beyond = (
            ", far past the years the calendar covers (1995–2100)"
            if type(value) is int and value > MAX_AMOUNT
            else ""
        )
        raise BudgetError(
            f"{unit} are counted in whole numbers from 0 to {MAX_AMOUNT:,} (a bool is not a "
            f"count), got {shown(value)}{beyond}.",
            value=value,
        )
    return value


def _days(value: Any) -> Fraction:
    return _exact(value, "working days")


def _hours(value: Any) -> Fraction:
    return _exact(value, "working hours")


def _calendar_days(value: Any) -> int:
    return _whole(value, "calendar days")


def _months(value: Any) -> int:
    return _whole(value, "months")


def _calendar(value: Any) -> WorkingCalendar:
    if not isinstance(value, WorkingCalendar):
        raise InvalidInputError(
            f"calendar must be a WorkingCalendar, got {shown(value)}.",
            value=value,
            hint="Pass vietnam_calendar(...); the start instant comes second: "
            "budget.due(calendar, start).",
        )
    return value


class Budget:
    """Base of every budget. Subclasses are frozen attrs classes. Budgets of one kind add up
    with ``+`` (working and calendar time together raise
    :class:`~tthc_flow.errors.BudgetError`, a sum beyond the bounds above is refused as its
    parts would be, and a number that is not a budget is Python's ``TypeError`` of an
    unsupported operand; ``0 + budget`` is the budget, so that ``sum()`` works)."""

    __slots__ = ()

    def due(self, calendar: WorkingCalendar, start: datetime) -> datetime:
        """The due instant of this budget started at ``start`` on ``calendar``."""
        raise NotImplementedError

    def on(self, calendar: WorkingCalendar) -> BoundBudget:
        """This budget bound to a calendar, so that ``start + budget.on(cal)`` is the due."""
        return BoundBudget(self, _calendar(calendar))

    @property
    def label(self) -> str:
        """Vietnamese label, as printed on a receipt: ``3 ngày làm việc``."""
        raise NotImplementedError


def _from_zero(budget: Budget, other: object) -> Any:
    """``0 + budget``: the budget, so that ``sum(budgets)`` works without a start value. The
    int 0 only: 0.0 or False is not how anyone writes "no time"."""
    if type(other) is int and other == 0:
        return budget
    return NotImplemented


def _added_to_none(budget: Budget, other: object) -> Any:
    """``budget + other`` for the budgets that add to no other (a same-day budget, a sum of
    steps' budgets): refused for a budget, as working and calendar time are; not a budget,
    Python's own ``TypeError``."""
    if isinstance(other, Budget):
        raise BudgetError(
            f"cannot add {other} to {budget}: only budgets of the same unit add up. Keep "
            "them as separate budgets (a unit's steps are shown together as a BudgetSum).",
            value=other,
        )
    return NotImplemented


def fraction_text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    text = format(decimal.normalize(), "f")
    return text if Fraction(text) == value else str(value)


class WorkingBudget(Budget):
    """A budget of working time (thời gian làm việc), counted in whole minutes."""

    __slots__ = ()

    @property
    def minutes(self) -> int:
        raise NotImplementedError

    @property
    def timedelta(self) -> timedelta:
        return timedelta(minutes=self.minutes)

    def due(self, calendar: WorkingCalendar, start: datetime) -> datetime:
        """``calendar.add_working_time(start, minutes)``: the earliest instant at which the
        budget has elapsed in working time (a budget ending at 17:00 ends at 17:00)."""
        return _calendar(calendar).add_working_time(start, self.timedelta)

    def __add__(self, other: object) -> WorkingBudget:
        if isinstance(other, WorkingBudget):
            if type(self) is type(other) and isinstance(self, WorkingDays):
                return WorkingDays(self.days + other.days)  # type: ignore[attr-defined]
            return WorkingHours(Fraction(self.minutes + other.minutes, 60))
        if isinstance(other, Budget):
            raise BudgetError(
                f"cannot add {other} to {self}: working time and calendar time do not add up. "
                "Keep them as separate budgets, or convert one explicitly.",
                value=other,
            )
        return NotImplemented

    __radd__ = _from_zero

    def __lt__(self, other: object) -> bool:
        if isinstance(other, WorkingBudget):
            return self.minutes < other.minutes
        return NotImplemented

    def __le__(self, other: object) -> bool:
        if isinstance(other, WorkingBudget):
            return self.minutes <= other.minutes
        return NotImplemented


@attrs.frozen(eq=False)
class WorkingDays(WorkingBudget):
    """``n`` working days (ngày làm việc) of 8 hours; fractions are exact. ``n`` is an int,
    a string, a Fraction or a Decimal from 0 to :data:`MAX_AMOUNT` in whole minutes; floats,
    bools, NaN, infinities and numbers written with more than 1,000 digits are refused with
    :class:`~tthc_flow.errors.BudgetError`.

    >>> WorkingDays("0.25").minutes, WorkingDays(Fraction(1, 4)) == WorkingDays("0.25")
    (120, True)
    >>> WorkingDays(2) + WorkingDays("0.5")
    WorkingDays(days=Fraction(5, 2))
    """

    days: Fraction = attrs.field(converter=_days)

    def __attrs_post_init__(self) -> None:
        # Integer arithmetic on the fraction's parts: a catalog asks this thousands of times.
        if self.days.numerator * MINUTES_PER_WORKING_DAY % self.days.denominator:
            raise BudgetError(
                f"{self.days} working days is not a whole number of minutes; working time is "
                "counted in minutes (0.25 day = 120 minutes).",
                value=self.days,
            )

    @property
    def minutes(self) -> int:
        return self.days.numerator * MINUTES_PER_WORKING_DAY // self.days.denominator

    @property
    def label(self) -> str:
        return f"{fraction_text(self.days)} ngày làm việc"

    def __str__(self) -> str:
        return f"{fraction_text(self.days)} working days"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, WorkingBudget):
            return self.minutes == other.minutes
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("working", self.minutes))


@attrs.frozen(eq=False)
class WorkingHours(WorkingBudget):
    """``n`` working hours (giờ làm việc); fractions are exact (``WorkingHours("1.5")``).
    ``n`` runs from 0 to :data:`MAX_AMOUNT`, in whole minutes, read as :class:`WorkingDays`
    reads its ``n``."""

    hours: Fraction = attrs.field(converter=_hours)

    def __attrs_post_init__(self) -> None:
        if self.hours.numerator * 60 % self.hours.denominator:
            raise BudgetError(
                f"{self.hours} working hours is not a whole number of minutes.", value=self.hours
            )

    @property
    def minutes(self) -> int:
        return self.hours.numerator * 60 // self.hours.denominator

    @property
    def label(self) -> str:
        return f"{fraction_text(self.hours)} giờ làm việc"

    def __str__(self) -> str:
        return f"{fraction_text(self.hours)} working hours"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, WorkingBudget):
            return self.minutes == other.minutes
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("working", self.minutes))


class CalendarBudget(Budget):
    """A budget in calendar time, resolved by the Civil Code rule (Art. 147–148)."""

    __slots__ = ()

    def __add__(self, other: object) -> CalendarBudget:
        if type(other) is type(self):
            return type(self)(self._count + other._count)  # type: ignore[call-arg]
        if isinstance(other, Budget):
            raise BudgetError(
                f"cannot add {other} to {self}: only budgets of the same unit add up.",
                value=other,
            )
        return NotImplemented

    __radd__ = _from_zero

    @property
    def _count(self) -> int:
        raise NotImplementedError


@attrs.frozen
class CalendarDays(CalendarBudget):
    """``n`` calendar days (ngày): the start day is not counted, and a last day that is not
    worked moves to the next working day; the period ends at 24:00 (Civil Code 2015,
    Art. 147–148). ``n`` is an int from 0 to :data:`MAX_AMOUNT` (a bool is not a count);
    a due after the calendar's last day is a :class:`~tthc_flow.errors.CalendarRangeError`
    (from 1 January 1995, 38,715 days is the most that can end inside 1995–2100)."""

    days: int = attrs.field(converter=_calendar_days)

    @property
    def _count(self) -> int:
        return self.days

    def due(self, calendar: WorkingCalendar, start: datetime) -> datetime:
        return _calendar(calendar).add_calendar_days(start, self.days)

    @property
    def label(self) -> str:
        return f"{self.days} ngày"

    def __str__(self) -> str:
        return f"{self.days} calendar days"


@attrs.frozen
class Months(CalendarBudget):
    """``n`` months (tháng): same day of the month ``n`` months on, or the month's last day
    (``dateutil.relativedelta``), then the Civil Code rule of :class:`CalendarDays`. ``n``
    is an int from 0 to :data:`MAX_AMOUNT` (a bool is not a count); a due after the
    calendar's last day is a :class:`~tthc_flow.errors.CalendarRangeError` (1,271 months is
    the most that can end inside 1995–2100)."""

    months: int = attrs.field(converter=_months)

    @property
    def _count(self) -> int:
        return self.months

    def due(self, calendar: WorkingCalendar, start: datetime) -> datetime:
        return _calendar(calendar).add_months(start, self.months)

    @property
    def label(self) -> str:
        return f"{self.months} tháng"

    def __str__(self) -> str:
        return f"{self.months} months"


class AfterCutoff(Labelled):
    """When a same-day budget received after the cut-off hour (or on a day not worked)
    falls due."""

    START_OF_NEXT_DAY = "start_of_next_day"
    NEXT_DAY = "next_day"


def _cutoff(value: time | None) -> time | None:
    if value is None:
        return None
    if not isinstance(value, time) or value.tzinfo is not None:
        raise BudgetError(
            f"a cut-off is a local time of day such as time(15, 0), got {shown(value)}.",
            value=value,
        )
    return value


def _opening(_instance: Any, _attribute: Any, value: Any) -> None:
    if type(value) is not int or not 1 <= value <= MAX_OPENING_MINUTES:
        raise BudgetError(
            f"the start of a working day (đầu giờ) lasts a whole number of working minutes, "
            f"from 1 to {MAX_OPENING_MINUTES:,} (a day), got {shown(value)}.",
            value=value,
        )


def _citation(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, str):
        raise BudgetError(
            f"a rule's citation is a text naming its article, got {shown(value)}.", value=value
        )


def _after_cutoff(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, AfterCutoff):
        raise BudgetError(
            f"after_cutoff must be an AfterCutoff, got {shown(value)}; use "
            "AfterCutoff.START_OF_NEXT_DAY or AfterCutoff.NEXT_DAY.",
            value=value,
        )


def _optional_rule(_instance: Any, _attribute: Any, value: Any) -> None:
    _rule(value, none=True)


def _rule(value: Any, *, none: bool) -> None:
    if not (isinstance(value, SameDayRule) or (none and value is None)):
        raise BudgetError(
            f"a same-day budget's rule must be a SameDayRule{' or None' if none else ''}, got "
            f"{shown(value)}; take it from the rule pack (e.g. DESK_TRANSFER_RULE).",
            value=value,
        )


def _budget(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, Budget):
        raise BudgetError(
            f"expected a budget (WorkingDays, CalendarDays...), got {shown(value)}.", value=value
        )


def _parts(value: Any) -> tuple[Budget, ...]:
    items = None
    if not isinstance(value, (str, bytes)) and isinstance(value, Iterable):
        items = tuple(value)
    if items is None or not all(isinstance(part, Budget) for part in items):
        raise BudgetError(
            f"a budget sum's parts must be budgets, got {shown(value)}.", value=value
        )
    return items


@attrs.frozen
class SameDayRule:
    """The rule behind a same-working-day budget (trong ngày làm việc), as a rule pack sets it.

    - ``cutoff``: a case received on a working day, at or before this local time (15:00:00
      sharp is still "at or before") and before the day's last session ends, is due at the
      end of that day's last session. None: no cut-off (any time before the close).
    - otherwise (received after the cut-off, after the close, or on a day not worked) it is
      due at the start of the next working day (đầu giờ), which lasts ``opening_minutes`` of
      working time from that day's first session, or within the whole next working day,
      as the budget's :class:`AfterCutoff` says.

    ``opening_minutes`` is an int from 1 to :data:`MAX_OPENING_MINUTES` (a day; a bool is not
    a count); ``citation`` a text.
    """

    cutoff: time | None = attrs.field(converter=_cutoff)
    opening_minutes: int = attrs.field(validator=_opening)
    citation: str = attrs.field(default="", validator=_citation)


# Decree 118/2025 Art. 18(2): "Chuyển ngay hồ sơ tiếp nhận trực tiếp trong ngày làm việc hoặc
# chuyển vào đầu giờ ngày làm việc tiếp theo đối với trường hợp tiếp nhận sau 15 giờ hàng
# ngày" (Decree 61/2018 Art. 18 said the same, as secondary sources give it). The decree does
# not say how long "đầu giờ" lasts: one working hour is this library's reading, a parameter
# of the rule pack that an agency sets to its own regulation.
DESK_TRANSFER_RULE = SameDayRule(
    cutoff=time(15, 0),
    opening_minutes=60,
    citation=(
        "Nghị định 118/2025/NĐ-CP, Điều 18 khoản 2 (chuyển trong ngày làm việc; tiếp nhận "
        "sau 15 giờ: đầu giờ ngày làm việc tiếp theo). 'Đầu giờ' is read as the first working "
        "hour: the decree does not say how long it lasts."
    ),
)


@attrs.frozen
class SameWorkingDay(Budget):
    """Within the same working day, with a cut-off hour (trong ngày làm việc): the budget of
    the one-stop desk's transfer (Decree 118/2025 Art. 18(2)) and of same-day procedures.

    Its due depends on when the case arrives (see :class:`SameDayRule`): on a working day,
    at or before the cut-off and before the close, the end of that day's last session;
    otherwise the start of the next working day (``AfterCutoff.START_OF_NEXT_DAY``, the
    desk's rule: its first ``opening_minutes`` of working time) or the end of the next
    working day (``AfterCutoff.NEXT_DAY``, e.g. certification under Decree 23/2015 Art. 7,
    as DOMAIN cites it from a secondary source). ``rule`` is the rule pack's
    :class:`SameDayRule`; None means :data:`DESK_TRANSFER_RULE` (the engine binds every
    same-day budget to the pack a case is judged by).

    In the step-budget sums a procedure is checked against, it counts as 0 working days
    ("0 ngày làm việc" is how internal workflows write it).

    >>> from tthc_flow.calendar import vietnam_calendar
    >>> from zoneinfo import ZoneInfo
    >>> cal, vn = vietnam_calendar(), ZoneInfo("Asia/Ho_Chi_Minh")
    >>> SameWorkingDay().due(cal, datetime(2026, 3, 2, 14, 0, tzinfo=vn)).isoformat()
    '2026-03-02T17:00:00+07:00'
    >>> SameWorkingDay().due(cal, datetime(2026, 3, 2, 15, 30, tzinfo=vn)).isoformat()
    '2026-03-03T09:00:00+07:00'
    """

    after_cutoff: AfterCutoff = attrs.field(
        default=AfterCutoff.START_OF_NEXT_DAY, validator=_after_cutoff
    )
    rule: SameDayRule | None = attrs.field(default=None, validator=_optional_rule)

    def bind(self, rule: SameDayRule) -> SameWorkingDay:
        """This budget judged by ``rule`` (the rule pack's)."""
        _rule(rule, none=False)
        return self if self.rule == rule else attrs.evolve(self, rule=rule)

    def due(self, calendar: WorkingCalendar, start: datetime) -> datetime:
        rule = self.rule if self.rule is not None else DESK_TRANSFER_RULE
        local = _calendar(calendar).to_local(start, "start")
        close = calendar.day_closing(local)
        if (
            close is not None
            and local < close
            and (rule.cutoff is None or local.time() <= rule.cutoff)
        ):
            return close
        following = calendar.add_working_days(local.date(), 1)
        if self.after_cutoff is AfterCutoff.NEXT_DAY:
            closing = calendar.day_closing(following)
            assert closing is not None  # a working day has sessions
            return closing
        opening = calendar.day_opening(following)
        assert opening is not None
        return calendar.add_working_time(opening, timedelta(minutes=rule.opening_minutes))

    @property
    def label(self) -> str:
        if self.after_cutoff is AfterCutoff.NEXT_DAY:
            return _SAME_DAY_OR_NEXT
        return _SAME_DAY

    def __str__(self) -> str:
        return (
            "same working day, else the next"
            if self.after_cutoff is AfterCutoff.NEXT_DAY
            else "same working day, else the start of the next"
        )

    __add__ = _added_to_none
    __radd__ = _from_zero


@attrs.frozen
class BudgetSum(Budget):
    """Several steps' budgets held by one unit (its own clock allows each, from when the unit
    took the step on), shown as their sum. Working budgets of one kind are summed by ``+``;
    this is for the others (a desk's two same-day steps). It has no due of its own."""

    parts: tuple[Budget, ...] = attrs.field(converter=_parts)

    def due(self, calendar: WorkingCalendar, start: datetime) -> datetime:
        raise BudgetError(
            f"{self} is a sum of steps' budgets, each allowed from its own start; it has no "
            "single due. Read the unit's clock for its due.",
            value=self,
        )

    @property
    def label(self) -> str:
        return " + ".join(part.label for part in self.parts)

    def __str__(self) -> str:
        return " + ".join(str(part) for part in self.parts)

    __add__ = _added_to_none
    __radd__ = _from_zero


_SAME_DAY = "trong ngày làm việc"
_SAME_DAY_OR_NEXT = "trong ngày làm việc hoặc ngày làm việc tiếp theo"


@attrs.frozen
class BoundBudget:
    """A budget on a calendar: ``start + bound`` is the due instant (dateutil style)."""

    budget: Budget = attrs.field(validator=_budget)
    calendar: WorkingCalendar = attrs.field(repr=False, converter=_calendar)

    def __radd__(self, other: object) -> datetime:
        """``start + bound``: the due from an aware ``start``; anything else is refused."""
        if isinstance(other, datetime):
            return self.budget.due(self.calendar, other)
        what = "a date" if isinstance(other, date) else f"a {type(other).__name__}"
        raise InvalidInputError(
            f"{shown(other)} is {what}; a budget on a calendar is added to an instant.",
            value=other,
            hint="Add it to an aware datetime, e.g. datetime(2026, 3, 2, 8, tzinfo=VN) + "
            "budget.on(calendar).",
        )


_UNITS = {
    "ngày làm việc": WorkingDays,
    "working days": WorkingDays,
    "working day": WorkingDays,
    "giờ làm việc": WorkingHours,
    "working hours": WorkingHours,
    "working hour": WorkingHours,
    "ngày": CalendarDays,
    "days": CalendarDays,
    "day": CalendarDays,
    "tháng": Months,
    "months": Months,
    "month": Months,
}


# A number written with ASCII digits: whole, decimal (point or comma) or a fraction a/b.
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+|/[0-9]+)?")


def parse_budget(text: str) -> Budget:
    """Read a budget as procedures publish it: ``"10 ngày làm việc"``, ``"0,5 ngày làm việc"``,
    ``"30 ngày"``, ``"3 tháng"``, ``"1/4 ngày làm việc"``, or the English ``"4 working
    hours"``.

    ``"trong ngày làm việc"`` (or ``"same working day"``) is :class:`SameWorkingDay`, and
    ``"trong ngày làm việc hoặc ngày làm việc tiếp theo"`` the same with
    ``AfterCutoff.NEXT_DAY``. The number is written with ASCII digits; case, spacing and
    Unicode normalisation (NFC or NFD) of the unit do not matter. A bare ``"giờ"`` (hours) is
    refused: laws use it for clock hours ("24 giờ"), which are not working hours; write
    ``"giờ làm việc"``.

    >>> parse_budget("0,5 ngày làm việc")
    WorkingDays(days=Fraction(1, 2))
    """
    if not isinstance(text, str):
        raise BudgetError(f"a budget is read from text, got {shown(text)}.", value=text)
    text = str.__str__(text)
    # Budgets are immutable values, and a catalog writes the same few texts thousands of
    # times: short texts are read once and kept (a long one is read, not kept).
    return _parse_budget(text) if len(text) <= 64 else _read_budget(text)


@functools.lru_cache(maxsize=4096)
def _parse_budget(text: str) -> Budget:
    return _read_budget(text)


def _read_budget(text: str) -> Budget:
    cleaned = " ".join(unicodedata.normalize("NFC", text).strip().lower().split())
    if cleaned in (_SAME_DAY, "same working day"):
        return SameWorkingDay()
    if cleaned in (_SAME_DAY_OR_NEXT, "same working day, else the next"):
        return SameWorkingDay(AfterCutoff.NEXT_DAY)
    number, _, unit = cleaned.partition(" ")
    kind = _UNITS.get(unit)
    if kind is None or _NUMBER.fullmatch(number) is None:
        hint = (
            " 'giờ' alone may mean clock hours; write 'giờ làm việc' for working hours."
            if unit == "giờ"
            else ""
        )
        raise BudgetError(
            f"cannot read {shown(text)} as a budget; write a number and a unit, e.g. "
            f"'10 ngày làm việc', '30 ngày', '3 tháng' or '4 giờ làm việc'.{hint}",
            value=text,
        )
    value = number.replace(",", ".")
    if kind in (CalendarDays, Months):
        if not value.isdigit():
            raise BudgetError(
                f"{shown(text)}: calendar days and months are whole numbers.", value=text
            )
        value = _plain(value)
        if len(value) > len(str(MAX_AMOUNT)):  # beyond the bound, so not converted
            raise BudgetError(
                f"{shown(text)}: a period is at most {MAX_AMOUNT:,} days or months, far past "
                "the years the calendar covers (1995–2100).",
                value=text,
            )
        return kind(int(value))
    return kind(_plain(value))


def _plain(number: str) -> str:
    """``number`` (digits, a point, a slash) without the zeros that do not change its value,
    so that its bounds judge the value, not how many zeros pad it (``"0001"`` is 1)."""
    if "/" in number:
        top, _, bottom = number.partition("/")
        return f"{_plain(top)}/{_plain(bottom)}"
    whole, _, fraction = number.partition(".")
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole

"""Time budgets (thời hạn): working days and hours, calendar days and months, as exact values.

A budget is a frozen value. Working budgets are exact fractions of a working day
(``WorkingDays("0.25")`` is 120 minutes; floats are refused because 0.1 of a day is not a
float) and add to each other; calendar budgets count days or months under the Civil Code.
Mixing the two kinds in one sum is an error: "3 working days + 2 days" has no meaning.

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

import enum
import re
import unicodedata
from datetime import datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from tthc_flow.calendar import MINUTES_PER_WORKING_DAY, WorkingCalendar
from tthc_flow.errors import BudgetError

__all__ = [
    "DESK_TRANSFER_RULE",
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


def _exact(value: Any) -> Fraction:
    if isinstance(value, (bool, float)):
        raise BudgetError(
            f"budget amount {value!r} is a {type(value).__name__}; floats cannot hold 0.1 of a "
            "day exactly. Write it as a string ('0.25'), a Fraction(1, 4) or a Decimal.",
            value=value,
        )
    try:
        amount = Fraction(value)
    except (TypeError, ValueError, ZeroDivisionError):
        raise BudgetError(
            f"cannot read {value!r} as a budget amount; use an int, a string such as '0.5', a "
            "Fraction or a Decimal.",
            value=value,
        ) from None
    if amount < 0:
        raise BudgetError(f"a budget cannot be negative, got {value!r}.", value=value)
    return amount


def _whole(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise BudgetError(
            f"calendar days and months are counted in whole non-negative numbers, got {value!r}.",
            value=value,
        )
    return value


class Budget:
    """Base of every budget. Subclasses are frozen attrs classes."""

    __slots__ = ()

    def due(self, calendar: WorkingCalendar, start: datetime) -> datetime:
        """The due instant of this budget started at ``start`` on ``calendar``."""
        raise NotImplementedError

    def on(self, calendar: WorkingCalendar) -> BoundBudget:
        """This budget bound to a calendar, so that ``start + budget.on(cal)`` is the due."""
        return BoundBudget(self, calendar)

    @property
    def label(self) -> str:
        """Vietnamese label, as printed on a receipt: ``3 ngày làm việc``."""
        raise NotImplementedError


def _fraction_text(value: Fraction) -> str:
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
        return calendar.add_working_time(start, self.timedelta)

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

    def __radd__(self, other: object) -> Any:
        if other == 0:  # so that sum(budgets) works
            return self
        return NotImplemented

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
    """``n`` working days (ngày làm việc) of 8 hours; fractions are exact.

    >>> WorkingDays("0.25").minutes, WorkingDays(Fraction(1, 4)) == WorkingDays("0.25")
    (120, True)
    >>> WorkingDays(2) + WorkingDays("0.5")
    WorkingDays(days=Fraction(5, 2))
    """

    days: Fraction = attrs.field(converter=_exact)

    def __attrs_post_init__(self) -> None:
        if (self.days * MINUTES_PER_WORKING_DAY).denominator != 1:
            raise BudgetError(
                f"{self.days} working days is not a whole number of minutes; working time is "
                "counted in minutes (0.25 day = 120 minutes).",
                value=self.days,
            )

    @property
    def minutes(self) -> int:
        return int(self.days * MINUTES_PER_WORKING_DAY)

    @property
    def label(self) -> str:
        return f"{_fraction_text(self.days)} ngày làm việc"

    def __str__(self) -> str:
        return f"{_fraction_text(self.days)} working days"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, WorkingBudget):
            return self.minutes == other.minutes
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("working", self.minutes))


@attrs.frozen(eq=False)
class WorkingHours(WorkingBudget):
    """``n`` working hours (giờ làm việc); fractions are exact (``WorkingHours("1.5")``)."""

    hours: Fraction = attrs.field(converter=_exact)

    def __attrs_post_init__(self) -> None:
        if (self.hours * 60).denominator != 1:
            raise BudgetError(
                f"{self.hours} working hours is not a whole number of minutes.", value=self.hours
            )

    @property
    def minutes(self) -> int:
        return int(self.hours * 60)

    @property
    def label(self) -> str:
        return f"{_fraction_text(self.hours)} giờ làm việc"

    def __str__(self) -> str:
        return f"{_fraction_text(self.hours)} working hours"

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

    @property
    def _count(self) -> int:
        raise NotImplementedError


@attrs.frozen
class CalendarDays(CalendarBudget):
    """``n`` calendar days (ngày): the start day is not counted, and a last day that is not
    worked moves to the next working day; the period ends at 24:00 (Civil Code 2015,
    Art. 147–148)."""

    days: int = attrs.field(converter=_whole)

    @property
    def _count(self) -> int:
        return self.days

    def due(self, calendar: WorkingCalendar, start: datetime) -> datetime:
        return calendar.add_calendar_days(start, self.days)

    @property
    def label(self) -> str:
        return f"{self.days} ngày"

    def __str__(self) -> str:
        return f"{self.days} calendar days"


@attrs.frozen
class Months(CalendarBudget):
    """``n`` months (tháng): same day of the month ``n`` months on, or the month's last day
    (``dateutil.relativedelta``), then the Civil Code rule of :class:`CalendarDays`."""

    months: int = attrs.field(converter=_whole)

    @property
    def _count(self) -> int:
        return self.months

    def due(self, calendar: WorkingCalendar, start: datetime) -> datetime:
        return calendar.add_months(start, self.months)

    @property
    def label(self) -> str:
        return f"{self.months} tháng"

    def __str__(self) -> str:
        return f"{self.months} months"


class AfterCutoff(enum.Enum):
    """When a same-day budget received after the cut-off hour (or on a day not worked)
    falls due."""

    START_OF_NEXT_DAY = "đầu giờ ngày làm việc tiếp theo (at the start of the next working day)"
    NEXT_DAY = "trong ngày làm việc tiếp theo (within the next working day)"


def _cutoff(value: time | None) -> time | None:
    if value is None:
        return None
    if not isinstance(value, time) or value.tzinfo is not None:
        raise BudgetError(
            f"a cut-off is a local time of day such as time(15, 0), got {value!r}.", value=value
        )
    return value


def _opening(_instance: Any, _attribute: Any, value: Any) -> None:
    if type(value) is not int or value < 1:
        raise BudgetError(
            f"the start of a working day (đầu giờ) lasts a whole number of working minutes, "
            f"at least 1, got {value!r}.",
            value=value,
        )


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
    """

    cutoff: time | None = attrs.field(converter=_cutoff)
    opening_minutes: int = attrs.field(validator=_opening)
    citation: str = ""


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

    after_cutoff: AfterCutoff = AfterCutoff.START_OF_NEXT_DAY
    rule: SameDayRule | None = None

    def bind(self, rule: SameDayRule) -> SameWorkingDay:
        """This budget judged by ``rule`` (the rule pack's)."""
        return self if self.rule == rule else attrs.evolve(self, rule=rule)

    def due(self, calendar: WorkingCalendar, start: datetime) -> datetime:
        rule = self.rule if self.rule is not None else DESK_TRANSFER_RULE
        local = start.astimezone(calendar.tz)
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


@attrs.frozen
class BudgetSum(Budget):
    """Several steps' budgets held by one unit (its own clock allows each, from when the unit
    took the step on), shown as their sum. Working budgets of one kind are summed by ``+``;
    this is for the others (a desk's two same-day steps). It has no due of its own."""

    parts: tuple[Budget, ...]

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


_SAME_DAY = "trong ngày làm việc"
_SAME_DAY_OR_NEXT = "trong ngày làm việc hoặc ngày làm việc tiếp theo"


@attrs.frozen
class BoundBudget:
    """A budget on a calendar: ``start + bound`` is the due instant (dateutil style)."""

    budget: Budget
    calendar: WorkingCalendar = attrs.field(repr=False)

    def __radd__(self, other: object) -> datetime:
        if isinstance(other, datetime):
            return self.budget.due(self.calendar, other)
        return NotImplemented


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
        raise BudgetError(f"a budget is read from text, got {text!r}.", value=text)
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
            f"cannot read {text!r} as a budget; write a number and a unit, e.g. "
            f"'10 ngày làm việc', '30 ngày', '3 tháng' or '4 giờ làm việc'.{hint}",
            value=text,
        )
    value = number.replace(",", ".")
    if kind in (CalendarDays, Months):
        if not value.isdigit():
            raise BudgetError(f"{text!r}: calendar days and months are whole numbers.", value=text)
        return kind(int(value))
    return kind(value)

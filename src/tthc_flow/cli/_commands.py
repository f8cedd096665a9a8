"""Sub-commands of ``tthc-flow``: each one a small object that registers and runs itself."""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import TypeVar

from tthc_flow._validators import shown
from tthc_flow.calendar import (
    OfficeHours,
    Session,
    WorkingCalendar,
    explain_due,
    format_instant,
    vietnam_calendar,
)
from tthc_flow.calendar._years import FIRST_YEAR, LAST_YEAR, check_year
from tthc_flow.cli._command import Command, parse_day, parse_instant
from tthc_flow.codec import json_text
from tthc_flow.engine._budgets import (
    MAX_AMOUNT,
    Budget,
    CalendarDays,
    Months,
    WorkingDays,
    WorkingHours,
)
from tthc_flow.errors import (
    BudgetError,
    CalendarRangeError,
    InvalidInputError,
)

__all__ = ["COMMANDS", "DEMO_CASES"]

DEMO_CASES = 5000  # the demo's default number of simulated cases


def _hours_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--hours",
        metavar="SESSIONS",
        help=(
            "office hours Monday–Friday, e.g. '07:30-11:30,13:00-17:00' "
            "(default 08:00–12:00, 13:00–17:00)"
        ),
    )


def _calendar(args: argparse.Namespace, years: tuple[int, int] | None = None) -> WorkingCalendar:
    """The calendar the options ask for; over ``years`` only when given (a narrower span
    builds in a fraction of the time: the holidays of a century are not computed to answer
    one due date)."""
    first, last = (FIRST_YEAR, LAST_YEAR) if years is None else years
    if getattr(args, "hours", None):
        sessions = [Session.parse(part) for part in args.hours.split(",")]
        return vietnam_calendar(
            hours=OfficeHours.weekdays(*sessions), first_year=first, last_year=last
        )
    return vietnam_calendar(first_year=first, last_year=last)


_PLAIN_NUMBER = re.compile(r"[0-9]{1,7}(?:\.[0-9]{1,7}|/[1-9][0-9]{0,6})?")


def _years_for(start: datetime, args: argparse.Namespace) -> tuple[int, int] | None:
    """The years a due from ``start`` can need: from the year before ``start`` (its local
    year may be the one before its UTC year) to one past the end of the budget counted at
    its shortest (200 working days, 365 calendar days, 12 months a year). None when that
    reaches the calendar's own bounds, or the budget is not a plain number."""
    texts = (args.calendar_days, args.months, args.working_days, args.working_hours)
    given = next((text.strip() for text in texts if text is not None), "0")
    # Only a short plain number is read here (its checks are the budget's own, later): a
    # text such as 1e999999999 would otherwise be expanded to a billion digits.
    if _PLAIN_NUMBER.fullmatch(given) is None:
        return None
    amount = Fraction(given)
    if args.calendar_days is not None:
        years = int(amount // 365)
    elif args.months is not None:
        years = int(amount // 12)
    elif args.working_days is not None:
        years = int(amount // 200)
    else:
        years = int(amount // (8 * 200))
    first, last = start.year - 1, start.year + years + 2
    if first < FIRST_YEAR or last > LAST_YEAR:
        return None
    return first, last


B = TypeVar("B", bound=Budget)


def _budget(text: str, option: str, kind: type[B]) -> B:
    """The budget an option's text gives, or an error naming the option: a working budget
    reads ``3``, ``0.5`` or ``1/4`` (whole minutes, from 0 to
    :data:`~tthc_flow.engine._budgets.MAX_AMOUNT`); calendar days and months read ASCII digits
    only (``15``, not ``-1`` nor ``1e3``). Whether the due falls inside the calendar
    (1995–2100) is checked when it is computed (:func:`_due`)."""
    value: object = text.strip()
    if kind in (CalendarDays, Months):
        digits = text.strip()
        # More digits than the bound has is out of bounds, and is not converted.
        if not (digits.isascii() and digits.isdigit() and len(digits) <= len(str(MAX_AMOUNT))):
            raise InvalidInputError(
                f"{option} {shown(text)} is not a whole number from 0 to {MAX_AMOUNT:,}.",
                value=text,
                hint=f"Write e.g. {option} 15.",
            )
        value = int(digits)
    try:
        return kind(value)  # type: ignore[call-arg]
    except BudgetError as error:
        raise InvalidInputError(
            f"{option} {shown(text)}: {error}",
            value=text,
            hint=f"Write e.g. {option} 3, 0.5 or 1/4."
            if kind in (WorkingDays, WorkingHours)
            else f"Write e.g. {option} 15.",
        ) from None


# ----------------------------------------------------------------------------- calendar


def _calendar_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("year", help="year, 1995–2100")
    _hours_argument(parser)


def _run_calendar(args: argparse.Namespace) -> int:
    text = args.year.strip()
    year = check_year(
        int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else text, "year"
    )
    cal = _calendar(args)
    days = cal.notable_days(date(year, 1, 1), date(year, 12, 31))
    print(f"Lịch làm việc năm {year} (working calendar {year}) — {cal.name}")
    print(f"Giờ làm việc (office hours): {cal.hours[-1].hours}")
    closed = [d for d in days if not d.is_working]
    worked = [d for d in days if d.is_working]
    print(f"\nNgày thường được nghỉ (closed weekdays): {len(closed)}")
    for info in closed:
        print(f"  {info}")
    print(f"\nNgày nghỉ hằng tuần phải làm việc (worked weekend days): {len(worked)}")
    for info in worked:
        print(f"  {info}")
    total = len(cal.working_days(date(year, 1, 1), date(year, 12, 31)))
    print(f"\nTổng số ngày làm việc (working days in {year}): {total}")
    return 0


# ----------------------------------------------------------------------------- due


def _due_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from", dest="start", required=True, help="start instant, ISO 8601 with offset"
    )
    budget = parser.add_mutually_exclusive_group(required=True)
    budget.add_argument(
        "--working-days", help="working days (8 h each); fractions allowed: 0.5, 1/4"
    )
    budget.add_argument("--working-hours", help="working hours; fractions allowed")
    budget.add_argument("--calendar-days", help="calendar days (Civil Code Art. 147–148)")
    budget.add_argument("--months", help="months (Civil Code Art. 148)")
    _hours_argument(parser)


T = TypeVar("T")


def _due(compute: Callable[[], T], cal: WorkingCalendar, args: argparse.Namespace,
         option: str) -> T:  # fmt: skip
    """``compute()``, with a due past the calendar's last day named by the option."""
    try:
        return compute()
    except CalendarRangeError:
        given = getattr(args, option.lstrip("-").replace("-", "_"))
        raise CalendarRangeError(
            f"--from {args.start} + {option} {given}", first=cal.first_day, last=cal.last_day,
            what="the due of",
        ) from None


def _run_due(args: argparse.Namespace) -> int:
    start = parse_instant(args.start)
    years = _years_for(start, args)
    if years is not None:
        # The same answer from a calendar over the years the due can fall in. It is kept
        # only when the year after the due is inside that calendar too (a make-up Saturday
        # late in a year is named after the day off it pays back, in the next year); any
        # other answer, and any error, is asked again of the whole calendar, so that errors
        # name the calendar's real bounds.
        answer = io.StringIO()
        try:
            with contextlib.redirect_stdout(answer):
                due = _answer_due(args, _calendar(args, years), start)
        except CalendarRangeError:
            pass
        else:
            if due.astimezone(start.tzinfo).year < years[1]:
                sys.stdout.write(answer.getvalue())
                return 0
    _answer_due(args, _calendar(args), start)
    return 0


def _answer_due(args: argparse.Namespace, cal: WorkingCalendar, start: datetime) -> datetime:
    """Print the due of ``args``' budget from ``start`` in ``cal``, explained; return it."""
    try:
        cal.position(start)
    except CalendarRangeError:
        raise CalendarRangeError(
            args.start, first=cal.first_day, last=cal.last_day, what="--from"
        ) from None
    if args.calendar_days is not None or args.months is not None:
        if args.calendar_days is not None:
            days = _budget(args.calendar_days, "--calendar-days", CalendarDays)
            end = _due(lambda: days.due(cal, start), cal, args, "--calendar-days")
            budget = f"{days.days} ngày (calendar days)"
        else:
            months = _budget(args.months, "--months", Months)
            end = _due(lambda: months.due(cal, start), cal, args, "--months")
            budget = f"{months.months} tháng (months)"
        last_day = end.date() - timedelta(days=1)
        print(f"Bắt đầu (start): {format_instant(start.astimezone(cal.tz))}")
        print(f"Thời hạn (budget): {budget}; ngày đầu không tính (start day not counted)")
        for info in cal.notable_days(start, last_day):
            print(f"  {info}")
        print(f"Hạn (due): hết ngày {last_day:%d/%m/%Y} (24:00) — {end.isoformat()}")
        return end
    working: WorkingDays | WorkingHours
    if args.working_days is not None:
        option, working = "--working-days", _budget(args.working_days, "--working-days",
                                                    WorkingDays)  # fmt: skip
    else:
        option, working = "--working-hours", _budget(args.working_hours, "--working-hours",
                                                     WorkingHours)  # fmt: skip
    amount = working.timedelta
    explanation = _due(lambda: explain_due(cal, start, amount), cal, args, option)
    print(explanation)
    print(f"ISO: {explanation.due.isoformat()}")
    return explanation.due


# ----------------------------------------------------------------------------- explain


def _explain_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("day", type=parse_day, help="a date, YYYY-MM-DD")
    _hours_argument(parser)


def _run_explain(args: argparse.Namespace) -> int:
    info = _calendar(args).explain(args.day)
    print(info)
    for reason in info.reasons:
        print(f"  - {reason.kind.label}: {reason.name}")
        if reason.source:
            print(f"    nguồn (source): {reason.source}")
    return 0


# ----------------------------------------------------------------------------- demo


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not at least 1")
    return value


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cases", type=_positive, default=DEMO_CASES,
        help=f"simulated cases (default {DEMO_CASES:,}; 1000000 works, with progress)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=2025, help="the same seed, the same year")
    parser.add_argument("--year", type=int, default=2025, help="year simulated (2019–2100)")
    parser.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None,
        help="show progress on standard error (default: for 50,000 cases or more)",
    )  # fmt: skip
    parser.add_argument("--store", metavar="PATH",
                        help="keep the cases in this new SQLite file (default: a temporary "
                             "one)")  # fmt: skip


def _run_demo(args: argparse.Namespace) -> int:
    from tthc_flow.cli._demo import run_demo  # the simulation and reports, for this command only

    run_demo(cases=args.cases, seed=args.seed, year=args.year, progress=args.progress,
             store=args.store)  # fmt: skip
    return 0


def _schema_arguments(parser: argparse.ArgumentParser) -> None:
    from tthc_flow.views import SCHEMA_NAMES

    parser.add_argument("name", choices=SCHEMA_NAMES, help="the view whose schema to print")


def _run_schema(args: argparse.Namespace) -> int:
    from tthc_flow.views import json_schema

    print(json_text(json_schema(args.name)))
    return 0


COMMANDS = (
    Command(
        "demo",
        "a simulated year of cases over the sample catalog: the figures an agency head wants",
        _demo_arguments,
        _run_demo,
    ),
    Command(
        "calendar",
        "closed weekdays and worked weekend days of a year, with reasons",
        _calendar_arguments,
        _run_calendar,
    ),
    Command("due", "due instant of a budget from a start, explained", _due_arguments, _run_due),
    Command("explain", "why a day is worked or not", _explain_arguments, _run_explain),
    Command(
        "schema",
        "the published JSON Schema of a view (case, clock_reading, case_status, error…)",
        _schema_arguments,
        _run_schema,
    ),
)

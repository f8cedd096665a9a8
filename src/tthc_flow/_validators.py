"""Checks of input values shared by the library's value classes and functions: whole days,
aware instants, non-empty texts, exact numbers. Each refusal is a typed error from
:mod:`tthc_flow.errors` that says what was wrong and how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, NoReturn

from tthc_flow.errors import InvalidInputError, NaiveDatetimeError

__all__ = [
    "MAX_NUMBER_DIGITS",
    "aware",
    "exact_fraction",
    "exact_number",
    "flag",
    "instance_of",
    "plain_date",
    "required_text",
    "shown",
]

#: Most digits a number written as text or as a ``Decimal`` may have, and the largest
#: power of ten its exponent may reach either way (``"1e1000"`` is read, ``"1e1001"`` is
#: not): an exact fraction of ``"1e999999999"`` would take longer to build than any
#: deadline it could describe.
MAX_NUMBER_DIGITS = 1_000


def shown(value: Any, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters, for error messages: an int too long to
    print (Python refuses past 4,300 digits) is described by its size, and a value whose
    ``repr`` fails by its type, so that reporting a bad value never fails itself."""
    if type(value) is int and value.bit_length() > 3_000:
        return f"<an int of about {int(value.bit_length() * 0.30103):,} digits>"
    try:
        text = repr(value)
    except Exception:
        return f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain_date(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a ``datetime.date`` itself, not a datetime (a whole day, not an
    instant) nor a string."""
    if type(value) is not date:
        raise InvalidInputError(
            f"{attribute.name} must be a datetime.date (not a datetime or a string), "
            f"got {shown(value)}.",
            value=value,
            hint="Write e.g. date(2026, 1, 1): a whole day.",
        )


def required_text(hint: str) -> Callable[[Any, Any, Any], None]:
    """attrs validator factory: a text with something besides spaces in it."""

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, str) or not value.strip():
            raise InvalidInputError(
                f"{type(instance).__name__}.{attribute.name} must be a non-empty text, got "
                f"{shown(value)}.",
                value=value,
                hint=hint,
            )

    return check


def aware(at: object, argument: str = "at") -> datetime:
    """``at`` itself if it is an aware datetime; else a typed error saying how to fix it
    (:class:`~tthc_flow.errors.NaiveDatetimeError` for a datetime without a time zone)."""
    if not isinstance(at, datetime):
        raise InvalidInputError(
            f"{argument} must be an aware datetime, got {shown(at)}.",
            value=at,
            hint="Write e.g. datetime(2026, 3, 31, 17, tzinfo=ZoneInfo('Asia/Ho_Chi_Minh')).",
        )
    if at.tzinfo is None or at.utcoffset() is None:
        raise NaiveDatetimeError(at, argument=argument)
    return at


# A number as text: a decimal (with an optional exponent) or a fraction, ASCII only.
_NUMBER_TEXT = re.compile(
    r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?(?:/[0-9]+)?", re.ASCII
)


def exact_fraction(value: Any, fail: Callable[[str], NoReturn]) -> Fraction:
    """``value`` as an exact fraction: an int, a string (``"0.035"``, ``"1/4"``, ``"2e3"``),
    a Fraction or a Decimal. Anything else calls ``fail(reason)``, which raises the caller's
    typed error with ``reason`` (a sentence without the value's name):

    - floats and bools: 0.1 is not a float, and ``True`` is not a number;
    - NaN and infinities;
    - text or a Decimal with more than :data:`MAX_NUMBER_DIGITS` digits, or an exponent
      beyond ±:data:`MAX_NUMBER_DIGITS` (checked before any big number is built).
    """
    if isinstance(value, bool):
        fail("is a bool, not a number (True is not 1 of anything)")
    if isinstance(value, float):
        fail("is a float, which cannot hold 0.1 exactly")
    if isinstance(value, str):
        text = value.strip(" ")
        if _NUMBER_TEXT.fullmatch(text) is None:
            # Decimal and Fraction would also take "1_000", other scripts' digits and
            # surrounding line breaks: a number written for this library is plain ASCII.
            fail(
                "is not written as a plain number (ASCII digits, an optional sign, point, "
                "exponent or /denominator, e.g. '0.5', '1/4', '2e3')"
            )
        if sum(char.isdigit() for char in text) > MAX_NUMBER_DIGITS:
            fail(f"has more than {MAX_NUMBER_DIGITS:,} digits")
        try:
            value = Decimal(text)  # reads an exponent without building 10**exponent
        except (InvalidOperation, ValueError):
            value = text  # "1/4": only Fraction reads it, and it has no exponent
    if isinstance(value, Decimal):
        if not value.is_finite():
            fail("is not a finite number")
        if value and (
            len(value.as_tuple().digits) > MAX_NUMBER_DIGITS
            or abs(value.adjusted()) > MAX_NUMBER_DIGITS
        ):
            fail(f"has more than {MAX_NUMBER_DIGITS:,} digits before or after the point")
    try:
        return Fraction(value)
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
        fail("cannot be read as an exact number")


def exact_number(value: Any, *, what: str, example: str) -> Fraction:
    """``value`` as an exact fraction: an int, a string (``"0.035"``), a Fraction or a
    Decimal. Floats, bools, NaN, infinities and numbers past :data:`MAX_NUMBER_DIGITS`
    digits are refused with :class:`~tthc_flow.errors.InvalidInputError`: 0.1 is not a
    float."""

    def fail(reason: str) -> NoReturn:
        raise InvalidInputError(
            f"{what} {shown(value)} {reason}; {what}s are exact numbers.",
            value=value,
            hint=f"Write it as a string or a Fraction, e.g. {example}.",
        )

    return exact_fraction(value, fail)


def flag(value: Any, argument: str) -> bool:
    """``value`` if it is a bool; else :class:`~tthc_flow.errors.InvalidInputError`: a
    switch given ``"no"`` or ``0`` would be read the wrong way round."""
    if type(value) is not bool:
        raise InvalidInputError(
            f"{argument} must be True or False, got {shown(value)}.",
            value=value,
            hint=f"Pass {argument}=True or {argument}=False.",
        )
    return value


def instance_of(kind: type | tuple[type, ...], hint: str) -> Callable[[Any, Any, Any], None]:
    """attrs validator factory: a value of ``kind`` (a bool is never taken for an int), else
    :class:`~tthc_flow.errors.InvalidInputError` naming the class and field."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = " or ".join(k.__name__ for k in kinds)

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, kinds) or (type(value) is bool and bool not in kinds):
            raise InvalidInputError(
                f"{type(instance).__name__}.{attribute.name} must be a {names}, got "
                f"{shown(value)}.",
                value=value,
                hint=hint,
            )

    return check

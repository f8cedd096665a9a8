"""Checks of input values shared by the library's value classes and functions: whole days,
aware instants, non-empty texts, exact numbers. Each refusal is a typed error from
:mod:`tthc_flow.errors` that says what was wrong and how to fix it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from tthc_flow.errors import InvalidInputError, NaiveDatetimeError

__all__ = ["aware", "exact_number", "plain_date", "required_text"]


def plain_date(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a ``datetime.date`` itself, not a datetime (a whole day, not an
    instant) nor a string."""
    if type(value) is not date:
        raise InvalidInputError(
            f"{attribute.name} must be a datetime.date (not a datetime or a string), "
            f"got {value!r}.",
            value=value,
            hint="Write e.g. date(2026, 1, 1): a whole day.",
        )


def required_text(hint: str) -> Callable[[Any, Any, Any], None]:
    """attrs validator factory: a text with something besides spaces in it."""

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, str) or not value.strip():
            raise InvalidInputError(
                f"{type(instance).__name__}.{attribute.name} must be a non-empty text, got "
                f"{value!r}.",
                value=value,
                hint=hint,
            )

    return check


def aware(at: object, argument: str = "at") -> datetime:
    """``at`` itself if it is an aware datetime; else a typed error saying how to fix it
    (:class:`~tthc_flow.errors.NaiveDatetimeError` for a datetime without a time zone)."""
    if not isinstance(at, datetime):
        raise InvalidInputError(
            f"{argument} must be an aware datetime, got {at!r}.",
            value=at,
            hint="Write e.g. datetime(2026, 3, 31, 17, tzinfo=ZoneInfo('Asia/Ho_Chi_Minh')).",
        )
    if at.tzinfo is None or at.utcoffset() is None:
        raise NaiveDatetimeError(at, argument=argument)
    return at


def exact_number(value: Any, *, what: str, example: str) -> Fraction:
    """``value`` as an exact fraction: an int, a string (``"0.035"``), a Fraction or a
    Decimal. Floats and bools are refused: 0.1 is not a float."""
    if isinstance(value, (bool, float)):
        raise InvalidInputError(
            f"{what} {value!r} is a {type(value).__name__}; {what}s are exact.",
            value=value,
            hint=f"Write it as a string or a Fraction, e.g. {example}.",
        )
    try:
        return Fraction(value)
    except (TypeError, ValueError, ZeroDivisionError):
        raise InvalidInputError(
            f"cannot read {value!r} as a {what}.", value=value, hint=f"Write e.g. {example}."
        ) from None

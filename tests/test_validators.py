"""The shared input checks: whole days, aware instants, non-empty texts, exact numbers."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_flow.errors import InvalidInputError, NaiveDatetimeError
from tthc_flow.validators import aware, exact_number, plain_date, required_text


@attrs.frozen
class Held:
    day: date = attrs.field(validator=plain_date)
    name: str = attrs.field(default="x", validator=required_text("Name it."))


def test_a_plain_date_is_a_whole_day() -> None:
    assert Held(date(2026, 1, 1)).day == date(2026, 1, 1)
    for bad in (datetime(2026, 1, 1, tzinfo=timezone.utc), "2026-01-01", None):
        with pytest.raises(InvalidInputError, match=r"must be a datetime\.date"):
            Held(bad)  # type: ignore[arg-type]


def test_required_text_refuses_blanks_and_names_the_field() -> None:
    with pytest.raises(InvalidInputError, match=r"Held\.name must be a non-empty text") as error:
        Held(date(2026, 1, 1), "  ")
    assert error.value.hint == "Name it."


def test_aware_instants_only() -> None:
    instant = datetime(2026, 1, 1, 8, tzinfo=timezone.utc)
    assert aware(instant) is instant
    with pytest.raises(NaiveDatetimeError):
        aware(datetime(2026, 1, 1, 8), "until")
    with pytest.raises(InvalidInputError, match="until must be an aware datetime"):
        aware(date(2026, 1, 1), "until")


@given(st.fractions())
def test_exact_numbers_read_their_own_text(value: Fraction) -> None:
    assert exact_number(str(value), what="share", example="'0.75'") == value


def test_exact_numbers_refuse_floats_and_bools() -> None:
    assert exact_number("0.035", what="threshold", example="'0.035'") == Fraction(7, 200)
    assert exact_number(Decimal("0.5"), what="share", example="'0.5'") == Fraction(1, 2)
    for bad in (0.5, True, "abc", None):
        with pytest.raises(InvalidInputError):
            exact_number(bad, what="share", example="'0.5'")

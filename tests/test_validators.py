"""The shared input checks: whole days, aware instants, non-empty texts, exact numbers."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_flow._validators import (
    aware,
    exact_number,
    flag,
    instance_of,
    plain_date,
    required_text,
    shown,
)
from tthc_flow.errors import InvalidInputError, NaiveDatetimeError


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


def test_exact_numbers_refuse_what_is_not_finite_or_too_long() -> None:
    for bad in (Decimal("Infinity"), Decimal("NaN"), Decimal("sNaN"), "inf", "nan",
                "1e1001", "1" * 1_001, Decimal("1e-1001")):  # fmt: skip
        with pytest.raises(InvalidInputError, match="share"):
            exact_number(bad, what="share", example="'0.5'")
    assert exact_number(" 2e3 ", what="count", example="'3'") == 2_000
    assert exact_number("1/4", what="share", example="'0.5'") == Fraction(1, 4)


def test_flags_and_kinds_refuse_look_alikes() -> None:
    assert flag(True, "at_close") is True
    for bad in (1, 0, "yes", None):
        with pytest.raises(InvalidInputError, match="at_close must be True or False"):
            flag(bad, "at_close")

    @attrs.frozen
    class Counted:
        n: int = attrs.field(validator=instance_of(int, "Count it."))

    assert Counted(3).n == 3
    for bad in (True, "3", 3.0):
        with pytest.raises(InvalidInputError, match=r"Counted\.n must be a int"):
            Counted(bad)  # type: ignore[arg-type]


def test_a_value_too_long_to_print_is_described() -> None:
    assert shown(10**5000) == "<an int of about 5,000 digits>"
    assert shown("abc") == "'abc'"

    class Unprintable:
        def __repr__(self) -> str:
            raise RuntimeError

    assert shown(Unprintable()) == "<Unprintable>"
    with pytest.raises(InvalidInputError, match="about 5,000 digits"):
        aware(10**5000)


def test_a_number_written_as_text_is_plain_ascii() -> None:
    from tthc_flow.engine import WorkingDays
    from tthc_flow.errors import BudgetError

    for written, days in (("0.5", Fraction(1, 2)), (" 2 ", 2), ("1/4", Fraction(1, 4)),
                          ("2e3", 2000), (".5", Fraction(1, 2))):  # fmt: skip
        assert WorkingDays(written).days == days
    for bad in ("1_000", "\u0663", "\uff13", "3\n", "\u0663/\u0664", "0x10", "1,5", "½"):
        with pytest.raises(BudgetError, match="plain number"):
            WorkingDays(bad)


@given(st.one_of(st.text(), st.none(), st.integers(), st.binary()))
def test_a_plain_name_is_one_name_text_takes_as_it_is(value: object) -> None:
    """The fast path every reader takes (``plain_name``) never accepts what the checked
    path (``name_text``) would refuse or rewrite: control characters, lone surrogates, line
    separators, text not in NFC, anything but a str."""
    import unicodedata

    from tthc_flow.codec import name_text, plain_name

    if plain_name(value):
        assert name_text(value, "name") == value
    if isinstance(value, str) and value != unicodedata.normalize("NFC", value):
        assert not plain_name(value)


@pytest.mark.parametrize(
    ("value", "plain"),
    [("Phòng Tư pháp", True), ("Pho\u0300ng", False), ("a\tb", False), ("a\u2028b", False),
     ("\ud800", False), ("", True), (None, False), (b"abc", False)],
)  # fmt: skip
def test_plain_names_on_named_cases(value: object, plain: bool) -> None:
    from tthc_flow.codec import plain_name

    assert plain_name(value) is plain

"""Dossier codes (mã số hồ sơ) ``V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX``: round trips under
Hypothesis, every malformed part refused by name, generation from an instant in Vietnam's
time zone."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_flow.errors import DossierCodeError, NaiveDatetimeError, TthcFlowError
from tthc_flow.portal import DossierCode

VN = ZoneInfo("Asia/Ho_Chi_Minh")

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.lists(digits, min_size=n, max_size=n).map("".join)


level1 = st.builds(
    lambda letter, number: letter + number,
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    _digits(2),
)
agencies = st.builds(
    lambda v, z, y, m: f"{v}.{z}.{y}.{m}", _digits(3), _digits(2), _digits(2), level1
)
codes = st.builds(
    DossierCode,
    agencies,
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.integers(min_value=1, max_value=9999),
)


@settings(max_examples=60)
@given(codes)
def test_parse_format_round_trip(code: DossierCode) -> None:
    text = code.format()
    assert DossierCode.parse(text) == code
    assert str(DossierCode.parse(text)) == text
    # The printed form, rebuilt by hand from the parts.
    expected = (
        f"{code.level4}.{code.level3}.{code.level2}.{code.level1}-"
        f"{code.received.year % 100:02d}{code.received.month:02d}{code.received.day:02d}-"
        f"{code.sequence:04d}"
    )
    assert text == expected
    assert len(text) == 25  # 13 for the agency, a dash, 6 for the date, a dash, 4


def test_a_real_shaped_code() -> None:
    code = DossierCode.parse(" 000.00.31.H42-250702-0007 ")
    assert (code.level4, code.level3, code.level2, code.level1) == ("000", "00", "31", "H42")
    assert code.received == date(2025, 7, 2)
    assert code.sequence == 7
    assert code == DossierCode("000.00.31.H42", date(2025, 7, 2), 7)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("00.00.31.H42-250702-0007", "V1V2V3"),
        ("0000.00.31.H42-250702-0007", "V1V2V3"),
        ("000.0.31.H42-250702-0007", "Z1Z2"),
        ("000.00.3a.H42-250702-0007", "Y1Y2"),
        ("000.00.31.h42-250702-0007", "MX1X2"),
        ("000.00.31.H4-250702-0007", "MX1X2"),
        ("000.00.31.442-250702-0007", "MX1X2"),
        ("000.00.31.H42-250230-0007", "YYMMDD"),  # 30 February
        ("000.00.31.H42-251301-0007", "YYMMDD"),
        ("000.00.31.H42-25072-0007", "YYMMDD"),
        ("000.00.31.H42-250702-0000", "XXXX"),
        ("000.00.31.H42-250702-00071", "XXXX"),
        ("000.00.31.H42-250702-7", "XXXX"),
        ("000.00.31.H42-250702", "format"),
        ("000.00.31-250702-0007", "format"),
        ("000.00.31.H42.01-250702-0007", "format"),
        ("", "format"),
    ],
)
def test_bad_codes_name_the_bad_part(text: str, part: str) -> None:
    with pytest.raises(DossierCodeError) as raised:
        DossierCode.parse(text)
    assert raised.value.part == part
    assert f"part {part}" in str(raised.value)
    assert isinstance(raised.value, ValueError) and isinstance(raised.value, TthcFlowError)


_PART_SLOTS = ("V1V2V3", "Z1Z2", "Y1Y2", "MX1X2", "YYMMDD", "XXXX")


@settings(max_examples=60)
@given(code=codes, slot=st.integers(0, 5), junk=st.sampled_from(["x", "1", "1234567", "ab1"]))
def test_one_broken_part_is_the_one_named(code: DossierCode, slot: int, junk: str) -> None:
    agency_parts = code.agency.split(".")
    parts = [*agency_parts, f"{code.received:%y%m%d}", f"{code.sequence:04d}"]
    lengths = (3, 2, 2, 3, 6, 4)
    if len(junk) == lengths[slot] and (slot != 3 or junk[0].isalpha()):
        junk = junk + "9"  # keep it the wrong length for its slot
    parts[slot] = junk
    text = ".".join(parts[:4]) + "-" + parts[4] + "-" + parts[5]
    with pytest.raises(DossierCodeError) as raised:
        DossierCode.parse(text)
    assert raised.value.part == _PART_SLOTS[slot]


def test_generate_reads_an_instant_in_vietnam() -> None:
    # 23:30 UTC on 1 July is 06:30 on 2 July in Vietnam.
    late = datetime(2025, 7, 1, 23, 30, tzinfo=timezone.utc)
    assert DossierCode.generate("000.00.31.H42", late, 12).format() == (
        "000.00.31.H42-250702-0012"
    )
    assert DossierCode.generate("000.00.00.G12", date(2026, 11, 24), 9999).format() == (
        "000.00.00.G12-261124-9999"
    )
    with pytest.raises(NaiveDatetimeError):
        DossierCode.generate("000.00.31.H42", datetime(2025, 7, 2, 8), 1)


@pytest.mark.parametrize(
    ("agency", "received", "sequence", "part"),
    [
        ("000.00.31.H42", date(2025, 7, 2), 10_000, "XXXX"),
        ("000.00.31.H42", date(2025, 7, 2), 0, "XXXX"),
        ("000.00.31.H42", date(2025, 7, 2), True, "XXXX"),
        ("000.00.31.H42", date(2100, 1, 1), 1, "YYMMDD"),
        ("000.00.31.H42", date(1999, 12, 31), 1, "YYMMDD"),
        ("000.00.31", date(2025, 7, 2), 1, "agency"),
        ("000.00.31.H42.7", date(2025, 7, 2), 1, "agency"),
        ("000.00.31.HH2", date(2025, 7, 2), 1, "MX1X2"),
    ],
)
def test_building_refuses_bad_parts(
    agency: str, received: date, sequence: int, part: str
) -> None:
    with pytest.raises(DossierCodeError) as raised:
        DossierCode(agency, received, sequence)
    assert raised.value.part == part


def test_a_datetime_is_not_a_receipt_date() -> None:
    with pytest.raises(DossierCodeError, match="generate"):
        DossierCode("000.00.31.H42", datetime(2025, 7, 2, 8, tzinfo=VN), 1)


BIG = 10**5000  # Python refuses to print an int past 4,300 digits


@pytest.mark.parametrize(
    ("agency", "received", "sequence", "part"),
    [("000.00.31.H42", datetime.max.replace(tzinfo=timezone.utc), 1, "YYMMDD"),
     ("000.00.31.H42", date(2025, 7, 2), BIG, "XXXX"),
     (BIG, date(2025, 7, 2), 1, "agency"),
     ("000.00.31.H42", BIG, 1, "YYMMDD")],
    ids=["datetime.max", "sequence", "agency", "received"],
)  # fmt: skip
def test_generate_refuses_what_has_no_code(
    agency: Any, received: Any, sequence: Any, part: str
) -> None:
    with pytest.raises(DossierCodeError) as raised:
        DossierCode.generate(agency, received, sequence)
    assert raised.value.part == part
    assert raised.value.to_json()["details"]["part"] == part


def test_parse_names_a_huge_int_by_its_size() -> None:
    with pytest.raises(DossierCodeError, match="5,000 digits"):
        DossierCode.parse(BIG)  # type: ignore[arg-type]

"""The case attributes the library reads are listed in one place, with a published schema:
every attribute the forms, the portal and the engine read is in the list, and the cases the
simulation and the form tests build validate against the schema."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from tests.test_forms import judicial_case, land_stopped
from tthc_flow.engine import Case
from tthc_flow.errors import InvalidInputError
from tthc_flow.forms import CASE_ATTRIBUTES, receipt
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate
from tthc_flow.views import json_schema

SRC = Path(__file__).resolve().parent.parent / "src" / "tthc_flow"
READ = re.compile(
    r"""attribute\(case, "(\w+)"\)|attributes\.get\("(\w+)"\)|attributes\["(\w+)"\]"""
)


def _read_in_source() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        if path.name == "simulation.py" or "testing" in path.parts:
            continue  # they write attributes, of the procedures' adjustments too
        for match in READ.finditer(path.read_text(encoding="utf-8")):
            found.add(next(group for group in match.groups() if group))
    return found


def test_every_attribute_the_library_reads_is_listed() -> None:
    read = _read_in_source()
    assert {"applicant", "documents", "deliver_to", "ledger_entry", "channel"} <= read
    assert read <= set(CASE_ATTRIBUTES), read - set(CASE_ATTRIBUTES)


def test_adjustment_attributes_belong_to_their_procedures() -> None:
    keys = {
        key
        for code in sample_catalog().codes
        for publication in sample_catalog().versions(code)
        for adjustment in publication.procedure.adjustments
        for key in adjustment.when
    }
    assert keys == {"remote_commune", "several_residences"}
    assert not keys & set(CASE_ATTRIBUTES)
    assert "'when'" in json_schema("case_attributes")["description"]


def test_real_cases_validate_and_a_wrong_type_does_not() -> None:
    schema = json_schema("case_attributes")
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    cases = [*simulate(sample_catalog(), cases=50, seed=5, year=2025), judicial_case(),
             land_stopped()]  # fmt: skip
    for case in cases:
        validator.validate(dict(case.attributes))
    assert not validator.is_valid({"documents": "Tờ khai"})  # one text, not a list
    assert not validator.is_valid({"channel": "fax"})
    assert validator.is_valid({"applicant": "Trần Văn Bình", "host_field": [1, 2]})


def test_the_readme_lists_every_attribute() -> None:
    readme = (SRC.parent.parent / "README.md").read_text(encoding="utf-8")
    for name in CASE_ATTRIBUTES:
        assert f"`{name}`" in readme, name


_VALIDATOR = Draft202012Validator(json_schema("case_attributes"))
_RECEIVED = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
# Texts without control characters, which every text field refuses on its own.
_TEXTS = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=5)
_VALUES = st.one_of(
    _TEXTS, st.integers(-3, 5), st.booleans(), st.floats(allow_nan=False, allow_infinity=False),
    st.lists(_TEXTS, max_size=2), st.lists(st.integers(), min_size=1, max_size=2),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(set(CASE_ATTRIBUTES) - {"channel"})), _VALUES)
def test_a_case_is_opened_with_exactly_the_attributes_the_schema_allows(
    name: str, value: Any
) -> None:
    # The published JSON Schema, read by jsonschema, is the oracle for Case.open's own check.
    catalog = sample_catalog()

    def opened() -> Case:
        return catalog.open_case("VD.LLTP", case_id="A-1", received_at=_RECEIVED, actor="Lan",
                                 attributes={name: value})  # fmt: skip

    # JSON Schema calls 1.0 an integer; a float is not a number of sets here.
    if _VALIDATOR.is_valid({name: value}) and type(value) is not float:
        assert opened().attributes[name] == value
    else:
        with pytest.raises(InvalidInputError, match=f"attributes.{name}"):
            opened()


@pytest.mark.parametrize("bad", [True, 1.5, "3", 0])
def test_a_history_with_a_wrong_attribute_is_read_but_not_printed(bad: object) -> None:
    # Refused when a case is opened; a history from before that check is still read (its
    # events are the record), and the forms refuse to print the value.
    good = sample_catalog().open_case("VD.LLTP", case_id="A-2", received_at=_RECEIVED,
                                      actor="Lan", attributes={"copies": 2})  # fmt: skip
    first, *rest = good.events
    data = {**first.data, "attributes": {"copies": bad}}
    old = Case.from_events(good.procedure, [attrs.evolve(first, data=data), *rest])
    assert old.attributes["copies"] == bad
    with pytest.raises(InvalidInputError, match="copies"):
        receipt(old)


def test_a_documents_list_is_checked_when_opened_and_a_history_is_read_as_written() -> None:
    catalog = sample_catalog()

    def opened(documents: object) -> Case:
        return catalog.open_case("VD.LLTP", case_id="D-1", received_at=_RECEIVED, actor="Lan",
                                 attributes={"documents": documents})  # fmt: skip

    for bad in ("Tờ khai", ["Tờ khai", 5], ["Tờ\x00khai"]):
        with pytest.raises(InvalidInputError, match=r"attributes\.documents"):
            opened(bad)
    assert opened(None).attributes["documents"] is None  # None: not given
    # A history whose receipt holds one text is read back (its events are the record), as
    # the report's fast path reads it: both paths count the case.
    first, *rest = opened(["Tờ khai"]).events
    data = {**first.data, "attributes": {"documents": "Tờ khai"}}
    old = Case.from_events(catalog.resolve("VD.LLTP", on=_RECEIVED.date()),
                           [attrs.evolve(first, data=data), *rest])  # fmt: skip
    assert old.attributes["documents"] == "Tờ khai"

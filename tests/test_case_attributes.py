"""The case attributes the library reads are listed in one place, with a published schema:
every attribute the forms, the portal and the engine read is in the list, and the cases the
simulation and the form tests build validate against the schema."""

from __future__ import annotations

import re
from pathlib import Path

from jsonschema import Draft202012Validator

from tests.test_forms import judicial_case, land_stopped
from tthc_flow.forms import CASE_ATTRIBUTES
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

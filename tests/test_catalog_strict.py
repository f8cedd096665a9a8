"""Catalogs from hostile input: the JSON reader is exactly as strict as the schema (a wrong
type refused, never guessed; every error naming its field), the writer refuses what would
not read back the same, and ``--catalog module:attr`` calls nothing but a catalog function."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tthc_flow.catalog import (
    Catalog,
    Unit,
    catalog_from_dict,
    catalog_from_json,
    catalog_to_dict,
    catalog_to_json,
    load_catalog,
    schema,
)
from tthc_flow.cli import build_parser
from tthc_flow.engine import (
    DECREE_118_2025,
    CalendarDays,
    ClosureRule,
    RescheduleRule,
    WorkingDays,
)
from tthc_flow.errors import (
    CatalogError,
    CatalogFormatError,
    CatalogLoadError,
    TthcFlowError,
)
from tthc_flow.samples import sample_catalog

SAMPLE = catalog_to_dict(sample_catalog())
SCHEMA = schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def document() -> dict[str, Any]:
    return copy.deepcopy(SAMPLE)


def refused(data: Any, path: str, *words: str) -> CatalogFormatError:
    """The reader's refusal of ``data``, naming ``path`` and saying ``words``; the schema
    refuses it too."""
    assert not VALIDATOR.is_valid(data)
    with pytest.raises(CatalogFormatError) as error:
        catalog_from_dict(data)
    assert error.value.path == path, str(error.value)
    for word in words:
        assert word in str(error.value)
    # Text and data are read the same way.
    with pytest.raises(CatalogFormatError) as again:
        catalog_from_json(json.dumps(data, ensure_ascii=False))
    assert again.value.path == path
    return error.value


# ---------------------------------------------------------------------------- known holes


def test_a_key_written_twice_is_refused_with_its_path() -> None:
    text = catalog_to_json(sample_catalog())
    twice = text.replace(
        '"format": "tthc_flow.catalog",', '"format": "tthc_flow.catalog", "format": "x",', 1
    )
    with pytest.raises(CatalogFormatError, match="written twice") as error:
        catalog_from_json(twice)
    assert error.value.path == "format"
    # Deep in the document, the standard reader would keep the last value silently.
    data = json.loads(text)
    days = data["rule_packs"][0]["reschedule"]["days_before_due"]
    deep = text.replace(
        f'"days_before_due": {days},', f'"days_before_due": {days}, "days_before_due": 30,', 1
    )
    with pytest.raises(CatalogFormatError, match="written twice") as error:
        catalog_from_json(deep)
    assert error.value.path == "rule_packs[0]/reschedule/days_before_due"


@pytest.mark.parametrize("version", [True, False, "2", 2.5, None, [2]])
def test_format_version_is_a_whole_number(version: object) -> None:
    data = document()
    data["format_version"] = version
    refused(data, "format_version", "format version")


def test_format_version_written_as_2_0_is_2_as_the_schema_reads_it() -> None:
    data = document()
    data["format_version"] = 2.0
    assert VALIDATOR.is_valid(data)
    assert catalog_from_dict(data) == sample_catalog()


@pytest.mark.parametrize("value", [5, True, None, ["x"], {"x": 1}])
def test_schema_key_is_a_text(value: object) -> None:
    data = document()
    data["$schema"] = value
    refused(data, "$schema", "text")


@pytest.mark.parametrize(
    "requires",
    [["reason"], ["new_due", "reason"], ["reason", "new_due", "signature"], [], "reason",
     ["reason", "reason"]],
)  # fmt: skip
def test_reschedule_requires_is_what_the_engine_checks_or_refused(requires: object) -> None:
    data = document()
    data["rule_packs"][0]["reschedule"]["requires"] = requires
    refused(data, "rule_packs[0]/reschedule/requires", "requires")


def test_reschedule_requires_written_as_the_engine_checks_it_reads_back() -> None:
    data = document()
    data["rule_packs"][0]["reschedule"]["requires"] = ["reason", "new_due"]
    assert catalog_from_dict(data) == sample_catalog()
    del data["rule_packs"][0]["reschedule"]["requires"]
    assert catalog_from_dict(data) == sample_catalog()


def test_a_pack_whose_requires_the_engine_would_ignore_is_not_written() -> None:
    pack = DECREE_118_2025.derive("TINH_X")
    pack = attrs.evolve(pack, reschedule=RescheduleRule("Điều 19", requires=("reason",)))
    procedure = sample_catalog().version("VD.LLTP", "2025.07")
    catalog = one_procedure_catalog(procedure, rules=pack)
    with pytest.raises(CatalogFormatError, match="requires") as error:
        catalog_to_json(catalog)
    assert error.value.path == "rule_packs[0]/reschedule/requires"


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("rule_packs", 0, "reschedule", "days_before_due"), 10**12),
        (("rule_packs", 0, "reschedule", "days_before_due"), 40_001),
        (("rule_packs", 0, "reschedule", "max_times"), 10**15),
        (("rule_packs", 0, "reasons", 0, "max_times"), 2**53 - 1),
        (("rule_packs", 1, "same_day", "opening_minutes"), 1_441),
        (("rule_packs", 0, "reschedule", "days_before_due"), -1),
    ],
)
def test_huge_counts_are_refused_with_their_path(where: tuple[Any, ...], value: int) -> None:
    data = document()
    place = data
    for part in where[:-1]:
        place = place[part]
    place[where[-1]] = value
    path = "/".join(f"{p}" if isinstance(p, str) else f"[{p}]" for p in where)
    refused(data, path.replace("/[", "["), "whole number from")


def test_an_integer_too_large_for_any_reader_is_refused_with_its_path() -> None:
    text = catalog_to_json(sample_catalog()).replace(
        '"days_before_due": 1', '"days_before_due": ' + "9" * 5000, 1
    )
    with pytest.raises(CatalogFormatError, match="larger than") as error:
        catalog_from_json(text)
    assert error.value.path == "rule_packs[0]/reschedule/days_before_due"
    with pytest.raises(CatalogFormatError, match="not a JSON number") as error:
        catalog_from_json(text.replace("9" * 5000, "NaN"))
    assert error.value.path == "rule_packs[0]/reschedule/days_before_due"


@pytest.mark.parametrize(
    ("where", "budget"),
    [
        (("procedures", 0, "total"), "40001 ngày"),
        (("procedures", 0, "total"), "999999 ngày làm việc"),
        (("procedures", 0, "total"), "320001 giờ làm việc"),
        (("procedures", 0, "total"), "1301 tháng"),
        (("procedures", 0, "total"), "9" * 5000 + " ngày"),
        (("procedures", 0, "total"), "1/" + "9" * 40 + " ngày làm việc"),
        (("rule_packs", 1, "closure", "after"), "99999 ngày"),
        (("rule_packs", 0, "reasons", 0, "window"), "50000 ngày làm việc"),
    ],
)
def test_budgets_longer_than_the_calendar_are_refused(where: tuple[Any, ...], budget: str) -> None:
    data = document()
    place = data
    for part in where[:-1]:
        place = place[part]
    place[where[-1]] = budget
    path = "/".join(f"{p}" if isinstance(p, str) else f"[{p}]" for p in where)
    with pytest.raises(CatalogFormatError) as error:
        catalog_from_dict(data)
    assert error.value.path == path.replace("/[", "[")


def test_budgets_and_dates_the_writer_would_not_read_back_are_not_written() -> None:
    procedure = sample_catalog().version("VD.LLTP", "2025.07")
    huge = DECREE_118_2025.derive("TINH_X")
    huge = attrs.evolve(huge, closure=ClosureRule(CalendarDays(50_000), "Điều 19"))
    with pytest.raises(CatalogFormatError, match="40,000") as error:
        catalog_to_json(one_procedure_catalog(procedure, rules=huge))
    assert error.value.path == "rule_packs[0]/closure/after"
    window = DECREE_118_2025.derive("TINH_Y")
    reasons = [attrs.evolve(r, window=WorkingDays(10**7)) if r.window else r
               for r in window.reasons.values()]  # fmt: skip
    window = attrs.evolve(window, reasons=reasons)
    with pytest.raises(CatalogFormatError) as error:
        catalog_to_json(one_procedure_catalog(procedure, rules=window))
    assert error.value.path.startswith("rule_packs[0]/reasons[")


@pytest.mark.parametrize("value", [None, 5, 2.5, True, [], "text", b"{}"])
def test_not_a_document_is_a_typed_error(value: Any) -> None:
    with pytest.raises(CatalogFormatError) as error:
        catalog_from_dict(value)
    assert error.value.path == "(document)"
    if not isinstance(value, bytes):
        with pytest.raises(CatalogFormatError) as error:
            catalog_from_json(value)
        assert error.value.path == "(document)"


def test_a_document_of_another_mapping_type_is_read_and_nested_ones_are_refused() -> None:
    from types import MappingProxyType

    assert catalog_from_dict(MappingProxyType(document())) == sample_catalog()
    data = document()
    data["units"][0] = MappingProxyType(data["units"][0])
    with pytest.raises(CatalogFormatError) as error:
        catalog_from_dict(data)
    assert error.value.path == "units[0]"


@pytest.mark.parametrize(
    ("change", "path", "word"),
    [
        (lambda d: d["procedures"][0]["steps"][1].__setitem__("role", None),
         "procedures[0]/steps[1]/role", "null"),
        (lambda d: d["procedures"][0]["steps"][1].__setitem__("unit", None),
         "procedures[0]/steps[1]/unit", "null"),
        (lambda d: d["units"][0].__setitem__("parent", None), "units[0]/parent", "null"),
        (lambda d: d.__setitem__("issuer", None), "issuer", "null"),
        (lambda d: d["procedures"][0]["steps"][0].__setitem__("next", "approve"),
         "procedures[0]/steps[0]/next", "array"),
        (lambda d: d["procedures"][0].__setitem__("legal_basis", "Nghị định 118"),
         "procedures[0]/legal_basis", "array"),
        (lambda d: d["procedures"][0].__setitem__("rules", "DECREE_118_2025"),
         "procedures[0]/rules", "array"),
        (lambda d: d["procedures"][0]["steps"][0].__setitem__("reception", 1),
         "procedures[0]/steps[0]/reception", "true or false"),
        (lambda d: d["rule_packs"][0]["reasons"][0].__setitem__("max_times", True),
         "rule_packs[0]/reasons[0]/max_times", "the boolean true"),
        (lambda d: d["rule_packs"][1]["same_day"].__setitem__("opening_minutes", False),
         "rule_packs[1]/same_day/opening_minutes", "the boolean false"),
        (lambda d: d["procedures"][0].__setitem__("version", 2018.1),
         "procedures[0]/version", "text"),
        (lambda d: d["procedures"][0].__setitem__("code", 7), "procedures[0]/code", "text"),
        (lambda d: d["procedures"][0].__setitem__("effective_from", "1990-01-01"),
         "procedures[0]/effective_from", "1995"),
        (lambda d: d["procedures"][0].__setitem__("review_by", "2101-01-01"),
         "procedures[0]/review_by", "2100"),
        (lambda d: d["procedures"][0].__setitem__("steps", []), "procedures[0]/steps",
         "at least 1"),
        (lambda d: d.pop("procedures"), "procedures", "missing"),
        (lambda d: d["units"][0].__setitem__("name", "Phòng\tTư pháp"), "units[0]/name",
         "U+0009"),
        (lambda d: d["units"][0].__setitem__("name", "Phòng\u2028Tư pháp"), "units[0]/name",
         "U+2028"),
        (lambda d: d["procedures"][0]["steps"][0].__setitem__("name", "Tiếp\x1bnhận"),
         "procedures[0]/steps[0]/name", "U+001B"),
    ],
)  # fmt: skip
def test_wrong_types_are_refused_never_guessed(change: Any, path: str, word: str) -> None:
    data = document()
    change(data)
    refused(data, path, word)


def test_a_lone_surrogate_or_control_character_anywhere_is_refused_with_its_path() -> None:
    text = catalog_to_json(sample_catalog())
    data = json.loads(text)
    citation = data["rule_packs"][0]["citation"]
    bad = text.replace(json.dumps(citation, ensure_ascii=False)[:-1], '"\\ud800', 1)
    with pytest.raises(CatalogFormatError, match="surrogate") as error:
        catalog_from_json(bad)
    assert error.value.path == "rule_packs[0]/citation"
    data["rule_packs"][0]["citation"] = "Điều 1\x00"
    with pytest.raises(CatalogFormatError, match="U\\+0000") as error:
        catalog_from_dict(data)
    assert error.value.path == "rule_packs[0]/citation"


def test_free_text_keeps_its_line_breaks() -> None:
    data = document()
    data["procedures"][0]["legal_basis"] = ["Nghị định 118/2025/NĐ-CP,\nĐiều 19\tkhoản 6"]
    assert VALIDATOR.is_valid(data)
    catalog = catalog_from_dict(data)
    assert catalog.procedures[0].legal_basis == ("Nghị định 118/2025/NĐ-CP,\nĐiều 19\tkhoản 6",)
    assert catalog_from_json(catalog_to_json(catalog)) == catalog


def test_names_are_read_in_nfc() -> None:
    data = document()
    decomposed = {
        unicodedata.normalize("NFC", u["name"]): unicodedata.normalize("NFD", u["name"])
        for u in data["units"]
    }
    assert any(k != v for k, v in decomposed.items())
    for unit in data["units"]:
        unit["name"] = decomposed[unit["name"]]
        if "parent" in unit:
            unit["parent"] = decomposed[unit["parent"]]
        unit["level"] = unicodedata.normalize("NFD", unit["level"])
    for procedure in data["procedures"]:
        for step in procedure["steps"]:
            step["unit"] = decomposed[step["unit"]]
            step["name"] = unicodedata.normalize("NFD", step["name"])
            if "role" in step:
                step["role"] = unicodedata.normalize("NFD", step["role"])
    catalog = catalog_from_dict(data)
    assert catalog == sample_catalog()
    assert catalog_to_json(catalog) == catalog_to_json(sample_catalog())


def test_a_name_not_in_nfc_is_not_written_as_if_it_would_read_back() -> None:
    name = unicodedata.normalize("NFD", "Phòng Tư pháp")
    procedure = sample_catalog().version("VD.LLTP", "2025.07")
    catalog = Catalog(
        name="c", issuer="i",
        units=[*sample_catalog().units.values(), Unit(name, "sở")],
        publications=[procedure],
    )  # fmt: skip
    with pytest.raises(CatalogFormatError, match="NFC") as error:
        catalog_to_json(catalog)
    assert error.value.path.endswith("/name") and error.value.path.startswith("units[")


def test_every_refusal_says_where_and_what_to_write() -> None:
    data = document()
    data["procedures"][1]["steps"][2]["budget"] = 3
    error = refused(data, "procedures[1]/steps[2]/budget", "the number 3", "write")
    assert str(error).startswith("procedures[1]/steps[2]/budget: ")


# ---------------------------------------------------------------------------- mutations


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value, parents before children."""
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*path, index))
    return found


PLACES = [p for p in _paths(SAMPLE) if p]


def _type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


_SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "null": st.none(),
    "boolean": st.booleans(),
    "number": st.one_of(
        st.integers(-(2**60), 2**60),
        st.sampled_from([0, 1, 2, 40_000, 40_001, 10**12, -1, 2.0]),
        st.floats(allow_nan=False, allow_infinity=False),
    ),
    "string": st.one_of(
        st.text(max_size=12),
        st.sampled_from(["", " ", "3 ngày", "0.5 ngày làm việc", "2025-07-01", "PAUSE", "15:00"]),
    ),
}
_SCALAR = st.one_of(*_SCALARS.values())
# A value of each JSON type.
VALUES: dict[str, st.SearchStrategy[Any]] = {
    **_SCALARS,
    "array": st.lists(_SCALAR, max_size=3),
    "object": st.dictionaries(st.text(max_size=6), _SCALAR, max_size=3),
}


def _dump(value: Any, twice: tuple[Any, ...] | None, path: tuple[Any, ...] = ()) -> str:
    """``value`` as JSON text, the key at ``twice`` written a second time with ``null``."""
    if isinstance(value, dict):
        items = [
            f"{json.dumps(k, ensure_ascii=False)}: {_dump(v, twice, (*path, k))}"
            for k, v in value.items()
        ]
        if twice is not None and len(twice) == len(path) + 1 and twice[:-1] == path:
            items.append(f"{json.dumps(twice[-1], ensure_ascii=False)}: null")
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dump(v, twice, (*path, n)) for n, v in enumerate(value)) + "]"
    return json.dumps(value, ensure_ascii=False)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Any, tuple[Any, ...], str]:
    """(how, the mutated document, the place changed, its text)."""
    data = document()
    place = draw(st.sampled_from(PLACES))
    parent = data
    for part in place[:-1]:
        parent = parent[part]
    how = draw(st.sampled_from(["replace", "drop", "duplicate"]))
    if how != "replace" and not isinstance(parent, dict):
        how = "replace"
    old = parent[place[-1]]
    if how == "replace":
        # A value of another JSON type; a number may also become another number.
        kinds = [k for k in VALUES if k != _type(old) or k == "number"]
        parent[place[-1]] = draw(VALUES[draw(st.sampled_from(kinds))])
    elif how == "drop":
        del parent[place[-1]]
    text = _dump(data, place if how == "duplicate" else None)
    return how, data, place, text


def _outcome(reader: Any, value: Any) -> Any:
    """What ``reader`` makes of ``value``: a catalog, or the library's refusal."""
    try:
        return reader(value)
    except TthcFlowError as error:
        return error


# TTHC_FLOW_FUZZ_EXAMPLES: the longer runs of tests/fuzz/run.py.
@settings(
    max_examples=int(os.environ.get("TTHC_FLOW_FUZZ_EXAMPLES", "200")),
    deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
@given(mutated())
def test_a_mutated_document_is_refused_typed_or_round_trips_exactly(
    case: tuple[str, Any, tuple[Any, ...], str],
) -> None:
    how, data, place, text = case
    read = _outcome(catalog_from_json, text)
    event(f"{how}: {type(read).__name__}")
    if isinstance(read, TthcFlowError):
        assert isinstance(read, CatalogError)
        if isinstance(read, CatalogFormatError):
            assert read.path  # every refusal names a place
        changed = "/".join(str(p) if isinstance(p, str) else f"[{p}]" for p in place)
        changed = changed.replace("/[", "[")
        if how == "duplicate":
            assert isinstance(read, CatalogFormatError)
            assert read.path == changed
        else:  # the same document as data is refused the same way
            as_data = _outcome(catalog_from_dict, data)
            assert type(as_data) is type(read)
            paths = {getattr(as_data, "path", None), getattr(read, "path", None)}
            # Text is checked as it is parsed, data after: two faults of one changed value
            # may be met in another order, both inside it.
            assert len(paths) == 1 or all(str(p).startswith(changed) for p in paths)
        return
    catalog = read
    assert how != "duplicate", "a key written twice was read"
    # Whatever the reader takes, the schema takes: the reader is never looser than it.
    VALIDATOR.validate(data)
    written = catalog_to_json(catalog)
    again = catalog_from_json(written)
    assert again == catalog
    assert catalog_to_json(again) == written
    assert catalog_from_dict(data) == catalog


# ---------------------------------------------------------------------------- loading


def test_a_builtin_named_by_module_attr_is_refused_without_being_called() -> None:
    # In a child process: were os.abort called, only the child would die.
    code = textwrap.dedent(
        """
        from tthc_flow.catalog import load_catalog
        from tthc_flow.errors import CatalogLoadError
        for spec in ("os:abort", "os:_exit", "sys:exit", "builtins:exit"):
            try:
                load_catalog(spec)
            except CatalogLoadError as error:
                assert "not called" in str(error), error
            else:
                raise SystemExit(f"{spec} was accepted")
        print("survived")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "survived"


@pytest.mark.parametrize("spec", ["builtins:dict", "builtins:len", "json:dumps", "shutil:rmtree"])
def test_classes_builtins_and_functions_needing_arguments_are_refused(spec: str) -> None:
    with pytest.raises(CatalogLoadError, match="not called"):
        load_catalog(spec)


MODULE = '''
from __future__ import annotations

import functools

from tthc_flow.catalog import Catalog
from tthc_flow.samples import sample_catalog

CALLS: list[str] = []


class Made:
    def __init__(self) -> None:
        CALLS.append("class")


class Caller:
    def __call__(self) -> Catalog:
        CALLS.append("caller")
        return sample_catalog()


def number():
    CALLS.append("number")
    return 5


def lying() -> Catalog:
    CALLS.append("lying")
    return 5


def counted() -> int:
    CALLS.append("counted")
    return 5


def needs(day) -> Catalog:
    CALLS.append("needs")
    return sample_catalog()


def annotated() -> Catalog:
    return sample_catalog()


def optional_arguments(strict: bool = True, *more: object, **options: object) -> "Catalog":
    return sample_catalog()


@functools.cache
def cached() -> Catalog:
    return sample_catalog()


caller = Caller()
'''


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    (tmp_path / "catalog_hostile.py").write_text(MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    loaded = importlib.import_module("catalog_hostile")
    yield loaded
    sys.modules.pop("catalog_hostile", None)


def test_only_catalog_functions_are_called(module: Any) -> None:
    for attribute in ("Made", "caller", "needs", "counted", "number"):
        with pytest.raises(CatalogLoadError, match="not called"):
            load_catalog(f"catalog_hostile:{attribute}")
    assert module.CALLS == []
    # Without '-> Catalog' nothing says a function makes a catalog (code:interact).
    with pytest.raises(CatalogLoadError, match="without a return annotation"):
        load_catalog("code:interact")
    with pytest.raises(CatalogLoadError, match="returned a value of type int, not a Catalog"):
        load_catalog("catalog_hostile:lying")
    assert module.CALLS == ["lying"]
    for attribute in ("annotated", "optional_arguments", "cached"):
        assert load_catalog(f"catalog_hostile:{attribute}") is sample_catalog()


def test_a_module_that_exits_is_a_loading_error(tmp_path: Path) -> None:
    script = tmp_path / "exits.py"
    script.write_text("import sys\nsys.exit(3)\n", encoding="utf-8")
    with pytest.raises(CatalogLoadError, match="SystemExit"):
        load_catalog(script)


def test_the_option_says_it_runs_code(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    for command in ("show", "check", "report"):
        with pytest.raises(SystemExit):
            parser.parse_args([command, "--help"])
        shown = " ".join(capsys.readouterr().out.split())
        assert "imported and its code run" in shown, command
        assert "trust" in shown, command


# ---------------------------------------------------------------------------- helpers


def one_procedure_catalog(procedure: Any, *, rules: Any) -> Catalog:
    return Catalog(
        name="c",
        issuer="i",
        units=list(sample_catalog().units.values()),
        publications=[attrs.evolve(procedure, rules=rules)],
    )


def test_of_two_faults_in_a_step_the_first_field_is_named() -> None:
    data = document()
    step = data["procedures"][0]["steps"][0]
    step["reception"] = "yes"
    step["fork"] = [1]
    refused(data, "procedures[0]/steps[0]/reception", "true or false")


def test_a_pack_in_force_on_no_day_is_refused_when_the_catalog_loads() -> None:
    """A pack whose end comes before its start would refuse every case judged by it
    (``rules.not_in_force``): the catalog carrying it is refused when read, naming it."""
    data = document()
    pack = data["rule_packs"][0]
    pack["effective_until"] = "2000-01-01"
    with pytest.raises(CatalogFormatError, match="in force on no day") as error:
        catalog_from_dict(data)
    assert error.value.path.startswith("rule_packs[0]")
    assert pack["name"] in str(error.value)
    # One day long is a pack in force on that day.
    pack["effective_until"] = pack["effective_from"]
    catalog_from_dict(data)


def test_a_pack_built_in_python_with_reversed_or_wrong_dates_is_refused() -> None:
    from datetime import date, datetime

    from tthc_flow.errors import RuleError

    with pytest.raises(RuleError, match="in force on no day") as error:
        attrs.evolve(DECREE_118_2025, effective_until=date(2025, 6, 30))
    assert error.value.rule == "effective_until"
    with pytest.raises(RuleError, match="must be a date"):
        attrs.evolve(DECREE_118_2025, effective_from="2025-07-01")
    with pytest.raises(RuleError, match="must be a date"):
        attrs.evolve(DECREE_118_2025, effective_from=datetime(2025, 7, 1))
    assert attrs.evolve(DECREE_118_2025, effective_until=date(2025, 7, 1)).in_force(
        date(2025, 7, 1)
    )


def test_a_byte_order_mark_is_read_past_in_text_as_in_bytes() -> None:
    text = catalog_to_json(sample_catalog())
    assert catalog_from_json("\ufeff" + text) == sample_catalog()
    assert catalog_from_json(b"\xef\xbb\xbf" + text.encode("utf-8")) == sample_catalog()
    # Only at the start: anywhere else it is a character the document may not hold there.
    with pytest.raises(CatalogFormatError):
        catalog_from_json("\ufeff\ufeff" + text)


def test_a_budget_with_decomposed_accents_is_refused_saying_so() -> None:
    data = document()
    data["procedures"][0]["total"] = unicodedata.normalize("NFD", "10 ngày làm việc")
    with pytest.raises(CatalogFormatError, match="NFD") as error:
        catalog_from_dict(data)
    assert error.value.path == "procedures[0]/total"

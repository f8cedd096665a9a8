"""Catalogs: versions resolved by date, whole-catalog checks, JSON round trips against the
published schema, and loading from files, modules and installed packages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import date, datetime, time, timezone
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_flow.catalog import (
    Catalog,
    Decision,
    Publication,
    Unit,
    catalog_from_dict,
    catalog_from_json,
    catalog_to_dict,
    catalog_to_json,
    load_catalog,
    schema,
)
from tthc_flow.engine import (
    DECREE_61_2018,
    DECREE_118_2025,
    DESK_TRANSFER_RULE,
    INTERNAL_PRACTICE,
    AfterCutoff,
    BudgetPolicy,
    CalendarDays,
    ClosureRule,
    ForwardingRule,
    Months,
    PauseRule,
    Procedure,
    ProcedureKind,
    RefusalRule,
    RescheduleRule,
    RulePack,
    SameDayRule,
    SameWorkingDay,
    Step,
    StopRule,
    WorkingDays,
    WorkingHours,
    ZeroBudget,
    parse_budget,
)
from tthc_flow.errors import (
    CatalogFormatError,
    CatalogInvalidError,
    CatalogLoadError,
    InvalidInputError,
    NotInForceError,
    TthcFlowError,
    UnknownProcedureError,
)
from tthc_flow.samples import sample_catalog
from tthc_flow.testing import procedures

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DESK, DIVISION = "Một cửa", "Phòng Tư pháp"
UNITS = [Unit(DESK, "xã"), Unit(DIVISION, "xã")]


def proc(version: str, start: date, until: date | None = None, **changes: object) -> Procedure:
    fields: dict[str, object] = {
        "code": "T.1",
        "name": "Thủ tục thử",
        "version": version,
        "kind": ProcedureKind.ONE_STOP,
        "total": WorkingDays(3),
        "effective_from": start,
        "effective_until": until,
        "steps": [
            Step("in", "Tiếp nhận", DESK, WorkingDays(0), next="work", reception=True),
            Step("work", "Xử lý", DIVISION, WorkingDays("2.5"), next="out", back="in"),
            Step("out", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
    }
    fields.update(changes)
    return Procedure(**fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    ("day", "version", "pack", "unit"),
    [
        (date(2018, 6, 21), "2018.1", "DECREE_61_2018", "Phòng Hành chính tư pháp, Sở Tư pháp"),
        (date(2025, 2, 28), "2018.1", "DECREE_61_2018", "Phòng Hành chính tư pháp, Sở Tư pháp"),
        (date(2025, 3, 1), "2025.03", "DECREE_61_2018", "Phòng Cảnh sát quản lý hành chính về "
         "trật tự xã hội, Công an tỉnh"),
        (date(2025, 6, 30), "2025.03", "DECREE_61_2018", "Phòng Cảnh sát quản lý hành chính về "
         "trật tự xã hội, Công an tỉnh"),
        (date(2025, 7, 1), "2025.07", "DECREE_118_2025", "Phòng Cảnh sát quản lý hành chính về "
         "trật tự xã hội, Công an tỉnh"),
        (date(2026, 11, 24), "2025.07", "DECREE_118_2025", "Phòng Cảnh sát quản lý hành chính "
         "về trật tự xã hội, Công an tỉnh"),
    ],
)  # fmt: skip
def test_resolution_by_date_across_versions(day: date, version: str, pack: str, unit: str) -> None:
    procedure = sample_catalog().resolve("VD.LLTP", on=day)
    assert procedure.version == version
    assert [p.name for p in procedure.rules] == [pack]
    assert procedure.step("review").unit == unit


def test_no_version_in_force_and_unknown_codes_are_clear_errors() -> None:
    catalog = sample_catalog()
    with pytest.raises(NotInForceError) as error:
        catalog.resolve("VD.LLTP", on=date(2018, 6, 20))
    assert error.value.code == "VD.LLTP" and error.value.day == date(2018, 6, 20)
    assert "2018-06-21" in str(error.value)
    with pytest.raises(NotInForceError):
        catalog.resolve("VD.DD", on=date(2025, 6, 30))  # land rules start 1 July 2025
    with pytest.raises(UnknownProcedureError) as unknown:
        catalog.resolve("1.004227", on=date(2026, 1, 5))
    assert isinstance(unknown.value, KeyError) and "VD.LLTP" in str(unknown.value)
    with pytest.raises(UnknownProcedureError):
        catalog.version("VD.LLTP", "1999")
    with pytest.raises(InvalidInputError):
        catalog.resolve("VD.LLTP", on=datetime(2026, 1, 5, 9, tzinfo=VN))  # type: ignore[arg-type]


def test_a_case_binds_to_the_version_in_force_on_its_local_receipt_date() -> None:
    catalog = sample_catalog()
    # 30/6/2025 17:30 UTC is 1/7/2025 00:30 in Hà Nội: the new rules apply.
    late = catalog.open_case(
        "VD.LLTP", case_id="A", received_at=datetime(2025, 6, 30, 17, 30, tzinfo=timezone.utc),
        actor="Lan",
    )  # fmt: skip
    assert late.procedure.version == "2025.07" and late.pack is DECREE_118_2025
    early = catalog.open_case(
        "VD.LLTP", case_id="B", received_at=datetime(2025, 6, 30, 16, 30, tzinfo=VN), actor="Lan"
    )
    assert early.procedure.version == "2025.03" and early.pack is DECREE_61_2018
    with pytest.raises(TthcFlowError):
        catalog.open_case("VD.LLTP", case_id="C", received_at=datetime(2025, 7, 1, 9), actor="x")


def test_the_sample_catalog_has_one_example_of_each_kind() -> None:
    kinds = {p.kind for p in sample_catalog()}
    assert kinds == set(ProcedureKind)
    land = sample_catalog().resolve("VD.DD", on=date(2026, 1, 5))
    assert land.pauses == {"financial_obligation", "public_posting"}
    assert land.total_for({"remote_commune": True}) == WorkingDays(20)


# ---------------------------------------------------------------------------- checks


def test_overlapping_versions_are_rejected() -> None:
    with pytest.raises(CatalogInvalidError) as error:
        Catalog(
            name="c", issuer="i", units=UNITS,
            publications=[
                proc("1", date(2025, 1, 1), date(2025, 7, 1)), proc("2", date(2025, 7, 1)),
            ],
        )  # fmt: skip
    (finding,) = error.value.findings
    assert finding.check == "check_no_overlap" and finding.version == "2"
    assert "2025-07-01" in finding.message
    # An open-ended earlier version overlaps every later one.
    with pytest.raises(CatalogInvalidError):
        Catalog(
            name="c", issuer="i", units=UNITS,
            publications=[proc("1", date(2024, 1, 1)), proc("2", date(2025, 7, 1))],
        )  # fmt: skip
    # Ending the day before is right.
    ok = Catalog(
        name="c", issuer="i", units=UNITS,
        publications=[proc("2", date(2025, 7, 1)), proc("1", date(2025, 1, 1), date(2025, 6, 30))],
    )  # fmt: skip
    assert ok.resolve("T.1", on=date(2025, 6, 30)).version == "1"
    assert ok.resolve("T.1", on=date(2025, 7, 1)).version == "2"
    assert [p.version for p in ok.versions("T.1")] == ["1", "2"]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(CatalogInvalidError) as error:
        Catalog(
            name="c", issuer="i", units=[Unit(DESK, "xã")],
            publications=[proc("1", date(2025, 1, 1)), proc("1", date(2030, 1, 1))],
        )  # fmt: skip
    checks = sorted(f.check for f in error.value.findings)
    # The duplicate version, the overlap it makes, and the unknown unit in both versions.
    assert checks == [
        "check_no_overlap", "check_unique_versions", "check_units_known", "check_units_known",
    ]  # fmt: skip
    unknown = [f for f in error.value.findings if f.check == "check_units_known"]
    assert {f.step for f in unknown} == {"work"}
    assert isinstance(error.value, ValueError)


def test_reviews_fall_due_a_year_after_the_decision() -> None:
    decision = Decision("12/QĐ-UBND", date(2025, 2, 20), "UBND xã")
    publication = Publication(proc("1", date(2025, 3, 1)), decision)
    assert publication.review_by == date(2026, 2, 20)
    catalog = Catalog(name="c", issuer="i", units=UNITS, publications=[publication])
    assert catalog.check(today=date(2026, 2, 20)) == []  # due that day: not yet overdue
    (late,) = catalog.check(today=date(2026, 2, 21))
    assert late.check == "check_reviews" and late.severity == "warning"
    assert catalog.check() == []  # without a day, nothing depends on today
    before = Publication(proc("1", date(2025, 3, 1)), Decision("1", date(2025, 3, 2), "x"))
    (warning,) = Catalog(name="c", issuer="i", units=UNITS, publications=[before]).check()
    assert warning.check == "check_decision_dates"


@pytest.mark.parametrize(
    ("desk", "day", "flagged"),
    [
        (WorkingDays("0.5"), date(2025, 7, 1), True),  # Decree 118: the same working day
        (WorkingDays(0), date(2025, 7, 1), False),  # "0 ngày làm việc" is that rule
        (SameWorkingDay(), date(2025, 7, 1), False),
        (WorkingDays("0.5"), date(2019, 1, 1), True),  # the Decree 61 pack reads it too
    ],
)
def test_a_desk_given_longer_than_the_same_working_day_is_warned(
    desk: object, day: date, flagged: bool
) -> None:
    steps = [
        Step("in", "Tiếp nhận", DESK, desk, next="work", reception=True),  # type: ignore[arg-type]
        Step("work", "Xử lý", DIVISION, WorkingDays(2), next="out", back="in"),
        Step("out", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
    ]
    procedure = proc("1", day, steps=steps, budget_policy=BudgetPolicy.WITHIN)
    catalog = Catalog(name="c", issuer="i", units=UNITS, publications=[procedure])
    found = [f for f in catalog.check() if f.check == "check_desk_transfer"]
    assert len(found) == int(flagged)
    if flagged:
        assert found[0].severity == "warning" and found[0].step == "in"
        assert "15:00" in found[0].message and "Điều 18" in found[0].message
    # A desk given no time at all (NO_TIME) asks more than the rule: not warned of.
    instant = proc("1", day, steps=[
        Step("in", "Tiếp nhận", DESK, WorkingDays(0), next="work", reception=True),
        *steps[1:],
    ], budget_policy=BudgetPolicy.WITHIN, zero_budget=ZeroBudget.NO_TIME)  # fmt: skip
    assert Catalog(name="c", issuer="i", units=UNITS, publications=[instant]).check() == []
    # An internal procedure has no desk.
    internal = proc("1", day, steps=steps, budget_policy=BudgetPolicy.WITHIN,
                    kind=ProcedureKind.INTERNAL)  # fmt: skip
    assert Catalog(name="c", issuer="i", units=UNITS, publications=[internal]).check() == []


def test_bad_values_are_refused_when_built() -> None:
    with pytest.raises(InvalidInputError):
        Unit("", "xã")
    with pytest.raises(InvalidInputError):
        Decision("1", datetime(2025, 1, 1, tzinfo=VN), "x")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        Catalog(name="c", issuer="i", units=[Unit(DESK, "xã"), Unit(DESK, "tỉnh")],
                publications=[])  # fmt: skip
    with pytest.raises(InvalidInputError):
        Publication("not a procedure")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- JSON


def test_every_example_round_trips_exactly_and_matches_the_schema() -> None:
    catalog = sample_catalog()
    text = catalog_to_json(catalog)
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.validate(json.loads(text), schema())
    again = catalog_from_json(text)
    assert again == catalog
    for left, right in zip(again.publications, catalog.publications, strict=True):
        assert left == right
        assert left.procedure.steps == right.procedure.steps
        assert left.procedure.rules == right.procedure.rules
    assert catalog_to_json(again) == text


def test_an_agency_pack_round_trips_in_full() -> None:
    pack = DECREE_118_2025.derive(
        "TINH_MINH_HOA_2026",
        add=[PauseRule("site_visit", "Khảo sát thực địa", "site visit", "Quyết định minh họa",
                       max_times=2, window=WorkingDays(5), declared_only=True)],
    )  # fmt: skip
    procedure = proc("1", date(2025, 7, 1), rules=pack, pauses={"site_visit"})
    catalog = Catalog(name="c", issuer="i", units=UNITS, publications=[procedure])
    data = catalog_to_dict(catalog)
    jsonschema.validate(data, schema())
    assert [p["name"] for p in data["rule_packs"]] == ["TINH_MINH_HOA_2026"]
    again = catalog_from_dict(json.loads(json.dumps(data)))
    assert again == catalog
    assert again.procedures[0].rules[0].reasons["site_visit"].window == WorkingDays(5)


def test_json_errors_name_the_part_at_fault() -> None:
    data = catalog_to_dict(sample_catalog())
    data["procedures"][1]["steps"][2]["budget"] = "ba ngày"
    with pytest.raises(CatalogFormatError) as error:
        catalog_from_dict(data)
    assert error.value.path == "procedures[1]/steps[2]/budget"
    data = catalog_to_dict(sample_catalog())
    data["procedures"][0]["steps"][1]["budget"] = "7.5 ngày làm việc"  # sums to 11, not 10
    with pytest.raises(CatalogFormatError, match="add up to 11"):
        catalog_from_dict(data)
    data = catalog_to_dict(sample_catalog())
    data["format_version"] = 3
    with pytest.raises(CatalogFormatError, match="format_version 3"):
        catalog_from_dict(data)
    data = catalog_to_dict(sample_catalog())
    data["procedures"][0]["kind"] = "ONE_DOOR"
    with pytest.raises(CatalogFormatError, match="ONE_STOP"):
        catalog_from_dict(data)
    with pytest.raises(CatalogFormatError):
        catalog_from_json("[1, 2]")
    with pytest.raises(CatalogFormatError):
        catalog_from_json("{not json")


# Budgets are written as procedures publish them, so every budget must survive its label.
working_days = st.builds(
    lambda minutes: WorkingDays(Fraction(minutes, 480)), st.integers(0, 480 * 60)
)
working_hours = st.builds(lambda minutes: WorkingHours(Fraction(minutes, 60)), st.integers(0, 6000))


@given(st.one_of(working_days, working_hours, st.builds(CalendarDays, st.integers(0, 400)),
                 st.builds(Months, st.integers(0, 36))))  # fmt: skip
def test_every_budget_survives_its_published_label(budget: object) -> None:
    again = parse_budget(budget.label)  # type: ignore[attr-defined]
    assert type(again) is type(budget) and again == budget


# ---------------------------------------------------------------------------- loading


CATALOG_MODULE = '''
from datetime import date
from tthc_flow import Procedure, ProcedureKind, Step, WorkingDays
from tthc_flow.catalog import Catalog, Unit

P = Procedure(code="X.1", name="Thủ tục xã", version="1", kind=ProcedureKind.ONE_STOP,
    total=WorkingDays(2), effective_from=date(2025, 7, 1),
    steps=[Step("a", "Tiếp nhận", "Một cửa", WorkingDays(1), next="b", reception=True),
           Step("b", "Trả", "Một cửa", WorkingDays(1), returns=True)])
CATALOG = Catalog(name="Danh mục xã", issuer="UBND xã", units=[Unit("Một cửa", "xã")],
                  publications=[P])
'''


def test_loading_from_files_and_modules(tmp_path: Path) -> None:
    module = tmp_path / "xa.py"
    module.write_text(CATALOG_MODULE, encoding="utf-8")
    catalog = load_catalog(module)
    assert catalog.codes == ("X.1",)
    document = tmp_path / "xa.json"
    document.write_text(catalog_to_json(catalog), encoding="utf-8")
    assert load_catalog(str(document)) == catalog
    assert load_catalog("tthc_flow.samples:sample_catalog") == sample_catalog()
    assert load_catalog("tthc_flow.samples:sample_catalog") is sample_catalog()


def test_loading_failures_point_at_what_to_fix(tmp_path: Path) -> None:
    with pytest.raises(CatalogLoadError, match="no such file"):
        load_catalog(tmp_path / "missing.py")
    with pytest.raises(CatalogLoadError, match="cannot import"):
        load_catalog("no_such_module_anywhere")
    with pytest.raises(CatalogLoadError, match="defines no catalog"):
        load_catalog("tthc_flow.diagrams")
    with pytest.raises(CatalogLoadError, match="neither a file"):
        load_catalog("not a module!")
    broken = tmp_path / "broken.py"
    broken.write_text(CATALOG_MODULE.replace("WorkingDays(2)", "WorkingDays(3)"), "utf-8")
    with pytest.raises(CatalogLoadError) as error:
        load_catalog(broken)
    # The Procedure(...) call starts on line 6 of the module.
    assert f"{broken}, line 6: procedure X.1" in str(error.value)
    assert "add up to 2 working days" in str(error.value)
    syntax = tmp_path / "syntax.py"
    syntax.write_text("CATALOG = (\n", "utf-8")
    with pytest.raises(CatalogLoadError, match="line"):
        load_catalog(syntax)


def _install_fake_distribution(root: Path) -> None:
    """What ``pip install`` leaves on ``sys.path`` for a package declaring a catalog: its
    module and a ``.dist-info`` folder with the entry point."""
    package = root / "stp_mau"
    package.mkdir()
    (package / "__init__.py").write_text("", "utf-8")
    (package / "danh_muc.py").write_text(
        CATALOG_MODULE.replace(
            "CATALOG =", "def build() -> Catalog:\n    return _CATALOG\n_CATALOG ="
        ),
        "utf-8",
    )
    info = root / "stp_mau-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: stp-mau\nVersion: 1.0\n", "utf-8")
    (info / "entry_points.txt").write_text(
        '[tthc_flow.catalogs]\nso-tu-phap-mau = "stp_mau.danh_muc:build"\n'.replace('"', ""),
        "utf-8",
    )
    (info / "RECORD").write_text("", "utf-8")


def test_an_installed_package_ships_its_catalog_through_the_entry_point(tmp_path: Path) -> None:
    _install_fake_distribution(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    script = textwrap.dedent(
        """
        from tthc_flow.catalog import available_catalogs, load_catalog
        print(sorted(available_catalogs()))
        print(load_catalog("so-tu-phap-mau").codes)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == ["['so-tu-phap-mau']", "('X.1',)"]
    check = subprocess.run(
        [sys.executable, "-m", "tthc_flow", "check", "so-tu-phap-mau", "--today", "2026-01-05"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert "Danh mục xã" in check.stdout and "1 thủ tục" in check.stdout


def test_evolved_procedures_make_new_versions() -> None:
    old = proc("1", date(2025, 1, 1), date(2025, 6, 30), rules=DECREE_61_2018)
    new = attrs.evolve(old, version="2", effective_from=date(2025, 7, 1), effective_until=None,
                       rules=(DECREE_118_2025,))  # fmt: skip
    catalog = Catalog(name="c", issuer="i", units=UNITS, publications=[old, new])
    assert catalog.resolve("T.1", on=date(2025, 7, 1)).rules == (DECREE_118_2025,)
    assert len(catalog) == 2 and "T.1" in catalog and list(catalog) == [old, new]


# ---------------------------------------------------------------------------- strict reading


def _broken(change: str) -> dict[str, object]:
    data = catalog_to_dict(sample_catalog())
    procedure = data["procedures"][0]  # type: ignore[index]
    step = procedure["steps"][1]
    pack = data["rule_packs"][0]  # type: ignore[index]
    if change == "misspelt key":
        procedure["effective_untill"] = "2025-12-31"
    elif change == "misspelt step key":
        step["rol"] = "chuyên viên"
    elif change == "duplicate pack":
        data["rule_packs"].append(dict(pack))  # type: ignore[attr-defined]
    elif change == "list of lists":
        step["next"] = [["approve"]]
    elif change == "negative times":
        pack["reasons"][0]["max_times"] = -1
    elif change == "compact date":
        procedure["effective_from"] = "20180621"
    elif change == "calendar window":
        pack["reasons"][0]["window"] = "3 ngày"
    elif change == "no format":
        del data["format"]
    elif change == "blank text":
        step["name"] = "   "
    elif change == "bare hours":
        step["budget"] = "48 giờ"
    elif change == "cut-off past midnight":
        pack["same_day"]["cutoff"] = "25:00"
    elif change == "cut-off in words":
        pack["same_day"]["cutoff"] = "3pm"
    elif change == "cut-off with seconds":
        pack["same_day"]["cutoff"] = "15:00:00"
    elif change == "cut-off left out":
        del pack["same_day"]["cutoff"]
    elif change == "no opening":
        pack["same_day"]["opening_minutes"] = 0
    elif change == "misspelt same-day key":
        pack["same_day"]["cut_off"] = "15:00"
    elif change == "fractional window":
        pack["reasons"][0]["window"] = "0.5 ngày làm việc"
    elif change == "closure in working days":
        pack["closure"] = {"after": "15 ngày làm việc", "citation": "Điều 19"}
    elif change == "forwarding in calendar days":
        pack["forwarding"] = {"budget": "1 ngày", "citation": "Điều 20"}
    elif change == "stop without citation":
        pack["stop"] = {"before_decision": True}
    elif change == "refusal as text":
        pack["refusal"] = "trong thời hạn"
    elif change == "unknown zero budget":
        procedure["zero_budget"] = "NONE"
    elif change == "same day in English":
        step["budget"] = "same working day"
    elif change == "version as boolean":
        data["format_version"] = True
    elif change == "schema as number":
        data["$schema"] = 5
    elif change == "requires one thing":
        pack["reschedule"]["requires"] = ["reason"]
    elif change == "days before due beyond the calendar":
        pack["reschedule"]["days_before_due"] = 10**12
    elif change == "times as boolean":
        pack["reasons"][0]["max_times"] = True
    elif change == "opening longer than a day":
        pack["same_day"]["opening_minutes"] = 2_000
    elif change == "role null":
        step["role"] = None
    elif change == "next as text":
        step["next"] = "approve"
    elif change == "no units":
        del data["units"]
    elif change == "date before the calendar":
        procedure["effective_from"] = "1990-01-01"
    elif change == "tab in a name":
        step["name"] = "Tra cứu\tlập Phiếu"
    elif change == "list in a condition":
        procedure["adjustments"][0]["when"] = {"several_residences": [True]}
    elif change == "budget of seven digits":
        step["budget"] = "1234567 ngày làm việc"
    return data


@pytest.mark.parametrize(
    "change",
    ["misspelt key", "misspelt step key", "duplicate pack", "list of lists", "negative times",
     "compact date", "calendar window", "no format", "blank text", "bare hours",
     "cut-off past midnight", "cut-off in words", "cut-off with seconds", "cut-off left out",
     "no opening", "misspelt same-day key", "fractional window", "closure in working days",
     "forwarding in calendar days", "stop without citation", "refusal as text",
     "unknown zero budget", "same day in English", "version as boolean", "schema as number",
     "requires one thing", "days before due beyond the calendar", "times as boolean",
     "opening longer than a day", "role null", "next as text", "no units",
     "date before the calendar", "tab in a name", "list in a condition",
     "budget of seven digits"],
)  # fmt: skip
def test_the_reader_refuses_what_the_schema_refuses(change: str) -> None:
    data = _broken(change)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())
    with pytest.raises(CatalogFormatError):
        catalog_from_dict(data)


def test_bad_bytes_and_deep_nesting_are_format_errors() -> None:
    with pytest.raises(CatalogFormatError, match="UTF-8"):
        catalog_from_json(b"\xff\xfe{")
    with pytest.raises(CatalogFormatError):
        catalog_from_json("[" * 100_000)


def test_round_trips_keep_the_kind_of_every_budget() -> None:
    procedure = proc(
        "1", date(2025, 7, 1), total=WorkingHours(24),
        steps=[
            Step("in", "Tiếp nhận", DESK, WorkingHours(4), next="work", reception=True),
            Step("work", "Xử lý", DIVISION, WorkingDays(2), next="out", role="chuyên viên"),
            Step("out", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
    )  # fmt: skip
    catalog = Catalog(name="c", issuer="i", units=UNITS, publications=[procedure])
    again = catalog_from_json(catalog_to_json(catalog))
    for left, right in zip(again.procedures[0].steps, procedure.steps, strict=True):
        assert type(left.budget) is type(right.budget) and left.budget == right.budget
        assert left.role == right.role
    assert type(again.procedures[0].total) is WorkingHours


@settings(max_examples=40, deadline=None)
@given(st.lists(procedures(), min_size=1, max_size=4))
def test_any_valid_procedures_round_trip_through_the_schema(found: list[Procedure]) -> None:
    # One version per code, every unit listed: then any valid procedures make a catalog.
    versions = [attrs.evolve(p, code=f"G.{n}") for n, p in enumerate(found)]
    units = sorted({s.unit for p in versions for s in p.steps})
    catalog = Catalog(name="g", issuer="i", units=[Unit(u, "xã") for u in units],
                      publications=versions)  # fmt: skip
    text = catalog_to_json(catalog)
    jsonschema.validate(json.loads(text), schema())
    again = catalog_from_json(text)
    assert again == catalog
    assert catalog_to_json(again) == text


def test_a_module_catalog_is_pointed_at_its_own_line(tmp_path: Path) -> None:
    (tmp_path / "xa_loi.py").write_text(
        CATALOG_MODULE.replace("WorkingDays(2)", "WorkingDays(3)"), "utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "tthc_flow", "check", "xa_loi"],
        env={**os.environ, "PYTHONPATH": str(tmp_path)}, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"{tmp_path / 'xa_loi.py'}, line 6: procedure X.1" in result.stdout
    (tmp_path / "nameerr.py").write_text("CATALOG = undefined_name\n", "utf-8")
    with pytest.raises(CatalogLoadError, match=r"nameerr.py, line 1: .*NameError"):
        load_catalog(tmp_path / "nameerr.py")


def test_parents_must_be_known_and_never_circular() -> None:
    with pytest.raises(CatalogInvalidError, match="its own ancestor: A → B → A"):
        Catalog(name="c", issuer="i", publications=[],
                units=[Unit("A", "xã", parent="B"), Unit("B", "xã", parent="A")])  # fmt: skip
    with pytest.raises(InvalidInputError):
        Unit("A", "xã", parent=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        Decision("1", None, "x")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        Publication(proc("1", date(2025, 1, 1)), "QĐ 1")  # type: ignore[arg-type]


def test_commands_read_versions_on_the_date_in_vietnam() -> None:
    # UTC+14 and UTC−12 are always on different dates; Vietnam's date is one date for both.
    script = "from tthc_flow.cli._catalog_commands import today_in_vietnam as t; print(t())"
    seen = {
        subprocess.run(
            [sys.executable, "-c", script], env={**os.environ, "TZ": zone},
            capture_output=True, text=True, check=True,
        ).stdout
        for zone in ("Etc/GMT-14", "Etc/GMT+12")
    }
    assert len(seen) == 1


# ---------------------------------------------------------------------------- format version 2


def _pack_with_every_rule() -> RulePack:
    return DECREE_118_2025.derive(
        "TINH_MINH_HOA_2026",
        replace=[PauseRule("supplement", "Yêu cầu bổ sung", "supplement request", "Điều 19",
                           max_times=1, window=WorkingDays(2))],
        same_day=SameDayRule(time(16, 30), 90, "Quy chế minh họa, Điều 3"),
        late_receipt_next_day=True,
        closure=ClosureRule(CalendarDays(10), "Quy chế minh họa, Điều 4"),
        forwarding=ForwardingRule(WorkingHours(4), "Quy chế minh họa, Điều 5", "ngoai_tinh",
                                  paper_only=True),
        stop=StopRule("Quy chế minh họa, Điều 6", before_decision=False),
        refusal=RefusalRule("Quy chế minh họa, Điều 7", within_time=False),
    )  # fmt: skip


def test_a_pack_with_every_rule_round_trips_exactly_and_matches_the_schema() -> None:
    pack = _pack_with_every_rule()
    procedure = proc("1", date(2025, 7, 1), rules=pack, zero_budget=ZeroBudget.NO_TIME)
    catalog = Catalog(name="c", issuer="i", units=UNITS, publications=[procedure])
    data = catalog_to_dict(catalog)
    jsonschema.validate(data, schema())
    assert data["format_version"] == 2
    assert data["$schema"] == schema()["$id"] == "https://tthc-flow.example/schemas/catalog-2.json"
    (written,) = data["rule_packs"]
    assert written["same_day"] == {
        "cutoff": "16:30", "opening_minutes": 90, "citation": "Quy chế minh họa, Điều 3",
    }  # fmt: skip
    assert written["late_receipt_next_day"] is True
    assert written["closure"] == {"after": "10 ngày", "citation": "Quy chế minh họa, Điều 4"}
    assert written["forwarding"] == {
        "budget": "4 giờ làm việc", "citation": "Quy chế minh họa, Điều 5",
        "attribute": "ngoai_tinh", "paper_only": True,
    }  # fmt: skip
    assert written["stop"] == {"citation": "Quy chế minh họa, Điều 6", "before_decision": False}
    assert written["refusal"] == {"citation": "Quy chế minh họa, Điều 7", "within_time": False}
    assert written["reasons"][0]["window"] == "2 ngày làm việc"
    assert data["procedures"][0]["zero_budget"] == "NO_TIME"
    text = catalog_to_json(catalog)
    again = catalog_from_json(text)
    assert again == catalog
    assert catalog_to_json(again) == text
    (read,) = again.procedures[0].rules
    assert read == pack and read is not DECREE_118_2025
    assert read.same_day == SameDayRule(time(16, 30), 90, "Quy chế minh họa, Điều 3")
    assert read.late_receipt_next_day is True
    assert read.closure == ClosureRule(CalendarDays(10), "Quy chế minh họa, Điều 4")
    assert read.forwarding == ForwardingRule(WorkingHours(4), "Quy chế minh họa, Điều 5",
                                             "ngoai_tinh", paper_only=True)  # fmt: skip
    assert type(read.forwarding.budget) is WorkingHours
    assert read.stop == StopRule("Quy chế minh họa, Điều 6", before_decision=False)
    assert read.refusal == RefusalRule("Quy chế minh họa, Điều 7", within_time=False)
    assert again.procedures[0].zero_budget is ZeroBudget.NO_TIME


def test_a_pack_without_the_optional_rules_round_trips_with_nulls() -> None:
    pack = RulePack(
        name="NOI_BO_MINH_HOA", citation="Quy chế nội bộ minh họa",
        effective_from=date(2024, 1, 1), effective_until=date(2030, 12, 31),
        reasons=[PauseRule("supplement", "Bổ sung", "supplement", "Điều 2")],
        reschedule=RescheduleRule("Điều 3"),
        same_day=SameDayRule(None, 1),
        forwarding=ForwardingRule(SameWorkingDay(), "Điều 4"),  # type: ignore[arg-type]
    )  # fmt: skip
    procedure = proc("1", date(2025, 7, 1), rules=pack)
    catalog = Catalog(name="c", issuer="i", units=UNITS, publications=[procedure])
    data = catalog_to_dict(catalog)
    jsonschema.validate(data, schema())
    (written,) = data["rule_packs"]
    assert written["same_day"] == {"cutoff": None, "opening_minutes": 1, "citation": ""}
    assert written["late_receipt_next_day"] is False
    assert written["closure"] is None and written["stop"] is None and written["refusal"] is None
    assert written["forwarding"] == {
        "budget": "trong ngày làm việc", "citation": "Điều 4", "attribute": "outside_home_area",
        "paper_only": False,
    }  # fmt: skip
    again = catalog_from_dict(json.loads(json.dumps(data)))
    assert again == catalog
    (read,) = again.procedures[0].rules
    assert read.same_day.cutoff is None and read.same_day.citation == ""
    assert read.forwarding is not None
    budget: object = read.forwarding.budget
    assert budget == SameWorkingDay(AfterCutoff.START_OF_NEXT_DAY, rule=None)


def test_an_internal_procedure_round_trips_with_the_internal_pack_itself() -> None:
    procedure = proc("1", date(2025, 7, 1), kind=ProcedureKind.INTERNAL)
    assert procedure.rules == (INTERNAL_PRACTICE,)
    catalog = Catalog(name="c", issuer="i", units=UNITS, publications=[procedure])
    data = catalog_to_dict(catalog)
    jsonschema.validate(data, schema())
    assert data["procedures"][0]["rules"] == ["INTERNAL_PRACTICE"]
    assert [p["name"] for p in data["rule_packs"]] == ["INTERNAL_PRACTICE"]
    assert data["rule_packs"][0]["same_day"]["cutoff"] is None
    again = catalog_from_json(json.dumps(data))
    assert again == catalog
    assert again.procedures[0].rules[0] is INTERNAL_PRACTICE
    # Named without being defined, or not named at all: the kind's default is the same pack.
    del data["rule_packs"]
    assert catalog_from_dict(data).procedures[0].rules[0] is INTERNAL_PRACTICE
    del data["procedures"][0]["rules"]
    jsonschema.validate(data, schema())
    assert catalog_from_dict(data).procedures[0].rules == (INTERNAL_PRACTICE,)
    # A one-stop procedure without "rules" still takes the national packs.
    data["procedures"][0]["kind"] = "ONE_STOP"
    assert catalog_from_dict(data).procedures[0].rules == (DECREE_61_2018, DECREE_118_2025)


def test_the_sample_internal_procedure_keeps_its_pack_through_json() -> None:
    again = catalog_from_json(catalog_to_json(sample_catalog()))
    internal = [p for p in again.procedures if p.kind is ProcedureKind.INTERNAL]
    assert [p.version for p in internal] == ["2024.1", "2025.1"]
    for procedure in internal:
        (pack,) = procedure.rules
        assert pack is INTERNAL_PRACTICE


VERSION_1 = {
    "$schema": "https://tthc-flow.example/schemas/catalog-1.json",
    "format": "tthc_flow.catalog",
    "format_version": 1,
    "name": "Danh mục xã",
    "issuer": "UBND xã",
    "units": [{"name": DESK, "level": "xã"}, {"name": DIVISION, "level": "xã"}],
    "rule_packs": [
        {
            "name": "XA_MINH_HOA",
            "citation": "Quy chế minh họa",
            "effective_from": "2025-07-01",
            "effective_until": None,
            "supplement": "supplement",
            "reasons": [
                {"code": "supplement", "name": "Bổ sung", "name_en": "supplement",
                 "citation": "Điều 2", "legal": "RESTART", "max_times": 1,
                 "window": "3 ngày làm việc", "invokers": ["RECEPTION", "STEP_UNIT"]},
            ],
            "reschedule": {"citation": "Điều 3"},
        }
    ],
    "procedures": [
        {
            "code": "X.1", "name": "Thủ tục xã", "version": "1", "kind": "ONE_STOP",
            "total": "2 ngày làm việc", "effective_from": "2025-07-01",
            "rules": ["XA_MINH_HOA", "DECREE_118_2025"],
            "steps": [
                {"key": "a", "name": "Tiếp nhận", "unit": DESK, "budget": "1 ngày làm việc",
                 "next": ["b"], "reception": True},
                {"key": "b", "name": "Trả", "unit": DESK, "budget": "1 ngày làm việc",
                 "returns": True},
            ],
        }
    ],
}  # fmt: skip


def test_a_version_1_document_without_the_new_keys_still_loads() -> None:
    jsonschema.validate(VERSION_1, schema())
    catalog = catalog_from_dict(VERSION_1)
    procedure = catalog.resolve("X.1", on=date(2025, 7, 1))
    assert procedure.zero_budget is ZeroBudget.SAME_DAY
    own, national = procedure.rules
    assert national is DECREE_118_2025
    assert own.name == "XA_MINH_HOA"
    assert own.same_day == DESK_TRANSFER_RULE
    assert own.late_receipt_next_day is False
    assert (own.closure, own.forwarding, own.stop, own.refusal) == (None, None, None, None)
    assert own.supplement_rule.window == WorkingDays(3)
    # Written again, it is a version 2 document that reads back the same.
    again = catalog_from_json(catalog_to_json(catalog))
    assert again == catalog
    assert again.procedures[0].rules[1] is DECREE_118_2025


def _as_version_1(data: dict[str, object]) -> dict[str, object]:
    """A document as version 1 wrote it: none of the keys version 2 added."""
    data["format_version"] = 1
    for pack in data["rule_packs"]:  # type: ignore[attr-defined]
        for key in ("same_day", "late_receipt_next_day", "closure", "forwarding", "stop",
                    "refusal"):  # fmt: skip
            del pack[key]
    for procedure in data["procedures"]:  # type: ignore[attr-defined]
        del procedure["zero_budget"]
    return data


def test_a_version_1_copy_of_a_built_in_pack_is_that_pack() -> None:
    data = _as_version_1(catalog_to_dict(sample_catalog()))
    jsonschema.validate(data, schema())
    again = catalog_from_dict(data)
    assert again == sample_catalog()
    packs = {pack.name: pack for p in again.procedures for pack in p.rules}
    assert packs["DECREE_61_2018"] is DECREE_61_2018
    assert packs["DECREE_118_2025"] is DECREE_118_2025
    assert packs["INTERNAL_PRACTICE"] is INTERNAL_PRACTICE
    # A copy that differs in what version 1 could say is a pack of its own...
    changed = _as_version_1(catalog_to_dict(sample_catalog()))
    for pack in changed["rule_packs"]:  # type: ignore[attr-defined]
        pack["citation"] = "Bản sao đã sửa"
    packs = {pack.name: pack for p in catalog_from_dict(changed).procedures for pack in p.rules}
    assert packs["DECREE_118_2025"] is not DECREE_118_2025
    assert packs["DECREE_118_2025"].closure is None
    # ...and in version 2 a missing key means its default, not a built-in pack's rule.
    current = catalog_to_dict(sample_catalog())
    for pack in current["rule_packs"]:
        if pack["name"] == "DECREE_118_2025":
            del pack["closure"]
    packs = {pack.name: pack for p in catalog_from_dict(current).procedures for pack in p.rules}
    assert packs["DECREE_118_2025"].closure is None
    assert packs["DECREE_118_2025"] is not DECREE_118_2025


@pytest.mark.parametrize("cutoff", ["25:00", "3pm", "15:00:00", "15h00", "9:30", 15, ""])
def test_a_bad_cut_off_is_refused_with_its_path(cutoff: object) -> None:
    data = catalog_to_dict(sample_catalog())
    data["rule_packs"][1]["same_day"]["cutoff"] = cutoff
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())
    with pytest.raises(CatalogFormatError, match="'cutoff' must be a time of day HH:MM") as error:
        catalog_from_dict(data)
    assert error.value.path == "rule_packs[1]/same_day/cutoff"


@pytest.mark.parametrize("window", ["0.5 ngày làm việc", "1,5 ngày làm việc", "5/2 ngày làm việc"])
def test_a_fractional_window_is_refused_with_its_path(window: str) -> None:
    data = catalog_to_dict(sample_catalog())
    data["rule_packs"][0]["reasons"][0]["window"] = window
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())
    with pytest.raises(CatalogFormatError, match="whole number of working days") as error:
        catalog_from_dict(data)
    assert error.value.path == "rule_packs[0]/reasons[0]/window"


def test_new_rules_name_their_part_when_wrong() -> None:
    data = catalog_to_dict(sample_catalog())
    data["rule_packs"][1]["closure"]["after"] = "15 ngày làm việc"
    with pytest.raises(CatalogFormatError, match="calendar days") as error:
        catalog_from_dict(data)
    assert error.value.path == "rule_packs[1]/closure/after"
    data = catalog_to_dict(sample_catalog())
    data["rule_packs"][1]["forwarding"]["atribute"] = "x"
    with pytest.raises(CatalogFormatError, match="'atribute'") as error:
        catalog_from_dict(data)
    assert error.value.path == "rule_packs[1]/forwarding/atribute"
    data = catalog_to_dict(sample_catalog())
    data["rule_packs"][1]["same_day"]["opening_minutes"] = 0
    with pytest.raises(CatalogFormatError, match="from 1 to 1,440") as error:
        catalog_from_dict(data)
    assert error.value.path == "rule_packs[1]/same_day/opening_minutes"
    data = catalog_to_dict(sample_catalog())
    data["procedures"][0]["rules"] = ["INTERNAL_PRACTICE", "NO_SUCH_PACK"]
    with pytest.raises(CatalogFormatError, match="'NO_SUCH_PACK'") as error:
        catalog_from_dict(data)
    assert error.value.path == "procedures[0]/rules[1]"


def test_same_working_day_budgets_round_trip() -> None:
    procedure = proc(
        "1", date(2025, 7, 1), total=WorkingDays(2),
        steps=[
            Step("in", "Tiếp nhận", DESK, SameWorkingDay(), next="work", reception=True),
            Step("work", "Xử lý", DIVISION, WorkingDays(2), next="out"),
            Step("out", "Trả kết quả", DESK, SameWorkingDay(AfterCutoff.NEXT_DAY), returns=True),
        ],
    )  # fmt: skip
    same_day = proc(
        "1", date(2025, 7, 1), code="T.2", total=SameWorkingDay(AfterCutoff.NEXT_DAY),
        budget_policy=BudgetPolicy.WITHIN,
        steps=[
            Step("in", "Tiếp nhận", DESK, WorkingHours(2), next="out", reception=True),
            Step("out", "Trả kết quả", DESK, SameWorkingDay(), returns=True),
        ],
    )  # fmt: skip
    catalog = Catalog(name="c", issuer="i", units=UNITS, publications=[procedure, same_day])
    data = catalog_to_dict(catalog)
    jsonschema.validate(data, schema())
    steps = data["procedures"][0]["steps"]
    assert [s["budget"] for s in steps] == [
        "trong ngày làm việc", "2 ngày làm việc",
        "trong ngày làm việc hoặc ngày làm việc tiếp theo",
    ]  # fmt: skip
    assert data["procedures"][1]["total"] == "trong ngày làm việc hoặc ngày làm việc tiếp theo"
    again = catalog_from_json(json.dumps(data))
    assert again == catalog
    first, _, last = again.procedures[0].steps
    assert first.budget == SameWorkingDay(AfterCutoff.START_OF_NEXT_DAY, rule=None)
    assert last.budget == SameWorkingDay(AfterCutoff.NEXT_DAY, rule=None)
    assert again.procedures[1].total == SameWorkingDay(AfterCutoff.NEXT_DAY, rule=None)


def test_a_same_day_budget_bound_to_a_rule_is_not_written_as_if_unbound() -> None:
    bound = SameWorkingDay(rule=SameDayRule(time(11, 0), 30))
    procedure = proc(
        "1", date(2025, 7, 1),
        steps=[
            Step("in", "Tiếp nhận", DESK, bound, next="work", reception=True),
            Step("work", "Xử lý", DIVISION, WorkingDays(3), next="out"),
            Step("out", "Trả kết quả", DESK, WorkingDays(0), returns=True),
        ],
    )  # fmt: skip
    catalog = Catalog(name="c", issuer="i", units=UNITS, publications=[procedure])
    with pytest.raises(CatalogFormatError, match="unbound") as error:
        catalog_to_json(catalog)
    assert error.value.path == "procedures[0]/steps[0]/budget"


def test_a_cut_off_finer_than_a_minute_is_not_written() -> None:
    pack = DECREE_118_2025.derive("GIAY", same_day=SameDayRule(time(15, 0, 30), 60))
    catalog = Catalog(name="c", issuer="i", units=UNITS,
                      publications=[proc("1", date(2025, 7, 1), rules=pack)])  # fmt: skip
    with pytest.raises(CatalogFormatError, match="HH:MM") as error:
        catalog_to_dict(catalog)
    assert error.value.path == "rule_packs[0]/same_day/cutoff"


@settings(max_examples=60, deadline=None)
@given(
    cutoff=st.none() | st.builds(time, st.integers(0, 23), st.integers(0, 59)),
    opening=st.integers(1, 480),
    late=st.booleans(),
    closure=st.none() | st.integers(0, 60),
    forwarding=st.none() | st.sampled_from(
        [WorkingDays(1), WorkingDays("0.5"), WorkingHours(3), SameWorkingDay(),
         SameWorkingDay(AfterCutoff.NEXT_DAY)]
    ),
)  # fmt: skip
def test_any_same_day_and_optional_rules_round_trip(
    cutoff: time | None, opening: int, late: bool, closure: int | None, forwarding: object
) -> None:
    pack = DECREE_118_2025.derive(
        "TINH_SINH_NGAU_NHIEN",
        same_day=SameDayRule(cutoff, opening, "Điều 1"),
        late_receipt_next_day=late,
        closure=None if closure is None else ClosureRule(CalendarDays(closure), "Điều 2"),
        forwarding=None if forwarding is None else ForwardingRule(forwarding, "Điều 3"),  # type: ignore[arg-type]
    )  # fmt: skip
    catalog = Catalog(name="c", issuer="i", units=UNITS,
                      publications=[proc("1", date(2025, 7, 1), rules=pack)])  # fmt: skip
    data = catalog_to_dict(catalog)
    jsonschema.validate(data, schema())
    again = catalog_from_dict(json.loads(json.dumps(data)))
    assert again == catalog
    read = again.procedures[0].rules[0]
    assert read.same_day.cutoff == cutoff and read.same_day.opening_minutes == opening
    if forwarding is not None:
        assert read.forwarding is not None
        assert type(read.forwarding.budget) is type(forwarding)


def test_a_catalog_pickles_for_worker_processes() -> None:
    import pickle

    from tthc_flow.samples import sample_catalog

    catalog = sample_catalog()
    back = pickle.loads(pickle.dumps(catalog))
    assert back == catalog
    assert dict(back.units) == dict(catalog.units)
    for code in catalog.codes:
        for publication in catalog.versions(code):
            assert back.version(code, publication.procedure.version) == publication.procedure
    assert [p.procedure for p in back.publications] == [p.procedure for p in catalog.publications]


def test_a_pack_named_like_the_librarys_but_written_by_an_earlier_version_is_warned_of() -> None:
    # A catalog exported before the Decree 118 pack was read closer carries the pack as it
    # was then: read back, it is a different pack under the same name.
    data = catalog_to_dict(sample_catalog())
    (written,) = [pack for pack in data["rule_packs"] if pack["name"] == "DECREE_118_2025"]
    written["reschedule"]["holder_asks"] = False
    catalog = catalog_from_dict(data)
    found = [f for f in catalog.check() if f.check == "check_built_in_names"]
    assert found and all(f.severity == "warning" for f in found)
    assert "DECREE_118_2025" in found[0].message
    assert not [f for f in sample_catalog().check() if f.check == "check_built_in_names"]

"""The kit's entry points: the pytest plugin loads without Hypothesis and gives its fixtures;
the Hypothesis hook is registered."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import tthc_flow.testing.pytest_plugin as plugin
from tthc_flow.calendar import WorkingCalendar

WITHOUT_HYPOTHESIS = textwrap.dedent(
    """
    import sys

    class NoHypothesis:
        def find_spec(self, name, path=None, target=None):
            if name == "hypothesis" or name.startswith("hypothesis."):
                raise ModuleNotFoundError(f"No module named {name!r}", name="hypothesis")
            return None

    sys.meta_path.insert(0, NoHypothesis())

    import tthc_flow.testing.pytest_plugin
    from tthc_flow.testing import check_case_invariants, check_catalog, explore
    from tthc_flow.samples import sample_catalog

    check_catalog(sample_catalog())
    assert "hypothesis" not in sys.modules
    try:
        from tthc_flow.testing import procedures
    except ImportError as error:
        assert "install Hypothesis" in str(error), error
    else:
        raise AssertionError("procedures imported without Hypothesis")
    print("ok")
    """
)


def test_the_plugin_and_the_checks_load_without_hypothesis() -> None:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_HYPOTHESIS], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_plugin_defines_fixtures_only_and_all_named_tthc() -> None:
    hooks = [name for name in vars(plugin) if name.startswith("pytest_")]
    # An option only: nothing that could change how a project collects or runs its tests.
    assert hooks == ["pytest_addoption"]
    assert plugin.__all__ == ["pytest_addoption", "tthc_calendar", "tthc_catalog"]


def test_the_entry_points_are_installed() -> None:
    pytest11 = {e.name: e.value for e in entry_points(group="pytest11")}
    hypothesis = {e.name: e.value for e in entry_points(group="hypothesis")}
    assert pytest11["tthc_flow"] == "tthc_flow.testing.pytest_plugin"
    assert hypothesis["tthc_flow"] == "tthc_flow.testing._hypothesis:_hypothesis_setup_hook"


def test_the_fixtures_serve_this_suite_too(request: pytest.FixtureRequest) -> None:
    calendar = request.getfixturevalue("tthc_calendar")
    assert isinstance(calendar, WorkingCalendar)
    assert (calendar.first_year, calendar.last_year) == (1995, 2100)
    catalog = request.getfixturevalue("tthc_catalog")
    assert len(catalog.codes) == 4


HOST_SUITE = textwrap.dedent(
    """
    from datetime import date

    from tthc_flow.testing import check_catalog


    def test_host(tthc_calendar, tthc_catalog):
        assert not tthc_calendar.is_working_day(date(2026, 9, 2))  # Quốc khánh
        check_catalog(tthc_catalog)
    """
)


def test_a_host_suite_gets_the_fixtures_from_the_installed_plugin(tmp_path: Path) -> None:
    (tmp_path / "test_host.py").write_text(HOST_SUITE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_host.py"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


ONE_PROCEDURE_CATALOG = textwrap.dedent(
    """
    from tthc_flow import Catalog
    from tthc_flow.samples import UNITS, sample_catalog

    def catalog() -> Catalog:
        publications = [p for p in sample_catalog().publications
                        if p.procedure.code == "VD.LLTP"]
        return Catalog(name="Sở Tư pháp", issuer="UBND tỉnh", units=UNITS,
                       publications=publications)
    """
)

CATALOG_SUITE = textwrap.dedent(
    """
    def test_host(tthc_catalog):
        assert tthc_catalog.codes == EXPECTED
    """
)


def _run_host_suite(tmp_path: Path, expected: list[str], *options: str) -> str:
    (tmp_path / "test_host.py").write_text(
        f"EXPECTED = {tuple(expected)!r}\n" + CATALOG_SUITE, encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options,
         "test_host.py"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )  # fmt: skip
    return done.stdout + done.stderr


def test_the_catalog_fixture_takes_the_command_line_option(tmp_path: Path) -> None:
    (tmp_path / "agency_catalog.py").write_text(ONE_PROCEDURE_CATALOG, encoding="utf-8")
    out = _run_host_suite(tmp_path, ["VD.LLTP"], "--tthc-catalog", "agency_catalog:catalog")
    assert "1 passed" in out, out


def test_the_catalog_fixture_takes_the_ini_option(tmp_path: Path) -> None:
    (tmp_path / "agency_catalog.py").write_text(ONE_PROCEDURE_CATALOG, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\ntthc_catalog = agency_catalog:catalog\n", encoding="utf-8"
    )
    assert "1 passed" in _run_host_suite(tmp_path, ["VD.LLTP"])


def test_the_command_line_option_wins_over_the_ini_file(tmp_path: Path) -> None:
    (tmp_path / "agency_catalog.py").write_text(ONE_PROCEDURE_CATALOG, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\ntthc_catalog = no_such_module:catalog\n", encoding="utf-8"
    )
    out = _run_host_suite(tmp_path, ["VD.LLTP"], "--tthc-catalog", "agency_catalog:catalog")
    assert "1 passed" in out, out


def test_a_catalog_that_cannot_load_fails_with_the_loaders_message(tmp_path: Path) -> None:
    out = _run_host_suite(tmp_path, [], "--tthc-catalog", "no_such_module:catalog")
    assert "1 error" in out or "1 failed" in out, out
    assert "no_such_module" in out


@pytest.mark.parametrize(
    "statement",
    [
        "from tthc_flow.testing import calendars",
        "from tthc_flow.testing import case_histories, procedures",
        "import tthc_flow.testing._procedure_strategies",
        "import tthc_flow.testing._history_strategies",
    ],
)
def test_the_kit_imports_before_hypothesis_in_a_fresh_interpreter(statement: str) -> None:
    # Hypothesis runs the kit's setup hook while it is being imported by the kit itself.
    script = (
        "import sys\n"
        "assert 'hypothesis' not in sys.modules\n"
        f"{statement}\n"
        "from hypothesis import strategies as st\n"
        "from tthc_flow import Procedure, WorkingCalendar\n"
        "from hypothesis import find\n"
        "print(type(find(st.from_type(WorkingCalendar), lambda c: True)).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "WorkingCalendar"

"""The kit's entry points: the pytest plugin loads without Hypothesis and gives its fixtures;
the Hypothesis hook is registered."""

from __future__ import annotations

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
    assert hooks == []  # nothing that could change how a project collects or runs its tests
    assert plugin.__all__ == ["tthc_calendar", "tthc_catalog"]


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

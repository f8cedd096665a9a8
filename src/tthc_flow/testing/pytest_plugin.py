"""pytest fixtures for hosts of tthc_flow, loaded through the ``pytest11`` entry point.

- ``tthc_calendar``: the national calendar of Vietnamese state agencies
  (:func:`~tthc_flow.calendar.vietnam_calendar`), built once per session.
- ``tthc_catalog``: the catalog under test (danh mục thủ tục), built once per session. It is
  the one named by the command-line option ``--tthc-catalog SPEC`` or, failing that, by the
  ini option ``tthc_catalog = SPEC`` (``pytest.ini``, ``[tool.pytest.ini_options]``);
  ``SPEC`` is anything :func:`~tthc_flow.catalog.load_catalog` reads: ``module:attribute``,
  an installed entry point of the group ``tthc_flow.catalogs``, a ``.py`` or ``.json`` file.
  Without either, it is the library's example catalog (``tthc_flow.samples``). A catalog
  that cannot be loaded fails the tests that ask for it, with the loader's message.

The module imports neither Hypothesis nor the engine when pytest loads it: every fixture
imports what it needs when a test asks for it, so loading the plugin costs nothing and a test
suite without Hypothesis still runs. Its one hook adds the option; fixture names start with
``tthc_`` so that they never shadow a project's own fixtures.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

__all__ = ["pytest_addoption", "tthc_calendar", "tthc_catalog"]

_OPTION = "tthc_catalog"
_HELP = (
    "the catalog the tthc_catalog fixture gives: 'module:attribute', an entry point of the "
    "group tthc_flow.catalogs, or a .py/.json file (default: the library's sample catalog)"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--tthc-catalog SPEC`` on the command line, ``tthc_catalog = SPEC`` in the ini file."""
    parser.addoption("--tthc-catalog", dest=_OPTION, default=None, metavar="SPEC", help=_HELP)
    parser.addini(_OPTION, help=_HELP, default=None)


def _catalog_spec(config: pytest.Config) -> str | None:
    spec = config.getoption(_OPTION, default=None) or config.getini(_OPTION) or ""
    return str(spec).strip() or None


@pytest.fixture(scope="session")
def tthc_calendar() -> Any:
    """The national working calendar (lịch làm việc): Mon–Fri 08:00–12:00 and 13:00–17:00,
    holidays, swaps and make-up Saturdays of 1995–2100."""
    from tthc_flow.calendar import vietnam_calendar

    return vietnam_calendar()


@pytest.fixture(scope="session")
def tthc_catalog(request: pytest.FixtureRequest) -> Any:
    """The catalog named by ``--tthc-catalog`` or the ``tthc_catalog`` ini option, else the
    example catalog of four procedures (danh mục thủ tục mẫu)."""
    spec = _catalog_spec(request.config)
    if spec is not None:
        from tthc_flow.catalog import load_catalog
        from tthc_flow.errors import CatalogLoadError

        try:
            return load_catalog(spec)
        except CatalogLoadError as error:
            pytest.fail(f"--tthc-catalog / tthc_catalog {spec!r}: {error}", pytrace=False)
    try:
        samples = importlib.import_module("tthc_flow.samples")
    except ModuleNotFoundError:
        pytest.skip("tthc_flow.samples is not available in this version of tthc_flow")
    return samples.sample_catalog()

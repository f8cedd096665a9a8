"""pytest fixtures for hosts of tthc_flow, loaded through the ``pytest11`` entry point.

- ``tthc_calendar``: the national calendar of Vietnamese state agencies
  (:func:`~tthc_flow.calendar.vietnam_calendar`), built once per session.
- ``tthc_catalog``: the library's example catalog (``tthc_flow.samples.sample_catalog()``),
  built once per session; the test is skipped where the samples are not available.

The module imports neither Hypothesis nor the engine when pytest loads it: every fixture
imports what it needs when a test asks for it, so loading the plugin costs nothing and a test
suite without Hypothesis still runs. Fixture names start with ``tthc_`` so that they never
shadow a project's own fixtures.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

__all__ = ["tthc_calendar", "tthc_catalog"]


@pytest.fixture(scope="session")
def tthc_calendar() -> Any:
    """The national working calendar (lịch làm việc): Mon–Fri 08:00–12:00 and 13:00–17:00,
    holidays, swaps and make-up Saturdays of 1995–2100."""
    from tthc_flow.calendar import vietnam_calendar

    return vietnam_calendar()


@pytest.fixture(scope="session")
def tthc_catalog() -> Any:
    """The example catalog of four procedures (danh mục thủ tục mẫu) and their units."""
    try:
        samples = importlib.import_module("tthc_flow.samples")
    except ModuleNotFoundError:
        pytest.skip("tthc_flow.samples is not available in this version of tthc_flow")
    return samples.sample_catalog()

"""Registers the kit's strategies with Hypothesis, so that ``st.from_type(Procedure)`` and
``@given(calendar=...)`` with type hints draw tthc_flow values.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported, through the
``hypothesis`` entry point of this package (``[project.entry-points.hypothesis]``).

The hook must not import the kit's strategy modules: when a script imports one of them
first (``from tthc_flow.testing import calendars``), that module is importing Hypothesis
when Hypothesis runs this hook, and importing it again here would find it half built. So
every strategy is registered as :func:`hypothesis.strategies.deferred`, which imports the
kit the first time a value is drawn, when every module is whole.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["_hypothesis_setup_hook"]


def _kit(module: str, name: str, **arguments: Any) -> Any:
    """A deferred strategy: ``tthc_flow.testing.<module>.<name>(**arguments)``, built on
    first draw."""
    from hypothesis import strategies as st

    def build() -> Any:
        strategy = getattr(importlib.import_module(f"tthc_flow.testing.{module}"), name)
        return strategy(**arguments)

    return st.deferred(build)


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each value type the kit can draw."""
    from hypothesis import strategies as st

    from tthc_flow.calendar import OfficeHours, WorkingCalendar
    from tthc_flow.engine import CalendarDays, Months, Procedure, WorkingDays, WorkingHours

    st.register_type_strategy(WorkingCalendar, _kit("_calendar_strategies", "calendars"))
    st.register_type_strategy(OfficeHours, _kit("_calendar_strategies", "working_hours"))
    st.register_type_strategy(Procedure, _kit("_procedure_strategies", "procedures"))
    for kind in (WorkingDays, WorkingHours, CalendarDays, Months):
        st.register_type_strategy(
            kind, _kit("_procedure_strategies", "budgets", kinds=(kind,), max_days=60)
        )

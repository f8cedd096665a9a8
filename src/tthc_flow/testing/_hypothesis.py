"""Registers the kit's strategies with Hypothesis, so that ``st.from_type(Procedure)`` and
``@given(calendar=...)`` with type hints draw tthc_flow values.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported, through the
``hypothesis`` entry point of this package (``[project.entry-points.hypothesis]``).
"""

from __future__ import annotations

__all__ = ["_hypothesis_setup_hook"]


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each value type the kit can draw."""
    from hypothesis import strategies as st

    from tthc_flow.calendar import OfficeHours, WorkingCalendar
    from tthc_flow.engine import CalendarDays, Months, Procedure, WorkingDays, WorkingHours
    from tthc_flow.testing.calendar_strategies import calendars, working_hours
    from tthc_flow.testing.procedure_strategies import budgets, procedures

    st.register_type_strategy(WorkingCalendar, calendars())
    st.register_type_strategy(OfficeHours, working_hours())
    st.register_type_strategy(Procedure, procedures())
    for kind in (WorkingDays, WorkingHours, CalendarDays, Months):
        st.register_type_strategy(kind, budgets(kinds=(kind,), max_days=60))

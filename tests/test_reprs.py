"""Values a failure report prints fit on one line: a failing Hypothesis example shows every
procedure, rule pack and calendar it drew."""

from __future__ import annotations

from datetime import date

import attrs
from hypothesis import given, settings

from tthc_flow import DECREE_61_2018, DECREE_118_2025, INTERNAL_PRACTICE, Procedure
from tthc_flow.calendar import Closure, vietnam_calendar
from tthc_flow.samples import sample_catalog
from tthc_flow.testing import calendars, procedures

LIMIT = 120


def _one_line(value: object) -> str:
    text = repr(value)
    assert "\n" not in text
    assert len(text) <= LIMIT, text
    return text


def test_every_sample_procedure_and_step_fits_on_a_line() -> None:
    catalog = sample_catalog()
    for code in catalog.codes:
        for publication in catalog.versions(code):
            procedure = publication.procedure
            text = _one_line(procedure)
            assert text.startswith(f"<Procedure '{code}' v'{procedure.version}'")
            for step in procedure.steps:
                assert repr(step.key) in _one_line(step)


def test_rule_packs_and_the_national_calendar_fit_on_a_line() -> None:
    assert _one_line(DECREE_118_2025) == "<RulePack 'DECREE_118_2025' 2025-07-01.. 7 reasons>"
    assert "2018-06-21..2025-06-30" in _one_line(DECREE_61_2018)
    _one_line(INTERNAL_PRACTICE)
    # A made-up closure: only the count is read here, no date of it is shown as real.
    closed = vietnam_calendar().with_closures(
        Closure(date(2030, 1, 7), reason="an example closure", source="this test")
    )
    assert "1 closures" in _one_line(closed)


def test_a_long_name_is_cut_not_spilled() -> None:
    procedure = sample_catalog().resolve("VD.LLTP", on=date(2025, 8, 1))
    renamed = attrs.evolve(procedure, code="X" * 300, version="9" * 80)
    text = _one_line(renamed)
    assert "…" in text


@settings(max_examples=40, deadline=None)
@given(procedure=procedures(), calendar=calendars())
def test_drawn_values_fit_on_a_line(procedure: Procedure, calendar: object) -> None:
    _one_line(procedure)
    _one_line(calendar)
    for pack in procedure.rules:
        _one_line(pack)

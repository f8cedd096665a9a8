"""Properties of the forms and portal records over simulated years of the sample catalog
(seeded by Hypothesis): what holds for every case, not only the hand-built ones."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import date, datetime
from html import escape

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_forms import judicial_case
from tthc_flow.engine import Case, EventKind
from tthc_flow.errors import FormNotApplicableError
from tthc_flow.forms import (
    Form,
    apology,
    case_ledger,
    control_slip,
    receipt,
    refusal,
    render_html,
    render_text,
    stop_notice,
    supplement_request,
)
from tthc_flow.portal import DEFAULT_PORTAL_CODES, portal_status, status_history
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate

CATALOG = sample_catalog()

years = st.builds(
    lambda seed, year: list(simulate(CATALOG, cases=5, seed=seed, year=year)),
    st.integers(min_value=0, max_value=100_000),
    st.sampled_from([2024, 2025, 2026]),
)

NEEDS: dict[str, tuple[Callable[[Case], Form], EventKind]] = {
    "supplement_request": (supplement_request, EventKind.SUPPLEMENT_REQUESTED),
    "refusal": (refusal, EventKind.REFUSED),
    "apology": (apology, EventKind.RESCHEDULED),
    "stop_notice": (stop_notice, EventKind.STOPPED),
}


def _no_remark(*printed: str) -> None:
    """A printed form says nothing of how its number was sourced: it goes to the applicant."""
    for page in printed:
        flat = " ".join(page.split()).lower()
        assert "kiểm chứng" not in flat and "not verified" not in flat


@settings(max_examples=20)
@given(cases=years)
def test_slip_has_a_row_per_stay_with_the_step_clock_result(cases: list[Case]) -> None:
    assert len(cases) == 5
    for case in cases:
        readings = case.step_clocks()
        form = control_slip(case)
        assert form.table is not None
        rows = form.table.rows
        assert len(rows) == len(readings)
        for number, (row, reading) in enumerate(zip(rows, readings, strict=True), 1):
            assert row[0] == str(number)
            assert row[1].splitlines()[0] == reading.unit
            assert row[3].splitlines()[0] == reading.result.vietnamese
        moves = [e for e in case.events if e.kind in (EventKind.HANDED_OVER, EventKind.SENT_BACK)]
        shown = sum("Giao" in r[2] or "Trả lại" in r[2] for r in rows)
        assert shown == len(moves)  # every handover is on the slip, none twice
        page = render_html(form)
        assert all(escape(r.unit or "") in page for r in readings)
        _no_remark(page, render_text(form))
        assert form.circular == (
            "01/2018/TT-VPCP"
            if case.received_at.astimezone(case.calendar.tz).date() < date(2025, 7, 1)
            else "03/2025/TT-VPCP"
        )


@settings(max_examples=20)
@given(cases=years)
def test_a_form_exists_exactly_when_its_event_does(cases: list[Case]) -> None:
    for case in cases:
        kinds = {e.kind for e in case.events}
        assert receipt(case).title
        before_2025 = case.received_at.astimezone(case.calendar.tz).date() < date(2025, 7, 1)
        for name, (build, needs) in NEEDS.items():
            possible = needs in kinds and not (name == "stop_notice" and before_2025)
            if possible:
                form = build(case)
                assert render_text(form).endswith("\n")
                _no_remark(render_text(form), render_html(form))
            else:
                with pytest.raises(FormNotApplicableError) as refused:
                    build(case)
                assert refused.value.case_id == case.case_id


@settings(max_examples=20)
@given(cases=years)
def test_ledger_has_one_row_per_case_in_order(cases: list[Case]) -> None:
    form = case_ledger(cases)
    assert form.table is not None
    assert [row[1] for row in form.table.rows] == [c.case_id for c in cases]
    returned = [any(e.kind is EventKind.RETURNED for e in c.events) for c in cases]
    assert [bool(row[11]) for row in form.table.rows] == returned


@settings(max_examples=20)
@given(cases=years)
def test_status_records_change_status_each_time_and_end_where_the_case_is(
    cases: list[Case],
) -> None:
    for case in cases:
        records = status_history(case)
        assert records[0]["event"] == "received"
        assert records[0]["status"] == DEFAULT_PORTAL_CODES.accepted
        assert records[-1]["status"] == portal_status(case)
        for before, after in itertools.pairwise(records):
            assert before["status"] != after["status"]
            assert after["previous_status"] == before["status"]
            assert before["seq"] < after["seq"]
            assert datetime.fromisoformat(before["at"]) <= datetime.fromisoformat(after["at"])
        assert all(r["status"] in DEFAULT_PORTAL_CODES.labels for r in records)
        assert json.loads(json.dumps(records)) == records


# Any text a case may hold: control characters and lone surrogates are refused when the
# case is built (tthc_flow.codec), so they never reach a form.
ONE_LINE = st.characters(
    exclude_categories=("Cc", "Cs"), exclude_characters="\u2028\u2029"
)


@settings(max_examples=40)
@given(text=st.text(ONE_LINE, max_size=60))
def test_case_text_never_changes_the_page_structure(text: str) -> None:
    """Whatever a one-line name holds, the page has the same tags as with a plain name: every
    '<' in it comes from the renderer, none from the case. (A value with line breaks is laid
    out on lines of its own, one more ``<br>`` by design.)"""
    plain = render_html(receipt(judicial_case()))
    base = judicial_case()
    attributes = {**base.attributes, "applicant": text, "address": text}
    case = Case.from_events(
        base.procedure,
        [
            attrs.evolve(e, data={**e.data, "attributes": attributes}) if e.seq == 0 else e
            for e in base.events
        ],
    )
    page = render_html(receipt(case))
    assert page.count("<") == plain.count("<")
    assert page.count(">") == plain.count(">")
    if text.strip():
        assert escape(text, quote=True) in page

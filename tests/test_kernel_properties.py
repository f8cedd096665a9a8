"""The clock kernel against an independent model, and the invariants of its fold: the legal
clock equals the model of :mod:`tests.reference_clock` on random histories; a fold read at
any instant equals a fold of the history as it stood then; no unlawful event moves a legal
due later; the calendar's position API inverts; the same-day rule holds for any receipt; the
engine path and the fast path agree on reports, alerts and slips."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reference_clock import legal_reading
from tthc_flow.calendar import vietnam_calendar
from tthc_flow.engine import (
    Case,
    ClockKernel,
    ClockStatus,
    Procedure,
    ProcedureKind,
    ResultClass,
    SameWorkingDay,
    replay,
)
from tthc_flow.engine._events import CLOCK_MOVES
from tthc_flow.forms import control_slip
from tthc_flow.reports import alerts, alerts_from_events
from tthc_flow.samples import sample_catalog
from tthc_flow.testing import case_histories, instants, procedures

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = vietnam_calendar(first_year=2024, last_year=2027)
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def histories(draw: st.DrawFn, violations: bool | None = None) -> tuple[Procedure, tuple]:  # type: ignore[type-arg]
    procedure = draw(procedures(kind=draw(st.sampled_from(list(ProcedureKind)))))
    flag = draw(st.booleans()) if violations is None else violations
    events = draw(case_histories(procedure, calendar=CAL, violations=flag, max_events=25))
    return procedure, events


# --------------------------------------------------------------------------- model


@SETTINGS
@given(histories(), st.integers(0, 60 * 24 * 40), st.booleans())
def test_the_legal_clock_is_the_model(
    history: tuple[Procedure, tuple], minutes: int, inside: bool  # type: ignore[type-arg]
) -> None:
    procedure, events = history
    case = Case.from_events(procedure, events, calendar=CAL)
    latest = max(e.at for e in events)
    # Read after the history, or anywhere inside it.
    first = events[0].at
    at = (
        first + (latest - first) * (minutes % 997) / 997
        if inside
        else latest + timedelta(minutes=minutes)
    )
    reading = case.legal_clock(at)
    assert case.pack is not None
    model = legal_reading(procedure, case.pack, CAL, case.events, at)
    assert reading.finished_at == model.finished
    assert reading.elapsed == model.elapsed
    assert reading.allowed == model.allowed
    if reading.result is not ResultClass.CLOSED:
        assert reading.result is model.result
    if reading.status is ClockStatus.STOPPED and reading.due is None:
        assert model.due is None  # ended while awaiting the applicant
    else:
        assert reading.due == model.due


# --------------------------------------------------------------------------- the fold


@SETTINGS
@given(histories(), st.data())
def test_a_fold_read_at_any_instant_is_the_fold_of_the_history_then(
    history: tuple[Procedure, tuple], data: st.DataObject  # type: ignore[type-arg]
) -> None:
    procedure, events = history
    case = Case.from_events(procedure, events, calendar=CAL)
    assert case.pack is not None
    kernel = ClockKernel.of(procedure, case.pack, CAL)
    number = data.draw(st.integers(0, len(events) - 1))
    at = events[number].at + timedelta(minutes=data.draw(st.integers(0, 600)))
    kept = []
    for event in case.events:
        if event.at > at:
            break
        kept.append(event)
    fresh = kernel.fold(kept, case.attributes)
    assert case.legal_clock(at) == fresh.legal_clock(at)
    assert case.indicator_clock(at) == fresh.indicator_clock(at)
    assert case.step_clocks(at) == fresh.step_clocks(at)
    assert case.unit_clocks(at) == fresh.unit_clocks(at)


@SETTINGS
@given(histories(violations=True))
def test_no_unlawful_event_moves_a_legal_due_later(
    history: tuple[Procedure, tuple],  # type: ignore[type-arg]
) -> None:
    """An event recorded with violations that could have bought time (a pause, a supplement
    request, an apology) changes nothing on the legal clock: read at its instant, the clock
    is what it was just before it."""
    procedure, events = history
    case = Case.from_events(procedure, events, calendar=CAL)
    clocks = case.clocks
    for number, event in enumerate(case.events):
        if not event.violations or event.kind not in CLOCK_MOVES:
            continue
        if any(e.at > event.at for e in case.events[:number]):
            continue  # recorded out of time order: its instant reads an earlier history
        before = clocks.prefix(number).legal_clock(event.at)
        after = clocks.prefix(number + 1).legal_clock(event.at)
        assert (after.status, after.due, after.remaining) == (
            before.status, before.due, before.remaining,
        )  # fmt: skip


# --------------------------------------------------------------------------- the calendar


@settings(max_examples=300, deadline=None)
@given(instants(CAL, min_value=date(2024, 1, 2), max_value=date(2027, 6, 30)),
       st.integers(1, 480 * 40))  # fmt: skip
def test_positions_invert_and_agree_with_working_time(t: datetime, minutes: int) -> None:
    position = CAL.position(t)
    back = CAL.instant_at(position)
    assert back <= t and CAL.position(back) == position
    later = t + timedelta(minutes=minutes)
    assert CAL.working_time_between(t, later) == timedelta(
        microseconds=CAL.position(later) - position
    )
    step = timedelta(minutes=minutes)
    assert CAL.add_working_time(t, step) == CAL.instant_at(position + minutes * 60_000_000)
    assert CAL.day_end_position(t) >= position


@settings(max_examples=300, deadline=None)
@given(instants(CAL, min_value=date(2024, 1, 2), max_value=date(2027, 6, 30)))
def test_the_same_day_rule_for_any_receipt(received: datetime) -> None:
    """Written from Decree 118/2025 Art. 18(2): by 15:00 on a working day (before its close),
    due at the close; otherwise one working hour after the next working day opens."""
    due = SameWorkingDay().due(CAL, received)
    local = received.astimezone(VN)
    sessions = CAL.sessions_on(local.date())
    if sessions and local.time() <= time(15) and local.time() < sessions[-1].end:
        assert due == datetime.combine(local.date(), sessions[-1].end, VN)
    else:
        following = CAL.add_working_days(local.date(), 1)
        opening = datetime.combine(following, CAL.sessions_on(following)[0].start, VN)
        assert due == opening + timedelta(hours=1)
    assert due > received


@settings(max_examples=150, deadline=None)
@given(instants(CAL, min_value=date(2025, 7, 1), max_value=date(2026, 12, 31)),
       st.integers(0, 1000))  # fmt: skip
def test_the_sample_desk_is_never_overdue_for_a_same_day_transfer(
    received: datetime, share: int
) -> None:
    case = sample_catalog().open_case(
        "VD.LTKS", case_id="L", received_at=received, actor="a", calendar=CAL
    )
    due = case.step_clocks(received)[0].due
    assert due is not None
    handed = received + (due - received) * share / 1000
    case.handover("birth", at=handed, actor="a", unit=case.procedure.first.unit)
    assert not case.step_clocks()[0].overdue
    assert not case.unit_clocks()[case.procedure.first.unit].overdue


# --------------------------------------------------------------------------- paths agree


@SETTINGS
@given(st.lists(histories(), min_size=1, max_size=4), st.integers(0, 60 * 24 * 30))
def test_alerts_from_events_are_the_alerts_of_the_replayed_cases(
    cases: list[tuple[Procedure, tuple]], minutes: int  # type: ignore[type-arg]
) -> None:
    at = max(e.at for _, events in cases for e in events) + timedelta(minutes=minutes)
    replayed = [Case.from_events(p, e, calendar=CAL) for p, e in cases]
    within = timedelta(hours=8)
    assert alerts_from_events(cases, at, within=within, calendar=CAL) == alerts(
        replayed, at, within=within
    )


@SETTINGS
@given(histories(), st.integers(0, 60 * 24 * 10))
def test_the_slip_rows_are_the_step_clocks_of_a_replay(
    history: tuple[Procedure, tuple], minutes: int  # type: ignore[type-arg]
) -> None:
    procedure, events = history
    case = Case.from_events(procedure, events, calendar=CAL)
    at = max(e.at for e in events) + timedelta(minutes=minutes)
    rows = control_slip(case, at=at).table.rows  # type: ignore[union-attr]
    steps = replay(procedure, case.events, calendar=CAL).clocks.step_clocks(at)
    assert len(rows) == len(steps)
    for row, reading in zip(rows, steps, strict=True):
        assert row[3].splitlines()[0] == reading.result.vietnamese
        assert reading.budget.label in row[3]


@SETTINGS
@given(histories(violations=False), st.integers(0, 60 * 24 * 10))
def test_the_dues_a_store_projects_are_those_of_the_readings(
    history: tuple[Procedure, tuple], minutes: int  # type: ignore[type-arg]
) -> None:
    procedure, events = history
    case = Case.from_events(procedure, events, calendar=CAL)
    at = max(e.at for e in events) + timedelta(minutes=minutes)
    dues = case.clocks.dues(at)

    def soonest(readings: list) -> datetime | None:  # type: ignore[type-arg]
        found = [r.due for r in readings if r.status is not ClockStatus.STOPPED and r.due]
        return min(found) if found else None

    assert dues.legal == case.legal_clock(at).due
    assert dues.indicator == case.indicator_clock(at).due
    steps = case.status_at(at).steps
    assert dues.step == soonest([r for r in case.step_clocks(at) if r.step in steps])
    # The units holding the case: at a step it is at, or owing an answer it was asked for.
    owing: set[str] = set()
    for event in events:
        if event.kind.value == "consulted":
            owing.add(event.target)
        elif event.kind.value == "answered":
            owing.discard(event.target)
    holding = {procedure.step(s).unit for s in steps} | (owing if steps else set())
    units = case.unit_clocks(at)
    assert dues.unit == soonest([r for name, r in units.items() if name in holding])


@SETTINGS
@given(histories())
def test_a_fold_kept_between_events_reads_the_dues_of_a_fresh_fold(
    history: tuple[Procedure, tuple],  # type: ignore[type-arg]
) -> None:
    # A host keeps a case between commands and reads its dues after each one (the store's
    # projection does): whatever a clock remembers from an earlier reading must follow
    # every later pause, restart, extension and finish.
    procedure, events = history
    case = Case.from_events(procedure, events, calendar=CAL)
    assert case.pack is not None
    kernel = ClockKernel.of(procedure, case.pack, CAL)
    kept = kernel.start(case.attributes)
    for number, event in enumerate(case.events):
        kept.apply(event, void=bool(event.violations))  # as fold does
        at = event.at + timedelta(minutes=number % 3 * 90)
        kept.dues(at)  # read, so that the next reading could come from memory
        fresh = kernel.fold(case.events[: number + 1], case.attributes)
        assert kept.dues(at) == fresh.dues(at)
        assert kept.legal_clock(at) == fresh.legal_clock(at)


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(datetime(2024, 1, 2), datetime(2027, 6, 30), timezones=st.just(VN)),
    st.sampled_from([timezone.utc, timezone(timedelta(hours=-5)), ZoneInfo("Asia/Tokyo")]),
)
def test_an_instant_has_one_position_whichever_zone_it_is_written_in(
    t: datetime, other: Any
) -> None:
    # Instants in the calendar's zone take the inline path (per-minute tables), the same
    # instants in another zone the checked one (DayShape.elapsed): one position, to the
    # microsecond, and one answer to every question built on it.
    elsewhere = t.astimezone(other)
    assert CAL.position(t) == CAL.position(elsewhere)
    assert CAL.is_working_time(t) == CAL.is_working_time(elsewhere)
    later = t + timedelta(hours=37, microseconds=7)
    assert CAL.working_time_between(t, later) == CAL.working_time_between(
        elsewhere, later.astimezone(other)
    )
    amount = timedelta(hours=9, microseconds=3)
    assert CAL.add_working_time(t, amount) == CAL.add_working_time(elsewhere, amount)

"""The reporting fast path against the engine's clocks: random histories (lawful or not,
replayed in audit mode), random reading instants, both clocks; every field must be equal."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.procedures import (
    BOARD,
    CLERK,
    DESK,
    LAND_DESK,
    LAND_OFFICE,
    RECORDS,
    TAX,
    judicial_record,
    land_change,
)
from tthc_flow.calendar import vietnam_calendar
from tthc_flow.engine import (
    BudgetPolicy,
    CalendarDays,
    Case,
    Event,
    EventKind,
    Procedure,
    ProcedureKind,
    ResultClass,
    Step,
    WorkingDays,
)
from tthc_flow.errors import NaiveDatetimeError
from tthc_flow.reports import (
    ClockChoice,
    FastProcedure,
    Period,
    Tally,
    build_report,
    build_report_from_events,
    outcome_of,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = vietnam_calendar()
PROCEDURES = (judicial_record(), land_change())
UNITS = (DESK, RECORDS, BOARD, CLERK, LAND_DESK, LAND_OFFICE, TAX)
REASONS = ("financial_obligation", "public_posting", "verification", "consultation", "nonsense")
KINDS = (
    [EventKind.HANDED_OVER] * 6
    + [EventKind.SENT_BACK, EventKind.PAUSED, EventKind.RESUMED, EventKind.RESUMED]
    + [EventKind.SUPPLEMENT_REQUESTED, EventKind.SUPPLEMENT_RECEIVED, EventKind.RESCHEDULED]
    + [EventKind.RESOLVED, EventKind.RETURNED, EventKind.REFUSED, EventKind.WITHDRAWN]
    + [EventKind.STOPPED]
)


@st.composite
def histories(draw: st.DrawFn) -> tuple[Procedure, list[Event]]:
    procedure = draw(st.sampled_from(PROCEDURES))
    keys = [s.key for s in procedure.steps]
    start = datetime(2025, 6, 20, 7, tzinfo=VN) + timedelta(
        minutes=draw(st.integers(0, 60 * 24 * 400))
    )
    attributes = draw(st.fixed_dictionaries({}, optional={
        "channel": st.sampled_from(["in_person", "online", "postal"]),
        "remote_commune": st.booleans(),
    }))  # fmt: skip
    events = [Event(0, EventKind.RECEIVED, start, "a", procedure.first.unit,
                    data={"case_id": "H", "attributes": attributes})]  # fmt: skip
    at = start
    for kind in draw(st.lists(st.sampled_from(KINDS), max_size=14)):
        step = draw(st.integers(-600, 60 * 40)) if draw(st.integers(0, 9)) == 0 else None
        gaps = (st.integers(0, 240), st.integers(0, 60 * 30), st.integers(0, 60 * 200))
        gap = draw(st.one_of(*gaps))
        at += timedelta(minutes=step if step is not None else gap)
        fields: dict[str, object] = {}
        if kind in (EventKind.HANDED_OVER, EventKind.SENT_BACK):
            fields["target"] = draw(st.sampled_from(keys))
        elif kind is EventKind.PAUSED:
            fields["reason"] = draw(st.sampled_from(REASONS))
        elif kind is EventKind.SUPPLEMENT_RECEIVED:
            fields["complete"] = draw(st.booleans())
        elif kind is EventKind.RESCHEDULED:
            fields["reason"] = "xin lỗi"
            fields["new_due"] = at + timedelta(minutes=draw(st.integers(-60 * 24, 60 * 24 * 9)))
        unit = draw(st.sampled_from(UNITS))
        events.append(Event(len(events), kind, at, "b", unit, **fields))  # type: ignore[arg-type]
    return procedure, events


@settings(max_examples=150)
@given(
    histories(),
    st.integers(-60 * 24, 60 * 24 * 40),
    st.sampled_from(list(ClockChoice)),
    st.booleans(),
)
def test_fast_outcome_equals_the_engine_clocks(
    history: tuple[Procedure, list[Event]], offset: int, clock: ClockChoice, units: bool
) -> None:
    procedure, events = history
    at = max(events[0].at, events[0].at + timedelta(minutes=offset))
    case = Case.from_events(procedure, events, calendar=CAL)
    expected = outcome_of(case, at, clock, units=units)
    assert FastProcedure(procedure, CAL).outcome(events, at, clock, units=units) == expected


@pytest.mark.parametrize("clock", list(ClockChoice))
def test_fast_outcome_of_a_lawful_case_with_supplement_and_apology(clock: ClockChoice) -> None:
    procedure = judicial_record()
    case = Case.open(procedure, case_id="H-1", received_at=datetime(2026, 3, 2, 9, tzinfo=VN),
                     actor="Lan", unit=DESK, attributes={"channel": "online"}, calendar=CAL)
    case.handover("review", at=datetime(2026, 3, 2, 10, tzinfo=VN), actor="Lan", unit=DESK)
    case.request_supplement(at=datetime(2026, 3, 3, 9, tzinfo=VN), actor="Minh", unit=RECORDS,
                            evidence=["Phiếu yêu cầu bổ sung"])
    case.receive_supplement(at=datetime(2026, 3, 5, 14, tzinfo=VN), actor="Lan", unit=DESK)
    case.reschedule(new_due=datetime(2026, 3, 25, 17, tzinfo=VN), reason="chờ tra cứu",
                    at=datetime(2026, 3, 16, 9, tzinfo=VN), actor="Minh", unit=RECORDS)
    case.handover("approve", at=datetime(2026, 3, 20, 9, tzinfo=VN), actor="Minh", unit=RECORDS)
    fast = FastProcedure(procedure, CAL)
    for at in (datetime(2026, 3, 4, 12, tzinfo=VN), datetime(2026, 3, 31, 23, tzinfo=VN)):
        assert fast.outcome(case.events, at, clock) == outcome_of(case, at, clock)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=VN)


def _script(*steps: tuple[EventKind, datetime, str, dict[str, object]]) -> list[Event]:
    events = [Event(0, EventKind.RECEIVED, _at(2, 9), "Lan", DESK,
                    data={"case_id": "S", "attributes": {}})]  # fmt: skip
    for kind, at, unit, fields in steps:
        events.append(Event(len(events), kind, at, "x", unit, **fields))  # type: ignore[arg-type]
    return events


K = EventKind
H, P, R, SQ, SR = (
    EventKind.HANDED_OVER,
    EventKind.PAUSED,
    EventKind.RESUMED,
    EventKind.SUPPLEMENT_REQUESTED,
    EventKind.SUPPLEMENT_RECEIVED,
)
SCRIPTS = {
    # A unit paused for a lawful reason, resumed, then finishing after the due it would have
    # had without the pause: only the due re-anchored at the resumption classes it right.
    "pause then finish": _script(
        (H, _at(2, 10), DESK, {"target": "review"}),
        (P, _at(2, 11), RECORDS, {"reason": "financial_obligation"}),
        (R, _at(9, 11), RECORDS, {}),
        (H, _at(13, 16), RECORDS, {"target": "approve"}),
    ),
    "handed over while paused": _script(
        (H, _at(2, 10), DESK, {"target": "review"}),
        (SQ, _at(3, 9), RECORDS, {"evidence": ("phiếu",)}),
        (H, _at(3, 10), RECORDS, {"target": "approve"}),
        (SR, _at(6, 15), DESK, {}),
        (H, _at(10, 10), RECORDS, {"target": "sign"}),
    ),
    "rework and return": _script(
        (H, _at(2, 10), DESK, {"target": "review"}),
        (H, _at(9, 10), RECORDS, {"target": "approve"}),
        (EventKind.SENT_BACK, _at(10, 10), RECORDS, {"target": "review", "reason": "sửa"}),
        (H, _at(11, 10), RECORDS, {"target": "approve"}),
        (H, _at(12, 10), RECORDS, {"target": "sign"}),
        (H, _at(13, 10), BOARD, {"target": "issue"}),
        (EventKind.RESOLVED, _at(13, 11), CLERK, {}),
        (H, _at(13, 14), CLERK, {"target": "return"}),
        (EventKind.RETURNED, _at(16, 9), DESK, {}),
    ),
    # The director's day runs out exactly as a supplement is requested: once the supplement
    # is in, the unit is due at that instant (it used no more than its budget).
    "paused as the budget ran out": _script(
        (H, _at(2, 10), DESK, {"target": "review"}),
        (H, _at(6, 10), RECORDS, {"target": "sign"}),
        (SQ, _at(9, 10), BOARD, {"evidence": ("phiếu",)}),
        (SR, _at(11, 10), DESK, {}),
        (H, _at(11, 10), BOARD, {"target": "issue"}),
    ),
    # The whole 80 h run out as a supplement is requested (a late request, kept in audit
    # mode): on the indicator clock the case is due the instant the supplement comes in.
    "case paused as its budget ran out": _script(
        (H, _at(2, 10), DESK, {"target": "review"}),
        (SQ, _at(16, 9), RECORDS, {"evidence": ("phiếu",)}),
        (SR, _at(18, 9), DESK, {}),
        (EventKind.RESOLVED, _at(18, 9), RECORDS, {}),
    ),
    "two supplement requests": _script(
        (H, _at(2, 10), DESK, {"target": "review"}),
        (SQ, _at(3, 9), RECORDS, {"evidence": ("phiếu",)}),
        (SR, _at(4, 9), DESK, {}),
        (SQ, _at(5, 9), RECORDS, {"evidence": ("phiếu 2",)}),
        (SR, _at(6, 9), DESK, {}),
    ),
}


@pytest.mark.parametrize("name", list(SCRIPTS))
@pytest.mark.parametrize("clock", list(ClockChoice))
def test_fast_outcome_on_scripted_histories(name: str, clock: ClockChoice) -> None:
    events = SCRIPTS[name]
    procedure = judicial_record()
    case = Case.from_events(procedure, events, calendar=CAL)
    fast = FastProcedure(procedure, CAL)
    for day in range(2, 31):
        for hour in (8, 12, 17, 23):
            at = _at(day, hour)
            if at >= events[0].at:
                assert fast.outcome(events, at, clock) == outcome_of(case, at, clock), at


def test_calendar_day_budgets_read_alike_on_both_paths() -> None:
    procedure = Procedure(
        code="TEST.CD", name="Thủ tục tính theo ngày (minh họa)", version="1",
        kind=ProcedureKind.ONE_STOP, total=CalendarDays(15),
        budget_policy=BudgetPolicy.UNCHECKED,
        steps=[
            Step("receive", "Tiếp nhận", DESK, WorkingDays("0.5"), next="review",
                 reception=True),
            Step("review", "Thẩm định", RECORDS, CalendarDays(14), next="return"),
            Step("return", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
    )  # fmt: skip
    events = _script((H, _at(2, 10), DESK, {"target": "review"}))
    fast = FastProcedure(procedure, CAL)
    case = Case.from_events(procedure, events, calendar=CAL)
    for day in (5, 17, 18, 31):
        outcome = fast.outcome(events, _at(day, 12))
        assert outcome == outcome_of(case, _at(day, 12))
        assert not outcome.working
    period = Period(date(2026, 2, 1), date(2026, 4, 30))
    expected = build_report([case], period, granularity="month")
    assert build_report_from_events([(procedure, events)], period, calendar=CAL) == expected
    assert expected.total.in_progress_overdue == 1 and expected.total.processing_count == 0
    # 15 calendar days after Mon 2/3 end at 24:00 on Tue 17/3: overdue from Wed 18/3.
    assert fast.outcome(events, _at(17, 23)).result is ResultClass.IN_PROGRESS
    assert fast.outcome(events, _at(18, 0, 1)).result is ResultClass.IN_PROGRESS_OVERDUE


def test_a_naive_instant_is_refused() -> None:
    events = SCRIPTS["pause then finish"]
    with pytest.raises(NaiveDatetimeError):
        FastProcedure(judicial_record(), CAL).outcome(events, datetime(2026, 3, 31, 12))
    with pytest.raises(NaiveDatetimeError):
        outcome_of(Case.from_events(judicial_record(), events), datetime(2026, 3, 31, 12))


@settings(max_examples=60)
@given(
    st.lists(histories(), min_size=1, max_size=6),
    st.dates(date(2025, 6, 1), date(2026, 9, 30)),
    st.integers(0, 240),
    st.sampled_from(list(ClockChoice)),
    st.sampled_from(["month", "quarter"]),
)
def test_each_sub_period_row_is_the_report_of_that_sub_period(
    cases: list[tuple[Procedure, list[Event]]], start: date, days: int, clock: ClockChoice,
    granularity: str,
) -> None:
    """Rows by period read every case at each sub-period's end, as a report of that
    sub-period alone would, even for histories recorded out of time order."""
    # Histories share case ids; the report does not care, and each is its own case.
    period = Period(start, start + timedelta(days=days))
    report = build_report_from_events(cases, period, clock=clock, granularity=granularity,
                                      calendar=CAL)  # fmt: skip
    rows = dict(report.periods)
    for key, sub in period.split(granularity):
        alone = build_report_from_events(cases, sub, clock=clock, calendar=CAL)
        assert rows.get(key, Tally()) == alone.total, key
    replayed = [Case.from_events(p, e, calendar=CAL) for p, e in cases]
    assert build_report(replayed, period, clock=clock, granularity=granularity) == report
    half = len(replayed) // 2  # the same case id in both parts: still one pass's report
    parts = [build_report(part, period, clock=clock, granularity=granularity)
             for part in (replayed[:half], replayed[half:])]  # fmt: skip
    assert sum(parts) == report


def test_a_history_out_of_time_order_settles_at_its_latest_mark() -> None:
    """A pause recorded at 3/2 but placed before the resolution of 29/1 (audit data): at the
    end of January the legal clock has not read past the pause, so the case is still in
    progress there; it settles, finished on 29/1, only from 3/2 on. A report cannot score
    such a history: it counts the case as unverified in every row from its receipt to its
    latest instant, and lists it under ``time_order``."""
    events = [
        Event(0, K.RECEIVED, datetime(2026, 1, 28, 9, tzinfo=VN), "a", DESK,
              data={"case_id": "OOO", "attributes": {}}),
        Event(1, K.HANDED_OVER, datetime(2026, 1, 28, 10, tzinfo=VN), "a", DESK,
              target="review"),
        Event(2, K.PAUSED, datetime(2026, 2, 3, 9, tzinfo=VN), "b", RECORDS,
              reason="verification"),
        Event(3, K.RESOLVED, datetime(2026, 1, 29, 9, tzinfo=VN), "b", RECORDS),
    ]  # fmt: skip
    procedure = judicial_record()
    outcome = FastProcedure(procedure, CAL).outcome(events, datetime(2026, 2, 28, 12, tzinfo=VN))
    assert outcome.finished_at == events[3].at and outcome.settled_at == events[2].at
    period = Period(date(2026, 1, 1), date(2026, 2, 28))
    report = build_report_from_events([(procedure, events)], period, calendar=CAL)
    rows = dict(report.periods)
    unverified = Tally(total=1, received=1, unverified=1)
    assert rows == {"2026-01": unverified, "2026-02": Tally(total=1, carried_over=1,
                                                            unverified=1)}  # fmt: skip
    assert report.total == unverified and report.responsibility == ()
    assert report.flagged("time_order") == ("OOO",)
    replayed = Case.from_events(procedure, events, calendar=CAL)
    assert build_report([replayed], period) == report

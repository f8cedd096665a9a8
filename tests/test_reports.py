"""Reports: the monoid (merge equals one pass, under Hypothesis), row invariants, period
boundaries, An Giang's thresholds and responsibility on hand-built cases, compliance findings,
early warnings, calendar-change impact and the three output formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.procedures import DESK, RECORDS, judicial_record
from tthc_flow.calendar import Closure, Opening, vietnam_calendar
from tthc_flow.engine import (
    Case,
    Event,
    EventKind,
    Procedure,
    ProcedureKind,
    ResultClass,
    Step,
    WorkingDays,
)
from tthc_flow.errors import InvalidInputError, NaiveDatetimeError
from tthc_flow.reports import (
    AN_GIANG_2020,
    LATE_WITHOUT_APOLOGY,
    Granularity,
    Period,
    Report,
    ReportBuilder,
    Tally,
    ThresholdPolicy,
    ThresholdRule,
    alerts,
    build_report,
    build_report_from_events,
    calendar_impact,
    changed_days,
    compliance_findings,
    report_to_dict,
    to_csv,
    to_json,
    to_markdown,
    total_points,
)
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = vietnam_calendar()
K = EventKind
H = timedelta(hours=1)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


def events(case_id: str, steps: Sequence[tuple[EventKind, datetime, str, dict[str, object]]],
           attributes: dict[str, object] | None = None) -> list[Event]:  # fmt: skip
    found = []
    for seq, (kind, instant, unit, fields) in enumerate(steps):
        data = {"case_id": case_id, "attributes": attributes or {}} if seq == 0 else None
        found.append(Event(seq, kind, instant, "officer", unit, data=data, **fields))  # type: ignore[arg-type]
    return found


# ----------------------------------------------------------------------------- the monoid

CATALOG = sample_catalog()
SIMULATED = [
    (case.procedure, case.events) for case in simulate(CATALOG, cases=160, seed=4, year=2026)
]
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
PERIODS = st.builds(
    lambda start, days: Period(start, start + timedelta(days=days)),
    st.dates(date(2025, 12, 1), date(2026, 12, 31)),
    st.integers(0, 200),
)


def fast(histories: Sequence[tuple[Procedure, Sequence[Event]]], period: Period,
         clock: str = "legal", granularity: str = "month") -> Report:  # fmt: skip
    return build_report_from_events(histories, period, clock=clock, granularity=granularity,
                                    calendar=CAL)  # fmt: skip


@settings(max_examples=25)
@given(
    st.lists(st.integers(0, 3), min_size=len(SIMULATED), max_size=len(SIMULATED)),
    PERIODS,
    st.sampled_from(["legal", "indicator"]),
    st.sampled_from(["month", "quarter"]),
)
def test_partial_reports_merge_into_the_single_pass_report(
    parts: list[int], period: Period, clock: str, granularity: str
) -> None:
    whole = fast(SIMULATED, period, clock, granularity)
    partials = [
        fast([h for h, p in zip(SIMULATED, parts, strict=True) if p == n], period, clock,
             granularity)
        for n in range(4)
    ]
    assert sum(partials, Report.empty()) == whole
    a, b, c, d = partials
    assert (a + b) + (c + d) == a + (b + (c + d)) == whole
    assert whole + Report.empty() == Report.empty() + whole == whole


@settings(max_examples=25)
@given(PERIODS, st.sampled_from(["legal", "indicator"]))
def test_every_row_adds_up(period: Period, clock: str) -> None:
    report = fast(SIMULATED, period, clock, "month")
    rows = [report.total, *(t for dim in ("procedure", "unit", "channel", "period")
                            for _, t in report.rows(dim))]  # fmt: skip
    for t in rows:
        assert t.total == t.received + t.carried_over
        assert t.total == (t.early + t.on_time + t.overdue + t.in_progress
                           + t.in_progress_overdue + t.withdrawn + t.closed
                           + t.unverified)  # fmt: skip
        assert t.refused + t.stopped + t.withdrawn_classed <= t.finished
        if clock == "indicator":  # Decision 766 classes every withdrawal
            assert t.withdrawn == 0
        assert t.processing_count <= t.finished
    assert sum((t for _, t in report.procedures), Tally()) == report.total
    assert sum((t for _, t in report.channels), Tally()) == report.total
    late = report.total.overdue + report.total.in_progress_overdue
    assert len(report.responsibility) == late


def test_the_engine_path_and_the_fast_path_agree_on_simulated_cases() -> None:
    cases = [Case.from_events(p, e, calendar=CAL) for p, e in SIMULATED]
    for clock in ("legal", "indicator"):
        assert build_report(cases, YEAR, clock=clock) == fast(SIMULATED, YEAR, clock)


def test_reports_of_different_periods_do_not_merge() -> None:
    one = fast(SIMULATED[:5], YEAR)
    other = fast(SIMULATED[:5], Period.month(2026, 3))
    with pytest.raises(InvalidInputError, match="cannot merge"):
        one + other
    with pytest.raises(InvalidInputError, match="cannot merge"):
        one + fast(SIMULATED[:5], YEAR, clock="indicator")


# ----------------------------------------------------------------------------- periods

def test_period_edges() -> None:
    march = Period.month(2026, 3)
    assert march.opening(VN) == at(3, 1, 0)
    assert march.cutoff(VN) == at(4, 1, 0) - timedelta(microseconds=1)
    assert [k for k, _ in Period(date(2025, 11, 15), date(2026, 2, 3)).split("month")] == [
        "2025-11", "2025-12", "2026-01", "2026-02",
    ]  # fmt: skip
    quarters = dict(Period(date(2026, 2, 1), date(2026, 7, 31)).split(Granularity.QUARTER))
    assert quarters == {
        "2026-Q1": Period(date(2026, 2, 1), date(2026, 3, 31)),
        "2026-Q2": Period(date(2026, 4, 1), date(2026, 6, 30)),
        "2026-Q3": Period(date(2026, 7, 1), date(2026, 7, 31)),
    }
    with pytest.raises(InvalidInputError, match="ends on or after"):
        Period(date(2026, 3, 2), date(2026, 3, 1))
    with pytest.raises(InvalidInputError, match=r"must be a datetime\.date"):
        Period(at(3, 1, 0), date(2026, 3, 31))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="granularity"):
        list(march.split("week"))


SIMPLE = [
    (K.RECEIVED, at(3, 31, 23, 59), DESK, {}),
    (K.HANDED_OVER, at(4, 1, 0, 0), DESK, {"target": "review"}),
    (K.WITHDRAWN, at(4, 1, 9), RECORDS, {}),
]


def test_a_case_received_on_the_last_minute_is_in_the_period_and_one_received_after_is_not() -> None:  # noqa: E501
    march, april = Period.month(2026, 3), Period.month(2026, 4)
    history = [(judicial_record(), events("late-night", SIMPLE))]
    in_march = fast(history, march).total
    assert (in_march.total, in_march.received, in_march.in_progress) == (1, 1, 1)
    in_april = fast(history, april).total
    # Carried over from March, withdrawn in April: counted, not classed.
    assert (in_april.total, in_april.carried_over, in_april.withdrawn) == (1, 1, 1)
    assert in_april.on_time_rate is None and in_april.average_processing_minutes is None
    assert fast(history, Period.month(2026, 2)).total == Tally()
    assert fast(history, Period.month(2026, 5)).total == Tally()  # finished before May


# ----------------------------------------------------------------------------- thresholds

DESK_P = "Trung tâm Phục vụ hành chính công tỉnh"
DEPT_P = "Sở Xây dựng"
DEPT_D = "Phòng Quản lý đô thị huyện"
LEVELS = {DESK_P: "tỉnh", DEPT_P: "sở", DEPT_D: "huyện"}


def small(code: str, dept: str) -> Procedure:
    """3 working days: desk 0.5, the division 2, desk 0.5 (illustrative)."""
    return Procedure(
        code=code, name="Thủ tục minh họa", version="1", kind=ProcedureKind.ONE_STOP,
        total=WorkingDays(3),
        steps=[
            Step("receive", "Tiếp nhận", DESK_P, WorkingDays("0.5"), next="review",
                 reception=True),
            Step("review", "Thẩm định", dept, WorkingDays(2), next="return"),
            Step("return", "Trả kết quả", DESK_P, WorkingDays("0.5"), returns=True),
        ],
    )  # fmt: skip


PROVINCE, DISTRICT = small("SX.1", DEPT_P), small("QLDT.1", DEPT_D)


def small_history(procedure: Procedure, case_id: str, late: bool) -> list[Event]:
    """Received Mon 2/3 08:00, due Wed 4/3 17:00 (24 h). Prompt: the division hands back
    Tue 3/3 10:00 (9.5 h of its 16), resolved 10:30: early. Late: it hands back Thu 5/3
    10:00 — 7.5 + 8 + 8 + 2 = 25.5 h, 9.5 h over — resolved 10:30, 2.5 h after the case's
    24 h: overdue; the desk (0.5 h + 1 h of 8 h) is early."""
    dept = procedure.step("review").unit
    day = 5 if late else 3
    return events(case_id, [
        (K.RECEIVED, at(3, 2, 8), DESK_P, {}),
        (K.HANDED_OVER, at(3, 2, 8, 30), DESK_P, {"target": "review"}),
        (K.HANDED_OVER, at(3, day, 10), dept, {"target": "return"}),
        (K.RESOLVED, at(3, day, 10, 30), DESK_P, {}),
        (K.RETURNED, at(3, day, 11), DESK_P, {}),
    ])  # fmt: skip


def threshold_report(province: tuple[int, int], district: tuple[int, int]) -> Report:
    histories = []
    for procedure, (cases, late) in ((PROVINCE, province), (DISTRICT, district)):
        for n in range(cases):
            histories.append((procedure, small_history(procedure, f"{procedure.code}-{n}",
                                                       n < late)))  # fmt: skip
    return fast(histories, Period.month(2026, 3))


@pytest.mark.parametrize(
    ("province", "district", "breaching"),
    [
        ((50, 1), (200, 7), []),  # exactly 2 % and exactly 3.5 %: no breach
        ((50, 2), (200, 7), [DEPT_P]),  # 4 % at a department
        ((50, 1), (200, 8), [DEPT_D]),  # 4 % at district level
        ((50, 2), (200, 8), [DEPT_P, DEPT_D]),
    ],
)
def test_an_giang_thresholds(
    province: tuple[int, int], district: tuple[int, int], breaching: list[str]
) -> None:
    report = threshold_report(province, district)
    breaches = AN_GIANG_2020.apply(report, LEVELS)
    assert sorted(b.unit for b in breaches) == sorted(breaching)
    assert total_points(breaches) == Fraction(len(breaching), 2)
    for breach in breaches:
        cases, late = province if breach.unit == DEPT_P else district
        assert (breach.overdue, breach.total) == (late, cases)
        assert breach.rate == Fraction(late, cases) > breach.limit
        assert "664/UBND-TH" in breach.citation
    # The desk is never late, at province level.
    assert dict(report.by_level(LEVELS))["tỉnh"].overdue == 0


def test_an_agency_writes_its_own_policy_and_units_without_a_level_are_not_judged() -> None:
    report = threshold_report((50, 2), (200, 8))
    strict = ThresholdPolicy("Chỉ tiêu riêng (own target)", "Kế hoạch minh họa",
                             [ThresholdRule("huyện", "0.05", 1)])  # fmt: skip
    assert [b.unit for b in strict.apply(report, LEVELS)] == []  # 4 % is within 5 %
    assert AN_GIANG_2020.apply(report, {}) == []
    with pytest.raises(InvalidInputError, match="exact"):
        ThresholdRule("tỉnh", 0.02, 1)
    with pytest.raises(InvalidInputError, match="two rules"):
        ThresholdPolicy("x", "y", [ThresholdRule("xã", 0, 1), ThresholdRule("xã", 1, 1)])


def test_responsibility_on_a_hand_built_late_case() -> None:
    report = threshold_report((2, 1), (0, 0))
    [entry] = report.responsibility
    assert entry.case_id == "SX.1-0" and entry.result is ResultClass.OVERDUE
    assert entry.overrun == 2.5 * H
    [unit] = entry.units
    assert (unit.unit, unit.allowed, unit.elapsed, unit.overrun) == (
        DEPT_P, 16 * H, 25.5 * H, 9.5 * H,
    )  # fmt: skip
    units = dict(report.units)
    assert (units[DESK_P].early, units[DEPT_P].early, units[DEPT_P].overdue) == (2, 1, 1)


# ----------------------------------------------------------------------------- findings

LLTP = judicial_record()


def audit(case_id: str, steps: Sequence[tuple[EventKind, datetime, str, dict[str, object]]]
          ) -> Case:  # fmt: skip
    return Case.from_events(LLTP, events(case_id, steps), calendar=CAL)


START = [(K.RECEIVED, at(3, 2, 9), DESK, {}), (K.HANDED_OVER, at(3, 2, 10), DESK,
                                                {"target": "review"})]  # fmt: skip
FORM = {"evidence": ("Phiếu yêu cầu bổ sung",)}
DONE = [(K.RESOLVED, at(3, 18, 9), RECORDS, {})]
FINDING_CASES = {
    "pause.not_allowed": [*START, (K.PAUSED, at(3, 3, 9), RECORDS, {"reason": "verification"}),
                          (K.RESUMED, at(3, 4, 9), RECORDS, {}),
                          (K.RESOLVED, at(3, 10, 9), RECORDS, {})],
    # Financial obligation stops the clock in land procedures only (Decree 151/2025).
    "pause.not_declared": [*START, (K.PAUSED, at(3, 3, 9), RECORDS,
                                    {"reason": "financial_obligation",
                                     "evidence": ("Thông báo nộp phí",)}),
                           (K.RESUMED, at(3, 4, 9), RECORDS, {}),
                           (K.RESOLVED, at(3, 10, 9), RECORDS, {})],
    "pause.unknown_reason": [*START, (K.PAUSED, at(3, 3, 9), RECORDS, {"reason": "chờ họp"}),
                             (K.RESUMED, at(3, 4, 9), RECORDS, {}),
                             (K.RESOLVED, at(3, 10, 9), RECORDS, {})],
    "supplement.max_times": [*START, (K.SUPPLEMENT_REQUESTED, at(3, 3, 9), RECORDS, FORM),
                             (K.SUPPLEMENT_RECEIVED, at(3, 4, 9), DESK, {}),
                             (K.SUPPLEMENT_REQUESTED, at(3, 5, 9), RECORDS, FORM),
                             (K.SUPPLEMENT_RECEIVED, at(3, 6, 9), DESK, {}),
                             (K.RESOLVED, at(3, 10, 9), RECORDS, {})],
    # The 3 working days after Mon 2/3 are Tue 3, Wed 4 and Thu 5/3, to 17:00; Fri 6/3 is late.
    "supplement.window": [*START, (K.SUPPLEMENT_REQUESTED, at(3, 6, 10), RECORDS, FORM),
                          (K.SUPPLEMENT_RECEIVED, at(3, 9, 9), DESK, {}),
                          (K.RESOLVED, at(3, 12, 9), RECORDS, {})],
    # Due Mon 16/3 09:00: the apology had to go by Sun 15/3; sent 16/3 08:00.
    "reschedule.too_late": [*START, (K.RESCHEDULED, at(3, 16, 8), RECORDS,
                                     {"reason": "chờ tra cứu", "new_due": at(3, 20, 17)}),
                            *DONE],
    "reschedule.max_times": [*START, (K.RESCHEDULED, at(3, 10, 9), RECORDS,
                                      {"reason": "chờ tra cứu", "new_due": at(3, 20, 17)}),
                             (K.RESCHEDULED, at(3, 12, 9), RECORDS,
                              {"reason": "chờ tiếp", "new_due": at(3, 25, 17)})],
    # Due 16/3 09:00, still at review on 31/3, no apology.
    LATE_WITHOUT_APOLOGY: START,
}  # fmt: skip


def test_each_compliance_rule_is_found_on_its_case_with_its_article() -> None:
    cases = [audit(rule, steps) for rule, steps in FINDING_CASES.items()]
    found = compliance_findings(cases, Period.month(2026, 3))
    assert sorted((f.case_id, f.rule) for f in found) == sorted((r, r) for r in FINDING_CASES)
    for finding in found:
        assert finding.citation and finding.title and finding.message
    late = next(f for f in found if f.rule == LATE_WITHOUT_APOLOGY)
    assert late.at == at(3, 16, 9) and late.unit == RECORDS
    assert "Nghị định 118/2025" in late.citation
    # The rescheduled case is late too (new date 25/3) but did apologise: no late finding.
    assert not any(f.rule == LATE_WITHOUT_APOLOGY and f.case_id == "reschedule.max_times"
                   for f in found)  # fmt: skip


def test_findings_outside_the_period_are_left_to_their_own_period() -> None:
    cases = [audit(rule, steps) for rule, steps in FINDING_CASES.items()]
    assert compliance_findings(cases, Period.month(2026, 2)) == []
    april = compliance_findings(cases, Period.month(2026, 4))
    # Still unfinished and late, still without an apology.
    assert [(f.case_id, f.rule) for f in april] == [(LATE_WITHOUT_APOLOGY,) * 2]
    only = compliance_findings(cases, rules=["supplement.window"])
    assert [f.case_id for f in only] == ["supplement.window"]


# ----------------------------------------------------------------------------- alerts

def test_alerts_at_shares_of_the_budget_and_before_the_due() -> None:
    case = audit("W-1", START)
    # Mon 9/3 09:00: the case has used 7 + 32 + 1 = 40 h of 80 (1/2), the review step
    # 6 + 32 + 1 = 39 h of 48 (13/16, past 3/4).
    found = {a.clock: a for a in alerts([case], at(3, 9, 9))}
    assert found["legal"].share == Fraction(1, 2) and found["legal"].share_used == Fraction(1, 2)
    assert found["step:review#1"].share == Fraction(3, 4)
    assert found["step:review#1"].unit == RECORDS
    assert alerts([case], at(3, 2, 11)) == []
    # Fri 13/3 10:00: 73 h used, 7 h left: due within a working day.
    [legal] = [a for a in alerts([case], at(3, 13, 10), within=8 * H) if a.clock == "legal"]
    assert legal.due_soon and legal.remaining == 7 * H and legal.due == at(3, 16, 9)
    assert alerts([case], at(3, 13, 10), shares=["0.95"], within=6 * H, steps=False) == []
    with pytest.raises(InvalidInputError, match="exact"):
        alerts([case], at(3, 9, 9), shares=[0.5])


# ----------------------------------------------------------------------------- impact

def test_a_storm_closure_moves_only_the_dues_it_touches() -> None:
    storm = CAL.with_closures(
        Closure(date(2026, 3, 19), date(2026, 3, 20), reason="Nghỉ do bão (illustrative)",
                source="illustrative provincial notice")
    )
    before = audit("A", START)  # due 16/3 09:00, review step due 10/3 10:00: untouched
    # Received Mon 9/3 09:00: due Mon 23/3 09:00 (9/3: 7 h; 10–20/3: 72 h; 1 h); with
    # 19–20/3 closed, Wed 25/3 09:00. Its review step (48 h from 9/3 10:00) ends Tue 17/3.
    moved = Case.from_events(LLTP, events("B", [
        (K.RECEIVED, at(3, 9, 9), DESK, {}),
        (K.HANDED_OVER, at(3, 9, 10), DESK, {"target": "review"}),
    ]), calendar=CAL)  # fmt: skip
    [change] = calendar_impact([before, moved], CAL, storm, at(3, 12, 12))
    assert (change.case_id, change.clock) == ("B", "legal")
    assert (change.old_due, change.new_due) == (at(3, 23, 9), at(3, 25, 9))
    assert change.shift == timedelta(days=2)
    assert [d.day for d in change.days] == [date(2026, 3, 19), date(2026, 3, 20)]
    assert all(d.was_working and not d.is_working and "bão" in d.reason for d in change.days)
    assert calendar_impact([moved], CAL, CAL, at(3, 12, 12)) == []


def test_a_worked_saturday_brings_a_due_forward() -> None:
    saturday = CAL.with_openings(
        Opening(date(2026, 3, 14), reason="Làm việc thứ Bảy (illustrative)",
                source="illustrative provincial notice")
    )
    # Received Mon 2/3 09:00: 79 h are used by Fri 13/3 17:00; the last hour falls on the
    # worked Saturday, 14/3 09:00, instead of Mon 16/3 09:00.
    [change] = calendar_impact([audit("A", START)], CAL, saturday, at(3, 12, 12))
    assert (change.clock, change.old_due, change.new_due) == ("legal", at(3, 16, 9),
                                                              at(3, 14, 9))  # fmt: skip
    assert change.shift == -timedelta(days=2)
    [day] = change.days
    assert (day.day, day.was_working, day.is_working) == (date(2026, 3, 14), False, True)


# ----------------------------------------------------------------------------- output

def test_csv_markdown_and_json() -> None:
    report = threshold_report((3, 1), (0, 0))
    lines = list(csv.reader(io.StringIO(to_csv(report, "unit"))))
    rows, quality = lines[: lines.index([])], lines[lines.index([]) + 1 :]
    assert rows[0][0] == "Đơn vị (unit)" and rows[0][4] == "Trước hạn (early)"
    assert rows[0][-1].startswith("Không đánh giá do dữ liệu lỗi")
    assert [r[0] for r in rows[1:]] == [DEPT_P, DESK_P, "Tổng các đơn vị (all units' clocks)"]
    # Unit rows count units' clocks: the last line sums them (3 cases, 2 units each).
    assert rows[-1][1] == "6"
    by_procedure = list(csv.reader(io.StringIO(to_csv(report))))
    assert by_procedure[by_procedure.index([]) - 1][:2] == ["Tổng cộng (total)", "3"]
    # The division: 2 early of 3 finished: 66.666…% rounds to 66.67; none left out.
    assert rows[1][1:7] == ["3", "3", "0", "2", "0", "1"] and rows[1][14] == "66.67"
    assert rows[1][16] == "0"
    assert quality == [["Chất lượng dữ liệu (data quality)", "Mã (kind)", "Số hồ sơ (cases)",
                        "Loại khỏi số liệu (left out of the figures)", "Mã hồ sơ (case ids)"],
                       ["Không phát hiện vấn đề (no problem found)"]]  # fmt: skip
    markdown = to_markdown(report, "level", LEVELS)
    assert "| Cấp (level) |" in markdown and "| sở |" in markdown and "| tỉnh |" in markdown
    data = json.loads(to_json(report, LEVELS))
    assert data["total"]["on_time_rate"] == "2/3" and data["total"]["on_time_percent"] == "66.67"
    assert data["responsibility"][0]["units"][0] == {
        "unit": DEPT_P, "result": "overdue", "overrun_minutes": 570,
    }  # fmt: skip
    assert data == report_to_dict(report, LEVELS)
    assert data["data_quality"] == {"unverified_cases": 0, "flags": []}
    assert data["total"]["unverified"] == 0
    assert "**Chất lượng dữ liệu (data quality)**: Không phát hiện vấn đề" in markdown
    with pytest.raises(InvalidInputError, match="cannot group"):
        to_csv(report, "colour")
    with pytest.raises(InvalidInputError, match="need a mapping"):
        to_markdown(report, "level")
    with pytest.raises(InvalidInputError, match="empty report"):
        to_csv(Report.empty())


def test_reports_sum_without_a_start_value_and_naive_instants_are_refused() -> None:
    assert sum([fast(SIMULATED[:70], YEAR), fast(SIMULATED[70:], YEAR)]) == fast(SIMULATED, YEAR)
    case = audit("N", START)
    with pytest.raises(NaiveDatetimeError):
        alerts([case], datetime(2026, 3, 9, 9))
    with pytest.raises(NaiveDatetimeError):
        calendar_impact([case], CAL, CAL, datetime(2026, 3, 9, 9))


TALLIES = st.builds(
    lambda total, overdue, late: Tally(total=total + overdue + late, overdue=overdue,
                                       in_progress_overdue=late, early=total),
    st.integers(0, 400), st.integers(0, 20), st.integers(0, 20),
)  # fmt: skip


@settings(max_examples=60)
@given(st.dictionaries(st.sampled_from([DESK_P, DEPT_P, DEPT_D, "Đơn vị lạ"]), TALLIES))
def test_a_policy_flags_exactly_the_units_over_their_limit(rows: dict[str, Tally]) -> None:
    report = Report(Period.month(2026, 3), units=rows)
    limits = {"tỉnh": Fraction(2, 100), "sở": Fraction(2, 100), "huyện": Fraction(35, 1000)}
    expected = []
    for unit, tally in rows.items():
        level = LEVELS.get(unit)
        if tally.total and level is not None:
            rate = Fraction(tally.overdue + tally.in_progress_overdue, tally.total)
            if rate > limits[level]:
                expected.append(unit)
    breaches = AN_GIANG_2020.apply(report, LEVELS)
    assert [b.unit for b in breaches] == sorted(expected)
    assert total_points(breaches) == Fraction(len(expected), 2)


# ----------------------------------------------------------------------------- bad input

BIG = 10**5000  # Python refuses to print an int past 4,300 digits


def _march() -> Report:
    return threshold_report((3, 1), (2, 1))


@pytest.mark.parametrize(
    "call",
    [lambda r: r.rows([]), lambda r: r.rows({}), lambda r: r.rows(BIG),
     lambda r: r.rows("level", [DESK_P]), lambda r: r.by_level(None),
     lambda r: r.by_level([DESK_P]), lambda r: r.by_level({DESK_P: 5}),
     lambda r: r.by_level({DEPT_P: ["sở"]}),
     lambda r: AN_GIANG_2020.apply(r, None), lambda r: AN_GIANG_2020.apply(5, LEVELS),
     lambda r: AN_GIANG_2020.apply(r, {DEPT_P: 3})],
    ids=["rows list", "rows dict", "rows BIG", "rows level list", "by_level None",
         "by_level list", "by_level int", "by_level list level", "apply None", "apply 5",
         "apply int level"],
)  # fmt: skip
def test_rows_and_levels_of_the_wrong_type_are_refused(call: Any) -> None:
    report = _march()
    before = (report.units, report.total)
    with pytest.raises(InvalidInputError):
        call(report)
    assert (report.units, report.total) == before


@pytest.mark.parametrize(
    "call",
    [lambda: total_points(5), lambda: total_points([5]), lambda: total_points(None),
     lambda: ThresholdPolicy("a", "b", 5), lambda: ThresholdPolicy("a", "b", "xy"),
     lambda: ThresholdPolicy(5, "b", []), lambda: ThresholdPolicy("a", None, []),
     lambda: ThresholdRule(5, "0.02", 1), lambda: ThresholdRule("xã", BIG * -1, 1)],
    ids=["points 5", "points [5]", "points None", "rules 5", "rules text", "name 5",
         "citation None", "levels 5", "rate -BIG"],
)  # fmt: skip
def test_threshold_policies_refuse_bad_values(call: Any) -> None:
    with pytest.raises(InvalidInputError):
        call()


def test_total_points_takes_any_iterable_of_breaches() -> None:
    breaches = AN_GIANG_2020.apply(threshold_report((50, 2), (200, 8)), LEVELS)
    assert total_points(iter(breaches)) == total_points(breaches) == 1


@pytest.mark.parametrize(
    "arguments",
    [{"shares": 5}, {"shares": None}, {"shares": "0.5"}, {"within": BIG}, {"steps": 1},
     {"shares": [BIG * 0]}],
    ids=["shares 5", "shares None", "shares text", "within BIG", "steps 1", "share 0"],
)  # fmt: skip
def test_alerts_refuse_bad_arguments(arguments: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        alerts([audit("W-1", START)], at(3, 9, 9), **arguments)


@pytest.mark.parametrize(
    "call",
    [lambda: changed_days(CAL, CAL, "2026-03-01", date(2026, 3, 10)),
     lambda: changed_days(CAL, CAL, datetime(2026, 3, 1, tzinfo=VN), date(2026, 3, 10)),
     lambda: changed_days(5, CAL, date(2026, 3, 1), date(2026, 3, 10)),
     lambda: changed_days(CAL, None, date(2026, 3, 1), date(2026, 3, 10)),
     lambda: changed_days(CAL, CAL, date(2026, 3, 1), None),
     lambda: changed_days(CAL, CAL, date(2026, 3, 1), BIG),
     lambda: calendar_impact([], CAL, CAL, at(3, 9, 9), steps="no")],
    ids=["start text", "start datetime", "old 5", "new None", "end None", "end BIG",
         "steps text"],
)  # fmt: skip
def test_calendar_impact_refuses_bad_arguments(call: Any) -> None:
    with pytest.raises(InvalidInputError):
        call()


@pytest.mark.parametrize(
    ("received", "read"),
    [(date(2026, 3, 2), lambda at, units: None), (at(3, 2, 9), None),
     (at(3, 2, 9), lambda at, units: 5), (BIG, lambda at, units: None)],
    ids=["date", "read None", "read gives 5", "received BIG"],
)  # fmt: skip
def test_a_report_builder_refuses_what_it_cannot_count(received: Any, read: Any) -> None:
    builder = ReportBuilder(Period.month(2026, 3))
    with pytest.raises(InvalidInputError):
        builder.add(received, read)
    assert builder.report() == Report(Period.month(2026, 3))  # nothing was counted


@pytest.mark.parametrize(
    "fields",
    [{"total": 1.5, "early": 0.5}, {"total": "3"}, {"total": -1}, {"early": True},
     {"processing_us": 1.5}, {"total": None}],
    ids=["float", "text", "negative", "bool", "float us", "None"],
)  # fmt: skip
def test_a_tally_counts_whole_numbers(fields: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError, match="Tally"):
        Tally(**fields)


@pytest.mark.parametrize(
    "fields",
    [{"period": 5}, {"clock": "wall"}, {"clock": 5}, {"granularity": "week"},
     {"total": 5}, {"procedures": 5}, {"units": {"x": 5}}, {"units": [("x",)]},
     {"responsibility": [5]}, {"responsibility": 5}, {"data_quality": 5},
     {"data_quality": {"time_order": [5]}}, {"zone": 5}, {"zone": ""}],
    ids=lambda fields: next(iter(fields)),
)  # fmt: skip
def test_a_report_refuses_fields_of_the_wrong_type(fields: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        Report(**fields)


def test_a_report_built_by_hand_merges_with_its_value_for_the_clock() -> None:
    report = fast(SIMULATED[:5], YEAR)
    by_hand = Report(period=YEAR, clock="legal")
    assert by_hand.clock.value == "legal" and (by_hand + report).total == report.total


def test_reports_of_different_zones_do_not_merge() -> None:
    cases = [Case.from_events(p, e, calendar=CAL) for p, e in SIMULATED[:20]]
    in_utc = build_report(cases, YEAR, tz=timezone.utc)
    in_vietnam = build_report(cases, YEAR, tz=VN)
    assert (in_utc.zone, in_vietnam.zone) == ("UTC", "Asia/Ho_Chi_Minh")
    assert build_report(cases, YEAR).zone == "Asia/Ho_Chi_Minh"
    with pytest.raises(InvalidInputError, match="time zone"):
        in_utc + in_vietnam
    assert in_utc + build_report(cases[:0], YEAR, tz=timezone.utc) == in_utc
    assert fast(SIMULATED[:5], YEAR).zone == CAL.tz.key


def test_a_report_keeps_its_zone_through_pickling_and_equality() -> None:
    import pickle

    report = build_report([Case.from_events(p, e, calendar=CAL) for p, e in SIMULATED[:5]],
                          YEAR, tz=timezone(timedelta(hours=-10)))  # fmt: skip
    back = pickle.loads(pickle.dumps(report))
    assert back == report and back.zone == "UTC-10:00"
    assert attrs.evolve(report, zone="UTC") != report


@pytest.mark.parametrize("start", [0.0, False, Decimal(0), 1])
def test_only_the_int_zero_starts_a_sum_of_reports(start: Any) -> None:
    with pytest.raises(TypeError):
        start + fast(SIMULATED[:5], YEAR)


@pytest.mark.parametrize("entry", [5, None, ["x"], Fraction(1)])
def test_with_skipped_takes_skipped_entries_or_case_ids(entry: Any) -> None:
    report = fast(SIMULATED[:5], YEAR)
    with pytest.raises(InvalidInputError, match="Skipped"):
        report.with_skipped([entry])
    assert report.with_skipped(["H-1"]).flagged("journal_skipped") == ("H-1",)

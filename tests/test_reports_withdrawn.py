"""A case the applicant withdraws (công dân rút hồ sơ) in the reports, on both clocks, with
figures worked by hand on the 2026 calendar.

The sample VD.LLTP (10 working days) received Mon 2/3/2026 09:00 is due Mon 16/3/2026 09:00
(no holiday in March 2026; working hours 8 a day). The records unit takes the case at 10:00
the same day and has its review step's 6.5 working days (52 h).

- Legal clock: a withdrawal in time (before or at the due) is not classed (``withdrawn``); a
  withdrawal after the due was of a case already overdue, which stays overdue (``overdue``,
  in the on-time rate's denominator, with its responsibility entry), and is counted in
  ``withdrawn_classed``.
- Indicator clock (Decision 766, secondary source: the finish is the first of processed,
  returned, stopped, refused or withdrawn): every withdrawal is a finish, classed against the
  promised date, and counted in ``withdrawn_classed``.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tthc_flow.engine import Case, ResultClass
from tthc_flow.reports import (
    Granularity,
    Period,
    Report,
    Tally,
    build_report,
    build_report_from_events,
    outcome_of,
    tally_case,
    to_csv,
    to_json,
    to_markdown,
)
from tthc_flow.samples import sample_catalog

VN = ZoneInfo("Asia/Ho_Chi_Minh")
H = timedelta(hours=1)
HOUR_US = 3_600_000_000
LLTP = sample_catalog().version("VD.LLTP", "2025.07")
DESK = LLTP.step("receive").unit
RECORDS = LLTP.step("review").unit
MARCH = Period.month(2026, 3)
MARCH_APRIL = Period(date(2026, 3, 1), date(2026, 4, 30))


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=VN)


def withdrawn(case_id: str, when: datetime) -> Case:
    """Received Mon 2/3 09:00 (due Mon 16/3 09:00), at the records unit from 10:00,
    withdrawn by the applicant at ``when``."""
    case = Case.open(LLTP, case_id=case_id, received_at=at(3, 2), actor="Lan", unit=DESK,
                     attributes={"channel": "in_person"})  # fmt: skip
    case.handover("review", at=at(3, 2, 10), actor="Lan", unit=DESK)
    case.withdraw(at=when, actor="Người nộp", unit=DESK, reason="Công dân rút hồ sơ")
    return case


def early() -> Case:
    # Tue 10/3 09:00: 6 working days (48 h) of 10 used.
    return withdrawn("RUT-SOM", at(3, 10))


def at_the_due() -> Case:
    # Mon 16/3 09:00, the due instant itself: 80 h, on time.
    return withdrawn("RUT-DUNG-HAN", at(3, 16))


def late() -> Case:
    # Wed 18/3 09:00: 12 working days (96 h), 16 h past the due.
    return withdrawn("RUT-MUON", at(3, 18))


def late_in_april() -> Case:
    # Thu 2/4 09:00: March has 22 working days from Mon 2/3, plus Wed 1/4: 23 days, 184 h.
    return withdrawn("RUT-THANG-4", at(4, 2))


def fast(cases: list[Case], period: Period, clock: str, granularity: str = "month") -> Report:
    return build_report_from_events([(LLTP, c.events) for c in cases], period, clock=clock,
                                    granularity=granularity)  # fmt: skip


def test_a_withdrawal_before_the_due_is_not_classed_on_the_legal_clock_but_is_on_the_indicator(
) -> None:  # fmt: skip
    case = early()
    legal = build_report([case], MARCH).total
    assert legal == Tally(total=1, received=1, withdrawn=1)
    assert legal.on_time_rate is None and legal.overdue_rate == 0
    indicator = build_report([case], MARCH, clock="indicator").total
    assert indicator == Tally(total=1, received=1, early=1, withdrawn_classed=1,
                              processing_count=1, processing_us=48 * HOUR_US)  # fmt: skip
    assert indicator.on_time_rate == 1 and indicator.average_processing_days == 6
    # One case's contribution, read on each clock.
    opening, cutoff = MARCH.opening(VN), MARCH.cutoff(VN)
    assert tally_case(outcome_of(case, cutoff), opening, cutoff) == legal
    assert tally_case(outcome_of(case, cutoff, "indicator"), opening, cutoff,
                      "indicator") == indicator  # fmt: skip
    for clock in ("legal", "indicator"):
        assert build_report([case], MARCH, clock=clock).responsibility == ()


def test_a_withdrawal_at_the_due_instant_is_in_time() -> None:
    case = at_the_due()
    assert build_report([case], MARCH).total == Tally(total=1, received=1, withdrawn=1)
    assert build_report([case], MARCH, clock="indicator").total == Tally(
        total=1, received=1, on_time=1, withdrawn_classed=1, processing_count=1,
        processing_us=80 * HOUR_US,
    )  # fmt: skip


@pytest.mark.parametrize("clock", ["legal", "indicator"])
def test_a_withdrawal_after_the_due_stays_overdue_and_names_the_unit_that_was_late(
    clock: str,
) -> None:
    case = late()
    report = build_report([case], MARCH, clock=clock)
    assert report.total == Tally(total=1, received=1, overdue=1, withdrawn_classed=1,
                                 processing_count=1, processing_us=96 * HOUR_US)  # fmt: skip
    assert report.total.on_time_rate == 0 and report.total.overdue_rate == 1
    (entry,) = report.responsibility
    assert (entry.case_id, entry.result, entry.overrun) == ("RUT-MUON", ResultClass.OVERDUE,
                                                            16 * H)  # fmt: skip
    # The records unit: Mon 2/3 10:00–17:00 (6 h), 3/3–17/3 (11 days, 88 h), Wed 18/3
    # 08:00–09:00 (1 h): 95 h against its 52 h.
    ((unit, result, allowed, elapsed, overrun),) = [
        (u.unit, u.result, u.allowed, u.elapsed, u.overrun) for u in entry.units
    ]
    assert (unit, result, allowed, elapsed, overrun) == (
        RECORDS, ResultClass.OVERDUE, 52 * H, 95 * H, 43 * H,
    )  # fmt: skip
    assert fast([case], MARCH, clock) == report


LEGAL_WHOLE = Tally(total=4, received=4, withdrawn=2, overdue=2, withdrawn_classed=2,
                    processing_count=2, processing_us=(96 + 184) * HOUR_US)  # fmt: skip
INDICATOR_WHOLE = Tally(total=4, received=4, early=1, on_time=1, overdue=2, withdrawn_classed=4,
                        processing_count=4,
                        processing_us=(48 + 80 + 96 + 184) * HOUR_US)  # fmt: skip
APRIL = Tally(total=1, carried_over=1, overdue=1, withdrawn_classed=1, processing_count=1,
              processing_us=184 * HOUR_US)  # fmt: skip


@pytest.mark.parametrize(
    ("clock", "whole", "march"),
    [
        ("legal", LEGAL_WHOLE,
         Tally(total=4, received=4, withdrawn=2, overdue=1, in_progress_overdue=1,
               withdrawn_classed=1, processing_count=1, processing_us=96 * HOUR_US)),
        ("indicator", INDICATOR_WHOLE,
         Tally(total=4, received=4, early=1, on_time=1, overdue=1, in_progress_overdue=1,
               withdrawn_classed=3, processing_count=3,
               processing_us=(48 + 80 + 96) * HOUR_US)),
    ],
)  # fmt: skip
def test_merged_reports_and_the_fast_path_count_withdrawals_alike(
    clock: str, whole: Tally, march: Tally
) -> None:
    cases = [early(), at_the_due(), late(), late_in_april()]
    report = build_report(cases, MARCH_APRIL, clock=clock)
    assert report.total == whole
    # The case withdrawn on 2/4 was late and unfinished at the end of March, and is overdue
    # in April, where it was withdrawn.
    assert dict(report.periods) == {"2026-03": march, "2026-04": APRIL}
    assert [(r.case_id, r.overrun) for r in report.responsibility] == [
        ("RUT-MUON", 16 * H), ("RUT-THANG-4", 104 * H),
    ]  # fmt: skip
    assert build_report(cases[:2], MARCH_APRIL, clock=clock) + build_report(
        cases[2:], MARCH_APRIL, clock=clock
    ) == report
    assert fast(cases, MARCH_APRIL, clock) == report
    assert fast(cases[::2], MARCH_APRIL, clock) + fast(cases[1::2], MARCH_APRIL, clock) == report
    by_quarter = build_report(cases, MARCH_APRIL, clock=clock, granularity=Granularity.QUARTER)
    assert fast(cases, MARCH_APRIL, clock, "quarter") == by_quarter
    assert by_quarter.total == whole


def test_the_renderings_show_the_classed_withdrawals() -> None:
    cases = [early(), at_the_due(), late(), late_in_april()]
    report = build_report(cases, MARCH_APRIL)
    lines = list(csv.reader(io.StringIO(to_csv(report))))
    header, total = lines[0], lines[lines.index([]) - 1]
    column = header.index("Rút hồ sơ, đã xếp loại (withdrawn, classed)")
    assert header[column - 4] == "Rút hồ sơ khi còn hạn, không xếp loại (withdrawn in time, " \
        "not classed)"
    assert total[0] == "Tổng cộng (total)"
    assert (total[column - 4], total[column]) == ("2", "2")
    assert header[column + 1] == "Tỷ lệ đúng hạn % (on-time rate)" and total[column + 1] == "0.00"
    markdown = to_markdown(report)
    assert "| Rút hồ sơ, đã xếp loại (withdrawn, classed) |" in markdown
    assert "**Tổng cộng (total)** | **4** | **4** | **0** | **0** | **0** | **2** | **0** | " \
        "**0** | **2** | **0** | **0** | **0** | **2** | **0.00** |" in markdown
    assert "overdue cases with the units that ran over): 2" in markdown
    data = json.loads(to_json(report))
    assert data["total"]["withdrawn_classed"] == 2 and data["total"]["withdrawn"] == 2
    assert data["rows"]["period"]["2026-04"]["withdrawn_classed"] == 1
    assert [r["case_id"] for r in data["responsibility"]] == ["RUT-MUON", "RUT-THANG-4"]
    indicator = json.loads(to_json(build_report(cases, MARCH_APRIL, clock="indicator")))
    assert indicator["total"]["withdrawn_classed"] == 4 and indicator["total"]["withdrawn"] == 0
    assert indicator["total"]["on_time_rate"] == "1/2"

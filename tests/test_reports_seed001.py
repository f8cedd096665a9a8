"""Seed 001's table rebuilt from hand-built histories: Triệu Phong (Quảng Trị) reported 4,447
dossiers, 4,040 early, 47 on time, 154 overdue and 206 in progress. Every due instant below is
worked out by hand on the 2026 calendar (March 2026 has no holiday; 2 March is a Monday);
every expected figure is counted from the templates, not read from the code under test.

Procedure: judicial record certificate, 10 working days (80 h): desk 0.5 d, records division
6 + 1.5 d, director 1 d, clerk 0.5 d, desk 0.5 d (tests/procedures.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from tests.procedures import BOARD, CLERK, DESK, RECORDS, judicial_record
from tthc_flow.calendar import vietnam_calendar
from tthc_flow.engine import Case, Event, EventKind, Procedure, ResultClass
from tthc_flow.reports import (
    Granularity,
    Period,
    Report,
    Tally,
    build_report,
    build_report_from_events,
    outcome_of,
    tally_case,
    tally_unit,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = vietnam_calendar()
PROCEDURE = judicial_record()
PERIOD = Period(date(2026, 1, 1), date(2026, 9, 30))  # nine months, as in the seed
H = timedelta(hours=1)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


K = EventKind
# (kind, instant, unit, target)
TEMPLATES: dict[str, list[tuple[EventKind, datetime, str, str | None]]] = {
    # Legal due: Mon 2/3 09:00 + 80 h = Mon 16/3 09:00 (2/3: 7 h; 3–13/3: 9 days, 72 h; 1 h).
    # Resolved Tue 10/3 09:00: EARLY; elapsed 7 + 40 (3, 4, 5, 6, 9/3) + 1 = 48 h.
    "early": [
        (K.RECEIVED, at(3, 2, 9), DESK, None),
        (K.HANDED_OVER, at(3, 2, 10), DESK, "review"),
        (K.HANDED_OVER, at(3, 6, 10), RECORDS, "approve"),
        (K.HANDED_OVER, at(3, 9, 10), RECORDS, "sign"),
        (K.HANDED_OVER, at(3, 9, 15), BOARD, "issue"),
        (K.RESOLVED, at(3, 10, 9), CLERK, None),
        (K.HANDED_OVER, at(3, 10, 9, 30), CLERK, "return"),
        (K.RETURNED, at(3, 10, 10, 30), DESK, None),
    ],
    # Resolved Mon 16/3 08:30, before the 09:00 due on the due day: ON TIME; 79.5 h.
    "on_time": [
        (K.RECEIVED, at(3, 2, 9), DESK, None),
        (K.HANDED_OVER, at(3, 2, 10), DESK, "review"),
        (K.HANDED_OVER, at(3, 10, 10), RECORDS, "approve"),
        (K.HANDED_OVER, at(3, 11, 14), RECORDS, "sign"),
        (K.HANDED_OVER, at(3, 12, 14), BOARD, "issue"),
        (K.RESOLVED, at(3, 16, 8, 30), CLERK, None),
        (K.HANDED_OVER, at(3, 16, 8, 45), CLERK, "return"),
        (K.RETURNED, at(3, 16, 9, 30), DESK, None),
    ],
    # Resolved Tue 17/3 09:00, after the due: OVERDUE; 7 + 72 + 8 + 1 = 88 h (8 h over).
    "overdue": [
        (K.RECEIVED, at(3, 2, 9), DESK, None),
        (K.HANDED_OVER, at(3, 2, 10), DESK, "review"),
        (K.HANDED_OVER, at(3, 12, 10), RECORDS, "approve"),
        (K.HANDED_OVER, at(3, 13, 10), RECORDS, "sign"),
        (K.HANDED_OVER, at(3, 16, 10), BOARD, "issue"),
        (K.RESOLVED, at(3, 17, 9), CLERK, None),
        (K.HANDED_OVER, at(3, 17, 9, 30), CLERK, "return"),
        (K.RETURNED, at(3, 17, 11), DESK, None),
    ],
    # Received Tue 29/9 09:00: 15 h used of 80 at the end of Wed 30/9: IN PROGRESS.
    "in_progress": [
        (K.RECEIVED, at(9, 29, 9), DESK, None),
        (K.HANDED_OVER, at(9, 29, 9, 30), DESK, "review"),
    ],
    # Received Mon 3/8 09:00, due Mon 17/8 09:00 (no day off 3–17/8): IN PROGRESS, OVERDUE.
    "in_progress_overdue": [
        (K.RECEIVED, at(8, 3, 9), DESK, None),
        (K.HANDED_OVER, at(8, 3, 9, 30), DESK, "review"),
    ],
}
COUNTS = {"early": 4040, "on_time": 47, "overdue": 154, "in_progress": 180,
          "in_progress_overdue": 26}  # fmt: skip
ELAPSED_MINUTES = {"early": 48 * 60, "on_time": 79 * 60 + 30, "overdue": 88 * 60}

# Each unit's own class, by hand (the unit's budget is the sum of its steps' budgets; a unit
# seen twice resumes its clock on the second visit):
# - desk (8 h): early — 1 h, then back 10/3 09:30 with 7 h left, due 11/3 08:30, done 10/3;
#   on time — back 16/3 08:45, due 16:45, done 09:30 on the due day; overdue — back 17/3
#   09:30, due 18/3 08:30, done 17/3: early; in progress — only the receipt step (4 h, due
#   13:00) done at 09:30 the same day: on time.
# - records (60 h): early — 32 h then 8 h, due 11/3 14:00, done 9/3; on time — 48 h then
#   11 h, due 11/3 15:00, done 11/3 14:00; overdue — 64 h + 8 h = 72 h: 12 h over.
# - director (8 h): early — 9/3 10:00–15:00, due 10/3 10:00; on time — 11/3 14:00 to 12/3
#   14:00 = its due; overdue — 13/3 10:00 to 16/3 10:00 = its due: on time.
# - clerk (4 h): early — 9/3 15:00 to 10/3 09:30, due 10/3 10:00: on time; on time — 11.75 h:
#   overdue; overdue — 16/3 10:00 to 17/3 09:30 = 7.5 h: 3.5 h over.
UNIT_CLASSES = {
    "early": {DESK: "early", RECORDS: "early", BOARD: "early", CLERK: "on_time"},
    "on_time": {DESK: "on_time", RECORDS: "on_time", BOARD: "on_time", CLERK: "overdue"},
    "overdue": {DESK: "early", RECORDS: "overdue", BOARD: "on_time", CLERK: "overdue"},
    "in_progress": {DESK: "on_time", RECORDS: "in_progress"},
    "in_progress_overdue": {DESK: "on_time", RECORDS: "in_progress_overdue"},
}
CHANNELS = ("in_person", "online", "postal")


def channel_of(template: str, number: int) -> str:
    if template == "early":
        return CHANNELS[number % 3]
    return "in_person" if template in ("on_time", "overdue") else "online"


def history(template: str, number: int) -> list[Event]:
    events = []
    for seq, (kind, instant, unit, target) in enumerate(TEMPLATES[template]):
        data = None
        if kind is K.RECEIVED:
            attributes = {"channel": channel_of(template, number)}
            data = {"case_id": f"{template}-{number:04d}", "attributes": attributes}
        events.append(Event(seq, kind, instant, "officer", unit, target=target, data=data))
    return events


def all_histories(scale: dict[str, int]) -> list[tuple[Procedure, list[Event]]]:
    return [
        (PROCEDURE, history(template, number))
        for template, count in scale.items()
        for number in range(count)
    ]


def expected_total(scale: dict[str, int]) -> Tally:
    finished = {t: scale[t] for t in ("early", "on_time", "overdue")}
    return Tally(
        total=sum(scale.values()),
        received=sum(scale.values()),
        carried_over=0,
        early=scale["early"],
        on_time=scale["on_time"],
        overdue=scale["overdue"],
        in_progress=scale["in_progress"],
        in_progress_overdue=scale["in_progress_overdue"],
        processing_count=sum(finished.values()),
        processing_us=sum(n * ELAPSED_MINUTES[t] * 60_000_000 for t, n in finished.items()),
    )


def expected_unit(scale: dict[str, int], unit: str) -> Tally:
    fields = dict.fromkeys(("early", "on_time", "overdue", "in_progress",
                            "in_progress_overdue"), 0)  # fmt: skip
    total = 0
    for template, count in scale.items():
        cls = UNIT_CLASSES[template].get(unit)
        if cls is not None:
            fields[cls] += count
            total += count
    finished = fields["early"] + fields["on_time"] + fields["overdue"]
    return Tally(total=total, received=total, processing_count=finished,
                 processing_us=unit_elapsed_us(scale, unit), **fields)  # fmt: skip


UNIT_MINUTES = {  # each unit's elapsed working minutes on the finished templates, by hand
    "early": {DESK: 120, RECORDS: 2400, BOARD: 240, CLERK: 210},
    "on_time": {DESK: 105, RECORDS: 3540, BOARD: 480, CLERK: 705},
    "overdue": {DESK: 150, RECORDS: 4320, BOARD: 480, CLERK: 450},
    "in_progress": {DESK: 30},
    "in_progress_overdue": {DESK: 30},
}


def unit_elapsed_us(scale: dict[str, int], unit: str) -> int:
    return sum(
        count * UNIT_MINUTES[template].get(unit, 0) * 60_000_000
        for template, count in scale.items()
    )


@pytest.fixture(scope="module")
def report() -> Report:
    return build_report_from_events(all_histories(COUNTS), PERIOD, calendar=CAL,
                                    granularity=Granularity.QUARTER)  # fmt: skip


def test_the_seed_table(report: Report) -> None:
    total = report.total
    assert total.total == 4447 == total.received
    assert (total.early, total.on_time, total.overdue) == (4040, 47, 154)
    assert total.in_progress + total.in_progress_overdue == 206
    assert total == expected_total(COUNTS)
    assert total.on_time_rate == Fraction(4040 + 47, 4040 + 47 + 154)
    minutes = Fraction(4040 * 2880 + 47 * 4770 + 154 * 5280, 4241)
    assert total.average_processing_minutes == minutes
    assert total.average_processing_days == minutes / 480


def test_rows_by_procedure_channel_and_quarter(report: Report) -> None:
    assert dict(report.procedures) == {"TEST.LLTP": expected_total(COUNTS)}
    channels = dict(report.channels)
    assert channels["postal"].total == 1346 == channels["postal"].early
    assert channels["in_person"].total == 1347 + 47 + 154
    assert channels["online"].total == 1347 + 206
    assert sum((t for t in channels.values()), Tally()) == report.total
    quarters = dict(report.periods)
    finished_only = {**COUNTS, "in_progress": 0, "in_progress_overdue": 0}
    assert quarters["2026-Q1"] == expected_total(finished_only)
    assert "2026-Q2" not in quarters  # nothing alive in Q2
    q3 = quarters["2026-Q3"]
    assert (q3.total, q3.in_progress, q3.in_progress_overdue, q3.finished) == (206, 180, 26, 0)


@pytest.mark.parametrize("unit", [DESK, RECORDS, BOARD, CLERK])
def test_unit_rows(report: Report, unit: str) -> None:
    assert dict(report.units)[unit] == expected_unit(COUNTS, unit)


def test_responsibility_names_the_units_that_ran_over(report: Report) -> None:
    entries = {r.case_id: r for r in report.responsibility}
    assert len(entries) == 154 + 26
    done = entries["overdue-0007"]
    assert done.result is ResultClass.OVERDUE and done.overrun == 8 * H
    # Read when the clerk resolved the case, 17/3 09:00: 16/3 10:00 to 17/3 09:00 is 7 h of
    # its 4 (its row counts 7.5 h: the half hour it took to hand the result to the desk
    # came after the case's clock had stopped).
    assert [(u.unit, u.result, u.overrun) for u in done.units] == [
        (RECORDS, ResultClass.OVERDUE, 12 * H), (CLERK, ResultClass.IN_PROGRESS_OVERDUE, 3 * H),
    ]  # fmt: skip
    late = entries["in_progress_overdue-0003"]
    assert late.result is ResultClass.IN_PROGRESS_OVERDUE
    [records] = late.units
    # The division has had the case since 3/8 09:30 at its review step, whose budget is
    # 6 days (48 h): the approval step's time is not its own until the case gets there.
    used = CAL.working_time_between(at(8, 3, 9, 30), PERIOD.cutoff(VN))
    assert records.unit == RECORDS and records.overrun == used - 48 * H


def test_the_engine_path_gives_the_same_report() -> None:
    scale = dict.fromkeys(COUNTS, 2)
    cases = [Case.from_events(p, e, calendar=CAL) for p, e in all_histories(scale)]
    slow = build_report(cases, PERIOD, granularity="quarter")
    assert slow.total == expected_total(scale)
    fast = build_report_from_events(all_histories(scale), PERIOD, calendar=CAL,
                                    granularity="quarter")  # fmt: skip
    assert slow == fast


def test_one_case_tallies_by_hand() -> None:
    case = Case.from_events(PROCEDURE, history("early", 0), calendar=CAL)
    outcome = outcome_of(case, PERIOD.cutoff(VN))
    opening, cutoff = PERIOD.opening(VN), PERIOD.cutoff(VN)
    assert tally_case(outcome, opening, cutoff) == Tally(
        total=1, received=1, early=1, processing_count=1, processing_us=48 * 3600 * 10**6
    )
    clerk = next(u for u in outcome.units if u.unit == CLERK)
    assert tally_unit(clerk, opening, cutoff) == Tally(
        total=1, received=1, on_time=1, processing_count=1, processing_us=210 * 60 * 10**6
    )
    # Read in April, the March case is outside an April period.
    april = Period.month(2026, 4)
    assert tally_case(outcome_of(case, april.cutoff(VN)), april.opening(VN),
                      april.cutoff(VN)) == Tally()  # fmt: skip

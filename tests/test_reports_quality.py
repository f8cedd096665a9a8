"""Reports on hostile input: what a report cannot trust is counted, by kind and case, and left
out of the figures it would corrupt (the same on the engine path and the fast path); text
from the data is made safe for spreadsheets, terminals, Markdown viewers and browsers; and
arguments of the wrong type are typed errors that say how to fix them.

The expected figures of the hand-worked history below are worked out in the comments, on
the national calendar (Mon–Fri 08:00–12:00, 13:00–17:00; no holiday in March 2026)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_reports_fast import histories as random_histories
from tthc_flow.calendar import vietnam_calendar
from tthc_flow.engine import (
    Case,
    Event,
    EventKind,
    Procedure,
    ProcedureKind,
    ResultClass,
    Step,
    Violation,
    WorkingDays,
)
from tthc_flow.errors import InvalidInputError, TthcFlowError
from tthc_flow.forms import control_slip, receipt, render_html
from tthc_flow.reports import (
    AN_GIANG_2020,
    UNKNOWN,
    FastProcedure,
    Period,
    QualityFlag,
    Report,
    ReportBuilder,
    Tally,
    alerts,
    alerts_from_events,
    build_report,
    build_report_from_events,
    calendar_impact,
    compliance_findings,
    to_csv,
    to_json,
    to_markdown,
)
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = vietnam_calendar()
K = EventKind
DESK = "Bộ phận Một cửa UBND huyện"
DIVISION = "Phòng Tư pháp huyện"
MARCH = Period.month(2026, 3)
HOUR_US = 3_600_000_000

PROCEDURE = Procedure(
    code="QT.TP", name="Thủ tục minh họa (illustrative)", version="2026.1",
    kind=ProcedureKind.ONE_STOP, total=WorkingDays(5),
    steps=[
        Step("receive", "Tiếp nhận", DESK, WorkingDays("0.5"), next="review", reception=True),
        Step("review", "Thẩm định", DIVISION, WorkingDays(4), next="return"),
        Step("return", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
    ],
)  # fmt: skip


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=VN)


def history(
    case_id: str, received: datetime, handed: datetime, resolved: datetime, returned: datetime
) -> list[Event]:
    """Received by the desk, handed to the division, resolved there and handed back to the
    desk at the same instant, returned by the desk."""
    return [
        Event(0, K.RECEIVED, received, "Lan", DESK,
              data={"case_id": case_id, "attributes": {}}),
        Event(1, K.HANDED_OVER, handed, "Lan", DESK, target="review"),
        Event(2, K.RESOLVED, resolved, "Minh", DIVISION),
        Event(3, K.HANDED_OVER, resolved, "Minh", DIVISION, target="return"),
        Event(4, K.RETURNED, returned, "Lan", DESK),
    ]  # fmt: skip


# Each case: 5 working days (40 h) from its receipt; the division 4 days (32 h) from the
# handover.
# A: Mon 2/3 09:00 → resolved Thu 5/3 09:00: 7 + 8 + 8 + 1 = 24 h = 3 days; due Mon 9/3
#    09:00: early. Division 10:00 Mon → 09:00 Thu: 6 + 8 + 8 + 1 = 23 h; due Fri 6/3 10:00:
#    early.
# B: Mon 2/3 14:00 → Tue 10/3 14:00: 3 + 8·5 + 5 = 48 h = 6 days; due Mon 9/3 14:00:
#    overdue. Division 14:30 Mon → 14:00 Tue 10/3: 2.5 + 8·5 + 5 = 47.5 h: overdue.
# C: Tue 3/3 08:00 → Fri 6/3 17:00: 8·4 = 32 h = 4 days; due Mon 9/3 17:00: early.
#    Division 08:30 Tue → 17:00 Fri: 7.5 + 8·3 = 31.5 h; due Mon 9/3 08:30: early.
# D: Wed 4/3 09:00 → Wed 11/3 09:00: 7 + 8·4 + 1 = 40 h = 5 days, due exactly then: on
#    time. Division 10:00 Wed → 09:00 Wed 11/3: 6 + 8·4 + 1 = 39 h; due Tue 10/3 10:00:
#    overdue.
# The desk returns each result one working hour after the resolution.
GOOD = {
    "A": history("A", at(2, 9), at(2, 10), at(5, 9), at(5, 10)),
    "B": history("B", at(2, 14), at(2, 14, 30), at(10, 14), at(10, 15)),
    "C": history("C", at(3, 8), at(3, 8, 30), at(6, 17), at(9, 9)),
    "D": history("D", at(4, 9), at(4, 10), at(11, 9), at(11, 10)),
}
# D's resolution moved to Tue 3/3 09:00: before its own receipt, recorded after its handover.
MOVED = {**GOOD, "D": history("D", at(4, 9), at(4, 10), at(3, 9), at(11, 10))}


def fast(histories: dict[str, list[Event]], period: Period = MARCH, **options: Any) -> Report:
    return build_report_from_events([(PROCEDURE, h) for h in histories.values()], period,
                                    calendar=CAL, **options)  # fmt: skip


def engine(histories: dict[str, list[Event]], period: Period = MARCH, **options: Any) -> Report:
    cases = [Case.from_events(PROCEDURE, h, calendar=CAL) for h in histories.values()]
    return build_report(cases, period, **options)


# ----------------------------------------------------------------------- the moved event


def test_the_hand_worked_history_in_time_order_has_nothing_to_flag() -> None:
    report = fast(GOOD)
    t = report.total
    assert (t.total, t.early, t.on_time, t.overdue, t.unverified) == (4, 2, 1, 1, 0)
    assert t.average_processing_days == Fraction(3 + 6 + 4 + 5, 4)  # 4.5 days
    division = dict(report.units)[DIVISION]
    assert (division.early, division.overdue) == (2, 2)
    # 23 + 47.5 + 31.5 + 39 = 141 h over four cases.
    assert division.processing_us == 141 * HOUR_US
    assert report.data_quality == () and engine(GOOD) == report


def test_a_moved_resolution_is_flagged_and_left_out_of_the_figures() -> None:
    # Read alone, the moved history gives D a finish before its receipt, no working time and
    # the class "early": what a report once averaged in without a word.
    outcome = FastProcedure(PROCEDURE, CAL).outcome(MOVED["D"], at(31, 12))
    assert outcome.finished_at == at(3, 9) < outcome.received_at
    assert outcome.elapsed <= timedelta(0) and outcome.result is ResultClass.EARLY

    report = fast(MOVED)
    t = report.total
    # A early, B overdue, C early; D in no class, counted as unverified.
    assert (t.total, t.received, t.early, t.on_time, t.overdue, t.unverified) == (4, 4, 2, 0, 1, 1)
    assert t.average_processing_days == Fraction(3 + 6 + 4, 3)  # over A, B and C only
    assert t.processing_count == 3
    assert t.on_time_rate == Fraction(2, 3) and t.overdue_rate == Fraction(1, 3)
    assert dict(report.procedures)["QT.TP"] == t
    # The units' rows leave D out too: the division's 23 + 47.5 + 31.5 h over three cases.
    division = dict(report.units)[DIVISION]
    assert (division.early, division.overdue, division.unverified) == (2, 1, 1)
    assert division.processing_us == 102 * HOUR_US and division.processing_count == 3
    assert dict(report.units)[DESK].unverified == 1
    assert [r.case_id for r in report.responsibility] == ["B"]
    assert report.data_quality == (QualityFlag("time_order", ["D"]),)
    assert report.flagged("time_order") == ("D",)
    # The engine's audit replay records the move, counted once, as time_order.
    replayed = Case.from_events(PROCEDURE, MOVED["D"], calendar=CAL)
    assert "machine.time_order" in {v.rule for _, v in replayed.violations}
    assert engine(MOVED) == report


def test_the_moved_case_is_in_each_month_from_its_receipt_to_its_latest_instant() -> None:
    # Received 4/3, latest instant 11/3: March only, though its "finish" is 3/3.
    quarter = fast(MOVED, Period(date(2026, 2, 1), date(2026, 4, 30)))
    months = dict(quarter.periods)
    assert months["2026-03"].unverified == 1
    assert "2026-02" not in months and "2026-04" not in months
    moved_late = {"D": history("D", at(4, 9), at(4, 10), at(3, 9), at(11, 10) + timedelta(30))}
    months = dict(fast(moved_late, Period(date(2026, 2, 1), date(2026, 4, 30))).periods)
    assert months["2026-03"] == Tally(total=1, received=1, unverified=1)
    assert months["2026-04"] == Tally(total=1, carried_over=1, unverified=1)
    assert "2026-02" not in months


def test_outputs_carry_the_data_quality_and_the_count_beside_the_average() -> None:
    report = fast(MOVED)
    lines = list(csv.reader(io.StringIO(to_csv(report))))
    blank = lines.index([])
    header, total = lines[0], lines[blank - 1]
    assert header[15].startswith("Thời gian TB") and header[16].startswith("Không đánh giá")
    assert total[:2] == ["Tổng cộng (total)", "4"] and total[15:] == ["4.33", "1"]
    assert lines[blank + 2][1:] == ["time_order", "1", "có (yes)", "D"]
    markdown = to_markdown(report)
    assert "| 66.67 | 4.33 | 1 |" in markdown
    assert "(cases left out of the rates and the average): 1" in markdown
    assert "| time_order | 1 | có (yes) | D |" in markdown
    data = json.loads(to_json(report))
    assert data["total"]["unverified"] == 1
    assert data["data_quality"]["unverified_cases"] == 1
    assert data["data_quality"]["flags"][0] | {"label": ""} == {
        "kind": "time_order", "label": "", "excludes": True, "count": 1, "case_ids": ["D"],
    }  # fmt: skip


# ----------------------------------------------------------------------- audit violations


def test_an_unlawful_pause_is_listed_but_the_case_is_still_scored_by_the_law() -> None:
    """A pause for a reason no rule provides for moves no clock: the case is scored as if it
    had not been recorded, and listed as a violation, not left out."""
    events = [
        *GOOD["B"][:2],
        Event(2, K.PAUSED, at(3, 9), "Minh", DIVISION, reason="chờ ý kiến lãnh đạo"),
        Event(3, K.RESUMED, at(9, 9), "Minh", DIVISION),
        *(attrs.evolve(e, seq=e.seq + 2) for e in GOOD["B"][2:]),
    ]
    paused = {**GOOD, "B": events}
    report = fast(paused)
    assert report.flagged("violation:pause.unknown_reason") == ("B",)
    assert not next(f for f in report.data_quality if f.kind.endswith("unknown_reason")).excludes
    # The figures are those of the history without the pause.
    assert report.total == fast(GOOD).total and report.units == fast(GOOD).units
    assert engine(paused) == report


def test_what_a_journal_says_of_its_own_violations_is_not_believed() -> None:
    claimed = Violation("supplement.max_times", "invented")
    lying = {**GOOD, "A": [attrs.evolve(e, violations=(claimed,)) for e in GOOD["A"]]}
    assert fast(lying) == fast(GOOD) == engine(lying)


def test_a_wrong_units_action_is_flagged_on_both_paths() -> None:
    events = [attrs.evolve(e, unit=DIVISION) if e.seq == 1 else e for e in GOOD["C"]]
    report = fast({**GOOD, "C": events})
    assert report.flagged("violation:actor.unit") == ("C",)
    assert report.total.unverified == 0
    assert engine({**GOOD, "C": events}) == report


def test_a_channel_the_law_does_not_have_is_flagged_and_counted_as_unknown() -> None:
    # Decree 118 Art. 15 has three ways of filing; "kiosk" is none of them, and 2 is not a
    # text: neither becomes a channel row of its own (2 is not turned into "2").
    marked = {}
    for case_id, channel in (("A", "kiosk"), ("B", 2), ("C", "online")):
        receipt, *rest = GOOD[case_id]
        data = {**receipt.data, "attributes": {"channel": channel}}
        marked[case_id] = [attrs.evolve(receipt, data=data), *rest]
    report = fast({**GOOD, **marked})
    assert report.flagged("violation:receipt.channel_unknown") == ("A", "B")
    channels = dict(report.channels)
    assert set(channels) == {"online", UNKNOWN}
    assert channels["online"].total == 1
    assert channels[UNKNOWN].total == report.total.total - 1
    # Still scored by the law: the figures are those of the cases without the channels.
    assert report.total == fast(GOOD).total
    assert engine({**GOOD, **marked}) == report


# ----------------------------------------------------------------------- negative durations


def _reader(facts: tuple[Any, ...]) -> Any:
    def read(at: datetime, units: bool) -> tuple[Any, ...]:
        return facts

    return read


@pytest.mark.parametrize(
    ("elapsed_h", "finished", "unit"),
    [
        (-2, at(10, 9), (DIVISION, ResultClass.EARLY, 32, 3, at(5, 9), at(6, 9))),
        (3, at(4, 9), (DIVISION, ResultClass.EARLY, 32, 3, at(5, 9), at(6, 9))),
        (3, at(10, 9), (DIVISION, ResultClass.EARLY, 32, -1, at(5, 9), at(6, 9))),
        (3, at(10, 9), (DIVISION, ResultClass.EARLY, 32, 3, at(5, 9), at(4, 9))),
        (3, at(10, 9), (DIVISION, ResultClass.EARLY, 32, 3, at(2, 9), at(6, 9))),
    ],
    ids=["negative case time", "finish before receipt", "negative unit time",
         "unit finish before its start", "unit start before receipt"],
)  # fmt: skip
def test_a_clock_that_ran_backwards_is_not_scored(
    elapsed_h: int, finished: datetime, unit: tuple[Any, ...]
) -> None:
    """Whatever produced them, figures that cannot be are checked where they are read."""
    name, result, allowed_h, unit_h, started, unit_finished = unit
    facts = (ResultClass.EARLY, finished, K.RESOLVED, 40 * HOUR_US, elapsed_h * HOUR_US, True,
             finished, [(name, result, allowed_h * HOUR_US, unit_h * HOUR_US, started,
                         unit_finished, True)])  # fmt: skip
    builder = ReportBuilder(MARCH)
    builder.add_facts(at(5, 9), "N-1", "QT.TP", "1", None, _reader(facts))
    report = builder.report()
    assert report.total == Tally(total=1, received=1, unverified=1)
    assert dict(report.units)[DIVISION].unverified == 1
    assert report.flagged("negative_duration") == ("N-1",)
    assert report.total.average_processing_days is None


# ----------------------------------------------------------------------- the property

CATALOG = sample_catalog()
POOL: list[tuple[Procedure, Sequence[Event]]] = [
    # Seed 12: among the sixty cases, one from "another system" with an officer's mistake.
    (case.procedure, case.events) for case in simulate(CATALOG, cases=60, seed=12, year=2026)
]
YEAR = Period.year(2026)


@st.composite
def moved(draw: st.DrawFn) -> tuple[list[tuple[Procedure, Sequence[Event]]], int, Event]:
    """Some valid histories, and one of them with one event moved out of time order: before
    an event recorded earlier, or after one recorded later."""
    chosen = draw(st.lists(st.sampled_from(range(len(POOL))), min_size=1, max_size=8,
                           unique=True))  # fmt: skip
    histories: list[tuple[Procedure, Sequence[Event]]] = [POOL[n] for n in chosen]
    victim = draw(st.sampled_from(range(len(histories))))
    procedure, events = histories[victim]
    assume_long = len(events) >= 2
    if not assume_long:
        return histories, -1, events[0]
    index = draw(st.integers(1, len(events) - 1))
    minutes = draw(st.integers(1, 60 * 24 * 40))
    later = index < len(events) - 1 and draw(st.booleans())
    if later:  # after the next event
        instant = events[index + 1].at + timedelta(minutes=minutes)
    else:  # before the latest event recorded before it
        instant = max(e.at for e in events[:index]) - timedelta(minutes=minutes)
    changed = attrs.evolve(events[index], at=instant)
    new_events = [*events[:index], changed, *events[index + 1:]]
    histories[victim] = (procedure, new_events)
    return histories, victim, changed


def _figures(t: Tally) -> tuple[int, ...]:
    return (t.early, t.on_time, t.overdue, t.in_progress, t.in_progress_overdue, t.withdrawn,
            t.closed, t.refused, t.stopped, t.processing_count, t.processing_us)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(moved(), st.sampled_from(["legal", "indicator"]))
def test_moving_one_event_out_of_order_leaves_the_others_figures_and_is_always_flagged(
    case: tuple[list[tuple[Procedure, Sequence[Event]]], int, Event], clock: str
) -> None:
    histories, victim, _ = case
    report = build_report_from_events(histories, YEAR, clock=clock, calendar=CAL)
    if victim < 0:  # a history of one event cannot be put out of order
        assert report.data_quality == ()
        return
    others = [h for n, h in enumerate(histories) if n != victim]
    alone = build_report_from_events(others, YEAR, clock=clock, calendar=CAL)
    victim_id = str(histories[victim][1][0].data["case_id"])
    assert report.flagged("time_order") == (victim_id,)
    # What the others show is what they showed without the victim.
    others_flags = {f.kind: [i for i in f.case_ids if i != victim_id] for f in report.data_quality}
    assert Report(YEAR, data_quality=others_flags).data_quality == alone.data_quality
    assert report.total.unverified == 1 and alone.total.unverified == 0
    assert report.total.total == alone.total.total + 1
    # Every classed and duration figure, hence every average and rate, is the others'.
    assert _figures(report.total) == _figures(alone.total)
    for by in ("procedure", "unit", "channel", "period"):
        rows, their_rows = dict(report.rows(by)), dict(alone.rows(by))
        for key, tally in rows.items():
            expected = their_rows.get(key, Tally())
            assert _figures(tally) == _figures(expected), (by, key)
            assert tally.average_processing_days == expected.average_processing_days
    assert report.responsibility == alone.responsibility
    replayed = [Case.from_events(p, e, calendar=CAL) for p, e in histories]
    assert build_report(replayed, YEAR, clock=clock) == report


@settings(max_examples=120, deadline=None)
@given(random_histories(), st.sampled_from(["legal", "indicator"]))
def test_only_a_disordered_history_is_left_out(
    history: tuple[Procedure, list[Event]], clock: str
) -> None:
    """Random histories, lawful or not, in time order or not: a history in time order is
    never left out (no negative duration comes from one), a disordered one always is."""
    events = history[1]
    disordered = any(b.at < max(e.at for e in events[: n + 1])
                     for n, b in enumerate(events[1:]))  # fmt: skip
    everything = Period(date(2025, 6, 1), date(2027, 12, 31))
    report = build_report_from_events([history], everything, clock=clock, calendar=CAL)
    assert report.flagged("negative_duration") == ()
    assert report.flagged("time_order") == (("H",) if disordered else ())
    assert report.total.unverified == int(disordered)


def test_the_simulated_pool_is_in_time_order() -> None:
    """The property starts from valid histories: nothing left out before the move. The
    simulation records one improper pause, on purpose: listed, and still scored."""
    report = build_report_from_events(POOL, YEAR, calendar=CAL)
    assert report.total.unverified == 0 and not any(f.excludes for f in report.data_quality)
    assert [f.kind for f in report.data_quality] == ["violation:pause.not_allowed"]
    # The report's audit finds what the engine recorded when the case was built.
    recorded = {v.rule for _, events in POOL for e in events for v in e.violations}
    assert recorded == {"pause.not_allowed"}


# ----------------------------------------------------------------------- safe output

# A unit name from the data, and its CSV cell.
HOSTILE = {
    "=HYPERLINK(\"http://evil.example\",\"bấm\")": "'=HYPERLINK(\"http://evil.example\",\"bấm\")",
    "+84 912": "'+84 912",
    "-2+3": "'-2+3",
    "@SUM(A1:A9)": "'@SUM(A1:A9)",
    "\tTab": "'\\x09Tab",
    "\rCR": "'\\x0dCR",
    "Phòng Tư pháp": "Phòng Tư pháp",
}


def test_csv_cells_from_the_data_are_never_formulas_and_figures_stay_numbers() -> None:
    rows = {name: Tally(total=1, received=1, early=1, processing_count=1,
                        processing_us=-8 * HOUR_US) for name in HOSTILE}  # fmt: skip
    flags = [QualityFlag("time_order", ["=1+1", "H-2"])]
    report = Report(MARCH, total=Tally(total=1, received=1, early=1, processing_count=1,
                                       processing_us=-8 * HOUR_US),
                    units=rows, data_quality=flags)  # fmt: skip
    lines = list(csv.reader(io.StringIO(to_csv(report, "unit"))))
    cells = [line[0] for line in lines[1:len(HOSTILE) + 1]]
    assert sorted(cells) == sorted(HOSTILE.values())
    # A negative average is a figure the report computed (here from a hand-made tally): a
    # number, not text to neutralise.
    assert lines[1][15] == "-1.00"
    quality = lines[lines.index([]) + 2]
    assert quality[-1] == "'=1+1, H-2"


CONTROLS = "Phòng\x1b[2J\x1b]0;pwned\x07 Tư pháp\x9b31m\u2028\u202e\x00\n"


def test_text_output_escapes_control_characters_from_the_data() -> None:
    report = Report(MARCH, total=Tally(total=1, received=1, in_progress=1),
                    units={CONTROLS: Tally(total=1, received=1, in_progress=1)},
                    data_quality=[QualityFlag("time_order", ["H\x1b[31m-1"])])  # fmt: skip
    markdown, table = to_markdown(report, "unit"), to_csv(report, "unit")
    for text in (markdown, table):
        for char in "\x1b\x07\x9b\u2028\u202e\x00\r":
            assert char not in text
    escaped = "Phòng\\x1b[2J\\x1b]0;pwned\\x07 Tư pháp\\x9b31m\\u2028\\u202e\\x00\\x0a"
    assert escaped in table and "H\\x1b[31m-1" in table
    assert escaped.replace("[", "\\[").replace("]", "\\]") in markdown
    assert "H\\x1b\\[31m-1" in markdown
    assert to_markdown(report, "unit").count("\n") == to_markdown(
        Report(MARCH, total=report.total, units={"x": report.total},
               data_quality=[QualityFlag("time_order", ["y"])]), "unit").count("\n")  # fmt: skip
    # JSON keeps the data exact, as escapes a terminal does not act on.
    text = to_json(report)
    assert "\x9b" not in text and "\u2028" not in text and "\u202e" not in text
    assert "\\u009b" in text and "\\u2028" in text
    assert json.loads(text)["rows"]["unit"][CONTROLS]["total"] == 1


def test_markdown_shows_markup_from_the_data_as_text() -> None:
    name = "<script>alert(1)</script> | [x](javascript:alert(1))"
    report = Report(MARCH, total=Tally(total=1, received=1, in_progress=1),
                    units={name: Tally(total=1, received=1, in_progress=1)})  # fmt: skip
    markdown = to_markdown(report, "unit")
    assert "<script>" not in markdown and re.search(r"(?<!\\)\]\(javascript", markdown) is None
    assert "\\<script\\>alert(1)\\</script\\> \\| \\[x\\](javascript:alert(1))" in markdown


def test_html_forms_escape_a_unit_named_like_a_script() -> None:
    """The existing test (test_forms.test_html_escapes_case_text) puts <script> in an
    actor's name; a unit comes from the procedure's definition, another path."""
    evil = "<script>alert('unit')</script>"
    receive, review, give_back = PROCEDURE.steps
    procedure = attrs.evolve(PROCEDURE, steps=[attrs.evolve(receive, unit=evil), review,
                                               attrs.evolve(give_back, unit=evil)])  # fmt: skip
    case = Case.open(procedure, case_id="H-<b>", received_at=at(2, 9), actor="Lan", unit=evil,
                     calendar=CAL)  # fmt: skip
    assert "<script" not in render_html(receipt(case))
    slip = render_html(control_slip(case))  # the slip names the unit of each step
    assert "<script" not in slip and "&lt;script&gt;alert(&#x27;unit&#x27;)" in slip


# ----------------------------------------------------------------------- typed errors


def _any(value: object) -> Any:
    """A value of the wrong type, passed on purpose."""
    return value


def _refused(call: Any, *words: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        call()
    assert isinstance(raised.value, TthcFlowError)
    for word in words:
        assert word in str(raised.value), (word, str(raised.value))


@pytest.mark.parametrize(
    ("cases", "words"),
    [
        (None, ("build_report: cases", "iterable of Case", "Pass a list")),
        (7, ("build_report: cases", "int 7")),
        ("H-1", ("build_report: cases", "str")),
        ({"H-1": None}, ("build_report: cases", "dict")),
        ([1], ("cases[0] must be a Case", "int 1")),
        ([(PROCEDURE, GOOD["A"])], ("cases[0] must be a Case", "build_report_from_events")),
    ],
)
def test_build_report_refuses_what_is_not_cases(cases: Any, words: tuple[str, ...]) -> None:
    _refused(lambda: build_report(cases, MARCH), *words)


@pytest.mark.parametrize(
    ("histories", "words"),
    [
        (None, ("build_report_from_events: histories", "(procedure, events) pairs")),
        (3.5, ("histories", "float")),
        ([PROCEDURE], ("histories[0] must be a (procedure, events) pair",)),
        ([(None, GOOD["A"])], ("histories[0][0] must be a Procedure", "NoneType")),
        ([(PROCEDURE, None)], ("histories[0][1] must be a list or tuple of Event",)),
        ([(PROCEDURE, "events")], ("histories[0][1] must be a list or tuple of Event",)),
        ([(PROCEDURE, [])], ("histories[0] is an empty history of QT.TP", "receipt")),
        ([(PROCEDURE, [*GOOD["A"], "x"])], ("histories[0][1][5] must be an Event", "str")),
    ],
)
def test_build_report_from_events_refuses_what_is_not_histories(
    histories: Any, words: tuple[str, ...]
) -> None:
    _refused(lambda: build_report_from_events(histories, MARCH, calendar=CAL), *words)


def test_report_arguments_of_the_wrong_type_are_named() -> None:
    _refused(lambda: build_report([], _any("2026-03")), "period must be a Period", "Period.month")
    _refused(lambda: build_report([], MARCH, tz=_any("Asia/Ho_Chi_Minh")), "tz must be a time zone")
    _refused(lambda: build_report([], MARCH, clock=_any(None)), "unknown clock None")
    _refused(lambda: build_report_from_events([], MARCH, calendar=_any("VN")),
             "calendar must be a WorkingCalendar")  # fmt: skip
    _refused(lambda: alerts(_any(None), at(9, 9)), "alerts: cases")
    _refused(lambda: alerts(_any([1]), at(9, 9)), "cases[0] must be a Case")
    _refused(lambda: alerts_from_events(_any([(PROCEDURE, [None])]), at(9, 9)),
             "histories[0][1][0] must be an Event")  # fmt: skip
    _refused(lambda: compliance_findings(_any(None)), "compliance_findings: cases")
    _refused(lambda: compliance_findings([], _any("March")), "period must be a Period")
    _refused(lambda: compliance_findings([], rules="supplement.max_times"), "rules")
    _refused(lambda: calendar_impact(_any(5), CAL, CAL, at(9, 9)), "calendar_impact: cases")


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: Period.year(_any("2025")), ("Period.year: year must be a whole number", "str")),
        (lambda: Period.year(True), ("Period.year: year must be a whole number", "bool")),
        (lambda: Period.year(_any(2025.0)), ("year must be a whole number", "float")),
        (lambda: Period.year(_any(None)), ("year must be a whole number", "NoneType")),
        (lambda: Period.year(1994), ("year 1994 is outside", "1995–2100", "Period.year(2026)")),
        (lambda: Period.year(2101), ("year 2101 is outside",)),
        (lambda: Period.year(1), ("year 1 is outside",)),
        (lambda: Period.month(2026, 13), ("Period.month: month 13", "1–12")),
        (lambda: Period.month(2026, 0), ("month 0",)),
        (lambda: Period.month(_any("2026"), 3), ("Period.month: year must be a whole number",)),
        (lambda: Period.month(2026, True), ("month must be a whole number", "bool")),
        (lambda: Period.month(2026, _any("3")), ("month must be a whole number", "str")),
        (lambda: Period.quarter(2026, 5), ("Period.quarter: quarter 5", "1–4")),
        (lambda: Period(date(1990, 1, 1), date(1990, 12, 31)), ("start 1990-01-01 is outside",)),
        (lambda: Period(date(2100, 1, 1), date(2101, 1, 1)), ("end 2101-01-01 is outside",)),
        (lambda: Period(_any("2026-01-01"), date(2026, 1, 31)), ("start must be a datetime.date",)),
        (lambda: MARCH.opening(_any("Asia/Ho_Chi_Minh")), ("time zone (tzinfo)",)),
    ],
)
def test_periods_refuse_wrong_types_and_years_outside_the_calendar(
    call: Any, words: tuple[str, ...]
) -> None:
    _refused(call, *words)


def test_period_constructors_on_their_edges() -> None:
    assert Period.year(1995).start == date(1995, 1, 1)
    assert Period.year(2100).end == date(2100, 12, 31)
    assert Period.month(2024, 2).end == date(2024, 2, 29)
    assert Period.quarter(2026, 4) == Period(date(2026, 10, 1), date(2026, 12, 31))


def test_thresholds_judge_a_unit_on_the_cases_the_report_could_judge() -> None:
    units = {DESK: Tally(total=10, received=10, early=9, overdue=1),
             DIVISION: Tally(total=60, received=60, early=48, overdue=2,
                             unverified=10)}  # fmt: skip
    report = Report(MARCH, units=units)
    breaches = AN_GIANG_2020.apply(report, {DESK: "sở", DIVISION: "sở"})
    # Desk: 1 late of 10 judged (10 %); division: 2 of 50 judged (4 %), 10 not judged.
    assert [(b.unit, b.overdue, b.total, b.rate, b.unverified) for b in breaches] == [
        (DESK, 1, 10, Fraction(1, 10), 0), (DIVISION, 2, 50, Fraction(1, 25), 10),
    ]  # fmt: skip

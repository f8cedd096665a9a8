"""Responsibility for overdue cases, and the report builder's public path, on the sample
catalog and the official 2026 calendar (hours 08:00–12:00 and 13:00–17:00; March 2026 has no
holiday: Mon 2 … Fri 6, Mon 9 … Fri 13, Mon 16 …)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.procedures import DESK as TEST_DESK
from tests.procedures import RECORDS as TEST_RECORDS
from tests.procedures import judicial_record
from tthc_flow.engine import (
    ART_20_2_ORDERS,
    DECREE_118_2025,
    Case,
    Procedure,
    ProcedureKind,
    ResultClass,
    Step,
    WorkingDays,
)
from tthc_flow.reports import (
    Period,
    ReportBuilder,
    build_report,
    build_report_from_events,
    outcome_of,
)
from tthc_flow.samples import BHXH, COMMUNE_DESK, COMMUNE_JUSTICE, COMMUNE_POLICE, sample_catalog

VN = ZoneInfo("Asia/Ho_Chi_Minh")
H = timedelta(hours=1)
CATALOG = sample_catalog()
# Judicial record certificate: 10 working days; desk 0 days (same working day), review 6.5,
# approve 1.5 (records), sign 1 (board), issue 0.5 (records), return 0.5 (desk).
LLTP = CATALOG.version("VD.LLTP", "2025.07")
DESK, RECORDS, BOARD = (LLTP.step(key).unit for key in ("receive", "review", "sign"))
# Birth registration, inter-agency: 3 working days; online, the police and social insurance
# work in parallel, one working day each.
LTKS = CATALOG.version("VD.LTKS", "2025.07")
MARCH = Period.month(2026, 3)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=VN)


def lltp(case_id: str, received: datetime) -> Case:
    return Case.open(LLTP, case_id=case_id, received_at=received, actor="Lan", unit=DESK,
                     attributes={"channel": "in_person"})  # fmt: skip


def in_progress() -> Case:
    """Received Wed 25/3 09:00, due Wed 8/4 09:00: still running at the end of March."""
    case = lltp("A-running", at(25, 9))
    case.handover("review", at=at(25, 10), actor="Lan", unit=DESK)
    return case


def early() -> Case:
    """Due Mon 16/3 09:00, resolved Mon 9/3 09:00."""
    case = lltp("B-early", at(2, 9))
    case.handover("review", at=at(2, 10), actor="Lan", unit=DESK)
    case.handover("approve", at=at(5, 9), actor="Minh", unit=RECORDS)
    case.handover("sign", at=at(6, 9), actor="Minh", unit=RECORDS)
    case.resolve(at=at(9, 9), actor="GĐ", unit=BOARD)
    return case


def records_late(case_id: str = "C-records", *, collected: bool = True) -> Case:
    """Due Mon 16/3 09:00. Records hold review and approve (8 working days, 64 h) from Mon
    2/3 10:00 to Mon 16/3 15:00: 6 + 9 × 8 + 6 = 84 h, 20 h over. The board signs (1 day)
    and resolves Tue 17/3 10:00 (4 h used): the case is overdue, by 89 − 80 = 9 h. The board
    hands the result to records' issue step (0.5 day) at 10:00, records to the desk's return
    step (0.5 day) at 11:00; the applicant collects it (``collected``) at 11:30."""
    case = lltp(case_id, at(2, 9))
    case.handover("review", at=at(2, 10), actor="Lan", unit=DESK)
    case.handover("approve", at=at(16, 14), actor="Minh", unit=RECORDS)
    case.handover("sign", at=at(16, 15), actor="Minh", unit=RECORDS)
    case.resolve(at=at(17, 10), actor="GĐ", unit=BOARD)
    case.handover("issue", at=at(17, 10), actor="GĐ", unit=BOARD)
    case.handover("return", at=at(17, 11), actor="VT", unit=RECORDS)
    if collected:
        case.return_result(at=at(17, 11, 30), actor="Lan", unit=DESK)
    return case


def police_late() -> Case:
    """Online: received Mon 2/3 09:00, due Thu 5/3 09:00. Birth registered, the branches
    start Tue 3/3 09:00, each due Wed 4/3 09:00: social insurance arrives then (on time), the
    police Fri 6/3 09:00 (16 h over). Resolved and returned Fri 6/3 10:00: 33 h of 24."""
    case = Case.open(LTKS, case_id="D-police", received_at=at(2, 9), actor="x",
                     unit=COMMUNE_DESK, attributes={"channel": "online"})  # fmt: skip
    case.handover("birth", at=at(2, 10), actor="x", unit=COMMUNE_DESK)
    case.handover(("residence", "insurance"), at=at(3, 9), actor="x", unit=COMMUNE_JUSTICE)
    case.handover("return", at=at(4, 9), actor="x", unit=BHXH, step="insurance")
    case.handover("return", at=at(6, 9), actor="x", unit=COMMUNE_POLICE, step="residence")
    case.resolve(at=at(6, 10), actor="x", unit=COMMUNE_DESK)
    case.return_result(at=at(6, 10), actor="x", unit=COMMUNE_DESK)
    return case


def delays(report: object) -> dict[str, list[tuple[str, ResultClass, timedelta]]]:
    return {
        entry.case_id: [(u.unit, u.result, u.overrun) for u in entry.units]
        for entry in report.responsibility  # type: ignore[attr-defined]
    }


@pytest.mark.parametrize("clock", ["legal", "indicator"])
def test_the_builder_counts_outcomes_as_build_report_does(clock: str) -> None:
    cases = [in_progress(), early(), records_late(), police_late()]
    builder = ReportBuilder(MARCH, clock=clock)
    for case in cases:
        builder.add(
            case.received_at,
            lambda instant, units, case=case: outcome_of(case, instant, clock, units=units),
        )
    report = builder.report()
    total = report.total
    assert (total.total, total.in_progress, total.early, total.overdue) == (4, 1, 1, 2)
    assert {e.case_id: e.overrun for e in report.responsibility} == {
        "C-records": 9 * H, "D-police": 9 * H,
    }  # fmt: skip
    assert delays(report)["D-police"] == [(COMMUNE_POLICE, ResultClass.OVERDUE, 16 * H)]
    assert dict(report.units)[BHXH].on_time == 1
    assert report == build_report(cases, MARCH, clock=clock)
    histories = [(case.procedure, case.events) for case in cases]
    assert report == build_report_from_events(histories, MARCH, clock=clock)


def resolved_not_handed_on() -> Case:
    """As :func:`records_late`, but the board, which signed in 4 h of its 8, resolves the case
    Tue 17/3 10:00 and records nothing more: its clock runs on to the end of March."""
    case = lltp("E-board-keeps", at(2, 9))
    case.handover("review", at=at(2, 10), actor="Lan", unit=DESK)
    case.handover("approve", at=at(16, 14), actor="Minh", unit=RECORDS)
    case.handover("sign", at=at(16, 15), actor="Minh", unit=RECORDS)
    case.resolve(at=at(17, 10), actor="GĐ", unit=BOARD)
    return case


def test_responsibility_is_read_when_the_case_finished() -> None:
    # Records overran by 20 h (84 h of 64) before the board resolved the case. After the
    # finish, the desk holds the uncollected result (its return step, 4 h, due Tue 17/3
    # 15:00) to the end of March, and in the other case the board never hands on: both run
    # late on their own clocks, but neither delayed a case already resolved.
    cases = [records_late(), records_late("C-uncollected", collected=False),
             resolved_not_handed_on()]  # fmt: skip
    report = build_report(cases, MARCH)
    blamed = [(RECORDS, ResultClass.OVERDUE, 20 * H)]
    assert delays(report) == {
        "C-records": blamed, "C-uncollected": blamed, "E-board-keeps": blamed,
    }  # fmt: skip
    assert {e.case_id: e.overrun for e in report.responsibility} == dict.fromkeys(
        ("C-records", "C-uncollected", "E-board-keeps"), 9 * H
    )
    # A unit's own row still reads its clock at the period's end: late is late.
    units = dict(report.units)
    assert (units[DESK].in_progress_overdue, units[BOARD].in_progress_overdue) == (1, 1)
    end = at(31, 17)
    for case in cases:
        assert case.clocks.responsible_units(end) == [RECORDS]
        [(unit, result, allowed, elapsed, *_)] = case.clocks.delay_facts(end)
        assert (unit, result, allowed, elapsed) == (RECORDS, ResultClass.OVERDUE,
                                                    64 * 3_600_000_000, 84 * 3_600_000_000)
    histories = [(case.procedure, case.events) for case in cases]
    assert build_report_from_events(histories, MARCH) == report


CONSULTED = "Sở X (được lấy ý kiến)"


def forked_with_consultation() -> Procedure:
    """5 working days; online, after the lead's step two branches run side by side: A (1.5
    days), which may consult X (1 day to answer), and B (1.5 days); they meet at the desk's
    return step. Illustrative."""
    return Procedure(
        code="TEST.FORK-YK", name="Liên thông có lấy ý kiến (minh họa)", version="1",
        kind=ProcedureKind.INTER_AGENCY, total=WorkingDays(5), rules=DECREE_118_2025,
        effective_from=date(2025, 7, 1), orders=ART_20_2_ORDERS,
        steps=[
            Step("receive", "Tiếp nhận", "Một cửa", WorkingDays(0), next="lead",
                 reception=True),
            Step("lead", "Chủ trì", "Chủ trì", WorkingDays(1), fork=("a", "b")),
            Step("a", "Nhánh A", "Đơn vị A", WorkingDays("1.5"), next="ret",
                 consults={CONSULTED: WorkingDays(1)}),
            Step("b", "Nhánh B", "Đơn vị B", WorkingDays("1.5"), next="ret"),
            Step("ret", "Trả kết quả", "Một cửa", WorkingDays(1), returns=True),
        ],
    )  # fmt: skip


def forked_case(case_id: str, answered: datetime, a_done: datetime, b_done: datetime,
                resolved: datetime) -> Case:  # fmt: skip
    """Received Mon 2/3 09:00 (due Mon 9/3 09:00); the lead forks Tue 3/3 09:00 (each branch
    due Wed 4/3 13:00); A consults X Tue 3/3 10:00 (answer due Wed 4/3 10:00)."""
    case = Case.open(forked_with_consultation(), case_id=case_id, received_at=at(2, 9),
                     actor="x", unit="Một cửa", attributes={"channel": "online"})  # fmt: skip
    case.handover("lead", at=at(2, 10), actor="x", unit="Một cửa")
    case.handover(("a", "b"), at=at(3, 9), actor="x", unit="Chủ trì")
    case.consult(CONSULTED, at=at(3, 10), actor="x", unit="Đơn vị A", step="a",
                 evidence=["Công văn xin ý kiến"])  # fmt: skip
    # In time order; X answers before A hands on.
    for when, step in sorted([(answered, ""), (a_done, "a"), (b_done, "b")]):
        if step:
            case.handover("ret", at=when, actor="x", unit=f"Đơn vị {step.upper()}", step=step)
        else:
            case.answer_consultation(CONSULTED, at=when, actor="x")
    case.resolve(at=resolved, actor="x", unit="Một cửa")
    case.return_result(at=resolved, actor="x", unit="Một cửa")
    return case


def test_a_consulted_unit_delays_the_case_only_from_the_critical_branch() -> None:
    # X answers Thu 5/3 10:00, 8 h late (16 h of its 8); A, credited the 8 h it waited,
    # arrives Thu 5/3 11:00 (18 h of 20). B arrives last, Thu 12/3 09:00: 7 + 6 × 8 + 1 = 56 h
    # of 12. Resolved 12/3 10:00: 65 h of 40. Branch A did not delay the case, nor X.
    b_last = forked_case("F-B-last", at(5, 10), at(5, 11), at(12, 9), at(12, 10))
    # X answers Mon 9/3 10:00 (32 h of 8: 24 h over); A, credited 24 h, arrives Mon 9/3
    # 11:00 (34 h of 36), after B (Wed 4/3 09:00, 8 h of 12). Resolved 9/3 13:00: 43 h of
    # 40. The join waited for A, which waited for X: X delayed the case.
    a_last = forked_case("F-A-last", at(9, 10), at(9, 11), at(4, 9), at(9, 13))
    cases = [b_last, a_last]
    report = build_report(cases, MARCH)
    assert {e.case_id: e.overrun for e in report.responsibility} == {
        "F-B-last": 25 * H, "F-A-last": 3 * H,
    }  # fmt: skip
    assert delays(report) == {
        "F-B-last": [("Đơn vị B", ResultClass.OVERDUE, 44 * H)],
        "F-A-last": [(CONSULTED, ResultClass.OVERDUE, 24 * H)],
    }
    # The engine names the same units: one definition.
    end = at(31, 17)
    assert b_last.clocks.responsible_units(end) == ["Đơn vị B"]
    assert a_last.clocks.responsible_units(end) == [CONSULTED]
    assert a_last.clocks.overrun_units(end) == []  # a consulted unit does not apologise
    histories = [(case.procedure, case.events) for case in cases]
    assert build_report_from_events(histories, MARCH) == report


def test_the_desk_has_the_same_day_rule_again_for_each_transfer() -> None:
    # Received Mon 2/3 09:00 (due Mon 16/3 09:00). The desk transfers at 16:30: the same
    # working day (7 h allowed, 6.5 h used). Records send the dossier back to the desk Thu
    # 5/3 10:00; the desk transfers it again at 16:30, the same day again (6 h allowed, 5.5 h
    # used). Records then overrun: 18.5 h + 58.5 h = 77 h of 64 by the resolution Tue 17/3
    # 11:00 (legal: 90 h of 80). The desk returns the result in 1 h of its 4.
    case = lltp("G-rework", at(2, 9))
    case.handover("review", at=at(2, 16, 30), actor="Lan", unit=DESK)
    case.send_back("receive", at=at(5, 10), actor="Minh", unit=RECORDS,
                   reason="Trả lại Bộ phận Một cửa")  # fmt: skip
    case.handover("review", at=at(5, 16, 30), actor="Lan", unit=DESK)
    case.handover("approve", at=at(17, 9), actor="Minh", unit=RECORDS)
    case.handover("sign", at=at(17, 10), actor="Minh", unit=RECORDS)
    case.resolve(at=at(17, 11), actor="GĐ", unit=BOARD)
    case.handover("issue", at=at(17, 11), actor="GĐ", unit=BOARD)
    case.handover("return", at=at(17, 13), actor="VT", unit=RECORDS)
    case.return_result(at=at(17, 14), actor="Lan", unit=DESK)
    desk = case.unit_clocks()[DESK]
    assert (desk.allowed, desk.elapsed, desk.result) == (17 * H, 13 * H, ResultClass.EARLY)
    records = case.unit_clocks()[RECORDS]
    assert (records.allowed, records.elapsed) == (68 * H, 78 * H)  # issue 0.5 day, 1 h of it
    report = build_report([case], MARCH)
    assert delays(report) == {"G-rework": [(RECORDS, ResultClass.OVERDUE, 13 * H)]}
    assert report.responsibility[0].overrun == 10 * H
    assert dict(report.units)[DESK].early == 1
    assert build_report_from_events([(LLTP, case.events)], MARCH) == report


def test_a_working_budget_is_still_counted_once_per_step() -> None:
    # A desk given half a working day (4 h) to receive: 2 h on Mon 2/3 (09:00–11:00), and
    # 3 h on the dossier sent back Thu 5/3 (10:00–14:00): 5 h of 4, however many visits.
    procedure = judicial_record()
    case = Case.open(procedure, case_id="H-rework", received_at=at(2, 9), actor="Lan",
                     unit=TEST_DESK)  # fmt: skip
    case.handover("review", at=at(2, 11), actor="Lan", unit=TEST_DESK)
    case.send_back("receive", at=at(5, 10), actor="Minh", unit=TEST_RECORDS,
                   reason="Trả lại Bộ phận Một cửa")  # fmt: skip
    case.handover("review", at=at(5, 14), actor="Lan", unit=TEST_DESK)
    desk = case.unit_clocks(at(5, 15))[TEST_DESK]
    assert (desk.allowed, desk.elapsed, desk.result) == (4 * H, 5 * H, ResultClass.OVERDUE)

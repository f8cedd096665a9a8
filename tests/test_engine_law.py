"""Decree 118/2025 as the engine applies it, rule by rule, on real dates. Every expected
instant is worked out by hand below from the rule and the 2026 calendar:

- March 2026 has no holiday: Mon 2, Tue 3 … Fri 6, Mon 9 … Fri 13, Mon 16 … Fri 20, Mon 23 …
- April–May 2026: Hùng Kings' day falls on Sunday 26/4 and is taken on Monday 27/4; Thursday
  30/4 and Friday 1/5 are public holidays. So Fri 24/4 is followed by Tue 28/4, and Wed 29/4
  by Mon 4/5.
- Hours 08:00–12:00 and 13:00–17:00: one working day is 8 working hours.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

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
from tthc_flow import (
    ActorNotAllowedError,
    RuleViolationError,
)
from tthc_flow.calendar import vietnam_calendar
from tthc_flow.engine import (
    DECREE_61_2018,
    DECREE_118_2025,
    INTERNAL_PACKS,
    INTERNAL_PRACTICE,
    AfterCutoff,
    BudgetPolicy,
    Case,
    ClockStatus,
    Mode,
    Phase,
    Procedure,
    ProcedureKind,
    ResultClass,
    SameWorkingDay,
    Step,
    Violation,
    ViolationCategory,
    WorkingDays,
    WorkingHours,
)
from tthc_flow.reports import Period, build_report
from tthc_flow.samples import BHXH, COMMUNE_DESK, COMMUNE_JUSTICE, sample_catalog

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = vietnam_calendar()
FORM = ("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ số 7",)


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


# --------------------------------------------------------------------------- the desk's day


def birth_case(received: datetime) -> Case:
    """The sample inter-agency procedure: its desk steps are budgeted "0 ngày làm việc"."""
    return sample_catalog().open_case(
        "VD.LTKS", case_id="LTKS-1", received_at=received, actor="Cán bộ một cửa",
        attributes={"channel": "in_person"},
    )  # fmt: skip


def transferred(received: datetime, handed: datetime) -> ResultClass:
    case = birth_case(received)
    case.handover("birth", at=handed, actor="Cán bộ một cửa", unit=COMMUNE_DESK)
    desk = case.step_clocks()[0]
    assert desk.step == "receive"
    return desk.result


def desk_due(received: datetime) -> datetime | None:
    return birth_case(received).step_clocks(received)[0].due


def test_a_desk_step_of_zero_days_is_the_same_day_transfer() -> None:
    # Art. 18(2): received in person by 15:00 → sent the same working day (by 17:00).
    assert desk_due(at(3, 2, 14)) == at(3, 2, 17)
    assert desk_due(at(3, 2, 15)) == at(3, 2, 17)  # 15:00 sharp is not "after 15:00"
    # After 15:00 → at the start of the next working day, read as its first hour.
    assert desk_due(at(3, 2, 15, 1)) == at(3, 3, 9)
    assert desk_due(at(3, 6, 16)) == at(3, 9, 9)  # Friday → Monday
    # Friday 24/4 after 15:00, and Saturday 25/4 (not worked): Monday 27/4 is the day off
    # for Hùng Kings' day, so the next working day is Tuesday 28/4.
    assert desk_due(at(4, 24, 16)) == at(4, 28, 9)
    assert desk_due(at(4, 25, 10)) == at(4, 28, 9)
    # Before the desk opens on a working day: that day's close.
    assert desk_due(at(3, 2, 7)) == at(3, 2, 17)


def test_the_desk_is_never_overdue_for_a_same_day_transfer() -> None:
    assert transferred(at(3, 2, 14), at(3, 2, 16, 59)) is ResultClass.ON_TIME
    assert transferred(at(3, 2, 14), at(3, 2, 17)) is ResultClass.ON_TIME
    assert transferred(at(3, 2, 15, 30), at(3, 3, 8, 45)) is ResultClass.ON_TIME
    assert transferred(at(3, 2, 15, 30), at(3, 3, 9)) is ResultClass.ON_TIME
    # Received Saturday 25/4: transferred first thing on Tuesday 28/4.
    assert transferred(at(4, 25, 10), at(4, 28, 8, 5)) is ResultClass.ON_TIME


def test_the_desk_is_overdue_when_a_1400_receipt_is_transferred_the_next_morning() -> None:
    assert transferred(at(3, 2, 14), at(3, 3, 8, 30)) is ResultClass.OVERDUE
    assert transferred(at(3, 2, 15, 30), at(3, 3, 9, 30)) is ResultClass.OVERDUE


def test_the_same_day_rule_leaves_the_legal_clock_alone() -> None:
    # Three working days (24 h) from Monday 14:00: Thursday 5/3 14:00.
    case = birth_case(at(3, 2, 14))
    assert case.legal_clock().due == at(3, 5, 14)
    assert case.step_clocks()[0].budget.label == "trong ngày làm việc"


def test_the_desk_holding_a_result_returns_it_by_the_same_rule() -> None:
    case = birth_case(at(3, 2, 9))
    case.handover("birth", at=at(3, 2, 9, 30), actor="x", unit=COMMUNE_DESK)
    case.handover("residence", at=at(3, 2, 16), actor="x", unit=COMMUNE_JUSTICE)
    case.handover("insurance", at=at(3, 3, 11), actor="x", unit="Công an xã")
    case.resolve(at=at(3, 4, 15, 30), actor="x", unit=BHXH)
    case.handover("return", at=at(3, 4, 15, 30), actor="x", unit=BHXH)
    # Back at the desk after 15:00: due by 09:00 the next working day.
    back = case.step_clocks()[-1]
    assert (back.step, back.due) == ("return", at(3, 5, 9))
    case.return_result(at=at(3, 5, 8, 40), actor="x", unit=COMMUNE_DESK)
    assert case.unit_clocks()[COMMUNE_DESK].result is not ResultClass.OVERDUE


def certification() -> Procedure:
    """A same-day procedure (chứng thực: Decree 23/2015 Art. 7, as secondary sources give it):
    received by 15:00, done that day; after 15:00, within the next working day."""
    return Procedure(
        code="TEST.CT", name="Chứng thực bản sao từ bản chính (minh họa)", version="1",
        kind=ProcedureKind.ONE_STOP, total=SameWorkingDay(AfterCutoff.NEXT_DAY),
        steps=[
            Step("receive", "Tiếp nhận", DESK, WorkingDays(0), next="certify", reception=True),
            Step("certify", "Chứng thực", RECORDS, WorkingHours(4), next="return"),
            Step("return", "Trả kết quả", DESK, WorkingDays(0), returns=True),
        ],
    )  # fmt: skip


def test_a_same_day_procedure_uses_the_cutoff_for_the_whole_case() -> None:
    def open_at(when: datetime) -> Case:
        return Case.open(certification(), case_id="CT", received_at=when, actor="a", unit=DESK)

    assert open_at(at(3, 2, 10)).legal_clock().due == at(3, 2, 17)
    late = open_at(at(3, 2, 16))
    assert late.legal_clock().due == at(3, 3, 17)  # the whole next working day
    late.handover("certify", at=at(3, 2, 16, 10), actor="a", unit=DESK)
    late.resolve(at=at(3, 2, 16, 50), actor="b", unit=RECORDS)
    assert late.legal_clock().result is ResultClass.EARLY  # a day before the due day


def test_the_practice_of_starting_late_receipts_the_next_day_is_a_switch() -> None:
    practice = DECREE_118_2025.derive("AGENCY_NEXT_DAY", late_receipt_next_day=True)
    procedure = judicial_record(rules=(practice,), effective_from=practice.effective_from)

    def due(when: datetime) -> datetime | None:
        return Case.open(procedure, case_id="P", received_at=when, actor="a",
                         unit=DESK).legal_clock().due  # fmt: skip

    # Received Monday 16:00: the clock starts Tuesday 08:00; ten full days end Mon 16/3 17:00.
    assert due(at(3, 2, 16)) == at(3, 16, 17)
    assert due(at(3, 2, 10)) == at(3, 16, 10)  # before 15:00 it starts at receipt
    # Off by default: ten working days from Monday 16:00 end Monday 16/3 16:00.
    assert Case.open(judicial_record(), case_id="D", received_at=at(3, 2, 16), actor="a",
                     unit=DESK).legal_clock().due == at(3, 16, 16)  # fmt: skip
    assert DECREE_118_2025.late_receipt_next_day is False


def test_a_pause_before_a_deferred_start_excludes_no_negative_time() -> None:
    practice = DECREE_118_2025.derive("AGENCY_NEXT_DAY", late_receipt_next_day=True)
    procedure = land_change(rules=(practice,), effective_from=practice.effective_from)
    # Received Mon 2/3 16:00: the legal clock starts Tue 3/3 08:00. The applicant is awaited
    # (financial obligation) from Mon 16:30 to Tue 10:00, so the clock first runs at 10:00.
    case = Case.open(procedure, case_id="T", received_at=at(3, 2, 16), actor="a",
                     unit=LAND_DESK)  # fmt: skip
    before = case.legal_clock(at(3, 2, 16, 45))
    assert before.elapsed == timedelta(0)
    case.pause(reason="financial_obligation", at=at(3, 2, 16, 30), actor="a", unit=LAND_DESK,
               evidence=["notice"])  # fmt: skip
    case.resume(at=at(3, 3, 10), actor="a", unit=LAND_DESK)
    reading = case.legal_clock(at(3, 3, 11))
    assert reading.started_at == at(3, 3, 8)
    assert reading.elapsed == timedelta(hours=1)  # 10:00 to 11:00, nothing before
    # Ten working days from Tue 08:00 end Mon 16/3 17:00; the two paused hours move it to
    # Tue 17/3 10:00.
    assert reading.due == at(3, 17, 10)


# --------------------------------------------------------------------------- supplements


def received(when: datetime, procedure: Procedure | None = None, **options: object) -> Case:
    case = Case.open(procedure or judicial_record(), case_id="LLTP-1", received_at=when,
                     actor="Lan", unit=DESK, **options)  # type: ignore[arg-type]  # fmt: skip
    case.handover("review", at=when + timedelta(minutes=30), actor="Lan", unit=DESK)
    return case


def test_the_window_counts_working_days_after_the_receipt_day() -> None:
    # Received Friday 6/3 16:00: the window is Mon 9, Tue 10, Wed 11, ending 17:00 Wed 11/3.
    case = received(at(3, 6, 16))
    case.request_supplement(at=at(3, 11, 17), actor="Minh", unit=RECORDS, evidence=FORM)
    late = received(at(3, 6, 16))
    with pytest.raises(RuleViolationError) as error:
        late.request_supplement(at=at(3, 11, 17, 1), actor="Minh", unit=RECORDS, evidence=FORM)
    assert error.value.rule == "supplement.window"
    assert "Điều 19 khoản 5" in error.value.violations[0].citation


def test_the_window_skips_the_days_not_worked() -> None:
    # Received Thu 23/4: Fri 24/4, then Tue 28/4 and Wed 29/4 (Mon 27/4 is off): by 17:00 29/4.
    case = received(at(4, 23, 10))
    case.request_supplement(at=at(4, 29, 16), actor="Minh", unit=RECORDS, evidence=FORM)
    late = received(at(4, 23, 10))
    with pytest.raises(RuleViolationError) as error:
        late.request_supplement(at=at(5, 4, 8, 30), actor="Minh", unit=RECORDS, evidence=FORM)
    assert error.value.rule == "supplement.window"


def test_the_window_counts_from_the_day_the_dossier_was_received_complete() -> None:
    # Decree 118/2025 Art. 17(1)(c), 17(3): a dossier the desk asked to complete is received
    # when it is complete; Art. 19(5) counts the agency's return from that day. Received Mon
    # 2/3 09:00, the desk asks at 09:30, the complete dossier comes Mon 9/3 09:00: the agency
    # may return it through Tue 10, Wed 11 and Thu 12/3, until 17:00.
    def desk_asked_first() -> Case:
        case = Case.open(judicial_record(), case_id="LLTP-1", received_at=at(3, 2, 9),
                         actor="Lan", unit=DESK)  # fmt: skip
        case.request_supplement(at=at(3, 2, 9, 30), actor="Lan", unit=DESK, evidence=FORM)
        case.receive_supplement(at=at(3, 9, 9), actor="Lan", unit=DESK)
        case.handover("review", at=at(3, 9, 10), actor="Lan", unit=DESK)
        return case

    case = desk_asked_first()
    case.request_supplement(at=at(3, 12, 16), actor="Minh", unit=RECORDS, evidence=FORM)
    assert case.status.supplement_requests == 2
    late = desk_asked_first()
    with pytest.raises(RuleViolationError) as error:
        late.request_supplement(at=at(3, 12, 17, 1), actor="Minh", unit=RECORDS, evidence=FORM)
    assert error.value.rule == "supplement.window"
    assert "17:00 12/03/2026" in str(error.value)
    # An incomplete supplement is not a complete dossier: the window stays where it was.
    partial = Case.open(judicial_record(), case_id="LLTP-2", received_at=at(3, 2, 9),
                        actor="Lan", unit=DESK)  # fmt: skip
    partial.request_supplement(at=at(3, 2, 9, 30), actor="Lan", unit=DESK, evidence=FORM)
    partial.receive_supplement(at=at(3, 3, 9), actor="Lan", unit=DESK, complete=False)
    partial.receive_supplement(at=at(3, 9, 9), actor="Lan", unit=DESK)
    partial.handover("review", at=at(3, 9, 10), actor="Lan", unit=DESK)
    partial.request_supplement(at=at(3, 12, 16), actor="Minh", unit=RECORDS, evidence=FORM)


def test_the_desks_same_day_starts_again_when_the_dossier_it_asked_for_is_complete() -> None:
    # Decree 118/2025 Art. 17(1)(c), 17(3): the dossier is received when complete; Art. 18(2):
    # the desk sends it on the same working day, or at the start of the next one after 15:00.
    # The sample's judicial record: its desk is budgeted "0 ngày" (the same-day rule).
    procedure = sample_catalog().resolve("VD.LLTP", on=at(3, 2, 9).date())
    counter = procedure.first.unit

    def desk(asked: datetime, complete: datetime, sent: datetime) -> Case:
        case = Case.open(procedure, case_id="LLTP-1", received_at=at(3, 2, 9), actor="Lan",
                         unit=counter)  # fmt: skip
        case.request_supplement(at=asked, actor="Lan", unit=counter, evidence=FORM)
        case.receive_supplement(at=complete, actor="Lan", unit=counter)
        case.handover("review", at=sent, actor="Lan", unit=counter)
        return case

    # Complete Mon 9/3 14:00, sent on at 16:00 the same day: on time, due 17:00 that day
    # (before, the desk kept only what was left of its first day: due 15:00, overdue).
    on_time = desk(at(3, 2, 16), at(3, 9, 14), at(3, 9, 16))
    (step,) = on_time.step_clocks(at(3, 9, 16))[:1]
    assert (step.due, step.result) == (at(3, 9, 17), ResultClass.ON_TIME)
    assert on_time.unit_clocks(at(3, 9, 16))[counter].result is ResultClass.ON_TIME
    assert on_time.legal_clock(at(3, 9, 16)).due == at(3, 23, 14)  # ten days from 9/3 14:00
    # Complete Mon 9/3 16:00, after the cut-off: due at the start of Tue 10/3 (its first
    # working hour, to 09:00); sent Tue 14:00, overdue (before, on time by the leftover).
    late = desk(at(3, 2, 9, 30), at(3, 9, 16), at(3, 10, 14))
    (step,) = late.step_clocks(at(3, 10, 14))[:1]
    assert (step.due, step.result) == (at(3, 10, 9), ResultClass.OVERDUE)
    assert late.unit_clocks(at(3, 10, 14))[counter].result is ResultClass.OVERDUE
    # An agency's return after appraisal is not a new receipt: its step resumes where it was.
    case = received(at(3, 2, 9))
    case.request_supplement(at=at(3, 3, 10), actor="Minh", unit=RECORDS, evidence=FORM)
    case.receive_supplement(at=at(3, 9, 9), actor="Lan", unit=DESK)
    review = case.step_clocks(at(3, 9, 9))[1]
    # Mon 2/3 09:30-17:00 less lunch (6h30) and Tue 3/3 08:00-10:00 (2h), kept, not reset.
    assert review.elapsed == timedelta(hours=8, minutes=30)


def test_the_desk_asks_for_an_online_dossiers_supplement_within_8_working_hours() -> None:
    # Decree 118/2025 Art. 17(2)(c): for a dossier filed online, the desk notifies the
    # official receipt or asks for the supplement no later than 8 working hours after the
    # system received it. Filed Mon 2/3 14:00: 3 working hours that day, 5 more on Tue 3/3
    # (08:00-12:00, 13:00-14:00): by Tue 3/3 14:00.
    def online(case_id: str) -> Case:
        return Case.open(judicial_record(), case_id=case_id, received_at=at(3, 2, 14),
                         actor="Lan", unit=DESK, attributes={"channel": "online"})  # fmt: skip

    online("LLTP-1").request_supplement(at=at(3, 3, 14), actor="Lan", unit=DESK, evidence=FORM)
    late = online("LLTP-2")
    with pytest.raises(RuleViolationError) as error:
        late.request_supplement(at=at(3, 3, 14, 1), actor="Lan", unit=DESK, evidence=FORM)
    assert error.value.rule == "supplement.online_check"
    assert "Điều 17 khoản 2 điểm c" in error.value.violations[0].citation
    assert late.version == 1
    # In audit mode it is recorded and moves no clock: the legal due stays ten working days
    # from the receipt (Mon 16/3 14:00).
    audited = Case.from_events(late.procedure, [*late.events], calendar=CAL, mode="audit")
    audited.request_supplement(at=at(3, 3, 14, 1), actor="Lan", unit=DESK, evidence=FORM)
    assert [v.rule for v in audited.events[-1].violations] == ["supplement.online_check"]
    assert audited.legal_clock(at(3, 4, 9)).due == at(3, 16, 14)
    # A dossier handed in at the counter has no such limit (checked at reception, Art.
    # 17(1)(c)); nor has the agency's return after appraisal.
    counter = Case.open(judicial_record(), case_id="LLTP-3", received_at=at(3, 2, 14),
                        actor="Lan", unit=DESK, attributes={"channel": "in_person"})  # fmt: skip
    counter.request_supplement(at=at(3, 4, 9), actor="Lan", unit=DESK, evidence=FORM)
    agency = online("LLTP-4")
    agency.handover("review", at=at(3, 2, 15), actor="Lan", unit=DESK)
    agency.request_supplement(at=at(3, 4, 9), actor="Minh", unit=RECORDS, evidence=FORM)


def test_the_agencys_own_return_does_not_move_the_window() -> None:
    # A return after appraisal is not the desk's: the complete supplement that answers it
    # does not start a new window (a second return is refused as the second at that stage).
    case = received(at(3, 2, 9))
    case.request_supplement(at=at(3, 3, 10), actor="Minh", unit=RECORDS, evidence=FORM)
    case.receive_supplement(at=at(3, 9, 9), actor="Lan", unit=DESK)
    with pytest.raises(RuleViolationError) as error:
        case.request_supplement(at=at(3, 10, 9), actor="Minh", unit=RECORDS, evidence=FORM)
    assert {v.rule for v in error.value.violations} == {
        "supplement.max_times", "supplement.window"
    }


def test_a_clock_awaiting_the_applicant_has_no_due_then_restarts_whole() -> None:
    case = received(at(3, 2, 9))
    case.request_supplement(at=at(3, 3, 10), actor="Minh", unit=RECORDS, evidence=FORM)
    waiting = case.legal_clock(at(3, 9, 11))
    assert (waiting.status, waiting.due) == (ClockStatus.WAITING, None)
    # The projection is the full ten days from the reading instant (Mon 9/3 11:00 → Mon
    # 23/3 11:00), never the subtract-the-wait date.
    assert waiting.projected_due == at(3, 23, 11)
    assert "Hạn (due): chưa có" in waiting.explain(CAL)
    case.receive_supplement(at=at(3, 10, 14), actor="Lan", unit=DESK)
    assert case.legal_clock().due == at(3, 24, 14)  # restarted: ten days from Tue 10/3 14:00


def test_the_desk_asks_once_and_the_agency_returns_once() -> None:
    # Decree 118: the desk asks for a supplement once (Art. 16(3), 17(1)(c)); after appraisal
    # the competent agency may still return the dossier, within three working days of receipt
    # (Art. 19(5)), once; a second return is refused.
    case = Case.open(judicial_record(), case_id="LLTP-S", received_at=at(3, 2, 9), actor="Lan",
                     unit=DESK)  # fmt: skip
    case.request_supplement(at=at(3, 2, 9, 30), actor="Lan", unit=DESK, evidence=FORM)
    case.receive_supplement(at=at(3, 2, 11), actor="Lan", unit=DESK)
    with pytest.raises(RuleViolationError) as error:
        case.request_supplement(at=at(3, 2, 11, 30), actor="Lan", unit=DESK, evidence=FORM)
    assert error.value.rule == "supplement.max_times"
    assert "at reception" in str(error.value)
    case.handover("review", at=at(3, 2, 14), actor="Lan", unit=DESK)
    case.request_supplement(at=at(3, 4, 10), actor="Minh", unit=RECORDS, evidence=FORM)
    case.receive_supplement(at=at(3, 5, 9), actor="Lan", unit=DESK)
    with pytest.raises(RuleViolationError) as error:
        case.request_supplement(at=at(3, 5, 10), actor="Minh", unit=RECORDS, evidence=FORM)
    assert error.value.rule == "supplement.max_times"
    assert "after reception" in str(error.value)
    assert case.status.supplement_requests == 2
    # Two requests: the indicator of Decision 766 counts the case overdue.
    assert case.indicator_clock().result is ResultClass.IN_PROGRESS_OVERDUE
    # Decree 61/2018's pack: one request per case.
    old = Case.open(judicial_record(), case_id="LLTP-S61", received_at=at(3, 4, 9, year=2024),
                    actor="Lan", unit=DESK)  # fmt: skip
    old.request_supplement(at=at(3, 4, 9, 30, year=2024), actor="Lan", unit=DESK, evidence=FORM)
    old.receive_supplement(at=at(3, 4, 11, year=2024), actor="Lan", unit=DESK)
    old.handover("review", at=at(3, 4, 14, year=2024), actor="Lan", unit=DESK)
    with pytest.raises(RuleViolationError) as error:
        old.request_supplement(at=at(3, 5, 10, year=2024), actor="Minh", unit=RECORDS,
                               evidence=FORM)  # fmt: skip
    assert error.value.rule == "supplement.max_times"


def test_a_request_naming_a_step_the_case_is_not_at_counts_where_it_was_judged() -> None:
    # Audit mode: a request recorded against the reception step while the case is at review
    # is judged (and counted) at reception; the agency's own return is still its first.
    case = received(at(3, 2, 9), mode=Mode.AUDIT)
    case.request_supplement(at=at(3, 2, 14), actor="Lan", unit=DESK, evidence=FORM,
                            step="receive")  # fmt: skip
    assert "machine.not_active" in [v.rule for _, v in case.violations]
    case.receive_supplement(at=at(3, 3, 9), actor="Lan", unit=DESK)
    case.request_supplement(at=at(3, 3, 10), actor="Minh", unit=RECORDS, evidence=FORM)
    assert "supplement.max_times" not in [v.rule for _, v in case.violations]


def test_a_late_apology_in_an_imported_history_buys_no_time() -> None:
    case = received(at(3, 2, 9), mode=Mode.AUDIT)
    # Due Mon 16/3 09:00: an apology on the due day itself is too late (Art. 19(6)).
    case.reschedule(new_due=at(3, 20, 9), reason="Chờ tra cứu", at=at(3, 16, 8), actor="Minh",
                    unit=RECORDS)  # fmt: skip
    assert [v.rule for _, v in case.violations] == ["reschedule.too_late"]
    reading = case.legal_clock(at(3, 16, 10))
    assert reading.due == at(3, 16, 9)
    assert reading.result is ResultClass.IN_PROGRESS_OVERDUE


def test_a_case_already_overdue_stays_overdue() -> None:
    # One working day, received Mon 2/3 09:00: due Tue 3/3 09:00. A supplement request on
    # Wed 4/3 is inside the three-day window, but the time has already run out.
    short = judicial_record(total=WorkingDays(1), budget_policy=BudgetPolicy.UNCHECKED)
    strict = received(at(3, 2, 9), short)
    with pytest.raises(RuleViolationError) as error:
        strict.request_supplement(at=at(3, 4, 10), actor="Minh", unit=RECORDS, evidence=FORM)
    assert error.value.rule == "supplement.after_due"
    audited = received(at(3, 2, 9), short, mode=Mode.AUDIT)
    audited.request_supplement(at=at(3, 4, 10), actor="Minh", unit=RECORDS, evidence=FORM)
    assert audited.status.phase is Phase.AWAITING_SUPPLEMENT
    legal = audited.legal_clock(at(3, 5, 10))
    assert legal.status is ClockStatus.RUNNING and legal.due == at(3, 3, 9)
    assert legal.result is ResultClass.IN_PROGRESS_OVERDUE


def test_the_dossier_never_completed_is_closed_after_fifteen_days() -> None:
    def requested() -> Case:
        case = received(at(3, 2, 9))
        case.request_supplement(at=at(3, 3, 9), actor="Minh", unit=RECORDS, evidence=FORM)
        return case

    # Fifteen days after Tue 3/3 end with Wed 18/3, at 24:00 (Civil Code Art. 147–148).
    early = requested()
    with pytest.raises(RuleViolationError) as error:
        early.close(at=at(3, 18, 16), actor="Lan", unit=DESK)
    assert error.value.rule == "closed.too_early"
    with pytest.raises(ActorNotAllowedError):
        requested().close(at=at(3, 19, 8), actor="Minh", unit=RECORDS)  # the desk closes
    case = requested()
    case.close(at=at(3, 19, 8), actor="Lan", unit=DESK, reason="Không bổ sung")
    assert case.status.phase is Phase.CLOSED
    legal, indicator = case.legal_clock(), case.indicator_clock()
    assert legal.result is ResultClass.CLOSED and indicator.result is ResultClass.CLOSED
    # It never had a due; had the dossier been completed at the closure, ten days from
    # Thu 19/3 08:00 would have ended Wed 1/4 17:00.
    assert (legal.due, legal.projected_due) == (None, at(4, 1, 17))
    tally = build_report([case], Period.month(2026, 3)).total
    assert (tally.total, tally.closed, tally.finished) == (1, 1, 0)
    assert tally.on_time_rate is None


def test_only_a_dossier_awaiting_the_applicant_is_closed_and_only_under_decree_118() -> None:
    with pytest.raises(RuleViolationError) as error:
        received(at(3, 2, 9)).close(at=at(3, 19, 8), actor="Lan", unit=DESK)
    assert error.value.rule == "closed.not_awaiting"
    old = received(at(3, 4, 9, year=2024))  # judged by Decree 61/2018
    old.request_supplement(at=at(3, 5, 9, year=2024), actor="Minh", unit=RECORDS, evidence=FORM)
    with pytest.raises(RuleViolationError) as error:
        old.close(at=at(3, 25, 9, year=2024), actor="Lan", unit=DESK)
    assert error.value.rule == "closed.no_rule"


# --------------------------------------------------------------------------- apologies


def records_overran() -> Case:
    """The records division holds review (6 days) and approve (1.5 days) from Mon 2/3 10:00 to
    Thu 12/3 10:00: 6 h on Monday, 8 h on each of the seven working days to Wed 11/3, 2 h on
    Thursday = 64 h against 60 h. The board then holds the case."""
    case = Case.open(judicial_record(), case_id="LLTP-2", received_at=at(3, 2, 9), actor="Lan",
                     unit=DESK)  # fmt: skip
    case.handover("review", at=at(3, 2, 10), actor="Lan", unit=DESK)
    case.handover("approve", at=at(3, 11, 10), actor="Minh", unit=RECORDS)
    case.handover("sign", at=at(3, 12, 10), actor="Hà", unit=RECORDS)
    return case


def test_the_desk_does_not_ask_for_the_extension_under_decree_118() -> None:
    # Art. 19(6): the competent agency ("cơ quan, đơn vị có thẩm quyền giải quyết hồ sơ")
    # notifies the desk, apologises and asks; the desk moves the return date on its request.
    # Received Mon 2/3 09:00, due Mon 16/3 09:00: the desk holding the case at reception on
    # Mon 2/3 11:00 may not ask, though it holds the case and it is in time.
    case = Case.open(judicial_record(), case_id="LLTP-3", received_at=at(3, 2, 9), actor="Lan",
                     unit=DESK)  # fmt: skip
    with pytest.raises(ActorNotAllowedError) as error:
        case.reschedule(new_due=at(3, 20, 9), reason="Chậm", at=at(3, 2, 11), actor="Lan",
                        unit=DESK)  # fmt: skip
    assert error.value.rule == "reschedule.by_desk"
    assert "Điều 19 khoản 6" in error.value.violations[0].citation
    assert case.version == 1  # refused: nothing recorded
    assert case.extension_askers(at(3, 2, 11)) == ()
    # The records division holding the case asks in time: accepted.
    case.handover("review", at=at(3, 2, 11), actor="Lan", unit=DESK)
    assert case.extension_askers(at(3, 12, 9)) == (RECORDS,)
    case.reschedule(new_due=at(3, 20, 9), reason="Tra cứu kéo dài", at=at(3, 12, 9),
                    actor="Minh", unit=RECORDS)  # fmt: skip
    assert case.legal_clock().due == at(3, 20, 9)
    # Under Decree 61/2018 (a 2024 case) the desk holding the case may still ask.
    old = Case.open(judicial_record(), case_id="LLTP-4", received_at=at(3, 4, 9, year=2024),
                    actor="Lan", unit=DESK)  # fmt: skip
    old.reschedule(new_due=at(3, 28, 9, year=2024), reason="Chậm", at=at(3, 4, 11, year=2024),
                   actor="Lan", unit=DESK)  # fmt: skip
    assert old.status.reschedules == 1


def test_the_unit_that_caused_the_delay_apologises_even_after_handing_on() -> None:
    case = records_overran()
    units = case.unit_clocks(at(3, 13, 9))
    assert units[RECORDS].elapsed == timedelta(hours=64) and units[RECORDS].overdue
    assert not units[BOARD].overdue and not units[DESK].overdue
    # The desk neither holds the case nor overran; and under Decree 118 it never asks.
    with pytest.raises(ActorNotAllowedError) as error:
        case.reschedule(new_due=at(3, 20, 9), reason="Chậm", at=at(3, 13, 9), actor="x",
                        unit=DESK)  # fmt: skip
    # The category decides the refusal, not the rule's name.
    assert error.value.rule == "reschedule.by_desk"
    assert error.value.violations[0].category is ViolationCategory.ACTOR
    # Due Mon 16/3 09:00; by Friday 13/3 the apology is in time (by Sunday 15/3).
    case.reschedule(new_due=at(3, 20, 9), reason="Tra cứu kéo dài", at=at(3, 13, 9),
                    actor="Trưởng phòng", unit=RECORDS)  # fmt: skip
    assert case.legal_clock().due == at(3, 20, 9)


def test_the_unit_holding_the_case_asks_for_the_delay_it_foresees() -> None:
    # Decree 118/2025 Art. 19(6): the agency handling the dossier ("cơ quan, đơn vị có thẩm
    # quyền giải quyết hồ sơ") sends the apology and the extension request, even when
    # another unit overran before it: the board holds the case the records division made late.
    case = records_overran()
    case.reschedule(new_due=at(3, 20, 9), reason="Lãnh đạo đi công tác", at=at(3, 13, 9),
                    actor="Phó Giám đốc", unit=BOARD)  # fmt: skip
    assert case.legal_clock().due == at(3, 20, 9)
    # Decree 61/2018's pack keeps the older reading: only the unit that overran.
    old = Case.open(judicial_record(), case_id="LLTP-61", received_at=at(3, 4, 9, year=2024),
                    actor="Lan", unit=DESK)  # fmt: skip
    old.handover("review", at=at(3, 4, 10, year=2024), actor="Lan", unit=DESK)
    old.handover("approve", at=at(3, 13, 10, year=2024), actor="Minh", unit=RECORDS)
    old.handover("sign", at=at(3, 14, 10, year=2024), actor="Hà", unit=RECORDS)
    assert old.unit_clocks(at(3, 15, 9, year=2024))[RECORDS].overdue
    with pytest.raises(ActorNotAllowedError):
        old.reschedule(new_due=at(3, 22, 9, year=2024), reason="Chậm", at=at(3, 15, 9, year=2024),
                       actor="Phó Giám đốc", unit=BOARD)  # fmt: skip


def test_the_agency_asks_after_the_desk_overran() -> None:
    # The desk hands over the next morning (overrunning its same-day transfer); eleven days
    # before the due, the records division foresees its own delay and asks: it holds the case.
    case = Case.open(judicial_record(), case_id="LLTP-3", received_at=at(3, 2, 9), actor="Lan",
                     unit=DESK)  # fmt: skip
    case.handover("review", at=at(3, 3, 9), actor="Lan", unit=DESK)
    assert case.unit_clocks(at(3, 5, 9))[DESK].overdue
    case.reschedule(new_due=at(3, 20, 17), reason="Chờ kết quả tra cứu", at=at(3, 5, 9),
                    actor="Minh", unit=RECORDS)  # fmt: skip
    assert case.legal_clock().due == at(3, 20, 17)


# --------------------------------------------------------------------------- stopping


def resolved_case(year: int = 2026) -> Case:
    case = Case.open(judicial_record(), case_id="LLTP-3", received_at=at(3, 2, 9, year=year),
                     actor="Lan", unit=DESK)  # fmt: skip
    case.handover("review", at=at(3, 2, 10, year=year), actor="Lan", unit=DESK)
    case.handover("approve", at=at(3, 3, 10, year=year), actor="Minh", unit=RECORDS)
    case.handover("sign", at=at(3, 3, 15, year=year), actor="Hà", unit=RECORDS)
    case.handover("issue", at=at(3, 4, 9, year=year), actor="GĐ", unit=BOARD)
    case.resolve(at=at(3, 4, 10, year=year), actor="Văn thư", unit=CLERK)
    return case


def test_the_applicant_may_stop_only_before_the_decision() -> None:
    before = received(at(3, 2, 9))
    before.stop(reason="Người nộp đề nghị dừng (đơn ngày 3/3)", at=at(3, 3, 9), actor="Lan",
                unit=DESK)  # fmt: skip
    assert before.status.phase is Phase.STOPPED
    after = resolved_case()
    with pytest.raises(RuleViolationError) as error:
        after.withdraw(at=at(3, 4, 11), actor="Người nộp", unit=DESK)
    assert error.value.rule == "withdrawn.after_decision"
    assert "Điều 21" in error.value.violations[0].citation
    with pytest.raises(RuleViolationError) as error:
        after.stop(reason="đề nghị dừng", at=at(3, 4, 11), actor="Lan", unit=DESK)
    assert error.value.rule == "stopped.after_decision"
    # Decree 61/2018 (before July 2025) has no such rule here.
    old = resolved_case(2024)
    old.withdraw(at=at(3, 5, 11, year=2024), actor="Người nộp", unit=DESK)
    assert old.status.phase is Phase.WITHDRAWN


# --------------------------------------------------------------------------- forwarding


def test_a_dossier_received_outside_its_home_area_has_a_working_day_to_travel() -> None:
    def desk_result(**attributes: object) -> tuple[datetime | None, ResultClass]:
        case = Case.open(judicial_record(), case_id="F", received_at=at(3, 2, 10), actor="Lan",
                         unit=DESK, attributes=attributes)  # fmt: skip
        case.handover("review", at=at(3, 3, 9, 30), actor="Lan", unit=DESK)
        desk = case.step_clocks()[0]
        return desk.due, desk.result

    # Art. 20(1)(a): one working day from Mon 10:00 → Tue 10:00; sent Tue 09:30, on time.
    assert desk_result(outside_home_area=True) == (at(3, 3, 10), ResultClass.ON_TIME)
    # At home the desk has its own half day: Mon 10:00 + 4 h = 15:00; Tuesday is late.
    assert desk_result() == (at(3, 2, 15), ResultClass.OVERDUE)
    # The working day is for the paper dossier; one filed online is sent on at once
    # ("chuyển ngay hồ sơ điện tử"), under the desk's own time.
    assert desk_result(outside_home_area=True, channel="online") == (
        at(3, 2, 15), ResultClass.OVERDUE
    )
    for paper in ("in_person", "postal"):
        assert desk_result(outside_home_area=True, channel=paper) == (
            at(3, 3, 10), ResultClass.ON_TIME
        )


@pytest.mark.parametrize("first", ["online", "in_person"])
def test_forwarding_is_judged_per_case_whatever_was_opened_first(first: str) -> None:
    # One procedure object shared by both cases (as a catalog shares it): the clocks' plan
    # is kept per kind of case, and an online and a paper dossier are two kinds.
    procedure = sample_catalog().resolve("VD.LLTP", on=at(3, 2, 10).date())
    desk = procedure.first.unit
    dues = {}
    for channel in (first, "in_person" if first == "online" else "online"):
        case = Case.open(procedure, case_id=channel, received_at=at(3, 2, 10), actor="Lan",
                         unit=desk, attributes={"outside_home_area": True, "channel": channel})
        dues[channel] = case.step_clocks()[0].due
    assert dues == {"online": at(3, 2, 17), "in_person": at(3, 3, 10)}


# --------------------------------------------------------------------------- pauses


def test_a_clock_that_ends_while_paused_is_judged_by_the_time_it_used() -> None:
    # Received Mon 2/3 09:00, ten days: 7 h Monday, 8 h Tuesday, 2 h Wednesday before the
    # pause for the financial obligation (17 h used, 63 h left). The applicant withdraws on
    # Mon 30/3, after the original due date (Mon 16/3 09:00), while the clock is stopped:
    # its time was excluded, so it is judged against 63 h from the withdrawal, not late.
    case = Case.open(land_change(), case_id="DD", received_at=at(3, 2, 9), actor="An",
                     unit=LAND_DESK)  # fmt: skip
    case.handover("office", at=at(3, 2, 10), actor="An", unit=LAND_DESK)
    case.handover("tax", at=at(3, 4, 9), actor="Bình", unit=LAND_OFFICE)
    case.pause("financial_obligation", at=at(3, 4, 10), actor="Thuế", unit=TAX,
               evidence=("Thông báo nộp thuế",))  # fmt: skip
    case.withdraw(at=at(3, 30, 9), actor="Người nộp", unit=LAND_DESK)
    legal = case.legal_clock()
    assert legal.elapsed == timedelta(hours=17)
    assert legal.result is ResultClass.EARLY


# --------------------------------------------------------------------------- packs, modes


def test_internal_procedures_are_judged_by_the_internal_pack() -> None:
    steps = [
        Step("register", "Vào sổ", "Văn phòng", WorkingDays(0), next="appraise",
             reception=True),
        Step("appraise", "Thẩm định", "Phòng Tổ chức", WorkingDays(2), returns=True),
    ]  # fmt: skip
    internal = Procedure(
        code="TEST.NB",
        name="Nội bộ (minh họa)",
        version="1",
        kind=ProcedureKind.INTERNAL,
        total=WorkingDays(2),
        steps=steps,
    )
    assert internal.rules == INTERNAL_PACKS == (INTERNAL_PRACTICE,)
    sample = sample_catalog().resolve("VD.NB", on=at(3, 2, 9).date())
    assert sample.rules == (INTERNAL_PRACTICE,)

    def opened(when: datetime) -> Case:
        return Case.open(internal, case_id="NB", received_at=when, actor="vt", unit="Văn phòng")

    # No desk, no 15:00 cut-off: a "0 days" step received at 16:00 is done by 17:00.
    assert opened(at(3, 2, 16)).step_clocks()[0].due == at(3, 2, 17)
    assert opened(at(3, 2, 17, 30)).step_clocks()[0].due == at(3, 3, 9)
    # A supplement excludes the requester's time (no restart): 16 h from Mon 09:00, 3 h used
    # by 13:00; back Thu 5/3 09:00 with 13 h left → Thu 7 h, Fri 6/3 08:00–12:00 and
    # 13:00–15:00.
    case = opened(at(3, 2, 9))
    case.handover("appraise", at=at(3, 2, 9, 30), actor="vt", unit="Văn phòng")
    case.request_supplement(at=at(3, 2, 13), actor="cv", unit="Phòng Tổ chức", evidence=())
    assert case.legal_clock(at(3, 4, 9)).status is ClockStatus.PAUSED
    case.receive_supplement(at=at(3, 5, 9), actor="cv", unit="Phòng Tổ chức")
    assert case.legal_clock().due == at(3, 6, 15)


def test_an_imported_receipt_on_a_day_no_pack_covers_is_a_violation() -> None:
    only_118 = judicial_record(rules=(DECREE_118_2025,))
    with pytest.raises(RuleViolationError) as error:
        Case.open(only_118, case_id="X", received_at=at(6, 30, 9, year=2025), actor="Lan",
                  unit=DESK)  # fmt: skip
    assert error.value.rule == "rules.not_in_force"
    case = Case.open(only_118, case_id="X", received_at=at(6, 30, 9, year=2025), actor="Lan",
                     unit=DESK, mode=Mode.AUDIT)  # fmt: skip
    assert [v.rule for _, v in case.violations] == ["rules.not_in_force"]
    assert case.pack is DECREE_118_2025  # the nearest pack
    assert case.legal_clock().due == at(7, 14, 9, year=2025)  # ten working days


def test_a_case_is_a_read_only_facade() -> None:
    case = received(at(3, 2, 9))
    for name in ("procedure", "case_id", "attributes", "calendar", "mode", "pack", "compiled",
                 "events", "status", "loaded", "version"):  # fmt: skip
        with pytest.raises(AttributeError):
            setattr(case, name, None)
    assert not hasattr(case, "__dict__")
    with pytest.raises(TypeError):
        case.attributes["channel"] = "online"  # type: ignore[index]


def test_violations_carry_their_category_through_json() -> None:
    violation = Violation("reschedule.not_delaying", "x", "Điều 19", ViolationCategory.ACTOR)
    assert Violation.from_json(violation.to_json()) == violation
    # Written before categories were recorded: the engine's own rules keep theirs.
    legacy = {"rule": "machine.transition", "message": "m", "citation": ""}
    assert Violation.from_json(legacy).category is ViolationCategory.MACHINE
    assert Violation.from_json({"rule": "other.system", "message": "m"}).category is (
        ViolationCategory.LAW
    )


def test_decree_61_and_decree_118_differ_where_the_texts_do() -> None:
    assert DECREE_61_2018.closure is None and DECREE_118_2025.closure is not None
    assert DECREE_118_2025.closure.after.days == 15
    assert DECREE_118_2025.forwarding is not None
    assert DECREE_118_2025.forwarding.budget == WorkingDays(1)
    assert DECREE_118_2025.same_day.cutoff == time(15, 0)
    assert DECREE_118_2025.stop is not None and DECREE_61_2018.stop is None
    for pack in (DECREE_61_2018, DECREE_118_2025):
        supplement = pack.supplement_rule
        assert supplement.max_times == 1 and supplement.window == WorkingDays(3)
    assert "carried over" not in repr(
        [DECREE_118_2025.citation, *(r.citation for r in DECREE_118_2025.reasons.values())]
    )


def test_late_refusals_and_other_new_rules_are_findings_with_their_articles() -> None:
    from tthc_flow.reports import compliance_findings

    # Due Mon 16/3 09:00; refused Tue 17/3: recorded (the case ends), and found late.
    late = received(at(3, 2, 9))
    late.refuse(reason="Không đủ điều kiện", at=at(3, 17, 9), actor="Minh", unit=RECORDS)
    assert late.status.phase is Phase.REFUSED
    in_time = received(at(3, 2, 9))
    in_time.refuse(reason="Không đủ điều kiện", at=at(3, 16, 9), actor="Minh", unit=RECORDS)
    # An imported history, in audit mode: the withdrawal is recorded with its violation.
    resolved = Case.from_events(judicial_record(), resolved_case().events, mode=Mode.AUDIT)
    resolved.withdraw(at=at(3, 4, 11), actor="Người nộp", unit=DESK)
    found = compliance_findings([late, in_time, resolved], Period.month(2026, 3))
    rules = [(f.case_id, f.rule) for f in found]
    assert ("LLTP-1", "refused.late") in rules
    assert ("LLTP-3", "withdrawn.after_decision") in rules
    assert len([r for r in rules if r[1] == "refused.late"]) == 1
    refusal = next(f for f in found if f.rule == "refused.late")
    assert "Điều 19 khoản 3" in refusal.citation and refusal.at == at(3, 17, 9)

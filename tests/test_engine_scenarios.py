"""Scenarios on real dates: each rule of the engine, with due instants worked out by hand.

March 2026 has no holiday: Mon 2, … Fri 6, Mon 9, … Fri 13, Mon 16, … Fri 20, Mon 23 …
Hours 08:00–12:00 and 13:00–17:00; one working day = 8 hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction
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
    Case,
    CommandRefusedError,
    EventKind,
    Mode,
    Phase,
    ResultClass,
    RuleViolationError,
    TransitionNotAllowedError,
    WorkingDays,
)
from tthc_flow.engine import (
    ClockStatus,
    Event,
    Procedure,
    ProcedureKind,
    Step,
    ZeroBudget,
    events_from_json,
    events_to_json,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


FORM = ("Phiếu yêu cầu bổ sung số 12/PYCBS",)


def received(when: datetime, **attributes: object) -> Case:
    return Case.open(
        judicial_record(), case_id="LLTP-1", received_at=when, actor="Lan", unit=DESK,
        attributes=attributes,
    )  # fmt: skip


def walk_to_sign(case: Case, start: datetime) -> None:
    case.handover("review", at=start, actor="Lan", unit=DESK)


# ----------------------------------------------------------------------------- basics


def test_legal_due_of_a_plain_case() -> None:
    case = received(at(3, 2, 9))
    # Ten working days from Mon 2/3 09:00: Mon 16/3 09:00.
    clock = case.legal_clock()
    assert clock.due == at(3, 16, 9)
    assert clock.status is ClockStatus.RUNNING
    assert case.status.phase is Phase.PROCESSING
    assert case.status.step == "receive" and case.status.unit == DESK


def test_full_path_on_time_and_per_unit_clocks() -> None:
    case = received(at(3, 2, 9))
    case.handover("review", at=at(3, 2, 11), actor="Lan", unit=DESK)
    # The records division takes 8 working days for its 6 (review) + 1.5 (approve) = 7.5.
    case.handover("approve", at=at(3, 10, 11), actor="Minh", unit=RECORDS, role="chuyên viên")
    case.handover("sign", at=at(3, 12, 11), actor="Hà", unit=RECORDS, role="lãnh đạo phòng")
    case.handover("issue", at=at(3, 12, 15), actor="GĐ", unit=BOARD)
    case.resolve(at=at(3, 12, 16), actor="Văn thư", unit=CLERK)
    case.handover("return", at=at(3, 12, 16, 30), actor="Văn thư", unit=CLERK)
    case.return_result(at=at(3, 13, 9), actor="Lan", unit=DESK)

    assert case.status.phase is Phase.RETURNED
    legal = case.legal_clock()
    # Resolved Thu 12/3, due Mon 16/3: a day before the due day.
    assert legal.result is ResultClass.EARLY
    assert legal.finished_at == at(3, 12, 16)

    units = case.unit_clocks()
    records = units[RECORDS]
    # Mon 2/3 11:00 → Thu 12/3 11:00 is 8 working days, budget 7.5: overdue by 4 hours.
    assert records.elapsed == timedelta(hours=64)
    assert records.allowed == timedelta(hours=60)
    assert records.result is ResultClass.OVERDUE
    assert units[BOARD].elapsed == timedelta(hours=3)
    # Board: in at Thu 12/3 11:00 with one day (due Fri 13/3 11:00), out Thursday 15:00.
    assert units[BOARD].result is ResultClass.EARLY
    assert units[DESK].result is not ResultClass.OVERDUE
    steps = [c.name for c in case.step_clocks()]
    assert steps == [
        "step:receive#1", "step:review#1", "step:approve#1", "step:sign#1", "step:issue#1",
        "step:return#1",
    ]  # fmt: skip


def test_result_classes_early_on_time_overdue() -> None:
    def finish(when: datetime) -> ResultClass:
        case = received(at(3, 2, 9))
        case.refuse(reason="Không đủ điều kiện", at=when, actor="Lan", unit=DESK)
        return case.legal_clock().result

    assert finish(at(3, 13, 16)) is ResultClass.EARLY  # a day before Mon 16/3
    assert finish(at(3, 16, 8, 30)) is ResultClass.ON_TIME  # due day, before 09:00
    assert finish(at(3, 16, 9)) is ResultClass.ON_TIME  # at the due instant exactly
    assert finish(at(3, 16, 9, 1)) is ResultClass.OVERDUE


def test_in_progress_classes_at_any_instant() -> None:
    case = received(at(3, 2, 9))
    assert case.legal_clock(at(3, 16, 9)).result is ResultClass.IN_PROGRESS
    late = case.legal_clock(at(3, 16, 10))
    assert late.result is ResultClass.IN_PROGRESS_OVERDUE
    assert late.remaining == -timedelta(hours=1)
    half = case.legal_clock(at(3, 9, 9))  # 5 of 10 working days used
    assert half.share_used == Fraction(1, 2)


# ----------------------------------------------------------------------------- supplements


def test_supplement_restarts_the_legal_clock_and_is_subtracted_by_the_indicator() -> None:
    case = received(at(3, 2, 9))
    case.handover("review", at=at(3, 2, 10), actor="Lan", unit=DESK)
    # Wed 4/3 10:00 is 17 working hours after receipt: inside the 3-working-day window.
    case.request_supplement(at=at(3, 4, 10), actor="Minh", unit=RECORDS, evidence=FORM)
    assert case.status.phase is Phase.AWAITING_SUPPLEMENT
    case.receive_supplement(at=at(3, 10, 14), actor="Lan", unit=DESK)
    # Legal: the full 10 days again from Tue 10/3 14:00 → Tue 24/3 14:00.
    assert case.legal_clock().due == at(3, 24, 14)
    # Indicator: 17 h used before; 63 h left from Tue 10/3 14:00 → Fri 20/3 12:00.
    assert case.indicator_clock().due == at(3, 20, 12)


def test_a_second_supplement_request_is_refused_and_audited() -> None:
    case = received(at(3, 2, 9))
    case.handover("review", at=at(3, 2, 10), actor="Lan", unit=DESK)
    case.request_supplement(at=at(3, 3, 10), actor="Minh", unit=RECORDS, evidence=FORM)
    case.receive_supplement(at=at(3, 4, 9), actor="Lan", unit=DESK)
    before = case.events
    with pytest.raises(RuleViolationError) as error:
        case.request_supplement(at=at(3, 4, 10), actor="Minh", unit=RECORDS, evidence=FORM)
    assert error.value.rule == "supplement.max_times"
    assert "Điều 19" in error.value.violations[0].citation
    assert case.events == before  # refused: nothing recorded

    # The same history imported from another system: accepted, recorded as a violation.
    second = Event(
        seq=len(before), kind=EventKind.SUPPLEMENT_REQUESTED, at=at(3, 4, 10), actor="Minh",
        unit=RECORDS, evidence=FORM,
    )  # fmt: skip
    audited = Case.from_events(judicial_record(), (*before, second), replay_mode=Mode.AUDIT)
    assert [v.rule for _, v in audited.violations] == ["supplement.max_times"]
    assert audited.indicator_clock().result is ResultClass.IN_PROGRESS_OVERDUE
    assert audited.indicator_clock().forced_overdue
    # The unlawful second request moved no clock: the legal clock runs from the complete
    # dossier of Wed 4/3 09:00, due ten working days later, Wed 18/3 09:00.
    assert audited.legal_clock().status is ClockStatus.RUNNING
    assert audited.legal_clock().due == at(3, 18, 9)
    with pytest.raises(RuleViolationError):
        Case.from_events(judicial_record(), (*before, second), replay_mode=Mode.STRICT)
    # Commands on a rebuilt case are strict unless asked otherwise, whatever its history.
    with pytest.raises(CommandRefusedError) as refused:
        audited.request_supplement(at=at(3, 4, 11), actor="Minh", unit=RECORDS, evidence=FORM)
    assert "supplement.max_times" in [v.rule for v in refused.value.violations]


def test_the_explanation_marks_only_the_unlawful_clock_move_as_not_counted() -> None:
    case = received(at(3, 2, 9))
    case.handover("review", at=at(3, 2, 10), actor="Lan", unit=DESK)
    case.request_supplement(at=at(3, 3, 10), actor="Minh", unit=RECORDS, evidence=FORM)
    case.receive_supplement(at=at(3, 4, 9), actor="Lan", unit=DESK)
    second = Event(
        seq=len(case.events), kind=EventKind.SUPPLEMENT_REQUESTED, at=at(3, 4, 10),
        actor="Minh", unit=RECORDS, evidence=FORM,
    )  # fmt: skip
    # A handover by the wrong unit, imported: a violation, but the step was left all the same.
    wrong = Event(
        seq=len(case.events) + 1, kind=EventKind.HANDED_OVER, at=at(3, 4, 11), actor="X",
        unit="Phòng khác", target="approve",
    )  # fmt: skip
    audited = Case.from_events(
        judicial_record(), (*case.events, second, wrong), replay_mode=Mode.AUDIT
    )
    assert {event.seq for event, _ in audited.violations} == {second.seq, wrong.seq}
    lines = audited.legal_clock(at(3, 5, 9)).explain(audited.calendar).splitlines()
    not_counted = [line for line in lines if "moves no clock" in line]
    assert len(not_counted) == 1 and "04/03/2026 10:00" in not_counted[0]
    review = audited.step_clocks(at(3, 5, 9))[1]
    assert review.step == "review" and review.finished_at == at(3, 4, 11)
    assert "moves no clock" not in review.explain(audited.calendar)


def test_a_late_supplement_request_is_refused() -> None:
    case = received(at(3, 2, 9))
    case.handover("review", at=at(3, 2, 10), actor="Lan", unit=DESK)
    # Fri 6/3 10:00: 33 working hours after receipt, more than 3 working days.
    with pytest.raises(RuleViolationError) as error:
        case.request_supplement(at=at(3, 6, 10), actor="Minh", unit=RECORDS, evidence=FORM)
    assert error.value.rule == "supplement.window"


def test_a_supplement_request_needs_its_form() -> None:
    case = received(at(3, 2, 9))
    with pytest.raises(RuleViolationError) as error:
        case.request_supplement(at=at(3, 2, 10), actor="Lan", unit=DESK, evidence=())
    assert error.value.rule == "supplement.evidence"


# ----------------------------------------------------------------------------- pauses


def test_a_pause_for_consultation_is_refused_and_does_not_stop_the_clock_in_audit() -> None:
    case = received(at(3, 2, 9))
    case.handover("review", at=at(3, 2, 10), actor="Lan", unit=DESK)
    with pytest.raises(RuleViolationError) as error:
        case.pause("consultation", at=at(3, 3, 9), actor="Minh", unit=RECORDS)
    assert error.value.rule == "pause.not_allowed"

    pause = Event(seq=2, kind=EventKind.PAUSED, at=at(3, 3, 9), actor="Minh", unit=RECORDS,
                  reason="consultation")  # fmt: skip
    resume = Event(seq=3, kind=EventKind.RESUMED, at=at(3, 9, 9), actor="Minh", unit=RECORDS)
    audited = Case.from_events(judicial_record(), (*case.events, pause, resume))
    assert [v.rule for _, v in audited.violations] == ["pause.not_allowed"]
    # The improper pause stopped nothing: due is still Mon 16/3 09:00.
    assert audited.legal_clock().due == at(3, 16, 9)


def test_financial_obligation_time_is_excluded_in_a_land_procedure() -> None:
    case = Case.open(
        land_change(total=3),
        case_id="DD-1", received_at=at(4, 25, 16, year=2025), actor="An", unit=LAND_DESK,
    )  # fmt: skip
    case.handover("office", at=at(4, 25, 16, 30, year=2025), actor="An", unit=LAND_DESK)
    case.handover("tax", at=at(4, 25, 16, 45, year=2025), actor="Bình", unit=LAND_OFFICE)
    # Paused for the applicant to pay: Sat 26/4 (make-up day) and Mon 28/4, two working days.
    case.pause("financial_obligation", at=at(4, 26, 8, year=2025), actor="Thuế", unit=TAX,
               evidence=("Thông báo nộp thuế số 7",))  # fmt: skip
    case.resume(at=at(4, 29, 8, year=2025), actor="Thuế", unit=TAX)
    clock = case.legal_clock()
    # 1 h on Fri 25/4, then 23 h from Tue 29/4 08:00: Tue 29/4 (8 h), 30/4–4/5 closed,
    # Mon 5/5 (8 h), Tue 6/5 08:00–12:00, 13:00–16:00.
    assert clock.due == at(5, 6, 16, year=2025)
    text = clock.explain(case.calendar)
    assert "financial obligation" in text and "26/04/2025" in text and "06/05/2025" in text


def test_financial_obligation_is_refused_where_the_procedure_does_not_declare_it() -> None:
    case = received(at(3, 2, 9))
    with pytest.raises(RuleViolationError) as error:
        case.pause("financial_obligation", at=at(3, 2, 10), actor="Lan", unit=DESK,
                   evidence=("x",))  # fmt: skip
    assert error.value.rule == "pause.not_declared"


def test_unknown_pause_reason_and_resume_without_pause() -> None:
    case = received(at(3, 2, 9))
    with pytest.raises(RuleViolationError) as error:
        case.pause("lunch", at=at(3, 2, 10), actor="Lan", unit=DESK)
    assert error.value.rule == "pause.unknown_reason"
    with pytest.raises(TransitionNotAllowedError):
        case.resume(at=at(3, 2, 10), actor="Lan", unit=DESK)


def test_remote_commune_gets_ten_more_working_days() -> None:
    def due(**attributes: object) -> datetime:
        case = Case.open(land_change(), case_id="DD-2", received_at=at(3, 2, 9), actor="An",
                         unit=LAND_DESK, attributes=attributes)  # fmt: skip
        clock = case.legal_clock()
        assert clock.due is not None
        return clock.due

    assert due() == at(3, 16, 9)  # 10 working days
    assert due(remote_commune=True) == at(3, 30, 9)  # 20 working days
    case = Case.open(land_change(), case_id="DD-3", received_at=at(3, 2, 9), actor="An",
                     unit=LAND_DESK, attributes={"remote_commune": True})  # fmt: skip
    case.handover("office", at=at(3, 2, 10), actor="An", unit=LAND_DESK)
    office = case.step_clocks()[-1]
    assert office.allowed == timedelta(hours=8 * 18)  # 8 + 10 working days


# ----------------------------------------------------------------------------- apologies


def test_reschedule_rules() -> None:
    case = received(at(3, 2, 9))
    case.handover("review", at=at(3, 2, 10), actor="Lan", unit=DESK)
    # Due Mon 16/3 09:00: an apology on the due day itself is too late.
    with pytest.raises(RuleViolationError) as error:
        case.reschedule(new_due=at(3, 20, 9), reason="Chờ tra cứu", at=at(3, 16, 8),
                        actor="Minh", unit=RECORDS)  # fmt: skip
    assert error.value.rule == "reschedule.too_late"
    # Only the unit holding the case apologises.
    with pytest.raises(ActorNotAllowedError):
        case.reschedule(new_due=at(3, 20, 9), reason="x", at=at(3, 13, 10), actor="Lan",
                        unit=DESK)  # fmt: skip
    case.reschedule(new_due=at(3, 20, 9), reason="Chờ kết quả tra cứu (xin lỗi)",
                    at=at(3, 13, 10), actor="Minh", unit=RECORDS)  # fmt: skip
    assert case.legal_clock().due == at(3, 20, 9)
    with pytest.raises(RuleViolationError) as error:
        case.reschedule(new_due=at(3, 24, 9), reason="again", at=at(3, 17, 10), actor="Minh",
                        unit=RECORDS)  # fmt: skip
    assert error.value.rule == "reschedule.max_times"


# ----------------------------------------------------------------------------- machine, actors


def test_transitions_and_actors_are_checked_and_refusals_change_nothing() -> None:
    case = received(at(3, 2, 9))
    before = case.events
    with pytest.raises(TransitionNotAllowedError):
        case.handover("sign", at=at(3, 2, 10), actor="Lan", unit=DESK)
    with pytest.raises(ActorNotAllowedError):
        case.handover("review", at=at(3, 2, 10), actor="Minh", unit=RECORDS)
    with pytest.raises(TransitionNotAllowedError):
        case.return_result(at=at(3, 2, 10), actor="Lan", unit=DESK)
    with pytest.raises(TransitionNotAllowedError) as error:
        case.handover("review", at=at(3, 1, 10), actor="Lan", unit=DESK)  # before receipt
    assert error.value.rule == "machine.time_order"
    assert case.events == before
    assert isinstance(error.value, CommandRefusedError)

    case.handover("review", at=at(3, 2, 10), actor="Lan", unit=DESK)
    case.send_back("receive", at=at(3, 3, 10), actor="Minh", unit=RECORDS, reason="Thiếu tờ khai")
    assert case.status.step == "receive"
    case.withdraw(at=at(3, 3, 11), actor="Lan", unit=DESK)
    with pytest.raises(TransitionNotAllowedError) as error:
        case.handover("review", at=at(3, 3, 12), actor="Lan", unit=DESK)
    assert error.value.rule == "machine.finished"
    assert case.status.phase is Phase.WITHDRAWN


def test_role_of_the_step_is_checked_when_given() -> None:
    case = received(at(3, 2, 9))
    case.handover("review", at=at(3, 2, 10), actor="Lan", unit=DESK)
    with pytest.raises(ActorNotAllowedError) as error:
        case.handover("approve", at=at(3, 3, 10), actor="Minh", unit=RECORDS,
                      role="lãnh đạo phòng")  # fmt: skip
    assert error.value.rule == "actor.role"


# ----------------------------------------------------------------------------- rule packs by date


def test_a_case_is_judged_by_the_pack_in_force_on_receipt() -> None:
    old = received(at(6, 30, 16, year=2025))
    new = received(at(7, 1, 8, year=2025))
    assert old.pack is not None and old.pack.name == "DECREE_61_2018"
    assert new.pack is not None and new.pack.name == "DECREE_118_2025"
    # Events after 1 July 2025 on the old case are still judged by Decree 61.
    old.handover("review", at=at(7, 2, 9, year=2025), actor="Lan", unit=DESK)
    with pytest.raises(RuleViolationError) as error:
        old.request_supplement(at=at(7, 7, 9, year=2025), actor="Minh", unit=RECORDS,
                               evidence=FORM)  # fmt: skip
    assert error.value.violations[0].citation.startswith("Nghị định 61/2018/NĐ-CP")
    assert Case.from_events(judicial_record(), old.events).pack == old.pack


# ----------------------------------------------------------------------------- replay, JSON


def test_replay_and_json_round_trip_reproduce_state_and_clocks() -> None:
    case = received(at(3, 2, 9), channel="online")
    case.handover("review", at=at(3, 2, 10), actor="Lan", unit=DESK)
    case.request_supplement(at=at(3, 3, 10), actor="Minh", unit=RECORDS, evidence=FORM)
    case.receive_supplement(at=at(3, 5, 9), actor="Lan", unit=DESK)
    case.handover("approve", at=at(3, 9, 9), actor="Minh", unit=RECORDS)
    text = events_to_json(case.events)
    loaded = events_from_json(text)
    assert tuple(loaded) == case.events
    replay = Case.from_events(judicial_record(), loaded, replay_mode=Mode.STRICT)
    assert replay.status == case.status
    assert replay.attributes == {"channel": "online"}
    when = at(3, 11, 15)
    assert replay.legal_clock(when) == case.legal_clock(when)
    assert replay.indicator_clock(when) == case.indicator_clock(when)
    assert replay.unit_clocks(when) == case.unit_clocks(when)


def test_refusing_needs_a_reason_and_stop_is_terminal() -> None:
    case = received(at(3, 2, 9))
    with pytest.raises(RuleViolationError) as error:
        case.refuse(reason="", at=at(3, 2, 10), actor="Lan", unit=DESK)
    assert error.value.rule == "refused.reason"
    case.stop(reason="Công dân đề nghị dừng", at=at(3, 2, 11), actor="Lan", unit=DESK)
    assert case.status.phase is Phase.STOPPED
    assert case.legal_clock().status is ClockStatus.STOPPED


def test_a_clock_awaiting_a_restart_has_no_due_and_the_indicator_projects_the_rest() -> None:
    case = received(at(3, 2, 9))
    case.request_supplement(at=at(3, 2, 10), actor="Lan", unit=DESK, evidence=FORM)
    legal = case.legal_clock(at(3, 5, 9))
    # Decree 118 Art. 19(5): the time restarts from zero once the complete dossier arrives,
    # so while the applicant is awaited there is no due date; were the dossier completed at
    # Thu 5/3 09:00, ten working days would end Thu 19/3 09:00.
    assert legal.status is ClockStatus.WAITING
    assert legal.due is None
    assert legal.projected_due == at(3, 19, 9)
    assert legal.elapsed == timedelta(hours=1)
    assert legal.result is ResultClass.IN_PROGRESS
    # Decision 766 subtracts the wait instead: 79 h left from Thu 5/3 09:00, 7 h on Thursday,
    # then nine full days to Wed 18/3 17:00.
    indicator = case.indicator_clock(at(3, 5, 9))
    assert indicator.status is ClockStatus.PAUSED
    assert indicator.due == at(3, 18, 17)


def test_budget_label_on_receipts() -> None:
    assert WorkingDays("0.5").label == "0.5 ngày làm việc"


def test_a_superseded_version_cannot_receive_cases() -> None:
    from datetime import date

    old = judicial_record(version="2024.1", effective_until=date(2025, 6, 30))
    with pytest.raises(RuleViolationError) as error:
        Case.open(old, case_id="X", received_at=at(7, 1, 9, year=2025), actor="Lan", unit=DESK)
    assert error.value.rule == "procedure.not_in_force"
    ok = Case.open(old, case_id="Y", received_at=at(6, 30, 9, year=2025), actor="Lan", unit=DESK)
    assert ok.status.phase is Phase.PROCESSING


def test_a_zero_budget_unit_that_uses_no_time_is_not_overdue() -> None:
    """A procedure that says 0 means no time at all (ZeroBudget.NO_TIME): a desk with 0-day
    steps at both ends, acting at the very instants it receives the case, used exactly its
    budget: on time, even though days passed between its visits."""
    desk, office = "Một cửa", "Phòng A"
    procedure = Procedure(
        code="Z.0", name="Zero", version="1", kind=ProcedureKind.ONE_STOP,
        total=WorkingDays(1), zero_budget=ZeroBudget.NO_TIME,
        steps=[
            Step("in", "Tiếp nhận", desk, WorkingDays(0), next="work", reception=True),
            Step("work", "Xử lý", office, WorkingDays(1), next="out"),
            Step("out", "Trả", desk, WorkingDays(0), returns=True),
        ],
    )  # fmt: skip
    start = datetime(2026, 3, 2, 9, tzinfo=VN)
    case = Case.open(procedure, case_id="Z", received_at=start, actor="a", unit=desk)
    case.handover("work", at=start, actor="a", unit=desk)
    case.resolve(at=datetime(2026, 3, 3, 15, tzinfo=VN), actor="b", unit=office)
    case.handover("out", at=datetime(2026, 3, 3, 15, tzinfo=VN), actor="b", unit=office)
    case.return_result(at=datetime(2026, 3, 3, 15, tzinfo=VN), actor="a", unit=desk)
    reading = case.unit_clocks()[desk]
    assert reading.elapsed == timedelta(0) and reading.allowed == timedelta(0)
    assert reading.result is ResultClass.ON_TIME
    assert case.unit_clocks()[office].result is ResultClass.OVERDUE  # 9 working hours of 8

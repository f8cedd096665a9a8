"""Consultations (lấy ý kiến, Decree 118/2025 Art. 19(4)): a step asks other units for an
opinion, each with its own answer deadline. The legal clock never stops for it; the consulted
unit has its own clock; a late answer is its delay, not the lead unit's.

Every expected instant is worked out by hand on the 2026 calendar: March 2026 has no holiday
(Mon 2, Tue 3 … Fri 6, Mon 9 … Fri 13, Mon 16 …); hours 08:00–12:00 and 13:00–17:00, eight
working hours a day.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.procedures import DESK
from tthc_flow.engine import (
    Case,
    EventKind,
    Mode,
    Procedure,
    ProcedureKind,
    ResultClass,
    Step,
    WorkingDays,
)
from tthc_flow.errors import CommandRefusedError, DefinitionError, RuleViolationError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
LEAD = "Phòng Quản lý đô thị"
FINANCE = "Phòng Tài chính - Kế hoạch"
ENVIRONMENT = "Phòng Tài nguyên và Môi trường"
REQUEST = ["Công văn xin ý kiến số 12"]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=VN)


def procedure(**review: object) -> Procedure:
    fields: dict[str, object] = {
        "consults": {FINANCE: WorkingDays(3), ENVIRONMENT: WorkingDays(2)}, **review,
    }  # fmt: skip
    return Procedure(
        code="TEST.YK", name="Cấp phép có lấy ý kiến (minh họa)", version="2026.1",
        kind=ProcedureKind.ONE_STOP, total=WorkingDays(10),
        effective_from=datetime(2026, 1, 1).date(),
        steps=[
            Step("receive", "Tiếp nhận", DESK, WorkingDays("0.5"), next="review",
                 reception=True),
            Step("review", "Thẩm định, lấy ý kiến", LEAD, WorkingDays(8), next="return",
                 **fields),  # type: ignore[arg-type]
            Step("return", "Trả kết quả", DESK, WorkingDays("1.5"), returns=True),
        ],
    )  # fmt: skip


def consulted_case(mode: Mode = Mode.STRICT) -> Case:
    case = Case.open(procedure(), case_id="YK-1", received_at=at(2, 9), actor="Lan", unit=DESK,
                     mode=mode)  # fmt: skip
    case.handover("review", at=at(2, 10), actor="Lan", unit=DESK)
    # Asked on Mon 2/3 14:00 with three working days: due Thu 5/3 14:00.
    case.consult(FINANCE, at=at(2, 14), actor="Hùng", unit=LEAD, evidence=REQUEST)
    return case


def test_a_late_answer_is_the_consulted_units_delay_and_never_moves_the_legal_due() -> None:
    case = consulted_case()
    legal_before = case.legal_clock(at(2, 15)).due
    assert legal_before == at(16, 9)  # ten working days from Mon 2/3 09:00
    assert case.status.consulting == (FINANCE,)
    finance = case.unit_clocks(at(3, 9))[FINANCE]
    assert finance.due == at(5, 14) and finance.budget.label == "3 ngày làm việc"
    # The answer comes Tue 10/3 10:00: late by Thu 14-17, Fri, Mon, Tue 08-10 = 21 hours.
    case.answer_consultation(FINANCE, at=at(10, 10), actor="Mai")
    assert case.status.consulting == ()
    assert case.unit_clocks(at(10, 11))[FINANCE].result is ResultClass.OVERDUE
    # The lead's eight days from Mon 2/3 10:00 ran to Thu 12/3 10:00; the 21 hours it waited
    # for the late answer move it to Mon 16/3 16:00 (Thu 10-17: 6 h, Fri: 8 h, Mon 08-16).
    lead = case.unit_clocks(at(10, 11))[LEAD]
    assert lead.due == at(16, 16)
    review = case.step_clocks(at(10, 11))[1]
    assert review.step == "review" and review.due == at(16, 16)
    case.handover("return", at=at(13, 15), actor="Hùng", unit=LEAD)
    case.resolve(at=at(16, 8), actor="Lan", unit=DESK)
    case.return_result(at=at(16, 8, 30), actor="Lan", unit=DESK)
    units = case.unit_clocks()
    assert units[LEAD].result is ResultClass.EARLY  # Fri 13/3, a day before Mon 16/3
    assert units[FINANCE].result is ResultClass.OVERDUE
    assert case.legal_clock().due == legal_before
    assert case.legal_clock().result is ResultClass.ON_TIME


def test_the_lead_cannot_hand_on_while_an_answer_is_awaited_unless_it_is_late() -> None:
    case = consulted_case()
    with pytest.raises(RuleViolationError) as error:
        case.handover("return", at=at(4, 10), actor="Hùng", unit=LEAD)
    assert error.value.violations[0].rule == "consult.open"
    assert "Điều 19 khoản 4" in error.value.violations[0].citation
    with pytest.raises(RuleViolationError) as early:
        case.proceed_without_answer(FINANCE, at=at(5, 14), actor="Hùng", unit=LEAD,
                                    reason="Báo Bộ phận Một cửa")  # fmt: skip
    assert early.value.violations[0].rule == "consult.not_late"
    # Fri 6/3 10:00: late since Thu 14:00 (Thu 14-17, Fri 08-10: 5 hours); the lead reports
    # the delay and goes on; the finance office still owes its answer.
    case.proceed_without_answer(FINANCE, at=at(6, 10), actor="Hùng", unit=LEAD,
                                reason="Báo Bộ phận Một cửa về việc chậm trả lời")  # fmt: skip
    assert case.status.consulting == (FINANCE,)
    # Thu 12/3 10:00 plus the 5 hours waited: Thu 12/3 16:00.
    assert case.unit_clocks(at(6, 11))[LEAD].due == at(12, 16)
    case.handover("return", at=at(9, 9), actor="Hùng", unit=LEAD)
    # The answer after the lead went on adds nothing to the lead's time.
    case.answer_consultation(FINANCE, at=at(11, 9), actor="Mai")
    assert case.unit_clocks()[LEAD].due == at(12, 16)
    assert case.unit_clocks()[FINANCE].result is ResultClass.OVERDUE


def test_an_answer_in_time_changes_no_other_clock() -> None:
    case = consulted_case()
    case.consult(ENVIRONMENT, at=at(3, 9), actor="Hùng", unit=LEAD, evidence=REQUEST)
    case.answer_consultation(ENVIRONMENT, at=at(4, 9), actor="Nga")  # due Thu 5/3 09:00
    case.answer_consultation(FINANCE, at=at(5, 14), actor="Mai")  # due exactly then
    clocks = case.unit_clocks(at(5, 15))
    assert clocks[ENVIRONMENT].result is ResultClass.EARLY
    assert clocks[FINANCE].result is ResultClass.ON_TIME
    assert clocks[LEAD].due == at(12, 10)


def test_overlapping_late_answers_credit_the_lead_once_for_the_time_it_waited() -> None:
    case = consulted_case()
    # Environment asked Tue 3/3 09:00 with two days: due Thu 5/3 09:00.
    case.consult(ENVIRONMENT, at=at(3, 9), actor="Hùng", unit=LEAD, evidence=REQUEST)
    # Environment answers Mon 9/3 09:00, finance Tue 10/3 10:00: the lead waited from
    # Thu 5/3 09:00 to Tue 10/3 10:00: Thu 09-12 and 13-17 (7 h), Fri 8 h, Mon 8 h, Tue
    # 08-10 (2 h) = 25 hours, counted once though both answers were late on Thu-Mon.
    case.answer_consultation(ENVIRONMENT, at=at(9, 9), actor="Nga")
    case.answer_consultation(FINANCE, at=at(10, 10), actor="Mai")
    # Thu 12/3 10:00 plus 25 h: Thu 6 h, Fri 8 h, Mon 8 h, Tue 08-11: Tue 17/3 11:00.
    assert case.unit_clocks(at(10, 11))[LEAD].due == at(17, 11)


def test_a_pause_while_the_answer_is_late_is_not_credited_twice() -> None:
    case = consulted_case()
    # Awaiting the applicant (a supplement restarts the legal clock; the step clocks stop)
    # from Mon 2/3 15:00 … the request must come within three working days after receipt.
    case.request_supplement(at=at(5, 15), actor="Hùng", unit=LEAD, evidence=["Phiếu 1"])
    case.receive_supplement(at=at(6, 15), actor="Lan", unit=DESK)
    case.answer_consultation(FINANCE, at=at(9, 9), actor="Mai")
    # Late from Thu 5/3 14:00 to Mon 9/3 09:00, less the pause Thu 15:00 – Fri 15:00:
    # Thu 14-15 (1 h), Fri 15-17 (2 h), Mon 08-09 (1 h) = 4 hours credited.
    # The lead's 8 days from Mon 2/3 10:00, stopped Thu 15:00 – Fri 15:00 (8 h): Fri 13/3
    # 10:00, plus 4 h: Fri 13/3 15:00.
    assert case.unit_clocks(at(9, 10))[LEAD].due == at(13, 15)


def test_consultations_are_checked_by_who_and_whom() -> None:
    case = consulted_case()
    with pytest.raises(RuleViolationError) as undeclared:
        case.consult("Công an huyện", at=at(3, 9), actor="Hùng", unit=LEAD, evidence=REQUEST)
    assert undeclared.value.violations[0].rule == "consult.not_declared"
    with pytest.raises(CommandRefusedError) as twice:
        case.consult(FINANCE, at=at(3, 9), actor="Hùng", unit=LEAD, evidence=REQUEST)
    assert twice.value.violations[0].rule == "consult.already_open"
    with pytest.raises(CommandRefusedError) as wrong:
        case.answer_consultation(ENVIRONMENT, at=at(3, 9), actor="Nga")
    assert wrong.value.violations[0].rule == "consult.not_open"
    with pytest.raises(CommandRefusedError) as who:
        case.consult(ENVIRONMENT, at=at(3, 9), actor="Lan", unit=DESK, evidence=REQUEST)
    assert who.value.violations[0].rule == "actor.unit"
    audited = consulted_case(Mode.AUDIT)
    audited.consult("Công an huyện", at=at(3, 9), actor="Hùng", unit=LEAD, evidence=REQUEST)
    assert [v.rule for _, v in audited.violations] == ["consult.not_declared"]
    assert "Công an huyện" not in audited.unit_clocks(at(3, 10))  # recorded, moves nothing


def test_a_history_with_consultations_replays_to_the_same_case() -> None:
    case = consulted_case()
    case.answer_consultation(FINANCE, at=at(10, 10), actor="Mai")
    again = Case.from_events(case.procedure, case.events)
    assert again.status == case.status
    assert again.unit_clocks() == case.unit_clocks()
    assert [e.kind for e in again.events][-2:] == [EventKind.CONSULTED, EventKind.ANSWERED]


@pytest.mark.parametrize(
    ("consults", "words"),
    [
        ({LEAD: WorkingDays(2)}, "consults its own unit"),
        ({FINANCE: WorkingDays(9)}, "more than the step's own"),
        ({FINANCE: "3 ngày"}, "give a budget"),
    ],
)
def test_a_consultation_that_cannot_work_fails_when_defined(
    consults: dict[str, object], words: str
) -> None:
    with pytest.raises(DefinitionError, match=words) as error:
        procedure(consults=consults)
    assert error.value.check == "check_consultations"


def test_reports_and_the_slip_show_the_consulted_unit() -> None:
    from tthc_flow.forms import control_slip, render_text
    from tthc_flow.reports import Period, build_report, build_report_from_events

    case = consulted_case()
    case.answer_consultation(FINANCE, at=at(10, 10), actor="Mai")
    case.handover("return", at=at(13, 15), actor="Hùng", unit=LEAD)
    case.resolve(at=at(16, 8), actor="Lan", unit=DESK)
    case.return_result(at=at(16, 8, 30), actor="Lan", unit=DESK)
    period = Period.year(2026)
    report = build_report([case], period)
    assert report == build_report_from_events([(case.procedure, case.events)], period)
    units = dict(report.rows("unit"))
    assert (units[FINANCE].overdue, units[LEAD].overdue, units[LEAD].early) == (1, 0, 1)
    text = render_text(control_slip(case))
    assert "Lấy ý kiến" in text and "(consultation requested)" not in text
    assert "Trả lời ý kiến" in text


def test_a_catalog_carries_a_steps_consultations() -> None:
    import json
    import unicodedata

    import jsonschema

    from tthc_flow.catalog import (
        Catalog,
        Publication,
        Unit,
        catalog_from_json,
        catalog_to_json,
        schema,
    )
    from tthc_flow.errors import CatalogFormatError

    units = [Unit(DESK, "tỉnh"), Unit(LEAD, "tỉnh"), Unit(FINANCE, "tỉnh"),
             Unit(ENVIRONMENT, "tỉnh")]  # fmt: skip
    catalog = Catalog("Danh mục thử", "UBND tỉnh", units, [Publication(procedure())])
    text = catalog_to_json(catalog)
    document = json.loads(text)
    jsonschema.Draft202012Validator(schema()).validate(document)
    review = document["procedures"][0]["steps"][1]
    assert review["consults"] == {FINANCE: "3 ngày làm việc", ENVIRONMENT: "2 ngày làm việc"}
    again = catalog_from_json(text)
    assert again.version("TEST.YK", "2026.1").step("review").consults == procedure().step(
        "review"
    ).consults
    review["consults"] = {FINANCE: 3}
    with pytest.raises(CatalogFormatError, match="consults"):
        catalog_from_json(json.dumps(document))
    decomposed = unicodedata.normalize("NFD", FINANCE)
    review["consults"] = {FINANCE: "1 ngày làm việc", decomposed: "1 ngày làm việc"}
    with pytest.raises(CatalogFormatError, match="is consulted twice"):
        catalog_from_json(json.dumps(document, ensure_ascii=False))


def short_procedure() -> Procedure:
    """Review of one working day that may consult finance with two working hours."""
    from tthc_flow.engine import WorkingHours

    return Procedure(
        code="TEST.YK2", name="Thẩm định ngắn (minh họa)", version="2026.1",
        kind=ProcedureKind.ONE_STOP, total=WorkingDays(3),
        effective_from=datetime(2026, 1, 1).date(),
        steps=[
            Step("receive", "Tiếp nhận", DESK, WorkingDays("0.5"), next="review",
                 reception=True),
            Step("review", "Thẩm định", LEAD, WorkingDays(1), next="return",
                 consults={FINANCE: WorkingHours(2)}),
            Step("return", "Trả kết quả", DESK, WorkingDays("1.5"), returns=True),
        ],
    )  # fmt: skip


def test_a_credit_after_an_overrun_and_a_pause_counts_from_where_the_clock_stands() -> None:
    case = Case.open(short_procedure(), case_id="YK-2", received_at=at(2, 9), actor="Lan",
                     unit=DESK)  # fmt: skip
    case.handover("review", at=at(2, 10), actor="Lan", unit=DESK)
    # The answer is due Mon 12:00.
    case.consult(FINANCE, at=at(2, 10), actor="Hùng", unit=LEAD, evidence=REQUEST)
    # The lead has used 10 h of its 8 by Tue 12:00, when the applicant is asked for more;
    # the step clocks stop until Wed 12:00.
    case.request_supplement(at=at(3, 12), actor="Hùng", unit=LEAD, evidence=["Phiếu 1"])
    case.receive_supplement(at=at(4, 12), actor="Lan", unit=DESK)
    case.answer_consultation(FINANCE, at=at(4, 14), actor="Mai")
    # Waited with its clock running: Mon 13-17, Tue 08-12, Wed 13-14 = 9 h. Allowed 17 h,
    # used 11 h at Wed 14:00: 6 h left, due Thu 5/3 11:00.
    lead = case.unit_clocks(at(4, 14))[LEAD]
    assert (lead.allowed.total_seconds() / 3600, lead.elapsed.total_seconds() / 3600) == (17, 11)
    assert lead.due == at(5, 11)
    assert case.step_clocks(at(4, 14))[1].due == at(5, 11)
    case.handover("return", at=at(4, 16), actor="Hùng", unit=LEAD)
    assert case.unit_clocks()[LEAD].result is ResultClass.EARLY
    assert case.clocks.overrun_units(at(4, 16)) == []  # finance was consulted, held no step


def test_a_pause_of_the_case_does_not_move_the_answer_deadline() -> None:
    case = consulted_case()  # finance asked Mon 2/3 14:00: due Thu 5/3 14:00
    case.request_supplement(at=at(3, 9), actor="Hùng", unit=LEAD, evidence=["Phiếu 1"])
    case.receive_supplement(at=at(4, 9), actor="Lan", unit=DESK)
    assert case.unit_clocks(at(5, 15))[FINANCE].due == at(5, 14)
    case.proceed_without_answer(FINANCE, at=at(5, 15), actor="Hùng", unit=LEAD,
                                reason="Báo chậm trả lời")  # fmt: skip
    case.answer_consultation(FINANCE, at=at(6, 12), actor="Mai")
    assert case.unit_clocks()[FINANCE].result is ResultClass.OVERDUE
    # The lead's 64 h from Mon 2/3 10:00: 7 h to Tue 09:00, stopped to Wed 09:00, then to
    # Fri 13/3 10:00; plus the hour it waited (Thu 14-15) before going on: Fri 13/3 11:00.
    assert case.unit_clocks(at(6, 13))[LEAD].due == at(13, 11)


def test_an_imported_handover_with_the_answer_awaited_credits_only_the_time_held() -> None:
    case = consulted_case(Mode.AUDIT)
    case.handover("return", at=at(5, 15), actor="Hùng", unit=LEAD)  # 1 h past Thu 14:00
    assert [v.rule for _, v in case.violations] == ["consult.open"]
    case.answer_consultation(FINANCE, at=at(10, 10), actor="Mai")
    # Thu 12/3 10:00 plus the one hour the lead held the case while the answer was late.
    assert case.unit_clocks()[LEAD].due == at(12, 11)
    assert case.step_clocks()[1].due == at(12, 11)


def test_the_consulted_unit_does_not_apologise_for_the_case() -> None:
    case = consulted_case()
    case.answer_consultation(FINANCE, at=at(10, 10), actor="Mai")
    with pytest.raises(CommandRefusedError) as error:
        case.reschedule(new_due=at(20, 17), reason="Xin lỗi", at=at(13, 9), actor="Mai",
                        unit=FINANCE)  # fmt: skip
    assert "reschedule.not_delaying" in [v.rule for v in error.value.violations]


def test_compliance_findings_name_a_late_answer_and_an_unreported_delay() -> None:
    from tthc_flow.reports import Period, compliance_findings

    reported = consulted_case()
    reported.proceed_without_answer(FINANCE, at=at(6, 10), actor="Hùng", unit=LEAD,
                                    reason="Báo Bộ phận Một cửa")  # fmt: skip
    reported.answer_consultation(FINANCE, at=at(10, 10), actor="Mai")
    silent = consulted_case()
    silent.answer_consultation(FINANCE, at=at(10, 10), actor="Mai")
    on_time = consulted_case()
    on_time.answer_consultation(FINANCE, at=at(5, 14), actor="Mai")
    period = Period.year(2026)
    rules = ("consult.late", "consult.unreported")
    found = [(f.rule, f.unit, f.at) for f in compliance_findings([reported], period, rules=rules)]
    assert found == [("consult.late", FINANCE, at(5, 14))]
    found = [(f.rule, f.unit, f.at) for f in compliance_findings([silent], period, rules=rules)]
    assert found == [("consult.late", FINANCE, at(5, 14)), ("consult.unreported", LEAD, at(5, 14))]
    assert compliance_findings([on_time], period, rules=rules) == []
    assert all("Điều 19 khoản 4" in f.citation
               for f in compliance_findings([silent], period, rules=rules))  # fmt: skip


def test_a_unit_consulted_again_owes_its_answer_by_the_new_request_deadline() -> None:
    case = consulted_case()  # finance asked Mon 2/3 14:00
    case.answer_consultation(FINANCE, at=at(2, 15), actor="Mai")  # early: 23 h to spare
    # Asked again Tue 3/3 09:00: due Fri 6/3 09:00.
    case.consult(FINANCE, at=at(3, 9), actor="Hùng", unit=LEAD, evidence=REQUEST)
    assert case.unit_clocks(at(3, 10))[FINANCE].due == at(6, 9)
    case.answer_consultation(FINANCE, at=at(9, 9), actor="Mai")  # a working day late
    assert case.unit_clocks()[FINANCE].result is ResultClass.OVERDUE
    # The lead waited Fri 6/3 09:00 – Mon 9/3 09:00: 8 h; Thu 12/3 10:00 becomes Fri 13/3 10:00.
    assert case.unit_clocks()[LEAD].due == at(13, 10)


def test_nothing_is_consulted_after_the_decision() -> None:
    case = consulted_case()
    case.answer_consultation(FINANCE, at=at(3, 9), actor="Mai")
    case.handover("return", at=at(4, 9), actor="Hùng", unit=LEAD)
    case.resolve(at=at(4, 10), actor="Lan", unit=DESK)
    with pytest.raises(CommandRefusedError) as error:
        case.consult(FINANCE, at=at(4, 11), actor="Hùng", unit=LEAD, evidence=REQUEST)
    assert "consult.not_running" in [v.rule for v in error.value.violations]


def test_a_consultation_is_asked_in_writing() -> None:
    case = Case.open(procedure(), case_id="YK-3", received_at=at(2, 9), actor="Lan", unit=DESK)
    case.handover("review", at=at(2, 10), actor="Lan", unit=DESK)
    with pytest.raises(RuleViolationError) as error:
        case.consult(FINANCE, at=at(2, 14), actor="Hùng", unit=LEAD)
    assert error.value.violations[0].rule == "consult.evidence"
    assert "Điều 19 khoản 4 điểm b" in error.value.violations[0].citation

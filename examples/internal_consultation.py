"""An internal procedure (TTHC nội bộ) whose lead division consults two other departments
(phối hợp, seed 002; lấy ý kiến, Decree 118/2025 Art. 19(4)): each answer has its own
deadline, a late answer is the consulted department's delay, and the legal time never stops.

Run it: ``python examples/internal_consultation.py``. The procedure is illustrative (the
sample catalog's job-position appraisal, with two consultations added); the dates are the
official working days of March 2026, which has no holiday: Mon 2 … Fri 6, Mon 9 … Fri 13,
Mon 16 …; hours 08:00–12:00 and 13:00–17:00.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from tthc_flow.calendar import format_duration
from tthc_flow.engine import Case, Procedure, ProcedureKind, Step, WorkingDays
from tthc_flow.samples import DOHA_BOARD, DOHA_OFFICE, DOHA_ORGANISATION

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FINANCE = "Sở Tài chính (minh họa)"
HEALTH = "Sở Y tế (minh họa)"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=VN)


def procedure() -> Procedure:
    return Procedure(
        code="VD.NB-YK", version="2026.1", kind=ProcedureKind.INTERNAL,
        name="Thẩm định đề án vị trí việc làm, có lấy ý kiến Sở Tài chính và Sở Y tế (minh họa)",
        total=WorkingDays(10), effective_from=date(2026, 1, 1), agency=DOHA_ORGANISATION,
        legal_basis=("Nghị định 118/2025/NĐ-CP, Điều 19 khoản 4 (lấy ý kiến)",),
        steps=[
            Step("register", "Văn thư tiếp nhận, vào sổ", DOHA_OFFICE, WorkingDays("0.5"),
                 next="assign", reception=True),
            Step("assign", "Lãnh đạo Sở giao xử lý", DOHA_BOARD, WorkingDays("0.5"),
                 next="appraise"),
            Step("appraise", "Thẩm định, lấy ý kiến (chủ trì)", DOHA_ORGANISATION,
                 WorkingDays("6.5"), next="check",
                 consults={FINANCE: WorkingDays(3), HEALTH: WorkingDays(3)}),
            Step("check", "Lãnh đạo phòng kiểm tra", DOHA_ORGANISATION, WorkingDays(1),
                 next="sign"),
            Step("sign", "Lãnh đạo Sở ký", DOHA_BOARD, WorkingDays(1), next="issue"),
            Step("issue", "Phát hành văn bản", DOHA_OFFICE, WorkingDays("0.5"), returns=True),
        ],
    )  # fmt: skip


def run() -> Case:
    case = Case.open(procedure(), case_id="NB-YK-2026-007", received_at=at(2, 8),
                     actor="Văn thư", unit=DOHA_OFFICE)  # fmt: skip
    case.handover("assign", at=at(2, 11), actor="Văn thư", unit=DOHA_OFFICE)
    case.handover("appraise", at=at(2, 15), actor="Phó Giám đốc", unit=DOHA_BOARD)
    # Both departments asked Tue 3/3 09:00, three working days each: due Fri 6/3 09:00.
    for department in (FINANCE, HEALTH):
        case.consult(department, at=at(3, 9), actor="Chuyên viên", unit=DOHA_ORGANISATION,
                     evidence=[f"Công văn xin ý kiến gửi {department}"])  # fmt: skip
    case.answer_consultation(HEALTH, at=at(5, 10), actor="Văn thư Sở Y tế")
    case.answer_consultation(FINANCE, at=at(11, 9), actor="Văn thư Sở Tài chính")
    case.handover("check", at=at(12, 16), actor="Chuyên viên", unit=DOHA_ORGANISATION)
    case.handover("sign", at=at(13, 11), actor="Trưởng phòng", unit=DOHA_ORGANISATION)
    case.resolve(at=at(16, 14), actor="Giám đốc", unit=DOHA_BOARD)
    case.handover("issue", at=at(16, 14), actor="Giám đốc", unit=DOHA_BOARD)
    case.return_result(at=at(16, 16), actor="Văn thư", unit=DOHA_OFFICE)
    return case


def main() -> None:
    case = run()
    legal = case.legal_clock()
    print(f"{case.procedure}")
    print(f"Tổng thời gian (legal clock): due {legal.due:%a %d/%m %H:%M}, {legal.result.label}")
    appraise = next(c for c in case.step_clocks() if c.step == "appraise")
    print(f"Bước thẩm định (appraisal step): due {appraise.due:%a %d/%m %H:%M}, "
          f"{appraise.result.label}")  # fmt: skip
    print("\nTừng đơn vị (each unit, its own time):")
    for unit, reading in case.unit_clocks().items():
        used, allowed = format_duration(reading.elapsed), format_duration(reading.allowed)
        print(f"  {unit}: {used} of {allowed}, due {reading.due:%a %d/%m %H:%M} — "
              f"{reading.result.label}")  # fmt: skip


if __name__ == "__main__":
    main()

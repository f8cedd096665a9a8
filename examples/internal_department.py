"""Internal procedure (TTHC nội bộ) of a department: every division's task and time, rework
sent back by the director, and the catalog's yearly review (seed 002, Quảng Nam).

Run it: ``python examples/internal_department.py``. The procedure is the sample catalog's
(illustrative, in the spirit of Quyết định 2307/QĐ-UBND of Quảng Nam); dates are official
working days of 2026.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from tthc_flow.calendar import format_duration
from tthc_flow.samples import DOHA_BOARD, DOHA_OFFICE, DOHA_ORGANISATION, sample_catalog

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, month: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=VN)


def main() -> None:
    catalog = sample_catalog()
    case = catalog.open_case(
        "VD.NB", case_id="NB-2026-031", received_at=at(2, 3, 8), actor="Văn thư",
        unit=DOHA_OFFICE,
    )  # fmt: skip
    case.handover("assign", at=at(2, 3, 11), actor="Văn thư", unit=DOHA_OFFICE)
    case.handover("appraise", at=at(3, 3, 9), actor="Phó Giám đốc", unit=DOHA_BOARD)
    case.handover("check", at=at(10, 3, 15), actor="Chuyên viên", unit=DOHA_ORGANISATION,
                  role="chuyên viên")  # fmt: skip
    case.handover("sign", at=at(11, 3, 10), actor="Trưởng phòng", unit=DOHA_ORGANISATION,
                  role="lãnh đạo phòng")  # fmt: skip
    case.send_back("appraise", at=at(12, 3, 9), actor="Giám đốc", unit=DOHA_BOARD,
                   reason="Bổ sung số liệu biên chế năm 2025")  # fmt: skip
    case.handover("check", at=at(13, 3, 16), actor="Chuyên viên", unit=DOHA_ORGANISATION,
                  role="chuyên viên")  # fmt: skip
    case.handover("sign", at=at(16, 3, 10), actor="Trưởng phòng", unit=DOHA_ORGANISATION,
                  role="lãnh đạo phòng")  # fmt: skip
    case.resolve(at=at(16, 3, 16), actor="Giám đốc", unit=DOHA_BOARD)
    case.handover("issue", at=at(16, 3, 16), actor="Giám đốc", unit=DOHA_BOARD)
    case.return_result(at=at(17, 3, 9), actor="Văn thư", unit=DOHA_OFFICE)

    print(f"{case.procedure} — lead division: {case.procedure.agency}")
    legal = case.legal_clock()
    print(f"Tổng thời gian (whole procedure): due {legal.due:%d/%m %H:%M}, {legal.result.label}")
    print("\nTừng phòng (each division, rework is its own cost):")
    for unit, reading in case.unit_clocks().items():
        used, allowed = format_duration(reading.elapsed), format_duration(reading.allowed)
        print(f"  {unit}: {used} of {allowed} — {reading.result.label}")
    print("\nRà soát danh mục hằng năm (yearly review of the catalog):")
    for finding in catalog.check(today=date(2026, 3, 17)):
        print(f"  {finding}")


if __name__ == "__main__":
    main()

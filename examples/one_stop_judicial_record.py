"""One-stop: a judicial record certificate (cấp Phiếu lý lịch tư pháp), 10 working days.

Run it: ``python examples/one_stop_judicial_record.py``. The procedure is the sample
catalog's (Luật Lý lịch tư pháp 2009, Điều 48); the case, its officers and its dates are
illustrative, the calendar is official (30/4–1/5/2025 holidays, make-up Saturday 26/4).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tthc_flow.samples import POLICE_BOARD, POLICE_DESK, POLICE_RECORDS, sample_catalog

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=VN)


def main() -> None:
    catalog = sample_catalog()
    case = catalog.open_case(
        "VD.LLTP", case_id="LLTP-2025-0425", received_at=at(25, 4, 16), actor="Nguyễn Thị Lan",
        attributes={"channel": "in_person"},
    )  # fmt: skip
    print(f"{case.procedure} — judged by {case.pack.name if case.pack else '?'}")
    case.handover("review", at=at(25, 4, 16, 30), actor="Lan", unit=POLICE_DESK)
    # The specialist finds a missing paper on the make-up Saturday and asks once, in time.
    case.request_supplement(
        at=at(26, 4, 9), actor="Trần Minh", unit=POLICE_RECORDS,
        evidence=["Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ số 12/PYCBS"],
    )  # fmt: skip
    case.receive_supplement(at=at(5, 5, 10), actor="Lan", unit=POLICE_DESK)
    case.handover("approve", at=at(12, 5, 15), actor="Minh", unit=POLICE_RECORDS)
    case.handover("sign", at=at(13, 5, 11), actor="Hà", unit=POLICE_RECORDS)
    case.handover("issue", at=at(14, 5, 16), actor="Giám đốc", unit=POLICE_BOARD)
    case.resolve(at=at(15, 5, 9), actor="Văn thư", unit=POLICE_RECORDS)
    case.handover("return", at=at(15, 5, 9), actor="Văn thư", unit=POLICE_RECORDS)
    case.return_result(at=at(15, 5, 10), actor="Lan", unit=POLICE_DESK)

    legal, indicator = case.legal_clock(), case.indicator_clock()
    print("\nĐồng hồ pháp lý (legal clock): restarts when the supplement arrives")
    print(legal.explain(case.calendar))
    print(f"\nĐồng hồ chỉ số 766 (indicator clock): due {indicator.due:%a %d/%m %H:%M}, "
          f"{indicator.result.label}")  # fmt: skip
    print("\nTừng bước (each step against its own budget):")
    for reading in case.step_clocks():
        print(f"  {reading.name:<12} {reading.unit:<66} {reading.result.label}")

    # The same request a day after the rules changed is judged by Decree 118/2025.
    later = catalog.open_case("VD.LLTP", case_id="LLTP-2025-0701", received_at=at(1, 7, 8),
                              actor="Lan")  # fmt: skip
    pack = later.pack.name if later.pack else "?"
    due = later.legal_clock().due
    version = later.procedure.version
    print(f"\nReceived 01/07/2025: version {version}, {pack}; due {due:%d/%m/%Y %H:%M}")


if __name__ == "__main__":
    main()

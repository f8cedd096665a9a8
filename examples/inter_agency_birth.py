"""Inter-agency (liên thông): birth registration, permanent residence and a health-insurance
card for a child under six; each agency has its own deadline, so a delay has an owner.

Run it: ``python examples/inter_agency_birth.py``. The procedure is the sample catalog's
(Nghị định 63/2024/NĐ-CP); the case and its dates are illustrative, the calendar official
(Vietnam Culture Day, Tuesday 24/11/2026, is a public holiday from 2026).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tthc_flow.calendar.explain import format_duration
from tthc_flow.samples import sample_catalog
from tthc_flow.samples.units import BHXH, COMMUNE_DESK, COMMUNE_JUSTICE, COMMUNE_POLICE

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=VN)


def main() -> None:
    case = sample_catalog().open_case(
        "VD.LTKS", case_id="LTKS-2026-1120", received_at=at(20, 14), actor="Cổng DVC",
        attributes={"channel": "online"},
    )  # fmt: skip
    case.handover("birth", at=at(20, 14), actor="Cổng DVC", unit=COMMUNE_DESK)
    case.handover("residence", at=at(23, 10), actor="Công chức hộ tịch", unit=COMMUNE_JUSTICE)
    # The commune police take three working days over a one-day step (24/11 is a holiday).
    case.handover("insurance", at=at(27, 11), actor="Công an xã", unit=COMMUNE_POLICE)
    case.resolve(at=at(27, 16), actor="BHXH", unit=BHXH)
    case.handover("return", at=at(27, 16), actor="BHXH", unit=BHXH)
    case.return_result(at=at(27, 16), actor="Cổng DVC", unit=COMMUNE_DESK)

    legal = case.legal_clock()
    print(f"{case.procedure.name}")
    print(f"Hạn chung (common due): {legal.due:%a %d/%m/%Y %H:%M} — {legal.result.value}\n")
    print("Mỗi cơ quan theo thời hạn riêng (each agency against its own deadline):")
    for unit, reading in case.unit_clocks().items():
        allowed, used = format_duration(reading.allowed), format_duration(reading.elapsed)
        print(f"  {unit}: allowed {allowed}, used {used} — {reading.result.value}")
    late = [u for u, r in case.unit_clocks().items() if r.overdue]
    print(f"\nĐơn vị gây chậm (unit that caused the delay): {', '.join(late)}")


if __name__ == "__main__":
    main()

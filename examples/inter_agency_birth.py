"""Inter-agency (liên thông): birth registration, permanent residence and a health-insurance
card for a child under six; each agency has its own deadline, so a delay has an owner.

Run it: ``python examples/inter_agency_birth.py``. The procedure is the sample catalog's
(Nghị định 63/2024/NĐ-CP); the cases and their dates are illustrative, the calendar official
(Vietnam Culture Day, Tuesday 24/11/2026, is a public holiday from 2026).

Two dossiers of the same procedure, received the same Friday at 14:00, run in the two orders
of Decree 118/2025 Art. 20(2), chosen from the channel at receipt:

- filed online, the police and the social insurance office work side by side once the birth
  is registered; social insurance finishes on Monday while the police hold the case until
  Friday, and the late result is the police's delay alone;
- filed in person, the agencies act one after another, each by its own deadline, and the
  result is ready on the common due day.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tthc_flow.calendar import format_duration
from tthc_flow.engine import Case
from tthc_flow.samples import BHXH, COMMUNE_DESK, COMMUNE_JUSTICE, COMMUNE_POLICE, sample_catalog

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=VN)


def online() -> Case:
    """Art. 20(2)(b): the birth registration forks to residence and insurance."""
    case = sample_catalog().open_case(
        "VD.LTKS", case_id="LTKS-2026-1120-01", received_at=at(20, 14), actor="Cổng DVC",
        attributes={"channel": "online"},
    )  # fmt: skip
    case.handover("birth", at=at(20, 14), actor="Cổng DVC", unit=COMMUNE_DESK)
    # Registered Monday 10:00; the dossier goes to the police and social insurance at once.
    case.handover(("residence", "insurance"), at=at(23, 10), actor="Công chức hộ tịch",
                  unit=COMMUNE_JUSTICE)  # fmt: skip
    print("Đang xử lý song song (in parallel), Mon 23/11 10:00:")
    for active in case.active_steps():
        print(f"  {active.step}: {active.unit}, hạn (due) {active.due:%a %d/%m %H:%M}")
    # Social insurance finishes its part while the police still hold the case.
    case.handover("return", step="insurance", at=at(23, 16), actor="BHXH", unit=BHXH)
    print(f"Sau khi BHXH xong (after social insurance): {', '.join(case.status.steps)}")
    # The police take until Friday over a one-day step; the desk then has every result.
    case.handover("return", step="residence", at=at(27, 11), actor="Công an xã",
                  unit=COMMUNE_POLICE)  # fmt: skip
    case.resolve(at=at(27, 11), actor="Bộ phận Một cửa", unit=COMMUNE_DESK)
    case.return_result(at=at(27, 16), actor="Bộ phận Một cửa", unit=COMMUNE_DESK)
    return case


def in_person() -> Case:
    """Art. 20(2)(a): the same procedure on paper, one agency after another."""
    case = sample_catalog().open_case(
        "VD.LTKS", case_id="LTKS-2026-1120-02", received_at=at(20, 14),
        actor="Bộ phận Một cửa", attributes={"channel": "in_person"},
    )  # fmt: skip
    case.handover("birth", at=at(20, 14, 30), actor="Bộ phận Một cửa", unit=COMMUNE_DESK)
    case.handover("residence", at=at(23, 11), actor="Công chức hộ tịch", unit=COMMUNE_JUSTICE)
    case.handover("insurance", at=at(25, 10), actor="Công an xã", unit=COMMUNE_POLICE)
    case.handover("return", at=at(26, 9, 30), actor="BHXH", unit=BHXH)
    case.resolve(at=at(26, 10), actor="Bộ phận Một cửa", unit=COMMUNE_DESK)
    case.return_result(at=at(26, 10, 30), actor="Bộ phận Một cửa", unit=COMMUNE_DESK)
    return case


def report(case: Case) -> None:
    legal = case.legal_clock()
    order = case.events[0].data["order"]
    print(f"Hạn chung (common due): {legal.due:%a %d/%m/%Y %H:%M} — {legal.result.label}")
    print(f"Thứ tự (order): {order}")
    print("Mỗi cơ quan theo thời hạn riêng (each agency against its own deadline):")
    for visit in case.step_clocks():
        if visit.step in ("birth", "residence", "insurance"):
            print(f"  {visit.step} ({visit.unit}): hạn (due) {visit.due:%a %d/%m %H:%M} — "
                  f"{visit.result.label}")  # fmt: skip
    for unit, reading in case.unit_clocks().items():
        allowed, used = format_duration(reading.allowed), format_duration(reading.elapsed)
        print(f"  {unit}: allowed {allowed}, used {used} — {reading.result.label}")
    late = case.clocks.responsible_units(case.clocks.latest or legal.at)
    print(f"Đơn vị gây chậm (unit that caused the delay): {', '.join(late) or 'không (none)'}")


def main() -> None:
    print(sample_catalog().version("VD.LTKS", "2025.07").name)
    print("\n== Hồ sơ trực tuyến (filed online) ==")
    report(online())
    print("\n== Hồ sơ giấy, nộp trực tiếp (filed in person, on paper) ==")
    report(in_person())


if __name__ == "__main__":
    main()

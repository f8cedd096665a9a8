"""Land: financial-obligation time excluded, +10 working days for a remote commune.

Run it: ``python examples/land_remote_commune.py``. The procedure is the sample catalog's
(Nghị định 151/2025/NĐ-CP); the two cases and their dates are illustrative, the calendar is
official (Hùng Kings' day 26/4/2026 falls on a Sunday: Monday 27/4 is off).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tthc_flow.calendar import format_duration
from tthc_flow.engine import Case
from tthc_flow.samples import COMMUNE_DESK, LAND_OFFICE, TAX, sample_catalog

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


def walk(case: Case) -> None:
    case.handover("office", at=at(15, 4, 10), actor="Lan", unit=COMMUNE_DESK)
    case.handover("tax", at=at(22, 4, 15), actor="Phúc", unit=LAND_OFFICE)
    # The applicant pays land-use fees and registration tax: the clock stops meanwhile.
    case.pause(
        "financial_obligation", at=at(23, 4, 10), actor="Cán bộ thuế", unit=TAX,
        evidence=["Thông báo nộp tiền số 0231/TB-CT"],
    )  # fmt: skip
    case.resume(at=at(6, 5, 14), actor="Cán bộ thuế", unit=TAX)


def main() -> None:
    catalog = sample_catalog()
    for remote in (False, True):
        case = catalog.open_case(
            "VD.DD", case_id=f"DD-2026-{int(remote)}", received_at=at(15, 4, 9, 30),
            actor="Lan", attributes={"remote_commune": remote, "channel": "in_person"},
        )  # fmt: skip
        walk(case)
        clock = case.legal_clock(at(6, 5, 14))
        where = "xã vùng khó khăn (remote commune)" if remote else "xã đồng bằng (other commune)"
        print(f"▸ {where}: {clock.budget.label}")
        print(clock.explain(case.calendar))
        print()
    excluded = case.calendar.working_time_between(at(23, 4, 10), at(6, 5, 14))
    print(f"Thời gian không tính (excluded, paying the obligation): {format_duration(excluded)}")


if __name__ == "__main__":
    main()

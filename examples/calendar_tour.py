"""A province's working calendar: its own hours, a storm closure, and due dates across Tết.

Run it: ``python examples/calendar_tour.py``. National dates are official; the province's
hours are a common pattern, and the storm closure is illustrative (marked as such).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tthc_flow import Closure, OfficeHours, Opening, vietnam_calendar
from tthc_flow.calendar import explain_due

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WORKING_DAY = timedelta(hours=8)


def main() -> None:
    province = vietnam_calendar(
        hours=OfficeHours.weekdays("07:30-11:30", "13:00-17:00"),
        saturday_desk="07:30-11:30",
        name="Tỉnh minh họa (illustrative province)",
    )
    storm = province.with_closures(
        Closure(
            date(2026, 10, 26),
            date(2026, 10, 27),
            reason="Nghỉ làm việc để phòng, chống bão (illustrative)",
            source="Công điện minh họa của UBND tỉnh (illustrative, not a real document)",
        )
    ).with_openings(
        Opening(
            date(2026, 10, 31),
            reason="Làm bù thứ Bảy sau bão (illustrative)",
            source="Thông báo minh họa (illustrative)",
        )
    )

    received = datetime(2026, 10, 23, 15, 30, tzinfo=VN)
    print("Hồ sơ tiếp nhận (received):", received.isoformat())
    for label, cal in (("no storm", province), ("storm closure", storm)):
        due = cal.add_working_time(received, 5 * WORKING_DAY)
        print(f"  5 working days, {label:>13}: due {due:%a %d/%m/%Y %H:%M}")

    print("\nWhy (with the storm):")
    print(explain_due(storm, received, 5 * WORKING_DAY))

    print("\nAcross Tết Bính Ngọ 2026:")
    before_tet = datetime(2026, 2, 11, 14, 0, tzinfo=VN)
    print(explain_due(province, before_tet, 3 * WORKING_DAY))

    saturday = datetime(2026, 3, 7, 9, 0, tzinfo=VN)
    print(
        f"\nSaturday desk at {saturday:%H:%M}: receives={province.is_desk_open(saturday)}, "
        f"clock starts {province.next_opening(saturday):%a %d/%m %H:%M}"
    )


if __name__ == "__main__":
    main()

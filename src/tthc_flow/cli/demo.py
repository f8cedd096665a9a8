"""``tthc-flow demo``: the library at work on real dates.

Every date below is official (holidays, swaps, make-up Saturdays); the local closure is
illustrative and marked as such.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tthc_flow.calendar import Closure, explain_due, vietnam_calendar

__all__ = ["run_demo"]

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = timedelta(hours=8)  # one working day, Decision 188/1999/QĐ-TTg

CASES = (
    (
        "Hồ sơ nộp chiều thứ Sáu trước kỳ nghỉ 30/4–1/5/2025 (make-up Saturday 26/4 is worked)",
        datetime(2025, 4, 25, 16, 0, tzinfo=VN),
        3 * DAY,
    ),
    (
        "Hồ sơ nộp trước Tết Bính Ngọ 2026 (Tết closes 16–20/02/2026)",
        datetime(2026, 2, 12, 10, 0, tzinfo=VN),
        5 * DAY,
    ),
    (
        "Hồ sơ nộp trước Quốc khánh 2026 (Sat 22/8 worked, Mon 31/8 off)",
        datetime(2026, 8, 20, 14, 30, tzinfo=VN),
        10 * DAY,
    ),
    (
        "Hồ sơ nộp ngay trước Ngày Văn hóa Việt Nam 24/11/2026",
        datetime(2026, 11, 23, 9, 15, tzinfo=VN),
        timedelta(hours=12),
    ),
)


def run_demo(*, year: int = 2026) -> None:
    cal = vietnam_calendar()
    print("tthc_flow — lịch làm việc và thời hạn giải quyết (working calendar and due dates)")
    print("=" * 78)
    print(f"\n1. Năm {year}: ngày thường được nghỉ và ngày nghỉ phải làm bù")
    print(f"   ({year}: closed weekdays and worked weekend days, with their sources)\n")
    for info in cal.notable_days(date(year, 1, 1), date(year, 12, 31)):
        print(f"   {info}")
    worked = len(cal.working_days(date(year, 1, 1), date(year, 12, 31)))
    print(f"\n   Số ngày làm việc (working days): {worked}")

    print("\n2. Hạn giải quyết, có giải thích (due instants, explained)\n")
    for title, start, amount in CASES:
        print(f"   ▸ {title}")
        for line in explain_due(cal, start, amount).lines:
            print(f"     {line}")
        print()

    print("3. Đóng cửa do bão (illustrative local closure) dời hạn (moves the due instant)\n")
    start, amount = datetime(2024, 9, 5, 9, 0, tzinfo=VN), 3 * DAY
    storm = cal.with_closures(
        Closure(
            date(2024, 9, 9),
            reason="Nghỉ làm việc do bão số 3 (illustrative)",
            source="illustrative provincial notice, not a real document",
        )
    )
    before = cal.add_working_time(start, amount)
    after = storm.add_working_time(start, amount)
    print(f"   without the closure: {before:%a %d/%m/%Y %H:%M}")
    print(f"   with the closure:    {after:%a %d/%m/%Y %H:%M}")

    print("\n4. Thời hạn tính theo ngày (Bộ luật Dân sự 2015, Điều 147–148)\n")
    event = datetime(2026, 4, 12, 10, 0, tzinfo=VN)
    end = cal.add_calendar_days(event, 15)
    nominal = event.date() + timedelta(days=15)
    print(f"   Sự kiện (event) 12/04/2026; ngày thứ 15 (day 15): {cal.explain(nominal)}")
    print(
        f"   Kết thúc (period ends): hết ngày {end.date() - timedelta(days=1):%d/%m/%Y} "
        f"= {end.isoformat()}"
    )

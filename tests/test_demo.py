"""``tthc-flow demo``: its figures on a small seed, recomputed here case by case from the
engine's legal clock (not from the reports module the demo uses), and its other views."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tthc_flow.cli import main
from tthc_flow.engine import Case, Phase, ResultClass
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SEED, CASES, YEAR = 41, 600, 2025
END = datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=VN)


def demo(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[str, str]:
    code = main(["demo", "--cases", str(CASES), "--seed", str(SEED), "--year", str(YEAR), *extra])
    assert code == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def expected_row(cases: list[Case]) -> list[int]:
    """received, early, on time, overdue, in progress, in progress late, withdrawn, closed.
    A case withdrawn after its legal due was overdue and stays overdue; one withdrawn in time
    is not classed."""
    counts: Counter[str] = Counter()
    for case in cases:
        status = case.status
        if (
            status.phase is Phase.WITHDRAWN and status.resolved_at is None
            and not case.legal_clock(END).result.overdue
        ):  # fmt: skip
            counts["withdrawn"] += 1
            continue
        if status.phase is Phase.CLOSED:
            counts["closed"] += 1
            continue
        counts[case.legal_clock(END).result.name] += 1
    return [
        len(cases), counts[ResultClass.EARLY.name], counts[ResultClass.ON_TIME.name],
        counts[ResultClass.OVERDUE.name], counts[ResultClass.IN_PROGRESS.name],
        counts[ResultClass.IN_PROGRESS_OVERDUE.name], counts["withdrawn"], counts["closed"],
    ]  # fmt: skip


def printed_rows(out: str) -> dict[str, list[int]]:
    rows = {}
    for line in out.splitlines():
        match = re.match(r"^  (VD\.\w+|Tổng \(total\))\s+([\d,\s]+?)\s+(\d+\.\d%|—)$", line)
        if match:
            rows[match[1]] = [int(n.replace(",", "")) for n in match[2].split()]
    return rows


def test_the_figures_match_the_cases_counted_one_by_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, _ = demo(capsys)
    cases = list(simulate(sample_catalog(), cases=CASES, seed=SEED, year=YEAR))
    rows = printed_rows(out)
    by_code: dict[str, list[Case]] = {}
    for case in cases:
        by_code.setdefault(case.procedure.code, []).append(case)
    assert set(rows) == {*by_code, "Tổng (total)"}
    for code, group in by_code.items():
        assert rows[code] == expected_row(group), code
    assert rows["Tổng (total)"] == expected_row(cases)
    # The on-time rate of Decision 766: (early + on time) / finished, to one decimal.
    _, early, on_time, overdue, *_ = expected_row(cases)
    rate = 100 * (early + on_time) / (early + on_time + overdue)
    assert re.search(rf"Tổng \(total\).*\s{rate:.1f}%$", out, flags=re.MULTILINE)


def test_the_demo_is_reproducible_and_shows_every_view(
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, _ = demo(capsys)
    second, _ = demo(capsys)
    timing = re.compile(r"; \d+\.\d s\)")
    assert timing.sub("", first) == timing.sub("", second)
    for heading in (
        "1. Danh mục (catalog)", "2. Năm 2025", "Đơn vị (unit)", "Kênh (channel)",
        "3. Đơn vị gây chậm", "4. Tuân thủ và cảnh báo", "Ngưỡng (threshold policy",
        "5. Một hồ sơ trễ hạn", "Từng bước", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "6. Lịch làm việc", "7. Kho hồ sơ (case store)",
    ):  # fmt: skip
        assert heading in first
    # The year went through the embedded store: read back, the report is the same one, and
    # its hash chain holds.
    assert "Báo cáo đọc lại từ kho (the report read back from the store) khớp" in first
    assert re.search(r"Chuỗi băm \(hash chain\): [\d,]+ sự kiện \(events\), toàn vẹn", first)
    # Channels are named in Vietnamese with the English beside them, not by their keys.
    channels = first.split("Kênh (channel)")[1].split("3. Đơn vị gây chậm")[0]
    for label in ("Trực tiếp (in person)", "Trực tuyến (online)", "Bưu chính công ích (postal)"):
        assert label in channels
    assert "in_person " not in channels
    # The late case shown is late on the legal clock, and says so.
    assert "Kết quả (result): quá hạn (overdue)" in first
    assert "Hạn (due): Thứ Ba 29/04/2025 16:00" in first  # 3 days from Fri 25/4 16:00


def test_the_compliance_counts_match_the_violations_recorded(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, _ = demo(capsys)
    cases = list(simulate(sample_catalog(), cases=CASES, seed=SEED, year=YEAR))
    # Each audit-mode case records its officers' mistakes on its events: count them here.
    rules = Counter(v.rule for case in cases for _, v in case.violations)
    second = re.search(r"^\s+([\d,]+)  Yêu cầu bổ sung quá một lần", out, flags=re.MULTILINE)
    pauses = re.search(r"^\s+([\d,]+)  Tạm dừng vì lý do", out, flags=re.MULTILINE)
    assert second and int(second[1]) == rules["supplement.max_times"] > 0
    assert pauses and int(pauses[1]) == rules["pause.not_allowed"] > 0


def test_progress_goes_to_standard_error(capsys: pytest.CaptureFixture[str]) -> None:
    out, err = demo(capsys, "--progress")
    assert "cases (" not in out
    assert re.search(r"… 600 / 600 cases \([\d,]+/s\)\n$", err)


def test_a_year_without_procedures_in_force_fails_before_printing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--cases", "10", "--year", "2017"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "in force in 2017" in captured.err

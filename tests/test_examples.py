"""Each example runs as a script and prints something meaningful."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))


def test_there_are_examples() -> None:
    assert EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(
    path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", [str(path)])
    runpy.run_path(str(path), run_name="__main__")
    out = capsys.readouterr().out
    assert len(out.splitlines()) >= 5


def test_calendar_tour_shows_the_storm_moving_the_due_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    runpy.run_path(str(EXAMPLES[0].parent / "calendar_tour.py"), run_name="__main__")
    out = capsys.readouterr().out
    # Fri 23/10/2026 15:30 + 5 working days: Fri 30/10 15:30 normally; with Mon–Tue closed and
    # Saturday 31/10 opened, Mon 2/11 15:30 (hours 07:30–11:30, 13:00–17:00).
    assert "no storm: due Fri 30/10/2026 15:30" in out
    assert "storm closure: due Mon 02/11/2026 15:30" in out


def _run(name: str, capsys: pytest.CaptureFixture[str]) -> str:
    runpy.run_path(str(EXAMPLES[0].parent / name), run_name="__main__")
    return capsys.readouterr().out


def test_judicial_record_restarts_after_the_supplement(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run("one_stop_judicial_record.py", capsys)
    # Restart Mon 5/5/2025 10:00 + 80 working hours: 6 h that day, 9 full days to Fri 16/5,
    # 2 h on Mon 19/5.
    assert "Hạn (due): Thứ Hai 19/05/2025 10:00" in out
    # Indicator: 2 h used before the pause, 78 h from 5/5 10:00 → Fri 16/5 17:00.
    assert "due Fri 16/05 17:00" in out
    assert "version 2025.07, DECREE_118_2025" in out


def test_land_excludes_the_financial_obligation(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run("land_remote_commune.py", capsys)
    # 48.5 h used before the pause; 31.5 h from Wed 6/5/2026 14:00 → Tue 12/5 13:30; the
    # remote commune's 80 h more → Tue 26/5 13:30 (Mon 27/4, 30/4 and 1/5 are closed).
    assert "Hạn (due): Thứ Ba 12/05/2026 13:30" in out
    assert "Hạn (due): Thứ Ba 26/05/2026 13:30" in out
    assert "6 ngày làm việc 3 giờ (3060 working minutes)" in out


def test_inter_agency_online_runs_in_parallel_and_blames_the_police_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _run("inter_agency_birth.py", capsys)
    online = out.split("== Hồ sơ giấy")[0]
    # Fri 20/11/2026 14:00 + 3 working days of 8 h (08–12, 13–17), Tue 24/11 closed (Vietnam
    # Culture Day): Mon 23/11 14:00, Wed 25/11 14:00, Thu 26/11 14:00.
    assert "Hạn chung (common due): Thu 26/11/2026 14:00 — quá hạn (overdue)" in online
    assert "Thứ tự (order): parallel" in online
    # The fork at Mon 23/11 10:00 gives each branch one working day: Mon 10–12 and 13–17 (6 h),
    # Tue closed, Wed 08–10 (2 h): both due Wed 25/11 10:00, side by side.
    assert "  residence: Công an xã, hạn (due) Wed 25/11 10:00" in online
    assert "  insurance: Bảo hiểm xã hội cơ sở, hạn (due) Wed 25/11 10:00" in online
    # Social insurance finished Monday 16:00 while the police still held the case.
    assert "Sau khi BHXH xong (after social insurance): residence\n" in online
    assert "insurance (Bảo hiểm xã hội cơ sở): hạn (due) Wed 25/11 10:00 — trước hạn" in online
    # Police: Mon 10–12, 13–17 (6 h), Wed and Thu (16 h), Fri 08–11 (3 h) = 25 h = 1500 min.
    assert "Công an xã: allowed 1 ngày làm việc (480 working minutes), used 3 ngày làm việc " \
        "1 giờ (1500 working minutes) — quá hạn (overdue)" in online
    # Justice: Fri 14–17 (3 h) and Mon 08–10 (2 h), due Mon 14:00: on time (same day).
    assert "used 5 giờ (300 working minutes) — đúng hạn (on time)" in online
    assert "Đơn vị gây chậm (unit that caused the delay): Công an xã\n" in online
    # The desk's "0 ngày làm việc" steps are same-day transfers (Decree 118 Art. 18(2)):
    # received Fri 14:00, before 15:00, it had until 17:00 (3 h); the results came back Fri
    # 27/11 11:00, so it had until 17:00 (1 h + 4 h). It used 4 h of its 8 h (11–12, 13–16).
    assert (
        "Bộ phận Một cửa UBND xã: allowed 1 ngày làm việc (480 working minutes), used 4 giờ "
        "(240 working minutes) — trước hạn (early)"
    ) in online


def test_inter_agency_on_paper_runs_in_the_fixed_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _run("inter_agency_birth.py", capsys)
    paper = out.split("== Hồ sơ giấy")[1]
    assert "Thứ tự (order): sequential" in paper
    # Each agency by its own deadline, one after another: birth from Fri 14:30 (Mon 14:30),
    # residence from Mon 11:00 (Mon 5 h, Wed 08–11: Wed 11:00), insurance from Wed 10:00
    # (Wed 6 h, Thu 08–10: Thu 10:00).
    assert "birth (Công chức Tư pháp - Hộ tịch, UBND xã): hạn (due) Mon 23/11 14:30" in paper
    assert "residence (Công an xã): hạn (due) Wed 25/11 11:00 — đúng hạn (on time)" in paper
    assert "insurance (Bảo hiểm xã hội cơ sở): hạn (due) Thu 26/11 10:00 — đúng hạn" in paper
    # Resolved Thu 26/11 10:00, the common due day (due 14:00): on time.
    assert "Hạn chung (common due): Thu 26/11/2026 14:00 — đúng hạn (on time)" in paper
    assert "Đơn vị gây chậm (unit that caused the delay): không (none)" in paper


def test_internal_procedure_shows_each_division(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run("internal_department.py", capsys)
    assert "due 13/03 17:00, quá hạn (overdue)" in out  # Mon 2/3/2026 + 10 working days
    assert "8 ngày làm việc 2 giờ (3960 working minutes) of 7 ngày làm việc 4 giờ" in out
    assert "VD.NB v2025.1: was due for its yearly review on 2026-02-20" in out


def test_the_consultation_example_blames_the_late_department_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _run("internal_consultation.py", capsys)
    # Ten working days from Mon 2/3 08:00 end Fri 13/3 17:00; the result was issued Mon 16/3.
    assert "due Fri 13/03 17:00, quá hạn (overdue)" in out
    # Both departments asked Tue 3/3 09:00 with three days: due Fri 6/3 09:00. Finance
    # answered Wed 11/3 09:00 (late: Fri 09-17, Mon, Tue, Wed 08-09 = 24 hours), health
    # Thu 5/3 (a day early).
    assert "Sở Tài chính (minh họa): 6 ngày làm việc" in out
    assert "due Fri 06/03 09:00 — quá hạn (overdue)" in out
    assert "Sở Y tế (minh họa): 2 ngày làm việc 1 giờ" in out
    # The appraisal's 6.5 days from Mon 2/3 15:00 ran to Wed 11/3 10:00; the 24 hours it
    # waited for finance move it to Mon 16/3 10:00, so its Thu 12/3 handover is early.
    assert "Bước thẩm định (appraisal step): due Mon 16/03 10:00, trước hạn (early)" in out

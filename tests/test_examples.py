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

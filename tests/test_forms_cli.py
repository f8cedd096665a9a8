"""``tthc-flow slip``: the control slip of one case of an event journal, end to end (simulated
cases of the sample catalog, written as JSON Lines, read back by the command)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.test_forms import judicial_case
from tthc_flow.cli import main
from tthc_flow.cli.form_commands import find_case
from tthc_flow.engine import Case
from tthc_flow.errors import InvalidInputError
from tthc_flow.forms import control_slip, render_html, render_text
from tthc_flow.journal import write_journal
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case]]:
    cases = list(simulate(sample_catalog(), cases=6, seed=3, year=2026))
    path = tmp_path_factory.mktemp("journal") / "events.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        write_journal(cases, stream)
    return path, cases


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_slip_of_a_journal_case_is_the_case_slip(
    journal: tuple[Path, list[Case]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, cases = journal
    case = max(cases, key=lambda c: len(c.events))
    code, out, err = run(capsys, "slip", str(path), case.case_id)
    assert (code, err) == (0, "")
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in out
    assert f"Mã hồ sơ (code): {case.case_id}" in out
    assert out == render_text(control_slip(case))
    code, out, _ = run(capsys, "slip", str(path), case.case_id, "--format", "html")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>") and "@page { size: A4 portrait;" in out
    assert out == render_html(control_slip(case))


def test_slip_reads_standard_input(
    journal: tuple[Path, list[Case]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, cases = journal
    case = cases[0]
    monkeypatch.setattr("sys.stdin", io.StringIO(path.read_text(encoding="utf-8")))
    code, out, _ = run(capsys, "slip", "-", case.case_id)
    assert code == 0
    assert out == render_text(control_slip(case))


def test_slip_at_an_instant(
    journal: tuple[Path, list[Case]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, cases = journal
    case = max(cases, key=lambda c: len(c.events))
    moment = case.events[2].at
    code, out, _ = run(capsys, "slip", str(path), case.case_id, "--at", moment.isoformat())
    assert code == 0
    assert out == render_text(control_slip(case, at=moment))


def test_slip_refusals(
    journal: tuple[Path, list[Case]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, _ = journal
    code, out, err = run(capsys, "slip", str(path), "NO-SUCH-CASE")
    assert code == 2 and out == ""
    assert "has no readable case 'NO-SUCH-CASE'." in err
    code, _, err = run(capsys, "slip", str(tmp_path / "missing.jsonl"), "X")
    assert code == 2 and "cannot read" in err
    code, _, err = run(capsys, "slip", str(path), "X", "--at", "2026-03-02T09:00")
    assert code == 2 and "no time zone" in err
    with pytest.raises(SystemExit):
        main(["slip", str(path), "X", "--format", "pdf"])


def test_a_slip_reads_its_case_whatever_is_wrong_elsewhere(
    journal: tuple[Path, list[Case]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, cases = journal
    case, other = cases[0], cases[1]
    lines = path.read_text(encoding="utf-8").split("\n")
    # Another case's line is corrupted and the journal ends in a torn line.
    spoiled = [
        line.replace('"seq": ', '"seq": "', 1) if f'"case_id": "{other.case_id}"' in line
        else line
        for line in lines
    ]  # fmt: skip
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join(spoiled) + '{"case_id": "TORN", "proc', encoding="utf-8")
    code, out, err = run(capsys, "slip", str(broken), case.case_id)
    assert code == 0 and out == render_text(control_slip(case))
    assert err == ""  # the other case's lines were never read in full
    code, out, err = run(capsys, "slip", str(broken), other.case_id)
    assert code == 2 and out == ""
    assert f"skipped case {other.case_id!r}" in err and "it was skipped" in err
    code, out, err = run(capsys, "slip", str(broken), other.case_id, "--strict")
    assert code == 2 and f"case {other.case_id!r}" in err and "field 'seq'" not in out


def test_find_case_takes_a_mapping_or_cases() -> None:
    case = judicial_case()
    assert find_case({case.case_id: case}, case.case_id) is case
    assert find_case([case], case.case_id) is case
    with pytest.raises(InvalidInputError, match=r"holds 0 case\(s\)\."):
        find_case([], "X")

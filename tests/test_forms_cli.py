"""``tthc-flow slip``: the control slip of one case of an event journal, end to end (simulated
cases of the sample catalog, written as JSON Lines, read back by the command)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.test_forms import judicial_case
from tthc_flow.cli import main
from tthc_flow.cli._form_commands import find_case
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
    assert f"Mã hồ sơ: {case.case_id}" in out
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


def _stopped() -> Case:
    """A VD.DD dossier received Monday 11/05/2026 09:00, stopped on the applicant's written
    request of 12/05/2026 (Decree 118/2025 Art. 21)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    case = sample_catalog().open_case(
        "VD.DD", case_id="DD-2026-0511-02", actor="Hồ Văn Tâm",
        received_at=datetime(2026, 5, 11, 9, tzinfo=vn),
        attributes={"applicant": "Phan Thị Mai", "channel": "online"},
    )  # fmt: skip
    desk = case.procedure.first
    case.handover(desk.next[0], at=datetime(2026, 5, 11, 10, tzinfo=vn), actor="Hồ Văn Tâm",
                  unit=desk.unit)  # fmt: skip
    unit = case.status.unit  # the office now holding the case
    assert unit is not None and unit != desk.unit
    case.stop(
        reason="Người nộp có văn bản đề nghị dừng giải quyết hồ sơ ngày 12/05/2026",
        at=datetime(2026, 5, 13, 10, tzinfo=vn), actor="Y Blông", unit=unit,
    )  # fmt: skip
    return case


def _with(cases: list[Case], kind: str) -> Case:
    return next(c for c in cases if any(e.kind.value == kind for e in c.events))


@pytest.fixture(scope="module")
def year_journal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case]]:
    # Enough simulated cases of 2025 that some were sent back for supplements, apologised
    # for, refused and stopped.
    # The simulation never stops a case (a stop is at the applicant's written request), so
    # one land dossier of the sample catalog is stopped by hand.
    cases = [*simulate(sample_catalog(), cases=300, seed=11, year=2025), _stopped()]
    path = tmp_path_factory.mktemp("year") / "events.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        write_journal(cases, stream)
    return path, cases


@pytest.mark.parametrize(
    ("form", "kind", "builder"),
    [
        ("receipt", "received", "receipt"),
        ("supplement", "supplement_requested", "supplement_request"),
        ("refusal", "refused", "refusal"),
        ("apology", "rescheduled", "apology"),
        ("stop", "stopped", "stop_notice"),
        ("slip", "received", "control_slip"),
    ],
)
def test_every_form_of_a_case_prints_from_the_command_line(
    year_journal: tuple[Path, list[Case]], capsys: pytest.CaptureFixture[str],
    form: str, kind: str, builder: str,
) -> None:  # fmt: skip
    import tthc_flow.forms as forms

    path, cases = year_journal
    case = _with(cases, kind)
    expected = getattr(forms, builder)(case)
    code, out, err = run(capsys, "form", form, str(path), case.case_id)
    assert (code, err) == (0, "")
    assert out == render_text(expected)
    code, out, _ = run(capsys, "form", form, str(path), case.case_id, "--format", "html")
    assert code == 0 and out == render_html(expected)


def test_the_receipt_is_form_01_with_the_due_instant(
    journal: tuple[Path, list[Case]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, cases = journal
    case = cases[0]
    code, out, _ = run(capsys, "form", "receipt", str(path), case.case_id)
    assert code == 0
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in out
    assert case.case_id in out


def test_the_ledger_lists_every_case_or_those_named(
    journal: tuple[Path, list[Case]], capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc_flow.forms import case_ledger

    path, cases = journal
    code, out, _ = run(capsys, "form", "ledger", str(path))
    assert code == 0 and out == render_text(case_ledger(cases))
    some = [cases[2].case_id, cases[0].case_id]
    code, out, _ = run(capsys, "form", "ledger", str(path), *some)
    assert code == 0 and out == render_text(case_ledger([cases[2], cases[0]]))


def test_a_form_of_one_case_refuses_two_case_ids(
    journal: tuple[Path, list[Case]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, cases = journal
    code, out, err = run(capsys, "form", "receipt", str(path), cases[0].case_id,
                         cases[1].case_id)  # fmt: skip
    assert code == 2 and out == ""
    assert "one case" in err


def test_a_form_the_case_does_not_support_is_a_clear_error(
    journal: tuple[Path, list[Case]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, cases = journal
    plain = next(c for c in cases if not any(e.kind.value == "refused" for e in c.events))
    code, out, err = run(capsys, "form", "refusal", str(path), plain.case_id)
    assert code == 2 and out == ""
    assert plain.case_id in err


def test_forms_read_a_store_too(
    journal: tuple[Path, list[Case]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from tthc_flow.store import open_store

    _, cases = journal
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    with open_store(url, catalog=sample_catalog()) as store:
        for case in cases:
            store.add(case, imported=True)
    code, out, _ = run(capsys, "form", "receipt", url, cases[1].case_id)
    assert code == 0 and out == render_text(receipt_of(cases[1]))  # type: ignore[arg-type]


def receipt_of(case: Case) -> object:
    from tthc_flow.forms import receipt

    return receipt(case)

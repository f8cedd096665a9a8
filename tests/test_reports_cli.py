"""``tthc-flow report`` on a journal of simulated cases, its refusals, and the report
benchmark run small (its timing target is checked by running it directly)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tthc_flow.cli import main
from tthc_flow.engine import Procedure
from tthc_flow.journal import read_journal, write_journal
from tthc_flow.reports import QUALITY_LABELS, Period, build_report
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("journal") / "events.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        write_journal(simulate(sample_catalog(), cases=150, seed=9, year=2026), stream)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["report", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_default_table_is_markdown_by_procedure(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, str(journal))
    assert code == 0
    assert "| Thủ tục (procedure) | Tổng số hồ sơ (total) |" in out
    for procedure in sample_catalog().codes:
        assert f"| {procedure} |" in out


def test_csv_by_unit_matches_the_library(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, str(journal), "--by", "unit", "--format", "csv",
                       "--from", "2026-01-01", "--to", "2026-06-30")  # fmt: skip
    assert code == 0
    lines = list(csv.reader(io.StringIO(out)))
    rows = lines[: lines.index([])]
    with journal.open(encoding="utf-8") as stream:
        cases = list(read_journal(stream, sample_catalog()))
    report = build_report(cases, Period(date(2026, 1, 1), date(2026, 6, 30)))
    assert [r[0] for r in rows[1:-1]] == [unit for unit, _ in report.units]
    assert rows[-1][1] == str(sum(t.total for _, t in report.units))
    assert lines[lines.index([]) + 1][0] == "Chất lượng dữ liệu (data quality)"
    # Simulated cases are in time order; the only ones flagged are those the simulation
    # recorded in audit mode with an officer's mistake (a pause the law does not allow, a
    # second supplement request), each listed once with its rule.
    by_id = {case.case_id: case for case in cases}
    flagged = {case_id for flag in report.data_quality for case_id in flag.case_ids}
    mistaken = {
        case_id for flag in report.data_quality for case_id in flag.case_ids
        if flag.kind in {f"violation:{v.rule}" for _, v in by_id[case_id].violations}
    }  # fmt: skip
    assert flagged == mistaken
    listed = lines[lines.index([]) + 2 :]
    if report.data_quality:
        assert sorted(row[-1] for row in listed) == sorted(
            ", ".join(flag.case_ids) for flag in report.data_quality
        )
        assert all(row[1].startswith("violation:") for row in listed)
    else:
        assert listed == [["Không phát hiện vấn đề (no problem found)"]]


def test_json_by_level_and_the_indicator_clock(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, str(journal), "--format", "json", "--clock", "indicator",
                       "--granularity", "quarter")  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["clock"] == "indicator" and data["granularity"] == "quarter"
    assert set(data["rows"]["level"]) <= {u.level for u in sample_catalog().units.values()}
    assert data["total"]["total"] == 150
    code, out, _ = run(capsys, str(journal), "--by", "level")
    assert code == 0 and "| Cấp (level) |" in out


def test_refusals_exit_2_with_a_reason(
    journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, str(tmp_path / "missing.jsonl"))
    assert code == 2 and "cannot read the journal" in err
    bad = tmp_path / "bad.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join([*lines[:3], "{oops", *lines[3:]]) + "\n", encoding="utf-8")
    code, _, err = run(capsys, str(bad), "--strict")
    assert code == 2 and "bad.jsonl:4: is not JSON" in err
    # Without --strict the line is skipped, and said to be, in the output and on stderr.
    code, out, err = run(capsys, str(bad), "--format", "json")
    assert code == 0 and "journal_skipped 1" in err
    flags = json.loads(out)["data_quality"]["flags"]
    skipped = [flag for flag in flags if flag["kind"] == "journal_skipped"]
    assert skipped == [{
        "kind": "journal_skipped", "label": QUALITY_LABELS["journal_skipped"], "excludes": True,
        "count": 1, "case_ids": ["(dòng/line 4)"],
    }]  # fmt: skip
    # The others are the simulation's audit-mode mistakes, there with or without the line.
    _, clean, _ = run(capsys, str(journal), "--format", "json")
    assert [f for f in flags if f["kind"] != "journal_skipped"] == json.loads(clean)[
        "data_quality"
    ]["flags"]
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    code, _, err = run(capsys, str(empty))
    assert code == 2 and "holds no case that can be read" in err
    code, _, err = run(capsys, str(journal), "--from", "2026-05-01", "--to", "2026-04-01")
    assert code == 2 and "ends on or after its start" in err


def test_report_benchmark_runs_and_agrees_with_the_engine_path() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "report.py"), "--cases", "3000", "--pool", "1000",
         "--check", "300"],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )  # fmt: skip
    # Exit 1 may be a missed timing target on a loaded machine; a wrong answer prints to
    # stderr and leaves the table unprinted.
    assert result.returncode in (0, 1), result.stderr
    assert "disagrees" not in result.stderr
    assert "the two agree on 300 cases" in result.stdout
    assert "PASS  every case counted" in result.stdout


def test_a_catalog_given_by_module_and_attribute(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, str(journal), "--catalog", "tthc_flow.samples:sample_catalog",
                       "--format", "csv")  # fmt: skip
    lines = out.splitlines()
    assert code == 0 and lines[lines.index("") - 1].startswith("Tổng cộng (total),150,")
    code, _, err = run(capsys, str(journal), "--catalog", "tthc_flow.no_such_module")
    assert code == 2 and "tthc-flow: error:" in err


def test_a_journal_from_a_pipe_reports_as_from_a_file(
    journal: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import os
    import threading

    code, from_file, _ = run(capsys, str(journal), "--format", "json")
    assert code == 0
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(journal.read_bytes()))
    writer.start()
    try:
        code, from_pipe, err = run(capsys, str(fifo), "--format", "json")
    finally:
        writer.join()
    assert code == 0, err
    assert json.loads(from_pipe) == json.loads(from_file)
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2 and "it is a folder" in err


def test_flagged_cases_are_named_by_the_journal_even_when_receipts_do_not_say(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = list(simulate(sample_catalog(), cases=30, seed=5, year=2026))
    victim = next(case for case in cases if len(case.events) >= 3)
    out = io.StringIO()
    write_journal(cases, out)
    lines = []
    for line in out.getvalue().splitlines():
        record = json.loads(line)
        if record["seq"] == 0:
            del record["data"]["case_id"]  # the journal allows receipts without it
        if record["case_id"] == victim.case_id and record["seq"] == len(victim.events) - 1:
            # The victim's last event moved to before its second: out of time order.
            record["at"] = victim.events[0].at.isoformat()
        lines.append(json.dumps(record, ensure_ascii=False))
    path = tmp_path / "no-ids.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, text, err = run(capsys, str(path), "--format", "json")
    assert code == 0, err
    flags = {flag["kind"]: flag for flag in json.loads(text)["data_quality"]["flags"]}
    assert victim.case_id in flags["time_order"]["case_ids"]
    assert all("" not in flag["case_ids"] for flag in flags.values())


# ------------------------------------------------------------------ the journal's own period


def _span_read_whole(path: Path) -> tuple[date, date]:
    """The span as the report documents it, computed here from the cases read whole: the
    first receipt's day and the last event's day, in Vietnam's zone."""
    from zoneinfo import ZoneInfo

    from tthc_flow.journal import read_histories

    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    days = [
        (events[0].at.astimezone(zone).date(), max(e.at for e in events).astimezone(zone).date())
        for _, events in read_histories(path, sample_catalog(), skipped=[])
    ]  # fmt: skip
    return min(d[0] for d in days), max(d[1] for d in days)


def _guess(path: Path) -> tuple[date, date] | None:
    from tthc_flow.cli._journal_report import _scan

    scan = _scan(path)
    assert scan is not None
    return scan.span


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _equal_to_explicit(path: Path) -> None:
    from tthc_flow.cli._report_commands import report_journal

    first, last = _span_read_whole(path)
    found = report_journal(path, sample_catalog())
    assert (found.period.start, found.period.end) == (first, last)
    assert found == report_journal(path, sample_catalog(), start=first, end=last)


def test_the_default_period_is_the_span_of_the_cases(journal: Path) -> None:
    assert _guess(journal) == _span_read_whole(journal)  # right first time: one pass
    _equal_to_explicit(journal)


def test_a_skipped_case_does_not_stretch_the_period(journal: Path, tmp_path: Path) -> None:
    """A case received on 2 January 2025, a year before the others, whose events cannot be
    read (its last line says 'seq 7' where the case holds 3 events): the lines alone suggest
    the period starts in 2025; the report starts it at the first case it could read."""
    lines = _lines(journal)
    case = json.loads(lines[0])["case_id"]
    early = [
        line.replace(case, "EARLY-1").replace('"2026-', '"2025-', 1)
        for line in lines if json.loads(line)["case_id"] == case
    ][:3]  # fmt: skip
    assert '"at": "2025-' in early[0]
    path = tmp_path / "events.jsonl"
    path.write_text("".join(early) + "".join(lines), encoding="utf-8")
    first, _ = _span_read_whole(path)
    assert first.year == 2026
    assert _guess(path)[0].year == 2025  # type: ignore[index]
    _equal_to_explicit(path)


def test_a_hand_written_journal_with_another_key_order(journal: Path, tmp_path: Path) -> None:
    """Keys in another order and a nested 'at' before the event's own: the guess from the
    text is wrong, and the report is the same as when the period is given."""
    out = []
    for number, line in enumerate(_lines(journal)):
        record = json.loads(line)
        if number % 2:
            record = dict(reversed(list(record.items())))
        if number == 0:
            record = {"meta": {"at": "1999-01-01T00:00:00+07:00", "seq": 0}, **record}
        out.append(json.dumps(record, ensure_ascii=False) + "\n")
    path = tmp_path / "events.jsonl"
    path.write_text("".join(out), encoding="utf-8")
    assert _guess(path) == (date(1999, 1, 1), _span_read_whole(path)[1])
    _equal_to_explicit(path)


# ------------------------------------------------------------------ several processes


def test_two_processes_give_the_report_of_one(journal: Path, tmp_path: Path) -> None:
    """The cases dealt out to two worker processes, each reading its own from the file: the
    same report, to the data quality, as one process (and as the period given)."""
    from tthc_flow.cli._journal_report import report_journal

    lines = _lines(journal)
    # A line no case can be claimed by (every process meets it: listed once), and a case
    # cut short (its first line says 9 events; 2 are written).
    torn_case = [line.replace(json.loads(lines[0])["case_id"], "CUT-1") for line in lines[:2]]
    path = tmp_path / "events.jsonl"
    path.write_text("".join(lines) + "not json at all\n" + "".join(torn_case), encoding="utf-8")
    one = report_journal(path, sample_catalog(), jobs=1)
    two = report_journal(path, sample_catalog(), jobs=2)
    assert two == one
    skipped = {flag.kind: flag.case_ids for flag in one.data_quality}["journal_skipped"]
    assert sorted(skipped) == sorted(["CUT-1", f"(dòng/line {len(lines) + 1})"])
    period = Period(date(2026, 3, 1), date(2026, 8, 31))
    assert report_journal(
        path, sample_catalog(), start=period.start, end=period.end, jobs=2
    ) == report_journal(path, sample_catalog(), start=period.start, end=period.end)


def test_jobs_on_the_command_line(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, one, _ = run(capsys, str(journal), "--jobs", "1", "--format", "json")
    assert code == 0
    code, two, _ = run(capsys, str(journal), "--jobs", "2", "--format", "json")
    assert code == 0 and two == one
    for bad in ("0", "-1", "x", "1.5", "99999"):
        with pytest.raises(SystemExit) as exit_:
            main(["report", str(journal), "--jobs", bad])
        assert exit_.value.code == 2
        assert "number of processes" in capsys.readouterr().err


def test_jobs_chosen_from_the_journal_size() -> None:
    from tthc_flow.cli._journal_report import AUTO_LINES_PER_JOB, jobs_for

    assert jobs_for(3, 10) == 3
    assert jobs_for(None, 10) == 1
    assert jobs_for(None, AUTO_LINES_PER_JOB * 1000) >= 1
    assert jobs_for(None, AUTO_LINES_PER_JOB * 2) <= 2


def test_bad_jobs_in_the_library_are_typed_errors(journal: Path) -> None:
    from tthc_flow.cli._journal_report import report_journal
    from tthc_flow.errors import InvalidInputError

    for bad in (0, -2, 1.5, "2", True):
        with pytest.raises(InvalidInputError, match="jobs"):
            report_journal(journal, sample_catalog(), jobs=bad)  # type: ignore[arg-type]


def test_a_catalog_that_cannot_be_pickled_is_read_by_one_process(journal: Path) -> None:
    from tthc_flow.cli._journal_report import report_journal

    catalog = sample_catalog()

    class Local:  # defined in a function: pickle cannot find it by name to send it
        def version(self, code: str, version: str) -> Procedure:
            return catalog.version(code, version)

    assert report_journal(journal, Local(), jobs=2) == report_journal(journal, catalog)


def test_a_catalog_without_versions_is_a_typed_error(journal: Path) -> None:
    from tthc_flow.cli._journal_report import report_journal
    from tthc_flow.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="version"):
        report_journal(journal, object())  # type: ignore[arg-type]


def test_a_journal_whose_guess_is_too_narrow_for_the_end_asked(
    journal: Path, tmp_path: Path
) -> None:
    """A hand-written line whose data holds an 'at' late in the year before the event's
    own: the guess from the text ends too late for the end asked; the report still covers
    the first receipt to the end asked."""
    from tthc_flow.cli._journal_report import report_journal

    lines = _lines(journal)
    record = json.loads(lines[0])
    record = {"meta": {"at": "2026-12-31T09:00:00+07:00"}, **record}
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n" + "".join(lines[1:]),
                    encoding="utf-8")  # fmt: skip
    first, _ = _span_read_whole(path)
    end = date(first.year, first.month, 28)
    found = report_journal(path, sample_catalog(), end=end)
    assert found == report_journal(path, sample_catalog(), start=first, end=end)


def test_an_instant_no_zone_can_hold_is_a_typed_refusal(
    journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _lines(journal)
    record = json.loads(lines[0])
    record["at"] = "9999-12-31T23:00:00-05:00"
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    code, _, err = run(capsys, str(path))
    assert code == 2
    assert "holds no case that can be read" in err


def test_strict_reading_of_a_journal_without_cases_names_the_bad_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "garbage.jsonl"
    path.write_text("garbage\n", encoding="utf-8")
    code, _, err = run(capsys, str(path), "--strict")
    assert code == 2
    assert ":1:" in err and "not JSON" in err


def test_a_raw_control_character_in_a_case_id_reads_the_same_on_two_processes(
    journal: Path, tmp_path: Path
) -> None:
    from tthc_flow.cli._journal_report import report_journal

    lines = _lines(journal)
    first = json.loads(lines[0])["case_id"]
    bad = [line.replace(first, "TAB\tCASE") for line in lines if first in line]
    path = tmp_path / "events.jsonl"
    path.write_text("".join(lines) + "".join(bad), encoding="utf-8")
    one = report_journal(path, sample_catalog(), jobs=1)
    assert report_journal(path, sample_catalog(), jobs=2) == one
    skipped = {flag.kind: flag.case_ids for flag in one.data_quality}["journal_skipped"]
    assert "TAB\tCASE" in skipped


def test_the_guess_compares_instants_written_with_other_offsets(
    journal: Path, tmp_path: Path
) -> None:
    """Every third line's instant rewritten in UTC (the same instant, another text): texts
    of different offsets are not compared as texts, and the guess is still the span."""
    from datetime import datetime, timezone

    out = []
    for number, line in enumerate(_lines(journal)):
        record = json.loads(line)
        if number % 3 == 0:
            at = datetime.fromisoformat(record["at"]).astimezone(timezone.utc)
            record["at"] = at.isoformat()
        out.append(json.dumps(record, ensure_ascii=False) + "\n")
    path = tmp_path / "events.jsonl"
    path.write_text("".join(out), encoding="utf-8")
    assert _guess(path) == _span_read_whole(path)
    _equal_to_explicit(path)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_skipped_case_is_explained_on_standard_error(
    journal: Path, tmp_path: Path, jobs: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report lists the ids of the cases left out; the command says why, once each."""
    lines = _lines(journal)
    case_id = json.loads(lines[3])["case_id"]
    broken = [
        line.replace('"kind": "handed_over"', '"kind": "bogus"', 1)
        if json.loads(line)["case_id"] == case_id else line
        for line in lines
    ]  # fmt: skip
    assert broken != lines
    path = tmp_path / "events.jsonl"
    path.write_text("".join(broken), encoding="utf-8")
    assert main(["report", str(path), "--jobs", jobs, "--format", "json"]) == 0
    err = capsys.readouterr().err
    explained = [line for line in err.splitlines() if "skipped case" in line]
    assert len(explained) == 1 and case_id in explained[0] and "'bogus'" in explained[0]

"""The ``tthc-flow`` command line, on real dates, and its golden calendar snapshots."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tthc_flow.cli import main
from tthc_flow.cli._command import parse_instant
from tthc_flow.errors import TthcFlowError

GOLDEN = Path(__file__).resolve().parent / "golden"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_due_prints_the_due_instant_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "due", "--from", "2025-04-25T16:00+07:00", "--working-days", "3")
    assert code == 0
    assert "ISO: 2025-04-29T16:00:00+07:00" in out
    assert "26/04/2025" in out
    assert "Ngày làm bù" in out


def test_due_accepts_fractions_and_hours(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "due", "--from", "2026-03-02T08:00+07:00", "--working-days", "1/4")
    assert code == 0
    assert "ISO: 2026-03-02T10:00:00+07:00" in out
    code, out, _ = run(capsys, "due", "--from", "2026-03-02T08:00+07:00", "--working-hours", "4")
    assert code == 0
    assert "ISO: 2026-03-02T12:00:00+07:00" in out


def test_due_in_calendar_days(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "due", "--from", "2026-04-12T10:00+07:00", "--calendar-days", "15")
    assert code == 0
    assert "2026-04-29T00:00:00+07:00" in out
    assert "28/04/2026" in out


def test_due_with_provincial_hours(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "due",
        "--from",
        "2026-03-02T07:30+07:00",
        "--working-days",
        "1",
        "--hours",
        "07:30-11:30,13:00-17:00",
    )
    assert code == 0
    assert "ISO: 2026-03-02T17:00:00+07:00" in out


@pytest.mark.parametrize(
    "args",
    [
        ("due", "--from", "2025-04-25T16:00", "--working-days", "3"),  # naive
        ("due", "--from", "25/04/2025", "--working-days", "3"),  # unreadable
        ("due", "--from", "2025-04-25T16:00+07:00", "--working-days", "1/7"),  # not whole minutes
        ("due", "--from", "2025-04-25T16:00+07:00", "--working-days", "abc"),
        ("calendar", "1990"),
        ("due", "--from", "2025-04-25T16:00+07:00", "--working-days", "1", "--hours", "9-5"),
    ],
)
def test_bad_input_is_a_clear_error_not_a_traceback(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert err.startswith("tthc-flow: error: ")
    assert "Traceback" not in err


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "2026-08-31")
    assert code == 0
    assert "nghỉ (closed)" in out
    assert "22/08/2026" in out


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_calendar_matches_its_golden_snapshot(
    capsys: pytest.CaptureFixture[str], year: int
) -> None:
    """Snapshots reviewed by hand against the Government's announcements; to refresh after a
    reviewed change, run with TTHC_UPDATE_GOLDEN=1 and read the diff before committing."""
    code, out, _ = run(capsys, "calendar", str(year))
    assert code == 0
    path = GOLDEN / f"calendar_{year}.txt"
    if os.environ.get("TTHC_UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


def test_console_script_and_module_entry_point() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tthc_flow",
            "due",
            "--from",
            "2026-02-13T16:00+07:00",
            "--working-hours",
            "2",
        ],
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    )
    # Friday before Tết 16:00 + 2 h: 1 h Friday, then Monday 23/02 08:00–09:00.
    assert "ISO: 2026-02-23T09:00:00+07:00" in result.stdout


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("--working-days", "1e400"), "--working-days '1e400'"),
        (("--working-days", "NaN"), "--working-days 'NaN'"),
        (("--working-days=-Infinity",), "--working-days '-Infinity'"),
        (("--working-days", "-1"), "--working-days '-1'"),
        (("--working-days", "abc"), "--working-days 'abc'"),
        (("--working-days", "1e999999999"), "--working-days '1e999999999'"),
        (("--working-days", "1000000001"), "more than 1,000,000,000 working days"),
        (("--working-hours", "1e30"), "--working-hours '1e30'"),
        (("--working-hours", "1/0"), "--working-hours '1/0'"),
        (("--calendar-days", "3000000"), "+ --calendar-days 3000000' is outside the calendar"),
        (("--calendar-days", "-1"), "--calendar-days '-1'"),
        (("--calendar-days", "1e3"), "--calendar-days '1e3'"),
        (("--calendar-days", "9" * 5000), "--calendar-days '999"),
        (("--calendar-days", "38716"), "the due of '--from 2025-04-25T16:00+07:00 + --cal"),
        (("--months", "1000000"), "+ --months 1000000' is outside the calendar"),
        (("--months", "1000000001"), "--months '1000000001': months are counted in whole"),
        (("--working-hours", "1000000"), "+ --working-hours 1000000' is outside the calendar"),
    ],
)
def test_hostile_budgets_are_named_errors(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], named: str
) -> None:
    code, out, err = run(capsys, "due", "--from", "2025-04-25T16:00+07:00", *args)
    assert (code, out) == (2, "")
    assert err.startswith("tthc-flow: error: ") and named in err
    assert "Traceback" not in err and len(err) < 1_000


def test_the_largest_budgets_are_answered_or_fall_past_the_calendar(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "due", "--from", "1995-01-01T00:00+07:00", "--calendar-days",
                       "38715")  # fmt: skip
    assert code == 0 and "2101-01-01T00:00:00+07:00" in out
    code, out, _ = run(capsys, "due", "--from", "1995-01-01T00:00+07:00", "--months", "1271")
    assert code == 0 and "2100-12-02T00:00:00+07:00" in out
    # Past what is left of the calendar: a range error naming the option, not a crash.
    for option in ("--calendar-days", "--months", "--working-days", "--working-hours"):
        code, _, err = run(capsys, "due", "--from", "2025-04-25T16:00+07:00", option, "9999999")
        assert code == 2 and f"+ {option} 9999999' is outside the calendar" in err


@pytest.mark.parametrize(
    "start",
    ["0001-01-01T00:00+14:00", "9999-12-31T23:00-12:00", "1990-01-01T08:00+07:00",
     "2101-01-02T08:00+07:00"],
)  # fmt: skip
def test_a_start_outside_the_calendar_names_from(
    capsys: pytest.CaptureFixture[str], start: str
) -> None:
    for budget in (("--working-days", "1"), ("--calendar-days", "1"), ("--months", "1")):
        code, _, err = run(capsys, "due", "--from", start, *budget)
        assert code == 2
        assert err.startswith(f"tthc-flow: error: --from '{start}' is outside the calendar")


@pytest.mark.parametrize("year", ["1e400", "3000", "-1", "abc", "1994", "9" * 5000])
def test_calendar_years_outside_1995_2100_are_named(
    capsys: pytest.CaptureFixture[str], year: str
) -> None:
    code, out, err = run(capsys, "calendar", year)
    assert (code, out) == (2, "")
    assert err.startswith("tthc-flow: error: year must be an integer year from 1995 to 2100")


_BUDGETS = st.one_of(
    st.integers(0, 400).map(lambda n: ("--working-days", str(n))),
    st.sampled_from(["0.5", "1/4", "2.5"]).map(lambda n: ("--working-days", n)),
    st.integers(0, 90).map(lambda n: ("--working-hours", str(n))),
    st.integers(0, 800).map(lambda n: ("--calendar-days", str(n))),
    st.integers(0, 40).map(lambda n: ("--months", str(n))),
)


@settings(max_examples=60, deadline=None)
@example(start=datetime(2012, 8, 15, 9), budget=("--working-days", "150"), hours="08:00-10:00")
@example(start=datetime(2098, 1, 1), budget=("--working-days", "187"), hours="08:00-10:00")
@given(
    start=st.datetimes(datetime(1996, 1, 1), datetime(2098, 12, 31)),
    budget=_BUDGETS,
    hours=st.sampled_from([None, "07:30-11:30,13:00-16:30", "08:00-10:00"]),
)
def test_due_from_the_years_it_needs_answers_as_the_whole_calendar(
    start: datetime, budget: tuple[str, str], hours: str | None
) -> None:
    # The command builds a calendar over the years the due can fall in; its answer (and its
    # explanation) is the one the whole 1995–2100 calendar gives, and a due past 2100 is the
    # whole calendar's error.
    import contextlib
    import io

    from tthc_flow.cli import build_parser
    from tthc_flow.cli._commands import _answer_due, _calendar
    from tthc_flow.errors import CalendarRangeError

    argv = ["due", "--from", start.replace(minute=0, second=0, microsecond=0).isoformat()
            + "+07:00", *budget] + (["--hours", hours] if hours else [])  # fmt: skip
    args = build_parser("due").parse_args(argv)
    narrowed, whole = io.StringIO(), io.StringIO()
    beyond = ""
    try:
        with contextlib.redirect_stdout(whole):
            _answer_due(args, _calendar(args), parse_instant(args.start))
    except CalendarRangeError as error:
        beyond = str(error)
    if beyond:
        with pytest.raises(CalendarRangeError) as raised:
            args.run(args)
        assert str(raised.value) == beyond
        return
    with contextlib.redirect_stdout(narrowed):
        code = args.run(args)
    assert code == 0
    assert narrowed.getvalue() == whole.getvalue()


def test_a_due_past_the_years_built_is_asked_of_the_whole_calendar(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys, "due", "--from", "2025-04-25T16:00+07:00", "--working-days", "18000"
    )
    assert code == 0
    assert "ISO: 2097-08-16T16:00:00+07:00" in out  # 72 years on: past any narrow span
    code, _, err = run(
        capsys, "due", "--from", "2025-04-25T16:00+07:00", "--working-days", "30000"
    )
    assert code == 2
    assert "1995-01-01 to 2100-12-31" in err


_OFFSETS = st.sampled_from(
    [timezone(timedelta(hours=h, minutes=m)) for h in range(-12, 15) for m in (0, 30)]
)


@given(
    instant=st.datetimes(timezones=_OFFSETS),
    spec=st.sampled_from(["minutes", "seconds", "microseconds"]),
)
def test_the_common_instant_form_reads_as_dateutil_reads_it(instant: datetime, spec: str) -> None:
    # The command line reads its usual form with the standard library and every other with
    # dateutil's isoparse: the two must agree on the value and the offset.
    from dateutil.parser import isoparse

    text = instant.isoformat(timespec=spec)
    ours = parse_instant(text)
    assert ours == isoparse(text) == instant.replace(
        microsecond=instant.microsecond if spec == "microseconds" else 0,
        second=instant.second if spec != "minutes" else 0,
    )
    assert ours.utcoffset() == isoparse(text).utcoffset()


_FIELD = st.integers(0, 99).map(lambda n: f"{n:02d}")


@given(
    date_part=st.dates(),
    hour=_FIELD, minute=_FIELD, second=st.one_of(st.just(""), _FIELD.map(lambda s: ":" + s)),
    sign=st.sampled_from("+-"), offset_hour=_FIELD, offset_minute=_FIELD,
)  # fmt: skip
def test_any_instant_text_reads_as_dateutil_reads_it(
    date_part: Any, hour: str, minute: str, second: str, sign: str, offset_hour: str,
    offset_minute: str,
) -> None:  # fmt: skip
    # Out-of-range fields included (24:00, +07:60): the command line refuses what dateutil
    # refuses and reads the rest to the same instant and offset.
    from dateutil.parser import isoparse

    text = f"{date_part.isoformat()}T{hour}:{minute}{second}{sign}{offset_hour}:{offset_minute}"
    try:
        theirs = isoparse(text)
    except ValueError:
        with pytest.raises(TthcFlowError):
            parse_instant(text)
        return
    ours = parse_instant(text)
    assert (ours, ours.utcoffset()) == (theirs, theirs.utcoffset())


def test_each_command_is_found_in_the_module_the_command_line_imports_for_it() -> None:
    # Running one command imports only the module COMMAND_MODULES names for it: the table
    # and the modules' own COMMANDS must name the same commands.
    import importlib

    from tthc_flow.cli import COMMAND_MODULES, MODULES

    defined = {
        command.name: module
        for module in MODULES
        for command in importlib.import_module(module).COMMANDS
    }
    assert defined == COMMAND_MODULES


def test_the_parser_of_every_command_builds_again_after_commands_ran(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A host that calls ``main`` several times in one process (a test suite, a job runner)
    gets the same parser each time, whichever command modules earlier calls imported."""
    import importlib

    from tthc_flow.cli import build_parser

    importlib.import_module("tthc_flow.cli._commands")
    first = build_parser()
    assert main(["due", "--from", "2026-03-02T09:00+07:00", "--working-days", "1"]) == 0
    capsys.readouterr()
    again = build_parser()
    assert again.format_help() == first.format_help()
    assert main(["schema", "case_status"]) == 0


def test_a_reader_that_stops_reading_gets_no_traceback(tmp_path: Path) -> None:
    """``tthc-flow store export URL | head``: the pipe closed early is not an error to
    print."""
    from tthc_flow.samples import sample_catalog
    from tthc_flow.simulation import simulate
    from tthc_flow.store import open_store

    url = f"sqlite:///{tmp_path / 'cases.db'}"
    catalog = sample_catalog()
    open_store(url, catalog=catalog).import_cases(simulate(catalog, cases=400, seed=3,
                                                           year=2026))  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "tthc_flow", "store", "export", url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10).startswith(b'{"case_id"')
    process.stdout.close()
    error = process.stderr.read()
    assert process.wait(timeout=60) == 1
    assert b"Traceback" not in error and b"Error" not in error

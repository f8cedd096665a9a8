"""The event journal: round trips (cases interleaved, lines shuffled), and every way a line
can be wrong refused with its line number, nothing skipped."""

from __future__ import annotations

import io
import json
import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.procedures import DESK, judicial_record, land_change
from tthc_flow.engine import Case, Procedure
from tthc_flow.errors import EventFormatError
from tthc_flow.journal import read_histories, read_journal, write_journal
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate

VN = ZoneInfo("Asia/Ho_Chi_Minh")


class Versions:
    """The smallest catalog the journal needs: ``version(code, version)``."""

    def __init__(self, *procedures: Procedure) -> None:
        self.table = {(p.code, p.version): p for p in procedures}

    def version(self, code: str, version: str) -> Procedure:
        return self.table[(code, version)]


CATALOG = Versions(judicial_record(), land_change())


def two_cases() -> list[Case]:
    first = Case.open(judicial_record(), case_id="H-1", actor="Lan", unit=DESK,
                      received_at=datetime(2026, 3, 2, 9, tzinfo=VN),
                      attributes={"channel": "online"})  # fmt: skip
    first.handover("review", at=datetime(2026, 3, 2, 10, tzinfo=VN), actor="Lan", unit=DESK)
    second = Case.open(judicial_record(), case_id="H-2", actor="Lan", unit=DESK,
                       received_at=datetime(2026, 3, 2, 11, tzinfo=VN))  # fmt: skip
    second.handover("review", at=datetime(2026, 3, 2, 14, tzinfo=VN), actor="Lan", unit=DESK)
    return [first, second]


def test_round_trip_of_simulated_cases_with_interleaved_lines() -> None:
    catalog = sample_catalog()
    cases = list(simulate(catalog, cases=60, seed=11, year=2026))
    out = io.StringIO()
    written = write_journal(cases, out)
    lines = out.getvalue().splitlines()
    assert written == len(lines) == sum(len(c.events) for c in cases)
    random.Random(5).shuffle(lines)  # cases interleave, events out of order
    back = list(read_journal(io.StringIO("\n".join(lines) + "\n\n"), catalog))
    by_id = {c.case_id: c for c in back}
    assert len(by_id) == len(cases)
    for case in cases:
        again = by_id[case.case_id]
        assert again.procedure == case.procedure
        assert again.events == case.events
        assert again.attributes == case.attributes
        assert again.status == case.status


def test_each_line_carries_the_case_procedure_and_version() -> None:
    cases = two_cases()
    out = io.StringIO()
    write_journal(cases, out)
    record = json.loads(out.getvalue().splitlines()[0])
    assert (record["case_id"], record["procedure"], record["version"]) == (
        "H-1", "TEST.LLTP", "2025.1",
    )  # fmt: skip
    assert record["kind"] == "received" and record["seq"] == 0


def journal_lines() -> list[str]:
    out = io.StringIO()
    write_journal(two_cases(), out)
    return out.getvalue().splitlines()


def broken(number: int, text: str) -> io.StringIO:
    lines = journal_lines()
    lines[number - 1] = text
    return io.StringIO("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{not json", "line 2 is not JSON"),
        ("[1, 2]", "line 2 is not a JSON object"),
        ('{"seq": 1, "kind": "handed_over", "at": "2026-03-02T10:00+07:00"}',
         "line 2 lacks case_id, procedure, version"),
        ('{"case_id": "H-1", "procedure": "TEST.LLTP", "version": "2025.1", "seq": 1, '
         '"kind": "flew_away", "at": "2026-03-02T10:00+07:00"}', "journal line 2"),
        ('{"case_id": "H-1", "procedure": "TEST.LLTP", "version": "2025.1", "seq": 1, '
         '"kind": "handed_over", "at": "2026-03-02T10:00"}', "journal line 2"),
        ('{"case_id": "H-1", "procedure": "TEST.LLTP", "version": "2025.1", "seq": 0, '
         '"kind": "handed_over", "at": "2026-03-02T10:00+07:00"}', "seq 0 twice"),
        ('{"case_id": "H-1", "procedure": "TEST.DD", "version": "2025.2", "seq": 1, '
         '"kind": "handed_over", "at": "2026-03-02T10:00+07:00"}', "under TEST.DD"),
    ],
)  # fmt: skip
def test_a_bad_line_is_refused_with_its_number(line: str, expected: str) -> None:
    with pytest.raises(EventFormatError, match=expected):
        list(read_histories(broken(2, line), CATALOG))


def test_an_unknown_procedure_version_names_the_line_of_the_case() -> None:
    lines = [line.replace('"2025.1"', '"1999.9"') for line in journal_lines()]
    with pytest.raises(EventFormatError, match=r"line 1: case H-1 names procedure TEST.LLTP "
                       r"version 1999.9"):  # fmt: skip
        list(read_histories(io.StringIO("\n".join(lines)), CATALOG))


def test_a_gap_in_a_case_is_refused() -> None:
    lines = journal_lines()
    del lines[1]  # H-1 keeps seq 0 and loses seq 1: nothing to fill the gap with
    lines.append(lines[0].replace('"seq": 0', '"seq": 2').replace('"received"', '"resolved"'))
    with pytest.raises(EventFormatError, match=r"case H-1 .* numbered \[0, 2\]"):
        list(read_histories(io.StringIO("\n".join(lines)), CATALOG))


def test_an_empty_journal_has_no_cases_and_writing_none_writes_nothing() -> None:
    assert list(read_journal(io.StringIO("\n  \n"), CATALOG)) == []
    out = io.StringIO()
    assert write_journal([], out) == 0 and out.getvalue() == ""


def test_a_handover_to_a_step_the_procedure_lacks_is_recorded_and_moves_nothing() -> None:
    """Audit mode takes any history a real system could have recorded: a handover to a step
    of another version is kept, with its violation, and the case stays where it was."""
    lines = journal_lines()
    lines[1] = lines[1].replace('"target": "review"', '"target": "nowhere"')
    (case, _) = list(read_journal(io.StringIO("\n".join(lines)), CATALOG))
    assert case.case_id == "H-1"
    assert [v.rule for _, v in case.violations] == ["machine.unknown_step"]
    assert case.status.step == "receive"
    assert len(case.events) == 2  # nothing dropped


def test_a_case_the_engine_cannot_replay_names_the_case_and_its_first_line() -> None:
    lines = journal_lines()
    # H-1 loses its receipt: its history starts with a handover.
    lines[0] = lines[0].replace('"received"', '"handed_over"')
    with pytest.raises(EventFormatError, match=r"case H-1 \(first on journal line 1\) cannot "
                       r"be replayed under TEST.LLTP v2025.1"):  # fmt: skip
        list(read_journal(io.StringIO("\n".join(lines)), CATALOG))

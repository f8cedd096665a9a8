"""The event journal: round trips (cases interleaved, lines shuffled); every way a line can
be wrong refused with its line number when strict, and otherwise the case concerned skipped
whole and reported, the other cases kept."""

from __future__ import annotations

import io
import json
import os
import random
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.procedures import DESK, judicial_record, land_change
from tthc_flow.codec import MAX_CASE_ID
from tthc_flow.engine import Case, Procedure
from tthc_flow.errors import EventFormatError, InvalidInputError
from tthc_flow.journal import (
    JournalSkipWarning,
    Skipped,
    Stamp,
    journal_schema,
    read_histories,
    read_journal,
    read_stamped_journal,
    write_journal,
)
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DELETE = object()  # a key taken out of a line


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
        ("{not json", r"line 2: is not JSON"),
        ("[1, 2]", r"line 2: a journal line is a JSON object"),
        ('{"seq": 1, "kind": "handed_over", "at": "2026-03-02T10:00+07:00"}',
         r"line 2, field 'case_id': is missing"),
        ('{"case_id": "H-1", "procedure": "TEST.LLTP", "version": "2025.1", "seq": 1, '
         '"kind": "flew_away", "at": "2026-03-02T10:00+07:00"}',
         r"line 2, case 'H-1', field 'kind': 'flew_away' is not an event kind"),
        ('{"case_id": "H-1", "procedure": "TEST.LLTP", "version": "2025.1", "seq": 1, '
         '"kind": "handed_over", "at": "2026-03-02T10:00"}',
         r"line 2, case 'H-1', field 'at': .* has no offset"),
        ('{"case_id": "H-1", "procedure": "TEST.LLTP", "version": "2025.1", "seq": 0, '
         '"kind": "handed_over", "at": "2026-03-02T10:00+07:00"}',
         r"line 2, case 'H-1': the case has event seq 0 twice"),
        ('{"case_id": "H-1", "procedure": "TEST.DD", "version": "2025.2", "seq": 1, '
         '"kind": "handed_over", "at": "2026-03-02T10:00+07:00"}',
         r"line 2, case 'H-1': .* under TEST.DD"),
        ('{"case_id": "H-1", "procedure": "TEST.LLTP", "version": "2025.1", "seq": 1, '
         '"seq": 1, "kind": "handed_over", "at": "2026-03-02T10:00+07:00"}',
         r"line 2, case 'H-1': the key 'seq' appears twice"),
        ('{"case_id": "H-1", "procedure": "TEST.LLTP", "version": "2025.1", "seq": 1.0, '
         '"kind": "handed_over", "at": "2026-03-02T10:00+07:00"}',
         r"line 2, case 'H-1', field 'seq': must be an integer in JSON, got a number 1.0"),
    ],
)  # fmt: skip
def test_a_bad_line_is_refused_with_its_number_when_strict(line: str, expected: str) -> None:
    with pytest.raises(EventFormatError, match=expected):
        list(read_histories(broken(2, line), CATALOG, strict=True))


@pytest.mark.parametrize(
    "line",
    [
        '{"case_id": "H-1", "procedure": "TEST.LLTP", "version": "2025.1", "seq": 1, '
        '"kind": "flew_away", "at": "2026-03-02T10:00+07:00"}',
        '{"case_id": "H-1", "procedure": "TEST.LLTP", "version": "2025.1", "seq": "1", '
        '"kind": "handed_over", "at": "2026-03-02T10:00+07:00"}',
        '{"case_id": "H-1", "procedure": "TEST.LLTP", "version": "2025.1", "seq": 1, '
        '"kind": "handed_over", "at": "2026-03-02T10:00+07:00", "complete": "false"}',
    ],
)
def test_otherwise_the_case_of_a_bad_line_is_skipped_whole_and_reported(line: str) -> None:
    skipped: list[Skipped] = []
    histories = list(read_histories(broken(2, line), CATALOG, skipped=skipped))
    # H-1 (lines 1-2) is left out whole, not given back with its receipt alone; H-2 stays.
    assert [events[0].data["case_id"] for _, events in histories] == ["H-2"]
    assert len(skipped) == 1
    assert skipped[0].case_id == "H-1" and skipped[0].lines == (1, 2)


def test_a_line_whose_case_cannot_be_known_is_reported_alone() -> None:
    skipped: list[Skipped] = []
    histories = list(read_histories(broken(3, "{not json"), CATALOG, skipped=skipped))
    assert [events[0].data["case_id"] for _, events in histories] == ["H-1"]
    # The line is reported alone; H-2, which lost its receipt with it, keeps only seq 1, a
    # gap, so it is skipped whole as well.
    assert [(s.case_id, s.lines) for s in skipped] == [(None, (3,)), ("H-2", (4,))]
    assert "numbered [1]" in skipped[1].reason


def test_without_a_list_a_skip_is_a_warning_not_silence() -> None:
    with pytest.warns(JournalSkipWarning, match=r"skipped case 'H-1' \(line 1, 2\)"):
        histories = list(read_histories(broken(2, "[1, 2, {\"case_id\": \"H-1\"}]"), CATALOG))
    assert len(histories) == 1


def test_a_torn_last_line_skips_its_case_and_keeps_the_others() -> None:
    text = "\n".join(journal_lines()) + "\n"
    # A writer killed in the middle of H-2's last line.
    torn = text[: text.rindex('"kind"')]
    skipped: list[Skipped] = []
    cases = list(read_journal(io.StringIO(torn), CATALOG, skipped=skipped))
    assert [c.case_id for c in cases] == ["H-1"]
    assert [(s.case_id, s.lines) for s in skipped] == [("H-2", (3, 4))]
    assert "torn" in skipped[0].reason
    # Cut inside the case id itself: the case written last is still not given as complete.
    cut = text[: text.rindex('"H-2"') + 2]
    skipped = []
    cases = list(read_journal(io.StringIO(cut), CATALOG, skipped=skipped))
    assert [c.case_id for c in cases] == ["H-1"]
    # The torn line's case cannot be read, so it is reported alone; H-2's first line says
    # two events were written, so H-2, holding one, is skipped as cut short.
    assert [(s.case_id, s.lines) for s in skipped] == [(None, (4,)), ("H-2", (3,))]
    assert "torn" in skipped[0].reason and "cut short" in skipped[1].reason
    with pytest.raises(EventFormatError, match="torn"):
        list(read_journal(io.StringIO(cut), CATALOG, strict=True))


def test_an_unknown_procedure_version_names_the_line_of_the_case() -> None:
    lines = [line.replace('"2025.1"', '"1999.9"') for line in journal_lines()]
    with pytest.raises(EventFormatError, match=r"line 1, case 'H-1': names procedure TEST.LLTP "
                       r"version 1999.9"):  # fmt: skip
        list(read_histories(io.StringIO("\n".join(lines)), CATALOG, strict=True))


def test_a_gap_in_a_case_is_refused() -> None:
    lines = journal_lines()
    del lines[1]  # H-1 keeps seq 0 and loses seq 1: nothing to fill the gap with
    lines.append(lines[0].replace('"seq": 0', '"seq": 2').replace('"received"', '"resolved"'))
    with pytest.raises(EventFormatError, match=r"case 'H-1': its events are numbered \[0, 2\]"):
        list(read_histories(io.StringIO("\n".join(lines)), CATALOG, strict=True))


def test_identity_is_the_line_case_id_and_a_receipt_that_disagrees_is_refused() -> None:
    lines = journal_lines()
    # H-2's receipt claims to be H-1: the lines say H-2, so the case is not merged into H-1.
    lines[2] = lines[2].replace('"case_id": "H-2", "attributes"', '"case_id": "H-1", '
                                '"attributes"')  # fmt: skip
    assert '"data": {"case_id": "H-1"' in lines[2]
    skipped: list[Skipped] = []
    cases = list(read_journal(io.StringIO("\n".join(lines)), CATALOG, skipped=skipped))
    assert [c.case_id for c in cases] == ["H-1"] and len(cases[0].events) == 2
    assert [(s.case_id, s.lines) for s in skipped] == [("H-2", (3, 4))]
    assert "receipt names case 'H-1'" in skipped[0].reason


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
    with pytest.raises(EventFormatError, match=r"line 1, case 'H-1': cannot be replayed under "
                       r"TEST.LLTP v2025.1"):  # fmt: skip
        list(read_journal(io.StringIO("\n".join(lines)), CATALOG, strict=True))


def test_reading_one_case_from_a_file_finds_exactly_what_a_full_read_finds(
    tmp_path: Path,
) -> None:
    catalog = sample_catalog()
    pool = list(simulate(catalog, cases=40, seed=4, year=2026))
    out = io.StringIO()
    write_journal(pool, out)
    lines = out.getvalue().splitlines()
    text = []
    # Over 1 MiB, so the file is searched in several blocks; some ids need escapes in JSON.
    for round_ in range(14):
        for line in lines:
            record = json.loads(line)
            record["case_id"] = f'{record["case_id"]}"{round_}' if round_ % 5 == 0 else (
                f'{record["case_id"]}-{round_}')  # fmt: skip
            if "data" in record and "case_id" in record["data"]:
                record["data"]["case_id"] = record["case_id"]
            text.append(json.dumps(record, ensure_ascii=False))
    # One line written by another writer, keys in another order, in the middle.
    middle = json.loads(text[len(text) // 2])
    text[len(text) // 2] = json.dumps(dict(reversed(list(middle.items()))), ensure_ascii=False)
    path = tmp_path / "journal.jsonl"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert path.stat().st_size > 2**20
    every = {case.case_id: case for case in read_journal(path, catalog, strict=True)}
    assert len(every) == 14 * len(pool)
    chosen = [middle["case_id"], *list(every)[:: len(every) // 9]]
    for case_id in chosen:
        (alone,) = read_journal(path, catalog, case_ids=[case_id], strict=True)
        assert alone.events == every[case_id].events
    with path.open("rb") as binary:
        both = list(read_journal(binary, catalog, case_ids=chosen[:2], strict=True))
    assert [case.case_id for case in both] == sorted(chosen[:2], key=list(every).index)


def test_every_line_written_follows_the_published_schema_and_the_reader_is_stricter() -> None:
    import jsonschema

    from tthc_flow.journal import journal_schema

    schema = journal_schema()
    validator = jsonschema.Draft202012Validator(schema)
    jsonschema.Draft202012Validator.check_schema(schema)
    catalog = sample_catalog()
    out = io.StringIO()
    write_journal(simulate(catalog, cases=80, seed=21, year=2026), out)
    lines = out.getvalue().splitlines()
    for line in lines:
        validator.validate(json.loads(line))
    event_validator = jsonschema.Draft202012Validator(
        {**schema["$defs"]["event"], "$defs": schema["$defs"]}
    )
    for case in read_journal(io.StringIO(out.getvalue()), catalog, strict=True):
        for event in case.events:
            event_validator.validate(event.to_json())
    # What the schema refuses, the reader refuses.
    record = json.loads(lines[0])
    for key, value in (("at", "2026-03-02 09:00:00+07:00"), ("at", "20260302T0900+0700"),
                       ("seq", -1), ("kind", "flew"), ("unit", None), ("surprise", 1),
                       ("events", 0), ("evidence", "Tờ khai")):  # fmt: skip
        bad = {**record, key: value}
        assert not validator.is_valid(bad)
        with pytest.raises(EventFormatError):
            list(read_histories(io.StringIO(json.dumps(bad) + "\n"), catalog, strict=True))


def three_event_journal() -> str:
    cases = []
    for case_id in ("A", "B"):
        case = Case.open(judicial_record(), case_id=case_id, actor="Lan", unit=DESK,
                         received_at=datetime(2026, 3, 2, 9, tzinfo=VN))  # fmt: skip
        case.handover("review", at=datetime(2026, 3, 2, 10, tzinfo=VN), actor="Lan", unit=DESK)
        case.handover("approve", at=datetime(2026, 3, 3, 10, tzinfo=VN), actor="Minh",
                      unit="Phòng Hành chính tư pháp")  # fmt: skip
        cases.append(case)
    out = io.StringIO()
    write_journal(cases, out)
    return out.getvalue()


def counts(source: object, **options: object) -> tuple[dict[str, int], list[str | None]]:
    skipped: list[Skipped] = []
    found = {
        case.case_id: len(case.events)
        for case in read_journal(source, CATALOG, skipped=skipped, **options)  # type: ignore[arg-type]
    }
    return found, [s.case_id for s in skipped]


@pytest.mark.parametrize(
    "edit",
    [
        # Another writer: a space before the comma, no count on the first line.
        lambda text: text.replace('"events": 3, ', "").replace('{"case_id": "A",',
                                                              '{"case_id": "A" ,'),
        # A bare carriage return (JSON whitespace) and a blank line in the block.
        lambda text: text.replace('"seq": 0,', '"seq": 0,\r') + "\n",
        # CRLF line ends.
        lambda text: text.replace("\n", "\r\n"),
        # A torn line whose id is cut, of an unknown case, then more lines.
        lambda text: text + '{"case_id": "C-oo\n',
    ],
)
def test_reading_named_cases_finds_what_a_full_read_finds(
    tmp_path: Path, edit: Callable[[str], str]
) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_bytes(edit(three_event_journal()).encode("utf-8"))
    full, full_skipped = counts(path)
    assert full == {"A": 3, "B": 3}
    for case_id in ("A", "B"):
        alone, alone_skipped = counts(path, case_ids=iter([case_id]))  # a generator too
        assert alone == {case_id: 3}
        # A line whose case cannot be known might be this case's: reported either way.
        assert alone_skipped == full_skipped
    assert counts(path, case_ids=["A", "B"])[0] == full


def test_a_journal_is_read_from_a_pipe_a_bom_and_any_text_encoding(tmp_path: Path) -> None:
    text = three_event_journal()
    with_bom = tmp_path / "bom.jsonl"
    with_bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert counts(with_bom)[0] == {"A": 3, "B": 3}
    with with_bom.open(encoding="utf-8-sig") as stream:
        assert counts(stream)[0] == {"A": 3, "B": 3}
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_text(text, encoding="utf-16")
    with utf16.open(encoding="utf-16") as stream:
        assert counts(stream)[0] == {"A": 3, "B": 3}
    # A stream that cannot seek, whose UTF-8 letters straddle its read chunks.
    padded = text.replace('"actor": "Lan"', '"actor": "' + "ồ" * 40_000 + '"', 1)
    raw = padded.encode("utf-8")

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.data = io.BytesIO(raw)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            chunk = self.data.read(min(len(buffer), 7))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    assert counts(io.BufferedReader(Pipe()))[0] == {"A": 3, "B": 3}
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(text.encode("utf-8")))
    writer.start()
    try:
        assert counts(fifo, case_ids=["B"])[0] == {"B": 3}
    finally:
        writer.join()


def test_a_case_id_holding_a_raw_control_character_is_skipped_when_asked_for(
    tmp_path: Path,
) -> None:
    """A line whose case id holds a raw tab is not JSON (JSON escapes control characters):
    asked for by id, the case is reported skipped, as a full read reports it, never read
    without that line."""
    catalog = sample_catalog()
    out = io.StringIO()
    write_journal(list(simulate(catalog, cases=3, seed=4, year=2026)), out)
    lines = out.getvalue().splitlines(keepends=True)
    first = json.loads(lines[0])["case_id"]
    bad = [line.replace(first, "TAB\tCASE") for line in lines if first in line]
    path = tmp_path / "journal.jsonl"
    path.write_text("".join(lines) + "".join(bad), encoding="utf-8")
    everything: list[Skipped] = []
    list(read_histories(path, catalog, skipped=everything))
    asked: list[Skipped] = []
    assert list(read_histories(path, catalog, skipped=asked, case_ids=["TAB\tCASE"])) == []
    assert [s.case_id for s in asked] == [s.case_id for s in everything] == ["TAB\tCASE"]


@given(
    text=st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=30)
    .map(lambda parts: b"\n".join(parts)),
    size=st.integers(min_value=1, max_value=64),
)  # fmt: skip
def test_line_blocks_give_the_stream_back_cut_after_line_breaks(text: bytes, size: int) -> None:
    from tthc_flow.codec import line_blocks

    blocks = list(line_blocks(io.BytesIO(text), size))
    assert b"".join(blocks) == text
    assert all(blocks)
    assert all(block.endswith(b"\n") for block in blocks[:-1])


@pytest.mark.parametrize("size", [0, -1, 1.5, True, None])
def test_line_blocks_refuse_a_size_that_would_read_nothing(size: object) -> None:
    from tthc_flow.codec import line_blocks
    from tthc_flow.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="size"):
        list(line_blocks(io.BytesIO(b"a\nb\n"), size))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "argument", [{"strict": "no"}, {"strict": 0.0}, {"skipped": ()}, {"skipped": "x"}]
)
def test_a_reader_refuses_a_switch_or_a_skip_list_it_would_misread_before_any_case(
    argument: dict[str, Any],
) -> None:
    out = io.StringIO()
    write_journal(two_cases(), out)
    torn = out.getvalue()[:-40]  # the second case is cut short: its skip would be reported
    for read in (read_journal, read_histories):
        given_back: list[Any] = []
        with pytest.raises(InvalidInputError, match=next(iter(argument))):
            given_back.extend(read(io.StringIO(torn), CATALOG, **argument))
        assert given_back == []


def _closed() -> io.StringIO:
    stream = io.StringIO()
    stream.close()
    return stream


@pytest.mark.parametrize(
    ("cases", "stream", "says"),
    [
        (None, io.StringIO(), "iterable of Case"),
        (two_cases(), None, "no write method"),
        (two_cases(), io.BytesIO(), "binary"),
        (two_cases(), _closed(), "closed"),
    ],
)
def test_a_writer_refuses_what_it_cannot_write_before_writing(
    cases: Any, stream: Any, says: str, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInputError, match=says):
        write_journal(cases, stream)
    if isinstance(stream, io.BytesIO):
        assert stream.getvalue() == b""
    path = tmp_path / "read-only.jsonl"
    path.write_text("")
    with (
        open(path, encoding="utf-8") as read_only,
        pytest.raises(InvalidInputError, match="reading only"),
    ):
        write_journal(two_cases(), read_only)


def test_a_case_id_longer_than_a_store_takes_is_neither_written_nor_read() -> None:
    long_id = "H" * (MAX_CASE_ID + 1)
    # No case has one: the engine refuses it when the case is opened.
    with pytest.raises(InvalidInputError, match=f"at most {MAX_CASE_ID}"):
        Case.open(judicial_record(), case_id=long_id, actor="Lan", unit=DESK,
                  received_at=datetime(2026, 3, 2, 9, tzinfo=VN))  # fmt: skip
    out = io.StringIO()
    write_journal(two_cases(), out)
    line = json.loads(out.getvalue().splitlines()[0])
    line.update(case_id=long_id, events=1)
    journal = out.getvalue() + json.dumps(line) + "\n"
    skipped: list[Skipped] = []
    assert [c.case_id for c in read_journal(io.StringIO(journal), CATALOG,
                                            skipped=skipped)] == ["H-1", "H-2"]  # fmt: skip
    assert skipped[0].case_id == long_id and f"at most {MAX_CASE_ID}" in skipped[0].reason
    with pytest.raises(EventFormatError, match="case_id"):
        list(read_journal(io.StringIO(journal), CATALOG, strict=True))


def stamped_lines() -> list[str]:
    """The lines of :func:`two_cases` as a store exports them: each event with when it was
    recorded and how it was entered."""
    recorded = datetime(2026, 3, 4, 2, tzinfo=timezone.utc)
    out = io.StringIO()
    write_journal(two_cases(), out, stamps=lambda _id: [Stamp(recorded, "live"),
                                                        Stamp(recorded, "late")])  # fmt: skip
    return out.getvalue().splitlines()


def test_a_line_may_say_when_a_store_recorded_its_event_and_how_it_was_entered() -> None:
    lines = stamped_lines()
    records = [json.loads(line) for line in lines]
    assert [(r["recorded_at"], r["entry"]) for r in records] == [
        ("2026-03-04T02:00:00.000000+00:00", "live"),
        ("2026-03-04T02:00:00.000000+00:00", "late"),
    ] * 2
    validator = jsonschema.Draft202012Validator(journal_schema())
    for record in records:
        validator.validate(record)
    text = "\n".join(lines) + "\n"
    recorded = datetime(2026, 3, 4, 2, tzinfo=timezone.utc)
    pairs = list(read_stamped_journal(io.StringIO(text), CATALOG, strict=True))
    assert [stamps for _, stamps in pairs] == [
        (Stamp(recorded, "live"), Stamp(recorded, "late"))
    ] * 2
    # Every reader takes them, and gives the same cases as from the plain lines.
    plain = "\n".join(journal_lines()) + "\n"
    assert [c.events for c in read_journal(io.StringIO(text), CATALOG, strict=True)] == [
        c.events for c in read_journal(io.StringIO(plain), CATALOG, strict=True)
    ] == [case.events for case, _ in pairs]
    assert len(list(read_histories(io.StringIO(text), CATALOG, strict=True))) == 2
    # A plain journal: no stamps.
    assert [stamps for _, stamps in read_stamped_journal(io.StringIO(plain), CATALOG)] == [
        (None, None)
    ] * 2
    # Given back in seq order, with their own events, the lines shuffled.
    shuffled = "\n".join([lines[3], lines[1], lines[2], lines[0]]) + "\n"
    again = list(read_stamped_journal(io.StringIO(shuffled), CATALOG, strict=True))
    assert [(c.case_id, s) for c, s in again] == [(c.case_id, s) for c, s in reversed(pairs)]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ({"entry": "early"}, r"field 'entry': 'early' is not an entry"),
        ({"entry": None}, r"field 'entry': None is not an entry"),
        ({"entry": "LATE"}, r"field 'entry'"),
        ({"entry": DELETE}, r"field 'entry': is missing: a line carries recorded_at and entry"),
        ({"recorded_at": DELETE}, r"field 'recorded_at': is missing"),
        ({"recorded_at": "2026-03-04T02:00:00"}, r"field 'recorded_at': .* has no offset"),
        ({"recorded_at": "2026-03-04 02:00:00+00:00"}, r"field 'recorded_at': .* not written"),
        ({"recorded_at": 1772589600}, r"field 'recorded_at': must be a string"),
        ({"recorded_at": "yesterday"}, r"field 'recorded_at'"),
    ],
)
def test_a_line_with_one_stamp_key_alone_or_a_bad_one_is_a_bad_line(
    edit: dict[str, Any], expected: str
) -> None:
    lines = stamped_lines()
    record = json.loads(lines[1])
    for key, value in edit.items():
        if value is DELETE:
            del record[key]
        else:
            record[key] = value
    lines[1] = json.dumps(record, ensure_ascii=False)
    text = "\n".join(lines) + "\n"
    assert not jsonschema.Draft202012Validator(journal_schema()).is_valid(record)
    for reader in (read_stamped_journal, read_journal, read_histories):
        with pytest.raises(EventFormatError, match=r"line 2, case 'H-1', " + expected):
            list(reader(io.StringIO(text), CATALOG, strict=True))  # type: ignore[operator]
        skipped: list[Skipped] = []
        kept = list(reader(io.StringIO(text), CATALOG, skipped=skipped))  # type: ignore[operator]
        assert len(kept) == 1  # H-2
        assert [(s.case_id, s.lines) for s in skipped] == [("H-1", (1, 2))]


def test_a_writer_given_stamps_it_cannot_write_writes_none_of_the_case() -> None:
    recorded = datetime(2026, 3, 4, 2, tzinfo=timezone.utc)
    for stamps, expected in (
        (lambda _id: [Stamp(recorded, "live")], "has 2 events but its stamps cover 1"),
        (lambda _id: [Stamp(recorded, "live"), Stamp(recorded, "early")], "not an entry"),
        (lambda _id: [Stamp(recorded, "live"), Stamp(datetime(2026, 3, 4), "late")],
         "aware datetime"),
        (lambda _id: None, "must be a sequence"),
    ):  # fmt: skip
        out = io.StringIO()
        with pytest.raises(EventFormatError, match=expected):
            write_journal(two_cases()[:1], out, stamps=stamps)  # type: ignore[arg-type]
        assert out.getvalue() == ""
    with pytest.raises(InvalidInputError, match="stamps must be a function"):
        write_journal(two_cases(), io.StringIO(), stamps="live")  # type: ignore[arg-type]
    # More stamps than events (a store's history that grew since the case was read): the
    # first are written.
    out = io.StringIO()
    write_journal(two_cases()[:1], out, stamps=lambda _id: [Stamp(recorded, "live")] * 3)
    assert [json.loads(line)["entry"] for line in out.getvalue().splitlines()] == ["live"] * 2

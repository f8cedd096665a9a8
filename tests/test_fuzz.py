"""The fuzz harness: journal lines, event documents and command arguments mutated at random.
Whatever comes in, the result is a typed error (or, for a tolerant journal read, a reported
skip) or an exact round trip, never any other exception.

The number of examples per property is ``TTHC_FLOW_FUZZ_EXAMPLES`` (default 120, the CI
budget); ``python tests/fuzz/run.py --minutes 10`` runs these properties for longer and
prints the counts.
"""

from __future__ import annotations

import io
import json
import os
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import jsonschema
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.procedures import DESK, RECORDS, judicial_record
from tthc_flow.engine import Case, Event, Procedure, WorkingDays, events_from_json, events_to_json
from tthc_flow.errors import TthcFlowError
from tthc_flow.journal import Skipped, journal_schema, read_journal, write_journal

SCHEMA = jsonschema.Draft202012Validator(journal_schema())
EXAMPLES = int(os.environ.get("TTHC_FLOW_FUZZ_EXAMPLES", "120"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
VN = ZoneInfo("Asia/Ho_Chi_Minh")
AT = datetime(2026, 3, 2, 9, tzinfo=VN)


class Versions:
    def version(self, code: str, version: str) -> Procedure:
        procedure = judicial_record()
        if (code, version) != (procedure.code, procedure.version):
            raise KeyError((code, version))
        return procedure


CATALOG = Versions()


def cases() -> list[Case]:
    first = Case.open(
        judicial_record(), case_id="F-1", received_at=AT, actor="Nguyễn Văn Lan", unit=DESK,
        attributes={"channel": "online", "documents": ["Tờ khai"]},
    )
    first.handover("review", at=AT + timedelta(hours=1), actor="Lan", unit=DESK)
    first.request_supplement(at=AT + timedelta(days=1), actor="Minh", unit=RECORDS,
                             evidence=("Phiếu yêu cầu bổ sung số 12/PYCBS",))  # fmt: skip
    second = Case.open(judicial_record(), case_id="F-2", received_at=AT + timedelta(hours=2),
                       actor="Lan", unit=DESK)  # fmt: skip
    second.refuse(at=AT + timedelta(hours=3), actor="Lan", unit=DESK, reason="Thiếu giấy tờ")
    third = Case.open(judicial_record(), case_id="F-3", received_at=AT + timedelta(hours=4),
                      actor="Lan", unit=DESK)  # fmt: skip
    return [first, second, third]


ORIGINAL = cases()
BY_ID = {case.case_id: case for case in ORIGINAL}
_out = io.StringIO()
write_journal(ORIGINAL, _out)
LINES = _out.getvalue().split("\n")[:-1]

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=5,
)
KEYS = ("case_id", "procedure", "version", "events", "seq", "kind", "at", "actor", "unit",
        "role", "target", "reason", "new_due", "evidence", "complete", "data", "violations",
        "other")  # fmt: skip


@st.composite
def mutated_lines(draw: st.DrawFn) -> tuple[int, str]:
    """One line of the journal changed: a field given another value or dropped, a key
    repeated, text cut out or put in."""
    index = draw(st.integers(min_value=0, max_value=len(LINES) - 1))
    line = LINES[index]
    how = draw(st.sampled_from(("value", "drop", "repeat", "cut", "insert")))
    if how in ("value", "drop"):
        record = json.loads(line)
        key = draw(st.sampled_from(KEYS))
        if how == "drop":
            record.pop(key, None)
        else:
            record[key] = draw(JSON_VALUES)
        try:
            return index, json.dumps(record, ensure_ascii=draw(st.booleans()))
        except ValueError:
            return index, line
    if how == "repeat":
        key = draw(st.sampled_from(KEYS))
        return index, line[:-1] + f', "{key}": ' + json.dumps(draw(JSON_VALUES)) + "}"
    start = draw(st.integers(min_value=0, max_value=len(line)))
    if how == "cut":
        end = draw(st.integers(min_value=start, max_value=len(line)))
        return index, line[:start] + line[end:]
    return index, line[:start] + draw(st.text(max_size=10)) + line[start:]


def case_of(line: str) -> str | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    found = record.get("case_id") if isinstance(record, dict) else None
    return found if isinstance(found, str) else None


@FUZZ
@given(mutation=mutated_lines(), torn=st.booleans())
@example(mutation=(0, "\ufeff" + LINES[0]), torn=False)  # the file's own byte order mark
def test_a_mutated_journal_gives_whole_good_cases_and_reports_the_rest(
    mutation: tuple[int, str], torn: bool
) -> None:
    index, line = mutation
    lines = list(LINES)
    lines[index] = line
    text = "\n".join(lines) + ("" if torn and index == len(lines) - 1 else "\n")
    skipped: list[Skipped] = []
    back = list(read_journal(io.StringIO(text), CATALOG, skipped=skipped))
    touched = {case_of(LINES[index]), case_of(line)}
    for case in back:
        if case.case_id not in touched:
            assert case.events == BY_ID[case.case_id].events  # the others, untouched
        # Whatever was accepted survives a write and a read exactly.
        out = io.StringIO()
        write_journal([case], out)
        (again,) = read_journal(io.StringIO(out.getvalue()), CATALOG, strict=True)
        assert again.events == case.events and again.case_id == case.case_id
    untouched = set(BY_ID) - touched
    assert untouched <= {case.case_id for case in back}
    try:
        strict = list(read_journal(io.StringIO(text), CATALOG, strict=True))
    except TthcFlowError:
        assert skipped
    else:
        assert not skipped and [c.case_id for c in strict] == [c.case_id for c in back]
        # The reader is at least as strict as the published schema (which judges lines;
        # a byte order mark before the first is the file's, and is dropped).
        for kept in text.removeprefix("\ufeff").split("\n"):
            if kept.strip():
                SCHEMA.validate(json.loads(kept))


@FUZZ
@given(text=st.text(max_size=200) | st.sampled_from(LINES).map(lambda line: line[: len(line) // 2]))
def test_any_text_read_as_events_is_refused_or_read_back_exactly(text: str) -> None:
    try:
        events = events_from_json(text)
    except TthcFlowError:
        return
    assert events_from_json(events_to_json(events)) == events


ARGUMENTS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
    st.lists(st.text(max_size=5), max_size=2), st.dictionaries(st.text(max_size=4),
                                                                st.integers(), max_size=2),
    st.datetimes(timezones=st.none() | st.timezones()), st.dates(),
)  # fmt: skip
COMMANDS = {
    "handover": ("to", "at", "actor", "unit", "role"),
    "send_back": ("to", "at", "actor", "unit", "role", "reason"),
    "pause": ("reason", "at", "actor", "unit", "evidence"),
    "request_supplement": ("at", "actor", "unit", "evidence"),
    "refuse": ("at", "actor", "unit", "reason"),
    "reschedule": ("new_due", "at", "actor", "unit", "reason"),
    "close": ("at", "actor", "unit", "reason"),
    "consult": ("consulted", "at", "actor", "unit", "evidence", "note"),
    "answer_consultation": ("consulted", "at", "actor", "evidence", "note"),
    "proceed_without_answer": ("consulted", "at", "actor", "unit", "reason"),
}
FINANCE = "Phòng Tài chính"
# The desk step may consult a finance office (a quarter of a day to answer: due 11:00).
CONSULTING = judicial_record(
    steps=[
        attrs.evolve(step, consults={FINANCE: WorkingDays("0.25")})
        if step.key == "receive" else step
        for step in judicial_record().steps
    ]
)  # fmt: skip
GOOD: dict[str, Any] = {
    "to": "review", "at": AT + timedelta(hours=1), "actor": "Lan", "unit": DESK,
    "role": None, "reason": "Thiếu giấy tờ", "evidence": ("Phiếu số 1",),
    "new_due": AT + timedelta(days=20), "consulted": "Phòng Tài chính", "note": "",
}  # fmt: skip


@FUZZ
@given(
    command=st.sampled_from(sorted(COMMANDS)),
    data=st.data(),
)
def test_a_command_with_any_arguments_is_refused_unchanged_or_recorded_exactly(
    command: str, data: st.DataObject
) -> None:
    case = Case.open(CONSULTING, case_id="CMD", received_at=AT, actor="Lan", unit=DESK)
    if command in ("answer_consultation", "proceed_without_answer"):
        # An open consultation to answer or to go on without (late from 11:00).
        case.consult(FINANCE, at=AT, actor="Lan", unit=DESK, evidence=["Công văn 1"])
    arguments = {name: GOOD[name] for name in COMMANDS[command]}
    if command == "proceed_without_answer":
        arguments["at"] = AT + timedelta(hours=3)
    for name in data.draw(st.sets(st.sampled_from(COMMANDS[command]), min_size=1)):
        arguments[name] = data.draw(ARGUMENTS, label=name)
    before = case.events
    try:
        getattr(case, command)(**arguments)
    except TthcFlowError:
        assert case.events == before
        return
    assert len(case.events) == len(before) + 1
    assert events_from_json(events_to_json(case.events)) == list(case.events)
    again = Case.from_events(case.procedure, case.events)
    assert again.status == case.status


@FUZZ
@given(
    field=st.sampled_from(
        ("case_id", "actor", "unit", "role", "attributes", "evidence", "received_at",
         "calendar", "mode")
    ),
    value=ARGUMENTS,
)
def test_opening_a_case_with_any_argument_is_refused_or_exact(field: str, value: Any) -> None:
    arguments: dict[str, Any] = {"case_id": "O", "received_at": AT, "actor": "Lan", "unit": DESK}
    arguments[field] = value
    try:
        case = Case.open(judicial_record(), **arguments)
    except TthcFlowError:
        return
    out = io.StringIO()
    write_journal([case], out)
    (again,) = read_journal(io.StringIO(out.getvalue()), CATALOG, strict=True)
    assert again.events == case.events and again.attributes == case.attributes
    assert isinstance(Event.from_json(case.events[0].to_json()), Event)

"""Events read and built exactly: a wrong type is refused with the field named, never
guessed; every text that is accepted survives JSON and the journal unchanged."""

from __future__ import annotations

import io
import json
import unicodedata
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.procedures import DESK, RECORDS, judicial_record
from tthc_flow.engine import Case, Event, EventKind, events_from_json, events_to_json
from tthc_flow.errors import EventFormatError, InvalidInputError, TthcFlowError
from tthc_flow.journal import Skipped, read_journal, write_journal

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AT = datetime(2026, 3, 2, 9, tzinfo=VN)


def record(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "seq": 1, "kind": "paused", "at": "2026-03-02T10:00:00+07:00", "actor": "Minh",
        "unit": RECORDS, "reason": "appraisal", "evidence": ["Phiếu số 3"],
    }  # fmt: skip
    base.update(changes)
    return {k: v for k, v in base.items() if v is not _DROP}


_DROP = object()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"complete": "false"}, "complete"),
        ({"complete": 0}, "complete"),
        ({"seq": 1.9}, "seq"),
        ({"seq": True}, "seq"),
        ({"seq": "1"}, "seq"),
        ({"seq": -1}, "seq"),
        ({"actor": None}, "actor"),
        ({"actor": 5}, "actor"),
        ({"unit": ["Phòng"]}, "unit"),
        ({"role": 3}, "role"),
        ({"target": ["review"]}, "target"),
        ({"reason": {"code": "x"}}, "reason"),
        ({"evidence": "Phiếu số 3"}, "evidence"),
        ({"evidence": ["ok", 7]}, "evidence[1]"),
        ({"at": "2026-03-02T10:00:00"}, "at"),
        ({"at": 1772420400}, "at"),
        ({"at": "0001-01-01T00:00:00+14:00"}, "at"),
        ({"new_due": "soon"}, "new_due"),
        ({"data": []}, "data"),
        ({"data": {"note": "a\x00b"}}, "data.note"),
        ({"reason": "tạm dừng\x1b[2J"}, "reason"),
        ({"actor": "Minh\u2028Lan"}, "actor"),
        ({"kind": "flew_away"}, "kind"),
        ({"kind": None}, "kind"),
        ({"seq": _DROP}, "seq"),
        ({"violations": [{"rule": "x"}]}, "violations[0].message"),
        ({"violations": [{"rule": "x", "message": "m", "category": "bad"}]},
         "violations[0].category"),
        ({"surprise": 1}, "surprise"),
    ],
)  # fmt: skip
def test_a_field_of_the_wrong_type_is_refused_with_its_name(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(EventFormatError) as error:
        Event.from_json(record(**changes))
    assert error.value.field == field
    assert f"field {field!r}" in str(error.value)


def test_a_receipt_with_attributes_that_are_not_a_mapping_is_refused() -> None:
    with pytest.raises(EventFormatError) as error:
        Event.from_json(record(seq=0, kind="received", data={"attributes": ["x"]}))
    assert error.value.field == "data.attributes"
    with pytest.raises(EventFormatError) as error:
        Event.from_json(record(seq=0, kind="received", data={"case_id": 12}))
    assert error.value.field == "data.case_id"


def test_json_documents_are_read_exactly() -> None:
    good = json.dumps(record())
    assert events_from_json(good)[0].reason == "appraisal"
    for text, expected in (
        (good.replace('"seq": 1', '"seq": 1, "seq": 2'), "appears twice"),
        (good.replace('"seq": 1', '"seq": 1e400'), "too large"),
        (good.replace('"seq": 1', '"seq": Infinity'), "not a JSON number"),
        (good.replace('"seq": 1', '"seq": ' + "9" * 5000), "larger than"),
        ('{"a": ' * 100_000, "nested more than"),
        ('{"seq": 1, "data": ' + "[" * 40 + "]" * 40 + "}", "nested more than"),
    ):
        with pytest.raises(EventFormatError, match=expected) as error:
            events_from_json("\n" + text)
        assert error.value.line == 2


def test_commands_refuse_what_an_event_would_refuse_and_record_nothing() -> None:
    procedure = judicial_record()
    with pytest.raises(EventFormatError, match="field 'actor'"):
        Case.open(procedure, case_id="C", received_at=AT, actor=5, unit=DESK)  # type: ignore[arg-type]
    with pytest.raises(EventFormatError, match="field 'evidence'"):
        Case.open(procedure, case_id="C", received_at=AT, actor="Lan", unit=DESK,
                  evidence="Tờ khai")  # fmt: skip
    with pytest.raises(EventFormatError, match="field 'at'"):
        Case.open(procedure, case_id="C", received_at=None, actor="Lan", unit=DESK)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="calendar must be a WorkingCalendar"):
        Case.open(procedure, case_id="C", received_at=AT, actor="Lan", calendar="vn")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="attributes must be a mapping"):
        Case.open(procedure, case_id="C", received_at=AT, actor="Lan", attributes=[("a", 1)])  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"attributes\.documents"):
        Case.open(procedure, case_id="C", received_at=AT, actor="Lan",
                  attributes={"documents": "Tờ khai"})  # fmt: skip
    with pytest.raises(InvalidInputError, match=r"NaN|nan"):
        Case.open(procedure, case_id="C", received_at=AT, actor="Lan",
                  attributes={"fee": float("nan")})  # fmt: skip
    with pytest.raises(InvalidInputError, match="case_id"):
        Case.open(procedure, case_id=7, received_at=AT, actor="Lan")  # type: ignore[arg-type]
    case = Case.open(procedure, case_id="C", received_at=AT, actor="Lan", unit=DESK)
    before = case.events
    for bad in (
        lambda: case.handover("review", at=None, actor="Lan", unit=DESK),  # type: ignore[arg-type]
        lambda: case.handover(["review"], at=AT, actor="Lan", unit=DESK),  # type: ignore[arg-type]
        lambda: case.handover("review", at=AT + timedelta(hours=1), actor=None, unit=DESK),  # type: ignore[arg-type]
        lambda: case.close(at=None, actor="Lan", unit=DESK),  # type: ignore[arg-type]
    ):
        with pytest.raises(TthcFlowError):
            bad()
        assert case.events == before


def test_names_are_normalised_to_nfc_so_one_unit_is_one_unit() -> None:
    decomposed = unicodedata.normalize("NFD", DESK)
    assert decomposed != DESK
    case = Case.open(judicial_record(), case_id="N", received_at=AT, actor="Lan",
                     unit=decomposed)  # fmt: skip
    assert case.events[0].unit == DESK
    assert case.violations == ()  # the desk acted on its own step


def test_a_journal_keeps_a_case_with_line_separators_in_its_texts() -> None:
    case = Case.open(judicial_record(), case_id="LS", received_at=AT, actor="Lan", unit=DESK,
                     attributes={"note": "dòng 1\u2028dòng 2\u2029\u0085?"[:-2]})  # fmt: skip
    case.refuse(at=AT + timedelta(hours=1), actor="Lan", unit=DESK,
                reason="Thiếu giấy tờ\u2028(xem phiếu)")  # fmt: skip
    text = events_to_json(case.events)
    assert text.count("\n") == len(case.events)
    assert events_from_json(text) == list(case.events)
    out = io.StringIO()
    write_journal([case], out)
    (again,) = read_journal(io.StringIO(out.getvalue()), _Catalog())
    assert again.events == case.events and again.attributes == case.attributes


class _Catalog:
    def version(self, code: str, version: str) -> Any:
        return judicial_record()


# ------------------------------------------------------------------------------- properties

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)
FIELDS = ("seq", "kind", "at", "actor", "unit", "role", "target", "reason", "new_due",
          "evidence", "complete", "data", "violations", "extra")  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), value=JSON_VALUES)
def test_a_mutated_event_is_refused_or_read_back_exactly(field: str, value: Any) -> None:
    mutated = record(**{field: value})
    try:
        event = Event.from_json(mutated)
    except EventFormatError:
        return
    again = Event.from_json(json.loads(json.dumps(event.to_json())))
    assert again == event and again.data == event.data
    assert events_from_json(events_to_json([event])) == [event]


@settings(max_examples=300, deadline=None)
@given(text=st.text(), field=st.sampled_from(("actor", "unit", "reason", "role")))
def test_any_text_is_refused_or_survives_the_journal(text: str, field: str) -> None:
    try:
        event = Event(seq=1, kind=EventKind.PAUSED, at=AT, **{field: text})
    except EventFormatError as error:
        refused = error
    else:
        refused = None
    if refused is not None:
        assert refused.field == field
        return
    value = getattr(event, field)
    assert value == (unicodedata.normalize("NFC", text) if field != "reason" else text)
    line = events_to_json([event])
    assert line.endswith("\n") and line.count("\n") == 1
    assert events_from_json(line) == [event]


@settings(max_examples=150, deadline=None)
@given(cut=st.integers(min_value=0, max_value=10_000))
def test_a_journal_cut_anywhere_gives_whole_cases_only(cut: int) -> None:
    cases = []
    for number in range(3):
        case = Case.open(judicial_record(), case_id=f"K-{number}", received_at=AT, actor="Lan",
                         unit=DESK)  # fmt: skip
        case.handover("review", at=AT + timedelta(hours=1), actor="Lan", unit=DESK)
        cases.append(case)
    out = io.StringIO()
    write_journal(cases, out)
    text = out.getvalue()
    cut %= len(text) + 1
    skipped: list[Skipped] = []
    back = list(read_journal(io.StringIO(text[:cut]), _Catalog(), skipped=skipped))
    by_id = {case.case_id: case for case in cases}
    for case in back:
        assert case.events == by_id[case.case_id].events  # never a truncated case
    assert len(back) + len({s.case_id for s in skipped if s.case_id}) <= 3
    if cut == len(text):
        assert len(back) == 3 and skipped == []


def test_what_an_event_accepts_it_can_write_and_it_shares_nothing_with_the_caller() -> None:
    from tthc_flow.engine import Violation, ViolationCategory

    deep: Any = "leaf"
    for _ in range(30):
        deep = [deep]
    event = Event(seq=1, kind=EventKind.PAUSED, at=AT, data={"deep": deep})
    assert events_from_json(events_to_json([event])) == [event]
    with pytest.raises(EventFormatError, match="nested more than"):
        Event(seq=1, kind=EventKind.PAUSED, at=AT, data={"deep": [deep]})
    documents = ["Tờ khai"]
    held = Event(seq=1, kind=EventKind.PAUSED, at=AT, data={"documents": documents})
    documents.append("added later")
    assert held.data["documents"] == ["Tờ khai"]
    with pytest.raises(EventFormatError, match=r"violation\.category"):
        Violation("rule", "message", category="law")  # type: ignore[arg-type]
    with pytest.raises(EventFormatError, match=r"violation\.rule"):
        Violation(1, None)  # type: ignore[arg-type]
    assert Violation("r", "m", "", ViolationCategory.ACTOR).category is ViolationCategory.ACTOR


_READ_ZONES = st.sampled_from(
    [ZoneInfo("Asia/Ho_Chi_Minh"), ZoneInfo("UTC"), ZoneInfo("Asia/Tokyo"),
     timezone(timedelta(hours=7)), timezone(timedelta(hours=-5, minutes=-30))]
)  # fmt: skip


@given(
    # Wall times a zone skips (a summer-time gap) are not instants: left out.
    instant=st.datetimes(
        datetime(1950, 1, 1), datetime(2100, 12, 31), timezones=_READ_ZONES,
        allow_imaginary=False,
    )
)  # fmt: skip
@example(instant=datetime(1975, 6, 12, 23, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
def test_a_read_instant_is_the_same_instant_written_the_same_way(instant: datetime) -> None:
    # Instants read from JSON with the +07:00 offset are put in the calendars' default zone
    # (so clocks need not convert them), only where that zone has that offset: the instant
    # and its written form never change.
    text = instant.isoformat()
    event = Event.from_json({"seq": 0, "kind": "received", "at": text, "actor": "a",
                             "unit": "u"})  # fmt: skip
    # In UTC: Python never calls an instant of a repeated hour (23:00 on 12/6/1975, when
    # Vietnam went from +08:00 to +07:00) equal to one of another zone (PEP 495).
    utc = timezone.utc
    assert event.at.astimezone(utc) == instant.astimezone(utc)
    assert event.at.isoformat() == text
    assert event.at.utcoffset() == instant.utcoffset()
    vietnam = ZoneInfo("Asia/Ho_Chi_Minh")
    if instant.utcoffset() == timedelta(hours=7) and instant.astimezone(vietnam).utcoffset() == (
        timedelta(hours=7)
    ):
        assert event.at.tzinfo is vietnam
    else:
        assert event.at.tzinfo is not vietnam


def test_an_old_plus_seven_instant_keeps_its_fixed_offset() -> None:
    # In 1960 Saigon kept +08:00: a +07:00 instant of then is not a wall time of the zone.
    event = Event.from_json({"seq": 0, "kind": "received", "at": "1960-03-02T09:00:00+07:00",
                             "actor": "a", "unit": "u"})  # fmt: skip
    assert event.at.isoformat() == "1960-03-02T09:00:00+07:00"
    assert event.at.tzinfo == timezone(timedelta(hours=7))


class _Ambiguous:
    """A container whose comparison refuses to answer, as an empty numpy array does."""

    def __eq__(self, other: object) -> bool:
        raise ValueError("the truth value is ambiguous")

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self) -> Any:
        return iter(())


@pytest.mark.parametrize("field", ["evidence", "violations"])
def test_a_list_like_value_that_cannot_be_compared_is_a_typed_refusal(field: str) -> None:
    with pytest.raises(EventFormatError) as refused:
        Event(seq=1, kind=EventKind.HANDED_OVER, at=datetime(2026, 3, 2, 9, tzinfo=VN),
              actor="Lan", unit=DESK, **{field: _Ambiguous()})  # fmt: skip
    assert refused.value.field == field


def test_case_and_command_ids_have_one_maximum_length_from_the_engine_on() -> None:
    # A store indexes both, and a database index takes a bounded key: the engine refuses a
    # longer id where it enters, so that a case it accepts can be stored by every backend.
    from tthc_flow.codec import MAX_CASE_ID, MAX_COMMAND_ID
    from tthc_flow.samples import sample_catalog

    catalog = sample_catalog()
    at = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with pytest.raises(InvalidInputError, match="at most 256"):
        catalog.open_case("VD.DD", case_id="x" * (MAX_CASE_ID + 1), received_at=at, actor="Lan")
    case = catalog.open_case("VD.DD", case_id="x" * MAX_CASE_ID, received_at=at, actor="Lan")
    desk = case.procedure.first.unit
    with pytest.raises(EventFormatError, match="command id has at most 256"):
        case.handover("office", at=at, actor="Lan", unit=desk,
                      command_id="c" * (MAX_COMMAND_ID + 1))  # fmt: skip
    assert case.version == 1  # refused: nothing recorded
    case.handover("office", at=at, actor="Lan", unit=desk, command_id="c" * MAX_COMMAND_ID)
    assert case.version == 2

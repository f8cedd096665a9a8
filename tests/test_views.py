"""JSON views: every view validates against its published schema (checked by an independent
JSON Schema validator), is plain JSON (no NaN, nothing but JSON types), and says what the
engine says."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from tthc_flow import Case, vietnam_calendar
from tthc_flow._validators import shown
from tthc_flow.errors import (
    CalendarRangeError,
    CommandRefusedError,
    EventFormatError,
    InvalidInputError,
    NaiveDatetimeError,
    TthcFlowError,
    UnknownProcedureError,
    UnknownStepError,
)
from tthc_flow.samples import sample_catalog
from tthc_flow.testing import case_histories, procedures
from tthc_flow.views import (
    SCHEMA_NAMES,
    active_step_json,
    case_json,
    clock_json,
    error_json,
    iso_duration,
    json_schema,
    json_value,
    status_json,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = vietnam_calendar()
CATALOG = sample_catalog()
VALIDATORS = {
    name: Draft202012Validator(json_schema(name), format_checker=FormatChecker())
    for name in SCHEMA_NAMES
}


def _valid(name: str, document: Any) -> Any:
    text = json.dumps(document, allow_nan=False, ensure_ascii=False)
    again = json.loads(text)
    errors = sorted(VALIDATORS[name].iter_errors(again), key=str)
    assert not errors, f"{name}: {errors[0]}"
    return again


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_published_schema_is_a_valid_schema(name: str) -> None:
    Draft202012Validator.check_schema(json_schema(name))
    assert json_schema(name) is not json_schema(name)  # a copy: a host may change its own


@pytest.mark.parametrize("name", ["clock", None, ["case"], 7, "case\x00", 10**5000], ids=shown)
def test_an_unknown_view_is_refused_with_the_names(name: Any) -> None:
    with pytest.raises(InvalidInputError, match="clock_reading"):
        json_schema(name)


def _lltp_case() -> Case:
    # Judicial record certificate, received Monday 2 March 2026 at 09:00 (no holiday in
    # March 2026): 10 working days under Decree 118/2025.
    case = CATALOG.open_case(
        "VD.LLTP", case_id="HS-2026-0001", actor="Lan",
        received_at=datetime(2026, 3, 2, 9, tzinfo=VN),
    )  # fmt: skip
    desk = case.procedure.first
    case.handover(desk.next[0], at=datetime(2026, 3, 2, 10, tzinfo=VN), actor="Lan",
                  unit=desk.unit)  # fmt: skip
    return case


def test_the_status_json_of_a_real_case_reads_as_the_law_gives_it() -> None:
    case = _lltp_case()
    view = _valid("case", case.to_json(datetime(2026, 3, 3, 9, tzinfo=VN)))
    assert view["case_id"] == "HS-2026-0001"
    assert view["procedure"]["code"] == "VD.LLTP"
    assert view["procedure"]["kind"] == "one_stop"
    assert view["at"] == "2026-03-03T09:00:00+07:00"
    assert view["status"]["phase"] == "processing"
    assert view["status"]["step"] == "review"
    legal = view["clocks"]["legal"]
    # Ten working days from Monday 2 March 09:00: Monday 16 March 09:00 (weekends 7-8 and
    # 14-15 March not counted).
    assert legal["due"] == "2026-03-16T09:00:00+07:00"
    assert legal["allowed"] == "PT80H"
    assert legal["elapsed"] == "PT8H"  # one working day, 2 March 09:00 to 3 March 09:00
    assert legal["remaining"] == "PT72H"
    assert legal["status"] == "running" and legal["result"] == "in_progress"
    assert legal["budget"] == "10 ngày làm việc"
    assert [a["step"] for a in view["active_steps"]] == ["review"]
    assert view["violations"] == []


def test_an_overdue_clock_has_a_negative_remaining_time() -> None:
    case = _lltp_case()
    view = _valid("clock_reading", case.legal_clock(datetime(2026, 3, 17, 9, tzinfo=VN)).to_json())
    assert view["remaining"] == "-PT8H"
    assert view["overdue"] is True and view["result"] == "in_progress_overdue"


def _second_supplement_request() -> CommandRefusedError:
    """The refusal of a second supplement request (Decree 118/2025 Art. 19: one request per
    dossier), checked to record nothing."""
    case = _lltp_case()
    unit = case.status.unit
    assert unit is not None
    case.request_supplement(at=datetime(2026, 3, 3, 9, tzinfo=VN), actor="Minh", unit=unit,
                            evidence=["Phiếu yêu cầu bổ sung số 01"])  # fmt: skip
    case.receive_supplement(at=datetime(2026, 3, 4, 9, tzinfo=VN), actor="Lan", unit=unit)
    before = case.version
    with pytest.raises(CommandRefusedError) as refused:
        case.request_supplement(at=datetime(2026, 3, 5, 9, tzinfo=VN), actor="Minh",
                                unit=unit, evidence=["Phiếu yêu cầu bổ sung số 02"])  # fmt: skip
    assert case.version == before
    return refused.value


def test_a_refusal_is_an_error_view_with_its_rule_and_article() -> None:
    refused = _second_supplement_request()
    view = _valid("error", refused.to_json())
    assert view["error"] == "RuleViolationError" and view["code"] == "rule_violation"
    assert view["rule"] == refused.rule and view["rule"].startswith("supplement")
    assert view["article"] is not None and "19" in view["article"]  # Decree 118 Art. 19
    assert view["violations"][0]["category"] == "law"
    assert view["details"]["case_id"] == "HS-2026-0001"


def test_a_naive_instant_is_an_error_view_with_its_value() -> None:
    with pytest.raises(NaiveDatetimeError) as naive:
        CAL.add_working_days(datetime(2026, 3, 2, 9), 1)
    view = _valid("error", naive.value.to_json())
    assert view["code"] == "naive_datetime"
    assert view["value"] == "2026-03-02T09:00:00"  # no offset: what was wrong, shown
    assert "argument" in view["details"]


@settings(max_examples=60, deadline=None)
@given(value=st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text()
    | st.datetimes(timezones=st.just(VN)) | st.timedeltas() | st.binary(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3)
    | st.frozensets(st.integers(), max_size=3),
    max_leaves=8,
))  # fmt: skip
def test_any_offending_value_gives_a_valid_error_view(value: Any) -> None:
    error = InvalidInputError("bad value.", value=value, hint="Give another.")
    view = _valid("error", error.to_json())
    assert view["hint"] == "Give another."
    assert "bad value." in view["message"]


def test_every_error_class_has_a_stable_snake_case_code() -> None:
    import tthc_flow.errors as errors

    codes = {getattr(errors, name).error_code for name in errors.__all__}
    assert len(codes) == len(errors.__all__)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", code) for code in codes)
    assert errors.ConcurrencyError.error_code == "concurrency"
    assert issubclass(errors.ConcurrencyError, TthcFlowError)


_ISO = re.compile(r"^(-?)PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d{1,6}))?S)?$")


@given(st.timedeltas(min_value=timedelta(days=-9999), max_value=timedelta(days=9999)))
def test_a_duration_reads_back_exactly(value: timedelta) -> None:
    match = _ISO.fullmatch(iso_duration(value))
    assert match is not None
    sign, hours, minutes, seconds, fraction = match.groups()
    back = timedelta(
        hours=int(hours or 0), minutes=int(minutes or 0), seconds=int(seconds or 0),
        microseconds=int((fraction or "").ljust(6, "0")),
    )  # fmt: skip
    assert (-back if sign else back) == value


def test_durations_by_hand() -> None:
    assert iso_duration(timedelta(0)) == "PT0S"
    assert iso_duration(timedelta(hours=80)) == "PT80H"
    assert iso_duration(-timedelta(hours=3, minutes=15)) == "-PT3H15M"
    assert iso_duration(timedelta(microseconds=1)) == "PT0.000001S"
    assert iso_duration(timedelta(minutes=1, microseconds=500_000)) == "PT1M0.5S"


def test_values_that_are_not_json_keep_being_seen() -> None:
    assert json_value(float("nan")) == "nan"
    assert json_value({1: {2, 3}}) == {"1": [2, 3]}
    assert json_value(object()).startswith("<object object")


@st.composite
def _cases(draw: st.DrawFn) -> tuple[Case, datetime]:
    procedure = draw(procedures())
    events = draw(case_histories(procedure, calendar=CAL, violations=draw(st.booleans()),
                                 max_events=14))  # fmt: skip
    case = Case.from_events(procedure, events, calendar=CAL)
    last = events[-1].at
    at = draw(st.sampled_from([events[0].at, last, last + timedelta(days=3)]))
    return case, at


@settings(max_examples=80, deadline=None)
@given(drawn=_cases())
def test_every_view_of_a_generated_case_validates_and_agrees(drawn: tuple[Case, datetime]) -> None:
    case, at = drawn
    view = _valid("case", case.to_json(at))
    status = case.status_at(at)
    assert view["status"]["phase"] == status.phase.name.lower()
    assert view["status"]["steps"] == list(status.steps)
    legal = case.legal_clock(at)
    assert view["clocks"]["legal"]["due"] == (legal.due.isoformat() if legal.due else None)
    assert view["clocks"]["legal"]["overdue"] == legal.overdue
    for reading in case.step_clocks(at):
        assert _valid("clock_reading", reading.to_json())["step"] == reading.step
    for unit, reading in case.unit_clocks(at).items():
        assert _valid("clock_reading", reading.to_json())["unit"] == unit
    for active in case.active_steps(at):
        _valid("active_step", active.to_json())
    recorded = [v for e, v in case.violations if e.at <= at]
    assert len(view["violations"]) == len(recorded)
    for _, violation in case.violations:
        _valid("violation", violation.to_json())


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_the_command_line_prints_the_published_schema(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc_flow.cli import main

    assert main(["schema", name]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema(name)


def test_a_refusal_pickles_whole_for_worker_processes() -> None:
    """A real refusal (the second supplement request, Decree 118 Art. 19) crosses a process
    boundary as itself: class, message, rule, violations and JSON view unchanged (pickle's
    default would call RuleViolationError(message) and fail)."""
    import pickle

    refused = _second_supplement_request()
    back = pickle.loads(pickle.dumps(refused))
    assert type(back) is type(refused)
    assert str(back) == str(refused)
    assert back.rule == refused.rule
    assert back.to_json() == refused.to_json()


def test_every_error_class_pickles_with_its_attributes() -> None:
    """Each class of the hierarchy, whatever its __init__ takes, pickles as its message and
    attributes (built here without __init__, as an error that crossed a boundary is)."""
    import pickle

    import tthc_flow.errors as errors

    for name in errors.__all__:
        cls = getattr(errors, name)
        error = cls.__new__(cls, f"{name}: something was wrong.")
        error.value = {"seq": 3}
        error.hint = "Fix it."
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is cls, name
        assert str(back) == str(error) and back.args == error.args, name
        assert back.value == {"seq": 3} and back.hint == "Fix it.", name
        assert isinstance(back, TthcFlowError)


BIG = 10**5000  # Python refuses to print an int past 4,300 digits


@pytest.mark.parametrize(
    ("value", "kept"),
    [(2**53 - 1, 2**53 - 1), (-(2**53 - 1), -(2**53 - 1)), (2**53, "9007199254740992"),
     (-(2**60), str(-(2**60))), (BIG, "<an int of about 5,000 digits>")],
    ids=shown,
)  # fmt: skip
def test_an_int_beyond_what_json_readers_hold_is_given_as_text(value: int, kept: Any) -> None:
    assert json_value(value) == kept
    assert json.loads(json.dumps(json_value({"n": [value]}))) == {"n": [kept]}


def _cyclic_list() -> list[Any]:
    items: list[Any] = []
    items.append(items)
    return items


def _cyclic_dict() -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    mapping["a"] = mapping
    return mapping


def _deep() -> list[Any]:
    top: list[Any] = []
    inner = top
    for _ in range(5_000):
        inner.append([])
        inner = inner[0]
    return top


class _OwnJson:
    def to_json(self) -> Any:
        return self


@pytest.mark.parametrize(
    ("make", "marker"),
    [(_cyclic_list, "contains itself"), (_cyclic_dict, "contains itself"),
     (_deep, "nested deeper than"), (_OwnJson, "contains itself")],
)  # fmt: skip
def test_a_value_that_contains_itself_or_nests_too_deep_is_still_json(
    make: Any, marker: str
) -> None:
    text = json.dumps(json_value(make()))
    assert marker in text


def test_keys_of_the_same_text_are_all_kept() -> None:
    view = json_value({1: "a", "1": "b"})
    assert view["1"] == "b" and sorted(view.values()) == ["a", "b"]
    assert json_value({BIG: 1}) == {"<an int of about 5,000 digits>": 1}


@pytest.mark.parametrize(
    "make",
    [lambda: InvalidInputError("bad.", value=BIG, hint="Fix it."),
     lambda: InvalidInputError("bad.", value={BIG: [BIG, {BIG}]}),
     lambda: NaiveDatetimeError(BIG, argument="at"),
     lambda: CalendarRangeError(BIG, first=date(1995, 1, 1), last=date(2100, 12, 31)),
     lambda: UnknownStepError("VD.LLTP", BIG),
     lambda: UnknownProcedureError(BIG, BIG),
     lambda: EventFormatError("bad.", field=BIG, case_id=BIG)],  # type: ignore[arg-type]
    ids=["value", "nested", "naive", "range", "step", "procedure", "event"],
)  # fmt: skip
def test_an_error_holding_a_huge_int_is_a_json_error_view(make: Any) -> None:
    error = make()
    assert str(error)  # the message itself could be written
    view = _valid("error", error.to_json())
    assert "5,000 digits" in json.dumps(view)


def test_an_error_view_is_json_whatever_the_error_holds() -> None:
    error = InvalidInputError("bad.", value=_cyclic_list())
    error.rule = BIG
    error.hint = BIG  # type: ignore[assignment]
    error.violations = 5
    error.extra = _deep()
    view = _valid("error", error.to_json())
    assert view["rule"] == view["hint"] == "<an int of about 5,000 digits>"
    assert view["violations"] == []


@pytest.mark.parametrize(
    ("view", "arguments"),
    [(iso_duration, (5,)), (clock_json, (5,)), (status_json, (None,)),
     (active_step_json, ("review",)), (case_json, (5, datetime(2026, 3, 3, tzinfo=VN))),
     (error_json, (ValueError("x"),)), (error_json, (5,))],
    ids=lambda item: getattr(item, "__name__", "args"),
)  # fmt: skip
def test_a_view_refuses_a_value_it_does_not_show(view: Any, arguments: tuple[Any, ...]) -> None:
    with pytest.raises(InvalidInputError, match="takes a"):
        view(*arguments)


def test_a_case_view_reads_at_the_latest_event_by_default_as_to_json_does() -> None:
    case = _lltp_case()
    assert case_json(case) == case_json(case, None) == case.to_json()
    assert case_json(case)["at"] == "2026-03-02T10:00:00+07:00"

"""Public entry points refuse bad arguments with a typed error that names the argument and
says how to fix it, and a refused call changes nothing."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.procedures import DESK, judicial_record
from tthc_flow.engine import Case
from tthc_flow.errors import InvalidInputError, NaiveDatetimeError, TthcFlowError

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def opened() -> Case:
    case = Case.open(judicial_record(), case_id="X", received_at=datetime(2026, 3, 2, 9, tzinfo=VN),
                     actor="Lan", unit=DESK)  # fmt: skip
    case.handover("review", at=datetime(2026, 3, 2, 10, tzinfo=VN), actor="Lan", unit=DESK)
    return case


READERS = ("legal_clock", "unit_clocks", "legal_due", "step_clocks", "indicator_clock")
NOT_INSTANTS = (datetime(2026, 3, 3, 9), date(2026, 3, 3), "2026-03-03T09:00+07:00", 5)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("bad", NOT_INSTANTS, ids=repr)
def test_a_clock_read_at_something_not_an_aware_instant_is_a_typed_error(
    reader: str, bad: object
) -> None:
    clocks = opened().clocks
    expected = NaiveDatetimeError if isinstance(bad, datetime) else InvalidInputError
    with pytest.raises(expected) as error:
        getattr(clocks, reader)(bad)
    text = str(error.value)
    assert "aware datetime" in text and ("Pass" in text or "Write" in text)


@pytest.mark.parametrize("bad", NOT_INSTANTS, ids=repr)
def test_an_empty_fold_checks_the_instant_too(bad: object) -> None:
    clocks = opened().clocks.prefix(0)
    with pytest.raises(TthcFlowError):
        clocks.legal_clock(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, None, "1", 1.0, True])
def test_a_prefix_is_a_whole_number_of_events(bad: object) -> None:
    clocks = opened().clocks
    with pytest.raises(InvalidInputError, match="whole number of events"):
        clocks.prefix(bad)  # type: ignore[arg-type]
    # The first two events: the receipt and the handover.
    two = clocks.prefix(2)
    assert two.legal_clock(datetime(2026, 3, 3, 9, tzinfo=VN)).started_at == datetime(
        2026, 3, 2, 9, tzinfo=VN
    )
    assert clocks.prefix(0).legal_clock(datetime(2026, 3, 3, 9, tzinfo=VN)).started_at is None


def test_a_move_whose_due_lies_beyond_the_calendar_is_refused_and_changes_nothing() -> None:
    from tthc_flow.engine import BudgetPolicy, CalendarDays, Step, WorkingDays
    from tthc_flow.errors import CalendarRangeError

    procedure = judicial_record(
        steps=[
            Step("receive", "Tiếp nhận hồ sơ", DESK, WorkingDays("0.5"), next="review",
                 reception=True),
            Step("review", "Thẩm định", "Phòng Hành chính tư pháp", CalendarDays(60),
                 next="return"),
            Step("return", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
        budget_policy=BudgetPolicy.UNCHECKED,
    )  # fmt: skip
    # The Vietnamese calendar ends with 2100: a 60-day step entered on 2/11/2100 has no due.
    received = datetime(2100, 11, 2, 9, tzinfo=VN)
    case = Case.open(procedure, case_id="END", received_at=received, actor="Lan", unit=DESK)
    before = (case.events, case.legal_clock(received), case.step_clocks(received))
    with pytest.raises(CalendarRangeError):
        case.handover("review", at=datetime(2100, 11, 2, 10, tzinfo=VN), actor="Lan",
                      unit=DESK)  # fmt: skip
    assert (case.events, case.legal_clock(received), case.step_clocks(received)) == before
    assert case.clocks.events == 1 and case.status.step == "receive"


def engine_calls() -> dict[str, Any]:
    from tthc_flow.calendar import vietnam_calendar
    from tthc_flow.engine import ClockKernel, Replay, classify, replay, replay_statuses
    from tthc_flow.engine._replay import clocks_of, pack_for

    case = opened()
    procedure, events, calendar = case.procedure, case.events, case.calendar
    assert case.pack is not None
    kernel = ClockKernel.of(procedure, case.pack, calendar)
    naive = datetime(2026, 3, 3, 9)
    aware_at = datetime(2026, 3, 3, 9, tzinfo=VN)
    return {
        "clocks.apply(None)": lambda: kernel.start({}).apply(None),
        "kernel.fold([None])": lambda: kernel.fold([None]),
        "kernel.fold('text')": lambda: kernel.fold("received"),
        "kernel.start(None)": lambda: kernel.start(None),
        "ClockKernel.of(None, ...)": lambda: ClockKernel.of(None, case.pack, calendar),
        "ClockKernel.of(p, None, ...)": lambda: ClockKernel.of(procedure, None, calendar),
        "ClockKernel.of(p, pack, None)": lambda: ClockKernel.of(procedure, case.pack, None),
        "kernel.real_position(naive)": lambda: kernel.position_of(naive, True),
        "Replay(p, None, cal)": lambda: Replay(procedure, None, calendar),
        "Replay(None, ev, cal)": lambda: Replay(None, events[0], calendar),
        "Replay(p, ev, None-ok) fed None": lambda: Replay(procedure, events[0], calendar).feed(
            None
        ),
        "Replay(p, ev, 'vn')": lambda: Replay(procedure, events[0], "vn"),
        "replay(None, events)": lambda: replay(None, events),
        "replay(p, generator) is fine": lambda: replay(procedure, (e for e in events)),
        "replay(p, [ev, 3])": lambda: replay(procedure, [events[0], 3]),
        "clocks_of(p, None, cal)": lambda: clocks_of(procedure, None, calendar),
        "pack_for(p, None, cal)": lambda: pack_for(procedure, None, calendar),
        "pack_for(p, naive, cal)": lambda: pack_for(procedure, naive, calendar),
        "replay_statuses(p, [[None]])": lambda: list(replay_statuses(procedure, [[None]])),
        "replay_statuses(p, 5)": lambda: list(replay_statuses(procedure, 5)),
        "classify(naive, aware)": lambda: classify(naive, aware_at, calendar),
        "classify(naive, naive)": lambda: classify(naive, naive, calendar),
        "classify(None, aware)": lambda: classify(None, aware_at, calendar),
        "vietnam_calendar sanity": lambda: vietnam_calendar(),
    }


@pytest.mark.parametrize("name", list(engine_calls()))
def test_engine_functions_refuse_wrong_arguments_with_typed_errors(name: str) -> None:
    call = engine_calls()[name]
    if name.endswith(("is fine", "sanity")):
        assert call() is not None
        return
    with pytest.raises(TthcFlowError):
        call()


def test_a_step_names_its_unit_in_nfc_and_refuses_what_is_not_a_name() -> None:
    import unicodedata

    from tthc_flow.engine import Step, WorkingDays

    decomposed = unicodedata.normalize("NFD", "Phòng Tư pháp")
    step = Step("review", "Thẩm định", decomposed, WorkingDays(1), next="sign")
    assert step.unit == "Phòng Tư pháp" and step.next == ("sign",)
    for bad in (
        {"unit": 5},
        {"unit": "Phòng\x00"},
        {"key": None},
        {"role": ["chuyên viên"]},
        {"next": 5},
        {"next": [None]},
        {"branches": ["tax"]},
    ):
        fields: dict[str, Any] = {"key": "review", "name": "Thẩm định", "unit": "Phòng",
                                  "budget": WorkingDays(1), **bad}  # fmt: skip
        with pytest.raises(InvalidInputError):
            Step(**fields)


def test_an_error_quoting_data_reaches_the_terminal_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc_flow.cli import main

    journal = tmp_path / "empty.jsonl"
    journal.write_text("", encoding="utf-8")
    assert main(["slip", str(journal), "X\x1b[2J\u202eY"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err
    assert "X\\x1b[2J\\u202eY" in err


def test_text_shown_on_a_terminal_keeps_its_lines_and_nothing_else_raw() -> None:
    from tthc_flow.codec import terminal_lines, terminal_text

    raw = "Phòng\tTư pháp\nlỗi\x1b[31m\r\u2028\u202e\ud800"
    assert terminal_lines(raw) == "Phòng\tTư pháp\nlỗi\\x1b[31m\\x0d\\u2028\\u202e\\ud800"
    assert terminal_text(raw) == "Phòng\\x09Tư pháp\\x0alỗi\\x1b[31m\\x0d\\u2028\\u202e\\ud800"
    terminal_lines(raw).encode("utf-8")  # printable: no lone surrogate left


@pytest.mark.parametrize(
    ("field", "value"),
    [("code", 5), ("code", "TEST\x1b"), ("name", None), ("version", "2025\n1"),
     ("agency", "Sở\x00"), ("legal_basis", ("Luật\x07",))],
)  # fmt: skip
def test_a_procedure_whose_identity_is_not_a_clean_text_fails_when_defined(
    field: str, value: object
) -> None:
    from tthc_flow.errors import DefinitionError

    with pytest.raises(DefinitionError) as error:
        judicial_record(**{field: value})
    assert error.value.check in ("check_identity", "check_texts")

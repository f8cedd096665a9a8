"""``Case.play``: a command given as the event that records it, as a host receives commands
from a queue or another system."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_flow.engine import Case, Event, EventKind, Mode, events_to_json
from tthc_flow.errors import (
    EventFormatError,
    InvalidInputError,
    TransitionNotAllowedError,
    TthcFlowError,
)
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate

CATALOG = sample_catalog()
YEAR = list(simulate(CATALOG, cases=300, seed=5, year=2026))
STRICT = [case for case in YEAR if case.mode is Mode.STRICT]


def _opened(case: Case, mode: Mode = Mode.STRICT) -> Case:
    return Case.from_events(case.procedure, case.events[:1], mode=mode, calendar=case.calendar)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(STRICT))
def test_playing_a_lawful_history_command_by_command_rebuilds_the_case(case: Case) -> None:
    twin = _opened(case)
    for event in case.events[1:]:
        twin.play(event)
    assert events_to_json(twin.events) == events_to_json(case.events)
    assert twin.status == case.status
    end = case.events[-1].at
    assert twin.legal_clock(end) == case.legal_clock(end)
    assert twin.unit_clocks(end) == case.unit_clocks(end)


def test_an_unlawful_command_is_refused_in_strict_mode_and_changes_nothing() -> None:
    case = next(c for c in STRICT if len(c.events) >= 3)
    twin = _opened(case)
    # The result returned before the dossier was even handed over to the office: refused.
    returned = next(e for e in case.events if e.kind is EventKind.RETURNED)
    with pytest.raises(TransitionNotAllowedError):
        twin.play(returned)
    assert twin.events == case.events[:1]
    twin.play(case.events[1])  # the case still takes the lawful next command
    assert twin.events == case.events[:2]


def test_in_audit_mode_the_case_judges_a_played_event_afresh() -> None:
    case = next(c for c in STRICT if any(e.kind is EventKind.RETURNED for e in c.events))
    returned = next(e for e in case.events if e.kind is EventKind.RETURNED)
    twin = _opened(case, Mode.AUDIT)
    recorded = twin.play(attrs.evolve(returned, violations=()))
    assert recorded.seq == 1
    assert recorded.violations, "returning a result at the receipt step breaks a rule"


def test_the_seq_of_a_played_event_is_the_next_one() -> None:
    case = STRICT[0]
    twin = _opened(case)
    assert twin.play(attrs.evolve(case.events[1], seq=99)).seq == 1


def test_a_repeated_command_id_returns_the_recorded_event_and_records_nothing() -> None:
    case = next(c for c in STRICT if len({e.kind for e in c.events[1:]}) >= 2)
    twin = _opened(case)
    first = twin.play(attrs.evolve(case.events[1], command_id="req-1"))
    again = twin.play(attrs.evolve(case.events[1], command_id="req-1"))
    assert again is first
    assert len(twin.events) == 2
    other = next(e for e in case.events[2:] if e.kind is not case.events[1].kind)
    with pytest.raises(InvalidInputError, match="already recorded"):
        twin.play(attrs.evolve(other, command_id="req-1"))
    assert len(twin.events) == 2


def test_a_retry_repeats_the_command_or_is_refused() -> None:
    case = next(c for c in STRICT if len(c.events) > 2)
    twin = _opened(case)
    event = attrs.evolve(case.events[1], command_id="req-2", meta={"request": "a"})
    first = twin.play(event)
    # A new request id in meta is still the same command.
    assert twin.play(attrs.evolve(event, meta={"request": "b"})) is first
    for changed in ({"at": event.at + timedelta(minutes=1)}, {"actor": "Người khác"},
                    {"reason": "Lý do khác"}):  # fmt: skip
        with pytest.raises(InvalidInputError, match="already recorded") as raised:
            twin.play(attrs.evolve(event, **changed))
        assert next(iter(changed)) in str(raised.value)
    assert len(twin.events) == 2


def test_a_command_names_the_officer_who_gave_it() -> None:
    case = STRICT[0]
    for mode in (Mode.STRICT, Mode.AUDIT):
        twin = _opened(case, mode)
        step = twin.procedure.step(twin.status.step).next[0]
        for blank in ("", "   ", "\u200b"):  # nothing, spaces, a zero-width space
            with pytest.raises(InvalidInputError, match="officer who acted"):
                twin.handover(step, at=case.events[0].at, actor=blank, unit=case.events[0].unit)
        assert len(twin.events) == 1
    with pytest.raises(InvalidInputError, match="officer who acted"):
        Case.open(case.procedure, case_id="B-1", received_at=case.events[0].at, actor=" ")
    # Played from another system in audit mode, the record is mirrored as it is.
    mirrored = _opened(case, Mode.AUDIT)
    mirrored.play(attrs.evolve(case.events[1], actor=""))
    assert mirrored.events[1].actor == ""
    with pytest.raises(InvalidInputError, match="officer who acted"):
        _opened(case).play(attrs.evolve(case.events[1], actor=""))


def test_a_receipt_or_anything_but_an_event_is_refused() -> None:
    case = STRICT[0]
    twin = _opened(case)
    with pytest.raises(EventFormatError, match="not a command"):
        twin.play(case.events[0])
    for wrong in (events_to_json(case.events[1:2])[0], None, "handed_over"):
        with pytest.raises(InvalidInputError, match="play takes an Event"):
            twin.play(wrong)  # type: ignore[arg-type]
    assert twin.events == case.events[:1]


def test_a_played_event_dated_before_the_last_one_is_refused() -> None:
    case = next(c for c in STRICT if len(c.events) >= 3)
    twin = _opened(case)
    twin.play(case.events[1])
    early = attrs.evolve(case.events[2], at=datetime.fromisoformat("2020-01-02T09:00:00+07:00"))
    with pytest.raises(TthcFlowError, match="precedes the previous event"):
        twin.play(early)
    assert len(twin.events) == 2


# ------------------------------------------------------------- values too long to print

_HUGE = 10**5000  # Python refuses to print an int this long (past 4,300 digits)


def _huge_commands() -> dict[str, Callable[[], object]]:
    from tthc_flow.forms import receipt
    from tthc_flow.samples import sample_catalog

    catalog = sample_catalog()
    at = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

    def case(code: str = "VD.LLTP") -> Case:
        return catalog.open_case(code, case_id="H-1", received_at=at, actor="Lan")

    def handover(**changed: object) -> Callable[[], object]:
        fields: dict[str, Any] = {"to": "review", "at": at, "actor": "Lan", "unit": "x"}
        fields.update(changed)
        return lambda: case().handover(**fields)

    return {
        "actor": handover(actor=_HUGE), "unit": handover(unit=_HUGE), "to": handover(to=_HUGE),
        "at": handover(at=_HUGE), "command_id": handover(command_id=_HUGE),
        "meta": handover(meta=_HUGE), "meta value": handover(meta={"a": _HUGE}),
        "case_id": lambda: catalog.open_case("VD.LLTP", case_id=_HUGE, received_at=at,
                                             actor="Lan"),
        "mode": lambda: catalog.open_case("VD.LLTP", case_id="H-1", received_at=at, actor="Lan",
                                          mode=_HUGE),
        "play": lambda: case().play(_HUGE),
        "seq": lambda: Event.from_json({"seq": _HUGE, "kind": "received",
                                        "at": "2026-03-02T09:00:00+07:00"}),
        "language": lambda: receipt(case(), language=_HUGE),
    }


@pytest.mark.parametrize("name", sorted(_huge_commands()))
def test_a_value_too_long_to_print_is_refused_and_described(name: str) -> None:
    with pytest.raises(TthcFlowError) as raised:
        _huge_commands()[name]()
    assert "digits" in str(raised.value) or "int" in str(raised.value)
    json.dumps(raised.value.to_json())  # the error itself can be sent on


def test_a_fork_handover_naming_a_non_step_is_refused() -> None:
    from tthc_flow.samples import COMMUNE_DESK, COMMUNE_JUSTICE, sample_catalog

    at = datetime(2026, 11, 20, 14, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    case = sample_catalog().open_case("VD.LTKS", case_id="F-1", received_at=at, actor="Lan",
                                      attributes={"channel": "online"})  # fmt: skip
    case.handover("birth", at=at, actor="Lan", unit=COMMUNE_DESK)
    before = list(case.events)
    with pytest.raises(InvalidInputError, match="fork's branches"):
        case.handover(["residence", 5], at=at, actor="Hộ tịch", unit=COMMUNE_JUSTICE)
    assert list(case.events) == before

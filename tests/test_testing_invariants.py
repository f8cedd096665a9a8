"""``check_case_invariants`` and ``check_catalog``: they hold on real and generated cases and
catalogs, and each one catches the kind of fault it names, with evidence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.procedures import BOARD, CLERK, DESK, RECORDS, judicial_record
from tthc_flow.calendar import vietnam_calendar
from tthc_flow.catalog import Catalog, Unit
from tthc_flow.engine import (
    BudgetPolicy,
    Case,
    ClockStatus,
    Event,
    Mode,
    Procedure,
    ProcedureKind,
    Step,
    WorkingDays,
)
from tthc_flow.engine._events import CONSULTATION_KINDS
from tthc_flow.errors import DefinitionError, InvalidInputError, InvariantViolation, TthcFlowError
from tthc_flow.testing import (
    CASE_INVARIANTS,
    CATALOG_INVARIANTS,
    case_histories,
    check_case_invariants,
    check_catalog,
    explore,
    procedures,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = vietnam_calendar(first_year=2024, last_year=2027)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


def returned_case() -> Case:
    """A judicial record certificate received Monday 2/3/2026 09:00, supplemented once,
    returned on Friday 13/3/2026."""
    case = Case.open(judicial_record(), case_id="LLTP-1", received_at=at(2, 9), actor="Lan",
                     unit=DESK, calendar=CAL, attributes={"channel": "in_person"})  # fmt: skip
    case.handover("review", at=at(2, 10), actor="Lan", unit=DESK)
    case.request_supplement(at=at(3, 9), actor="Minh", unit=RECORDS, evidence=["Phiếu số 1"])
    case.receive_supplement(at=at(5, 14), actor="Lan", unit=DESK)
    case.handover("approve", at=at(9, 15), actor="Minh", unit=RECORDS)
    case.handover("sign", at=at(10, 11), actor="Hà", unit=RECORDS)
    case.handover("issue", at=at(11, 16), actor="Giám đốc", unit=BOARD)
    case.handover("return", at=at(12, 10), actor="Văn thư", unit=CLERK)
    case.resolve(at=at(12, 10, 30), actor="Lan", unit=DESK)
    case.return_result(at=at(13, 8, 15), actor="Lan", unit=DESK)
    return case


def _raises(invariant: str, call: Callable[[], object]) -> InvariantViolation:
    with pytest.raises(InvariantViolation) as info:
        call()
    error = info.value
    assert error.invariant == invariant, str(error)
    assert isinstance(error, AssertionError) and isinstance(error, TthcFlowError)
    assert error.evidence
    assert invariant in str(error)
    return error


# --------------------------------------------------------------------------- cases hold


@pytest.mark.parametrize("hours_after", [None, 0, 3, 24 * 40])
def test_a_real_case_keeps_every_invariant(hours_after: int | None) -> None:
    case = returned_case()
    moment = None if hours_after is None else at(13, 8, 15) + timedelta(hours=hours_after)
    check_case_invariants(case, at=moment)
    # Read in the middle of its life too: before the supplement, while waiting for it.
    for earlier in (at(2, 9), at(3, 10), at(9, 15)):
        check_case_invariants(case, at=earlier)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), violations=st.booleans(), later=st.integers(0, 60 * 24 * 30))
def test_generated_cases_keep_every_invariant_at_any_later_instant(
    data: st.DataObject, violations: bool, later: int
) -> None:
    procedure = data.draw(procedures())
    events = data.draw(case_histories(procedure, calendar=CAL, violations=violations))
    mode = Mode.AUDIT if violations else Mode.STRICT
    case = Case.from_events(procedure, events, replay_mode=mode, mode=mode, calendar=CAL)
    check_case_invariants(case, at=max(e.at for e in events) + timedelta(minutes=later))


# --------------------------------------------------------------------------- cases caught


def test_an_edited_event_log_no_longer_replays() -> None:
    case = returned_case()
    # A host rewrites the time the case was resolved in its own store after the fact.
    resolved = case._events[-2]
    case._events[-2] = attrs.evolve(resolved, at=resolved.at + timedelta(hours=2))
    error = _raises("replay.status", lambda: check_case_invariants(case))
    assert error.subject.startswith("case LLTP-1")


def test_renumbered_events_are_caught() -> None:
    case = returned_case()
    case._events[3] = attrs.evolve(case._events[3], seq=7)
    error = _raises("events.seq", lambda: check_case_invariants(case))
    assert error.evidence == {"position": 3, "seq": 7}


def test_a_strict_case_holding_violations_is_caught() -> None:
    case = returned_case()
    audited = Case.from_events(case.procedure, case.events[:2], mode=Mode.AUDIT, calendar=CAL)
    audited.pause("verification", at=at(3, 8), actor="Minh", unit=RECORDS, evidence=["CV"])
    check_case_invariants(audited)  # in audit mode the violation is lawful data
    # A host that flips a case to strict after recording an unlawful command in it.
    audited._mode = Mode.STRICT
    _raises("events.strict_clean", lambda: check_case_invariants(audited))


def test_a_lossy_serialiser_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    from tthc_flow.engine import _events as events_module

    def drop_reasons(events: tuple[Event, ...] | list[Event]) -> str:
        return events_module.events_to_json([attrs.evolve(e, reason=None) for e in events])

    monkeypatch.setattr("tthc_flow.testing._invariants.events_to_json", drop_reasons)
    case = returned_case()
    # A send-back carries its reason; the serialiser above loses it.
    reworked = Case.from_events(case.procedure, case.events[:2], calendar=CAL)
    reworked.send_back("receive", at=at(3, 8), actor="Minh", unit=RECORDS, reason="Thiếu giấy")
    _raises("json.round_trip", lambda: check_case_invariants(reworked))


@pytest.fixture
def due_a_day_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """An engine whose legal clock puts the due date a day too early (the bug of a host that
    counts the receipt day as the first day)."""
    from tthc_flow.engine import CaseClocks

    real = CaseClocks.legal_clock

    def early(self: CaseClocks, at: datetime) -> Any:
        reading = real(self, at)
        if reading.due is None:
            return reading
        return attrs.evolve(reading, due=reading.due - timedelta(days=1))

    monkeypatch.setattr(CaseClocks, "legal_clock", early)


@pytest.mark.usefixtures("due_a_day_early")
def test_a_due_before_receipt_plus_budget_is_caught() -> None:
    case = Case.open(judicial_record(), case_id="LLTP-2", received_at=at(2, 9), actor="Lan",
                     unit=DESK, calendar=CAL)  # fmt: skip
    case.handover("review", at=at(2, 10), actor="Lan", unit=DESK)
    error = _raises("clock.due_floor", lambda: check_case_invariants(case))
    # Received 2/3 09:00; ten working days: Mon 16/3 09:00 (no holiday in between).
    assert error.evidence["floor"] == "2026-03-16T09:00:00+07:00"


def test_a_clock_that_does_not_stop_at_the_finish_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tthc_flow.engine import CaseClocks

    real = CaseClocks.legal_clock

    def running(self: CaseClocks, at: datetime) -> Any:
        reading = real(self, at)
        return attrs.evolve(reading, status=ClockStatus.RUNNING, finished_at=None)

    monkeypatch.setattr(CaseClocks, "legal_clock", running)
    _raises("finish.instant", lambda: check_case_invariants(returned_case()))


def test_the_invariants_are_listed() -> None:
    assert len(set(CASE_INVARIANTS)) == len(CASE_INVARIANTS) == 18
    assert "clock.due_floor" in CASE_INVARIANTS and "catalog.dead_end" in CATALOG_INVARIANTS
    assert {"consult.unit_clock", "consult.legal_clock", "consult.more_time"} <= set(
        CASE_INVARIANTS
    )
    with pytest.raises(InvalidInputError):
        check_case_invariants(returned_case().events)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- consultations

POLICE = "Công an tỉnh"


def consulted_case(mode: Mode = Mode.STRICT) -> Case:
    """The judicial record whose review asks the provincial police to verify (two working
    days): asked Monday 2/3 14:00, due Wednesday 4/3 14:00, answered late on Friday 6/3
    10:00 (the review waited Wed 14-17, Thu, Fri 08-10: 13 hours)."""
    steps = list(judicial_record().steps)
    steps[1] = attrs.evolve(steps[1], consults={POLICE: WorkingDays(2)})
    case = Case.open(judicial_record(steps=steps), case_id="LLTP-YK", received_at=at(2, 9),
                     actor="Lan", unit=DESK, calendar=CAL, mode=mode)  # fmt: skip
    case.handover("review", at=at(2, 10), actor="Lan", unit=DESK)
    case.consult(POLICE, at=at(2, 14), actor="Minh", unit=RECORDS, evidence=["Công văn 5"])
    case.answer_consultation(POLICE, at=at(6, 10), actor="Cán bộ PC")
    case.handover("approve", at=at(9, 15), actor="Minh", unit=RECORDS)
    return case


def test_a_case_with_a_late_answer_keeps_every_invariant() -> None:
    case = consulted_case()
    for moment in (None, at(9, 15), at(20, 9), at(2, 15), at(4, 16)):
        check_case_invariants(case, at=moment)
    # The review's six days from Mon 2/3 10:00 (Tue 10/3 10:00) plus the 13 hours it waited:
    # Tue 10-17 (6 h), Wed 08-16 (7 h).
    review = next(c for c in case.step_clocks() if c.step == "review")
    assert review.due == at(11, 16)
    # In audit mode a handover while the answer is awaited is recorded with its violation,
    # and still every invariant holds.
    audited = Case.from_events(case.procedure, case.events[:3], mode=Mode.AUDIT, calendar=CAL)
    audited.handover("approve", at=at(3, 9), actor="Minh", unit=RECORDS)
    assert [v.rule for _, v in audited.violations] == ["consult.open"]
    check_case_invariants(audited)


def _consulted(clocks: Any) -> bool:
    return any(e.kind in CONSULTATION_KINDS for e in clocks.recorded())


def test_a_consultation_that_moves_the_legal_clock_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An engine whose legal clock waits for the answers too (a day later once a unit has
    been consulted)."""
    from tthc_flow.engine import CaseClocks

    real = CaseClocks.legal_clock

    def waiting(self: CaseClocks, at: datetime) -> Any:
        reading = real(self, at)
        if reading.due is None or not _consulted(self):
            return reading
        return attrs.evolve(reading, due=reading.due + timedelta(days=1))

    monkeypatch.setattr(CaseClocks, "legal_clock", waiting)
    error = _raises("consult.legal_clock", lambda: check_case_invariants(consulted_case()))
    assert error.evidence["with_consultations"].name == "legal"


def test_a_late_answer_that_takes_time_from_the_lead_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An engine that takes the time waited from the lead unit instead of crediting it."""
    from tthc_flow.engine import CaseClocks

    real = CaseClocks.unit_clocks

    def backwards(self: CaseClocks, at: datetime) -> dict[str, Any]:
        readings = real(self, at)
        if _consulted(self):
            # The 13 hours waited taken away rather than given: 26 hours less than credited.
            lead, taken = readings[RECORDS], timedelta(hours=26)
            readings[RECORDS] = attrs.evolve(lead, allowed=lead.allowed - taken,
                                             remaining=lead.remaining - taken)  # fmt: skip
        return readings

    monkeypatch.setattr(CaseClocks, "unit_clocks", backwards)
    error = _raises("consult.more_time", lambda: check_case_invariants(consulted_case()))
    assert error.evidence["with_consultations"].unit == RECORDS
    assert error.evidence["with_consultations"].allowed < error.evidence["without"].allowed


def test_a_consulted_unit_without_a_clock_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """An engine that forgets the clock of a unit it consulted."""
    from tthc_flow.engine import CaseClocks

    real = CaseClocks.unit_clocks

    def forgetful(self: CaseClocks, at: datetime) -> dict[str, Any]:
        return {k: v for k, v in real(self, at).items() if k != POLICE}

    monkeypatch.setattr(CaseClocks, "unit_clocks", forgetful)
    case = consulted_case()
    awaiting = Case.from_events(case.procedure, case.events[:3], calendar=CAL)
    error = _raises("consult.unit_clock", lambda: check_case_invariants(awaiting))
    assert error.evidence["unit"] == POLICE


# --------------------------------------------------------------------------- catalogs


def test_the_sample_catalog_passes() -> None:
    from tthc_flow.samples import sample_catalog

    check_catalog(sample_catalog(), today=date(2026, 11, 24))


def _dead_end() -> Procedure:
    return Procedure(
        code="BAD.1", name="Thủ tục có ngõ cụt (dead end)", version="1",
        kind=ProcedureKind.ONE_STOP, total=WorkingDays(5),
        steps=[
            Step("receive", "Tiếp nhận", DESK, WorkingDays("0.5"), next="review", reception=True),
            Step("review", "Thẩm định", RECORDS, WorkingDays(4), next="return",
                 branches={"lưu hồ sơ": "archive"}),
            Step("archive", "Lưu hồ sơ", RECORDS, WorkingDays("0.5")),
            Step("return", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
    )  # fmt: skip


def _over_total() -> Procedure:
    return Procedure(
        code="BAD.2", name="Thủ tục vượt thời hạn (over its total)", version="1",
        kind=ProcedureKind.ONE_STOP, total=WorkingDays(5),
        budget_policy=BudgetPolicy.UNCHECKED,
        steps=[
            Step("receive", "Tiếp nhận", DESK, WorkingDays("0.5"), next="review", reception=True),
            Step("review", "Thẩm định", RECORDS, WorkingDays(4), next="return",
                 branches={"giám định": "expert"}),
            Step("expert", "Giám định", BOARD, WorkingDays(6), next="return"),
            Step("return", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
    )  # fmt: skip


UNITS = [Unit(name, "sở") for name in (DESK, RECORDS, BOARD, CLERK)]


def test_a_broken_example_catalog_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    # The dead end is refused when defined; a catalog read from a host's own store may still
    # hold one, which is what building it around the definition checks stands for here.
    with pytest.raises(DefinitionError):
        _dead_end()
    with monkeypatch.context() as patched:
        patched.setattr("tthc_flow.engine._validation.validate", lambda procedure: None)
        dead_end = _dead_end()
    catalog = Catalog(
        name="Danh mục lỗi (broken example)", issuer="Sở Tư pháp (illustrative)",
        units=UNITS, publications=[judicial_record(), dead_end, _over_total()],
    )  # fmt: skip
    with pytest.raises(InvariantViolation) as info:
        check_catalog(catalog)
    error = info.value
    found = {error.invariant} | {r.invariant for r in error.related}
    # The dead end fails the definition checks, run again on every version; the branch over
    # the total passes them (its policy is UNCHECKED) and only exploring it finds it.
    assert found == {"catalog.valid", "catalog.over_total"}
    assert error.invariant == "catalog.valid"
    assert error.evidence["check"] == "check_can_finish" and "BAD.1" in str(error)
    over = next(r for r in error.related if r.invariant == "catalog.over_total")
    assert over.evidence["path"] == ("receive", "review", "expert", "return")
    # explore, run on its own, finds the same two problems.
    assert explore(dead_end).dead_ends == ("archive",)
    assert explore(_over_total()).over_total == ("receive", "review", "expert", "return")
    assert "2 problem(s)" in str(error)


@attrs.frozen
class HandMadeCatalog:
    """A catalog from a host's own store: the two methods ``check_catalog`` needs, with none
    of the checks ``tthc_flow.catalog.Catalog`` runs when it is built."""

    name: str
    procedures: tuple[Procedure, ...]
    findings: tuple[Any, ...] = ()

    def check(self, *, today: date | None = None) -> list[Any]:
        return list(self.findings)


@attrs.frozen
class Finding:
    check: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.message} ({self.check})"


def test_overlaps_bypassed_definitions_and_findings_are_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = judicial_record(version="2025.1", effective_until=date(2025, 12, 31))
    overlapping = judicial_record(version="2025.2", effective_from=date(2025, 7, 1))
    # A definition whose steps add up to 9.5 days of a published 10, built with the checks
    # switched off (Procedure imports validate from its module each time it is built).
    monkeypatch.setattr("tthc_flow.engine._validation.validate", lambda procedure: None)
    hand_back = Step("return", "Trả kết quả", DESK, WorkingDays(0), returns=True)
    short = judicial_record(code="BAD.3", steps=(*judicial_record().steps[:-1], hand_back))
    monkeypatch.undo()
    catalog = HandMadeCatalog(
        "Danh mục tự làm (hand-made)",
        (old, overlapping, short),
        (Finding("check_reviews", "review overdue", severity="warning"),
         Finding("check_units_known", "unit 'Phòng X' is not in the catalog")),
    )  # fmt: skip
    with pytest.raises(InvariantViolation) as info:
        check_catalog(catalog)
    error = info.value
    by_name = {r.invariant: r for r in (error, *error.related)}
    assert set(by_name) == {"catalog.valid", "catalog.overlap", "catalog.findings"}
    assert by_name["catalog.valid"].evidence["check"] == "check_budget_total"
    assert by_name["catalog.overlap"].evidence["versions"] == ("2025.1", "2025.2")
    findings = by_name["catalog.findings"].evidence
    assert [f.check for f in findings["findings"]] == ["check_units_known"]
    assert [f.check for f in findings["warnings"]] == ["check_reviews"]


def test_a_catalog_with_only_warnings_passes() -> None:
    catalog = HandMadeCatalog(
        "Danh mục", (judicial_record(),), (Finding("check_reviews", "review", "warning"),)
    )
    check_catalog(catalog)
    with pytest.raises(InvalidInputError):
        check_catalog([judicial_record()])  # type: ignore[arg-type]


@pytest.mark.parametrize("procedures", [5, None, "VD.LLTP", [5], {"VD.LLTP": 1}])
def test_a_catalog_whose_procedures_are_not_procedures_is_refused(procedures: Any) -> None:
    catalog = HandMadeCatalog("hỏng (broken)", ())
    object.__setattr__(catalog, "procedures", procedures)
    with pytest.raises(InvalidInputError, match="catalog"):
        check_catalog(catalog)

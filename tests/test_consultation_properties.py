"""Consultations (lấy ý kiến, Decree 118/2025 Art. 19(4)) over generated procedures and
histories: they replay to the same case, never move the legal clock, never leave the lead
unit more overdue than it would be without them, and every lawful history the kit draws obeys
the consultation rules (checked here by reading the events, not by asking the engine).
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import attrs
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tthc_flow.calendar import vietnam_calendar
from tthc_flow.engine import (
    Case,
    ClockReading,
    Event,
    EventKind,
    Mode,
    Procedure,
    ProcedureKind,
    ResultClass,
    WorkingBudget,
)
from tthc_flow.engine import Phase as CasePhase
from tthc_flow.engine._events import (
    CONSULTATION_KINDS,
    FINISH_KINDS,
    events_from_json,
    events_to_json,
)
from tthc_flow.testing import case_histories, check_case_invariants, procedures

CAL = vietnam_calendar(first_year=2024, last_year=2027)
ELSEWHERE = "Phòng Tư pháp (consulted only here)"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def consulting(procedure: Procedure) -> bool:
    return any(step.consults for step in procedure.steps)


def consulting_everywhere(procedure: Procedure) -> Procedure:
    """Every step that may consult and does not, consults one more unit, with the whole of the
    step's own time to answer (so that most histories reach a consultation)."""
    steps = [
        step if step.consults or step.reception or step.returns or not step.budget
        else attrs.evolve(step, consults={ELSEWHERE: step.budget})
        for step in procedure.steps
    ]  # fmt: skip
    return attrs.evolve(procedure, steps=steps)


@st.composite
def histories(
    draw: st.DrawFn, violations: bool | None = None
) -> tuple[Procedure, tuple[Event, ...], bool]:
    """A procedure with steps that consult (unless none can: a desk and nothing else) and a
    history of it, most often one with consultation events. Internal procedures have no
    desk step first, so their first step may consult at once."""
    kind = draw(st.sampled_from([None, ProcedureKind.INTERNAL]))
    procedure = draw(procedures(kind=kind, calendar_days=True))
    if not consulting(procedure) or draw(st.booleans()):
        procedure = consulting_everywhere(procedure)
    flag = draw(st.booleans()) if violations is None else violations
    # Many histories end before the case reaches a step that consults: a few tries find one
    # that does, most of the time, without rejecting the example.
    for _ in range(4):
        events = draw(case_histories(procedure, calendar=CAL, violations=flag, max_events=25))
        if any(e.kind in CONSULTATION_KINDS for e in events):
            break
    event("with consultation events" if any(e.kind in CONSULTATION_KINDS for e in events)
          else "without consultation events")  # fmt: skip
    return procedure, events, flag


def replay(procedure: Procedure, events: tuple[Event, ...] | list[Event], mode: Mode) -> Case:
    return Case.from_events(procedure, events, replay_mode=mode, mode=mode, calendar=CAL)


def without_consultations(case: Case) -> Case | None:
    """The case replayed (audit) from its events less the consultation events; None when
    another event then breaks other rules (e.g. a handover no longer waiting for an answer):
    such histories are not the same history without its consultations."""
    kept = [e for e in case.events if e.kind not in CONSULTATION_KINDS]
    other = replay(case.procedure, [attrs.evolve(e, seq=n) for n, e in enumerate(kept)],
                   Mode.AUDIT)  # fmt: skip
    same = [e.violations for e in kept] == [e.violations for e in other.events]
    event("comparable without consultations" if same else "not comparable")
    return other if same else None


def figures(clock: ClockReading) -> tuple[object, ...]:
    return clock.status, clock.due, clock.elapsed, clock.allowed, clock.result


# --------------------------------------------------------------------------- replay


@SETTINGS
@given(histories(), st.integers(0, 60 * 24 * 20))
def test_histories_with_consultations_replay_to_the_same_case(
    history: tuple[Procedure, tuple[Event, ...], bool], minutes: int
) -> None:
    """Replayed from its events, or from their JSON, a case has the same status and clocks;
    read at the instant of any of its events, it is the case replayed from the events up to
    that instant."""
    procedure, events, violations = history
    mode = Mode.AUDIT if violations else Mode.STRICT
    case = replay(procedure, events, mode)
    again = replay(procedure, tuple(events_from_json(events_to_json(events))), Mode.AUDIT)
    assert again.status == case.status
    assert again.events == case.events
    later = max(e.at for e in events) + timedelta(minutes=minutes)
    for at in (None, later):
        assert again.unit_clocks(at) == case.unit_clocks(at)
        assert again.step_clocks(at) == case.step_clocks(at)
    if all(a.at <= b.at for a, b in itertools.pairwise(events)):
        for at in sorted({e.at for e in events}):
            prefix = replay(procedure, [e for e in events if e.at <= at], mode)
            assert case.status_at(at) == prefix.status
            assert case.unit_clocks(at) == prefix.unit_clocks(at)
    check_case_invariants(case)
    check_case_invariants(case, at=later)


# --------------------------------------------------------------------------- the legal clock


@SETTINGS
@given(histories(), st.integers(0, 60 * 24 * 20))
def test_consultations_never_move_the_legal_clock(
    history: tuple[Procedure, tuple[Event, ...], bool], minutes: int
) -> None:
    procedure, events, violations = history
    case = replay(procedure, events, Mode.AUDIT if violations else Mode.STRICT)
    other = without_consultations(case)
    if other is None:
        return
    latest = max(e.at for e in events)
    for at in (latest, latest + timedelta(minutes=minutes)):
        assert figures(case.legal_clock(at)) == figures(other.legal_clock(at))
        assert figures(case.indicator_clock(at)) == figures(other.indicator_clock(at))


# --------------------------------------------------------------------------- the lead unit


@SETTINGS
@given(histories(), st.integers(0, 60 * 24 * 20))
def test_a_late_answer_never_leaves_the_lead_more_overdue(
    history: tuple[Procedure, tuple[Event, ...], bool], minutes: int
) -> None:
    """A unit that was never consulted (it only asked, if anything) is allowed at least the
    time it is allowed without the consultations, runs for as long, and so is due no
    earlier; overdue with them, it is overdue without them."""
    procedure, events, violations = history
    case = replay(procedure, events, Mode.AUDIT if violations else Mode.STRICT)
    other = without_consultations(case)
    if other is None:
        return
    consulted = {e.target for e in events if e.kind in CONSULTATION_KINDS}
    latest = max(e.at for e in events)
    for at in (latest, latest + timedelta(minutes=minutes)):
        mine, theirs = case.unit_clocks(at), other.unit_clocks(at)
        assert set(theirs) <= set(mine)
        for unit, without in theirs.items():
            if unit in consulted:
                continue
            with_ = mine[unit]
            assert with_.elapsed == without.elapsed, unit
            assert with_.allowed >= without.allowed, unit
            assert with_.remaining >= without.remaining, unit
            if with_.due is not None and without.due is not None:
                assert with_.due >= without.due, unit
            if with_.result is ResultClass.OVERDUE:
                assert without.result is ResultClass.OVERDUE, unit
        for step_with, step_without in zip(case.step_clocks(at), other.step_clocks(at),
                                           strict=True):  # fmt: skip
            assert step_with.step == step_without.step
            assert step_with.allowed >= step_without.allowed
            assert step_with.elapsed == step_without.elapsed


def asked_at(events: tuple[Event, ...], number: int) -> int:
    """The index of the request the answer ``number`` answers (the last one to its unit)."""
    unit = events[number].target
    return max(n for n, e in enumerate(events[:number])
               if e.kind is EventKind.CONSULTED and e.target == unit)  # fmt: skip


@SETTINGS
@given(histories(violations=False))
def test_a_late_answer_credits_the_lead_the_time_it_waited_and_no_more(
    history: tuple[Procedure, tuple[Event, ...], bool],
) -> None:
    """An answer in time changes neither the lead unit's clock nor its step's; a late one,
    with the case running all the while, the lead not having gone on without it and no
    other consultation in between, gives both exactly the time from the deadline to the
    answer (working time, or real time in a procedure counted in calendar days)."""
    procedure, events, _ = history
    working = isinstance(procedure.total, WorkingBudget)
    for number, answer in enumerate(events):
        if answer.kind is not EventKind.ANSWERED:
            continue
        asked = asked_at(events, number)
        if any(e.kind in CONSULTATION_KINDS for e in events[asked + 1 : number]):
            continue
        before = replay(procedure, events[:number], Mode.STRICT)
        states = [replay(procedure, events[:n], Mode.STRICT).status for n in
                  range(asked + 1, number + 1)]  # fmt: skip
        if any(s.phase is not CasePhase.PROCESSING for s in states):
            continue  # paused or awaiting the applicant: the lead's clock stood still
        step = events[asked].step or states[0].step
        assert step is not None and answer.target is not None
        due = procedure.step(step).consults[answer.target].due(CAL, events[asked].at)
        if answer.at <= due:
            owed = timedelta(0)
        else:
            owed = CAL.working_time_between(due, answer.at) if working else answer.at - due
        after = replay(procedure, events[: number + 1], Mode.STRICT)
        lead = procedure.step(step).unit
        gained = after.unit_clocks(answer.at)[lead].allowed
        gained -= before.unit_clocks(answer.at)[lead].allowed
        assert gained == owed
        clocks = [c for c in after.step_clocks(answer.at) if c.step == step][-1]
        earlier = [c for c in before.step_clocks(answer.at) if c.step == step][-1]
        assert clocks.allowed - earlier.allowed == owed
        event("a late answer credited" if owed else "an answer in time")


@SETTINGS
@given(histories())
def test_a_unit_only_consulted_is_judged_by_the_deadline_it_was_given(
    history: tuple[Procedure, tuple[Event, ...], bool],
) -> None:
    """A unit that holds no step and is asked once: its clock is due when the request said,
    a pause of the case does not move it, and it is overdue exactly when it answers after."""
    procedure, events, violations = history
    case = replay(procedure, events, Mode.AUDIT if violations else Mode.STRICT)
    holding = {s.unit for s in procedure.steps}
    for number, answer in enumerate(events):
        if answer.kind is not EventKind.ANSWERED or answer.violations:
            continue
        unit = answer.target
        asks = [e for e in events if e.kind is EventKind.CONSULTED and e.target == unit]
        if unit is None or unit in holding or len(asks) != 1 or asks[0].violations:
            continue
        asked = asked_at(events, number)
        step = asks[0].step or replay(procedure, events[:asked], Mode.AUDIT).status.step
        assert step is not None
        due = procedure.step(step).consults[unit].due(CAL, asks[0].at)
        clock = case.unit_clocks(answer.at)[unit]
        assert clock.due == due
        assert (clock.result is ResultClass.OVERDUE) is (answer.at > due)


# --------------------------------------------------------------------------- lawful histories


def consultation_rules_broken(procedure: Procedure, events: tuple[Event, ...]) -> list[str]:
    """The consultation rules, read off the events: consult only a unit the current step
    declares, from that step's unit, not twice while open; answer only an open one, from the
    unit consulted; go on without it only once its due has passed, from the asking step's
    unit; never hand over, send back or resolve from a step awaiting an answer it asked for."""
    broken: list[str] = []
    # The step the case is at: the one the event names, else the one step the case is at
    # (where the case is, forks and joins included, is the state fold's, tested on its own
    # in test_parallel.py; this model checks the consultation rules).
    current: str | None = procedure.first.key
    open_: dict[str, tuple[str, datetime, bool]] = {}
    for number, e in enumerate(events[1:], 1):
        if procedure.parallel:
            steps = replay(procedure, events[:number], Mode.AUDIT).status.steps
            current = steps[0] if len(steps) == 1 else None
        step = e.step or current
        unit = e.target
        if e.kind is EventKind.CONSULTED:
            assert step is not None
            budget = procedure.step(step).consults.get(unit or "")
            if budget is None or unit in open_ or e.unit != procedure.step(step).unit:
                broken.append(f"consulted {unit} from {step}")
            else:
                assert unit is not None
                open_[unit] = (step, budget.due(CAL, e.at), False)
        elif e.kind is EventKind.ANSWERED:
            if unit not in open_ or e.unit != unit:
                broken.append(f"answered {unit} by {e.unit}")
            open_.pop(unit or "", None)
        elif e.kind is EventKind.PROCEEDED:
            if unit is None or unit not in open_:
                broken.append(f"proceeded without {unit}, not open")
                continue
            asked, due, went_on = open_[unit]
            if went_on or e.at <= due or e.unit != procedure.step(asked).unit:
                broken.append(f"proceeded without {unit} at {e.at}, due {due}")
            open_[unit] = (asked, due, True)
        elif e.kind in (EventKind.HANDED_OVER, EventKind.SENT_BACK, EventKind.RESOLVED):
            if any(a == step and not w for a, _, w in open_.values()):
                broken.append(f"{e.kind.value} from {step} awaiting an answer")
            if e.kind is not EventKind.RESOLVED:
                current = e.target  # None after a fork: every later event names its step
        elif e.kind in FINISH_KINDS:
            current = None
            open_.clear()
    return broken


@SETTINGS
@given(histories(violations=False))
def test_strict_replay_accepts_every_lawful_history(
    history: tuple[Procedure, tuple[Event, ...], bool],
) -> None:
    procedure, events, _ = history
    case = Case.from_events(procedure, events, replay_mode=Mode.STRICT, calendar=CAL)
    assert case.violations == ()
    assert consultation_rules_broken(procedure, events) == []
    # What the case says is still awaited was asked and not answered since.
    for unit in case.status.consulting:
        assert unit in case.unit_clocks()
        last = max(n for n, e in enumerate(events) if e.target == unit
                   and e.kind is EventKind.CONSULTED)  # fmt: skip
        assert all(e.kind is not EventKind.ANSWERED or e.target != unit
                   for e in events[last:])  # fmt: skip


@SETTINGS
@given(histories(violations=True))
def test_unlawful_consultations_are_recorded_and_found_again(
    history: tuple[Procedure, tuple[Event, ...], bool],
) -> None:
    procedure, events, _ = history
    case = replay(procedure, events, Mode.AUDIT)
    assert tuple(e.violations for e in case.events) == tuple(e.violations for e in events)
    flagged = {v.rule for e in events if e.kind in CONSULTATION_KINDS for v in e.violations}
    for rule in sorted(flagged):
        event(f"consultation violation {rule}")
    if not any(e.violations for e in events):
        assert consultation_rules_broken(procedure, events) == []

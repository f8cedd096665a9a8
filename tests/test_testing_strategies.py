"""The testing kit's strategies: what they draw is valid, lawful, awkward and within bounds,
and bad arguments are refused when the strategy is built."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from tests.procedures import BOARD, judicial_record
from tthc_flow.calendar import OfficeHours, WorkingCalendar, vietnam_calendar
from tthc_flow.engine import (
    DECREE_118_2025,
    BudgetPolicy,
    CalendarDays,
    Case,
    Event,
    EventKind,
    Mode,
    Months,
    Order,
    Procedure,
    ProcedureKind,
    Step,
    WorkingBudget,
    WorkingDays,
    WorkingHours,
)
from tthc_flow.engine import Phase as CasePhase
from tthc_flow.engine._graph import flow_of
from tthc_flow.errors import CommandRefusedError, InvalidInputError, TthcFlowError
from tthc_flow.testing import (
    budgets,
    calendars,
    case_histories,
    check_case_invariants,
    days,
    instants,
    procedures,
    working_hours,
)

CAL = vietnam_calendar(first_year=2024, last_year=2027)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Searches for one example that exists: no shrinking needed, no database.
SEARCH = settings(
    max_examples=600, phases=[Phase.generate], database=None, deadline=None, derandomize=True,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip


def path_sums(
    procedure: Procedure, forward: dict[str, tuple[str, ...]] | None = None
) -> list[tuple[tuple[str, ...], int]]:
    """Every simple path of handovers from the first step to a step with nowhere to go or the
    return step, with the minutes (or calendar days) of its budgets: a slow reference.
    ``forward``: the handovers to follow (default the steps' own; a fork's branches are then
    each a path)."""
    by_key = {s.key: s for s in procedure.steps}
    moves = forward if forward is not None else {s.key: s.forward for s in procedure.steps}

    def amount(step: Step) -> int:
        budget = step.budget
        return budget.minutes if isinstance(budget, WorkingBudget) else budget.days  # type: ignore[union-attr]

    found: list[tuple[tuple[str, ...], int]] = []

    def walk(path: tuple[str, ...]) -> None:
        step = by_key[path[-1]]
        if step.returns or not step.forward:
            found.append((path, sum(amount(by_key[k]) for k in path)))
            return
        for target in moves[step.key]:
            if target not in path:
                walk((*path, target))

    walk((procedure.first.key,))
    return found


# --------------------------------------------------------------------------- procedures


@FAST
@given(
    data=st.data(),
    kind=st.sampled_from([None, *ProcedureKind]),
    policy=st.sampled_from([BudgetPolicy.EXACT, BudgetPolicy.WITHIN]),
    loops=st.booleans(),
    branches=st.booleans(),
    consultations=st.booleans(),
    forks=st.booleans(),
)
def test_generated_procedures_are_valid_and_honour_their_options(
    data: st.DataObject,
    kind: ProcedureKind | None,
    policy: BudgetPolicy,
    loops: bool,
    branches: bool,
    consultations: bool,
    forks: bool,
) -> None:
    procedure = data.draw(
        procedures(kind=kind, min_steps=3, max_steps=5, loops=loops, branches=branches,
                   budget_policy=policy, calendar_days=True, consultations=consultations,
                   forks=forks)
    )  # fmt: skip
    # Built means validated; attrs.evolve builds it again, so every check runs again.
    assert attrs.evolve(procedure) == procedure
    if kind is not None:
        assert procedure.kind is kind
    assert procedure.budget_policy is policy
    if not loops:
        assert all(not s.back for s in procedure.steps)
    if not branches:
        assert all(not s.branches for s in procedure.steps)
    if not consultations:
        assert all(not s.consults for s in procedure.steps)
    for step in procedure.steps:
        assert len(step.consults) <= 2
        if step.consults:
            assert not (step.reception or step.returns) and step.unit not in step.consults
        for answer in step.consults.values():
            # Within the step's own time, in the same kind of time.
            if isinstance(step.budget, WorkingBudget):
                assert isinstance(answer, (WorkingDays, WorkingHours))
                assert 0 < answer.minutes <= step.budget.minutes
            else:
                assert isinstance(answer, CalendarDays) and isinstance(step.budget, CalendarDays)
                assert 0 < answer.days <= step.budget.days
    desk = procedure.kind is not ProcedureKind.INTERNAL
    assert procedure.first.reception is desk
    assert (procedure.return_step is not None) is desk
    if not forks:
        assert not procedure.parallel
    paths = path_sums(procedure)
    total = procedure.total
    limit = total.minutes if isinstance(total, WorkingBudget) else total.days  # type: ignore[union-attr]
    if not procedure.parallel:
        assert all(3 <= len(path) <= 5 for path, _ in paths if len(path) == len(paths[0][0]))
        for path, spent in paths:
            if policy is BudgetPolicy.EXACT:
                assert spent == limit, path
            else:
                assert spent <= limit, path
        return
    # Branches run side by side: every path through one branch fits; in turn (the paper
    # order, when declared) every path adds the branches up exactly under EXACT; without
    # orders the longest branch's path is the total under EXACT.
    assert all(spent <= limit for _, spent in paths)
    if procedure.orders:
        assert procedure.kind is ProcedureKind.INTER_AGENCY
        in_turn = path_sums(procedure, dict(flow_of(procedure, Order.SEQUENTIAL).forward))
        for path, spent in in_turn:
            assert spent == limit if policy is BudgetPolicy.EXACT else spent <= limit, path
    elif policy is BudgetPolicy.EXACT:
        assert max(spent for _, spent in paths) == limit


@pytest.mark.parametrize(
    ("label", "wanted"),
    [
        ("a step consulting two units", lambda p: any(len(s.consults) == 2 for s in p.steps)),
        ("a unit consulted by one step and holding another",
         lambda p: any(u in p.units for s in p.steps for u in s.consults)),
        ("an answer in working hours",
         lambda p: any(isinstance(b, WorkingHours) for s in p.steps for b in s.consults.values())),
        ("an answer in calendar days",
         lambda p: any(isinstance(b, CalendarDays) for s in p.steps for b in s.consults.values())),
    ],
)  # fmt: skip
def test_procedures_consult_in_every_way(label: str, wanted: Callable[[Procedure], bool]) -> None:
    found = find(procedures(calendar_days=True), wanted, settings=SEARCH)
    assert wanted(found), label


@pytest.mark.parametrize(
    ("label", "wanted"),
    [
        ("a fork of three branches", lambda p: any(len(s.fork) == 3 for s in p.steps)),
        ("a branch of two steps", lambda p: any(
            p.step(b).next and p.step(p.step(b).next[0]).next
            and not p.step(p.step(b).next[0]).fork
            and p.step(b).next[0] not in {t for s in p.steps for t in s.fork}
            for s in p.steps for b in s.fork
        )),
        ("the desk forking at once", lambda p: bool(p.first.fork)),
        ("both orders of Art. 20(2)", lambda p: bool(p.orders)),
        ("a send-back inside a branch", lambda p: any(
            b.startswith("p") and any(t.startswith("p") for t in p.step(b).back)
            for b in (s.key for s in p.steps)
        )),
    ],
)  # fmt: skip
def test_procedures_fork_in_every_way(label: str, wanted: Callable[[Procedure], bool]) -> None:
    found = find(procedures(kind=ProcedureKind.INTER_AGENCY), wanted, settings=SEARCH)
    assert wanted(found), label
    assert found.parallel


@FAST
@given(procedure=procedures(rules=DECREE_118_2025, kind=ProcedureKind.INTER_AGENCY))
def test_a_given_rule_pack_is_the_only_one(procedure: Procedure) -> None:
    assert procedure.rules == (DECREE_118_2025,)
    assert procedure.effective_from == date(2025, 7, 1)
    assert procedure.pauses <= {"financial_obligation", "public_posting", "expert_assessment",
                                "violation_handling"}  # fmt: skip


@FAST
@given(procedure=st.from_type(Procedure), calendar=st.from_type(WorkingCalendar))
def test_from_type_draws_from_the_kit(procedure: Procedure, calendar: WorkingCalendar) -> None:
    assert procedure.legal_basis == ("generated by tthc_flow.testing",)
    assert calendar.name == "tthc_flow.testing"


# --------------------------------------------------------------------------- histories


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_histories_replay_in_strict_mode(data: st.DataObject) -> None:
    procedure = data.draw(procedures())
    events = data.draw(case_histories(procedure, calendar=CAL, max_events=15))
    assert 1 <= len(events) <= 15
    assert events[0].kind is EventKind.RECEIVED
    assert [e.seq for e in events] == list(range(len(events)))
    assert all(a.at <= b.at for a, b in itertools.pairwise(events))
    case = Case.from_events(procedure, events, replay_mode=Mode.STRICT, calendar=CAL)
    assert case.violations == ()
    check_case_invariants(case)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_histories_with_violations_replay_in_audit_mode_to_the_same_violations(
    data: st.DataObject,
) -> None:
    procedure = data.draw(procedures())
    events = data.draw(case_histories(procedure, calendar=CAL, violations=True))
    case = Case.from_events(procedure, events, replay_mode=Mode.AUDIT, calendar=CAL)
    # The audit replay finds again exactly the violations recorded when the history was drawn.
    assert tuple(e.violations for e in case.events) == tuple(e.violations for e in events)
    check_case_invariants(case)
    if case.violations:
        with pytest.raises(CommandRefusedError):
            Case.from_events(procedure, events, replay_mode=Mode.STRICT, calendar=CAL)


def test_asking_for_violations_gives_some() -> None:
    procedure = judicial_record()
    events = find(
        case_histories(procedure, calendar=CAL, violations=True),
        lambda events: any(e.violations for e in events),
        settings=SEARCH,
    )
    rules = {v.rule for e in events for v in e.violations}
    assert rules  # e.g. {"actor.unit"}: a unit that does not own the step acted on it


@pytest.mark.parametrize("phase", [p for p in CasePhase if p is not CasePhase.NEW])
def test_histories_reach_every_phase(phase: CasePhase) -> None:
    # Three steps, so that cases reach the return step often; a declared pause, a send-back.
    steps = judicial_record().steps
    procedure = judicial_record(
        pauses={"financial_obligation"},
        budget_policy=BudgetPolicy.WITHIN,
        steps=[steps[0], attrs.evolve(steps[1], next=("return",)), steps[-1]],
    )
    events = find(
        case_histories(procedure, calendar=CAL),
        lambda events: Case.from_events(procedure, events, calendar=CAL).status.phase is phase,
        settings=SEARCH,
    )
    replayed = Case.from_events(procedure, events, replay_mode=Mode.STRICT, calendar=CAL)
    assert replayed.status.phase is phase


POLICE = "Công an tỉnh"


def consulting_record() -> Procedure:
    """Three steps; the review consults the police (two days to answer) and the board (half a
    day)."""
    steps = judicial_record().steps
    review = attrs.evolve(steps[1], next=("return",), back=(),
                          consults={POLICE: WorkingDays(2), BOARD: WorkingDays("0.5")})  # fmt: skip
    return judicial_record(steps=[steps[0], review, steps[-1]],
                           budget_policy=BudgetPolicy.WITHIN)  # fmt: skip


def answer_due(procedure: Procedure, events: tuple[Event, ...], number: int) -> datetime:
    """The due of the consultation the event ``number`` answers or goes on without."""
    unit = events[number].target
    asked = next(e for e in reversed(events[:number])
                 if e.kind is EventKind.CONSULTED and e.target == unit)  # fmt: skip
    assert unit is not None
    return procedure.step("review").consults[unit].due(CAL, asked.at)


def late_answers(procedure: Procedure, events: tuple[Event, ...]) -> list[bool]:
    return [
        e.at > answer_due(procedure, events, n)
        for n, e in enumerate(events)
        if e.kind is EventKind.ANSWERED
    ]


CONSULTING: list[tuple[str, Callable[[Procedure, tuple[Event, ...]], bool]]] = [
    ("an answer in time", lambda p, events: False in late_answers(p, events)),
    ("a late answer", lambda p, events: True in late_answers(p, events)),
    ("two units consulted at once",
     lambda p, events: any(len(Case.from_events(p, events[:n], calendar=CAL).status.consulting)
                           == 2 for n in range(2, len(events) + 1))),
    ("going on without a late answer, then handing on",
     lambda p, events: any(e.kind is EventKind.HANDED_OVER for e in itertools.dropwhile(
         lambda e: e.kind is not EventKind.PROCEEDED, events))),
    ("an answer after the case went on",
     lambda p, events: any(e.kind is EventKind.ANSWERED for e in itertools.dropwhile(
         lambda e: e.kind is not EventKind.HANDED_OVER or e.target != "return", events))),
]  # fmt: skip


@pytest.mark.parametrize(("label", "wanted"), CONSULTING, ids=[label for label, _ in CONSULTING])
def test_histories_consult_answer_and_go_on_lawfully(
    label: str, wanted: Callable[[Procedure, tuple[Event, ...]], bool]
) -> None:
    procedure = consulting_record()
    events = find(case_histories(procedure, calendar=CAL),
                  lambda events: wanted(procedure, events), settings=SEARCH)  # fmt: skip
    case = Case.from_events(procedure, events, replay_mode=Mode.STRICT, calendar=CAL)
    assert case.violations == ()
    for number, event in enumerate(events):
        if event.kind is EventKind.ANSWERED:
            assert event.unit == event.target  # by the unit consulted
        elif event.kind is EventKind.PROCEEDED:
            assert event.at > answer_due(procedure, events, number)  # only once late
            assert event.unit == procedure.step("review").unit


UNLAWFUL_CONSULTATIONS = [
    ("consult.open", EventKind.HANDED_OVER),  # handing on while an answer is awaited
    ("consult.not_late", EventKind.PROCEEDED),  # going on before the answer is late
    ("actor.unit", EventKind.ANSWERED),  # an answer from a unit that was not consulted
    ("consult.not_declared", EventKind.CONSULTED),  # a unit the step does not consult
]


@pytest.mark.parametrize(("rule", "kind"), UNLAWFUL_CONSULTATIONS,
                         ids=[rule for rule, _ in UNLAWFUL_CONSULTATIONS])  # fmt: skip
def test_histories_with_violations_break_the_consultation_rules(rule: str, kind: EventKind) -> None:
    procedure = consulting_record()
    events = find(
        case_histories(procedure, calendar=CAL, violations=True),
        lambda events: any(e.kind is kind and rule in {v.rule for v in e.violations}
                           for e in events),
        settings=SEARCH,
    )  # fmt: skip
    case = Case.from_events(procedure, events, replay_mode=Mode.AUDIT, calendar=CAL)
    assert tuple(e.violations for e in case.events) == tuple(e.violations for e in events)
    with pytest.raises(CommandRefusedError):
        Case.from_events(procedure, events, replay_mode=Mode.STRICT, calendar=CAL)


@FAST
@given(data=st.data())
def test_receipts_stay_in_the_asked_window_and_keep_attributes(data: st.DataObject) -> None:
    procedure = judicial_record()
    events = data.draw(
        case_histories(procedure, calendar=CAL, min_received=date(2026, 2, 10),
                       max_received=date(2026, 2, 20), attributes={"channel": "postal"})
    )  # fmt: skip
    receipt = events[0]
    assert date(2026, 2, 10) <= receipt.at.astimezone(CAL.tz).date() <= date(2026, 2, 20)
    assert receipt.data["attributes"] == {"channel": "postal"}


# --------------------------------------------------------------------------- calendars


@FAST
@given(cal=calendars(min_year=2025, max_year=2026, local_decisions=False, changing_hours=False,
                     hours=working_hours(realistic=True)))  # fmt: skip
def test_national_calendars_carry_the_official_swaps(cal: WorkingCalendar) -> None:
    # Decision on the 2025 swap: Saturday 26/4 worked, Friday 2/5 off; 2026: Saturday 22/8
    # worked, Monday 31/8 off (DOMAIN.md, section 6).
    assert (cal.first_day, cal.last_day) == (date(2025, 1, 1), date(2026, 12, 31))
    assert cal.is_working_day(date(2025, 4, 26)) and not cal.is_working_day(date(2025, 5, 2))
    assert cal.is_working_day(date(2026, 8, 22)) and not cal.is_working_day(date(2026, 8, 31))
    assert not cal.is_working_day(date(2026, 11, 24))  # Vietnam Culture Day, from 2026


@FAST
@given(cal=calendars(min_year=2025, max_year=2025, national=False, local_decisions=False,
                     changing_hours=False))  # fmt: skip
def test_calendars_without_national_days_follow_the_weekly_hours(cal: WorkingCalendar) -> None:
    assert cal.official == ()
    (change,) = cal.hours
    for day in (date(2025, 4, 26), date(2025, 5, 2), date(2025, 9, 2)):
        assert cal.is_working_day(day) is bool(change.hours.weekly[day.weekday()])


@FAST
@given(hours=working_hours(realistic=True))
def test_realistic_hours_are_eight_or_four_hours_on_weekdays(hours: OfficeHours) -> None:
    assert hours.weekly[5] == hours.weekly[6] == ()
    assert {sum(s.minutes for s in day) for day in hours.weekly[:5]} <= {240, 480}


@FAST
@given(data=st.data(), other_zones=st.booleans(), sub_minute=st.booleans())
def test_instants_are_aware_and_inside_their_bounds(
    data: st.DataObject, other_zones: bool, sub_minute: bool
) -> None:
    lo, hi = date(2026, 1, 20), date(2026, 3, 1)
    at = data.draw(instants(CAL, min_value=lo, max_value=hi, other_zones=other_zones,
                            sub_minute=sub_minute))  # fmt: skip
    assert at.tzinfo is not None and at.utcoffset() is not None
    assert lo <= at.astimezone(CAL.tz).date() <= hi
    if not other_zones:
        assert at.tzinfo is CAL.tz
    if not sub_minute:
        assert at.second == at.microsecond == 0


def _before_tet_2026() -> date:
    """The last working day before Tết 2026, read from the calendar's explanations."""
    tet = next(i.day for i in CAL.notable_days(date(2026, 2, 1), date(2026, 2, 28))
               if "Tết" in str(i) and not i.is_working)  # fmt: skip
    return CAL.add_working_days(tet, -1)


@pytest.mark.parametrize(
    ("label", "wanted"),
    [
        ("17:00 sharp on a working day",
         lambda t: t.time() == time(17) and CAL.is_working_day(t)),
        ("midnight", lambda t: t.time() == time(0)),
        ("after the 15:00 cut-off", lambda t: time(15) < t.time() < time(17)),
        ("a make-up Saturday",
         lambda t: t.weekday() == 5 and CAL.is_working_day(t)),
        ("the day before Tết 2026", lambda t: t.date() == _before_tet_2026()),
    ],
)  # fmt: skip
def test_instants_reach_the_awkward_ones(label: str, wanted: Callable[[datetime], bool]) -> None:
    found = find(
        instants(CAL, min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)),
        wanted,
        settings=SEARCH,
    )
    assert wanted(found), label


@FAST
@given(data=st.data())
def test_days_stay_inside_their_bounds(data: st.DataObject) -> None:
    day = data.draw(days(CAL, min_value=date(2025, 4, 20), max_value=date(2025, 5, 5)))
    assert date(2025, 4, 20) <= day <= date(2025, 5, 5)


# --------------------------------------------------------------------------- budgets


@FAST
@given(
    budget=budgets(kinds=(WorkingDays, WorkingHours, CalendarDays, Months), min_days=3,
                   max_days=70),
)  # fmt: skip
def test_budgets_stay_inside_their_bounds(budget: Any) -> None:
    if isinstance(budget, WorkingBudget):
        assert 3 * 480 <= budget.minutes <= 70 * 480
        step = 120 if isinstance(budget, WorkingDays) else 30
        assert budget.minutes % step == 0
    elif isinstance(budget, CalendarDays):
        assert 3 <= budget.days <= 70
    else:
        assert isinstance(budget, Months) and 1 <= budget.months <= 2


@FAST
@given(budget=budgets())
def test_default_budgets_are_quarter_working_days(budget: Any) -> None:
    assert isinstance(budget, WorkingDays)
    assert (budget.days * 4).denominator == 1 and 0 <= budget.days <= 20
    assert budget.days == Fraction(budget.minutes, 480)


# --------------------------------------------------------------------------- bad arguments

PROCEDURE = judicial_record()
BAD: list[tuple[str, Callable[[], object]]] = [
    ("year before 1995", lambda: calendars(min_year=1990)),
    ("years reversed", lambda: calendars(min_year=2026, max_year=2025)),
    ("year not an int", lambda: calendars(max_year="2026")),
    ("hours not a strategy", lambda: calendars(hours=OfficeHours.standard())),  # type: ignore[arg-type]
    ("national not a flag", lambda: calendars(national="yes")),  # type: ignore[arg-type]
    ("realistic not a flag", lambda: working_hours(realistic=1)),  # type: ignore[arg-type]
    ("instants of no calendar", lambda: instants("cal")),  # type: ignore[arg-type]
    ("instants before the calendar", lambda: instants(CAL, min_value=date(2020, 1, 1))),
    ("instants bound not a date", lambda: instants(CAL, max_value=datetime(2025, 1, 1))),  # type: ignore[arg-type]
    ("instants bounds reversed",
     lambda: instants(CAL, min_value=date(2025, 2, 1), max_value=date(2025, 1, 1))),
    ("days after the calendar", lambda: days(CAL, max_value=date(2030, 1, 1))),
    ("no steps", lambda: procedures(min_steps=0)),
    ("one-stop of one step", lambda: procedures(min_steps=1)),
    ("steps reversed", lambda: procedures(min_steps=5, max_steps=3)),
    ("kind not a kind", lambda: procedures(kind="một cửa")),  # type: ignore[arg-type]
    ("rules not packs", lambda: procedures(rules=["DECREE_118_2025"])),  # type: ignore[list-item]
    ("policy not a policy", lambda: procedures(budget_policy="unchecked")),  # type: ignore[arg-type]
    ("months not a flag", lambda: procedures(months=1)),  # type: ignore[arg-type]
    ("loops not a flag", lambda: procedures(loops=None)),  # type: ignore[arg-type]
    ("consultations not a flag", lambda: procedures(consultations="yes")),  # type: ignore[arg-type]
    ("budget kind unknown", lambda: budgets(kinds=(int,))),  # type: ignore[arg-type]
    ("negative days", lambda: budgets(min_days=-1)),
    ("days reversed", lambda: budgets(min_days=5, max_days=2)),
    ("no month fits", lambda: budgets(kinds=(Months,), min_days=1, max_days=20)),
    ("history of no procedure", lambda: case_histories("1.004227")),  # type: ignore[arg-type]
    ("no events", lambda: case_histories(PROCEDURE, max_events=0)),
    ("min over max", lambda: case_histories(PROCEDURE, min_events=30, max_events=20)),
    ("violations not a flag", lambda: case_histories(PROCEDURE, violations="yes")),  # type: ignore[arg-type]
    ("calendar not a calendar", lambda: case_histories(PROCEDURE, calendar="VN")),  # type: ignore[arg-type]
    ("receipts off the calendar",
     lambda: case_histories(PROCEDURE, calendar=CAL, max_received=date(2027, 12, 1))),
    ("receipts before the procedure",
     lambda: case_histories(judicial_record(effective_from=date(2025, 1, 1)), calendar=CAL,
                            min_received=date(2024, 6, 1))),
    ("budget kinds not a sequence", lambda: budgets(kinds=5)),  # type: ignore[arg-type]
    ("budget kinds None", lambda: budgets(kinds=None)),  # type: ignore[arg-type]
    ("budget kinds a text", lambda: budgets(kinds="WorkingDays")),  # type: ignore[arg-type]
    ("days past printing", lambda: budgets(max_days=10**5000)),
    ("rules not iterable", lambda: procedures(rules=5)),  # type: ignore[arg-type]
    ("steps past printing", lambda: procedures(min_steps=10**5000)),
    ("first receipt 0", lambda: case_histories(PROCEDURE, calendar=CAL, min_received=0)),  # type: ignore[arg-type]
    ("first receipt empty", lambda: case_histories(PROCEDURE, calendar=CAL, min_received="")),  # type: ignore[arg-type]
    ("last receipt False",
     lambda: case_histories(PROCEDURE, calendar=CAL, max_received=False)),  # type: ignore[arg-type]
    ("channel unknown",
     lambda: case_histories(PROCEDURE, calendar=CAL, attributes={"channel": "fax"})),
    ("attribute NaN",
     lambda: case_histories(PROCEDURE, calendar=CAL, attributes={"channel": float("nan")})),
    ("attribute a set", lambda: case_histories(PROCEDURE, calendar=CAL, attributes={"x": {1}})),
    ("copies a bool (Case.open refuses it)",
     lambda: case_histories(PROCEDURE, calendar=CAL, attributes={"copies": True})),
    ("attribute key an int",
     lambda: case_histories(PROCEDURE, calendar=CAL, attributes={1: "x"})),  # type: ignore[dict-item]
    ("attributes not a mapping",
     lambda: case_histories(PROCEDURE, calendar=CAL, attributes=["online"])),  # type: ignore[arg-type]
]  # fmt: skip


@pytest.mark.parametrize(("label", "build"), BAD, ids=[label for label, _ in BAD])
def test_bad_arguments_are_refused_when_the_strategy_is_built(
    label: str, build: Callable[[], object]
) -> None:
    with pytest.raises(InvalidInputError) as info:
        build()  # no draw: the error comes from building the strategy
    assert isinstance(info.value, ValueError) and isinstance(info.value, TthcFlowError)
    assert str(info.value)


def test_a_budget_is_exactly_its_quarters() -> None:
    drawn = find(budgets(min_days=1, max_days=1), lambda b: True, settings=SEARCH)
    assert drawn == WorkingDays(1)
    assert (timedelta(minutes=drawn.minutes)) == timedelta(hours=8)  # type: ignore[attr-defined]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_month_and_unchecked_budgets_are_drawn_on_request(data: st.DataObject) -> None:
    procedure = data.draw(procedures(months=True, budget_policy=BudgetPolicy.UNCHECKED,
                                     forks=False))  # fmt: skip
    assert procedure.budget_policy is BudgetPolicy.UNCHECKED
    if isinstance(procedure.total, Months):
        assert all(isinstance(s.budget, CalendarDays) for s in procedure.steps)
    events = data.draw(case_histories(procedure, calendar=CAL, max_events=12))
    case = Case.from_events(procedure, events, calendar=CAL)
    check_case_invariants(case)


def test_months_come_up_and_unchecked_totals_differ_from_the_paths() -> None:
    monthly = find(procedures(months=True), lambda p: isinstance(p.total, Months),
                   settings=settings(database=None, max_examples=500))  # fmt: skip
    assert monthly.budget_policy is BudgetPolicy.UNCHECKED
    short = find(
        procedures(budget_policy=BudgetPolicy.UNCHECKED, forks=False, branches=False),
        lambda p: isinstance(p.total, WorkingDays)
        and p.total.minutes < sum(s.budget.minutes for s in p.steps),  # type: ignore[union-attr]
        settings=settings(database=None, max_examples=500),
    )
    assert short.budget_policy is BudgetPolicy.UNCHECKED


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_long_histories_are_drawn_on_request(data: st.DataObject) -> None:
    procedure = data.draw(procedures(loops=True, pauses=True))
    events = data.draw(case_histories(procedure, calendar=CAL, min_events=60, max_events=80))
    assert 1 <= len(events) <= 80
    case = Case.from_events(procedure, events, calendar=CAL)
    check_case_invariants(case)


def test_a_long_history_is_found_when_asked_for() -> None:
    long = find(
        procedures(loops=True).flatmap(
            lambda p: case_histories(p, calendar=CAL, min_events=60, max_events=80)
        ),
        lambda events: len(events) >= 60,
        settings=settings(database=None, max_examples=50),
    )
    assert 60 <= len(long) <= 80
    # Without min_events the same strategies stop anywhere: most histories are short.
    assert len(find(procedures(loops=True).flatmap(
        lambda p: case_histories(p, calendar=CAL, max_events=80)), lambda e: True)) < 60


def test_an_unknown_channel_is_drawn_when_violations_are_asked_for() -> None:
    strategy = case_histories(PROCEDURE, calendar=CAL, violations=True, max_events=2,
                              attributes={"channel": "fax"})  # fmt: skip
    history = find(strategy, lambda events: True)
    assert history[0].data["attributes"] == {"channel": "fax"}
    assert any(v.rule == "receipt.channel_unknown" for v in history[0].violations)

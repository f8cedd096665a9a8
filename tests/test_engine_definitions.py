"""Budgets, procedure validation (each named check), rule packs and the machine port."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.procedures import DESK, judicial_record, land_change
from tthc_flow.calendar import vietnam_calendar
from tthc_flow.engine import (
    DECREE_61_2018,
    DECREE_118_2025,
    INTERNAL_PRACTICE,
    AfterCutoff,
    Budget,
    BudgetAdjustment,
    BudgetPolicy,
    CalendarDays,
    Case,
    Effect,
    Months,
    PauseRule,
    Procedure,
    ProcedureKind,
    SameWorkingDay,
    Step,
    TransitionsBackend,
    WorkingDays,
    WorkingHours,
    compile_procedure,
    pack_in_force,
    parse_budget,
)
from tthc_flow.errors import BudgetError, DefinitionError, RuleError

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# ----------------------------------------------------------------------------- budgets


@pytest.mark.parametrize(
    ("budget", "minutes"),
    [
        (WorkingDays("0.25"), 120),
        (WorkingDays(Fraction(1, 4)), 120),
        (WorkingDays(Decimal("1.5")), 720),
        (WorkingDays(0), 0),
        (WorkingHours("1.5"), 90),
        (WorkingDays(10), 4800),
    ],
)
def test_working_budgets_are_exact_minutes(budget: WorkingDays, minutes: int) -> None:
    assert budget.minutes == minutes


@pytest.mark.parametrize(
    "make",
    [
        lambda: WorkingDays(0.25),  # floats are refused
        lambda: WorkingDays(-1),
        lambda: WorkingDays("abc"),
        lambda: WorkingDays(Fraction(1, 7)),  # not whole minutes
        lambda: WorkingHours(Fraction(1, 120)),
        lambda: CalendarDays(1.0),
        lambda: Months(-1),
        lambda: WorkingDays(True),
    ],
)
def test_bad_budgets_are_refused(make: object) -> None:
    with pytest.raises(BudgetError):
        make()  # type: ignore[operator]


def test_budget_algebra() -> None:
    assert WorkingDays(2) + WorkingDays("0.5") == WorkingDays("2.5")
    assert WorkingDays(1) + WorkingHours(4) == WorkingHours(12)
    assert WorkingDays(1) == WorkingHours(8)
    assert sum([WorkingDays(1), WorkingDays(2)]) == WorkingDays(3)
    assert CalendarDays(3) + CalendarDays(4) == CalendarDays(7)
    assert WorkingDays(1) < WorkingDays(2)
    with pytest.raises(BudgetError):
        WorkingDays(1) + CalendarDays(1)
    with pytest.raises(BudgetError):
        CalendarDays(1) + Months(1)
    with pytest.raises(TypeError):
        WorkingDays(1) + 1  # type: ignore[operator]


def test_budgets_resolve_on_a_calendar() -> None:
    cal = vietnam_calendar()
    received = datetime(2025, 4, 25, 16, 0, tzinfo=VN)
    assert WorkingDays(3).due(cal, received) == datetime(2025, 4, 29, 16, 0, tzinfo=VN)
    assert received + WorkingDays(3).on(cal) == datetime(2025, 4, 29, 16, 0, tzinfo=VN)
    # 30 days after Fri 25/4/2025 is Sun 25/5: the period ends with Mon 26/5 (24:00).
    assert CalendarDays(30).due(cal, received) == datetime(2025, 5, 27, 0, 0, tzinfo=VN)
    # 1 month after 31/1/2025 is 28/2 (a Friday): ends at 24:00 that day.
    jan31 = datetime(2025, 1, 31, 9, 0, tzinfo=VN)
    assert Months(1).due(cal, jan31) == datetime(2025, 3, 1, 0, 0, tzinfo=VN)


@pytest.mark.parametrize(
    ("text", "budget"),
    [
        ("10 ngày làm việc", WorkingDays(10)),
        ("0,5 ngày làm việc", WorkingDays("0.5")),
        ("30 ngày", CalendarDays(30)),
        ("3 tháng", Months(3)),
        ("4 giờ làm việc", WorkingHours(4)),
        ("2 working days", WorkingDays(2)),
    ],
)
def test_parse_budget_as_published(text: str, budget: object) -> None:
    assert parse_budget(text) == budget
    assert type(parse_budget(text)) is type(budget)
    # Published texts come in either Unicode form and any case.
    decomposed = unicodedata.normalize("NFD", text.upper())
    assert parse_budget(decomposed) == budget


@pytest.mark.parametrize(
    "budgets",
    [[CalendarDays(1), CalendarDays(2)], [Months(1)], [SameWorkingDay()],
     [SameWorkingDay(AfterCutoff.NEXT_DAY)], [WorkingHours(4), WorkingDays(1)]],
    ids=["calendar days", "months", "same day", "same or next day", "working time"],
)  # fmt: skip
def test_every_budget_sums_from_zero(budgets: list[Budget]) -> None:
    total = sum(budgets)  # type: ignore[arg-type]
    assert total == (0 + budgets[0] if len(budgets) == 1 else budgets[0] + budgets[1])
    assert 0 + budgets[0] == budgets[0]


@pytest.mark.parametrize(
    ("left", "right"),
    [(SameWorkingDay(), WorkingDays(1)), (SameWorkingDay(), SameWorkingDay()),
     (SameWorkingDay(), CalendarDays(1)), (Months(1), SameWorkingDay()),
     (WorkingDays(1), SameWorkingDay())],
    ids=["same day + working", "same day twice", "same day + days", "months + same day",
         "working + same day"],
)  # fmt: skip
def test_budgets_that_do_not_add_up_are_refused_either_way(left: Budget, right: Budget) -> None:
    with pytest.raises(BudgetError):
        left + right
    with pytest.raises(BudgetError):
        right + left


@pytest.mark.parametrize(
    "other", [1, 0.0, False, Decimal(0), "0", None, timedelta(0)], ids=repr
)
@pytest.mark.parametrize(
    "budget", [CalendarDays(1), Months(1), SameWorkingDay(), WorkingDays(1)], ids=str
)
def test_a_budget_adds_to_no_other_value(budget: Budget, other: object) -> None:
    assert budget.__add__(other) is NotImplemented
    assert budget.__radd__(other) is NotImplemented
    with pytest.raises(TypeError):
        other + budget  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "budget"),
    [("00000000000000000001 ngày", CalendarDays(1)),
     ("0" * 5_000 + "3 tháng", Months(3)),
     ("0" * 2_000 + "1,5" + "0" * 2_000 + " ngày làm việc", WorkingDays("1.5")),
     ("0001/0004 ngày làm việc", WorkingDays("0.25")),
     ("0 ngày", CalendarDays(0))],
    ids=["padded days", "padded months", "padded working days", "padded fraction", "zero"],
)  # fmt: skip
def test_parse_budget_judges_a_number_by_its_value(text: str, budget: Budget) -> None:
    assert parse_budget(text) == budget


@pytest.mark.parametrize(
    "text",
    # "24 giờ" is how laws write clock hours; superscripts and other digits are not numbers
    # a procedure publishes.
    ["10 ngay", "ba ngày", "0.5 ngày", "", "24 giờ", "² ngày", "١٠ ngày", "1e1 ngày làm việc",
     "+3 ngày", "1_0 ngày"],
)  # fmt: skip
def test_parse_budget_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(BudgetError):
        parse_budget(text)


@given(st.lists(st.integers(0, 30 * 8).map(lambda n: Fraction(n, 8)), min_size=1, max_size=6))
def test_working_days_add_like_their_minutes(amounts: list[Fraction]) -> None:
    budgets = [WorkingDays(a) for a in amounts]
    assert sum(budgets).minutes == sum(b.minutes for b in budgets)  # type: ignore[union-attr]
    assert sum(budgets).minutes == int(sum(amounts) * 480)  # type: ignore[union-attr]


# ----------------------------------------------------------------------------- validation


def step(key: str, budget: object = WorkingDays(1), **kw: object) -> Step:
    return Step(key, key.title(), kw.pop("unit", "U"), budget, **kw)  # type: ignore[arg-type]


def build(steps: list[Step], total: object = WorkingDays(2), **kw: object) -> Procedure:
    return Procedure(code="V.1", name="V", version="1", kind=ProcedureKind.INTERNAL,
                     total=total, steps=steps, **kw)  # type: ignore[arg-type]  # fmt: skip


@pytest.mark.parametrize(
    ("steps", "total", "extra", "check", "bad_step"),
    [
        ([], WorkingDays(1), {}, "check_has_steps", None),
        ([step("a", next="b"), step("a")], WorkingDays(2), {}, "check_unique_keys", "a"),
        ([step("a", next="b"), step("b", unit="")], WorkingDays(2), {}, "check_unit_and_budget",
         "b"),
        ([step("a", next="b"), step("b", None)], WorkingDays(2), {}, "check_unit_and_budget", "b"),
        ([step("a", next="x")], WorkingDays(1), {}, "check_known_targets", "a"),
        ([step("a", next="b"), step("b"), step("c")], WorkingDays(2), {}, "check_reachable",
         "c"),
        ([step("a", next="b"), step("b", next="c"), step("c", next="b")], WorkingDays(3), {},
         "check_can_finish", "a"),
        ([step("a", next="b"), step("b", back="zzz")], WorkingDays(2), {},
         "check_known_targets", "b"),
        ([step("a", next="b", back="b"), step("b")], WorkingDays(2), {}, "check_send_backs", "a"),
        ([step("a", next="b"), step("b")], WorkingDays(3), {}, "check_budget_total", None),
        ([step("a", next="b"), step("b", CalendarDays(1))], WorkingDays(2), {},
         "check_budget_total", "b"),
        ([step("a", next="b"), step("b")], WorkingDays(2), {"pauses": {"consultation"}},
         "check_pauses", None),
        ([step("a", next="b"), step("b")], WorkingDays(2), {"pauses": {"nap"}}, "check_pauses",
         None),
        ([step("a", next="b", reception=True), step("b", reception=True)], WorkingDays(2), {},
         "check_desk_steps", None),
        ([step("a", next="b"), step("b")], WorkingDays(2),
         {"effective_from": date(2026, 1, 2), "effective_until": date(2026, 1, 1)},
         "check_identity", None),
        ([step("a", next="b"), Step("b", " ", "U", WorkingDays(1))], WorkingDays(2), {},
         "check_texts", "b"),
        ([step("a", next="b", role=""), step("b")], WorkingDays(2), {}, "check_texts", "a"),
        ([step("a", next=("b", "b")), step("b")], WorkingDays(2), {}, "check_known_targets",
         "a"),
        ([step("a", next="b"), step("b")], WorkingDays(2),
         {"rules": (INTERNAL_PRACTICE, INTERNAL_PRACTICE)}, "check_rule_packs", None),
        ([step("a", next="b "), step("b ")], WorkingDays(2), {}, "check_unique_keys", "b "),
        ([step("a", next="b"), step("b")], WorkingDays(2), {"legal_basis": ("Luật", "")},
         "check_texts", None),
        ([step("a", next="b"), step("b")], WorkingDays(2),
         {"adjustments": [BudgetAdjustment("x", WorkingDays(1), when={"since": date(2025, 1, 1)},
                                           citation="c")]},
         "check_adjustments", None),
    ],
)  # fmt: skip
def test_each_check_fails_loudly_and_names_the_step(
    steps: list[Step], total: object, extra: dict[str, object], check: str, bad_step: str | None
) -> None:
    with pytest.raises(DefinitionError) as error:
        build(steps, total, **extra)
    assert error.value.check == check
    assert error.value.step == bad_step
    assert error.value.procedure == "V.1"
    if bad_step:
        assert repr(bad_step) in str(error.value)


def test_looser_budget_policies_are_explicit() -> None:
    steps = [step("a", next="b"), step("b")]
    with pytest.raises(DefinitionError):
        build(steps, WorkingDays(3))
    assert build(steps, WorkingDays(3), budget_policy=BudgetPolicy.WITHIN).total == WorkingDays(3)
    with pytest.raises(DefinitionError):
        build(steps, WorkingDays(1), budget_policy=BudgetPolicy.WITHIN)
    mixed = [step("a", next="b"), step("b", WorkingDays(5))]
    assert build(mixed, CalendarDays(30), budget_policy=BudgetPolicy.UNCHECKED)


def test_every_path_is_summed_including_branches() -> None:
    steps = [
        step("a", next="b", branches={"short": "c"}),
        step("b", next="c"),
        step("c", WorkingDays(0)),
    ]
    # a → b → c = 2 days; a → c = 1 day: the short path does not add up.
    with pytest.raises(DefinitionError) as error:
        build(steps, WorkingDays(2))
    assert "a → c" in str(error.value)


def test_example_procedures_validate() -> None:
    assert judicial_record().total == WorkingDays(10)
    assert land_change().pauses == {"financial_obligation", "public_posting"}
    assert judicial_record().units[0] == DESK


# ----------------------------------------------------------------------------- rule packs


def test_pack_in_force_by_receipt_date() -> None:
    assert pack_in_force(date(2025, 6, 30)) is DECREE_61_2018
    assert pack_in_force(date(2025, 7, 1)) is DECREE_118_2025
    with pytest.raises(RuleError):
        pack_in_force(date(2017, 1, 1))


def test_every_pack_entry_cites_its_article() -> None:
    for pack in (DECREE_61_2018, DECREE_118_2025):
        assert pack.reschedule.citation
        for rule in pack.reasons.values():
            assert "Nghị định" in rule.citation, rule.code
    supplement = DECREE_61_2018.supplement_rule
    assert supplement.legal is Effect.RESTART and supplement.indicator is Effect.PAUSE
    assert supplement.max_times == 1 and supplement.window == WorkingDays(3)
    assert not DECREE_61_2018.rule("consultation").allowed
    assert DECREE_61_2018.rule("financial_obligation").declared_only


def test_agencies_derive_their_own_pack() -> None:
    storm = PauseRule("natural_disaster", "Thiên tai", "natural disaster",
                      "Quyết định minh họa của UBND tỉnh (illustrative)")  # fmt: skip
    local = DECREE_118_2025.derive("PROVINCE_X_2026", add=[storm], remove=["public_posting"])
    assert "natural_disaster" in local.reasons and "public_posting" not in local.reasons
    assert "natural_disaster" not in DECREE_118_2025.reasons  # the national pack is unchanged
    with pytest.raises(RuleError):
        DECREE_118_2025.derive("X", add=[DECREE_118_2025.supplement_rule])
    with pytest.raises(RuleError):
        DECREE_118_2025.derive("X", remove=["nap"])
    with pytest.raises(RuleError):
        DECREE_118_2025.derive("X", remove=["supplement"])  # a pack needs its supplement rule
    # Only the supplement request is counted at reception and after it apart: another reason
    # asking for it would be counted per case while saying otherwise.
    visit = PauseRule("site_visit", "Khảo sát", "site visit", "illustrative", max_times=1,
                      per_stage=True)  # fmt: skip
    with pytest.raises(RuleError, match="per_stage") as raised:
        DECREE_118_2025.derive("X", add=[visit])
    assert raised.value.rule == "site_visit"


def test_a_procedure_judged_by_a_derived_pack() -> None:
    storm = PauseRule("natural_disaster", "Thiên tai", "natural disaster", "illustrative")
    local = DECREE_118_2025.derive("LOCAL", add=[storm])
    proc = judicial_record(rules=local, pauses={"natural_disaster"})
    case = Case.open(proc, case_id="S", received_at=datetime(2026, 3, 2, 9, tzinfo=VN),
                     actor="a", unit=DESK)  # fmt: skip
    case.pause("natural_disaster", at=datetime(2026, 3, 2, 10, tzinfo=VN), actor="a", unit=DESK)
    case.resume(at=datetime(2026, 3, 3, 10, tzinfo=VN), actor="a", unit=DESK)
    # One working day excluded: Mon 16/3 09:00 becomes Tue 17/3 09:00.
    assert case.legal_clock().due == datetime(2026, 3, 17, 9, tzinfo=VN)


# ----------------------------------------------------------------------------- machine port


def test_cases_share_one_compiled_procedure() -> None:
    proc = judicial_record()
    cases = [
        Case.open(proc, case_id=str(i), received_at=datetime(2026, 3, 2, 9, tzinfo=VN),
                  actor="a", unit=DESK)
        for i in range(3)
    ]  # fmt: skip
    assert len({id(c.compiled) for c in cases}) == 1
    assert compile_procedure(proc) is cases[0].compiled


def test_the_table_is_what_transitions_allows() -> None:
    proc = judicial_record()
    compiled = compile_procedure(proc)
    machine = TransitionsBackend().machine(proc)
    assert set(compiled.triggers("review")) == set(machine.get_triggers("review"))
    assert compiled.next_state("review", "handover:approve") == "approve"
    assert compiled.next_state("review", "handover:sign") is None
    assert compiled.next_state("review", "send_back:receive") == "receive"


def test_another_backend_plugs_in() -> None:
    class Frozen:
        """A backend that allows only what a fixed table says."""

        name = "frozen"

        def compile(self, procedure: Procedure) -> dict[str, dict[str, str]]:
            return {"receive": {}}

    proc = judicial_record()
    case = Case(proc, case_id="B", backend=Frozen())
    assert case.compiled.backend == "frozen"
    assert compile_procedure(proc, Frozen()) is case.compiled


def test_budget_adjustment_applies_by_attribute() -> None:
    proc = land_change()
    assert proc.total_for({"remote_commune": True}) == WorkingDays(20)
    assert proc.total_for({"remote_commune": False}) == WorkingDays(10)
    assert proc.step_budget_for("office", {"remote_commune": True}) == WorkingDays(18)
    assert timedelta(hours=8 * 20) == proc.total_for({"remote_commune": True}).timedelta  # type: ignore[union-attr]


@pytest.mark.parametrize("field", ["code", "version"])
def test_a_code_or_version_with_a_space_at_an_end_is_refused(field: str) -> None:
    """Catalogs look procedures up by code and version: " V.1" would be a second procedure
    beside "V.1", found by nobody who types the code."""
    steps = [step("a", next="b"), step("b")]
    fields = {"code": "V.1", "name": "V", "version": "1", field: " 1 "}
    with pytest.raises(DefinitionError, match="space") as error:
        Procedure(kind=ProcedureKind.INTERNAL, total=WorkingDays(2), steps=steps,
                  **fields)  # type: ignore[arg-type]  # fmt: skip
    assert error.value.check == "check_identity"

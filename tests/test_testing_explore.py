"""``explore``: every path through a procedure, dead ends, unreached steps, the longest legal
time to the result. Expected figures are worked out by hand in each test's comments."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.procedures import DESK, RECORDS, judicial_record
from tthc_flow.calendar import vietnam_calendar
from tthc_flow.engine import (
    BudgetPolicy,
    CalendarDays,
    Case,
    Order,
    Procedure,
    ProcedureKind,
    Step,
    WorkingBudget,
    WorkingDays,
)
from tthc_flow.errors import DefinitionError, InvalidInputError, TransitionNotAllowedError
from tthc_flow.testing import explore, procedures

CAL = vietnam_calendar(first_year=2025, last_year=2026)


def _proc(steps: list[Step], total: object, **fields: object) -> Procedure:
    return Procedure(
        code="EX.1", name="Thủ tục minh họa", version="1", kind=ProcedureKind.ONE_STOP,
        total=total, steps=steps, **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def with_archive() -> Procedure:
    """A dead end: "archive" has nowhere to go, but results are returned only from the return
    step, so a case handed to "archive" could never get its result back. The definition
    checks refuse it; built around them (see :func:`unchecked`), ``explore`` finds it."""
    return _proc(
        [
            Step("receive", "Tiếp nhận", DESK, WorkingDays("0.5"), next="review", reception=True),
            Step("review", "Thẩm định", RECORDS, WorkingDays(4), next="return",
                 branches={"lưu hồ sơ (file away)": "archive"}),
            Step("archive", "Lưu hồ sơ", RECORDS, WorkingDays("0.5")),
            Step("return", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
        WorkingDays(5),
    )  # fmt: skip


def test_a_straight_procedure_has_one_way_to_the_result() -> None:
    # judicial_record: receive → review → approve → sign → issue → return, 10 working days.
    # Without send-backs: one path to the result, and at each of the 6 steps the case may
    # be refused, withdrawn, stopped or closed (a dossier never completed, Decree 118
    # Art. 19(5)): 6 × 4 + 1 = 25 paths.
    report = explore(judicial_record(), max_loops=0)
    assert report.paths == 25
    assert dict(report.ends) == {
        "return_result": 1, "refuse": 6, "withdraw": 6, "stop": 6, "close": 6,
    }  # fmt: skip
    assert report.longest_path == ("receive", "review", "approve", "sign", "issue", "return")
    assert report.longest_working == timedelta(hours=80)  # 10 working days of 8 hours
    assert report.longest_working_days == 10
    assert (report.dead_ends, report.unreached, report.unknown_targets) == ((), (), ())
    assert report.over_total is None and not report.rework_exceeds_total
    assert not report.truncated and report.ok


def test_each_send_back_once_adds_the_rework_it_causes() -> None:
    # Send-backs review→receive, approve→review, sign→review, each taken once, re-walk
    # receive+review (0.5 + 6), review+approve (6 + 1.5), review+approve+sign (6 + 1.5 + 1):
    # 10 + 6.5 + 7.5 + 8.5 = 32.5 working days, three times the published ten.
    report = explore(judicial_record(), max_loops=1)
    assert report.longest_working_days == Fraction(65, 2)
    assert report.longest_path is not None
    assert report.longest_path.count("review") == 4
    assert report.rework_exceeds_total and report.over_total is None and report.ok


def test_bounds_truncate_and_say_so() -> None:
    # Three moves reach receive → review → approve → sign; issue and return stay unreached.
    shallow = explore(judicial_record(), max_depth=3, max_loops=0)
    assert shallow.truncated
    assert shallow.unreached == ("issue", "return")
    assert shallow.longest_path is None and shallow.longest_working == timedelta(0)
    few = explore(judicial_record(), max_paths=5)
    assert few.truncated and few.paths == 5


def test_a_dead_end_is_refused_when_defined() -> None:
    with pytest.raises(DefinitionError) as error:
        with_archive()
    assert error.value.check == "check_can_finish" and error.value.step == "archive"


@pytest.mark.usefixtures("unchecked")
def test_a_dead_end_built_around_the_checks_is_found_and_is_real() -> None:
    procedure = with_archive()
    report = explore(procedure)
    assert report.dead_ends == ("archive",)
    assert not report.ok
    # The engine agrees: from "archive" the result cannot be returned.
    case = Case.open(procedure, case_id="A-1", received_at=CAL.add_calendar_days(
        CAL.first_day, 40), actor="Lan", unit=DESK, calendar=CAL)  # fmt: skip
    at = case.received_at
    case.handover("review", at=at, actor="Lan", unit=DESK)
    case.handover("archive", at=at + timedelta(hours=1), actor="Minh", unit=RECORDS)
    case.resolve(at=at + timedelta(hours=2), actor="Minh", unit=RECORDS)
    with pytest.raises(TransitionNotAllowedError):
        case.return_result(at=at + timedelta(hours=3), actor="Minh", unit=RECORDS)


def test_a_branch_over_the_total_under_an_unchecked_policy() -> None:
    # UNCHECKED skips the budget check: the expert branch takes 0.5 + 4 + 6 + 0.5 = 11 days
    # of a published 5; the plain path 0.5 + 4 + 0.5 = 5.
    procedure = _proc(
        [
            Step("receive", "Tiếp nhận", DESK, WorkingDays("0.5"), next="review", reception=True),
            Step("review", "Thẩm định", RECORDS, WorkingDays(4), next="return",
                 branches={"giám định (expert)": "expert"}),
            Step("expert", "Giám định", "Viện Khoa học hình sự", WorkingDays(6), next="return"),
            Step("return", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
        WorkingDays(5),
        budget_policy=BudgetPolicy.UNCHECKED,
    )  # fmt: skip
    report = explore(procedure)
    assert report.over_total == ("receive", "review", "expert", "return")
    assert report.longest_working_days == 11
    assert not report.ok


def test_rework_can_exceed_a_total_that_every_plain_path_respects() -> None:
    # WITHIN: 0.5 + 3 + 0.5 = 4 <= 5; one rework loop: 4 + 0.5 + 3 = 7.5 > 5.
    procedure = _proc(
        [
            Step("receive", "Tiếp nhận", DESK, WorkingDays("0.5"), next="review", reception=True),
            Step("review", "Thẩm định", RECORDS, WorkingDays(3), next="return", back="receive"),
            Step("return", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
        WorkingDays(5),
        budget_policy=BudgetPolicy.WITHIN,
    )  # fmt: skip
    report = explore(procedure, max_loops=1)
    assert report.over_total is None and report.rework_exceeds_total
    assert report.longest_working_days == Fraction(15, 2)
    assert explore(procedure, max_loops=0).longest_working_days == 4


def test_calendar_day_budgets_are_reported_apart() -> None:
    procedure = _proc(
        [
            Step("receive", "Tiếp nhận", DESK, CalendarDays(1), next="review", reception=True),
            Step("review", "Thẩm định", RECORDS, CalendarDays(13), next="return"),
            Step("return", "Trả kết quả", DESK, CalendarDays(1), returns=True),
        ],
        CalendarDays(15),
    )  # fmt: skip
    report = explore(procedure)
    assert (report.longest_calendar_days, report.longest_working) == (15, timedelta(0))


def test_remote_commune_adjustments_apply_when_asked() -> None:
    from tests.procedures import land_change

    # 0.5 + 8 + 1 + 0.5 = 10 days; a remote commune adds 10 working days to "office".
    assert explore(land_change()).longest_working_days == 10
    assert explore(land_change(), attributes={"remote_commune": True}).longest_working_days == 20


@pytest.fixture
def unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build procedures without their definition checks: ``Procedure`` imports ``validate``
    from :mod:`tthc_flow.engine._validation` each time one is built, so replacing it there for
    the length of a test lets a broken definition through, as a buggy importer might."""
    monkeypatch.setattr("tthc_flow.engine._validation.validate", lambda procedure: None)


@pytest.mark.usefixtures("unchecked")
def test_a_definition_built_around_the_checks_is_caught() -> None:
    # "loop" and "again" hand the case to each other forever; "orphan" has no way in;
    # "review" also points at a step that does not exist.
    procedure = _proc(
        [
            Step("receive", "Tiếp nhận", DESK, WorkingDays("0.5"), next=("review", "loop"),
                 reception=True),
            Step("review", "Thẩm định", RECORDS, WorkingDays(4), next=("return", "ghost")),
            Step("loop", "Vòng lặp", RECORDS, WorkingDays(1), next="again"),
            Step("again", "Lặp lại", RECORDS, WorkingDays(1), next="loop"),
            Step("orphan", "Không ai chuyển tới", RECORDS, WorkingDays(1), next="return"),
            Step("return", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
        WorkingDays(5),
    )  # fmt: skip
    report = explore(procedure, max_depth=12)
    assert report.dead_ends == ("loop", "again")
    assert report.unreached == ("orphan",)
    assert report.unknown_targets == (("review", "ghost"),)
    assert report.truncated  # the loop runs until the depth bound
    assert report.longest_path == ("receive", "review", "return")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(procedure=procedures(loops=False, budget_policy=BudgetPolicy.EXACT), data=st.data())
def test_without_rework_the_longest_path_is_the_total(
    procedure: Procedure, data: st.DataObject
) -> None:
    # Under EXACT the published total is the critical path of the parallel order, unless the
    # procedure declares a sequential (paper) order: then that order's paths carry the total
    # and the parallel one only fits within it (check_budget_total).
    sequential = Order.SEQUENTIAL in procedure.orders.values()
    parallel = explore(procedure, max_loops=0)
    report = explore(procedure, max_loops=0, order=Order.SEQUENTIAL) if sequential else parallel
    assert not report.truncated
    assert (report.dead_ends, report.unreached, report.over_total) == ((), (), None)
    assert parallel.over_total is None
    assert report.longest_path is not None
    total = procedure.total
    if isinstance(total, WorkingBudget):
        assert report.longest_working == total.timedelta
        assert parallel.longest_working <= total.timedelta
    else:
        assert report.longest_calendar_days == total.days  # type: ignore[union-attr]
    # Every path to the result visits the reception step first and a returning step last.
    assert report.longest_path[0] == procedure.first.key
    last = procedure.step(report.longest_path[-1])
    assert last.returns or not last.forward


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(procedure=procedures(loops=True))
def test_rework_never_shortens_the_longest_path(procedure: Procedure) -> None:
    plain = explore(procedure, max_loops=0)
    looped = explore(procedure, max_loops=1)
    assert looped.truncated or looped.longest_working >= plain.longest_working
    assert looped.paths >= plain.paths or looped.truncated


@pytest.mark.parametrize(
    "call",
    [
        lambda: explore("VD.LLTP"),  # type: ignore[arg-type]
        lambda: explore(judicial_record(), max_depth=-1),
        lambda: explore(judicial_record(), max_paths=0),
        lambda: explore(judicial_record(), max_loops=1.5),  # type: ignore[arg-type]
        lambda: explore(judicial_record(), attributes=5),  # type: ignore[arg-type]
        lambda: explore(judicial_record(), attributes=["remote"]),  # type: ignore[arg-type]
        lambda: explore(judicial_record(), order="x"),  # type: ignore[arg-type]
        lambda: explore(judicial_record(), order=0),  # type: ignore[arg-type]
        lambda: explore(judicial_record(), max_paths=-(10**5000)),
    ],
)
def test_bad_arguments_are_refused(call: object) -> None:
    with pytest.raises(InvalidInputError):
        call()  # type: ignore[operator]


@pytest.mark.parametrize("order", ["sequential", "parallel"])
def test_an_order_given_by_its_value_explores_as_its_member_and_caches_nothing_else(
    order: str,
) -> None:
    from tthc_flow.samples import sample_catalog

    procedure = next(
        version.procedure
        for code in sample_catalog().codes
        for version in sample_catalog().versions(code)
        if version.procedure.parallel
    )
    by_value = explore(procedure, order=order)  # type: ignore[arg-type]
    assert by_value == explore(procedure, order=Order(order))
    flows = procedure._compiled.get("flows", {})
    assert all(isinstance(key, Order) for key in flows)
    sequential, parallel = (explore(procedure, order=o) for o in Order)
    assert sequential.paths != parallel.paths  # the two orders differ on this procedure

"""Parallel branches (Decree 118/2025 Art. 20(2)): a step forks to several steps at once, the
branches meet at a join, and a procedure's order (parallel online, fixed sequence on paper)
is chosen from the case's channel at receipt.

Every expected instant is worked out by hand: March 2026 has no holiday (Mon 2, Tue 3 … Fri
6, Mon 9 …), November 2026 has Tuesday 24/11 off (Vietnam Culture Day); hours 08:00–12:00
and 13:00–17:00, eight working hours a day.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tthc_flow.catalog import catalog_from_json, catalog_to_json
from tthc_flow.diagrams import to_dot, to_mermaid
from tthc_flow.engine import (
    ART_20_2_ORDERS,
    BudgetPolicy,
    Case,
    ClockStatus,
    EventKind,
    Mode,
    Order,
    Phase,
    Procedure,
    ProcedureKind,
    ResultClass,
    StatemachineBackend,
    Step,
    WorkingDays,
    compile_procedure,
    replay_statuses,
)
from tthc_flow.errors import (
    ActorNotAllowedError,
    DefinitionError,
    InvalidInputError,
    RuleViolationError,
    TransitionNotAllowedError,
)
from tthc_flow.forms import case_ledger, control_slip, render_text
from tthc_flow.journal import read_journal, write_journal
from tthc_flow.portal import status_history
from tthc_flow.reports import Period, alerts, build_report
from tthc_flow.samples import BHXH, COMMUNE_DESK, COMMUNE_JUSTICE, COMMUNE_POLICE, sample_catalog
from tthc_flow.testing import check_catalog, explore

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DESK = "Bộ phận Một cửa"
LEAD = "Phòng Quản lý đô thị"
FIRE = "Phòng Cảnh sát PCCC"
ENV = "Phòng Tài nguyên và Môi trường"


def mar(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=VN)


def nov(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=VN)


def steps(**changes: dict[str, Any]) -> list[Step]:
    """receive → review ⑂ (fire → fire_sign, env) → decide → return: a fork whose first
    branch has two steps (with a send-back inside it) and whose join is the decision."""
    fields: dict[str, dict[str, Any]] = {
        "receive": {"next": "review", "reception": True},
        "review": {"fork": ("fire", "env"), "back": "receive"},
        "fire": {"next": "fire_sign"},
        "fire_sign": {"next": "decide", "back": ("fire", "review")},
        "env": {"next": "decide"},
        "decide": {"next": "return", "back": "review"},
        "return": {"returns": True},
    }
    units = {"receive": DESK, "review": LEAD, "fire": FIRE, "fire_sign": FIRE, "env": ENV,
             "decide": LEAD, "return": DESK}  # fmt: skip
    budgets = {"receive": "0.5", "review": 2, "fire": 2, "fire_sign": 1, "env": 2,
               "decide": 2, "return": "0.5"}  # fmt: skip
    for key, change in changes.items():
        fields[key] = change
    return [
        Step(key, f"Bước {key}", units[key], WorkingDays(budgets[key]), **fields[key])
        for key in fields
    ]


def permit(**kwargs: Any) -> Procedure:
    """Critical path 0.5 + 2 + max(2 + 1, 2) + 2 + 0.5 = 8 working days."""
    fields: dict[str, Any] = {
        "code": "TEST.SS", "name": "Cấp phép liên thông (minh họa)", "version": "1",
        "kind": ProcedureKind.INTER_AGENCY, "total": WorkingDays(8),
        "effective_from": date(2026, 1, 1), "steps": steps(),
    }  # fmt: skip
    fields.update(kwargs)
    return Procedure(**fields)


def opened(procedure: Procedure | None = None, mode: Mode = Mode.STRICT) -> Case:
    case = Case.open(procedure or permit(), case_id="SS-1", received_at=mar(2, 8), actor="Lan",
                     unit=DESK, mode=mode)  # fmt: skip
    case.handover("review", at=mar(2, 9), actor="Lan", unit=DESK)
    return case


def forked(mode: Mode = Mode.STRICT) -> Case:
    case = opened(mode=mode)
    case.handover(("fire", "env"), at=mar(3, 9), actor="Minh", unit=LEAD)
    return case


# ---------------------------------------------------------------------- definitions


def test_a_chain_is_still_a_graph() -> None:
    procedure = sample_catalog().version("VD.LLTP", "2025.03")
    assert not procedure.parallel
    assert compile_procedure(procedure).flow is None


def test_the_sample_inter_agency_procedure_forks_and_declares_both_orders() -> None:
    procedure = sample_catalog().version("VD.LTKS", "2025.07")
    assert procedure.parallel and procedure.orders == ART_20_2_ORDERS
    assert procedure.step("birth").fork == ("residence", "insurance")
    flow = compile_procedure(procedure).flow
    assert flow is not None and flow.forks["birth"].join == "return"
    sequential = compile_procedure(procedure, order=Order.SEQUENTIAL).flow
    assert sequential is not None and not sequential.parallel
    assert sequential.forward["birth"] == ("residence",)
    assert sequential.forward["residence"] == ("insurance",)
    assert sequential.forward["insurance"] == ("return",)


@pytest.mark.parametrize(
    ("changes", "check", "words"),
    [
        ({"review": {"fork": ("fire",)}}, "check_forks", "at least two different steps"),
        ({"review": {"fork": ("fire", "env"), "next": "decide"}}, "check_forks",
         "a fork step hands the case to every branch at once"),
        ({"fire_sign": {"next": "env"}}, "check_forks", "a step in another branch"),
        ({"fire_sign": {"next": ("decide", "env")}}, "check_forks", "a step in another branch"),
        ({"receive": {"next": ("review", "env"), "reception": True}}, "check_forks",
         "a branch is entered only by its fork"),
        ({"env": {}}, "check_forks", "never meet"),
        ({"fire_sign": {"next": "decide", "back": "env"}}, "check_send_backs",
         "send back within the same branch"),
        ({"decide": {"next": ("return", "review")}}, "check_no_cycles", "a loop of handovers"),
    ],
    ids=["one-branch", "fork-and-next", "cross-branch", "cross-branch-choice", "enter-branch",
         "never-meet",
         "back-across", "cycle"],
)  # fmt: skip
def test_a_broken_graph_fails_where_it_is_defined(
    changes: dict[str, dict[str, Any]], check: str, words: str
) -> None:
    with pytest.raises(DefinitionError) as raised:
        permit(steps=steps(**changes))
    assert raised.value.check == check
    assert words in str(raised.value)


def test_a_branch_that_ends_before_the_join_is_refused() -> None:
    # The environment branch returns a result of its own: it never reaches the decision.
    broken = steps(env={"next": "decide"})
    broken.append(Step("env_end", "Trả riêng", ENV, WorkingDays(1)))
    broken[4] = Step("env", "Bước env", ENV, WorkingDays(2), next=("decide", "env_end"))
    with pytest.raises(DefinitionError) as raised:
        permit(steps=broken)
    assert raised.value.check == "check_forks"
    assert "without reaching its join 'decide'" in str(raised.value)


def test_the_critical_path_is_checked_against_the_total_not_the_sum() -> None:
    # Every budget added up is 10 days; the longest path is 8 and the total 8: accepted.
    assert permit().total == WorkingDays(8)
    # Under EXACT the longest path must equal the total: 9 days is a promise no path keeps.
    with pytest.raises(DefinitionError) as raised:
        permit(total=WorkingDays(9))
    assert raised.value.check == "check_budget_total"
    assert "the longest path" in str(raised.value) and "(parallel order)" in str(raised.value)
    assert permit(total=WorkingDays(9), budget_policy=BudgetPolicy.WITHIN).parallel
    # A path longer than the total never fits, whatever the policy.
    with pytest.raises(DefinitionError, match="fire_sign"):
        permit(total=WorkingDays(7), budget_policy=BudgetPolicy.WITHIN)


def test_a_sequential_order_adds_the_branches_up_exactly() -> None:
    # In turn: 0.5 + 2 + (2 + 1) + 2 + 2 + 0.5 = 10 days; in parallel 8 fits inside 10.
    both = {"online": Order.PARALLEL, "in_person": Order.SEQUENTIAL}
    assert permit(total=WorkingDays(10), orders=both).orders["in_person"] is Order.SEQUENTIAL
    with pytest.raises(DefinitionError) as raised:
        permit(total=WorkingDays(8), orders=both)
    assert "(sequential order)" in str(raised.value) and "10 working days" in str(raised.value)


def test_orders_need_a_fork_and_real_orders() -> None:
    linear = sample_catalog().version("VD.LLTP", "2025.03")
    with pytest.raises(DefinitionError, match="declares orders but no step forks"):
        Procedure(**{**_fields(linear), "orders": ART_20_2_ORDERS})
    with pytest.raises(DefinitionError, match=r"use Order\.PARALLEL or Order\.SEQUENTIAL"):
        permit(orders={"online": "parallel"})
    with pytest.raises(InvalidInputError, match="orders must be a mapping"):
        permit(orders=[("online", Order.PARALLEL)])


def _fields(procedure: Procedure) -> dict[str, Any]:
    names = ("code", "name", "version", "kind", "total", "steps", "rules", "effective_from",
             "effective_until", "legal_basis", "adjustments", "pauses", "budget_policy",
             "agency", "zero_budget")  # fmt: skip
    return {name: getattr(procedure, name) for name in names}


# ---------------------------------------------------------------------- the case


def test_a_fork_enters_every_branch_each_with_its_own_due() -> None:
    case = forked()
    assert case.status.steps == ("fire", "env")
    assert case.status.phase is Phase.PROCESSING
    # Each branch has two working days from Tue 3/3 09:00: Thu 5/3 09:00.
    assert [(a.step, a.unit, a.due) for a in case.active_steps()] == [
        ("fire", FIRE, mar(5, 9)),
        ("env", ENV, mar(5, 9)),
    ]
    fork = case.events[-1]
    assert fork.kind is EventKind.HANDED_OVER and fork.target is None


def test_the_join_waits_for_the_last_branch() -> None:
    case = forked()
    case.handover("decide", step="env", at=mar(4, 10), actor="An", unit=ENV)
    assert case.status.steps == ("fire",)
    # The unit alone says which step it acts on: the fire police hold only one.
    case.handover("fire_sign", at=mar(5, 9), actor="Bình", unit=FIRE)
    case.handover("decide", at=mar(6, 9), actor="Bình", unit=FIRE)
    assert case.status.steps == ("decide",)
    # The decision has its two days from when the last branch arrived: Tue 10/3 09:00.
    assert case.active_steps()[0].due == mar(10, 9)


def test_a_command_on_a_step_the_case_is_not_at_is_refused_and_changes_nothing() -> None:
    case = forked()
    before = case.version
    with pytest.raises(TransitionNotAllowedError) as raised:
        case.handover("decide", step="fire_sign", at=mar(4, 9), actor="Bình", unit=FIRE)
    assert raised.value.rule == "machine.not_active"
    assert case.version == before and case.status.steps == ("fire", "env")
    # A unit holding no step of the case must name the step (it cannot be guessed).
    with pytest.raises(TransitionNotAllowedError) as raised:
        case.handover("decide", at=mar(4, 9), actor="Lan", unit=DESK)
    assert raised.value.rule == "machine.step_needed"
    assert case.version == before


def test_audit_mode_records_a_command_on_an_inactive_step_and_moves_nothing() -> None:
    case = forked(mode=Mode.AUDIT)
    event = case.handover("decide", step="fire_sign", at=mar(4, 9), actor="Bình", unit=FIRE)
    assert event.violations[0].rule == "machine.not_active"
    assert case.status.steps == ("fire", "env")
    rebuilt = Case.from_events(case.procedure, case.events)
    assert rebuilt.status == case.status


def test_a_result_is_not_ready_while_branches_run() -> None:
    case = forked()
    with pytest.raises(TransitionNotAllowedError, match="parallel branches are still running"):
        case.resolve(at=mar(4, 9), actor="Minh", unit=FIRE, step="fire")


def test_a_send_back_inside_a_branch_moves_that_branch_only() -> None:
    case = forked()
    case.handover("fire_sign", step="fire", at=mar(4, 9), actor="Bình", unit=FIRE)
    case.send_back("fire", step="fire_sign", at=mar(4, 15), actor="Bình", unit=FIRE,
                   reason="Thiếu biên bản")  # fmt: skip
    assert case.status.steps == ("env", "fire")
    visits = [(r.step, r.visit) for r in case.step_clocks()]
    assert ("fire", 2) in visits


def test_a_send_back_to_the_fork_ends_every_branch_and_the_join_waits_again() -> None:
    case = forked()
    case.handover("decide", step="env", at=mar(4, 9), actor="An", unit=ENV)
    case.handover("fire_sign", step="fire", at=mar(4, 10), actor="Bình", unit=FIRE)
    case.send_back("review", step="fire_sign", at=mar(4, 11), actor="Bình", unit=FIRE,
                   reason="Hồ sơ thiết kế sai")  # fmt: skip
    assert case.status.steps == ("review",)
    case.handover(("env", "fire"), at=mar(5, 9), actor="Minh", unit=LEAD)
    case.handover("fire_sign", step="fire", at=mar(5, 10), actor="Bình", unit=FIRE)
    case.handover("decide", step="fire_sign", at=mar(5, 11), actor="Bình", unit=FIRE)
    # The environment branch arrived before the send-back: that arrival is forgotten.
    assert case.status.steps == ("env",)
    case.handover("decide", step="env", at=mar(5, 14), actor="An", unit=ENV)
    assert case.status.steps == ("decide",)


def test_a_send_back_into_another_branch_is_refused() -> None:
    # Defined away (check_send_backs); here a host forging one is refused by the machine.
    case = forked(mode=Mode.AUDIT)
    event = case.send_back("fire", step="env", at=mar(4, 9), actor="An", unit=ENV,
                           reason="x")  # fmt: skip
    assert "machine.transition" in [v.rule for v in event.violations]


def test_a_supplement_request_stops_every_branch_clock() -> None:
    case = forked()
    # Inside the pack's three working days after the day of receipt (by Thu 5/3 17:00).
    case.request_supplement(at=mar(3, 15), actor="An", unit=ENV, evidence=["Phiếu yêu cầu"])
    case.receive_supplement(at=mar(9, 15), actor="Lan", unit=DESK)
    units = case.unit_clocks(mar(9, 16))
    # Each branch unit ran Tue 09–12, 13–15 (5 h) and Mon 15–16 (1 h): 6 h, the six days of
    # waiting excluded.
    assert units[FIRE].elapsed == units[ENV].elapsed == timedelta(hours=6)
    assert units[FIRE].status is ClockStatus.RUNNING


def test_refusal_and_stop_end_every_branch() -> None:
    refused = forked()
    refused.refuse(reason="Không đủ điều kiện PCCC", at=mar(4, 9), actor="Bình", unit=FIRE,
                   step="fire")  # fmt: skip
    assert refused.status.phase is Phase.REFUSED and refused.status.steps == ()
    assert all(r.finished_at == mar(4, 9) for r in refused.step_clocks()[-2:])
    stopped = forked()
    stopped.stop(reason="Công dân đề nghị dừng", at=mar(4, 9), actor="Lan", unit=DESK)
    assert stopped.status.phase is Phase.STOPPED
    assert {u: r.finished_at for u, r in stopped.unit_clocks().items()}[ENV] == mar(4, 9)


def test_the_apology_is_made_by_the_delaying_branch() -> None:
    case = _forked_ltks()
    # Both branches are due Wed 25/11 10:00. Social insurance handed over at 09:00, in time;
    # by 11:00 the police have overrun: only they apologise, by Wed 25/11, a day before the
    # common due Thu 26/11 14:00.
    case.handover("return", step="insurance", at=nov(25, 9), actor="BHXH", unit=BHXH)
    with pytest.raises(ActorNotAllowedError) as raised:
        case.reschedule(new_due=nov(30, 14), reason="Chậm", at=nov(25, 11), actor="BHXH",
                        unit=BHXH)  # fmt: skip
    assert raised.value.rule == "reschedule.not_delaying"
    case.reschedule(new_due=nov(30, 14), reason="Xác minh cư trú kéo dài", at=nov(25, 11),
                    actor="Trưởng Công an xã", unit=COMMUNE_POLICE)  # fmt: skip
    assert case.legal_clock().due == nov(30, 14)


def _ltks(channel: str | None) -> Case:
    attributes = {} if channel is None else {"channel": channel}
    case = sample_catalog().open_case(
        "VD.LTKS", case_id=f"LTKS-{channel}", received_at=nov(20, 14), actor="Cổng DVC",
        attributes=attributes,
    )  # fmt: skip
    case.handover("birth", at=nov(20, 14), actor="Cổng DVC", unit=COMMUNE_DESK)
    return case


def _forked_ltks() -> Case:
    """VD.LTKS filed online, the birth registered Mon 23/11 10:00: both branches are due
    Wed 25/11 10:00 (Mon 10–12, 13–17; Tue off; Wed 08–10)."""
    case = _ltks("online")
    case.handover(("residence", "insurance"), at=nov(23, 10), actor="Hộ tịch",
                  unit=COMMUNE_JUSTICE)  # fmt: skip
    return case


def _both_late(case: Case) -> None:
    """Both branches overrun: insurance arrives Thu 26/11 09:00, the police last, Fri 27/11
    11:00, and the desk has the result at once."""
    case.handover("return", step="insurance", at=nov(26, 9), actor="BHXH", unit=BHXH)
    case.handover("return", step="residence", at=nov(27, 11), actor="CA", unit=COMMUNE_POLICE)
    case.resolve(at=nov(27, 11), actor="Một cửa", unit=COMMUNE_DESK)


def test_social_insurance_finishes_while_the_police_hold_the_case() -> None:
    case = _ltks("online")
    assert case.events[0].data["order"] == "parallel"
    case.handover(["insurance", "residence"], at=nov(23, 10), actor="Hộ tịch",
                  unit=COMMUNE_JUSTICE)  # fmt: skip
    case.handover("return", at=nov(23, 16), actor="BHXH", unit=BHXH)
    assert case.status.steps == ("residence",)
    assert case.active_steps()[0].unit == COMMUNE_POLICE
    case.handover("return", at=nov(27, 11), actor="Công an xã", unit=COMMUNE_POLICE)
    case.resolve(at=nov(27, 11), actor="Một cửa", unit=COMMUNE_DESK)
    # Common due Thu 26/11 14:00: late, and the police (due Wed 25/11 10:00) alone caused it.
    assert case.legal_clock().result is ResultClass.OVERDUE
    assert case.clocks.responsible_units(nov(27, 11)) == [COMMUNE_POLICE]
    assert case.unit_clocks()[BHXH].result is ResultClass.EARLY


def test_the_critical_path_decides_who_delayed_the_case() -> None:
    case = _forked_ltks()
    # Both branches overrun their Wed 25/11 10:00; insurance arrives Thu 26/11 09:00, the
    # police last, Fri 27/11 11:00: the join waited for the police, so the insurance delay
    # did not delay the case.
    _both_late(case)
    late = case.clocks.overrun_units(nov(27, 11))
    assert set(late) == {COMMUNE_POLICE, BHXH}
    assert case.clocks.responsible_units(nov(27, 11)) == [COMMUNE_POLICE]


def test_paper_runs_the_agencies_in_the_fixed_order() -> None:
    for channel in ("in_person", "postal", None):
        case = _ltks(channel)
        assert case.events[0].data["order"] == "sequential"
        assert case.order is Order.SEQUENTIAL and case.flow is None
        with pytest.raises(InvalidInputError, match="a list of steps is a fork's branches"):
            case.handover(("residence", "insurance"), at=nov(23, 10), actor="Hộ tịch",
                          unit=COMMUNE_JUSTICE)  # fmt: skip
        with pytest.raises(TransitionNotAllowedError):
            case.handover("insurance", at=nov(23, 10), actor="Hộ tịch", unit=COMMUNE_JUSTICE)
        case.handover("residence", at=nov(23, 11), actor="Hộ tịch", unit=COMMUNE_JUSTICE)
        # The police's own day from Mon 23/11 11:00: Mon 5 h, Tue off, Wed 08–11.
        assert case.active_steps()[0].due == nov(25, 11)


def test_a_channel_decree_118_does_not_have_is_refused_at_receipt() -> None:
    # Art. 15 lists three ways of filing: in person, by post (or a hired service, or an
    # authorised person), online.
    for bad in ("fax", "Online", 2, True, ["online"]):
        with pytest.raises(RuleViolationError) as raised:
            sample_catalog().open_case("VD.LTKS", case_id="X", received_at=nov(20, 14),
                                       actor="Lan", attributes={"channel": bad})  # fmt: skip
        assert [v.rule for v in raised.value.violations] == ["receipt.channel_unknown"]
        citation = raised.value.violations[0].citation
        assert "Art" not in citation  # cited in Vietnamese, for the papers it reaches
        assert "Điều 15" in citation
    # A procedure that does not route by channel refuses it too (a case of VD.LLTP).
    with pytest.raises(RuleViolationError) as raised:
        sample_catalog().open_case("VD.LLTP", case_id="Y", received_at=nov(20, 14),
                                   actor="Lan", attributes={"channel": "kiosk"})  # fmt: skip
    assert raised.value.rule == "receipt.channel_unknown"


def test_a_channel_the_orders_do_not_list_is_refused_at_receipt() -> None:
    ltks = sample_catalog().resolve("VD.LTKS", on=date(2026, 11, 20))
    no_post = {"online": Order.PARALLEL, "in_person": Order.SEQUENTIAL}
    online_only = Procedure(**{**_fields(ltks), "orders": no_post})
    with pytest.raises(RuleViolationError) as raised:
        Case.open(online_only, case_id="X", received_at=nov(20, 14), actor="Lan",
                  attributes={"channel": "postal"})  # fmt: skip
    assert raised.value.rule == "receipt.channel"
    assert "Điều 20 khoản 2" in raised.value.violations[0].citation
    assert Case.open(online_only, case_id="Z", received_at=nov(20, 14), actor="Lan",
                     attributes={"channel": "online"}).mode is Mode.STRICT  # fmt: skip


def test_orders_name_the_channels_of_article_15() -> None:
    ltks = sample_catalog().resolve("VD.LTKS", on=date(2026, 11, 20))
    with pytest.raises(DefinitionError, match=r"'fax'.*in_person, online, postal"):
        Procedure(**{**_fields(ltks), "orders": {**ART_20_2_ORDERS, "fax": Order.SEQUENTIAL}})


def test_the_recorded_order_wins_over_a_changed_catalog() -> None:
    case = _ltks("online")
    events = list(case.events)
    # The same history replayed: the order comes from the receipt, not the channel again.
    rebuilt = Case.from_events(case.procedure, events)
    assert rebuilt.order is Order.PARALLEL


def test_a_parallel_case_round_trips_through_a_journal() -> None:
    case = _forked_ltks()
    case.handover("return", step="insurance", at=nov(23, 16), actor="BHXH", unit=BHXH)
    out = io.StringIO()
    write_journal([case], out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[-1]["step"] == "insurance" and "target" not in lines[-2]
    (back,) = read_journal(io.StringIO(out.getvalue()), sample_catalog())
    assert back.events == case.events
    assert back.status == case.status
    assert back.unit_clocks() == case.unit_clocks()


def test_replayed_statuses_agree_with_cases_on_parallel_histories() -> None:
    online = _ltks("online")
    online.handover(("residence", "insurance"), at=nov(23, 10), actor="Hộ tịch",
                    unit=COMMUNE_JUSTICE)  # fmt: skip
    online.handover("return", step="insurance", at=nov(23, 16), actor="BHXH", unit=BHXH)
    paper = _ltks("in_person")
    paper.handover("residence", at=nov(23, 11), actor="Hộ tịch", unit=COMMUNE_JUSTICE)
    procedure = online.procedure
    statuses = list(replay_statuses(procedure, [online.events, paper.events]))
    assert [s.steps for s in statuses] == [("residence",), ("residence",)]
    assert [s.phase for s in statuses] == [online.status.phase, paper.status.phase]


def test_both_backends_run_a_parallel_case_alike() -> None:
    case = _forked_ltks()
    other = Case.from_events(case.procedure, case.events, backend=StatemachineBackend())
    assert other.status == case.status and other.unit_clocks() == case.unit_clocks()
    chart, _ = StatemachineBackend().chart_class(case.procedure)
    machine = chart()
    for trigger in ("handover:birth", "fork"):
        machine.send(trigger)
    assert sorted(s.value for s in machine.configuration if s.value in ("residence",
                  "insurance")) == ["insurance", "residence"]  # fmt: skip
    machine.send("handover:return")  # the library sends it to both regions
    assert [s.value for s in machine.configuration] == ["return"]


def test_the_holder_of_each_step_is_who_acted_there_last() -> None:
    case = forked()
    assert [a.holder for a in case.active_steps()] == [None, None]
    case.request_supplement(at=mar(3, 15), actor="An", unit=ENV, evidence=["Phiếu yêu cầu"])
    assert {a.step: a.holder for a in case.active_steps()} == {"fire": None, "env": "An"}
    case.receive_supplement(at=mar(4, 9), actor="Lan", unit=DESK)
    case.handover("fire_sign", step="fire", at=mar(4, 10), actor="Bình", unit=FIRE)
    # A step just entered is held by nobody yet.
    assert {a.step: a.holder for a in case.active_steps()} == {"env": "An", "fire_sign": None}
    sequential = opened()
    sequential.request_supplement(at=mar(2, 10), actor="Minh", unit=LEAD, evidence=["Phiếu"])
    assert [(a.step, a.holder) for a in sequential.active_steps()] == [("review", "Minh")]
    sequential.receive_supplement(at=mar(3, 9), actor="Lan", unit=DESK)
    sequential.handover(("fire", "env"), at=mar(3, 10), actor="Minh", unit=LEAD)
    assert [a.holder for a in sequential.active_steps()] == [None, None]


# ---------------------------------------------------------------------- around it


def test_the_control_slip_has_one_row_per_stay_per_branch() -> None:
    case = _forked_ltks()
    case.handover("return", step="insurance", at=nov(23, 16), actor="BHXH", unit=BHXH)
    form = control_slip(case)
    assert form.table is not None
    rows = form.table.rows
    assert [row[1].splitlines()[0] for row in rows] == [
        COMMUNE_DESK, COMMUNE_JUSTICE, COMMUNE_POLICE, BHXH
    ]
    birth = rows[1][2]
    assert "→ song song:" in birth
    assert COMMUNE_POLICE in birth and BHXH in birth
    assert "Đang giữ hồ sơ" in rows[2][2]
    assert "Giao: " in rows[3][2]


def test_the_portal_status_history_of_a_parallel_case() -> None:
    case = _forked_ltks()
    case.handover("return", step="insurance", at=nov(23, 16), actor="BHXH", unit=BHXH)
    records = status_history(case)
    assert [r["event"] for r in records] == ["received", "handed_over"]


def test_diagrams_draw_forks_joins_and_the_paper_order() -> None:
    procedure = sample_catalog().version("VD.LTKS", "2025.07")
    mermaid = to_mermaid(procedure)
    assert 's1 ==>|"song song (parallel)"| s2' in mermaid
    assert 's1 ==>|"song song (parallel)"| s3' in mermaid
    assert "chờ đủ các nhánh (join: waits for every branch)" in mermaid
    assert "lần lượt (in turn) Đăng ký thường trú → Cấp thẻ bảo hiểm y tế" in mermaid
    dot = to_dot(procedure)
    assert 's1 -> s2 [style=bold, penwidth=2, label="song song (parallel)"];' in dot


def test_the_catalog_format_carries_the_graph() -> None:
    catalog = sample_catalog()
    document = json.loads(catalog_to_json(catalog))
    ltks = next(p for p in document["procedures"] if p["code"] == "VD.LTKS")
    assert ltks["orders"] == {"online": "PARALLEL", "in_person": "SEQUENTIAL",
                              "postal": "SEQUENTIAL"}  # fmt: skip
    birth = next(s for s in ltks["steps"] if s["key"] == "birth")
    assert birth["fork"] == ["residence", "insurance"]
    again = catalog_from_json(catalog_to_json(catalog))
    assert again.version("VD.LTKS", "2025.07").orders == ART_20_2_ORDERS
    ltks["orders"]["online"] = "BOTH"
    with pytest.raises(Exception, match="orders"):
        catalog_from_json(json.dumps(document))


def test_explore_walks_every_interleaving_and_times_the_critical_path() -> None:
    procedure = permit()
    found = explore(procedure, max_loops=0)
    # fire, fire_sign and env interleave in 3 ways (env first, between, last).
    assert found.ends["return_result"] == 3
    assert found.longest_working_days == 8 and found.over_total is None
    assert set(found.longest_path or ()) == {s.key for s in procedure.steps}
    assert not found.unreached and not found.dead_ends
    check_catalog(sample_catalog())  # both orders of VD.LTKS explored


def test_a_report_blames_the_critical_branch_only() -> None:
    case = _forked_ltks()
    # Both branches overrun Wed 25/11 10:00; the police arrive last: only they are listed.
    _both_late(case)
    case.return_result(at=nov(27, 16), actor="Một cửa", unit=COMMUNE_DESK)
    report = build_report([case], Period(date(2026, 11, 1), date(2026, 11, 30)))
    (entry,) = report.responsibility
    assert [u.unit for u in entry.units] == [COMMUNE_POLICE]
    # Each unit is still judged by its own clock in the per-unit rows.
    units = dict(report.units)
    assert units[BHXH].overdue == 1 and units[COMMUNE_POLICE].overdue == 1


def test_alerts_and_the_ledger_follow_every_branch() -> None:
    case = _forked_ltks()
    # Wed 25/11 09:00: each branch has used 7 of its 8 hours (Mon 10–12, 13–17; Wed 08–09).
    found = alerts([case], nov(25, 9), shares=["0.75"])
    branches = {a.clock.split("#")[0]: a for a in found if a.clock.startswith("step:")}
    assert set(branches) == {"step:residence", "step:insurance"}
    assert {a.unit for a in branches.values()} == {COMMUNE_POLICE, BHXH}
    assert all(a.share_used == Fraction(7, 8) and a.due == nov(25, 10)
               for a in branches.values())  # fmt: skip
    case.handover("return", step="insurance", at=nov(25, 9, 30), actor="BHXH", unit=BHXH)
    later = alerts([case], nov(25, 9, 30), shares=["0.75"])
    assert [a.clock.split("#")[0] for a in later if a.clock.startswith("step:")] == [
        "step:residence"
    ]
    ledger = render_text(case_ledger([case]))
    assert (case.case_id in ledger and "đang xử lý" in ledger.lower()) or ledger


def test_a_join_does_not_wait_for_branches_that_never_started() -> None:
    # Recorded in audit mode: the review handed over to one branch instead of forking.
    case = opened(mode=Mode.AUDIT)
    bypass = case.handover("env", at=mar(3, 9), actor="Minh", unit=LEAD)
    assert "machine.transition" in [v.rule for v in bypass.violations]
    assert case.status.steps == ("env",)
    # The one branch that ran reaches the decision: nothing else runs, so the join starts.
    case.handover("decide", at=mar(4, 9), actor="An", unit=ENV)
    assert case.status.steps == ("decide",)
    assert Case.from_events(case.procedure, case.events).status == case.status


def test_a_fork_handover_retried_under_its_command_id_returns_the_recorded_event() -> None:
    case = _ltks("online")
    branches = ["residence", "insurance"]
    first = case.handover(branches, at=nov(23, 10), actor="Hộ tịch", unit=COMMUNE_JUSTICE,
                          command_id="fork-1")  # fmt: skip
    again = case.handover(branches, at=nov(23, 10), actor="Hộ tịch", unit=COMMUNE_JUSTICE,
                          command_id="fork-1")  # fmt: skip
    assert again is first and case.events[-1] is first

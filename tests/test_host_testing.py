"""The stateful host-testing kit: a host on the store passes it; broken hosts (one that lets
a dossier be sent back for supplements twice, one that stores events out of order, one
whose status JSON drifts) are found, and the failing run is shrunk to a short history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from tthc_flow import Case, Event, EventKind, Procedure
from tthc_flow.errors import InvariantViolation, RuleViolationError
from tthc_flow.samples import sample_catalog
from tthc_flow.store import open_store
from tthc_flow.testing import HOST_CHECKS, HostAdapter, host_state_machine

CATALOG = sample_catalog()
# The store's clock after every drawn event: nothing is dated in its future.
LATE = datetime(2100, 12, 31, tzinfo=timezone.utc)


class StoreHost:
    """A host as the integration guide writes one: the store, commands through store.run."""

    def __init__(self) -> None:
        self.store = open_store("sqlite:///:memory:", catalog=CATALOG, clock=lambda: LATE)

    def open(self, procedure: Procedure, receipt: Event) -> None:
        self.store.add(Case.from_events(procedure, [receipt]))

    def play(self, case_id: str, event: Event) -> None:
        self.store.run(case_id, lambda case: case.play(event))

    def events(self, case_id: str) -> Sequence[Event]:
        return self.store.load(case_id).events

    def view(self, case_id: str, at: datetime) -> dict[str, Any]:
        return self.store.load(case_id).to_json(at)


class ListHost:
    """A host with its own list of events that asks the library to judge each command."""

    def __init__(self) -> None:
        self.cases: dict[str, Case] = {}

    def open(self, procedure: Procedure, receipt: Event) -> None:
        case = Case.from_events(procedure, [receipt])
        self.cases[case.case_id] = case

    def play(self, case_id: str, event: Event) -> None:
        self.cases[case_id].play(event)

    def events(self, case_id: str) -> Sequence[Event]:
        return self.cases[case_id].events


class SupplementsAgainHost(ListHost):
    """Broken: lets the desk ask for supplements again (seed 001's complaint), recording the
    request as if it were lawful."""

    def play(self, case_id: str, event: Event) -> None:
        case = self.cases[case_id]
        try:
            case.play(event)
        except RuleViolationError as refused:
            once = [v.rule for v in refused.violations] == ["supplement.max_times"]
            if event.kind is not EventKind.SUPPLEMENT_REQUESTED or not once:
                raise
            kept = [*case.events, attrs.evolve(event, seq=len(case.events), violations=())]
            self.cases[case_id] = Case.from_events(case.procedure, kept)


class ReorderingHost(ListHost):
    """Broken: reads its events back newest first once a case has three."""

    def events(self, case_id: str) -> Sequence[Event]:
        events = list(self.cases[case_id].events)
        if len(events) >= 3:
            events[1], events[2] = events[2], events[1]
        return events


class DriftingViewHost(StoreHost):
    """Broken: shows the indicator clock's due as the legal one."""

    def view(self, case_id: str, at: datetime) -> dict[str, Any]:
        shown = super().view(case_id, at)
        clocks = shown["clocks"]
        clocks["legal"] = {**clocks["legal"], "due": clocks["indicator"]["due"]}
        return shown


FAST = settings(max_examples=25, stateful_step_count=12, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


def test_the_adapters_satisfy_the_protocol() -> None:
    assert isinstance(StoreHost(), HostAdapter) and isinstance(ListHost(), HostAdapter)
    assert HOST_CHECKS == ("host.refusal", "host.history", "host.clocks", "host.view")


def test_a_host_on_the_store_passes() -> None:
    run_state_machine_as_test(host_state_machine(StoreHost, catalog=CATALOG), settings=FAST)


def test_a_list_host_on_generated_procedures_passes() -> None:
    run_state_machine_as_test(host_state_machine(ListHost), settings=FAST)


def _failure(host: type[ListHost] | type[StoreHost], **kwargs: Any) -> InvariantViolation:
    # Derandomized: the search and its shrinking take the same (bounded) time on every run.
    examples = kwargs.pop("examples", 150)
    steps = kwargs.pop("steps", 6)
    machine = host_state_machine(host, catalog=CATALOG, max_cases=1, **kwargs)
    with pytest.raises(InvariantViolation) as failed:
        run_state_machine_as_test(
            machine,
            settings=settings(max_examples=examples, stateful_step_count=steps, deadline=None,
                              derandomize=True, suppress_health_check=[HealthCheck.too_slow]),
        )  # fmt: skip
    return failed.value


def test_a_host_that_asks_for_supplements_twice_is_found_and_shrunk() -> None:
    found = _failure(SupplementsAgainHost, max_events=6, steps=8, examples=400)
    assert found.invariant == "host.refusal"
    assert "supplement.max_times" in str(found)
    assert found.evidence["event"].kind is EventKind.SUPPLEMENT_REQUESTED
    # Shrunk: the receipt, the request and the complete supplement, then the request again.
    assert found.evidence["events"] <= 4


def test_a_host_that_reorders_its_events_is_found() -> None:
    found = _failure(ReorderingHost, max_events=4)
    assert found.invariant == "host.history"
    assert "from event 1" in str(found)


def test_a_host_whose_status_json_drifts_is_found() -> None:
    found = _failure(DriftingViewHost, max_events=3)
    assert found.invariant == "host.view"


class _Hollow:
    """An object shaped like a catalog that holds no procedure version."""

    codes = ("VD.LLTP",)

    def versions(self, code: str) -> list[object]:
        return [5]


HOLLOW = _Hollow()


@pytest.mark.parametrize(
    "arguments",
    [
        {"host": None},
        {"max_events": 0},
        {"max_events": True},
        {"max_cases": 10**9},
        {"max_cases": "3"},
        {"calendar": "VN"},
        {"catalog": 5},
        {"catalog": []},
        {"catalog": HOLLOW},
        {"procedures": 5},
        {"max_events": 10**5000},
    ],
    ids=lambda arguments: next(iter(arguments)),
)
def test_bad_arguments_are_refused_when_the_machine_is_built(arguments: dict[str, Any]) -> None:
    from tthc_flow.errors import InvalidInputError

    host = arguments.pop("host", ListHost)
    with pytest.raises(InvalidInputError):
        host_state_machine(host, **arguments)

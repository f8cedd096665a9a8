"""The state-machine port, proven pluggable: the python-statemachine backend allows exactly
the commands the default transitions backend allows, on the sample catalog and on generated
procedures, and cases run on it as on the default."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from transitions.extensions import HierarchicalMachine

from tthc_flow.engine import (
    DEFAULT_BACKEND,
    Case,
    Order,
    Procedure,
    ProcedureKind,
    StatemachineBackend,
    TransitionsBackend,
    compile_procedure,
)
from tthc_flow.errors import InvalidInputError
from tthc_flow.samples import sample_catalog
from tthc_flow.testing import case_histories, procedures

SECOND = StatemachineBackend()


def commands(
    procedure: Procedure, backend: Any, order: Order | None = None
) -> dict[str, dict[str, str]]:
    table = backend.compile(procedure) if order is None else backend.compile(procedure, order)
    return {state: dict(row) for state, row in table.items()}


@pytest.mark.parametrize(
    "publication", sample_catalog().publications, ids=lambda p: f"{p.code} {p.version}"
)
def test_both_backends_allow_the_same_commands_on_the_sample_catalog(publication: Any) -> None:
    procedure = publication.procedure
    table = commands(procedure, SECOND)
    assert table == commands(procedure, DEFAULT_BACKEND)
    # Written out for one procedure, not read from either backend: the desk may hand over
    # to the next step, and no state but a terminal one is without a way out.
    assert all(row for state, row in table.items() if not state.startswith("__"))


@settings(max_examples=80, deadline=None)
@given(procedure=st.one_of(procedures(max_steps=7), procedures(kind=ProcedureKind.INTER_AGENCY)))
def test_both_backends_allow_the_same_commands_on_generated_procedures(
    procedure: Procedure,
) -> None:
    event("forks" if procedure.parallel else "a chain")
    orders = [None, Order.PARALLEL, Order.SEQUENTIAL] if procedure.parallel else [None]
    for order in orders:
        assert commands(procedure, SECOND, order) == commands(procedure, DEFAULT_BACKEND, order)
    if procedure.parallel:
        # Forks are parallel states of a hierarchical machine in the default backend, and
        # their fork trigger leads to the join as the parallel state as a whole does.
        machine = TransitionsBackend().machine(procedure)
        assert isinstance(machine, HierarchicalMachine)
        flow = compile_procedure(procedure).flow
        assert flow is not None
        table = commands(procedure, DEFAULT_BACKEND)
        for key, fork in flow.forks.items():
            assert table[key]["fork"] == fork.join
            assert not any(t.startswith("handover:") for t in table[key])


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_history_replays_to_the_same_case_on_either_backend(data: st.DataObject) -> None:
    procedure = data.draw(procedures(max_steps=5))
    events = data.draw(case_histories(procedure, violations=data.draw(st.booleans())))
    default = Case.from_events(procedure, events)
    second = Case.from_events(procedure, events, backend=SECOND)
    assert second.compiled.backend == "python-statemachine"
    assert second.status == default.status
    assert second.violations == default.violations
    assert second.legal_clock() == default.legal_clock()


def test_the_compiled_table_is_cached_per_backend() -> None:
    procedure = sample_catalog().version("VD.LLTP", "2025.07")
    first = compile_procedure(procedure, SECOND)
    assert compile_procedure(procedure, SECOND) is first
    assert compile_procedure(procedure, DEFAULT_BACKEND) is not first


def test_without_the_package_the_second_backend_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    procedure = sample_catalog().version("VD.DD", "2025.07")
    monkeypatch.setitem(sys.modules, "statemachine", None)
    with pytest.raises(InvalidInputError, match=r"tthc-flow\[statemachine\]"):
        StatemachineBackend().compile(procedure)

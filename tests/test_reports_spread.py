"""Reports on an executor: the same report as in one process, whatever the chunks, on a
process pool and on a Dask cluster; and the values that travel to the workers (procedures,
events, cases, calendars) pickle as what they are."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings

from tthc_flow.calendar import Closure, vietnam_calendar
from tthc_flow.engine import Case, Mode
from tthc_flow.errors import InvalidInputError
from tthc_flow.reports import Period, build_report, build_report_from_events
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate
from tthc_flow.testing import case_histories, procedures

CATALOG = sample_catalog()
CASES = list(simulate(CATALOG, cases=400, seed=21, year=2026))
PERIOD = Period.year(2026)
# A province closed for a storm (a real kind of closure; the day here is for the test).
STORM = vietnam_calendar().with_closures(
    Closure(date(2026, 10, 27), reason="Bão số 12 (test)", source="Công điện (test)"),
)


@pytest.fixture(scope="module")
def pool() -> ProcessPoolExecutor:
    with ProcessPoolExecutor(2) as executor:
        yield executor  # type: ignore[misc]


def test_a_report_on_worker_processes_is_the_report_in_one(pool: ProcessPoolExecutor) -> None:
    for clock in ("legal", "indicator"):
        alone = build_report(CASES, PERIOD, clock=clock)
        for chunk in (1_000, 37):
            spread = build_report(CASES, PERIOD, clock=clock, executor=pool, chunk=chunk)
            assert spread == alone, (clock, chunk)
        few = build_report(CASES[:40], PERIOD, clock=clock, executor=pool, chunk=1)
        assert few == build_report(CASES[:40], PERIOD, clock=clock), clock
    assert alone.total.received > 300


def test_the_events_path_on_workers_keeps_the_calendar_it_was_given(
    pool: ProcessPoolExecutor,
) -> None:
    histories = [(case.procedure, case.events) for case in CASES]
    alone = build_report_from_events(histories, PERIOD, calendar=STORM)
    assert build_report_from_events(histories, PERIOD, calendar=STORM, executor=pool,
                                    chunk=50) == alone  # fmt: skip
    # The closure moved dues: a worker on the national calendar would say otherwise.
    assert alone != build_report_from_events(histories, PERIOD)


def test_a_generator_is_read_as_the_workers_take_it() -> None:
    taken: list[int] = []

    def cases() -> object:
        for number, case in enumerate(CASES[:60]):
            taken.append(number)
            yield case

    with ThreadPoolExecutor(2) as threads:
        report = build_report(cases(), PERIOD, executor=threads, chunk=7)  # type: ignore[arg-type]
    assert taken == list(range(60))
    assert report == build_report(CASES[:60], PERIOD)


def test_wrong_executors_chunks_and_items_are_refused_before_any_work(
    pool: ProcessPoolExecutor,
) -> None:
    with pytest.raises(InvalidInputError, match="Executor"):
        build_report(CASES, PERIOD, executor="processes")  # type: ignore[arg-type]
    for chunk in (0, -3, 2.5, True):
        with pytest.raises(InvalidInputError, match="chunk"):
            build_report(CASES, PERIOD, executor=pool, chunk=chunk)  # type: ignore[arg-type]
    # A wrong item is named by its index in the whole input, not in its chunk.
    with pytest.raises(InvalidInputError, match=r"cases\[250\]"):
        build_report([*CASES[:250], "HS-1", *CASES[250:]], PERIOD, executor=pool,  # type: ignore[list-item]
                     chunk=100)  # fmt: skip
    with pytest.raises(InvalidInputError, match=r"histories\[3\]"):
        build_report_from_events([(c.procedure, c.events) for c in CASES[:3]] + [("x", [])],  # type: ignore[list-item]
                                 PERIOD, executor=pool)  # fmt: skip


def test_a_report_runs_on_a_dask_cluster() -> None:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:  # fmt: skip
        report = build_report(CASES, PERIOD, executor=client.get_executor(), chunk=90)
    assert report == build_report(CASES, PERIOD)


# --------------------------------------------------------------------------- pickling

PICKLING = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PICKLING
@given(procedures())
def test_any_procedure_pickles_as_itself(procedure: object) -> None:
    again = pickle.loads(pickle.dumps(procedure))
    assert again == procedure
    assert again.steps == procedure.steps and again.orders == procedure.orders  # type: ignore[attr-defined]


@PICKLING
@given(procedures().flatmap(lambda p: case_histories(p, violations=True, max_events=20)
                            .map(lambda events: (p, events))))  # fmt: skip
def test_any_case_pickles_as_its_history(history: tuple) -> None:  # type: ignore[type-arg]
    procedure, events = history
    case = Case.from_events(procedure, events, mode=Mode.AUDIT)
    again = pickle.loads(pickle.dumps(case))
    assert again.events == case.events and again.status == case.status
    assert [e.data for e in again.events] == [e.data for e in case.events]
    assert again.mode is case.mode and again.loaded == case.loaded
    end = case.events[-1].at
    assert again.legal_clock(end) == case.legal_clock(end)
    assert again.unit_clocks(end) == case.unit_clocks(end)


def test_a_live_case_keeps_what_it_had_loaded_and_takes_commands_after_pickling() -> None:
    case = next(c for c in CASES if c.mode is Mode.STRICT and len(c.events) > 3)
    rebuilt = Case.from_events(case.procedure, case.events[:2], calendar=case.calendar)
    rebuilt.play(case.events[2])  # one command given since it was rebuilt
    again = pickle.loads(pickle.dumps(rebuilt))
    assert (again.loaded, again.version, again.mode) == (2, 3, Mode.STRICT)
    again.play(case.events[3])
    assert again.events == case.events[:4]


def test_a_calendar_pickles_small_and_is_built_once_per_process() -> None:
    data = pickle.dumps(STORM)
    assert len(data) < 300_000  # what it is built from, not its index of about 2 MB
    first, second = pickle.loads(data), pickle.loads(data)
    assert first == STORM and first is second
    assert not first.is_working_day(date(2026, 10, 27))


def test_a_pickle_of_another_version_is_a_typed_error() -> None:
    # A Step pickled by a version whose Step had one field fewer (before _forward): its
    # state is one item short. Loading it says so, typed, instead of a bare ValueError.
    import attrs

    from tthc_flow.codec._pickling import _restored
    from tthc_flow.engine import Step

    fields = attrs.fields(Step)
    with pytest.raises(InvalidInputError, match="another version of tthc_flow"):
        _restored(Step, tuple(None for _ in fields[:-1]))
    step = Step("a", "Tiếp nhận", "Bộ phận Một cửa", None, reception=True, returns=True)
    assert pickle.loads(pickle.dumps(step)) == step
    assert pickle.loads(pickle.dumps(step)).forward == step.forward

"""The case stores, on SQLite and on PostgreSQL: commands appended per second, the due-soon
query, and a report over a million stored cases.

Run: ``python benchmarks/store.py [--backends sqlite,postgresql] [--commands 4000]
[--rounds 3] [--cases 1000000] [--report-cases 1000000]``. PostgreSQL runs on a throwaway
server started from the installed binaries (:class:`tthc_flow.testing.PostgresServer`,
with ``fsync`` on: a real server's commits); without the binaries it is reported as not
measured. For each backend, in the same run, it measures:

- commands through the store with 1 and 4 writer processes on one store. The commands are
  those of lawful simulated cases of 2025 (``tthc_flow.simulation``: receipts, handovers,
  supplements, pauses, apologies, results; about 8 events a case, many cases open at once),
  each writer giving its own cases' commands in the order they happened, each entered a
  minute after it happened: receipts through ``store.add``, the rest through ``store.run``
  (load or keep the case, the command, entry time, hash, projection, commit). The raw
  reference replays the very write statements the store issued for the same commands,
  with the same parameters, one committed transaction per command, into a new store's
  tables (the same schema and indexes, the same durability), with the database's own driver
  and no library in between: what the database itself costs. The raw replay and the
  writers run in turns, ``--rounds`` times, and the best rate of each is compared (every
  round is printed). Target: at least 50 % of raw;
- the due-soon query (``store.due_within``, 8 working hours) over ``--cases`` stored cases
  whose projection rows are written directly (building a million cases through the engine
  would measure the engine, not the query): the rows of 10,000 simulated cases of 2026, as
  the store projects them, repeated under new ids, asked on the morning of 31 December
  (target: under 50 ms); and, printed beside it but not a target, a stress workload where
  8 % of the store is open and overdue (its time grows with the rows returned, not with
  the store);
- a report (``store.report``) over ``--report-cases`` stored cases: simulated histories
  (``tthc_flow.simulation``, 2,000 distinct ones) copied under new case ids straight into
  the tables. Peak memory of the reporting process and its workers (target: under 300 MB),
  and the time with 2 worker processes against 1 (target: 1.7x faster), with the load
  average beside it.

Exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import _isolate  # noqa: F401  (must come first: see its docstring)

from tthc_flow.engine import Case
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate
from tthc_flow.store import open_store
from tthc_flow.store._base import _projection
from tthc_flow.store._chain import canonical
from tthc_flow.testing import PostgresServer, postgres_binaries

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TARGET_SHARE = 0.5
TARGET_QUERY_S = 0.050
TARGET_MEMORY_MB = 300
TARGET_SPEEDUP = 1.7
DUE_POOL = 10_000
# A morning's question on the last working day of the simulated year: what falls due today,
# or is already overdue?
SIMULATED_AT = datetime(2026, 12, 31, 8, tzinfo=VN)
UNIFORM_AT = datetime(2026, 6, 1, 9, tzinfo=VN)
SRC = Path(__file__).resolve().parent.parent / "src"
ENV = {**os.environ, "PYTHONPATH": str(SRC)}

_COMMANDS = textwrap.dedent(
    """
    import attrs
    from tthc_flow.engine import Case, Mode
    from tthc_flow.samples import sample_catalog
    from tthc_flow.simulation import simulate

    def commands(writer, count):
        # The first ``count`` commands of lawful simulated cases of 2025 (the writer's own
        # cases, their ids prefixed with its number) in the order they were given: receipts
        # and the commands after them, many cases open at once.
        catalog = sample_catalog()
        events = []
        for case in simulate(catalog, cases=max(count // 4, 50), seed=writer, year=2025):
            if case.mode is not Mode.STRICT:
                continue  # a history with violations: a store in strict mode refuses it
            case_id = f"W{writer}-{case.case_id}"
            receipt = case.events[0]
            receipt = attrs.evolve(receipt, data={**receipt.data, "case_id": case_id})
            events += [(e.at, case_id, e.seq, case.procedure, e)
                       for e in (receipt, *case.events[1:])]
        events.sort(key=lambda row: row[:3])
        return events[:count]
    """
)

_WRITER = _COMMANDS + textwrap.dedent(
    """
    import sys
    from datetime import timedelta
    from tthc_flow.store import open_store

    url, writer, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    now = None  # each command is entered a minute after it happened, as it happens
    store = open_store(url, catalog=sample_catalog(), clock=lambda: now)
    plan = commands(writer, count)
    print("ready", flush=True)
    sys.stdin.readline()  # start together, once every writer has its commands and connection
    for at, case_id, seq, procedure, event in plan:
        now = at + timedelta(minutes=1)
        if seq == 0:
            store.add(Case.from_events(procedure, [event], calendar=store.calendar))
        else:
            store.run(case_id, lambda case: case.play(event), retries=1000)
    """
)

_REPORTER = textwrap.dedent(
    """
    import json, resource, sys, time
    from concurrent.futures import ProcessPoolExecutor
    from tthc_flow.reports import Period
    from tthc_flow.samples import sample_catalog
    from tthc_flow.store import open_store

    url, workers = sys.argv[1], int(sys.argv[2])
    store = open_store(url, catalog=sample_catalog(), create=False)
    start = time.perf_counter()
    if workers == 0:
        report = store.report(Period.year(2026))
    else:
        with ProcessPoolExecutor(workers) as executor:
            report = store.report(Period.year(2026), executor=executor, parts=workers,
                                  catalog_factory=sample_catalog)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "self_kb": own, "child_kb": children,
                      "cases": report.total.received + report.total.carried_over}))
    """
)


class Backend:
    """One database under test: new stores on it, and its driver with no library between."""

    def __init__(self, name: str, folder: Path, server: PostgresServer | None) -> None:
        self.name = name
        self.folder = folder
        self.server = server
        self._numbers = itertools.count()

    def url(self, label: str) -> str:
        """A new, empty database (``label`` names a SQLite file; each call gets its own)."""
        if self.server is None:
            return f"sqlite:///{self.folder / f'{label}-{next(self._numbers)}.db'}"
        return self.server.new_database()

    def connect(self, url: str) -> Any:
        if self.server is None:
            db = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # the store's own setting
            return db
        import psycopg

        return psycopg.connect(url, autocommit=True)

    def mark(self, sql: str) -> str:
        return sql if self.server is None else sql.replace("?", "%s")


def writers_rate(backend: Backend, writers: int, commands: int) -> float:
    """Commands per second through the store with ``writers`` processes on one store, each
    giving the commands of its own simulated cases (receipts through ``store.add``, the rest
    through ``store.run``); the clock starts once every writer is connected."""
    url = backend.url(f"writers-{writers}")
    open_store(url, catalog=sample_catalog()).close()
    processes = [
        subprocess.Popen([sys.executable, "-c", _WRITER, url, str(n), str(commands // writers)],
                         env=ENV, cwd=backend.folder, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
        for n in range(writers)
    ]  # fmt: skip
    for process in processes:  # imported and connected
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            raise SystemExit("a writer failed to start")
    start = time.perf_counter()
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in processes:
        if process.wait() != 0:
            raise SystemExit("a writer failed")
    return (commands // writers * writers) / (time.perf_counter() - start)


def recorded_writes(backend: Backend, commands: int) -> list[list[tuple[str, list[Any], bool]]]:
    """The write statements the store issues for writer 0's commands, transaction by
    transaction, with their parameters (``True``: executed for many rows): recorded from a
    store giving those commands in this process."""
    namespace: dict[str, Any] = {}
    exec(_COMMANDS, namespace)  # the writers' own commands
    plan = namespace["commands"](0, commands)
    now: datetime | None = None
    store = open_store(backend.url("recorded"), catalog=sample_catalog(), clock=lambda: now)
    transactions: list[list[tuple[str, list[Any], bool]]] = []
    run, run_many, write = store._run, store._run_many, store._write

    def record_run(sql: str, params: Any = ()) -> int:
        if not sql.startswith("SELECT"):  # a lock, not a row
            transactions[-1].append((sql, list(params), False))
        return run(sql, params)

    def record_run_many(sql: str, rows: Any) -> None:
        transactions[-1].append((sql, [list(row) for row in rows], True))
        run_many(sql, rows)

    @contextlib.contextmanager
    def record_write() -> Iterator[None]:
        transactions.append([])
        with write():
            yield

    store._run, store._run_many, store._write = (  # type: ignore[method-assign]
        record_run, record_run_many, record_write
    )
    for at, case_id, seq, procedure, event in plan:
        now = at + timedelta(minutes=1)
        if seq == 0:
            store.add(Case.from_events(procedure, [event], calendar=store.calendar))
        else:
            store.run(case_id, lambda case: case.play(event))  # noqa: B023
    store.close()
    return transactions


def raw_rate(backend: Backend, transactions: list[list[tuple[str, list[Any], bool]]]) -> float:
    """The same rows with the database's own driver and no library in between: the write
    statements the store issued for the same commands (recorded by
    :func:`recorded_writes`), with the same parameters, replayed one committed transaction
    per command into a new store's tables (the same schema and indexes), with the same
    durability."""
    url = backend.url("raw")
    open_store(url, catalog=sample_catalog()).close()  # the schema
    db = backend.connect(url)
    start = time.perf_counter()
    for statements in transactions:
        if backend.server is None:
            db.execute("BEGIN IMMEDIATE")
            for sql, params, many in statements:
                (db.executemany if many else db.execute)(sql, params)
            db.execute("COMMIT")
        else:
            with db.transaction(), db.cursor() as cursor:
                for sql, params, many in statements:
                    (cursor.executemany if many else cursor.execute)(backend.mark(sql), params)
    rate = len(transactions) / (time.perf_counter() - start)
    db.close()
    return rate


def _rows_in(backend: Backend, url: str, table: str, columns: str,
             rows: Iterator[tuple[Any, ...]]) -> None:  # fmt: skip
    db = backend.connect(url)
    if backend.server is None:
        marks = ", ".join("?" * len(columns.split(",")))
        db.execute("BEGIN")
        db.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        db.execute("COMMIT")
    else:
        with db.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    db.close()


DUE_COLUMNS = ("case_id, procedure, version, events, head, link, phase, steps, units, "
               "legal_due, finished, indicator_due, step_due, unit_due")


def simulated_due_rows(cases: int) -> Iterator[tuple[Any, ...]]:
    """A realistic store's projection rows: ``DUE_POOL`` cases of 2026 from the simulation,
    each row as the store projects it (``_projection``, the store's own code) after the
    case's last event, repeated under new ids until there are ``cases``. The mix is the
    simulation's: most cases finished by the year's end, the open ones received lately, a
    few overdue."""
    originals = list(simulate(sample_catalog(), cases=min(DUE_POOL, cases), seed=5,
                              year=2026))
    heads = [
        (case.procedure.code, case.procedure.version, len(case.events), "", "",
         *_projection(case, case.status))
        for case in originals
    ]  # fmt: skip
    for n in range(cases):
        yield (f"S{n}", *heads[n % len(heads)])


def uniform_due_rows(cases: int) -> Iterator[tuple[Any, ...]]:
    """A stress workload: a fifth of the cases open, their legal dues spread uniformly over
    2026, so that the query at 1 June returns the two fifths of the open ones already
    overdue (8 % of the store)."""
    rng = random.Random(1)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for n in range(cases):
        finished = rng.random() < 0.8
        due = (start + timedelta(minutes=rng.randrange(525_600))).isoformat(
            timespec="microseconds")
        yield (f"C{n}", "VD.DD", "2025.07", 2, "", "", "PROCESSING", "[]", "[]", due,
               int(finished), None, None, None)  # fmt: skip


def due_query(
    backend: Backend, rows: Iterator[tuple[Any, ...]], at: datetime
) -> tuple[float, int]:
    """The best of five ``due_within`` queries (8 working hours after ``at``) over the
    projection ``rows``, written straight into a new store's table; how many it found."""
    url = backend.url("due")
    open_store(url, catalog=sample_catalog()).close()
    _rows_in(backend, url, "cases", DUE_COLUMNS, rows)
    if backend.server is not None:
        # What autovacuum does on a live server: statistics, and the visibility map an
        # index-only scan needs.
        backend.connect(url).execute("VACUUM ANALYZE cases")
    store = open_store(url, catalog=sample_catalog())
    best, found = float("inf"), 0
    for _ in range(5):
        began = time.perf_counter()
        found = len(store.due_within(at, timedelta(hours=8)))
        best = min(best, time.perf_counter() - began)
    store.close()
    return best, found


def report_store(backend: Backend, cases: int) -> str:
    """A store of ``cases`` cases: 2,000 simulated histories of 2026, copied under new ids
    straight into the tables (their hash links are those of the originals: this store is
    for reading, not for ``verify``)."""
    url = backend.url("report")
    catalog = sample_catalog()
    store = open_store(url, catalog=catalog)
    originals = list(simulate(catalog, cases=min(cases, 2000), seed=3, year=2026))
    store.close()
    bodies = [[canonical(e.to_json()) for e in case.events] for case in originals]
    heads = [
        (case.procedure.code, case.procedure.version, len(case.events), "", "",
         case.status.phase.name, "[]", "[]", None, int(case.status.phase.finished))
        for case in originals
    ]  # fmt: skip

    def case_rows() -> Iterator[tuple[Any, ...]]:
        for n in range(cases):
            yield (f"R{n}", *heads[n % len(originals)])

    def event_rows() -> Iterator[tuple[Any, ...]]:
        for n in range(cases):
            for seq, body in enumerate(bodies[n % len(originals)]):
                yield (f"R{n}", seq, body, "2026-12-31T00:00:00.000000+00:00", None, "", "imported")

    _rows_in(backend, url, "cases", "case_id, procedure, version, events, head, link, phase, "
             "steps, units, legal_due, finished", case_rows())  # fmt: skip
    _rows_in(backend, url, "events", "case_id, seq, body, recorded_at, command_id, hash, entry",
             event_rows())  # fmt: skip
    if backend.server is not None:
        backend.connect(url).execute("ANALYZE")
    return url


def report_run(url: str, workers: int) -> dict[str, Any]:
    """One report in a fresh process (``workers`` 0: in that process itself)."""
    out = subprocess.run([sys.executable, "-c", _REPORTER, url, str(workers)], env=ENV,
                         capture_output=True, text=True, check=True)  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def measure(backend: Backend, args: argparse.Namespace) -> list[tuple[str, bool]]:
    # The machine's speed drifts from minute to minute (a virtual machine's neighbours, the
    # database's own background work): the raw replay and the store run in turns, round
    # after round, and the best rate of each is compared, as timeit keeps the best of its
    # repeats.
    transactions = recorded_writes(backend, args.commands)
    rounds: list[tuple[float, float, float]] = []
    for _ in range(args.rounds):
        rounds.append((raw_rate(backend, transactions), writers_rate(backend, 1, args.commands),
                       writers_rate(backend, 4, args.commands)))  # fmt: skip
    raw, one, four = (max(rates) for rates in zip(*rounds, strict=True))
    seconds, found = due_query(backend, simulated_due_rows(args.cases), SIMULATED_AT)
    stress, stress_found = due_query(backend, uniform_due_rows(args.cases), UNIFORM_AT)
    print(f"\n== {backend.name} ==")
    print(f"{'path':<62}{'commands/s':>12}{'of raw':>10}")
    for label, rate in ((f"raw {backend.name}: the store's write statements, replayed", raw),
                        ("store.run, 1 writer (load, command, hash, projection)", one),
                        ("store.run, 4 writer processes", four)):  # fmt: skip
        print(f"{label:<62}{rate:>12,.0f}{rate / raw:>9.1%}")
    print("rounds (raw, 1 writer, 4 writers, commands/s): " + "; ".join(
        " ".join(f"{rate:,.0f}" for rate in rates) for rates in rounds))
    print(f"due within 8 working hours over {args.cases:,} cases: {seconds * 1000:.1f} ms "
          f"({found:,} found; simulated 2026, at {SIMULATED_AT:%d %b %Y %H:%M}); stress "
          f"workload {stress * 1000:.1f} ms ({stress_found:,} found, not a target)")  # fmt: skip
    checks = [
        (f"{backend.name}: 1 writer >= {TARGET_SHARE:.0%} of raw", one / raw >= TARGET_SHARE),
        (f"{backend.name}: 4 writers >= {TARGET_SHARE:.0%} of raw", four / raw >= TARGET_SHARE),
        (f"{backend.name}: due-soon query < {TARGET_QUERY_S * 1000:.0f} ms",
         seconds < TARGET_QUERY_S),
    ]  # fmt: skip
    if args.report_cases:
        url = report_store(backend, args.report_cases)
        single = report_run(url, 0)
        load = os.getloadavg()[0]
        double = report_run(url, 2)
        speedup = single["seconds"] / double["seconds"]
        peak = max(single["self_kb"], double["self_kb"], double["child_kb"]) / 1024
        print(f"report over {single['cases']:,} cases: 1 process {single['seconds']:.1f} s "
              f"(peak {single['self_kb'] / 1024:.0f} MB); 2 workers {double['seconds']:.1f} s "
              f"(parent {double['self_kb'] / 1024:.0f} MB, largest worker "
              f"{double['child_kb'] / 1024:.0f} MB): {speedup:.2f}x; load average before "
              f"{load:.2f}, {os.cpu_count()} CPUs")  # fmt: skip
        checks += [
            (f"{backend.name}: report peak memory < {TARGET_MEMORY_MB} MB",
             peak < TARGET_MEMORY_MB),
            (f"{backend.name}: 2 workers >= {TARGET_SPEEDUP}x one", speedup >= TARGET_SPEEDUP),
        ]  # fmt: skip
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--commands", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3,
                        help="turns of the raw replay and the writers; the best of each counts")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--report-cases", type=int, default=1_000_000,
                        help="cases in the report measurement (0: skip it)")
    args = parser.parse_args()
    if args.rounds < 1 or args.commands < 4:
        parser.error("--rounds must be at least 1 and --commands at least 4")
    print(f"tthc_flow store benchmark; python {sys.version.split()[0]}; load average "
          f"{os.getloadavg()[0]:.2f}")  # fmt: skip
    checks: list[tuple[str, bool]] = []
    with tempfile.TemporaryDirectory(prefix="tthc-store-bench-") as name:
        folder = Path(name)
        for backend_name in args.backends.split(","):
            if backend_name == "sqlite":
                checks += measure(Backend("sqlite", folder, None), args)
            elif postgres_binaries() is None:
                print("\n== postgresql ==\nnot measured: PostgreSQL's server binaries are not "
                      "installed")  # fmt: skip
            else:
                with PostgresServer(durable=True) as server:
                    checks += measure(Backend("postgresql", folder, server), args)
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

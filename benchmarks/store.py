"""The embedded store (SQLite): commands appended per second, and the due-soon query.

Run: ``python benchmarks/store.py [--commands 2000] [--cases 1000000]``. In the same run it
measures:

- commands through the store (``store.run``: load the case, give the command, hash, write
  the projection, commit) with 1 and 4 writer processes on one file, against the raw rate of
  inserting and committing the same rows (one transaction per command) with ``sqlite3`` and
  no library in between. Target: at least 50 % of raw;
- the due-soon query (``store.due_within``, 8 working hours) over ``--cases`` stored cases
  whose projection rows are written directly (building a million cases through the engine
  would measure the engine, not the query). Target: under 50 ms.

Exit 1 when a target is missed. PostgreSQL is not measured: this version has no PostgreSQL
backend.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import _isolate  # noqa: F401  (must come first: see its docstring)

from tthc_flow.samples import sample_catalog
from tthc_flow.store import open_store

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TARGET_SHARE = 0.5
TARGET_QUERY_S = 0.050
SRC = Path(__file__).resolve().parent.parent / "src"

_WRITER = textwrap.dedent(
    """
    import sys
    from datetime import timedelta
    from tthc_flow.engine import Phase
    from tthc_flow.samples import sample_catalog
    from tthc_flow.store import open_store

    url, first, last, commands = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    store = open_store(url, catalog=sample_catalog(), skew=timedelta(days=3650))

    def command(case):
        at = case.events[-1].at + timedelta(minutes=1)
        unit = case.procedure.step(case.status.step).unit
        if case.status.phase is Phase.PAUSED:
            return case.resume(at=at, actor="w", unit=unit)
        return case.pause("financial_obligation", at=at, actor="w", unit=unit,
                          evidence=["Thông báo nộp nghĩa vụ tài chính"])

    for number in range(commands):
        store.run(f"DD-{first + number % (last - first)}", command, retries=1000)
    """
)


def _seed(url: str, cases: int) -> None:
    catalog = sample_catalog()
    store = open_store(url, catalog=catalog, skew=timedelta(days=3650))
    start = datetime(2026, 3, 2, 9, tzinfo=VN)
    for number in range(cases):
        case = catalog.open_case("VD.DD", case_id=f"DD-{number}", received_at=start,
                                 actor="Lan", attributes={"channel": "in_person"})  # fmt: skip
        following = case.procedure.first.next[0]
        case.handover(following, at=start + timedelta(hours=1), actor="Lan",
                      unit=case.procedure.first.unit)  # fmt: skip
        store.add(case, imported=True)
    store.close()


def writers_rate(folder: Path, writers: int, commands: int) -> float:
    """Commands per second through the store with ``writers`` processes, each on its own
    cases of one file."""
    url = f"sqlite:///{folder / f'writers-{writers}.db'}"
    per_writer_cases = 20
    _seed(url, writers * per_writer_cases)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    start = time.perf_counter()
    processes = [
        subprocess.Popen([sys.executable, "-c", _WRITER, url, str(n * per_writer_cases),
                          str((n + 1) * per_writer_cases), str(commands // writers)], env=env,
                         cwd=folder)
        for n in range(writers)
    ]  # fmt: skip
    for process in processes:
        if process.wait() != 0:
            raise SystemExit("a writer failed")
    return (commands // writers * writers) / (time.perf_counter() - start)


def raw_rate(folder: Path, commands: int) -> float:
    """Rows of the same size inserted and committed one transaction each, no library."""
    db = sqlite3.connect(folder / "raw.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE events (case_id TEXT, seq INTEGER, body TEXT, recorded_at TEXT, "
               "hash TEXT, PRIMARY KEY (case_id, seq)) WITHOUT ROWID")  # fmt: skip
    body = '{"seq":3,"kind":"paused","at":"2026-03-02T10:01:00+07:00","actor":"w"}' * 3
    start = time.perf_counter()
    for number in range(commands):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?)",
                   (f"DD-{number % 20}", number, body, "2026-03-02T03:01:00", "0" * 64))
        db.execute("UPDATE events SET hash = ? WHERE case_id = ? AND seq = ?",
                   ("1" * 64, f"DD-{number % 20}", number))  # the head and projection row
        db.execute("COMMIT")
    return commands / (time.perf_counter() - start)


def due_query(folder: Path, cases: int) -> tuple[float, int]:
    """The best of five ``due_within`` queries over ``cases`` projection rows; how many it
    found."""
    path = folder / "due.db"
    store = open_store(f"sqlite:///{path}", catalog=sample_catalog())
    store.close()
    db = sqlite3.connect(path, isolation_level=None)
    rng = random.Random(1)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO cases (case_id, procedure, version, events, head, link, phase, steps, "
        "units, legal_due, finished) VALUES (?, 'VD.DD', '2025.07', 2, '', '', ?, '[]', '[]', "
        "?, ?)",
        (
            (f"C{n}", "PROCESSING", (start + timedelta(minutes=rng.randrange(525_600)))
             .isoformat(timespec="microseconds"), int(rng.random() < 0.8))
            for n in range(cases)
        ),
    )  # fmt: skip
    db.execute("COMMIT")
    db.close()
    store = open_store(f"sqlite:///{path}", catalog=sample_catalog())
    at = datetime(2026, 6, 1, 9, tzinfo=VN)
    best, found = float("inf"), 0
    for _ in range(5):
        began = time.perf_counter()
        found = len(store.due_within(at, timedelta(hours=8)))
        best = min(best, time.perf_counter() - began)
    return best, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commands", type=int, default=2000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        raw = raw_rate(folder, args.commands)
        one = writers_rate(folder, 1, args.commands)
        four = writers_rate(folder, 4, args.commands)
        seconds, found = due_query(folder, args.cases)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"tthc_flow store benchmark (SQLite, WAL); python {sys.version.split()[0]}; "
          f"load average {load:.2f}\n")  # fmt: skip
    print(f"{'path':<58}{'commands/s':>12}{'of raw':>10}")
    for label, rate in (("raw sqlite3: insert + update + commit per command", raw),
                        ("store.run, 1 writer (load, command, hash, projection)", one),
                        ("store.run, 4 writer processes", four)):  # fmt: skip
        print(f"{label:<58}{rate:>12,.0f}{rate / raw:>9.1%}")
    print(f"\ndue within 8 working hours over {args.cases:,} cases: {seconds * 1000:.1f} ms "
          f"({found:,} found)")  # fmt: skip
    checks = [
        (f"1 writer >= {TARGET_SHARE:.0%} of raw", one / raw >= TARGET_SHARE),
        (f"4 writers >= {TARGET_SHARE:.0%} of raw", four / raw >= TARGET_SHARE),
        (f"due-soon query < {TARGET_QUERY_S * 1000:.0f} ms", seconds < TARGET_QUERY_S),
    ]
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

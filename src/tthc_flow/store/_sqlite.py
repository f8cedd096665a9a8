"""The embedded case store on SQLite (the standard library's ``sqlite3``, in WAL mode).

One row per case (its procedure version, its event count, the hash of its last event, its
link in the chain of cases, and the projection hosts query: phase, steps, units, legal due)
and one row per event (its JSON, the instant the store recorded it, its command id and its
hash). Commits are durable (``synchronous=FULL``). An append is one ``BEGIN IMMEDIATE``
transaction: the writer takes the database's write lock before it reads the event count it
checks against the version it loaded, so two writers are ordered; the new events and the
projection are written and the commit makes them visible together, or nothing is written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tthc_flow.calendar import WorkingCalendar
from tthc_flow.errors import StoreError
from tthc_flow.store._base import SCHEMA_VERSION, Row, Store, WriteConflict

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "SqliteStore"]

# Versioned migrations: MIGRATIONS[n] takes a store from version n to n + 1.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE cases (
            number INTEGER PRIMARY KEY AUTOINCREMENT,
            case_id TEXT NOT NULL UNIQUE,
            procedure TEXT NOT NULL,
            version TEXT NOT NULL,
            events INTEGER NOT NULL,
            head TEXT NOT NULL,
            link TEXT NOT NULL,
            phase TEXT NOT NULL,
            steps TEXT NOT NULL,
            units TEXT NOT NULL,
            legal_due TEXT,
            finished INTEGER NOT NULL
        )""",
        """CREATE TABLE events (
            case_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            body TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            command_id TEXT,
            hash TEXT NOT NULL,
            PRIMARY KEY (case_id, seq)
        ) WITHOUT ROWID""",
        "CREATE UNIQUE INDEX events_command ON events (case_id, command_id) "
        "WHERE command_id IS NOT NULL",
        "CREATE INDEX cases_phase ON cases (phase)",
        "CREATE INDEX cases_procedure ON cases (procedure, version)",
        "CREATE INDEX cases_due ON cases (finished, legal_due)",
        """CREATE TABLE case_steps (
            case_id TEXT NOT NULL, step TEXT NOT NULL, unit TEXT NOT NULL,
            PRIMARY KEY (case_id, step)
        ) WITHOUT ROWID""",
        "CREATE INDEX case_steps_step ON case_steps (step)",
        "CREATE INDEX case_steps_unit ON case_steps (unit)",
    ),
    (
        # Version 2: how each event was entered (live, late, imported).
        "ALTER TABLE events ADD COLUMN entry TEXT NOT NULL DEFAULT 'live'",
        "CREATE INDEX events_entry ON events (entry) WHERE entry <> 'live'",
    ),
    (
        # Version 3: the due instants of the indicator and step clocks (filled for the cases
        # already stored by Store.reproject when the store is opened).
        "ALTER TABLE cases ADD COLUMN indicator_due TEXT",
        "ALTER TABLE cases ADD COLUMN step_due TEXT",
        # Covering indexes: a due-soon query reads its ids from the index alone.
        "DROP INDEX cases_due",
        "CREATE INDEX cases_due ON cases (finished, legal_due, case_id)",
        "CREATE INDEX cases_indicator_due ON cases (finished, indicator_due, case_id)",
        "CREATE INDEX cases_step_due ON cases (finished, step_due, case_id)",
    ),
    (
        # Version 4: the due instant of the unit clock (the soonest among the units holding
        # the case), filled by Store.reproject when the store is opened.
        "ALTER TABLE cases ADD COLUMN unit_due TEXT",
        "CREATE INDEX cases_unit_due ON cases (finished, unit_due, case_id)",
    ),
    (
        # Version 5: the form of each case's link in the chain of cases; cases added from
        # now on chain their procedure code and version too (form 2).
        "ALTER TABLE cases ADD COLUMN link_form INTEGER NOT NULL DEFAULT 1",
    ),
)



class _DriverErrors:
    """``with`` around a statement: a database error becomes the store's
    :class:`~tthc_flow.errors.StoreError`, except another writer's row
    (``IntegrityError``), which :meth:`SqliteStore._write` makes a ``WriteConflict``. A class,
    not a generator: it wraps every statement."""

    __slots__ = ("store",)

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if isinstance(error, sqlite3.Error) and not isinstance(error, sqlite3.IntegrityError):
            raise self.store._failed(error) from None


class SqliteStore(Store):
    """Cases kept in one SQLite file (``sqlite:///cases.db``; ``sqlite:///:memory:`` for a
    store that lives as long as the object). See :class:`~tthc_flow.store._base.Store` for
    what every store does."""

    scheme = "sqlite"

    def __init__(
        self, path: str, *, catalog: Any, calendar: WorkingCalendar | None = None,
        url: str = "", clock: Callable[[], datetime] | None = None, create: bool = True,
        skew: timedelta = timedelta(minutes=5), max_backdate: timedelta | None = None,
    ) -> None:  # fmt: skip
        url = url or f"sqlite:///{path}"
        super().__init__(catalog=catalog, url=url, shown_url=url, calendar=calendar,
                         clock=clock, skew=skew, max_backdate=max_backdate)  # fmt: skip
        if path != ":memory:" and not create and not Path(path).exists():
            raise StoreError(f"no store at {path}.", url=self.url,
                             hint="Create it with `tthc-flow store init URL`.")  # fmt: skip
        try:
            # A store may be opened in one thread and used in another (a server opens it at
            # start-up, a worker thread serves requests); it is one connection, so one thread
            # at a time: give each worker thread its own store.
            self._db = sqlite3.connect(
                path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit is on disk when it returns. Under NORMAL a WAL commit can be
            # lost to a power cut after the host told a citizen "received"; a store of legal
            # records does not make that trade (PostgreSQL's default does not either).
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA busy_timeout=30000")
        except sqlite3.Error as error:
            raise StoreError(f"cannot open {path}: {error}.", url=self.url) from None
        self._errors = _DriverErrors(self)
        self.init()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._errors:
            return self._db.execute(sql, params).fetchall()

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        # sqlite3 steps through the result as it is iterated: one row in memory at a time.
        with self._errors:
            yield from self._db.execute(sql, params)

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self._errors:
            return self._db.execute(sql, params).rowcount

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._errors:
            self._db.executemany(sql, rows)

    def _failed(self, error: sqlite3.Error) -> StoreError:
        """A database error that is not another writer's row: a locked, damaged or
        hand-edited file (a table dropped, a column of the wrong type)."""
        return StoreError(f"the database refused the request: {error}.", url=self.shown_url,
                          hint="`tthc-flow store verify URL` checks the store; restore a "
                          "damaged one from a backup.")  # fmt: skip

    @contextmanager
    def _write(self) -> Iterator[None]:
        # BEGIN IMMEDIATE takes the write lock before anything is read: every writer is
        # ordered, so the checks made inside hold until the commit.
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise StoreError(f"the store is locked or unwritable: {error}.",
                             url=self.shown_url) from None  # fmt: skip
        try:
            yield
        except sqlite3.IntegrityError:
            self._db.execute("ROLLBACK")
            raise WriteConflict from None
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _lock_case(self, case_id: str) -> Row | None:
        return self._one("SELECT events, head FROM cases WHERE case_id = ?", (case_id,))

    def _lock_chain(self) -> None:
        """The write lock taken by ``BEGIN IMMEDIATE`` already orders new cases."""

    def schema_version(self) -> int:
        found = self._one(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='store_meta'"
        )
        if found is None:
            return 0
        row = self._one("SELECT value FROM store_meta WHERE key='schema'")
        return self._schema_number(row[0]) if row else 0

    def _migrations(self) -> tuple[tuple[str, ...], ...]:
        return MIGRATIONS

    def close(self) -> None:
        self._db.close()

"""The case store on a PostgreSQL server (psycopg 3: ``pip install 'tthc-flow[postgres]'``),
for several application servers writing the same cases.

The tables are those of the SQLite store. Texts that are compared or sorted use the ``"C"``
collation, so that instants (UTC ISO 8601 of one width) and ids order byte by byte whatever
the server's locale. An append is one transaction at ``READ COMMITTED``: it locks the case's
row (``SELECT … FOR UPDATE``) before checking the event count against the version it
loaded, so a second writer waits, then reads the count the first one committed and is
refused; a new case first takes a transaction-level advisory lock that orders the chain of
cases (a case's link depends on the one stored before it). Big reads go through a
server-side cursor, a batch of rows at a time.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tthc_flow.calendar import WorkingCalendar
from tthc_flow.errors import StoreError
from tthc_flow.store._base import SCHEMA_VERSION, Row, Store, WriteConflict

if TYPE_CHECKING:
    import psycopg

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "PostgresStore", "redacted"]

# Keys of the advisory locks this store takes (pg_advisory_xact_lock): any fixed numbers,
# chosen so as not to look like a host's own.
_CHAIN_LOCK = 0x7474_6863_0001  # new cases, in the order of the chain of cases
_SCHEMA_LOCK = 0x7474_6863_0002  # schema creation and migration

_C = 'COLLATE "C"'

# Versioned migrations: MIGRATIONS[n] takes a store from version n to n + 1 (the same
# versions as the SQLite store's).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        f"""CREATE TABLE cases (
            number BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            case_id TEXT {_C} NOT NULL UNIQUE,
            procedure TEXT {_C} NOT NULL,
            version TEXT {_C} NOT NULL,
            events INTEGER NOT NULL,
            head TEXT NOT NULL,
            link TEXT NOT NULL,
            phase TEXT {_C} NOT NULL,
            steps TEXT NOT NULL,
            units TEXT NOT NULL,
            legal_due TEXT {_C},
            finished INTEGER NOT NULL
        )""",
        f"""CREATE TABLE events (
            case_id TEXT {_C} NOT NULL,
            seq INTEGER NOT NULL,
            body TEXT NOT NULL,
            recorded_at TEXT {_C} NOT NULL,
            command_id TEXT {_C},
            hash TEXT NOT NULL,
            PRIMARY KEY (case_id, seq)
        )""",
        "CREATE UNIQUE INDEX events_command ON events (case_id, command_id) "
        "WHERE command_id IS NOT NULL",
        "CREATE INDEX cases_phase ON cases (phase)",
        "CREATE INDEX cases_procedure ON cases (procedure, version)",
        "CREATE INDEX cases_due ON cases (finished, legal_due)",
        f"""CREATE TABLE case_steps (
            case_id TEXT {_C} NOT NULL, step TEXT {_C} NOT NULL, unit TEXT {_C} NOT NULL,
            PRIMARY KEY (case_id, step)
        )""",
        "CREATE INDEX case_steps_step ON case_steps (step)",
        "CREATE INDEX case_steps_unit ON case_steps (unit)",
    ),
    (
        # Version 2: how each event was entered (live, late, imported).
        f"ALTER TABLE events ADD COLUMN entry TEXT {_C} NOT NULL DEFAULT 'live'",
        "CREATE INDEX events_entry ON events (entry) WHERE entry <> 'live'",
    ),
    (
        # Version 3: the due instants of the indicator and step clocks (filled for the cases
        # already stored by Store.reproject when the store is opened).
        f"ALTER TABLE cases ADD COLUMN indicator_due TEXT {_C}",
        f"ALTER TABLE cases ADD COLUMN step_due TEXT {_C}",
        # Covering indexes: a due-soon query reads its ids from the index alone.
        "DROP INDEX cases_due",
        "CREATE INDEX cases_due ON cases (finished, legal_due, case_id)",
        "CREATE INDEX cases_indicator_due ON cases (finished, indicator_due, case_id)",
        "CREATE INDEX cases_step_due ON cases (finished, step_due, case_id)",
    ),
    (
        # Version 4: the due instant of the unit clock (the soonest among the units holding
        # the case), filled by Store.reproject when the store is opened.
        f"ALTER TABLE cases ADD COLUMN unit_due TEXT {_C}",
        "CREATE INDEX cases_unit_due ON cases (finished, unit_due, case_id)",
    ),
    (
        # Version 5: the form of each case's link in the chain of cases; cases added from
        # now on chain their procedure code and version too (form 2).
        "ALTER TABLE cases ADD COLUMN link_form INTEGER NOT NULL DEFAULT 1",
    ),
)

_cursor_names = itertools.count()


def redacted(url: str) -> str:
    """``url`` without its password (and without a ``password=`` query parameter), as
    messages show it."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        netloc = f"{user.split(':', 1)[0]}:***@{host}" if ":" in user else netloc
    query = re.sub(r"(?i)(^|&)password=[^&]*", r"\1password=***", parts.query)
    return parts._replace(netloc=netloc, query=query).geturl()


def _sql(statement: str) -> str:
    """A statement written with ``?`` placeholders, as psycopg reads it (``%s``; a literal
    ``%``, the modulo, doubled)."""
    return statement.replace("%", "%%").replace("?", "%s")


class _DriverErrors:
    """``with`` around a statement: a lost server or a statement the database refused (a
    table dropped, a column changed by hand) becomes the store's
    :class:`~tthc_flow.errors.StoreError`; a unique key (``IntegrityError``) goes on to
    :meth:`PostgresStore._write`, which makes it a ``WriteConflict``."""

    __slots__ = ("store",)

    def __init__(self, store: PostgresStore) -> None:
        self.store = store

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if error is None:
            return
        psycopg = self.store._psycopg
        if isinstance(error, psycopg.OperationalError):
            raise self.store._lost(error) from None
        if isinstance(error, (psycopg.ProgrammingError, psycopg.DataError)):
            raise self.store._refused(error) from None


class PostgresStore(Store):
    """Cases kept in a PostgreSQL database (``postgresql://user:password@host/dbname``, or
    any address psycopg reads, e.g. ``postgresql:///tthc?host=/run/postgresql``). The
    database must exist; the tables are created, or migrated, when the store is opened
    (``create`` False: a database without them is an error instead). See
    :class:`~tthc_flow.store._base.Store` for what every store does."""

    scheme = "postgresql"

    def __init__(
        self, url: str, *, catalog: Any, calendar: WorkingCalendar | None = None,
        clock: Callable[[], datetime] | None = None, create: bool = True,
        skew: timedelta = timedelta(minutes=5), max_backdate: timedelta | None = None,
    ) -> None:  # fmt: skip
        super().__init__(catalog=catalog, url=url, shown_url=redacted(url), calendar=calendar,
                         clock=clock, skew=skew, max_backdate=max_backdate)  # fmt: skip
        try:
            import psycopg
        except ImportError:
            raise StoreError(
                "the PostgreSQL store needs psycopg 3, which is not installed.",
                url=self.shown_url, hint="Install it with: pip install 'tthc-flow[postgres]'.",
            ) from None
        self._psycopg = psycopg
        self._errors = _DriverErrors(self)
        try:
            self._db: psycopg.Connection[tuple[Any, ...]] = psycopg.connect(url, autocommit=True)
        except psycopg.Error as error:
            raise StoreError(f"cannot connect: {_first_line(error)}.", url=self.shown_url,
                             hint="Check the address, and that the server runs and the "
                             "database exists.") from None  # fmt: skip
        if not create and self.schema_version() == 0:
            self._db.close()
            raise StoreError("the database holds no store.", url=self.shown_url,
                             hint="Create it with `tthc-flow store init URL`.")  # fmt: skip
        self.init()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._errors:
            return self._db.execute(_sql(sql), params).fetchall()

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        # A named (server-side) cursor lives in a transaction; the rows come 2,000 at a time.
        # Inside a write it joins that transaction.
        with self._errors, self._db.transaction():
            name = f"tthc_flow_{next(_cursor_names)}"
            with self._db.cursor(name=name) as cursor:
                cursor.itersize = 2000
                cursor.execute(_sql(sql), params)
                yield from cursor

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self._errors:
            return self._db.execute(_sql(sql), params).rowcount

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._errors, self._db.cursor() as cursor:
            cursor.executemany(_sql(sql), rows)

    @contextmanager
    def _write(self) -> Iterator[None]:
        psycopg = self._psycopg
        try:
            with self._db.transaction():
                yield
        except psycopg.errors.UniqueViolation:
            raise WriteConflict from None
        except psycopg.OperationalError as error:
            raise self._lost(error) from None

    def _refused(self, error: Exception) -> StoreError:
        """A statement the database refused: a table dropped or a column changed by hand."""
        return StoreError(f"the database refused the request: {_first_line(error)}.",
                          url=self.shown_url,
                          hint="`tthc-flow store verify URL` checks the store; restore a "
                          "damaged one from a backup.")  # fmt: skip

    def _lost(self, error: Exception) -> StoreError:
        return StoreError(f"the server failed the request: {_first_line(error)}.",
                          url=self.shown_url,
                          hint="Check the server, then repeat the command.")  # fmt: skip

    def _lock_case(self, case_id: str) -> Row | None:
        return self._one("SELECT events, head FROM cases WHERE case_id = ? FOR UPDATE",
                         (case_id,))  # fmt: skip

    def _lock_chain(self) -> None:
        self._run("SELECT pg_advisory_xact_lock(?)", (_CHAIN_LOCK,))

    def _lock_schema(self) -> None:
        self._run("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))

    def schema_version(self) -> int:
        found = self._one("SELECT to_regclass('store_meta')")
        if found is None or found[0] is None:
            return 0
        row = self._one("SELECT value FROM store_meta WHERE key = 'schema'")
        return self._schema_number(row[0]) if row else 0

    def _migrations(self) -> tuple[tuple[str, ...], ...]:
        return MIGRATIONS

    def close(self) -> None:
        self._db.close()


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0].rstrip(".")

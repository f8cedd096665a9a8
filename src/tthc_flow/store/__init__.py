"""Durable case stores (kho hồ sơ): cases kept with optimistic concurrency, idempotent
commands and a hash chain that shows any edit.

>>> from tthc_flow.samples import sample_catalog
>>> store = open_store("sqlite:///:memory:", catalog=sample_catalog())
>>> len(store), store.verify().ok
(0, True)

``open_store(url, catalog=...)`` opens ``sqlite:///path`` (the embedded store, the
standard library's ``sqlite3``) or ``postgresql://…`` (a PostgreSQL server, for several
application servers; ``pip install 'tthc-flow[postgres]'``); both behave the same.
``store.add(case)`` stores a case just opened; ``store.load(case_id)`` rebuilds one
(``case.version`` is the number of events stored);
``store.save(case)`` appends what was recorded since, or raises
:class:`~tthc_flow.errors.ConcurrencyError` and writes nothing; ``store.run(case_id,
command)`` loads, acts, saves and retries. Each event is stored with the instant the store
recorded it and a SHA-256 link to the one before; ``store.verify()`` names the first broken
link.

A store is one database connection: it may be opened in one thread and used in another, but
by one thread at a time. A threaded server gives each worker thread its own store (several
stores on one database are what optimistic concurrency is for).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

from tthc_flow._validators import flag
from tthc_flow.calendar import WorkingCalendar
from tthc_flow.errors import InvalidInputError, StoreError
from tthc_flow.store._base import SCHEMA_VERSION, Store
from tthc_flow.store._model import Problem, StoredEvent, Verification
from tthc_flow.store._postgres import PostgresStore, redacted
from tthc_flow.store._sqlite import SqliteStore

__all__ = [
    "SCHEMA_VERSION",
    "PostgresStore",
    "Problem",
    "SqliteStore",
    "Store",
    "StoredEvent",
    "Verification",
    "is_store_url",
    "open_store",
]


def is_store_url(text: str) -> bool:
    """Whether ``text`` names a store (``sqlite:…``, ``postgresql:…``) rather than a file:
    the commands that read a journal read a store given this way."""
    return isinstance(text, str) and text.split(":", 1)[0] in ("sqlite", "postgresql", "postgres")


def open_store(
    url: str, *, catalog: Any, calendar: WorkingCalendar | None = None,
    clock: Callable[[], datetime] | None = None, create: bool = True,
    skew: timedelta = timedelta(minutes=5), max_backdate: timedelta | None = None,
) -> Store:  # fmt: skip
    """The store at ``url``: ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db``
    or ``sqlite:///:memory:`` (:class:`SqliteStore`); ``postgresql://user:password@host/db``
    or ``postgres://…`` (:class:`PostgresStore`, on a database that exists). The schema is
    created, or migrated, when opened (``create`` False: a missing file, or a database
    without the tables, is an error instead of a new store). ``catalog`` gives the
    procedure versions of the stored cases, ``calendar`` the calendar they are judged on,
    ``clock`` the store's clock for ``recorded_at`` (UTC now by default); ``skew`` (at most
    one day) and ``max_backdate`` how far an event's ``at`` may lie after or before it
    (:class:`Store`)."""
    flag(create, "create")  # "no" would be read as yes, and create a store
    if not isinstance(url, str):
        raise InvalidInputError(f"a store URL is a text, got {type(url).__name__}.", value=url,
                                hint="Write e.g. 'sqlite:///cases.db'.")  # fmt: skip
    try:
        parts = urlsplit(url)
    except ValueError as error:  # e.g. an unclosed "[" in the host
        scheme = url.split(":", 1)[0] if ":" in url else ""
        raise StoreError(f"the store URL cannot be read: {error}.", url=f"{scheme}:…",
                         hint="Write e.g. sqlite:///cases.db or "
                         "postgresql://user@host/dbname.") from None  # fmt: skip
    if parts.scheme == "sqlite":
        if parts.netloc:
            raise StoreError(f"{url!r}: a SQLite URL has no host.", url=url,
                             hint="Write sqlite:///cases.db (three slashes).")  # fmt: skip
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path:
            raise StoreError(f"{url!r} names no file.", url=url,
                             hint="Write sqlite:///cases.db.")  # fmt: skip
        return SqliteStore(path, catalog=catalog, calendar=calendar, url=url, clock=clock,
                           create=create, skew=skew, max_backdate=max_backdate)  # fmt: skip
    if parts.scheme in ("postgresql", "postgres"):
        return PostgresStore(url, catalog=catalog, calendar=calendar, clock=clock, create=create,
                             skew=skew, max_backdate=max_backdate)  # fmt: skip
    shown = redacted(url)
    raise StoreError(f"{shown!r}: unknown store scheme {parts.scheme!r}.", url=shown,
                     hint="Write sqlite:///cases.db or postgresql://host/dbname.")  # fmt: skip

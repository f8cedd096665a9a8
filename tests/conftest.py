"""Shared fixtures and Hypothesis profiles."""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings

from tthc_flow.calendar import WorkingCalendar, vietnam_calendar
from tthc_flow.testing import PostgresServer, postgres_binaries

# Calendars take milliseconds to build, so per-example deadlines would only add flakiness.
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=False
)
settings.load_profile("ci" if os.environ.get("CI") else "default")

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# The command line keeps national days on disk between runs; the suite (and every command it
# starts in a subprocess) keeps them in a folder of its own, never in the user's cache.
if "TTHC_FLOW_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="tthc-flow-test-cache-")
    os.environ["TTHC_FLOW_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def vn() -> ZoneInfo:
    return VN


@pytest.fixture(scope="session")
def cal() -> WorkingCalendar:
    """The national calendar of state agencies, standard hours, 1995–2100."""
    return vietnam_calendar()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for the session, started from the installed binaries.
    Without them the tests that need it skip, except under ``CI=true``, where a missing
    server is a failure (``.ci/run`` installs Debian's ``postgresql``)."""
    binaries = postgres_binaries()
    if binaries is None:
        reason = ("PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's "
                  "postgresql package to run the PostgreSQL store tests")  # fmt: skip
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    server = PostgresServer(binaries)
    try:
        yield server
    finally:
        server.stop()


class StoreBackend:
    """The database a store test runs on: ``url(name)`` is the address of store ``name``
    (a file, or a database created on first use), ``sql(url, statement)`` runs SQL on it as
    a hand editing the database would."""

    def __init__(self, name: str, tmp_path: Path, server: PostgresServer | None) -> None:
        self.name = name
        self.tmp_path = tmp_path
        self.server = server
        self._urls: dict[str, str] = {}

    def url(self, name: str = "cases") -> str:
        if name not in self._urls:
            if self.server is None:
                self._urls[name] = f"sqlite:///{self.tmp_path / (name + '.db')}"
            else:
                self._urls[name] = self.server.new_database()
        return self._urls[name]

    def sql(self, url: str, statement: str) -> list[tuple[object, ...]]:
        if self.server is None:
            path = url.removeprefix("sqlite:///")
            with closing(sqlite3.connect(path, isolation_level=None)) as db:
                return db.execute(statement).fetchall()
        import psycopg

        with psycopg.connect(url, autocommit=True) as pg:
            cursor = pg.execute(statement)
            return cursor.fetchall() if cursor.description else []


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> StoreBackend:
    """Each store test once on SQLite and once on PostgreSQL."""
    server = request.getfixturevalue("postgres_server") if request.param == "postgresql" else None
    return StoreBackend(request.param, tmp_path, server)

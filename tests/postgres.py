"""A throwaway PostgreSQL server for the tests: started from the server binaries installed
on the machine (``initdb``/``pg_ctl`` on the PATH, or Debian's ``/usr/lib/postgresql/*/bin``)
in a temporary directory, listening only on a Unix socket there, and removed at the end.

PostgreSQL refuses to run as root: when the tests run as root, the server runs as the
``postgres`` user (Debian's package creates it) or, failing that, ``nobody``.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PostgresServer", "find_binaries"]


def find_binaries() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``, or None when they are not installed."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parent.parent.name) if Path(path).parent.parent.name
        .isdigit() else 0,
    )  # fmt: skip
    return Path(candidates[-1]).parent if candidates else None


class PostgresServer:
    """A server running until :meth:`stop`. :meth:`new_database` gives the address of a new,
    empty database for one test."""

    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.root = Path(tempfile.mkdtemp(prefix="tthc-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._names = itertools.count()
        user: str | None = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
                user = "postgres"
            except KeyError:
                user = "nobody"
            entry = pwd.getpwnam(user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.user = user
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")  # fmt: skip
        options = (
            f"-k {self.root} -c listen_addresses='' -p 5432 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                  "start")  # fmt: skip

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            [str(self.binaries / program), *args], user=self.user, capture_output=True,
            text=True, cwd=self.root, timeout=120,
        )  # fmt: skip
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{program} failed: {result.stderr}{result.stdout}{log}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.root}"

    def new_database(self) -> str:
        """The address of a new, empty database."""
        import psycopg

        name = f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

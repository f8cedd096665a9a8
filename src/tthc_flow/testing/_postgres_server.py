"""A throwaway PostgreSQL server (máy chủ PostgreSQL dùng một lần) for a host's tests and
benchmarks of a PostgreSQL store: started from the server binaries installed on the
machine (``initdb``/``pg_ctl`` on the PATH, or Debian's ``/usr/lib/postgresql/*/bin``) in a
temporary directory, listening only on a Unix socket there (no port is taken), and removed
by :meth:`PostgresServer.stop`.

PostgreSQL refuses to run as root: when the process runs as root, the server runs as the
``postgres`` user (Debian's package creates it) or, failing that, ``nobody``.

>>> binaries = postgres_binaries()
>>> binaries is None or (binaries / "initdb").exists()
True
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tthc_flow.errors import InvalidInputError, StoreError

__all__ = ["PostgresServer", "postgres_binaries"]


def postgres_binaries() -> Path | None:
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
    """A server running until :meth:`stop` (or the end of a ``with`` block).
    :meth:`new_database` gives the address of a new, empty database, e.g. one per test.

    ``binaries`` is the directory of ``initdb`` and ``pg_ctl`` (default:
    :func:`postgres_binaries`). ``durable`` False turns off ``fsync`` and synchronous commit,
    which a test suite does not need (a crash of the machine loses a throwaway server
    anyway); keep it True to measure what a real server does."""

    def __init__(self, binaries: Path | None = None, *, durable: bool = False) -> None:
        if binaries is None:
            binaries = postgres_binaries()
            if binaries is None:
                raise StoreError(
                    "PostgreSQL's server binaries (initdb, pg_ctl) are not installed.",
                    hint="Install them, e.g. Debian's postgresql package.",
                )
        if not (Path(binaries) / "initdb").exists():
            raise InvalidInputError(f"no initdb in {binaries}.", value=binaries,
                                    hint="Pass the directory holding initdb and pg_ctl.")
        self.binaries = Path(binaries)
        self.root = Path(tempfile.mkdtemp(prefix="tthc-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._names = itertools.count()
        user: str | None = None
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            import pwd  # POSIX only, as is running a server as another user

            try:
                pwd.getpwnam("postgres")
                user = "postgres"
            except KeyError:
                user = "nobody"
            entry = pwd.getpwnam(user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.user = user
        options = f"-k {self.root} -c listen_addresses='' -p 5432 -c max_connections=100"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        try:
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E",
                      "UTF8", "--locale=C", "--no-sync")  # fmt: skip
            self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                      "start")  # fmt: skip
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            [str(self.binaries / program), *args], user=self.user, capture_output=True,
            text=True, cwd=self.root, timeout=120,
        )  # fmt: skip
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise StoreError(f"{program} failed: {result.stderr}{result.stdout}{log}".strip())

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def url(self, database: str = "postgres") -> str:
        """The address of ``database`` on this server (user ``postgres``, no password)."""
        return f"postgresql://postgres@/{database}?host={self.root}"

    def new_database(self) -> str:
        """The address of a new, empty database."""
        import psycopg

        name = f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as db:  # the maintenance database
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server at once and remove its files."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

"""What every case store does, whatever database holds it: appends with optimistic
concurrency, the time each event was entered, the hash chain, the projection hosts query,
reports streamed by partition, import and export.

A backend (:mod:`tthc_flow.store._sqlite`, :mod:`tthc_flow.store._postgres`) gives the
connection, its transactions and locks, and its schema; the SQL here is written once, with
``?`` placeholders, in the subset both databases read the same way. Texts that are compared
or sorted (instants as UTC ISO 8601 with microseconds, ids) compare byte by byte on both.
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime, timedelta, timezone
from typing import IO, Any, TypeVar

import attrs

from tthc_flow._validators import aware, flag
from tthc_flow.calendar import WorkingCalendar
from tthc_flow.codec import check_case_id, check_text
from tthc_flow.codec._texts import bad_character
from tthc_flow.engine import Case, CaseStatus, Event, Mode, Phase, Procedure
from tthc_flow.engine._arguments import a_calendar
from tthc_flow.errors import (
    ConcurrencyError,
    EntryTimeError,
    InvalidInputError,
    StoreError,
    TthcFlowError,
)
from tthc_flow.journal import ENTRIES, Stamped, write_journal
from tthc_flow.reports import Period, Report, build_report_from_events
from tthc_flow.store._chain import GENESIS, LINK_FORM, canonical, case_link, event_hash
from tthc_flow.store._model import Problem, StoredEvent, Verification

__all__ = ["DUE_COLUMNS", "ENTRIES", "MAX_PARTS", "MAX_SKEW", "SCHEMA_VERSION", "Store"]

T = TypeVar("T")

#: The schema this library writes; older stores are migrated when opened (or by
#: ``tthc-flow store init URL``).
SCHEMA_VERSION = 5

#: The clocks the projection keeps a due instant of, and the column each is in: the legal
#: clock (the published time limit), the Decision 766 indicator clock, the step clock
#: (the soonest due among the steps the case is at) and the unit clock (the soonest among
#: the units holding the case).
DUE_COLUMNS = {
    "legal": "legal_due", "indicator": "indicator_due", "step": "step_due", "unit": "unit_due",
}  # fmt: skip

#: The columns of a case's row written from its events with every append (the projection).
PROJECTED = (
    "phase", "steps", "units", "legal_due", "finished", "indicator_due", "step_due", "unit_due",
)  # fmt: skip

_AGAIN = object()  # Store.run: judge the command again on a fresh load

_PHASES = tuple(phase.name for phase in Phase)

#: The most clock skew a store allows (an event dated after the store's clock by more is
#: refused): a host whose clock is a day off has a clock to fix, not a tolerance to widen.
MAX_SKEW = timedelta(days=1)

#: The most partitions a store's cases are dealt into (:meth:`Store.histories`): the
#: partition is computed by the database, on its 32-bit integers.
MAX_PARTS = 2**31 - 1

Row = tuple[Any, ...]


def _sealed(recorded: str, entry: str) -> str:
    """What the hash covers besides the event: the instant recorded and, unless live, how
    it was entered (so that a late entry cannot be relabelled live unseen)."""
    return recorded if entry == "live" else f"{recorded}|{entry}"


def utc_text(instant: datetime) -> str:
    """An instant as the store sorts it: UTC, ISO 8601 with microseconds (one fixed width,
    so that text order is time order)."""
    return instant.astimezone(timezone.utc).isoformat(timespec="microseconds")


class Store:
    """Cases kept in a database. Build one with :func:`tthc_flow.store.open_store`.

    ``catalog`` gives the procedure version each stored case names; ``calendar`` the
    calendar cases are judged on (default: the national one); ``clock`` the store's clock
    for ``recorded_at`` (default: the system clock, UTC; a clock reading at the very ends of
    the datetime range is refused at the append). An event dated more than ``skew`` (a
    timedelta from 0 to :data:`MAX_SKEW`, one day) after the store's clock is refused; one
    recorded after the end of the working day following its ``at`` is stored and marked
    ``late``; with ``max_backdate``, one dated further back than that is refused
    (:class:`~tthc_flow.errors.EntryTimeError`).
    """

    #: The backend's name, as its URL scheme writes it.
    scheme = ""

    def __init__(
        self, *, catalog: Any, url: str, shown_url: str, calendar: WorkingCalendar | None,
        clock: Callable[[], datetime] | None, skew: timedelta, max_backdate: timedelta | None,
    ) -> None:  # fmt: skip
        #: The address the store was opened with (workers open it again from this).
        self.url = url
        #: The address as messages show it: no password.
        self.shown_url = shown_url
        for name, value in (("skew", skew), ("max_backdate", max_backdate)):
            if value is not None and (not isinstance(value, timedelta) or value < timedelta(0)):
                raise InvalidInputError(f"{name}={value!r} must be a timedelta >= 0.",
                                        value=value)  # fmt: skip
        if skew > MAX_SKEW:
            raise InvalidInputError(
                f"skew={skew!r} is more than a store allows an event to be dated after its "
                "clock (one day).", value=skew,
                hint="Set the host's clock right (NTP) and keep skew to minutes, e.g. "
                "timedelta(minutes=5).",
            )  # fmt: skip
        if clock is not None and not callable(clock):
            raise InvalidInputError(f"clock must be a function returning an aware datetime, "
                                    f"got {type(clock).__name__}.", value=clock)  # fmt: skip
        if not callable(getattr(catalog, "version", None)):
            # Found here, not at the first load: a store reads every case through it.
            raise InvalidInputError(
                f"the catalog must find procedures by code and version (a version(code, "
                f"version) method), got {type(catalog).__name__} {catalog!r:.60}.",
                value=catalog,
                hint="Pass a Catalog, e.g. tthc_flow.samples.sample_catalog() or "
                "load_catalog(...).",
            )
        self.skew = skew
        self.max_backdate = max_backdate
        self.catalog = catalog
        # Checked here, as Case checks it: every append and query of the store reads it.
        self.calendar = a_calendar(calendar)
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._recent = _Recent()
        # The last day whose entry tolerance was worked out, and that tolerance: commands
        # come in the order they happen, so most are of the same day as the one before.
        self._tolerance: tuple[date, datetime | None] | None = None
        # True while :meth:`import_cases` holds one transaction around its appends.
        self._batch = False

    # ------------------------------------------------------------------ backend

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Every row ``sql`` selects."""
        raise NotImplementedError

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row ``sql`` selects, or None."""
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        """The rows ``sql`` selects, fetched a batch at a time (bounded memory)."""
        raise NotImplementedError

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute one statement (inside :meth:`_write` when it writes); the rows it
        changed."""
        raise NotImplementedError

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[None]:
        """One write transaction: committed when the block ends, rolled back on any error.
        A backend's conflicting-write error inside it is raised as :class:`WriteConflict`."""
        raise NotImplementedError

    def _lock_case(self, case_id: str) -> Row | None:
        """Inside :meth:`_write`: the case's ``(events, head)`` row, locked against other
        writers until the transaction ends; None when the case is not stored."""
        raise NotImplementedError

    def _lock_chain(self) -> None:
        """Inside :meth:`_write`: take the lock that orders new cases in the chain of cases
        (a case's link depends on the one stored before it)."""
        raise NotImplementedError

    def _new_case_row(self, case_id: str) -> tuple[Row | None, Row | None]:
        """Inside :meth:`_write`, with the chain lock held: the ``(events, head)`` row of
        ``case_id`` (None when it is not stored) and the ``(link,)`` row of the case stored
        last (None in an empty store), in one round trip."""
        row = self._one(
            "SELECT (SELECT events FROM cases WHERE case_id = ?), "
            "(SELECT head FROM cases WHERE case_id = ?), "
            "(SELECT link FROM cases ORDER BY number DESC LIMIT 1)",
            (case_id, case_id),
        )
        assert row is not None  # a SELECT without FROM gives one row
        taken = None if row[0] is None else (row[0], row[1])
        return taken, None if row[2] is None else (row[2],)

    def _schema_number(self, value: Any) -> int:
        """The schema version written in ``store_meta``; a typed error when it is not one."""
        text = str(value)
        if not text.isascii() or not text.isdigit():
            raise StoreError(f"the store's schema version reads {text!r:.40}, not a number.",
                             url=self.shown_url,
                             hint="store_meta was edited by hand: restore it from a backup.")
        return int(text)

    def schema_version(self) -> int:
        """The schema version the database holds (0: empty)."""
        raise NotImplementedError

    def _migrations(self) -> tuple[tuple[str, ...], ...]:
        """The backend's versioned migrations: entry n takes a store from n to n + 1."""
        raise NotImplementedError

    def _lock_schema(self) -> None:
        """Inside :meth:`_write`: keep two processes from migrating at once."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.shown_url}>"

    # ------------------------------------------------------------------ schema

    def init(self) -> int:
        """Create the schema, or migrate an older one, in one transaction; returns the
        version now held. A store written by a newer library is refused."""
        with self._write():
            self._lock_schema()
            version = self.schema_version()
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"the store has schema version {version}; this library knows up to "
                    f"{SCHEMA_VERSION}.", url=self.shown_url, hint="Upgrade tthc-flow.",
                )  # fmt: skip
            migrations = self._migrations()
            for number in range(version, SCHEMA_VERSION):
                for statement in migrations[number]:
                    try:
                        self._run(statement)
                    except Exception as error:  # the driver's own error, of either backend
                        said = (str(error).strip().splitlines() or [repr(error)])[0]
                        raise StoreError(
                            f"cannot take the schema from version {number} to {number + 1}: "
                            f"{said}.",
                            url=self.shown_url,
                            hint="The database holds tables this library did not write there "
                            "(or its store_meta table was removed): open a new database, or "
                            "restore the store from a backup.",
                        ) from None
            if version != SCHEMA_VERSION:
                self._run(
                    "INSERT INTO store_meta (key, value) VALUES ('schema', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(SCHEMA_VERSION),),
                )
        if 0 < version < 4:
            self.reproject()  # due columns new in 3 (indicator, step) and 4 (unit)
        return SCHEMA_VERSION

    # ------------------------------------------------------------------ writing

    def add(self, case: Case, *, imported: bool = False) -> None:
        """Store a case just opened (its receipt and whatever followed); ``imported``: a
        case from a journal or another system, whose instants are its source's (marked
        imported, never late). A case id already stored raises
        :class:`~tthc_flow.errors.ConcurrencyError` and writes nothing; ``imported`` must be
        True or False (:class:`~tthc_flow.errors.InvalidInputError`)."""
        self._append(case, expected=0, imported=flag(imported, "imported"))

    def save(self, case: Case) -> list[Event]:
        """Append the events recorded since the case was loaded (or last saved); returns them.
        If another writer appended in between, raises
        :class:`~tthc_flow.errors.ConcurrencyError` and writes nothing."""
        if not isinstance(case, Case):
            raise InvalidInputError(f"expected a Case, got {type(case).__name__}.", value=case)
        if case.loaded == 0:
            self._append(case, expected=0)
            return list(case.events)
        return self._append(case, expected=case.loaded)

    def _entry(self, event: Event, now: datetime) -> str:
        """``live`` or ``late`` for an event entered now; a refusal for one dated in the
        future, or backdated beyond ``max_backdate``. The tolerance (the end of the working
        day following ``at``) is this library's reading of "entered as it happens": Decree
        118 sets no deadline for recording a step, only for doing it."""
        if event.at > now + self.skew:
            raise EntryTimeError(
                f"event {event.seq} ({event.kind.value}) is dated {event.at.isoformat()}, after "
                f"the store's clock ({now.isoformat()}) by more than {self.skew}.",
                url=self.shown_url,
                hint="Date events when they happened; check the host's clock.",
            )
        if self.max_backdate is not None and now - event.at > self.max_backdate:
            raise EntryTimeError(
                f"event {event.seq} ({event.kind.value}) is dated {event.at.isoformat()}, "
                f"more than {self.max_backdate} before it was entered ({now.isoformat()}).",
                url=self.shown_url,
                hint="Enter events as they happen, or import the history as imported.",
            )
        calendar = self.calendar
        local = event.at.astimezone(calendar.tz).date()
        known = self._tolerance
        if known is not None and known[0] == local:
            tolerance = known[1]
        else:
            try:
                tolerance = calendar.day_closing(calendar.add_working_days(local, 1))
            except TthcFlowError:
                tolerance = None  # beyond the calendar's years: no tolerance to judge by
            self._tolerance = (local, tolerance)
        return "late" if tolerance is not None and now > tolerance else "live"

    def _now(self) -> datetime:
        """The store's clock, read; a :class:`~tthc_flow.errors.StoreError` when it gives
        no aware datetime, or one so near the ends of the datetime range that it cannot be
        written in UTC or have the skew added (an event could not be judged against it)."""
        now = self._clock()
        if not isinstance(now, datetime) or now.utcoffset() is None:
            raise StoreError(f"the store's clock returned {now!r}, not an aware datetime.",
                             url=self.shown_url)  # fmt: skip
        try:
            now.astimezone(timezone.utc) + self.skew
        except OverflowError:
            raise StoreError(
                f"the store's clock returned {now.isoformat()}, too near the ends of the "
                "datetime range to record an event at (in UTC, plus the skew allowed).",
                url=self.shown_url, hint="Give the store a clock that reads the time now.",
            ) from None  # fmt: skip
        return now

    def _append(
        self, case: Case, *, expected: int, imported: bool = False, keep: bool = False,
        stamps: Sequence[tuple[str, str] | None] | None = None,
    ) -> list[Event]:
        """Append the case's events after the first ``expected``; ``keep``: the store keeps
        the case object itself for the next :meth:`run` (it was the store's own);
        ``stamps`` (an import of a new case): each event's recorded instant (UTC text) and
        entry as its source recorded them, None for one stored as imported now."""
        if not isinstance(case, Case):
            raise InvalidInputError(f"expected a Case, got {type(case).__name__}.", value=case)
        if not expected:
            check_case_id(case.case_id)  # a new case: its id enters the store
        new = list(case.events[expected:])
        if not new:
            return []
        given = [event.command_id for event in new if event.command_id is not None]
        if len(given) != len(set(given)):
            # A command id names one command (the store's unique key on it would refuse the
            # second as if another writer had stored it).
            twice = next(c for c in given if given.count(c) > 1)
            raise InvalidInputError(
                f"case {case.case_id}: two events carry command_id {twice!r}; a command id "
                "names one command.", value=twice,
                hint="Give each command its own id, or none.",
            )  # fmt: skip
        now = self._now()
        if stamps is None:
            recorded = [utc_text(now)] * len(new)
            entries = ["imported" if imported else self._entry(event, now) for event in new]
        else:
            marks = stamps[expected:]
            recorded = [utc_text(now) if mark is None else mark[0] for mark in marks]
            entries = ["imported" if mark is None else mark[1] for mark in marks]
        status = case.status
        projection = _projection(case, status)
        found: int | None = None
        known = self._recent.entry(case.case_id) if expected else None
        if known is not None and known.count == expected:
            # The events this store read or wrote at that version are the stored ones (the
            # update below checks their count and head): the case must start with them.
            self._check_continues(case, known.events)
            # Hashed before the write lock is taken: it is held for the database alone.
            previous, rows = self._chained(case, new, entries, recorded, known.head)
        try:
            with self._write() if not self._batch else nullcontext():
                if known is not None and known.count == expected:
                    # The head this store read or wrote at that version: one conditional
                    # update is both the check and the lock (a rival's update waits for
                    # it, then finds the count changed and updates nothing). Only the
                    # projected columns that changed are written: an index is rewritten
                    # only when its column is.
                    before = known.projection
                    changed = [
                        (column, value) for n, (column, value)
                        in enumerate(zip(PROJECTED, projection, strict=True))
                        if before is None or before[n] != value
                    ]  # fmt: skip
                    sets = "".join(f", {column} = ?" for column, _ in changed)
                    updated = self._run(
                        f"UPDATE cases SET events = ?, head = ?{sets} "
                        "WHERE case_id = ? AND events = ? AND head = ?",
                        (len(case.events), previous, *(value for _, value in changed),
                         case.case_id, expected, known.head),
                    )  # fmt: skip
                    if updated != 1:
                        row = self._one("SELECT events FROM cases WHERE case_id = ?",
                                        (case.case_id,))  # fmt: skip
                        found = None if row is None else _count_of(row[0])
                        raise ConcurrencyError(case.case_id, expected, found, url=self.shown_url)
                    self._insert_events(rows)
                    if before is None or before[1] != projection[1]:
                        self._run("DELETE FROM case_steps WHERE case_id = ?", (case.case_id,))
                        self._insert_steps(_case_steps(case, status))
                else:
                    previous = self._locked_append(case, new, entries, recorded, expected,
                                                   projection, status)  # fmt: skip
        except WriteConflict:
            # The same seq, command id or case id written by another writer in between.
            self._recent.forget(case.case_id)
            raise ConcurrencyError(case.case_id, expected, found, url=self.shown_url) from None
        except ConcurrencyError:
            self._recent.forget(case.case_id)
            raise
        if not self._batch:
            case.mark_saved()
        self._recent.put(case.case_id, _Known(len(case.events), previous, case.events,
                                              projection, case if keep else None,
                                              case.procedure))  # fmt: skip
        return new

    def _check_continues(self, case: Case, stored: Sequence[Event]) -> None:
        """Refuse (:class:`~tthc_flow.errors.StoreError`) an append whose case does not start
        with the ``stored`` events (a case loaded from another store, or rebuilt from other
        events, under the same id and with as many events): its new events would follow a
        history they were not judged on. The case loaded from this store holds the very
        objects it was given, so most appends compare identities only; an event replayed
        with other violations (judged under another calendar) is the same fact."""
        for mine, theirs in zip(case.events, stored, strict=False):
            if mine is theirs or mine == theirs:
                continue
            if mine.violations != theirs.violations and mine == attrs.evolve(
                theirs, violations=mine.violations
            ):
                continue
            raise StoreError(
                f"case {case.case_id}: event {mine.seq} of the case saved is not the stored "
                f"event {theirs.seq} ({mine.kind.value} at {mine.at.isoformat()} where the "
                f"store holds {theirs.kind.value} at {theirs.at.isoformat()}): the case does "
                "not continue the stored history (it was loaded from another store, or "
                "rebuilt from other events), and nothing was written.",
                url=self.shown_url,
                hint="Load the case from this store (store.load) and give the command to it.",
            )

    def _stored_prefix(self, case_id: str, mine: Sequence[Event]) -> list[Event]:
        """The stored events of ``case_id`` as far as ``mine`` goes, inside :meth:`_write`
        with the case locked; an event whose stored body is the text ``mine`` would be
        written as is given as ``mine``'s own (a body is read as an event only when the
        texts differ)."""
        rows = self._rows("SELECT body FROM events WHERE case_id = ? AND seq < ? ORDER BY seq",
                          (case_id, len(mine)))  # fmt: skip
        return [
            event if body == canonical(event.to_json())
            else _event_of(body, case_id, self.shown_url)
            for event, (body,) in zip(mine, rows, strict=False)
        ]  # fmt: skip

    def _chained(
        self, case: Case, new: list[Event], entries: list[str], recorded: list[str],
        previous: str,
    ) -> tuple[str, list[tuple[Any, ...]]]:  # fmt: skip
        """The rows of the new events, each hashed with the instant it was recorded and its
        entry after the one before; the last hash."""
        rows = []
        for event, entry, instant in zip(new, entries, recorded, strict=True):
            body = canonical(event.to_json())
            previous = event_hash(previous, body, _sealed(instant, entry))
            rows.append((case.case_id, event.seq, body, instant, event.command_id, previous,
                         entry))  # fmt: skip
        return previous, rows

    def _insert_events(self, rows: list[tuple[Any, ...]]) -> None:
        statement = ("INSERT INTO events (case_id, seq, body, recorded_at, command_id, hash, "
                     "entry) VALUES (?, ?, ?, ?, ?, ?, ?)")  # fmt: skip
        if len(rows) == 1:
            self._run(statement, rows[0])
        else:
            self._run_many(statement, rows)

    def _insert_steps(self, steps: list[tuple[str, str, str]]) -> None:
        if steps:
            self._run_many("INSERT INTO case_steps (case_id, step, unit) VALUES (?, ?, ?)", steps)

    def _locked_append(
        self, case: Case, new: list[Event], entries: list[str], recorded: list[str],
        expected: int, projection: tuple[Any, ...], status: CaseStatus,
    ) -> str:  # fmt: skip
        """An append that reads the case's row under a lock first: a new case, or one this
        store has not read at the version the append expects."""
        last: Row | None = None
        if expected == 0:
            # A new case: the chain lock orders every new case, so once it is held no
            # other writer can add this id, and one read gives both whether the id is taken
            # and the link of the case stored last (what the new case's link chains).
            self._lock_chain()
            row, last = self._new_case_row(case.case_id)
        else:
            row = self._lock_case(case.case_id)
        found = None if row is None else _count_of(row[0])
        if (expected == 0 and row is not None) or (expected and found != expected):
            raise ConcurrencyError(case.case_id, expected, found, url=self.shown_url)
        assert row is not None or expected == 0
        if expected:
            self._check_continues(case, self._stored_prefix(case.case_id, case.events[:expected]))
        previous, rows = self._chained(case, new, entries, recorded,
                                       GENESIS if row is None else str(row[1]))  # fmt: skip
        self._insert_events(rows)
        columns = ", ".join(PROJECTED)
        if row is None:
            code, version = case.procedure.code, case.procedure.version
            link = case_link(GENESIS if last is None else str(last[0]), case.case_id,
                             rows[0][5], (code, version))  # fmt: skip
            marks = ", ".join("?" * (7 + len(PROJECTED)))
            self._run(
                f"INSERT INTO cases (case_id, procedure, version, events, head, link, "
                f"link_form, {columns}) VALUES ({marks})",
                (case.case_id, code, version, len(case.events), previous, link, LINK_FORM,
                 *projection),
            )  # fmt: skip
        else:
            sets = "".join(f", {column} = ?" for column in PROJECTED)
            self._run(
                f"UPDATE cases SET events = ?, head = ?{sets} WHERE case_id = ?",
                (len(case.events), previous, *projection, case.case_id),
            )
            self._run("DELETE FROM case_steps WHERE case_id = ?", (case.case_id,))
        self._insert_steps(_case_steps(case, status))
        return previous

    def run(self, case_id: str, command: Callable[[Case], T], *, retries: int = 10) -> T:
        """Load the case, give it ``command`` (a function of the case, e.g.
        ``lambda c: c.resolve(...)``), save what it recorded, and on a
        :class:`~tthc_flow.errors.ConcurrencyError` start again from a fresh load, at most
        ``retries`` times; returns what ``command`` returned. A command refused by the case
        raises its typed error (nothing is saved). A command with a ``command_id`` already
        stored returns the stored event and saves nothing.

        The case ``command`` is given belongs to the store: the store keeps it for the next
        command on that case (skipping the load) as long as its stored version and head
        say nobody else wrote in between; keep what ``command`` returns, not the case. A
        command judged on a kept case that another writer has since moved on is judged
        again on a fresh load (its refusal too), so ``command`` may run more than once, as
        with any retry: give it no side effects outside the case."""
        if not callable(command):
            raise InvalidInputError(f"command must be a function of the case, got "
                                    f"{type(command).__name__}.", value=command,
                                    hint="Write e.g. lambda case: case.resolve(...).")  # fmt: skip
        if type(retries) is not int or retries < 0:
            raise InvalidInputError(f"retries={retries!r} must be a whole number >= 0.",
                                    value=retries)  # fmt: skip
        check_text(case_id, "case_id")
        kept = self._recent.take(case_id)
        if kept is None:
            kept = self._rebuilt(case_id)
        if kept is not None:
            outcome = self._run_kept(kept, command)
            if outcome is not _AGAIN:
                return outcome  # type: ignore[return-value]
        for attempt in range(retries + 1):
            case = self.load(case_id)
            result = command(case)
            try:
                self._append(case, expected=case.loaded, keep=result is not case)
            except ConcurrencyError:
                if attempt == retries:
                    raise
                continue
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def _run_kept(self, case: Case, command: Callable[[Case], T]) -> T | object:
        """``command`` on the case the store kept (what it returned), or ``_AGAIN`` when
        the stored case moved on since (the caller judges it again on a fresh load)."""
        known = self._recent.entry(case.case_id)
        assert known is not None
        expected = case.loaded
        try:
            result = command(case)
        except TthcFlowError:
            if self._current(case.case_id, known):
                raise  # judged on the stored case: the refusal stands
            self._recent.forget(case.case_id)
            return _AGAIN
        if case.version == expected:
            # Nothing recorded (a read, or a command already stored): what it read must
            # still be the stored case.
            if not self._current(case.case_id, known):
                self._recent.forget(case.case_id)
                return _AGAIN
            if result is not case:
                known.case = case
            return result
        try:
            self._append(case, expected=expected, keep=result is not case)
        except ConcurrencyError:
            return _AGAIN
        return result

    def _rebuilt(self, case_id: str) -> Case | None:
        """The case replayed from the events this store last read or wrote of it (a case
        it just added, or one a caller loaded and saved), without reading the database:
        :meth:`_run_kept` then treats it as a kept case, whose append (or refusal) checks
        that they are still the stored events. None when it knows none."""
        known = self._recent.entry(case_id)
        if known is None or len(known.events) != known.count:
            return None
        # The procedure as the catalog gives it, as a load would (the case added may have
        # been built with another object of the same code and version).
        procedure = self.catalog.version(known.procedure.code, known.procedure.version)
        return Case.from_events(procedure, known.events, calendar=self.calendar,
                                case_id=case_id)  # fmt: skip

    def _current(self, case_id: str, known: _Known) -> bool:
        """Whether the stored case is still the one ``known`` read or wrote."""
        row = self._one("SELECT events, head FROM cases WHERE case_id = ?", (case_id,))
        return row is not None and _count_of(row[0]) == known.count and str(row[1]) == known.head

    # ------------------------------------------------------------------ reading

    def load(self, case_id: str, *, mode: Mode | str = Mode.STRICT) -> Case:
        """The case rebuilt from its stored events (replayed in audit mode, as they were
        recorded), taking new commands in ``mode`` (strict by default); ``case.version`` is
        the number of events stored."""
        check_text(case_id, "case_id")
        row = self._one(
            f"SELECT procedure, version, events, head, {', '.join(PROJECTED)} FROM cases "
            "WHERE case_id = ?",
            (case_id,),
        )
        if row is None:
            raise StoreError(f"no case {case_id!r} in the store.", url=self.shown_url)
        procedure = self.catalog.version(str(row[0]), str(row[1]))
        count, head = _count_of(row[2]), str(row[3])
        events = self._recent.get(case_id, count, head)
        if events is None:
            events = tuple(
                _event_of(body, case_id, self.shown_url)
                for (body,) in self._rows(
                    "SELECT body FROM events WHERE case_id = ? ORDER BY seq", (case_id,)
                )
            )
        case = Case.from_events(procedure, events, calendar=self.calendar, mode=mode,
                                case_id=case_id)  # fmt: skip
        if len(events) == count:  # not when read while a hand edit left the count wrong
            self._recent.put(case_id, _Known(count, head, events, tuple(row[4:]), None,
                                             procedure))  # fmt: skip
        return case

    def history(self, case_id: str) -> list[StoredEvent]:
        """A case's stored events, in order, each with the instant the store recorded it,
        how it was entered and its hash."""
        check_text(case_id, "case_id")
        return [
            _stored(body, recorded, digest, entry, case_id, self.shown_url)
            for body, recorded, digest, entry in self._rows(
                "SELECT body, recorded_at, hash, entry FROM events WHERE case_id = ? "
                "ORDER BY seq",
                (case_id,),
            )
        ]

    def late_entries(self) -> list[tuple[str, StoredEvent]]:
        """Every event entered late (recorded after the end of the working day following
        its ``at``), as ``(case_id, stored event)``, in the order recorded: late data entry,
        which :meth:`report` counts."""
        return [
            (str(case_id), _stored(body, recorded, digest, entry, str(case_id), self.shown_url))
            for case_id, body, recorded, digest, entry in self._stream(
                "SELECT case_id, body, recorded_at, hash, entry FROM events "
                "WHERE entry = 'late' ORDER BY recorded_at, case_id, seq"
            )
        ]

    def status_at(self, case_id: str, at: datetime) -> Any:
        """The case's status as its history stood at ``at`` (a replay up to it)."""
        return self.load(case_id).status_at(at)

    def __contains__(self, case_id: object) -> bool:
        if not isinstance(case_id, str):
            return False
        return self._one("SELECT 1 FROM cases WHERE case_id = ?", (case_id,)) is not None

    def __len__(self) -> int:
        row = self._one("SELECT COUNT(*) FROM cases")
        return 0 if row is None else int(row[0])

    def case_ids(
        self, *, phase: Any = None, step: str | None = None, unit: str | None = None,
        procedure: str | None = None,
    ) -> list[str]:  # fmt: skip
        """The ids of the cases in a ``phase`` (a :class:`~tthc_flow.engine.Phase` or its
        name), at a ``step``, held by a ``unit``, of a ``procedure`` code (all that apply),
        in the order they were stored; read from the projection written with each append."""
        clauses: list[str] = []
        values: list[Any] = []
        if phase is not None:
            name = getattr(phase, "name", phase)
            if name not in _PHASES:
                raise InvalidInputError(
                    f"phase={phase!r} is not a phase.", value=phase,
                    hint=f"Pass a Phase, or one of {', '.join(_PHASES)}.",
                )  # fmt: skip
            clauses.append("c.phase = ?")
            values.append(name)
        for label, text in (("step", step), ("unit", unit), ("procedure", procedure)):
            if text is not None:
                check_text(text, label)
        if procedure is not None:
            clauses.append("c.procedure = ?")
            values.append(procedure)
        for column, value in (("step", step), ("unit", unit)):
            if value is not None:
                clauses.append(
                    f"EXISTS (SELECT 1 FROM case_steps s WHERE s.case_id = c.case_id AND "
                    f"s.{column} = ?)"
                )
                values.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        query = f"SELECT c.case_id FROM cases c{where} ORDER BY c.number"
        return [str(row[0]) for row in self._stream(query, values)]

    def due_before(
        self, instant: datetime, *, clock: str = "legal"
    ) -> list[tuple[str, datetime]]:
        """Unfinished cases whose ``clock`` (``legal``, ``indicator``, ``step``: the soonest
        due among the steps the case is at, or ``unit``: the soonest among the units holding
        it, at a step or owing an answer) is due at or before ``instant``, overdue ones
        included, soonest first (ties by case id), as ``(case_id, due)``. A clock with no due
        (the case awaits the applicant, Art. 19(5)) is not listed; a paused clock's due is
        where it would fall if it ran again from the case's latest event. Answered from a
        covering index on the due instant and the case id."""
        column = _due_column(clock)
        rows = self._rows(
            f"SELECT case_id, {column} FROM cases WHERE finished = 0 AND {column} IS NOT NULL "
            f"AND {column} <= ? ORDER BY {column}, case_id",
            (utc_text(_in_utc_range(instant, "instant")),),
        )
        read = datetime.fromisoformat
        try:
            return [(str(case_id), read(due)) for case_id, due in rows]
        except (TypeError, ValueError):
            # A row edited by hand: found again, to be named.
            for case_id, due in rows:
                try:
                    read(due)
                except (TypeError, ValueError):
                    raise _unreadable(str(case_id), self.shown_url,
                                      f"its {column} column holds {due!r:.60}, not an "
                                      "instant") from None  # fmt: skip
            raise

    def due_within(
        self, at: datetime, working: timedelta, *, clock: str = "legal"
    ) -> list[tuple[str, datetime]]:
        """Unfinished cases whose ``clock`` is due within ``working`` working time after
        ``at`` on the store's calendar, or already overdue (:meth:`due_before` that
        instant)."""
        aware(at)
        if not isinstance(working, timedelta) or working < timedelta(0):
            raise InvalidInputError(
                f"working={working!r} must be a timedelta of working time >= 0.", value=working,
                hint="Write e.g. timedelta(hours=8).",
            )  # fmt: skip
        _due_column(clock)
        return self.due_before(self.calendar.add_working_time(at, working), clock=clock)

    def reproject(self) -> int:
        """Recompute every case's projection (phase, steps, units, dues) from its events,
        one case per transaction; returns how many. The migrations to schemas 3 and 4 run
        it to fill their new due columns."""
        count = 0
        for case_id in self.case_ids():
            case = self.load(case_id, mode=Mode.AUDIT)
            status = case.status
            projection = _projection(case, status)
            with self._write():
                self._run(
                    f"UPDATE cases SET {', '.join(c + ' = ?' for c in PROJECTED)} "
                    "WHERE case_id = ?",
                    (*projection, case_id),
                )
                self._run("DELETE FROM case_steps WHERE case_id = ?", (case_id,))
                self._insert_steps(_case_steps(case, status))
            self._recent.forget(case_id)
            count += 1
        return count

    def cases(self) -> Iterator[Case]:
        """Every stored case, loaded one at a time (bounded memory), in the order stored."""
        for case_id in self.case_ids():
            yield self.load(case_id)

    def histories(
        self, *, part: int = 0, parts: int = 1
    ) -> Iterator[tuple[Procedure, list[Event], str]]:
        """Every stored case as ``(procedure, events, case_id)``, streamed one case at a time
        in the order stored: the input of
        :func:`~tthc_flow.reports.build_report_from_events`. With ``parts``, only the cases
        of partition ``part`` (cases are dealt by their number in the store, modulo
        ``parts``: each case is in exactly one partition)."""
        if type(parts) is not int or parts < 1 or type(part) is not int or not 0 <= part < parts:
            raise InvalidInputError(f"part={part!r} of parts={parts!r} is not a partition.",
                                    value=(part, parts))  # fmt: skip
        _check_parts(parts)
        rows = self._stream(
            "SELECT c.case_id, c.procedure, c.version, e.body FROM cases c JOIN events e "
            "ON e.case_id = c.case_id WHERE (c.number - 1) % ? = ? ORDER BY c.number, e.seq",
            (parts, part),
        )
        current: str | None = None
        procedure: Procedure | None = None
        events: list[Event] = []
        for case_id, code, version, body in rows:
            if case_id != current:
                if current is not None and procedure is not None:
                    yield procedure, events, current
                current, events = str(case_id), []
                procedure = self.catalog.version(str(code), str(version))
            events.append(_event_of(body, current, self.shown_url))
        if current is not None and procedure is not None:
            yield procedure, events, current

    def report(
        self, period: Period, *, clock: Any = "legal", granularity: Any = "month",
        executor: Executor | None = None, parts: int | None = None,
        catalog_factory: Callable[[], Any] | None = None,
    ) -> Report:  # fmt: skip
        """The report of every stored case over ``period``, streamed from the store (one
        case in memory at a time, on the reports' fast path). With an ``executor`` (a
        ``ProcessPoolExecutor``, Dask's ``Client.get_executor()``, or any
        :class:`concurrent.futures.Executor`), the cases are split into ``parts`` partitions
        (default: one per CPU), each reported by a worker that opens the store itself, and
        the partial reports are added (reports are a monoid). Workers in other processes
        need ``catalog_factory``, a picklable function returning the catalog (e.g.
        ``sample_catalog``), and judge cases on the national calendar. Cases with an event of
        the period entered late are listed under the data-quality flag ``late_entry``
        (:meth:`late_in`); they stay in every figure."""
        if executor is None:
            report = build_report_from_events(self.histories(), period, clock=clock,
                                              granularity=granularity, calendar=self.calendar)
            return report.with_late_entries(self.late_in(period))
        if not isinstance(executor, Executor):
            raise InvalidInputError(
                f"executor must be a concurrent.futures.Executor, got {type(executor).__name__}.",
                value=executor, hint="Pass ProcessPoolExecutor(), or client.get_executor().",
            )  # fmt: skip
        if catalog_factory is None:
            raise InvalidInputError(
                "a report on an executor needs catalog_factory: each worker opens the store and "
                "loads the catalog itself.",
                value=executor,
                hint="Pass catalog_factory=sample_catalog (or your catalog's function).",
            )
        # The executor's own worker count is private to it: one partition per CPU instead.
        count = parts if parts is not None else os.cpu_count() or 2
        if type(count) is not int or count < 1:
            raise InvalidInputError(f"parts={parts!r} must be a whole number >= 1.",
                                    value=parts)  # fmt: skip
        _check_parts(count)
        futures = [
            executor.submit(partition_report, self.url, catalog_factory, part, count, period,
                            clock, granularity)
            for part in range(count)
        ]  # fmt: skip
        total = Report.empty()
        for future in futures:
            total = total + future.result()
        return total.with_late_entries(self.late_in(period))

    def late_in(self, period: Period) -> set[str]:
        """The ids of the cases with an event dated within ``period`` (on the store's
        calendar's days) that was entered late: the report's ``late_entry`` flag. Read from
        an index of the events not entered live."""
        if not isinstance(period, Period):
            raise InvalidInputError(f"expected a Period, got {type(period).__name__}.",
                                    value=period, hint="Write e.g. Period.year(2026).")  # fmt: skip
        tz = self.calendar.tz
        return {
            case_id for case_id, stored in self.late_entries()
            if period.start <= stored.event.at.astimezone(tz).date() <= period.end
        }  # fmt: skip

    # ------------------------------------------------------------------ tamper evidence

    def head(self) -> str:
        """The link of the last case stored: export it to an outside notary, and pass it back
        to :meth:`verify` to see that no case was deleted from the end either."""
        row = self._one("SELECT link FROM cases ORDER BY number DESC LIMIT 1")
        return GENESIS if row is None else str(row[0])

    def verify(self, *, head: str | None = None, projections: bool = True) -> Verification:
        """Recompute every hash: of each event after the one before it in its case, each
        case's last hash and count, and the chain of cases (which, for cases stored since
        schema version 5, chains each case's procedure code and version too). Names every
        broken link (an event edited, deleted, inserted or reordered; a case deleted or moved
        to another procedure version; with ``head``, a case deleted from the end).

        With ``projections`` (the default), each case is also replayed and the row the
        queries read (phase, steps, units and the due of each clock) compared with what its
        history gives: a row edited by hand would hide a case from ``due_before`` or
        ``case_ids`` (kind ``projection``; a row written under another calendar is reported
        too, and :meth:`reproject` rewrites every row). Reads the store in one pass, a batch
        of rows at a time."""
        if head is not None:
            check_text(head, "head")
        if not isinstance(projections, bool):
            raise InvalidInputError(f"projections={projections!r} must be True or False.",
                                    value=projections)  # fmt: skip
        problems: list[Problem] = []
        previous_link = GENESIS
        cases = events = 0
        columns = ", ".join(f"c.{column}" for column in PROJECTED)
        rows = self._stream(
            f"SELECT c.case_id, c.events, c.head, c.link, c.link_form, c.procedure, c.version, "
            f"{columns}, e.seq, e.body, e.recorded_at, e.hash, e.entry FROM cases c "
            "LEFT JOIN events e ON e.case_id = c.case_id ORDER BY c.number, e.seq"
        )
        width = 7 + len(PROJECTED)
        current: tuple[Any, ...] | None = None
        digest, first, number = GENESIS, None, 0
        bodies: list[str] | None = None
        broken = False  # an event or the count of the current case found edited
        raw_id: Any = None

        def close_case() -> None:
            nonlocal previous_link, broken
            assert current is not None
            case_id, count, stored_head, link, form, code, version = current[:7]
            if number != count or digest != stored_head:
                broken = True
                problems.append(Problem(case_id, number, "count",
                                        f"the case holds {number} event(s) ending in "
                                        f"{digest[:12]}…, its head says {count} ending in "
                                        f"{str(stored_head)[:12]}…."))  # fmt: skip
            procedure = (str(code), str(version)) if form == LINK_FORM else None
            expected = case_link(previous_link, case_id, first or GENESIS, procedure)
            if bad_character(case_id, free=False) is not None:
                # No case id holds a control character: one that does was written by hand
                # (and could pass a form-2 link off as a form-1 one).
                problems.append(Problem(case_id, None, "chain",
                                        "the case id holds a character no case id may hold "
                                        "(edited by hand)."))  # fmt: skip
            elif form not in (1, LINK_FORM) or expected != link:
                problems.append(Problem(case_id, None, "chain",
                                        "the chain of cases breaks before this case (a case "
                                        "was deleted, or this one edited: its receipt, its "
                                        "procedure or version, or its link)."))  # fmt: skip
            previous_link = str(link)
            if bodies is not None and not broken:
                # Only a case whose events hold: one found edited is not judged again.
                found = self._projection_problem(case_id, code, version, bodies,
                                                 current[7:width])  # fmt: skip
                if found is not None:
                    problems.append(Problem(case_id, None, "projection", found))

        for row in rows:
            case_id = row[0]
            seq, body, recorded, stored, entry = row[width:]
            if current is None or raw_id != case_id:
                if current is not None:
                    close_case()
                raw_id = case_id
                current = (str(case_id), _count_of(row[1]), *row[2:width])
                broken = False
                cases += 1
                digest, first, number = GENESIS, None, 0
                bodies = [] if projections else None
            if seq is None:
                continue
            events += 1
            if not isinstance(body, str) or not isinstance(seq, int) or type(seq) is bool:
                problems.append(Problem(current[0], number, "edited",
                                        f"row {seq!r} is not a stored event (its seq or body "
                                        "is not of the stored type)."))  # fmt: skip
                broken = True
                number += 1
                continue
            if seq != number:
                problems.append(Problem(current[0], number, "missing",
                                        f"event {number} is missing (found {seq} next)."))
                broken = True
                number = seq
            try:
                said = json.loads(body).get("seq")
            except (ValueError, AttributeError, RecursionError):
                said = None
            if said != seq:
                problems.append(Problem(current[0], seq, "moved",
                                        f"row {seq} holds event {said!r}."))  # fmt: skip
                broken = True
            digest = event_hash(digest, body, _sealed(str(recorded), str(entry)))
            if digest != stored:
                problems.append(Problem(current[0], seq, "edited",
                                        f"event {seq} does not match its hash."))
                broken = True
                digest = str(stored)  # judge the next event on its own link
            if first is None:
                first = digest
            if bodies is not None:
                bodies.append(body)
            number += 1
        if current is not None:
            close_case()
        for (case_id,) in self._rows(
            "SELECT DISTINCT case_id FROM events WHERE case_id NOT IN (SELECT case_id FROM cases) "
            "ORDER BY case_id"
        ):
            problems.append(Problem(str(case_id), None, "orphan",
                                    "events of a case the store does not list."))
        if head is not None and head != previous_link:
            problems.append(Problem(None, None, "head",
                                    "the last case's link is not the head exported: cases "
                                    "were deleted from the end, or edited."))  # fmt: skip
        return Verification(tuple(problems), cases, events, previous_link)

    def _projection_problem(
        self, case_id: str, code: Any, version: Any, bodies: list[str], stored: tuple[Any, ...]
    ) -> str | None:
        """What is wrong with a case's projection row ``stored`` against its history (the
        events' ``bodies``), or None when they agree."""
        try:
            try:
                procedure = self.catalog.version(str(code), str(version))
            except Exception as error:  # a host's catalog: whatever it raises, verify goes on
                raise ValueError(f"the catalog cannot give {code} {version}: {error!r}") from None
            case = Case.from_events(
                procedure, [Event.from_json(json.loads(body)) for body in bodies],
                calendar=self.calendar, case_id=case_id,
            )  # fmt: skip
        except (TthcFlowError, ValueError, RecursionError) as error:
            return f"its history cannot be replayed to check its row ({error})."
        expected = _projection(case, case.status)
        differ = [
            f"{column} {value!r} (its history gives {want!r})"
            for column, value, want in zip(PROJECTED, stored, expected, strict=True)
            if _stored_text(value) != _stored_text(want)
        ]  # fmt: skip
        if not differ:
            return None
        return ("the row the queries read says " + "; ".join(differ) + ": edited by hand, or "
                "written under another calendar (Store.reproject rewrites the rows).")

    # ------------------------------------------------------------------ import, export

    def export(self, stream: IO[str]) -> int:
        """Write every stored case to ``stream`` as a journal (:mod:`tthc_flow.journal`), in
        the order stored, each line with the instant this store recorded the event and how
        it was entered (``recorded_at`` in UTC, ``entry``); returns the number of lines
        written. A store imports it back as it was entered here:
        ``other.import_cases(read_stamped_journal(path, other.catalog))``."""
        return write_journal(self.cases(), stream, stamps=self.history)

    def import_cases(
        self, cases: Iterable[Case | tuple[Case, Sequence[Stamped | None]]]
    ) -> int:
        """Store whole cases (from a journal or another system); returns how many. A case
        given alone is marked imported (its instants are its source's; never counted as late
        entry), ``recorded_at`` the import's instant. A case given with its events' stamps,
        ``(case, stamps)`` as :func:`~tthc_flow.journal.read_stamped_journal` gives them (or
        ``(case, store.history(case_id))`` from another store), one per event in ``seq``
        order: each event is stored with its stamp's ``recorded_at`` and ``entry``, as the
        source store recorded it (a ``late`` entry stays late data entry in reports), and
        hashed with them as a live append would have; an event whose stamp is None is
        stored as imported, now. Stamps are trusted input: the store does not judge them
        again (an entry ``live`` dated a year after its event is stored live); the hash
        chain shows edits made in this store since the import, not in the journal before
        it. Stamps that are not one per event, an entry not among ``live``, ``late``,
        ``imported`` or a ``recorded_at`` that is not a datetime:
        :class:`~tthc_flow.errors.InvalidInputError` (a naive one:
        :class:`~tthc_flow.errors.NaiveDatetimeError`).

        All or nothing: the import is one transaction, so a case that cannot be stored (an
        id already stored raises :class:`~tthc_flow.errors.ConcurrencyError`; a case that
        is not a :class:`~tthc_flow.engine.Case`, :class:`~tthc_flow.errors.InvalidInputError`)
        leaves the store as it was, the cases before it included. Other writers wait for
        the import to end (on SQLite, at most the store's 30-second busy timeout, after which
        they get a :class:`~tthc_flow.errors.StoreError`: import when the store is quiet, or
        in parts). The cases given are not changed (a case imported is not marked
        saved): give new commands to the case as :meth:`load` reads it."""
        if isinstance(cases, (str, bytes, Mapping)) or not isinstance(cases, Iterable):
            raise InvalidInputError(f"cases must be an iterable of Case values, got "
                                    f"{type(cases).__name__}.", value=cases)  # fmt: skip
        count = 0
        current = ""
        try:
            with self._write():
                self._batch = True
                try:
                    for given in cases:
                        case, stamps = _case_and_stamps(given, count)
                        current = case.case_id
                        self._append(case, expected=0, imported=True, stamps=stamps)
                        count += 1
                finally:
                    self._batch = False
        except WriteConflict:
            self._recent = _Recent()
            raise ConcurrencyError(current, 0, None, url=self.shown_url) from None
        except BaseException:
            # Rolled back: what this store remembers of the cases it appended is forgotten.
            self._recent = _Recent()
            raise
        return count


class _Known:
    """What this store object last read or wrote of one case: its stored count and head,
    its events, the projection row stored with them (None when not read), the case itself
    when :meth:`Store.run` keeps it for the next command, and its procedure version."""

    __slots__ = ("case", "count", "events", "head", "procedure", "projection")

    def __init__(
        self, count: int, head: str, events: tuple[Event, ...],
        projection: tuple[Any, ...] | None, case: Case | None, procedure: Procedure,
    ) -> None:  # fmt: skip
        self.count = count
        self.head = head
        self.events = events
        self.projection = projection
        self.case = case
        self.procedure = procedure


class _Recent:
    """The cases this store object read or wrote last, so that the load → command → save
    loop skips reading and replaying them. An entry is used only when the stored count and
    head hash are those it was written with: the hash chain makes them the same events,
    whoever else writes to the database."""

    SIZE = 1024

    def __init__(self) -> None:
        self._entries: OrderedDict[str, _Known] = OrderedDict()

    def entry(self, case_id: str) -> _Known | None:
        return self._entries.get(case_id)

    def get(self, case_id: str, count: int, head: str) -> tuple[Event, ...] | None:
        entry = self._entries.get(case_id)
        if entry is None or entry.count != count or entry.head != head:
            return None
        self._entries.move_to_end(case_id)
        return entry.events

    def take(self, case_id: str) -> Case | None:
        """The case :meth:`Store.run` kept, taken out (one command at a time has it); None
        when none is kept, or when it changed since it was saved (a caller kept it)."""
        entry = self._entries.get(case_id)
        if entry is None or entry.case is None:
            return None
        case, entry.case = entry.case, None
        if case.version != entry.count or case.loaded != entry.count:
            return None
        return case

    def put(self, case_id: str, known: _Known) -> None:
        self._entries[case_id] = known
        self._entries.move_to_end(case_id)
        if len(self._entries) > self.SIZE:
            self._entries.popitem(last=False)

    def forget(self, case_id: str) -> None:
        self._entries.pop(case_id, None)


class WriteConflict(Exception):
    """A backend's unique-key violation inside :meth:`Store._write`: another writer stored
    the same row in between (turned into :class:`~tthc_flow.errors.ConcurrencyError`)."""


def _case_and_stamps(
    given: object, index: int
) -> tuple[Case, list[tuple[str, str] | None] | None]:
    """The case :meth:`Store.import_cases` was given at ``index`` and, when it came with
    its events' stamps, each event's recorded instant (as the store writes it) and entry."""
    stamps: object = None
    if isinstance(given, tuple) and len(given) == 2:
        given, stamps = given
        if stamps is None:
            raise InvalidInputError(
                f"cases[{index}]: a case given with stamps needs one per event, got None.",
                value=stamps, hint="Give the case alone to store it as imported.",
            )  # fmt: skip
    if not isinstance(given, Case):
        raise InvalidInputError(
            f"cases[{index}]: expected a Case (or a case and its stamps), got "
            f"{type(given).__name__}.",
            value=given,
        )
    if stamps is None:
        return given, None
    if isinstance(stamps, (str, bytes, Mapping)) or not isinstance(stamps, Sequence):
        raise InvalidInputError(
            f"cases[{index}]: the stamps of case {given.case_id} must be a sequence, one per "
            f"event, got {type(stamps).__name__}.",
            value=stamps,
        )
    if len(stamps) != len(given.events):
        raise InvalidInputError(
            f"cases[{index}]: case {given.case_id} has {len(given.events)} events but "
            f"{len(stamps)} stamps; each event has one (None: stored as imported now).",
            value=stamps,
        )
    checked: list[tuple[str, str] | None] = []
    for seq, stamp in enumerate(stamps):
        if stamp is None:
            checked.append(None)
            continue
        entry = getattr(stamp, "entry", None)
        if type(entry) is not str or entry not in ENTRIES:
            raise InvalidInputError(
                f"cases[{index}]: event {seq} of case {given.case_id} has entry "
                f"{entry!r:.40}; an entry is one of {', '.join(ENTRIES)}.",
                value=stamp,
            )
        instant = getattr(stamp, "recorded_at", None)
        where = f"cases[{index}] event {seq} recorded_at"
        checked.append((utc_text(_in_utc_range(instant, where)), entry))
    return given, checked


def _in_utc_range(instant: object, argument: str) -> datetime:
    """``instant`` if it is an aware datetime that can be written in UTC (one at the very
    ends of the datetime range, e.g. 0001-01-01 at +05:00, cannot); else a typed error."""
    aware(instant, argument)
    assert isinstance(instant, datetime)
    try:
        instant.astimezone(timezone.utc)
    except OverflowError:
        raise InvalidInputError(
            f"{argument}={instant.isoformat()} lies beyond the range of datetime once put in "
            "UTC.", value=instant, hint="Give an instant between the years 1 and 9999 in UTC.",
        ) from None  # fmt: skip
    return instant


def _check_parts(parts: int) -> None:
    if parts > MAX_PARTS:
        raise InvalidInputError(
            f"parts={parts:,} is more partitions than a store deals its cases into (at most "
            f"{MAX_PARTS:,}).", value=parts,
            hint="Use one partition per worker, e.g. parts=os.cpu_count().",
        )  # fmt: skip


def _due_column(clock: object) -> str:
    column = DUE_COLUMNS.get(clock) if isinstance(clock, str) else None
    if column is None:
        raise InvalidInputError(f"clock={clock!r} is not a clock the store projects.",
                                value=clock, hint=f"Pass one of {', '.join(DUE_COLUMNS)}.")
    return column


def _stored_text(value: Any) -> str | None:
    """A projected value as compared by :meth:`Store.verify`: the finished flag is stored as
    an integer, the others as text."""
    return None if value is None else str(value)


def _count_of(value: Any) -> int:
    """A case row's event count; -1 when the row holds no count (edited by hand)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def _stored(
    body: Any, recorded: Any, digest: Any, entry: Any, case_id: str, url: str
) -> StoredEvent:
    event = _event_of(body, case_id, url)
    try:
        instant = datetime.fromisoformat(recorded)
        if instant.utcoffset() is None:
            raise ValueError("no offset")
    except (TypeError, ValueError):
        raise _unreadable(case_id, url, f"event {event.seq} was recorded at {recorded!r:.60}, "
                          "not an instant with its offset") from None  # fmt: skip
    return StoredEvent(event, instant, str(digest), str(entry))


def _event_of(body: Any, case_id: str | None, url: str) -> Event:
    """The event a stored row's ``body`` holds; a :class:`~tthc_flow.errors.StoreError`
    naming the case when the row cannot be read (edited by hand)."""
    try:
        if not isinstance(body, str):
            raise ValueError(f"the body is a {type(body).__name__}, not JSON text")
        return Event.from_json(json.loads(body))
    except (TthcFlowError, ValueError, RecursionError) as error:
        raise _unreadable(case_id, url, f"an event's body cannot be read ({error})") from None


def _unreadable(case_id: str | None, url: str, what: str) -> StoreError:
    return StoreError(
        f"case {case_id}: {what}.", url=url,
        hint="A row was edited outside the store: `tthc-flow store verify URL` names it.",
    )  # fmt: skip


def partition_report(
    url: str, catalog_factory: Callable[[], Any], part: int, parts: int, period: Period,
    clock: Any, granularity: Any,
) -> Report:  # fmt: skip
    """One worker's share of :meth:`Store.report` (a module-level function, so that a
    process pool or a Dask worker can run it)."""
    from tthc_flow.store import open_store

    with open_store(url, catalog=catalog_factory(), create=False) as store:
        return build_report_from_events(
            store.histories(part=part, parts=parts), period, clock=clock,
            granularity=granularity, calendar=store.calendar,
        )  # fmt: skip


def _projection(case: Case, status: CaseStatus) -> tuple[Any, ...]:
    """(phase, steps, units, legal due, finished, indicator due, step due, unit due) of the
    case after its last event (its ``status``); a due is None when the case is finished or
    the clock has none (awaiting the applicant)."""
    texts = _step_texts(case.procedure, status.steps)
    dues: tuple[datetime | None, ...] = (None, None, None, None)
    if not status.phase.finished:
        try:
            dues = case.clocks.dues(case.events[-1].at)
        except TthcFlowError:
            # A due beyond the calendar's last year: the clocks that have one keep it.
            dues = tuple(_due(read) for read in (case.legal_clock, case.indicator_clock))
            dues += (None, None)
    legal, indicator, step, unit = (None if due is None else _due_text(due) for due in dues)
    return (
        status.phase.name, *texts, legal, int(status.phase.finished), indicator, step, unit,
    )  # fmt: skip


# The texts of the dues projected last, by the identity of the instant: a clock's due stays
# the same object from one command to the next until the clock moves.
_DUE_TEXTS: dict[int, tuple[datetime, str]] = {}


def _due_text(due: datetime) -> str:
    known = _DUE_TEXTS.get(id(due))
    if known is not None and known[0] is due:
        return known[1]
    text = utc_text(due)
    if len(_DUE_TEXTS) >= 4096:
        _DUE_TEXTS.clear()
    _DUE_TEXTS[id(due)] = (due, text)
    return text


_TEXTS: dict[tuple[int, tuple[str, ...]], tuple[Procedure, str, str]] = {}


def _step_texts(procedure: Procedure, steps: tuple[str, ...]) -> tuple[str, str]:
    """The ``steps`` and ``units`` columns (JSON) of a case of ``procedure`` at ``steps``,
    kept by the procedure's identity (hashing a whole procedure costs more than the JSON)."""
    key = (id(procedure), steps)
    known = _TEXTS.get(key)
    if known is not None and known[0] is procedure:
        return known[1], known[2]
    units = sorted({procedure.step(s).unit for s in steps})
    texts = json.dumps(list(steps), ensure_ascii=False), json.dumps(units, ensure_ascii=False)
    if len(_TEXTS) >= 4096:
        _TEXTS.clear()
    _TEXTS[key] = (procedure, *texts)
    return texts


def _case_steps(case: Case, status: CaseStatus) -> list[tuple[str, str, str]]:
    """The rows of ``case_steps``: each step the case is at (its ``status``), with its
    unit."""
    procedure = case.procedure
    return [(case.case_id, s, procedure.step(s).unit) for s in status.steps]


def _due(read: Callable[[], Any]) -> datetime | None:
    try:
        reading = read()
    except TthcFlowError:
        return None
    return None if reading is None else reading.due

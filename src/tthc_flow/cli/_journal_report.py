"""A report over an event journal (JSON Lines), read once, by one process or several.

The period a journal spans (first receipt's day to last event's day) is guessed from the
lines' raw text, which is much cheaper than reading the cases; the report is built over the
guess and the guess checked against the cases the report actually read. A journal written
by hand, or a case skipped as unreadable, can make them differ; the report is then built
again over the span of its cases. Nothing but one case's events is held at a time, besides
the ids of the journal's cases when several processes share the work.

With several processes (``jobs``), the cases are dealt out to them by their order in the
journal; each reads its own cases from the file (the reading is most of the work: sending
parsed events to a worker would cost about as much as reporting them) and reports them, and
the partial reports are added. The result equals the report of one process.
"""

from __future__ import annotations

import functools
import io
import operator
import os
import pickle
import re
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import nullcontext
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import attrs

from tthc_flow.calendar import DEFAULT_TIMEZONE, vietnam_calendar
from tthc_flow.codec import line_blocks
from tthc_flow.engine import Event, Procedure
from tthc_flow.errors import InvalidInputError, TthcFlowError
from tthc_flow.journal import (
    ProcedureSource,
    Skipped,
    read_case_histories,
    read_histories,
    unreadable_journal,
)
from tthc_flow.reports import ClockChoice, Granularity, Period, Report, build_report_from_events

__all__ = ["AUTO_LINES_PER_JOB", "jobs_for", "picklable", "report_journal"]

Span = tuple[date, date]
S = TypeVar("S", bound=Path | io.BytesIO | str)

#: With ``jobs=None``, one process per this many lines, up to the processors available:
#: below it, starting a process costs more than it saves.
AUTO_LINES_PER_JOB = 50_000


@attrs.frozen
class _Scan:
    """What the lines' text says without parsing them: the guessed span, the case ids in
    order of first appearance, and the number of lines."""

    span: Span | None
    case_ids: tuple[str, ...]
    lines: int


def report_journal(
    path: Path,
    catalog: ProcedureSource,
    *,
    start: date | None = None,
    end: date | None = None,
    clock: ClockChoice | str = ClockChoice.LEGAL,
    granularity: Granularity | str = Granularity.MONTH,
    strict: bool = False,
    jobs: int | None = 1,
    skipped: list[Skipped] | None = None,
) -> Report:
    """The report of the journal at ``path``; a missing ``start`` is the first receipt's day,
    a missing ``end`` the last event's day. The cases the journal reader skips (lines that
    cannot be read whole) are listed in the report's data quality as ``journal_skipped``;
    with ``strict`` the first of them is an error instead. Given a ``skipped`` list, the
    reader's :class:`~tthc_flow.journal.Skipped` entries (each with its reason) are added to
    it.

    ``jobs``: the processes that read and report the cases (1: this one alone; None: one
    per :data:`AUTO_LINES_PER_JOB` lines); never more than the processors this process may
    use, nor than the journal's cases. The result is the same whatever the number. A
    journal from a pipe, a journal whose lines are not written as
    :func:`~tthc_flow.journal.write_journal` writes them, and ``strict`` reading (whose
    first problem is an error) are read by this process alone."""
    if jobs is not None and (type(jobs) is not int or jobs < 1):
        raise InvalidInputError(
            f"jobs must be a whole number of processes from 1, or None, got {jobs!r:.40}.",
            value=jobs, hint="Write jobs=2, or jobs=None to choose from the journal's size.",
        )  # fmt: skip
    kept = list(skipped) if skipped is not None else []
    source = _source(path)
    scan = _scan(source) if start is None or end is None or jobs != 1 else None
    parts = min(jobs_for(jobs, scan.lines if scan else 0), _available(),
                len(scan.case_ids) if scan else 1)  # fmt: skip
    if parts > 1 and (
        isinstance(source, io.BytesIO) or strict or scan is None or not scan.case_ids
        or not picklable(catalog)
    ):  # fmt: skip
        parts = 1
    executor: Executor | None = None
    if parts > 1:
        assert scan is not None
        # Built here first: worker processes started by fork find it already built.
        vietnam_calendar()
        executor = ProcessPoolExecutor(parts)
    with executor or nullcontext():
        shares = None if executor is None or scan is None else _deal(scan.case_ids, parts)

        def report_over(period: Period) -> tuple[Report, Span | None]:
            # The entries of the last report built, which is the one returned.
            if executor is None or shares is None:
                report, span, left = _part(source, catalog, period, clock, granularity,
                                           strict)  # fmt: skip
            else:
                report, span, left = _shared(executor, path, catalog, shares, period, clock,
                                             granularity)  # fmt: skip
            if skipped is not None:
                skipped[:] = [*kept, *left]
            return report.with_skipped(left), span

        if start is not None and end is not None:
            return report_over(Period(start, end))[0]

        def period_of(span: Span) -> Period:
            return Period(start or span[0], end or span[1])

        period = None
        if scan is not None and scan.span is not None:
            try:
                period = period_of(scan.span)
            except TthcFlowError:
                period = None  # a wrong guess (a hand-written line): the cases say
        if period is None:
            exact = _span_of_cases(source, catalog, strict)
            if exact is None:
                raise _no_case(path)
            return report_over(period_of(exact))[0]
        report, read = report_over(period)
        if read is None:
            raise _no_case(path)
        if (start or read[0], end or read[1]) == (period.start, period.end):
            return report
        # The cases read are the same whatever the period: their span is the journal's.
        return report_over(period_of(read))[0]


def _no_case(path: Path) -> InvalidInputError:
    return InvalidInputError(
        f"the journal {str(path)!r} holds no case that can be read, so it has no period.",
        value=str(path),
        hint="Give --from and --to, or a journal with cases.",
    )


def jobs_for(jobs: int | None, lines: int) -> int:
    """The processes to use: ``jobs`` as given, or for None one per
    :data:`AUTO_LINES_PER_JOB` lines, at least one and at most the processors available."""
    if jobs is not None:
        return jobs
    return max(1, min(_available(), lines // AUTO_LINES_PER_JOB))


def _available() -> int:
    """The processors this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)


def picklable(value: object) -> bool:
    """Whether ``value`` (a catalog, a function) can be sent to worker processes (a lambda
    cannot)."""
    try:
        pickle.dumps(value)
    except Exception:  # pickle raises several kinds for what it cannot write
        return False
    return True


def _source(path: Path) -> Path | io.BytesIO:
    if path.is_dir():
        raise unreadable_journal(path, "it is a folder")
    if path.exists() and not path.is_file():
        # A pipe (<(...), /dev/stdin) can be read once: held, to be read twice.
        try:
            return io.BytesIO(path.read_bytes())
        except OSError as error:
            raise unreadable_journal(path, error.strerror or str(error)) from None
    return path


def _again(source: S) -> S:
    """``source`` ready to be read from its start (a held pipe rewound)."""
    if isinstance(source, io.BytesIO):
        source.seek(0)
    return source


def _spanning(
    histories: Iterator[tuple[Procedure, list[Event], str]], span: list[date]
) -> Iterator[tuple[Procedure, list[Event], str]]:
    """The histories as they come, their span gathered into ``span`` on the way."""
    zone = ZoneInfo(DEFAULT_TIMEZONE)
    for history in histories:
        events = history[1]
        received = events[0].at.astimezone(zone).date()
        latest = max(event.at for event in events).astimezone(zone).date()
        if not span:
            span.extend((received, latest))
        else:
            span[0], span[1] = min(span[0], received), max(span[1], latest)
        yield history


def _deal(case_ids: tuple[str, ...], parts: int) -> list[tuple[str, ...]]:
    """The case ids dealt out to ``parts`` processes in turn (a journal in time order puts
    each month's cases into every share)."""
    return [case_ids[number::parts] for number in range(parts)]


def _part(
    source: Path | io.BytesIO | str, catalog: ProcedureSource, period: Period,
    clock: ClockChoice | str, granularity: Granularity | str, strict: bool = False,
    case_ids: tuple[str, ...] | None = None,
) -> tuple[Report, Span | None, list[Skipped]]:  # fmt: skip
    """The report over ``period`` of the journal's cases (those of ``case_ids`` only, when
    given), the span of the cases it read (None when it read none), and what the reader
    skipped; in this process, or in a worker given the journal's path."""
    skipped: list[Skipped] = []
    span: list[date] = []
    histories = read_case_histories(
        _again(source), catalog, strict=strict, skipped=skipped, case_ids=case_ids
    )
    report = build_report_from_events(
        _spanning(histories, span), period, clock=clock, granularity=granularity
    )
    return report, ((span[0], span[1]) if span else None), skipped


def _shared(
    executor: Executor, path: Path, catalog: ProcedureSource,
    shares: list[tuple[str, ...]], period: Period, clock: ClockChoice | str,
    granularity: Granularity | str,
) -> tuple[Report, Span | None, list[Skipped]]:  # fmt: skip
    futures = [
        executor.submit(_part, str(path), catalog, period, clock, granularity, case_ids=share)
        for share in shares
    ]
    results = [future.result() for future in futures]
    report = functools.reduce(operator.add, (result[0] for result in results))
    spans = [result[1] for result in results if result[1] is not None]
    # A line whose case cannot be known is skipped by every process: listed once.
    skipped = list(dict.fromkeys(entry for result in results for entry in result[2]))
    span = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
    return report, span, skipped


def _span_of_cases(
    source: Path | io.BytesIO, catalog: ProcedureSource, strict: bool
) -> Span | None:
    """The span of the journal's readable cases, each read whole (with ``strict``, the first
    line that cannot be read is the error it is)."""
    span: list[date] = []
    histories = read_histories(_again(source), catalog, strict=strict, skipped=[])
    for _ in _spanning(((p, e, "") for p, e in histories), span):
        pass
    return (span[0], span[1]) if span else None


# The case id, "seq" and "at" of a line as write_journal and the stores write them (case id
# first, procedure, version, then the event; its data last), read without parsing the line.
_CASE = re.compile(rb'\{"case_id": ?"([^"\\\x00-\x1f]*)"')
_ZERO = b"0"
# A whole line as write_journal writes it: its case id, then its "seq", then its "at".
_LINE = re.compile(
    rb'^\{"case_id": ?"([^"\\\x00-\x1f]*)"[^\n]*?"seq": ?([0-9]{1,9})[,}][^\n]*?'
    rb'"at": ?"([0-9T:.+\-]{16,40}Z?)"[^\n]*(?:\n|\Z)',
    re.MULTILINE,
)
_SEQ = re.compile(rb'"seq": ?([0-9]{1,9})[,}]')
_AT = re.compile(rb'"at": ?"([0-9T:.+\-]{16,40}Z?)"')


def _scan(source: Path | io.BytesIO) -> _Scan | None:
    """What the lines' text says (:class:`_Scan`): the guessed span is the days of the
    ``seq`` 0 lines' instants (the receipts) and of the latest instant, in the country's
    zone. None when the journal cannot be opened (its reader then says why, in its own
    words); a span of None when a line does not read as expected (the cases are then read
    whole to find it), and no case ids when a line's case cannot be read from its start.

    Blocks of lines all written as :func:`~tthc_flow.journal.write_journal` writes them are
    read with one expression; within them instants are compared as texts, grouped by
    length and offset (ISO 8601 texts of one layout and offset sort as their instants do),
    and only each group's extremes are parsed. Any other block is read line by line."""
    scan = _Scanning()
    _again(source)
    try:
        # A held pipe (BytesIO) stays open: the report reads it again.
        stream = source.open("rb") if isinstance(source, Path) else nullcontext(source)
    except OSError:
        return None
    with stream as binary:
        for data in line_blocks(binary, 1 << 22):
            scan.block(data)
    return scan.result()


class _Scanning:
    """The state of :func:`_scan` while it reads."""

    def __init__(self) -> None:
        # The case ids as written (decoded at the end), in order of first appearance.
        self.ids: dict[bytes, None] | None = {}
        self.guessing = True
        self.count = 0
        # Per (length, offset) of the instants' texts: the earliest receipt and the latest
        # instant, as texts.
        self.firsts: dict[tuple[int, bytes], bytes] = {}
        self.lasts: dict[tuple[int, bytes], bytes] = {}

    def block(self, data: bytes) -> None:
        lines = data.count(b"\n") + (not data.endswith(b"\n"))
        self.count += lines
        found = _LINE.findall(data)
        if len(found) != lines:
            for line in data.splitlines(keepends=True):
                self.line(line)
            return
        if self.ids is not None:
            self.ids.update(dict.fromkeys([case for case, _, _ in found]))
        self._keep(found)

    def line(self, line: bytes) -> None:
        if not line.strip():
            return
        case = _CASE.match(line)
        if case is None:
            self.ids = None
        elif self.ids is not None:
            self.ids.setdefault(case.group(1))
        if not self.guessing:
            return
        seq, at = _SEQ.search(line), _AT.search(line)
        if seq is None or at is None or _instant(at.group(1)) is None:
            self.guessing = False
            return
        self._keep([(b"", seq.group(1), at.group(1))])

    def _keep(self, found: list[tuple[bytes, bytes, bytes]]) -> None:
        """Keep, of these lines' (case id, seq, instant) texts, the earliest receipt (seq 0)
        and the latest instant of each group, if they are the group's so far."""
        firsts, lasts = self.firsts, self.lasts
        for _, seq, at in found:
            key = (len(at), at[-6:])
            if seq == _ZERO:
                known = firsts.get(key)
                if known is None or at < known:
                    firsts[key] = at
            known = lasts.get(key)
            if known is None or at > known:
                lasts[key] = at

    def result(self) -> _Scan:
        span = None
        if self.guessing:
            firsts = [_instant(text) for text in self.firsts.values()]
            lasts = [_instant(text) for text in self.lasts.values()]
            if firsts and lasts and None not in firsts and None not in lasts:
                first = min(i for i in firsts if i is not None)
                last = max(i for i in lasts if i is not None)
                span = (first.date(), last.date())
        try:
            ids = tuple(case.decode("utf-8") for case in self.ids or ())
        except UnicodeDecodeError:
            ids = ()
        return _Scan(span, ids, self.count)


def _instant(text: bytes) -> datetime | None:
    """The instant written, in the country's zone; None for a text that is not one (or one
    that no zone can hold: the reader refuses it, with its reason)."""
    try:
        instant = datetime.fromisoformat(text.decode("ascii"))
        return None if instant.tzinfo is None else instant.astimezone(_ZONE)
    except (ValueError, OverflowError):
        return None


_ZONE = ZoneInfo(DEFAULT_TIMEZONE)

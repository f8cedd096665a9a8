"""``tthc-flow report``: a period's figures from an event journal (JSON Lines).

The output (Markdown, CSV or JSON) ends with the report's data quality; when there is
anything in it, one line on standard error says so too, so that a run whose output goes to a
file still tells the person who ran it how many cases were left out of the figures.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tthc_flow.calendar import DEFAULT_TIMEZONE
from tthc_flow.catalog import Catalog, load_catalog
from tthc_flow.cli._command import Command, parse_day
from tthc_flow.engine import Event, Procedure
from tthc_flow.errors import InvalidInputError
from tthc_flow.journal import ProcedureSource, Skipped, read_case_histories, read_histories
from tthc_flow.reports import (
    ClockChoice,
    Granularity,
    Period,
    Report,
    build_report_from_events,
    to_csv,
    to_json,
    to_markdown,
)
from tthc_flow.store import is_store_url, open_store

__all__ = ["COMMANDS", "quality_summary", "report_journal"]


def _default_catalog() -> Catalog:
    from tthc_flow.samples import sample_catalog

    return sample_catalog()


def report_journal(
    path: Path,
    catalog: ProcedureSource,
    *,
    start: date | None = None,
    end: date | None = None,
    clock: ClockChoice | str = ClockChoice.LEGAL,
    granularity: Granularity | str = Granularity.MONTH,
    strict: bool = False,
) -> Report:
    """The report of the journal at ``path``; a missing ``start`` is the first receipt's day,
    a missing ``end`` the last event's day. The cases the journal reader skips (lines that
    cannot be read whole) are listed in the report's data quality as ``journal_skipped``;
    with ``strict`` the first of them is an error instead."""
    source: Path | io.BytesIO = path
    if path.is_dir():
        raise InvalidInputError(
            f"cannot read the journal {str(path)!r}: it is a folder.",
            value=str(path),
            hint="Give the path of a JSON Lines event journal.",
        )
    if path.exists() and not path.is_file():
        # A pipe (<(...), /dev/stdin) can be read once: held, to be read twice.
        try:
            source = io.BytesIO(path.read_bytes())
        except OSError as error:
            raise InvalidInputError(
                f"cannot read the journal {str(path)!r}: {error.strerror or error}.",
                value=str(path),
                hint="Give the path of a JSON Lines event journal.",
            ) from None
    if start is not None and end is not None:
        return _report(source, catalog, Period(start, end), clock, granularity, strict)[0]
    # The period the journal spans is guessed from the lines' raw text (much cheaper than
    # reading the cases), the report built over it, and the guess checked against the
    # cases the report actually read: a journal written by hand, or a case skipped as
    # unreadable, can make them differ, and the report is then built again over the span
    # of its cases. Nothing but one case's events is held at a time.
    guessed = _span_of_lines(_again(source))
    attempt = guessed if guessed is not None else _span_of_cases(_again(source), catalog)
    for _ in range(2):
        if attempt is None:
            raise InvalidInputError(
                f"the journal {str(path)!r} holds no case that can be read, so it has no "
                "period.",
                value=str(path),
                hint="Give --from and --to, or a journal with cases.",
            )
        period = Period(start or attempt[0], end or attempt[1])
        report, read = _report(_again(source), catalog, period, clock, granularity, strict)
        spanned = (start or read[0], end or read[1]) if read is not None else None
        if spanned == (period.start, period.end):
            return report
        attempt = read
    raise AssertionError("the span of the cases read is stable once read")  # pragma: no cover


def _report(
    source: Path | io.BytesIO, catalog: ProcedureSource, period: Period,
    clock: ClockChoice | str, granularity: Granularity | str, strict: bool,
) -> tuple[Report, tuple[date, date] | None]:  # fmt: skip
    """The report over ``period`` and the span of the cases it read (first receipt's day,
    last event's day, in the country's zone; None when it read none)."""
    skipped: list[Skipped] = []
    zone = ZoneInfo(DEFAULT_TIMEZONE)
    span: list[date] = []

    def spanning(
        histories: Iterator[tuple[Procedure, list[Event], str]],
    ) -> Iterator[tuple[Procedure, list[Event], str]]:
        for history in histories:
            events = history[1]
            received = events[0].at.astimezone(zone).date()
            latest = max(event.at for event in events).astimezone(zone).date()
            if not span:
                span.extend((received, latest))
            else:
                span[0], span[1] = min(span[0], received), max(span[1], latest)
            yield history

    report = build_report_from_events(
        spanning(read_case_histories(source, catalog, strict=strict, skipped=skipped)),
        period, clock=clock, granularity=granularity,
    )  # fmt: skip
    return report.with_skipped(skipped), (span[0], span[1]) if span else None


def _span_of_cases(
    source: Path | io.BytesIO, catalog: ProcedureSource
) -> tuple[date, date] | None:
    """The span of the journal's readable cases, each read whole."""
    zone = ZoneInfo(DEFAULT_TIMEZONE)
    first: date | None = None
    last: date | None = None
    for _, events in read_histories(source, catalog, skipped=[]):
        received = events[0].at.astimezone(zone).date()
        latest = max(event.at for event in events).astimezone(zone).date()
        first = received if first is None or received < first else first
        last = latest if last is None or latest > last else last
    return None if first is None or last is None else (first, last)


# The top-level "seq" and "at" of a line as write_journal and the stores write them (case
# id, procedure, version, then the event; its data last), read without parsing the line.
_SEQ = re.compile(rb'"seq": ?([0-9]{1,9})[,}]')
_AT = re.compile(rb'"at": ?"([0-9T:.+\-]{16,40}Z?)"')


def _span_of_lines(source: Path | io.BytesIO) -> tuple[date, date] | None:
    """A guess at the journal's span from its lines' text: the days of the ``seq`` 0 lines'
    instants (the receipts) and of the latest instant, in the country's zone. None when a
    line does not read as expected (the cases are then read whole instead)."""
    zone = ZoneInfo(DEFAULT_TIMEZONE)
    first: datetime | None = None
    last: datetime | None = None
    try:
        # A held pipe (BytesIO) stays open: the report reads it again.
        stream = source.open("rb") if isinstance(source, Path) else nullcontext(source)
    except OSError:
        return None  # the journal reader says why, in its own words
    with stream as lines:
        for line in lines:
            if not line.strip():
                continue
            seq, at = _SEQ.search(line), _AT.search(line)
            if seq is None or at is None:
                return None
            try:
                instant = datetime.fromisoformat(at.group(1).decode("ascii"))
            except ValueError:
                return None
            if instant.tzinfo is None:
                return None
            if seq.group(1) == b"0" and (first is None or instant < first):
                first = instant
            if last is None or instant > last:
                last = instant
    if first is None or last is None:
        return None
    return first.astimezone(zone).date(), last.astimezone(zone).date()


def report_store(
    url: str,
    catalog: ProcedureSource,
    *,
    start: date | None = None,
    end: date | None = None,
    clock: ClockChoice | str = ClockChoice.LEGAL,
    granularity: Granularity | str = Granularity.MONTH,
) -> Report:
    """The report of every case in the store at ``url``, streamed from it; a missing
    ``start`` is the first receipt's day, a missing ``end`` the last event's day."""
    with open_store(url, catalog=catalog, create=False) as store:
        if start is None or end is None:
            zone = ZoneInfo(DEFAULT_TIMEZONE)
            days = [
                (events[0].at.astimezone(zone).date(),
                 max(e.at for e in events).astimezone(zone).date())
                for _, events, _ in store.histories()
            ]  # fmt: skip
            if not days:
                raise InvalidInputError(
                    f"the store {url!r} holds no case, so it has no period.", value=url,
                    hint="Give --from and --to, or a store with cases.",
                )  # fmt: skip
            start = start or min(first for first, _ in days)
            end = end or max(last for _, last in days)
        return store.report(Period(start, end), clock=clock, granularity=granularity)


def _again(source: Path | io.BytesIO) -> Path | io.BytesIO:
    """``source`` ready to be read from its start."""
    if isinstance(source, io.BytesIO):
        source.seek(0)
    return source


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("journal", metavar="EVENTS.jsonl",
                        help="event journal: one event per line with case_id, procedure, "
                             "version; or a case store, e.g. sqlite:///cases.db or "
                             "postgresql://host/dbname")
    parser.add_argument("--by", choices=("unit", "procedure", "period", "level", "channel"),
                        default="procedure", help="rows of the table (default: procedure)")
    parser.add_argument("--format", choices=("md", "csv", "json"), default="md",
                        help="output format (default: md)")
    parser.add_argument("--from", dest="start", type=parse_day, help="first day, YYYY-MM-DD")
    parser.add_argument("--to", dest="end", type=parse_day, help="last day, YYYY-MM-DD")
    parser.add_argument("--clock", choices=("legal", "indicator"), default="legal",
                        help="legal due dates (default) or the Decision 766 indicator clock")
    parser.add_argument("--granularity", choices=("month", "quarter", "year"), default="month",
                        help="rows of --by period (default: month)")
    parser.add_argument("--strict", action="store_true",
                        help="refuse a journal with a line that cannot be read (default: skip "
                             "the case, and list it in the output's data quality)")
    parser.add_argument("--catalog", metavar="MODULE",
                        help="catalog: a .json file (data), or a .py file, module[:attribute] "
                             "or installed catalog, which is imported and its code run, so "
                             "name only files and modules you trust (default: the sample "
                             "catalog)")  # fmt: skip


def run_report(args: argparse.Namespace, catalog_of: Callable[[str | None], Any]) -> int:
    catalog = catalog_of(args.catalog)
    if is_store_url(args.journal):
        report = report_store(args.journal, catalog, start=args.start, end=args.end,
                              clock=args.clock, granularity=args.granularity)  # fmt: skip
    else:
        report = report_journal(Path(args.journal), catalog, start=args.start, end=args.end,
                                clock=args.clock, granularity=args.granularity,
                                strict=args.strict)  # fmt: skip
    levels = getattr(catalog, "units", None)
    if args.by == "level" and levels is None:
        raise InvalidInputError(
            "this catalog names no units, so rows by level cannot be made.",
            value=args.catalog,
            hint="Use a catalog with units, or another --by.",
        )
    if args.format == "json":
        text = to_json(report, levels)
    elif args.format == "csv":
        text = to_csv(report, args.by, levels)
    else:
        text = to_markdown(report, args.by, levels)
    sys.stdout.write(text)
    summary = quality_summary(report)
    if summary is not None:
        print(f"tthc-flow: {summary}", file=sys.stderr)
    return 0


def quality_summary(report: Report) -> str | None:
    """One line on the report's data quality (None when there is nothing in it): how many
    cases were left out of the figures, and each kind of problem with its count."""
    if not report.data_quality:
        return None
    kinds = ", ".join(f"{flag.kind} {flag.count}" for flag in report.data_quality)
    return (
        f"chất lượng dữ liệu (data quality): {report.total.unverified} case(s) left out of "
        f"the figures; {kinds}. The output's data quality section lists the cases."
    )


def _catalog(spec: str | None) -> Catalog:
    return load_catalog(spec) if spec else _default_catalog()


def _run(args: argparse.Namespace) -> int:
    return run_report(args, _catalog)


COMMANDS = (
    Command(
        "report",
        "early / on time / overdue figures of an event journal, by unit, procedure, level, "
        "channel or period",
        _arguments,
        _run,
    ),
)

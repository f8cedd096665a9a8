"""``tthc-flow report``: a period's figures from an event journal (JSON Lines).

The output (Markdown, CSV or JSON) ends with the report's data quality; when there is
anything in it, one line on standard error says so too, so that a run whose output goes to a
file still tells the person who ran it how many cases were left out of the figures.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tthc_flow.calendar import DEFAULT_TIMEZONE
from tthc_flow.catalog import Catalog, load_catalog
from tthc_flow.cli._command import Command, parse_day
from tthc_flow.cli._journal_report import AUTO_LINES_PER_JOB, picklable, report_journal
from tthc_flow.codec import terminal_lines
from tthc_flow.errors import InvalidInputError
from tthc_flow.journal import ProcedureSource, Skipped
from tthc_flow.reports import (
    ClockChoice,
    Granularity,
    Period,
    Report,
    to_csv,
    to_json,
    to_markdown,
)
from tthc_flow.store import is_store_url, open_store

__all__ = ["COMMANDS", "quality_summary", "report_journal"]


def _default_catalog() -> Catalog:
    from tthc_flow.samples import sample_catalog

    return sample_catalog()


def report_store(
    url: str,
    catalog: ProcedureSource,
    *,
    start: date | None = None,
    end: date | None = None,
    clock: ClockChoice | str = ClockChoice.LEGAL,
    granularity: Granularity | str = Granularity.MONTH,
    jobs: int | None = None,
    catalog_factory: Callable[[], Any] | None = None,
) -> Report:
    """The report of every case in the store at ``url``, streamed from it; a missing
    ``start`` is the first receipt's day, a missing ``end`` the last event's day. With
    ``jobs`` above 1 and a ``catalog_factory`` (a picklable function returning the
    catalog), that many worker processes each open the store and report a share of its
    cases (:meth:`~tthc_flow.store.Store.report`); the report is the same. A store's cases
    are not counted before the work is shared, so without ``jobs`` one process reports."""
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
        period = Period(start, end)
        if jobs is None or jobs < 2 or catalog_factory is None or not picklable(catalog_factory):
            return store.report(period, clock=clock, granularity=granularity)
        with ProcessPoolExecutor(jobs) as executor:
            return store.report(period, clock=clock, granularity=granularity,
                                executor=executor, parts=jobs,
                                catalog_factory=catalog_factory)  # fmt: skip


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
    parser.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                        help="processes that read and report the cases (a journal: by "
                             f"default one per {AUTO_LINES_PER_JOB:,} lines, up to the "
                             "processors available; a store: one unless given); the report "
                             "is the same whatever the number")
    parser.add_argument("--strict", action="store_true",
                        help="refuse a journal with a line that cannot be read (default: skip "
                             "the case, and list it in the output's data quality)")
    parser.add_argument("--catalog", metavar="MODULE",
                        help="catalog: a .json file (data), or a .py file, module[:attribute] "
                             "or installed catalog, which is imported and its code run, so "
                             "name only files and modules you trust (default: the sample "
                             "catalog)")  # fmt: skip


def _jobs(text: str) -> int:
    value = text.strip()
    if not (value.isascii() and value.isdigit() and 1 <= len(value) <= 4 and int(value) >= 1):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes from 1 to 9999")
    return int(value)


def run_report(args: argparse.Namespace, catalog_of: Callable[[str | None], Any]) -> int:
    catalog = catalog_of(args.catalog)
    skipped: list[Skipped] = []
    if is_store_url(args.journal):
        report = report_store(args.journal, catalog, start=args.start, end=args.end,
                              clock=args.clock, granularity=args.granularity,
                              jobs=args.jobs,
                              catalog_factory=partial(catalog_of, args.catalog))  # fmt: skip
    else:
        report = report_journal(Path(args.journal), catalog, start=args.start, end=args.end,
                                clock=args.clock, granularity=args.granularity,
                                strict=args.strict, jobs=args.jobs,
                                skipped=skipped)  # fmt: skip
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
    # Why each case was left out of the journal's reading (the report lists the ids only).
    for entry in skipped[:SKIPS_SHOWN]:
        print(f"tthc-flow: {terminal_lines(str(entry))}", file=sys.stderr)
    if len(skipped) > SKIPS_SHOWN:
        print(f"tthc-flow: … and {len(skipped) - SKIPS_SHOWN} more skipped (--strict stops at "
              "the first)", file=sys.stderr)  # fmt: skip
    return 0


#: How many skipped cases ``report`` explains on standard error.
SKIPS_SHOWN = 20


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

"""``tthc-flow slip``: the process control slip (phiếu kiểm soát quá trình giải quyết hồ sơ) of
one case of an event journal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

from tthc_flow.cli.catalog_commands import catalog_argument, chosen_catalog
from tthc_flow.cli.commands import Command, parse_instant
from tthc_flow.codec import terminal_lines
from tthc_flow.engine import Case
from tthc_flow.errors import InvalidInputError
from tthc_flow.forms import control_slip, render_html, render_text
from tthc_flow.journal import Skipped, read_journal
from tthc_flow.store import is_store_url, open_store

__all__ = ["COMMANDS", "find_case"]


def _slip_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "events",
        metavar="EVENTS.jsonl",
        help="event journal, JSON Lines (one event per line with case_id, procedure, version); "
        "'-' reads standard input; or a case store, e.g. sqlite:///cases.db or "
        "postgresql://host/dbname",
    )
    parser.add_argument("case_id", metavar="CASE_ID", help="the case whose slip is printed")
    parser.add_argument(
        "--format", choices=("text", "html"), default="text", help="output format (text)"
    )
    parser.add_argument(
        "--at", help="print the slip as it stood at this instant (ISO 8601 with an offset)"
    )
    parser.add_argument(
        "--strict", action="store_true",
        help="fail on the first unreadable line of the case instead of reporting it",
    )  # fmt: skip
    catalog_argument(parser)


def find_case(cases: Iterable[Case] | Mapping[str, Case], case_id: str) -> Case:
    """The case ``case_id`` among ``cases`` (an iterable of cases, or a mapping of case ids to
    cases). A missing case raises :class:`~tthc_flow.errors.InvalidInputError` naming the ones
    present."""
    found = list(cases.values()) if isinstance(cases, Mapping) else list(cases)
    for case in found:
        if case.case_id == case_id:
            return case
    ids = sorted(c.case_id for c in found)
    shown = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
    raise InvalidInputError(
        f"the journal has no case {case_id!r}; it holds {len(ids)} case(s)"
        + (f": {shown}." if ids else "."),
        value=case_id,
        hint="Check the case id (it is the 'case_id' of each line).",
    )


def _run_slip(args: argparse.Namespace) -> int:
    at = parse_instant(args.at, argument="--at") if args.at else None
    catalog = chosen_catalog(args)
    if is_store_url(args.events):
        with open_store(args.events, catalog=catalog, create=False) as store:
            case = store.load(args.case_id)
        form = control_slip(case, at=at)
        sys.stdout.write(render_html(form) if args.format == "html" else render_text(form))
        return 0
    skipped: list[Skipped] = []
    # Only the lines of the case asked for are read in full: a slip does not replay the
    # journal, and a bad line of another case does not block it.
    source: IO[str] | Path = sys.stdin if args.events == "-" else Path(args.events)
    cases = read_journal(
        source, catalog, case_ids=[args.case_id], skipped=skipped, strict=args.strict
    )
    found = list(cases)
    for entry in skipped:
        sys.stderr.write(f"tthc-flow slip: {terminal_lines(str(entry))}\n")
    if not found:
        why = f" (it was skipped: {skipped[-1].reason})" if any(
            entry.case_id == args.case_id for entry in skipped) else ""  # fmt: skip
        raise InvalidInputError(
            f"the journal has no readable case {args.case_id!r}{why}.",
            value=args.case_id,
            hint="Check the case id (it is the 'case_id' of each line).",
        )
    form = control_slip(found[0], at=at)
    sys.stdout.write(render_html(form) if args.format == "html" else render_text(form))
    return 0


COMMANDS = (
    Command(
        "slip",
        "process control slip of a case: one row per handover, early / on time / overdue",
        _slip_arguments,
        _run_slip,
    ),
)

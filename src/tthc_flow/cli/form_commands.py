"""``tthc-flow slip``: the process control slip (phiếu kiểm soát quá trình giải quyết hồ sơ) of
one case of an event journal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from tthc_flow.cli.catalog_commands import catalog_argument, chosen_catalog
from tthc_flow.cli.commands import Command, parse_instant
from tthc_flow.engine import Case
from tthc_flow.errors import InvalidInputError
from tthc_flow.forms import control_slip, render_html, render_text
from tthc_flow.journal import read_journal

__all__ = ["COMMANDS", "find_case"]


def _slip_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "events",
        metavar="EVENTS.jsonl",
        help="event journal, JSON Lines (one event per line with case_id, procedure, version); "
        "'-' reads standard input",
    )
    parser.add_argument("case_id", metavar="CASE_ID", help="the case whose slip is printed")
    parser.add_argument(
        "--format", choices=("text", "html"), default="text", help="output format (text)"
    )
    parser.add_argument(
        "--at", help="print the slip as it stood at this instant (ISO 8601 with an offset)"
    )
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
    if args.events == "-":
        case = find_case(read_journal(sys.stdin, catalog), args.case_id)
    else:
        path = Path(args.events)
        try:
            stream = path.open(encoding="utf-8")
        except OSError as error:
            raise InvalidInputError(
                f"cannot read {path}: {error.strerror}.",
                value=str(path),
                hint="Give the path of an events file (JSON Lines).",
            ) from None
        with stream:  # the journal is read lazily: find the case before closing the file
            case = find_case(read_journal(stream, catalog), args.case_id)
    form = control_slip(case, at=at)
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

"""``tthc-flow store``: create or migrate a case store, verify its hash chain, list the cases
due soon, and move cases between a store and a JSON Lines journal."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta, timezone
from typing import Any, BinaryIO

from tthc_flow.cli._catalog_commands import catalog_argument, chosen_catalog
from tthc_flow.cli._command import Command, parse_instant
from tthc_flow.errors import InvalidInputError
from tthc_flow.journal import read_stamped_journal, unreadable_journal
from tthc_flow.store import Store, open_store
from tthc_flow.store._base import DUE_COLUMNS

__all__ = ["COMMANDS"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    init = actions.add_parser("init", help="create the store's schema, or migrate it")
    verify = actions.add_parser(
        "verify", help="check every event's hash, the chain of cases and the rows the "
                       "queries read; exit 1 when broken"
    )  # fmt: skip
    verify.add_argument("--head", help="the head exported earlier: also catch cases "
                                       "deleted from the end")  # fmt: skip
    verify.add_argument("--hashes-only", action="store_true",
                        help="check the hashes and the chain only, not the rows the queries "
                             "read (which replays every case: slower)")  # fmt: skip
    due = actions.add_parser("due", help="unfinished cases due within some working time, or "
                                         "already overdue")  # fmt: skip
    due.add_argument("--within", default="8h",
                     help="working time: 8h, 30m or 2d (days of 8 working hours); default 8h")
    due.add_argument("--at", help="from this instant (ISO 8601 with an offset; default now)")
    due.add_argument("--clock", choices=tuple(DUE_COLUMNS), default="legal",
                     help="legal (the published time limit, default), indicator (Decision "
                          "766) or step (the steps the case is at)")  # fmt: skip
    importing = actions.add_parser(
        "import", help="store every case of a JSON Lines journal; events whose lines carry "
                       "recorded_at and entry (an export) keep them, the others are marked "
                       "imported"
    )  # fmt: skip
    importing.add_argument("journal", help="the journal file")
    exporting = actions.add_parser(
        "export", help="write every stored case as JSON Lines, each event with when the "
                       "store recorded it and how it was entered (recorded_at, entry)"
    )  # fmt: skip
    for sub in (init, verify, due, importing, exporting):
        sub.add_argument("url", help="the store, e.g. sqlite:///cases.db or "
                                        "postgresql://user:password@host/dbname")  # fmt: skip
        catalog_argument(sub)


def _working(text: str) -> timedelta:
    units = {"m": 1, "h": 60, "d": 480}
    number, unit = text[:-1], text[-1:]
    if unit not in units or not number.isascii() or not number.isdigit() or len(number) > 6:
        raise InvalidInputError(
            f"--within {text!r} is not a working time.", value=text,
            hint="Write e.g. --within 8h, 30m or 2d.",
        )  # fmt: skip
    return timedelta(minutes=int(number) * units[unit])


def _run(args: argparse.Namespace) -> int:
    catalog = chosen_catalog(args)
    action = args.action
    if action != "import":
        return _act(args, open_store(args.url, catalog=catalog, create=action == "init"), None)
    # The journal is opened before the store: a journal that cannot be read creates no store.
    with _opened_journal(args.journal) as journal:
        return _act(args, open_store(args.url, catalog=catalog, create=True), journal)


def _opened_journal(path: str) -> BinaryIO:
    """The journal at ``path`` opened to be read, or the error ``report`` gives for a
    journal it cannot read (a missing file, a folder)."""
    try:
        return open(path, "rb")
    except OSError as error:
        raise unreadable_journal(path, error.strerror or str(error)) from None


def _act(args: argparse.Namespace, store: Store, journal: BinaryIO | None) -> int:
    """Carry out ``args.action`` on the open ``store`` (closed when done); ``journal``: the
    journal an import reads, already open."""
    action = args.action
    with store:
        if action == "init":
            print(f"{store.shown_url}: schema version {store.init()}, {len(store)} case(s)")
            return 0
        if action == "verify":
            found = store.verify(head=args.head, projections=not args.hashes_only)
            print(found)
            return 0 if found.ok else 1
        if action == "due":
            at = parse_instant(args.at, "--at") if args.at else datetime.now(timezone.utc)
            for case_id, due in store.due_within(at, _working(args.within), clock=args.clock):
                local = due.astimezone(store.calendar.tz)
                late = " (quá hạn, overdue)" if due < at else ""
                print(f"{case_id}\t{local:%d/%m/%Y %H:%M}{late}")
            return 0
        if action == "import":
            assert journal is not None
            # Each event as the journal says its source store recorded it, when it does.
            count = store.import_cases(
                read_stamped_journal(journal, store.catalog, strict=True)
            )
            print(f"{count} case(s) stored in {store.shown_url}")
            return 0
        store.export(sys.stdout)
        return 0


COMMANDS: tuple[Any, ...] = (
    Command(
        "store",
        "a durable case store: init, verify its hash chain, list cases due soon, import or "
        "export a journal",
        _arguments,
        _run,
    ),
)

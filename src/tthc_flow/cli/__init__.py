"""The ``tthc-flow`` command line.

Each module of this package that defines ``COMMANDS`` (a tuple of
:class:`~tthc_flow.cli._commands.Command`) contributes its sub-commands; :data:`MODULES` lists
them in the order ``--help`` shows them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterator, Sequence

from tthc_flow.cli._commands import Command
from tthc_flow.codec import terminal_lines
from tthc_flow.errors import TthcFlowError

__all__ = ["MODULES", "build_parser", "main"]

# Modules that may not exist in a given build are skipped, not an error: the command line
# offers what the installed library has.
MODULES = (
    "tthc_flow.cli._commands",
    "tthc_flow.cli._catalog_commands",
    "tthc_flow.cli._report_commands",
    "tthc_flow.cli._form_commands",
    "tthc_flow.cli._store_commands",
)


def _commands() -> Iterator[Command]:
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        yield from module.COMMANDS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tthc-flow",
        description=(
            "Vietnamese administrative procedures (thủ tục hành chính): working-day calendars, "
            "catalogs, cases, due dates and their reasons."
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in _commands():
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except TthcFlowError as error:
        # The message may quote data (a case id, a line of a journal): escaped, so that it
        # cannot move the cursor or forge lines on the terminal.
        print(f"tthc-flow: error: {terminal_lines(str(error))}", file=sys.stderr)
        return 2

"""The ``tthc-flow`` command line.

Each module of this package that defines ``COMMANDS`` (a tuple of
:class:`~tthc_flow.cli._commands.Command`) contributes its sub-commands; :data:`MODULES` lists
them in the order ``--help`` shows them.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Iterator, Sequence

from tthc_flow.cli._command import Command
from tthc_flow.codec import terminal_lines
from tthc_flow.errors import TthcFlowError

__all__ = ["COMMAND_MODULES", "MODULES", "build_parser", "main"]

# Modules that may not exist in a given build are skipped, not an error: the command line
# offers what the installed library has.
MODULES = (
    "tthc_flow.cli._commands",
    "tthc_flow.cli._catalog_commands",
    "tthc_flow.cli._report_commands",
    "tthc_flow.cli._form_commands",
    "tthc_flow.cli._store_commands",
)


def _every_command() -> Iterator[Command]:
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        yield from module.COMMANDS


# Which module defines each command, so that running one imports only its module (the
# demo's simulation and the reports are not loaded to answer ``tthc-flow due``). A test
# checks this against the modules' COMMANDS; ``--help`` and unknown words load them all.
COMMAND_MODULES = {
    **dict.fromkeys(("demo", "calendar", "due", "explain", "schema"), "tthc_flow.cli._commands"),
    **dict.fromkeys(("check", "show", "diagram"), "tthc_flow.cli._catalog_commands"),
    "report": "tthc_flow.cli._report_commands",
    **dict.fromkeys(("slip", "form"), "tthc_flow.cli._form_commands"),
    "store": "tthc_flow.cli._store_commands",
}


def _command_named(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` (its first argument, when it names a command)."""
    return argv[0] if argv and argv[0] in COMMAND_MODULES else None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of ``command`` alone (importing only its module)."""
    parser = argparse.ArgumentParser(
        prog="tthc-flow",
        description=(
            "Vietnamese administrative procedures (thủ tục hành chính): working-day calendars, "
            "catalogs, cases, due dates and their reasons."
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands = (
        _every_command()
        if command is None
        else (c for c in _module_commands(COMMAND_MODULES[command]) if c.name == command)
    )
    for found in commands:
        found.register(sub)
    return parser


def _module_commands(name: str) -> tuple[Command, ...]:
    commands: tuple[Command, ...] = importlib.import_module(name).COMMANDS
    return commands


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_named(argv))
    args = parser.parse_args(argv)
    try:
        # National days computed by one command are kept for the next (a one-line answer
        # would otherwise spend most of its time importing and reckoning them).
        from tthc_flow.calendar._stored_days import cache_directory, stored_days

        with stored_days(cache_directory()):
            status = int(args.run(args))
        # Written out here, where a reader gone away is caught, not at the interpreter's
        # exit.
        sys.stdout.flush()
        return status
    except TthcFlowError as error:
        # The message may quote data (a case id, a line of a journal): escaped, so that it
        # cannot move the cursor or forge lines on the terminal.
        print(f"tthc-flow: error: {terminal_lines(str(error))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader of the output went away (``| head``): what it did not read is not
        # needed. Python's own advice: point stdout at nothing so that the exit flushes
        # nothing into the closed pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1

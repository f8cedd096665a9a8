"""The ``tthc-flow`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tthc_flow.cli.commands import COMMANDS
from tthc_flow.errors import TthcFlowError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tthc-flow",
        description=(
            "Vietnamese administrative procedures (thủ tục hành chính): working-day calendars, "
            "due dates and their reasons."
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except TthcFlowError as error:
        print(f"tthc-flow: error: {error}", file=sys.stderr)
        return 2

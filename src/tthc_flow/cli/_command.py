"""A command of the ``tthc-flow`` command line, and the readers of dates and instants that
every command shares. Light on purpose: running one command imports only its own module.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import attrs

from tthc_flow.errors import InvalidInputError, NaiveDatetimeError

__all__ = ["Command", "parse_day", "parse_instant"]

# The form nearly every instant on a command line takes (2025-04-25T16:00+07:00), which the
# standard library reads exactly as dateutil does; dateutil's parser (slow to import) reads
# every other ISO 8601 form.
_COMMON_FORM = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{6})?)?"
    r"[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]"
)


def _isoparse(text: str) -> datetime:
    from dateutil.parser import isoparse

    value: datetime = isoparse(text)
    return value


@attrs.frozen
class Command:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]

    def register(self, sub: Any) -> None:
        parser = sub.add_parser(self.name, help=self.help, description=self.help)
        self.add_arguments(parser)
        parser.set_defaults(run=self.run)


def parse_instant(text: str, argument: str = "--from") -> datetime:
    """An aware instant from ISO 8601 text with an offset; a naive one is refused."""
    try:
        value: datetime = (
            datetime.fromisoformat(text) if _COMMON_FORM.fullmatch(text) else _isoparse(text)
        )
    except ValueError:
        raise InvalidInputError(
            f"cannot read {text!r} as a date and time.",
            value=text,
            hint="Write it in ISO 8601 with an offset, e.g. '2025-04-25T16:00+07:00'.",
        ) from None
    if value.tzinfo is None:
        raise NaiveDatetimeError(text, argument=argument)
    return value


def parse_day(text: str) -> date:
    """A date ``YYYY-MM-DD`` for argparse (its error becomes a usage message)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"cannot read {text!r} as a date; write YYYY-MM-DD, e.g. 2026-01-31."
        ) from None

"""Checks of the arguments the engine's public functions take (a procedure, a calendar, a
history), each a typed :class:`~tthc_flow.errors.TthcFlowError` naming the argument and how
to fix it, so a wrong argument never surfaces as an ``AttributeError`` deep in a fold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tthc_flow.calendar import WorkingCalendar, vietnam_calendar
from tthc_flow.engine._definitions import Procedure
from tthc_flow.engine._events import Event, EventKind
from tthc_flow.errors import EventFormatError, InvalidInputError

__all__ = ["a_calendar", "a_history", "a_procedure"]


def a_procedure(value: Any, argument: str = "procedure") -> Procedure:
    if not isinstance(value, Procedure):
        raise InvalidInputError(
            f"{argument} must be a Procedure, got {type(value).__name__} {value!r:.60}.",
            value=value,
            hint="Pass a procedure version, e.g. catalog.version(code, version).",
        )
    return value


def a_calendar(value: Any, argument: str = "calendar") -> WorkingCalendar:
    """``value``, or the Vietnamese calendar for None."""
    if value is None:
        return vietnam_calendar()
    if not isinstance(value, WorkingCalendar):
        raise InvalidInputError(
            f"{argument} must be a WorkingCalendar, got {type(value).__name__} "
            f"{value!r:.60}.",
            value=value,
            hint="Pass vietnam_calendar() (the default) or a calendar you built.",
        )
    return value


def a_history(value: Any, argument: str = "events") -> Sequence[Event]:
    """A case's events, receipt first: a sequence of :class:`~tthc_flow.engine.Event` (an
    iterable is read into a list; one event, a text or a mapping is refused)."""
    if isinstance(value, (str, bytes, Mapping, Event)) or not isinstance(value, Iterable):
        raise EventFormatError(
            f"{argument} must be a sequence of Event values, got {type(value).__name__} "
            f"{value!r:.60}."
        )
    events = value if isinstance(value, (list, tuple)) else list(value)
    for index, event in enumerate(events):
        if type(event) is not Event and not isinstance(event, Event):
            raise EventFormatError(
                f"{argument}[{index}] is a {type(event).__name__} ({event!r:.60}), not an Event; "
                "read JSON with Event.from_json."
            )
    if not events or events[0].kind is not EventKind.RECEIVED:
        raise EventFormatError("a case's events start with its receipt ('received').")
    return events

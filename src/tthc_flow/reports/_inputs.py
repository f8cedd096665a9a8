"""Checks of what the report functions are given: each wrong argument is an
:class:`~tthc_flow.errors.InvalidInputError` naming the function, the argument and how to
fix it, never a ``TypeError`` or ``AttributeError`` from deep inside."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import tzinfo
from typing import Any

from tthc_flow._validators import shown
from tthc_flow.engine import Case, Event, Procedure
from tthc_flow.errors import InvalidInputError

__all__ = ["case_of", "history_of", "items_of", "period_of", "tz_of"]


def _shown(value: Any) -> str:
    return f"{type(value).__name__} {shown(value, 80)}"


def items_of(value: Any, where: str, argument: str, of: str, hint: str) -> Iterator[Any]:
    """An iterator over ``value``: any iterable but a text, bytes or a mapping (whose
    iteration gives its keys, or characters: never what was meant)."""
    if value is None or isinstance(value, (str, bytes, bytearray, Mapping)):
        raise InvalidInputError(
            f"{where}: {argument} must be an iterable of {of}, got {_shown(value)}.",
            value=value,
            hint=hint,
        )
    try:
        return iter(value)
    except TypeError:
        raise InvalidInputError(
            f"{where}: {argument} must be an iterable of {of}, got {_shown(value)}.",
            value=value,
            hint=hint,
        ) from None


def case_of(value: Any, where: str, index: int) -> Case:
    """``value`` if it is a :class:`~tthc_flow.engine.Case`."""
    if not isinstance(value, Case):
        raise InvalidInputError(
            f"{where}: cases[{index}] must be a Case, got {_shown(value)}.",
            value=value,
            hint="Pass Case values (Case.open, Case.from_events, catalog.open_case); for "
            "(procedure, events) pairs use build_report_from_events.",
        )
    return value


_PAIR_HINT = (
    "Pass (procedure, events) pairs, e.g. from tthc_flow.journal.read_histories, where "
    "events is a list of Event starting with the receipt."
)


def history_of(
    value: Any, where: str, index: int
) -> tuple[Procedure, Sequence[Event], str | None]:
    """``value`` as a ``(procedure, events)`` pair, or a ``(procedure, events, case_id)``
    triple (a journal's case id, for receipts that do not carry it): a Procedure, a
    non-empty list or tuple (the events themselves are checked as they are read) and a
    text."""
    if not isinstance(value, (tuple, list)) or len(value) not in (2, 3):
        raise InvalidInputError(
            f"{where}: histories[{index}] must be a (procedure, events) pair, got "
            f"{_shown(value)}.",
            value=value,
            hint=_PAIR_HINT,
        )
    procedure, events = value[0], value[1]
    case_id = value[2] if len(value) == 3 else None
    if case_id is not None and not isinstance(case_id, str):
        raise InvalidInputError(
            f"{where}: histories[{index}][2] must be the case id (a text), got "
            f"{_shown(case_id)}.",
            value=case_id,
            hint=_PAIR_HINT,
        )
    if not isinstance(procedure, Procedure):
        raise InvalidInputError(
            f"{where}: histories[{index}][0] must be a Procedure, got {_shown(procedure)}.",
            value=procedure,
            hint=_PAIR_HINT,
        )
    if not isinstance(events, Sequence) or isinstance(events, (str, bytes, bytearray)):
        raise InvalidInputError(
            f"{where}: histories[{index}][1] must be a list or tuple of Event, got "
            f"{_shown(events)}.",
            value=events,
            hint=_PAIR_HINT,
        )
    if not events:
        raise InvalidInputError(
            f"{where}: histories[{index}] is an empty history of {procedure.code}.",
            value=events,
            hint="A case's events start with its receipt ('received').",
        )
    return procedure, events, case_id


def period_of(value: Any, where: str, *, optional: bool = False) -> Any:
    """``value`` if it is a :class:`~tthc_flow.reports.Period` (or None when
    ``optional``)."""
    from tthc_flow.reports._period import Period

    if (optional and value is None) or isinstance(value, Period):
        return value
    raise InvalidInputError(
        f"{where}: period must be a Period, got {_shown(value)}.",
        value=value,
        hint="Write e.g. Period(date(2026, 1, 1), date(2026, 3, 31)), Period.month(2026, 3) "
        "or Period.year(2026).",
    )


def tz_of(value: Any, where: str) -> tzinfo | None:
    """``value`` if it is None or a time zone."""
    if value is None or isinstance(value, tzinfo):
        return value
    raise InvalidInputError(
        f"{where}: tz must be a time zone (tzinfo) or None, got {_shown(value)}.",
        value=value,
        hint="Write e.g. tz=ZoneInfo('Asia/Ho_Chi_Minh').",
    )

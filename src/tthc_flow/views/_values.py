"""JSON values from the library's values: instants, durations, enums, anything offending.

Instants are ISO 8601 with their offset (``2026-03-02T09:00:00+07:00``), days ISO dates,
durations ISO 8601 durations in hours, minutes and seconds, exact to the microsecond
(``PT80H``, ``-PT3H15M``, ``PT0.000001S``: working time has no "day" of fixed length, so no
``D`` part), enums their stable code (the member's name in lower case) with the
Vietnamese-and-English label beside it where a view shows one. An integer beyond
:data:`~tthc_flow.codec.MAX_INTEGER` (2**53 - 1) is given as text: a JSON reader would round
it to a float (or, past 4,300 digits, Python could not write it at all).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

from tthc_flow._validators import shown
from tthc_flow.codec._strict_json import MAX_DEPTH, MAX_INTEGER
from tthc_flow.errors import InvalidInputError

__all__ = ["code_of", "iso_duration", "json_value", "label_of"]

_SHOWN = 200  # characters of an offending value's repr a view keeps


def iso_duration(value: timedelta) -> str:
    """``value`` as an ISO 8601 duration of hours, minutes and seconds, exact."""
    if not isinstance(value, timedelta):
        raise InvalidInputError(
            f"iso_duration takes a timedelta, got {type(value).__name__} {shown(value)}.",
            value=value,
            hint="Pass e.g. timedelta(hours=80), or a clock reading's remaining time.",
        )
    sign = "-" if value < timedelta(0) else ""
    micro = abs(value) // timedelta(microseconds=1)
    seconds, micro = divmod(micro, 1_000_000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else ""]
    if seconds or micro:
        fraction = f".{micro:06d}".rstrip("0") if micro else ""
        parts.append(f"{seconds}{fraction}S")
    body = "".join(parts) or "0S"
    return f"{sign}PT{body}"


def code_of(member: enum.Enum) -> str:
    """An enum member's stable code: its value when that is already a code (``EventKind``),
    else its name in lower case (``Phase.PROCESSING`` → ``processing``)."""
    value = member.value
    if isinstance(value, str) and value.isidentifier() and value.isascii():
        return value
    return member.name.lower()


def label_of(member: enum.Enum) -> str:
    """What a person reads for an enum member (its ``label``, else its value)."""
    label = getattr(member, "label", None)
    return label if isinstance(label, str) else str(member.value)


def json_value(value: Any) -> Any:
    """Any value as JSON: the types above converted, mappings and sequences walked, a value
    with ``to_json()`` asked for it, and anything else (the offending value of an error can
    be anything a caller passed) given as its ``repr``, cut to 200 characters, so a view is
    always valid JSON and never hides that something was there.

    An int beyond :data:`~tthc_flow.codec.MAX_INTEGER` is given as text, as any offending
    value (its digits; an int of thousands of digits by its size); a container met again
    inside itself, or nested deeper than :data:`~tthc_flow.codec.MAX_DEPTH` levels, as a
    short text saying so. Keys are texts: a key that is not one is given as its ``str``, or,
    when a text key already has that name, as its ``repr`` (marked ``'`` until unique)."""
    return _json(value, (), 0)


def _json(value: Any, path: tuple[int, ...], depth: int) -> Any:
    # ``path`` holds the ids of the containers being walked, to see a cycle; ``depth`` also
    # counts to_json() calls, so a to_json() that returns its own object stops too.
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value) if -MAX_INTEGER <= value <= MAX_INTEGER else _shown(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return iso_duration(value)
    if isinstance(value, enum.Enum):
        return code_of(value)
    if isinstance(value, Fraction):
        return _text(value)
    if depth >= MAX_DEPTH:
        return f"<{type(value).__name__} nested deeper than {MAX_DEPTH} levels>"
    if id(value) in path:
        return f"<{type(value).__name__} that contains itself>"
    inner = (*path, id(value))
    to_json = getattr(value, "to_json", None)
    if callable(to_json) and not isinstance(value, type):
        try:
            return _json(to_json(), inner, depth + 1)
        except Exception:  # a foreign to_json that needs arguments or fails: show the value
            return _shown(value)
    if isinstance(value, Mapping):
        return _object(value, inner, depth + 1)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=shown) if isinstance(value, (set, frozenset)) else value
        return [_json(item, inner, depth + 1) for item in items]
    return _shown(value)


def _object(value: Mapping[Any, Any], path: tuple[int, ...], depth: int) -> dict[str, Any]:
    # Text keys are placed first, so {1: "a", "1": "b"} keeps "1": "b" and gives the int
    # key its repr only when its text is taken: a view never drops an entry.
    pairs = list(value.items())
    result = {key: _json(item, path, depth) for key, item in pairs if isinstance(key, str)}
    for key, item in pairs:
        if not isinstance(key, str):
            name = _text(key)
            if name in result:
                name = _shown(key)
            while name in result:  # keys of one repr (objects of a class without their own)
                name += "'"
            result[name] = _json(item, path, depth)
    return result


def _text(value: Any) -> str:
    try:
        text = str(value)
    except Exception:  # an int past 4,300 digits, or a __str__ that fails
        return _shown(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _shown(value: Any) -> str:
    return shown(value, _SHOWN)

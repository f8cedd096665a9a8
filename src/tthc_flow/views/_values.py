"""JSON values from the library's values: instants, durations, enums, anything offending.

Instants are ISO 8601 with their offset (``2026-03-02T09:00:00+07:00``), days ISO dates,
durations ISO 8601 durations in hours, minutes and seconds, exact to the microsecond
(``PT80H``, ``-PT3H15M``, ``PT0.000001S``: working time has no "day" of fixed length, so no
``D`` part), enums their stable code (the member's name in lower case) with the
Vietnamese-and-English label beside it where a view shows one.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

__all__ = ["code_of", "iso_duration", "json_value", "label_of"]

_SHOWN = 200  # characters of an offending value's repr a view keeps


def iso_duration(value: timedelta) -> str:
    """``value`` as an ISO 8601 duration of hours, minutes and seconds, exact."""
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
    always valid JSON and never hides that something was there."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
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
        return str(value)
    to_json = getattr(value, "to_json", None)
    if callable(to_json) and not isinstance(value, type):
        try:
            return json_value(to_json())
        except Exception:  # a foreign to_json that needs arguments or fails: show the value
            return _shown(value)
    if isinstance(value, Mapping):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [json_value(item) for item in items]
    return _shown(value)


def _shown(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:  # a repr that fails is still something that was passed
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"

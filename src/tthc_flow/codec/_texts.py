"""Texts at the boundary: a text is a ``str`` (not a number, not ``None`` written as
``"None"``) that survives any round trip, so it holds no lone surrogate (which UTF-8 cannot
encode) and no control character (which terminals and line-based files misread); tab and
line breaks are allowed in free text only. Names (units, actors, roles) are normalised to
Unicode NFC, as budgets already are, so "Phòng" typed on two keyboards is one unit."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any, TypeGuard

from tthc_flow._validators import shown
from tthc_flow.errors import InvalidInputError, TthcFlowError

__all__ = [
    "MAX_CASE_ID",
    "MAX_COMMAND_ID",
    "check_case_id",
    "check_text",
    "name_text",
    "plain_name",
    "texts",
]

# Allowed in free text (a reason, a note): they survive JSON and are what people type.
_FREE_CONTROLS = frozenset("\t\n\r\u2028\u2029")

ErrorFactory = Callable[[str, str], TthcFlowError]


def _input_error(field: str, message: str) -> TthcFlowError:
    return InvalidInputError(f"{field}: {message}", value=None)


def bad_character(value: str, *, free: bool) -> str | None:
    """A description of the first character ``value`` may not hold, or None."""
    if value.isprintable():  # the common case, decided in C
        return None
    for index, char in enumerate(value):
        if char.isprintable() or (free and char in _FREE_CONTROLS):
            continue
        category = unicodedata.category(char)
        if category == "Cs":
            return f"a lone surrogate U+{ord(char):04X} at position {index}"
        if category == "Cc":
            return f"the control character U+{ord(char):04X} at position {index}"
        if char in "\u2028\u2029" and not free:
            # Not control characters, but line breaks to many line-based readers: no name
            # holds one. Free text may (JSON Lines written here end lines with \n only).
            return f"the line separator U+{ord(char):04X} at position {index}"
    return None


def check_text(
    value: Any, field: str, *, free: bool = False, error: ErrorFactory = _input_error
) -> str:
    """``value`` if it is a ``str`` with no lone surrogate and no control character (tab and
    line breaks allowed when ``free``); else the error ``error(field, message)``. The empty
    text is a text."""
    if not isinstance(value, str):
        raise error(
            field,
            f"must be a text (str), got {type(value).__name__} {shown(value, 60)}. Write it as a "
            'JSON string, e.g. "Phòng Tư pháp".',
        )
    text: str = value if type(value) is str else str.__str__(value)
    bad = bad_character(text, free=free)
    if bad is not None:
        raise error(
            field,
            f"holds {bad}, which cannot be written to a file or shown safely. Remove it or "
            "replace it with the character meant.",
        )
    return text


#: The longest case id (mã hồ sơ), in characters, that a store or a journal takes: one limit
#: on every backend (PostgreSQL indexes the id with other columns, and an index entry has a
#: size limit SQLite lacks; 256 characters of UTF-8 stay well within it). Dossier codes are
#: a few dozen characters.
MAX_CASE_ID = 256
#: The longest command id (idempotency key) an event carries: a store indexes it, and a
#: database index takes a bounded key (PostgreSQL's about 2,700 bytes).
MAX_COMMAND_ID = 256


def check_case_id(value: Any, field: str = "case_id", *, error: ErrorFactory = _input_error) -> str:
    """``value`` if it is a case id a store or a journal keeps: a text as :func:`check_text`
    takes it, of at most :data:`MAX_CASE_ID` characters; else ``error(field, message)``."""
    text = check_text(value, field, error=error)
    if len(text) > MAX_CASE_ID:
        raise error(
            field,
            f"is {len(text):,} characters long; a case id has at most {MAX_CASE_ID} (in every "
            "store and journal). Give the case a shorter id, e.g. its dossier code.",
        )
    return text


def plain_name(value: Any) -> TypeGuard[str]:
    """Whether ``value`` is a name that needs no further check: a ``str`` of printable
    characters (no control character, lone surrogate or line separator) already in Unicode
    NFC. Decided in C, for Vietnamese names as for ASCII ones: readers ask it of every name
    before :func:`name_text` formats a field's name for an error."""
    return (
        type(value) is str
        and value.isprintable()
        and (value.isascii() or unicodedata.is_normalized("NFC", value))
    )


def name_text(value: Any, field: str, *, error: ErrorFactory = _input_error) -> str:
    """A name (unit, actor, role, step): a checked text, in Unicode NFC."""
    text = check_text(value, field, error=error)
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def texts(value: Any, field: str, *, error: ErrorFactory = _input_error) -> tuple[str, ...]:
    """A list or tuple of checked texts. A lone ``str`` is refused rather than read as its
    characters (or guessed to be a list of one)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise error(
            field,
            f"must be a list of texts, got {type(value).__name__} {value!r:.60}. Write "
            '["Phiếu yêu cầu bổ sung số 12"] for one document.',
        )
    return tuple(
        check_text(item, f"{field}[{index}]", error=error) for index, item in enumerate(value)
    )


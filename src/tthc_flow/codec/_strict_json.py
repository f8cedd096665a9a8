"""JSON read exactly, for every reader in the library.

:func:`loads` refuses what :func:`json.loads` would accept and a program would then guess
at: duplicate keys (the standard module keeps the last), NaN and infinities, integers beyond
:data:`MAX_INTEGER` (a count or a sequence number that large is a corrupted file, and the
standard module chokes on 4,300 digits with a bare ``ValueError``), and nesting deeper than
:data:`MAX_DEPTH` (the standard module raises ``RecursionError`` near 1,000 levels). Every
string, key or value, is checked as :func:`~tthc_flow.codec._texts.check_text` checks free
text. :func:`dumps` writes what :func:`loads` reads back equal.
"""

from __future__ import annotations

import json
import math
from typing import Any

from tthc_flow.codec._texts import ErrorFactory, bad_character

__all__ = ["MAX_DEPTH", "MAX_INTEGER", "dumps", "loads", "walk_json"]

#: Deepest nesting of arrays and objects accepted: a catalog needs 6 levels, an event 4.
MAX_DEPTH = 32
#: Largest magnitude of a JSON integer accepted (2**53 - 1, the largest every JSON reader
#: holds exactly).
MAX_INTEGER = 2**53 - 1
# Float literals longer than this are not numbers a person or a system wrote.
_MAX_NUMBER_TEXT = 40


class _Refused(Exception):
    """Raised inside the parser's hooks; turned into the caller's typed error."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # built in C; fewer keys than pairs means a key came twice
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(
                    f"the key {key!r} appears twice in one object; JSON readers disagree on "
                    "which to keep, so keep one"
                )
            seen.add(key)
    return result


def _integer(text: str) -> int:
    digits = len(text) - (text[0] == "-")
    # 2**53 - 1 has 16 digits: a longer text is refused before int() reads it (which the
    # standard library refuses itself past 4,300 digits, with a bare ValueError).
    value = int(text) if digits <= 16 else MAX_INTEGER + 1
    if abs(value) > MAX_INTEGER:
        shown = text if len(text) <= 30 else f"{text[:30]}… ({digits} digits)"
        raise _Refused(f"the integer {shown} is larger than {MAX_INTEGER} (2**53 - 1)")
    return value


def _float(text: str) -> float:
    if len(text) > _MAX_NUMBER_TEXT:
        raise _Refused(f"the number {text[:30]}… is {len(text)} characters long")
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text} is too large to hold")
    return value


def _constant(text: str) -> Any:
    raise _Refused(f"{text} is not a JSON number; write null or a finite number")


def _path(where: str, trail: _Trail | None) -> str:
    """The path of a value from its trail of (parent trail, key or index) links."""
    steps: list[str | int] = []
    while trail is not None:
        trail, step = trail
        steps.append(step)
    return where + "".join(
        f"[{step}]" if type(step) is int else f".{step}" for step in reversed(steps)
    )


# A value's place in the document, built only when an error names it: a walk over a large
# document (a catalog of 20,000 procedures) would otherwise format a path for every value.
_Trail = tuple[Any, "str | int"]


def walk_json(value: Any, where: str, error: ErrorFactory, *, depth: int = 0) -> None:
    """Check a parsed (or to-be-written) JSON value without recursion: nesting within
    :data:`MAX_DEPTH`, keys that are texts, texts with no lone surrogate or control
    character (tab and line breaks allowed), finite numbers, integers within
    :data:`MAX_INTEGER`, nothing but JSON types. ``depth`` is the nesting ``value`` itself
    sits at in the document it will be part of."""
    stack: list[tuple[Any, _Trail | None, int]] = [(value, None, depth)]
    pop, push = stack.pop, stack.append
    while stack:
        item, trail, depth = pop()
        kind = type(item)
        if kind is str:
            if item.isprintable():  # the common case, decided in C
                continue
            bad = bad_character(item, free=True)
            if bad is not None:
                raise error(
                    _path(where, trail), f"holds {bad}; remove it or write the character meant"
                )
        elif kind is dict or kind is list or kind is tuple:
            if depth >= MAX_DEPTH:
                raise error(_path(where, trail), f"is nested more than {MAX_DEPTH} levels deep")
            if kind is dict:
                for key, child in item.items():
                    if type(key) is not str:
                        raise error(
                            _path(where, trail), f"has the key {key!r}; JSON keys are texts"
                        )
                    if not key.isprintable():
                        bad = bad_character(key, free=False)
                        if bad is not None:
                            raise error(_path(where, trail), f"has a key that holds {bad}")
                    # A printable text or null needs no visit of its own (most of a
                    # document's values): checked here, not pushed.
                    if (type(child) is str and child.isprintable()) or child is None:
                        continue
                    push((child, (trail, key), depth + 1))
            else:
                for index, child in enumerate(item):
                    if (type(child) is str and child.isprintable()) or child is None:
                        continue
                    push((child, (trail, index), depth + 1))
        elif kind is int:
            if abs(item) > MAX_INTEGER:
                raise error(
                    _path(where, trail), f"is an integer larger than {MAX_INTEGER} (2**53 - 1)"
                )
        elif kind is float:
            if not math.isfinite(item):
                raise error(_path(where, trail), f"is {item!r}, which JSON cannot hold; write null")
        elif item is not None and kind is not bool:
            raise error(
                _path(where, trail),
                f"is a {kind.__name__} ({item!r:.40}); only JSON values can be kept",
            )


def loads(text: str | bytes, where: str, error: ErrorFactory) -> Any:
    """The JSON value in ``text``, read exactly; anything else is ``error(where, message)``
    (``where`` names the document or line, for the message)."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as problem:
            raise error(where, f"is not UTF-8 text: {problem}") from None
    if not isinstance(text, str):
        raise error(where, f"must be JSON text (str or bytes), got {type(text).__name__}")
    try:
        value = _DECODER.decode(text)
    except _Refused as refused:
        raise error(where, str(refused)) from None
    except json.JSONDecodeError as problem:
        raise error(where, f"is not JSON: {problem}") from None
    except RecursionError:
        raise error(where, f"is nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as problem:  # the standard module's own limits
        raise error(where, f"is not JSON this library reads: {problem}") from None
    body = text.strip()
    if not (
        # No escape and nothing unprintable in the raw text: no string holds a control
        # character or a surrogate. Fewer brackets than the bound: no deeper nesting.
        "\\" not in body and body.isprintable() and body.count("[") + body.count("{") <= MAX_DEPTH
    ):
        walk_json(value, where, error)
    return value


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs, parse_int=_integer, parse_float=_float, parse_constant=_constant
)


def dumps(value: Any, where: str, error: ErrorFactory, *, indent: int | None = None) -> str:
    """``value`` as JSON text that :func:`loads` reads back equal, on one line unless
    ``indent``: checked as :func:`loads` checks, non-ASCII kept as written."""
    walk_json(value, where, error)
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent)

"""Text from the data made safe for the tools it is shown in (an toàn khi hiển thị).

Reports, forms and the command line print text that came from the data — case ids, unit
names, procedure codes, reasons — next to figures the library computed. Only the first kind
is touched here:

- :func:`terminal_text`: control characters (C0 and C1, including tab and line breaks, and
  DEL), the line and paragraph separators U+2028/U+2029 and the bidirectional embedding,
  override and isolate controls are written as visible escapes (``\\x1b``, ``\\u2028``), so
  a unit name cannot move the cursor, recolour or clear a terminal, break a table's line,
  or reorder what is shown after it. Everything else is kept as it is. :func:`terminal_lines`
  does the same but keeps line breaks and tabs, for text laid out on several lines.
- :func:`csv_text`: the same, and a cell that starts with ``=``, ``+``, ``-``, ``@``, tab or
  carriage return gets a single quote ``'`` in front, so that a spreadsheet reads it as text,
  not as a formula (the OWASP "CSV injection" recommendation). Figures are never passed
  through it: a negative number the report computed stays a number in its cell.
- :func:`markdown_text`: the characters that would make a Markdown viewer read the cell as
  a table border, raw HTML or a link (``\\ | < > [ ]``) escaped with a backslash, then
  :func:`terminal_text`.
- :func:`json_text`: JSON as :func:`json.dumps` writes it without ``ensure_ascii``, with the
  characters above that JSON leaves raw (C1, DEL, U+2028/U+2029, bidirectional controls)
  written as ``\\uXXXX`` escapes — the same string to any JSON reader, and nothing raw on a
  terminal that prints the file.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "BIDI_CONTROLS",
    "CONTROL_ESCAPES",
    "csv_text",
    "escape_of",
    "json_text",
    "markdown_text",
    "short_text",
    "terminal_lines",
    "terminal_text",
]

# The bidirectional controls that reorder what a reader sees (the arabic letter mark, the
# left-to-right and right-to-left marks, embeddings, overrides and isolates).
BIDI_CONTROLS = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))


def escape_of(code: int) -> str:
    """The visible escape of a character: ``\\x1b``, ``\\u202e``."""
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


#: Every character shown as its escape rather than acted on: C0, DEL and C1 controls, the
#: line and paragraph separators, bidirectional controls, and lone surrogates (which cannot
#: even be encoded to a terminal: printing one would raise).
CONTROL_ESCAPES: dict[int, str] = {
    code: escape_of(code)
    for code in (
        *range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *BIDI_CONTROLS,
        *range(0xD800, 0xE000),
    )
}  # fmt: skip
# In JSON, C0 characters are already escaped by json.dumps; the rest is escaped the JSON way.
_JSON_ESCAPES: dict[int, str] = {
    code: f"\\u{code:04x}" for code in (0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, *BIDI_CONTROLS)
}
_LINES_ESCAPES = {code: escape for code, escape in CONTROL_ESCAPES.items() if code not in (9, 10)}
_MARKDOWN = {ord(char): f"\\{char}" for char in "\\|<>[]"}
# OWASP, "CSV Injection": a cell beginning with one of these is a formula to Excel,
# LibreOffice and Google Sheets; a leading single quote makes them show it as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal_text(value: Any) -> str:
    """``value`` as one line of text with every control character escaped visibly."""
    text = value if type(value) is str else str(value)
    if text.isprintable():  # the common case, decided in C (isprintable is False for all
        return text  # the characters escaped here)
    return text.translate(CONTROL_ESCAPES)


def terminal_lines(value: Any) -> str:
    """``value`` as text of one or more lines: as :func:`terminal_text`, but line breaks and
    tabs are kept (a carriage return, which would let a line overwrite itself, is not)."""
    text = value if type(value) is str else str(value)
    if text.isprintable():
        return text
    return text.translate(_LINES_ESCAPES)


def csv_text(value: Any) -> str:
    """A CSV cell holding text from the data: a would-be formula quoted (see the module's
    docstring), control characters escaped."""
    text = value if type(value) is str else str(value)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return terminal_text(text)


def markdown_text(value: Any) -> str:
    """A Markdown table cell holding text from the data. Markdown's characters are escaped
    first, so the escapes of control characters read the same in a terminal and in a
    viewer (a backslash before a letter is a backslash to Markdown)."""
    text = value if type(value) is str else str(value)
    return terminal_text(text.translate(_MARKDOWN))


def json_text(data: Any) -> str:
    """``data`` as indented JSON, UTF-8 text kept readable, nothing raw that a terminal
    would act on."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # Outside its strings JSON is ASCII, so each of these characters sits inside a string,
    # where \\uXXXX is the same character to every reader.
    return text if text.isascii() else text.translate(_JSON_ESCAPES)


def short_text(value: Any, limit: int = 32) -> str:
    """``repr`` of a text from the data, cut to about ``limit`` characters with an ellipsis:
    one-line ``repr`` of values that hold long names (a procedure's name, a unit's)."""
    text = value if type(value) is str else str(value)
    if len(text) > limit:
        text = text[: max(limit - 1, 1)] + "…"
    return terminal_text(repr(text))

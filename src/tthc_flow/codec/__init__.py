"""The strict codec every reader and writer shares (bộ mã hoá chặt chẽ): JSON read exactly
(no duplicate keys, bounded numbers and nesting, no NaN) and texts checked at the boundary
(no lone surrogates or control characters; names in Unicode NFC), and text from the data
made safe to show (:mod:`~tthc_flow.codec._display`).

Agencies are scored on the figures read through it, so a wrong type is refused with the
field named, never guessed.
"""

from tthc_flow.codec._blocks import line_blocks
from tthc_flow.codec._display import (
    csv_text,
    json_text,
    markdown_text,
    terminal_lines,
    terminal_text,
)
from tthc_flow.codec._strict_json import (
    MAX_DEPTH,
    MAX_INTEGER,
    dumps,
    loads,
    walk_json,
)
from tthc_flow.codec._texts import (
    MAX_CASE_ID,
    MAX_COMMAND_ID,
    check_case_id,
    check_text,
    name_text,
    plain_name,
    texts,
)

__all__ = [
    "MAX_CASE_ID",
    "MAX_COMMAND_ID",
    "MAX_DEPTH",
    "MAX_INTEGER",
    "check_case_id",
    "check_text",
    "csv_text",
    "dumps",
    "json_text",
    "line_blocks",
    "loads",
    "markdown_text",
    "name_text",
    "plain_name",
    "terminal_lines",
    "terminal_text",
    "texts",
    "walk_json",
]

"""Plain-text rendering of a form: for terminals, logs and golden files.

Lines are at most ``width`` characters where the text allows (long words are not broken);
headings are centred; a table is printed row by row, each cell under its column's label, so
no cell is ever cut. Control characters in the data are shown as escapes, never passed to
the terminal (:mod:`tthc_flow.forms._printable`). What the form's data says of its sources
(:class:`~tthc_flow.forms.FormSpec`) is not printed: the printed forms are handed to
applicants.
"""

from __future__ import annotations

import textwrap

from tthc_flow._validators import shown
from tthc_flow.errors import InvalidInputError
from tthc_flow.forms._circulars import MOTTO
from tthc_flow.forms._model import Form
from tthc_flow.forms._printable import printable_form
from tthc_flow.labels import form_text

__all__ = ["MAX_WIDTH", "MIN_WIDTH", "WIDTH", "render_text"]

WIDTH = 78
# The widths a form may be printed at: from a receipt printer's 30 columns to a wide log.
MIN_WIDTH, MAX_WIDTH = 30, 500


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    lines: list[str] = []
    for part in text.split("\n"):
        lines.extend(
            textwrap.wrap(
                part, width, initial_indent=indent, subsequent_indent=indent,
                break_long_words=False, break_on_hyphens=False,
            ) or [indent.rstrip()]
        )  # fmt: skip
    return lines


def _centre(text: str, width: int) -> str:
    return text.center(width).rstrip()


def render_text(form: Form, *, width: int = WIDTH) -> str:
    """The form as plain text, ending with a newline, in lines of at most ``width``
    characters (a whole number from :data:`MIN_WIDTH` to :data:`MAX_WIDTH`; a bool, a float
    or a text is an :class:`~tthc_flow.errors.InvalidInputError`, as is anything but a
    :class:`~tthc_flow.forms.Form`). Texts from the case are made printable first
    (:mod:`tthc_flow.forms._printable`): no control character reaches a terminal."""
    if type(width) is not int or not MIN_WIDTH <= width <= MAX_WIDTH:
        raise InvalidInputError(
            f"width must be a whole number of characters from {MIN_WIDTH} to {MAX_WIDTH}, "
            f"got {shown(width)}.",
            value=width,
            hint=f"Pass e.g. width={WIDTH} (the default); a bool is not a number.",
        )
    form = printable_form(form, "render_text")
    out: list[str] = []
    out.extend(form.issuer)
    out.append(_centre(MOTTO[0], width))
    out.append(_centre(MOTTO[1], width))
    out.append(_centre("─" * 15, width))
    out.append(form.number)
    out.append("")
    out.append(_centre(form.title, width))
    if form.code:
        out.append(_centre(f"{form_text('frame.code', form.language)}: {form.code}", width))
    out.append(form.place_date.rjust(width))
    out.append("")
    for field in form.fields:
        if not field.label:
            out.extend(_wrap(field.value, width))
        elif "\n" in field.value:
            out.append(f"{field.label}:")
            out.extend(_wrap(field.value, width, "    "))
        else:
            out.extend(_wrap(f"{field.label}: {field.value}", width))
    if form.table is not None:
        table = form.table
        out.append("")
        if not table.rows:
            out.append(f"({form_text('frame.no_rows', form.language)})")
        for row in table.rows:
            out.append("─" * width)
            head, *cells = row
            out.append(f"{table.columns[0]} {head}")
            for column, cell in zip(table.columns[1:], cells, strict=True):
                out.append(f"  {column}:")
                out.extend(_wrap(cell, width, "      ") if cell else ["      —"])
        out.append("─" * width)
    if form.signatures:
        out.append("")
        for signature in form.signatures:
            out.append(signature.title)
            out.append(f"  {signature.hint}")
            out.append(f"  {signature.name}" if signature.name else "")
    if form.notes:
        out.append("")
        out.append(f"{form_text('frame.notes', form.language)}:")
        for note in form.notes:
            out.extend(_wrap(f"- {note}", width))
    return "\n".join(out).rstrip("\n") + "\n"

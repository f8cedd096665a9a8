"""What a printed form may show of the data it was built from: text, never instructions to the
terminal, the browser or the printer that shows it.

A case's texts are checked when they are recorded, but a form also prints procedure names,
units and attributes given in Python, and a form is written to terminals (``tthc-flow
slip``), to logs and into HTML. Before either renderer lays a form out, every text of it is
made printable:

- line breaks written as ``\\r\\n`` or ``\\r`` (a carriage return alone would let a text
  overwrite the line before it), and the line and paragraph separators U+2028 and U+2029,
  become ``\\n``, the line break every renderer understands;
- a tab becomes a space;
- every other control character (C0, DEL, C1: the escape that starts a terminal command, the
  bell, NUL), the bidirectional controls that reorder what a reader sees (U+061C, U+200E,
  U+200F, U+202A–U+202E, U+2066–U+2069) and lone surrogates (which no UTF-8 output can
  write) are shown as their escape, e.g. ``\\x1b`` or ``\\u202e``: visible, and inert.

Everything else, Vietnamese letters and combining marks included, is kept as it is.
"""

from __future__ import annotations

import attrs

from tthc_flow._validators import shown
from tthc_flow.codec._display import CONTROL_ESCAPES
from tthc_flow.errors import InvalidInputError
from tthc_flow.forms._model import Form, FormField, FormTable, Signature

__all__ = ["printable", "printable_form"]


_TABLE: dict[int, str] = {
    **CONTROL_ESCAPES,
    ord("\n"): "\n",
    ord("\r"): "\n",
    ord("\t"): " ",
    0x2028: "\n",
    0x2029: "\n",
}


def printable(text: str) -> str:
    """``text`` as a form prints it (see the module's rules); a printable text is returned
    as it is. A value that is not a ``str`` is an
    :class:`~tthc_flow.errors.InvalidInputError`: a form prints texts, not ``None``."""
    if not isinstance(text, str):
        raise InvalidInputError(
            f"a form prints texts, got {type(text).__name__} {shown(text)}.",
            value=text,
            hint="Build FormField, FormTable and Signature values from str.",
        )
    if text.isprintable():  # the common case, decided in C
        return text
    return text.replace("\r\n", "\n").translate(_TABLE)


def _texts(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(printable(value) for value in values)


def printable_form(form: Form, renderer: str = "printable_form") -> Form:
    """A copy of ``form`` with every text made :func:`printable`; anything but a
    :class:`~tthc_flow.forms.Form` is an :class:`~tthc_flow.errors.InvalidInputError` naming
    ``renderer``, the function asked to print it."""
    if not isinstance(form, Form):
        raise InvalidInputError(
            f"{renderer} prints a Form, got {shown(form)}.",
            value=form,
            hint=f"Build the form first, e.g. {renderer}(receipt(case)).",
        )
    spec = form.spec
    table = form.table
    return Form(
        spec=attrs.evolve(spec, number=printable(spec.number), title=printable(spec.title)),
        circular=printable(form.circular),
        issuer=_texts(form.issuer),
        code=printable(form.code),
        place_date=printable(form.place_date),
        fields=tuple(FormField(printable(f.label), printable(f.value)) for f in form.fields),
        table=None
        if table is None
        else FormTable(
            _texts(table.columns), tuple(_texts(row) for row in table.rows), table.widths
        ),
        signatures=tuple(
            Signature(printable(s.title), printable(s.name), printable(s.hint))
            for s in form.signatures
        ),
        notes=_texts(form.notes),
        language=form.language,
    )


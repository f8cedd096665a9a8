"""HTML rendering of a form: one self-contained page (inline CSS, no script, no external
resource) that prints on the form's paper.

Printing rules: ``@page`` sets the paper (A5 for the applicant's forms, A4 for the control
slip, A4 landscape for the ledger); tables have a fixed layout at 100% width with relative
column widths, so they never run past the right margin; long words wrap anywhere rather than
overflow; a table's header repeats on every page and a row is not split across pages. Every
piece of text from the case is made printable (control characters shown as escapes, see
:mod:`tthc_flow.forms._printable`) and HTML-escaped. As in the text rendering, what the form's data
says of its sources is not printed.
"""

from __future__ import annotations

from html import escape

from tthc_flow.forms._circulars import MOTTO
from tthc_flow.forms._model import Form, FormTable, Page
from tthc_flow.forms._printable import printable_form
from tthc_flow.labels import form_text

__all__ = ["render_html"]

_FONT_PT = {Page.A5: 9, Page.A4: 11, Page.A4_LANDSCAPE: 8.5}
_MARGIN_MM = {Page.A5: 8, Page.A4: 15, Page.A4_LANDSCAPE: 10}

_CSS = """\
@page {{ size: {size}; margin: {margin}mm; }}
* {{ box-sizing: border-box; }}
html {{ background: #fff; color: #000; }}
body {{ margin: 0; padding: {margin}mm; font-family: "Times New Roman", "Liberation Serif",
  "DejaVu Serif", serif; font-size: {font}pt; line-height: 1.25; }}
@media print {{ body {{ padding: 0; }} }}
.header {{ display: table; width: 100%; table-layout: fixed; }}
.header > div {{ display: table-cell; vertical-align: top; text-align: center;
  font-weight: bold; overflow-wrap: anywhere; }}
.header .issuer {{ width: 42%; }}
.header .motto span {{ display: block; }}
.header .motto .sub {{ text-decoration: underline; }}
.number {{ margin: 0.8em 0 0; font-style: italic; }}
h1 {{ margin: 0.6em 0 0.2em; text-align: center; font-size: 1.25em; }}
.code {{ margin: 0; text-align: center; font-weight: bold; }}
.place-date {{ margin: 0.4em 0; text-align: right; font-style: italic; }}
.field {{ margin: 0.15em 0; overflow-wrap: anywhere; }}
.field .label {{ font-weight: bold; }}
.value {{ white-space: pre-line; }}
table.rows {{ width: 100%; border-collapse: collapse; table-layout: fixed; margin-top: 0.8em; }}
table.rows th, table.rows td {{ border: 1px solid #000; padding: 0.2em 0.3em;
  vertical-align: top; text-align: left; overflow-wrap: anywhere; word-break: break-word;
  white-space: pre-line; }}
table.rows th {{ text-align: center; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
.signatures {{ display: table; width: 100%; table-layout: fixed; margin-top: 0.8em;
  break-inside: avoid; page-break-inside: avoid; }}
.signatures > div {{ display: table-cell; text-align: center; vertical-align: top; }}
.signatures .title {{ font-weight: bold; }}
.signatures .hint {{ font-style: italic; font-size: 0.9em; }}
.signatures .name {{ margin-top: 2.4em; font-weight: bold; }}
.footnotes {{ margin-top: 0.8em; font-size: 0.85em; font-style: italic;
  break-inside: avoid; page-break-inside: avoid; }}
.footnotes p {{ margin: 0.15em 0; }}
"""


def _text(value: str) -> str:
    return escape(value, quote=True)


def _table(table: FormTable, language: str) -> list[str]:
    out = ['<table class="rows">']
    if table.widths:
        total = sum(table.widths)
        out.append("<colgroup>")
        out.extend(f'<col style="width: {100 * w / total:.2f}%">' for w in table.widths)
        out.append("</colgroup>")
    out.append("<thead><tr>")
    out.extend(f"<th>{_text(column)}</th>" for column in table.columns)
    out.append("</tr></thead>")
    out.append("<tbody>")
    for row in table.rows:
        out.append("<tr>" + "".join(f"<td>{_text(cell)}</td>" for cell in row) + "</tr>")
    if not table.rows:
        out.append(
            f'<tr><td colspan="{len(table.columns)}">'
            f"{_text(form_text('frame.no_rows', language))}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def render_html(form: Form) -> str:
    """The form as a complete HTML document (UTF-8), ready to open in a browser and print.
    Texts are made printable (:mod:`tthc_flow.forms._printable`), then HTML-escaped."""
    form = printable_form(form, "render_html")
    page = form.spec.page
    css = _CSS.format(size=page.css, margin=_MARGIN_MM[page], font=_FONT_PT[page])
    page_title = form.title + (f" — {form.code}" if form.code else "")
    out = [
        "<!DOCTYPE html>",
        '<html lang="vi">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_text(page_title)}</title>",
        f"<style>\n{css}</style>",
        "</head>",
        "<body>",
        '<div class="header">',
        '<div class="issuer">' + "<br>".join(_text(line) for line in form.issuer) + "</div>",
        f'<div class="motto"><span>{_text(MOTTO[0])}</span>'
        f'<span class="sub">{_text(MOTTO[1])}</span></div>',
        "</div>",
        f'<p class="number">{_text(form.number)}</p>',
        f"<h1>{_text(form.title)}</h1>",
    ]
    if form.code:
        code = form_text("frame.code", form.language)
        out.append(f'<p class="code">{_text(code)}: {_text(form.code)}</p>')
    out.append(f'<p class="place-date">{_text(form.place_date)}</p>')
    for field in form.fields:
        value = f'<span class="value">{_text(field.value)}</span>'
        if field.label:
            separator = ":<br>" if "\n" in field.value else ": "
            value = f'<span class="label">{_text(field.label)}</span>{separator}{value}'
        out.append(f'<p class="field">{value}</p>')
    if form.table is not None:
        out.extend(_table(form.table, form.language))
    if form.signatures:
        out.append('<div class="signatures">')
        for signature in form.signatures:
            out.append(
                f'<div><div class="title">{_text(signature.title)}</div>'
                f'<div class="hint">{_text(signature.hint)}</div>'
                f'<div class="name">{_text(signature.name)}</div></div>'
            )
        out.append("</div>")
    if form.notes:
        notes = _text(form_text("frame.notes", form.language))
        out.append(f'<div class="footnotes"><span class="label">{notes}:</span>')
        out.extend(f"<p>- {_text(note)}</p>" for note in form.notes)
        out.append("</div>")
    out.extend(["</body>", "</html>"])
    return "\n".join(out) + "\n"

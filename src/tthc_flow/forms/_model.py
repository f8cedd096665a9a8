"""Forms as data (biểu mẫu): a frozen model of one filled-in form, independent of how it is
printed. Renderers (:mod:`tthc_flow.forms._text`, :mod:`tthc_flow.forms._html`) only lay it out.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from tthc_flow._validators import shown
from tthc_flow.errors import InvalidInputError
from tthc_flow.labels import DEFAULT_LANGUAGE, checked_language

__all__ = [
    "BLANK",
    "Form",
    "FormField",
    "FormKind",
    "FormSpec",
    "FormTable",
    "Page",
    "Signature",
]

# What the circulars print where the officer writes by hand: a form is still printable when the
# case does not carry the value (an applicant's phone number, a ledger book number).
BLANK = "…………………………"


class FormKind(enum.Enum):
    """The forms of the one-stop mechanism (Circular 01/2018/TT-VPCP, Circular 03/2025/TT-VPCP).
    The value is the stable English name."""

    RECEIPT = "receipt"  # giấy tiếp nhận hồ sơ và hẹn trả kết quả
    SUPPLEMENT_REQUEST = "supplement_request"  # phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
    # phiếu từ chối tiếp nhận giải quyết hồ sơ (2018); phiếu từ chối giải quyết hồ sơ (2025,
    # Decree 118/2025 Art. 19(3))
    REFUSAL = "refusal"
    # phiếu xin lỗi và hẹn lại ngày trả kết quả (2018); văn bản xin lỗi và đề nghị gia hạn
    # thời gian giải quyết (2025)
    APOLOGY = "apology"
    STOP_NOTICE = "stop_notice"  # thông báo dừng giải quyết hồ sơ (Circular 03/2025 only)
    CONTROL_SLIP = "control_slip"  # phiếu kiểm soát quá trình giải quyết hồ sơ
    LEDGER = "ledger"  # sổ theo dõi hồ sơ


class Page(enum.Enum):
    """Paper the form is laid out for; the value is a stable code, :attr:`css` the CSS
    ``@page`` size."""

    A5 = "a5"
    A4 = "a4"
    A4_LANDSCAPE = "a4_landscape"

    @property
    def css(self) -> str:
        """The CSS ``@page`` size: ``A5 portrait``, ``A4 portrait``, ``A4 landscape``."""
        return {Page.A5: "A5 portrait", Page.A4: "A4 portrait"}.get(self, "A4 landscape")

    @property
    def pixels(self) -> tuple[int, int]:
        """Width and height in CSS pixels (96 per inch), rounded to the nearest pixel."""
        width_mm, height_mm = {
            Page.A5: (148, 210),
            Page.A4: (210, 297),
            Page.A4_LANDSCAPE: (297, 210),
        }[self]
        return round(width_mm * 96 / 25.4), round(height_mm * 96 / 25.4)


@attrs.frozen
class FormSpec:
    """What a circular says of one form: its number (``Mẫu số 01``), title and paper.

    ``verified`` is False when the number or title could not be checked against the circular's
    own text; ``source`` then says where they were taken from, and ``note`` what else is known
    (a name the decree gives the form, what is new). This is data for the people who maintain
    the forms: the renderers do not print it, because the printed forms are handed to
    applicants.
    """

    kind: FormKind
    number: str
    title: str
    page: Page
    verified: bool
    note: str = ""
    source: str = ""


@attrs.frozen
class FormField:
    """One line of a form: a label (Vietnamese; with the English gloss in parentheses when the
    form was built with ``language="en"``) and its value. A value may span lines (a list of
    documents); an empty label makes the field a paragraph."""

    label: str
    value: str


def _rows(value: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(row) for row in value)


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _ints(value: Iterable[int]) -> tuple[int, ...]:
    return tuple(value)


def _fields(value: Iterable[FormField]) -> tuple[FormField, ...]:
    return tuple(value)


def _signatures(value: Iterable[Signature]) -> tuple[Signature, ...]:
    return tuple(value)


@attrs.frozen
class FormTable:
    """The table of a form (the control slip's handovers, the ledger's cases). Every row has
    one cell per column; a cell may span lines."""

    columns: tuple[str, ...] = attrs.field(converter=_strs)
    rows: tuple[tuple[str, ...], ...] = attrs.field(converter=_rows)
    widths: tuple[int, ...] = attrs.field(default=(), converter=_ints)

    def __attrs_post_init__(self) -> None:
        for number, row in enumerate(self.rows, 1):
            if len(row) != len(self.columns):
                raise InvalidInputError(
                    f"row {number} has {len(row)} cells for {len(self.columns)} columns.",
                    value=row,
                    hint="Give one cell per column; use an empty string for an empty cell.",
                )
        if self.widths and len(self.widths) != len(self.columns):
            raise InvalidInputError(
                f"{len(self.widths)} column widths for {len(self.columns)} columns.",
                value=self.widths,
                hint="Give one relative width per column, or none.",
            )


@attrs.frozen
class Signature:
    """A signature block: who signs (``NGƯỜI TIẾP NHẬN HỒ SƠ``), the instruction printed under
    it, and the name when the case records it."""

    title: str
    name: str = ""
    hint: str = "(Ký và ghi rõ họ tên)"


@attrs.frozen
class Form:
    """One filled-in form.

    ``circular`` is the circular whose layout it follows (``01/2018/TT-VPCP``); ``issuer`` the
    lines of the issuing body printed top left; ``code`` the dossier code (mã hồ sơ) or case
    id; ``place_date`` the ``…, ngày … tháng … năm …`` line; ``fields`` in the circular's
    order; ``table`` the rows of the control slip or ledger; ``signatures`` left to right;
    ``notes`` the form's printed footnotes (ghi chú), below the signatures; ``language`` the
    language its labels were written in (:data:`~tthc_flow.labels.LANGUAGES`: ``vi`` the
    official paper, ``en`` with English glosses), which the renderers print their own
    headings in.
    """

    spec: FormSpec
    circular: str
    issuer: tuple[str, ...] = attrs.field(converter=_strs)
    code: str
    place_date: str
    fields: tuple[FormField, ...] = attrs.field(converter=_fields)
    table: FormTable | None = None
    signatures: tuple[Signature, ...] = attrs.field(default=(), converter=_signatures)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    language: str = attrs.field(default=DEFAULT_LANGUAGE, converter=checked_language)

    @property
    def kind(self) -> FormKind:
        return self.spec.kind

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def number(self) -> str:
        """The form number with the circular, as printed: ``Mẫu số 01 (Thông tư
        01/2018/TT-VPCP)``. Whether the number was checked is in :attr:`spec`, not here."""
        return f"{self.spec.number} (Thông tư {self.circular})"

    def field(self, label_start: str) -> FormField:
        """The first field whose label starts with ``label_start`` (a text; anything else is an
        :class:`~tthc_flow.errors.InvalidInputError`)."""
        if not isinstance(label_start, str):
            raise InvalidInputError(
                f"field() looks a field up by the start of its label, a text, got "
                f"{shown(label_start)}.",
                value=label_start,
                hint='Pass e.g. form.field("5.") or form.field("Lý do").',
            )
        for item in self.fields:
            if item.label.startswith(label_start):
                return item
        raise InvalidInputError(
            f"form {self.spec.number} has no field starting {shown(label_start)}.",
            value=label_start,
            hint="Labels: " + "; ".join(f.label for f in self.fields if f.label) + ".",
        )

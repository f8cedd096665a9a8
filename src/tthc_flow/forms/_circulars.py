"""The circulars that lay out the one-stop forms, and which one applies to a case.

A case's forms follow the circular in force on the day it was **received** (ngày tiếp nhận),
the same rule the engine applies to rule packs:

- **Circular 01/2018/TT-VPCP** (guiding Decree 61/2018/NĐ-CP) for cases received before
  1 July 2025. It was issued on 23 November 2018; the library also uses its layout for the
  months of 2018 before that, when Decree 61/2018 was already in force and no other layout
  exists to model. Its forms are Mẫu số 01 to 06.
- **Circular 03/2025/TT-VPCP** (15 September 2025, guiding Decree 118/2025/NĐ-CP) for cases
  received from 1 July 2025. It has seven forms: 01 receipt and appointment, 02 supplement
  request, 03 refusal, 04 "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" (an
  apology that asks for an extension: the reason for the delay and the proposed new date;
  Decree 118 Art. 19(6) calls the request "Phiếu đề nghị gia hạn thời gian giải quyết"), 05
  "Thông báo dừng giải quyết hồ sơ" (new: processing stops at the applicant's request,
  Art. 21), 06 process control slip, 07 case ledger. These numbers and titles come from two
  independent secondary sources, not from the circular's own text, except the refusal's
  title, which is the decree's (Art. 19(3): "Phiếu từ chối giải quyết hồ sơ"): each
  :class:`~tthc_flow.forms.FormSpec` records that (``verified`` False, ``source``, ``note``).
  The printed forms do not carry that remark, since they are handed to applicants. Only this
  circular has the stop notice.

Both are data (:class:`Circular`); a host that has checked a text replaces them. A case is
under Decree 118/2025 when the circular of its receipt day guides it (:func:`under_decree_118`):
its papers then use the decree's wording (:mod:`tthc_flow.forms._wording`).

>>> from datetime import date
>>> circular_in_force(date(2025, 6, 30)).code, circular_in_force(date(2025, 7, 1)).code
('01/2018/TT-VPCP', '03/2025/TT-VPCP')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

import attrs

from tthc_flow._validators import shown
from tthc_flow.errors import FormNotApplicableError, InvalidInputError
from tthc_flow.forms._model import FormKind, FormSpec, Page

__all__ = [
    "CIRCULARS",
    "CIRCULAR_01_2018",
    "CIRCULAR_03_2025",
    "Circular",
    "checked_circulars",
    "circular_in_force",
    "under_decree_118",
]

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def _specs(value: Iterable[FormSpec] | Mapping[FormKind, FormSpec]) -> Mapping[FormKind, FormSpec]:
    specs = value.values() if isinstance(value, Mapping) else value
    return MappingProxyType({spec.kind: spec for spec in specs})


@attrs.frozen
class Circular:
    """A circular that sets the forms (thông tư quy định biểu mẫu): its number, the decree it
    guides, the first receipt day it applies to, and its forms."""

    code: str
    guides: str
    applies_from: date
    forms: Mapping[FormKind, FormSpec] = attrs.field(converter=_specs)
    motto: tuple[str, str] = MOTTO

    def spec(self, kind: FormKind, case_id: str = "") -> FormSpec:
        """The form ``kind`` of this circular; a form it does not have (the stop notice before
        July 2025) raises :class:`~tthc_flow.errors.FormNotApplicableError`."""
        try:
            return self.forms[kind]
        except KeyError:
            whose = f"case {case_id} falls under" if case_id else "the case falls under"
            raise FormNotApplicableError(
                f"{whose} Circular {self.code}, which has no {kind.value} form.",
                form=kind.value,
                case_id=case_id,
            ) from None


_PAGES = {
    FormKind.RECEIPT: Page.A5,
    FormKind.SUPPLEMENT_REQUEST: Page.A5,
    FormKind.REFUSAL: Page.A5,
    FormKind.APOLOGY: Page.A5,
    FormKind.STOP_NOTICE: Page.A5,
    FormKind.CONTROL_SLIP: Page.A4,
    FormKind.LEDGER: Page.A4_LANDSCAPE,
}

# Number and title of each form, per circular, in the circular's order.
_FORMS_2018 = {
    FormKind.RECEIPT: ("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    FormKind.SUPPLEMENT_REQUEST: ("02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    FormKind.REFUSAL: ("03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    FormKind.APOLOGY: ("04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
    FormKind.CONTROL_SLIP: ("05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
    FormKind.LEDGER: ("06", "SỔ THEO DÕI HỒ SƠ"),
}

# The refusal's title is the decree's: Decree 118/2025 Art. 19(3) has the competent agency
# refuse a dossier it received "theo mẫu Phiếu từ chối giải quyết hồ sơ" (the dossier was
# received: it is not resolved, not "not received").
_FORMS_2025 = {
    FormKind.RECEIPT: ("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    FormKind.SUPPLEMENT_REQUEST: ("02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    FormKind.REFUSAL: ("03", "PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ"),
    FormKind.APOLOGY: ("04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"),
    FormKind.STOP_NOTICE: ("05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
    FormKind.CONTROL_SLIP: ("06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
    FormKind.LEDGER: ("07", "SỔ THEO DÕI HỒ SƠ"),
}

_SOURCE_2025 = (
    "number and title as two independent secondary sources list the forms of Circular "
    "03/2025/TT-VPCP; not checked against the circular's own text"
)

_NOTES_2025 = {
    FormKind.REFUSAL: (
        "the title is the decree's: Decree 118/2025/NĐ-CP Art. 19(3) refuses a dossier after "
        "receipt 'theo mẫu Phiếu từ chối giải quyết hồ sơ' (Art. 17(1)(c): 'Phiếu từ chối "
        "giải quyết hồ sơ thủ tục hành chính'); the secondary sources give 'Phiếu từ chối tiếp "
        "nhận giải quyết hồ sơ', the title of Circular 01/2018/TT-VPCP"
    ),
    FormKind.APOLOGY: (
        "an apology that asks for an extension, with the reason for the delay and the "
        "proposed new date; Decree 118/2025/NĐ-CP Art. 19(6) calls the request 'Phiếu đề nghị "
        "gia hạn thời gian giải quyết' (in Circular 01/2018/TT-VPCP: Mẫu số 04, phiếu xin lỗi "
        "và hẹn lại ngày trả kết quả)"
    ),
    FormKind.STOP_NOTICE: (
        "new in 2025: processing stops at the applicant's request (Decree 118/2025/NĐ-CP Art. 21)"
    ),
    FormKind.CONTROL_SLIP: "Mẫu số 05 in Circular 01/2018/TT-VPCP",
    FormKind.LEDGER: "Mẫu số 06 in Circular 01/2018/TT-VPCP",
}

CIRCULAR_01_2018 = Circular(
    code="01/2018/TT-VPCP",
    guides="Nghị định 61/2018/NĐ-CP",
    applies_from=date(2018, 6, 21),
    forms=[
        FormSpec(kind, f"Mẫu số {number}", title, _PAGES[kind], verified=True)
        for kind, (number, title) in _FORMS_2018.items()
    ],
)

CIRCULAR_03_2025 = Circular(
    code="03/2025/TT-VPCP",
    guides="Nghị định 118/2025/NĐ-CP",
    applies_from=date(2025, 7, 1),
    forms=[
        FormSpec(
            kind,
            f"Mẫu số {number}",
            title,
            _PAGES[kind],
            verified=False,
            note=_NOTES_2025.get(kind, ""),
            source=_SOURCE_2025,
        )
        for kind, (number, title) in _FORMS_2025.items()
    ],
)

CIRCULARS: tuple[Circular, ...] = (CIRCULAR_01_2018, CIRCULAR_03_2025)


def checked_circulars(circulars: Any) -> tuple[Circular, ...]:
    """``circulars`` as a tuple, if it is a non-empty collection of :class:`Circular` (read
    once, so a generator is not used up by the check); else
    :class:`~tthc_flow.errors.InvalidInputError` saying what to pass."""
    found = (
        None
        if isinstance(circulars, (str, bytes, Mapping, Circular))
        or not isinstance(circulars, Iterable)
        else tuple(circulars)
    )
    if found is None or not all(isinstance(c, Circular) for c in found):
        raise InvalidInputError(
            f"circulars must be a collection of Circular values, got {shown(circulars)}.",
            value=circulars,
            hint="Pass e.g. circulars=CIRCULARS, or [CIRCULAR_01_2018, my_circular].",
        )
    if not found:
        raise InvalidInputError(
            "circulars is empty: no circular lays out the forms.",
            value=circulars,
            hint="Pass at least one Circular, e.g. circulars=CIRCULARS (the default).",
        )
    return found


def circular_in_force(day: date, circulars: Iterable[Circular] = CIRCULARS) -> Circular:
    """The circular whose forms apply to a case received on ``day`` (a ``date``: the receipt
    day, not an instant): the one with the latest ``applies_from`` on or before it. A day
    before every circular raises :class:`~tthc_flow.errors.FormNotApplicableError`; a day
    that is not a ``date`` (a datetime, a string) or ``circulars`` that are not circulars,
    :class:`~tthc_flow.errors.InvalidInputError`."""
    if type(day) is not date:
        what = "an instant" if isinstance(day, datetime) else f"a {type(day).__name__}"
        raise InvalidInputError(
            f"circular_in_force takes the receipt day as a date, got {what}, {shown(day)}.",
            value=day,
            hint="Pass a date, e.g. date(2025, 7, 1); for an instant, its local day in the "
            "case's time zone: at.astimezone(ZoneInfo('Asia/Ho_Chi_Minh')).date().",
        )
    found = checked_circulars(circulars)
    best: Circular | None = None
    for circular in found:
        if circular.applies_from <= day and (
            best is None or circular.applies_from > best.applies_from
        ):
            best = circular
    if best is None:
        raise FormNotApplicableError(
            f"no circular lays out forms for a case received on {day:%d/%m/%Y}; the earliest "
            "applies from "
            + min(c.applies_from for c in found).strftime("%d/%m/%Y")
            + ". Pass a circular of your own for earlier cases.",
            form="any",
            case_id="",
        )
    return best


def under_decree_118(circular: Circular) -> bool:
    """Whether forms laid out by ``circular`` are those of a case under Decree 118/2025/NĐ-CP
    (received from 1 July 2025): the circular guides that decree, as Circular 03/2025/TT-VPCP
    does (a host's own circular for it too). Their papers use the decree's wording."""
    return circular.guides == CIRCULAR_03_2025.guides

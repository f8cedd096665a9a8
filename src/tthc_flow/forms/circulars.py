"""The circulars that lay out the one-stop forms, and which one applies to a case.

A case's forms follow the circular in force on the day it was **received** (ngày tiếp nhận),
the same rule the engine applies to rule packs:

- **Circular 01/2018/TT-VPCP** (guiding Decree 61/2018/NĐ-CP) for cases received before
  1 July 2025. It was issued on 23 November 2018; the library also uses its layout for the
  months of 2018 before that, when Decree 61/2018 was already in force and no other layout
  exists to model. Its forms are Mẫu số 01 to 06.
- **Circular 03/2025/TT-VPCP** (guiding Decree 118/2025/NĐ-CP) for cases received from
  1 July 2025. Its numbering could only be taken from a secondary source (a published
  analysis listing its Annex I: 01 receipt, 02 supplement request, 03 refusal, 04 apology,
  05 stop notice, 06 control slip, 07 ledger), so every number is marked *not verified*; the
  titles are kept as in 2018 for the same reason (the same source names 04 "văn bản xin lỗi
  và đề nghị gia hạn thời gian giải quyết"). Only this circular has the stop notice.

Both are data (:class:`Circular`); a host that has checked a text replaces them.

>>> from datetime import date
>>> circular_in_force(date(2025, 6, 30)).code, circular_in_force(date(2025, 7, 1)).code
('01/2018/TT-VPCP', '03/2025/TT-VPCP')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType

import attrs

from tthc_flow.errors import FormNotApplicableError
from tthc_flow.forms.model import FormKind, FormSpec, Page

__all__ = [
    "CIRCULARS",
    "CIRCULAR_01_2018",
    "CIRCULAR_03_2025",
    "Circular",
    "circular_in_force",
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


_TITLES = {
    FormKind.RECEIPT: ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", Page.A5),
    FormKind.SUPPLEMENT_REQUEST: ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", Page.A5),
    FormKind.REFUSAL: ("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", Page.A5),
    FormKind.APOLOGY: ("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", Page.A5),
    FormKind.STOP_NOTICE: ("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", Page.A5),
    FormKind.CONTROL_SLIP: ("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", Page.A4),
    FormKind.LEDGER: ("SỔ THEO DÕI HỒ SƠ", Page.A4_LANDSCAPE),
}

_NUMBERS_2018 = {
    FormKind.RECEIPT: "01",
    FormKind.SUPPLEMENT_REQUEST: "02",
    FormKind.REFUSAL: "03",
    FormKind.APOLOGY: "04",
    FormKind.CONTROL_SLIP: "05",
    FormKind.LEDGER: "06",
}

_NUMBERS_2025 = {
    FormKind.RECEIPT: "01",
    FormKind.SUPPLEMENT_REQUEST: "02",
    FormKind.REFUSAL: "03",
    FormKind.APOLOGY: "04",
    FormKind.STOP_NOTICE: "05",
    FormKind.CONTROL_SLIP: "06",
    FormKind.LEDGER: "07",
}

_NOTE_2025 = (
    "number taken from a secondary source listing Annex I of Circular 03/2025/TT-VPCP "
    "(05 there is the stop notice, thông báo dừng giải quyết hồ sơ); not checked against the "
    "circular's text"
)

CIRCULAR_01_2018 = Circular(
    code="01/2018/TT-VPCP",
    guides="Nghị định 61/2018/NĐ-CP",
    applies_from=date(2018, 6, 21),
    forms=[
        FormSpec(kind, f"Mẫu số {_NUMBERS_2018[kind]}", title, page, verified=True)
        for kind, (title, page) in _TITLES.items()
        if kind in _NUMBERS_2018
    ],
)

CIRCULAR_03_2025 = Circular(
    code="03/2025/TT-VPCP",
    guides="Nghị định 118/2025/NĐ-CP",
    applies_from=date(2025, 7, 1),
    forms=[
        FormSpec(
            kind, f"Mẫu số {_NUMBERS_2025[kind]}", title, page, verified=False, note=_NOTE_2025
        )
        for kind, (title, page) in _TITLES.items()
    ],
)

CIRCULARS: tuple[Circular, ...] = (CIRCULAR_01_2018, CIRCULAR_03_2025)


def circular_in_force(day: date, circulars: Iterable[Circular] = CIRCULARS) -> Circular:
    """The circular whose forms apply to a case received on ``day``: the one with the latest
    ``applies_from`` on or before it. A day before every circular raises
    :class:`~tthc_flow.errors.FormNotApplicableError`."""
    best: Circular | None = None
    for circular in circulars:
        if circular.applies_from <= day and (
            best is None or circular.applies_from > best.applies_from
        ):
            best = circular
    if best is None:
        raise FormNotApplicableError(
            f"no circular lays out forms for a case received on {day:%d/%m/%Y}; the earliest "
            "applies from "
            + min((c.applies_from for c in circulars), default=date.max).strftime("%d/%m/%Y")
            + ". Pass a circular of your own for earlier cases.",
            form="any",
            case_id="",
        )
    return best

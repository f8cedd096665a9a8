"""Labels (nhãn): every word the library prints for a person, in one table, Vietnamese first.

Official papers (the forms of :mod:`tthc_flow.forms`) are printed in Vietnamese only by
default, as an agency hands them to applicants; ``language="en"`` adds an English gloss in
parentheses after each label (``Tiếp nhận hồ sơ của (applicant)``), for readers who are
learning the forms, as :mod:`holidays` takes ``language=``. The values the forms print from a
case (names, reasons, documents, instants in words) are never translated.

The library's labelled enums (:class:`~tthc_flow.engine.ResultClass`,
:class:`~tthc_flow.engine.Phase`, :class:`~tthc_flow.calendar.DayKind`…) have a stable code
as their value (``"early"``, the member's name in lower case: what JSON, catalogs and
journals store) and read their labels from this table: ``.vietnamese``, ``.english``,
``.label`` (Vietnamese with the English gloss, for reports and the command line) and
``.text(language)`` (what a form prints in that language).

This module imports only :mod:`tthc_flow.errors`, so every other module may use it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from tthc_flow._validators import shown
from tthc_flow.errors import InvalidInputError

__all__ = [
    "DEFAULT_LANGUAGE",
    "ENUM_LABELS",
    "FORM_LABELS",
    "LANGUAGES",
    "Label",
    "Labelled",
    "checked_language",
    "form_text",
]

#: The languages a form prints in: ``vi`` Vietnamese only (the official paper), ``en``
#: Vietnamese with English glosses.
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


def checked_language(language: Any) -> str:
    """``language`` if it is one of :data:`LANGUAGES`, else
    :class:`~tthc_flow.errors.InvalidInputError` listing them."""
    if isinstance(language, str) and language in LANGUAGES:
        return language
    raise InvalidInputError(
        f"language must be one of {', '.join(map(repr, LANGUAGES))}, got {shown(language)}.",
        value=language,
        hint='Pass language="vi" for the official paper, or "en" to add English glosses.',
    )


@attrs.frozen
class Label:
    """One label: the Vietnamese text and its English gloss. Either may hold ``{name}``
    fields, filled by :meth:`text` from its keyword arguments."""

    vi: str
    en: str

    def text(self, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
        """The Vietnamese text, followed in ``en`` by `` (gloss)``; the gloss goes before a
        closing colon or full stop, so ``…như sau:`` becomes ``…như sau (gloss):``."""
        vi = self.vi.format(**values) if values else self.vi
        if checked_language(language) == "vi" or not self.en:
            return vi
        en = self.en.format(**values) if values else self.en
        if vi.endswith((":", ".")):
            return f"{vi[:-1]} ({en}){vi[-1]}"
        return f"{vi} ({en})"


def _table(rows: Mapping[str, tuple[str, str]]) -> Mapping[str, Label]:
    return MappingProxyType({key: Label(vi, en) for key, (vi, en) in rows.items()})


#: The labels of the library's enums: ``ENUM_LABELS[enum class name][member code]``.
ENUM_LABELS: Mapping[str, Mapping[str, Label]] = MappingProxyType({
    "EventKind": _table({
        "received": ("Tiếp nhận hồ sơ", "received"),
        "handed_over": ("Chuyển xử lý", "handed over"),
        "sent_back": ("Trả lại để xử lý lại", "sent back"),
        "paused": ("Tạm dừng", "paused"),
        "resumed": ("Tiếp tục xử lý", "resumed"),
        "supplement_requested": ("Yêu cầu bổ sung hồ sơ", "supplement requested"),
        "supplement_received": ("Nhận hồ sơ bổ sung", "supplement received"),
        "rescheduled": ("Xin lỗi và hẹn lại ngày trả", "rescheduled with apology"),
        "resolved": ("Đã xử lý xong", "resolved"),
        "returned": ("Đã trả kết quả", "result returned"),
        "refused": ("Từ chối giải quyết", "refused"),
        "withdrawn": ("Rút hồ sơ", "withdrawn"),
        "stopped": ("Dừng giải quyết hồ sơ", "stopped"),
        "closed": ("Đóng hồ sơ", "closed: not completed by the applicant"),
        "consulted": ("Lấy ý kiến", "consultation requested"),
        "answered": ("Trả lời ý kiến", "consultation answered"),
        "proceeded_without_answer": (
            "Báo chậm trả lời, giải quyết tiếp", "proceeded without the answer"
        ),
    }),
    "ResultClass": _table({
        "early": ("trước hạn", "early"),
        "on_time": ("đúng hạn", "on time"),
        "overdue": ("quá hạn", "overdue"),
        "in_progress": ("đang giải quyết, trong hạn", "in progress"),
        "in_progress_overdue": ("đang giải quyết, quá hạn", "in progress, overdue"),
        "closed": (
            "đóng hồ sơ do không bổ sung", "closed: the applicant never completed the dossier"
        ),
    }),
    "ClockStatus": _table({
        "not_started": ("chưa bắt đầu", "not started"),
        "running": ("đang tính", "running"),
        "paused": ("tạm dừng", "paused"),
        "waiting": (
            "chờ bổ sung, thời hạn sẽ tính lại từ đầu",
            "awaiting the applicant; the time restarts",
        ),
        "stopped": ("đã kết thúc", "stopped"),
    }),
    "Phase": _table({
        "new": ("chưa tiếp nhận", "not received"),
        "processing": ("đang xử lý", "processing"),
        "paused": ("tạm dừng", "paused"),
        "awaiting_supplement": ("chờ bổ sung hồ sơ", "awaiting supplement"),
        "resolved": ("đã xử lý xong, chờ trả kết quả", "resolved, awaiting return"),
        "returned": ("đã trả kết quả", "result returned"),
        "refused": ("từ chối giải quyết", "refused"),
        "withdrawn": ("công dân rút hồ sơ", "withdrawn"),
        "stopped": ("dừng giải quyết hồ sơ", "stopped"),
        "closed": ("đóng hồ sơ do không bổ sung", "closed: never completed by the applicant"),
    }),
    "Effect": _table({
        "pause": ("tạm dừng", "time excluded"),
        "restart": (
            "tính lại từ đầu", "budget restarts from zero when the pause ends"
        ),
        "none": ("không ảnh hưởng", "runs inside the budget"),
    }),
    "Invoker": _table({
        "step_unit": ("đơn vị đang xử lý", "the unit of the current step"),
        "reception": ("bộ phận tiếp nhận", "the reception desk"),
        "any_step_unit": ("bất kỳ đơn vị nào của quy trình", "any unit of the procedure"),
    }),
    "ProcedureKind": _table({
        "one_stop": ("một cửa", "one-stop"),
        "inter_agency": ("một cửa liên thông", "one-stop, inter-agency"),
        "internal": ("thủ tục hành chính nội bộ", "internal procedure"),
    }),
    "ZeroBudget": _table({
        "same_day": ("trong ngày làm việc", "same working day"),
        "no_time": ("không có thời gian", "no time at all"),
    }),
    "AfterCutoff": _table({
        "start_of_next_day": (
            "đầu giờ ngày làm việc tiếp theo", "at the start of the next working day"
        ),
        "next_day": ("trong ngày làm việc tiếp theo", "within the next working day"),
    }),
    "Order": _table({
        "parallel": ("song song, hồ sơ điện tử", "parallel, online dossier: Art. 20(2)(b)"),
        "sequential": ("tuần tự, hồ sơ giấy", "fixed sequence, paper dossier: Art. 20(2)(a)"),
    }),
    "DayKind": _table({
        "workday": ("ngày làm việc", "working day"),
        "weekly_rest": ("ngày nghỉ hằng tuần", "weekly rest day"),
        "public_holiday": ("ngày nghỉ lễ, Tết", "public holiday"),
        "compensatory_day_off": ("ngày nghỉ bù", "compensatory day off"),
        "swapped_day_off": ("ngày nghỉ hoán đổi", "swapped day off"),
        "makeup_workday": ("ngày làm bù", "make-up working day"),
        "local_closure": ("ngày nghỉ theo quyết định của địa phương", "local closure"),
        "local_opening": (
            "ngày làm việc bổ sung theo quyết định của địa phương", "local extra working day"
        ),
    }),
})  # fmt: skip


class Labelled(enum.Enum):
    """An enum whose value is a stable code and whose labels are in :data:`ENUM_LABELS`."""

    @property
    def _label(self) -> Label:
        return ENUM_LABELS[type(self).__name__][self.value]

    @property
    def vietnamese(self) -> str:
        """The Vietnamese label: ``trước hạn``."""
        return self._label.vi

    @property
    def english(self) -> str:
        """The English gloss: ``early``."""
        return self._label.en

    @property
    def label(self) -> str:
        """Vietnamese with the English gloss, for reports and the command line:
        ``trước hạn (early)``."""
        return self._label.text("en")

    def text(self, language: str = DEFAULT_LANGUAGE) -> str:
        """What a form prints: :attr:`vietnamese`, with the gloss in ``en``."""
        return self._label.text(language)


#: The labels of the official papers, by form part. A test checks that every key is used.
FORM_LABELS: Mapping[str, Label] = _table({
    # Printed by every form's frame (the renderers).
    "frame.code": ("Mã hồ sơ", "code"),
    "frame.notes": ("Ghi chú", "notes"),
    "frame.no_rows": ("Không có dòng nào", "no rows"),
    # The applicant's lines, on every form of a case.
    "applicant.applicant": ("Tiếp nhận hồ sơ của", "applicant"),
    "applicant.address": ("Địa chỉ", "address"),
    "applicant.phone": ("Số điện thoại", "phone"),
    "applicant.email": ("Thư điện tử", "email"),
    "applicant.request": ("Nội dung yêu cầu giải quyết", "request"),
    "applicant.request_value": ("{name} (mã thủ tục {code}, phiên bản {version})", ""),
    "case.received": ("Thời gian nhận hồ sơ", "received"),
    "due.waiting": (
        "Chưa có, sẽ xác định khi nhận đủ hồ sơ", "none yet: set when the complete dossier arrives"
    ),
    "due.never_completed": (
        "Không có, hồ sơ chưa được bổ sung đầy đủ", "none: the dossier was never completed"
    ),
    # Giấy tiếp nhận hồ sơ và hẹn trả kết quả.
    "receipt.documents": ("1. Thành phần hồ sơ nộp gồm", "documents filed"),
    "receipt.copies": ("2. Số lượng hồ sơ", "sets"),
    "receipt.copies_value": ("{copies} bộ", ""),
    "receipt.time": ("3. Thời gian giải quyết hồ sơ theo quy định", "processing time"),
    "receipt.received": ("4. Thời gian nhận hồ sơ", "received"),
    "receipt.due": ("5. Thời gian trả kết quả giải quyết hồ sơ", "result due"),
    "receipt.deliver_to": ("6. Đăng ký nhận kết quả tại", "result collected at"),
    "receipt.ledger_entry": ("Vào Sổ theo dõi hồ sơ, quyển số, số thứ tự", "ledger entry"),
    "receipt.applicant_signs": ("NGƯỜI NỘP HỒ SƠ", "applicant"),
    "receipt.officer_signs": ("NGƯỜI TIẾP NHẬN HỒ SƠ", "receiving officer"),
    "receipt.note_copies": (
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả được lập thành 2 liên: một liên kèm theo "
        "Phiếu kiểm soát quá trình giải quyết hồ sơ, lưu tại Bộ phận tiếp nhận và trả kết "
        "quả; một liên giao cho cá nhân, tổ chức nộp hồ sơ.",
        "two copies: one kept with the control slip, one for the applicant",
    ),
    "receipt.note_delivery": (
        "Cá nhân, tổ chức có thể đăng ký nhận kết quả tại Bộ phận tiếp nhận và trả kết quả "
        "hoặc tại nhà (trụ sở tổ chức) qua dịch vụ bưu chính.",
        "the result may be collected at the desk or delivered by post",
    ),
    # Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
    "supplement.content": (
        "Nội dung yêu cầu bổ sung, hoàn thiện hồ sơ", "to supplement or correct"
    ),
    "supplement.documents": ("Căn cứ, tài liệu kèm theo", "documents cited"),
    "supplement.unit": ("Đơn vị yêu cầu", "requesting unit"),
    "supplement.at": ("Thời gian yêu cầu", "requested at"),
    "supplement.contact": (
        "Trong quá trình bổ sung, hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ {unit} "
        "để được hướng dẫn.",
        "",
    ),
    "supplement.signs": ("NGƯỜI HƯỚNG DẪN", "officer"),
    # Phiếu từ chối tiếp nhận giải quyết hồ sơ.
    "refusal.statement": (
        "Qua xem xét, đối chiếu, {unit} không tiếp nhận, giải quyết hồ sơ này với lý do cụ "
        "thể như sau:",
        "the case is refused, for the reason below",
    ),
    "refusal.reason": ("Lý do", "reason"),
    "refusal.at": ("Thời gian từ chối", "refused at"),
    "refusal.closing": ("Xin thông báo để ông/bà được biết và thực hiện.", ""),
    "notice.officer_signs": ("NGƯỜI LẬP PHIẾU", "officer"),
    # Phiếu xin lỗi và hẹn lại ngày trả kết quả (2018); văn bản xin lỗi và đề nghị gia hạn
    # thời gian giải quyết (2025).
    "apology.due": ("Thời gian hẹn trả kết quả", "result due as appointed"),
    "apology.reason_2025": ("Lý do quá hạn", "reason for the delay"),
    "apology.unit_2025": ("Đơn vị đề nghị gia hạn", "unit asking for the extension"),
    "apology.statement_2025": (
        "{unit} xin lỗi ông/bà vì hồ sơ dự kiến quá hạn giải quyết và đề nghị gia hạn thời "
        "gian giải quyết, hẹn trả kết quả vào thời gian dưới đây. Rất mong nhận được sự "
        "thông cảm của ông/bà.",
        "apology and request for an extension",
    ),
    "apology.new_due_2025": ("Thời gian đề nghị gia hạn trả kết quả", "proposed new date"),
    "apology.reason_2018": ("Lý do chậm trả kết quả", "reason for the delay"),
    "apology.unit_2018": ("Đơn vị chậm giải quyết", "delaying unit"),
    "apology.statement_2018": (
        "{unit} xin lỗi ông/bà vì sự chậm trễ này và hẹn trả kết quả vào thời gian dưới đây. "
        "Rất mong nhận được sự thông cảm của ông/bà.",
        "apology with a new date",
    ),
    "apology.new_due_2018": ("Thời gian hẹn trả kết quả mới", "new date"),
    "apology.signs": ("THỦ TRƯỞNG ĐƠN VỊ", "head of the unit"),
    # Thông báo dừng giải quyết hồ sơ (Decree 118/2025 Art. 21).
    "stop.statement": (
        "Theo đề nghị của ông/bà, {unit} thông báo dừng giải quyết hồ sơ.",
        "processing stops at the applicant's request",
    ),
    "stop.request": ("Đề nghị của người nộp", "the applicant's request"),
    "stop.at": ("Thời gian dừng", "stopped at"),
    "stop.closing": (
        "Việc trả lại hồ sơ giấy và phí, lệ phí (nếu có) thực hiện theo quy định của pháp "
        "luật chuyên ngành.",
        "",
    ),
    # Phiếu kiểm soát quá trình giải quyết hồ sơ.
    "slip.column.number": ("TT", ""),
    "slip.column.unit": ("Tên cơ quan, bộ phận — bước", "unit — step"),
    "slip.column.handover": ("Thời gian giao, nhận hồ sơ", "received, handed over"),
    "slip.column.result": (
        "Kết quả giải quyết (trước hạn / đúng hạn / quá hạn)", "early / on time / overdue"
    ),
    "slip.column.notes": ("Ghi chú", "notes"),
    "slip.due": ("Thời gian hẹn trả kết quả", "result due"),
    "slip.units": ("Cơ quan, bộ phận đã xử lý", "units"),
    "slip.status": ("Tình trạng tại", "status as of"),
    "slip.legal_clock": ("thời hạn chung", "legal clock"),
    "slip.received": ("Nhận", "received"),
    "slip.handed_over": ("Giao", "handed over"),
    "slip.sent_back": ("Trả lại", "sent back"),
    "slip.in_parallel": ("→ song song", "in parallel"),
    "slip.by": ("Người giao", "by"),
    "slip.done_by": ("Người thực hiện", "by"),
    "slip.held": ("Đang giữ hồ sơ", "still held"),
    "slip.budget": ("Thời hạn", "budget"),
    "slip.used": ("Đã dùng", "used"),
    "slip.step_due": ("Hạn", "due"),
    "slip.incomplete": ("chưa đầy đủ", "incomplete"),
    "slip.new_date": ("hẹn mới", "new date"),
    "slip.after_end": (
        "Ghi nhận sau khi hồ sơ đã kết thúc:", "recorded after the case ended"
    ),
    "slip.violation": ("Vi phạm", "violation"),
    "slip.end.returned": ("Trả kết quả cho người nộp", "result returned"),
    "slip.end.refused": ("Từ chối giải quyết", "refused"),
    "slip.end.withdrawn": ("Người nộp rút hồ sơ", "withdrawn"),
    "slip.end.stopped": ("Dừng giải quyết hồ sơ", "stopped"),
    "slip.end.closed": ("Đóng hồ sơ", "closed"),
    # Sổ theo dõi hồ sơ.
    "ledger.column.number": ("STT", ""),
    "ledger.column.code": ("Mã hồ sơ", "code"),
    "ledger.column.procedure": ("Tên thủ tục hành chính", "procedure"),
    "ledger.column.copies": ("Số lượng hồ sơ (bộ)", "sets"),
    "ledger.column.applicant": ("Tên cá nhân, tổ chức", "applicant"),
    "ledger.column.address": ("Địa chỉ, số điện thoại", "address, phone"),
    "ledger.column.lead": ("Cơ quan chủ trì giải quyết", "lead unit"),
    "ledger.column.received": ("Nhận hồ sơ", "received"),
    "ledger.column.due": ("Hẹn trả kết quả", "due"),
    "ledger.column.handed_over": ("Chuyển hồ sơ đến cơ quan giải quyết", "handed over"),
    "ledger.column.result_ready": ("Nhận kết quả từ cơ quan giải quyết", "result ready"),
    "ledger.column.returned": ("Trả kết quả cho cá nhân, tổ chức", "returned"),
    "ledger.column.notes": ("Ghi chú", "notes"),
    "ledger.legal_clock": ("Thời hạn chung", "legal clock"),
    "ledger.due_now": ("Hạn sau điều chỉnh", "due now"),
    "ledger.date": ("Ngày", "date"),
    "ledger.count": ("Số hồ sơ", "cases"),
    "ledger.end.refused": ("Từ chối", "refused"),
    "ledger.end.withdrawn": ("Rút hồ sơ", "withdrawn"),
    "ledger.end.stopped": ("Dừng giải quyết hồ sơ", "stopped"),
    "ledger.end.closed": ("Đóng hồ sơ", "closed"),
})  # fmt: skip


def form_text(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The form label ``key`` of :data:`FORM_LABELS` in ``language``, its fields filled from
    ``values``."""
    return FORM_LABELS[key].text(language, **values)

"""The forms handed to the applicant: receipt and appointment (giấy tiếp nhận hồ sơ và hẹn trả
kết quả), supplement request (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ), refusal (phiếu từ chối
tiếp nhận giải quyết hồ sơ), the apology (until June 2025 with a new date, phiếu xin lỗi và hẹn
lại ngày trả kết quả; from July 2025 with a request for an extension, văn bản xin lỗi và đề
nghị gia hạn thời gian giải quyết), and from July 2025 the stop notice (thông báo dừng giải
quyết hồ sơ).

Each reads the case's events: a form the events do not support (an apology for a case never
rescheduled) raises :class:`~tthc_flow.errors.FormNotApplicableError`. Fields follow the order
of Circular 01/2018/TT-VPCP's forms. Under Circular 03/2025/TT-VPCP, whose text could not be
read (see :mod:`tthc_flow.forms.circulars`), the apology says what Decree 118/2025 Art. 19(6)
requires of it (the reason for the delay and the proposed new date), the stop notice what
Art. 21 says of a stop at the applicant's request, and the other forms keep the 2018 order.
A legal due the case does not have (the applicant is awaited for a supplement that restarts
the time) prints as the date to be set when the complete dossier arrives.
"""

from __future__ import annotations

from collections.abc import Iterable

from tthc_flow.engine import Case, Event, EventKind
from tthc_flow.errors import FormNotApplicableError, InvalidInputError
from tthc_flow.forms.circulars import CIRCULAR_03_2025, CIRCULARS, Circular
from tthc_flow.forms.common import (
    a_case,
    applicant_fields,
    attribute,
    case_circular,
    case_code,
    instant_vi,
    issuer_lines,
    legal_due_vi,
    listing,
    local_day,
    place_date,
)
from tthc_flow.forms.model import BLANK, Form, FormField, FormKind, FormSpec, Signature
from tthc_flow.validators import shown

__all__ = ["RECEIPT_NOTES", "apology", "receipt", "refusal", "stop_notice", "supplement_request"]

# The footnote of the receipt form: two copies, and where the result may be collected.
RECEIPT_NOTES = (
    "Giấy tiếp nhận hồ sơ và hẹn trả kết quả được lập thành 2 liên: một liên kèm theo Phiếu "
    "kiểm soát quá trình giải quyết hồ sơ, lưu tại Bộ phận tiếp nhận và trả kết quả; một liên "
    "giao cho cá nhân, tổ chức nộp hồ sơ (two copies: one kept with the control slip, one for "
    "the applicant).",
    "Cá nhân, tổ chức có thể đăng ký nhận kết quả tại Bộ phận tiếp nhận và trả kết quả hoặc "
    "tại nhà (trụ sở tổ chức) qua dịch vụ bưu chính (the result may be collected at the desk "
    "or delivered by post).",
)


def _event(case: Case, kind: EventKind, form: FormKind, number: int, missing: str) -> Event:
    a_case(case, form.value)
    if type(number) is not int:
        raise InvalidInputError(
            f"number must be an int (which {form.value} form of the case), got {shown(number)}.",
            value=number,
            hint="Pass number=1 for the first one; a bool is not a number.",
        )
    found = [e for e in case.events if e.kind is kind]
    if number < 1 or number > len(found):
        have = f"it has {len(found)}" if found else "it has none"
        raise FormNotApplicableError(
            f"case {case.case_id} cannot have a {form.value} form number {number}: {missing}; "
            f"{have}.",
            form=form.value,
            case_id=case.case_id,
        )
    return found[number - 1]


def _received(case: Case) -> FormField:
    return FormField(
        "Thời gian nhận hồ sơ (received)", instant_vi(case.received_at, case)
    )


def _notice(
    case: Case, spec: FormSpec, circular: Circular, event: Event, fields: list[FormField],
    signature: str, dossier_code: str | None,
) -> Form:  # fmt: skip
    """A notice issued by the unit of ``event``, dated the day of it and signed by its actor:
    what the supplement request, refusal, apology and stop notice share."""
    return Form(
        spec=spec,
        circular=circular.code,
        issuer=issuer_lines(case, event.unit),
        code=case_code(case, dossier_code),
        place_date=place_date(case, local_day(event, case)),
        fields=fields,
        signatures=(Signature(signature, event.actor),),
    )


def receipt(
    case: Case, *, dossier_code: str | None = None, circulars: Iterable[Circular] = CIRCULARS
) -> Form:
    """The receipt and appointment (giấy tiếp nhận hồ sơ và hẹn trả kết quả), as it was
    printed at receipt: the due instant is the legal clock's due at the receipt instant
    (later supplements or apologies do not change a receipt already handed over). Documents
    come from the ``documents`` attribute, else the receipt event's evidence."""
    a_case(case, FormKind.RECEIPT.value)
    circular = case_circular(case, circulars)
    first = case.events[0]
    total = case.procedure.total_for(case.attributes)
    due = legal_due_vi(case.legal_clock(case.received_at), case)
    documents = case.attributes.get("documents") or list(first.evidence)
    copies = case.attributes.get("copies")
    fields = [
        *applicant_fields(case),
        FormField("1. Thành phần hồ sơ nộp gồm (documents filed)", listing(documents)),
        FormField("2. Số lượng hồ sơ (sets)", f"{copies} bộ" if copies else BLANK),
        FormField("3. Thời gian giải quyết hồ sơ theo quy định (processing time)", total.label),
        FormField("4. " + _received(case).label, _received(case).value),
        FormField("5. Thời gian trả kết quả giải quyết hồ sơ (result due)", due),
        FormField("6. Đăng ký nhận kết quả tại (result collected at)",
                  attribute(case, "deliver_to")),
        FormField("Vào Sổ theo dõi hồ sơ, quyển số, số thứ tự (ledger entry)",
                  attribute(case, "ledger_entry")),
    ]  # fmt: skip
    return Form(
        spec=circular.spec(FormKind.RECEIPT, case.case_id),
        circular=circular.code,
        issuer=issuer_lines(case, first.unit),
        code=case_code(case, dossier_code),
        place_date=place_date(case, local_day(first, case)),
        fields=fields,
        signatures=(
            Signature("NGƯỜI NỘP HỒ SƠ (applicant)"),
            Signature("NGƯỜI TIẾP NHẬN HỒ SƠ (receiving officer)", first.actor),
        ),
        notes=RECEIPT_NOTES,
    )


def supplement_request(
    case: Case,
    *,
    number: int = 1,
    dossier_code: str | None = None,
    circulars: Iterable[Circular] = CIRCULARS,
) -> Form:
    """The supplement request (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ) for the ``number``-th
    request of the case (the law allows one; a second exists only in a history imported in
    audit mode). What to supplement is the request's note; its evidence is listed as the
    documents cited."""
    kind = FormKind.SUPPLEMENT_REQUEST
    event = _event(
        case, EventKind.SUPPLEMENT_REQUESTED, kind, number, "no supplement request was made"
    )
    circular = case_circular(case, circulars)
    fields = [
        *applicant_fields(case),
        _received(case),
        FormField(
            "Nội dung yêu cầu bổ sung, hoàn thiện hồ sơ (to supplement or correct)",
            event.reason or BLANK,
        ),
        FormField("Căn cứ, tài liệu kèm theo (documents cited)", listing(event.evidence)),
        FormField("Đơn vị yêu cầu (requesting unit)", event.unit),
        FormField("Thời gian yêu cầu (requested at)", instant_vi(event.at, case)),
        FormField(
            "",
            "Trong quá trình bổ sung, hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ "
            f"{event.unit} để được hướng dẫn.",
        ),
    ]
    return _notice(
        case, circular.spec(kind, case.case_id), circular, event, fields,
        "NGƯỜI HƯỚNG DẪN (officer)", dossier_code,
    )  # fmt: skip


def refusal(
    case: Case, *, dossier_code: str | None = None, circulars: Iterable[Circular] = CIRCULARS
) -> Form:
    """The refusal (phiếu từ chối tiếp nhận giải quyết hồ sơ) of a refused case, with the
    written reason of its refusal event."""
    kind = FormKind.REFUSAL
    event = _event(case, EventKind.REFUSED, kind, 1, "the case was not refused")
    circular = case_circular(case, circulars)
    fields = [
        *applicant_fields(case),
        _received(case),
        FormField(
            "",
            f"Qua xem xét, đối chiếu, {event.unit} không tiếp nhận, giải quyết hồ sơ này "
            "(the case is refused) với lý do cụ thể như sau:",
        ),
        FormField("Lý do (reason)", event.reason or BLANK),
        FormField("Thời gian từ chối (refused at)", instant_vi(event.at, case)),
        FormField("", "Xin thông báo để ông/bà được biết và thực hiện."),
    ]
    return _notice(
        case, circular.spec(kind, case.case_id), circular, event, fields,
        "NGƯỜI LẬP PHIẾU (officer)", dossier_code,
    )  # fmt: skip


def apology(
    case: Case, *, dossier_code: str | None = None, circulars: Iterable[Circular] = CIRCULARS
) -> Form:
    """The apology of a rescheduled case, issued by the unit that rescheduled (the delaying
    unit, which apologises).

    Under Circular 01/2018/TT-VPCP it is the apology with a new date (phiếu xin lỗi và hẹn lại
    ngày trả kết quả, Decree 61/2018 Art. 12(5)). Under Circular 03/2025/TT-VPCP it is the
    apology and request for an extension (văn bản xin lỗi và đề nghị gia hạn thời gian giải
    quyết): Decree 118/2025 Art. 19(6) has it state the reason for the delay and the proposed
    new date (Phiếu đề nghị gia hạn thời gian giải quyết).

    The date first appointed is the legal clock's due just before the reschedule (so a
    restart after a supplement counts); the new one is the reschedule's.
    """
    kind = FormKind.APOLOGY
    event = _event(case, EventKind.RESCHEDULED, kind, 1, "the case was never rescheduled")
    due = legal_due_vi(case.clocks.prefix(event.seq).legal_clock(event.at), case)
    new_due = instant_vi(event.new_due, case, due=True) if event.new_due else BLANK
    circular = case_circular(case, circulars)
    fields = [
        *applicant_fields(case),
        _received(case),
        FormField("Thời gian hẹn trả kết quả (result due as appointed)", due),
    ]
    if circular.guides == CIRCULAR_03_2025.guides:  # Decree 118/2025 Art. 19(6)
        fields += [
            FormField("Lý do quá hạn (reason for the delay)", event.reason or BLANK),
            FormField("Đơn vị đề nghị gia hạn (unit asking for the extension)", event.unit),
            FormField(
                "",
                f"{event.unit} xin lỗi ông/bà vì hồ sơ dự kiến quá hạn giải quyết và đề nghị "
                "gia hạn thời gian giải quyết, hẹn trả kết quả vào thời gian dưới đây (apology "
                "and request for an extension). Rất mong nhận được sự thông cảm của ông/bà.",
            ),
            FormField("Thời gian đề nghị gia hạn trả kết quả (proposed new date)", new_due),
        ]
    else:
        fields += [
            FormField("Lý do chậm trả kết quả (reason for the delay)", event.reason or BLANK),
            FormField("Đơn vị chậm giải quyết (delaying unit)", event.unit),
            FormField(
                "",
                f"{event.unit} xin lỗi ông/bà vì sự chậm trễ này và hẹn trả kết quả vào "
                "thời gian dưới đây. Rất mong nhận được sự thông cảm của ông/bà.",
            ),
            FormField("Thời gian hẹn trả kết quả mới (new date)", new_due),
        ]
    return _notice(
        case, circular.spec(kind, case.case_id), circular, event, fields,
        "THỦ TRƯỞNG ĐƠN VỊ (head of the unit)", dossier_code,
    )  # fmt: skip


def stop_notice(
    case: Case, *, dossier_code: str | None = None, circulars: Iterable[Circular] = CIRCULARS
) -> Form:
    """The stop notice (thông báo dừng giải quyết hồ sơ) of a case stopped at the applicant's
    request (Decree 118/2025 Art. 21): the stop event's reason is the applicant's written
    request. Only Circular 03/2025/TT-VPCP has this form: a case received before 1 July 2025
    raises :class:`~tthc_flow.errors.FormNotApplicableError`, as does a case that was not
    stopped."""
    kind = FormKind.STOP_NOTICE
    a_case(case, kind.value)
    circular = case_circular(case, circulars)
    spec = circular.spec(kind, case.case_id)
    event = _event(case, EventKind.STOPPED, kind, 1, "the case was not stopped")
    fields = [
        *applicant_fields(case),
        _received(case),
        FormField(
            "",
            f"Theo đề nghị của ông/bà, {event.unit} thông báo dừng giải quyết hồ sơ "
            "(processing stops at the applicant's request).",
        ),
        FormField("Đề nghị của người nộp (the applicant's request)", event.reason or BLANK),
        FormField("Thời gian dừng (stopped at)", instant_vi(event.at, case)),
        FormField(
            "",
            "Việc trả lại hồ sơ giấy và phí, lệ phí (nếu có) thực hiện theo quy định của pháp "
            "luật chuyên ngành.",
        ),
    ]
    return _notice(
        case, spec, circular, event, fields, "NGƯỜI LẬP PHIẾU (officer)", dossier_code
    )

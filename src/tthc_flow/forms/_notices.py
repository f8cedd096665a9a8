"""The forms handed to the applicant: receipt and appointment (giấy tiếp nhận hồ sơ và hẹn trả
kết quả), supplement request (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ), refusal (phiếu từ chối
tiếp nhận giải quyết hồ sơ until June 2025; from July 2025 phiếu từ chối giải quyết hồ sơ,
Decree 118/2025 Art. 19(3)), the apology (until June 2025 with a new date, phiếu xin lỗi và hẹn
lại ngày trả kết quả; from July 2025 with a request for an extension, văn bản xin lỗi và đề
nghị gia hạn thời gian giải quyết), and from July 2025 the stop notice (thông báo dừng giải
quyết hồ sơ).

Each reads the case's events: a form the events do not support (an apology for a case never
rescheduled) raises :class:`~tthc_flow.errors.FormNotApplicableError`. Fields follow the order
of Circular 01/2018/TT-VPCP's forms. Under Circular 03/2025/TT-VPCP, whose text could not be
read (see :mod:`tthc_flow.forms._circulars`), the apology says what Decree 118/2025 Art. 19(6)
requires of it (the reason for the delay and the proposed new date), the stop notice what
Art. 21 says of a stop at the applicant's request, and the other forms keep the 2018 order.
A legal due the case does not have (the applicant is awaited for a supplement that restarts
the time) prints as the date to be set when the complete dossier arrives. Where Decree 118/2025
words a paper differently from Circular 01/2018 (the desk's name, the refusal, the desk as the
supplement request's issuer and contact), a case under it gets the decree's wording
(:mod:`tthc_flow.forms._wording`); a case under the older rules keeps the older one.

Every builder takes ``language``: ``"vi"`` (the default) prints the official paper in
Vietnamese only; ``"en"`` adds English glosses to its labels (:mod:`tthc_flow.labels`).
"""

from __future__ import annotations

from collections.abc import Iterable

from tthc_flow._validators import shown
from tthc_flow.engine import Case, Event, EventKind, case_channel, replay_statuses
from tthc_flow.errors import FormNotApplicableError, InvalidInputError
from tthc_flow.forms._circulars import CIRCULAR_03_2025, CIRCULARS, Circular, under_decree_118
from tthc_flow.forms._common import (
    a_case,
    applicant_fields,
    attribute,
    case_circular,
    case_code,
    count_attribute,
    instant_vi,
    issuer_lines,
    labelled_fields,
    legal_due_vi,
    listing,
    local_day,
    place_date,
    received_field,
    texts_attribute,
)
from tthc_flow.forms._model import BLANK, Form, FormField, FormKind, FormSpec, Signature
from tthc_flow.forms._wording import DECREE_118_WORDING, supplement_article, worded
from tthc_flow.labels import DEFAULT_LANGUAGE, FORM_LABELS, checked_language, form_text

__all__ = [
    "RECEIPT_NOTES",
    "RECEIPT_NOTES_2025",
    "apology",
    "receipt",
    "refusal",
    "stop_notice",
    "supplement_request",
]

# The footnotes of the receipt form: two copies, and where the result may be collected; under
# Circular 01/2018 (RECEIPT_NOTES) and under Decree 118/2025 (RECEIPT_NOTES_2025).
RECEIPT_NOTES = (FORM_LABELS["receipt.note_copies"].vi, FORM_LABELS["receipt.note_delivery"].vi)
RECEIPT_NOTES_2025 = (
    DECREE_118_WORDING["receipt.note_copies"].vi,
    DECREE_118_WORDING["receipt.note_delivery"].vi,
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
            f"case {case.case_id} cannot have a {form.value} form number {shown(number)}: "
            f"{missing}; {have}.",
            form=form.value,
            case_id=case.case_id,
        )
    return found[number - 1]


def _notice(
    case: Case, spec: FormSpec, circular: Circular, event: Event, fields: list[FormField],
    signature: str, dossier_code: str | None, language: str, *, issued_by: str | None = None,
) -> Form:  # fmt: skip
    """A notice issued by the unit of ``event``, dated the day of it and signed by its actor:
    what the supplement request, refusal, apology and stop notice share. Issued by another
    unit (``issued_by``: the desk that sends a supplement request on), it is signed by hand
    there, unless ``event`` was that unit's own."""
    unit = event.unit if issued_by is None else issued_by
    return Form(
        spec=spec,
        circular=circular.code,
        issuer=issuer_lines(case, unit),
        code=case_code(case, dossier_code),
        place_date=place_date(case, local_day(event, case)),
        fields=fields,
        signatures=(
            Signature(form_text(signature, language), event.actor if unit == event.unit else ""),
        ),
        language=language,
    )


def receipt(
    case: Case,
    *,
    dossier_code: str | None = None,
    circulars: Iterable[Circular] = CIRCULARS,
    language: str = DEFAULT_LANGUAGE,
) -> Form:
    """The receipt and appointment (giấy tiếp nhận hồ sơ và hẹn trả kết quả), as it was
    printed at receipt: the due instant is the legal clock's due at the receipt instant
    (later supplements or apologies do not change a receipt already handed over). Documents
    come from the ``documents`` attribute, else the receipt event's evidence. Its footnotes
    name the desk as the case's decree does: Bộ phận Một cửa under Decree 118/2025
    (:mod:`tthc_flow.forms._wording`), Bộ phận tiếp nhận và trả kết quả before."""
    a_case(case, FormKind.RECEIPT.value)
    language = checked_language(language)
    circular = case_circular(case, circulars)
    first = case.events[0]
    total = case.procedure.total_for(case.attributes)
    due = legal_due_vi(case.legal_clock(case.received_at), case, language)
    documents = texts_attribute(case, "documents") or list(first.evidence)
    copies = count_attribute(case, "copies")
    field = labelled_fields(language)
    fields = [
        *applicant_fields(case, language),
        field("receipt.documents", listing(documents)),
        field("receipt.copies",
              form_text("receipt.copies_value", language, copies=copies) if copies else BLANK),
        field("receipt.time", total.label),
        field("receipt.received", instant_vi(case.received_at, case)),
        field("receipt.due", due),
        field("receipt.deliver_to", attribute(case, "deliver_to")),
        field("receipt.ledger_entry", attribute(case, "ledger_entry")),
    ]  # fmt: skip
    return Form(
        spec=circular.spec(FormKind.RECEIPT, case.case_id),
        circular=circular.code,
        issuer=issuer_lines(case, first.unit),
        code=case_code(case, dossier_code),
        place_date=place_date(case, local_day(first, case)),
        fields=fields,
        signatures=(
            Signature(form_text("receipt.applicant_signs", language)),
            Signature(form_text("receipt.officer_signs", language), first.actor),
        ),
        notes=(
            worded("receipt.note_copies", circular, language),
            worded("receipt.note_delivery", circular, language),
        ),
        language=language,
    )


def supplement_request(
    case: Case,
    *,
    number: int = 1,
    dossier_code: str | None = None,
    circulars: Iterable[Circular] = CIRCULARS,
    language: str = DEFAULT_LANGUAGE,
) -> Form:
    """The supplement request (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ) for the ``number``-th
    request of the case (the law allows one; a second exists only in a history imported in
    audit mode). What to supplement is the request's note; its evidence is listed as the
    documents cited.

    Under Decree 118/2025 the request reaches the applicant through the one-stop desk
    (Bộ phận Một cửa), never from the unit that asked (Art. 5(1)(e)): the desk that received
    the dossier issues the paper, the applicant is told to contact it, and its officer signs
    (by hand, unless the desk itself asked); a paragraph cites the article the request is
    made under, Art. 19(5) for a competent agency's request after appraisal, Art. 17 for the
    desk's own (:func:`tthc_flow.forms._wording.supplement_article`). The requesting unit is
    still named. Under Circular 01/2018 the requesting unit issues and signs it, as before.
    """
    kind = FormKind.SUPPLEMENT_REQUEST
    event = _event(
        case, EventKind.SUPPLEMENT_REQUESTED, kind, number, "no supplement request was made"
    )
    language = checked_language(language)
    circular = case_circular(case, circulars)
    field = labelled_fields(language)
    desk = case.events[0].unit  # the desk that received the dossier
    decree_118 = under_decree_118(circular)
    contact = desk if decree_118 else event.unit
    statement: list[FormField] = []
    if decree_118:
        # The stage is the engine's: a request made while the case is at the reception step
        # is the desk's (Art. 17); any later one is the competent agency's return (Art. 19(5)),
        # whoever recorded it, named by the unit holding the case.
        (before,) = replay_statuses(case.procedure, [case.events[: event.seq]],
                                    calendar=case.calendar)  # fmt: skip
        by_desk = case.procedure.first.key in before.steps
        holders = [case.procedure.step(step).unit for step in before.steps]
        unit = event.unit if event.unit in holders or not holders else holders[0]
        wording = DECREE_118_WORDING[
            "supplement.statement" if by_desk else "supplement.statement_agency"
        ]
        article = supplement_article(by_desk, case_channel(case.attributes))
        statement.append(
            FormField("", wording.text(language, article=article, desk=desk, unit=unit))
        )
    fields = [
        *applicant_fields(case, language),
        received_field(case, language),
        *statement,
        field("supplement.content", event.reason or BLANK),
        field("supplement.documents", listing(event.evidence)),
        field("supplement.unit", event.unit),
        field("supplement.at", instant_vi(event.at, case)),
        FormField("", form_text("supplement.contact", language, unit=contact)),
    ]
    return _notice(
        case, circular.spec(kind, case.case_id), circular, event, fields, "supplement.signs",
        dossier_code, language, issued_by=contact,
    )  # fmt: skip


def refusal(
    case: Case,
    *,
    dossier_code: str | None = None,
    circulars: Iterable[Circular] = CIRCULARS,
    language: str = DEFAULT_LANGUAGE,
) -> Form:
    """The refusal of a refused case, with the written reason of its refusal event. A case is
    refused after it was received: under Decree 118/2025 the paper is the Phiếu từ chối giải
    quyết hồ sơ of Art. 19(3), which cites that clause and says the dossier is not resolved
    ("không giải quyết hồ sơ này"); under Circular 01/2018 it is the phiếu từ chối tiếp nhận
    giải quyết hồ sơ, worded as before."""
    kind = FormKind.REFUSAL
    event = _event(case, EventKind.REFUSED, kind, 1, "the case was not refused")
    language = checked_language(language)
    circular = case_circular(case, circulars)
    field = labelled_fields(language)
    fields = [
        *applicant_fields(case, language),
        received_field(case, language),
        FormField("", worded("refusal.statement", circular, language, unit=event.unit)),
        field("refusal.reason", event.reason or BLANK),
        field("refusal.at", instant_vi(event.at, case)),
        FormField("", form_text("refusal.closing", language)),
    ]
    return _notice(
        case, circular.spec(kind, case.case_id), circular, event, fields,
        "notice.officer_signs", dossier_code, language,
    )  # fmt: skip


def apology(
    case: Case,
    *,
    dossier_code: str | None = None,
    circulars: Iterable[Circular] = CIRCULARS,
    language: str = DEFAULT_LANGUAGE,
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
    language = checked_language(language)
    due = legal_due_vi(case.clocks.prefix(event.seq).legal_clock(event.at), case, language)
    new_due = instant_vi(event.new_due, case, due=True) if event.new_due else BLANK
    circular = case_circular(case, circulars)
    # Decree 118/2025 Art. 19(6) under Circular 03/2025; Decree 61/2018 Art. 12(5) before.
    year = "2025" if circular.guides == CIRCULAR_03_2025.guides else "2018"
    field = labelled_fields(language)
    fields = [
        *applicant_fields(case, language),
        received_field(case, language),
        field("apology.due", due),
        field(f"apology.reason_{year}", event.reason or BLANK),
        field(f"apology.unit_{year}", event.unit),
        FormField("", form_text(f"apology.statement_{year}", language, unit=event.unit)),
        field(f"apology.new_due_{year}", new_due),
    ]
    return _notice(
        case, circular.spec(kind, case.case_id), circular, event, fields,
        "apology.signs", dossier_code, language,
    )  # fmt: skip


def stop_notice(
    case: Case,
    *,
    dossier_code: str | None = None,
    circulars: Iterable[Circular] = CIRCULARS,
    language: str = DEFAULT_LANGUAGE,
) -> Form:
    """The stop notice (thông báo dừng giải quyết hồ sơ) of a case stopped at the applicant's
    request (Decree 118/2025 Art. 21): the stop event's reason is the applicant's written
    request. Only Circular 03/2025/TT-VPCP has this form: a case received before 1 July 2025
    raises :class:`~tthc_flow.errors.FormNotApplicableError`, as does a case that was not
    stopped."""
    kind = FormKind.STOP_NOTICE
    a_case(case, kind.value)
    language = checked_language(language)
    circular = case_circular(case, circulars)
    spec = circular.spec(kind, case.case_id)
    event = _event(case, EventKind.STOPPED, kind, 1, "the case was not stopped")
    field = labelled_fields(language)
    fields = [
        *applicant_fields(case, language),
        received_field(case, language),
        FormField("", form_text("stop.statement", language, unit=event.unit)),
        field("stop.request", event.reason or BLANK),
        field("stop.at", instant_vi(event.at, case)),
        FormField("", form_text("stop.closing", language)),
    ]
    return _notice(
        case, spec, circular, event, fields, "notice.officer_signs", dossier_code, language
    )

"""What every form of a case prints the same way: instants in words, the legal due (or why
there is none), the applicant's lines, the issuing body, the circular that applies.

Case attributes read by the forms (all optional; a missing one prints as a blank to fill in
by hand, :data:`~tthc_flow.forms._model.BLANK`): ``applicant`` (người nộp), ``address``,
``phone``, ``email``, ``documents`` (a list of the documents filed), ``copies`` (number of
sets), ``deliver_to`` (where the result is collected), ``ledger_entry`` (book and number in
the case ledger), ``place`` (the place name printed before the date), ``dossier_code``. Each
is read with the JSON type :data:`~tthc_flow.forms.CASE_ATTRIBUTES` gives it: a value of
another type (``"copies": True``, ``"applicant": 5``) is refused with an
:class:`~tthc_flow.errors.InvalidInputError` naming the attribute, never printed as its
``str()`` (a case opened before attributes were checked, or read from an old journal, may
hold one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, NoReturn

from tthc_flow._validators import shown
from tthc_flow.calendar import MINUTES_PER_WORKING_DAY
from tthc_flow.codec import MAX_INTEGER
from tthc_flow.engine import Case, ClockReading, ClockStatus, Event
from tthc_flow.engine._budgets import Budget, SameWorkingDay, WorkingBudget
from tthc_flow.errors import FormNotApplicableError, InvalidInputError
from tthc_flow.forms._circulars import CIRCULARS, Circular, checked_circulars, circular_in_force
from tthc_flow.forms._model import BLANK, FormField
from tthc_flow.labels import DEFAULT_LANGUAGE, FORM_LABELS, form_text

__all__ = [
    "NEVER_COMPLETED_DUE",
    "WAITING_DUE",
    "a_case",
    "an_instant",
    "applicant_fields",
    "attribute",
    "case_circular",
    "case_code",
    "count_attribute",
    "duration_vi",
    "instant_short",
    "instant_vi",
    "issuer_lines",
    "labelled_fields",
    "legal_due_vi",
    "listing",
    "local_day",
    "place_date",
    "received_field",
    "text_attribute",
    "texts_attribute",
    "waited_to_end",
]

# What a form prints for the legal due while the applicant is awaited: a supplement request
# (Decree 118/2025 Art. 19(5), Decree 61/2018 as the rule packs read it) voids the date, and
# the time restarts from zero once the complete dossier arrives; and for a case that ended
# while the applicant was awaited (closed, or stopped). In Vietnamese; ``due_text`` glosses.
WAITING_DUE = FORM_LABELS["due.waiting"].vi
NEVER_COMPLETED_DUE = FORM_LABELS["due.never_completed"].vi


def a_case(case: Any, form: str) -> Case:
    """``case`` if it is a :class:`~tthc_flow.engine.Case`, else
    :class:`~tthc_flow.errors.InvalidInputError` naming the form asked for."""
    if not isinstance(case, Case):
        raise InvalidInputError(
            f"{form} is printed for a Case, got {shown(case)}.",
            value=case,
            hint="Pass the case, e.g. Case.from_events(procedure, events).",
        )
    return case


def an_instant(at: Any, case: Case, argument: str = "at") -> datetime:
    """``at`` in the case's calendar zone, if it is an aware datetime inside the calendar;
    else the calendar's typed error naming ``argument``."""
    return case.calendar.to_local(at, argument)


def _midnight(local: datetime) -> bool:
    return local.hour == local.minute == local.second == local.microsecond == 0


def _local(instant: datetime, case: Case) -> datetime | None:
    """``instant`` in the case's zone, or None for one recorded so near year 1 or 9999 that
    the zone has no such local time (it is then printed as recorded)."""
    try:
        return instant.astimezone(case.calendar.tz)
    except OverflowError:
        return None


def instant_vi(instant: datetime, case: Case, *, due: bool = False) -> str:
    """``09 giờ 00 phút, ngày 02 tháng 03 năm 2026`` in the case's calendar time zone.

    With ``due=True`` an instant at 00:00 is the end of the day before (a period counted in
    calendar days ends at 24:00, Civil Code 2015 Art. 148) and prints as ``24 giờ 00 phút``
    of that day. An instant that has no local time in the zone prints in ISO 8601, as
    recorded.
    """
    local = _local(instant, case)
    if local is None:
        return instant.isoformat()
    if due and _midnight(local) and local.date() != date.min:
        day = local.date() - timedelta(days=1)
        return f"24 giờ 00 phút, ngày {day:%d} tháng {day:%m} năm {day:%Y}"
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def instant_short(instant: datetime, case: Case, *, due: bool = False) -> str:
    """``09:00 02/03/2026`` (a due at 00:00 prints as ``24:00`` of the day before; an instant
    with no local time in the case's zone prints in ISO 8601, as recorded)."""
    local = _local(instant, case)
    if local is None:
        return instant.isoformat()
    if due and _midnight(local) and local.date() != date.min:
        day = local.date() - timedelta(days=1)
        return f"24:00 {day:%d/%m/%Y}"
    return f"{local:%H:%M %d/%m/%Y}"


def duration_vi(amount: timedelta, budget: Budget) -> str:
    """Time used, in the unit of the budget: working days of 8 hours for working budgets and
    same-working-day budgets, whose clocks count working time (``1 ngày 2 giờ 30 phút làm
    việc``), calendar days of 24 hours otherwise. Whole minutes; seconds are dropped towards
    zero (the engine counts whole minutes)."""
    minutes = int(abs(amount) // timedelta(minutes=1))
    working = isinstance(budget, (WorkingBudget, SameWorkingDay))
    per_day = MINUTES_PER_WORKING_DAY if working else 24 * 60
    days, rest = divmod(minutes, per_day)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} ngày"] if days else []
    if hours:
        parts.append(f"{hours} giờ")
    if minutes or not parts:
        parts.append(f"{minutes} phút")
    sign = "−" if amount < timedelta(0) else ""
    unit = " làm việc" if working else ""
    return f"{sign}{' '.join(parts)}{unit}"


def waited_to_end(reading: ClockReading) -> bool:
    """Whether a clock that has ended was waiting, when it ended, for a supplement that
    restarts it: a dossier closed because the applicant never completed it, or one stopped or
    withdrawn during the wait. It then has no due (the engine gives none)."""
    return reading.status is ClockStatus.STOPPED and reading.due is None


def legal_due_vi(reading: ClockReading, case: Case, language: str = DEFAULT_LANGUAGE) -> str:
    """The legal clock's due as a form prints it: the instant in words (a due at 00:00 as
    24:00 of the day before); :data:`WAITING_DUE` while the applicant is awaited;
    :data:`NEVER_COMPLETED_DUE` for a case that ended while awaited (each glossed in
    ``language`` ``en``)."""
    if reading.status is ClockStatus.WAITING:
        return form_text("due.waiting", language)
    if waited_to_end(reading):
        return form_text("due.never_completed", language)
    if reading.due is None:
        return BLANK
    return instant_vi(reading.due, case, due=True)


def _bad_attribute(case: Case, name: str, value: Any, expected: str, example: str) -> NoReturn:
    raise InvalidInputError(
        f"case {case.case_id}: attributes.{name} must be {expected}, got "
        f"{type(value).__name__} {shown(value)}: a form prints no value of another type.",
        value=value,
        hint=f'Correct the attribute where the case is opened or in its journal, e.g. "{name}": '
        f"{example}; leave it out to print a blank to fill in by hand.",
    )


def text_attribute(case: Case, name: str) -> str | None:
    """The text attribute ``name`` of ``case`` (a ``str`` in
    :data:`~tthc_flow.forms.CASE_ATTRIBUTES`), or None when it is absent (or null); a value of
    another JSON type (a number, a list, a bool) is an
    :class:`~tthc_flow.errors.InvalidInputError` naming the attribute, not printed as text."""
    value = case.attributes.get(name)
    if value is None or isinstance(value, str):
        return value
    _bad_attribute(case, name, value, "a text (str)", '"Nguyễn Văn A"')


def texts_attribute(case: Case, name: str) -> list[str] | None:
    """The list-of-texts attribute ``name`` (``documents``), or None when absent; anything but
    a list (or tuple) of ``str`` is an :class:`~tthc_flow.errors.InvalidInputError`."""
    value = case.attributes.get(name)
    if value is None:
        return None
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return list(value)
    _bad_attribute(case, name, value, "a list of texts", '["Tờ khai", "Bản sao CCCD"]')


def count_attribute(case: Case, name: str) -> int | None:
    """The whole-number attribute ``name`` (``copies``, at least 1), or None when absent; a
    bool, a float, a text such as ``"3"``, 0 or a number beyond
    :data:`~tthc_flow.codec.MAX_INTEGER` is an :class:`~tthc_flow.errors.InvalidInputError`."""
    value = case.attributes.get(name)
    if value is None:
        return None
    if type(value) is int and 1 <= value <= MAX_INTEGER:
        return value
    expected = "a whole number (an int; not a bool, a float or a text), at least 1"
    if type(value) is int and value > MAX_INTEGER:
        expected = f"a whole number of at most {MAX_INTEGER:,}"
    _bad_attribute(case, name, value, expected, "2")


def attribute(case: Case, name: str) -> str:
    """A text attribute as printed text, or a blank to fill in by hand when it is absent or
    empty; one that is not a text is refused (:func:`text_attribute`)."""
    value = text_attribute(case, name)
    return BLANK if value is None or value == "" else value


def listing(items: Sequence[Any] | None) -> str:
    """``1. …`` one item a line, or a blank."""
    if not items:
        return BLANK
    return "\n".join(f"{number}. {item}" for number, item in enumerate(items, 1))


def case_circular(case: Case, circulars: Iterable[Circular] = CIRCULARS) -> Circular:
    """The circular in force on the case's receipt day (in the case's calendar time zone); a
    case received before every circular raises :class:`~tthc_flow.errors.FormNotApplicableError`
    naming the case, as does a case not received yet (it has no forms). ``circulars`` that are
    not a collection of circulars are an :class:`~tthc_flow.errors.InvalidInputError`."""
    if not case.events:
        raise FormNotApplicableError(
            f"case {case.case_id} has not been received: it has no events, so no forms.",
            form="any",
            case_id=case.case_id,
        )
    found = checked_circulars(circulars)
    try:
        received = case.received_at
        local = _local(received, case)
        day = received.date() if local is None else local.date()
        return circular_in_force(day, found)
    except FormNotApplicableError as error:
        raise FormNotApplicableError(
            f"case {case.case_id}: {error}", form=error.form, case_id=case.case_id
        ) from None


def case_code(case: Case, dossier_code: str | None) -> str:
    """The code printed on a form: the one given, else the ``dossier_code`` attribute, else
    the case id. A code given must be a text with something in it: ``0``, ``5`` or ``""`` is
    an :class:`~tthc_flow.errors.InvalidInputError`, never replaced by the case id; so is a
    ``dossier_code`` attribute that is not a text."""
    if dossier_code is not None:
        if not isinstance(dossier_code, str) or not dossier_code.strip():
            raise InvalidInputError(
                f"dossier_code must be the code to print, a text, got {shown(dossier_code)}.",
                value=dossier_code,
                hint='Pass e.g. dossier_code="000.00.31.H42-260302-0001", or leave it out to '
                "print the case's dossier_code attribute, else its case id.",
            )
        return dossier_code
    return text_attribute(case, "dossier_code") or case.case_id


def issuer_lines(case: Case, unit: str) -> tuple[str, ...]:
    """Top-left block: the procedure's agency (when set) over the issuing unit, in capitals."""
    lines = [case.procedure.agency.upper()] if case.procedure.agency else []
    if unit and unit.upper() not in lines:
        lines.append(unit.upper())
    return tuple(lines)


def place_date(case: Case, day: date) -> str:
    """``<place>, ngày 02 tháng 03 năm 2026`` (``place`` attribute, or a blank)."""
    place = text_attribute(case, "place") or "……"
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def local_day(event: Event, case: Case) -> date:
    """The local day of ``event`` in the case's zone (its own date if it has none there)."""
    local = _local(event.at, case)
    return event.at.date() if local is None else local.date()


def applicant_fields(case: Case, language: str = DEFAULT_LANGUAGE) -> list[FormField]:
    """Who filed and what for: applicant, address, phone and email, the request."""
    proc = case.procedure

    def text(key: str) -> str:
        return form_text(key, language)

    email = f"    {text('applicant.email')}: {attribute(case, 'email')}"
    request = form_text(
        "applicant.request_value", language, name=proc.name, code=proc.code,
        version=proc.version,
    )  # fmt: skip
    return [
        FormField(text("applicant.applicant"), attribute(case, "applicant")),
        FormField(text("applicant.address"), attribute(case, "address")),
        FormField(text("applicant.phone"), attribute(case, "phone") + email),
        FormField(text("applicant.request"), request),
    ]


def labelled_fields(language: str = DEFAULT_LANGUAGE) -> Callable[[str, str], FormField]:
    """A maker of fields labelled in ``language``: ``field("receipt.due", value)`` is the
    field whose label is :data:`~tthc_flow.labels.FORM_LABELS` ``["receipt.due"]``."""

    def field(key: str, value: str) -> FormField:
        return FormField(form_text(key, language), value)

    return field


def received_field(case: Case, language: str = DEFAULT_LANGUAGE) -> FormField:
    """When the dossier was received (thời gian nhận hồ sơ), in words."""
    return FormField(form_text("case.received", language), instant_vi(case.received_at, case))

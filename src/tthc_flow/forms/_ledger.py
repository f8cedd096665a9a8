"""The case ledger (sổ theo dõi hồ sơ): one row per case, in the order given.

Columns follow Circular 01/2018/TT-VPCP's ledger: code, procedure, number of sets, applicant,
address and phone, lead unit, received, due, handed to the processing unit, result back from
it, returned to the applicant, notes. The due is the one the receipt appointed; a supplement
request that restarts the time (Decree 118/2025 Art. 19(5)) voids it, so while the applicant
is awaited the column says the date will be set when the complete dossier arrives, and for a
case that ended during that wait (closed, or stopped) that it was never completed. The notes
give the legal clock's result class, its due when a restart or an extension moved it, and how
a case ended when it ended otherwise than by a return (refused, withdrawn, stopped, closed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from tthc_flow._validators import shown
from tthc_flow.engine import Case, ClockStatus, EventKind, Procedure
from tthc_flow.engine._budgets import WorkingBudget
from tthc_flow.errors import FormNotApplicableError, InvalidInputError
from tthc_flow.forms._circulars import CIRCULARS, Circular, circular_in_force
from tthc_flow.forms._common import (
    a_case,
    case_code,
    count_attribute,
    instant_short,
    local_day,
    text_attribute,
    waited_to_end,
)
from tthc_flow.forms._model import BLANK, Form, FormField, FormKind, FormTable
from tthc_flow.labels import DEFAULT_LANGUAGE, checked_language, form_text

__all__ = ["case_ledger", "lead_unit"]

# The columns, as keys of ledger.column.* in the label table.
COLUMNS = (
    "number", "code", "procedure", "copies", "applicant", "address", "lead", "received", "due",
    "handed_over", "result_ready", "returned", "notes",
)  # fmt: skip
WIDTHS = (5, 10, 12, 5, 9, 9, 9, 8, 8, 8, 8, 8, 10)

# The events that end a case otherwise than by a return, each with its label key.
_ENDINGS = {
    kind: f"ledger.end.{kind.value}"
    for kind in (EventKind.REFUSED, EventKind.WITHDRAWN, EventKind.STOPPED, EventKind.CLOSED)
}


def lead_unit(procedure: Procedure) -> str:
    """The unit that leads a procedure (cơ quan chủ trì giải quyết): among the units other than
    the reception desk's, the one whose steps hold the most working time; ties go to the unit
    met first in step order. A procedure whose steps are all at the desk, or whose budgets are
    not working time, is led by its first unit outside the desk (else the desk). Anything but
    a :class:`~tthc_flow.engine.Procedure` is an :class:`~tthc_flow.errors.InvalidInputError`."""
    if not isinstance(procedure, Procedure):
        raise InvalidInputError(
            f"lead_unit reads a Procedure, got {shown(procedure)}.",
            value=procedure,
            hint="Pass a procedure, e.g. lead_unit(case.procedure) or "
            'lead_unit(catalog.resolve("VD.LLTP", on=date(2026, 3, 2))).',
        )
    desk = procedure.first.unit
    totals: dict[str, int] = {}
    for step in procedure.steps:
        if step.unit == desk:
            continue
        minutes = step.budget.minutes if isinstance(step.budget, WorkingBudget) else 0
        totals[step.unit] = totals.get(step.unit, 0) + minutes
    if not totals:
        return desk
    return max(totals, key=lambda unit: totals[unit])  # max keeps the first of equals


def _cell(case: Case, name: str) -> str:
    """A text attribute as a ledger cell: a ledger row is written by hand where it is empty,
    so a missing value is an empty cell (not the dotted blank of a form). A value that is not
    a text is refused, not printed as its ``str()``."""
    return text_attribute(case, name) or ""


def _copies(case: Case) -> str:
    """The number of sets, a whole number of at least 1, or an empty cell."""
    copies = count_attribute(case, "copies")
    return "" if copies is None else str(copies)


def _stamp(instant: datetime, case: Case, *, due: bool = False) -> str:
    """``16:00`` over ``25/04/2025``: a narrow column never breaks a date."""
    return instant_short(instant, case, due=due).replace(" ", "\n", 1)


def _row(number: int, case: Case, language: str) -> tuple[str, ...]:
    events = case.events
    first = next((e for e in events if e.kind is EventKind.HANDED_OVER), None)
    resolved = next((e for e in events if e.kind is EventKind.RESOLVED), None)
    returned = next((e for e in events if e.kind is EventKind.RETURNED), None)
    ending = next((e for e in events if e.kind in _ENDINGS), None)
    due = case.legal_clock(case.received_at).due
    legal = case.legal_clock()
    never_completed = waited_to_end(legal)
    if legal.status is ClockStatus.WAITING:
        due_cell = form_text("due.waiting", language)
    elif never_completed:
        due_cell = form_text("due.never_completed", language)
    else:
        due_cell = _stamp(due, case, due=True) if due is not None else BLANK
    notes = [f"{form_text('ledger.legal_clock', language)}: {legal.result.text(language)}"]
    if legal.due is not None and legal.due != due and not never_completed:
        due_now = form_text("ledger.due_now", language)
        notes.append(f"{due_now}: {instant_short(legal.due, case, due=True)}")
    if ending is not None:
        ended = form_text(_ENDINGS[ending.kind], language)
        notes.append(f"{ended} {instant_short(ending.at, case)}")
        if ending.reason:
            notes.append(ending.reason)
    address = "; ".join(filter(None, (_cell(case, "address"), _cell(case, "phone"))))
    proc = case.procedure
    return (
        str(number),
        case_code(case, None),
        f"{proc.name} ({proc.code})",
        _copies(case),
        _cell(case, "applicant"),
        address,
        lead_unit(proc),
        _stamp(case.received_at, case),
        due_cell,
        _stamp(first.at, case) if first else "",
        _stamp(resolved.at, case) if resolved else "",
        _stamp(returned.at, case) if returned else "",
        "\n".join(notes),
    )


def case_ledger(
    cases: Sequence[Case] | Iterable[Case],
    *,
    on: date | None = None,
    issuer: Sequence[str] = (),
    circulars: Iterable[Circular] = CIRCULARS,
    language: str = DEFAULT_LANGUAGE,
) -> Form:
    """The case ledger of ``cases`` (one row each, in the order given), laid out by the
    circular in force on ``on``; ``on`` defaults to the latest receipt day among the cases
    (a ledger is kept by the office that uses it today, not per case). An empty ledger needs
    ``on``. Each case is read at its last event. ``language`` ``vi`` prints the official
    paper, ``en`` adds English glosses to the labels."""
    if isinstance(cases, (str, bytes)) or not isinstance(cases, Iterable):
        raise InvalidInputError(
            f"cases must be a collection of Case values, got {shown(cases)}.",
            value=cases,
            hint="Pass a list of cases, e.g. [case] for one.",
        )
    cases = [a_case(case, FormKind.LEDGER.value) for case in cases]
    language = checked_language(language)
    for case in cases:
        if not case.events:
            raise FormNotApplicableError(
                f"case {case.case_id} has not been received, so it has no ledger row.",
                form=FormKind.LEDGER.value,
                case_id=case.case_id,
            )
    if on is not None and type(on) is not date:
        raise InvalidInputError(
            f"on={shown(on)} is "
            + ("an instant" if isinstance(on, datetime) else f"a {type(on).__name__}")
            + "; a ledger is dated by a day.",
            value=on,
            hint="Pass a date, e.g. on=date(2026, 3, 31).",
        )
    lines = (
        tuple(issuer)
        if not isinstance(issuer, (str, bytes)) and isinstance(issuer, Iterable)
        else None
    )
    if lines is None or not all(isinstance(line, str) for line in lines):
        raise InvalidInputError(
            f"issuer must be a list of text lines, got {shown(issuer)}.",
            value=issuer,
            hint="Pass e.g. ['UBND TỈNH LONG AN', 'BỘ PHẬN MỘT CỬA'].",
        )
    if on is None:
        if not cases:
            raise InvalidInputError(
                "an empty ledger has no receipt day to choose its layout by.",
                value=cases,
                hint="Pass on=<the ledger's date>.",
            )
        on = max(local_day(c.events[0], c) for c in cases)
    circular = circular_in_force(on, circulars)
    rows = [_row(number, case, language) for number, case in enumerate(cases, 1)]
    columns = tuple(form_text(f"ledger.column.{key}", language) for key in COLUMNS)
    return Form(
        spec=circular.spec(FormKind.LEDGER),
        circular=circular.code,
        issuer=lines,
        code="",
        place_date=f"{form_text('ledger.date', language)} {on:%d/%m/%Y}",
        fields=[FormField(form_text("ledger.count", language), str(len(rows)))],
        table=FormTable(columns, rows, WIDTHS),
        language=language,
    )

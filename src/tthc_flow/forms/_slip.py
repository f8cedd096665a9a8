"""The process control slip (phiếu kiểm soát quá trình giải quyết hồ sơ): one row per stay of
the case at a step, so that a delay is traced to the unit that held the case.

Each row gives the unit and step, when the unit received the case and when (and to whom, by
whom) it handed it over, the step clock's result class (trước hạn / đúng hạn / quá hạn, or
đang giải quyết while the case is still there) with the step's budget and the working time
used, and notes: pauses, supplement requests and receipts, apologies, send-backs, and every
rule an imported event broke, as its rule code and the articles it cites from the text, in
Vietnamese (the engine's message, in English, and a citation's remarks on its sources are not
printed). The rows are the step visits of the case's clock kernel and
their clocks read at ``at``; a step visited twice (rework) has two rows.

The due at the top is the legal clock's. While the applicant is awaited for a supplement that
restarts the time (Decree 118/2025 Art. 19(5)) there is none: the slip says it will be set
when the complete dossier arrives, as does the row of the step holding the case; a case that
ended during that wait (closed, Art. 19(5), or stopped) says it was never completed.

A history imported in audit mode is printed as it was recorded, not as it should have been:

- events out of time order keep the order they were recorded in, each with the instant it
  carries and its ``machine.time_order`` violation in the notes;
- events recorded after the case ended (returned, refused, withdrawn, stopped, closed) move
  no clock and open no row: the last row lists each of them in its notes, marked as recorded
  after the end, with its violations.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tthc_flow.engine import Case, ClockReading, ClockStatus, Event, EventKind, Violation
from tthc_flow.engine._events import CONSULTATION_KINDS
from tthc_flow.errors import DefinitionError, FormError
from tthc_flow.forms._circulars import CIRCULARS, Circular
from tthc_flow.forms._citations import cited_articles
from tthc_flow.forms._common import (
    a_case,
    an_instant,
    applicant_fields,
    case_circular,
    case_code,
    duration_vi,
    instant_short,
    instant_vi,
    issuer_lines,
    labelled_fields,
    legal_due_vi,
    place_date,
    received_field,
)
from tthc_flow.forms._model import Form, FormKind, FormTable
from tthc_flow.labels import DEFAULT_LANGUAGE, checked_language, form_text

__all__ = ["control_slip"]

# The events that end a case, each with its label key in the table.
_ENDS = {
    kind: f"slip.end.{kind.value}"
    for kind in (
        EventKind.RETURNED, EventKind.REFUSED, EventKind.WITHDRAWN, EventKind.STOPPED,
        EventKind.CLOSED,
    )
}  # fmt: skip
_NOTED = {
    EventKind.PAUSED,
    EventKind.RESUMED,
    EventKind.SUPPLEMENT_REQUESTED,
    EventKind.SUPPLEMENT_RECEIVED,
    EventKind.RESCHEDULED,
    EventKind.RESOLVED,
    EventKind.CONSULTED,
    EventKind.ANSWERED,
    EventKind.PROCEEDED,
}

COLUMNS = ("number", "unit", "handover", "result", "notes")  # keys of slip.column.*
WIDTHS = (5, 20, 27, 21, 27)


def _note(event: Event, case: Case, language: str) -> str:
    when = instant_short(event.at, case)
    text = f"{when}: {event.kind.text(language)}"
    if event.kind is EventKind.PAUSED and event.reason:
        rule = case.pack.reasons.get(event.reason) if case.pack is not None else None
        text += f" — {rule.name} ({event.reason})" if rule else f" — {event.reason}"
    elif event.kind is EventKind.SUPPLEMENT_RECEIVED and not event.complete:
        text += f" — {form_text('slip.incomplete', language)}"
    elif event.kind is EventKind.RESCHEDULED and event.new_due is not None:
        new_date = form_text("slip.new_date", language)
        text += f" — {new_date} {instant_short(event.new_due, case, due=True)}"
        if event.reason:
            text += f"; {event.reason}"
    elif event.kind in CONSULTATION_KINDS and event.target:
        text += f" — {event.target}"
        if event.reason:
            text += f"; {event.reason}"
    elif event.reason:
        text += f" — {event.reason}"
    return text


def _violation(violation: Violation, label: str) -> str:
    """A rule an imported event broke, as the slip prints it: ``Vi phạm [rule.code]`` and the
    documents and articles its citation cites from the text (``(Nghị định 118/2025/NĐ-CP,
    Điều 19 khoản 5)``), never the engine's message (in English) nor the citation's remarks
    on its sources (:func:`~tthc_flow.forms._citations.cited_articles`)."""
    cited = cited_articles(violation.citation)
    return f"{label} [{violation.rule}]" + (f" ({cited})" if cited else "")


_MOVES = frozenset({EventKind.HANDED_OVER, EventKind.SENT_BACK})
# Commands that act on one step: in a parallel case, they belong to that step's row only.
_STEP_BOUND = _MOVES | CONSULTATION_KINDS | {EventKind.RESOLVED}


def _of_stay(event: Event, step: str, case: Case) -> bool:
    """Whether ``event``, recorded while a parallel case was at ``step`` among others, goes
    in that stay's row: a command naming the step (or, naming none, made by its unit), or a
    command on the whole case (a pause, a supplement, an apology, the end), which stops or
    ends every branch's clock."""
    if event.step is not None:
        return event.step == step
    if event.kind in _STEP_BOUND:
        return event.unit == case.procedure.step(step).unit
    return True


def _target(event: Event, case: Case) -> str:
    """`` → unit (step)`` of a move, or nothing."""
    if event.kind not in (EventKind.HANDED_OVER, EventKind.SENT_BACK) or not event.target:
        return ""
    try:
        step = case.procedure.step(event.target)
    except DefinitionError:  # a step the procedure does not have (an audit violation)
        return f" → {event.target}"
    return f" → {step.unit} ({step.name})"


def _row(
    number: int,
    reading: ClockReading,
    segment: list[Event],
    following: Event | None,
    case: Case,
    waiting: bool,
    language: str,
) -> tuple[str, ...]:
    def text(key: str) -> str:
        return form_text(key, language)

    start = segment[0]
    step = case.procedure.step(reading.step or "")
    handed: list[str] = [f"{text('slip.received')}: {instant_short(start.at, case)}"]
    ended = next((i for i, e in enumerate(segment) if e.kind in _ENDS), None)
    end = segment[ended] if ended is not None else None
    if following is not None:
        back = following.kind is EventKind.SENT_BACK
        verb = text("slip.sent_back" if back else "slip.handed_over")
        handed.append(f"{verb}: {instant_short(following.at, case)}")
        if following.target is None and case.flow is not None:
            # A fork: every branch at once (Decree 118/2025 Art. 20(2)(b)).
            fork = case.flow.forks[step.key]
            handed.append(f"{text('slip.in_parallel')}:")
            for branch in fork.branches:
                target = case.procedure.step(branch)
                handed.append(f"→ {target.unit} ({target.name})")
        else:
            target = case.procedure.step(following.target or "")
            handed.append(f"→ {target.unit} ({target.name})")
        if following.actor:
            handed.append(f"{text('slip.by')}: {following.actor}")
    elif end is not None:
        handed.append(f"{text(_ENDS[end.kind])}: {instant_short(end.at, case)}")
        if end.actor:
            handed.append(f"{text('slip.done_by')}: {end.actor}")
    else:
        handed.append(text("slip.held"))
    result = [reading.result.text(language), f"{text('slip.budget')}: {reading.budget.label}"]
    result.append(f"{text('slip.used')}: {duration_vi(reading.elapsed, reading.budget)}")
    if waiting and reading.status is ClockStatus.PAUSED:
        # Held while the applicant is awaited: the step's time runs again, and so gets a due,
        # only when the complete dossier arrives.
        result.append(f"{text('slip.step_due')}: {text('due.waiting')}")
    elif reading.due is not None:
        result.append(f"{text('slip.step_due')}: {instant_short(reading.due, case, due=True)}")
    notes = [_note(e, case, language) for e in segment[1:] if e.kind in _NOTED]
    if ended is not None:
        # Recorded after the case ended: no clock moved, so each is printed as it was recorded.
        after = text("slip.after_end")
        notes.extend(
            f"{after} {_note(e, case, language)}{_target(e, case)}"
            for e in segment[ended + 1 :]
        )
    if following is not None and following.reason:
        notes.append(f"{following.kind.text(language)}: {following.reason}")
    for event in [*segment, *([following] if following is not None else [])]:
        notes.extend(_violation(v, text("slip.violation")) for v in event.violations)
    return (
        str(number),
        f"{step.unit}\n{step.name}",
        "\n".join(handed),
        "\n".join(result),
        "\n".join(notes),
    )


def control_slip(
    case: Case,
    *,
    at: datetime | None = None,
    dossier_code: str | None = None,
    circulars: Iterable[Circular] = CIRCULARS,
    language: str = DEFAULT_LANGUAGE,
) -> Form:
    """The process control slip of ``case`` as it stood at ``at`` (default: its latest
    event's instant), labelled in ``language`` (``vi`` the official paper, ``en`` with
    English glosses).

    Its rows are the step visits of the case's clock kernel as the history stood at ``at``,
    each with its step clock read at ``at``: a slip printed mid-way shows the current unit's
    row as in progress. The history as it stood at ``at`` is the one every clock reads: the
    events recorded before the first one dated after ``at`` (in a history recorded out of
    time order, an event dated before ``at`` but recorded after a later-dated one is left
    out with it). ``at`` is an aware datetime inside the case's calendar, else a typed error.
    """
    a_case(case, "control_slip")
    language = checked_language(language)
    circular = case_circular(case, circulars)
    if at is not None:
        an_instant(at, case, "at")
    as_of = at if at is not None else max(e.at for e in case.events)
    clocks = case.clocks.view(as_of)
    readings = {(r.step, r.visit): r for r in clocks.step_clocks(as_of)}
    visits = clocks.visit_list()
    events = clocks.recorded()
    legal = clocks.legal_clock(as_of)
    waiting = legal.status is ClockStatus.WAITING
    rows = []
    units: dict[str, None] = {}  # the units that held the case, in the order they did
    parallel = case.flow is not None
    for index, visit in enumerate(visits):
        reading = readings.pop((visit.step, visit.number), None)
        left = visit.left
        # The event that ended the stay, when it was a move (a handover, a send-back, a
        # fork); a stay ended by the case's end keeps every later event in its row.
        moved = left is not None and left < len(events) and events[left].kind in _MOVES
        stop = left if moved else len(events)
        if reading is None or stop is None or not 0 <= visit.entered < stop <= len(events):
            # Every stay has its clock and its events; a fold that disagrees is a defect.
            raise FormError(
                f"case {case.case_id}: the stay at step {visit.step!r} opened by event "
                f"{visit.entered} has no step clock or no events of its own in the case's clock "
                "fold, so no row can be printed for it. This is a defect of the library: "
                "report it with the case's events."
            )
        segment = events[visit.entered : stop]
        if parallel:
            # One row per stay per branch: the events of the other branches are theirs.
            segment = [segment[0]] + [e for e in segment[1:] if _of_stay(e, visit.step, case)]
        following = events[stop] if moved else None
        rows.append(_row(index + 1, reading, segment, following, case, waiting, language))
        if reading.unit:
            units[reading.unit] = None
    applicant = applicant_fields(case, language)
    field = labelled_fields(language)
    phase = case.status_at(as_of).phase.text(language)
    legal_clock = form_text("slip.legal_clock", language)
    fields = [
        applicant[0],
        applicant[3],
        received_field(case, language),
        field("slip.due", legal_due_vi(legal, case, language)),
        field("slip.units", "; ".join(units)),
        field(
            "slip.status",
            f"{instant_vi(as_of, case)}: {phase}; {legal_clock} {legal.result.text(language)}",
        ),
    ]
    columns = tuple(form_text(f"slip.column.{key}", language) for key in COLUMNS)
    return Form(
        spec=circular.spec(FormKind.CONTROL_SLIP, case.case_id),
        circular=circular.code,
        issuer=issuer_lines(case, case.events[0].unit),  # the desk opens the slip
        code=case_code(case, dossier_code),
        place_date=place_date(case, as_of.astimezone(case.calendar.tz).date()),
        fields=fields,
        table=FormTable(columns, rows, WIDTHS),
        language=language,
    )

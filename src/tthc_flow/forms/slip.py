"""The process control slip (phiếu kiểm soát quá trình giải quyết hồ sơ): one row per stay of
the case at a step, so that a delay is traced to the unit that held the case.

Each row gives the unit and step, when the unit received the case and when (and to whom, by
whom) it handed it over, the step clock's result class (trước hạn / đúng hạn / quá hạn, or
đang giải quyết while the case is still there) with the step's budget and the working time
used, and notes: pauses, supplement requests and receipts, apologies, send-backs, and every
rule an imported event broke. The rows are the step visits of the case's clock kernel and
their clocks read at ``at``; a step visited twice (rework) has two rows.

The due at the top is the legal clock's. While the applicant is awaited for a supplement that
restarts the time (Decree 118/2025 Art. 19(5)) there is none: the slip says it will be set
when the complete dossier arrives, as does the row of the step holding the case; a case that
ended during that wait (closed, Art. 19(5), or stopped) says it was never completed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tthc_flow.engine import Case, ClockReading, ClockStatus, Event, EventKind
from tthc_flow.errors import NaiveDatetimeError
from tthc_flow.forms.circulars import CIRCULARS, Circular
from tthc_flow.forms.common import (
    WAITING_DUE,
    applicant_fields,
    case_circular,
    case_code,
    duration_vi,
    instant_short,
    instant_vi,
    issuer_lines,
    legal_due_vi,
    place_date,
)
from tthc_flow.forms.model import Form, FormField, FormKind, FormTable

__all__ = ["control_slip"]

_ENDS = {
    EventKind.RETURNED: "Trả kết quả cho người nộp (result returned)",
    EventKind.REFUSED: "Từ chối giải quyết (refused)",
    EventKind.WITHDRAWN: "Người nộp rút hồ sơ (withdrawn)",
    EventKind.STOPPED: "Dừng giải quyết hồ sơ (stopped)",
    EventKind.CLOSED: "Đóng hồ sơ (closed)",
}
_NOTED = {
    EventKind.PAUSED,
    EventKind.RESUMED,
    EventKind.SUPPLEMENT_REQUESTED,
    EventKind.SUPPLEMENT_RECEIVED,
    EventKind.RESCHEDULED,
    EventKind.RESOLVED,
}

COLUMNS = (
    "TT",
    "Tên cơ quan, bộ phận (unit) — bước (step)",
    "Thời gian giao, nhận hồ sơ (received, handed over)",
    "Kết quả giải quyết (trước hạn / đúng hạn / quá hạn)",
    "Ghi chú (notes)",
)
WIDTHS = (5, 20, 27, 21, 27)


def _note(event: Event, case: Case) -> str:
    when = instant_short(event.at, case)
    text = f"{when}: {event.kind.label}"
    if event.kind is EventKind.PAUSED and event.reason:
        rule = case.pack.reasons.get(event.reason) if case.pack is not None else None
        text += f" — {rule.name} ({event.reason})" if rule else f" — {event.reason}"
    elif event.kind is EventKind.SUPPLEMENT_RECEIVED and not event.complete:
        text += " — chưa đầy đủ (incomplete)"
    elif event.kind is EventKind.RESCHEDULED and event.new_due is not None:
        text += f" — hẹn mới (new date) {instant_short(event.new_due, case, due=True)}"
        if event.reason:
            text += f"; {event.reason}"
    elif event.reason:
        text += f" — {event.reason}"
    return text


def _row(
    number: int,
    reading: ClockReading,
    segment: list[Event],
    following: Event | None,
    case: Case,
    waiting: bool,
) -> tuple[str, ...]:
    start = segment[0]
    step = case.procedure.step(reading.step or "")
    handed: list[str] = [f"Nhận (received): {instant_short(start.at, case)}"]
    end = next((e for e in segment if e.kind in _ENDS), None)
    if following is not None:
        target = case.procedure.step(following.target or "")
        back = following.kind is EventKind.SENT_BACK
        verb = "Trả lại (sent back)" if back else "Giao (handed over)"
        handed.append(f"{verb}: {instant_short(following.at, case)}")
        handed.append(f"→ {target.unit} ({target.name})")
        if following.actor:
            handed.append(f"Người giao (by): {following.actor}")
    elif end is not None:
        handed.append(f"{_ENDS[end.kind]}: {instant_short(end.at, case)}")
        if end.actor:
            handed.append(f"Người thực hiện (by): {end.actor}")
    else:
        handed.append("Đang giữ hồ sơ (still held)")
    result = [reading.result.value, f"Thời hạn (budget): {reading.budget.label}"]
    result.append(f"Đã dùng (used): {duration_vi(reading.elapsed, reading.budget)}")
    if waiting and reading.status is ClockStatus.PAUSED:
        # Held while the applicant is awaited: the step's time runs again, and so gets a due,
        # only when the complete dossier arrives.
        result.append(f"Hạn (due): {WAITING_DUE}")
    elif reading.due is not None:
        result.append(f"Hạn (due): {instant_short(reading.due, case, due=True)}")
    notes = [_note(e, case) for e in segment[1:] if e.kind in _NOTED]
    if following is not None and following.reason:
        notes.append(f"{following.kind.label}: {following.reason}")
    for event in [*segment, *([following] if following is not None else [])]:
        notes.extend(f"Vi phạm (violation) {v}" for v in event.violations)
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
) -> Form:
    """The process control slip of ``case`` as it stood at ``at`` (default: its last event).

    Its rows are the step visits of the case's clock kernel as the history stood at ``at``
    (events after ``at`` are left out), each with its step clock read at ``at``: a slip
    printed mid-way shows the current unit's row as in progress.
    """
    if at is not None and (at.tzinfo is None or at.utcoffset() is None):
        raise NaiveDatetimeError(at, argument="at")
    circular = case_circular(case, circulars)
    as_of = at if at is not None else max(e.at for e in case.events)
    clocks = case.clocks.view(as_of)
    readings = clocks.step_clocks(as_of)
    visits = clocks.visit_list()
    events = clocks.recorded()
    legal = clocks.legal_clock(as_of)
    waiting = legal.status is ClockStatus.WAITING
    rows = []
    for index, (reading, visit) in enumerate(zip(readings, visits, strict=True)):
        following_visit = visits[index + 1] if index + 1 < len(visits) else None
        stop = following_visit.entered if following_visit is not None else len(events)
        segment = events[visit.entered : stop]
        following = events[stop] if following_visit is not None else None
        rows.append(_row(index + 1, reading, segment, following, case, waiting))
    units = list(dict.fromkeys(r.unit for r in readings if r.unit))
    fields = [
        *applicant_fields(case)[:1],
        applicant_fields(case)[3],
        FormField("Thời gian nhận hồ sơ (received)", instant_vi(case.received_at, case)),
        FormField("Thời gian hẹn trả kết quả (result due)", legal_due_vi(legal, case)),
        FormField("Cơ quan, bộ phận đã xử lý (units)", "; ".join(units)),
        FormField(
            "Tình trạng tại (status as of)",
            f"{instant_vi(as_of, case)}: {case.status_at(as_of).phase.value}; "
            f"thời hạn chung (legal clock) {legal.result.value}",
        ),
    ]
    return Form(
        spec=circular.spec(FormKind.CONTROL_SLIP, case.case_id),
        circular=circular.code,
        issuer=issuer_lines(case, case.events[0].unit),  # the desk opens the slip
        code=case_code(case, dossier_code),
        place_date=place_date(case, as_of.astimezone(case.calendar.tz).date()),
        fields=fields,
        table=FormTable(COLUMNS, rows, WIDTHS),
    )

"""The process control slip (phiếu kiểm soát quá trình giải quyết hồ sơ): one row per stay of
the case at a step, so that a delay is traced to the unit that held the case.

Each row gives the unit and step, when the unit received the case and when (and to whom, by
whom) it handed it over, the step clock's result class (trước hạn / đúng hạn / quá hạn, or
đang giải quyết while the case is still there) with the step's budget and the working time
used, and notes: pauses, supplement requests and receipts, apologies, send-backs, and every
rule an imported event broke. The rows are the engine's step clocks
(:meth:`~tthc_flow.engine.Case.step_clocks`) read at ``at``; a step visited twice (rework)
has two rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tthc_flow.engine import Case, ClockReading, Event, EventKind
from tthc_flow.errors import NaiveDatetimeError
from tthc_flow.forms.circulars import CIRCULARS, Circular
from tthc_flow.forms.common import (
    applicant_fields,
    case_circular,
    case_code,
    duration_vi,
    instant_short,
    instant_vi,
    issuer_lines,
    place_date,
)
from tthc_flow.forms.model import BLANK, Form, FormField, FormKind, FormTable

__all__ = ["control_slip"]

_MOVES = (EventKind.HANDED_OVER, EventKind.SENT_BACK)
_ENDS = {
    EventKind.RETURNED: "Trả kết quả cho người nộp (result returned)",
    EventKind.REFUSED: "Từ chối giải quyết (refused)",
    EventKind.WITHDRAWN: "Người nộp rút hồ sơ (withdrawn)",
    EventKind.STOPPED: "Dừng xử lý (stopped)",
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


def _segments(events: Iterable[Event], at: datetime) -> list[list[Event]]:
    """The events of each stay at a step: a stay starts at the receipt or at a handover or
    send-back (the same cut the engine's step clocks make)."""
    segments: list[list[Event]] = []
    for event in events:
        if event.at > at:
            break
        if event.kind is EventKind.RECEIVED or (event.kind in _MOVES and event.target):
            segments.append([event])
        elif segments:
            segments[-1].append(event)
    return segments


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
    if reading.due is not None:
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

    Events after ``at`` are left out, and the step clocks are read at ``at``, so a slip
    printed mid-way shows the current unit's row as in progress.
    """
    if at is not None and (at.tzinfo is None or at.utcoffset() is None):
        raise NaiveDatetimeError(at, argument="at")
    circular = case_circular(case, circulars)
    readings = case.step_clocks(at)
    as_of = at if at is not None else (readings[-1].at if readings else case.received_at)
    segments = _segments(case.events, as_of)
    then = case
    if at is not None:
        then = Case.from_events(
            case.procedure, [e for s in segments for e in s], calendar=case.calendar
        )
    rows = []
    for index, (reading, segment) in enumerate(zip(readings, segments, strict=True)):
        following = segments[index + 1][0] if index + 1 < len(segments) else None
        rows.append(_row(index + 1, reading, segment, following, case))
    legal = case.legal_clock(as_of)
    units = list(dict.fromkeys(r.unit for r in readings if r.unit))
    fields = [
        *applicant_fields(case)[:1],
        applicant_fields(case)[3],
        FormField("Thời gian nhận hồ sơ (received)", instant_vi(case.received_at, case)),
        FormField(
            "Thời gian hẹn trả kết quả (result due)",
            instant_vi(legal.due, case, due=True) if legal.due is not None else BLANK,
        ),
        FormField("Cơ quan, bộ phận đã xử lý (units)", "; ".join(units)),
        FormField(
            "Tình trạng tại (status as of)",
            f"{instant_vi(as_of, case)}: {then.status.phase.value}; "
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

"""Hypothesis strategy for case histories (lịch sử hồ sơ): event sequences of one procedure.

A history is drawn by running a live :class:`~tthc_flow.engine.Case` through commands chosen
from what its state allows (hand over, send back, pause, supplement, apologise, resolve,
return, refuse, stop, withdraw, close a dossier never completed, consult a unit the step
declares, answer it, go on without a late answer), with time passing between them. In strict
mode every command the engine refuses is left out, so each history replays in strict mode.
With ``violations=True`` the case runs in audit mode and some commands break a rule on purpose
(wrong unit, a pause the law puts inside the budget, a second supplement request, an apology
whose new date is not later, an event dated before the previous one, an answer from a unit
not consulted, going on before the answer is late, a handover while an answer is
awaited...), each recorded on its event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

import attrs
from hypothesis import strategies as st

from tthc_flow._validators import shown
from tthc_flow.calendar import WorkingCalendar, vietnam_calendar
from tthc_flow.engine import (
    CHANNELS,
    Case,
    CaseStatus,
    Event,
    EventKind,
    Mode,
    Phase,
    Procedure,
    compile_procedure,
)
from tthc_flow.engine._attributes import check_case_attributes
from tthc_flow.engine._events import FINISH_KINDS
from tthc_flow.engine._graph import flow_of
from tthc_flow.engine._machine import RETURN_RESULT
from tthc_flow.errors import CommandRefusedError, InvalidInputError, TthcFlowError
from tthc_flow.testing._calendar_strategies import instants

__all__ = ["CHANNELS", "case_histories"]

_ACTORS = ("Nguyễn Thị Lan", "Trần Văn Minh", "Lê Thu Hoa")
_STRANGER = "Đơn vị không liên quan (unrelated unit)"
# Histories end this long before the calendar does, so that every clock of the case can be
# read without running off the calendar.
_MARGIN = timedelta(days=150)

Move = Callable[[Case, datetime], object]
# The consultations open in a case, as the engine keeps them: consulted unit → (the step that
# asked, the answer's due, whether the lead went on without it).
Open = dict[str, tuple[str, datetime, bool]]
_LATE = (-60, 0, 1, 90, 8 * 60, 2 * 24 * 60)  # minutes from an answer's due to jump to


def _minutes() -> st.SearchStrategy[int]:
    """Time between two events: often none or a few minutes, sometimes days."""
    return st.one_of(
        st.just(0), st.integers(1, 90), st.integers(90, 600), st.integers(600, 3 * 24 * 60)
    )


def _call(command: str, *args: Any, **kwargs: Any) -> Move:
    """A move calling ``case.<command>(*args, at=<now>, **kwargs)``; an ``at`` in ``kwargs``
    wins over the current instant (to date an event in the past on purpose)."""

    def move(case: Case, now: datetime) -> object:
        return getattr(case, command)(*args, **{"at": now, **kwargs})

    move.__name__ = command  # read by min_events, to put off the commands that end a case
    return move


# The commands that end a case, or leave it nothing but the return: put off while a history
# is shorter than its min_events.
_ENDING = frozenset({"resolve", "return_result", "refuse", "withdraw", "stop", "close"})


def _reschedule(days: int, who: Mapping[str, Any], *, delaying: bool = True) -> Move:
    """Apologise and move the due date ``days`` days after the current legal due; with
    ``delaying``, as the first unit :meth:`Case.extension_askers` names (one whose own time
    overran, if any)."""

    def move(case: Case, now: datetime) -> object:
        kwargs = dict(who)
        due = case.clocks.legal_due(now)
        if due is None:  # awaiting a supplement that restarts the time: nothing to move
            due = now
        if delaying:
            # The unit that caused the delay first, as the pack says who may ask (never the
            # one-stop desk under Decree 118).
            askers = case.extension_askers(now)
            if askers and askers[0] != kwargs.get("unit"):
                kwargs["unit"], kwargs["role"] = askers[0], None
        return case.reschedule(new_due=due + timedelta(days=days), reason="Xin lỗi, hẹn lại",
                               at=now, **kwargs)  # fmt: skip

    return move


def _track(
    open_: Open, procedure: Procedure, calendar: WorkingCalendar, before: CaseStatus,
    event: Event,
) -> None:  # fmt: skip
    """Follow the consultations as the engine does: every event recorded counts, lawful or
    not (audit mode keeps both); a case that ends closes them all."""
    if before.phase.finished or before.step is None:
        return
    unit = event.target
    kind = event.kind
    if kind is EventKind.CONSULTED and unit is not None and unit not in open_:
        asked = event.step or before.step
        budget = procedure.step(asked).consults.get(unit) if asked in before.steps or (
            not before.steps
        ) else None  # fmt: skip
        if budget is not None:
            open_[unit] = (asked, budget.due(calendar, event.at), False)
    elif kind is EventKind.ANSWERED and unit is not None:
        open_.pop(unit, None)
    elif kind is EventKind.PROCEEDED and unit in open_:
        asked, due, _ = open_[unit]
        open_[unit] = (asked, due, True)
    elif kind in FINISH_KINDS and kind is not EventKind.RESOLVED:
        open_.clear()


def _awaited(open_: Open, step: str) -> list[str]:
    """The units whose answer ``step`` asked for and still waits for (it cannot hand on)."""
    return sorted(u for u, (asked, _, went_on) in open_.items() if asked == step and not went_on)


def _consultation_moves(
    procedure: Procedure, status: CaseStatus, open_: Open, now: datetime, actor: str,
    named: str | None = None,
) -> tuple[list[Move], list[Move]]:
    """Lawful consultation commands: answers and going on without a late answer (first),
    and consulting another declared unit (second)."""
    assert status.step is not None
    replies: list[Move] = []
    for unit, (asked, due, went_on) in sorted(open_.items()):
        # The consulted unit answers, in time or late (Decree 118/2025 Art. 19(4)(c)).
        replies += [_call("answer_consultation", unit, actor=actor,
                          evidence=("Văn bản trả lời",))] * 2  # fmt: skip
        if not went_on and now > due:
            lead = procedure.step(asked)
            named_lead = {"step": asked} if named is not None else {}
            replies.append(
                _call("proceed_without_answer", unit, actor=actor, unit=lead.unit,
                      role=lead.role, reason="Báo Bộ phận Một cửa về việc chậm trả lời",
                      **named_lead)
            )  # fmt: skip
    asks: list[Move] = []
    if status.phase in (Phase.PROCESSING, Phase.PAUSED, Phase.AWAITING_SUPPLEMENT):
        step = procedure.step(status.step)
        asks = [
            _call("consult", unit, actor=actor, unit=step.unit, role=step.role,
                  evidence=("Công văn lấy ý kiến",),
                  **({"step": named} if named is not None else {}))
            for unit in step.consults
            if unit not in open_
        ]  # fmt: skip
    return replies, asks


def _forward(procedure: Procedure, case: Case, key: str, who: Mapping[str, Any]) -> list[Move]:
    """The handovers from step ``key`` in the case's order: a fork step's one fork to every
    branch (Decree 118/2025 Art. 20(2)(b)), else one handover per next step."""
    flow = case.flow
    if flow is not None and key in flow.forks:
        return [_call("handover", list(flow.forks[key].branches), **who)]
    order = case.order
    targets = flow_of(procedure, order).forward[key] if order is not None else (
        procedure.step(key).forward
    )  # fmt: skip
    return [_call("handover", target, **who) for target in targets]


def _lawful_moves(
    draw: st.DrawFn, procedure: Procedure, case: Case, status: CaseStatus, open_: Open,
    now: datetime, named: str | None,
) -> list[Move]:
    """Commands the state allows, most useful first (shrinking prefers earlier entries).
    ``named``: the step they act on, when the case is at several (parallel branches)."""
    assert status.step is not None
    step = procedure.step(status.step)
    actor = draw(st.sampled_from(_ACTORS))
    who: dict[str, Any] = {"actor": actor, "unit": step.unit, "role": step.role}
    if named is not None:
        who["step"] = named
    desk = procedure.first.unit
    compiled = compile_procedure(procedure, order=case.order)
    can_return = named is None and compiled.next_state(step.key, RETURN_RESULT) is not None
    pack = case.pack
    replies, asks = _consultation_moves(procedure, status, open_, now, actor, named)
    moves: list[Move] = list(replies)
    waiting = bool(_awaited(open_, step.key))
    phase = status.phase
    if phase is Phase.PAUSED:
        moves.append(_call("resume", **who))
    elif phase is Phase.AWAITING_SUPPLEMENT:
        complete = draw(st.integers(0, 3)) > 0
        moves.append(
            _call("receive_supplement", actor=who["actor"], unit=desk, complete=complete)
        )
        if pack is not None and pack.closure is not None:
            # Decree 118/2025 Art. 19(5): the desk closes a dossier not completed in time.
            moves.append(_call("close", actor=who["actor"], unit=desk, reason="Không bổ sung"))
    elif phase is Phase.RESOLVED:
        if can_return:
            moves.append(_call("return_result", **who))
    else:
        # Moving on is listed three times: most cases move forward, and histories that only
        # ever pause and resume would rarely reach the later steps. A step awaiting an answer
        # it asked for does not hand on (Decree 118/2025 Art. 19(4)).
        if not waiting:
            moves += _forward(procedure, case, step.key, who) * 3
            if can_return:
                moves += [_call("resolve", **who)] * 3
            moves += [
                _call("send_back", target, reason="Cần thẩm định lại (rework)", **who)
                for target in step.back
            ]
        # One request per case, or, where the pack counts the desk's and the agency's apart
        # (Decree 118/2025), one at each stage: strict mode refuses a second at one stage.
        allowed = 2 if pack is not None and pack.supplement_rule.per_stage else 1
        if status.supplement_requests < allowed and pack is not None:
            evidence = pack.supplement_rule.evidence or ("Phiếu yêu cầu bổ sung",)
            moves.append(_call("request_supplement", evidence=evidence, **who))
        for reason in sorted(procedure.pauses):
            rule = pack.reasons.get(reason) if pack is not None else None
            evidence = (rule.evidence if rule else ()) or ("Văn bản (document)",)
            moves.append(_call("pause", reason, evidence=evidence, **who))
        if status.reschedules == 0:
            moves.append(_reschedule(draw(st.integers(1, 10)), who))
    # Asking is listed three times too: a step that may consult often does, before it moves on.
    moves += asks * 3
    if not phase.finished and draw(st.integers(0, 7)) == 0:
        moves += [
            _call("refuse", reason="Không đủ điều kiện (not eligible)", **who),
            _call("stop", reason="Dừng theo yêu cầu (stopped on request)", **who),
            _call("withdraw", actor="Người nộp hồ sơ (applicant)", unit=desk,
                  reason="Rút hồ sơ (withdrawn)"),
        ]  # fmt: skip
    return moves


def _record(event: Event, calendar: WorkingCalendar) -> Move:
    """Record ``event`` as it is (the commands fill in some fields themselves, e.g. the
    unit of an answer): the case is rebuilt in audit mode from its events and this one."""

    def move(case: Case, now: datetime) -> Case:
        numbered = attrs.evolve(event, seq=len(case.events))
        events = [*case.events, numbered]
        return Case.from_events(
            case.procedure, events, replay_mode=Mode.AUDIT, mode=Mode.AUDIT, calendar=calendar
        )

    return move


def _unlawful_consultations(
    procedure: Procedure, status: CaseStatus, open_: Open, now: datetime, actor: str,
    calendar: WorkingCalendar,
) -> list[Move]:  # fmt: skip
    """Consultation commands that break a rule: an answer written by a unit that was not
    consulted, going on before the answer is late, a handover while an answer is awaited,
    consulting a unit the step does not declare."""
    assert status.step is not None
    step = procedure.step(status.step)
    moves: list[Move] = [
        _call("consult", _STRANGER, actor=actor, unit=step.unit, evidence=("Công văn",))
    ]
    for unit, (asked, due, went_on) in sorted(open_.items()):
        lead = procedure.step(asked).unit
        moves.append(_record(Event(seq=0, kind=EventKind.ANSWERED, at=now, actor=actor,
                                   unit=lead, target=unit), calendar))  # fmt: skip
        if not went_on and now <= due:
            moves.append(_call("proceed_without_answer", unit, actor=actor, unit=lead,
                               reason="Chưa quá hạn (not yet late)"))  # fmt: skip
    if _awaited(open_, step.key):
        moves += [_call("handover", t, actor=actor, unit=step.unit) for t in step.forward]
    return moves


def _unlawful_moves(
    draw: st.DrawFn, procedure: Procedure, status: CaseStatus, now: datetime, open_: Open,
    calendar: WorkingCalendar, steps: tuple[str, ...] = (),
) -> list[Move]:
    """Commands that break a rule; audit mode records each violation on its event."""
    assert status.step is not None
    step = procedure.step(status.step)
    actor = draw(st.sampled_from(_ACTORS))
    unit = step.unit
    moves: list[Move] = [_call("handover", t, actor=actor, unit=_STRANGER) for t in step.forward]
    if len(steps) > 1:
        # A parallel case: a command on a step the case is not at, and one naming no step.
        idle = [s.key for s in procedure.steps if s.key not in steps]
        moves += [_call("resolve", actor=actor, unit=unit, step=key) for key in idle[:1]]
        moves += [_call("handover", t, actor=actor, unit=unit) for t in step.forward[:1]]
    moves += [
        # Verification runs inside the budget (Decree 61/2018 Art. 19(3)): an improper pause.
        _call("pause", "verification", actor=actor, unit=unit, evidence=("Công văn",)),
        _call("resume", actor=actor, unit=unit),
        _call("request_supplement", actor=actor, unit=unit, evidence=()),
        _call("refuse", reason="", actor=actor, unit=unit),
        # A "new" due date a day before the old one, asked by the unit holding the case.
        _reschedule(-1, {"actor": actor, "unit": unit}, delaying=False),
    ]
    if status.received_at is not None and now > status.received_at:
        earlier = status.received_at + (now - status.received_at) / 2
        earlier = earlier.replace(second=0, microsecond=0)
        moves += [
            _call("handover", t, at=earlier, actor=actor, unit=unit) for t in step.forward
        ]
    if open_ or step.consults:
        # Twice: beside the many other unlawful commands, these would be rare.
        moves += _unlawful_consultations(procedure, status, open_, now, actor, calendar) * 2
    return moves


@st.composite
def _histories(
    draw: st.DrawFn,
    procedure: Procedure,
    calendar: WorkingCalendar,
    receipts: st.SearchStrategy[datetime],
    max_events: int,
    violations: bool,
    attributes: Mapping[str, Any] | None,
    min_events: int = 1,
) -> tuple[Event, ...]:
    received = draw(receipts)
    if attributes is None:
        chosen: dict[str, Any] = {"channel": draw(st.sampled_from(CHANNELS))}
        for adjustment in procedure.adjustments:
            for key, value in adjustment.when.items():
                if draw(st.booleans()):
                    chosen[key] = value
    else:
        chosen = dict(attributes)
    number = draw(st.integers(1, 9999))
    receipt = Event(
        seq=0,
        kind=EventKind.RECEIVED,
        at=received,
        actor=draw(st.sampled_from(_ACTORS)),
        unit=procedure.first.unit,
        data={"case_id": f"HS-{number:04d}", "attributes": chosen},
    )
    mode = Mode.AUDIT if violations else Mode.STRICT
    case = Case.from_events(procedure, [receipt], replay_mode=mode, mode=mode, calendar=calendar)
    now = received
    limit = calendar.last_day - _MARGIN
    open_: Open = {}
    # Refused commands record nothing; the attempt cap keeps a run of refusals finite.
    for _ in range(4 * max_events):
        if len(case.events) >= max_events:
            break
        status = case.status
        short = len(case.events) < min_events
        if status.phase.finished or (not short and draw(st.integers(0, 15)) == 0):
            break  # histories stop anywhere: in progress, paused, awaiting, finished
        wait = draw(_minutes())
        if status.phase is Phase.AWAITING_SUPPLEMENT and draw(st.integers(0, 2)) == 0:
            wait += 16 * 24 * 60  # the applicant lets the closure period pass
        now = now + timedelta(minutes=wait)
        if open_ and draw(st.integers(0, 3)) == 0:
            # Time runs on to about an answer's due: answers come just before it, at it or
            # after it, and a late one may be gone on without.
            _, due, _ = open_[draw(st.sampled_from(sorted(open_)))]
            now = max(now, due + timedelta(minutes=draw(st.sampled_from(_LATE))))
        if now.astimezone(calendar.tz).date() > limit:
            break
        # A case in parallel branches: one of its steps acts now, so that the branches'
        # commands interleave in every order.
        named = None
        if len(status.steps) > 1:
            named = draw(st.sampled_from(status.steps))
            status = attrs.evolve(status, step=named, unit=procedure.step(named).unit)
        if violations and draw(st.integers(0, 3)) == 0:
            moves = _unlawful_moves(draw, procedure, status, now, open_, calendar,
                                    status.steps)  # fmt: skip
        else:
            moves = _lawful_moves(draw, procedure, case, status, open_, now, named)
        if short:
            moves = [m for m in moves if m.__name__ not in _ENDING] or moves
        if not moves:
            break
        move = draw(st.sampled_from(moves))
        recorded = len(case.events)
        try:
            result = move(case, now)
        except CommandRefusedError:
            continue  # strict mode refused it and recorded nothing: draw another command
        if isinstance(result, Case):
            case = result
        for event in case.events[recorded:]:
            _track(open_, procedure, calendar, status, event)
    return case.events


def _check_receipt(
    procedure: Procedure, calendar: WorkingCalendar, day: date, attributes: Mapping[str, Any],
    violations: bool,
) -> None:  # fmt: skip
    """Refuse, when the strategy is built, attributes no case could be received with: not
    JSON (NaN, a set, a key that is not a text), or, for lawful histories, a channel Decree
    118/2025 Art. 15 does not have. A trial receipt is replayed as every drawn one will be."""
    at = calendar.next_opening(datetime.combine(day, time(0), calendar.tz))
    mode = Mode.AUDIT if violations else Mode.STRICT
    try:
        receipt = Event(
            seq=0, kind=EventKind.RECEIVED, at=at, actor=_ACTORS[0],
            unit=procedure.first.unit,
            data={"case_id": "HS-0001", "attributes": dict(attributes)},
        )  # fmt: skip
        Case.from_events(procedure, [receipt], replay_mode=mode, mode=mode, calendar=calendar)
        check_case_attributes(receipt.data["attributes"])  # what Case.open refuses
    except TthcFlowError as error:
        raise InvalidInputError(
            f"attributes={shown(attributes)} cannot open a case of {procedure.code}: {error}",
            value=attributes,
            hint="Give JSON values keyed by text, and a channel among "
            f"{', '.join(CHANNELS)} (or violations=True to draw unlawful receipts).",
        ) from None


def case_histories(
    procedure: Procedure,
    *,
    calendar: WorkingCalendar | None = None,
    min_received: date | None = None,
    max_received: date | None = None,
    max_events: int = 20,
    min_events: int = 1,
    violations: bool = False,
    attributes: Mapping[str, Any] | None = None,
) -> st.SearchStrategy[tuple[Event, ...]]:
    """Event sequences of cases of ``procedure``, from the receipt to any state.

    - ``calendar``: the calendar the events are judged on (default :func:`vietnam_calendar`);
      replay them on the same one: ``Case.from_events(procedure, events, calendar=calendar)``.
    - ``min_received`` / ``max_received``: the receipt's local date (default: from the day
      the procedure and its rule packs are in force, inside the calendar, to 150 days before
      the calendar ends, so every clock can be read). Receipts fall on awkward instants
      (17:00 sharp, after 15:00, make-up Saturdays, the day before Tết...).
    - ``max_events``: at most this many events, the receipt included (at least 1).
    - ``min_events``: for long histories, go on at least this long where the case allows:
      until then a history does not stop of itself, and the commands that end a case
      (resolve, return, refuse, withdraw, stop, close) are put off while any other is
      possible (send-backs, pauses, supplements, consultations keep it going). A case
      can still end sooner when nothing else is possible, or when the calendar runs out.
    - ``violations``: False (default): every history is lawful and replays in strict mode.
      True: the case is kept in audit mode and about one command in four breaks a rule; the
      events carry the violations the engine found.
    - ``attributes``: the case attributes (default: a ``channel`` and, for procedures with
      adjustments, sometimes the attributes that trigger them, e.g. ``remote=True``).

    Histories stop anywhere: in progress, paused, awaiting a supplement, resolved, returned,
    refused, stopped, withdrawn or closed. A step that declares ``consults`` consults those
    units; they answer in time or late, the lead goes on without a late answer, and never
    hands the case on while an answer it asked for is awaited (Decree 118/2025 Art. 19(4)).
    A case of a procedure whose steps fork runs in the order its channel gives (Art. 20(2)):
    in parallel, each command acts on one of the active steps, drawn anew every time, so the
    branches' commands interleave in every order (each command names its step).
    """
    if not isinstance(procedure, Procedure):
        raise InvalidInputError(
            f"expected a Procedure, got {shown(procedure)}.",
            value=procedure,
            hint="Pass a procedure, e.g. one drawn from procedures().",
        )
    if calendar is None:
        calendar = vietnam_calendar()
    elif not isinstance(calendar, WorkingCalendar):
        raise InvalidInputError(
            f"calendar={shown(calendar)} is not a WorkingCalendar.", value=calendar,
            hint="Pass vietnam_calendar(...) or one drawn from calendars().",
        )  # fmt: skip
    if type(max_events) is not int or max_events < 1:
        raise InvalidInputError(
            f"max_events={shown(max_events)} must be a positive int.", value=max_events
        )
    if type(min_events) is not int or not 1 <= min_events <= max_events:
        raise InvalidInputError(
            f"min_events={shown(min_events)} must be an int from 1 to max_events "
            f"({max_events}).",
            value=min_events,
        )
    if type(violations) is not bool:
        raise InvalidInputError(f"violations={shown(violations)} is not a flag.", value=violations)
    if attributes is not None and not isinstance(attributes, Mapping):
        raise InvalidInputError(
            f"attributes={shown(attributes)} is not a mapping.", value=attributes,
            hint='Pass e.g. attributes={"channel": "online"}, or leave it out.',
        )  # fmt: skip
    earliest = min(pack.effective_from for pack in procedure.rules)
    lo = (
        min_received
        if min_received is not None
        else max(procedure.effective_from, calendar.first_day, earliest)
    )
    ends = [calendar.last_day - _MARGIN]
    if procedure.effective_until is not None:
        ends.append(procedure.effective_until)
    hi = max_received if max_received is not None else min(ends)
    for name, value in (("min_received", lo), ("max_received", hi)):
        if type(value) is not date:
            raise InvalidInputError(
                f"{name}={shown(value)} is not a date.", value=value,
                hint=f"Pass e.g. {name}=date(2026, 3, 2), or leave it out.",
            )  # fmt: skip
    if hi < lo or not (calendar.first_day <= lo and hi <= calendar.last_day - _MARGIN):
        raise InvalidInputError(
            f"no receipt date fits: from {lo} to {hi}, on a calendar of {calendar.first_day} "
            f"to {calendar.last_day}, for {procedure} in force from {procedure.effective_from}.",
            value=(lo, hi),
            hint="Use a calendar that covers the years the procedure is in force, with about "
            "150 days to spare after the last receipt.",
        )
    if not procedure.in_force(lo) or not procedure.in_force(hi):
        raise InvalidInputError(
            f"{procedure} is not in force on every day from {lo} to {hi}.",
            value=(lo, hi),
            hint="Keep min_received and max_received inside the procedure's effective dates.",
        )
    if attributes is not None:
        _check_receipt(procedure, calendar, lo, attributes, violations)
    receipts = instants(calendar, min_value=lo, max_value=hi)
    inner = _histories(procedure, calendar, receipts, max_events, violations, attributes,
                       min_events)  # fmt: skip

    # A procedure's repr runs to pages: the strategy shown in reports takes no arguments.
    @st.composite
    def case_histories(draw: st.DrawFn) -> tuple[Event, ...]:
        return draw(inner)

    return case_histories()

"""Invariant checks a host can run on any case or catalog (kiểm tra bất biến).

Both checks return None when everything holds and raise
:class:`~tthc_flow.errors.InvariantViolation` otherwise, naming the invariant (a stable dotted
name), the evidence (a dict of what was seen) and the subject (case id, catalog name). The
error is an ``AssertionError``: inside a Hypothesis test the failing example is shrunk, inside
pytest it is a failed test. :func:`check_case_invariants` stops at the first broken invariant
(later ones may follow from it); :func:`check_catalog` reports every problem of the catalog,
the first as the error and the others in its ``related``.

Invariants of a case (:data:`CASE_INVARIANTS`):

- ``events.start``: the first event is the receipt; ``events.seq``: events are numbered 0, 1…
- ``events.time_order``: each event is no earlier than the ones before it, or carries the
  ``machine.time_order`` violation (audit mode).
- ``events.strict_clean``: no event a strict-mode case recorded as a command (after the
  history it was rebuilt from, :attr:`Case.loaded`) carries a violation;
  ``status.violations``: the status counts exactly the violations on the events.
- ``json.round_trip``: events written to JSON Lines and read back are equal, and replay to
  the same status.
- ``replay.status`` / ``replay.clocks``: replaying the events on the same calendar (in audit
  mode) gives the same status, and the same legal, indicator, step and unit clocks at
  ``at``.
- ``clock.balance``: for every clock, elapsed + remaining == allowed, and allowed is at least
  the clock's budget; ``clock.elapsed``: elapsed is never negative when the events are in
  time order.
- ``clock.due_floor``: the legal and indicator due instants are never before receipt plus
  the case's total budget (pauses, restarts and apologies only move them later).
- ``clock.start``: the legal clock starts at the receipt (or later, when the rule pack's
  practice switch starts it the next working day).
- ``finish.instant``: a finished case (returned, refused, withdrawn, stopped) has a finish
  instant; whenever there is one, the legal clock read at or after it is stopped at it, and
  when there is none it is not stopped.
- ``finish.result``: a stopped legal clock is classed by
  :func:`~tthc_flow.engine.classify` of its finish against its due (closed for a dossier
  closed unfinished by the applicant).
- ``status.step``: the step of the status is a step of the procedure, its unit that step's.

Consultations (Decree 118/2025 Art. 19(4)), checked when the clocks are read at or after the
latest event:

- ``consult.unit_clock``: every unit whose answer is awaited, and every unit a lawful
  consultation event asked, has a unit clock.
- ``consult.legal_clock``: the legal and indicator clocks read the same as those of the same
  history with every consultation event (consulted, answered, proceeded without the answer)
  left out: a consultation never moves the legal clock. The comparison is made when the
  other events carry the same violations without the consultations (one that broke a rule
  only because an answer was awaited, say, moves no clock).
- ``consult.more_time``: on that same comparison, no step clock, and no clock of a unit that
  was not itself consulted, is allowed less time than without the consultations (a late
  answer credits the lead). A consulted unit owes its answer by the request's deadline, time
  it had to spare before not carried over, so its clock is not compared. Unit clocks are
  compared when every budget of the procedure counts the same kind of time (working or
  calendar).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol

import attrs

from tthc_flow._validators import shown
from tthc_flow.engine import (
    FINISH_KINDS,
    Case,
    ClockReading,
    ClockStatus,
    EventKind,
    Mode,
    Order,
    Phase,
    Procedure,
    ResultClass,
)
from tthc_flow.engine._clocks import classify
from tthc_flow.engine._events import CONSULTATION_KINDS, Event, events_from_json, events_to_json
from tthc_flow.engine._validation import validate
from tthc_flow.errors import InvalidInputError, InvariantViolation, TthcFlowError
from tthc_flow.testing._exploration import explore

__all__ = [
    "CASE_INVARIANTS",
    "CATALOG_INVARIANTS",
    "CatalogLike",
    "check_case_invariants",
    "check_catalog",
]

CASE_INVARIANTS = (
    "events.start",
    "events.seq",
    "events.time_order",
    "events.strict_clean",
    "status.violations",
    "json.round_trip",
    "replay.status",
    "replay.clocks",
    "clock.balance",
    "clock.elapsed",
    "clock.due_floor",
    "clock.start",
    "finish.instant",
    "finish.result",
    "status.step",
    "consult.unit_clock",
    "consult.legal_clock",
    "consult.more_time",
)
CATALOG_INVARIANTS = (
    "catalog.valid",
    "catalog.dead_end",
    "catalog.unreached",
    "catalog.over_total",
    "catalog.overlap",
    "catalog.findings",
)
_ZERO = timedelta(0)


class CatalogLike(Protocol):
    """What :func:`check_catalog` needs of a catalog: every procedure version, and the
    catalog's own whole-catalog checks (``tthc_flow.catalog.Catalog`` has both)."""

    @property
    def procedures(self) -> tuple[Procedure, ...]: ...

    def check(self, *, today: date | None = None) -> list[Any]: ...


def _fail(invariant: str, message: str, subject: str, **evidence: Any) -> InvariantViolation:
    return InvariantViolation(message, invariant=invariant, evidence=evidence, subject=subject)


def every_clock(case: Case, at: datetime) -> list[ClockReading]:
    """Every clock of ``case`` at ``at``: legal, indicator, each step visit, each unit."""
    return [
        case.legal_clock(at),
        case.indicator_clock(at),
        *case.step_clocks(at),
        *case.unit_clocks(at).values(),
    ]


def _without_consultations(case: Case) -> Case | None:
    """The case rebuilt (audit mode) from its events less the consultation events, or None
    when the other events do not carry the same violations without them."""
    kept = [e for e in case.events if e.kind not in CONSULTATION_KINDS]
    renumbered = [attrs.evolve(e, seq=n) for n, e in enumerate(kept)]
    other = Case.from_events(
        case.procedure, renumbered, replay_mode=Mode.AUDIT, calendar=case.calendar
    )
    rules = [tuple(v.rule for v in e.violations) for e in kept]
    if rules != [tuple(v.rule for v in e.violations) for e in other.events]:
        return None
    return other


def _one_kind_of_time(case: Case) -> bool:
    """Whether every budget of the case's plan and consultations counts the same time
    (working or calendar): then every unit clock counts it, with or without consultations."""
    clocks = case.clocks
    kinds = {a.real for a in clocks.plan.steps.values()}
    kinds |= {a.real for a in clocks.kernel.consults.values()}
    return len(kinds) <= 1


def _check_consultations(
    case: Case, events: Sequence[Event], at: datetime, live: list[ClockReading], subject: str
) -> None:
    units = case.unit_clocks(at)
    asked = [e.target for e in events if e.kind is EventKind.CONSULTED and not e.violations]
    for unit in (*case.status.consulting, *asked):
        if unit not in units:
            raise _fail("consult.unit_clock", f"{unit} was consulted but has no unit clock.",
                        subject, unit=unit, units=tuple(units))  # fmt: skip
    try:
        other = _without_consultations(case)
    except TthcFlowError as error:
        raise _fail("consult.legal_clock", "the history without its consultations does not "
                    f"replay: {error!r}.", subject, error=str(error)) from error  # fmt: skip
    if other is None:
        return
    for mine, theirs in ((live[0], other.legal_clock(at)), (live[1], other.indicator_clock(at))):
        if mine != theirs:
            raise _fail("consult.legal_clock",
                        f"the {mine.name} clock moves with the consultations.", subject,
                        with_consultations=mine, without=theirs, at=at.isoformat())  # fmt: skip
    steps, without = case.step_clocks(at), other.step_clocks(at)
    if [c.step for c in steps] != [c.step for c in without]:
        raise _fail("consult.more_time", "the consultations change the steps visited.",
                    subject, with_consultations=[c.step for c in steps],
                    without=[c.step for c in without])  # fmt: skip
    pairs = list(zip(steps, without, strict=True))
    if _one_kind_of_time(case):
        consulted = {e.target for e in events if e.kind is EventKind.CONSULTED}
        for name, clock in other.unit_clocks(at).items():
            if name not in units:
                raise _fail("consult.more_time", f"{name} has a clock only without the "
                            "consultations.", subject, unit=name, units=tuple(units))  # fmt: skip
            if name in consulted:
                # A consulted unit owes its answer by the request's deadline: time it had
                # to spare on earlier work does not carry over, so it may be allowed less.
                continue
            pairs.append((units[name], clock))
    for mine, theirs in pairs:
        if mine.allowed < theirs.allowed:
            raise _fail("consult.more_time",
                        f"{mine.name} is allowed {mine.allowed}, less than the {theirs.allowed} "
                        "it is allowed without the consultations.", subject,
                        with_consultations=mine, without=theirs, at=at.isoformat())  # fmt: skip


def check_case_invariants(case: Case, *, at: datetime | None = None) -> None:
    """Check every invariant of :data:`CASE_INVARIANTS` on ``case``, with clocks read at
    ``at`` (default: the latest event's instant). Raises
    :class:`~tthc_flow.errors.InvariantViolation` for the first one broken."""
    if not isinstance(case, Case):
        raise InvalidInputError(f"expected a Case, got {shown(case)}.", value=case)
    subject = f"case {case.case_id} ({case.procedure.code} v{case.procedure.version})"
    events = case.events
    if not events or events[0].kind is not EventKind.RECEIVED:
        raise _fail("events.start", "the first event is not the receipt.", subject,
                    first=events[0].kind.value if events else None)  # fmt: skip
    for number, event in enumerate(events):
        if event.seq != number:
            raise _fail("events.seq", f"event {number} has seq {event.seq}.", subject,
                        position=number, seq=event.seq)  # fmt: skip
    in_order = True
    latest = events[0].at
    for event in events[1:]:
        if event.at < latest:
            in_order = False
            if not any(v.rule == "machine.time_order" for v in event.violations):
                raise _fail(
                    "events.time_order",
                    f"event {event.seq} ({event.kind.value}) at {event.at.isoformat()} precedes "
                    f"an earlier event at {latest.isoformat()} and carries no time-order "
                    "violation.",
                    subject, event=event.to_json(), latest=latest.isoformat(),
                )  # fmt: skip
        latest = max(latest, event.at)
    recorded = sum(len(e.violations) for e in events)
    commands = events[case.loaded :]
    if case.mode is Mode.STRICT and any(e.violations for e in commands):
        bad = next(e for e in commands if e.violations)
        raise _fail("events.strict_clean", "a strict-mode case holds an event with violations.",
                    subject, event=bad.to_json())  # fmt: skip
    status = case.status
    if status.violations != recorded:
        raise _fail("status.violations",
                    f"the status counts {status.violations} violations, the events carry "
                    f"{recorded}.", subject, status=status.violations, events=recorded)  # fmt: skip
    at = latest if at is None else at

    text = events_to_json(events)
    back = tuple(events_from_json(text))
    if back != events:
        diff = next((a, b) for a, b in zip(events, back, strict=True) if a != b)
        raise _fail("json.round_trip", "an event changed through JSON.", subject,
                    before=diff[0].to_json(), after=diff[1].to_json())  # fmt: skip
    procedure = case.procedure
    try:
        replay = Case.from_events(procedure, events, calendar=case.calendar)
        from_json = Case.from_events(procedure, back, calendar=case.calendar)
    except TthcFlowError as error:
        raise _fail("replay.status", f"replaying the events raised {error!r}.", subject,
                    error=str(error)) from error  # fmt: skip
    for name, other in (("replay.status", replay), ("json.round_trip", from_json)):
        if other.status != status:
            raise _fail(name, "replaying the events gives another status.", subject,
                        live=status, replayed=other.status)  # fmt: skip
    live = every_clock(case, at)
    replayed = every_clock(replay, at)
    if live != replayed:
        pair = next(
            ((a, b) for a, b in zip(live, replayed, strict=False) if a != b),
            (len(live), len(replayed)),
        )
        raise _fail("replay.clocks", "replaying the events gives other clocks.", subject,
                    live=pair[0], replayed=pair[1], at=at.isoformat())  # fmt: skip

    for clock in live:
        if clock.status is ClockStatus.NOT_STARTED:
            continue
        if clock.elapsed + clock.remaining != clock.allowed:
            raise _fail("clock.balance",
                        f"{clock.name}: elapsed {clock.elapsed} + remaining {clock.remaining} "
                        f"!= allowed {clock.allowed}.", subject, clock=clock)  # fmt: skip
        if in_order and clock.elapsed < _ZERO:
            raise _fail("clock.elapsed", f"{clock.name}: elapsed {clock.elapsed} is negative.",
                        subject, clock=clock)  # fmt: skip
    received = events[0].at
    total = procedure.total_for(case.attributes, case.pack)
    floor = total.due(case.calendar, received)
    legal, indicator = live[0], live[1]
    for clock in (legal, indicator):
        if clock.due is not None and clock.due < floor:
            raise _fail("clock.due_floor",
                        f"{clock.name} due {clock.due.isoformat()} is before receipt + "
                        f"{total} = {floor.isoformat()}.", subject,
                        due=clock.due.isoformat(), floor=floor.isoformat())  # fmt: skip
    late_start = case.pack is not None and case.pack.late_receipt_next_day
    started = legal.started_at
    if at >= received and (
        started is None or started < received or (started != received and not late_start)
    ):
        raise _fail("clock.start", "the legal clock does not start at the receipt.", subject,
                    started_at=legal.started_at, received_at=received)  # fmt: skip

    finished = status.finished_at
    if status.phase.finished and finished is None:
        raise _fail("finish.instant", f"the case is {status.phase.name} without a finish "
                    "instant.", subject, phase=status.phase.name)  # fmt: skip
    if finished is not None and at >= finished:
        if legal.status is not ClockStatus.STOPPED or legal.finished_at != finished:
            raise _fail("finish.instant",
                        f"the case finished at {finished.isoformat()} but its legal clock is "
                        f"{legal.status.name} (finished {legal.finished_at}).", subject,
                        clock=legal)  # fmt: skip
        judged = legal.due if legal.due is not None else legal.projected_due
        assert judged is not None
        if legal.forced_overdue:
            expected = ResultClass.OVERDUE
        elif next(e.kind for e in events if e.kind in FINISH_KINDS) is EventKind.CLOSED:
            expected = ResultClass.CLOSED
        else:
            expected = classify(finished, judged, case.calendar)
        if legal.result is not expected:
            raise _fail("finish.result",
                        f"finished {finished.isoformat()} against due {judged.isoformat()} "
                        f"is {expected.name}, the clock says {legal.result.name}.", subject,
                        clock=legal)  # fmt: skip
    elif legal.status is ClockStatus.STOPPED:
        raise _fail("finish.instant", "the legal clock is stopped but the case has no finish "
                    "instant (or it lies after the reading).", subject, clock=legal)  # fmt: skip
    if status.phase is not Phase.NEW:
        keys = {s.key for s in procedure.steps}
        if status.step not in keys or status.unit != procedure.step(status.step).unit:
            raise _fail("status.step", f"status step {status.step!r} / unit {status.unit!r} "
                        "does not match the procedure.", subject, status=status)  # fmt: skip
    if at >= latest and any(e.kind in CONSULTATION_KINDS for e in events):
        _check_consultations(case, events, at, live, subject)


# ---------------------------------------------------------------------------- catalogs


def _is_error(finding: Any) -> bool:
    return getattr(finding, "severity", "error") == "error"


def _overlaps(procedures: Iterable[Procedure]) -> list[tuple[Procedure, Procedure]]:
    by_code: dict[str, list[Procedure]] = {}
    for procedure in procedures:
        by_code.setdefault(procedure.code, []).append(procedure)
    found = []
    for versions in by_code.values():
        ordered = sorted(versions, key=lambda p: p.effective_from)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if a.effective_until is None or b.effective_from <= a.effective_until:
                    found.append((a, b))
    return found


def _orders(procedure: Procedure) -> list[Order | None]:
    """The orders a procedure's cases can run in: every declared one and, when it declares
    orders, the fixed sequence of a case that names no channel; the parallel order of a
    procedure that forks without orders; None (its one graph) for one that never forks."""
    if not procedure.parallel:
        return [None]
    if not procedure.orders:
        return [Order.PARALLEL]
    found = set(procedure.orders.values()) | {Order.SEQUENTIAL}
    return [order for order in Order if order in found]


def check_catalog(
    catalog: CatalogLike,
    *,
    today: date | None = None,
    max_depth: int = 40,
    max_paths: int = 10_000,
) -> None:
    """Check every invariant of :data:`CATALOG_INVARIANTS` on ``catalog``:

    - ``catalog.valid``: every procedure version passes the definition checks again (one
      built around them, e.g. by ``object.__setattr__``, is caught here);
    - ``catalog.dead_end`` / ``catalog.unreached`` / ``catalog.over_total``: :func:`explore`
      (bounded by ``max_depth`` and ``max_paths``) finds no step from which the result can
      never be returned, no step no path reaches, no path without rework whose step budgets
      (the critical path, when branches run in parallel) exceed the published total; a
      procedure whose steps fork is explored in each order its cases can run in;
    - ``catalog.overlap``: no two versions of one code are in force on the same day;
    - ``catalog.findings``: ``catalog.check(today=today)`` reports no error (warnings are
      kept in the evidence of other problems, never fail the check on their own).

    Raises :class:`~tthc_flow.errors.InvariantViolation` for the first problem, with every
    other one in its ``related``.
    """
    held = getattr(catalog, "procedures", None)
    hint = "Pass a tthc_flow.catalog.Catalog, or an object with .procedures and .check()."
    if (
        held is None
        or not callable(getattr(catalog, "check", None))
        or isinstance(held, (str, bytes, Mapping))
        or not isinstance(held, Iterable)
    ):
        raise InvalidInputError(
            f"expected a catalog, got {shown(catalog)}.", value=catalog, hint=hint
        )
    procedures = tuple(held)
    for procedure in procedures:
        if not isinstance(procedure, Procedure):
            raise InvalidInputError(
                f"catalog.procedures holds {type(procedure).__name__} {shown(procedure)}, "
                "not a Procedure.",
                value=procedure,
                hint=hint,
            )
    subject = f"catalog {getattr(catalog, 'name', '')}".strip()
    problems: list[InvariantViolation] = []
    for procedure in procedures:
        where = f"{procedure.code} v{procedure.version}"
        try:
            validate(procedure)
        except TthcFlowError as error:
            problems.append(_fail("catalog.valid", f"{where}: {error}", subject,
                                  procedure=where, check=getattr(error, "check", "")))  # fmt: skip
            continue
        for order in _orders(procedure):
            label = "" if order is None else f" ({order.value} order)"
            report = explore(procedure, max_depth=max_depth, max_paths=max_paths, order=order)
            if report.dead_ends:
                problems.append(_fail("catalog.dead_end",
                                      f"{where}{label}: the result can never be returned from "
                                      f"{', '.join(report.dead_ends)}.", subject, procedure=where,
                                      steps=report.dead_ends, exploration=report))  # fmt: skip
            if report.unreached:
                problems.append(_fail("catalog.unreached",
                                      f"{where}{label}: no path reaches "
                                      f"{', '.join(report.unreached)}"
                                      + (" (search truncated)" if report.truncated else "") + ".",
                                      subject, procedure=where, steps=report.unreached,
                                      exploration=report))  # fmt: skip
            if report.over_total:
                problems.append(_fail("catalog.over_total",
                                      f"{where}{label}: path "
                                      f"{' → '.join(report.over_total)} takes more than the "
                                      f"published {procedure.total}.", subject,
                                      procedure=where, path=report.over_total,
                                      exploration=report))  # fmt: skip
    for a, b in _overlaps(procedures):
        problems.append(_fail("catalog.overlap",
                              f"{a.code}: versions {a.version} and {b.version} are both in "
                              f"force from {b.effective_from}.", subject, code=a.code,
                              versions=(a.version, b.version)))  # fmt: skip
    findings = list(catalog.check(today=today))
    errors = [f for f in findings if _is_error(f)]
    if errors:
        problems.append(_fail("catalog.findings",
                              f"the catalog's own checks found {len(errors)} error(s): "
                              + "; ".join(str(f) for f in errors), subject,
                              findings=tuple(errors),
                              warnings=tuple(f for f in findings if not _is_error(f))))  # fmt: skip
    if problems:
        first, *others = problems
        raise InvariantViolation(
            f"{len(problems)} problem(s); first: {str(first).split('] ', 1)[-1]}",
            invariant=first.invariant,
            evidence=first.evidence,
            subject=subject,
            related=others,
        )

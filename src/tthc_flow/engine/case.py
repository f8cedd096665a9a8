"""Cases (hồ sơ): an append-only log of events, commands that check before they append, and
the clocks read from the log.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from tthc_flow.engine.budgets import WorkingDays
>>> from tthc_flow.engine.definitions import Procedure, ProcedureKind, Step
>>> vn = ZoneInfo("Asia/Ho_Chi_Minh")
>>> proc = Procedure(
...     code="X.1", name="Thủ tục minh họa", version="1", kind=ProcedureKind.ONE_STOP,
...     total=WorkingDays(3),
...     steps=[
...         Step("receive", "Tiếp nhận", "Một cửa", WorkingDays("0.5"), next="review",
...              reception=True),
...         Step("review", "Thẩm định", "Phòng Tư pháp", WorkingDays(2), next="return"),
...         Step("return", "Trả kết quả", "Một cửa", WorkingDays("0.5"), returns=True),
...     ],
... )
>>> case = Case.open(proc, case_id="H1", received_at=datetime(2025, 4, 25, 16, tzinfo=vn),
...                  actor="Lan", unit="Một cửa")
>>> case.legal_clock().due.isoformat()
'2025-04-29T16:00:00+07:00'
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

import attrs

from tthc_flow.calendar import WorkingCalendar, vietnam_calendar
from tthc_flow.engine.clocks import (
    ClockReading,
    indicator_clock,
    legal_clock,
    step_clocks,
    unit_clocks,
)
from tthc_flow.engine.definitions import Procedure
from tthc_flow.engine.events import Event, EventKind, Violation
from tthc_flow.engine.machine import (
    DEFAULT_BACKEND,
    CompiledProcedure,
    MachineBackend,
    compile_procedure,
)
from tthc_flow.engine.rules import RulePack, pack_in_force
from tthc_flow.engine.state import CaseStatus, Fold
from tthc_flow.errors import (
    ActorNotAllowedError,
    EventFormatError,
    InvalidInputError,
    RuleViolationError,
    TransitionNotAllowedError,
)

__all__ = ["Case", "Mode"]


class Mode(enum.Enum):
    """``STRICT``: live commands; a command that breaks a rule is refused. ``AUDIT``: history
    imported from another system; every event is accepted and the rules it breaks are
    recorded on it as violations."""

    STRICT = "strict"
    AUDIT = "audit"


def _mode(value: Mode | str) -> Mode:
    try:
        return value if isinstance(value, Mode) else Mode(value)
    except ValueError:
        raise InvalidInputError(
            f"unknown mode {value!r}.", value=value, hint="Use 'strict' or 'audit'."
        ) from None


_ERROR_OF = {"machine": TransitionNotAllowedError, "actor": ActorNotAllowedError}


class Case:
    """One case of a procedure: its events, its state, its clocks.

    Build it with :meth:`open` (a live case) or :meth:`from_events` (a replay). Each command
    checks the state machine, the rule pack in force on the receipt date and the actor; it
    then appends exactly one event, or raises a
    :class:`~tthc_flow.errors.CommandRefusedError` and changes nothing.
    """

    __slots__ = (
        "_events",
        "_fold",
        "_last_step",
        "attributes",
        "calendar",
        "case_id",
        "compiled",
        "mode",
        "pack",
        "procedure",
    )

    def __init__(
        self,
        procedure: Procedure,
        *,
        case_id: str,
        attributes: Mapping[str, Any] | None = None,
        calendar: WorkingCalendar | None = None,
        mode: Mode | str = Mode.STRICT,
        backend: MachineBackend = DEFAULT_BACKEND,
    ) -> None:
        if not isinstance(procedure, Procedure):
            raise InvalidInputError(f"expected a Procedure, got {procedure!r}.", value=procedure)
        self.procedure = procedure
        self.compiled: CompiledProcedure = compile_procedure(procedure, backend)
        self.case_id = str(case_id)
        self.attributes: Mapping[str, Any] = MappingProxyType(dict(attributes or {}))
        self.calendar = calendar if calendar is not None else vietnam_calendar()
        self.mode = _mode(mode)
        self.pack: RulePack | None = None
        self._events: list[Event] = []
        self._fold: Fold | None = None
        self._last_step: str | None = None

    # ------------------------------------------------------------------ building

    @classmethod
    def open(
        cls,
        procedure: Procedure,
        *,
        case_id: str,
        received_at: datetime,
        actor: str,
        unit: str | None = None,
        role: str | None = None,
        attributes: Mapping[str, Any] | None = None,
        calendar: WorkingCalendar | None = None,
        evidence: Iterable[str] = (),
        mode: Mode | str = Mode.STRICT,
    ) -> Case:
        """Receive a case (tiếp nhận hồ sơ): a complete, valid dossier, recorded on the receipt.

        ``unit`` defaults to the unit of the reception step. The case keeps its attributes in
        the receipt event, so its events alone rebuild it. ``mode`` is ``strict`` for live
        cases; ``audit`` records the rules each command breaks instead of refusing it (for a
        host that mirrors what officers did in another system).
        """
        case = cls(
            procedure, case_id=case_id, attributes=attributes, calendar=calendar, mode=mode
        )
        case._command(
            EventKind.RECEIVED,
            at=received_at,
            actor=actor,
            unit=unit if unit is not None else procedure.first.unit,
            role=role,
            evidence=tuple(evidence),
            data={"case_id": case.case_id, "attributes": dict(case.attributes)},
        )
        return case

    @classmethod
    def from_events(
        cls,
        procedure: Procedure,
        events: Iterable[Event],
        *,
        mode: Mode | str = Mode.AUDIT,
        calendar: WorkingCalendar | None = None,
        backend: MachineBackend = DEFAULT_BACKEND,
    ) -> Case:
        """Replay a history. In ``audit`` mode (the default here) every event is accepted and
        the rules it breaks are recorded as its violations; in ``strict`` mode the first
        unlawful event raises. Case id and attributes come from the receipt event."""
        events = list(events)
        if not events or events[0].kind is not EventKind.RECEIVED:
            raise EventFormatError("a case's events start with its receipt ('received').")
        data = events[0].data
        case = cls(
            procedure,
            case_id=str(data.get("case_id", "")),
            attributes=data.get("attributes") or {},
            calendar=calendar,
            mode=mode,
            backend=backend,
        )
        for event in events:
            case._append(event, replay=True)
        return case

    # ------------------------------------------------------------------ reading

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(self._events)

    @property
    def status(self) -> CaseStatus:
        """The case's state now (phase, step, responsible unit, counters)."""
        fold = self._require_fold()
        return fold.snapshot(self._last_step)

    @property
    def violations(self) -> tuple[tuple[Event, Violation], ...]:
        """Every (event, violation) accepted in audit mode."""
        return tuple((e, v) for e in self._events for v in e.violations)

    @property
    def received_at(self) -> datetime:
        return self._require_fold().received_at  # type: ignore[return-value]

    def _at(self, at: datetime | None) -> datetime:
        if at is not None:
            return at
        fold = self._require_fold()
        if fold.finished_at is not None or fold.last_at is None:
            return fold.last_at or self.received_at
        return fold.last_at

    def legal_clock(self, at: datetime | None = None) -> ClockReading:
        """The legal clock at ``at`` (default: the last event)."""
        return legal_clock(
            self.procedure, self._require_pack(), self.calendar, self._events,
            self.attributes, self._at(at),
        )  # fmt: skip

    def indicator_clock(self, at: datetime | None = None) -> ClockReading:
        """The Decision 766 indicator clock at ``at`` (default: the last event)."""
        return indicator_clock(
            self.procedure, self._require_pack(), self.calendar, self._events,
            self.attributes, self._at(at),
        )  # fmt: skip

    def step_clocks(self, at: datetime | None = None) -> list[ClockReading]:
        """One clock per step visit at ``at`` (default: the last event)."""
        return step_clocks(
            self.procedure, self._require_pack(), self.calendar, self._events,
            self.attributes, self._at(at),
        )  # fmt: skip

    def unit_clocks(self, at: datetime | None = None) -> dict[str, ClockReading]:
        """One clock per unit at ``at`` (default: the last event)."""
        return unit_clocks(
            self.procedure, self._require_pack(), self.calendar, self._events,
            self.attributes, self._at(at),
        )  # fmt: skip

    def _require_fold(self) -> Fold:
        if self._fold is None:
            raise EventFormatError(f"case {self.case_id} has not been received yet.")
        return self._fold

    def _require_pack(self) -> RulePack:
        self._require_fold()
        assert self.pack is not None
        return self.pack

    # ------------------------------------------------------------------ commands

    def handover(self, to: str, *, at: datetime, actor: str, unit: str,
                 role: str | None = None, note: str = "") -> Event:  # fmt: skip
        """Hand the case over to step ``to`` (chuyển bước)."""
        return self._command(
            EventKind.HANDED_OVER, at=at, actor=actor, unit=unit, role=role, target=to,
            reason=note or None,
        )  # fmt: skip

    def send_back(self, to: str, *, at: datetime, actor: str, unit: str, reason: str,
                  role: str | None = None) -> Event:  # fmt: skip
        """Send the case back to an earlier step for rework (trả lại để xử lý lại)."""
        return self._command(
            EventKind.SENT_BACK, at=at, actor=actor, unit=unit, role=role, target=to,
            reason=reason,
        )  # fmt: skip

    def pause(self, reason: str, *, at: datetime, actor: str, unit: str,
              evidence: Iterable[str] = (), role: str | None = None) -> Event:  # fmt: skip
        """Stop the clock for a reason of the rule pack (tạm dừng), e.g.
        ``financial_obligation``."""
        return self._command(
            EventKind.PAUSED, at=at, actor=actor, unit=unit, role=role, reason=reason,
            evidence=tuple(evidence),
        )  # fmt: skip

    def resume(self, *, at: datetime, actor: str, unit: str, role: str | None = None) -> Event:
        """End a pause (tiếp tục xử lý)."""
        return self._command(EventKind.RESUMED, at=at, actor=actor, unit=unit, role=role)

    def request_supplement(self, *, at: datetime, actor: str, unit: str,
                           evidence: Iterable[str], note: str = "",
                           role: str | None = None) -> Event:  # fmt: skip
        """Ask the applicant to supplement the dossier (yêu cầu bổ sung, hoàn thiện hồ sơ):
        once only, within the pack's window after receipt."""
        return self._command(
            EventKind.SUPPLEMENT_REQUESTED, at=at, actor=actor, unit=unit, role=role,
            evidence=tuple(evidence), reason=note or None,
        )  # fmt: skip

    def receive_supplement(self, *, at: datetime, actor: str, unit: str,
                           complete: bool = True, role: str | None = None) -> Event:  # fmt: skip
        """Record the applicant's supplement; a complete one ends the wait."""
        return self._command(
            EventKind.SUPPLEMENT_RECEIVED, at=at, actor=actor, unit=unit, role=role,
            complete=complete,
        )  # fmt: skip

    def reschedule(self, *, new_due: datetime, reason: str, at: datetime, actor: str,
                   unit: str, role: str | None = None) -> Event:  # fmt: skip
        """Apologise and set a new due date (xin lỗi và hẹn lại): by the delaying unit, at most
        once, no later than the pack's days before the current due date."""
        return self._command(
            EventKind.RESCHEDULED, at=at, actor=actor, unit=unit, role=role, reason=reason,
            new_due=new_due,
        )  # fmt: skip

    def resolve(self, *, at: datetime, actor: str, unit: str, role: str | None = None) -> Event:
        """The result is ready (đã xử lý xong); the finish of the legal and indicator clocks."""
        return self._command(EventKind.RESOLVED, at=at, actor=actor, unit=unit, role=role)

    def return_result(self, *, at: datetime, actor: str, unit: str,
                      role: str | None = None) -> Event:  # fmt: skip
        """Return the result to the applicant (trả kết quả)."""
        return self._command(EventKind.RETURNED, at=at, actor=actor, unit=unit, role=role)

    def refuse(self, *, reason: str, at: datetime, actor: str, unit: str,
               role: str | None = None) -> Event:  # fmt: skip
        """Refuse with a written reason (từ chối giải quyết)."""
        return self._command(
            EventKind.REFUSED, at=at, actor=actor, unit=unit, role=role, reason=reason
        )

    def withdraw(self, *, at: datetime, actor: str, unit: str, reason: str = "") -> Event:
        """The applicant withdraws the dossier (rút hồ sơ)."""
        return self._command(
            EventKind.WITHDRAWN, at=at, actor=actor, unit=unit, reason=reason or None
        )

    def stop(self, *, reason: str, at: datetime, actor: str, unit: str,
             role: str | None = None) -> Event:  # fmt: skip
        """Stop processing with a written reason (dừng xử lý)."""
        return self._command(
            EventKind.STOPPED, at=at, actor=actor, unit=unit, role=role, reason=reason
        )

    # ------------------------------------------------------------------ machinery

    def _command(self, kind: EventKind, **fields: Any) -> Event:
        event = Event(seq=len(self._events), kind=kind, **fields)
        return self._append(event, replay=False)

    def _append(self, event: Event, *, replay: bool) -> Event:
        if event.seq != len(self._events):
            raise EventFormatError(
                f"case {self.case_id}: event seq {event.seq} where {len(self._events)} was "
                "expected; events are numbered from 0 without gaps."
            )
        fold = self._fold
        if fold is None:
            if event.kind is not EventKind.RECEIVED:
                raise EventFormatError("a case's events start with its receipt ('received').")
            pack = pack_in_force(event.at.astimezone(self.calendar.tz).date(), self.procedure.rules)
            fold = Fold(self.compiled, pack, self.calendar)
        violations = fold.check(event, self._legal_due)
        if violations:
            if self.mode is Mode.STRICT:
                error = _ERROR_OF.get(violations[0].rule.split(".")[0], RuleViolationError)
                raise error(
                    violations, command=event.kind.value, step=fold.step_key,
                    case_id=self.case_id,
                )  # fmt: skip
            if tuple(violations) != event.violations:
                event = _with_violations(event, violations)
        elif event.violations and replay:
            event = _with_violations(event, [])
        fold.apply(event)  # may raise UnknownStepError: then nothing is recorded
        if self._fold is None:
            self._fold = fold
            self.pack = fold.pack
        self._events.append(event)
        if fold.current is not None:
            self._last_step = fold.current
        return event

    def _legal_due(self, at: datetime) -> datetime | None:
        return self.legal_clock(at).due

    def __repr__(self) -> str:
        state = self._fold.phase().name if self._fold else "NEW"
        return (
            f"<Case {self.case_id} of {self.procedure.code}: {state}, {len(self._events)} events>"
        )


def _with_violations(event: Event, violations: list[Violation]) -> Event:
    return attrs.evolve(event, violations=tuple(violations))

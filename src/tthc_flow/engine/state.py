"""The state of a case, folded from its events, and the rules each event is checked against.

:class:`Fold` is the single place where events meet the law: a live command and a replayed
event go through the same :meth:`Fold.check` and :meth:`Fold.apply`, so a case rebuilt from
its events is the case that was built live.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from tthc_flow.calendar import WorkingCalendar
from tthc_flow.engine.events import Event, EventKind, Violation
from tthc_flow.engine.machine import (
    REFUSE,
    REFUSED,
    RETURN_RESULT,
    RETURNED,
    STOP,
    STOPPED,
    WITHDRAW,
    WITHDRAWN,
    CompiledProcedure,
    handover,
    send_back,
)
from tthc_flow.engine.rules import Invoker, PauseRule, RulePack
from tthc_flow.errors import UnknownStepError

if TYPE_CHECKING:
    from tthc_flow.engine.definitions import Procedure

__all__ = ["CaseStatus", "Fold", "Phase", "due_day"]


class Phase(enum.Enum):
    """Where a case stands (trạng thái hồ sơ)."""

    NEW = "chưa tiếp nhận (not received)"
    PROCESSING = "đang xử lý (processing)"
    PAUSED = "tạm dừng (paused)"
    AWAITING_SUPPLEMENT = "chờ bổ sung hồ sơ (awaiting supplement)"
    RESOLVED = "đã xử lý xong, chờ trả kết quả (resolved, awaiting return)"
    RETURNED = "đã trả kết quả (result returned)"
    REFUSED = "từ chối giải quyết (refused)"
    WITHDRAWN = "công dân rút hồ sơ (withdrawn)"
    STOPPED = "dừng xử lý (stopped)"

    @property
    def finished(self) -> bool:
        return self in _DONE


_NONE: Mapping[str, int] = MappingProxyType({})
_DONE = frozenset({Phase.RETURNED, Phase.REFUSED, Phase.WITHDRAWN, Phase.STOPPED})
_TERMINAL_PHASE = {
    RETURNED: Phase.RETURNED,
    REFUSED: Phase.REFUSED,
    WITHDRAWN: Phase.WITHDRAWN,
    STOPPED: Phase.STOPPED,
}
_TERMINAL_OF = {
    EventKind.RETURNED: RETURNED,
    EventKind.REFUSED: REFUSED,
    EventKind.WITHDRAWN: WITHDRAWN,
    EventKind.STOPPED: STOPPED,
}
_TRIGGER_OF = {
    EventKind.RETURNED: RETURN_RESULT,
    EventKind.REFUSED: REFUSE,
    EventKind.WITHDRAWN: WITHDRAW,
    EventKind.STOPPED: STOP,
}


@attrs.frozen
class CaseStatus:
    """A snapshot of a case's state (not its clocks).

    ``step`` is the current step (the last one for a finished case), ``unit`` its unit, the
    one responsible now. ``finished_at`` is the first of resolved, returned, refused, stopped,
    withdrawn (Decision 766/QĐ-TTg counts the first of these as the finish).
    """

    phase: Phase
    step: str | None
    unit: str | None
    received_at: datetime | None
    resolved_at: datetime | None
    finished_at: datetime | None
    pause_reason: str | None
    supplement_requests: int
    reschedules: int
    pause_counts: Mapping[str, int] = attrs.field(eq=False)
    violations: int


class Fold:
    """Mutable state of one case while its events are folded, with the checks of each event.

    Internal to the engine: :class:`~tthc_flow.engine.case.Case` owns one and never shows it.
    """

    __slots__ = (
        "awaiting",
        "calendar",
        "compiled",
        "current",
        "finished_at",
        "last_at",
        "pack",
        "pause",
        "pause_counts",
        "procedure",
        "received_at",
        "reschedules",
        "resolved_at",
        "state",
        "supplement_requests",
        "violations",
    )

    def __init__(
        self, compiled: CompiledProcedure, pack: RulePack | None, calendar: WorkingCalendar
    ) -> None:
        self.compiled = compiled
        self.procedure: Procedure = compiled.procedure
        self.pack = pack
        self.calendar = calendar
        self.state: str | None = None
        self.current: str | None = None  # the step the case is at; None before and after
        self.received_at: datetime | None = None
        self.resolved_at: datetime | None = None
        self.finished_at: datetime | None = None
        self.last_at: datetime | None = None
        self.pause: str | None = None
        self.awaiting = False
        self.supplement_requests = 0
        self.reschedules = 0
        self.pause_counts: dict[str, int] = {}
        self.violations = 0

    # ------------------------------------------------------------------ reading

    @property
    def rules(self) -> RulePack:
        """The pack events are checked against (a status-only replay has none)."""
        if self.pack is None:
            raise AssertionError("this fold replays statuses only; it checks no rules")
        return self.pack

    @property
    def terminal(self) -> bool:
        return self.state in _TERMINAL_PHASE

    @property
    def step_key(self) -> str | None:
        return self.current

    def phase(self) -> Phase:
        if self.state is None:
            return Phase.NEW
        if self.state in _TERMINAL_PHASE:
            return _TERMINAL_PHASE[self.state]
        if self.awaiting:
            return Phase.AWAITING_SUPPLEMENT
        if self.pause is not None:
            return Phase.PAUSED
        if self.resolved_at is not None:
            return Phase.RESOLVED
        return Phase.PROCESSING

    def snapshot(self, last_step: str | None) -> CaseStatus:
        step = self.step_key or last_step
        unit = self.compiled.steps[step].unit if step is not None else None
        return CaseStatus(
            phase=self.phase(),
            step=step,
            unit=unit,
            received_at=self.received_at,
            resolved_at=self.resolved_at,
            finished_at=self.finished_at,
            pause_reason=self.pause,
            supplement_requests=self.supplement_requests,
            reschedules=self.reschedules,
            pause_counts=MappingProxyType(dict(self.pause_counts)) if self.pause_counts else _NONE,
            violations=self.violations,
        )

    # ------------------------------------------------------------------ checking

    def check(self, event: Event, legal_due: Any = None) -> list[Violation]:
        """Every rule ``event`` breaks in the current state (empty: lawful).

        ``legal_due`` is a callable giving the legal due instant at an instant; it is only
        called for reschedules.
        """
        found: list[Violation] = []
        kind = event.kind
        if self.state is None:
            if kind is not EventKind.RECEIVED:
                found.append(_v("machine.not_received", "a case starts with its receipt."))
                return found
            self._check_actor(event, self.compiled.first, found)
            day = event.at.astimezone(self.calendar.tz).date()
            if not self.procedure.in_force(day):
                until = self.procedure.effective_until
                found.append(
                    _v(
                        "procedure.not_in_force",
                        f"version {self.procedure.version} of {self.procedure.code} is in force "
                        f"from {self.procedure.effective_from} to {until or 'further notice'}, "
                        f"not on {day}: receive the case under the version in force that day.",
                    )
                )
            return found
        if kind is EventKind.RECEIVED:
            found.append(_v("machine.received_twice", "the case was already received."))
            return found
        if self.current is None:
            found.append(
                _v(
                    "machine.finished",
                    f"the case is already {self.phase().value}; nothing follows.",
                )
            )
            return found
        if self.last_at is not None and event.at < self.last_at:
            found.append(
                _v(
                    "machine.time_order",
                    f"event at {event.at.isoformat()} precedes the previous event "
                    f"({self.last_at.isoformat()}).",
                )
            )
        _CHECKS[kind._value_](self, event, self.current, found, legal_due)
        return found

    def _check_actor(self, event: Event, step_key: str, found: list[Violation]) -> None:
        step = self.compiled.steps[step_key]
        if event.unit != step.unit:
            found.append(
                _v(
                    "actor.unit",
                    f"{event.unit or 'an unnamed unit'} acted on step {step_key!r}, which belongs "
                    f"to {step.unit}.",
                )
            )
        elif step.role is not None and event.role is not None and event.role != step.role:
            found.append(
                _v("actor.role", f"role {event.role!r} acted on step {step_key!r} ({step.role}).")
            )

    def _check_transition(
        self, event: Event, trigger: str, step: str, found: list[Violation]
    ) -> None:
        if self.compiled.next_state(step, trigger) is None:
            allowed = ", ".join(self.compiled.triggers(step)) or "nothing"
            found.append(
                _v(
                    "machine.transition",
                    f"{event.kind.value} is not allowed from step {step!r} (allowed: {allowed}).",
                )
            )

    def _check_running(self, event: Event, found: list[Violation]) -> None:
        if self.awaiting:
            found.append(
                _v(
                    "machine.awaiting_supplement",
                    "the case is waiting for the applicant's supplement.",
                )
            )
        elif self.pause is not None:
            found.append(
                _v("machine.paused", f"the case is paused ({self.pause}); resume it first.")
            )

    def _check_pause_rule(
        self, event: Event, rule: PauseRule, step: str, count: int, found: list[Violation]
    ) -> None:
        prefix = "supplement" if rule.code == self.rules.supplement else "pause"
        if not rule.allowed:
            found.append(
                _v(
                    f"{prefix}.not_allowed",
                    f"{rule.name_en} runs inside the processing time; it is not a reason to "
                    "stop the clock.",
                    rule.citation,
                )
            )
        if rule.declared_only and rule.code not in self.procedure.pauses:
            found.append(
                _v(
                    f"{prefix}.not_declared",
                    f"procedure {self.procedure.code} does not declare {rule.name_en} as a pause.",
                    rule.citation,
                )
            )
        if rule.max_times is not None and count >= rule.max_times:
            found.append(
                _v(
                    f"{prefix}.max_times",
                    f"{rule.name_en} may happen {rule.max_times} time(s) per case; this would be "
                    f"number {count + 1}.",
                    rule.citation,
                )
            )
        if rule.window is not None and self.received_at is not None:
            used = self.calendar.working_time_between(self.received_at, event.at)
            if used > rule.window.timedelta:
                found.append(
                    _v(
                        f"{prefix}.window",
                        f"{rule.name_en} must come within {rule.window} of receipt; "
                        f"{used} of working time had passed.",
                        rule.citation,
                    )
                )
        if rule.evidence and not event.evidence:
            found.append(
                _v(
                    f"{prefix}.evidence",
                    f"{rule.name_en} needs evidence: {'; '.join(rule.evidence)}.",
                    rule.citation,
                )
            )
        units = set()
        if Invoker.STEP_UNIT in rule.invokers:
            units.add(self.compiled.steps[step].unit)
        if Invoker.RECEPTION in rule.invokers:
            units.add(self.compiled.steps[self.compiled.first].unit)
        if Invoker.ANY_STEP_UNIT in rule.invokers:
            units.update(self.procedure.units)
        if event.unit not in units:
            found.append(
                _v(
                    f"{prefix}.invoker",
                    f"{event.unit or 'an unnamed unit'} may not invoke {rule.name_en} here "
                    f"(allowed: {', '.join(sorted(units))}).",
                    rule.citation,
                )
            )

    # ------------------------------------------------------------------ applying

    def apply(self, event: Event) -> None:
        """Change the state as ``event`` says (already checked, or accepted in audit mode)."""
        kind = event.kind
        if kind is EventKind.HANDED_OVER or kind is EventKind.SENT_BACK:  # the most frequent
            target = event.target
            if target is None or target not in self.compiled.steps:
                raise UnknownStepError(self.procedure.code, target)
            self.state = self.current = target
        elif kind is EventKind.RECEIVED:
            self.state = self.current = self.compiled.first
            self.received_at = event.at
        elif kind is EventKind.PAUSED:
            reason = event.reason or ""
            self.pause = reason
            self.pause_counts[reason] = self.pause_counts.get(reason, 0) + 1
        elif kind is EventKind.RESUMED:
            self.pause = None
        elif kind is EventKind.SUPPLEMENT_REQUESTED:
            self.awaiting = True
            self.supplement_requests += 1
        elif kind is EventKind.SUPPLEMENT_RECEIVED:
            if event.complete:
                self.awaiting = False
        elif kind is EventKind.RESCHEDULED:
            self.reschedules += 1
        elif kind is EventKind.RESOLVED:
            if self.resolved_at is None:
                self.resolved_at = event.at
            if self.finished_at is None:
                self.finished_at = event.at
        else:
            self.state = _TERMINAL_OF[kind]
            self.current = None
            self.pause = None
            self.awaiting = False
            if self.finished_at is None:
                self.finished_at = event.at
        if self.last_at is None or event.at > self.last_at:
            self.last_at = event.at
        if event.violations:
            self.violations += len(event.violations)


def _v(rule: str, message: str, citation: str = "") -> Violation:
    return Violation(rule, message, citation)


def _check_move(fold: Fold, event: Event, step: str, found: list[Violation], _: Any) -> None:
    target = event.target
    if target is None:
        found.append(_v("machine.unknown_step", "a handover needs a target step."))
        return
    make = handover if event.kind is EventKind.HANDED_OVER else send_back
    fold._check_transition(event, make(target), step, found)
    fold._check_running(event, found)
    if fold.resolved_at is not None and event.kind is EventKind.SENT_BACK:
        found.append(_v("machine.already_resolved", "a resolved case is not sent back."))
    fold._check_actor(event, step, found)


def _check_pause(fold: Fold, event: Event, step: str, found: list[Violation], _: Any) -> None:
    code = event.reason or ""
    fold._check_running(event, found)
    rule = fold.rules.reasons.get(code)
    if rule is None:
        found.append(
            _v(
                "pause.unknown_reason",
                f"{code!r} is not a pause reason of {fold.rules.name}; known: "
                f"{', '.join(sorted(fold.rules.reasons))}.",
            )
        )
        return
    if code == fold.rules.supplement:
        found.append(
            _v(
                "pause.use_supplement_request",
                "a supplement is requested with the supplement command, not as a pause.",
            )
        )
        return
    fold._check_pause_rule(event, rule, step, fold.pause_counts.get(code, 0), found)


def _check_resume(fold: Fold, event: Event, step: str, found: list[Violation], _: Any) -> None:
    if fold.pause is None:
        found.append(_v("machine.not_paused", "the case is not paused."))
    fold._check_actor(event, step, found)


def _check_supplement_request(
    fold: Fold, event: Event, step: str, found: list[Violation], _: Any
) -> None:
    fold._check_running(event, found)
    rule = fold.rules.supplement_rule
    fold._check_pause_rule(event, rule, step, fold.supplement_requests, found)


def _check_supplement_received(
    fold: Fold, event: Event, step: str, found: list[Violation], _: Any
) -> None:
    if not fold.awaiting:
        found.append(_v("machine.not_awaiting_supplement", "no supplement was requested."))
    steps = fold.compiled.steps
    allowed = {steps[fold.compiled.first].unit, steps[step].unit}
    if event.unit not in allowed:
        found.append(
            _v(
                "actor.unit",
                f"a supplement is received by {' or '.join(sorted(allowed))}, not "
                f"{event.unit or 'an unnamed unit'}.",
            )
        )


def _check_reschedule(
    fold: Fold, event: Event, step: str, found: list[Violation], legal_due: Any
) -> None:
    rule = fold.rules.reschedule
    if fold.reschedules >= rule.max_times:
        found.append(
            _v(
                "reschedule.max_times",
                f"a case may be rescheduled {rule.max_times} time(s); this would be number "
                f"{fold.reschedules + 1}.",
                rule.citation,
            )
        )
    if not event.reason or event.new_due is None:
        found.append(
            _v(
                "reschedule.incomplete",
                "an apology needs a reason and a new due date.",
                rule.citation,
            )
        )
    due: datetime | None = legal_due(event.at) if legal_due is not None else None
    if due is not None:
        last_day = due_day(due, fold.calendar) - timedelta(days=rule.days_before_due)
        if event.at.astimezone(fold.calendar.tz).date() > last_day:
            found.append(
                _v(
                    "reschedule.too_late",
                    f"the apology must be sent by {last_day:%d/%m/%Y}, {rule.days_before_due} "
                    f"day(s) before the due date {due:%d/%m/%Y %H:%M}.",
                    rule.citation,
                )
            )
        if event.new_due is not None and event.new_due <= due:
            found.append(
                _v("reschedule.not_later", "the new due date must be after the current one.")
            )
    if rule.by_delaying_unit:
        fold._check_actor(event, step, found)


def _check_resolve(fold: Fold, event: Event, step: str, found: list[Violation], _: Any) -> None:
    fold._check_running(event, found)
    if fold.resolved_at is not None:
        found.append(_v("machine.already_resolved", "the case was already resolved."))
    fold._check_actor(event, step, found)


def _check_finish(fold: Fold, event: Event, step: str, found: list[Violation], _: Any) -> None:
    kind = event.kind
    fold._check_transition(event, _TRIGGER_OF[kind], step, found)
    if kind is EventKind.RETURNED:
        if fold.resolved_at is None:
            found.append(_v("machine.not_resolved", "resolve the case before returning it."))
        fold._check_actor(event, step, found)
    elif kind in (EventKind.REFUSED, EventKind.STOPPED):
        if not event.reason:
            found.append(_v(f"{kind.value}.reason", f"a {kind.value} case needs a written reason."))
        fold._check_actor(event, step, found)


# Keyed by the kind's value: hashing an Enum member runs Python code, a str does not.
_CHECKS: dict[str, Any] = {
    EventKind.HANDED_OVER.value: _check_move,
    EventKind.SENT_BACK.value: _check_move,
    EventKind.PAUSED.value: _check_pause,
    EventKind.RESUMED.value: _check_resume,
    EventKind.SUPPLEMENT_REQUESTED.value: _check_supplement_request,
    EventKind.SUPPLEMENT_RECEIVED.value: _check_supplement_received,
    EventKind.RESCHEDULED.value: _check_reschedule,
    EventKind.RESOLVED.value: _check_resolve,
    EventKind.RETURNED.value: _check_finish,
    EventKind.REFUSED.value: _check_finish,
    EventKind.WITHDRAWN.value: _check_finish,
    EventKind.STOPPED.value: _check_finish,
}


def due_day(due: datetime, calendar: WorkingCalendar) -> date:
    """The day a due instant falls on; a due at 00:00 (24:00 of a Civil Code period) belongs
    to the day before."""
    local = due.astimezone(calendar.tz)
    if local.hour == local.minute == local.second == local.microsecond == 0:
        return local.date() - timedelta(days=1)
    return local.date()

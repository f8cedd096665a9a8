"""The state of a case, folded from its events, and the rules each event is checked against.

:class:`Fold` is the single place where events meet the law: a live command and a replayed
event go through the same :meth:`Fold.check` and :meth:`Fold.apply`, so a case rebuilt from
its events is the case that was built live. What a check needs of a clock (the legal due,
whether the case is overdue, which units overran) it reads from the case's
:class:`~tthc_flow.engine._kernel.CaseClocks`, never computing a clock itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from tthc_flow.calendar import WorkingCalendar
from tthc_flow.engine._channels import CHANNEL_CITATION, CHANNELS, case_channel
from tthc_flow.engine._definitions import ProcedureKind
from tthc_flow.engine._events import (
    CONSULTATION_KINDS,
    Event,
    EventKind,
    Violation,
    ViolationCategory,
)
from tthc_flow.engine._graph import acting_step
from tthc_flow.engine._machine import (
    CLOSE,
    CLOSED,
    FORK,
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
from tthc_flow.engine._rules import Effect, Invoker, PauseRule, RulePack, effect_of
from tthc_flow.labels import Labelled

if TYPE_CHECKING:
    from tthc_flow.engine._definitions import Procedure
    from tthc_flow.engine._kernel import CaseClocks

__all__ = ["ActiveStep", "CaseStatus", "Fold", "Phase"]


class Phase(Labelled):
    """Where a case stands (trạng thái hồ sơ)."""

    NEW = "new"
    PROCESSING = "processing"
    PAUSED = "paused"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    RESOLVED = "resolved"
    RETURNED = "returned"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    CLOSED = "closed"

    @property
    def finished(self) -> bool:
        return self in _DONE


_NONE: Mapping[str, int] = MappingProxyType({})
_DONE = frozenset({Phase.RETURNED, Phase.REFUSED, Phase.WITHDRAWN, Phase.STOPPED, Phase.CLOSED})
_TERMINAL_PHASE = {
    RETURNED: Phase.RETURNED,
    REFUSED: Phase.REFUSED,
    WITHDRAWN: Phase.WITHDRAWN,
    STOPPED: Phase.STOPPED,
    CLOSED: Phase.CLOSED,
}
_TERMINAL_OF = {
    EventKind.RETURNED: RETURNED,
    EventKind.REFUSED: REFUSED,
    EventKind.WITHDRAWN: WITHDRAWN,
    EventKind.STOPPED: STOPPED,
    EventKind.CLOSED: CLOSED,
}
# The machine's trigger for each finishing event (one table; replay reads it by value).
TRIGGER_OF = {
    EventKind.RETURNED: RETURN_RESULT,
    EventKind.REFUSED: REFUSE,
    EventKind.WITHDRAWN: WITHDRAW,
    EventKind.STOPPED: STOP,
    EventKind.CLOSED: CLOSE,
}
_MACHINE, _ACTOR, _LAW = ViolationCategory.MACHINE, ViolationCategory.ACTOR, ViolationCategory.LAW
_HANDED_OVER, _SENT_BACK = EventKind.HANDED_OVER, EventKind.SENT_BACK
_RECEIVED, _PAUSED, _RESUMED = EventKind.RECEIVED, EventKind.PAUSED, EventKind.RESUMED
_SUPPLEMENT_REQUESTED = EventKind.SUPPLEMENT_REQUESTED
_SUPPLEMENT_RECEIVED = EventKind.SUPPLEMENT_RECEIVED
_RESCHEDULED, _RESOLVED = EventKind.RESCHEDULED, EventKind.RESOLVED
# The commands that act on one step: with several active, they must name it (or be made by
# the unit of exactly one of them).
_STEP_KINDS = frozenset({_HANDED_OVER, _SENT_BACK, EventKind.CONSULTED, _RESOLVED})


@attrs.frozen
class CaseStatus:
    """A snapshot of a case's state (not its clocks).

    ``step`` is the current step (the last one for a finished case; the first entered of
    several parallel ones), ``unit`` its unit, the one responsible now; ``steps`` every step
    the case is at (:meth:`~tthc_flow.engine.Case.active_steps` adds each one's due);
    ``consulting`` the units asked for an opinion that have not
    answered yet. ``finished_at`` is the first of resolved, returned, refused, stopped,
    withdrawn, closed (Decision 766/QĐ-TTg counts the first of these as the finish).
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
    #: The units consulted whose answers are still awaited (Decree 118/2025 Art. 19(4)).
    consulting: tuple[str, ...] = ()
    #: Every step the case is at (several while parallel branches run), in the order entered.
    steps: tuple[str, ...] = ()
    #: Who acted last at each active step of a parallel case (a step nobody has acted at
    #: yet is absent).
    holders: Mapping[str, str] = attrs.field(default=MappingProxyType({}), eq=False)

    def to_json(self) -> dict[str, Any]:
        """The status as JSON (schema ``case_status``, :func:`tthc_flow.views.json_schema`)."""
        from tthc_flow.views._build import status_json

        return status_json(self)


@attrs.frozen
class ActiveStep:
    """A step a case is at (bước đang xử lý): its key and name, its unit, the instant its
    own time runs out (None while its clock waits for a supplement) and who acted last
    there (None: nobody has yet)."""

    step: str
    name: str
    unit: str
    due: datetime | None
    holder: str | None

    def to_json(self) -> dict[str, Any]:
        """The step as JSON (schema ``active_step``, :func:`tthc_flow.views.json_schema`)."""
        from tthc_flow.views._build import active_step_json

        return active_step_json(self)


# Shared until a case consults a unit: most never do.
_NO_CONSULTATIONS: dict[str, tuple[str, datetime, bool]] = {}


class Fold:
    """Mutable state of one case while its events are folded, with the checks of each event.

    Internal to the engine: :class:`~tthc_flow.engine._case.Case` owns one and never shows it.
    """

    __slots__ = (
        "active",
        "arrived",
        "asked_at_reception",
        "awaiting",
        "calendar",
        "compiled",
        "complete_at",
        "consultations",
        "current",
        "finished_at",
        "flow",
        "holders",
        "last_at",
        "last_request",
        "last_step",
        "online",
        "pack",
        "pause",
        "pause_counts",
        "procedure",
        "received_at",
        "reschedules",
        "resolved_at",
        "stage_requests",
        "state",
        "supplement_requests",
        "violations",
    )

    def __init__(
        self, compiled: CompiledProcedure, pack: RulePack, calendar: WorkingCalendar
    ) -> None:
        self.compiled = compiled
        self.procedure: Procedure = compiled.procedure
        self.pack = pack
        self.calendar = calendar
        self.state: str | None = None
        self.current: str | None = None  # the step the case is at; None before and after
        self.last_step: str | None = None  # the last step it was at (for a finished case)
        self.received_at: datetime | None = None
        # When the dossier was received complete (Decree 118/2025 Art. 17(3)): its receipt,
        # or the complete supplement that answered the desk's request at reception.
        self.complete_at: datetime | None = None
        self.asked_at_reception = False  # the open (or last) request was the desk's
        self.online = False  # filed online (its receipt's channel)
        self.resolved_at: datetime | None = None
        self.finished_at: datetime | None = None
        self.last_at: datetime | None = None
        self.last_request: datetime | None = None
        self.pause: str | None = None
        self.awaiting = False
        self.supplement_requests = 0
        # The requests made after reception and at it (indexed by _at_reception), for a rule
        # that allows its count at each stage.
        self.stage_requests = [0, 0]
        self.reschedules = 0
        self.pause_counts: dict[str, int] = {}
        self.violations = 0
        # Open consultations: consulted unit → (step that asked, answer due, lead went on).
        self.consultations: dict[str, tuple[str, datetime, bool]] = _NO_CONSULTATIONS
        # A procedure whose steps fork, in its parallel order: the steps the case is at (in
        # the order entered), the branches that reached each fork's join, and who acted last
        # at each active step. Otherwise ``current`` alone says where the case is.
        flow = compiled.flow
        self.flow = flow if flow is not None and flow.parallel else None
        self.active: list[str] = []
        self.arrived: dict[str, frozenset[int]] = {}
        self.holders: dict[str, str] = {}

    # ------------------------------------------------------------------ reading

    @property
    def rules(self) -> RulePack:
        return self.pack

    @property
    def terminal(self) -> bool:
        return self.state in _TERMINAL_PHASE

    @property
    def step_key(self) -> str | None:
        return self.current

    @property
    def steps(self) -> tuple[str, ...]:
        """Every step the case is at now (none before its receipt and once finished)."""
        if self.flow is not None:
            return tuple(self.active)
        return () if self.current is None else (self.current,)

    def _judged_step(self, event: Event) -> str:
        """The step the checks judge ``event`` at: the step it acts on; else the step it
        names, when the procedure has it; else the first step the case is at (its first
        step before receipt)."""
        step = self.acting(event)
        if step is not None:
            return step
        named = event.step
        if named is not None and named in self.compiled.steps:
            return named
        steps = self.steps
        return steps[0] if steps else self.compiled.first

    def _at_reception(self, step: str | None) -> bool:
        """Whether ``step`` is the desk's reception step (the procedure's marked reception
        step, or its first step when none is marked)."""
        return step is not None and step == self.procedure.first.key

    def acting(self, event: Event) -> str | None:
        """The step ``event`` acts on: the one it names when active, else the one step the
        case is at, else the one active step of its unit (None: none of these)."""
        if self.flow is None:
            named = event.step
            if named is None or named == self.current:
                return self.current
            return None
        return acting_step(self.active, event.step, event.unit, self.compiled.unit_of)

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

    def snapshot(self) -> CaseStatus:
        step = self.current or self.last_step
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
            consulting=tuple(self.consultations),
            steps=self.steps,
            holders=MappingProxyType(
                {k: v for k, v in self.holders.items() if k in self.steps}
            ),
        )

    # ------------------------------------------------------------------ checking

    def check(self, event: Event, clocks: CaseClocks) -> list[Violation]:
        """Every rule ``event`` breaks in the current state (empty: lawful). ``clocks`` are
        the case's clocks before the event: the checks that depend on a clock read them."""
        found: list[Violation] = []
        kind = event.kind
        if self.state is None:
            if kind is not EventKind.RECEIVED:
                found.append(_v("machine.not_received", "a case starts with its receipt.", "",
                                _MACHINE))  # fmt: skip
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
            _check_channel(event, found)
            _check_order(self, event, found)
            if not self.pack.in_force(day):
                found.append(
                    _v(
                        "rules.not_in_force",
                        f"no single rule pack of {self.procedure.code} is in force on {day}; "
                        f"the case is judged by {self.pack.name} "
                        f"({self.pack.effective_from} to "
                        f"{self.pack.effective_until or 'further notice'}), the nearest.",
                        self.pack.citation,
                    )
                )
            return found
        if kind is EventKind.RECEIVED:
            found.append(_v("machine.received_twice", "the case was already received.", "",
                            _MACHINE))  # fmt: skip
            return found
        if self.current is None:
            found.append(
                _v(
                    "machine.finished",
                    f"the case is already {self.phase().label}; nothing follows.",
                    "",
                    _MACHINE,
                )
            )
            return found
        if self.last_at is not None and event.at < self.last_at:
            found.append(
                _v(
                    "machine.time_order",
                    f"event at {event.at.isoformat()} precedes the previous event "
                    f"({self.last_at.isoformat()}).",
                    "",
                    _MACHINE,
                )
            )
        step = self.current
        if self.flow is not None or event.step is not None:
            step = self._check_step(event, found)
        _CHECKS[kind._value_](self, event, step, found, clocks)
        return found

    def _check_step(self, event: Event, found: list[Violation]) -> str:
        """The step ``event`` acts on, with a violation when it names a step the case is not
        at, or (a command that moves or consults) names none while the case is at several
        steps, none of them its unit's; the checks then judge it at the step named, else
        at the first active step."""
        step = self.acting(event)
        if step is not None:
            return step
        fallback = self._judged_step(event)
        steps = self.steps
        named = event.step
        if named is not None:
            found.append(_v(
                "machine.not_active",
                f"the case is not at step {named!r}; it is at {', '.join(steps)}. Name a "
                "step the case is at.",
                "", _MACHINE,
            ))  # fmt: skip
            return fallback
        if event.kind in _STEP_KINDS:
            found.append(_v(
                "machine.step_needed",
                f"the case is at several steps ({', '.join(steps)}); name the step "
                f"{event.kind.value} acts on (step=...).",
                "", _MACHINE,
            ))  # fmt: skip
        return fallback

    def _check_actor(self, event: Event, step_key: str, found: list[Violation]) -> None:
        step = self.compiled.steps[step_key]
        if event.unit != step.unit:
            found.append(
                _v(
                    "actor.unit",
                    f"{event.unit or 'an unnamed unit'} acted on step {step_key!r}, which belongs "
                    f"to {step.unit}.",
                    "",
                    _ACTOR,
                )
            )
        elif step.role is not None and event.role is not None and event.role != step.role:
            found.append(
                _v(
                    "actor.role",
                    f"role {event.role!r} acted on step {step_key!r} ({step.role}).",
                    "",
                    _ACTOR,
                )
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
                    "",
                    _MACHINE,
                )
            )

    def _check_running(self, event: Event, found: list[Violation]) -> None:
        if self.awaiting:
            found.append(
                _v(
                    "machine.awaiting_supplement",
                    "the case is waiting for the applicant's supplement.",
                    "",
                    _MACHINE,
                )
            )
        elif self.pause is not None:
            found.append(
                _v(
                    "machine.paused",
                    f"the case is paused ({self.pause}); resume it first.",
                    "",
                    _MACHINE,
                )
            )

    def _window_end(self, rule: PauseRule) -> datetime | None:
        """The close of the last working day of ``rule``'s window after the day the dossier
        was received complete (:attr:`complete_at`): the day of receipt, or, when the desk
        asked for a supplement at reception, the day the complete supplement came. Decree
        118/2025 Art. 19(5) counts the agency's return "kể từ ngày tiếp nhận hồ sơ", and a
        dossier is received when it is complete (Art. 17(1)(c), 17(3))."""
        if rule.window is None or self.complete_at is None:
            return None
        calendar = self.calendar
        receipt_day = self.complete_at.astimezone(calendar.tz).date()
        last = calendar.add_working_days(receipt_day, int(rule.window.days))
        return calendar.day_closing(last)

    def _check_pause_rule(
        self, event: Event, rule: PauseRule, step: str, count: int, found: list[Violation],
        clocks: CaseClocks,
    ) -> None:  # fmt: skip
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
            where = "per case"
            if rule.per_stage:
                where = ("at reception" if self._at_reception(step) else
                         "after reception (the competent agency's return)")  # fmt: skip
            found.append(
                _v(
                    f"{prefix}.max_times",
                    f"{rule.name_en} may happen {rule.max_times} time(s) {where}; this would "
                    f"be number {count + 1}.",
                    rule.citation,
                )
            )
        end = self._window_end(rule)
        if end is not None and event.at > end:
            found.append(
                _v(
                    f"{prefix}.window",
                    f"{rule.name_en} must come within {rule.window} after the day the "
                    f"dossier was received complete, by {end:%H:%M %d/%m/%Y}; it came at "
                    f"{event.at:%H:%M %d/%m/%Y}.",
                    rule.citation,
                )
            )
        check = rule.online_check
        if check is not None and self.online and self._at_reception(step):
            assert self.received_at is not None
            by = self.calendar.add_working_time(self.received_at, timedelta(minutes=check.minutes))
            if event.at > by:
                found.append(
                    _v(
                        f"{prefix}.online_check",
                        f"{rule.name_en} on a dossier filed online must come within {check} "
                        f"of its receipt, by {by:%H:%M %d/%m/%Y}; it came at "
                        f"{event.at:%H:%M %d/%m/%Y}.",
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
        if effect_of(rule, "legal") is Effect.RESTART and clocks.legal_late(event.at):
            found.append(
                _v(
                    f"{prefix}.after_due",
                    f"the case is already overdue: {rule.name_en} cannot restart a processing "
                    "time that has run out (a case already overdue stays overdue).",
                    rule.citation,
                )
            )
        units = self._invokers(rule.invokers, step)
        if event.unit not in units:
            found.append(
                _v(
                    f"{prefix}.invoker",
                    f"{event.unit or 'an unnamed unit'} may not invoke {rule.name_en} here "
                    f"(allowed: {', '.join(sorted(units))}).",
                    rule.citation,
                )
            )

    def _invokers(self, invokers: frozenset[Invoker], step: str) -> frozenset[str]:
        """The units that may invoke a rule with ``invokers`` at ``step``; cached on the
        procedure, as they depend on nothing else."""
        cache: dict[tuple[frozenset[Invoker], str], frozenset[str]] = (
            self.procedure._compiled.setdefault("invokers", {})
        )
        key = (invokers, step)
        found = cache.get(key)
        if found is None:
            units: set[str] = set()
            if Invoker.STEP_UNIT in invokers:
                units.add(self.compiled.steps[step].unit)
            if Invoker.RECEPTION in invokers:
                units.add(self.compiled.steps[self.compiled.first].unit)
            if Invoker.ANY_STEP_UNIT in invokers:
                units.update(self.procedure.units)
            found = cache[key] = frozenset(units)
        return found

    # ------------------------------------------------------------------ applying

    def apply(self, event: Event) -> None:
        """Change the state as ``event`` says (already checked, or accepted in audit mode).
        A second receipt, and a handover to a step the procedure does not have (recorded in
        audit mode with its violation), change nothing."""
        kind = event.kind
        current = self.current
        if self.flow is not None and self._apply_parallel(event):
            pass
        elif kind is _HANDED_OVER or kind is _SENT_BACK:  # the most frequent
            target = event.target
            if (
                target is not None
                and target in self.compiled.steps
                and self.current is not None
                and (event.step is None or event.step == self.current)
            ):
                self.state = self.current = self.last_step = target
        elif kind is _RECEIVED:
            if self.state is None:
                self.state = self.current = self.last_step = self.compiled.first
                self.received_at = self.complete_at = event.at
                attributes = event.data.get("attributes")
                self.online = (
                    isinstance(attributes, Mapping) and case_channel(attributes) == "online"
                )
        elif kind is _PAUSED:
            reason = event.reason or ""
            self.pause = reason
            self.pause_counts[reason] = self.pause_counts.get(reason, 0) + 1
        elif kind is _RESUMED:
            self.pause = None
        elif kind is _SUPPLEMENT_REQUESTED:
            self.awaiting = True
            self.supplement_requests += 1
            # Counted at the step the check judged it at, lawful or not.
            at_reception = self._at_reception(self._judged_step(event))
            self.stage_requests[at_reception] += 1
            self.asked_at_reception = at_reception
            self.last_request = event.at
        elif kind is _SUPPLEMENT_RECEIVED:
            if event.complete:
                if self.awaiting and self.asked_at_reception:
                    self.complete_at = event.at
                self.awaiting = False
        elif kind is _RESCHEDULED:
            self.reschedules += 1
        elif kind in CONSULTATION_KINDS:
            self._apply_consultation(event)
        elif kind is _RESOLVED:
            if self.resolved_at is None:
                self.resolved_at = event.at
            if self.finished_at is None:
                self.finished_at = event.at
        elif self.current is not None:
            self.state = _TERMINAL_OF[kind]
            self.current = None
            if self.active:
                self.active = []
                self.arrived = {}
            self.pause = None
            self.awaiting = False
            self.consultations = _NO_CONSULTATIONS
            if self.finished_at is None:
                self.finished_at = event.at
        if self.flow is None and current is not None:
            # Who holds the case at its one step: whoever acted there last (nobody yet, just
            # after a move).
            if self.current != current:
                self.holders = {}
            elif self.holders.get(current) != event.actor:
                self.holders = {current: event.actor}
        if self.last_at is None or event.at > self.last_at:
            self.last_at = event.at
        if event.violations:
            self.violations += len(event.violations)

    def _apply_parallel(self, event: Event) -> bool:
        """The moves of a case in parallel branches (:meth:`Flow.move` says which steps a
        move leaves and enters); other events fall through to :meth:`apply`'s own cases.
        Returns whether the event was a move."""
        kind = event.kind
        if kind is _RECEIVED:
            if self.state is None:
                self.active = [self.compiled.first]
            return False
        if self.current is None:
            return False
        step = self.acting(event)
        if step is not None:
            self.holders[step] = event.actor
        if kind is not _HANDED_OVER and kind is not _SENT_BACK:
            return False
        target = event.target
        flow = self.flow
        assert flow is not None
        if step is None or (target is not None and target not in self.compiled.steps):
            return True
        left, entered, arrived = flow.move(
            self.active, self.arrived, step, target, back=kind is _SENT_BACK
        )
        active = [s for s in self.active if s not in left]
        for key in left:
            self.holders.pop(key, None)
        active += [s for s in entered if s not in active]
        for fork, done in arrived.items():
            if done:
                self.arrived[fork] = done
            else:
                self.arrived.pop(fork, None)
        self.active = active
        if active:
            self.state = self.current = active[0]
            self.last_step = entered[-1] if entered else self.current
        return True

    def _apply_consultation(self, event: Event) -> None:
        unit = event.target
        if unit is None or self.current is None:
            return
        kind = event.kind
        if kind is EventKind.CONSULTED:
            asked = self.acting(event)
            if asked is None:
                return  # no step the case is at asked (recorded in audit mode): none opens
            due = _consult_due(self, asked, unit, event.at)
            if due is not None and unit not in self.consultations:
                if self.consultations is _NO_CONSULTATIONS:
                    self.consultations = {}
                self.consultations[unit] = (asked, due, False)
        elif kind is EventKind.ANSWERED:
            self.consultations.pop(unit, None)
        elif unit in self.consultations:
            asked, due, _ = self.consultations[unit]
            self.consultations[unit] = (asked, due, True)


_ORDER_CITATION = (
    "Nghị định 118/2025/NĐ-CP, Điều 20 khoản 2: hồ sơ giấy được chuyển lần lượt theo thứ tự "
    "(điểm a); hồ sơ điện tử được chuyển đồng thời đến các cơ quan có thẩm quyền (điểm b)"
)


def _check_channel(event: Event, found: list[Violation]) -> None:
    """A case that names its channel names one of the three ways of filing of Art. 15."""
    attributes = event.data.get("attributes")
    if not isinstance(attributes, Mapping):
        return
    channel = attributes.get("channel")
    if channel is not None and case_channel(attributes) is None:
        found.append(_v(
            "receipt.channel_unknown",
            f"the case's channel is {channel!r:.60}; a dossier is filed in one of three ways: "
            f"{', '.join(CHANNELS)} (or give no channel when it is not known).",
            CHANNEL_CITATION,
        ))  # fmt: skip


def _check_order(fold: Fold, event: Event, found: list[Violation]) -> None:
    """A procedure that declares its orders (Art. 20(2)) needs a case channel it lists, and
    an order recorded on the receipt must be the one that channel gives. A channel that is
    not one of Art. 15's is :func:`_check_channel`'s to report."""
    procedure = fold.procedure
    if not procedure.parallel or not procedure.orders:
        return
    data = event.data
    attributes = data.get("attributes")
    if (
        isinstance(attributes, Mapping)
        and attributes.get("channel") is not None
        and case_channel(attributes) is None
    ):
        return
    expected = procedure.order_for(attributes if isinstance(attributes, Mapping) else {})
    recorded = data.get("order")
    listed = ", ".join(sorted(procedure.orders))
    if expected is None:
        channel = attributes.get("channel") if isinstance(attributes, Mapping) else None
        found.append(_v(
            "receipt.channel",
            f"{procedure.code} runs its agencies in parallel or one after another by the "
            f"dossier's channel; the case's channel is {channel!r}, not one of {listed}. Give "
            "the case attribute channel.",
            _ORDER_CITATION,
        ))  # fmt: skip
    elif recorded is not None and recorded != expected.value:
        found.append(_v(
            "receipt.order",
            f"the receipt records the order {recorded!r}, but a {attributes['channel']} "  # type: ignore[index]
            f"dossier runs in the order {expected.value!r}.",
            _ORDER_CITATION,
        ))  # fmt: skip


def _consult_due(fold: Fold, step: str, unit: str, at: datetime) -> datetime | None:
    budget = fold.compiled.steps[step].consults.get(unit)
    return None if budget is None else budget.due(fold.calendar, at)


_CONSULT_CITATION = (
    "Nghị định 118/2025/NĐ-CP, Điều 19 khoản 4 điểm b, c: văn bản lấy ý kiến nêu rõ nội dung, "
    "thời hạn; cơ quan được lấy ý kiến trả lời đúng thời hạn; quá hạn chưa trả lời, cơ quan chủ "
    "trì thông báo Bộ phận Một cửa về việc chậm trễ"
)


def _check_consulted(
    fold: Fold, event: Event, step: str, found: list[Violation], _: CaseClocks
) -> None:
    unit = event.target
    declared = fold.compiled.steps[step].consults
    if fold.resolved_at is not None:
        found.append(_v("consult.not_running", "the case is resolved; opinions are asked "
                        "before the decision, not after.", "", _MACHINE))  # fmt: skip
    if unit is None or unit not in declared:
        named = ", ".join(declared) or "no unit"
        found.append(_v(
            "consult.not_declared",
            f"step {step!r} does not consult {unit!r}; it may consult {named}. Declare the "
            "unit and its answer budget in the step's consults.",
            _CONSULT_CITATION,
        ))  # fmt: skip
    elif unit in fold.consultations:
        found.append(_v("consult.already_open", f"{unit} was already consulted and has not "
                        "answered; wait for its answer.", "", _MACHINE))  # fmt: skip
    if not event.evidence:
        found.append(_v(
            "consult.evidence",
            "a consultation is asked in writing, stating what is asked, by when and how to "
            "answer; cite the request document in evidence.",
            "Nghị định 118/2025/NĐ-CP, Điều 19 khoản 4 điểm b, d: lấy ý kiến bằng văn bản "
            "(điện tử hoặc giấy) nêu rõ nội dung, thời hạn, phương thức trả lời; được số hóa, "
            "cập nhật vào Hệ thống thông tin giải quyết thủ tục hành chính",
        ))  # fmt: skip
    fold._check_actor(event, step, found)


def _check_answered(
    fold: Fold, event: Event, step: str, found: list[Violation], _: CaseClocks
) -> None:
    unit = event.target
    if unit is None or unit not in fold.consultations:
        found.append(_v("consult.not_open", f"{unit!r} has no open consultation to answer.",
                        "", _MACHINE))  # fmt: skip
        return
    if event.unit != unit:
        found.append(_v(
            "actor.unit",
            f"the answer comes from the unit consulted ({unit}), not "
            f"{event.unit or 'an unnamed unit'}.",
            _CONSULT_CITATION,
            _ACTOR,
        ))  # fmt: skip


def _check_proceeded(
    fold: Fold, event: Event, step: str, found: list[Violation], _: CaseClocks
) -> None:
    unit = event.target
    open_ = None if unit is None else fold.consultations.get(unit)
    if open_ is None or open_[2]:
        found.append(_v("consult.not_open", f"{unit!r} has no open consultation to go on "
                        "without.", "", _MACHINE))  # fmt: skip
        return
    asked, due, _proceeded = open_
    if event.at <= due:
        found.append(_v(
            "consult.not_late",
            f"{unit} has until {due:%d/%m/%Y %H:%M} to answer; the lead unit goes on without "
            "the answer, reporting the delay, only after that.",
            _CONSULT_CITATION,
        ))  # fmt: skip
    fold._check_actor(event, asked, found)


def _check_no_open_consultation(fold: Fold, step: str, found: list[Violation]) -> None:
    """A step does not hand the case on while an answer it asked for is awaited, unless it
    recorded going on without it (Art. 19(4)(c))."""
    waiting = [unit for unit, (asked, _, went_on) in fold.consultations.items()
               if asked == step and not went_on]  # fmt: skip
    if waiting:
        found.append(_v(
            "consult.open",
            f"step {step!r} awaits the answer of {', '.join(waiting)}; wait for it, or, once it "
            "is late, record going on without it (proceed_without_answer).",
            _CONSULT_CITATION,
        ))  # fmt: skip


def _v(
    rule: str, message: str, citation: str = "", category: ViolationCategory = _LAW
) -> Violation:
    return Violation(rule, message, citation, category)


def _check_move(
    fold: Fold, event: Event, step: str, found: list[Violation], _: CaseClocks
) -> None:
    target = event.target
    if target is None and event.kind is EventKind.HANDED_OVER and fold.compiled.table.get(
        step, _NONE
    ).get(FORK):
        # A fork: every branch at once (Decree 118/2025 Art. 20(2)(b)).
        _check_no_open_consultation(fold, step, found)
        fold._check_running(event, found)
        fold._check_actor(event, step, found)
        return
    if target is None or target not in fold.compiled.steps:
        what = (
            "a handover needs a target step (a fork step hands over to every branch at "
            "once, with no target)."
            if target is None
            else f"{fold.procedure.code} v{fold.procedure.version} has no step {target!r}; "
            "the case stays where it is."
        )
        found.append(_v("machine.unknown_step", what, "", _MACHINE))
        return
    make = handover if event.kind is EventKind.HANDED_OVER else send_back
    fold._check_transition(event, make(target), step, found)
    _check_no_open_consultation(fold, step, found)
    fold._check_running(event, found)
    if fold.resolved_at is not None and event.kind is EventKind.SENT_BACK:
        found.append(_v("machine.already_resolved", "a resolved case is not sent back.", "",
                        _MACHINE))  # fmt: skip
    fold._check_actor(event, step, found)


def _check_pause(
    fold: Fold, event: Event, step: str, found: list[Violation], clocks: CaseClocks
) -> None:
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
    fold._check_pause_rule(event, rule, step, fold.pause_counts.get(code, 0), found, clocks)


def _check_resume(
    fold: Fold, event: Event, step: str, found: list[Violation], _: CaseClocks
) -> None:
    if fold.pause is None:
        found.append(_v("machine.not_paused", "the case is not paused.", "", _MACHINE))
    fold._check_actor(event, step, found)


def _check_supplement_request(
    fold: Fold, event: Event, step: str, found: list[Violation], clocks: CaseClocks
) -> None:
    fold._check_running(event, found)
    rule = fold.rules.supplement_rule
    count = fold.supplement_requests
    if rule is not None and rule.per_stage:
        count = fold.stage_requests[fold._at_reception(step)]
    fold._check_pause_rule(event, rule, step, count, found, clocks)


def _check_supplement_received(
    fold: Fold, event: Event, step: str, found: list[Violation], _: CaseClocks
) -> None:
    if not fold.awaiting:
        found.append(_v("machine.not_awaiting_supplement", "no supplement was requested.", "",
                        _MACHINE))  # fmt: skip
    steps = fold.compiled.steps
    allowed = {steps[fold.compiled.first].unit, steps[step].unit}
    if event.unit not in allowed:
        found.append(
            _v(
                "actor.unit",
                f"a supplement is received by {' or '.join(sorted(allowed))}, not "
                f"{event.unit or 'an unnamed unit'}.",
                "",
                _ACTOR,
            )
        )


def _check_reschedule(
    fold: Fold, event: Event, step: str, found: list[Violation], clocks: CaseClocks
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
    due = clocks.legal_due(event.at)
    if due is None:
        found.append(
            _v(
                "reschedule.waiting",
                "the case awaits the applicant's supplement: it has no due date to move (the "
                "time restarts when the complete dossier arrives).",
                rule.citation,
            )
        )
    else:
        last_day = fold.calendar.due_day(due) - timedelta(days=rule.days_before_due)
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
                _v(
                    "reschedule.not_later",
                    "the new due date must be after the current one.",
                    rule.citation,
                )
            )
    by_desk = not rule.desk_asks and event.unit in desk_units(fold.procedure)
    if not by_desk and (
        not rule.by_delaying_unit or event.unit in extension_askers(fold, step, clocks, event.at)
    ):
        return
    if by_desk:
        found.append(
            _v(
                "reschedule.by_desk",
                f"{event.unit} is the one-stop desk: the competent agency asks for the "
                "extension and apologises, and the desk moves the return date on its request.",
                rule.citation,
                _ACTOR,
            )
        )
        return
    overran = clocks.overrun_units(event.at)
    holding = fold.compiled.steps[step].unit
    if rule.holder_asks:
        who = f"the unit holding the case ({holding})" + (
            f" or a unit whose own time overran ({', '.join(overran)})" if overran else ""
        )
    elif overran:
        who = f"the unit(s) whose own time overran ({', '.join(overran)})"
    else:
        who = f"the unit holding the case ({holding}), as no unit has overrun yet"
    found.append(
        _v(
            "reschedule.not_delaying",
            f"{event.unit or 'an unnamed unit'} caused no delay; the apology is made by {who}.",
            rule.citation,
            _ACTOR,
        )
    )


def extension_askers(fold: Fold, step: str, clocks: CaseClocks, at: datetime) -> list[str]:
    """The units that may ask for the extension (apologise and move the return date) at
    ``at``, the case being at ``step``, by the pack's :class:`RescheduleRule`, those who
    caused the delay first: with ``by_delaying_unit``, the units whose own time overran, or,
    while none has, the unit holding the case (and with ``holder_asks`` that unit in any
    case); without it, every unit of the procedure, the holder first. Never the one-stop
    desk when the rule says it does not ask (``desk_asks``, Decree 118/2025 Art. 19(6))."""
    rule = fold.rules.reschedule
    holding = fold.compiled.steps[step].unit
    if rule.by_delaying_unit:
        overran = clocks.overrun_units(at)
        askers = overran or [holding]
        if rule.holder_asks and holding not in askers:
            askers = [*overran, holding]
    else:
        askers = [holding, *(u for u in fold.procedure.units if u != holding)]
    if not rule.desk_asks:
        desk = desk_units(fold.procedure)
        askers = [u for u in askers if u not in desk]
    return askers


def desk_units(procedure: Procedure) -> frozenset[str]:
    """The units acting only as the one-stop desk (Bộ phận Một cửa) in ``procedure``: those of
    its reception step and of the steps marked ``reception`` or ``returns``, unless they also
    hold another step (a desk unit given a case to decide acts as the competent agency
    there: Decree 118/2025 Art. 17(5)). None in an internal procedure, which has no desk.
    Cached on the procedure."""
    cache: dict[str, frozenset[str]] = procedure._compiled.setdefault("desk_units", {})
    found = cache.get("")
    if found is None:
        if procedure.kind is ProcedureKind.INTERNAL:
            found = frozenset()
        else:
            first = procedure.first.key
            desk: set[str] = set()
            other: set[str] = set()
            for s in procedure.steps:
                (desk if s.key == first or s.reception or s.returns else other).add(s.unit)
            found = frozenset(desk - other)
        cache[""] = found
    return found


def _check_resolve(
    fold: Fold, event: Event, step: str, found: list[Violation], _: CaseClocks
) -> None:
    fold._check_running(event, found)
    if fold.resolved_at is not None:
        found.append(_v("machine.already_resolved", "the case was already resolved.", "",
                        _MACHINE))  # fmt: skip
    if len(fold.steps) > 1:
        found.append(_v(
            "machine.branches_open",
            f"parallel branches are still running ({', '.join(fold.steps)}); the result is "
            "ready when every branch has handed over to the join.",
            "", _MACHINE,
        ))  # fmt: skip
    _check_no_open_consultation(fold, step, found)
    fold._check_actor(event, step, found)


def _check_finish(
    fold: Fold, event: Event, step: str, found: list[Violation], clocks: CaseClocks
) -> None:
    kind = event.kind
    fold._check_transition(event, TRIGGER_OF[kind], step, found)
    pack = fold.rules
    if kind is EventKind.RETURNED:
        if fold.resolved_at is None:
            found.append(_v("machine.not_resolved", "resolve the case before returning it.", "",
                            _MACHINE))  # fmt: skip
        fold._check_actor(event, step, found)
        return
    if kind in (EventKind.REFUSED, EventKind.STOPPED) and not event.reason:
        found.append(_v(f"{kind.value}.reason", f"a {kind.value} case needs a written reason."))
    if kind is EventKind.REFUSED:
        # A late refusal is late (the clocks class it overdue; reports find it), not a
        # refusal to refuse: the case must still be able to end.
        fold._check_actor(event, step, found)
    elif kind in (EventKind.STOPPED, EventKind.WITHDRAWN):
        stop = pack.stop
        if stop is not None and stop.before_decision and fold.resolved_at is not None:
            found.append(
                _v(
                    f"{kind.value}.after_decision",
                    "the applicant may ask to stop only before the decision is issued; the case "
                    f"was resolved at {fold.resolved_at.isoformat()}.",
                    stop.citation,
                )
            )
        if kind is EventKind.STOPPED:
            desk = fold.compiled.steps[fold.compiled.first].unit
            if event.unit != desk:
                fold._check_actor(event, step, found)
    elif kind is EventKind.CLOSED:
        _check_closure(fold, event, step, found)


def _check_closure(fold: Fold, event: Event, step: str, found: list[Violation]) -> None:
    closure = fold.rules.closure
    if closure is None:
        found.append(
            _v(
                "closed.no_rule",
                f"{fold.rules.name} has no rule for closing a dossier the applicant never "
                "completed.",
                fold.rules.citation,
            )
        )
        return
    if not fold.awaiting or fold.last_request is None:
        found.append(
            _v(
                "closed.not_awaiting",
                "only a dossier awaiting the applicant's supplement is closed.",
                closure.citation,
            )
        )
    else:
        ends = fold.calendar.add_calendar_days(fold.last_request, closure.after.days)
        if event.at < ends:
            found.append(
                _v(
                    "closed.too_early",
                    f"the applicant has until the end of the {closure.after.days}-day period "
                    f"after the request ({ends:%d/%m/%Y %H:%M}); the dossier can be closed "
                    "from then.",
                    closure.citation,
                )
            )
    desk = fold.compiled.steps[fold.compiled.first].unit
    if event.unit != desk:
        found.append(
            _v(
                "actor.unit",
                f"the one-stop desk ({desk}) closes a dossier, not "
                f"{event.unit or 'an unnamed unit'}.",
                closure.citation,
                _ACTOR,
            )
        )


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
    EventKind.CLOSED.value: _check_finish,
    EventKind.CONSULTED.value: _check_consulted,
    EventKind.ANSWERED.value: _check_answered,
    EventKind.PROCEEDED.value: _check_proceeded,
}

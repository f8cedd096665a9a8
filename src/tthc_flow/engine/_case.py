"""Cases (hồ sơ): an append-only log of events, commands that check before they append, and
the clocks read from the log.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from tthc_flow.engine._budgets import WorkingDays
>>> from tthc_flow.engine._definitions import Procedure, ProcedureKind, Step
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
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any

import attrs

from tthc_flow._validators import aware, shown
from tthc_flow.calendar import WorkingCalendar, vietnam_calendar
from tthc_flow.codec import check_case_id, walk_json
from tthc_flow.engine._attributes import attribute_error, check_case_attributes
from tthc_flow.engine._clocks import ClockReading
from tthc_flow.engine._definitions import Procedure
from tthc_flow.engine._events import (
    CLOCK_MOVE_VALUES,
    Event,
    EventKind,
    Violation,
    ViolationCategory,
)
from tthc_flow.engine._graph import Flow, Order, order_of_receipt
from tthc_flow.engine._kernel import CaseClocks, ClockKernel
from tthc_flow.engine._machine import (
    DEFAULT_BACKEND,
    CompiledProcedure,
    MachineBackend,
    compile_procedure,
)
from tthc_flow.engine._replay import pack_for
from tthc_flow.engine._rules import RulePack
from tthc_flow.engine._state import ActiveStep, CaseStatus, Fold, extension_askers
from tthc_flow.errors import (
    ActorNotAllowedError,
    CommandRefusedError,
    EventFormatError,
    InvalidInputError,
    RuleViolationError,
    TransitionNotAllowedError,
    TthcFlowError,
)

__all__ = ["Case", "Mode"]

# What a command says: a retry under the same command id must say the same.
_COMMAND_FIELDS = (
    "kind", "at", "actor", "unit", "role", "target", "reason", "new_due", "evidence", "complete",
    "data", "step",
)  # fmt: skip


def _attributes(value: Any) -> Mapping[str, Any]:
    """A case's attributes: a mapping of JSON values (checked as events check their data),
    with ``documents``, when given, a list of texts (one text is refused, not split)."""
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise InvalidInputError(
            f"attributes must be a mapping, got {type(value).__name__} {value!r:.60}.",
            value=value,
            hint='Write e.g. attributes={"channel": "online", "documents": ["Tờ khai"]}.',
        )
    attributes = dict(value)
    walk_json(attributes, "attributes", attribute_error)
    return MappingProxyType(attributes)


def _evidence(value: Any) -> Any:
    """Documents cited, as a tuple for the event to check; a text, a mapping or a value that
    is not a collection is passed on as it is, for the event to refuse by name (a text is not
    split into its characters)."""
    if isinstance(value, (list, tuple)):
        return tuple(value)
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def _optional(text: Any) -> Any:
    """An optional free text: None for the empty text; anything else as given, for the event
    to check (a 0 or an empty list is refused there, not taken for "no text")."""
    return None if text == "" and isinstance(text, str) else text



class Mode(enum.Enum):
    """``STRICT``: live commands; a command that breaks a rule is refused. ``AUDIT``: history
    imported from another system; every event is accepted and the rules it breaks are
    recorded on it as violations (and an event that broke a rule moves no clock)."""

    STRICT = "strict"
    AUDIT = "audit"


def _mode(value: Mode | str) -> Mode:
    try:
        return value if isinstance(value, Mode) else Mode(value)
    except ValueError:
        raise InvalidInputError(
            f"unknown mode {shown(value)}.", value=value, hint="Use 'strict' or 'audit'."
        ) from None



# The refusal each category of violation raises in strict mode.
_ERROR_OF: dict[ViolationCategory, type[CommandRefusedError]] = {
    ViolationCategory.MACHINE: TransitionNotAllowedError,
    ViolationCategory.ACTOR: ActorNotAllowedError,
    ViolationCategory.LAW: RuleViolationError,
}


class Case:
    """One case of a procedure: its events, its state, its clocks. A read-only facade: every
    change goes through a command.

    Build it with :meth:`open` (a live case) or :meth:`from_events` (a replay). Each command
    checks the state machine, the rule pack in force on the receipt date and the actor; it
    then appends exactly one event, or raises a
    :class:`~tthc_flow.errors.CommandRefusedError` and changes nothing.

    ``mode`` is how commands are judged (``strict`` refuses, ``audit`` records); a replay has
    its own setting (:meth:`from_events`), so a case loaded from a store replays its history
    in audit mode and still refuses unlawful new commands.
    """

    __slots__ = (
        "_attributes",
        "_backend",
        "_calendar",
        "_case_id",
        "_clocks",
        "_compiled",
        "_events",
        "_fold",
        "_loaded",
        "_mode",
        "_pack",
        "_procedure",
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
        self._procedure = procedure
        if calendar is not None and not isinstance(calendar, WorkingCalendar):
            raise InvalidInputError(
                f"calendar must be a WorkingCalendar, got {type(calendar).__name__} "
                f"{calendar!r:.40}.",
                value=calendar,
                hint="Pass vietnam_calendar() (the default) or a calendar you built.",
            )
        if not isinstance(getattr(backend, "name", None), str) or not callable(
            getattr(backend, "compile", None)
        ):
            raise InvalidInputError(
                f"backend must be a state-machine backend (a name and compile(procedure)), "
                f"got {type(backend).__name__} {backend!r:.40}.",
                value=backend,
                hint="Leave it out (transitions), or pass StatemachineBackend().",
            )
        self._backend = backend
        self._compiled: CompiledProcedure = compile_procedure(procedure, backend)
        self._case_id = check_case_id(case_id, "case_id")
        self._attributes: Mapping[str, Any] = _attributes(attributes)
        self._calendar = calendar if calendar is not None else vietnam_calendar()
        self._mode = _mode(mode)
        self._pack: RulePack | None = None
        self._events: list[Event] = []
        self._fold: Fold | None = None
        self._clocks: CaseClocks | None = None
        self._loaded = 0

    def __reduce__(self) -> tuple[Any, ...]:
        """A case pickles as its history (to a worker process, or a cache): unpickled, it
        is replayed as :meth:`from_events` does (audit, as recorded), takes commands in its
        mode, and counts as loaded the events it had loaded (a store's save appends the
        rest)."""
        return _unpickled, (
            self._procedure, tuple(self._events), self._mode, self._calendar, self._case_id,
            dict(self._attributes), self._loaded, self._backend,
        )  # fmt: skip

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
        """Receive a case (tiếp nhận hồ sơ): a complete, valid dossier, recorded on the receipt
        (Decree 118/2025 Art. 17(3): the time counts from then).

        ``unit`` defaults to the unit of the reception step. The case keeps its attributes in
        the receipt event, so its events alone rebuild it. ``mode`` is ``strict`` for live
        cases; ``audit`` records the rules each command breaks instead of refusing it (for a
        host that mirrors what officers did in another system).
        """
        if isinstance(case_id, str) and not case_id.strip():
            raise InvalidInputError(
                "case_id must be a non-empty text: a case is found by its id.",
                value=case_id,
                hint="Use the dossier code (mã hồ sơ), e.g. '000.00.12.H01-260302-0001'.",
            )
        case = cls(
            procedure, case_id=case_id, attributes=attributes, calendar=calendar, mode=mode
        )
        check_case_attributes(case.attributes)
        data: dict[str, Any] = {"case_id": case.case_id, "attributes": dict(case.attributes)}
        order = procedure.order_for(case.attributes) if procedure.parallel else None
        if order is not None:
            # The order is fixed at receipt and kept with it (Decree 118/2025 Art. 20(2)):
            # a later change of the procedure's orders does not rewrite a case's history.
            data["order"] = order.value
        case._command(
            EventKind.RECEIVED,
            at=received_at,
            actor=actor,
            unit=unit if unit is not None else procedure.first.unit,
            role=role,
            evidence=_evidence(evidence),
            data=data,
        )
        return case

    @classmethod
    def from_events(
        cls,
        procedure: Procedure,
        events: Iterable[Event],
        *,
        replay_mode: Mode | str = Mode.AUDIT,
        mode: Mode | str = Mode.STRICT,
        calendar: WorkingCalendar | None = None,
        backend: MachineBackend = DEFAULT_BACKEND,
        case_id: str | None = None,
    ) -> Case:
        """Replay a history. ``replay_mode`` judges the history: ``audit`` (the default)
        accepts every event and records the rules it breaks as its violations; ``strict``
        raises at the first unlawful event. ``mode`` judges the commands given to the
        rebuilt case afterwards: ``strict`` by default, whatever the history held. The case
        id is ``case_id`` when given (a store's key; the receipt must not name another),
        else the receipt's; the attributes are the receipt's."""
        if isinstance(events, (str, bytes, Mapping)) or not isinstance(events, Iterable):
            raise EventFormatError(
                f"a history is a sequence of Event values, got {type(events).__name__}."
            )
        events = list(events)
        for index, event in enumerate(events):
            if not isinstance(event, Event):
                raise EventFormatError(
                    f"a history holds Event values, got {type(event).__name__} "
                    f"{event!r:.60} at index {index}; read JSON with Event.from_json."
                )
        if not events or events[0].kind is not EventKind.RECEIVED:
            raise EventFormatError("a case's events start with its receipt ('received').")
        data = events[0].data
        named = data.get("case_id")
        if case_id is not None and named is not None and named != case_id:
            raise EventFormatError(
                f"the receipt names case {named!r}, not {case_id!r}; one case has one id.",
                field="data.case_id",
                case_id=case_id,
            )
        case = cls(
            procedure,
            case_id=case_id if case_id is not None else named if named is not None else "",
            attributes=data.get("attributes") or {},
            calendar=calendar,
            mode=replay_mode,
            backend=backend,
        )
        for event in events:
            case._append(event, replay=True)
        case._mode = _mode(mode)
        case._loaded = len(events)
        return case

    # ------------------------------------------------------------------ reading

    @property
    def procedure(self) -> Procedure:
        return self._procedure

    @property
    def compiled(self) -> CompiledProcedure:
        return self._compiled

    @property
    def case_id(self) -> str:
        return self._case_id

    @property
    def attributes(self) -> Mapping[str, Any]:
        return self._attributes

    @property
    def calendar(self) -> WorkingCalendar:
        return self._calendar

    @property
    def flow(self) -> Flow | None:
        """The case's workflow when it runs parallel branches (a procedure whose steps fork,
        in the parallel order chosen at receipt), else None: one step at a time."""
        flow = self._compiled.flow
        return flow if flow is not None and flow.parallel else None

    @property
    def order(self) -> Order | None:
        """The order the case runs in (Decree 118/2025 Art. 20(2)), fixed at its receipt:
        None for a procedure whose steps never fork."""
        if not self._procedure.parallel or not self._events:
            return None
        return order_of_receipt(self._procedure, self._events[0].data)

    @property
    def mode(self) -> Mode:
        """How commands are judged now (``strict`` or ``audit``)."""
        return self._mode

    @property
    def pack(self) -> RulePack | None:
        """The rule pack the case is judged by (None before its receipt)."""
        return self._pack

    @property
    def loaded(self) -> int:
        """How many events came from the history the case was rebuilt from (0 for a case
        opened live), or were stored since (:meth:`mark_saved`): the events after them are
        the commands given since, judged by :attr:`mode`."""
        return self._loaded

    def mark_saved(self) -> None:
        """Every event recorded so far is stored (a store calls this after appending them):
        :attr:`loaded` becomes their count, and the next save appends only what follows."""
        self._loaded = len(self._events)

    @property
    def version(self) -> int:
        """The number of events recorded (the expected version of a store append)."""
        return len(self._events)

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(self._events)

    @property
    def status(self) -> CaseStatus:
        """The case's state now (phase, step, responsible unit, counters)."""
        fold = self._require_fold()
        return fold.snapshot()

    @property
    def violations(self) -> tuple[tuple[Event, Violation], ...]:
        """Every (event, violation) accepted in audit mode."""
        return tuple((e, v) for e in self._events for v in e.violations)

    @property
    def received_at(self) -> datetime:
        return self._require_fold().received_at  # type: ignore[return-value]

    @property
    def clocks(self) -> CaseClocks:
        """The case's clock fold (:class:`~tthc_flow.engine._kernel.CaseClocks`), for readers
        that want the facts without building readings."""
        self._require_fold()
        assert self._clocks is not None
        return self._clocks

    def _at(self, at: datetime | None) -> datetime:
        if at is not None:
            return aware(at)
        fold = self._require_fold()
        return fold.last_at or self.received_at

    def legal_clock(self, at: datetime | None = None) -> ClockReading:
        """The legal clock at ``at`` (default: the latest event)."""
        return self.clocks.legal_clock(self._at(at))

    def indicator_clock(self, at: datetime | None = None) -> ClockReading:
        """The Decision 766 indicator clock at ``at`` (default: the latest event)."""
        return self.clocks.indicator_clock(self._at(at))

    def step_clocks(self, at: datetime | None = None) -> list[ClockReading]:
        """One clock per step visit at ``at`` (default: the latest event)."""
        return self.clocks.step_clocks(self._at(at))

    def unit_clocks(self, at: datetime | None = None) -> dict[str, ClockReading]:
        """One clock per unit at ``at`` (default: the latest event)."""
        return self.clocks.unit_clocks(self._at(at))

    def extension_askers(self, at: datetime | None = None) -> tuple[str, ...]:
        """The units that may ask for the extension (xin lỗi và đề nghị gia hạn) at ``at``
        (default: the latest event), as :meth:`reschedule` judges who asks: under Decree
        118/2025 the competent agency holding the case, or a unit whose own time overran,
        never the one-stop desk (Art. 19(6)); the units that caused the delay come first.
        Empty before receipt and once the case is finished."""
        fold = self._require_fold()
        steps = fold.steps
        if not steps:
            return ()
        return tuple(extension_askers(fold, steps[0], self.clocks, self._at(at)))

    def status_at(self, at: datetime) -> CaseStatus:
        """The case's state as its history stood at ``at``: the events up to the first one
        dated after ``at`` (the same cut its clocks make)."""
        at = self._at(at)
        current = self._require_fold()
        if self.clocks.latest is not None and at >= self.clocks.latest:
            return current.snapshot()
        # The state fold alone, on the case's own compiled machine and pack: a status needs
        # no clock, and the events carry the violations it counts.
        assert self._pack is not None
        fold = Fold(self._compiled, self._pack, self._calendar)
        for event in self._events:
            if event.at > at:
                break
            fold.apply(event)
        return fold.snapshot()

    def active_steps(self, at: datetime | None = None) -> tuple[ActiveStep, ...]:
        """Every step the case is at, at ``at`` (default: the latest event), with its unit,
        its due instant and who holds it there (several while parallel branches run:
        Decree 118/2025 Art. 20(2)(b), each agency with its own deadline)."""
        at = self._at(at)
        status = self.status_at(at)
        steps = self._compiled.steps
        open_visits = {
            reading.step: reading
            for reading in self.step_clocks(at)
            if reading.finished_at is None
        }
        return tuple(
            ActiveStep(
                step=key,
                name=steps[key].name,
                unit=steps[key].unit,
                due=open_visits[key].due if key in open_visits else None,
                holder=status.holders.get(key),
            )
            for key in status.steps
        )

    def to_json(self, at: datetime | None = None) -> dict[str, Any]:
        """The case as a host shows it at ``at`` (default: its latest event), in the shape of
        the published schema ``case`` (:func:`tthc_flow.views.json_schema`): its procedure,
        state, active steps with their dues, legal and indicator clocks, and the rules its
        events up to ``at`` broke. An aware ``at`` only, as every reading."""
        from tthc_flow.views._build import case_json

        return case_json(self, self._at(at))

    def _require_fold(self) -> Fold:
        if self._fold is None:
            raise EventFormatError(f"case {self.case_id} has not been received yet.")
        return self._fold

    # ------------------------------------------------------------------ commands

    def handover(self, to: str | Sequence[str] | None, *, at: datetime, actor: str, unit: str,
                 role: str | None = None, step: str | None = None,
                 note: str = "",
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:  # fmt: skip
        """Hand the case over to step ``to`` (chuyển bước). From a fork step, ``to`` is its
        branches (in any order) or None: the case goes to every branch at once (chuyển đồng
        thời, Decree 118/2025 Art. 20(2)(b)), recorded as one handover with no target.

        ``step`` names the step handing over; it may be left out while the case is at one
        step, or at several of which exactly one is ``unit``'s. Every command takes it."""
        if to is not None and not isinstance(to, str):
            if command_id is None or self._recorded(command_id) is None:
                # A retry is judged against the command recorded, not the state it led to.
                self._check_fork(to, step, unit)
            to = None  # a fork's handover names no single target
        return self._command(
            EventKind.HANDED_OVER, at=at, actor=actor, unit=unit, role=role, target=to,
            reason=_optional(note), step=step,
            command_id=command_id, meta=meta,
        )  # fmt: skip

    def _check_fork(self, to: Any, step: str | None, unit: str) -> None:
        """A list of branches given to :meth:`handover`: the branches of the fork at the step
        acting, or refused before anything is recorded."""
        fold = self._require_fold()
        probe = Event(seq=0, kind=EventKind.HANDED_OVER, at=fold.last_at or self.received_at,
                      unit=unit if isinstance(unit, str) else "", step=step)  # fmt: skip
        acting = fold.acting(probe)
        flow = self._compiled.flow
        fork = None if flow is None or acting is None else flow.forks.get(acting)
        branches = list(to) if isinstance(to, Iterable) and not isinstance(to, str) else None
        if (
            fork is None
            or branches is None
            or not all(type(branch) is str for branch in branches)
            or sorted(branches) != sorted(fork.branches)
        ):
            expected = f"its branches {list(fork.branches)}" if fork is not None else "one step"
            raise InvalidInputError(
                f"handover to {shown(to)} from step {acting!r}: a list of steps is a fork's "
                f"branches; here it must be {expected}.",
                value=to,
                hint="Hand over to one step by its key, or from a fork step to all its "
                "branches (or None).",
            )

    def send_back(self, to: str, *, at: datetime, actor: str, unit: str, reason: str,
                  role: str | None = None, step: str | None = None,
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:  # fmt: skip
        """Send the case back to an earlier step for rework (trả lại để xử lý lại)."""
        return self._command(
            EventKind.SENT_BACK, at=at, actor=actor, unit=unit, role=role, target=to,
            reason=reason, step=step,
            command_id=command_id, meta=meta,
        )  # fmt: skip

    def pause(self, reason: str, *, at: datetime, actor: str, unit: str,
              evidence: Iterable[str] = (),
        role: str | None = None, step: str | None = None,
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:  # fmt: skip
        """Stop the clock for a reason of the rule pack (tạm dừng), e.g.
        ``financial_obligation``."""
        return self._command(
            EventKind.PAUSED, at=at, actor=actor, unit=unit, role=role, reason=reason,
            evidence=_evidence(evidence), step=step,
            command_id=command_id, meta=meta,
        )  # fmt: skip

    def resume(self, *, at: datetime, actor: str, unit: str, role: str | None = None,
        step: str | None = None,
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:  # fmt: skip
        """End a pause (tiếp tục xử lý)."""
        return self._command(EventKind.RESUMED, at=at, actor=actor, unit=unit, role=role,
                             step=step,
            command_id=command_id, meta=meta,
        )  # fmt: skip

    def request_supplement(self, *, at: datetime, actor: str, unit: str,
                           evidence: Iterable[str], note: str = "",
                           role: str | None = None, step: str | None = None,
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:  # fmt: skip
        """Ask the applicant to supplement the dossier (yêu cầu bổ sung, hoàn thiện hồ sơ):
        once only (Decree 118/2025 Art. 11(2)(c)), within the pack's window of working days
        after the day of receipt (Art. 19(5): three), on the supplement request form, while
        the case is not yet overdue. Under Decree 118 the legal clock then waits, with no due
        date, until the complete dossier arrives, and restarts from zero."""
        return self._command(
            EventKind.SUPPLEMENT_REQUESTED, at=at, actor=actor, unit=unit, role=role,
            evidence=_evidence(evidence), reason=_optional(note), step=step,
            command_id=command_id, meta=meta,
        )  # fmt: skip

    def receive_supplement(self, *, at: datetime, actor: str, unit: str,
                           complete: bool = True,
        role: str | None = None, step: str | None = None,
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:  # fmt: skip
        """Record the applicant's supplement; a complete one ends the wait."""
        return self._command(
            EventKind.SUPPLEMENT_RECEIVED, at=at, actor=actor, unit=unit, role=role,
            complete=complete, step=step,
            command_id=command_id, meta=meta,
        )  # fmt: skip

    def reschedule(self, *, new_due: datetime, reason: str, at: datetime, actor: str,
                   unit: str,
        role: str | None = None, step: str | None = None,
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:  # fmt: skip
        """Apologise and ask for an extension (xin lỗi và đề nghị gia hạn thời gian giải
        quyết, Decree 118/2025 Art. 19(6)): by the unit that caused the delay (one whose own
        time overran, even after it handed the case on; while none has, the unit holding
        the case), at most once, no later than the pack's days before the current due day."""
        return self._command(
            EventKind.RESCHEDULED, at=at, actor=actor, unit=unit, role=role, reason=reason,
            new_due=new_due, step=step,
            command_id=command_id, meta=meta,
        )  # fmt: skip

    def resolve(self, *, at: datetime, actor: str, unit: str, role: str | None = None,
        step: str | None = None,
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:  # fmt: skip
        """The result is ready (đã xử lý xong); the finish of the legal and indicator clocks."""
        return self._command(EventKind.RESOLVED, at=at, actor=actor, unit=unit, role=role,
                             step=step,
            command_id=command_id, meta=meta,
        )  # fmt: skip

    def return_result(self, *, at: datetime, actor: str, unit: str,
                      role: str | None = None, step: str | None = None,
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:  # fmt: skip
        """Return the result to the applicant (trả kết quả)."""
        return self._command(EventKind.RETURNED, at=at, actor=actor, unit=unit, role=role,
                             step=step,
            command_id=command_id, meta=meta,
        )  # fmt: skip

    def refuse(self, *, reason: str, at: datetime, actor: str, unit: str,
               role: str | None = None, step: str | None = None,
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:  # fmt: skip
        """Refuse with a written reason (từ chối giải quyết), within the processing time
        (Decree 118/2025 Art. 19(3))."""
        return self._command(
            EventKind.REFUSED, at=at, actor=actor, unit=unit, role=role, reason=reason, step=step,
            command_id=command_id, meta=meta,
        )

    def withdraw(self, *, at: datetime, actor: str, unit: str, reason: str = "",
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:
        """The applicant withdraws the dossier (rút hồ sơ), before the decision is issued
        (Decree 118/2025 Art. 21)."""
        return self._command(
            EventKind.WITHDRAWN, at=at, actor=actor, unit=unit, reason=_optional(reason),
            command_id=command_id, meta=meta,
        )

    def stop(self, *, reason: str, at: datetime, actor: str, unit: str,
             role: str | None = None, step: str | None = None,
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:  # fmt: skip
        """Stop the procedure at the applicant's request (dừng thực hiện thủ tục hành chính,
        Decree 118/2025 Art. 21), with the written reason, before the decision is issued;
        recorded by the desk or by the unit holding the case."""
        return self._command(
            EventKind.STOPPED, at=at, actor=actor, unit=unit, role=role, reason=reason, step=step,
            command_id=command_id, meta=meta,
        )

    def consult(self, consulted: str, *, at: datetime, actor: str, unit: str,
                evidence: Iterable[str] = (), note: str = "",
                role: str | None = None, step: str | None = None,
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:  # fmt: skip
        """Ask ``consulted`` for its opinion, or to verify (lấy ý kiến, thẩm tra, xác minh:
        Decree 118/2025 Art. 19(4)(b)), from the step the case is at, which must declare the
        unit in its ``consults``, in writing: ``evidence`` names the request document (Art.
        19(4)(b), (d)). The unit's clock starts with the answer's budget; the legal clock
        never stops for it."""
        return self._command(
            EventKind.CONSULTED, at=at, actor=actor, unit=unit, role=role, target=consulted,
            evidence=_evidence(evidence), reason=_optional(note), step=step,
            command_id=command_id, meta=meta,
        )  # fmt: skip

    def answer_consultation(self, consulted: str, *, at: datetime, actor: str,
                            evidence: Iterable[str] = (), note: str = "",
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:  # fmt: skip
        """The consulted unit answers (trả lời ý kiến, Art. 19(4)(c)): its clock stops. When
        the answer comes after its due, the time the lead unit waited since is the consulted
        unit's delay, credited to the lead unit's and its step's clocks."""
        return self._command(
            EventKind.ANSWERED, at=at, actor=actor, unit=consulted, target=consulted,
            evidence=_evidence(evidence), reason=_optional(note),
            command_id=command_id, meta=meta,
        )  # fmt: skip

    def proceed_without_answer(self, consulted: str, *, at: datetime, actor: str, unit: str,
                               reason: str,
        role: str | None = None, step: str | None = None,
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:  # fmt: skip
        """Once ``consulted`` is late, the lead unit reports the delay to the one-stop desk
        and goes on without the answer (Art. 19(4)(c)): from then it waits no longer, and the
        consulted unit still owes its answer."""
        return self._command(
            EventKind.PROCEEDED, at=at, actor=actor, unit=unit, role=role, target=consulted,
            reason=reason, step=step,
            command_id=command_id, meta=meta,
        )  # fmt: skip

    def close(self, *, at: datetime, actor: str, unit: str, reason: str = "",
        command_id: str | None = None, meta: Mapping[str, Any] | None = None,
    ) -> Event:
        """Close a dossier the applicant never completed (đóng hồ sơ, Decree 118/2025
        Art. 19(5)): by the one-stop desk, once the pack's period (15 days) after the
        supplement request has passed. The case's clocks end with the class ``CLOSED``."""
        return self._command(
            EventKind.CLOSED, at=at, actor=actor, unit=unit, reason=_optional(reason),
            command_id=command_id, meta=meta,
        )

    # ------------------------------------------------------------------ machinery

    def play(self, event: Event) -> Event:
        """Give the command that ``event`` records, as its command method would: a host that
        receives commands as events (a queue, another system, a generated history) plays
        them one by one. The event is numbered next (its ``seq`` is ignored) and judged
        afresh in :attr:`mode` (its ``violations`` are ignored); a ``command_id`` already
        recorded returns the recorded event, as for every command. A receipt is not a
        command: open the case with :meth:`open` or :meth:`from_events`.

        >>> from tthc_flow.samples import sample_catalog
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> at = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
        >>> case = sample_catalog().open_case("VD.DD", case_id="A-1", received_at=at,
        ...                                   actor="Lan")
        >>> twin = sample_catalog().open_case("VD.DD", case_id="A-2", received_at=at,
        ...                                   actor="Lan")
        >>> first = case.handover("office", at=at.replace(hour=10), actor="Lan",
        ...                       unit=case.procedure.first.unit)
        >>> twin.play(first).kind.value, twin.status.step
        ('handed_over', 'office')
        """
        if not isinstance(event, Event):
            raise InvalidInputError(
                f"play takes an Event, got {type(event).__name__} {shown(event, 60)}.",
                value=event,
                hint="Read JSON with Event.from_json first.",
            )
        if event.kind is EventKind.RECEIVED:
            raise EventFormatError(
                f"case {self.case_id}: a receipt is not a command; open a case with "
                "Case.open (or rebuild one with Case.from_events).",
                case_id=self.case_id,
            )
        return self._command(event.kind, event=event)

    def _command(self, kind: EventKind, event: Event | None = None, **fields: Any) -> Event:
        command_id = fields.get("command_id") if event is None else event.command_id
        recorded = self._recorded(command_id) if command_id is not None else None
        if event is None:
            event = Event(seq=len(self._events), kind=kind, **fields)
        elif event.seq != len(self._events) or event.violations:
            event = attrs.evolve(event, seq=len(self._events), violations=())
        if recorded is not None:
            # Idempotency: a command repeated with its id (a retry after a lost reply) is the
            # command already recorded; nothing new is recorded. A different command under
            # the same id is a host's mistake, not a retry (its meta may differ: a new
            # request id).
            differ = [
                name for name in _COMMAND_FIELDS if getattr(recorded, name) != getattr(event, name)
            ]  # fmt: skip
            if differ:
                raise InvalidInputError(
                    f"command_id {shown(command_id)} already recorded a {recorded.kind.value} "
                    f"(event {recorded.seq}) with another {', '.join(differ)}: a retry repeats "
                    "the very same command.",
                    value=command_id,
                    hint="Give every new command a new command_id; repeat an id only to retry "
                    "the very same command.",
                )
            return recorded
        if not any(char.isalnum() for char in event.actor) and (
            self._mode is Mode.STRICT or fields
        ):
            # A command names who gave it: officers answer for what they do (Decree 118/2025
            # Art. 4(6), "trách nhiệm giải trình"); an event played in audit mode mirrors
            # another system's record as it is.
            raise InvalidInputError(
                f"case {self.case_id}: a {kind.value} needs the officer who acted (actor).",
                value=event.actor,
                hint="Give actor as the officer's name, e.g. actor='Nguyễn Thị Lan'.",
            )
        return self._append(event, replay=False)

    def _recorded(self, command_id: str) -> Event | None:
        """The event recorded under ``command_id``, or None."""
        for recorded in reversed(self._events):
            if recorded.command_id == command_id:
                return recorded
        return None

    def _append(self, event: Event, *, replay: bool) -> Event:
        if event.seq != len(self._events):
            raise EventFormatError(
                f"case {self.case_id}: event seq {event.seq} where {len(self._events)} was "
                "expected; events are numbered from 0 without gaps."
            )
        fold, clocks = self._fold, self._clocks
        if fold is None or clocks is None:
            if event.kind is not EventKind.RECEIVED:
                raise EventFormatError("a case's events start with its receipt ('received').")
            pack = pack_for(self._procedure, event.at, self._calendar)
            order = order_of_receipt(self._procedure, event.data)
            if order is not None:
                self._compiled = compile_procedure(self._procedure, self._backend, order)
            fold = Fold(self._compiled, pack, self._calendar)
            kernel = ClockKernel.of(self._procedure, pack, self._calendar)
            clocks = kernel.start(self._attributes, history=self._events)
        violations = fold.check(event, clocks)
        if violations:
            if self._mode is Mode.STRICT:
                error = _ERROR_OF[violations[0].category]
                raise error(
                    violations, command=event.kind.value,
                    step=event.step or fold.acting(event) or fold.step_key,
                    case_id=self.case_id,
                )  # fmt: skip
            if tuple(violations) != event.violations:
                event = attrs.evolve(event, violations=tuple(violations))
        elif event.violations and replay:
            event = attrs.evolve(event, violations=())
        # The clocks move first: an instant outside the calendar, or a due beyond its last
        # year, is refused before anything is recorded; a fold the refusal left half-moved
        # is rebuilt from the events recorded so far.
        try:
            clocks.apply(
                event, void=bool(violations) and event.kind._value_ in CLOCK_MOVE_VALUES,
                source=fold.acting(event),
            )
        except TthcFlowError:
            if self._clocks is not None and clocks.events > len(self._events):
                self._clocks = clocks.prefix(len(self._events))
            raise
        fold.apply(event)
        if self._fold is None:
            self._fold, self._clocks, self._pack = fold, clocks, fold.pack
        self._events.append(event)
        return event

    def __repr__(self) -> str:
        state = self._fold.phase().name if self._fold else "NEW"
        return (
            f"<Case {self.case_id} of {self.procedure.code}: {state}, {len(self._events)} events>"
        )


def _unpickled(
    procedure: Procedure, events: tuple[Event, ...], mode: Mode, calendar: WorkingCalendar,
    case_id: str, attributes: dict[str, Any], loaded: int, backend: MachineBackend,
) -> Case:  # fmt: skip
    """A pickled case (see :meth:`Case.__reduce__`)."""
    if not events:
        return Case(procedure, case_id=case_id, attributes=attributes, calendar=calendar,
                    mode=mode, backend=backend)  # fmt: skip
    case = Case.from_events(procedure, events, mode=mode, calendar=calendar, backend=backend,
                            case_id=case_id)  # fmt: skip
    case._loaded = loaded
    return case

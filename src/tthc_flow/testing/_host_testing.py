"""Stateful testing of a host system (kiểm thử hệ thống tích hợp): a
:class:`hypothesis.stateful.RuleBasedStateMachine` that drives a host through its own
commands and checks, after every step, that it keeps what the library would keep.

A host is anything that keeps cases and gives commands on them: a web service on the store,
a case-management system with its own tables. It takes part through a small adapter
(:class:`HostAdapter`): open a case from its receipt, play one recorded command as the host's
own command, read back the events it stored, and, optionally, give its status JSON of a
case. :func:`host_state_machine` returns the machine class; its ``TestCase`` runs under
pytest or unittest::

    from tthc_flow.testing import host_state_machine

    TestMyHost = host_state_machine(lambda: MyHostAdapter(...), catalog=CATALOG).TestCase

The machine opens cases of procedures drawn from ``catalog`` (or generated ones), draws for
each a history of commands (:func:`~tthc_flow.testing.case_histories`, about one command in
four breaking a rule: a second supplement request, a pause without a legal reason, an
apology after the due date…) and plays them one at a time, interleaving cases; it also gives
a command a case already took again, a little later (what a rule that allows something once
must refuse). After each command it checks:

- ``host.refusal``: the host refuses a command exactly when the library, in strict mode,
  refuses it (a refusal is any :class:`~tthc_flow.errors.TthcFlowError` the adapter raises;
  when it is a :class:`~tthc_flow.errors.CommandRefusedError` its ``rule`` must be the
  library's), and a refused command leaves the host's history unchanged;
- ``host.history``: the host's stored events equal the library's, field by field, in order;
- ``host.clocks``: the history the host stored, replayed, gives the same legal, indicator,
  step and unit clocks as the library's case, read at the latest event and later;
- ``host.view``: when the adapter has ``view``, the host's status JSON equals
  :meth:`Case.to_json <tthc_flow.engine.Case.to_json>` at the same instant.

A broken host fails with an :class:`~tthc_flow.errors.InvariantViolation` naming the check,
and Hypothesis shrinks the run to a short history that shows it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any, Protocol, runtime_checkable

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, precondition, rule

from tthc_flow._validators import shown
from tthc_flow.calendar import WorkingCalendar, vietnam_calendar
from tthc_flow.engine import Case, Event, Mode, Procedure
from tthc_flow.errors import (
    CommandRefusedError,
    InvalidInputError,
    InvariantViolation,
    TthcFlowError,
)
from tthc_flow.testing._history_strategies import case_histories
from tthc_flow.testing._invariants import every_clock
from tthc_flow.testing._procedure_strategies import procedures as generated_procedures

__all__ = ["HOST_CHECKS", "HostAdapter", "host_state_machine"]

#: The checks the machine makes after every command, by their stable names.
HOST_CHECKS = ("host.refusal", "host.history", "host.clocks", "host.view")


@runtime_checkable
class HostAdapter(Protocol):
    """What a host gives the machine (bộ chuyển đổi của hệ thống tích hợp).

    - ``open(procedure, receipt)``: open a case as the host does, from its receipt event (the
      case id is ``receipt.data["case_id"]``, the procedure version the one in force on the
      receipt's date), e.g. ``store.add(Case.from_events(procedure, [receipt]))``;
    - ``play(case_id, event)``: give the command ``event`` records as the host's own command
      (the event's ``seq`` and ``violations`` are the library's business), e.g.
      ``store.run(case_id, lambda case: case.play(event))``. A command the host refuses is
      raised as a :class:`~tthc_flow.errors.TthcFlowError`;
    - ``events(case_id)``: the events the host stored for the case, oldest first, as
      :class:`~tthc_flow.engine.Event` (read with ``Event.from_json`` if the host keeps
      JSON).

    A host that shows cases may also define ``view(case_id, at) -> Mapping``: its status
    JSON of the case at ``at``, compared with :meth:`Case.to_json`.
    """

    def open(self, procedure: Procedure, receipt: Event) -> None: ...

    def play(self, case_id: str, event: Event) -> None: ...

    def events(self, case_id: str) -> Sequence[Event]: ...


@attrs.define
class _Tracked:
    """A case the machine opened: the library's own copy and the commands still to give."""

    case_id: str
    reference: Case
    pending: list[Event]


def _fail(check: str, message: str, case_id: str, **evidence: Any) -> InvariantViolation:
    # The host's check, the case, and what each side had: Hypothesis prints it shrunk.
    return InvariantViolation(message, invariant=check, subject=case_id, evidence=evidence)


def _versions(catalog: Any) -> list[Procedure]:
    """Every procedure version of ``catalog`` (a :class:`~tthc_flow.catalog.Catalog`, or an
    object with ``codes`` and ``versions(code)``), refused when built if it has none."""
    hint = "Pass a tthc_flow.catalog.Catalog (e.g. sample_catalog()), or leave it out."
    codes = getattr(catalog, "codes", None)
    versions_of = getattr(catalog, "versions", None)
    if (
        not callable(versions_of)
        or isinstance(codes, (str, bytes, Mapping))
        or not isinstance(codes, Iterable)
    ):
        raise InvalidInputError(
            f"catalog={shown(catalog, 60)} is not a catalog.", value=catalog, hint=hint
        )
    found = []
    for code in codes:
        for version in versions_of(code):
            procedure = getattr(version, "procedure", version)
            if not isinstance(procedure, Procedure):
                raise InvalidInputError(
                    f"catalog.versions({shown(code)}) holds {shown(version, 60)}, not a "
                    "procedure version.",
                    value=version,
                    hint=hint,
                )
            found.append(procedure)
    if not found:
        raise InvalidInputError(
            f"catalog={shown(catalog, 60)} has no procedure versions to draw cases of.",
            value=catalog,
            hint=hint,
        )
    return found


def host_state_machine(
    host: Callable[[], HostAdapter],
    *,
    catalog: Any = None,
    procedures: st.SearchStrategy[Procedure] | None = None,
    calendar: WorkingCalendar | None = None,
    max_events: int = 12,
    max_cases: int = 3,
) -> type[RuleBasedStateMachine]:
    """A state machine that tests the host ``host()`` builds, fresh for every run.

    - ``catalog``: the host's catalog; cases are of its procedure versions (a host that
      looks procedures up in a catalog needs this). Otherwise ``procedures`` (default: the
      kit's generated :func:`~tthc_flow.testing.procedures`).
    - ``calendar``: the calendar the host judges cases on (default: the national one).
    - ``max_events``: at most this many events per case, the receipt included;
      ``max_cases``: at most this many cases open in one run.
    """
    if not callable(host):
        raise InvalidInputError(
            f"host={shown(host, 60)} is not callable.", value=host,
            hint="Pass a class or a function of no arguments that builds a fresh adapter.",
        )  # fmt: skip
    for name, value in (("max_events", max_events), ("max_cases", max_cases)):
        if type(value) is not int or not 1 <= value <= 10_000:
            raise InvalidInputError(
                f"{name}={shown(value, 40)} must be an int from 1 to 10000.", value=value
            )
    if calendar is not None and not isinstance(calendar, WorkingCalendar):
        raise InvalidInputError(
            f"calendar={shown(calendar, 60)} is not a WorkingCalendar.", value=calendar,
            hint="Pass vietnam_calendar(...) or leave it out.",
        )  # fmt: skip
    if procedures is not None and not isinstance(procedures, st.SearchStrategy):
        raise InvalidInputError(
            f"procedures={shown(procedures, 60)} is not a Hypothesis strategy.",
            value=procedures,
            hint="Pass e.g. procedures=tthc_flow.testing.procedures(), or "
            "st.just(procedure), or leave it out.",
        )
    working = calendar if calendar is not None else vietnam_calendar()
    if catalog is not None:
        drawn_procedures: st.SearchStrategy[Procedure] = st.sampled_from(_versions(catalog))
    else:
        drawn_procedures = procedures if procedures is not None else generated_procedures()

    # A history strategy per procedure, built once (building one reads the calendar).
    histories: OrderedDict[int, tuple[Procedure, st.SearchStrategy[tuple[Event, ...]]]]
    histories = OrderedDict()

    def histories_of(procedure: Procedure) -> st.SearchStrategy[tuple[Event, ...]]:
        kept = histories.get(id(procedure))
        if kept is not None and kept[0] is procedure:
            histories.move_to_end(id(procedure))
            return kept[1]
        strategy = case_histories(
            procedure, calendar=working, violations=True, max_events=max_events
        )
        histories[id(procedure)] = (procedure, strategy)
        if len(histories) > 64:
            histories.popitem(last=False)
        return strategy

    class HostMachine(RuleBasedStateMachine):
        """Drives one host through interleaved cases (:mod:`tthc_flow.testing._host_testing`)."""

        cases = Bundle("cases")

        def __init__(self) -> None:
            super().__init__()
            self.host: HostAdapter | None = None
            self.opened: list[_Tracked] = []

        @initialize()
        def start_host(self) -> None:
            self.host = host()

        def _host(self) -> HostAdapter:
            assert self.host is not None
            return self.host

        @precondition(lambda self: len(self.opened) < max_cases)
        @rule(target=cases, data=st.data())
        def open_case(self, data: st.DataObject) -> _Tracked:
            procedure = data.draw(drawn_procedures, label="procedure")
            history = data.draw(histories_of(procedure), label="history")
            case_id = f"HOST-{len(self.opened) + 1:03d}"
            receipt = attrs.evolve(history[0], data={**history[0].data, "case_id": case_id})
            reference = Case.from_events(
                procedure, [receipt], replay_mode=Mode.AUDIT, mode=Mode.STRICT,
                calendar=working,
            )  # fmt: skip
            self._host().open(procedure, receipt)
            tracked = _Tracked(case_id, reference, list(history[1:]))
            self.opened.append(tracked)
            self._check(tracked)
            return tracked

        @rule(tracked=cases, data=st.data())
        def give_next_command(self, tracked: _Tracked, data: st.DataObject) -> None:
            if not tracked.pending:
                return
            self._give(tracked, tracked.pending.pop(0), data)

        @rule(tracked=cases, data=st.data())
        def give_a_command_again(self, tracked: _Tracked, data: st.DataObject) -> None:
            """A command the case already took, given again a little later: what a rule
            that allows something once (a supplement request, an apology) must refuse,
            and what a host that checks only the happy path lets through."""
            given = tracked.reference.events[1:]
            if not given:
                return
            again = data.draw(st.sampled_from(given), label="command given again")
            latest = tracked.reference.events[-1].at
            minutes = data.draw(st.integers(0, 24 * 60), label="minutes after the latest")
            event = attrs.evolve(
                again, at=max(latest, again.at) + timedelta(minutes=minutes), command_id=None
            )
            self._give(tracked, event, data)

        def _give(self, tracked: _Tracked, event: Event, data: st.DataObject) -> None:
            before = list(self._host().events(tracked.case_id))
            try:
                tracked.reference.play(event)
                refused: CommandRefusedError | None = None
            except CommandRefusedError as error:
                refused = error
            try:
                self._host().play(tracked.case_id, event)
                host_refused: TthcFlowError | None = None
            except TthcFlowError as error:
                host_refused = error
            if (refused is None) != (host_refused is None):
                raise _fail(
                    "host.refusal",
                    f"the library {'refuses' if refused else 'accepts'} this "
                    f"{event.kind.value} and the host "
                    f"{'refuses' if host_refused else 'accepts'} it"
                    + (f" (library: {refused.rule})" if refused else "")
                    + (f" (host: {host_refused})" if host_refused else ""),
                    tracked.case_id, event=event, events=len(before),
                )  # fmt: skip
            if (
                refused is not None
                and isinstance(host_refused, CommandRefusedError)
                and host_refused.rule != refused.rule
            ):
                raise _fail(
                    "host.refusal",
                    f"the host refuses for {host_refused.rule!r}, the library for "
                    f"{refused.rule!r}",
                    tracked.case_id, event=event, events=len(before),
                )  # fmt: skip
            if host_refused is not None and list(self._host().events(tracked.case_id)) != before:
                raise _fail(
                    "host.refusal", "the host refused the command but its history changed",
                    tracked.case_id, event=event, events=len(before),
                )  # fmt: skip
            later = data.draw(st.integers(0, 30), label="days after the command")
            self._check(tracked, later=timedelta(days=later))

        def _check(self, tracked: _Tracked, *, later: timedelta = timedelta(0)) -> None:
            stored = tuple(self._host().events(tracked.case_id))
            expected = tracked.reference.events
            if stored != expected:
                first = next(
                    (i for i, (a, b) in enumerate(zip(stored, expected, strict=False)) if a != b),
                    min(len(stored), len(expected)),
                )
                raise _fail(
                    "host.history",
                    f"the host stored {len(stored)} events and the library {len(expected)}; "
                    f"they differ from event {first}",
                    tracked.case_id,
                    host=stored[first] if first < len(stored) else None,
                    library=expected[first] if first < len(expected) else None,
                )
            replayed = Case.from_events(
                tracked.reference.procedure, stored, calendar=working,
                case_id=tracked.case_id,
            )  # fmt: skip
            last = expected[-1].at
            for at in sorted({last, last + later}):
                mine, theirs = every_clock(tracked.reference, at), every_clock(replayed, at)
                if mine != theirs:
                    raise _fail(
                        "host.clocks",
                        f"the host's history gives other clocks at {at.isoformat()}",
                        tracked.case_id, host=theirs, library=mine,
                    )  # fmt: skip
                view = getattr(self._host(), "view", None)
                if callable(view):
                    shown = view(tracked.case_id, at)
                    wanted = tracked.reference.to_json(at)
                    if not isinstance(shown, Mapping) or dict(shown) != wanted:
                        raise _fail(
                            "host.view",
                            f"the host's status JSON at {at.isoformat()} is not the library's",
                            tracked.case_id, host=shown, library=wanted,
                        )  # fmt: skip

    HostMachine.__name__ = HostMachine.__qualname__ = "HostMachine"
    return HostMachine

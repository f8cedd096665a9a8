"""The engine tested as a model (hypothesis.stateful): random procedures, random commands.

Procedures come from the testing kit (``tthc_flow.testing.procedures``: every kind, branches,
send-backs, declared land pauses, remote-commune adjustments, forks to parallel branches in
either order of Decree 118/2025 Art. 20(2)); commands act on any of the active steps, naming
it or not. Invariants after every step:
- only typed errors (TthcFlowError) are raised, and a refused command changes nothing;
- ``Case.from_events(case.events)`` reproduces the live state and every clock;
- the events' JSON round-trip is exact;
- the legal due never precedes receipt plus the budget;
- every invariant of the kit's ``check_case_invariants`` holds.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tthc_flow import TthcFlowError
from tthc_flow.calendar import vietnam_calendar
from tthc_flow.engine import (
    NATIONAL_PACKS,
    Case,
    ClockStatus,
    Mode,
    Phase,
    Procedure,
    events_from_json,
    events_to_json,
)
from tthc_flow.engine._graph import flow_of
from tthc_flow.testing import check_case_invariants, procedures

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = vietnam_calendar(first_year=2024, last_year=2027)
STRANGER = "Đơn vị không liên quan"
REASONS = (*NATIONAL_PACKS[1].reasons, "lunch", "")


def _snapshot(case: Case) -> tuple[object, ...]:
    return case.events, case.status


class CaseModel(RuleBasedStateMachine):
    case: Case
    now: datetime

    @initialize(
        procedure=procedures(min_steps=2, max_steps=6),
        start=st.datetimes(datetime(2025, 5, 1), datetime(2026, 10, 1), timezones=st.just(VN)),
        remote=st.booleans(),
        channel=st.sampled_from(["online", "online", "in_person"]),
    )
    def open_case(
        self, procedure: Procedure, start: datetime, remote: bool, channel: str
    ) -> None:
        self.procedure = procedure
        self.now = start.replace(second=0, microsecond=0)
        self.case = Case.open(
            procedure, case_id="M", received_at=self.now, actor="a", calendar=CALENDAR,
            attributes={"channel": channel, "remote": remote},
        )  # fmt: skip
        event("parallel" if self.case.flow is not None else "one step at a time")

    # ------------------------------------------------------------------ helpers

    def _try(self, command: str, *args: object, **kwargs: object) -> None:
        before = _snapshot(self.case)
        try:
            getattr(self.case, command)(*args, **kwargs)
            event(f"{command} accepted")
        except TthcFlowError as error:
            event(f"{command} refused: {type(error).__name__}")
            assert _snapshot(self.case) == before, f"refused {command} changed the case"

    def _unit(self, data: st.DataObject, step: str | None = None) -> str:
        status = self.case.status
        right = (
            self.procedure.step(step).unit
            if step is not None and step in status.steps
            else status.unit or self.procedure.first.unit
        )
        return data.draw(st.sampled_from((right, right, right, *self.procedure.units, STRANGER)))

    @rule(minutes=st.integers(0, 2 * 24 * 60))
    def time_passes(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

    # ------------------------------------------------------------------ commands

    def _acting(self, data: st.DataObject) -> tuple[str | None, str | None]:
        """One of the steps the case is at (None when none), and the step the command names:
        mostly that one, sometimes none (the engine infers it from the unit), sometimes any
        step (to test refusals)."""
        steps = self.case.status.steps
        step = data.draw(st.sampled_from(steps)) if steps else None
        every = [s.key for s in self.procedure.steps]
        named = data.draw(st.sampled_from([step, step, None, *every]))
        return step, named

    def _target(self, data: st.DataObject, back: bool) -> tuple[object, str | None]:
        """Mostly a target the acting step allows (a fork: its branches), sometimes any step
        (to test refusals), and the step named."""
        every: list[object] = [s.key for s in self.procedure.steps]
        step, named = self._acting(data)
        allowed: list[object] = []
        if step is not None:
            flow = self.case.flow
            order = self.case.order
            if back:
                allowed = list(self.procedure.step(step).back)
            elif flow is not None and step in flow.forks:
                allowed = [list(flow.forks[step].branches)]
            elif order is not None:
                allowed = list(flow_of(self.procedure, order).forward[step])
            else:
                allowed = list(self.procedure.step(step).forward)
        target = data.draw(st.sampled_from(allowed * 4 + every if allowed else every))
        return target, named

    def _rarely(self, data: st.DataObject) -> bool:
        # Ending a case ends the interesting part of a run; let it happen now and then.
        return data.draw(st.integers(0, 7)) == 0

    @rule(data=st.data())
    def handover(self, data: st.DataObject) -> None:
        target, named = self._target(data, back=False)
        self._try("handover", target, at=self.now, actor="x", unit=self._unit(data, named),
                  step=named)  # fmt: skip

    @rule(data=st.data())
    def send_back(self, data: st.DataObject) -> None:
        target, named = self._target(data, back=True)
        self._try("send_back", target, at=self.now, actor="x", unit=self._unit(data, named),
                  reason="r", step=named)  # fmt: skip

    @rule(data=st.data(), reason=st.sampled_from(REASONS), evidence=st.booleans())
    def pause(self, data: st.DataObject, reason: str, evidence: bool) -> None:
        self._try("pause", reason, at=self.now, actor="x", unit=self._unit(data),
                  evidence=("doc",) if evidence else ())  # fmt: skip

    @rule(data=st.data())
    def resume(self, data: st.DataObject) -> None:
        self._try("resume", at=self.now, actor="x", unit=self._unit(data))

    @rule(data=st.data(), evidence=st.booleans())
    def request_supplement(self, data: st.DataObject, evidence: bool) -> None:
        self._try("request_supplement", at=self.now, actor="x", unit=self._unit(data),
                  evidence=("form",) if evidence else ())  # fmt: skip

    @rule(data=st.data(), complete=st.booleans())
    def receive_supplement(self, data: st.DataObject, complete: bool) -> None:
        self._try("receive_supplement", at=self.now, actor="x", unit=self._unit(data),
                  complete=complete)  # fmt: skip

    @rule(data=st.data(), days=st.integers(-2, 20))
    def reschedule(self, data: st.DataObject, days: int) -> None:
        self._try("reschedule", new_due=self.now + timedelta(days=days), reason="xin lỗi",
                  at=self.now, actor="x", unit=self._unit(data))  # fmt: skip

    @rule(data=st.data())
    def resolve(self, data: st.DataObject) -> None:
        _, named = self._acting(data)
        self._try("resolve", at=self.now, actor="x", unit=self._unit(data, named), step=named)

    @rule(data=st.data())
    def return_result(self, data: st.DataObject) -> None:
        self._try("return_result", at=self.now, actor="x", unit=self._unit(data))

    @rule(
        data=st.data(),
        command=st.sampled_from(["refuse", "stop"]),
        reason=st.sampled_from(["", "lý do"]),
    )
    def end(self, data: st.DataObject, command: str, reason: str) -> None:
        if self._rarely(data):
            self._try(command, reason=reason, at=self.now, actor="x", unit=self._unit(data))

    @rule(data=st.data())
    def withdraw(self, data: st.DataObject) -> None:
        if self._rarely(data):
            self._try("withdraw", at=self.now, actor="applicant", unit=self.procedure.first.unit)

    @rule(data=st.data())
    def close(self, data: st.DataObject) -> None:
        self._try("close", at=self.now, actor="x", unit=self._unit(data))

    # ------------------------------------------------------------------ invariants

    @invariant()
    def replay_reproduces_state_and_clocks(self) -> None:
        replay = Case.from_events(self.procedure, self.case.events, replay_mode=Mode.STRICT,
                                  calendar=CALENDAR)  # fmt: skip
        assert replay.status == self.case.status
        assert replay.legal_clock(self.now) == self.case.legal_clock(self.now)
        assert replay.indicator_clock(self.now) == self.case.indicator_clock(self.now)
        assert replay.step_clocks(self.now) == self.case.step_clocks(self.now)
        assert replay.unit_clocks(self.now) == self.case.unit_clocks(self.now)

    @invariant()
    def json_round_trip_is_exact(self) -> None:
        assert tuple(events_from_json(events_to_json(self.case.events))) == self.case.events

    @invariant()
    def due_never_precedes_receipt_plus_budget(self) -> None:
        clock = self.case.legal_clock(self.now)
        if clock.due is None:
            # Only a supplement that restarts the time leaves the legal clock without a due:
            # it waits, or it ended while waiting (closed, stopped, withdrawn, resolved), and
            # then the due it is judged against is its projection from the finish.
            if clock.status is ClockStatus.WAITING:
                assert self.case.status.phase is Phase.AWAITING_SUPPLEMENT
            else:
                assert clock.status is ClockStatus.STOPPED
                assert clock.projected_due is not None
                assert clock.projected_due >= clock.finished_at  # type: ignore[operator]
            return
        total = self.procedure.total_for(self.case.attributes, self.case.pack)
        floor = total.due(CALENDAR, self.case.received_at)
        assert clock.due >= floor
        assert clock.elapsed >= timedelta(0)

    @invariant()
    def active_steps_are_consistent(self) -> None:
        status = self.case.status
        steps = status.steps
        assert len(set(steps)) == len(steps)
        if self.case.flow is None:
            assert len(steps) <= 1
        if status.phase.finished:
            assert steps == ()
        elif self.case.events:
            assert status.step in steps
        listed = self.case.active_steps(self.now)
        assert [a.step for a in listed] == list(steps)
        units = self.case.unit_clocks(self.now)
        assert all(a.unit in units for a in listed)

    @invariant()
    def kit_invariants_hold(self) -> None:
        check_case_invariants(self.case, at=self.now)


CaseModel.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_engine_model = CaseModel.TestCase

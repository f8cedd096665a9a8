"""A seeded, realistic simulation of a year of cases over a catalog (mô phỏng hồ sơ một năm).

Every case is driven through the engine's own commands, so every event it holds passed the
same checks a live case passes. Rates are plausible, not measured: they are parameters
(:class:`Rates`), and the figures they produce exist to exercise reports, forms and demos.

- receipts spread evenly over the year's working time, channels in person / online / postal;
- each unit has its own habit of lateness (:attr:`Rates.late_by_unit`), so delays can be
  traced to the units that cause them;
- supplements (once, within 3 working days), financial obligations for land cases, rework
  sent back to an earlier step, apologies with a new date (sometimes forgotten, as seed 000
  complains), refusals and withdrawals;
- a small share of cases come from "another system" in audit mode and carry the mistakes
  officers make (a pause for consultation, a second supplement request), recorded as
  violations;
- events after ``until`` (default: the end of ``year``) do not happen: those cases are still
  in progress.

The same ``seed`` gives the same cases, event for event.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any

import attrs

from tthc_flow._validators import aware, shown
from tthc_flow.calendar import MINUTES_PER_WORKING_DAY, WorkingCalendar, vietnam_calendar
from tthc_flow.catalog import Catalog
from tthc_flow.codec import MAX_INTEGER
from tthc_flow.engine import CHANNELS, Case, Mode, Procedure, Step, WorkingBudget
from tthc_flow.engine._graph import flow_of
from tthc_flow.errors import CalendarRangeError, InvalidInputError

__all__ = ["CHANNELS", "Rates", "simulate"]

APPLICANT = "công dân (applicant)"


def _frozen(value: Any) -> Any:
    # Anything but a mapping is left for the validator to refuse with a typed error.
    return MappingProxyType(dict(value)) if isinstance(value, Mapping) else value


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _probability(instance: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise InvalidInputError(
            f"Rates.{attribute.name} is a probability in [0, 1], got {shown(value)}.",
            value=value,
            hint="Write e.g. 0.05 for one case in twenty.",
        )


def _text_keys(attribute: Any, value: Any) -> None:
    if not isinstance(value, Mapping):
        raise InvalidInputError(
            f"Rates.{attribute.name} is a mapping, got {type(value).__name__} {shown(value)}.",
            value=value,
            hint=f"Write e.g. {attribute.name}={{'VD.LLTP': 0.5}}.",
        )
    for key in value:
        if not isinstance(key, str):
            raise InvalidInputError(
                f"Rates.{attribute.name} is keyed by text, got the key {shown(key)}.",
                value=key,
                hint="Key it by procedure code (mix) or unit name (late_by_unit).",
            )


def _probabilities(instance: Any, attribute: Any, value: Any) -> None:
    _text_keys(attribute, value)
    for share in value.values():
        _probability(instance, attribute, share)


def _weight(value: Any) -> bool:
    # random.choices sums the weights as floats: an int too large for a float, NaN or an
    # infinity would fail there, at the first case drawn, rather than here.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, int):
        return 0 <= value <= MAX_INTEGER
    return math.isfinite(value) and value >= 0


def _weights(instance: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, Mapping) or attribute.name == "mix":
        _text_keys(attribute, value)
        shares = list(value.values())
    else:
        shares = list(value)
    if not all(_weight(w) for w in shares) or not 0 < sum(shares) < math.inf:
        raise InvalidInputError(
            f"Rates.{attribute.name} are weights >= 0 with a positive sum, got "
            f"{shown(value)}.",
            value=value,
            hint="Write each weight as an int or a finite float, e.g. 0.55 or 3.",
        )


def _three(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple) or len(value) != len(CHANNELS):
        raise InvalidInputError(
            f"Rates.channels gives one weight per channel {CHANNELS}, got {shown(value)}.",
            value=value,
            hint="Write e.g. channels=(0.55, 0.40, 0.05): in person, online, postal.",
        )


@attrs.frozen
class Rates:
    """How often things happen, per case or per step visit (probabilities in [0, 1]).

    The defaults are written for the sample catalog (:func:`tthc_flow.samples.sample_catalog`):
    ``mix`` names its codes and ``late_by_unit`` its units; the land procedure's ``tax``
    step is where a financial obligation pauses the clock, and ``remote_commune`` and
    ``several_residences`` are the attributes of its land and judicial-record procedures.
    Another catalog gives its own ``mix`` (and, if it likes, ``late_by_unit``).
    """

    mix: Mapping[str, float] = attrs.field(
        factory=lambda: {"VD.LLTP": 0.45, "VD.DD": 0.2, "VD.LTKS": 0.25, "VD.NB": 0.1},
        converter=_frozen,
        validator=_weights,
        eq=False,
    )
    channels: tuple[float, float, float] = attrs.field(
        default=(0.55, 0.40, 0.05), converter=_tuple, validator=[_three, _weights]
    )
    remote_commune: float = attrs.field(default=0.15, validator=_probability)
    several_residences: float = attrs.field(default=0.1, validator=_probability)
    supplement: float = attrs.field(default=0.08, validator=_probability)
    supplement_never_returned: float = attrs.field(default=0.05, validator=_probability)
    financial_obligation: float = attrs.field(default=0.7, validator=_probability)
    rework: float = attrs.field(default=0.04, validator=_probability)
    late_step: float = attrs.field(default=0.06, validator=_probability)
    late_by_unit: Mapping[str, float] = attrs.field(
        factory=lambda: {
            "Chi nhánh Văn phòng đăng ký đất đai": 0.2,
            "Thuế cơ sở": 0.12,
            "Phòng Tổ chức, biên chế, Sở Nội vụ": 0.12,
            "Phòng Cảnh sát quản lý hành chính về trật tự xã hội, Công an tỉnh": 0.05,
        },
        converter=_frozen,
        validator=_probabilities,
        eq=False,
    )
    apology: float = attrs.field(default=0.75, validator=_probability)
    refusal: float = attrs.field(default=0.02, validator=_probability)
    withdrawal: float = attrs.field(default=0.01, validator=_probability)
    audit_mistakes: float = attrs.field(default=0.02, validator=_probability)
    # The mappings, as values that compare and hash.
    _mix_items: tuple[tuple[str, float], ...] = attrs.field(init=False, repr=False)
    _late_items: tuple[tuple[str, float], ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_mix_items", tuple(sorted(self.mix.items())))
        object.__setattr__(self, "_late_items", tuple(sorted(self.late_by_unit.items())))


class _Cutoff(Exception):
    """The next event would come after ``until``: the case stays as it is."""


class _Run:
    """One simulated case: the procedure walked step by step, every act a command."""

    def __init__(
        self, case: Case, rng: random.Random, rates: Rates, calendar: WorkingCalendar,
        until: datetime,
    ) -> None:  # fmt: skip
        self.case = case
        self.rng = rng
        self.rates = rates
        self.cal = calendar
        self.until = until
        self.procedure: Procedure = case.procedure
        self.at = case.received_at
        self.desk = self.procedure.first.unit
        self.rescheduled = False
        self.supplemented = False

    # ------------------------------------------------------------------ time

    def later(self, minutes: int) -> datetime:
        at = self.cal.add_working_time(self.at, timedelta(minutes=max(0, minutes)))
        if at > self.until:
            raise _Cutoff
        self.at = at
        return at

    def step_minutes(self, step: Step) -> int:
        budget = self.procedure.step_budget_for(step.key, self.case.attributes)
        allowed = budget.minutes if isinstance(budget, WorkingBudget) else MINUTES_PER_WORKING_DAY
        if allowed == 0:
            return 0 if self.rng.random() > 0.05 else self.rng.randrange(15, 120)
        late = self.rates.late_by_unit.get(step.unit, self.rates.late_step)
        if self.rng.random() < late:
            factor = self.rng.uniform(1.05, 2.2)
        else:
            factor = self.rng.uniform(0.15, 0.98)
        return max(1, round(allowed * factor))

    # ------------------------------------------------------------------ acts

    def walk(self) -> None:
        step = self.procedure.first
        visits = 0
        while True:
            visits += 1
            minutes = self.step_minutes(step)
            first_processing = visits == 2
            if first_processing and self.rng.random() < self.rates.refusal:
                self.later(minutes // 2)
                self.case.refuse(
                    reason="Hồ sơ không đủ điều kiện giải quyết (not eligible)", at=self.at,
                    actor="chuyên viên", unit=step.unit,
                )  # fmt: skip
                return
            # The applicant may ask to stop only before the decision (Decree 118/2025 Art. 21).
            if self.rng.random() < self.rates.withdrawal / 3 and (
                self.case.status.resolved_at is None
            ):
                self.later(minutes // 3)
                self.case.withdraw(at=self.at, actor=APPLICANT, unit=self.desk)
                return
            wants_supplement = first_processing and self.rng.random() < self.rates.supplement
            if wants_supplement and not self.supplement(step, minutes):
                return
            if "financial_obligation" in self.procedure.pauses and step.key == "tax":
                self.financial_obligation(step, minutes)
            self.maybe_apologise(step, minutes)
            self.later(minutes)
            if step.back and self.rng.random() < self.rates.rework and visits < 8:
                target = self.rng.choice(step.back)
                self.case.send_back(
                    target, at=self.at, actor="lãnh đạo", unit=step.unit,
                    reason="Chưa đạt, đề nghị xử lý lại (rework)",
                )  # fmt: skip
                step = self.procedure.step(target)
                continue
            if step.returns or not step.forward:  # the join, or the end
                if self.case.status.resolved_at is None:
                    self.case.resolve(at=self.at, actor="cán bộ", unit=step.unit)
                self.case.return_result(at=self.at, actor="cán bộ một cửa", unit=step.unit)
                return
            flow = self.case.flow
            if flow is not None and step.key in flow.forks:
                step = self.branches(step)
                continue
            order = self.case.order
            if order is not None:
                target = flow_of(self.procedure, order).forward[step.key][0]
            else:
                target = step.next[0] if step.next else step.forward[0]
            following = self.procedure.step(target)
            if following.returns and self.case.status.resolved_at is None:
                self.case.resolve(at=self.at, actor="cán bộ", unit=step.unit)
            self.case.handover(target, at=self.at, actor="cán bộ", unit=step.unit)
            step = following

    def branches(self, step: Step) -> Step:
        """A fork (Decree 118/2025 Art. 20(2)(b)): every branch starts now and runs on its
        own, each step taking its own time; the handovers of all branches are given in the
        order of their instants, and the walk goes on at the join, once the last branch is
        there. (A branch runs its steps' first ``next``; a fork inside a branch is not
        simulated.)"""
        flow = self.case.flow
        assert flow is not None
        fork = flow.forks[step.key]
        self.case.handover(list(fork.branches), at=self.at, actor="cán bộ", unit=step.unit)
        plans: list[tuple[datetime, int, str, str, str]] = []
        for number, branch in enumerate(fork.branches):
            at, key = self.at, branch
            while key != fork.join:
                current = self.procedure.step(key)
                at = self.cal.add_working_time(at, timedelta(minutes=self.step_minutes(current)))
                following = flow.forward[key][0]
                plans.append((at, number, key, following, current.unit))
                key = following
        for at, _, key, following, unit in sorted(plans):
            if at > self.until:
                raise _Cutoff
            self.at = at
            self.case.handover(following, step=key, at=at, actor="cán bộ", unit=unit)
        return self.procedure.step(fork.join)

    def supplement(self, step: Step, minutes: int) -> bool:
        """Request once, within the pack's window (working days after the day the dossier
        was received complete, as the engine counts it) and before the legal due; False if
        the case ends waiting (withdrawn or closed)."""
        case = self.case
        assert case.pack is not None
        ends = case._require_fold()._window_end(case.pack.supplement_rule)
        if ends is None:  # a pack with no window: a request within three working days
            ends = self.cal.day_closing(
                self.cal.add_working_days(self.at.astimezone(self.cal.tz).date(), 3)
            )
        due = case.clocks.legal_due(self.at)
        limit = min(x for x in (ends, due) if x is not None)
        room = int(self.cal.working_time_between(self.at, limit) / timedelta(minutes=1)) - 1
        if room <= 0:
            return True
        self.later(self.rng.randrange(0, min(room, max(1, minutes // 2)) + 1))
        self.case.request_supplement(
            at=self.at, actor="chuyên viên", unit=step.unit,
            evidence=["Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"],
        )  # fmt: skip
        self.supplemented = True
        if self.rng.random() < self.rates.supplement_never_returned:
            self.later(20 * MINUTES_PER_WORKING_DAY)
            if case.pack.closure is not None:
                # Decree 118/2025 Art. 19(5): the desk closes the dossier after 15 days.
                self.case.close(at=self.at, actor="cán bộ một cửa", unit=self.desk,
                                reason="không bổ sung trong 15 ngày")  # fmt: skip
            else:
                self.case.withdraw(at=self.at, actor=APPLICANT, unit=self.desk,
                                   reason="không bổ sung")  # fmt: skip
            return False
        day = MINUTES_PER_WORKING_DAY
        self.later(self.rng.randrange(1, 10) * day + self.rng.randrange(0, day))
        self.case.receive_supplement(at=self.at, actor="cán bộ một cửa", unit=self.desk)
        return True

    def financial_obligation(self, step: Step, minutes: int) -> None:
        if self.rng.random() >= self.rates.financial_obligation:
            return
        self.later(minutes // 2)
        self.case.pause(
            "financial_obligation", at=self.at, actor="cán bộ thuế", unit=step.unit,
            evidence=["Thông báo nộp nghĩa vụ tài chính"],
        )  # fmt: skip
        day = MINUTES_PER_WORKING_DAY
        self.later(self.rng.randrange(1, 15) * day + self.rng.randrange(0, day))
        self.case.resume(at=self.at, actor="cán bộ thuế", unit=step.unit)

    def maybe_apologise(self, step: Step, minutes: int) -> None:
        """The unit that will make the case late apologises, when it still may (no later
        than one day before the due date), with a date it can keep."""
        if self.rescheduled:
            return
        due = self.case.clocks.legal_due(self.at)
        if due is None:
            return
        end = self.cal.add_working_time(self.at, timedelta(minutes=minutes))
        if end <= due:
            return
        self.rescheduled = True  # decided once, whether or not it is sent
        last_day = self.cal.due_day(due) - timedelta(days=1)
        if self.at.astimezone(self.cal.tz).date() > last_day:
            return
        if self.rng.random() >= self.rates.apology:
            return  # forgotten: the late case gets no apology
        # The steps declared after this one still have their budgets to spend.
        steps = self.procedure.steps
        remaining = 0
        for later in steps[steps.index(step) + 1 :]:
            budget = self.procedure.step_budget_for(later.key, self.case.attributes)
            if isinstance(budget, WorkingBudget):
                remaining += budget.minutes
        new_due = self.cal.add_working_time(
            end, timedelta(minutes=remaining + MINUTES_PER_WORKING_DAY)
        )
        # The unit that caused the delay apologises (one whose own time overran, else this
        # one), as the rule pack says who may (never the desk under Decree 118).
        askers = self.case.extension_askers(self.at)
        if not askers:
            return
        self.case.reschedule(
            new_due=new_due, reason="Chậm do khối lượng hồ sơ lớn (heavy workload)",
            at=self.at, actor="lãnh đạo", unit=askers[0],
        )  # fmt: skip

    def mistake(self) -> None:
        """An officer's mistake, recorded as a violation (the case is in audit mode)."""
        step = self.procedure.step(self.case.status.step or self.procedure.first.key)
        self.later(self.rng.randrange(30, 240))
        if self.rng.random() < 0.5:
            self.case.pause(
                "consultation", at=self.at, actor="chuyên viên", unit=step.unit,
                evidence=["Công văn xin ý kiến"],
            )  # fmt: skip
            self.later(2 * MINUTES_PER_WORKING_DAY)
            self.case.resume(at=self.at, actor="chuyên viên", unit=step.unit)
        else:
            for number in (1, 2):
                self.case.request_supplement(
                    at=self.at, actor="chuyên viên", unit=step.unit,
                    evidence=[f"Phiếu yêu cầu bổ sung số {number}"],
                )  # fmt: skip
                self.later(2 * MINUTES_PER_WORKING_DAY)
                self.case.receive_supplement(at=self.at, actor="cán bộ một cửa", unit=self.desk)


def _receipts(
    calendar: WorkingCalendar, year: int, until: datetime, rng: random.Random
) -> Callable[[], datetime]:
    start = calendar.next_opening(datetime.combine(date(year, 1, 1), time(0), calendar.tz))
    end = min(datetime.combine(date(year, 12, 31), time(23, 59), calendar.tz), until)
    if end <= start:
        raise InvalidInputError(
            f"until={until.isoformat()} leaves no working time in {year} to receive cases.",
            value=until,
        )
    span = int(calendar.working_time_between(start, end) / timedelta(minutes=1))

    def draw() -> datetime:
        at = calendar.add_working_time(start, timedelta(minutes=rng.randrange(span)))
        # The earliest instant a budget has elapsed may be a session's end: receive at the
        # next opening instead, when the desk is actually open.
        return at if calendar.is_working_time(at) else calendar.next_opening(at)

    return draw


def simulate(
    catalog: Catalog,
    *,
    cases: int,
    seed: int = 0,
    year: int = 2025,
    until: datetime | None = None,
    calendar: WorkingCalendar | None = None,
    rates: Rates | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Case]:
    """``cases`` simulated cases received during ``year`` (and before ``until``), lazily, in
    no particular order of receipt. Arguments are checked when this is called (a typed
    error at once, not at the first case).

    Each case binds to the version of its procedure in force on its receipt date. Events
    later than ``until`` (default: 31 December of ``year`` at 23:59 local time) are not
    simulated, so late cases are still in progress at ``until``. ``progress`` is called with the
    number of cases made so far, every 1,000 cases.
    """
    _arguments(catalog, cases, seed, year, calendar, rates, progress)
    calendar = calendar if calendar is not None else vietnam_calendar()
    rates = rates if rates is not None else Rates()
    if not calendar.first_year <= year <= calendar.last_year:
        raise CalendarRangeError(
            year, first=date(calendar.first_year, 1, 1), last=date(calendar.last_year, 12, 31),
            what="year",
        )  # fmt: skip
    if until is not None:
        aware(until, "until")
        # Compared as instants, which cannot overflow as datetime.max moved to +07:00 would.
        if not (
            datetime.combine(date(calendar.first_year, 1, 1), time(0), calendar.tz)
            <= until
            <= datetime.combine(date(calendar.last_year, 12, 31), time.max, calendar.tz)
        ):
            raise CalendarRangeError(
                until, first=date(calendar.first_year, 1, 1),
                last=date(calendar.last_year, 12, 31), what="until",
            )  # fmt: skip
    codes = [code for code in rates.mix if code in catalog]
    if not codes:
        raise InvalidInputError(
            "none of the procedures in the simulation's mix is in the catalog.",
            value=tuple(rates.mix),
            hint=f"Give Rates(mix={{code: share}}) over the catalog's codes {catalog.codes}.",
        )
    rng = random.Random(seed)
    cutoff = until or datetime.combine(date(year, 12, 31), time(23, 59), calendar.tz)
    first, last = date(year, 1, 1), cutoff.astimezone(calendar.tz).date()
    if not any(
        p.procedure.effective_from <= last
        and (p.procedure.effective_until is None or p.procedure.effective_until >= first)
        for code in codes
        for p in catalog.versions(code)
    ):
        raise InvalidInputError(
            f"no procedure of the simulation's mix is in force in {year}.",
            value=year,
            hint="Simulate a year in which the catalog's versions are in force.",
        )
    draw_receipt = _receipts(calendar, year, cutoff, rng)
    # Arguments are checked above, when simulate() is called; cases are made when iterated.
    return _cases(catalog, cases, codes, calendar, rates, rng, draw_receipt, cutoff, year,
                  progress)  # fmt: skip


def _arguments(
    catalog: Any, cases: Any, seed: Any, year: Any, calendar: Any, rates: Any, progress: Any
) -> None:
    """Each argument of :func:`simulate` of its own type, checked when it is called."""
    if not isinstance(catalog, Catalog):
        raise InvalidInputError(
            f"simulate needs a Catalog, got {type(catalog).__name__} {shown(catalog)}.",
            value=catalog,
            hint="Pass e.g. tthc_flow.samples.sample_catalog() or a loaded catalog.",
        )
    if type(cases) is not int or cases < 0:
        raise InvalidInputError(
            f"cases must be a whole number >= 0, got {shown(cases)}.",
            value=cases,
            hint="Pass e.g. cases=1000.",
        )
    # None would seed from the clock, and True or "3" would be taken for another seed: the
    # same seed must give the same cases.
    if type(seed) is not int:
        raise InvalidInputError(
            f"seed must be an int, got {type(seed).__name__} {shown(seed)}.",
            value=seed,
            hint="Pass e.g. seed=0; the same seed gives the same cases.",
        )
    if type(year) is not int:
        raise InvalidInputError(
            f"year must be an int, got {type(year).__name__} {shown(year)}.",
            value=year,
            hint="Pass e.g. year=2025.",
        )
    for name, value, kind, example in (
        ("calendar", calendar, WorkingCalendar, "vietnam_calendar()"),
        ("rates", rates, Rates, "Rates(supplement=0.1)"),
    ):
        if value is not None and not isinstance(value, kind):
            raise InvalidInputError(
                f"{name} must be a {kind.__name__} or None, got {type(value).__name__} "
                f"{shown(value)}.",
                value=value,
                hint=f"Pass e.g. {name}={example}, or leave it out.",
            )
    if progress is not None and not callable(progress):
        raise InvalidInputError(
            f"progress must be a function of the number of cases made, got "
            f"{type(progress).__name__} {shown(progress)}.",
            value=progress,
            hint="Pass e.g. progress=print, or leave it out.",
        )


def _cases(
    catalog: Catalog, cases: int, codes: list[str], calendar: WorkingCalendar, rates: Rates,
    rng: random.Random, draw_receipt: Callable[[], datetime], cutoff: datetime, year: int,
    progress: Callable[[int], None] | None,
) -> Iterator[Case]:  # fmt: skip
    for number in range(cases):
        # Only procedures with a version in force that day receive cases.
        for _ in range(1000):
            received = draw_receipt()
            day = received.astimezone(calendar.tz).date()
            open_codes = [
                c for c in codes if any(p.procedure.in_force(day) for p in catalog.versions(c))
            ]
            if open_codes:
                break
        else:
            raise InvalidInputError(
                f"no procedure of the simulation's mix is in force in {year}.",
                value=year,
                hint="Simulate a year in which the catalog's versions are in force.",
            )
        code = rng.choices(open_codes, [rates.mix[c] for c in open_codes])[0]
        attributes: dict[str, object] = {"channel": rng.choices(CHANNELS, rates.channels)[0]}
        if code == "VD.DD":
            attributes["remote_commune"] = rng.random() < rates.remote_commune
        if code == "VD.LLTP":
            attributes["several_residences"] = rng.random() < rates.several_residences
        audit = rng.random() < rates.audit_mistakes
        procedure = catalog.resolve(code, on=day)
        case = Case.open(
            procedure, case_id=f"{code}-{year}-{number:06d}", received_at=received,
            actor="cán bộ một cửa", attributes=attributes, calendar=calendar,
            mode=Mode.AUDIT if audit else Mode.STRICT,
        )  # fmt: skip
        run = _Run(case, rng, rates, calendar, cutoff)
        try:
            if audit:
                run.mistake()
            run.walk()
        except _Cutoff:
            pass
        yield case
        if progress is not None and (number + 1) % 1000 == 0:
            progress(number + 1)


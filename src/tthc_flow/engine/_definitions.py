"""Procedures and their steps (thủ tục hành chính, quy trình nội bộ), as frozen values checked
when built: a broken procedure fails where it is defined, never when a citizen's case hits it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs

from tthc_flow.codec import name_text, plain_name
from tthc_flow.codec._display import short_text
from tthc_flow.codec._pickling import reduce_frozen
from tthc_flow.engine._budgets import Budget, SameWorkingDay, WorkingBudget
from tthc_flow.engine._graph import Order
from tthc_flow.engine._rules import INTERNAL_PACKS, NATIONAL_PACKS, RulePack
from tthc_flow.errors import DefinitionError, InvalidInputError
from tthc_flow.labels import Labelled

__all__ = [
    "BudgetAdjustment",
    "BudgetPolicy",
    "Procedure",
    "ProcedureKind",
    "Step",
    "ZeroBudget",
    "default_packs",
]


class ProcedureKind(Labelled):
    """Kind of procedure; the value is its Vietnamese name."""

    ONE_STOP = "one_stop"
    INTER_AGENCY = "inter_agency"
    INTERNAL = "internal"


class ZeroBudget(Labelled):
    """What a budget of "0 ngày làm việc" means.

    ``SAME_DAY`` (the default): within the same working day, by the rule pack's same-day rule
    (the desk's transfer: Decree 118/2025 Art. 18(2), a 15:00 cut-off), as
    :class:`~tthc_flow.engine.SameWorkingDay`. ``NO_TIME``: no time at all (a step that must
    be done the very instant the case arrives), for procedures that say so.
    """

    SAME_DAY = "same_day"
    NO_TIME = "no_time"


def default_packs(kind: ProcedureKind) -> tuple[RulePack, ...]:
    """The rule packs a procedure of this kind is judged by unless it names its own: the
    national one-stop packs, or :data:`~tthc_flow.engine.INTERNAL_PACKS` for internal
    procedures (TTHC nội bộ), which have no desk."""
    return INTERNAL_PACKS if kind is ProcedureKind.INTERNAL else NATIONAL_PACKS


def _bind(budget: Budget, pack: RulePack | None, zero: ZeroBudget) -> Budget:
    """A budget as the engine runs it under ``pack``: "0 ngày làm việc" and same-day budgets
    bound to the pack's same-day rule."""
    if pack is None:
        return budget
    if isinstance(budget, SameWorkingDay):
        return budget.bind(pack.same_day)
    if zero is ZeroBudget.SAME_DAY and isinstance(budget, WorkingBudget) and budget.minutes == 0:
        return SameWorkingDay(rule=pack.same_day)
    return budget


class BudgetPolicy(enum.Enum):
    """How step budgets relate to the published total.

    ``EXACT`` (the default, and the rule of seed 002 for internal procedures: the lead unit's
    time is the whole procedure's time): on every path from reception to return, the step
    budgets add up to the total. ``WITHIN``: they add up to at most the total. ``UNCHECKED``:
    declared explicitly by procedures whose steps are counted in another unit than the total.
    """

    EXACT = "exact"
    WITHIN = "within"
    UNCHECKED = "unchecked"


def _keys(value: Iterable[str] | str) -> tuple[str, ...]:
    """One step key, or a list of them (``next="review"`` is ``next=("review",)``)."""
    if type(value) is tuple:
        return value
    if isinstance(value, str):
        return (value,)
    if type(value) is list:
        return tuple(value)
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidInputError(
            f"step keys must be a text or a list of texts, got {type(value).__name__} "
            f"{value!r:.60}.",
            value=value,
            hint='Write next="review" or next=("review", "refer").',
        )
    return tuple(value)


# Read-only, so one empty mapping serves every step that names no branch and consults no
# unit (most of a catalog's tens of thousands of steps).
_NO_ITEMS: Mapping[str, Any] = MappingProxyType({})


def _mapping(value: Any, what: str, hint: str) -> Mapping[str, Any]:
    """``value`` as a read-only mapping (None for none); anything else refused, saying
    ``what`` it must be and ``hint`` how to write it."""
    if value is None or (type(value) is dict and not value):
        return _NO_ITEMS
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"{what}, got {type(value).__name__}.", value=value, hint=hint)
    return MappingProxyType(dict(value))


def _consults(value: Mapping[str, Budget] | None) -> Mapping[str, Budget]:
    return _mapping(
        value, "consults must be a mapping of units to answer budgets",
        'Write consults={"Phòng Tài chính - Kế hoạch": WorkingDays(3)}.',
    )  # fmt: skip


def _branches(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return _mapping(
        value, "branches must be a mapping of branch names to step keys",
        'Write branches={"refer_to_tax": "tax_office"}.',
    )  # fmt: skip


@attrs.frozen(repr=False)
class Step:
    """One step of an internal workflow (một bước của quy trình nội bộ).

    ``unit`` is the responsible unit (an agency or a division), ``role`` optionally who in it
    (chuyên viên, lãnh đạo phòng…). ``next`` are the steps a case may go on to, ``back`` the
    earlier steps it may be sent back to for rework, ``branches`` named alternatives
    (``{"refer_to_tax": "tax_office"}``). ``reception`` and ``returns`` mark the desk steps
    where a case is received and its result returned. ``consults`` are the units this step
    may ask for an opinion or a verification (lấy ý kiến, thẩm tra, xác minh: Decree
    118/2025 Art. 19(4)), each with the time it has to answer; the answers come within the
    step's own time, and a late one is the consulted unit's delay. ``fork`` are the steps
    this one hands the case to at once (chuyển đồng thời: Decree 118/2025 Art. 20(2)(b)),
    each the first step of a branch that runs in parallel with its own unit and budget; the
    branches meet at the first step they all reach (the join), which starts when the last
    branch hands over to it (:mod:`tthc_flow.engine._graph`). A fork step has no ``next``.
    """

    key: str
    name: str
    unit: str
    budget: Budget | None
    role: str | None = None
    next: tuple[str, ...] = attrs.field(default=(), converter=_keys)
    back: tuple[str, ...] = attrs.field(default=(), converter=_keys)
    branches: Mapping[str, str] = attrs.field(default=None, converter=_branches, eq=False)
    reception: bool = False
    returns: bool = False
    consults: Mapping[str, Budget] = attrs.field(default=None, converter=_consults, eq=False)
    fork: tuple[str, ...] = attrs.field(default=(), converter=_keys)
    _branch_items: tuple[tuple[str, str], ...] = attrs.field(init=False, repr=False)
    _consult_items: tuple[tuple[str, Budget], ...] = attrs.field(init=False, repr=False)
    _forward: tuple[str, ...] = attrs.field(init=False, repr=False, eq=False)

    __reduce__ = reduce_frozen  # read-only mappings inside

    def __repr__(self) -> str:
        # One line of about 100 characters: failure reports print whole procedures.
        onward = self.fork or self.next
        arrow = (" ⇉ " if self.fork else " → ") + ",".join(onward) if onward else ""
        return (
            f"<Step {short_text(self.key, 24)}{arrow} {self.budget} "
            f"at {short_text(self.unit, 28)}>"
        )

    def __attrs_post_init__(self) -> None:
        put = object.__setattr__
        # Names are texts in Unicode NFC, as events' are, so that a unit typed on another
        # keyboard is still the same unit; anything else fails when the step is defined.
        put(self, "key", _step_name(self.key, "key"))
        put(self, "name", _step_name(self.name, "name"))
        put(self, "unit", _step_name(self.unit, "unit"))
        if self.role is not None:
            put(self, "role", _step_name(self.role, "role"))
        for field in ("next", "back", "fork"):
            keys = getattr(self, field)
            if keys:
                put(self, field, tuple(
                    _step_name(key, field, index) for index, key in enumerate(keys)
                ))  # fmt: skip
        # Most steps name no branch and consult no one: their empty mappings are kept as
        # the converters made them.
        branches = self.branches
        if branches:
            branches = {
                name_text(name, "Step.branches"): name_text(
                    target, f"Step.branches[{name!r}]"
                )
                for name, target in branches.items()
            }
            put(self, "branches", MappingProxyType(branches))
            put(self, "_branch_items", tuple(sorted(branches.items())))
        else:
            put(self, "_branch_items", ())
        if self.consults:
            consults = {
                name_text(unit, "Step.consults"): budget
                for unit, budget in self.consults.items()
            }
            put(self, "consults", MappingProxyType(consults))
            put(self, "_consult_items", tuple(sorted(consults.items(), key=_first)))
        else:
            put(self, "_consult_items", ())
        forward = self.next
        if branches:
            forward += tuple(t for t in branches.values() if t not in forward)
        if self.fork:
            forward += tuple(t for t in self.fork if t not in forward)
        put(self, "_forward", forward)

    @property
    def forward(self) -> tuple[str, ...]:
        """Every step this one may hand over to: ``next``, the branch targets, then the
        steps it forks to."""
        return self._forward

    def __str__(self) -> str:
        return f"{self.key} — {self.name} ({self.unit}, {self.budget})"


def _first(item: tuple[str, Any]) -> str:
    return item[0]


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


def _step_name(value: Any, field: str, index: int | None = None) -> str:
    """A step's name field, checked by :func:`name_text` (the field named in an error as
    ``Step.next[2]``); a printable text already in NFC, the common case, is taken as it is
    without formatting the field's name."""
    if plain_name(value):
        return value
    return name_text(value, f"Step.{field}" if index is None else f"Step.{field}[{index}]")


@attrs.frozen
class BudgetAdjustment:
    """Extra time for cases with given attributes, e.g. +10 working days for communes in
    remote, mountainous or island areas (Decree 151/2025 appendix).

    Applies when every ``when`` item equals the case's attribute of that name. ``step``
    names the step that receives the extra time (None: the total only).
    """

    name: str
    extra: Budget
    when: Mapping[str, Any] = attrs.field(converter=_frozen_mapping, eq=False)
    citation: str
    step: str | None = None
    _when_items: tuple[tuple[str, Any], ...] = attrs.field(init=False, repr=False)

    __reduce__ = reduce_frozen  # read-only mappings inside

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_when_items", tuple(sorted(self.when.items())))

    def applies(self, attributes: Mapping[str, Any]) -> bool:
        return all(attributes.get(key) == value for key, value in self.when.items())


# Typed converters (not bare ``tuple``) so that type checkers accept lists and sets here.
def _step_tuple(value: Iterable[Step]) -> tuple[Step, ...]:
    return tuple(value)


def _adjustment_tuple(value: Iterable[BudgetAdjustment]) -> tuple[BudgetAdjustment, ...]:
    return tuple(value)


def _code_set(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _orders(value: Mapping[str, Order] | None) -> Mapping[str, Order]:
    return _mapping(
        value, "orders must be a mapping of channels to orders",
        'Write orders=ART_20_2_ORDERS, or orders={"online": Order.PARALLEL, "in_person": '
        "Order.SEQUENTIAL}.",
    )  # fmt: skip


def _packs(value: RulePack | Iterable[RulePack]) -> tuple[RulePack, ...]:
    return (value,) if isinstance(value, RulePack) else tuple(value)


@attrs.frozen(repr=False)
class Procedure:
    """A published procedure and its internal workflow, validated when built.

    ``total`` is the published processing time (thời hạn giải quyết). ``rules`` are the rule
    packs the procedure may be judged by; a case takes the one in force on its receipt date.
    They default to the national one-stop packs, or to the internal pack for
    ``ProcedureKind.INTERNAL`` (:func:`default_packs`). ``zero_budget`` says what a budget of
    "0 ngày làm việc" means (:class:`ZeroBudget`: the same-day rule by default).
    ``pauses`` are the reasons this procedure declares (land procedures declare financial
    obligation, posting, assessment); reasons the pack marks ``declared_only`` are refused
    elsewhere. ``effective_from`` defaults to 21 June 2018 (Decree 61/2018 in force), the
    earliest rules the library knows. A case received outside ``effective_from`` to
    ``effective_until`` is refused (recorded as a violation in audit mode): seed 003 complains
    of agencies receiving under superseded rules. Every check is a named function in
    :mod:`tthc_flow.engine._validation`; a failure raises
    :class:`~tthc_flow.errors.DefinitionError` naming the step.
    """

    code: str
    name: str
    version: str
    kind: ProcedureKind
    total: Budget | None
    steps: tuple[Step, ...] = attrs.field(converter=_step_tuple)
    rules: tuple[RulePack, ...] = attrs.field(
        default=attrs.Factory(lambda self: default_packs(self.kind), takes_self=True),
        converter=_packs,
    )
    effective_from: date = date(2018, 6, 21)
    effective_until: date | None = None
    legal_basis: tuple[str, ...] = attrs.field(default=(), converter=_keys)
    adjustments: tuple[BudgetAdjustment, ...] = attrs.field(default=(), converter=_adjustment_tuple)
    pauses: frozenset[str] = attrs.field(default=frozenset(), converter=_code_set)
    budget_policy: BudgetPolicy = BudgetPolicy.EXACT
    agency: str = ""
    zero_budget: ZeroBudget = ZeroBudget.SAME_DAY
    orders: Mapping[str, Order] = attrs.field(default=None, converter=_orders, eq=False)
    _order_items: tuple[tuple[str, str], ...] = attrs.field(init=False, repr=False)
    # Compiled transition tables per backend: a cache, not part of the value.
    _compiled: dict[str, Any] = attrs.field(init=False, factory=dict, eq=False, repr=False)

    def __repr__(self) -> str:
        # One line: a failing Hypothesis example prints every procedure it drew.
        until = self.effective_until.isoformat() if self.effective_until else ""
        return (
            f"<Procedure {short_text(self.code, 20)} v{short_text(self.version, 12)} "
            f"{self.kind.name.lower()}, {len(self.steps)} steps, total {self.total}, "
            f"{self.effective_from.isoformat()}..{until}>"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # As the other frozen values, and the same procedure unpickled twice in a process
        # is one object: its compiled tables (and a report's) are built once per worker.
        return _procedure_restored, (reduce_frozen(self),)

    def __attrs_post_init__(self) -> None:
        from tthc_flow.engine._validation import validate

        orders = {name_text(channel, "Procedure.orders"): order
                  for channel, order in self.orders.items()}  # fmt: skip
        object.__setattr__(self, "orders", MappingProxyType(orders))
        object.__setattr__(self, "_order_items", tuple(sorted(
            (channel, order.value if isinstance(order, Order) else repr(order))
            for channel, order in orders.items()
        )))  # fmt: skip
        validate(self)

    # ------------------------------------------------------------------ lookups

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise DefinitionError(
            f"procedure {self.code} has no step {key!r}; its steps are "
            f"{', '.join(s.key for s in self.steps)}.",
            procedure=self.code,
            step=key,
            check="lookup",
        )

    @property
    def first(self) -> Step:
        """The reception step, or the first step when none is marked."""
        return next((s for s in self.steps if s.reception), self.steps[0])

    @property
    def return_step(self) -> Step | None:
        return next((s for s in self.steps if s.returns), None)

    @property
    def units(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for step in self.steps:
            seen.setdefault(step.unit, None)
        return tuple(seen)

    def total_for(self, attributes: Mapping[str, Any], pack: RulePack | None = None) -> Budget:
        """The total budget of a case with these attributes (adjustments applied); with a
        ``pack``, as the engine runs it under that pack ("0 ngày làm việc" and same-day
        budgets bound to the pack's same-day rule)."""
        assert self.total is not None  # guaranteed by validation
        total = self.total
        for adjustment in self.adjustments:
            # Extra time given to a step is extra time for the whole case too.
            if adjustment.applies(attributes):
                total = total + adjustment.extra  # type: ignore[operator]
        return _bind(total, pack, self.zero_budget)

    def step_budget_for(
        self, key: str, attributes: Mapping[str, Any], pack: RulePack | None = None
    ) -> Budget:
        """A step's budget for a case with these attributes (its adjustments applied); with
        a ``pack``, as the engine runs it under that pack: same-day budgets bound to its
        rule, and the reception step of a case received outside its home area given the
        pack's forwarding budget (Decree 118/2025 Art. 20(1)(a))."""
        budget = self.step(key).budget
        assert budget is not None
        forwarding = pack.forwarding if pack is not None else None
        if forwarding is not None and key == self.first.key and forwarding.applies(attributes):
            budget = forwarding.budget
        for adjustment in self.adjustments:
            if adjustment.step == key and adjustment.applies(attributes):
                budget = budget + adjustment.extra  # type: ignore[operator]
        return _bind(budget, pack, self.zero_budget)

    @property
    def parallel(self) -> bool:
        """Whether a step forks: a case can then be at several steps at once."""
        # Asked for every event a case folds: kept with the compiled tables.
        found: bool | None = self._compiled.get("parallel")
        if found is None:
            found = self._compiled["parallel"] = any(step.fork for step in self.steps)
        return found

    def order_for(self, attributes: Mapping[str, Any]) -> Order | None:
        """The order a case with these attributes runs in (Decree 118/2025 Art. 20(2)):
        the graph as drawn (``PARALLEL``) when the procedure declares no ``orders``; else
        the order of the case's ``channel``, the fixed sequence when it has none (a dossier
        not said to be electronic is handled as a paper one, Art. 20(2)(a)), and None for a
        channel the orders do not list (the receipt is refused: ``receipt.channel``)."""
        if not self.orders:
            return Order.PARALLEL
        channel = attributes.get("channel")
        if channel is None:
            return Order.SEQUENTIAL
        return self.orders.get(channel) if isinstance(channel, str) else None

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )

    @property
    def working_total(self) -> bool:
        return isinstance(self.total, WorkingBudget)

    def __str__(self) -> str:
        return f"{self.code} {self.name} (v{self.version})"


# Procedures unpickled in this process, by code and version (see Procedure.__reduce__).
_UNPICKLED: dict[tuple[str, str], list[Procedure]] = {}


def _procedure_restored(reduced: tuple[Any, ...]) -> Procedure:
    restore, arguments = reduced
    procedure: Procedure = restore(*arguments)
    seen = _UNPICKLED.setdefault((procedure.code, procedure.version), [])
    for known in seen:
        if known == procedure and known.orders == procedure.orders:
            return known
    if len(seen) >= 8:
        seen.pop(0)
    seen.append(procedure)
    return procedure

"""Catalogs as JSON: a documented, versioned format (``catalog.schema.json`` beside this
module), so that a catalog published as data and one written in Python round-trip exactly:
``catalog_from_json(catalog_to_json(c)) == c``.

Budgets are written as procedures publish them (``"0.5 ngày làm việc"``, ``"30 ngày"``,
``"3 tháng"``, ``"trong ngày làm việc"``) and read back with
:func:`~tthc_flow.engine.parse_budget`; enums by name; dates as ISO 8601; times of day as
``"HH:MM"``; rule packs in full, once each, and referred to by name.

Format version 2 carries each pack's same-day rule, its closure, forwarding, stop and
refusal rules, and each procedure's ``zero_budget``. Documents of version 1, written before
those existed, are still read: a missing key takes its default, and a pack that is a copy
of a built-in one (national, or :data:`~tthc_flow.engine.INTERNAL_PRACTICE`) in everything
version 1 could say is that pack.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date, time
from functools import partial
from importlib import resources
from typing import Any, TypeVar

import attrs

from tthc_flow.catalog.model import Catalog, Decision, Publication, Unit
from tthc_flow.engine import (
    INTERNAL_PRACTICE,
    NATIONAL_PACKS,
    Budget,
    BudgetAdjustment,
    BudgetPolicy,
    CalendarDays,
    ClosureRule,
    Effect,
    ForwardingRule,
    Invoker,
    PauseRule,
    Procedure,
    ProcedureKind,
    RefusalRule,
    RescheduleRule,
    RulePack,
    SameDayRule,
    SameWorkingDay,
    Step,
    StopRule,
    WorkingDays,
    ZeroBudget,
    default_packs,
    parse_budget,
)
from tthc_flow.errors import CatalogFormatError, TthcFlowError

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "catalog_from_dict",
    "catalog_from_json",
    "catalog_to_dict",
    "catalog_to_json",
    "schema",
]

FORMAT = "tthc_flow.catalog"
FORMAT_VERSION = 2
# The versions this library reads: 1 (before same-day, closure, forwarding, stop and refusal
# rules and zero budgets were written) and 2.
_READABLE_VERSIONS = (1, 2)
SCHEMA_ID = "https://tthc-flow.example/schemas/catalog-2.json"
T = TypeVar("T")

# Packs a procedure may name without the document defining them, and that a pack read back
# equal to them is (hosts compare packs by identity too).
_BUILT_IN_PACKS: tuple[RulePack, ...] = (*NATIONAL_PACKS, INTERNAL_PRACTICE)

# Budgets as the document writes them. A number, one space and a unit, or one of the two
# same-day texts; where only some kinds make sense, a narrower pattern.
_NUMBER = r"[0-9]+(?:[.,][0-9]+|/[0-9]+)?"
_SAME_DAY = r"trong ngày làm việc|trong ngày làm việc hoặc ngày làm việc tiếp theo"
_BUDGET = re.compile(
    rf"{_NUMBER} "
    r"(?:ngày làm việc|giờ làm việc|ngày|tháng|working days?|working hours?|days?|months?)"
    rf"|{_SAME_DAY}"
)
# A pause window: whole working days.
_WINDOW = re.compile(r"[0-9]+ (?:ngày làm việc|working days?)")
# A forwarding budget: working time, or the same working day.
_FORWARDING = re.compile(
    rf"{_NUMBER} (?:ngày làm việc|giờ làm việc|working days?|working hours?)|{_SAME_DAY}"
)
# A closure period: whole calendar days.
_CLOSURE = re.compile(r"[0-9]+ (?:ngày|days?)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]")


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the catalog format, as shipped in the package."""
    text = resources.files("tthc_flow.catalog").joinpath("catalog.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


# ---------------------------------------------------------------------------- writing


def _budget(budget: Budget | None, path: str, pattern: re.Pattern[str] = _BUDGET) -> str | None:
    """A budget's published label, refused (naming ``path``) when reading it back would not
    give the same budget: a sum of budgets, a same-day budget already bound to a rule (the
    engine binds it to the pack's rule), or a kind this place of the document does not
    hold."""
    if budget is None:
        return None
    label = budget.label
    again: Budget | None = None
    if pattern.fullmatch(label) is not None:
        try:
            again = parse_budget(label)
        except TthcFlowError:
            again = None
    if again is None or type(again) is not type(budget) or again != budget:
        if isinstance(budget, SameWorkingDay) and budget.rule is not None:
            hint = (
                "a same-day budget is written unbound (SameWorkingDay()): the rule pack's "
                "same-day rule binds it when a case runs."
            )
        else:
            hint = "this part of the document does not hold a budget of that kind."
        raise CatalogFormatError(
            f"the budget {budget!r} (published as {label!r}) would not read back the same; {hint}",
            path=path,
        )
    return label


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _time(value: time | None, path: str) -> str | None:
    if value is None:
        return None
    if value.second or value.microsecond:
        raise CatalogFormatError(
            f"a cut-off is written to the minute (HH:MM), got {value.isoformat()}.", path=path
        )
    return value.strftime("%H:%M")


def _pause_rule(rule: PauseRule, path: str) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "name_en": rule.name_en,
        "citation": rule.citation,
        "legal": rule.legal.name,
        "indicator": rule.indicator.name,
        "step": rule.step.name,
        "max_times": rule.max_times,
        "window": _budget(rule.window, f"{path}/window", _WINDOW),
        "invokers": sorted(i.name for i in rule.invokers),
        "evidence": list(rule.evidence),
        "declared_only": rule.declared_only,
        "allowed": rule.allowed,
    }


def _pack(pack: RulePack, path: str) -> dict[str, Any]:
    reschedule = pack.reschedule
    same_day = pack.same_day
    closure, forwarding = pack.closure, pack.forwarding
    return {
        "name": pack.name,
        "citation": pack.citation,
        "effective_from": _day(pack.effective_from),
        "effective_until": _day(pack.effective_until),
        "supplement": pack.supplement,
        "reasons": [
            _pause_rule(rule, f"{path}/reasons[{number}]")
            for number, rule in enumerate(pack.reasons.values())
        ],
        "reschedule": {
            "citation": reschedule.citation,
            "max_times": reschedule.max_times,
            "days_before_due": reschedule.days_before_due,
            "by_delaying_unit": reschedule.by_delaying_unit,
            "requires": list(reschedule.requires),
        },
        "same_day": {
            "cutoff": _time(same_day.cutoff, f"{path}/same_day/cutoff"),
            "opening_minutes": same_day.opening_minutes,
            "citation": same_day.citation,
        },
        "late_receipt_next_day": pack.late_receipt_next_day,
        "closure": None
        if closure is None
        else {
            "after": _budget(closure.after, f"{path}/closure/after", _CLOSURE),
            "citation": closure.citation,
        },
        "forwarding": None
        if forwarding is None
        else {
            "budget": _budget(forwarding.budget, f"{path}/forwarding/budget", _FORWARDING),
            "citation": forwarding.citation,
            "attribute": forwarding.attribute,
        },
        "stop": None
        if pack.stop is None
        else {"citation": pack.stop.citation, "before_decision": pack.stop.before_decision},
        "refusal": None
        if pack.refusal is None
        else {"citation": pack.refusal.citation, "within_time": pack.refusal.within_time},
    }


def _step(step: Step, path: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "key": step.key,
        "name": step.name,
        "unit": step.unit,
        "budget": _budget(step.budget, f"{path}/budget"),
    }
    if step.role is not None:
        record["role"] = step.role
    optional = {
        "next": list(step.next),
        "back": list(step.back),
        "branches": dict(step.branches),
        "reception": step.reception,
        "returns": step.returns,
    }
    record.update({k: v for k, v in optional.items() if v})  # empty lists, False: the default
    return record


def _procedure(publication: Publication, path: str) -> dict[str, Any]:
    procedure = publication.procedure
    decision = publication.decision
    return {
        "code": procedure.code,
        "name": procedure.name,
        "version": procedure.version,
        "kind": procedure.kind.name,
        "total": _budget(procedure.total, f"{path}/total"),
        "agency": procedure.agency,
        "legal_basis": list(procedure.legal_basis),
        "effective_from": _day(procedure.effective_from),
        "effective_until": _day(procedure.effective_until),
        "rules": [pack.name for pack in procedure.rules],
        "pauses": sorted(procedure.pauses),
        "budget_policy": procedure.budget_policy.name,
        "zero_budget": procedure.zero_budget.name,
        "adjustments": [
            {
                "name": a.name,
                "extra": _budget(a.extra, f"{path}/adjustments[{number}]/extra"),
                "when": dict(a.when),
                "citation": a.citation,
                "step": a.step,
            }
            for number, a in enumerate(procedure.adjustments)
        ],
        "steps": [
            _step(step, f"{path}/steps[{number}]") for number, step in enumerate(procedure.steps)
        ],
        "decision": None
        if decision is None
        else {"number": decision.number, "date": _day(decision.date), "issuer": decision.issuer},
        "review_by": _day(publication.review_by),
    }


def catalog_to_dict(catalog: Catalog) -> dict[str, Any]:
    """The catalog as JSON-ready data in format version :data:`FORMAT_VERSION`."""
    packs: dict[str, RulePack] = {}
    for procedure in catalog.procedures:
        for pack in procedure.rules:
            known = packs.setdefault(pack.name, pack)
            if known != pack:
                raise CatalogFormatError(
                    f"two different rule packs are both named {pack.name!r}; give an agency's "
                    "own pack its own name (RulePack.derive(name, ...)).",
                    path="rule_packs",
                )
    return {
        "$schema": SCHEMA_ID,
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": catalog.name,
        "issuer": catalog.issuer,
        "units": [
            {"name": u.name, "level": u.level, **({"parent": u.parent} if u.parent else {})}
            for u in catalog.units.values()
        ],
        "rule_packs": [
            _pack(pack, f"rule_packs[{number}]") for number, pack in enumerate(packs.values())
        ],
        "procedures": [
            _procedure(p, f"procedures[{number}]") for number, p in enumerate(catalog.publications)
        ],
    }


def catalog_to_json(catalog: Catalog, *, indent: int | None = 2) -> str:
    """The catalog as JSON text (UTF-8, Vietnamese kept as is)."""
    return json.dumps(catalog_to_dict(catalog), ensure_ascii=False, indent=indent) + "\n"


# ---------------------------------------------------------------------------- reading


class _Reader:
    """Reads one document strictly, as the schema says, keeping the path of what it reads
    for error messages: an unknown key or a value of the wrong kind is an error, never
    ignored (a misspelt ``effective_untill`` must not silently mean "no end")."""

    def __init__(self) -> None:
        self.path: list[str] = []
        self.version = FORMAT_VERSION

    def fail(self, message: str) -> CatalogFormatError:
        return CatalogFormatError(message, path="/".join(self.path) or "(document)")

    def keys(self, record: Any, allowed: frozenset[str]) -> None:
        if not isinstance(record, Mapping):
            raise self.fail(f"expected an object, got {type(record).__name__}.")
        unknown = sorted(str(k) for k in record if k not in allowed)
        if unknown:
            raise self.fail(
                f"unknown key(s) {', '.join(map(repr, unknown))}; expected among "
                f"{', '.join(sorted(allowed))}."
            )

    def get(self, record: Any, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if not isinstance(record, Mapping):
            raise self.fail(f"expected an object, got {type(record).__name__}.")
        if key not in record:
            if default is ...:
                raise self.fail(f"missing {key!r}.")
            return default
        value: Any = record[key]
        if value is None and default is None:
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(f"{key!r} must be {names}, got {value!r}.")
        if kind is str and not str(value).strip():
            raise self.fail(f"{key!r} must not be empty.")
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            raise self.fail(f"{key!r} must be 0 or more, got {value}.")
        return value

    def texts(self, record: Any, key: str, default: Any = ...) -> tuple[str, ...]:
        values = self.get(record, key, list, [] if default is ... else default)
        for value in values:
            if not isinstance(value, str) or not value.strip():
                raise self.fail(f"every item of {key!r} is a non-empty text, got {value!r}.")
        return tuple(values)

    def day(self, record: Any, key: str) -> date:
        text = self.get(record, key, str)
        try:
            if _DATE.fullmatch(text) is None:
                raise ValueError
            return date.fromisoformat(text)
        except ValueError:
            raise self.fail(f"{key!r} must be a date YYYY-MM-DD, got {text!r}.") from None

    def maybe_day(self, record: Any, key: str) -> date | None:
        if record.get(key) is None:
            return None
        return self.day(record, key)

    def budget(
        self,
        record: Any,
        key: str,
        default: Any = ...,
        *,
        pattern: re.Pattern[str] = _BUDGET,
        expected: str = (
            "a number and a unit as procedures publish them, e.g. '10 ngày làm việc', "
            "'0.5 ngày làm việc', '4 giờ làm việc', '30 ngày', '3 tháng', or "
            "'trong ngày làm việc'"
        ),
    ) -> Any:
        text = self.get(record, key, str, default)
        if text is None:
            return None
        if pattern.fullmatch(text) is None:
            raise self.fail(f"{key!r} is {text!r}; write {expected}.")
        try:
            return parse_budget(text)
        except TthcFlowError as error:
            raise self.fail(str(error)) from None

    def time_of_day(self, record: Any, key: str) -> time | None:
        """A local time of day written ``"HH:MM"``, or null; the key must be present."""
        if not isinstance(record, Mapping):
            raise self.fail(f"expected an object, got {type(record).__name__}.")
        if key not in record:
            raise self.fail(f"missing {key!r} (write null for none).")
        text = record[key]
        if text is None:
            return None
        if not isinstance(text, str) or _TIME.fullmatch(text) is None:
            raise self.fail(
                f"{key!r} must be a time of day HH:MM (00:00 to 23:59) or null, got {text!r}."
            )
        return time(int(text[:2]), int(text[3:]))

    def record(self, record: Any, key: str, keys: frozenset[str]) -> Any:
        """The object at ``key`` (None when missing or null), its keys checked, with the path
        entered: leave it with ``self.path.pop()`` once read."""
        value = self.get(record, key, dict, None)
        if value is None:
            return None
        self.path.append(key)
        self.keys(value, keys)
        return value

    def enum(self, record: Any, key: str, kind: Any, default: Any = ...) -> Any:
        name = self.get(record, key, str, default)
        if name is None or not isinstance(name, str):
            return name
        try:
            return kind[name]
        except KeyError:
            known = ", ".join(member.name for member in kind)
            raise self.fail(f"{key!r} is {name!r}; expected one of {known}.") from None

    def each(self, record: Any, key: str) -> Any:
        for number, item in enumerate(self.get(record, key, list, [])):
            self.path.append(f"{key}[{number}]")
            try:
                yield item
            finally:
                self.path.pop()

    def guarded(self, build: Callable[[], T]) -> T:
        """Build a value, turning the library's own refusal into an error at this path."""
        try:
            return build()
        except CatalogFormatError:
            raise
        except TthcFlowError as error:
            raise self.fail(str(error)) from error


_RULE_KEYS = frozenset(
    {"code", "name", "name_en", "citation", "legal", "indicator", "step", "max_times",
     "window", "invokers", "evidence", "declared_only", "allowed"}
)  # fmt: skip
# Keys of a pack that format version 1 did not have.
_PACK_KEYS_2 = frozenset(
    {"same_day", "late_receipt_next_day", "closure", "forwarding", "stop", "refusal"}
)
_PACK_KEYS = frozenset(
    {"name", "citation", "effective_from", "effective_until", "supplement", "reasons",
     "reschedule"}
) | _PACK_KEYS_2  # fmt: skip
_SAME_DAY_KEYS = frozenset({"cutoff", "opening_minutes", "citation"})
_CLOSURE_KEYS = frozenset({"after", "citation"})
_FORWARDING_KEYS = frozenset({"budget", "citation", "attribute"})
_STOP_KEYS = frozenset({"citation", "before_decision"})
_REFUSAL_KEYS = frozenset({"citation", "within_time"})
_RESCHEDULE_KEYS = frozenset(
    {"citation", "max_times", "days_before_due", "by_delaying_unit", "requires"}
)
_STEP_KEYS = frozenset(
    {"key", "name", "unit", "budget", "role", "next", "back", "branches", "reception", "returns"}
)
_ADJUSTMENT_KEYS = frozenset({"name", "extra", "when", "citation", "step"})
_DECISION_KEYS = frozenset({"number", "date", "issuer"})
_PROCEDURE_KEYS = frozenset(
    {"code", "name", "version", "kind", "total", "agency", "legal_basis", "effective_from",
     "effective_until", "rules", "pauses", "budget_policy", "zero_budget", "adjustments",
     "steps", "decision", "review_by"}
)  # fmt: skip
_UNIT_KEYS = frozenset({"name", "level", "parent"})
_DOCUMENT_KEYS = frozenset(
    {"$schema", "format", "format_version", "name", "issuer", "units", "rule_packs",
     "procedures"}
)  # fmt: skip


def _read_rule(r: _Reader, record: Any) -> PauseRule:
    r.keys(record, _RULE_KEYS)
    window = r.budget(
        record, "window", None, pattern=_WINDOW,
        expected="a whole number of working days, e.g. '3 ngày làm việc'",
    )  # fmt: skip
    if window is not None and not isinstance(window, WorkingDays):
        raise r.fail("'window' is counted in working days, e.g. '3 ngày làm việc'.")
    invokers = frozenset(
        r.enum({"invokers": name}, "invokers", Invoker)
        for name in r.texts(record, "invokers", ["STEP_UNIT"])
    )
    return r.guarded(
        lambda: PauseRule(
            code=r.get(record, "code", str),
            name=r.get(record, "name", str),
            name_en=r.get(record, "name_en", str),
            citation=r.get(record, "citation", str),
            legal=r.enum(record, "legal", Effect, Effect.PAUSE),
            indicator=r.enum(record, "indicator", Effect, Effect.PAUSE),
            step=r.enum(record, "step", Effect, Effect.PAUSE),
            max_times=r.get(record, "max_times", int, None),
            window=window,
            invokers=invokers,
            evidence=r.texts(record, "evidence"),
            declared_only=r.get(record, "declared_only", bool, False),
            allowed=r.get(record, "allowed", bool, True),
        )
    )


def _read_pack(r: _Reader, record: Any) -> RulePack:
    r.keys(record, _PACK_KEYS)
    reasons = [_read_rule(r, item) for item in r.each(record, "reasons")]
    r.path.append("reschedule")
    resched = r.get(record, "reschedule", dict)
    r.keys(resched, _RESCHEDULE_KEYS)
    reschedule = RescheduleRule(
        citation=r.get(resched, "citation", str),
        max_times=r.get(resched, "max_times", int, 1),
        days_before_due=r.get(resched, "days_before_due", int, 1),
        by_delaying_unit=r.get(resched, "by_delaying_unit", bool, True),
        requires=r.texts(resched, "requires", ["reason", "new_due"]),
    )
    r.path.pop()
    fields: dict[str, Any] = {
        "name": r.get(record, "name", str),
        "citation": r.get(record, "citation", str),
        "effective_from": r.day(record, "effective_from"),
        "effective_until": r.maybe_day(record, "effective_until"),
        "reasons": reasons,
        "reschedule": reschedule,
        "supplement": r.get(record, "supplement", str, "supplement"),
        "late_receipt_next_day": r.get(record, "late_receipt_next_day", bool, False),
    }
    if "same_day" in record:
        fields["same_day"] = _read_same_day(r, record)
    fields["closure"] = _read_closure(r, record)
    fields["forwarding"] = _read_forwarding(r, record)
    stop = r.record(record, "stop", _STOP_KEYS)
    if stop is not None:
        fields["stop"] = StopRule(
            citation=r.get(stop, "citation", str),
            before_decision=r.get(stop, "before_decision", bool, True),
        )
        r.path.pop()
    refusal = r.record(record, "refusal", _REFUSAL_KEYS)
    if refusal is not None:
        fields["refusal"] = RefusalRule(
            citation=r.get(refusal, "citation", str),
            within_time=r.get(refusal, "within_time", bool, True),
        )
        r.path.pop()
    pack: RulePack = r.guarded(lambda: RulePack(**fields))
    # A pack equal to a built-in one is that pack: hosts compare by identity too.
    found = next((known for known in _BUILT_IN_PACKS if known == pack), None)
    if found is None and r.version == 1 and not _PACK_KEYS_2 & set(record):
        # Version 1 could not write the newer rules: a copy of a built-in pack in all it
        # could write is that pack, not a pack of the same name without them.
        found = next((known for known in _BUILT_IN_PACKS if _as_version_1(known, pack)), None)
    return pack if found is None else found


def _as_version_1(known: RulePack, pack: RulePack) -> bool:
    """Whether ``pack`` (read from version 1, newer rules at their defaults) is ``known`` as
    version 1 wrote it."""
    if known.name != pack.name:
        return False
    newer = {name: getattr(pack, name) for name in _PACK_KEYS_2}
    return attrs.evolve(known, **newer) == pack


def _read_same_day(r: _Reader, record: Any) -> SameDayRule:
    r.path.append("same_day")
    rule = r.get(record, "same_day", dict)
    r.keys(rule, _SAME_DAY_KEYS)
    opening = r.get(rule, "opening_minutes", int)
    if opening < 1:
        raise r.fail(f"'opening_minutes' must be 1 or more, got {opening}.")
    citation = rule.get("citation", "")
    if not isinstance(citation, str):
        raise r.fail(f"'citation' must be str, got {citation!r}.")
    cutoff = r.time_of_day(rule, "cutoff")
    same_day: SameDayRule = r.guarded(
        lambda: SameDayRule(cutoff=cutoff, opening_minutes=opening, citation=citation)
    )
    r.path.pop()
    return same_day


def _read_closure(r: _Reader, record: Any) -> ClosureRule | None:
    closure = r.record(record, "closure", _CLOSURE_KEYS)
    if closure is None:
        return None
    after = r.budget(
        closure, "after", pattern=_CLOSURE,
        expected="a whole number of calendar days, e.g. '15 ngày'",
    )  # fmt: skip
    if not isinstance(after, CalendarDays):
        raise r.fail("'after' is counted in calendar days, e.g. '15 ngày'.")
    rule = ClosureRule(after=after, citation=r.get(closure, "citation", str))
    r.path.pop()
    return rule


def _read_forwarding(r: _Reader, record: Any) -> ForwardingRule | None:
    forwarding = r.record(record, "forwarding", _FORWARDING_KEYS)
    if forwarding is None:
        return None
    budget = r.budget(
        forwarding, "budget", pattern=_FORWARDING,
        expected="working time or the same working day, e.g. '1 ngày làm việc', "
        "'4 giờ làm việc' or 'trong ngày làm việc'",
    )  # fmt: skip
    # The pattern admits working time (WorkingDays, WorkingHours) and SameWorkingDay only.
    rule = ForwardingRule(
        budget=budget,
        citation=r.get(forwarding, "citation", str),
        attribute=r.get(forwarding, "attribute", str, "outside_home_area"),
    )
    r.path.pop()
    return rule


def _read_step(r: _Reader, record: Any) -> Step:
    r.keys(record, _STEP_KEYS)
    branches = r.get(record, "branches", dict, {})
    for name, target in branches.items():
        if not isinstance(target, str) or not target.strip():
            raise r.fail(f"branch {name!r} must name a step, got {target!r}.")
    return r.guarded(
        lambda: Step(
            key=r.get(record, "key", str),
            name=r.get(record, "name", str),
            unit=r.get(record, "unit", str),
            budget=r.budget(record, "budget"),
            role=r.get(record, "role", str, None),
            next=r.texts(record, "next"),
            back=r.texts(record, "back"),
            branches=branches,
            reception=r.get(record, "reception", bool, False),
            returns=r.get(record, "returns", bool, False),
        )
    )


def _read_adjustment(r: _Reader, item: Any) -> BudgetAdjustment:
    return BudgetAdjustment(
        name=r.get(item, "name", str),
        extra=r.budget(item, "extra"),
        when=r.get(item, "when", dict),
        citation=r.get(item, "citation", str),
        step=r.get(item, "step", str, None),
    )


def _read_unit(r: _Reader, item: Any) -> Unit:
    parent = r.get(item, "parent", str, None)
    return Unit(r.get(item, "name", str), r.get(item, "level", str), parent)


def _read_publication(r: _Reader, record: Any, packs: Mapping[str, RulePack]) -> Publication:
    r.keys(record, _PROCEDURE_KEYS)
    kind = r.enum(record, "kind", ProcedureKind)
    rules = []
    for name in r.texts(record, "rules", [p.name for p in default_packs(kind)]):
        found = packs.get(name) or next((p for p in _BUILT_IN_PACKS if p.name == name), None)
        if found is None:
            known = ", ".join(p.name for p in _BUILT_IN_PACKS)
            raise r.fail(
                f"rule pack {name!r} is neither in 'rule_packs' nor a built-in pack ({known})."
            )
        rules.append(found)
    adjustments = []
    for item in r.each(record, "adjustments"):
        r.keys(item, _ADJUSTMENT_KEYS)
        adjustments.append(r.guarded(partial(_read_adjustment, r, item)))
    steps = [_read_step(r, item) for item in r.each(record, "steps")]
    decision_record = r.get(record, "decision", dict, None)
    decision = None
    if decision_record is not None:
        r.path.append("decision")
        r.keys(decision_record, _DECISION_KEYS)
        decision = r.guarded(
            lambda: Decision(
                number=r.get(decision_record, "number", str),
                date=r.day(decision_record, "date"),
                issuer=r.get(decision_record, "issuer", str),
            )
        )
        r.path.pop()
    fields: dict[str, Any] = {
        "code": r.get(record, "code", str),
        "name": r.get(record, "name", str),
        "version": r.get(record, "version", str),
        "kind": kind,
        "total": r.budget(record, "total"),
        "steps": steps,
        "rules": rules,
        "legal_basis": r.texts(record, "legal_basis"),
        "adjustments": adjustments,
        "pauses": frozenset(r.texts(record, "pauses")),
        "budget_policy": r.enum(record, "budget_policy", BudgetPolicy, BudgetPolicy.EXACT),
        "zero_budget": r.enum(record, "zero_budget", ZeroBudget, ZeroBudget.SAME_DAY),
        # An agency is optional, and written as "" when absent.
        "agency": r.get(record, "agency", str) if record.get("agency", "") != "" else "",
        "effective_until": r.maybe_day(record, "effective_until"),
    }
    if "effective_from" in record:
        fields["effective_from"] = r.day(record, "effective_from")
    procedure = r.guarded(lambda: Procedure(**fields))
    return r.guarded(lambda: Publication(procedure, decision, r.maybe_day(record, "review_by")))


def catalog_from_dict(data: Mapping[str, Any]) -> Catalog:
    """A catalog from data in the JSON format, read as strictly as the schema says; every
    procedure is validated as it is built, and errors name the part of the document at
    fault (``procedures[2]/steps[1]``)."""
    r = _Reader()
    r.keys(data, _DOCUMENT_KEYS)
    if r.get(data, "format", str) != FORMAT:
        raise r.fail(f"'format' must be {FORMAT!r}.")
    version = r.get(data, "format_version", (int, float))
    if isinstance(version, bool) or version not in _READABLE_VERSIONS:
        readable = " and ".join(str(v) for v in _READABLE_VERSIONS)
        raise r.fail(
            f"format_version {version} is not supported; this library reads versions "
            f"{readable}. Upgrade tthc-flow, or export the catalog again."
        )
    r.version = int(version)
    units = []
    for item in r.each(data, "units"):
        r.keys(item, _UNIT_KEYS)
        units.append(r.guarded(partial(_read_unit, r, item)))
    packs: dict[str, RulePack] = {}
    for item in r.each(data, "rule_packs"):
        pack = _read_pack(r, item)
        if pack.name in packs:
            raise r.fail(f"a second rule pack named {pack.name!r}; pack names are unique.")
        packs[pack.name] = pack
    publications = [_read_publication(r, item, packs) for item in r.each(data, "procedures")]
    return r.guarded(
        lambda: Catalog(
            name=r.get(data, "name", str),
            issuer=r.get(data, "issuer", str),
            units=units,
            publications=publications,
        )
    )


def catalog_from_json(text: str | bytes) -> Catalog:
    """A catalog from JSON text written by :func:`catalog_to_json` or by hand."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CatalogFormatError(f"not JSON: {error}.") from None
    except UnicodeDecodeError as error:
        raise CatalogFormatError(f"not UTF-8 text: {error}.") from None
    except RecursionError:
        raise CatalogFormatError("nested too deeply to be a catalog.") from None
    if not isinstance(data, dict):
        raise CatalogFormatError("a catalog document is a JSON object.")
    return catalog_from_dict(data)

"""Catalogs as JSON: a documented, versioned format (``catalog.schema.json`` beside this
module), so that a catalog published as data and one written in Python round-trip exactly:
``catalog_from_json(catalog_to_json(c)) == c``.

Budgets are written as procedures publish them (``"0.5 ngày làm việc"``, ``"30 ngày"``,
``"3 tháng"``, ``"trong ngày làm việc"``) and read back with
:func:`~tthc_flow.engine.parse_budget`; enums by name; dates as ISO 8601; times of day as
``"HH:MM"``; rule packs in full, once each, and referred to by name.

Agencies are scored on the figures a catalog sets, so the reader is exactly as strict as the
schema and never guesses: JSON is read by :func:`tthc_flow.codec.loads` (a key written twice,
NaN, an integer beyond 2**53 - 1, nesting deeper than 32 levels, a lone surrogate or a
control character is refused); a value of the wrong JSON type is refused (``true`` is not a
number, a text is not a list, ``null`` is not a text); counts, budgets and dates are bounded
by what the calendar holds (the years 1995–2100); names (units, levels, steps, roles, codes)
are read in Unicode NFC. Every refusal is a :class:`~tthc_flow.errors.CatalogFormatError`
whose ``path`` names the offending field (``procedures[2]/steps[1]/budget``) and whose
message says how to fix it. The writer refuses what the reader would not read back the same.

Format version 2 carries each pack's same-day rule, its closure, forwarding, stop and
refusal rules, and each procedure's ``zero_budget``. Documents of version 1, written before
those existed, are still read: a missing key takes its default, and a pack that is a copy
of a built-in one (national, or :data:`~tthc_flow.engine.INTERNAL_PRACTICE`) in everything
version 1 could say is that pack.
"""

from __future__ import annotations

import codecs
import gc
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, time
from functools import partial
from importlib import resources
from typing import Any, TypeVar

import attrs

from tthc_flow.calendar._working import FIRST_YEAR, LAST_YEAR
from tthc_flow.catalog._model import Catalog, Decision, Publication, Unit
from tthc_flow.codec import check_text, dumps, loads, name_text, plain_name, walk_json
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
    Months,
    Order,
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
    WorkingBudget,
    WorkingDays,
    WorkingHours,
    ZeroBudget,
    default_packs,
    parse_budget,
)
from tthc_flow.errors import CatalogFormatError, TthcFlowError

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_DAYS",
    "MAX_MONTHS",
    "MAX_OPENING_MINUTES",
    "MAX_TIMES",
    "MAX_WORKING_HOURS",
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

#: Most days a budget, a window, a closure period or ``days_before_due`` may count: the
#: calendar covers 1995–2100, 38,716 days; a longer count cannot fall due.
MAX_DAYS = 40_000
#: Most working hours a budget may count (8 a day over :data:`MAX_DAYS`).
MAX_WORKING_HOURS = 8 * MAX_DAYS
#: Most months a budget may count (108 years).
MAX_MONTHS = 1_300
#: Most times a pause or a reschedule may be allowed per case (as many as there are days).
MAX_TIMES = MAX_DAYS
#: Longest start of a working day (đầu giờ) a same-day rule may set: a whole day, in minutes.
MAX_OPENING_MINUTES = 24 * 60

# Packs a procedure may name without the document defining them, and that a pack read back
# equal to them is (hosts compare packs by identity too).
_BUILT_IN_PACKS: tuple[RulePack, ...] = (*NATIONAL_PACKS, INTERNAL_PRACTICE)
# What an apology must give: the engine always requires both (a reason and a new due date),
# so a pack may write them but not change them.
_REQUIRES: tuple[str, ...] = RescheduleRule(citation="-").requires

# Budgets as the document writes them. A number (at most 6 digits a part), one space and a
# unit, or one of the two same-day texts; where only some kinds make sense, a narrower
# pattern. The schema has the same patterns.
_NUMBER = r"[0-9]{1,6}(?:[.,][0-9]{1,6}|/[0-9]{1,6})?"
_WHOLE = r"[0-9]{1,6}"
_SAME_DAY = r"trong ngày làm việc|trong ngày làm việc hoặc ngày làm việc tiếp theo"
_BUDGET = re.compile(
    rf"{_NUMBER} "
    r"(?:ngày làm việc|giờ làm việc|ngày|tháng|working days?|working hours?|days?|months?)"
    rf"|{_SAME_DAY}"
)
# A pause window: whole working days.
_WINDOW = re.compile(rf"{_WHOLE} (?:ngày làm việc|working days?)")
# A forwarding budget: working time, or the same working day.
_FORWARDING = re.compile(
    rf"{_NUMBER} (?:ngày làm việc|giờ làm việc|working days?|working hours?)|{_SAME_DAY}"
)
# A closure period: whole calendar days.
_CLOSURE = re.compile(rf"{_WHOLE} (?:ngày|days?)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]")
_DOCUMENT = "(document)"


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the catalog format, as shipped in the package."""
    text = resources.files("tthc_flow.catalog").joinpath("catalog.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _beyond(budget: Budget) -> str | None:
    """Why ``budget`` is longer than the calendar can hold, or None."""
    if isinstance(budget, (WorkingDays, CalendarDays)) and budget.days > MAX_DAYS:
        count = f"more than {MAX_DAYS:,} days"
    elif isinstance(budget, WorkingHours) and budget.hours > MAX_WORKING_HOURS:
        count = f"more than {MAX_WORKING_HOURS:,} working hours"
    elif isinstance(budget, Months) and budget.months > MAX_MONTHS:
        count = f"more than {MAX_MONTHS:,} months"
    else:
        return None
    return (
        f"{count}, longer than the years the calendar covers ({FIRST_YEAR}–{LAST_YEAR}); "
        "write the budget the procedure publishes"
    )


def _kind(value: Any) -> str:
    """``value`` as a person reading the JSON sees it, for error messages."""
    if value is None:
        return "null"
    if type(value) is bool:
        return f"the boolean {'true' if value else 'false'}"
    if type(value) in (int, float):
        return f"the number {value!r}"
    if type(value) is str:
        shown = value if len(value) <= 60 else f"{value[:60]}…"
        return f"the text {shown!r}"
    if type(value) in (list, tuple):
        return f"an array of {len(value)} item(s)"
    if type(value) is dict:
        return "an object"
    return f"a {type(value).__name__}"


# ---------------------------------------------------------------------------- writing


def _written(where: str, message: str) -> TthcFlowError:
    return CatalogFormatError(message, path=where)


def _name(value: Any, path: str) -> Any:
    """A name as written: refused (naming ``path``) when the reader would read it back as a
    different name (not in Unicode NFC) or not at all (a control character)."""
    if plain_name(value):
        return value  # the common case, decided in C
    read = name_text(value, path, error=_written)
    if read != value:
        raise CatalogFormatError(
            f"the name {value!r} is not in Unicode NFC, so it would read back as a different "
            "name; write it in NFC (unicodedata.normalize('NFC', name)).",
            path=path,
        )
    return value


def _names(values: Any, path: str) -> list[Any]:
    return [_name(value, f"{path}[{number}]") for number, value in enumerate(values)]


def _count(value: int | None, path: str, low: int, high: int) -> int | None:
    """A count as written, refused (naming ``path``) when the reader would refuse it."""
    if value is None:
        return None
    if type(value) is not int or not low <= value <= high:
        raise CatalogFormatError(
            f"the count {value!r} is not a whole number from {low} to {high:,}, so it would not "
            "read back; give one within the calendar's years.",
            path=path,
        )
    return value


def _budget(budget: Budget | None, path: str, pattern: re.Pattern[str] = _BUDGET) -> str | None:
    """A budget's published label, refused (naming ``path``) when reading it back would not
    give the same budget: a sum of budgets, a same-day budget already bound to a rule (the
    engine binds it to the pack's rule), a kind this place of the document does not hold,
    or a count longer than the calendar holds."""
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
            hint = (
                "this part of the document does not hold a budget of that kind (a number is "
                "written with at most 6 digits a part)."
            )
        raise CatalogFormatError(
            f"the budget {budget!r} (published as {label!r}) would not read back the same; {hint}",
            path=path,
        )
    beyond = _beyond(budget)
    if beyond is not None:
        raise CatalogFormatError(f"the budget {label!r} is {beyond}.", path=path)
    return label


def _day(value: date | None, path: str) -> str | None:
    if value is None:
        return None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise CatalogFormatError(
            f"the date {value.isoformat()} is outside the years the calendar covers "
            f"({FIRST_YEAR}–{LAST_YEAR}), so it would not read back.",
            path=path,
        )
    return value.isoformat()


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
        "code": _name(rule.code, f"{path}/code"),
        "name": _name(rule.name, f"{path}/name"),
        "name_en": _name(rule.name_en, f"{path}/name_en"),
        "citation": rule.citation,
        "legal": rule.legal.name,
        "indicator": rule.indicator.name,
        "step": rule.step.name,
        "max_times": _count(rule.max_times, f"{path}/max_times", 0, MAX_TIMES),
        "window": _budget(rule.window, f"{path}/window", _WINDOW),
        "invokers": sorted(i.name for i in rule.invokers),
        "evidence": list(rule.evidence),
        "declared_only": rule.declared_only,
        "allowed": rule.allowed,
        "per_stage": rule.per_stage,
        "online_check": _budget(rule.online_check, f"{path}/online_check"),
    }


def _reschedule(rule: RescheduleRule, path: str) -> dict[str, Any]:
    if tuple(rule.requires) != _REQUIRES:
        raise CatalogFormatError(
            f"requires {rule.requires!r}, but the engine always requires an apology to give "
            f"{' and '.join(_REQUIRES)}: a pack cannot change that, so the document cannot say "
            "otherwise. Leave RescheduleRule.requires at its default.",
            path=f"{path}/requires",
        )
    return {
        "citation": rule.citation,
        "max_times": _count(rule.max_times, f"{path}/max_times", 0, MAX_TIMES),
        "days_before_due": _count(rule.days_before_due, f"{path}/days_before_due", 0, MAX_DAYS),
        "by_delaying_unit": rule.by_delaying_unit,
        "holder_asks": rule.holder_asks,
        "desk_asks": rule.desk_asks,
        "requires": list(_REQUIRES),
    }


def _pack(pack: RulePack, path: str) -> dict[str, Any]:
    same_day = pack.same_day
    closure, forwarding = pack.closure, pack.forwarding
    return {
        "name": _name(pack.name, f"{path}/name"),
        "citation": pack.citation,
        "effective_from": _day(pack.effective_from, f"{path}/effective_from"),
        "effective_until": _day(pack.effective_until, f"{path}/effective_until"),
        "supplement": _name(pack.supplement, f"{path}/supplement"),
        "reasons": [
            _pause_rule(rule, f"{path}/reasons[{number}]")
            for number, rule in enumerate(pack.reasons.values())
        ],
        "reschedule": _reschedule(pack.reschedule, f"{path}/reschedule"),
        "same_day": {
            "cutoff": _time(same_day.cutoff, f"{path}/same_day/cutoff"),
            "opening_minutes": _count(
                same_day.opening_minutes, f"{path}/same_day/opening_minutes", 1, MAX_OPENING_MINUTES
            ),
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
            "paper_only": forwarding.paper_only,
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
        "key": _name(step.key, f"{path}/key"),
        "name": _name(step.name, f"{path}/name"),
        "unit": _name(step.unit, f"{path}/unit"),
        "budget": _budget(step.budget, f"{path}/budget"),
    }
    if step.role is not None:
        record["role"] = _name(step.role, f"{path}/role")
    optional = {
        "next": _names(step.next, f"{path}/next"),
        "back": _names(step.back, f"{path}/back"),
        "branches": {
            _name(label, f"{path}/branches"): _name(target, f"{path}/branches/{label}")
            for label, target in step.branches.items()
        },
        "reception": step.reception,
        "returns": step.returns,
        "consults": {
            _name(unit, f"{path}/consults"): _budget(budget, f"{path}/consults/{unit}")
            for unit, budget in step.consults.items()
        },
        "fork": _names(step.fork, f"{path}/fork"),
    }
    record.update({k: v for k, v in optional.items() if v})  # empty lists, False: the default
    return record


def _procedure(publication: Publication, path: str) -> dict[str, Any]:
    procedure = publication.procedure
    decision = publication.decision
    return {
        "code": _name(procedure.code, f"{path}/code"),
        "name": _name(procedure.name, f"{path}/name"),
        "version": _name(procedure.version, f"{path}/version"),
        "kind": procedure.kind.name,
        "total": _budget(procedure.total, f"{path}/total"),
        "agency": _name(procedure.agency, f"{path}/agency"),
        "legal_basis": list(procedure.legal_basis),
        "effective_from": _day(procedure.effective_from, f"{path}/effective_from"),
        "effective_until": _day(procedure.effective_until, f"{path}/effective_until"),
        "rules": [pack.name for pack in procedure.rules],
        "pauses": _names(sorted(procedure.pauses), f"{path}/pauses"),
        "budget_policy": procedure.budget_policy.name,
        "zero_budget": procedure.zero_budget.name,
        **(
            {"orders": {
                _name(channel, f"{path}/orders"): order.name
                for channel, order in procedure.orders.items()
            }}
            if procedure.orders
            else {}
        ),
        "adjustments": [
            {
                "name": _name(a.name, f"{path}/adjustments[{number}]/name"),
                "extra": _budget(a.extra, f"{path}/adjustments[{number}]/extra"),
                "when": dict(a.when),
                "citation": a.citation,
                "step": None
                if a.step is None
                else _name(a.step, f"{path}/adjustments[{number}]/step"),
            }
            for number, a in enumerate(procedure.adjustments)
        ],
        "steps": [
            _step(step, f"{path}/steps[{number}]") for number, step in enumerate(procedure.steps)
        ],
        "decision": None
        if decision is None
        else {
            "number": _name(decision.number, f"{path}/decision/number"),
            "date": _day(decision.date, f"{path}/decision/date"),
            "issuer": _name(decision.issuer, f"{path}/decision/issuer"),
        },
        "review_by": _day(publication.review_by, f"{path}/review_by"),
    }


def catalog_to_dict(catalog: Catalog) -> dict[str, Any]:
    """The catalog as JSON-ready data in format version :data:`FORMAT_VERSION`; a
    :class:`~tthc_flow.errors.CatalogFormatError` names any part that would not read back
    the same."""
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
        "name": _name(catalog.name, "name"),
        "issuer": _name(catalog.issuer, "issuer"),
        "units": [
            {
                "name": _name(u.name, f"units[{number}]/name"),
                "level": _name(u.level, f"units[{number}]/level"),
                **({"parent": _name(u.parent, f"units[{number}]/parent")} if u.parent else {}),
            }
            for number, u in enumerate(catalog.units.values())
        ],
        "rule_packs": [
            _pack(pack, f"rule_packs[{number}]") for number, pack in enumerate(packs.values())
        ],
        "procedures": [
            _procedure(p, f"procedures[{number}]") for number, p in enumerate(catalog.publications)
        ],
    }


def catalog_to_json(catalog: Catalog, *, indent: int | None = 2) -> str:
    """The catalog as JSON text (UTF-8, Vietnamese kept as is), checked as
    :func:`catalog_from_json` reads it (no control character outside tab and line breaks, no
    lone surrogate, in any text)."""
    return dumps(catalog_to_dict(catalog), "", _json_error, indent=indent) + "\n"


# ---------------------------------------------------------------------------- reading


def _json_error(where: str, message: str) -> TthcFlowError:
    """The shared strict reader's refusal as a catalog error: its path ``.a[0].b`` (from the
    document ``""``) written as the reader writes paths, ``a[0]/b``."""
    path = where.removeprefix(".").replace(".", "/")
    return CatalogFormatError(
        f"{'the value' if path else 'the document'} {message}", path=path or _DOCUMENT
    )


class _Lenient(list[Any]):
    """An object's pairs, duplicates kept, as :func:`_locate` reads them."""


class _Number(str):
    """A number's text, unread, as :func:`_locate` reads it."""


def _number_problem(text: str) -> str | None:
    """What the strict reader says of one number's text, or None if it takes it."""
    said: list[str] = []

    def keep(_where: str, message: str) -> TthcFlowError:
        said.append(message)
        return CatalogFormatError(message)

    try:
        loads(text, "", keep)
    except CatalogFormatError:
        return said[0]
    return None


def _shown(key: str) -> str:
    """A key as a path shows it: escaped if it holds what a terminal would act on."""
    return key if key.isprintable() else ascii(key)[1:-1]


def _locate(text: str | bytes) -> CatalogFormatError | None:
    """The first key written twice, or number the strict reader refuses, in ``text``, with
    its path: the strict reader refuses them while parsing, before any path is known."""
    try:
        if isinstance(text, (bytes, bytearray)):
            text = bytes(text).decode("utf-8")
        tree = json.loads(
            text,
            object_pairs_hook=_Lenient,
            parse_int=_Number,
            parse_float=_Number,
            parse_constant=_Number,
        )
    except (ValueError, RecursionError, TypeError):
        return None
    stack: list[tuple[Any, str]] = [(tree, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _Lenient):
            seen: set[str] = set()
            for key, _ in node:
                if key in seen:
                    return CatalogFormatError(
                        f"the key {key!r} is written twice in one object; JSON readers "
                        "disagree on which to keep, so keep one.",
                        path=f"{path}/{_shown(key)}".removeprefix("/"),
                    )
                seen.add(key)
            stack.extend((child, f"{path}/{_shown(key)}") for key, child in reversed(node))
        elif isinstance(node, list):
            stack.extend((node[n], f"{path}[{n}]") for n in reversed(range(len(node))))
        elif isinstance(node, _Number):
            problem = _number_problem(str(node))
            if problem is not None:
                fix = "" if "write" in problem else "; write the number the field means"
                return CatalogFormatError(
                    f"{problem}{fix}.",
                    path=path.removeprefix("/") or _DOCUMENT,
                )
    return None


# A required key, in the readers' signatures; _ABSENT: a key not in the record.
_REQUIRED: Any = object()
_ABSENT: Any = object()


class _Reader:
    """Reads one document strictly, as the schema says, keeping the path of what it reads
    for error messages: an unknown key or a value of the wrong kind is an error, never
    ignored (a misspelt ``effective_untill`` must not silently mean "no end"). Values have
    been through :func:`~tthc_flow.codec.walk_json`: only JSON types, texts checked."""

    def __init__(self) -> None:
        self.path: list[str] = []
        self.version = FORMAT_VERSION
        # Budget texts read and accepted under the common pattern: a catalog writes the same
        # few ("5 ngày làm việc") thousands of times, and a budget is an immutable value.
        self._budgets: dict[str, Budget] = {}

    def where(self, key: str | None = None) -> str:
        parts = self.path if key is None else [*self.path, key]
        return "/".join(parts) or _DOCUMENT

    def fail(self, message: str, key: str | None = None) -> CatalogFormatError:
        """An error at the current part (or at its ``key``)."""
        return CatalogFormatError(message, path=self.where(key))

    @contextmanager
    def at(self, part: str) -> Iterator[None]:
        """Read inside ``part`` (a key, or ``key[n]``) of the current part."""
        self.path.append(part)
        try:
            yield
        finally:
            self.path.pop()

    def obj(
        self, value: Any, allowed: frozenset[str], required: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """``value``, the current part, as an object of ``allowed`` keys holding every
        ``required`` one."""
        if type(value) is not dict:
            raise self.fail(f"must be an object {{...}}, got {_kind(value)}.")
        keys = value.keys()
        if keys <= allowed and keys >= required:  # the common case, decided in C
            return value
        unknown = sorted(k for k in value if k not in allowed)
        if unknown:
            raise self.fail(
                f"unknown key(s) {', '.join(map(repr, unknown))}; expected among "
                f"{', '.join(sorted(allowed))}. Check the spelling, or remove it.",
                unknown[0],
            )
        missing = sorted(required.difference(value))
        raise self.fail(f"missing {missing[0]!r}; add it.", missing[0])

    def _get(self, record: dict[str, Any], key: str, default: Any) -> Any:
        if key in record:
            return record[key]
        if default is _REQUIRED:
            raise self.fail(f"missing {key!r}; add it.", key)
        return _ABSENT

    def _errors(self, key: str) -> Callable[[str, str], TthcFlowError]:
        def error(where: str, message: str) -> TthcFlowError:
            return CatalogFormatError(f"{key!r} {message}", path=where)

        return error

    def value_text(
        self, value: Any, key: str, *, name: bool, free: bool, blank: bool, null: bool
    ) -> Any:
        if value is None:
            if null:
                return None
            raise self.fail(f"{key!r} must be a text, got null; write the text.", key)
        if (
            type(value) is str
            and value.isprintable()
            and value.strip()
            and (not name or value.isascii() or unicodedata.is_normalized("NFC", value))
        ):
            return value  # the common case, decided in C: nothing more to check
        where, error = self.where(key), self._errors(key)
        if name:
            text = name_text(value, where, error=error)
        else:
            text = check_text(value, where, free=free, error=error)
        if not blank and not text.strip():
            raise self.fail(f"{key!r} must not be empty or blank; write the text.", key)
        return text

    def name(self, record: dict[str, Any], key: str) -> str:
        """A required name (the key is known present: :meth:`obj` checked it)."""
        text: str = self.value_text(
            record[key], key, name=True, free=False, blank=False, null=False
        )
        return text

    def text(
        self, record: dict[str, Any], key: str, default: Any = _REQUIRED, *,
        name: bool = False, free: bool = False, blank: bool = False, null: bool = False,
    ) -> Any:  # fmt: skip
        """A text: a name (in NFC, on one line) when ``name``, free text (tab and line
        breaks allowed) when ``free``; ``""`` only when ``blank``, null only when ``null``;
        ``default`` when the key is missing."""
        value = self._get(record, key, default)
        if value is _ABSENT:
            return default
        return self.value_text(value, key, name=name, free=free, blank=blank, null=null)

    def texts(
        self, record: dict[str, Any], key: str, default: Any = _REQUIRED, *,
        name: bool = False, free: bool = False, at_least: int = 0,
    ) -> tuple[str, ...]:  # fmt: skip
        values = self.array(record, key, _ABSENT if default is not _REQUIRED else default,
                            at_least=at_least)  # fmt: skip
        if values is _ABSENT:
            return tuple(default)
        return tuple(
            self.value_text(item, f"{key}[{n}]", name=name, free=free, blank=False, null=False)
            for n, item in enumerate(values)
        )

    def array(
        self, record: dict[str, Any], key: str, default: Any = _REQUIRED, *, at_least: int = 0
    ) -> Any:
        value = self._get(record, key, default)
        if value is _ABSENT:
            return default
        if type(value) not in (list, tuple):
            raise self.fail(
                f"{key!r} must be an array [...], got {_kind(value)}; write [] for none, or "
                'put one item in brackets, e.g. ["…"].',
                key,
            )
        if len(value) < at_least:
            raise self.fail(f"{key!r} must hold at least {at_least} item(s).", key)
        return value

    def each(
        self, record: dict[str, Any], key: str, default: Any = _REQUIRED, *, at_least: int = 0
    ) -> Iterator[Any]:
        """The items of the array at ``key``, each read inside ``key[n]``."""
        path = self.path
        for number, item in enumerate(self.array(record, key, default, at_least=at_least)):
            path.append(f"{key}[{number}]")
            try:
                yield item
            finally:
                path.pop()

    def integer(
        self, record: dict[str, Any], key: str, default: Any = _REQUIRED, *,
        low: int = 0, high: int, null: bool = False,
    ) -> Any:  # fmt: skip
        """A whole number from ``low`` to ``high``: ``true`` is not a number; ``2.0`` is the
        integer 2, as JSON Schema reads it."""
        value = self._get(record, key, default)
        if value is _ABSENT:
            return default
        if value is None and null:
            return None
        if type(value) is float and value.is_integer():
            value = int(value)
        if type(value) is not int or not low <= value <= high:
            why = (
                f", longer than the calendar's years ({FIRST_YEAR}–{LAST_YEAR}) could count"
                if type(value) is int and value > high
                else ""
            )
            raise self.fail(
                f"{key!r} must be a whole number from {low} to {high:,}"
                f"{' or null' if null else ''}, got {_kind(value)}{why}.",
                key,
            )
        return value

    def boolean(self, record: dict[str, Any], key: str, default: Any = _REQUIRED) -> Any:
        value = self._get(record, key, default)
        if value is _ABSENT:
            return default
        if type(value) is not bool:
            raise self.fail(f"{key!r} must be true or false, got {_kind(value)}.", key)
        return value

    def _member(self, value: Any, key: str, kind: Any) -> Any:
        if type(value) is not str or value not in kind.__members__:
            known = ", ".join(kind.__members__)
            raise self.fail(f"{key!r} must be one of {known}, got {_kind(value)}.", key)
        return kind[value]

    def enum(self, record: dict[str, Any], key: str, kind: Any, default: Any = _REQUIRED) -> Any:
        value = self._get(record, key, default)
        if value is _ABSENT:
            return default
        return self._member(value, key, kind)

    def enums(self, record: dict[str, Any], key: str, kind: Any, default: Any) -> list[Any]:
        values = self.array(record, key, _ABSENT)
        if values is _ABSENT:
            return list(default)
        return [self._member(item, f"{key}[{n}]", kind) for n, item in enumerate(values)]

    def day(
        self, record: dict[str, Any], key: str, default: Any = _REQUIRED, *, null: bool = False
    ) -> Any:
        """A date YYYY-MM-DD within the years the calendar covers."""
        value = self._get(record, key, default)
        if value is _ABSENT:
            return default
        if value is None and null:
            return None
        if type(value) is not str or _DATE.fullmatch(value) is None:
            raise self.fail(
                f"{key!r} must be a date YYYY-MM-DD{' or null' if null else ''}, got "
                f"{_kind(value)}.",
                key,
            )
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise self.fail(
                f"{key!r} must be a date YYYY-MM-DD, got {value!r}, which is not a day of the "
                "calendar.",
                key,
            ) from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise self.fail(
                f"{key!r} is {value}, outside the years the calendar covers "
                f"({FIRST_YEAR}–{LAST_YEAR}); write a date within them.",
                key,
            )
        return day

    def budget(
        self,
        record: dict[str, Any],
        key: str,
        default: Any = _REQUIRED,
        *,
        null: bool = False,
        pattern: re.Pattern[str] = _BUDGET,
        expected: str = (
            "a number and a unit as procedures publish them, e.g. '10 ngày làm việc', "
            "'0.5 ngày làm việc', '4 giờ làm việc', '30 ngày', '3 tháng', or "
            "'trong ngày làm việc'"
        ),
    ) -> Any:
        value = self._get(record, key, default)
        if value is _ABSENT:
            return default
        if value is None and null:
            return None
        common = pattern is _BUDGET
        if common and type(value) is str:
            known = self._budgets.get(value)
            if known is not None:
                return known
        if type(value) is not str or pattern.fullmatch(value) is None:
            if (
                type(value) is str
                and not unicodedata.is_normalized("NFC", value)
                and pattern.fullmatch(unicodedata.normalize("NFC", value)) is not None
            ):
                # It looks right and is not: its accents are separate characters.
                raise self.fail(
                    f"{key!r} is {value!r} with its accents written as separate characters "
                    "(Unicode NFD); write it composed (NFC), as catalog_to_json does.", key
                )  # fmt: skip
            raise self.fail(f"{key!r} is {_kind(value)}; write {expected}.", key)
        try:
            budget = parse_budget(value)
        except TthcFlowError as error:
            raise self.fail(str(error), key) from None
        beyond = _beyond(budget)
        if beyond is not None:
            raise self.fail(f"{key!r} is {value!r}: {beyond}.", key)
        if common:
            self._budgets[value] = budget
        return budget

    def time_of_day(self, record: dict[str, Any], key: str) -> time | None:
        """A local time of day written ``"HH:MM"``, or null; the key must be present."""
        if key not in record:
            raise self.fail(f"missing {key!r} (write null for none).", key)
        text = record[key]
        if text is None:
            return None
        if type(text) is not str or _TIME.fullmatch(text) is None:
            raise self.fail(
                f"{key!r} must be a time of day HH:MM (00:00 to 23:59) or null, got "
                f"{_kind(text)}.",
                key,
            )
        return time(int(text[:2]), int(text[3:]))

    @contextmanager
    def optional(
        self, record: dict[str, Any], key: str, allowed: frozenset[str],
        required: frozenset[str] = frozenset(),
    ) -> Iterator[dict[str, Any] | None]:  # fmt: skip
        """The object at ``key`` (checked), read inside ``key``; None when missing or
        null."""
        value = record.get(key)
        if value is None:
            yield None
            return
        with self.at(key):
            yield self.obj(value, allowed, required)

    def guarded(self, build: Callable[[], T]) -> T:
        """Build a value, turning the library's own refusal into an error at this path."""
        try:
            return build()
        except CatalogFormatError:
            raise
        except TthcFlowError as error:
            raise self.fail(str(error)) from error


def _keys(*names: str) -> frozenset[str]:
    return frozenset(names)


_RULE_KEYS = _keys(
    "code", "name", "name_en", "citation", "legal", "indicator", "step", "max_times", "window",
    "invokers", "evidence", "declared_only", "allowed", "per_stage", "online_check",
)  # fmt: skip
_RULE_REQUIRED = _keys("code", "name", "name_en", "citation")
# Keys of a pack that format version 1 did not have.
_PACK_KEYS_2 = _keys(
    "same_day", "late_receipt_next_day", "closure", "forwarding", "stop", "refusal"
)
_PACK_KEYS = _keys(
    "name", "citation", "effective_from", "effective_until", "supplement", "reasons",
    "reschedule",
) | _PACK_KEYS_2  # fmt: skip
_PACK_REQUIRED = _keys("name", "citation", "effective_from", "reasons", "reschedule")
_SAME_DAY_KEYS = _keys("cutoff", "opening_minutes", "citation")
_SAME_DAY_REQUIRED = _keys("cutoff", "opening_minutes")
_CLOSURE_KEYS = _keys("after", "citation")
_FORWARDING_KEYS = _keys("budget", "citation", "attribute", "paper_only")
_FORWARDING_REQUIRED = _keys("budget", "citation")
_STOP_KEYS = _keys("citation", "before_decision")
_REFUSAL_KEYS = _keys("citation", "within_time")
_CITATION = _keys("citation")
_RESCHEDULE_KEYS = _keys(
    "citation", "max_times", "days_before_due", "by_delaying_unit", "holder_asks", "desk_asks",
    "requires",
)
_STEP_KEYS = _keys(
    "key", "name", "unit", "budget", "role", "next", "back", "branches", "reception", "returns",
    "consults", "fork",
)
_STEP_REQUIRED = _keys("key", "name", "unit", "budget")
_ADJUSTMENT_KEYS = _keys("name", "extra", "when", "citation", "step")
_ADJUSTMENT_REQUIRED = _keys("name", "extra", "when", "citation")
_DECISION_KEYS = _keys("number", "date", "issuer")
_PROCEDURE_KEYS = _keys(
    "code", "name", "version", "kind", "total", "agency", "legal_basis", "effective_from",
    "effective_until", "rules", "pauses", "budget_policy", "zero_budget", "orders",
    "adjustments", "steps", "decision", "review_by",
)  # fmt: skip
_PROCEDURE_REQUIRED = _keys("code", "name", "version", "kind", "total", "steps")
_UNIT_KEYS = _keys("name", "level", "parent")
_UNIT_REQUIRED = _keys("name", "level")
_DOCUMENT_KEYS = _keys(
    "$schema", "format", "format_version", "name", "issuer", "units", "rule_packs",
    "procedures",
)  # fmt: skip
_DOCUMENT_REQUIRED = _keys("format", "format_version", "name", "issuer", "units", "procedures")


def _read_rule(r: _Reader, record: Any) -> PauseRule:
    r.obj(record, _RULE_KEYS, _RULE_REQUIRED)
    window = r.budget(
        record, "window", None, null=True, pattern=_WINDOW,
        expected="a whole number of working days, e.g. '3 ngày làm việc'",
    )  # fmt: skip
    if window is not None and not isinstance(window, WorkingDays):
        raise r.fail("'window' is counted in working days, e.g. '3 ngày làm việc'.", "window")
    fields: dict[str, Any] = {
        "code": r.text(record, "code", name=True),
        "name": r.text(record, "name", name=True),
        "name_en": r.text(record, "name_en", name=True),
        "citation": r.text(record, "citation", free=True),
        "legal": r.enum(record, "legal", Effect, Effect.PAUSE),
        "indicator": r.enum(record, "indicator", Effect, Effect.PAUSE),
        "step": r.enum(record, "step", Effect, Effect.PAUSE),
        "max_times": r.integer(record, "max_times", None, high=MAX_TIMES, null=True),
        "window": window,
        "invokers": frozenset(r.enums(record, "invokers", Invoker, [Invoker.STEP_UNIT])),
        "evidence": r.texts(record, "evidence", (), free=True),
        "declared_only": r.boolean(record, "declared_only", False),
        "allowed": r.boolean(record, "allowed", True),
        "per_stage": r.boolean(record, "per_stage", False),
        "online_check": _read_online_check(r, record),
    }
    return r.guarded(lambda: PauseRule(**fields))


def _read_online_check(r: _Reader, record: dict[str, Any]) -> WorkingBudget | None:
    check = r.budget(
        record, "online_check", None, null=True,
        expected="an amount of working time, e.g. '8 giờ làm việc'",
    )  # fmt: skip
    if check is not None and not isinstance(check, WorkingBudget):
        raise r.fail("'online_check' is working time, e.g. '8 giờ làm việc'.", "online_check")
    return check


def _read_reschedule(r: _Reader, record: dict[str, Any]) -> RescheduleRule:
    with r.at("reschedule"):
        rule = r.obj(record["reschedule"], _RESCHEDULE_KEYS, _CITATION)
        requires = r.texts(rule, "requires", _REQUIRES)
        if requires != _REQUIRES:
            raise r.fail(
                f"'requires' must be {list(_REQUIRES)!r}, got {list(requires)!r}: the engine "
                "always requires an apology to give a reason and a new due date, and a pack "
                "cannot change that. Leave the key out.",
                "requires",
            )
        fields: dict[str, Any] = {
            "citation": r.text(rule, "citation", free=True),
            "max_times": r.integer(rule, "max_times", 1, high=MAX_TIMES),
            "days_before_due": r.integer(rule, "days_before_due", 1, high=MAX_DAYS),
            "by_delaying_unit": r.boolean(rule, "by_delaying_unit", True),
            "holder_asks": r.boolean(rule, "holder_asks", False),
            "desk_asks": r.boolean(rule, "desk_asks", True),
            "requires": _REQUIRES,
        }
        return r.guarded(lambda: RescheduleRule(**fields))


def _read_pack(r: _Reader, record: Any) -> RulePack:
    r.obj(record, _PACK_KEYS, _PACK_REQUIRED)
    reasons = [_read_rule(r, item) for item in r.each(record, "reasons")]
    fields: dict[str, Any] = {
        "name": r.text(record, "name", name=True),
        "citation": r.text(record, "citation", free=True),
        "effective_from": r.day(record, "effective_from"),
        "effective_until": r.day(record, "effective_until", None, null=True),
        "reasons": reasons,
        "reschedule": _read_reschedule(r, record),
        "supplement": r.text(record, "supplement", "supplement", name=True),
        "late_receipt_next_day": r.boolean(record, "late_receipt_next_day", False),
    }
    if "same_day" in record:
        fields["same_day"] = _read_same_day(r, record)
    fields["closure"] = _read_closure(r, record)
    fields["forwarding"] = _read_forwarding(r, record)
    with r.optional(record, "stop", _STOP_KEYS, _CITATION) as stop:
        if stop is not None:
            fields["stop"] = StopRule(
                citation=r.text(stop, "citation", free=True),
                before_decision=r.boolean(stop, "before_decision", True),
            )
    with r.optional(record, "refusal", _REFUSAL_KEYS, _CITATION) as refusal:
        if refusal is not None:
            fields["refusal"] = RefusalRule(
                citation=r.text(refusal, "citation", free=True),
                within_time=r.boolean(refusal, "within_time", True),
            )
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


def _read_same_day(r: _Reader, record: dict[str, Any]) -> SameDayRule:
    with r.at("same_day"):
        rule = r.obj(record["same_day"], _SAME_DAY_KEYS, _SAME_DAY_REQUIRED)
        opening = r.integer(rule, "opening_minutes", low=1, high=MAX_OPENING_MINUTES)
        citation = r.text(rule, "citation", "", free=True, blank=True)
        cutoff = r.time_of_day(rule, "cutoff")
        return r.guarded(
            lambda: SameDayRule(cutoff=cutoff, opening_minutes=opening, citation=citation)
        )


def _read_closure(r: _Reader, record: dict[str, Any]) -> ClosureRule | None:
    with r.optional(record, "closure", _CLOSURE_KEYS, _CLOSURE_KEYS) as closure:
        if closure is None:
            return None
        after = r.budget(
            closure, "after", pattern=_CLOSURE,
            expected="a whole number of calendar days, e.g. '15 ngày'",
        )  # fmt: skip
        if not isinstance(after, CalendarDays):
            raise r.fail("'after' is counted in calendar days, e.g. '15 ngày'.", "after")
        citation = r.text(closure, "citation", free=True)
        return r.guarded(lambda: ClosureRule(after=after, citation=citation))


def _read_forwarding(r: _Reader, record: dict[str, Any]) -> ForwardingRule | None:
    with r.optional(record, "forwarding", _FORWARDING_KEYS, _FORWARDING_REQUIRED) as forwarding:
        if forwarding is None:
            return None
        # The pattern admits working time (WorkingDays, WorkingHours) and SameWorkingDay only.
        fields: dict[str, Any] = {
            "budget": r.budget(
                forwarding,
                "budget",
                pattern=_FORWARDING,
                expected="working time or the same working day, e.g. '1 ngày làm việc', "
                "'4 giờ làm việc' or 'trong ngày làm việc'",
            ),
            "citation": r.text(forwarding, "citation", free=True),
            "attribute": r.text(forwarding, "attribute", "outside_home_area"),
            "paper_only": r.boolean(forwarding, "paper_only", False),
        }
        return r.guarded(lambda: ForwardingRule(**fields))


def _read_named(
    r: _Reader, record: dict[str, Any], key: str, what: str, twice: str, once: str,
    value: Callable[[dict[str, Any], str], Any],
) -> dict[str, Any]:  # fmt: skip
    """An object keyed by names (read in NFC, each once), its values read by
    ``value(object, key)``; ``{}`` when absent. ``what`` says what the object holds, ``twice``
    (a format of ``{name}``) what a repeated name means, and ``once`` what to do instead."""
    if key not in record:
        return {}
    found = record[key]
    with r.at(key):
        if type(found) is not dict:
            raise r.fail(f"must be an object of {what}, got {_kind(found)}.")
        read: dict[str, Any] = {}
        for label in found:
            name = r.value_text(label, label, name=True, free=False, blank=False, null=False)
            if name in read:
                raise r.fail(
                    twice.format(name=repr(name))
                    + f" (the same name in Unicode NFC); {once}.",
                    label,
                )
            read[name] = value(found, label)
        return read


def _read_branches(r: _Reader, record: dict[str, Any]) -> dict[str, str]:
    return _read_named(
        r, record, "branches", "branch names and step keys",
        "two branches are named {name}", "name each branch once",
        lambda found, label: r.value_text(
            found[label], label, name=True, free=False, blank=False, null=False
        ),
    )  # fmt: skip


def _read_step(r: _Reader, record: Any) -> Step:
    r.obj(record, _STEP_KEYS, _STEP_REQUIRED)
    # A catalog holds many steps: the optional keys a step leaves out are not looked up one
    # reader call at a time (what is absent takes the Step's own default).
    fields: dict[str, Any] = {
        "key": r.name(record, "key"),
        "name": r.name(record, "name"),
        "unit": r.name(record, "unit"),
        "budget": r.budget(record, "budget"),
    }
    # In the order of the step's fields, so that of two faults the first is reported.
    if "role" in record:
        fields["role"] = r.text(record, "role", None, name=True)
    for key in ("next", "back"):
        if key in record:
            fields[key] = r.texts(record, key, (), name=True)
    if "branches" in record:
        fields["branches"] = _read_branches(r, record)
    for key in ("reception", "returns"):
        if key in record:
            fields[key] = r.boolean(record, key, False)
    if "consults" in record:
        fields["consults"] = _read_consults(r, record)
    if "fork" in record:
        fields["fork"] = r.texts(record, "fork", (), name=True)
    return r.guarded(partial(Step, **fields))


def _read_consults(r: _Reader, record: dict[str, Any]) -> dict[str, Any]:
    """The units a step consults and the time each has to answer (Decree 118/2025
    Art. 19(4)): an object of unit names and budgets."""
    return _read_named(
        r, record, "consults", "unit names and answer budgets",
        "{name} is consulted twice", "name each unit once", r.budget,
    )


def _read_orders(r: _Reader, record: dict[str, Any]) -> dict[str, Any]:
    """The order of each channel (Decree 118/2025 Art. 20(2)): an object of channel names
    and ``PARALLEL`` or ``SEQUENTIAL``."""
    return _read_named(
        r, record, "orders", "channels and orders (PARALLEL or SEQUENTIAL)",
        "the channel {name} is given twice", "give each channel once",
        lambda found, label: r.enum(found, label, Order),
    )  # fmt: skip


def _read_when(r: _Reader, record: dict[str, Any]) -> dict[str, Any]:
    """A case's attributes and the values they must equal, kept exactly as written (they
    are compared with what systems send): texts, numbers, booleans or null."""
    when = record["when"]
    with r.at("when"):
        if type(when) is not dict:
            raise r.fail(f"must be an object of case attributes and values, got {_kind(when)}.")
        for key, value in when.items():
            if value is not None and type(value) not in (str, int, float, bool):
                raise r.fail(
                    f"{key!r} must be a text, a number, true, false or null, got "
                    f"{_kind(value)}.",
                    key,
                )
        return dict(when)


def _read_adjustment(r: _Reader, record: Any) -> BudgetAdjustment:
    r.obj(record, _ADJUSTMENT_KEYS, _ADJUSTMENT_REQUIRED)
    fields: dict[str, Any] = {
        "name": r.text(record, "name", name=True),
        "extra": r.budget(record, "extra"),
        "when": _read_when(r, record),
        "citation": r.text(record, "citation", free=True),
        "step": r.text(record, "step", None, name=True, null=True),
    }
    return r.guarded(lambda: BudgetAdjustment(**fields))


def _read_decision(r: _Reader, record: dict[str, Any]) -> Decision | None:
    with r.optional(record, "decision", _DECISION_KEYS, _DECISION_KEYS) as decision:
        if decision is None:
            return None
        fields: dict[str, Any] = {
            "number": r.text(decision, "number", name=True),
            "date": r.day(decision, "date"),
            "issuer": r.text(decision, "issuer", name=True),
        }
        return r.guarded(lambda: Decision(**fields))


def _read_rules(r: _Reader, record: dict[str, Any], packs: Mapping[str, RulePack]) -> list[Any]:
    kind = r.enum(record, "kind", ProcedureKind)
    names = r.texts(record, "rules", [p.name for p in default_packs(kind)], name=True,
                    at_least=1)  # fmt: skip
    rules = []
    for number, name in enumerate(names):
        found = packs.get(name) or next((p for p in _BUILT_IN_PACKS if p.name == name), None)
        if found is None:
            known = ", ".join(p.name for p in _BUILT_IN_PACKS)
            raise r.fail(
                f"rule pack {name!r} is neither in 'rule_packs' nor a built-in pack ({known}); "
                "define it in 'rule_packs' or correct the name.",
                f"rules[{number}]",
            )
        rules.append(found)
    return rules


def _read_publication(r: _Reader, record: Any, packs: Mapping[str, RulePack]) -> Publication:
    r.obj(record, _PROCEDURE_KEYS, _PROCEDURE_REQUIRED)
    fields: dict[str, Any] = {
        "code": r.text(record, "code", name=True),
        "name": r.text(record, "name", name=True),
        "version": r.text(record, "version", name=True),
        "kind": r.enum(record, "kind", ProcedureKind),
        "total": r.budget(record, "total"),
        "rules": _read_rules(r, record, packs),
        "legal_basis": r.texts(record, "legal_basis", (), free=True),
        "adjustments": [_read_adjustment(r, item) for item in r.each(record, "adjustments", ())],
        "steps": [_read_step(r, item) for item in r.each(record, "steps", at_least=1)],
        "pauses": frozenset(r.texts(record, "pauses", (), name=True)),
        "budget_policy": r.enum(record, "budget_policy", BudgetPolicy, BudgetPolicy.EXACT),
        "zero_budget": r.enum(record, "zero_budget", ZeroBudget, ZeroBudget.SAME_DAY),
        "orders": _read_orders(r, record),
        # An agency is optional, and written as "" when absent.
        "agency": r.text(record, "agency", "", name=True, blank=True),
        "effective_until": r.day(record, "effective_until", None, null=True),
    }
    if "effective_from" in record:
        fields["effective_from"] = r.day(record, "effective_from")
    decision = _read_decision(r, record)
    review_by = r.day(record, "review_by", None, null=True)
    procedure = r.guarded(lambda: Procedure(**fields))
    return r.guarded(lambda: Publication(procedure, decision, review_by))


@contextmanager
def _bulk_construction() -> Iterator[None]:
    """The cyclic garbage collector paused while a catalog's objects are built, then set back
    as it was. A catalog is tens of thousands of small objects made at once and kept: each
    young-generation collection during the load would traverse every one of them again, so
    the load grew faster than the catalog (0.37 ms a procedure at 200, 0.54 at 20,000). The
    objects form no garbage cycles, so nothing waits longer to be freed."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_document(data: dict[str, Any]) -> Catalog:
    r = _Reader()
    r.obj(data, _DOCUMENT_KEYS, _DOCUMENT_REQUIRED)
    r.text(data, "$schema", None, free=True, blank=True)
    if data["format"] != FORMAT or type(data["format"]) is not str:
        raise r.fail(f"'format' must be {FORMAT!r}, got {_kind(data['format'])}.", "format")
    version = data["format_version"]
    if type(version) is float and version.is_integer():
        version = int(version)
    if type(version) is not int or version not in _READABLE_VERSIONS:
        readable = " and ".join(str(v) for v in _READABLE_VERSIONS)
        shown = f"format_version {version}" if type(version) is int else _kind(version)
        raise r.fail(
            f"{shown} is not supported; this library reads format versions {readable} (whole "
            "numbers). Upgrade tthc-flow, or export the catalog again.",
            "format_version",
        )
    r.version = version
    units = []
    for item in r.each(data, "units"):
        r.obj(item, _UNIT_KEYS, _UNIT_REQUIRED)
        unit_fields: dict[str, Any] = {
            "name": r.text(item, "name", name=True),
            "level": r.text(item, "level", name=True),
            "parent": r.text(item, "parent", None, name=True),
        }
        units.append(r.guarded(partial(Unit, **unit_fields)))
    packs: dict[str, RulePack] = {}
    for item in r.each(data, "rule_packs", ()):
        pack = _read_pack(r, item)
        if pack.name in packs:
            raise r.fail(
                f"a second rule pack named {pack.name!r}; pack names are unique, so rename "
                "or remove one.",
                "name",
            )
        packs[pack.name] = pack
    publications = [_read_publication(r, item, packs) for item in r.each(data, "procedures")]
    name = r.text(data, "name", name=True)
    issuer = r.text(data, "issuer", name=True)
    return r.guarded(
        lambda: Catalog(name=name, issuer=issuer, units=units, publications=publications)
    )


def catalog_from_dict(data: Mapping[str, Any]) -> Catalog:
    """A catalog from data in the JSON format, read as strictly as the schema says (and as
    :func:`catalog_from_json` reads text): only JSON types, every procedure validated as it
    is built, and errors that name the field at fault (``procedures[2]/steps[1]/budget``)."""
    if not isinstance(data, Mapping):
        raise CatalogFormatError(
            f"a catalog document is a JSON object {{...}} (a dict), got {_kind(data)}.",
            path=_DOCUMENT,
        )
    document = dict(data)
    with _bulk_construction():
        walk_json(document, "", _json_error)
        return _read_document(document)


def catalog_from_json(text: str | bytes) -> Catalog:
    """A catalog from JSON text (UTF-8; a byte order mark is allowed) written by
    :func:`catalog_to_json` or by hand, read by :func:`tthc_flow.codec.loads`."""
    if isinstance(text, (bytes, bytearray)) and bytes(text[:3]) == codecs.BOM_UTF8:
        text = bytes(text[3:])
    elif isinstance(text, str) and text.startswith("\ufeff"):
        text = text[1:]  # the mark read as a character (a file opened as "utf-8", not "-sig")
    with _bulk_construction():
        return _catalog_from_text(text)


def _catalog_from_text(text: str | bytes) -> Catalog:
    try:
        data = loads(text, "", _json_error)
    except CatalogFormatError as error:
        located = _locate(text) if error.path == _DOCUMENT else None
        if located is not None:
            raise located from None
        raise
    if type(data) is not dict:
        raise CatalogFormatError(
            f"a catalog document is a JSON object {{...}}, got {_kind(data)}.", path=_DOCUMENT
        )
    return _read_document(data)

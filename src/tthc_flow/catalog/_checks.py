"""Whole-catalog checks, each a named function that yields findings.

A procedure checks itself when it is defined (:mod:`tthc_flow.engine._validation`); these
checks are about the catalog as a whole: versions that overlap, units nobody listed, reviews
that are overdue. ``ERROR`` findings make :class:`~tthc_flow.catalog.Catalog` refuse to be
built; ``WARNING`` findings are reported by :meth:`Catalog.check
<tthc_flow.catalog.Catalog.check>` and by ``tthc-flow check``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from tthc_flow.catalog._model import Catalog

__all__ = ["CHECKS", "ERROR", "WARNING", "Finding", "Severity", "run_checks"]

class Severity(str, enum.Enum):
    """How serious a finding is; compares equal to its text (``"error"``, ``"warning"``)."""

    ERROR = "error"
    WARNING = "warning"


ERROR = Severity.ERROR
WARNING = Severity.WARNING


@attrs.frozen
class Finding:
    """One problem of a catalog: the ``check`` that found it, where (``code``, ``version``,
    ``step``), what is wrong and what to do (``message``), and how serious (``severity``)."""

    check: str
    message: str
    code: str | None = None
    version: str | None = None
    step: str | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = ""
        if self.code is not None:
            where = f"procedure {self.code}" + (f" v{self.version}" if self.version else "")
            where += f", step {self.step!r}" if self.step else ""
            where += ": "
        label = "lỗi (error)" if self.severity == ERROR else "cảnh báo (warning)"
        return f"[{label}] {where}{self.message} ({self.check})"


def check_unique_versions(catalog: Catalog, today: date | None) -> Iterator[Finding]:
    """No (code, version) is published twice."""
    seen: set[tuple[str, str]] = set()
    for publication in catalog.publications:
        key = (publication.code, publication.version)
        if key in seen:
            yield Finding(
                "check_unique_versions",
                "this version is published twice; give each version its own number.",
                *key,
            )
        seen.add(key)


def check_no_overlap(catalog: Catalog, today: date | None) -> Iterator[Finding]:
    """No two versions of a code are in force on the same day: a case must bind to exactly
    one version on the day it is received."""
    for code in catalog.codes:
        versions = catalog.versions(code)  # sorted by effective_from
        for earlier, later in pairwise(versions):
            until = earlier.procedure.effective_until
            if until is None or until >= later.procedure.effective_from:
                yield Finding(
                    "check_no_overlap",
                    f"versions {earlier.version} ({earlier.span()}) and {later.version} "
                    f"({later.span()}) are both in force on "
                    f"{later.procedure.effective_from.isoformat()}. End the earlier one the day "
                    "before the later one starts (effective_until).",
                    code,
                    later.version,
                )


def check_units_known(catalog: Catalog, today: date | None) -> Iterator[Finding]:
    """Every step names a unit of the catalog's list of units (a typo in a unit's name
    would make its delays invisible in every report by unit)."""
    for publication in catalog.publications:
        for step in publication.procedure.steps:
            if step.unit not in catalog.units:
                known = ", ".join(catalog.units) or "none listed"
                yield Finding(
                    "check_units_known",
                    f"unit {step.unit!r} is not in the catalog's list of units ({known}); add "
                    "it to the list or correct the step.",
                    publication.code,
                    publication.version,
                    step.key,
                )


def check_units_have_known_parents(catalog: Catalog, today: date | None) -> Iterator[Finding]:
    """A unit's parent, when given, is itself a unit of the catalog, and following parents
    never comes back to where it started (reports roll units up along them)."""
    units = catalog.units
    for unit in units.values():
        if unit.parent is not None and unit.parent not in units:
            yield Finding(
                "check_units_have_known_parents",
                f"unit {unit.name!r} belongs to {unit.parent!r}, which is not in the list of "
                "units.",
            )
            continue
        seen = [unit.name]
        parent = unit.parent
        while parent is not None and parent in units:
            if parent in seen:
                yield Finding(
                    "check_units_have_known_parents",
                    f"unit {unit.name!r} is its own ancestor: {' → '.join([*seen, parent])}.",
                )
                break
            seen.append(parent)
            parent = units[parent].parent


def check_decision_dates(catalog: Catalog, today: date | None) -> Iterator[Finding]:
    """A version takes effect no earlier than the decision that publishes it (a warning:
    a decision may lawfully confirm a version already applied, but it is worth a look)."""
    for publication in catalog.publications:
        decision = publication.decision
        if decision is not None and decision.date > publication.procedure.effective_from:
            yield Finding(
                "check_decision_dates",
                f"takes effect on {publication.procedure.effective_from.isoformat()}, before "
                f"its decision {decision.number} of {decision.date.isoformat()}.",
                publication.code,
                publication.version,
                severity=WARNING,
            )


def check_reviews(catalog: Catalog, today: date | None) -> Iterator[Finding]:
    """With ``today``: versions in force today whose review date has passed (seed 002 asks
    for a yearly review and re-issue of every catalog). A review date equal to ``today`` is
    not yet overdue."""
    if today is None:
        return
    for publication in catalog.publications:
        review_by = publication.review_by
        if review_by is not None and review_by < today and publication.procedure.in_force(today):
            yield Finding(
                "check_reviews",
                f"was due for its yearly review on {review_by.isoformat()}; review it and "
                "re-issue the catalog (or record the review with a new review_by).",
                publication.code,
                publication.version,
                severity=WARNING,
            )


def check_desk_transfer(catalog: Catalog, today: date | None) -> Iterator[Finding]:
    """A one-stop or inter-agency version judged by a pack with the desk's transfer rule
    (a same-day rule with a cut-off hour: Decree 118/2025 Art. 18(2), "chuyển ngay hồ sơ
    tiếp nhận trực tiếp trong ngày làm việc hoặc chuyển vào đầu giờ ngày làm việc tiếp
    theo đối với trường hợp tiếp nhận sau 15 giờ") whose reception step is given a time of
    its own instead (half a day, four hours, calendar days: each of them longer than that
    rule for some receipt): a warning, since the step's budget is the catalog's to fix. A
    step given no time at all (``ZeroBudget.NO_TIME``) asks more of the desk than the rule,
    and is not warned of."""
    from tthc_flow.engine import ProcedureKind, SameWorkingDay, WorkingBudget

    for publication in catalog.publications:
        procedure = publication.procedure
        if procedure.kind is ProcedureKind.INTERNAL:
            continue
        first = procedure.first
        for pack in procedure.rules:
            if pack.same_day.cutoff is None:
                continue
            budget = procedure.step_budget_for(first.key, {}, pack)
            if isinstance(budget, SameWorkingDay) or (
                isinstance(budget, WorkingBudget) and budget.minutes == 0
            ):
                continue
            yield Finding(
                "check_desk_transfer",
                f"the reception step gives the desk {budget.label}; under {pack.name} the desk "
                "transfers a dossier the same working day, or at the start of the next one "
                f"when received after {pack.same_day.cutoff:%H:%M} ({pack.same_day.citation}). "
                "Budget the step '0 ngày làm việc' (or SameWorkingDay()) and give the time to "
                "the processing steps.",
                publication.code,
                publication.version,
                first.key,
                severity=WARNING,
            )
            break


def check_built_in_names(catalog: Catalog, today: date | None) -> Iterator[Finding]:
    """A rule pack named like one of the library's packs (``DECREE_118_2025``…) that is not
    that pack: most often a catalog written by an earlier version of the library, which
    carries the rules as that version read the law, so its cases are judged by them. A
    warning: re-export the catalog, or name an agency's own pack for itself."""
    from tthc_flow.engine import INTERNAL_PRACTICE, NATIONAL_PACKS

    built_in = {pack.name: pack for pack in (*NATIONAL_PACKS, INTERNAL_PRACTICE)}
    seen: set[int] = set()
    for publication in catalog.publications:
        for pack in publication.procedure.rules:
            known = built_in.get(pack.name)
            if known is None or pack == known or id(pack) in seen:
                continue
            seen.add(id(pack))
            yield Finding(
                "check_built_in_names",
                f"its rule pack {pack.name} is not the library's pack of that name (written "
                "by an earlier version of the library, or changed by hand): its cases are "
                "judged by the rules it carries. Re-export the catalog to take the library's "
                "reading, or give the pack a name of its own (RulePack.derive).",
                publication.code,
                publication.version,
                severity=WARNING,
            )


Check = Callable[["Catalog", "date | None"], Iterator[Finding]]

CHECKS: tuple[Check, ...] = (
    check_unique_versions,
    check_no_overlap,
    check_units_known,
    check_units_have_known_parents,
    check_decision_dates,
    check_reviews,
    check_desk_transfer,
    check_built_in_names,
)


def run_checks(catalog: Catalog, *, today: date | None = None) -> list[Finding]:
    """Every finding of every check of :data:`CHECKS`, in order."""
    return [finding for check in CHECKS for finding in check(catalog, today)]

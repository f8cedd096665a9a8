"""A catalog of procedures (danh mục thủ tục hành chính): units, publishing decisions and
dated versions of each procedure, checked as a whole when built.

A catalog answers one question above all: *which version of this procedure was in force on
the day a case was received?* (seed 003: agencies still receiving under superseded rules).
Versions of one code never overlap, so the answer is always one version or a clear error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs
from dateutil.relativedelta import relativedelta

from tthc_flow._validators import aware, plain_date, required_text
from tthc_flow.calendar import WorkingCalendar, vietnam_calendar
from tthc_flow.codec._pickling import reduce_frozen
from tthc_flow.engine import Case, Procedure
from tthc_flow.errors import (
    CatalogInvalidError,
    InvalidInputError,
    NotInForceError,
    UnknownProcedureError,
)

if TYPE_CHECKING:
    from tthc_flow.catalog._checks import Finding

__all__ = ["REVIEW_INTERVAL", "Catalog", "Decision", "Publication", "Unit"]

# Seed 002 (Quảng Nam, Decision 2307/QĐ-UBND of 2021): catalogs are reviewed and re-issued
# every year; a publication is due for review a year after its decision unless it says so.
REVIEW_INTERVAL = relativedelta(years=1)


def _give(what: str) -> Any:
    return required_text(f"Give the {what}.")


@attrs.frozen
class Unit:
    """A unit that steps name as responsible (đơn vị): an agency, a division, a desk.

    ``level`` is the tier it belongs to, as data ("tỉnh", "sở", "xã", and in older data
    "huyện": the district tier ended on 1 July 2025, but history still carries it); a report
    groups and thresholds by it. ``parent`` names the unit it belongs to, if any.
    """

    name: str = attrs.field(validator=_give("unit's name"))
    level: str = attrs.field(validator=_give("unit's level, e.g. 'tỉnh' or 'xã'"))
    parent: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(_give("parent unit's name"))
    )

    def __str__(self) -> str:
        return f"{self.name} ({self.level})"


@attrs.frozen
class Decision:
    """The decision that publishes a procedure (quyết định công bố): number, date, issuer."""

    number: str = attrs.field(validator=_give("decision's number, e.g. '1234/QĐ-UBND'"))
    date: date = attrs.field(validator=plain_date)
    issuer: str = attrs.field(validator=_give("issuer, e.g. 'UBND tỉnh Quảng Nam'"))

    def __str__(self) -> str:
        return f"Quyết định {self.number} ngày {self.date:%d/%m/%Y} của {self.issuer}"


def _optional_decision(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, Decision):
        raise InvalidInputError(
            f"a publication's decision is a Decision, got {value!r}.",
            value=value,
            hint="Use Decision('1234/QĐ-UBND', date(2025, 6, 30), 'UBND tỉnh').",
        )


@attrs.frozen
class Publication:
    """One version of a procedure as a catalog publishes it.

    ``review_by`` is the date by which it must be reviewed; by default one year after its
    decision (:data:`REVIEW_INTERVAL`), or none when there is no decision.
    """

    procedure: Procedure
    decision: Decision | None = attrs.field(default=None, validator=_optional_decision)
    review_by: date | None = attrs.field(
        default=None, validator=attrs.validators.optional(plain_date)
    )

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.procedure, Procedure):
            raise InvalidInputError(
                f"a publication holds a Procedure, got {self.procedure!r}.",
                value=self.procedure,
            )
        if self.review_by is None and self.decision is not None:
            object.__setattr__(self, "review_by", self.decision.date + REVIEW_INTERVAL)

    @property
    def code(self) -> str:
        return self.procedure.code

    @property
    def version(self) -> str:
        return self.procedure.version

    def span(self) -> str:
        """``from … to …`` of its effective dates, as errors print them."""
        until = self.procedure.effective_until
        return (
            f"v{self.version}: {self.procedure.effective_from.isoformat()} to "
            f"{until.isoformat() if until else 'further notice'}"
        )


def _publications(value: Iterable[Publication | Procedure]) -> tuple[Publication, ...]:
    items = []
    for item in value:
        items.append(item if isinstance(item, Publication) else Publication(item))
    return tuple(items)


def _units(value: Iterable[Unit] | Mapping[str, Unit]) -> Mapping[str, Unit]:
    units = tuple(value.values()) if isinstance(value, Mapping) else tuple(value)
    table: dict[str, Unit] = {}
    for unit in units:
        if not isinstance(unit, Unit):
            raise InvalidInputError(f"a catalog's units are Unit values, got {unit!r}.", value=unit)
        if unit.name in table:
            raise InvalidInputError(
                f"unit {unit.name!r} is listed twice.", value=unit, hint="List each unit once."
            )
        table[unit.name] = unit
    return MappingProxyType(table)


@attrs.frozen
class Catalog:
    """Procedures of an issuer, keyed by code, each in one or more dated versions.

    Built, it is checked as a whole (:mod:`tthc_flow.catalog._checks`): every step's unit is
    one of ``units``, no code has two versions in force on the same day, no (code, version)
    appears twice. Every problem found is reported at once in a
    :class:`~tthc_flow.errors.CatalogInvalidError`; each procedure was already validated when
    it was defined. :meth:`check` adds what depends on the day asked about (reviews overdue).
    """

    name: str = attrs.field(validator=_give("catalog's name"))
    issuer: str = attrs.field(validator=_give("issuer, e.g. 'Sở Tư pháp tỉnh Quảng Nam'"))
    units: Mapping[str, Unit] = attrs.field(converter=_units, eq=False)
    publications: tuple[Publication, ...] = attrs.field(converter=_publications)
    _unit_items: tuple[Unit, ...] = attrs.field(init=False, repr=False)
    _by_code: Mapping[str, tuple[Publication, ...]] = attrs.field(
        init=False, repr=False, eq=False
    )

    # Read-only mappings inside: pickled as its fields, so that a catalog can be sent to
    # worker processes (a report over a journal read by several processes).
    __reduce__ = reduce_frozen

    def __attrs_post_init__(self) -> None:
        from tthc_flow.catalog._checks import ERROR, run_checks

        object.__setattr__(self, "_unit_items", tuple(self.units.values()))
        grouped: dict[str, list[Publication]] = {}
        for publication in self.publications:
            grouped.setdefault(publication.code, []).append(publication)
        by_code = {
            code: tuple(sorted(items, key=lambda p: p.procedure.effective_from))
            for code, items in grouped.items()
        }
        object.__setattr__(self, "_by_code", MappingProxyType(by_code))
        errors = [f for f in run_checks(self) if f.severity == ERROR]
        if errors:
            raise CatalogInvalidError(self.name, errors)

    # ------------------------------------------------------------------ lookups

    @property
    def codes(self) -> tuple[str, ...]:
        """Every procedure code, in the order the catalog first lists it."""
        return tuple(self._by_code)

    @property
    def procedures(self) -> tuple[Procedure, ...]:
        """Every version of every procedure."""
        return tuple(p.procedure for p in self.publications)

    def __iter__(self) -> Iterator[Procedure]:
        return iter(self.procedures)

    def __len__(self) -> int:
        return len(self.publications)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def versions(self, code: str) -> tuple[Publication, ...]:
        """Every publication of ``code``, oldest first."""
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownProcedureError(code, known=self.codes) from None

    def version(self, code: str, version: str) -> Procedure:
        """The procedure ``code`` in the given ``version``."""
        for publication in self.versions(code):
            if publication.version == version:
                return publication.procedure
        raise UnknownProcedureError(
            code, version, known=[f"{code} v{p.version}" for p in self.versions(code)]
        )

    def publication(self, code: str, version: str) -> Publication:
        """The publication (decision, review date) of one version."""
        procedure = self.version(code, version)
        return next(p for p in self.versions(code) if p.procedure is procedure)

    def resolve(self, code: str, *, on: date) -> Procedure:
        """The version of ``code`` in force on the day ``on`` (both effective dates
        inclusive). A datetime is refused: pass the receipt's local date, or use
        :meth:`open_case`, which takes it in the calendar's time zone."""
        if isinstance(on, datetime) or not isinstance(on, date):
            raise InvalidInputError(
                f"resolve() takes a date, got {on!r}.",
                value=on,
                hint="Pass instant.astimezone(calendar.tz).date() for an instant.",
            )
        publications = self.versions(code)
        found = [p for p in publications if p.procedure.in_force(on)]
        if not found:
            raise NotInForceError(code, on, spans=[p.span() for p in publications])
        # Overlaps are refused when the catalog is built, so ``found`` has one element.
        return found[0].procedure

    def open_case(
        self,
        code: str,
        *,
        case_id: str,
        received_at: datetime,
        actor: str,
        calendar: WorkingCalendar | None = None,
        **options: Any,
    ) -> Case:
        """Receive a case under the version of ``code`` in force on its receipt date (the
        local date of ``received_at`` in the calendar's time zone); other keyword arguments
        go to :meth:`Case.open <tthc_flow.engine.Case.open>`."""
        aware(received_at, "received_at")
        calendar = calendar if calendar is not None else vietnam_calendar()
        procedure = self.resolve(code, on=received_at.astimezone(calendar.tz).date())
        return Case.open(
            procedure,
            case_id=case_id,
            received_at=received_at,
            actor=actor,
            calendar=calendar,
            **options,
        )

    def unit(self, name: str) -> Unit:
        try:
            return self.units[name]
        except KeyError:
            raise InvalidInputError(
                f"catalog {self.name!r} has no unit {name!r}.",
                value=name,
                hint=f"Known units: {', '.join(self.units)}.",
            ) from None

    # ------------------------------------------------------------------ checks

    def check(self, *, today: date | None = None) -> list[Finding]:
        """Every finding of the whole-catalog checks, errors and warnings, never raising.

        With ``today``, publications whose review date (``review_by``) is before ``today``
        are reported as overdue for review (a warning: the version stays in force).
        """
        from tthc_flow.catalog._checks import run_checks

        return run_checks(self, today=today)

    def __repr__(self) -> str:
        return (
            f"<Catalog {self.name!r} of {self.issuer}: {len(self.codes)} procedures, "
            f"{len(self.publications)} versions, {len(self.units)} units>"
        )

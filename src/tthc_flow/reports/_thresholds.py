"""Threshold policies (ngưỡng đánh giá) as data: a province's limits on each unit's overdue
rate, by level, and the points each breach costs.

:data:`AN_GIANG_2020` is An Giang's rule (seed 004): a unit whose overdue cases exceed 2 % at
province level, or 3.5 % at district level, loses 0.5 point of its annual administrative
reform score each time. Agencies write their own :class:`ThresholdPolicy` the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from tthc_flow._validators import exact_number
from tthc_flow.errors import InvalidInputError
from tthc_flow.reports._report import UNKNOWN, Report

__all__ = ["AN_GIANG_2020", "Breach", "ThresholdPolicy", "ThresholdRule", "total_points"]


def _exact(value: Any) -> Fraction:
    amount = exact_number(value, what="threshold", example="'0.035' or Fraction(7, 200)")
    if amount < 0:
        raise InvalidInputError(f"a threshold cannot be negative, got {value!r}.", value=value)
    return amount


def _levels(value: str | Iterable[str]) -> tuple[str, ...]:
    levels = (value,) if isinstance(value, str) else tuple(value)
    if not levels or not all(isinstance(v, str) and v for v in levels):
        raise InvalidInputError(
            f"a threshold rule names one or more levels, got {value!r}.", value=value
        )
    return levels


@attrs.frozen
class ThresholdRule:
    """Units of ``levels`` breach when their overdue rate is *greater than* ``max_rate``
    (exactly at the limit is no breach); each breach costs ``points``."""

    levels: tuple[str, ...] = attrs.field(converter=_levels)
    max_rate: Fraction = attrs.field(converter=_exact)
    points: Fraction = attrs.field(converter=_exact)


def _rules(value: Iterable[ThresholdRule]) -> tuple[ThresholdRule, ...]:
    rules = tuple(value)
    if not all(isinstance(rule, ThresholdRule) for rule in rules):
        raise InvalidInputError(f"a policy holds ThresholdRule values, got {rules!r}.", value=rules)
    return rules


@attrs.frozen
class Breach:
    """A unit over its limit in one report: its rate (``overdue / total``), the limit, the
    points it costs. ``total`` counts the cases the report could judge; ``unverified`` the
    unit's cases it could not (out of both sides of the rate: see
    :attr:`Tally.overdue_rate <tthc_flow.reports.Tally.overdue_rate>`), shown so that a
    rate resting on fewer cases than the unit had is seen as such."""

    unit: str
    level: str
    overdue: int
    total: int
    rate: Fraction
    limit: Fraction
    points: Fraction
    policy: str
    citation: str
    unverified: int = 0


@attrs.frozen
class ThresholdPolicy:
    """A named policy: one rule per group of levels. The overdue rate of a unit is its unit
    row's :attr:`~tthc_flow.reports.Tally.overdue_rate`: cases late on the unit's own clock
    (finished late, or unfinished and late at the end of the period) over the cases it had
    in the period that the report could judge. Units whose level no rule names are not
    judged (a policy for provinces does not judge communes)."""

    name: str
    citation: str
    rules: tuple[ThresholdRule, ...] = attrs.field(converter=_rules)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for rule in self.rules:
            twice = seen.intersection(rule.levels)
            if twice:
                raise InvalidInputError(
                    f"policy {self.name!r} gives level {sorted(twice)[0]!r} two rules.",
                    value=self.rules,
                    hint="Give each level one rule.",
                )
            seen.update(rule.levels)

    def rule_for(self, level: str) -> ThresholdRule | None:
        return next((r for r in self.rules if level in r.levels), None)

    def apply(self, report: Report, levels: Mapping[str, Any]) -> list[Breach]:
        """Every unit of ``report`` over its level's limit, in unit order. ``levels`` maps a
        unit to its level (a string, or an object with ``level``, such as
        ``catalog.units``)."""
        breaches = []
        for unit, tally in report.units:
            found = levels.get(unit)
            level = UNKNOWN if found is None else str(getattr(found, "level", found))
            rule = self.rule_for(level)
            rate = tally.overdue_rate
            if rule is None or rate is None or rate <= rule.max_rate:
                continue
            breaches.append(
                Breach(
                    unit, level, tally.overdue + tally.in_progress_overdue, tally.judged, rate,
                    rule.max_rate, rule.points, self.name, self.citation, tally.unverified,
                )
            )  # fmt: skip
        return breaches


def total_points(breaches: Iterable[Breach]) -> Fraction:
    """The points deducted for ``breaches`` (one deduction per breach)."""
    return sum((b.points for b in breaches), Fraction(0))


AN_GIANG_2020 = ThresholdPolicy(
    name="An Giang: tỷ lệ hồ sơ quá hạn trên hệ thống (overdue cases on the provincial portal)",
    citation="Công văn 664/UBND-TH ngày 23/6/2020 của UBND tỉnh An Giang, mục 4",
    rules=(
        ThresholdRule(("tỉnh", "sở"), Decimal("0.02"), Decimal("0.5")),
        ThresholdRule("huyện", Decimal("0.035"), Decimal("0.5")),
    ),
)

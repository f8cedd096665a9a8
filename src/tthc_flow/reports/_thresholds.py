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

from tthc_flow._validators import exact_number, shown
from tthc_flow.errors import InvalidInputError
from tthc_flow.reports._inputs import items_of
from tthc_flow.reports._report import Report, check_levels, level_of

__all__ = ["AN_GIANG_2020", "Breach", "ThresholdPolicy", "ThresholdRule", "total_points"]


def _exact(value: Any) -> Fraction:
    amount = exact_number(value, what="threshold", example="'0.035' or Fraction(7, 200)")
    if amount < 0:
        raise InvalidInputError(f"a threshold cannot be negative, got {shown(value)}.", value=value)
    return amount


def _levels(value: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        levels: tuple[Any, ...] = (value,)
    else:
        levels = tuple(value) if isinstance(value, Iterable) else ()
    if not levels or not all(isinstance(v, str) and v for v in levels):
        raise InvalidInputError(
            f"a threshold rule names one or more levels, got {shown(value)}.", value=value
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
    hint = "Write e.g. rules=(ThresholdRule('tỉnh', '0.02', '0.5'),)."
    rules = tuple(items_of(value, "ThresholdPolicy", "rules", "ThresholdRule", hint))
    if not all(isinstance(rule, ThresholdRule) for rule in rules):
        raise InvalidInputError(
            f"a policy holds ThresholdRule values, got {shown(rules)}.", value=rules, hint=hint
        )
    return rules


def _text(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(
            f"ThresholdPolicy.{attribute.name} must be a non-empty text, got "
            f"{type(value).__name__} {shown(value)}.",
            value=value,
            hint="Name the policy and cite the document that sets it, e.g. "
            "citation='Công văn 664/UBND-TH'.",
        )


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

    name: str = attrs.field(validator=_text)
    citation: str = attrs.field(validator=_text)
    rules: tuple[ThresholdRule, ...] = attrs.field(converter=_rules)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for rule in self.rules:
            twice = seen.intersection(rule.levels)
            if twice:
                raise InvalidInputError(
                    f"policy {shown(self.name)} gives level {shown(sorted(twice)[0])} two rules.",
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
        if not isinstance(report, Report):
            raise InvalidInputError(
                f"a policy is applied to a Report, got {type(report).__name__} "
                f"{shown(report)}.",
                value=report,
                hint="Pass the report of build_report or build_report_from_events.",
            )
        check_levels(levels)
        breaches = []
        for unit, tally in report.units:
            level = level_of(levels, unit)
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
    """The points deducted (điểm bị trừ) for ``breaches`` (one deduction per breach)."""
    hint = "Pass what policy.apply(report, levels) gives."
    found = list(items_of(breaches, "total_points", "breaches", "Breach", hint))
    for number, breach in enumerate(found):
        if not isinstance(breach, Breach):
            raise InvalidInputError(
                f"total_points: breaches[{number}] must be a Breach, got "
                f"{type(breach).__name__} {shown(breach)}.",
                value=breach,
                hint=hint,
            )
    return sum((b.points for b in found), Fraction(0))


AN_GIANG_2020 = ThresholdPolicy(
    name="An Giang: tỷ lệ hồ sơ quá hạn trên hệ thống (overdue cases on the provincial portal)",
    citation="Công văn 664/UBND-TH ngày 23/6/2020 của UBND tỉnh An Giang, mục 4",
    rules=(
        ThresholdRule(("tỉnh", "sở"), Decimal("0.02"), Decimal("0.5")),
        ThresholdRule("huyện", Decimal("0.035"), Decimal("0.5")),
    ),
)

"""One row of a report (một dòng của báo cáo): counts of cases, or of units' clocks, in a
period, and the two Decision 766/QĐ-TTg indicators computed from them.

Tallies add up (``a + b``) field by field and :data:`EMPTY_TALLY` is the identity, so a row can
be computed per partition and combined.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction

import attrs

from tthc_flow._validators import shown
from tthc_flow.calendar import MINUTES_PER_WORKING_DAY
from tthc_flow.calendar._index import US_PER_MINUTE
from tthc_flow.engine import EventKind, ResultClass
from tthc_flow.errors import InvalidInputError
from tthc_flow.reports._outcomes import CaseOutcome, ClockChoice, UnitOutcome, clock_choice

__all__ = [
    "EMPTY_TALLY",
    "FIELDS",
    "UNVERIFIED_SLOT",
    "Signature",
    "Tally",
    "case_signature",
    "tally_case",
    "tally_of",
    "tally_unit",
    "unit_signature",
]

_ONE_US = timedelta(microseconds=1)


@attrs.frozen
class Tally:
    """Counts for one row.

    - ``total`` (tổng số hồ sơ phải giải quyết) = ``received`` (tiếp nhận trong kỳ) +
      ``carried_over`` (kỳ trước chuyển sang: received before the period, unfinished at its
      start);
    - ``early`` / ``on_time`` / ``overdue`` (trước hạn / đúng hạn / quá hạn): finished in the
      period, by the chosen clock; ``refused``, ``stopped`` and ``withdrawn_classed`` are the
      part of these that ended with a refusal, a stop or a withdrawal by the applicant
      (Decision 766 counts them as finished);
    - ``in_progress`` / ``in_progress_overdue`` (đang giải quyết trong hạn / quá hạn):
      unfinished at the end of the period, read at its last instant;
    - ``withdrawn`` (công dân rút hồ sơ, không xếp loại): withdrawn in the period and not
      classed. Only the legal clock leaves a withdrawal unclassed, and only one made while
      the case was in time (before or at its due instant, or while it awaited a supplement
      and had no due): the applicant ended it and the agency was not late. A case withdrawn
      after its legal due was already overdue and stays overdue: it is counted in
      ``overdue`` (and in the responsibility), never here. On the indicator clock
      (Decision 766, *secondary source*: the finish is the first of processed, returned,
      stopped, refused or withdrawn) every withdrawal is a finish, classed early, on time or
      overdue against the promised date, so this column is 0;
    - ``withdrawn_classed`` (rút hồ sơ, đã xếp loại): the withdrawals of the period that
      were classed, a part of ``early + on_time + overdue`` as ``refused`` and ``stopped``
      are: on the legal clock, the cases withdrawn after their due (all of them in
      ``overdue``); on the indicator clock, every withdrawal of the period, whatever its
      class. A withdrawal is in exactly one of ``withdrawn`` and ``withdrawn_classed``;
    - ``closed`` (đóng hồ sơ): closed in the period because the applicant never completed the
      dossier (Decree 118/2025 Art. 19(5)); not classed either: the agency's time stopped
      when it asked for the supplement.

    - ``unverified`` (không đánh giá được do dữ liệu lỗi): cases whose history or clock the
      report cannot trust (out of time order, or a negative duration; see
      :mod:`tthc_flow.reports._quality`), counted here and in no other column: not classed,
      not in the rates, not in the average. It is the number of cases the average and the
      rates leave out, and is shown beside them.

    So ``total == early + on_time + overdue + in_progress + in_progress_overdue + withdrawn +
    closed + unverified``, and ``refused + stopped + withdrawn_classed <= finished``.
    ``processing_us`` sums, in microseconds of working time, the clock's elapsed time of the
    ``processing_count`` finished cases whose budget is working time (an integer: the stored
    figure is exact).
    """

    total: int = 0
    received: int = 0
    carried_over: int = 0
    early: int = 0
    on_time: int = 0
    overdue: int = 0
    in_progress: int = 0
    in_progress_overdue: int = 0
    withdrawn: int = 0
    closed: int = 0
    refused: int = 0
    stopped: int = 0
    withdrawn_classed: int = 0
    processing_count: int = 0
    processing_us: int = 0
    unverified: int = 0

    def __attrs_post_init__(self) -> None:
        # Counts are whole and never negative: a float or a "3" would make the rates
        # below fail or lie, and a negative count has no meaning. processing_us is a sum of
        # durations, not a count: a whole number of microseconds, of either sign.
        for field in attrs.fields(Tally):
            name = field.name
            value = getattr(self, name)
            if type(value) is not int or (value < 0 and name != "processing_us"):
                wanted = "an int" if name == "processing_us" else "a whole number >= 0"
                raise InvalidInputError(
                    f"Tally.{name} must be {wanted}, got {type(value).__name__} "
                    f"{shown(value)}.",
                    value=value,
                    hint="Build tallies with build_report; a count is an int such as 3.",
                )

    def __add__(self, other: object) -> Tally:
        if not isinstance(other, Tally):
            return NotImplemented
        return Tally(*(a + b for a, b in zip(attrs.astuple(self), attrs.astuple(other),
                                            strict=True)))  # fmt: skip

    @property
    def finished(self) -> int:
        """Cases finished in the period and classed: early + on time + overdue."""
        return self.early + self.on_time + self.overdue

    @property
    def on_time_rate(self) -> Fraction | None:
        """Decision 766/QĐ-TTg indicator 2.1 (tỷ lệ hồ sơ giải quyết đúng hạn):
        ``(early + on_time) / (early + on_time + overdue)``, as an exact fraction.

        Only cases finished in the period and classed count (not the ``withdrawn`` column,
        nor closed, unfinished and unverified cases: a withdrawal after the legal due is in
        ``overdue``, so in the denominator);
        an empty denominator gives ``None`` (no figure, not 0 % and not 100 %).
        """
        if not self.finished:
            return None
        return Fraction(self.early + self.on_time, self.finished)

    @property
    def judged(self) -> int:
        """The cases the report could judge: ``total - unverified``."""
        return self.total - self.unverified

    @property
    def overdue_rate(self) -> Fraction | None:
        """``(overdue + in_progress_overdue) / judged``: the share of the period's cases that
        are or were late (the "hồ sơ quá hạn trên hệ thống" of provincial thresholds); None
        when no case could be judged. Unverified cases are neither late nor in time, so they
        are in neither side of the fraction."""
        if not self.judged:
            return None
        return Fraction(self.overdue + self.in_progress_overdue, self.judged)

    @property
    def average_processing_minutes(self) -> Fraction | None:
        """Decision 766/QĐ-TTg indicator 2.2 (thời gian giải quyết trung bình): the mean of the
        clock's elapsed working time over the finished cases with working-time budgets, in
        working minutes, exact; None when there are none. Unverified cases are not among
        them (:attr:`unverified` says how many the row has)."""
        if not self.processing_count:
            return None
        return Fraction(self.processing_us, US_PER_MINUTE * self.processing_count)

    @property
    def average_processing_days(self) -> Fraction | None:
        """:attr:`average_processing_minutes` in working days of 8 hours."""
        minutes = self.average_processing_minutes
        return None if minutes is None else minutes / MINUTES_PER_WORKING_DAY


EMPTY_TALLY = Tally()
FIELDS: tuple[str, ...] = tuple(a.name for a in attrs.fields(Tally))


# A case's contribution to a row, as a small hashable value, so that a report counts
# signatures (one dict increment per row) instead of adding tallies field by field:
# (received in the period, slot, ending (0, 1 refused, 2 stopped, 3 withdrawn and classed),
# processing counted).
Signature = tuple[bool, int, int, bool]
_SLOTS = (
    "early", "on_time", "overdue", "in_progress", "in_progress_overdue", "withdrawn", "closed",
    "unverified",
)  # fmt: skip
UNVERIFIED_SLOT = 7
# Keyed by value: hashing an Enum member runs Python code, a str does not.
_SLOT_OF = {
    ResultClass.EARLY.value: 0,
    ResultClass.ON_TIME.value: 1,
    ResultClass.OVERDUE.value: 2,
    ResultClass.IN_PROGRESS.value: 3,
    ResultClass.IN_PROGRESS_OVERDUE.value: 4,
}
_ENDING = {EventKind.REFUSED.value: 1, EventKind.STOPPED.value: 2, EventKind.WITHDRAWN.value: 3}


def case_signature(
    outcome: CaseOutcome, opening: datetime, cutoff: datetime,
    clock: ClockChoice | str = ClockChoice.LEGAL,
) -> tuple[Signature, int] | None:  # fmt: skip
    """(signature, working µs) of the case in the period ``[opening, cutoff]``, or None when it
    is out of it (received after the period, or finished before it). The outcome must have
    been read at ``cutoff`` on ``clock`` (which says how a withdrawal is counted: see
    :class:`Tally`)."""
    return signature_of(
        outcome.received_at, outcome.result, outcome.finished_at, outcome.ending,
        outcome.working, outcome.elapsed // _ONE_US, opening, cutoff,
        clock_choice(clock) is ClockChoice.LEGAL,
    )  # fmt: skip


def signature_of(
    received_at: datetime, result: ResultClass, finished: datetime | None,
    ending: EventKind | None, working: bool, elapsed_us: int, opening: datetime,
    cutoff: datetime, legal: bool = True,
) -> tuple[Signature, int] | None:  # fmt: skip
    """:func:`case_signature` from the figures themselves (the report's own path); ``legal``
    says the figures are the legal clock's (else the indicator's)."""
    if received_at > cutoff or (finished is not None and finished < opening):
        return None
    received = received_at >= opening
    if finished is None:
        return (received, _SLOT_OF[result._value_], 0, False), 0
    if ending is EventKind.WITHDRAWN and legal and not result.overdue:
        # Withdrawn in time on the legal clock: not classed. A case already overdue stays
        # overdue, and the indicator classes every withdrawal (see Tally).
        return (received, 5, 0, False), 0
    if ending is EventKind.CLOSED:
        return (received, 6, 0, False), 0
    code = _ENDING.get(ending._value_, 0) if ending is not None else 0
    slot = _SLOT_OF[result._value_]
    if working:
        return (received, slot, code, True), elapsed_us
    return (received, slot, code, False), 0


def unit_signature(
    outcome: UnitOutcome, opening: datetime, cutoff: datetime
) -> tuple[Signature, int] | None:
    """The same for a unit's clock, with the unit's own start, finish and class. A unit's
    clock ends when the case leaves it for good, whatever ended the case, so unit rows class
    every finished clock and count no withdrawals, refusals or stops."""
    return unit_signature_of(
        outcome.started_at, outcome.result, outcome.finished_at,
        outcome.elapsed // _ONE_US, opening, cutoff,
    )  # fmt: skip


def unit_signature_of(
    started: datetime | None, result: ResultClass, finished: datetime | None, elapsed_us: int,
    opening: datetime, cutoff: datetime,
) -> tuple[Signature, int] | None:  # fmt: skip
    """:func:`unit_signature` from the figures themselves (the report's own path)."""
    if started is None or started > cutoff or (finished is not None and finished < opening):
        return None
    received = started >= opening
    slot = _SLOT_OF[result._value_]
    if finished is None:
        return (received, slot, 0, False), 0
    return (received, slot, 0, True), elapsed_us


def tally_of(signature: Signature, count: int = 1, processing_us: int = 0) -> Tally:
    """``count`` contributions of one signature, with their summed working µs."""
    received, slot, ending, processed = signature
    fields = dict.fromkeys(_SLOTS, 0)
    fields[_SLOTS[slot]] = count
    return Tally(
        total=count,
        received=count if received else 0,
        carried_over=0 if received else count,
        refused=count if ending == 1 else 0,
        stopped=count if ending == 2 else 0,
        withdrawn_classed=count if ending == 3 else 0,
        processing_count=count if processed else 0,
        processing_us=processing_us,
        **fields,
    )


def tally_case(
    outcome: CaseOutcome, opening: datetime, cutoff: datetime,
    clock: ClockChoice | str = ClockChoice.LEGAL,
) -> Tally:  # fmt: skip
    """The case's contribution to a row of the period ``[opening, cutoff]`` (the empty tally
    when it is out of the period); ``clock`` is the clock the outcome was read on."""
    found = case_signature(outcome, opening, cutoff, clock)
    return EMPTY_TALLY if found is None else tally_of(found[0], 1, found[1])


def tally_unit(outcome: UnitOutcome, opening: datetime, cutoff: datetime) -> Tally:
    """A unit clock's contribution to its unit's row (see :func:`unit_signature`)."""
    found = unit_signature(outcome, opening, cutoff)
    return EMPTY_TALLY if found is None else tally_of(found[0], 1, found[1])

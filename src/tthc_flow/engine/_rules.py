"""Legal rule packs (law as data): which pauses the law allows, their effect on each clock,
how often, when, by whom and on what evidence; the desk's same-day rule; apologies and
extensions; closing a dossier the applicant never completed; stopping at the applicant's
request; forwarding a dossier received outside its home area.

A case is judged by the pack in force on the day it was received (:func:`pack_in_force`).
Agencies derive their own packs from a national one with :meth:`RulePack.derive`; the
national packs themselves are never changed.

Every rule cites its source. The Decree 118/2025 pack is read from the decree's own text
(article, clause and point); the Decree 61/2018 pack cites its articles as secondary sources
give them, because the decree's text was not at hand, and says so. The internal pack
(:data:`INTERNAL_PRACTICE`) rests on no national text: it says so too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

import attrs

from tthc_flow.codec._display import short_text
from tthc_flow.codec._pickling import reduce_frozen
from tthc_flow.engine._budgets import (
    DESK_TRANSFER_RULE,
    CalendarDays,
    SameDayRule,
    SameWorkingDay,
    WorkingBudget,
    WorkingDays,
    WorkingHours,
)
from tthc_flow.errors import RuleError
from tthc_flow.labels import Labelled

__all__ = [
    "DECREE_61_2018",
    "DECREE_118_2025",
    "INTERNAL_PACKS",
    "INTERNAL_PRACTICE",
    "NATIONAL_PACKS",
    "ClosureRule",
    "Effect",
    "ForwardingRule",
    "Invoker",
    "PauseRule",
    "RefusalRule",
    "RescheduleRule",
    "RulePack",
    "StopRule",
    "effect_of",
    "pack_in_force",
]


class Effect(Labelled):
    """What a pause does to a clock."""

    PAUSE = "pause"
    RESTART = "restart"
    NONE = "none"


class Invoker(Labelled):
    """Who may invoke a pause."""

    STEP_UNIT = "step_unit"
    RECEPTION = "reception"
    ANY_STEP_UNIT = "any_step_unit"


def _whole_days(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and (
        not isinstance(value, WorkingDays) or value.days.denominator != 1
    ):
        raise RuleError(
            f"a pause window counts whole working days after the day of receipt, got "
            f"{value!r}; write e.g. WorkingDays(3).",
            rule=value,
        )


def _working_time(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, WorkingBudget) or value.minutes <= 0):
        raise RuleError(
            f"{attribute.name} is an amount of working time, more than none, got {value!r}; "
            "write e.g. WorkingHours(8).",
            rule=value,
        )


@attrs.frozen
class PauseRule:
    """One legal reason to stop a clock (lý do tạm dừng), with its article.

    - ``legal`` / ``indicator`` / ``step``: the effect on the legal clock, on the indicator
      clock of Decision 766/QĐ-TTg, and on the clocks of the steps and units that pause.
    - ``max_times``: how many times per case (None: no limit).
    - ``window``: it may only be invoked within this many working days after the day of
      receipt: the day of receipt is not counted, and the window ends at the close of the
      last of those days (Decree 118/2025 Art. 19(5): "không quá 03 ngày làm việc kể từ ngày
      tiếp nhận hồ sơ"). Received Monday, a window of 3 ends Thursday at 17:00. None: any
      time while the case is processed.
    - ``per_stage``: ``max_times`` counts separately at the reception step (the desk's
      request, Decree 118/2025 Art. 16(3), 17(1)(c), 17(2)(a)) and after it (the competent
      agency's return after appraisal, Art. 19(5)): a desk that asked once does not take the
      agency's one return away. False: one count for the whole case.
    - ``online_check``: at the reception step, on a dossier filed online, the request must
      come within this much working time of the receipt (Decree 118/2025 Art. 17(2)(c): the
      desk notifies the official receipt or the request to supplement "không muộn hơn 08
      (tám) giờ làm việc" after the system received the dossier). None: no such limit.
    - ``declared_only``: allowed only where the procedure declares it (land procedures).
    - ``allowed``: False for reasons the law puts *inside* the budget (verification,
      consultation): pausing for them is the improper pause.
    - ``evidence``: the documents the pause must cite (e.g. the supplement request form).
    """

    code: str
    name: str
    name_en: str
    citation: str
    legal: Effect = Effect.PAUSE
    indicator: Effect = Effect.PAUSE
    step: Effect = Effect.PAUSE
    max_times: int | None = None
    window: WorkingDays | None = attrs.field(default=None, validator=_whole_days)
    invokers: frozenset[Invoker] = frozenset({Invoker.STEP_UNIT})
    evidence: tuple[str, ...] = ()
    declared_only: bool = False
    allowed: bool = True
    per_stage: bool = False
    online_check: WorkingBudget | None = attrs.field(default=None, validator=_working_time)

    def __str__(self) -> str:
        return f"{self.name} ({self.name_en}) [{self.citation}]"


# The clocks a pause can touch: the legal one, Decision 766's indicator, and the step and unit
# clocks (which share the ``step`` effect).
CLOCKS = ("legal", "indicator", "step")


def effect_of(rule: PauseRule | None, clock: str) -> Effect:
    """The effect of pausing for ``rule`` on ``clock`` (``legal``, ``indicator`` or ``step``).

    The one definition the clocks read: a reason the pack does not know, or one the law puts
    inside the budget (``allowed=False``, the improper pause of seed 000), stops no clock.
    """
    if rule is None or not rule.allowed:
        return Effect.NONE
    effect: Effect = getattr(rule, clock)
    return effect


@attrs.frozen
class RescheduleRule:
    """Apology and extension (xin lỗi và đề nghị gia hạn thời gian giải quyết).

    - ``max_times``: how often a case's return date may be moved.
    - ``days_before_due``: the request must be made no later than this many days before the
      day the case falls due (the due's day by :meth:`WorkingCalendar.due_day`); with 1, an
      apology for a case due on Monday 16 March may be made up to Sunday 15 March, any time
      of day. Days are calendar days: the decree says "ngày", not "ngày làm việc".
    - ``by_delaying_unit``: the unit that caused the delay is the one that apologises: a unit
      whose own time overran (even if it has handed the case on), or, while no unit has
      overrun, the unit holding the case (a delay it foresees).
    - ``holder_asks``: with ``by_delaying_unit``, a unit holding the case may also ask, even
      after another unit overran: the request is the duty of the agency handling the dossier
      when it foresees the delay (Decree 118/2025 Art. 19(6): "cơ quan, đơn vị có thẩm quyền
      giải quyết hồ sơ"; Art. 12(5)), whoever spent time before it.
    - ``desk_asks``: whether the one-stop desk (Bộ phận Một cửa: the unit of the reception and
      return steps of a one-stop or inter-agency procedure, holding no other step) may ask.
      False under Decree 118/2025: the competent agency asks, and the desk moves the return
      date on its request (Art. 19(6): "Căn cứ Phiếu đề nghị gia hạn thời gian giải quyết,
      Bộ phận Một cửa điều chỉnh lại thời gian trả kết quả").
    - ``requires``: what the request must give.
    """

    citation: str
    max_times: int = 1
    days_before_due: int = 1
    by_delaying_unit: bool = True
    requires: tuple[str, ...] = ("reason", "new_due")
    holder_asks: bool = False
    desk_asks: bool = True


@attrs.frozen
class ClosureRule:
    """Closing a dossier the applicant never completed (đóng hồ sơ): once ``after`` has passed
    since the supplement request was sent, counted by the Civil Code rule (the day of the
    notice not counted; a last day not worked moves to the next working day; the period
    ends at 24:00), the desk may close the case."""

    after: CalendarDays
    citation: str


@attrs.frozen
class ForwardingRule:
    """A dossier received outside its home area (không phụ thuộc vào địa giới hành chính)
    goes from the receiving desk to the competent agency within ``budget`` of receipt: the
    reception step's budget for a case whose attribute ``attribute`` is true. With
    ``paper_only``, only a paper dossier (filed in person or by post, or not said to be
    filed online) is given that time: an electronic one is sent on at once (Decree
    118/2025 Art. 20(1)(a): "chuyển ngay hồ sơ điện tử … chuyển hồ sơ giấy … trong không
    quá 01 ngày làm việc"), under the reception step's own budget."""

    budget: WorkingBudget | SameWorkingDay
    citation: str
    attribute: str = "outside_home_area"
    paper_only: bool = False

    def applies(self, attributes: Mapping[str, Any]) -> bool:
        """Whether a case with these attributes is forwarded under this rule."""
        if attributes.get(self.attribute) is not True:
            return False
        return not (self.paper_only and attributes.get("channel") == "online")


@attrs.frozen
class StopRule:
    """The applicant's request to stop (dừng thực hiện thủ tục hành chính): allowed until the
    decision is issued (``before_decision``), i.e. before the case is resolved. It applies
    to a withdrawal (rút hồ sơ) and a stop (dừng) alike."""

    citation: str
    before_decision: bool = True


@attrs.frozen
class RefusalRule:
    """A refusal after appraisal is notified within the processing time (``within_time``)."""

    citation: str
    within_time: bool = True


def _reasons(value: Iterable[PauseRule] | Mapping[str, PauseRule]) -> Mapping[str, PauseRule]:
    rules = tuple(value.values()) if isinstance(value, Mapping) else tuple(value)
    table: dict[str, PauseRule] = {}
    for rule in rules:
        if not isinstance(rule, PauseRule):
            raise RuleError(f"a rule pack holds PauseRule values, got {rule!r}.", rule=rule)
        if rule.code in table:
            raise RuleError(f"pause reason {rule.code!r} appears twice.", rule=rule.code)
        table[rule.code] = rule
    return MappingProxyType(table)


@attrs.frozen(repr=False)
class RulePack:
    """A named, immutable set of rules in force from ``effective_from`` to ``effective_until``
    (inclusive; None: open-ended). Its ``repr`` is short (name, dates, number of reasons): a pack
    holds pages of citations, and failure reports print every procedure that holds one.

    Besides the pause reasons and the apology rule:

    - ``same_day``: what a same-day budget means (:class:`~tthc_flow.engine.SameDayRule`),
      the budget of a step written "0 ngày làm việc" (the desk's transfer, Decree 118/2025
      Art. 18(2));
    - ``late_receipt_next_day``: a practice, not law (DOMAIN §3): when True the legal clock of
      a case received after ``same_day.cutoff`` (or on a day not worked) starts at the next
      working day's first session. Default off;
    - ``closure``, ``forwarding``, ``stop``, ``refusal``: the rules of those names, or None
      where the pack has no such rule.
    """

    name: str
    citation: str
    effective_from: date
    effective_until: date | None
    reasons: Mapping[str, PauseRule] = attrs.field(converter=_reasons, eq=False)
    reschedule: RescheduleRule
    supplement: str = "supplement"
    same_day: SameDayRule = DESK_TRANSFER_RULE
    late_receipt_next_day: bool = False
    closure: ClosureRule | None = None
    forwarding: ForwardingRule | None = None
    stop: StopRule | None = None
    refusal: RefusalRule | None = None
    _key: tuple[Any, ...] = attrs.field(init=False, repr=False)

    __reduce__ = reduce_frozen  # read-only mappings inside

    def __attrs_post_init__(self) -> None:
        for field, day in (("effective_from", self.effective_from),
                           ("effective_until", self.effective_until)):  # fmt: skip
            if (day is not None or field == "effective_from") and (
                isinstance(day, datetime) or not isinstance(day, date)
            ):
                raise RuleError(
                    f"rule pack {self.name!r}: {field} must be a date, got "
                    f"{type(day).__name__} {day!r:.40}.",
                    rule=field,
                )
        until = self.effective_until
        if until is not None and until < self.effective_from:
            # A pack in force on no day would refuse every case it is asked to judge: found
            # here, where the pack is written, not when the first citizen's case reaches it.
            raise RuleError(
                f"rule pack {self.name!r}: effective_until {until} is before effective_from "
                f"{self.effective_from}; the pack would be in force on no day.",
                rule="effective_until",
            )
        for rule in self.reasons.values():
            if rule.per_stage and rule.code != self.supplement:
                raise RuleError(
                    f"rule {rule.code!r} of pack {self.name!r} counts per stage (per_stage); "
                    "only the supplement request is counted at reception and after it apart. "
                    "Leave per_stage out for other reasons.",
                    rule=rule.code,
                )
        if self.supplement not in self.reasons:
            raise RuleError(
                f"rule pack {self.name!r} names {self.supplement!r} as its supplement reason but "
                "does not define it.",
                rule=self.supplement,
            )
        object.__setattr__(self, "_key", tuple(sorted(self.reasons.items())))

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )

    def __repr__(self) -> str:
        # One line: Hypothesis and pytest print every procedure holding a pack.
        until = self.effective_until.isoformat() if self.effective_until else ""
        return (
            f"<RulePack {short_text(self.name, 40)} {self.effective_from.isoformat()}..{until}"
            f" {len(self.reasons)} reasons>"
        )

    def rule(self, code: str) -> PauseRule:
        try:
            return self.reasons[code]
        except KeyError:
            known = ", ".join(sorted(self.reasons))
            raise RuleError(
                f"rule pack {self.name!r} has no pause reason {code!r}; known: {known}.",
                rule=code,
            ) from None

    @property
    def supplement_rule(self) -> PauseRule:
        return self.reasons[self.supplement]

    def derive(
        self,
        name: str,
        *,
        add: Iterable[PauseRule] = (),
        replace: Iterable[PauseRule] = (),
        remove: Iterable[str] = (),
        **changes: Any,
    ) -> RulePack:
        """A new pack based on this one (an agency's own, or a later amendment).

        ``add`` new reasons, ``replace`` existing ones by code, ``remove`` codes; any other
        field (``citation``, ``effective_from``, ``reschedule``, ``same_day``…) by keyword.
        """
        table = dict(self.reasons)
        for code in remove:
            self.rule(code)
            del table[code]
        for rule in replace:
            self.rule(rule.code)
            table[rule.code] = rule
        for rule in add:
            if rule.code in table:
                raise RuleError(
                    f"{rule.code!r} is already in {self.name!r}; use replace= to change it.",
                    rule=rule.code,
                )
            table[rule.code] = rule
        return attrs.evolve(self, name=name, reasons=table, **changes)


# ---------------------------------------------------------------------------- citations

_D61 = "Nghị định 61/2018/NĐ-CP"
# Decree 61/2018's text was not at hand: its article numbers are as secondary sources give
# them, and each citation says so.
_SECONDARY = "theo nguồn thứ cấp (secondary source)"
_D118 = "Nghị định 118/2025/NĐ-CP"
# Decision 766/QĐ-TTg's indicator is known from a technical description of the portal's
# computation, a secondary source.
_Q766 = "Quyết định 766/QĐ-TTg (2022), cách tính chỉ số, theo nguồn thứ cấp (secondary source)"
# Decree 151/2025 is cited as DOMAIN.md gives it; its text is not in the library's sources.
_LAND = (
    "Nghị định 151/2025/NĐ-CP (thời gian không tính vào thời hạn giải quyết thủ tục đất đai), "
    + _SECONDARY
)

_EVIDENCE_SUPPLEMENT = ("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (supplement request form)",)


def _land_pauses() -> tuple[PauseRule, ...]:
    return (
        PauseRule(
            "financial_obligation",
            "Thực hiện nghĩa vụ tài chính",
            "financial obligation",
            _LAND,
            evidence=("Thông báo nộp nghĩa vụ tài chính (notice of financial obligation)",),
            declared_only=True,
        ),
        PauseRule(
            "public_posting",
            "Niêm yết, công khai",
            "public posting",
            _LAND,
            evidence=("Biên bản niêm yết (posting record)",),
            declared_only=True,
        ),
        PauseRule(
            "expert_assessment",
            "Trưng cầu giám định",
            "expert assessment",
            _LAND,
            evidence=("Quyết định trưng cầu giám định (assessment request)",),
            declared_only=True,
        ),
        PauseRule(
            "violation_handling",
            "Xem xét xử lý vi phạm",
            "violation handling",
            _LAND,
            evidence=("Biên bản vi phạm (violation record)",),
            declared_only=True,
        ),
    )


def _inside_the_time(citation: str) -> tuple[PauseRule, ...]:
    """Verification and consultation: part of the processing, never a reason to pause."""
    return (
        PauseRule(
            "verification",
            "Xác minh",
            "verification",
            citation,
            legal=Effect.NONE,
            indicator=Effect.NONE,
            step=Effect.NONE,
            allowed=False,
        ),
        PauseRule(
            "consultation",
            "Lấy ý kiến cơ quan, đơn vị liên quan",
            "consultation with other agencies",
            citation,
            legal=Effect.NONE,
            indicator=Effect.NONE,
            step=Effect.NONE,
            allowed=False,
        ),
    )


def _supplement(
    citation: str, *, legal: Effect, window: WorkingDays | None, per_stage: bool = False,
    online_check: WorkingBudget | None = None,
) -> PauseRule:  # fmt: skip
    return PauseRule(
        "supplement",
        "Yêu cầu bổ sung, hoàn thiện hồ sơ",
        "supplement request",
        citation,
        legal=legal,
        indicator=Effect.PAUSE,
        step=Effect.PAUSE,
        max_times=1,
        window=window,
        invokers=frozenset({Invoker.STEP_UNIT, Invoker.RECEPTION}),
        evidence=_EVIDENCE_SUPPLEMENT,
        per_stage=per_stage,
        online_check=online_check,
    )


DECREE_61_2018 = RulePack(
    name="DECREE_61_2018",
    citation=(
        f"{_D61}, sửa đổi bởi Nghị định 107/2021/NĐ-CP; Thông tư 01/2018/TT-VPCP ({_SECONDARY})"
    ),
    effective_from=date(2018, 6, 21),
    effective_until=date(2025, 6, 30),
    reasons=(
        _supplement(
            f"{_D61}, Điều 11 khoản 2 điểm c, Điều 15 khoản 3, Điều 19 khoản 4 ({_SECONDARY}); "
            f"indicator: {_Q766}",
            legal=Effect.RESTART,
            window=WorkingDays(3),
        ),
        *_land_pauses(),
        *_inside_the_time(
            f"{_D61}, Điều 19 khoản 3 và 5 ({_SECONDARY}): xác minh, lấy ý kiến trong thời hạn "
            "giải quyết"
        ),
    ),
    reschedule=RescheduleRule(
        citation=f"{_D61}, Điều 19 khoản 9; Điều 12 khoản 5 ({_SECONDARY})"
    ),
    same_day=attrs.evolve(
        DESK_TRANSFER_RULE,
        citation=(
            f"{_D61}, Điều 18 ({_SECONDARY}; the same 15:00 rule as {_D118}, Điều 18 khoản 2). "
            "'Đầu giờ' is read as the first working hour."
        ),
    ),
)

# Decree 118/2025/NĐ-CP as read from its text (../shared/docs/law/decree-118-2025.txt, the
# original before Decrees 367/2025 and 309/2026, whose known changes touch reception channels,
# not time limits).
DECREE_118_2025 = RulePack(
    name="DECREE_118_2025",
    # The amending Decrees 367/2025 and 309/2026 are not cited: their texts could not be read.
    citation=(
        f"{_D118}; Thông tư 03/2025/TT-VPCP; thời hạn tính từ khi tiếp nhận hồ sơ đầy đủ, hợp "
        "lệ (Điều 17 khoản 3)"
    ),
    effective_from=date(2025, 7, 1),  # Điều 40 khoản 1
    effective_until=None,
    reasons=(
        # Once at the desk (the text), and once after appraisal (the library's reading of
        # Art. 19(5): one notice "nêu rõ lý do, nội dung cần bổ sung"; the text sets a window
        # for it, not a count).
        _supplement(
            f"{_D118}: khi tiếp nhận, chỉ yêu cầu bổ sung một lần (Điều 11 khoản 2 điểm c; "
            "Điều 16 khoản 3; Điều 17 khoản 1 điểm c, khoản 2 điểm a); hồ sơ trực tuyến: thông "
            "báo không muộn hơn 08 giờ làm việc (Điều 17 khoản 2 điểm c); sau thẩm định, trả lại "
            "hồ sơ trong không quá 03 ngày làm việc kể từ ngày tiếp nhận, thời hạn giải quyết "
            f"được tính lại từ đầu sau khi nhận đủ hồ sơ (Điều 19 khoản 5); indicator: {_Q766}",
            legal=Effect.RESTART,
            window=WorkingDays(3),
            per_stage=True,
            online_check=WorkingHours(8),
        ),
        *_land_pauses(),
        *_inside_the_time(
            f"{_D118}, Điều 19 khoản 4: thẩm tra, xác minh, lấy ý kiến là một phần của quá "
            "trình giải quyết, mỗi cơ quan được lấy ý kiến trả lời theo thời hạn; không có "
            "quy định tạm dừng thời hạn"
        ),
    ),
    # Who asks: the agency handling the dossier (Art. 19(6), Art. 12(5)), so the unit holding
    # the case, never the desk (it moves the date on the agency's request); and a unit whose
    # own time overran, which Circular 01/2018's indicator 2 and
    # Decree 61/2018 Art. 12(5) hold answerable (secondary sources, named in the docs only).
    reschedule=RescheduleRule(
        citation=(
            f"{_D118}, Điều 19 khoản 6: chậm nhất 01 ngày trước ngày hết hạn, cơ quan, đơn vị "
            "có thẩm quyền giải quyết hồ sơ thông báo Bộ phận Một cửa, gửi văn bản xin lỗi và "
            "Phiếu đề nghị gia hạn thời gian giải quyết; hẹn lại không quá một lần; Điều 12 "
            "khoản 5"
        ),
        holder_asks=True,
        desk_asks=False,
    ),
    same_day=DESK_TRANSFER_RULE,
    closure=ClosureRule(
        after=CalendarDays(15),
        citation=(
            f"{_D118}, Điều 19 khoản 5: sau 15 ngày kể từ khi thông báo, nếu tổ chức, cá nhân "
            "không hoàn thành việc hoàn thiện hồ sơ, Bộ phận Một cửa đóng hồ sơ"
        ),
    ),
    forwarding=ForwardingRule(
        budget=WorkingDays(1),
        citation=(
            f"{_D118}, Điều 20 khoản 1 điểm a: chuyển ngay hồ sơ điện tử, chuyển hồ sơ giấy "
            "đến cơ quan có thẩm quyền trong không quá 01 ngày làm việc kể từ khi tiếp nhận"
        ),
        paper_only=True,
    ),
    stop=StopRule(
        citation=(
            f"{_D118}, Điều 21 khoản 1 và 2: tổ chức, cá nhân được yêu cầu dừng thực hiện thủ "
            "tục hành chính trước khi cơ quan có thẩm quyền ban hành quyết định giải quyết"
        ),
    ),
    refusal=RefusalRule(
        citation=(
            f"{_D118}, Điều 19 khoản 3: thông báo từ chối giải quyết trong thời hạn giải quyết "
            "hồ sơ theo quy định"
        ),
    ),
)

NATIONAL_PACKS: tuple[RulePack, ...] = (DECREE_61_2018, DECREE_118_2025)

# Internal procedures (thủ tục hành chính nội bộ) have no desk and no national rule on time:
# seed 002 (Quảng Nam, Decision 2307/QĐ-UBND of 21/8/2021, as the press reported it) asks
# that each division's task and time be explicit, that the lead unit's time be the whole
# time, and that coordination not drag on. This pack is that practice, to be replaced by an
# agency's own regulation (RulePack.derive).
_INTERNAL = (
    "thực tiễn kiểm soát thủ tục hành chính nội bộ (practice, no national text): Quyết định "
    "2307/QĐ-UBND ngày 21/8/2021 của UBND tỉnh Quảng Nam, theo báo chí (secondary source)"
)

INTERNAL_PRACTICE = RulePack(
    name="INTERNAL_PRACTICE",
    citation=_INTERNAL,
    effective_from=date(1995, 1, 1),
    effective_until=None,
    reasons=(
        PauseRule(
            "supplement",
            "Yêu cầu bổ sung, hoàn thiện hồ sơ",
            "supplement request",
            f"{_INTERNAL}: the requesting unit's time to complete its file is excluded, once",
            legal=Effect.PAUSE,
            indicator=Effect.PAUSE,
            step=Effect.PAUSE,
            max_times=1,
            invokers=frozenset({Invoker.STEP_UNIT}),
        ),
        *_inside_the_time(f"{_INTERNAL}: coordination runs inside the lead unit's time"),
    ),
    reschedule=RescheduleRule(citation=f"{_INTERNAL}: the delaying unit asks, once"),
    same_day=SameDayRule(
        cutoff=None,
        opening_minutes=60,
        citation=f"{_INTERNAL}: a same-day step ends with the working day; no desk cut-off",
    ),
)

INTERNAL_PACKS: tuple[RulePack, ...] = (INTERNAL_PRACTICE,)


def pack_in_force(day: date, packs: Iterable[RulePack] = NATIONAL_PACKS) -> RulePack:
    """The pack in force on ``day`` (a case's receipt date); a typed error when none or more
    than one is."""
    found = [pack for pack in packs if pack.in_force(day)]
    if len(found) != 1:
        names = ", ".join(p.name for p in found) or "none"
        raise RuleError(
            f"{len(found)} rule packs are in force on {day.isoformat()} ({names}); exactly one "
            "must be. Check the packs' effective dates.",
            rule=day,
        )
    return found[0]


def nearest_pack(day: date, packs: Iterable[RulePack]) -> RulePack:
    """The pack a history received on ``day`` is judged by when no single pack is in force
    (audit mode records that as a violation): the first of those in force that day, else the
    one whose dates lie nearest to it."""
    ordered = tuple(packs)
    found = [pack for pack in ordered if pack.in_force(day)]
    if found:
        return found[0]

    def distance(pack: RulePack) -> int:
        if day < pack.effective_from:
            return (pack.effective_from - day).days
        assert pack.effective_until is not None
        return (day - pack.effective_until).days

    return min(ordered, key=distance)

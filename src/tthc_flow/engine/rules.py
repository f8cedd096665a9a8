"""Legal rule packs (law as data): which pauses the law allows, their effect on each clock,
how often, when, by whom and on what evidence; and the rule for rescheduling with an apology.

A case is judged by the pack in force on the day it was received (:func:`pack_in_force`).
Agencies derive their own packs from a national one with :meth:`RulePack.derive`; the
national packs themselves are never changed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs

from tthc_flow.engine.budgets import WorkingDays
from tthc_flow.errors import RuleError

__all__ = [
    "DECREE_61_2018",
    "DECREE_118_2025",
    "NATIONAL_PACKS",
    "Effect",
    "Invoker",
    "PauseRule",
    "RescheduleRule",
    "RulePack",
    "pack_in_force",
]


class Effect(enum.Enum):
    """What a pause does to a clock."""

    PAUSE = "tạm dừng (time excluded)"
    RESTART = "tính lại từ đầu (budget restarts from zero when the pause ends)"
    NONE = "không ảnh hưởng (runs inside the budget)"


class Invoker(enum.Enum):
    """Who may invoke a pause."""

    STEP_UNIT = "đơn vị đang xử lý (the unit of the current step)"
    RECEPTION = "bộ phận tiếp nhận (the reception desk)"
    ANY_STEP_UNIT = "bất kỳ đơn vị nào của quy trình (any unit of the procedure)"


@attrs.frozen
class PauseRule:
    """One legal reason to stop a clock (lý do tạm dừng), with its article.

    - ``legal`` / ``indicator`` / ``step``: the effect on the legal clock, on the indicator
      clock of Decision 766/QĐ-TTg, and on the clock of the step and unit that pause.
    - ``max_times``: how many times per case (None: no limit).
    - ``window``: it may only be invoked within this much working time of receipt (None:
      any time while the case is processed).
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
    window: WorkingDays | None = None
    invokers: frozenset[Invoker] = frozenset({Invoker.STEP_UNIT})
    evidence: tuple[str, ...] = ()
    declared_only: bool = False
    allowed: bool = True

    def __str__(self) -> str:
        return f"{self.name} ({self.name_en}) [{self.citation}]"


@attrs.frozen
class RescheduleRule:
    """Rescheduling with an apology (xin lỗi và hẹn lại ngày trả kết quả)."""

    citation: str
    max_times: int = 1
    # The apology must go out no later than this many calendar days before the due date.
    days_before_due: int = 1
    by_delaying_unit: bool = True
    requires: tuple[str, ...] = ("reason", "new_due")


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
    (inclusive; None: open-ended). Its ``repr`` is short (name, dates, reason codes): a pack
    holds pages of citations, and failure reports print every procedure that holds one."""

    name: str
    citation: str
    effective_from: date
    effective_until: date | None
    reasons: Mapping[str, PauseRule] = attrs.field(converter=_reasons, eq=False)
    reschedule: RescheduleRule
    supplement: str = "supplement"
    _key: tuple[Any, ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
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
        until = self.effective_until.isoformat() if self.effective_until else ""
        return (
            f"<RulePack {self.name} {self.effective_from.isoformat()}..{until} "
            f"reasons={','.join(self.reasons)}>"
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
        field (``citation``, ``effective_from``, ``reschedule``…) by keyword.
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


_D61 = "Nghị định 61/2018/NĐ-CP"
_D118 = "Nghị định 118/2025/NĐ-CP (sửa đổi bởi Nghị định 367/2025/NĐ-CP và 309/2026/NĐ-CP)"
_LAND = "Nghị định 151/2025/NĐ-CP (thời gian không tính vào thời hạn giải quyết thủ tục đất đai)"

_EVIDENCE_SUPPLEMENT = ("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (supplement request form)",)


def _national(citation: str, supplement_citation: str) -> tuple[PauseRule, ...]:
    return (
        PauseRule(
            "supplement",
            "Yêu cầu bổ sung, hoàn thiện hồ sơ",
            "supplement request",
            supplement_citation,
            legal=Effect.RESTART,
            indicator=Effect.PAUSE,
            step=Effect.PAUSE,
            max_times=1,
            window=WorkingDays(3),
            invokers=frozenset({Invoker.STEP_UNIT, Invoker.RECEPTION}),
            evidence=_EVIDENCE_SUPPLEMENT,
        ),
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
        PauseRule(
            "verification",
            "Xác minh",
            "verification",
            f"{citation}: verification runs inside the processing time",
            legal=Effect.NONE,
            indicator=Effect.NONE,
            step=Effect.NONE,
            allowed=False,
        ),
        PauseRule(
            "consultation",
            "Lấy ý kiến cơ quan, đơn vị liên quan",
            "consultation with other agencies",
            f"{citation}: consultation runs inside the processing time",
            legal=Effect.NONE,
            indicator=Effect.NONE,
            step=Effect.NONE,
            allowed=False,
        ),
    )


DECREE_61_2018 = RulePack(
    name="DECREE_61_2018",
    citation=f"{_D61}, sửa đổi bởi Nghị định 107/2021/NĐ-CP; Thông tư 01/2018/TT-VPCP",
    effective_from=date(2018, 6, 21),
    effective_until=date(2025, 6, 30),
    reasons=_national(
        f"{_D61}, Điều 19 khoản 3 và 5",
        f"{_D61}, Điều 11 khoản 2 điểm c, Điều 15 khoản 3, Điều 19 khoản 4",
    ),
    reschedule=RescheduleRule(citation=f"{_D61}, Điều 19 khoản 9; Điều 12 khoản 5"),
)

DECREE_118_2025 = DECREE_61_2018.derive(
    "DECREE_118_2025",
    citation=f"{_D118}; Thông tư 03/2025/TT-VPCP",
    effective_from=date(2025, 7, 1),
    effective_until=None,
    replace=_national(
        f"{_D118} (carried over from {_D61}, Điều 19 khoản 3 và 5)",
        # The wording of Decree 118 on restarting after a supplement could not be checked
        # word for word; the Decree 61 rule is carried over and said to be so.
        f"{_D118} (rule carried over from {_D61}, Điều 19 khoản 4; override if your reading "
        "of Decree 118 differs)",
    ),
    reschedule=RescheduleRule(citation=f"{_D118} (carried over from {_D61}, Điều 19 khoản 9)"),
)

NATIONAL_PACKS: tuple[RulePack, ...] = (DECREE_61_2018, DECREE_118_2025)


def pack_in_force(day: date, packs: Iterable[RulePack] = NATIONAL_PACKS) -> RulePack:
    """The pack in force on ``day`` (a case's receipt date)."""
    found = [pack for pack in packs if pack.in_force(day)]
    if len(found) != 1:
        names = ", ".join(p.name for p in found) or "none"
        raise RuleError(
            f"{len(found)} rule packs are in force on {day.isoformat()} ({names}); exactly one "
            "must be. Check the packs' effective dates.",
            rule=day,
        )
    return found[0]

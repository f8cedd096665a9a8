"""Hypothesis strategies for budgets (thời hạn) and procedures (thủ tục hành chính).

Every procedure drawn is valid by construction: it passes every check of
:mod:`tthc_flow.engine._validation`, so a test that draws one tests the code under test, not
the generator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from tthc_flow._validators import shown
from tthc_flow.engine import (
    ART_20_2_ORDERS,
    NATIONAL_PACKS,
    Budget,
    BudgetAdjustment,
    BudgetPolicy,
    CalendarDays,
    Months,
    Procedure,
    ProcedureKind,
    RulePack,
    Step,
    WorkingDays,
    WorkingHours,
)
from tthc_flow.errors import InvalidInputError

__all__ = ["CONSULTED", "DESK", "REMOTE_ADJUSTMENT", "UNITS", "budgets", "procedures"]

BUDGET_KINDS: tuple[type[Budget], ...] = (WorkingDays, WorkingHours, CalendarDays, Months)

DESK = "Bộ phận Một cửa"
# Units per kind of procedure: one-stop work stays in one agency, inter-agency work crosses
# several, internal procedures (TTHC nội bộ) have no citizen-facing desk.
UNITS: dict[ProcedureKind, tuple[str, ...]] = {
    ProcedureKind.ONE_STOP: ("Phòng Chuyên môn", "Lãnh đạo Sở", "Văn thư Sở"),
    ProcedureKind.INTER_AGENCY: (
        "Chi nhánh Văn phòng đăng ký đất đai",
        "Cơ quan thuế",
        "UBND xã",
        "Phòng Nông nghiệp và Môi trường",
    ),
    ProcedureKind.INTERNAL: ("Văn phòng Sở", "Phòng Tổ chức cán bộ", "Ban Giám đốc Sở"),
}
_NAMES = (
    "Thẩm định hồ sơ",
    "Xác minh thực địa",
    "Lãnh đạo phòng xem xét",
    "Trình ký",
    "Ký duyệt",
    "Vào sổ, đóng dấu",
    "Xác định nghĩa vụ tài chính",
    "Lấy ý kiến",
    "Tổng hợp, báo cáo",
)
_ROLES = (None, None, "chuyên viên", "lãnh đạo phòng")
# The +10 working days of Decree 151/2025 for communes in remote, mountainous and island areas,
# keyed on the ``remote`` case attribute.
REMOTE_ADJUSTMENT = "xã miền núi, hải đảo, vùng khó khăn (remote commune)"
_REMOTE_CITATION = "Nghị định 151/2025/NĐ-CP, phụ lục"
# Units a step may ask for an opinion or a verification (lấy ý kiến, Decree 118/2025
# Art. 19(4)) without ever holding the case; the units of the procedure's kind are consulted
# too, so that a unit may both answer a consultation and hold a step.
CONSULTED = ("Phòng Tài chính - Kế hoạch", "Công an huyện", "Sở Xây dựng")


def _check_int(name: str, value: object, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise InvalidInputError(
            f"{name}={shown(value)} is out of range.",
            value=value,
            hint=f"Pass an int from {low} to {high}.",
        )
    return value


def _check_flag(name: str, value: object) -> None:
    if type(value) is not bool:
        raise InvalidInputError(
            f"{name}={shown(value)} is not a flag.", value=value, hint="True/False"
        )


def _check_order(low_name: str, low: int, high_name: str, high: int) -> None:
    if high < low:
        raise InvalidInputError(
            f"{high_name}={high} is below {low_name}={low}.",
            value=(low, high),
            hint=f"Give {low_name} <= {high_name}.",
        )


# --------------------------------------------------------------------------- budgets


def budgets(
    *,
    kinds: Iterable[type[Budget]] = (WorkingDays,),
    min_days: int = 0,
    max_days: int = 20,
) -> st.SearchStrategy[Budget]:
    """Budgets of ``min_days`` to ``max_days`` days (inclusive) of the given ``kinds``.

    :class:`WorkingDays` come in quarter days (0.25 day = 120 minutes, as internal workflows
    write them), :class:`WorkingHours` in half hours (8 hours a working day),
    :class:`CalendarDays` in whole days and :class:`Months` in whole months of 30 days or
    fewer within the bounds (a kind with no value in the bounds is left out).
    """
    hint = "Pass e.g. kinds=(WorkingDays, CalendarDays)."
    if isinstance(kinds, (str, bytes, Mapping)) or not isinstance(kinds, Iterable):
        raise InvalidInputError(
            f"kinds={shown(kinds)} must be a sequence of budget classes.", value=kinds,
            hint=hint,
        )  # fmt: skip
    chosen = tuple(kinds)
    if not chosen or any(k not in BUDGET_KINDS for k in chosen):
        raise InvalidInputError(
            f"kinds={shown(chosen)} must be some of WorkingDays, WorkingHours, CalendarDays, "
            "Months.",
            value=chosen,
            hint=hint,
        )
    low = _check_int("min_days", min_days, 0, 10_000)
    high = _check_int("max_days", max_days, 0, 10_000)
    _check_order("min_days", low, "max_days", high)
    options: list[st.SearchStrategy[Budget]] = []
    if WorkingDays in chosen:
        options.append(st.integers(4 * low, 4 * high).map(lambda q: WorkingDays(Fraction(q, 4))))
    if WorkingHours in chosen:
        options.append(
            st.integers(16 * low, 16 * high).map(lambda h: WorkingHours(Fraction(h, 2)))
        )
    if CalendarDays in chosen:
        options.append(st.integers(low, high).map(CalendarDays))
    if Months in chosen and -(-low // 30) <= high // 30:
        options.append(st.integers(-(-low // 30), high // 30).map(Months))
    if not options:
        raise InvalidInputError(
            f"no budget of kinds {[k.__name__ for k in chosen]} lies in {low}..{high} days.",
            value=(low, high),
            hint="Widen the bounds (a month counts as 30 days here).",
        )
    return st.one_of(options)


# --------------------------------------------------------------------------- procedures


def _packs(rules: RulePack | Iterable[RulePack] | None) -> tuple[RulePack, ...]:
    if rules is None:
        return NATIONAL_PACKS
    if isinstance(rules, RulePack):
        packs: tuple[Any, ...] = (rules,)
    elif isinstance(rules, Iterable) and not isinstance(rules, (str, bytes, Mapping)):
        packs = tuple(rules)
    else:
        packs = ()
    if not packs or not all(isinstance(p, RulePack) for p in packs):
        raise InvalidInputError(
            f"rules={shown(rules)} must be a RulePack or a non-empty sequence of them.",
            value=rules,
            hint="Pass e.g. DECREE_118_2025, or NATIONAL_PACKS.",
        )
    return packs


def _declarable(packs: Sequence[RulePack]) -> list[str]:
    """Pause reasons every pack allows and that a procedure must declare (land pauses)."""
    codes = set.intersection(*({c for c, r in p.reasons.items() if r.allowed} for p in packs))
    return sorted(c for c in codes if all(p.reasons[c].declared_only for p in packs))


@st.composite
def _consults(draw: st.DrawFn, unit: str, amount: int, in_days: bool) -> dict[str, Budget]:
    """Sometimes (one step in three) one or two other units to consult, each with an answer
    budget within the step's own ``amount`` (quarter working days, or calendar days)."""
    if draw(st.integers(0, 2)) > 0:
        return {}
    others = sorted({*CONSULTED, *(u for units in UNITS.values() for u in units)} - {unit})
    chosen = draw(st.lists(st.sampled_from(others), min_size=1, max_size=2, unique=True))
    found: dict[str, Budget] = {}
    for name in chosen:
        if in_days:
            found[name] = CalendarDays(draw(st.integers(1, amount)))
        elif draw(st.booleans()):
            found[name] = WorkingDays(Fraction(draw(st.integers(1, amount)), 4))
        else:  # half working hours, up to the step's quarter days (2 hours each)
            found[name] = WorkingHours(Fraction(draw(st.integers(1, 4 * amount)), 2))
    return found


@st.composite
def _procedures(
    draw: st.DrawFn,
    *,
    kind: ProcedureKind | None,
    min_steps: int,
    max_steps: int,
    loops: bool,
    branches: bool,
    packs: tuple[RulePack, ...],
    pauses: bool,
    adjustments: bool,
    policy: BudgetPolicy,
    calendar_days: bool,
    months: bool,
    consultations: bool,
    forks: bool,
    code: str | None,
) -> Procedure:
    kind = kind if kind is not None else draw(st.sampled_from(list(ProcedureKind)))
    units = UNITS[kind]
    desk = kind is not ProcedureKind.INTERNAL
    in_months = months and draw(st.booleans())
    in_days = in_months or (calendar_days and draw(st.booleans()))
    size = draw(st.integers(min_steps, max_steps))
    # A path visits one step of each slot; a slot of two steps is a choice between two units
    # (a branch). Under EXACT both alternatives get the same budget so every path adds up.
    slots: list[list[tuple[str, str, int]]] = []  # (key, unit, amount) per step
    for i in range(size):
        amount = draw(st.integers(0, 10 if in_days else 12))
        unit = DESK if desk and i in (0, size - 1) else draw(st.sampled_from(units))
        slot = [(f"s{i}", unit, amount)]
        if branches and 0 < i < size - 1 and draw(st.integers(0, 3)) == 0:
            other = amount if policy is BudgetPolicy.EXACT else draw(st.integers(0, 12))
            slot.append((f"s{i}b", draw(st.sampled_from(units)), other))
        slots.append(slot)
    # A fork (Decree 118/2025 Art. 20(2)(b)): the single step of slot ``fork_at`` hands the
    # case to two or three branches at once, each a chain of one or two steps, which meet
    # at the first step of the next slot (the join).
    fork_at: int | None = None
    block: list[list[tuple[str, str, int]]] = []
    candidates = [i for i in range(size - 1) if len(slots[i]) == 1 and len(slots[i + 1]) == 1]
    if forks and candidates and draw(st.integers(0, 2)) == 0:
        fork_at = draw(st.sampled_from(candidates))
        for number in range(draw(st.integers(2, 3))):
            chain = []
            for depth in range(draw(st.integers(1, 2))):
                amount = draw(st.integers(0, 6 if in_days else 8))
                chain.append((f"p{number}_{depth}", draw(st.sampled_from(units)), amount))
            block.append(chain)
    sums = [sum(amount for _, _, amount in chain) for chain in block]
    orders = None
    if block and kind is ProcedureKind.INTER_AGENCY and draw(st.booleans()):
        orders = ART_20_2_ORDERS
    steps: list[Step] = []
    ancestors: list[str] = []  # the steps a branch or a later step may send back to
    for i, slot in enumerate(slots):
        following = [key for key, _, _ in slots[i + 1]] if i + 1 < size else []
        skip: dict[str, str] = {}
        # Skipping a single zero-budget step keeps every path's sum unchanged (never from a
        # fork step, or over a join).
        if (
            branches
            and i + 2 < size
            and len(slots[i + 1]) == 1
            and slots[i + 1][0][2] == 0
            and fork_at not in (i, i + 1)
            and draw(st.booleans())
        ):
            skip["bỏ qua bước (skip)"] = slots[i + 2][0][0]
        for position, (key, unit, amount) in enumerate(slot):
            branch = dict(skip)
            if len(following) == 2:
                branch["chuyển đơn vị khác (other unit)"] = following[1]
            earlier = list(ancestors)
            back: tuple[str, ...] = ()
            last = i == size - 1
            if loops and earlier and not (desk and last) and draw(st.integers(0, 2)) == 0:
                back = tuple(draw(st.sets(st.sampled_from(earlier), min_size=1, max_size=2)))
            forking = i == fork_at
            steps.append(
                Step(
                    key,
                    "Tiếp nhận hồ sơ" if desk and i == 0
                    else "Trả kết quả" if desk and last
                    else draw(st.sampled_from(_NAMES)) + (" (phương án khác)" if position else ""),
                    unit,
                    CalendarDays(amount) if in_days else WorkingDays(Fraction(amount, 4)),
                    role=draw(st.sampled_from(_ROLES)) if not (desk and i in (0, size - 1))
                    else None,
                    next=() if forking else following[:1],
                    back=tuple(sorted(back)),
                    branches=branch,
                    reception=desk and i == 0,
                    returns=desk and last,
                    consults=draw(_consults(unit, amount, in_days))
                    if consultations and amount > 0 and not (desk and i in (0, size - 1))
                    else None,
                    fork=tuple(chain[0][0] for chain in block) if forking else (),
                )
            )
        ancestors += [key for key, _, _ in slot]
        if i == fork_at:
            steps += draw(_branches(block, following[0], ancestors, loops, consultations,
                                    in_days))  # fmt: skip
    longest = sum(max(amount for _, _, amount in slot) for slot in slots)
    if block:
        # In parallel, the longest branch; in turn (paper), every branch one after another.
        longest += sum(sums) if orders is not None else max(sums)
    if policy is BudgetPolicy.WITHIN:
        longest += draw(st.integers(0, 8))
    elif policy is BudgetPolicy.UNCHECKED:
        # Published by hand, checked by nobody: the total may be shorter than a path.
        longest = draw(st.integers(0, longest + 8))
    total: Budget = CalendarDays(longest) if in_days else WorkingDays(Fraction(longest, 4))
    if in_months:
        # "01 tháng": a month total over steps counted in days cannot be added up exactly
        # (months differ in length), so such a procedure is published unchecked.
        total, policy = Months(max(1, -(-longest // 30))), BudgetPolicy.UNCHECKED
    declarable = _declarable(packs) if pauses else []
    declared = draw(st.sets(st.sampled_from(declarable))) if declarable else set()
    extra: list[BudgetAdjustment] = []
    # Decree 151/2025's ten days are added to a total in days: none to a total in months.
    if adjustments and not in_months and draw(st.integers(0, 3)) == 0:
        target = draw(st.sampled_from([None, *(s.key for s in steps)]))
        extra.append(
            BudgetAdjustment(
                REMOTE_ADJUSTMENT,
                CalendarDays(10) if in_days else WorkingDays(10),
                when={"remote": True},
                citation=_REMOTE_CITATION,
                step=target,
            )
        )
    return Procedure(
        code=code if code is not None else f"T.{draw(st.integers(1, 999_999)):06d}",
        name=f"Thủ tục sinh ngẫu nhiên (generated) {kind.name.lower()}",
        version="1",
        kind=kind,
        total=total,
        steps=steps,
        rules=packs,
        effective_from=min(p.effective_from for p in packs),
        legal_basis=("generated by tthc_flow.testing",),
        adjustments=extra,
        pauses=declared,
        budget_policy=policy,
        agency="Cơ quan thử nghiệm (test agency)",
        orders=orders,
    )


@st.composite
def _branches(
    draw: st.DrawFn, block: list[list[tuple[str, str, int]]], join: str, ancestors: list[str],
    loops: bool, consultations: bool, in_days: bool,
) -> list[Step]:  # fmt: skip
    """The steps of a fork's branches: each chain hands over along itself, its last step to
    the join; a branch step may send back within its branch, or to the fork step or a step
    before it."""
    steps: list[Step] = []
    for chain in block:
        for depth, (key, unit, amount) in enumerate(chain):
            earlier = ancestors + [k for k, _, _ in chain[:depth]]
            back: tuple[str, ...] = ()
            if loops and draw(st.integers(0, 2)) == 0:
                back = tuple(draw(st.sets(st.sampled_from(earlier), min_size=1, max_size=2)))
            following = chain[depth + 1][0] if depth + 1 < len(chain) else join
            consults = (
                draw(_consults(unit, amount, in_days)) if consultations and amount > 0 else None
            )
            budget = CalendarDays(amount) if in_days else WorkingDays(Fraction(amount, 4))
            name = draw(st.sampled_from(_NAMES)) + " (song song)"
            steps.append(Step(key, name, unit, budget, next=following, back=tuple(sorted(back)),
                              consults=consults))  # fmt: skip
    return steps


def procedures(
    *,
    kind: ProcedureKind | None = None,
    min_steps: int = 2,
    max_steps: int = 6,
    loops: bool = True,
    branches: bool = True,
    rules: RulePack | Iterable[RulePack] | None = None,
    pauses: bool = True,
    adjustments: bool = True,
    budget_policy: BudgetPolicy = BudgetPolicy.EXACT,
    calendar_days: bool = False,
    months: bool = False,
    consultations: bool = True,
    forks: bool = True,
) -> st.SearchStrategy[Procedure]:
    """Valid procedures (thủ tục) with ``min_steps`` to ``max_steps`` steps on each path
    from reception to the end (alternative branches add steps beside the path).

    - ``kind``: a :class:`ProcedureKind`, or None for any. One-stop and inter-agency
      procedures start and end at the one-stop desk (reception and return steps); internal
      procedures have neither and end at a step with nowhere to go.
    - ``loops``: some steps may send the case back to earlier steps for rework (send-backs).
    - ``branches``: some steps offer a choice of two units, or skip a zero-budget step.
    - ``rules``: the rule pack(s) the procedure is judged by (default: Decrees 61/2018 and
      118/2025); ``pauses``: sometimes declare the land pauses (financial obligation,
      posting...) the packs allow only where declared.
    - ``adjustments``: sometimes +10 days for cases with attribute ``remote=True``
      (Decree 151/2025), on the total or on one step.
    - ``budget_policy``: ``EXACT`` (every path's steps add up to the total), ``WITHIN``
      (alternatives may differ; the total may leave a margin) or ``UNCHECKED`` (the total
      is drawn on its own, shorter or longer than the paths, as a procedure published by
      hand and never added up).
    - ``calendar_days``: sometimes count the whole procedure in calendar days (ngày) instead
      of working days (ngày làm việc).
    - ``months``: sometimes publish the total in months (tháng, Civil Code Art. 147–148)
      over steps counted in calendar days; such a procedure is ``UNCHECKED`` (months and
      days cannot be added up exactly).
    - ``consultations``: sometimes a step (never the reception or return step) consults one
      or two other units (Decree 118/2025 Art. 19(4)), each with an answer budget within the
      step's own: quarter working days or half working hours (calendar days in a procedure
      counted in calendar days).
    - ``forks``: sometimes one step forks to two or three branches that run in parallel
      (Decree 118/2025 Art. 20(2)(b)), each a chain of one or two steps, meeting at the next
      step (the join); an inter-agency procedure then sometimes declares the two orders of
      Art. 20(2) (:data:`~tthc_flow.engine.ART_20_2_ORDERS`), and its total adds the branches
      up in turn (the paper order) while the parallel order fits inside it.

    Step budgets are quarter working days from 0 to 3 days (or 0 to 10 calendar days).
    """
    if kind is not None and not isinstance(kind, ProcedureKind):
        raise InvalidInputError(
            f"kind={shown(kind)} is not a ProcedureKind.",
            value=kind,
            hint="Pass e.g. ProcedureKind.ONE_STOP.",
        )
    low = _check_int("min_steps", min_steps, 1, 20)
    high = _check_int("max_steps", max_steps, 1, 20)
    _check_order("min_steps", low, "max_steps", high)
    if kind is not ProcedureKind.INTERNAL and low < 2:
        raise InvalidInputError(
            f"min_steps={low}: a procedure with a one-stop desk has at least a reception and a "
            "return step.",
            value=low,
            hint="Pass min_steps >= 2, or kind=ProcedureKind.INTERNAL.",
        )
    for name, flag in (
        ("loops", loops),
        ("branches", branches),
        ("pauses", pauses),
        ("adjustments", adjustments),
        ("calendar_days", calendar_days),
        ("months", months),
        ("consultations", consultations),
        ("forks", forks),
    ):
        _check_flag(name, flag)
    if type(budget_policy) is not BudgetPolicy:
        raise InvalidInputError(
            f"budget_policy={shown(budget_policy)} is not a BudgetPolicy.",
            value=budget_policy,
            hint="Pass BudgetPolicy.EXACT, BudgetPolicy.WITHIN or BudgetPolicy.UNCHECKED.",
        )
    packs = _packs(rules)
    fields: dict[str, Any] = {
        "kind": kind,
        "min_steps": low,
        "max_steps": high,
        "loops": loops,
        "branches": branches,
        "packs": packs,
        "pauses": pauses,
        "adjustments": adjustments,
        "policy": budget_policy,
        "calendar_days": calendar_days,
        "months": months,
        "consultations": consultations,
        "forks": forks,
        "code": None,
    }
    return _procedures(**fields)

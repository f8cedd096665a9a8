"""Compliance findings (phát hiện vi phạm quy định): each with the case, the rule broken and
the article it breaks.

Most come from the violations that audit-mode replays record on events (the engine's rule
codes, reused as they are); "late case without an apology" is computed here from the legal
clock, since no single event breaks it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, tzinfo
from types import MappingProxyType
from zoneinfo import ZoneInfo

import attrs

from tthc_flow.calendar import DEFAULT_TIMEZONE
from tthc_flow.engine import Case, EventKind
from tthc_flow.errors import InvalidInputError
from tthc_flow.reports.period import Period

__all__ = ["COMPLIANCE_RULES", "LATE_WITHOUT_APOLOGY", "ComplianceFinding", "compliance_findings"]

LATE_WITHOUT_APOLOGY = "late.no_apology"

COMPLIANCE_RULES: Mapping[str, str] = MappingProxyType(
    {
        "pause.not_allowed": (
            "Tạm dừng vì lý do pháp luật không cho phép (pause for a reason the law does not "
            "allow)"
        ),
        "pause.not_declared": (
            "Tạm dừng vì lý do thủ tục không quy định (pause for a reason the procedure does not "
            "provide for)"
        ),
        "pause.unknown_reason": (
            "Tạm dừng vì lý do không có trong quy định (pause for a reason no rule provides "
            "for)"
        ),
        "supplement.max_times": "Yêu cầu bổ sung quá một lần (more than one supplement request)",
        "supplement.window": (
            "Yêu cầu bổ sung sau 3 ngày làm việc kể từ khi tiếp nhận (supplement request later "
            "than 3 working days after receipt)"
        ),
        LATE_WITHOUT_APOLOGY: (
            "Hồ sơ quá hạn không có văn bản xin lỗi (late case without an apology)"
        ),
        "reschedule.too_late": (
            "Xin lỗi muộn hơn 1 ngày trước hạn (apology later than one day before the due date)"
        ),
        "reschedule.max_times": "Hẹn lại quá một lần (rescheduled more than once)",
    }
)


@attrs.frozen
class ComplianceFinding:
    """One breach: ``rule`` its code, ``title`` the rule in words, ``message`` what happened,
    ``citation`` the article, ``at`` and ``unit`` the event that broke it (for a late case
    without an apology, its due instant and the unit holding the case then)."""

    case_id: str
    procedure: str
    rule: str
    title: str
    message: str
    citation: str
    at: datetime | None
    unit: str | None


def compliance_findings(
    cases: Iterable[Case],
    period: Period | None = None,
    *,
    rules: Collection[str] = tuple(COMPLIANCE_RULES),
    tz: tzinfo | None = None,
) -> list[ComplianceFinding]:
    """Findings on ``cases``, in case order, then event order.

    With a ``period``, only events in it count, and a case is late without an apology when
    its legal clock is overdue at the end of the period (finished late in it, or unfinished
    and late) and no apology (xin lỗi, hẹn lại) was recorded by then. Without one, every
    event counts and the clock is read at the case's last event. ``rules`` selects the rule
    codes (default: :data:`COMPLIANCE_RULES`; any code the engine records may be named).
    """
    wanted = frozenset(rules)
    zone = tz if tz is not None else ZoneInfo(DEFAULT_TIMEZONE)
    opening = period.opening(zone) if period is not None else None
    cutoff = period.cutoff(zone) if period is not None else None
    found: list[ComplianceFinding] = []
    for case in cases:
        if not isinstance(case, Case):
            raise InvalidInputError(f"expected a Case, got {case!r}.", value=case)
        if cutoff is not None and case.received_at > cutoff:
            continue
        code = case.procedure.code
        for event, violation in case.violations:
            if violation.rule not in wanted:
                continue
            if opening is not None and cutoff is not None and not opening <= event.at <= cutoff:
                continue
            # A reason no rule provides for has no article of its own: the case's rule pack,
            # which lists the reasons the law allows, is what it breaks.
            citation = violation.citation or (case.pack.citation if case.pack else "")
            found.append(
                ComplianceFinding(
                    case.case_id, code, violation.rule,
                    COMPLIANCE_RULES.get(violation.rule, violation.rule), violation.message,
                    citation, event.at, event.unit or None,
                )
            )  # fmt: skip
        if LATE_WITHOUT_APOLOGY in wanted:
            late = _late_without_apology(case, opening, cutoff)
            if late is not None:
                found.append(late)
    return found


def _late_without_apology(
    case: Case, opening: datetime | None, cutoff: datetime | None
) -> ComplianceFinding | None:
    reading = case.legal_clock(cutoff)
    if not reading.overdue or reading.due is None:
        return None
    if opening is not None and reading.finished_at is not None and reading.finished_at < opening:
        return None  # finished late before the period: reported in its own period
    limit = cutoff if cutoff is not None else reading.at
    if any(e.kind is EventKind.RESCHEDULED and e.at <= limit for e in case.events):
        return None
    status = case.status
    assert case.pack is not None
    return ComplianceFinding(
        case.case_id,
        case.procedure.code,
        LATE_WITHOUT_APOLOGY,
        COMPLIANCE_RULES[LATE_WITHOUT_APOLOGY],
        f"the case was due {reading.due.isoformat()} and is {reading.result.value}, with no "
        "apology and new date sent to the applicant.",
        case.pack.reschedule.citation,
        reading.due,
        status.unit,
    )

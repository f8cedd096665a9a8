"""Compliance findings (phát hiện vi phạm quy định): each with the case, the rule broken and
the article it breaks.

Most come from the violations that audit-mode replays record on events (the engine's rule
codes, reused as they are); "late case without an apology" and "refusal after the processing
time" are read here from the legal clock, since no single event breaks them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, tzinfo
from types import MappingProxyType
from zoneinfo import ZoneInfo

import attrs

from tthc_flow.calendar import DEFAULT_TIMEZONE
from tthc_flow.engine import Case, EventKind
from tthc_flow.reports._inputs import case_of, items_of, period_of, tz_of
from tthc_flow.reports._period import Period

__all__ = [
    "COMPLIANCE_RULES",
    "LATE_ANSWER",
    "LATE_REFUSAL",
    "LATE_WITHOUT_APOLOGY",
    "UNREPORTED_ANSWER",
    "ComplianceFinding",
    "compliance_findings",
]

LATE_WITHOUT_APOLOGY = "late.no_apology"
LATE_REFUSAL = "refused.late"
LATE_ANSWER = "consult.late"
UNREPORTED_ANSWER = "consult.unreported"
_CONSULT_CITATION = (
    "Nghị định 118/2025/NĐ-CP, Điều 19 khoản 4 điểm c: cơ quan, đơn vị được lấy ý kiến trả "
    "lời theo thời hạn; quá thời hạn mà chưa có văn bản trả lời, cơ quan, đơn vị chủ trì thông "
    "báo cho người đứng đầu Bộ phận Một cửa về việc chậm trễ"
)

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
            "Yêu cầu bổ sung sau 3 ngày làm việc kể từ ngày tiếp nhận (supplement request later "
            "than 3 working days after the day of receipt)"
        ),
        "supplement.online_check": (
            "Yêu cầu bổ sung hồ sơ trực tuyến sau 08 giờ làm việc kể từ khi tiếp nhận (online "
            "dossier: supplement request later than 8 working hours after receipt)"
        ),
        "supplement.after_due": (
            "Yêu cầu bổ sung khi hồ sơ đã quá hạn (supplement request after the due date)"
        ),
        LATE_WITHOUT_APOLOGY: (
            "Hồ sơ quá hạn không có văn bản xin lỗi (late case without an apology)"
        ),
        "reschedule.too_late": (
            "Xin lỗi muộn hơn 1 ngày trước hạn (apology later than one day before the due date)"
        ),
        "reschedule.max_times": "Hẹn lại quá một lần (rescheduled more than once)",
        "reschedule.not_delaying": (
            "Xin lỗi, đề nghị gia hạn bởi đơn vị không gây chậm (apology by a unit that caused "
            "no delay)"
        ),
        "reschedule.by_desk": (
            "Bộ phận Một cửa tự đề nghị gia hạn thay cơ quan có thẩm quyền (extension asked by "
            "the one-stop desk, not the competent agency)"
        ),
        LATE_REFUSAL: (
            "Từ chối giải quyết sau thời hạn giải quyết (refusal notified after the processing "
            "time)"
        ),
        "withdrawn.after_decision": (
            "Rút hồ sơ sau khi đã có quyết định (withdrawn after the decision)"
        ),
        "stopped.after_decision": (
            "Dừng giải quyết sau khi đã có quyết định (stopped after the decision)"
        ),
        "closed.too_early": "Đóng hồ sơ trước khi hết 15 ngày (dossier closed too early)",
        LATE_ANSWER: "Trả lời ý kiến quá thời hạn (a consultation answered late)",
        UNREPORTED_ANSWER: (
            "Quá hạn trả lời ý kiến mà đơn vị chủ trì không báo chậm trễ (a late answer the "
            "lead unit did not report to the one-stop desk)"
        ),
        "rules.not_in_force": (
            "Tiếp nhận vào ngày không có quy định áp dụng (received on a day no rule pack covers)"
        ),
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
    where = "compliance_findings"
    period = period_of(period, where, optional=True)
    wanted = frozenset(
        items_of(rules, where, "rules", "rule codes",
                 "Pass e.g. ['supplement.max_times', 'late.no_apology'].")
    )  # fmt: skip
    zone = tz_of(tz, where) or ZoneInfo(DEFAULT_TIMEZONE)
    opening = period.opening(zone) if period is not None else None
    cutoff = period.cutoff(zone) if period is not None else None
    found: list[ComplianceFinding] = []
    items = items_of(cases, where, "cases", "Case", "Pass a list of Case values.")
    for number, case in enumerate(items):
        case = case_of(case, where, number)
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
        if LATE_REFUSAL in wanted:
            refusal = _late_refusal(case, opening, cutoff)
            if refusal is not None:
                found.append(refusal)
        if LATE_ANSWER in wanted or UNREPORTED_ANSWER in wanted:
            found += [
                finding for finding in _late_answers(case, opening, cutoff)
                if finding.rule in wanted
            ]  # fmt: skip
    return found


def _late_answers(
    case: Case, opening: datetime | None, cutoff: datetime | None
) -> list[ComplianceFinding]:
    """Consultations answered after their deadline, or still unanswered past it at the end
    of the period (the consulted unit's finding), and those the lead unit let pass without
    reporting the delay before the answer came (the lead's). Found at the deadline."""
    found: list[ComplianceFinding] = []
    events = case.events
    last = events[-1].at if events else None
    until = cutoff if cutoff is not None else last
    for number, event in enumerate(events):
        if event.kind is not EventKind.CONSULTED or event.target is None:
            continue
        step = case.status_at(event.at).step
        budget = None if step is None else case.procedure.step(step).consults.get(event.target)
        if budget is None:
            continue  # not a consultation the step declares: found as its violation
        due = budget.due(case.calendar, event.at)
        unit = event.target
        answer = next((e.at for e in events[number + 1:]
                       if e.kind is EventKind.ANSWERED and e.target == unit), None)  # fmt: skip
        closed_by = answer if answer is not None else until
        if closed_by is None or closed_by <= due:
            continue
        if opening is not None and due < opening and (answer is None or answer < opening):
            continue
        if cutoff is not None and due > cutoff:
            continue
        code = case.procedure.code
        when = "answered " + answer.isoformat() if answer is not None else "not answered"
        found.append(ComplianceFinding(
            case.case_id, code, LATE_ANSWER, COMPLIANCE_RULES[LATE_ANSWER],
            f"{unit} was asked {event.at.isoformat()} with an answer due {due.isoformat()}, "
            f"and {when}.",
            _CONSULT_CITATION, due, unit,
        ))  # fmt: skip
        reported = any(
            e.kind is EventKind.PROCEEDED and e.target == unit and due < e.at <= closed_by
            for e in events[number + 1:]
        )
        if not reported:
            found.append(ComplianceFinding(
                case.case_id, code, UNREPORTED_ANSWER, COMPLIANCE_RULES[UNREPORTED_ANSWER],
                f"{unit}'s answer was due {due.isoformat()}; {event.unit} did not report the "
                "delay to the one-stop desk (proceed_without_answer) before it came.",
                _CONSULT_CITATION, due, event.unit or None,
            ))  # fmt: skip
    return found


def _late_refusal(
    case: Case, opening: datetime | None, cutoff: datetime | None
) -> ComplianceFinding | None:
    """A refusal notified after the legal due (Decree 118/2025 Art. 19(3): within the
    processing time). Late refusals are recorded, never refused: the case must still end."""
    event = next((e for e in case.events if e.kind is EventKind.REFUSED), None)
    pack = case.pack
    if event is None or pack is None or pack.refusal is None:
        return None
    if (opening is not None and event.at < opening) or (cutoff is not None and event.at > cutoff):
        return None
    due = case.clocks.prefix(event.seq).legal_due(event.at)
    if due is None or event.at <= due:
        return None
    return ComplianceFinding(
        case.case_id,
        case.procedure.code,
        LATE_REFUSAL,
        COMPLIANCE_RULES[LATE_REFUSAL],
        f"the refusal was notified at {event.at.isoformat()}, after the due "
        f"{due.isoformat()}.",
        pack.refusal.citation,
        event.at,
        event.unit or None,
    )


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
        f"the case was due {reading.due.isoformat()} and is {reading.result.label}, with no "
        "apology and new date sent to the applicant.",
        case.pack.reschedule.citation,
        reading.due,
        status.unit,
    )

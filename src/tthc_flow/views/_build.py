"""The JSON views themselves: one function per value, each the shape its schema publishes
(:mod:`tthc_flow.views._schemas`). The values' ``to_json()`` methods call these."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tthc_flow._validators import shown
from tthc_flow.errors import InvalidInputError, TthcFlowError
from tthc_flow.views._values import code_of, iso_duration, json_value, label_of

if TYPE_CHECKING:
    from tthc_flow.engine._case import Case
    from tthc_flow.engine._clocks import ClockReading
    from tthc_flow.engine._state import ActiveStep, CaseStatus

__all__ = ["active_step_json", "case_json", "clock_json", "error_json", "status_json"]


def _instant(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _require(value: Any, kind: type, view: str, hint: str) -> None:
    # The views are public functions: a wrong value is refused here rather than failing
    # on its first missing attribute.
    if not isinstance(value, kind):
        article = "an" if kind.__name__[0] in "AEIOU" else "a"
        raise InvalidInputError(
            f"{view} takes {article} {kind.__name__}, got {type(value).__name__} "
            f"{shown(value)}.",
            value=value,
            hint=hint,
        )


def clock_json(reading: ClockReading) -> dict[str, Any]:
    """A clock reading (số liệu của một đồng hồ thời hạn)."""
    from tthc_flow.engine._clocks import ClockReading

    _require(reading, ClockReading, "clock_json", "Pass e.g. case.legal_clock(at).")
    return {
        "name": reading.name,
        "at": reading.at.isoformat(),
        "status": code_of(reading.status),
        "status_label": label_of(reading.status),
        "budget": reading.budget.label,
        "allowed": iso_duration(reading.allowed),
        "elapsed": iso_duration(reading.elapsed),
        "remaining": iso_duration(reading.remaining),
        "due": _instant(reading.due),
        "projected_due": _instant(reading.projected_due),
        "started_at": _instant(reading.started_at),
        "finished_at": _instant(reading.finished_at),
        "result": code_of(reading.result),
        "result_label": label_of(reading.result),
        "overdue": reading.result.overdue,
        "forced_overdue": reading.forced_overdue,
        "step": reading.step,
        "visit": reading.visit,
        "unit": reading.unit,
    }


def status_json(status: CaseStatus) -> dict[str, Any]:
    """A case's state (trạng thái hồ sơ), without its clocks."""
    from tthc_flow.engine._state import CaseStatus

    _require(status, CaseStatus, "status_json", "Pass e.g. case.status_at(at).")
    return {
        "phase": code_of(status.phase),
        "phase_label": label_of(status.phase),
        "step": status.step,
        "unit": status.unit,
        "steps": list(status.steps),
        "holders": dict(status.holders),
        "consulting": list(status.consulting),
        "received_at": _instant(status.received_at),
        "resolved_at": _instant(status.resolved_at),
        "finished_at": _instant(status.finished_at),
        "pause_reason": status.pause_reason,
        "supplement_requests": status.supplement_requests,
        "reschedules": status.reschedules,
        "pause_counts": dict(status.pause_counts),
        "violations": status.violations,
    }


def active_step_json(active: ActiveStep) -> dict[str, Any]:
    """A step the case is at (bước đang xử lý), with its unit, due instant and holder."""
    from tthc_flow.engine._state import ActiveStep

    _require(active, ActiveStep, "active_step_json", "Pass one of case.active_steps(at).")
    return {
        "step": active.step,
        "name": active.name,
        "unit": active.unit,
        "due": _instant(active.due),
        "holder": active.holder,
    }


def case_json(case: Case, at: datetime | None = None) -> dict[str, Any]:
    """What a host shows for a received case (hồ sơ) at ``at`` (default: its latest event,
    as :meth:`~tthc_flow.engine.Case.to_json`): the procedure it runs, its state, every
    active step with its due, the legal and indicator clocks, and the rules its events up
    to ``at`` broke."""
    from tthc_flow.engine._case import Case

    _require(case, Case, "case_json", "Pass a Case, e.g. catalog.open_case(...).")
    at = case._at(at)
    procedure = case.procedure
    return {
        "case_id": case.case_id,
        "procedure": {
            "code": procedure.code,
            "version": procedure.version,
            "name": procedure.name,
            "kind": code_of(procedure.kind),
        },
        "at": at.isoformat(),
        "version": case.version,
        "status": status_json(case.status_at(at)),
        "active_steps": [active_step_json(active) for active in case.active_steps(at)],
        "clocks": {
            "legal": clock_json(case.legal_clock(at)),
            "indicator": clock_json(case.indicator_clock(at)),
        },
        "violations": [
            {"seq": event.seq, "kind": event.kind.value, **violation.to_json()}
            for event, violation in case.violations
            if event.at <= at
        ],
    }


# Attributes every error view shows at its top level, by the names the errors use for them.
_RULE_ATTRIBUTES = ("rule", "check", "invariant")
_TOP = frozenset({"rule", "check", "invariant", "hint", "value", "violations", "detail"})


def error_json(error: TthcFlowError) -> dict[str, Any]:
    """An error as a REST API returns it (lỗi): its class and stable code, the message,
    the rule broken (a violation's rule code, a definition check's name, an invariant's
    name), the article it cites, the hint that says how to fix it, the offending value and
    every other attribute the error carries. Whatever values the error holds, the view is
    JSON (:func:`~tthc_flow.views.json_value`)."""
    _require(error, TthcFlowError, "error_json", "Pass an error of tthc_flow.errors.")
    rule = next(
        (_text(getattr(error, name)) for name in _RULE_ATTRIBUTES if getattr(error, name, None)),
        None,
    )
    held = getattr(error, "violations", ())
    violations = tuple(held) if isinstance(held, (list, tuple)) else ()
    article = next(
        (_text(v.citation) for v in violations if getattr(v, "citation", "")), None
    )
    hint = _text(getattr(error, "hint", "")) or None
    details = {
        name: json_value(item)
        for name, item in sorted(vars(error).items())
        if not name.startswith("_") and name not in _TOP
    }
    return {
        "error": type(error).__name__,
        "code": type(error).error_code,
        "message": _text(error),
        "rule": rule,
        "article": article,
        "hint": hint,
        "value": json_value(getattr(error, "value", None)),
        "violations": [json_value(v) for v in violations],
        "details": details,
    }


def _text(value: Any) -> str:
    # str() of an int past 4,300 digits, or of a foreign object, may fail: an error's view
    # must not.
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except Exception:
        return shown(value)

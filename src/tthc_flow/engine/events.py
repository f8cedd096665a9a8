"""Case events (sự kiện của hồ sơ): immutable facts, appended, never changed.

Every deadline and every state of a case is a fold over its events. Events round-trip through
JSON exactly (instants as ISO 8601 with their offset).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

import attrs

from tthc_flow.errors import EventFormatError, NaiveDatetimeError

__all__ = [
    "CLOCK_MOVES",
    "FINISH_KINDS",
    "KNOWN_RULES",
    "Event",
    "EventKind",
    "Violation",
    "ViolationCategory",
    "events_from_json",
    "events_to_json",
]


class EventKind(enum.Enum):
    """What happened. The value is the stable name used in JSON."""

    RECEIVED = "received"  # tiếp nhận
    HANDED_OVER = "handed_over"  # chuyển bước
    SENT_BACK = "sent_back"  # trả lại để xử lý lại
    PAUSED = "paused"  # tạm dừng
    RESUMED = "resumed"  # tiếp tục
    SUPPLEMENT_REQUESTED = "supplement_requested"  # yêu cầu bổ sung
    SUPPLEMENT_RECEIVED = "supplement_received"  # nhận hồ sơ bổ sung
    RESCHEDULED = "rescheduled"  # xin lỗi, hẹn lại
    RESOLVED = "resolved"  # đã xử lý xong
    RETURNED = "returned"  # đã trả kết quả
    REFUSED = "refused"  # từ chối
    WITHDRAWN = "withdrawn"  # công dân rút hồ sơ
    STOPPED = "stopped"  # dừng thực hiện thủ tục hành chính
    CLOSED = "closed"  # đóng hồ sơ: the applicant never completed the dossier

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    EventKind.RECEIVED: "Tiếp nhận hồ sơ (received)",
    EventKind.HANDED_OVER: "Chuyển xử lý (handed over)",
    EventKind.SENT_BACK: "Trả lại để xử lý lại (sent back)",
    EventKind.PAUSED: "Tạm dừng (paused)",
    EventKind.RESUMED: "Tiếp tục xử lý (resumed)",
    EventKind.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung hồ sơ (supplement requested)",
    EventKind.SUPPLEMENT_RECEIVED: "Nhận hồ sơ bổ sung (supplement received)",
    EventKind.RESCHEDULED: "Xin lỗi và hẹn lại ngày trả (rescheduled with apology)",
    EventKind.RESOLVED: "Đã xử lý xong (resolved)",
    EventKind.RETURNED: "Đã trả kết quả (result returned)",
    EventKind.REFUSED: "Từ chối giải quyết (refused)",
    EventKind.WITHDRAWN: "Rút hồ sơ (withdrawn)",
    EventKind.STOPPED: "Dừng giải quyết hồ sơ (stopped)",
    EventKind.CLOSED: "Đóng hồ sơ (closed: not completed by the applicant)",
}

# The finish of a case's clocks (Decision 766/QĐ-TTg: the first of processed, returned,
# stopped/refused/withdrawn; a closure of a dossier never completed, Decree 118/2025
# Art. 19(5), ends them too). The one definition every clock and report reads.
FINISH_KINDS = frozenset(
    {
        EventKind.RESOLVED,
        EventKind.RETURNED,
        EventKind.REFUSED,
        EventKind.WITHDRAWN,
        EventKind.STOPPED,
        EventKind.CLOSED,
    }
)

# The events that can give a clock more time (a pause, a supplement request that restarts
# it, an apology with a new date): an unlawful one is recorded and moves no clock. (A second
# receipt moves none either, lawful or not: the clocks start at the first.)
CLOCK_MOVES = frozenset({EventKind.PAUSED, EventKind.SUPPLEMENT_REQUESTED, EventKind.RESCHEDULED})


class ViolationCategory(enum.Enum):
    """What kind of rule a violation breaks, and so which refusal a strict case raises:
    ``MACHINE`` the procedure's state machine (a transition it does not allow, an event out
    of order, after the end), ``ACTOR`` who may act, ``LAW`` a rule of the rule pack or of
    the procedure's version in force."""

    MACHINE = "machine"
    ACTOR = "actor"
    LAW = "law"


@attrs.frozen
class Violation:
    """A rule an event breaks: ``rule`` is a stable code (``supplement.max_times``), ``message``
    says what happened, ``citation`` the article broken (empty for engine rules),
    ``category`` the kind of rule (:class:`ViolationCategory`)."""

    rule: str
    message: str
    citation: str = ""
    category: ViolationCategory = ViolationCategory.LAW

    def to_json(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "message": self.message,
            "citation": self.citation,
            "category": self.category.value,
        }

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> Violation:
        """A violation from :meth:`to_json`; a record without ``category`` (written before it
        existed, or by another system) takes the category of a rule the engine knows
        (:data:`KNOWN_RULES`), else ``LAW``."""
        rule = record["rule"]
        category = record.get("category")
        return cls(
            rule,
            record["message"],
            record.get("citation", ""),
            ViolationCategory(category)
            if category is not None
            else KNOWN_RULES.get(rule, ViolationCategory.LAW),
        )

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}" + (f" ({self.citation})" if self.citation else "")


def _aware(instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, datetime):
        raise EventFormatError(f"{attribute.name} must be an aware datetime, got {value!r}.")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(value, argument=attribute.name)


def _frozen(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


def _strings(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _violations(value: Any) -> tuple[Violation, ...]:
    return tuple(value)


@attrs.frozen
class Event:
    """One fact about a case.

    ``actor`` is who did it (an officer's name or id), ``unit`` and ``role`` on whose behalf.
    ``target`` is the step handed over or sent back to; ``reason`` a pause reason code or a
    free-text reason (refusal, apology); ``new_due`` the rescheduled due instant; ``evidence``
    the documents cited; ``data`` anything else the host wants kept (JSON values only).
    ``violations`` are the rules this event broke when it was accepted in audit mode.
    """

    seq: int
    kind: EventKind
    at: datetime = attrs.field(validator=_aware)
    actor: str = ""
    unit: str = ""
    role: str | None = None
    target: str | None = None
    reason: str | None = None
    new_due: datetime | None = attrs.field(default=None, validator=_aware)
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    complete: bool = True
    data: Mapping[str, Any] = attrs.field(default=None, converter=_frozen, eq=False)
    violations: tuple[Violation, ...] = attrs.field(default=(), converter=_violations)
    _data_key: str = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not self.data:
            object.__setattr__(self, "_data_key", "")
            return
        try:
            key = json.dumps(dict(self.data), sort_keys=True, ensure_ascii=False)
        except (TypeError, ValueError) as error:
            raise EventFormatError(f"event data must be JSON values: {error}.") from None
        object.__setattr__(self, "_data_key", key)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; :meth:`from_json` gives back an equal event."""
        record: dict[str, Any] = {
            "seq": self.seq,
            "kind": self.kind.value,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "unit": self.unit,
        }
        optional = {
            "role": self.role,
            "target": self.target,
            "reason": self.reason,
            "new_due": self.new_due.isoformat() if self.new_due else None,
        }
        record.update({k: v for k, v in optional.items() if v is not None})
        if self.evidence:
            record["evidence"] = list(self.evidence)
        if not self.complete:
            record["complete"] = False
        if self.data:
            record["data"] = dict(self.data)
        if self.violations:
            record["violations"] = [v.to_json() for v in self.violations]
        return record

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> Event:
        try:
            return cls(
                seq=int(record["seq"]),
                kind=EventKind(record["kind"]),
                at=datetime.fromisoformat(record["at"]),
                actor=str(record.get("actor", "")),
                unit=str(record.get("unit", "")),
                role=record.get("role"),
                target=record.get("target"),
                reason=record.get("reason"),
                new_due=(
                    datetime.fromisoformat(record["new_due"]) if record.get("new_due") else None
                ),
                evidence=tuple(record.get("evidence", ())),
                complete=bool(record.get("complete", True)),
                data=record.get("data"),
                violations=tuple(Violation.from_json(v) for v in record.get("violations", ())),
            )
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            raise EventFormatError(
                f"cannot read event {dict(record)!r}: {error!r}. Events need seq, kind and an "
                "ISO 8601 'at' with an offset."
            ) from None


def events_to_json(events: tuple[Event, ...] | list[Event]) -> str:
    """Events as JSON Lines (one event per line)."""
    return "".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in events)


def events_from_json(text: str) -> list[Event]:
    """Events from JSON Lines, as written by :func:`events_to_json`."""
    events = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise EventFormatError(f"line {number} is not JSON: {error}.") from None
        events.append(Event.from_json(record))
    return events


_M, _A, _L = ViolationCategory.MACHINE, ViolationCategory.ACTOR, ViolationCategory.LAW
# Every rule the engine checks, with its category: the categories of violations read from
# JSON written before categories were recorded.
KNOWN_RULES: Mapping[str, ViolationCategory] = MappingProxyType(
    {
        "machine.not_received": _M,
        "machine.received_twice": _M,
        "machine.finished": _M,
        "machine.time_order": _M,
        "machine.transition": _M,
        "machine.unknown_step": _M,
        "machine.awaiting_supplement": _M,
        "machine.paused": _M,
        "machine.not_paused": _M,
        "machine.not_awaiting_supplement": _M,
        "machine.already_resolved": _M,
        "machine.not_resolved": _M,
        "actor.unit": _A,
        "actor.role": _A,
        "procedure.not_in_force": _L,
        "rules.not_in_force": _L,
        "pause.unknown_reason": _L,
        "pause.use_supplement_request": _L,
        "pause.not_allowed": _L,
        "pause.not_declared": _L,
        "pause.max_times": _L,
        "pause.window": _L,
        "pause.evidence": _L,
        "pause.invoker": _L,
        "pause.after_due": _L,
        "supplement.not_allowed": _L,
        "supplement.not_declared": _L,
        "supplement.max_times": _L,
        "supplement.window": _L,
        "supplement.evidence": _L,
        "supplement.invoker": _L,
        "supplement.after_due": _L,
        "reschedule.max_times": _L,
        "reschedule.incomplete": _L,
        "reschedule.too_late": _L,
        "reschedule.not_later": _L,
        "reschedule.waiting": _L,
        "reschedule.not_delaying": _A,
        "refused.reason": _L,
        "refused.late": _L,
        "stopped.reason": _L,
        "stopped.after_decision": _L,
        "withdrawn.after_decision": _L,
        "closed.not_awaiting": _L,
        "closed.too_early": _L,
        "closed.no_rule": _L,
    }
)

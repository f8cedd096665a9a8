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

__all__ = ["Event", "EventKind", "Violation", "events_from_json", "events_to_json"]


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
    STOPPED = "stopped"  # dừng xử lý

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
    EventKind.STOPPED: "Dừng xử lý (stopped)",
}


@attrs.frozen
class Violation:
    """A rule an event breaks: ``rule`` is a stable code (``supplement.max_times``), ``message``
    says what happened, ``citation`` the article broken (empty for engine rules)."""

    rule: str
    message: str
    citation: str = ""

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message, "citation": self.citation}

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
                violations=tuple(Violation(**v) for v in record.get("violations", ())),
            )
        except (KeyError, ValueError, TypeError) as error:
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

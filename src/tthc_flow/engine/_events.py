"""Case events (sự kiện của hồ sơ): immutable facts, appended, never changed.

Every deadline and every state of a case is a fold over its events. Events round-trip through
JSON exactly (instants as ISO 8601 with their offset).
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from tthc_flow._validators import shown
from tthc_flow.calendar import DEFAULT_TIMEZONE
from tthc_flow.codec import (
    MAX_COMMAND_ID,
    MAX_INTEGER,
    check_case_id,
    check_text,
    dumps,
    loads,
    name_text,
    plain_name,
    texts,
    walk_json,
)
from tthc_flow.errors import EventFormatError, NaiveDatetimeError
from tthc_flow.labels import Labelled

__all__ = [
    "CLOCK_MOVES",
    "CONSULTATION_KINDS",
    "FINISH_KINDS",
    "KNOWN_RULES",
    "Event",
    "EventKind",
    "Violation",
    "ViolationCategory",
    "events_from_json",
    "events_to_json",
]


class EventKind(Labelled):
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
    CONSULTED = "consulted"  # lấy ý kiến cơ quan, đơn vị liên quan (Decree 118 Art. 19(4))
    ANSWERED = "answered"  # cơ quan, đơn vị được lấy ý kiến trả lời
    PROCEEDED = "proceeded_without_answer"  # quá hạn chưa trả lời: báo chậm trễ, giải quyết tiếp



# The consultation events (Decree 118/2025 Art. 19(4)): ``target`` names the unit consulted.
CONSULTATION_KINDS = frozenset({EventKind.CONSULTED, EventKind.ANSWERED, EventKind.PROCEEDED})

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
# The same kinds by value, for the folds' per-event tests: hashing an Enum member runs Python
# code, a str does not.
CLOCK_MOVE_VALUES = frozenset(kind.value for kind in CLOCK_MOVES)


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

    def __attrs_post_init__(self) -> None:
        # Checked when built, as an event's fields are: what is recorded can be read back.
        check_text(self.rule, "violation.rule", error=_fail)
        check_text(self.message, "violation.message", free=True, error=_fail)
        check_text(self.citation, "violation.citation", free=True, error=_fail)
        if type(self.category) is not ViolationCategory:
            raise EventFormatError(
                f"must be a ViolationCategory, got {self.category!r:.40}.",
                field="violation.category",
            )

    def to_json(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "message": self.message,
            "citation": self.citation,
            "category": self.category.value,
        }

    @classmethod
    def from_json(cls, record: Any, field: str = "violation") -> Violation:
        """A violation from :meth:`to_json`, read exactly (``rule`` and ``message`` texts,
        ``citation`` a text, ``category`` one of the categories); a record without
        ``category`` (written before it existed, or by another system) takes the category of
        a rule the engine knows (:data:`KNOWN_RULES`), else ``LAW``."""
        if not isinstance(record, Mapping):
            raise EventFormatError(
                f"a violation is an object with rule and message, got {record!r:.60}.",
                field=field,
            )
        unknown = [key for key in record if key not in ("rule", "message", "citation",
                                                         "category")]  # fmt: skip
        if unknown:
            raise EventFormatError(
                "is not a violation field; the fields are rule, message, citation, category.",
                field=f"{field}.{unknown[0]}",
            )
        rule = check_text(record.get("rule"), f"{field}.rule", error=_fail)
        message = check_text(record.get("message"), f"{field}.message", free=True, error=_fail)
        citation = check_text(
            record.get("citation", ""), f"{field}.citation", free=True, error=_fail
        )
        category = record.get("category")
        if category is None:
            kind = KNOWN_RULES.get(rule, ViolationCategory.LAW)
        else:
            try:
                kind = ViolationCategory(category)
            except ValueError:
                raise EventFormatError(
                    f"{category!r:.40} is not a category; use machine, actor or law.",
                    field=f"{field}.category",
                ) from None
        return cls(rule, message, citation, kind)

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}" + (f" ({self.citation})" if self.citation else "")


_fail = EventFormatError.of_field


def _instant(value: Any, field: str, *, optional: bool = False) -> datetime | None:
    """``value`` if it is an aware datetime that every time zone can hold (None too when
    ``optional``); else a typed error naming ``field``."""
    if value is None and optional:
        return None
    if not isinstance(value, datetime):
        raise EventFormatError(
            f"must be an aware datetime, got {type(value).__name__} {shown(value, 60)}. Write e.g. "
            "datetime(2026, 3, 2, 9, tzinfo=ZoneInfo('Asia/Ho_Chi_Minh')) or, in JSON, "
            '"2026-03-02T09:00:00+07:00".',
            field=field,
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(value, argument=field)
    if not 1 < value.year < 9999:
        # Within a day of the ends of datetime's range an offset cannot be applied.
        raise EventFormatError(
            f"{value.isoformat()} is at the edge of the representable years; no calendar "
            "covers it. Check the date for a typo.",
            field=field,
        )
    return value


def _json_mapping(value: Any, field: str) -> Mapping[str, Any]:
    """A field holding a mapping of JSON values (``data``, ``meta``), read-only."""
    if value is None:
        return _NO_DATA
    if not isinstance(value, Mapping):
        raise EventFormatError(
            f"must be a mapping of JSON values, got {type(value).__name__} {shown(value, 60)}.",
            field=field,
        )
    return MappingProxyType(dict(value))


# Named converters: attrs' type checker plugin reads only named functions.
def _data(value: Any) -> Mapping[str, Any]:
    return _json_mapping(value, "data")


def _meta(value: Any) -> Mapping[str, Any]:
    return _json_mapping(value, "meta")


def _evidence(value: Any) -> tuple[str, ...]:
    if type(value) is tuple and not value:  # most events cite nothing
        return value
    if type(value) is tuple and all(type(item) is str and item.isprintable() for item in value):
        return value
    return texts(value, "evidence", error=_fail)


def _violations(value: Any) -> tuple[Violation, ...]:
    if type(value) is tuple and not value:  # most events carry none
        return value
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (list, tuple)):
        raise EventFormatError(
            f"must be a list of Violation, got {type(value).__name__}.", field="violations"
        )
    for index, item in enumerate(value):
        if not isinstance(item, Violation):
            raise EventFormatError(
                f"must hold Violation values, got {type(item).__name__} {item!r:.60}.",
                field=f"violations[{index}]",
            )
    return tuple(value)


_NO_DATA: Mapping[str, Any] = MappingProxyType({})


@attrs.frozen
class Event:
    """One fact about a case.

    ``actor`` is who did it (an officer's name or id), ``unit`` and ``role`` on whose behalf.
    ``step`` is the step the command acts on (a case with parallel branches is at several
    steps at once; None: the one step it is at). ``target`` is the step handed over or sent
    back to (None for a fork, which hands over to every branch at once), or the unit
    consulted; ``command_id`` the host's idempotency key for the command that recorded it
    (a command repeated with the same id returns this event and records nothing) and
    ``meta`` what the host keeps about that request (its request id, client, address: JSON
    values, nested as ``data``); ``reason`` a pause reason code or a
    free-text reason (refusal, apology); ``new_due`` the rescheduled due instant; ``evidence``
    the documents cited; ``data`` anything else the host wants kept (JSON values only).
    ``violations`` are the rules this event broke when it was accepted in audit mode.

    Every field is checked when the event is built, whatever builds it (a command, a
    journal, a host): ``seq`` a whole number (not a bool) from 0; ``at`` an aware datetime;
    ``actor``, ``unit``, ``role`` and ``target`` texts, normalised to Unicode NFC; ``reason``
    free text (tab and line breaks allowed); no text holds a lone surrogate or another
    control character; ``evidence`` a list of texts (one text is refused, not split into
    characters); ``complete`` a bool; ``data`` JSON values, nested at most
    :data:`~tthc_flow.codec.MAX_DEPTH` levels, with a receipt's ``attributes`` a mapping and
    its ``case_id`` a text. Anything else raises :class:`~tthc_flow.errors.EventFormatError`
    naming the field.
    """

    seq: int
    kind: EventKind
    at: datetime
    actor: str = ""
    unit: str = ""
    role: str | None = None
    target: str | None = None
    reason: str | None = None
    new_due: datetime | None = None
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_evidence)
    complete: bool = True
    data: Mapping[str, Any] = attrs.field(default=None, converter=_data, eq=False)
    violations: tuple[Violation, ...] = attrs.field(default=(), converter=_violations)
    step: str | None = None
    command_id: str | None = None
    meta: Mapping[str, Any] = attrs.field(default=None, converter=_meta, eq=False)
    _data_key: str = attrs.field(init=False, repr=False)
    _meta_key: str = attrs.field(init=False, repr=False)

    def __reduce__(self) -> tuple[Any, ...]:
        # Events are pickled by the thousand (reports on worker processes): their fields
        # written out, the read-only mappings as dicts, restored without a second check.
        return _restored, (
            self.seq, self.kind, self.at, self.actor, self.unit, self.role, self.target,
            self.reason, self.new_due, self.evidence, self.complete, dict(self.data),
            self.violations, self.step, self.command_id, dict(self.meta), self._data_key,
            self._meta_key,
        )  # fmt: skip


    def __attrs_post_init__(self) -> None:
        put = object.__setattr__
        seq = self.seq
        if type(seq) is not int or not 0 <= seq <= MAX_INTEGER:
            raise EventFormatError(
                f"must be a whole number from 0 (a bool is not one), got "
                f"{type(seq).__name__} {shown(seq, 40)}.",
                field="seq",
            )
        if type(self.kind) is not EventKind:
            raise EventFormatError(
                f"must be an EventKind, got {self.kind!r:.60}; the kinds are "
                f"{', '.join(kind.value for kind in EventKind)}.",
                field="kind",
            )
        _instant(self.at, "at")
        _instant(self.new_due, "new_due", optional=True)
        if not plain_name(self.actor):
            put(self, "actor", name_text(self.actor, "actor", error=_fail))
        if not plain_name(self.unit):
            put(self, "unit", name_text(self.unit, "unit", error=_fail))
        if not (self.role is self.target is self.step is self.command_id is None):
            for field in ("role", "target", "step", "command_id"):
                value = getattr(self, field)
                if value is not None and not plain_name(value):
                    put(self, field, name_text(value, field, error=_fail))
            command_id = self.command_id
            if command_id is not None and len(command_id) > MAX_COMMAND_ID:
                raise EventFormatError(
                    f"is {len(command_id):,} characters long; a command id has at most "
                    f"{MAX_COMMAND_ID}. Give the command a shorter id, e.g. a UUID.",
                    field="command_id",
                )
        reason = self.reason
        if reason is not None and not plain_name(reason):
            put(self, "reason", check_text(reason, "reason", free=True, error=_fail))
        if type(self.complete) is not bool:
            raise EventFormatError(
                f"must be true or false, got {type(self.complete).__name__} "
                f"{self.complete!r:.40}.",
                field="complete",
            )
        meta = self.meta
        if meta:
            walk_json(dict(meta), "meta", _fail, depth=1)
            put(self, "meta", MappingProxyType(json.loads(json.dumps(dict(meta)))))
            put(self, "_meta_key", json.dumps(dict(meta), sort_keys=True, ensure_ascii=False))
        else:
            put(self, "_meta_key", "")
        data = self.data
        if not data:
            put(self, "_data_key", "")
            return
        # Checked at the depth data has in a journal line, so what is built can be written;
        # copied through its JSON, so that the caller's nested lists and dicts are not shared.
        walk_json(dict(data), "data", _fail, depth=1)
        if self.kind is EventKind.RECEIVED:
            attributes = data.get("attributes")
            if attributes is not None and not isinstance(attributes, Mapping):
                raise EventFormatError(
                    f"must be a mapping of the case's attributes, got "
                    f"{type(attributes).__name__}.",
                    field="data.attributes",
                )
            case_id = data.get("case_id")
            if case_id is not None:
                check_case_id(case_id, "data.case_id", error=_fail)
        put(self, "data", MappingProxyType(json.loads(json.dumps(dict(data)))))
        put(self, "_data_key", json.dumps(dict(data), sort_keys=True, ensure_ascii=False))

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
            "step": self.step,
            "command_id": self.command_id,
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
        if self.meta:
            record["meta"] = dict(self.meta)
        if self.violations:
            record["violations"] = [v.to_json() for v in self.violations]
        return record

    @classmethod
    def from_json(cls, record: Any, *, extra: Collection[str] = ()) -> Event:
        """The event :meth:`to_json` wrote, read exactly: each field of its JSON type (a
        ``"false"`` is not false, ``1.9`` is not a seq, ``null`` is not the text
        ``"None"``), no key but the event's own and ``extra`` (a journal's keys), instants in
        ISO 8601 with an offset. Anything else raises
        :class:`~tthc_flow.errors.EventFormatError` naming the field."""
        if type(record) is not dict and not isinstance(record, Mapping):
            raise EventFormatError(
                f"an event is a JSON object, got {type(record).__name__} {record!r:.60}."
            )
        # One pass over the record: each key known (the event's or ``extra``), each value of
        # its JSON type (null only where a field may be left out).
        for key, value in record.items():
            types = _JSON_TYPES.get(key)
            if types is None:
                if key in extra:
                    continue
                raise EventFormatError(
                    f"is not an event field; the fields are {', '.join(sorted(_JSON_TYPES))}.",
                    field=str(key),
                )
            if type(value) not in types:
                names = " or ".join(_TYPE_NAMES[t] for t in types if t is not _NoneType)
                got = _TYPE_NAMES.get(type(value), type(value).__name__)
                raise EventFormatError(
                    f"must be {names} in JSON, got {got} {value!r:.60}"
                    + ("; leave the field out if unknown." if value is None else "."),
                    field=key,
                )
        for key in ("seq", "kind", "at"):
            if key not in record:
                raise EventFormatError(
                    "is missing; every event has seq, kind and at.", field=key
                )
        kind = _KINDS.get(record["kind"])
        if kind is None:
            raise EventFormatError(
                f"{record['kind']!r:.60} is not an event kind; the kinds are "
                f"{', '.join(_KINDS)}.",
                field="kind",
            )
        violations = record.get("violations")
        return cls(
            seq=record["seq"],
            kind=kind,
            at=read_instant(record["at"], "at"),
            actor=record.get("actor", ""),
            unit=record.get("unit", ""),
            role=record.get("role"),
            target=record.get("target"),
            step=record.get("step"),
            command_id=record.get("command_id"),
            meta=record.get("meta"),
            reason=record.get("reason"),
            new_due=(
                read_instant(record["new_due"], "new_due")
                if record.get("new_due") is not None
                else None
            ),
            evidence=tuple(record.get("evidence") or ()) if "evidence" in record else (),
            complete=record.get("complete", True),
            data=record.get("data"),
            violations=(
                tuple(
                    Violation.from_json(item, f"violations[{index}]")
                    for index, item in enumerate(violations)
                )
                if violations
                else ()
            ),
        )


# An instant as datetime.isoformat() writes it, with an offset (or Z): the published
# journal schema's pattern. fromisoformat alone would take other forms too (a space for the
# 'T', the basic format), which the schema refuses.
_INSTANT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"([+-][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{6})?)?|Z)\Z"
)


def read_instant(text: Any, field: str) -> datetime:
    """``text``, an instant as :meth:`Event.to_json` writes one (the journal schema's
    pattern, with an offset), read exactly; an :class:`~tthc_flow.errors.EventFormatError`
    naming ``field`` otherwise (the journal reads a line's ``recorded_at`` with it too)."""
    if type(text) is not str:
        raise EventFormatError(
            f"must be a string with an ISO 8601 instant, got {text!r:.40}; write e.g. "
            '"2026-03-02T09:00:00+07:00".',
            field=field,
        )
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise EventFormatError(
            f"{text!r:.60} is not an ISO 8601 instant; write e.g. "
            '"2026-03-02T09:00:00+07:00".',
            field=field,
        ) from None
    if value.tzinfo is None:
        raise EventFormatError(
            f"{text!r:.60} has no offset; an instant needs one, e.g. "
            '"2026-03-02T09:00:00+07:00".',
            field=field,
        )
    if _INSTANT.match(text) is None:
        raise EventFormatError(
            f"{text!r:.60} is not written as isoformat writes an instant (date, 'T', time, "
            'offset); write e.g. "2026-03-02T09:00:00+07:00".',
            field=field,
        )
    if value.utcoffset() == _VIETNAM_OFFSET:
        # The same instant, written the same way, in the zone calendars use by default:
        # clocks read an instant already in their calendar's zone without converting it
        # (a fixed +07:00 offset costs a conversion on every reading).
        local = value.replace(tzinfo=_VIETNAM)
        if local.utcoffset() == _VIETNAM_OFFSET:
            return local
    return value


_VIETNAM = ZoneInfo(DEFAULT_TIMEZONE)
_VIETNAM_OFFSET = timedelta(hours=7)


_KINDS = {kind.value: kind for kind in EventKind}
_NoneType = type(None)
# The JSON type of each field; null where the field may be left out.
_JSON_TYPES: dict[str, tuple[type, ...]] = (
    {
        "seq": (int,),
        "kind": (str,),
        "at": (str,),
        "actor": (str,),
        "unit": (str,),
        "role": (str, _NoneType),
        "target": (str, _NoneType),
        "step": (str, _NoneType),
        "command_id": (str, _NoneType),
        "meta": (dict, _NoneType),
        "reason": (str, _NoneType),
        "new_due": (str, _NoneType),
        "evidence": (list,),
        "complete": (bool,),
        "data": (dict, _NoneType),
        "violations": (list,),
    }
)
_TYPE_NAMES: dict[type, str] = (
    {
        int: "an integer",
        float: "a number",
        str: "a string",
        bool: "true or false",
        list: "an array",
        dict: "an object",
        type(None): "null",
    }
)


def events_to_json(events: tuple[Event, ...] | list[Event]) -> str:
    """Events as JSON Lines (one event per line, each line ended by ``\n``; line
    separators inside texts are refused when the event is built, so every line is one
    event)."""
    return "".join(
        dumps(event.to_json(), f"event {event.seq}", _fail) + "\n" for event in events
    )


def events_from_json(text: str) -> list[Event]:
    """Events from JSON Lines, as written by :func:`events_to_json`, read as strictly as
    :meth:`Event.from_json`; only ``\n`` ends a line. Errors name the line."""
    if not isinstance(text, str):
        raise EventFormatError(f"JSON Lines are text (str), got {type(text).__name__}.")
    events = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            events.append(Event.from_json(loads(line, "line", EventFormatError.in_line)))
        except EventFormatError as error:
            raise error.at(line=number) from None
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
        "pause.online_check": _L,
        "pause.evidence": _L,
        "pause.invoker": _L,
        "pause.after_due": _L,
        "supplement.not_allowed": _L,
        "supplement.not_declared": _L,
        "supplement.max_times": _L,
        "supplement.window": _L,
        "supplement.online_check": _L,
        "supplement.evidence": _L,
        "supplement.invoker": _L,
        "supplement.after_due": _L,
        "reschedule.max_times": _L,
        "reschedule.incomplete": _L,
        "reschedule.too_late": _L,
        "reschedule.not_later": _L,
        "reschedule.waiting": _L,
        "reschedule.not_delaying": _A,
        "reschedule.by_desk": _A,
        "refused.reason": _L,
        "refused.late": _L,
        "stopped.reason": _L,
        "stopped.after_decision": _L,
        "withdrawn.after_decision": _L,
        "closed.not_awaiting": _L,
        "closed.too_early": _L,
        "closed.no_rule": _L,
        "consult.not_declared": _L,
        "consult.evidence": _L,
        "consult.already_open": _M,
        "consult.not_open": _M,
        "consult.open": _L,
        "consult.not_late": _L,
        "consult.not_running": _M,
    }
)


_FIELDS = tuple(field.name for field in attrs.fields(Event))


def _restored(*values: Any) -> Event:
    """An unpickled event (see ``Event.__reduce__``): a pickle is trusted input."""
    event = object.__new__(Event)
    put = object.__setattr__
    for name, value in zip(_FIELDS, values, strict=True):
        put(event, name, value)
    put(event, "data", MappingProxyType(event.data) if event.data else _NO_DATA)
    put(event, "meta", MappingProxyType(event.meta) if event.meta else _NO_DATA)
    return event

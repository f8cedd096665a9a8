"""Data quality (chất lượng dữ liệu): what a report cannot trust, counted by kind with the ids
of the cases, so that nothing is folded into the figures silently. Agencies are scored on
these figures; a case whose clock cannot be computed must not be scored at all, and must be
seen.

Which flags exclude a case from which figures
---------------------------------------------

``time_order`` — **excludes.** An event of the case's history is dated before an event
recorded before it. Every clock is a fold over the events in their recorded order, so the
figures of a disordered history have no meaning: an elapsed time that is negative or far
too short, a finish before the receipt, time charged to a unit that no longer held the case
(one ``resolved`` event moved into the past once took a procedure's average from 7.24 to
2.69 working days). Such a case is counted in ``total`` (as ``received`` or
``carried_over``, by its receipt, which a history always starts with) and in the column
``unverified`` (không đánh giá được do dữ liệu lỗi), and in nothing else: not early, on time
or overdue, not in progress in time or late, not withdrawn, closed, refused or stopped, not
in the average processing time, not in the responsibility list — in its case rows, in the
rows of the units it reached and in its sub-period rows alike. It is scored neither as on
time (that would reward a corrupted record) nor as late (nothing proves it); it is listed
here by id for someone to look at, and every rate is over the cases that could be judged.
Since its finish cannot be trusted either, the periods it belongs to are those from its
receipt to its latest recorded instant.

``negative_duration`` — **excludes** the reading it is found in, as above. A clock read as a
negative elapsed working time, a finish before the receipt, or a unit's clock that starts
before the receipt or finishes before it starts. A history in time order never gives one;
the figures are checked all the same, whatever the cause, as a second line. The reading at
the period's end excludes the case from its case and unit rows; a reading at the end of an
earlier sub-period excludes it from that sub-period's row.

``violation:<rule>`` — **does not exclude.** An event the engine's audit check finds
unlawful (``violation:supplement.max_times``, ``violation:actor.unit``…): the same check as
:meth:`Case.from_events <tthc_flow.engine.Case.from_events>` in audit mode, run on both the
engine path and the fast path, so a journal can neither add flags nor hide them by what it
records in its events' ``violations``. Such a case's clocks are still computed, and by the
law: an unlawful pause, supplement request or apology moves no clock, an event after the
finish or a handover to a step the procedure lacks moves nothing, a wrong unit's action
counts as it happened. Its figures are sound and lawful; excluding it would let an agency
hide a late case by recording it unlawfully. ``machine.time_order`` is counted as
``time_order``.

``late_entry`` — **does not exclude.** A case from a store (:mod:`tthc_flow.store`) with an
event of the period entered late: recorded after the end of the working day following the
instant it is dated (nhập liệu muộn). The figures are those of the dates given, which the
law counts from; the flag says they were written in afterwards, so that backdating to hide
a delay is seen (seed 000). Added by the store's report, with :meth:`Report.with_late_entries
<tthc_flow.reports.Report.with_late_entries>`.

``journal_skipped`` — a case (or a line whose case cannot be known) that the journal reader
skipped because its lines could not be read whole (:func:`tthc_flow.journal.read_histories`):
in no figure at all, not even ``total``. Added by whoever read the journal (the ``tthc-flow
report`` command does), with :meth:`Report.with_skipped
<tthc_flow.reports.Report.with_skipped>`.

A case is listed under each kind it shows, once per report, if it is counted in some row of
the report; ``time_order`` and the violations are read from its whole history, so every
report of every period says the same of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any

import attrs

from tthc_flow._validators import shown
from tthc_flow.engine import Event
from tthc_flow.errors import InvalidInputError
from tthc_flow.reports._findings import COMPLIANCE_RULES

__all__ = [
    "EXCLUDING",
    "JOURNAL_SKIPPED",
    "LATE_ENTRY",
    "NEGATIVE_DURATION",
    "QUALITY_LABELS",
    "TIME_ORDER",
    "TIME_ORDER_RULE",
    "VIOLATION",
    "QualityFlag",
    "flags_of",
    "history_order",
    "merge_flags",
    "quality_label",
]

TIME_ORDER = "time_order"
NEGATIVE_DURATION = "negative_duration"
VIOLATION = "violation:"
JOURNAL_SKIPPED = "journal_skipped"
LATE_ENTRY = "late_entry"
EXCLUDING = frozenset({TIME_ORDER, NEGATIVE_DURATION, JOURNAL_SKIPPED})
TIME_ORDER_RULE = "machine.time_order"

QUALITY_LABELS: Mapping[str, str] = MappingProxyType(
    {
        TIME_ORDER: (
            "Sự kiện ghi không theo thứ tự thời gian (events recorded out of time order)"
        ),
        NEGATIVE_DURATION: (
            "Thời gian xử lý âm hoặc kết thúc trước khi bắt đầu (negative duration, or a "
            "finish before the start)"
        ),
        JOURNAL_SKIPPED: (
            "Bỏ qua khi đọc nhật ký, không có trong số liệu nào (skipped when the journal was "
            "read: in no figure)"
        ),
        LATE_ENTRY: (
            "Nhập liệu muộn: sự kiện ghi vào kho sau ngày làm việc tiếp theo (entered late: "
            "recorded after the end of the working day following the event)"
        ),
    }
)
# The engine's own rules (the law's are in COMPLIANCE_RULES).
_RULE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "machine.not_received": "Sự kiện trước khi tiếp nhận (event before the receipt)",
        "machine.received_twice": "Tiếp nhận hai lần (received twice)",
        "machine.finished": "Sự kiện sau khi đã kết thúc (event after the case finished)",
        "machine.transition": (
            "Thao tác quy trình không cho phép ở bước này (an action the procedure does not "
            "allow at that step)"
        ),
        "machine.unknown_step": "Chuyển tới bước không có (a move to a step that does not exist)",
        "machine.awaiting_supplement": (
            "Xử lý khi đang chờ bổ sung (acting while awaiting a supplement)"
        ),
        "machine.paused": "Xử lý khi đang tạm dừng (acting while paused)",
        "machine.not_paused": "Tiếp tục khi không tạm dừng (resumed without a pause)",
        "machine.not_awaiting_supplement": (
            "Nhận bổ sung khi không yêu cầu (supplement received without a request)"
        ),
        "machine.already_resolved": (
            "Xử lý lại sau khi đã xử lý xong (resolved, or sent back, after the resolution)"
        ),
        "machine.not_resolved": "Trả kết quả khi chưa xử lý xong (returned before resolved)",
        "actor.unit": "Đơn vị không được giao thực hiện (a unit not assigned the step acted)",
        "actor.role": "Vai trò không được phép (a role not allowed acted)",
        "procedure.not_in_force": (
            "Tiếp nhận theo phiên bản thủ tục hết hiệu lực (received under a version not in "
            "force)"
        ),
    }
)


def quality_label(kind: str) -> str:
    """The words for a kind: its label, or for a violation the rule's title (its code when
    the rule is one the library does not describe)."""
    label = QUALITY_LABELS.get(kind)
    if label is not None:
        return label
    rule = kind[len(VIOLATION):] if kind.startswith(VIOLATION) else kind
    title = COMPLIANCE_RULES.get(rule) or _RULE_LABELS.get(rule) or rule
    return f"Vi phạm khi kiểm tra (audit violation): {title}"


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    ids = tuple(value) if isinstance(value, Iterable) and not isinstance(value, str) else None
    if ids is None or not all(isinstance(case_id, str) for case_id in ids):
        raise InvalidInputError(
            f"QualityFlag.case_ids are case ids (texts), got {shown(value)}.",
            value=value,
            hint="Pass e.g. ['HS-2026-0001'].",
        )
    return tuple(sorted(ids))


def _kind(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not (
        value in QUALITY_LABELS or value.startswith(VIOLATION)
    ):
        raise InvalidInputError(
            f"QualityFlag.kind must be {TIME_ORDER!r}, {NEGATIVE_DURATION!r}, "
            f"{JOURNAL_SKIPPED!r}, {LATE_ENTRY!r} or '{VIOLATION}<rule>', got "
            f"{shown(value)}.",
            value=value,
        )


@attrs.frozen
class QualityFlag:
    """One kind of problem and the cases that show it, ids sorted (an id twice when two
    histories share it). ``excludes``: whether these cases are left out of the classed and
    duration figures (see the module's docstring)."""

    kind: str = attrs.field(validator=_kind)
    case_ids: tuple[str, ...] = attrs.field(converter=_ids)

    @property
    def count(self) -> int:
        return len(self.case_ids)

    @property
    def excludes(self) -> bool:
        return self.kind in EXCLUDING

    @property
    def label(self) -> str:
        return quality_label(self.kind)

    @property
    def sort_key(self) -> tuple[bool, str]:
        """Excluding kinds first, then by kind."""
        return (not self.excludes, self.kind)


def flags_of(value: Iterable[QualityFlag] | Mapping[str, Iterable[str]]) -> tuple[QualityFlag, ...]:
    """Flags in their order, from flags or a mapping of kind to case ids; empty kinds
    dropped."""
    if isinstance(value, Mapping):
        found = [QualityFlag(kind, ids) for kind, ids in value.items()]
    elif isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        found = list(value)
    else:
        found = [value]
    if not all(isinstance(flag, QualityFlag) for flag in found):
        raise InvalidInputError(
            f"a report's data quality holds QualityFlag values, got {shown(value, 200)}.",
            value=value,
            hint="Leave it out; build_report gives it.",
        )
    return tuple(sorted((f for f in found if f.case_ids), key=lambda f: f.sort_key))


def merge_flags(
    a: Sequence[QualityFlag], b: Sequence[QualityFlag]
) -> tuple[QualityFlag, ...]:
    """The flags of two disjoint sets of cases together."""
    table: dict[str, list[str]] = {}
    for flag in (*a, *b):
        table.setdefault(flag.kind, []).extend(flag.case_ids)
    return flags_of(table)


def history_order(events: Sequence[Event], where: str = "events") -> tuple[bool, datetime]:
    """(whether some event is dated before an event recorded before it, the latest instant
    recorded). Refuses, naming it as ``where[i]``, an item that is not an Event."""
    latest: datetime | None = None
    disordered = False
    for number, event in enumerate(events):
        if type(event) is not Event and not isinstance(event, Event):
            raise InvalidInputError(
                f"{where}[{number}] must be an Event, got {type(event).__name__} "
                f"{shown(event, 80)}.",
                value=event,
                hint="Read events with Event.from_json or tthc_flow.journal.read_histories.",
            )
        at = event.at
        if latest is None or at > latest:
            latest = at
        elif at < latest:
            disordered = True
    if latest is None:
        raise InvalidInputError(
            f"{where} is empty.", value=events, hint="A case's events start with its receipt."
        )
    return disordered, latest

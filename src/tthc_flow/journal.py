"""The event journal (nhật ký sự kiện): many cases' events in one JSON Lines file.

One event per line: the event's :meth:`~tthc_flow.engine.Event.to_json` plus ``"case_id"``,
``"procedure"`` (its code) and ``"version"``. Events of different cases may interleave; each
case's events are put back in ``seq`` order when read. Nothing is skipped: a line that cannot
be read raises :class:`~tthc_flow.errors.EventFormatError` naming its line number.

>>> import io
>>> from tthc_flow.journal import write_journal
>>> write_journal([], io.StringIO())
0
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any, Protocol

from tthc_flow.calendar import WorkingCalendar
from tthc_flow.engine import Case, Event, Mode, Procedure
from tthc_flow.errors import EventFormatError, TthcFlowError, UnknownStepError

__all__ = ["JOURNAL_KEYS", "ProcedureSource", "read_histories", "read_journal", "write_journal"]

# The keys a journal line adds to the event's own JSON.
JOURNAL_KEYS = ("case_id", "procedure", "version")


class ProcedureSource(Protocol):
    """Anything that finds a procedure version by code and version: a catalog."""

    def version(self, code: str, version: str) -> Procedure: ...


def write_journal(cases: Iterable[Case], stream: IO[str]) -> int:
    """Write every event of ``cases`` to ``stream``, case after case; returns the number of
    lines written."""
    lines = 0
    for case in cases:
        head = {
            "case_id": case.case_id,
            "procedure": case.procedure.code,
            "version": case.procedure.version,
        }
        for event in case.events:
            record = {**head, **event.to_json()}
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            lines += 1
    return lines


def _records(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise EventFormatError(f"journal line {number} is not JSON: {error}.") from None
        if not isinstance(record, dict):
            raise EventFormatError(
                f"journal line {number} is not a JSON object: {line.strip()[:80]!r}."
            )
        missing = [key for key in JOURNAL_KEYS if not isinstance(record.get(key), str)]
        if missing:
            raise EventFormatError(
                f"journal line {number} lacks {', '.join(missing)} (strings): each line "
                "carries its case id, procedure code and version."
            )
        yield number, record


def read_histories(
    stream: IO[str], catalog: ProcedureSource
) -> Iterator[tuple[Procedure, list[Event]]]:
    """Each case's ``(procedure, events)`` in ``seq`` order, in the order cases first appear.

    The whole journal is read before the first case is given (cases may interleave). Raises
    :class:`~tthc_flow.errors.EventFormatError` for a line that is not a JSON object, lacks
    a journal key or an event field, repeats a case's ``seq``, or names a procedure version
    the catalog does not have (with the line number); a case whose ``seq`` has gaps is
    refused too, naming the case.
    """
    for procedure, events, _case_id, _line in _histories(stream, catalog):
        yield procedure, events


def _histories(
    stream: IO[str], catalog: ProcedureSource
) -> Iterator[tuple[Procedure, list[Event], str, int]]:
    cases: dict[str, tuple[str, str, dict[int, Event], int]] = {}
    for number, record in _records(stream):
        case_id = record["case_id"]
        code, version = record["procedure"], record["version"]
        try:
            event = Event.from_json(record)
        except EventFormatError as error:
            raise EventFormatError(f"journal line {number}: {error}") from None
        entry = cases.get(case_id)
        if entry is None:
            entry = cases[case_id] = (code, version, {}, number)
        elif (entry[0], entry[1]) != (code, version):
            raise EventFormatError(
                f"journal line {number}: case {case_id} is under {entry[0]} v{entry[1]} on "
                f"line {entry[3]} but under {code} v{version} here."
            )
        if event.seq in entry[2]:
            raise EventFormatError(
                f"journal line {number}: case {case_id} has event seq {event.seq} twice."
            )
        entry[2][event.seq] = event
    procedures: dict[tuple[str, str], Procedure] = {}
    for case_id, (code, version, by_seq, first_line) in cases.items():
        procedure = procedures.get((code, version))
        if procedure is None:
            try:
                procedure = catalog.version(code, version)
            except (TthcFlowError, KeyError, LookupError) as error:
                raise EventFormatError(
                    f"journal line {first_line}: case {case_id} names procedure {code} "
                    f"version {version}, which the catalog cannot give: {error}"
                ) from None
            procedures[(code, version)] = procedure
        events = [by_seq[seq] for seq in sorted(by_seq)]
        if [e.seq for e in events] != list(range(len(events))):
            raise EventFormatError(
                f"case {case_id} (first on journal line {first_line}) has events numbered "
                f"{[e.seq for e in events]}; they must run from 0 without gaps."
            )
        yield procedure, events, case_id, first_line


def read_journal(
    stream: IO[str],
    catalog: ProcedureSource,
    *,
    calendar: WorkingCalendar | None = None,
    mode: Mode | str = "audit",
) -> Iterator[Case]:
    """The cases of a journal, replayed (audit mode by default: every event is accepted and
    the rules it breaks are recorded on it; commands given to the cases afterwards are
    strict). Errors as :func:`read_histories`; a case whose events the engine cannot replay
    (a first event that is not the receipt) raises
    :class:`~tthc_flow.errors.EventFormatError` naming the case and its first line, with the
    engine's error as its cause."""
    for procedure, events, case_id, first_line in _histories(stream, catalog):
        try:
            yield Case.from_events(
                procedure, events, replay_mode=mode, calendar=calendar
            )
        except (UnknownStepError, EventFormatError) as error:
            raise EventFormatError(
                f"case {case_id} (first on journal line {first_line}) cannot be replayed under "
                f"{procedure.code} v{procedure.version}: {error}"
            ) from error

"""The event journal (nhật ký sự kiện): many cases' events in one JSON Lines file.

One event per line, ended by ``\\n``: ``"case_id"`` (at most
:data:`~tthc_flow.codec.MAX_CASE_ID`, 256, characters, as in a store), ``"procedure"`` (its
code) and ``"version"``, then the event's :meth:`~tthc_flow.engine.Event.to_json`; the first line a
writer writes for a case may add ``"events"``, the number of events written for it (a case
read with fewer is skipped as cut short). A case's identity
is the line's ``case_id`` (a receipt whose ``data.case_id`` says otherwise is a conflict,
not a second name). Events of different cases may interleave; each case's events are put
back in ``seq`` order when read.

A journal exported from a store (:meth:`~tthc_flow.store.Store.export`, ``tthc-flow store
export``) adds two keys to every line: ``"recorded_at"``, the instant the store recorded the
event (ISO 8601 with its offset, in UTC with microseconds as a store writes it), and
``"entry"``, how it was entered there: ``live``, ``late`` (recorded after the end of the
working day following its ``at``: late data entry) or ``imported``. A line carries both or
neither: one alone, an entry not among these three, or a ``recorded_at`` that is not an
instant with its offset makes the line bad (its case is skipped, or
:class:`~tthc_flow.errors.EventFormatError` in strict mode). Every reader accepts them;
:func:`read_stamped_journal` gives them back (as a :class:`Stamp` per event, None where the
line has none), and :meth:`~tthc_flow.store.Store.import_cases` stores each event with its
own, so that a store moved through a journal keeps when and how each event was entered, and
its late entries. They are taken as the source store recorded them: a journal is trusted
input for them (the importing store does not judge them again), and the hash chain of the
store imported into starts from the import. Lines without them are stored as imported, with
the import's instant.

Writing is all or nothing per case: :func:`write_journal` checks and encodes every event of
a case before it writes, then writes the case's lines in one call, so a writer killed
mid-case leaves at most one torn last line.

Reading keeps every good case. A line that cannot be read, a case whose lines disagree or
whose ``seq`` numbers have gaps, a torn last line: the case concerned is skipped whole
(never given back truncated as if complete), and each skip is reported as a
:class:`Skipped` (a ``skipped`` list you pass in, else a :class:`JournalSkipWarning`).
``strict=True`` makes the first problem an :class:`~tthc_flow.errors.EventFormatError`
instead. Reading streams: a file is read twice (once to find where each case's lines are,
once to give each case), holding only line offsets and one case at a time; ``case_ids``
reads only the cases named.

>>> import io
>>> from tthc_flow.journal import write_journal
>>> write_journal([], io.StringIO())
0
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import warnings
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import IO, Any, Protocol

import attrs

from tthc_flow._validators import flag, shown
from tthc_flow.calendar import WorkingCalendar
from tthc_flow.codec import MAX_CASE_ID, check_case_id, dumps, line_blocks, loads
from tthc_flow.engine import Case, Event, Mode, Procedure
from tthc_flow.engine._events import read_instant
from tthc_flow.errors import EventFormatError, InvalidInputError, TthcFlowError

__all__ = [
    "ENTRIES",
    "JOURNAL_KEYS",
    "STAMP_KEYS",
    "JournalSkipWarning",
    "ProcedureSource",
    "Skipped",
    "Stamp",
    "Stamped",
    "journal_schema",
    "read_case_histories",
    "read_histories",
    "read_journal",
    "read_stamped_journal",
    "write_journal",
]

def journal_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a journal line, as shipped in the package; its
    ``$defs.event`` is a line of :func:`~tthc_flow.engine._events.events_to_json`. The
    reader refuses everything it refuses (and more: see its description)."""
    text = resources.files("tthc_flow").joinpath("journal.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


# The keys a journal line adds to the event's own JSON.
JOURNAL_KEYS = ("case_id", "procedure", "version")
# Written on the first line of each case by write_journal: how many events it wrote for the
# case, so that a write cut short exactly at a line's end is still seen to be short.
COUNT_KEY = "events"
#: The keys a line exported from a store adds (both or neither): the instant the store
#: recorded the event, and how it was entered there.
STAMP_KEYS = ("recorded_at", "entry")
#: How a store says an event was entered: ``live`` (within the tolerance), ``late``
#: (recorded after the end of the working day following its ``at``), ``imported`` (from a
#: journal or another system, which keeps its source's instants).
ENTRIES = ("live", "late", "imported")
_LINE_KEYS = (*JOURNAL_KEYS, COUNT_KEY, *STAMP_KEYS)

# How write_journal starts every line: the reader finds a line's case from it without
# parsing the line (any other line is parsed in full).
_HEAD = b'{"case_id": "'


class ProcedureSource(Protocol):
    """Anything that finds a procedure version by code and version: a catalog."""

    def version(self, code: str, version: str) -> Procedure: ...


@attrs.frozen
class Skipped:
    """What a reader left out, and why (bỏ qua): ``case_id`` the case skipped whole (None for
    a line whose case cannot be known), ``lines`` the journal lines concerned (numbered from
    1), ``reason`` the problem, as the error a strict reader would raise says it."""

    case_id: str | None
    lines: tuple[int, ...]
    reason: str

    def __str__(self) -> str:
        shown = ", ".join(str(n) for n in self.lines[:5]) + ("…" if len(self.lines) > 5 else "")
        who = f"case {self.case_id!r}" if self.case_id is not None else "a line"
        return f"skipped {who} (line {shown}): {self.reason}"


class JournalSkipWarning(UserWarning):
    """A journal reader skipped a case or a line and was given no list to report it in."""


class Stamped(Protocol):
    """Anything that says when a store recorded an event and how it was entered: a
    :class:`Stamp`, or a :class:`~tthc_flow.store.StoredEvent`."""

    @property
    def recorded_at(self) -> datetime: ...

    @property
    def entry(self) -> str: ...


@attrs.frozen
class Stamp:
    """When a store recorded an event (``recorded_at``, an aware instant) and how it was
    entered there (``entry``: one of :data:`ENTRIES`), as a journal line carries them."""

    recorded_at: datetime
    entry: str


# ---------------------------------------------------------------------------------- writing


def write_journal(
    cases: Iterable[Case], stream: IO[str], *,
    stamps: Callable[[str], Sequence[Stamped]] | None = None,
) -> int:  # fmt: skip
    """Write every event of ``cases`` to ``stream``, case after case, each case in one
    ``write`` once all its lines are encoded (a case that cannot be encoded raises
    :class:`~tthc_flow.errors.EventFormatError` before any of its lines is written, and the
    cases before it stay written whole); returns the number of lines written. ``cases``
    must be an iterable and ``stream`` an open text stream that can be written (a binary
    stream, a closed or read-only one is refused with
    :class:`~tthc_flow.errors.InvalidInputError` before anything is written).

    ``stamps``: a function of a case id giving, in ``seq`` order, when a store recorded
    each of the case's events and how it was entered (anything :class:`Stamped`, e.g.
    ``store.history``); every line then carries ``recorded_at`` (in UTC) and ``entry``. It
    must give at least as many as the case has events (the first are used: a store's
    history may have grown since the case was read), each entry one of :data:`ENTRIES` and
    each instant aware, else the case raises
    :class:`~tthc_flow.errors.EventFormatError` and none of its lines is written."""
    if isinstance(cases, (str, bytes, Mapping)) or not isinstance(cases, Iterable):
        raise InvalidInputError(
            f"write_journal writes an iterable of Case values, got {shown(cases)}.",
            value=cases,
            hint="Pass a list of cases, or store.cases().",
        )
    if stamps is not None and not callable(stamps):
        raise InvalidInputError(
            f"stamps must be a function of a case id giving its events' stamps, got "
            f"{shown(stamps)}.",
            value=stamps,
            hint="Pass stamps=store.history, or leave it out.",
        )
    _check_writable(stream)
    lines = 0
    for case in cases:
        if not isinstance(case, Case):
            raise InvalidInputError(
                f"write_journal writes Case values, got {type(case).__name__} {case!r:.60}.",
                value=case,
                hint="Pass the cases (e.g. Case.from_events(...)), not their events.",
            )
        if not case.case_id:
            raise InvalidInputError(
                "a case without an id cannot be written to a journal: each line is found by "
                "its case id.",
                value=case,
                hint="Rebuild the case with Case.from_events(..., case_id=...).",
            )
        check_case_id(case.case_id)
        head = {
            "case_id": case.case_id,
            "procedure": case.procedure.code,
            "version": case.procedure.version,
        }
        events = case.events
        try:
            marks = (
                _stamp_keys(stamps(case.case_id), len(events)) if stamps is not None
                else [{}] * len(events)
            )  # fmt: skip
            text = "".join(
                dumps(
                    {**head, COUNT_KEY: len(events), **event.to_json(), **mark} if index == 0
                    else {**head, **event.to_json(), **mark},
                    f"event {event.seq}", EventFormatError.of_field,
                ) + "\n"
                for index, (event, mark) in enumerate(zip(events, marks, strict=True))
            )  # fmt: skip
        except EventFormatError as error:
            raise error.at(case_id=case.case_id) from None
        stream.write(text)
        lines += len(events)
    return lines


def _stamp_keys(given: object, count: int) -> list[dict[str, str]]:
    """The ``recorded_at`` and ``entry`` keys of each of a case's ``count`` events, from
    the stamps ``given`` for it (the first ``count``)."""
    if isinstance(given, (str, bytes, Mapping)) or not isinstance(given, Sequence):
        raise EventFormatError(
            f"the stamps of the case must be a sequence, one per event, got {shown(given)}."
        )
    if len(given) < count:
        raise EventFormatError(
            f"the case has {count} events but its stamps cover {len(given)}: each event "
            "needs when it was recorded and how it was entered."
        )
    keys = []
    for seq, stamp in enumerate(given[:count]):
        entry = getattr(stamp, "entry", None)
        if type(entry) is not str or entry not in ENTRIES:
            raise EventFormatError(
                f"event {seq}: {entry!r:.40} is not an entry; use one of {', '.join(ENTRIES)}.",
                field="entry",
            )
        keys.append({"recorded_at": _utc(getattr(stamp, "recorded_at", None), seq),
                     "entry": entry})  # fmt: skip
    return keys


def _utc(instant: object, seq: int) -> str:
    """``instant`` as a store writes it: UTC, ISO 8601 with microseconds."""
    if not isinstance(instant, datetime) or instant.utcoffset() is None:
        raise EventFormatError(
            f"event {seq}: must be an aware datetime, got {shown(instant)}.",
            field="recorded_at",
        )
    try:
        return instant.astimezone(timezone.utc).isoformat(timespec="microseconds")
    except OverflowError:
        raise EventFormatError(
            f"event {seq}: {instant.isoformat()} lies beyond the range of datetime in UTC.",
            field="recorded_at",
        ) from None


def _check_writable(stream: object) -> None:
    """``stream`` must be an open text stream that can be written: a binary one would
    refuse the first line's text, a closed or read-only one any line."""
    why = None
    if not callable(getattr(stream, "write", None)):
        why = "it has no write method"
    elif isinstance(stream, (io.RawIOBase, io.BufferedIOBase)) or "b" in str(
        getattr(stream, "mode", "")
    ):
        why = "it is a binary stream; a journal is text (UTF-8)"
    elif getattr(stream, "closed", False) is True:
        why = "it is closed"
    else:
        writable = getattr(stream, "writable", None)
        try:
            if callable(writable) and writable() is False:
                why = "it was opened for reading only"
        except (OSError, ValueError):
            why = "it cannot be written"
    if why is not None:
        raise InvalidInputError(
            f"write_journal writes to an open text stream, got {shown(stream)}: {why}.",
            value=stream,
            hint="Pass e.g. open('events.jsonl', 'a', encoding='utf-8'), sys.stdout or "
            "io.StringIO().",
        )


# ---------------------------------------------------------------------------------- reading


class _Problems:
    """Where a reader puts what it skips: a list, a warning, or (strict) an error."""

    def __init__(self, skipped: list[Skipped] | None, strict: bool, source: str | None) -> None:
        self.skipped = skipped
        self.strict = strict
        self.source = source

    def skip(self, error: EventFormatError, case_id: str | None, lines: Iterable[int]) -> None:
        error = error.at(case_id=case_id, source=self.source)
        if self.strict:
            raise error
        entry = Skipped(case_id, tuple(lines), error.detail if error.field is None
                        else f"field {error.field!r}: {error.detail}")  # fmt: skip
        if self.skipped is not None:
            self.skipped.append(entry)
        else:
            warnings.warn(str(entry), JournalSkipWarning, stacklevel=4)


_BOM = b"\xef\xbb\xbf"
# A token search per case id is quicker than looking at every line only for a few ids.
_MOST_TOKENS = 8


def unreadable_journal(path: os.PathLike[str] | str, why: str) -> InvalidInputError:
    """The error for a journal path that cannot be read (``why``: the system's reason)."""
    return InvalidInputError(
        f"cannot read the journal {str(path)!r}: {why}.",
        value=str(path),
        hint="Give the path of a JSON Lines event journal (a file or a pipe).",
    )


class _Lines:
    """A journal's lines as bytes, each ended by ``\\n`` (only), read twice: from a
    seekable binary file (offsets kept, the file read again in pass two), or from lines held
    in memory (a text stream, a pipe, a compressed stream: anything that cannot be re-read
    cheaply). A UTF-8 byte-order mark at the start is skipped."""

    def __init__(self, source: IO[Any] | str | os.PathLike[str]) -> None:
        self.owned: IO[bytes] | None = None
        self.held: list[bytes] | None = None
        self.binary: IO[bytes] | None = None
        self.name: str | None = None
        if isinstance(source, (str, os.PathLike)):
            path = Path(source)
            self.name = str(path)
            try:
                opened = path.open("rb")
            except OSError as error:
                raise unreadable_journal(path, error.strerror or str(error)) from None
            if _cheap_to_seek(opened):
                self.owned = self.binary = opened
                self._skip_bom()
            else:  # a pipe, /dev/stdin: read once, held
                with opened:
                    self.held = _held(opened)
            return
        name = getattr(source, "name", None)
        self.name = name if isinstance(name, str) else None
        if (
            isinstance(source, io.TextIOWrapper)
            and _is_utf8(source.encoding)
            and _at_start(source)
            and _cheap_to_seek(source.buffer)
        ):
            self.binary = source.buffer
            self._skip_bom()
            return
        if isinstance(source, (io.BufferedIOBase, io.RawIOBase)) and _cheap_to_seek(source):
            self.binary = source
            self._skip_bom()
            return
        if hasattr(source, "read"):
            self.held = _held(source)
            return
        raise InvalidInputError(
            f"a journal is a path or an open file, got {type(source).__name__}.",
            value=source,
            hint="Pass open('events.jsonl', 'rb'), a text stream, or the path.",
        )

    def _skip_bom(self) -> None:
        binary = self.binary
        assert binary is not None
        start = binary.tell()
        if binary.read(3) != _BOM:
            binary.seek(start)

    def close(self) -> None:
        if self.owned is not None:
            self.owned.close()

    def scan(self) -> Iterator[tuple[int, int, bytes]]:
        """(line number, offset, line) of every line; offsets are indexes into the held
        lines when there is no file."""
        if self.held is not None:
            for index, line in enumerate(self.held):
                yield index + 1, index, line
            return
        binary = self.binary
        assert binary is not None
        offset = binary.tell()
        for number, line in enumerate(binary, 1):
            yield number, offset, line
            offset += len(line)

    def scan_for(self, wanted: frozenset[str]) -> Iterator[tuple[int, int, bytes]]:
        """The lines that may belong to the cases ``wanted``, as :meth:`scan` gives them:
        in a file, blocks whose every line starts as :func:`write_journal` starts lines are
        searched for the cases' own starts, and for lines whose case cannot be read from
        their start (an escaped or torn id), without splitting them into lines; any other
        block is given line by line. Many ids, or no file: every line."""
        if self.binary is None or len(wanted) > _MOST_TOKENS:
            yield from self.scan()
            return
        binary = self.binary
        tokens = tuple(
            b'{"case_id": ' + json.dumps(case_id, ensure_ascii=False).encode("utf-8")
            for case_id in wanted
        )
        offset = binary.tell()
        number = 1  # of the block's first line
        for data in line_blocks(binary):
            yield from _candidates(data, offset, number, tokens)
            offset += len(data)
            number += data.count(b"\n")

    def fetch(self, offsets: array[int]) -> list[bytes]:
        """The lines at ``offsets`` (in the order given)."""
        if self.held is not None:
            held = self.held
            return [held[offset] for offset in offsets]
        binary = self.binary
        assert binary is not None
        lines = []
        position = -1
        for offset in offsets:
            if offset != position:
                binary.seek(offset)
            line = binary.readline()
            lines.append(line)
            position = offset + len(line)
        return lines


def _cheap_to_seek(binary: Any) -> bool:
    """Whether ``binary`` is a file or buffer that is re-read by seeking at no more cost
    than reading (not a pipe, not a compressed stream, which would decompress again)."""
    try:
        if not binary.seekable():
            return False
    except (OSError, ValueError, AttributeError):
        return False
    raw = getattr(binary, "raw", binary)
    return isinstance(raw, (io.FileIO, io.BytesIO)) or isinstance(binary, io.BytesIO)


def _is_utf8(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "").name == "utf-8"
    except LookupError:
        return False


def _held(stream: Any) -> list[bytes]:
    """Every line of ``stream`` (text or bytes), as UTF-8 bytes ended by ``\\n`` only; a
    byte-order mark at the start is dropped."""
    lines: list[bytes] = []
    pending: list[bytes] = []
    first = True
    while True:
        chunk = stream.read(1 << 16)
        if not chunk:
            break
        if isinstance(chunk, str):
            # Lone surrogates survive to be refused, with their line, by the reader.
            chunk = chunk.encode("utf-8", "surrogatepass")
        if first:
            first = False
            if chunk.startswith(_BOM):
                chunk = chunk[3:]
        parts = chunk.split(b"\n")
        if len(parts) == 1:
            pending.append(chunk)
            continue
        pending.append(parts[0])
        lines.append(b"".join(pending) + b"\n")
        lines.extend(part + b"\n" for part in parts[1:-1])
        pending = [parts[-1]]
    last = b"".join(pending)
    if last:
        lines.append(last)
    return lines


def _candidates(
    data: bytes, offset: int, number: int, tokens: tuple[bytes, ...]
) -> Iterator[tuple[int, int, bytes]]:
    """(line number, offset, line) of the lines of ``data`` (whole lines, the first numbered
    ``number``, at ``offset`` in the file) that may start with one of ``tokens``."""
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    standard = data.startswith(_HEAD) + data.count(b"\n" + _HEAD)
    if standard != lines:
        # A line not as write_journal writes it (another writer, a blank line, a broken
        # line): every line of this block is looked at (split at \n only, as everywhere).
        position = 0
        size = len(data)
        while position < size:
            end = data.find(b"\n", position)
            end = size if end < 0 else end + 1
            yield number, offset + position, data[position:end]
            number += 1
            position = end
        return
    starts = {0} if data.startswith(tokens) else set()
    for token in tokens:
        needle = b"\n" + token
        found = data.find(needle)
        while found >= 0:
            starts.add(found + 1)
            found = data.find(needle, found + 1)
    # Lines whose case the fast path cannot read: an escaped id, or an id cut by a torn
    # line; and a last line without its line break.
    if _UNREADABLE_FIRST.match(data):
        starts.add(0)
    for unreadable in _UNREADABLE_ID.finditer(data):
        starts.add(unreadable.start() + 1)
    if not data.endswith(b"\n"):
        starts.add(data.rfind(b"\n") + 1)
    counted, before = 0, 0
    for start in sorted(starts):
        before += data.count(b"\n", counted, start)
        counted = start
        end = data.find(b"\n", start)
        yield number + before, offset + start, data[start : len(data) if end < 0 else end + 1]


# A line whose case id is written with an escape, holds a control character (which JSON
# refuses unescaped, and which the tokens searched for, written by json.dumps, escape), or is
# cut before its closing quote: its case is read by parsing the line. (It starts with a
# literal, so the search runs at the speed of bytes.find.)
_UNREADABLE_ID = re.compile(rb'\n\{"case_id": "[^"\\\x00-\x1f]*(?:[\\\x00-\x1f]|\Z)')
_UNREADABLE_FIRST = re.compile(rb'\{"case_id": "[^"\\\x00-\x1f]*(?:[\\\x00-\x1f]|\Z)')


def _at_start(stream: io.TextIOWrapper) -> bool:
    try:
        return stream.seekable() and stream.buffer.seekable() and stream.tell() == 0
    except (OSError, ValueError, AttributeError):
        return False


class _Where:
    """Where one case's lines are: their offsets and line numbers, in file order (built for
    one case at a time, in pass two)."""

    __slots__ = ("bad", "lines", "offsets")

    def __init__(self) -> None:
        self.offsets: array[int] = array("q")
        self.lines: array[int] = array("q")
        self.bad: EventFormatError | None = None


class _Index:
    """Where every case's lines are, in flat arrays: per line its offset, its number and the
    next line of the same case; per case its first and last line. About 16 bytes a line and
    a dictionary entry a case, so a million events index in a few tens of megabytes."""

    def __init__(self) -> None:
        self.slots: dict[str, int] = {}
        self.offsets: array[int] = array("q")
        self.numbers: array[int] = array("q")
        self.following: array[int] = array("l")
        self.first: array[int] = array("l")
        self.last: array[int] = array("l")
        self.bad: dict[int, tuple[EventFormatError, list[int]]] = {}

    def _slot(self, case_id: str) -> int:
        slot = self.slots.get(case_id)
        if slot is None:
            slot = self.slots[case_id] = len(self.first)
            self.first.append(-1)
            self.last.append(-1)
        return slot

    def add(self, case_id: str, offset: int, number: int) -> None:
        slot = self._slot(case_id)
        index = len(self.offsets)
        self.offsets.append(offset)
        self.numbers.append(number)
        self.following.append(-1)
        last = self.last[slot]
        if last < 0:
            self.first[slot] = index
        else:
            self.following[last] = index
        self.last[slot] = index

    def mark_bad(self, case_id: str, error: EventFormatError, number: int) -> None:
        slot = self._slot(case_id)
        found = self.bad.get(slot)
        if found is None:
            self.bad[slot] = (error, [number])
        else:
            found[1].append(number)

    def where(self, slot: int) -> _Where:
        where = _Where()
        index = self.first[slot]
        while index >= 0:
            where.offsets.append(self.offsets[index])
            where.lines.append(self.numbers[index])
            index = self.following[index]
        bad = self.bad.get(slot)
        if bad is not None:
            where.bad = bad[0]
            where.lines = array("q", sorted((*where.lines, *bad[1])))
        return where


def _case_of(line: bytes) -> str | None:
    """The case id of a line written by :func:`write_journal` (found without parsing the
    line), else None."""
    if not line.startswith(_HEAD):
        return None
    end = line.find(b'"', 13)
    if end < 0:
        return None
    raw = line[13:end]
    if b"\\" in raw:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _parse(line: bytes) -> dict[str, Any]:
    text = line.decode("utf-8") if line.isascii() else _utf8(line)
    record = loads(text, "line", EventFormatError.in_line)
    if not isinstance(record, dict):
        raise EventFormatError(f"a journal line is a JSON object, got {text.strip()[:60]!r}.")
    for key in JOURNAL_KEYS:
        value = record.get(key)
        if type(value) is not str or not value:
            raise EventFormatError(
                "is missing or not a non-empty string: each line carries its case id, "
                "procedure code and version.",
                field=key,
            )
    if len(record["case_id"]) > MAX_CASE_ID:
        raise EventFormatError(
            f"is {len(record['case_id']):,} characters long; a case id has at most "
            f"{MAX_CASE_ID}, as in every store.",
            field="case_id",
        )
    return record


def _utf8(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise EventFormatError(f"is not UTF-8 text: {error}.") from None


def _locate(
    lines: _Lines, problems: _Problems, case_ids: Collection[str] | None
) -> _Index:
    """Pass one: where each case's lines are. Lines of cases not asked for are not parsed
    when their case can be read from their start (and, with ``case_ids`` on a file, most are
    not even looked at one by one). A line that cannot be read marks its case bad (its case
    is searched for in the raw text); failing that, it is reported alone."""
    index = _Index()
    wanted = None if case_ids is None else frozenset(case_ids)
    scan = lines.scan() if wanted is None else lines.scan_for(wanted)
    for number, offset, line in scan:
        if not line.strip():
            continue
        case_id = _case_of(line)
        if case_id is None:
            try:
                case_id = _parse(line)["case_id"]
            except EventFormatError as error:
                _bad_line(line, number, error, index, wanted, problems)
                continue
        if wanted is not None and case_id not in wanted:
            continue
        # A torn line whose case can be read is parsed in pass two: if it still parses it is
        # a whole event that lost its newline; if not, its case is skipped whole.
        index.add(case_id, offset, number)
    return index


def _bad_line(
    line: bytes, number: int, error: EventFormatError, index: _Index,
    wanted: frozenset[str] | None, problems: _Problems,
) -> None:  # fmt: skip
    torn = not line.endswith(b"\n")
    if torn:
        error = EventFormatError(
            f"the journal ends in a torn line (a write cut short): {error.detail}",
            field=error.field,
        )
    error = error.at(line=number)
    found = _CASE_IN_TEXT.search(line.decode("utf-8", "replace"))
    guess = _unquote(found.group(1)) if found else None
    if guess is None:
        # Reported alone. Were it the end of a case written by write_journal, that case's
        # first line states how many events it has, and the case is skipped as cut short.
        problems.skip(error, None, (number,))
        return
    if wanted is not None and guess not in wanted:
        return
    index.mark_bad(guess, error, number)


# A case id in a line that cannot be parsed (the first one, as write_journal puts it first).
_CASE_IN_TEXT = re.compile(r'"case_id"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _unquote(text: str) -> str | None:
    try:
        value = json.loads(f'"{text}"')
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def _history(
    case_id: str, where: _Where, lines: _Lines, catalog: ProcedureSource,
    procedures: dict[tuple[str, str], Procedure | EventFormatError],
) -> tuple[Procedure, list[Event], tuple[Stamp | None, ...]]:  # fmt: skip
    """Pass two for one case: its procedure, its events in ``seq`` order and their stamps
    (None for an event whose line carries none)."""
    if where.bad is not None:
        raise where.bad
    head: tuple[str, str] | None = None
    first = where.lines[0]
    declared = 0
    by_seq: dict[int, Event] = {}
    stamps: dict[int, Stamp] = {}
    for number, line in zip(where.lines, lines.fetch(where.offsets), strict=True):
        try:
            record = _parse(line)
            if record["case_id"] != case_id:
                raise EventFormatError(
                    f"names case {record['case_id']!r} where its start names {case_id!r}."
                )
            event = Event.from_json(record, extra=_LINE_KEYS)
            stamp = _stamp(record)
            if COUNT_KEY in record:
                count = record[COUNT_KEY]
                if type(count) is not int or count < 1:
                    raise EventFormatError(
                        f"must be the number of the case's events written, got {count!r:.30}.",
                        field=COUNT_KEY,
                    )
                declared = max(declared, count)
        except EventFormatError as error:
            if not line.endswith(b"\n"):
                error = EventFormatError(
                    f"the journal ends in a torn line (a write cut short): {error.detail}",
                    field=error.field,
                )
            raise error.at(line=number) from None
        code, version = record["procedure"], record["version"]
        if head is None:
            head = (code, version)
        elif head != (code, version):
            raise EventFormatError(
                f"the case is under {head[0]} v{head[1]} on line {first} but under {code} "
                f"v{version} here.",
                line=number,
            )
        if event.seq in by_seq:
            raise EventFormatError(f"the case has event seq {event.seq} twice.", line=number)
        by_seq[event.seq] = event
        if stamp is not None:
            stamps[event.seq] = stamp
    assert head is not None
    events = [by_seq[seq] for seq in sorted(by_seq)]
    if events[-1].seq != len(events) - 1:
        raise EventFormatError(
            f"its events are numbered {[e.seq for e in events][:20]}; they must run from 0 "
            "without gaps (a missing event would make every clock wrong).",
            line=first,
        )
    if len(events) < declared:
        raise EventFormatError(
            f"it was written with {declared} events but the journal holds {len(events)}: the "
            "write was cut short, and a case missing its last events has wrong clocks.",
            line=first,
        )
    receipt_id = events[0].data.get("case_id")
    if receipt_id is not None and receipt_id != case_id:
        raise EventFormatError(
            f"its receipt names case {receipt_id!r}; a case's id is its lines' case_id, so "
            "the two must agree.",
            field="data.case_id",
            line=where.lines[0],
        )
    procedure = procedures.get(head)
    if procedure is None:
        try:
            procedure = catalog.version(*head)
        except (TthcFlowError, KeyError, LookupError) as error:
            procedure = EventFormatError(
                f"names procedure {head[0]} version {head[1]}, which the catalog cannot "
                f"give: {error}",
                line=first,
            )
        procedures[head] = procedure
    if isinstance(procedure, EventFormatError):
        raise procedure
    return procedure, events, tuple(stamps.get(event.seq) for event in events)


def _stamp(record: dict[str, Any]) -> Stamp | None:
    """The line's ``recorded_at`` and ``entry``, read exactly; None when it has neither."""
    missing = [key for key in STAMP_KEYS if key not in record]
    if len(missing) == len(STAMP_KEYS):
        return None
    if missing:
        raise EventFormatError(
            "is missing: a line carries recorded_at and entry together, or neither.",
            field=missing[0],
        )
    recorded, entry = record["recorded_at"], record["entry"]
    if type(entry) is not str or entry not in ENTRIES:
        raise EventFormatError(
            f"{entry!r:.40} is not an entry; it is one of {', '.join(ENTRIES)}.", field="entry"
        )
    instant = read_instant(recorded, "recorded_at")
    try:
        instant.astimezone(timezone.utc)
    except OverflowError:
        raise EventFormatError(
            f"{recorded!r:.60} lies beyond the range of datetime in UTC.", field="recorded_at"
        ) from None
    return Stamp(instant, entry)


def _read(
    source: IO[Any] | str | os.PathLike[str], catalog: ProcedureSource, *,
    strict: bool, skipped: list[Skipped] | None, case_ids: Collection[str] | None,
    build: Callable[[str, Procedure, list[Event], tuple[Stamp | None, ...]], Any],
) -> Iterator[Any]:  # fmt: skip
    # Checked before a line is read: a wrong one found at the first skip would come after
    # good cases were given.
    flag(strict, "strict")
    _check_skipped(skipped)
    if not callable(getattr(catalog, "version", None)):
        raise InvalidInputError(
            f"the catalog must find procedures by code and version (a version(code, version) "
            f"method), got {type(catalog).__name__} {catalog!r:.60}.",
            value=catalog,
            hint="Pass a Catalog, e.g. tthc_flow.samples.sample_catalog() or load_catalog(...).",
        )
    lines = _Lines(source)
    try:
        problems = _Problems(skipped, strict, lines.name)
        index = _locate(lines, problems, case_ids)
        procedures: dict[tuple[str, str], Procedure | EventFormatError] = {}
        for case_id, slot in index.slots.items():
            where = index.where(slot)
            try:
                procedure, events, stamps = _history(case_id, where, lines, catalog,
                                                     procedures)  # fmt: skip
                built = build(case_id, procedure, events, stamps)
            except EventFormatError as error:
                problems.skip(error.at(line=where.lines[0]), case_id, where.lines)
                continue
            yield built
    finally:
        lines.close()


def _check_skipped(skipped: object) -> None:
    """``skipped`` must be None or a list (anything with an ``append``) the reader adds
    each :class:`Skipped` to."""
    if skipped is not None and not callable(getattr(skipped, "append", None)):
        raise InvalidInputError(
            f"skipped must be a list the reader appends what it skips to, got "
            f"{shown(skipped)}.",
            value=skipped,
            hint="Pass skipped=[] and read it after the cases, or leave it out (a warning "
            "for each skip).",
        )


def read_histories(
    source: IO[Any] | str | os.PathLike[str],
    catalog: ProcedureSource,
    *,
    strict: bool = False,
    skipped: list[Skipped] | None = None,
    case_ids: Iterable[str] | None = None,
) -> Iterator[tuple[Procedure, list[Event]]]:
    """Each good case's ``(procedure, events)`` in ``seq`` order, in the order cases first
    appear (a path, a binary file, or a text file at its start is read twice and never held
    whole; another text stream is held in memory).

    A case is skipped whole, and reported in ``skipped`` (else warned of with
    :class:`JournalSkipWarning`), when one of its lines is not a JSON object of the journal's
    keys and an event's fields (read as strictly as :meth:`~tthc_flow.engine.Event.from_json`),
    when its lines disagree on the procedure, repeat a ``seq`` or leave a gap, when its
    receipt names another case, when the catalog lacks its procedure version, or when the
    journal's torn last line may be its end. A line whose case cannot be read is reported on
    its own. ``strict=True`` raises the first as :class:`~tthc_flow.errors.EventFormatError`
    (naming file, line, case and field). ``case_ids`` reads only those cases."""
    yield from _read(
        source, catalog, strict=strict, skipped=skipped, case_ids=_ids(case_ids),
        build=lambda _id, procedure, events, _stamps: (procedure, events),
    )  # fmt: skip


def read_case_histories(
    source: IO[Any] | str | os.PathLike[str],
    catalog: ProcedureSource,
    *,
    strict: bool = False,
    skipped: list[Skipped] | None = None,
    case_ids: Iterable[str] | None = None,
) -> Iterator[tuple[Procedure, list[Event], str]]:
    """As :func:`read_histories`, each with its case id (the lines' ``case_id``, which a
    receipt need not repeat): ``(procedure, events, case_id)``, the triple
    :func:`~tthc_flow.reports.build_report_from_events` takes."""
    yield from _read(
        source, catalog, strict=strict, skipped=skipped, case_ids=_ids(case_ids),
        build=lambda case_id, procedure, events, _stamps: (procedure, events, case_id),
    )  # fmt: skip


def read_journal(
    source: IO[Any] | str | os.PathLike[str],
    catalog: ProcedureSource,
    *,
    calendar: WorkingCalendar | None = None,
    mode: Mode | str = "audit",
    strict: bool = False,
    skipped: list[Skipped] | None = None,
    case_ids: Iterable[str] | None = None,
) -> Iterator[Case]:
    """The good cases of a journal, replayed (audit mode by default: every event is accepted
    and the rules it breaks are recorded on it; commands given to the cases afterwards are
    strict). Skips and errors as :func:`read_histories`; a case the engine cannot replay (a
    first event that is not the receipt) is skipped too. The lines' ``recorded_at`` and
    ``entry`` are checked and left out (:func:`read_stamped_journal` gives them)."""
    build = _replayer(calendar, mode)
    yield from _read(
        source, catalog, strict=strict, skipped=skipped, case_ids=_ids(case_ids),
        build=lambda case_id, procedure, events, _stamps: build(case_id, procedure, events),
    )  # fmt: skip


def read_stamped_journal(
    source: IO[Any] | str | os.PathLike[str],
    catalog: ProcedureSource,
    *,
    calendar: WorkingCalendar | None = None,
    mode: Mode | str = "audit",
    strict: bool = False,
    skipped: list[Skipped] | None = None,
    case_ids: Iterable[str] | None = None,
) -> Iterator[tuple[Case, tuple[Stamp | None, ...]]]:
    """As :func:`read_journal`, each case with its events' stamps, in ``seq`` order: a
    :class:`Stamp` (when a store recorded the event, how it was entered) for each event
    whose line carries ``recorded_at`` and ``entry``, None for one whose line does not. The
    pairs are what :meth:`~tthc_flow.store.Store.import_cases` takes to store each event as
    its source store recorded it: ``store.import_cases(read_stamped_journal(path,
    store.catalog))``."""
    build = _replayer(calendar, mode)
    yield from _read(
        source, catalog, strict=strict, skipped=skipped, case_ids=_ids(case_ids),
        build=lambda case_id, procedure, events, stamps: (
            build(case_id, procedure, events), stamps
        ),
    )  # fmt: skip


def _replayer(
    calendar: WorkingCalendar | None, mode: Mode | str
) -> Callable[[str, Procedure, list[Event]], Case]:
    """The function that replays a case read from a journal, its arguments checked (before
    a line is read)."""
    if calendar is not None and not isinstance(calendar, WorkingCalendar):
        raise InvalidInputError(
            f"calendar must be a WorkingCalendar, got {type(calendar).__name__}.",
            value=calendar,
            hint="Pass vietnam_calendar() or leave it out.",
        )
    try:
        replay_mode = Mode(mode)
    except ValueError:
        raise InvalidInputError(
            f"unknown mode {mode!r}.", value=mode, hint="Use 'strict' or 'audit'."
        ) from None

    def build(case_id: str, procedure: Procedure, events: list[Event]) -> Case:
        try:
            return Case.from_events(
                procedure, events, replay_mode=replay_mode, calendar=calendar, case_id=case_id
            )
        except TthcFlowError as error:
            raise EventFormatError(
                f"cannot be replayed under {procedure.code} v{procedure.version}: {error}"
            ) from error

    return build


def _ids(case_ids: Iterable[str] | None) -> Collection[str] | None:
    if case_ids is None:
        return None
    if isinstance(case_ids, (str, bytes)) or not isinstance(case_ids, Iterable):
        raise InvalidInputError(
            f"case_ids must be a collection of case ids (texts), got {case_ids!r:.60}.",
            value=case_ids,
            hint='Write case_ids=["000.00.12.H01-260302-0001"], even for one case.',
        )
    case_ids = tuple(case_ids)  # a generator is read once, here
    if not all(isinstance(i, str) for i in case_ids):
        raise InvalidInputError(
            f"case_ids must be a collection of case ids (texts), got {case_ids!r:.60}.",
            value=case_ids,
            hint='Write case_ids=["000.00.12.H01-260302-0001"], even for one case.',
        )
    return case_ids

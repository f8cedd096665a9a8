"""What a store gives back besides cases: stored events with the instant they were recorded,
and the result of checking the hash chain."""

from __future__ import annotations

from datetime import datetime

import attrs

from tthc_flow.engine import Event

__all__ = ["Problem", "StoredEvent", "Verification"]


@attrs.frozen
class StoredEvent:
    """An event as stored: ``recorded_at`` is the store's clock when it was appended (the
    business instant is ``event.at``), ``hash`` its link in its case's chain, ``entry`` how
    it was entered: ``live``, ``late`` (recorded after the end of the working day following
    its ``at``) or ``imported``. An event imported with the ``recorded_at`` and ``entry``
    of the store it was exported from keeps that store's."""

    event: Event
    recorded_at: datetime
    hash: str
    entry: str = "live"


@attrs.frozen
class Problem:
    """One broken link: ``case_id`` and ``seq`` where (None when the store as a whole),
    ``kind`` one of ``edited``, ``missing``, ``moved``, ``count``, ``chain``, ``orphan``,
    ``head``, and ``message`` what was found."""

    case_id: str | None
    seq: int | None
    kind: str
    message: str

    def __str__(self) -> str:
        where = "store" if self.case_id is None else f"case {self.case_id}"
        if self.seq is not None:
            where += f", event {self.seq}"
        return f"{where}: [{self.kind}] {self.message}"


@attrs.frozen
class Verification:
    """The result of :meth:`verify`: ``ok`` when no link is broken; ``problems`` in store
    order (the first is the first broken link); the counts read; ``head`` the link of the last
    case, to export to an outside notary."""

    problems: tuple[Problem, ...]
    cases: int
    events: int
    head: str

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        if self.ok:
            return f"ok: {self.cases} case(s), {self.events} event(s); head {self.head}"
        lines = [f"BROKEN: {len(self.problems)} problem(s) in {self.cases} case(s)"]
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)

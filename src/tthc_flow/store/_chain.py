"""The hash chain of a store (chuỗi băm): each stored event is hashed with the hash before
it in its case, and each case's first hash with the case stored before it, so an event
edited, deleted, inserted or reordered, and a case deleted, breaks a link that
:func:`verify_case` names.

The encoding is canonical JSON (keys sorted, no spaces, UTF-8, no ASCII escapes) of the
event as :meth:`~tthc_flow.engine.Event.to_json` writes it (its ``command_id`` and ``meta``
included) and the instant the store recorded it; SHA-256 over it, in lowercase hex.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

__all__ = ["GENESIS", "LINK_FORM", "canonical", "case_link", "event_hash"]

#: The hash before the first event of a case, and before the first case of a store.
GENESIS = "0" * 64

#: The form of the links written now: 2 chains a case's procedure code and version too
#: (schema version 5); cases stored before keep their form-1 links (id and receipt only).
LINK_FORM = 2


def canonical(value: Mapping[str, Any]) -> str:
    """``value`` as canonical JSON: sorted keys, no spaces, non-ASCII kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(previous: str, body: str, recorded_at: str) -> str:
    """The hash of a stored event: its canonical JSON ``body`` and ``recorded_at`` after the
    ``previous`` hash of its case (:data:`GENESIS` for the receipt)."""
    digest = hashlib.sha256()
    for part in (previous, body, recorded_at):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x1f")  # a separator no part holds, so parts cannot slide
    return digest.hexdigest()


def case_link(
    previous: str, case_id: str, first: str, procedure: tuple[str, str] | None = None
) -> str:
    """The link of a case in the store's chain of cases: its id and its receipt's hash after
    the ``previous`` case's link (:data:`GENESIS` for the first case); in form 2 its
    ``procedure`` (code, version) too, so that a case cannot be moved by hand to another
    version of its procedure (judged by other rules) without breaking its link."""
    if procedure is None:
        return event_hash(previous, case_id, first)
    code, version = procedure
    return event_hash(previous, "\x1f".join((case_id, code, version)), first)

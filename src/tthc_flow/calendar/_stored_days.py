"""National days kept on disk between runs of the command line (bộ nhớ đệm ngày lễ).

Computing Vietnam's national days means importing ``holidays`` (which loads every country it
knows) and reckoning lunar dates: about 150 ms, most of what a one-line ``tthc-flow due``
costs. The command line therefore keeps the days it computed in a small JSON file per span
of years and reads them back on the next run; the library itself never touches the disk
unless a caller opens the store with :func:`stored_days` (the command line does, for the
length of one command).

A stored file is used only when its stamp equals the stamp of what would compute it now,
and its days hash to the SHA-256 written beside them (a file edited or damaged on disk is
not believed):
this library's version and the size and modification time of its own module of national
days, and the installed ``holidays`` distribution (its version, from the name of its
``.dist-info`` folder, and the size and modification time of its Vietnam module). Upgrading,
reinstalling or editing either changes the stamp, and the days are computed afresh. A file
that cannot be read, parsed or checked is treated as absent and written again; a folder
that cannot be written only means the next run computes again. Nothing a case depends on is
ever read from a file the stamp does not vouch for.

Where: ``$TTHC_FLOW_CACHE_DIR`` when set (``off`` turns the store off), else
``$XDG_CACHE_HOME/tthc-flow``, else ``~/.cache/tthc-flow``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tthc_flow.errors import TthcFlowError

if TYPE_CHECKING:
    from tthc_flow.calendar._official import OfficialDay

__all__ = ["cache_directory", "load", "save", "store_directory", "stored_days"]

#: Bumped when the file's layout changes.
FORMAT = 1
_OFF = "off"

# The folder of the open store, or None: set only inside ``stored_days``, for the context
# that opened it (another thread of the same program computes its days as the library does).
_DIRECTORY: ContextVar[Path | None] = ContextVar("tthc_flow_stored_days", default=None)


def cache_directory(environ: dict[str, str] | None = None) -> Path | None:
    """Where the command line keeps national days (None: turned off), from the
    environment as the module docstring says."""
    env = os.environ if environ is None else environ
    chosen = env.get("TTHC_FLOW_CACHE_DIR", "").strip()
    if chosen:
        return None if chosen.lower() == _OFF else Path(chosen)
    xdg = env.get("XDG_CACHE_HOME", "").strip()
    # XDG Base Directory: a relative path in the variable is invalid and ignored.
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "tthc-flow"
    home = env.get("HOME", "").strip() or os.path.expanduser("~")
    if not home or home == "~":
        return None
    return Path(home) / ".cache" / "tthc-flow"


@contextlib.contextmanager
def stored_days(directory: Path | None) -> Iterator[None]:
    """National days read from and written to ``directory`` (None: neither) while inside;
    the previous setting is restored after."""
    token = _DIRECTORY.set(directory)
    try:
        yield
    finally:
        _DIRECTORY.reset(token)


def store_directory() -> Path | None:
    """The folder of the store open in this context, or None."""
    return _DIRECTORY.get()


def _file_stamp(path: Path) -> list[int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns]


def _stamp() -> dict[str, Any] | None:
    """What the days would be computed from now; None when it cannot be told (then nothing
    is read or written)."""
    from tthc_flow import __version__

    try:
        spec = importlib.util.find_spec("holidays")  # finds the package, not importing it
        if spec is None or spec.origin is None:
            return None
        package = Path(spec.origin).parent
        versions = sorted(
            entry.name[len("holidays-") : -len(".dist-info")]
            for entry in os.scandir(package.parent)
            if entry.name.startswith("holidays-") and entry.name.endswith(".dist-info")
        )
    except (OSError, ValueError, ImportError):
        return None
    vietnam = _file_stamp(package / "countries" / "vietnam.py")
    own = _file_stamp(Path(__file__).with_name("_official.py"))  # the days' own module
    if len(versions) != 1 or vietnam is None or own is None:
        return None
    return {
        "format": FORMAT,
        "tthc_flow": [__version__, *own],
        "holidays": [versions[0], *vietnam],
    }


def _path(directory: Path, first_year: int, last_year: int) -> Path:
    return directory / f"official-days-{first_year}-{last_year}.json"


def load(first_year: int, last_year: int) -> tuple[OfficialDay, ...] | None:
    """The stored days of the span, or None (store closed, no file, a stale or unreadable
    one)."""
    directory = _DIRECTORY.get()
    if directory is None:
        return None
    stamp = _stamp()
    if stamp is None:
        return None
    try:
        text = _path(directory, first_year, last_year).read_text(encoding="utf-8")
        stored = json.loads(text)
        if type(stored) is not dict or stored.get("stamp") != stamp:
            return None
        days = stored["days"]
        if stored.get("sha256") != _digest(days):
            return None
        return tuple(_day(item, first_year, last_year) for item in days)
    except (
        OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError, TthcFlowError
    ):  # fmt: skip
        return None


def _digest(days: Any) -> str:
    text = json.dumps(days, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _day(item: Any, first_year: int, last_year: int) -> OfficialDay:
    from tthc_flow.calendar._days import DayKind, DayReason
    from tthc_flow.calendar._official import OfficialDay

    day_text, kind, name, name_en, source = item
    day = date.fromisoformat(day_text)
    if not first_year <= day.year <= last_year:
        raise ValueError(f"{day} is outside {first_year}–{last_year}")
    return OfficialDay(day, DayReason(DayKind(kind), name, name_en, source))


def save(first_year: int, last_year: int, days: tuple[OfficialDay, ...]) -> None:
    """Keep the days of the span, written whole or not at all (a temporary file renamed
    over the old one); a folder that cannot be written is left alone."""
    directory = _DIRECTORY.get()
    if directory is None:
        return
    stamp = _stamp()
    if stamp is None:
        return
    rows = [
        [d.day.isoformat(), d.reason.kind.value, d.reason.name, d.reason.name_en, d.reason.source]
        for d in days
    ]
    document = {"stamp": stamp, "sha256": _digest(rows), "days": rows}
    import tempfile

    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".official-days-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(document, stream, ensure_ascii=False)
            os.replace(temporary, _path(directory, first_year, last_year))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError:
        return

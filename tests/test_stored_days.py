"""National days kept on disk by the command line: used only under a matching stamp, never
trusted when stale or damaged, never written by the library on its own."""

from __future__ import annotations

import importlib.metadata
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import tthc_flow
from tthc_flow.calendar import _factory, _official, _stored_days
from tthc_flow.calendar._stored_days import cache_directory, load, save, stored_days
from tthc_flow.cli import main

SPAN = (2024, 2027)
DUE = ["due", "--from", "2025-04-25T16:00+07:00", "--working-days", "3"]


@pytest.fixture
def fresh() -> Iterator[None]:
    """The in-process caches (of national days, and of calendars built on them) emptied
    before and after, so that each test reads or computes, whatever ran before it."""
    _official._official_days.cache_clear()
    _factory._cached.cache_clear()
    yield
    _official._official_days.cache_clear()
    _factory._cached.cache_clear()


def computed() -> tuple[_official.OfficialDay, ...]:
    return _official._computed_days(*SPAN)


def stored_file(directory: Path) -> Path:
    return directory / f"official-days-{SPAN[0]}-{SPAN[1]}.json"


def test_where_the_store_is_from_the_environment(tmp_path: Path) -> None:
    assert cache_directory({"TTHC_FLOW_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert cache_directory({"TTHC_FLOW_CACHE_DIR": "off", "HOME": "/h"}) is None
    assert cache_directory({"TTHC_FLOW_CACHE_DIR": "OFF"}) is None
    assert cache_directory({"XDG_CACHE_HOME": "/x", "HOME": "/h"}) == Path("/x/tthc-flow")
    # A relative XDG_CACHE_HOME is invalid under the XDG specification and ignored.
    assert cache_directory({"XDG_CACHE_HOME": "x", "HOME": "/h"}) == Path("/h/.cache/tthc-flow")
    assert cache_directory({"HOME": "/h"}) == Path("/h/.cache/tthc-flow")


def test_the_library_alone_neither_reads_nor_writes(tmp_path: Path, fresh: None) -> None:
    assert _stored_days.store_directory() is None
    save(*SPAN, computed())
    assert list(tmp_path.iterdir()) == []
    assert load(*SPAN) is None
    assert _official._official_days(*SPAN) == computed()


def test_days_stored_then_read_back_equal(tmp_path: Path, fresh: None) -> None:
    with stored_days(tmp_path):
        first = _official._official_days(*SPAN)
        assert stored_file(tmp_path).exists()
        read = load(*SPAN)
    assert first == computed()
    assert read == computed()
    # Every kind of day crosses the file: a holiday, a compensatory day, a make-up Saturday.
    kinds = {d.reason.kind for d in read}
    assert {k.value for k in kinds} >= {"public_holiday", "makeup_workday"}
    assert _stored_days.store_directory() is None  # closed again on the way out


def test_the_stamp_names_both_versions() -> None:
    stamp = _stored_days._stamp()
    assert stamp is not None
    assert stamp["tthc_flow"][0] == tthc_flow.__version__
    assert stamp["holidays"][0] == importlib.metadata.version("holidays")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda doc: doc["stamp"]["holidays"].__setitem__(0, "0.1"), id="old-lib"),
        pytest.param(lambda doc: doc["stamp"]["tthc_flow"].__setitem__(1, 1), id="edited-module"),
        pytest.param(lambda doc: doc["days"][0].__setitem__(0, "1990-01-01"), id="day-out-of-span"),
        pytest.param(lambda doc: doc["days"][0].__setitem__(1, "festival"), id="unknown-kind"),
        pytest.param(lambda doc: doc["days"][0].__setitem__(2, 5), id="name-not-text"),
        pytest.param(lambda doc: doc["days"][0].pop(), id="short-row"),
        pytest.param(lambda doc: doc.pop("days"), id="no-days"),
    ],
)  # fmt: skip
def test_a_stale_or_damaged_file_is_not_trusted(
    tmp_path: Path, fresh: None, damage: object
) -> None:
    with stored_days(tmp_path):
        _official._official_days(*SPAN)
    path = stored_file(tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    damage(document)  # type: ignore[operator]
    path.write_text(json.dumps(document), encoding="utf-8")
    _official._official_days.cache_clear()
    with stored_days(tmp_path):
        assert load(*SPAN) is None
        # Computed afresh, and the file written again whole.
        assert _official._official_days(*SPAN) == computed()
        assert load(*SPAN) == computed()


@pytest.mark.parametrize("text", ["", "{", "[]", "null", '{"stamp": 1}', "x"])
def test_a_file_that_is_not_the_format_is_absent(tmp_path: Path, text: str) -> None:
    stored_file(tmp_path).write_text(text, encoding="utf-8")
    with stored_days(tmp_path):
        assert load(*SPAN) is None


def test_bytes_that_are_not_utf8_are_absent(tmp_path: Path) -> None:
    stored_file(tmp_path).write_bytes(b"\xff\xfe{}")
    with stored_days(tmp_path):
        assert load(*SPAN) is None


def test_a_folder_that_cannot_be_written_only_costs_time(tmp_path: Path, fresh: None) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    with stored_days(blocked / "below"):
        assert _official._official_days(*SPAN) == computed()
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_the_command_line_stores_and_reuses(
    tmp_path: Path, fresh: None, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("TTHC_FLOW_CACHE_DIR", str(tmp_path))
    assert main(DUE) == 0
    first = capsys.readouterr().out
    assert stored_file(tmp_path).exists()
    _official._official_days.cache_clear()
    _factory._cached.cache_clear()
    # Computing again would be a failure now: the second answer comes from the file.
    monkeypatch.setattr(_official, "_computed_days", _refuse)
    assert main(DUE) == 0
    assert capsys.readouterr().out == first
    assert "Ngày làm bù cho ngày nghỉ 02/05/2025" in first
    assert _stored_days.store_directory() is None


def test_the_command_line_with_the_store_off_writes_nothing(
    tmp_path: Path, fresh: None, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("TTHC_FLOW_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(DUE) == 0
    assert "29/04/2025" in capsys.readouterr().out
    assert list(tmp_path.rglob("*.json")) == []


def _refuse(first_year: int, last_year: int) -> tuple[_official.OfficialDay, ...]:
    raise AssertionError(f"national days of {first_year}–{last_year} computed again")


def test_stored_days_hold_the_real_2025_swap(tmp_path: Path, fresh: None) -> None:
    """Thông báo 6150/TB-BLĐTBXH (2024): Saturday 26 April 2025 is worked to pay back
    Friday 2 May 2025; the stored copy says so, with its source."""
    with stored_days(tmp_path):
        _official._official_days(*SPAN)
        read = load(*SPAN)
    assert read is not None
    by_day = {d.day: d.reason for d in read}
    assert by_day[date(2025, 4, 26)].kind.value == "makeup_workday"
    assert "6150/TB-BLĐTBXH" in by_day[date(2025, 4, 26)].source
    assert date(2025, 5, 2) in by_day


def test_a_day_edited_under_a_valid_stamp_is_not_believed(tmp_path: Path, fresh: None) -> None:
    """Tết 2026 (17 February) taken out of a stored file whose stamp still matches: the
    days no longer hash to the SHA-256 beside them, and are computed afresh."""
    with stored_days(tmp_path):
        _official._official_days(*SPAN)
    path = stored_file(tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["days"] = [row for row in document["days"] if row[0] != "2026-02-17"]
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with stored_days(tmp_path):
        assert load(*SPAN) is None
    assert date(2026, 2, 17) in {d.day for d in computed()}


def test_a_file_nested_too_deep_for_the_parser_is_absent(tmp_path: Path) -> None:
    stored_file(tmp_path).write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with stored_days(tmp_path):
        assert load(*SPAN) is None


def test_another_thread_computes_as_the_library_does(tmp_path: Path, fresh: None) -> None:
    import threading

    seen: list[Path | None] = []
    with stored_days(tmp_path):
        worker = threading.Thread(target=lambda: seen.append(_stored_days.store_directory()))
        worker.start()
        worker.join()
    assert seen == [None]

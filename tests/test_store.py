"""The case stores, each test on SQLite and on a PostgreSQL server the suite starts itself:
optimistic concurrency, idempotent commands, the
instant each event was recorded, the hash chain, the queries hosts need, journal import and
export, and racing processes, including one killed mid-append.

Expected instants are worked out by hand on the 2026 calendar (March has no holiday; hours
08:00–12:00 and 13:00–17:00).
"""

from __future__ import annotations

import io
import itertools
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import StoreBackend
from tests.procedures import BOARD, CLERK, DESK, RECORDS, judicial_record
from tthc_flow.cli import main
from tthc_flow.codec import MAX_CASE_ID
from tthc_flow.engine import Case, EventKind, Mode, Phase, Procedure
from tthc_flow.errors import (
    ConcurrencyError,
    EntryTimeError,
    InvalidInputError,
    NaiveDatetimeError,
    StoreError,
    TransitionNotAllowedError,
)
from tthc_flow.journal import Stamp, read_journal, read_stamped_journal, write_journal
from tthc_flow.reports import LATE_ENTRY, Period, build_report, to_markdown
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate
from tthc_flow.store import SCHEMA_VERSION, open_store
from tthc_flow.testing import case_histories, procedures

VN = ZoneInfo("Asia/Ho_Chi_Minh")
EXAMPLES = itertools.count()
ROOT = Path(__file__).resolve().parent.parent


def mar(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=VN)


class Catalog:
    """The one procedure these tests store (a store asks its catalog for versions only)."""

    procedure = judicial_record()

    def version(self, code: str, version: str) -> Procedure:
        assert (code, version) == (self.procedure.code, self.procedure.version)
        return self.procedure


def opened(case_id: str = "HS-1", received: datetime | None = None) -> Case:
    return Case.open(Catalog.procedure, case_id=case_id, received_at=received or mar(2, 9),
                     actor="Lan", unit=DESK)  # fmt: skip


def test_a_case_is_stored_loaded_and_appended(backend: StoreBackend) -> None:
    store = open_store(backend.url(), catalog=Catalog())
    case = opened()
    store.add(case)
    loaded = store.load("HS-1")
    assert loaded.version == 1 and loaded.loaded == 1 and loaded.mode is Mode.STRICT
    loaded.handover("review", at=mar(2, 10), actor="Lan", unit=DESK)
    assert [e.seq for e in store.save(loaded)] == [1]
    again = open_store(backend.url(), catalog=Catalog()).load("HS-1")
    assert again.events == loaded.events and again.status == loaded.status
    assert store.save(again) == []  # nothing new: nothing written


def test_a_stale_save_is_refused_and_writes_nothing(backend: StoreBackend) -> None:
    store = open_store(backend.url(), catalog=Catalog())
    store.add(opened())
    first, second = store.load("HS-1"), store.load("HS-1")
    first.handover("review", at=mar(2, 10), actor="Lan", unit=DESK)
    second.handover("review", at=mar(2, 11), actor="Minh", unit=DESK)
    store.save(first)
    with pytest.raises(ConcurrencyError) as raised:
        store.save(second)
    assert (raised.value.case_id, raised.value.expected, raised.value.found) == ("HS-1", 1, 2)
    assert [s.event.actor for s in store.history("HS-1")] == ["Lan", "Lan"]
    assert store.verify().ok
    with pytest.raises(ConcurrencyError):
        store.add(opened())  # the id is taken


def test_a_case_that_does_not_continue_the_stored_history_is_refused(
    backend: StoreBackend,
) -> None:
    # Two databases holding a case of the same id and event count, but other histories: a
    # case loaded from one is not saved after the other's events.
    mine, theirs = backend.url("mine"), backend.url("theirs")
    store = open_store(mine, catalog=Catalog())
    store.add(opened())
    other = open_store(theirs, catalog=Catalog())
    other.add(opened(received=mar(2, 10)))
    foreign = store.load("HS-1")
    foreign.handover("review", at=mar(2, 11), actor="Lan", unit=DESK)
    fresh = open_store(theirs, catalog=Catalog())  # has read nothing of the case
    for target in (other, fresh):
        with pytest.raises(StoreError, match="does not continue the stored history"):
            target.save(foreign)
    for target in (other, fresh, open_store(theirs, catalog=Catalog())):
        assert [e.at for e in target.load("HS-1").events] == [mar(2, 10)]
        assert target.verify().ok
    # A case of the same history loaded by another store object is saved as before.
    own = open_store(theirs, catalog=Catalog()).load("HS-1")
    own.handover("review", at=mar(2, 11), actor="Lan", unit=DESK)
    assert [e.seq for e in open_store(theirs, catalog=Catalog()).save(own)] == [1]
    assert open_store(theirs, catalog=Catalog()).verify().ok


def test_run_retries_after_a_race_and_returns_what_the_command_returned(
    backend: StoreBackend,
) -> None:
    store = open_store(backend.url(), catalog=Catalog())
    other = open_store(backend.url(), catalog=Catalog())
    store.add(opened())
    attempts: list[int] = []

    def command(case: Case) -> Any:
        attempts.append(case.version)
        if len(attempts) == 1:
            # Another writer appends between this load and its save.
            rival = other.load("HS-1")
            rival.handover("review", at=mar(2, 10), actor="Minh", unit=DESK)
            other.save(rival)
        if case.status.step == "receive":
            return case.handover("review", at=mar(2, 10), actor="Lan", unit=DESK)
        return case.request_supplement(at=mar(2, 11), actor="Hoa", unit=RECORDS,
                                       evidence=["Phiếu yêu cầu bổ sung"])  # fmt: skip

    event = store.run("HS-1", command)
    assert attempts == [1, 2]
    assert event.kind is EventKind.SUPPLEMENT_REQUESTED and event.seq == 2
    with pytest.raises(TransitionNotAllowedError):
        store.run("HS-1", lambda c: c.return_result(at=mar(2, 12), actor="x", unit=DESK))
    assert store.load("HS-1").version == 3


def test_a_store_never_loads_a_stale_case_after_another_writer_appended(
    backend: StoreBackend,
) -> None:
    store = open_store(backend.url(), catalog=Catalog())
    other = open_store(backend.url(), catalog=Catalog())
    store.add(opened())
    store.run("HS-1", lambda c: c.handover("review", at=mar(2, 10), actor="Lan", unit=DESK))
    other.run("HS-1", lambda c: c.request_supplement(at=mar(2, 11), actor="Hoa", unit=RECORDS,
                                                     evidence=["Phiếu"]))  # fmt: skip
    assert [e.actor for e in store.load("HS-1").events] == ["Lan", "Lan", "Hoa"]
    store.run("HS-1", lambda c: c.receive_supplement(at=mar(3, 9), actor="Lan", unit=DESK))
    # An event rewritten by hand, the count kept: the head no longer matches what this store
    # wrote, so it reads the database again (and verify names the edit).
    backend.sql(backend.url(), "UPDATE events SET body = replace(body, 'Hoa', 'Hòa') "
                               "WHERE seq = 2")  # fmt: skip
    backend.sql(backend.url(), "UPDATE cases SET head = 'x'")
    assert [e.actor for e in store.load("HS-1").events] == ["Lan", "Lan", "Hòa", "Lan"]
    assert not store.verify().ok


def test_run_keeps_its_case_only_while_nobody_else_wrote(backend: StoreBackend) -> None:
    """``run`` keeps the case it saved for the next command; what another writer appended
    in between is never missed: a command judged on the kept case is judged again on the
    stored one, its refusal and what it read too."""
    store = open_store(backend.url(), catalog=Catalog())
    other = open_store(backend.url(), catalog=Catalog())
    store.add(opened())
    store.run("HS-1", lambda c: c.handover("review", at=mar(2, 10), actor="Lan", unit=DESK))
    # Another writer moves the case to "approve"; this store's kept case is at "review".
    other.run("HS-1", lambda c: c.handover("approve", at=mar(2, 11), actor="Hoa",
                                           unit=RECORDS))  # fmt: skip
    # Lawful only at "approve": refused on the kept case, then judged on the stored one.
    event = store.run("HS-1", lambda c: c.handover("sign", at=mar(2, 12), actor="Tâm",
                                                   unit=RECORDS))  # fmt: skip
    assert event.seq == 3 and event.target == "sign"
    # A read on the kept case after another writer appended sees the stored case.
    other.run("HS-1", lambda c: c.handover("issue", at=mar(3, 9), actor="Giám đốc",
                                           unit=BOARD))  # fmt: skip
    assert store.run("HS-1", lambda c: c.status.step) == "issue"
    assert store.run("HS-1", lambda c: c.version) == 5
    # A refusal on the stored case stands, and writes nothing.
    with pytest.raises(TransitionNotAllowedError):
        store.run("HS-1", lambda c: c.handover("sign", at=mar(3, 10), actor="x", unit=CLERK))
    assert store.load("HS-1").version == 5 and store.verify().ok


def test_run_replays_no_history_for_the_case_it_kept(
    backend: StoreBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(backend.url(), catalog=Catalog())
    store.add(opened())
    store.run("HS-1", lambda c: c.handover("review", at=mar(2, 10), actor="Lan", unit=DESK))
    replays: list[int] = []
    rebuild = Case.from_events.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Case], procedure: Procedure, events: Any, **options: Any) -> Case:
        replays.append(len(list(events)))
        return rebuild(cls, procedure, events, **options)  # type: ignore[no-any-return]

    monkeypatch.setattr(Case, "from_events", classmethod(counted))
    store.run("HS-1", lambda c: c.handover("approve", at=mar(2, 11), actor="Hoa", unit=RECORDS))
    store.run("HS-1", lambda c: c.handover("sign", at=mar(2, 12), actor="Tâm", unit=RECORDS))
    assert replays == []
    assert store.load("HS-1").status.step == "sign" and replays == [4]


def test_run_after_add_reads_nothing_yet_misses_no_other_writer(
    backend: StoreBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first ``run`` on a case this store just added replays the receipt it wrote
    instead of loading the case; an append by another writer in between is still seen."""
    store = open_store(backend.url(), catalog=Catalog())
    other = open_store(backend.url(), catalog=Catalog())
    loads: list[str] = []
    load = store.load

    def counted(case_id: str, **options: Any) -> Case:
        loads.append(case_id)
        return load(case_id, **options)

    monkeypatch.setattr(store, "load", counted)
    store.add(opened())
    store.run("HS-1", lambda c: c.handover("review", at=mar(2, 10), actor="Lan", unit=DESK))
    assert loads == []
    store.add(opened("HS-2"))
    other.run("HS-2", lambda c: c.handover("review", at=mar(2, 10), actor="Minh", unit=DESK))
    # Lawful only at "review", where the other writer moved the case: refused on the
    # receipt this store wrote, then judged on a fresh load.
    event = store.run("HS-2", lambda c: c.handover("approve", at=mar(2, 11), actor="Hoa",
                                                   unit=RECORDS))  # fmt: skip
    assert loads == ["HS-2"] and event.seq == 2
    # Read-only: what it read must be the stored case.
    store.add(opened("HS-3"))
    other.run("HS-3", lambda c: c.handover("review", at=mar(2, 10), actor="Minh", unit=DESK))
    assert store.run("HS-3", lambda c: c.status.step) == "review"
    assert [e.actor for e in store.load("HS-2").events] == ["Lan", "Minh", "Hoa"]
    assert store.verify().ok


def test_a_new_case_whose_id_another_writer_took_writes_nothing(backend: StoreBackend) -> None:
    store = open_store(backend.url(), catalog=Catalog())
    other = open_store(backend.url(), catalog=Catalog())
    other.add(opened(received=mar(2, 8)))
    with pytest.raises(ConcurrencyError) as raised:
        store.add(opened())
    assert raised.value.found == 1
    assert [e.at for e in store.load("HS-1").events] == [mar(2, 8)]
    store.add(opened("HS-2"))  # chained after the other writer's case
    assert len(store) == 2 and store.verify().ok


def test_an_import_is_all_or_nothing(
    backend: StoreBackend, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(backend.url(), catalog=Catalog())
    store.add(opened())
    head = store.head()
    fresh, taken = opened("HS-2"), opened("HS-1", received=mar(2, 10))
    with pytest.raises(ConcurrencyError) as raised:
        store.import_cases([fresh, taken])
    assert raised.value.case_id == "HS-1"
    # HS-2, stored before the refusal, was rolled back with it.
    assert "HS-2" not in store and len(store) == 1 and store.head() == head
    assert fresh.loaded == 0 and store.verify().ok
    with pytest.raises(InvalidInputError, match="cases\\[1\\]"):
        store.import_cases([opened("HS-3"), "HS-4"])
    assert "HS-3" not in store and store.verify().ok
    assert store.import_cases([opened("HS-5"), opened("HS-6")]) == 2 and len(store) == 3
    # The same from the command line, on journals of the sample catalog's cases.
    cases = list(simulate(sample_catalog(), cases=3, seed=2, year=2026))
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    with open(first, "w", encoding="utf-8") as stream:
        write_journal(cases[:1], stream)
    with open(second, "w", encoding="utf-8") as stream:
        write_journal([cases[1], cases[0], cases[2]], stream)
    url = backend.url("cli-import")
    assert main(["store", "import", str(first), url]) == 0
    assert main(["store", "import", str(second), url]) == 2
    assert cases[0].case_id in capsys.readouterr().err
    again = open_store(url, catalog=sample_catalog())
    assert list(again.case_ids()) == [cases[0].case_id] and again.verify().ok


def test_a_case_id_has_one_maximum_length_on_every_backend(backend: StoreBackend) -> None:
    store = open_store(backend.url(), catalog=Catalog())
    longest = "🙂" * MAX_CASE_ID  # four bytes a character in UTF-8: the widest id
    store.add(opened(longest))
    assert store.load(longest).case_id == longest
    too_long = "x" * (MAX_CASE_ID + 1)
    with pytest.raises(InvalidInputError, match=f"at most {MAX_CASE_ID}"):
        store.add(opened(too_long))
    with pytest.raises(InvalidInputError, match=f"at most {MAX_CASE_ID}"):
        store.import_cases([opened("HS-2"), opened(too_long)])
    assert store.case_ids() == [longest] and store.verify().ok


@pytest.mark.parametrize("journal", ["no-such.jsonl", "a-folder"])
def test_an_import_from_a_journal_that_cannot_be_read_creates_no_store(
    backend: StoreBackend, tmp_path: Path, capsys: pytest.CaptureFixture[str], journal: str
) -> None:
    (tmp_path / "a-folder").mkdir()
    url = backend.url("never")
    assert main(["store", "import", str(tmp_path / journal), url]) == 2
    assert "cannot read the journal" in capsys.readouterr().err
    with pytest.raises(StoreError):  # no file, no tables: the store was never created
        open_store(url, catalog=Catalog(), create=False)


def test_a_case_rebuilt_by_run_is_judged_by_the_catalogs_procedure(
    backend: StoreBackend,
) -> None:
    """A case added with another object of the same code and version is judged, as a load
    would judge it, by the procedure the catalog gives."""
    import attrs

    store = open_store(backend.url(), catalog=Catalog())
    other = attrs.evolve(Catalog.procedure, name="Another object, same code and version")
    assert other is not Catalog.procedure
    store.add(Case.open(other, case_id="HS-1", received_at=mar(2, 9), actor="Lan", unit=DESK))
    assert store.run("HS-1", lambda c: c.procedure) is Catalog.procedure


def test_an_import_whose_case_repeats_a_command_id_is_refused_saying_so(
    backend: StoreBackend,
) -> None:
    import attrs

    case = opened()
    case.handover("review", at=mar(2, 10), actor="Lan", unit=DESK, command_id="a")
    case.handover("approve", at=mar(2, 11), actor="Hoa", unit=RECORDS, command_id="b")
    events = list(case.events)
    events[2] = attrs.evolve(events[2], command_id="a")
    store = open_store(backend.url(), catalog=Catalog())
    with pytest.raises(InvalidInputError, match="command_id 'a'"):
        store.import_cases([Case.from_events(Catalog.procedure, events)])
    assert len(store) == 0


def test_a_case_that_leaves_run_is_not_kept(backend: StoreBackend) -> None:
    store = open_store(backend.url(), catalog=Catalog())
    store.add(opened())
    # A command that returns the case hands it to the caller: the store keeps none.
    mine = store.run("HS-1", lambda c: (c.handover("review", at=mar(2, 10), actor="Lan",
                                                   unit=DESK), c)[1])  # fmt: skip
    store.run("HS-1", lambda c: c.handover("approve", at=mar(2, 11), actor="Hoa",
                                           unit=RECORDS))  # fmt: skip
    assert mine.version == 2 and mine.status.step == "review"
    # A case kept away by the command and given a command outside the store is not used.
    leaked: list[Case] = []
    store.run("HS-1", lambda c: leaked.append(c))
    leaked[0].handover("sign", at=mar(2, 12), actor="Tâm", unit=RECORDS)  # never saved
    assert store.run("HS-1", lambda c: c.version) == 3
    assert store.load("HS-1").version == 3


def test_a_retried_command_never_appends_twice(backend: StoreBackend) -> None:
    store = open_store(backend.url(), catalog=Catalog())
    store.add(opened())

    def command(case: Case) -> Any:
        return case.handover("review", at=mar(2, 10), actor="Lan", unit=DESK,
                             command_id="req-42", meta={"request": "42", "ip": "10.0.0.7"})

    first = store.run("HS-1", command)
    # The reply was lost after the commit: the host retries from a fresh process.
    again = open_store(backend.url(), catalog=Catalog()).run("HS-1", command)
    assert again == first and again.seq == 1
    assert again.meta == {"request": "42", "ip": "10.0.0.7"}
    assert len(store.history("HS-1")) == 2
    with pytest.raises(InvalidInputError, match="already recorded a handed_over"):
        store.run("HS-1", lambda c: c.resolve(at=mar(3, 9), actor="x", unit=RECORDS,
                                              command_id="req-42"))  # fmt: skip


def test_events_of_one_day_are_judged_against_the_store_clock_of_their_own_entry(
    backend: StoreBackend,
) -> None:
    # Two events of Monday 2/3, entered as the store's clock moves on: the tolerance (the end
    # of Tuesday's working day, 17:00) is the same for both, the verdict is each entry's own.
    clock = [datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc)]  # Tue 3/3 16:00 in Hà Nội
    store = open_store(backend.url(), catalog=Catalog(), clock=lambda: clock[0])
    store.add(opened())
    clock[0] = datetime(2026, 3, 3, 10, 1, tzinfo=timezone.utc)  # Tue 3/3 17:01
    store.run("HS-1", lambda c: c.handover("review", at=mar(2, 10), actor="Lan", unit=DESK))
    clock[0] = datetime(2026, 3, 3, 9, 30, tzinfo=timezone.utc)  # back to 16:30: in time
    store.add(opened("HS-2", mar(2, 11)))
    assert [s.entry for s in store.history("HS-1")] == ["live", "late"]
    assert [s.entry for s in store.history("HS-2")] == ["live"]


def test_the_store_records_when_each_event_was_entered(backend: StoreBackend) -> None:
    clock = [datetime(2026, 3, 2, 3, 0, 5, tzinfo=timezone.utc)]
    store = open_store(backend.url(), catalog=Catalog(), clock=lambda: clock[0])
    store.add(opened())
    clock[0] = datetime(2026, 3, 4, 2, 0, tzinfo=timezone.utc)
    store.run("HS-1", lambda c: c.handover("review", at=mar(2, 10), actor="Lan", unit=DESK))
    stored = store.history("HS-1")
    assert [s.recorded_at for s in stored] == [
        datetime(2026, 3, 2, 3, 0, 5, tzinfo=timezone.utc),
        datetime(2026, 3, 4, 2, 0, tzinfo=timezone.utc),
    ]
    assert stored[1].event.at == mar(2, 10)  # the business instant is kept as given
    # Entered Wed 4/3 09:00 for Mon 2/3 10:00: after the end of the working day following
    # it (Tue 3/3 17:00), so entered late; the receipt, an hour after it happened, was not.
    assert [s.entry for s in stored] == ["live", "late"]
    assert [(c, s.event.seq) for c, s in store.late_entries()] == [("HS-1", 1)]
    # Reports list the late entry under data quality and keep the case in every figure.
    march, february = Period.month(2026, 3), Period.month(2026, 2)
    report = store.report(march)
    assert report.flagged(LATE_ENTRY) == ("HS-1",)
    assert report.total == build_report([store.load("HS-1")], march).total
    assert "Nhập liệu muộn" in to_markdown(report)
    assert store.report(february).flagged(LATE_ENTRY) == ()
    # Tue 3/3 17:00 sharp is still in time.
    clock[0] = datetime(2026, 3, 3, 10, 0, tzinfo=timezone.utc)
    store.run("HS-1", lambda c: c.request_supplement(at=mar(2, 11), actor="Hoa", unit=RECORDS,
                                                     evidence=["Phiếu"]))  # fmt: skip
    assert store.history("HS-1")[-1].entry == "live"


def test_events_from_the_future_or_too_far_back_are_refused(backend: StoreBackend) -> None:
    clock = [datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)]  # 09:00 in Hanoi
    store = open_store(backend.url(), catalog=Catalog(), clock=lambda: clock[0],
                       max_backdate=timedelta(days=30))  # fmt: skip
    store.add(opened())
    # Five minutes of skew are allowed; a sixth is not.
    with pytest.raises(EntryTimeError, match="after the store's clock"):
        store.run("HS-1", lambda c: c.handover("review", at=mar(2, 9, 6), actor="Lan",
                                               unit=DESK))  # fmt: skip
    store.run("HS-1", lambda c: c.handover("review", at=mar(2, 9, 5), actor="Lan", unit=DESK))
    clock[0] = datetime(2026, 4, 10, 2, 0, tzinfo=timezone.utc)
    with pytest.raises(EntryTimeError, match="more than 30 days"):
        store.run("HS-1", lambda c: c.resolve(at=mar(3, 9), actor="Hoa", unit=RECORDS))
    assert len(store.history("HS-1")) == 2 and store.verify().ok
    # An import keeps its source's instants and is not late entry.
    other = open_store(backend.url("import"), catalog=Catalog(), clock=lambda: clock[0])
    case = opened("HS-2")
    case.handover("review", at=mar(2, 10), actor="Lan", unit=DESK)
    other.import_cases([case])
    assert [s.entry for s in other.history("HS-2")] == ["imported", "imported"]
    assert other.late_entries() == []
    # A late entry relabelled live by hand breaks the chain.
    other.close()
    backend.sql(backend.url("import"), "UPDATE events SET entry = 'live' WHERE seq = 1")
    found = open_store(backend.url("import"), catalog=Catalog()).verify()
    assert [(p.case_id, p.seq, p.kind) for p in found.problems][:1] == [("HS-2", 1, "edited")]


def _entered_over_three_days(url: str) -> Any:
    """A store (of the sample catalog) whose case HS-1 was received live and handed over
    two days late, and whose HS-2 was imported, each at its own instant."""
    catalog = sample_catalog()
    clock = [datetime(2026, 3, 2, 2, 30, 0, 250, tzinfo=timezone.utc)]  # Mon 09:30 in Hà Nội
    store = open_store(url, catalog=catalog, clock=lambda: clock[0])
    store.add(catalog.open_case("VD.LLTP", case_id="HS-1", actor="Lan", received_at=mar(2, 9)))
    desk = catalog.version("VD.LLTP", "2025.07").first
    clock[0] = datetime(2026, 3, 5, 3, 0, tzinfo=timezone.utc)  # Thu 10:00: late for Mon 10:00
    store.run("HS-1", lambda c: c.handover(desk.next[0], at=mar(2, 10), actor="Lan",
                                           unit=desk.unit))  # fmt: skip
    clock[0] = datetime(2026, 3, 6, 1, 0, tzinfo=timezone.utc)
    store.add(catalog.open_case("VD.LLTP", case_id="HS-2", actor="Lan", received_at=mar(3, 9)),
              imported=True)  # fmt: skip
    assert [s.entry for s in store.history("HS-1")] == ["live", "late"]
    return store


def _same_entries(source: Any, copy: Any) -> None:
    """``copy`` holds ``source``'s cases as ``source`` recorded them: each event, when and
    how it was entered (and so the same hashes), and the same late entries in reports."""
    assert copy.verify().ok
    for case_id in ("HS-1", "HS-2"):
        assert copy.history(case_id) == source.history(case_id)
    assert [s.entry for s in copy.history("HS-1")] == ["live", "late"]
    assert copy.history("HS-1")[1].recorded_at == datetime(2026, 3, 5, 3, 0, tzinfo=timezone.utc)
    assert copy.late_entries() == source.late_entries()
    assert copy.report(Period.month(2026, 3)).flagged(LATE_ENTRY) == ("HS-1",)


def test_a_store_moved_through_a_journal_keeps_when_and_how_each_event_was_entered(
    backend: StoreBackend,
) -> None:
    source = _entered_over_three_days(backend.url("source"))
    out = io.StringIO()
    assert source.export(out) == 3
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(line["entry"], line["recorded_at"]) for line in lines] == [
        ("live", "2026-03-02T02:30:00.000250+00:00"),
        ("late", "2026-03-05T03:00:00.000000+00:00"),
        ("imported", "2026-03-06T01:00:00.000000+00:00"),
    ]
    later = datetime(2027, 1, 4, tzinfo=timezone.utc)
    copy = open_store(backend.url("copy"), catalog=sample_catalog(), clock=lambda: later)
    catalog = copy.catalog
    assert copy.import_cases(read_stamped_journal(io.StringIO(out.getvalue()), catalog)) == 2
    _same_entries(source, copy)
    # Read as a plain journal, the same lines are stored as imported now, as before.
    plain = open_store(backend.url("plain"), catalog=catalog, clock=lambda: later)
    plain.import_cases(read_journal(io.StringIO(out.getvalue()), catalog))
    assert {(s.entry, s.recorded_at) for s in plain.history("HS-1")} == {("imported", later)}
    assert plain.report(Period.month(2026, 3)).flagged(LATE_ENTRY) == () and plain.verify().ok
    # A store copied to another directly, each case with its history, keeps them too.
    direct = open_store(backend.url("direct"), catalog=catalog, clock=lambda: later)
    direct.import_cases((case, source.history(case.case_id)) for case in source.cases())
    _same_entries(source, direct)


def test_a_plain_journal_is_stored_as_imported_and_an_unstamped_line_as_imported_now(
    backend: StoreBackend,
) -> None:
    catalog = sample_catalog()
    source = _entered_over_three_days(backend.url("source"))
    plain = io.StringIO()
    write_journal(source.cases(), plain)
    assert "recorded_at" not in plain.getvalue() and '"entry"' not in plain.getvalue()
    now = datetime(2027, 1, 4, tzinfo=timezone.utc)
    store = open_store(backend.url("plain"), catalog=catalog, clock=lambda: now)
    assert store.import_cases(read_stamped_journal(io.StringIO(plain.getvalue()), catalog)) == 2
    for case_id in ("HS-1", "HS-2"):
        assert {(s.entry, s.recorded_at) for s in store.history(case_id)} == {("imported", now)}
    assert store.late_entries() == [] and store.verify().ok
    # One line without them among stamped lines: that event alone is imported now.
    stamped = io.StringIO()
    source.export(stamped)
    lines = stamped.getvalue().splitlines(keepends=True)
    record = json.loads(lines[1])
    del record["recorded_at"], record["entry"]
    lines[1] = json.dumps(record, ensure_ascii=False) + "\n"
    mixed = open_store(backend.url("mixed"), catalog=catalog, clock=lambda: now)
    mixed.import_cases(read_stamped_journal(io.StringIO("".join(lines)), catalog, strict=True))
    assert [(s.entry, s.recorded_at) for s in mixed.history("HS-1")] == [
        ("live", datetime(2026, 3, 2, 2, 30, 0, 250, tzinfo=timezone.utc)), ("imported", now),
    ]  # fmt: skip
    assert mixed.verify().ok and mixed.late_entries() == []


def test_the_command_line_moves_a_store_with_when_and_how_each_event_was_entered(
    backend: StoreBackend, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _entered_over_three_days(backend.url("source"))
    capsys.readouterr()
    assert main(["store", "export", source.url]) == 0
    journal = tmp_path / "moved.jsonl"
    journal.write_text(capsys.readouterr().out, encoding="utf-8")
    target = backend.url("target")
    assert main(["store", "import", str(journal), target]) == 0
    assert "2 case(s) stored" in capsys.readouterr().out
    copy = open_store(target, catalog=sample_catalog())
    _same_entries(source, copy)
    assert main(["store", "verify", target]) == 0
    # Exported again, the copy gives the same journal.
    capsys.readouterr()
    assert main(["store", "export", target]) == 0
    assert capsys.readouterr().out == journal.read_text("utf-8")


def test_stamps_an_import_cannot_store_are_refused_and_nothing_is_stored(
    backend: StoreBackend,
) -> None:
    source = _entered_over_three_days(backend.url("source"))
    store = open_store(backend.url("copy"), catalog=sample_catalog())
    case = source.load("HS-1")
    history = source.history("HS-1")
    first = Stamp(history[0].recorded_at, "live")
    for stamps, expected, error in (
        ([first], "has 2 events but 1 stamps", InvalidInputError),
        ([first, Stamp(history[1].recorded_at, "early")], "entry 'early'", InvalidInputError),
        ([first, Stamp(datetime(2026, 3, 5, 10), "late")], "recorded_at", NaiveDatetimeError),
        ([first, "late"], "entry None", InvalidInputError),
        ([first, None, None], "has 2 events but 3 stamps", InvalidInputError),
        (None, "needs one per event", InvalidInputError),
        ("live", "must be a sequence", InvalidInputError),
    ):
        with pytest.raises(error, match=expected):
            store.import_cases([source.load("HS-2"), (case, stamps)])  # type: ignore[list-item]
        assert len(store) == 0
    assert store.import_cases([(case, [first, None])]) == 1
    assert [s.entry for s in store.history("HS-1")] == ["live", "imported"]


def _three_cases(backend: StoreBackend) -> Any:
    store = open_store(backend.url(), catalog=Catalog())
    for number in (1, 2, 3):
        case = opened(f"HS-{number}")
        case.handover("review", at=mar(2, 10), actor="Lan", unit=DESK)
        case.handover("approve", at=mar(3, 10), actor="Hoa", unit=RECORDS)
        store.add(case)
    return store


@pytest.mark.parametrize(
    ("tamper", "kind", "where"),
    [
        ("UPDATE events SET body = replace(body, '\"Hoa\"', '\"Hòa\"') "
         "WHERE case_id = 'HS-2' AND seq = 2", "edited", ("HS-2", 2)),
        ("UPDATE events SET body = replace(body, '2026-03-02T10:00:00+07:00', "
         "'2026-03-02T09:30:00+07:00') WHERE case_id = 'HS-1' AND seq = 1", "edited", ("HS-1", 1)),
        ("DELETE FROM events WHERE case_id = 'HS-3' AND seq = 2", "count", ("HS-3", 2)),
        ("DELETE FROM events WHERE case_id = 'HS-3' AND seq = 1", "missing", ("HS-3", 1)),
        ("INSERT INTO events SELECT case_id, 3, replace(body, '\"seq\":2', '\"seq\":3'), "
         "recorded_at, NULL, hash, entry FROM events WHERE case_id = 'HS-1' AND seq = 2",
         "edited", ("HS-1", 3)),
        ("UPDATE events SET seq = 9 - seq WHERE case_id = 'HS-2' AND seq IN (1, 2)",
         "moved", ("HS-2", 1)),
        ("DELETE FROM cases WHERE case_id = 'HS-2'", "chain", ("HS-3", None)),
    ],
    ids=["edited actor", "backdated", "last deleted", "middle deleted", "inserted",
         "reordered", "case deleted"],
)  # fmt: skip
def test_verify_names_the_first_broken_link(
    backend: StoreBackend, tamper: str, kind: str, where: tuple[str, int | None]
) -> None:
    store = _three_cases(backend)
    assert store.verify().ok
    if "9 - seq" in tamper:  # swap two events' rows through a free seq
        backend.sql(backend.url(), "UPDATE events SET seq = 100 WHERE case_id = 'HS-2' AND seq = 1")
        backend.sql(backend.url(), "UPDATE events SET seq = 1 WHERE case_id = 'HS-2' AND seq = 2")
        backend.sql(backend.url(), "UPDATE events SET seq = 2 WHERE case_id = 'HS-2' AND seq = 100")
    else:
        backend.sql(backend.url(), tamper)
    found = store.verify()
    assert not found.ok
    first = found.problems[0]
    assert first.kind == kind, found
    assert (first.case_id, first.seq) == where, found


def test_a_case_deleted_from_the_end_is_caught_against_the_exported_head(
    backend: StoreBackend,
) -> None:
    store = _three_cases(backend)
    head = store.head()
    backend.sql(backend.url(), "DELETE FROM cases WHERE case_id = 'HS-3'")
    assert [p.kind for p in store.verify().problems] == ["orphan"]
    backend.sql(backend.url(), "DELETE FROM events WHERE case_id = 'HS-3'")
    assert store.verify().ok  # nothing inside the store shows it…
    found = store.verify(head=head)  # …the head a notary kept does
    assert [p.kind for p in found.problems] == ["head"]


def test_queries_read_the_projection(backend: StoreBackend) -> None:
    store = _three_cases(backend)
    store.run("HS-2", lambda c: c.request_supplement(
        at=mar(3, 11), actor="Hoa", unit=RECORDS, evidence=["Phiếu yêu cầu bổ sung"],
        step="approve",
    ))  # fmt: skip
    assert store.case_ids(phase=Phase.AWAITING_SUPPLEMENT) == ["HS-2"]
    assert store.case_ids(phase="PROCESSING", step="approve") == ["HS-1", "HS-3"]
    assert store.case_ids(unit=RECORDS, procedure="TEST.LLTP") == ["HS-1", "HS-2", "HS-3"]
    assert store.case_ids(unit=DESK) == []
    # Received Mon 2/3 09:00 with 10 working days (80 h): Mon 7 h, Tue–Fri 32 h, the next
    # week 40 h, Mon 16/3 08:00–09:00. HS-2 awaits the applicant: no due, not listed.
    due = mar(16, 9)
    assert store.due_before(due) == [("HS-1", due), ("HS-3", due)]
    assert store.due_before(due - timedelta(minutes=1)) == []
    # From Fri 13/3 09:00, 8 working hours end Mon 16/3 09:00 (Fri 7 h, Mon 1 h).
    assert [c for c, _ in store.due_within(mar(13, 9), timedelta(hours=8))] == ["HS-1", "HS-3"]
    assert store.due_within(mar(13, 9), timedelta(hours=7, minutes=59)) == []
    assert len(store) == 3 and "HS-2" in store and "HS-9" not in store
    # The step clock: handed to "approve" (1.5 working days, 12 h) on Tue 3/3 10:00: Tue
    # 6 h, Wed 08:00–12:00 and 13:00–15:00.
    step_due = mar(4, 15)
    assert ("HS-1", step_due) in store.due_before(step_due, clock="step")
    assert store.due_before(step_due - timedelta(minutes=1), clock="step") == []
    assert [c for c, _ in store.due_within(mar(4, 14), timedelta(hours=1), clock="step")
            if c != "HS-2"] == ["HS-1", "HS-3"]  # fmt: skip
    # The projection says what each case's own clocks say.
    far = mar(31, 17)
    for clock in ("legal", "indicator", "step", "unit"):
        expected = []
        for case_id in ("HS-1", "HS-2", "HS-3"):
            case = store.load(case_id)
            holding = {case.procedure.step(s).unit for s in case.status.steps}
            readings = {"legal": [case.legal_clock()], "indicator": [case.indicator_clock()],
                        "step": [r for r in case.step_clocks() if r.step in case.status.steps],
                        "unit": [r for u, r in case.unit_clocks().items() if u in holding]}
            dues = [r.due for r in readings[clock] if r.due is not None]
            if dues:
                expected.append((case_id, min(dues)))
        assert sorted(store.due_before(far, clock=clock)) == sorted(expected), clock
    assert store.due_before(far, clock="unit")  # the records office holds HS-1 and HS-3
    with pytest.raises(InvalidInputError, match="clock='units'"):
        store.due_before(far, clock="units")
    if backend.name == "sqlite":  # the due-soon queries read their index alone, unsorted
        for column in ("legal_due", "indicator_due", "step_due", "unit_due"):
            plan = str(backend.sql(backend.url(), (
                f"EXPLAIN QUERY PLAN SELECT case_id, {column} FROM cases WHERE finished = 0 "
                f"AND {column} IS NOT NULL AND {column} <= 'x' ORDER BY {column}, case_id")))
            assert "COVERING INDEX" in plan and "TEMP B-TREE" not in plan, plan


def test_addresses_are_checked(tmp_path: Path) -> None:
    for wrong in ("mysql://x/y", "sqlite://host/cases.db", "sqlite:///", "sqlite://[x/cases.db",
                  "postgresql://user:secret@[db/cases"):  # fmt: skip
        with pytest.raises(StoreError):
            open_store(wrong, catalog=Catalog())
    with pytest.raises(InvalidInputError):
        open_store(Path("cases.db"), catalog=Catalog())  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="no store at"):
        open_store(f"sqlite:///{tmp_path / 'missing.db'}", catalog=Catalog(), create=False)


def test_a_server_that_cannot_be_reached_is_a_store_error_without_the_password(
    tmp_path: Path,
) -> None:
    # No server listens in an empty directory: the connection fails at once.
    address = f"postgresql://user:secret@/cases?host={tmp_path}&connect_timeout=2"
    with pytest.raises(StoreError, match="cannot connect") as raised:
        open_store(address, catalog=Catalog())
    assert "secret" not in str(raised.value) and "secret" not in raised.value.url
    assert "user:***@" in raised.value.url
    for address in ("mysql://user:secret@db/cases", "postgresql://user:secret@[db/cases"):
        with pytest.raises(StoreError) as raised:
            open_store(address, catalog=Catalog())
        assert "secret" not in str(raised.value) and "secret" not in raised.value.url


def test_schemas_are_checked(backend: StoreBackend) -> None:
    if backend.name == "postgresql":
        with pytest.raises(StoreError, match="holds no store"):
            open_store(backend.url("empty"), catalog=Catalog(), create=False)
    store = open_store(backend.url(), catalog=Catalog())
    assert store.schema_version() == SCHEMA_VERSION == store.init()
    store.close()
    backend.sql(backend.url(), "UPDATE store_meta SET value = '99' WHERE key = 'schema'")
    with pytest.raises(StoreError, match="schema version 99"):
        open_store(backend.url(), catalog=Catalog())
    with pytest.raises(StoreError, match="no case 'HS-404'"):
        open_store(backend.url("other"), catalog=Catalog()).load("HS-404")


def test_a_journal_goes_into_a_store_and_comes_back_the_same(
    backend: StoreBackend, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = sample_catalog()
    journal = tmp_path / "events.jsonl"
    with journal.open("w", encoding="utf-8") as stream:
        write_journal(simulate(catalog, cases=60, seed=5, year=2026), stream)
    target = backend.url("store")
    assert main(["store", "init", target]) == 0
    assert main(["store", "import", str(journal), target]) == 0
    assert "60 case(s) stored" in capsys.readouterr().out
    assert main(["store", "verify", target]) == 0
    assert capsys.readouterr().out.startswith("ok: 60 case(s)")
    assert main(["store", "export", target]) == 0
    exported = capsys.readouterr().out
    back = list(read_journal(io.StringIO(exported), catalog))
    with journal.open(encoding="utf-8") as stream:
        original = list(read_journal(stream, catalog))
    assert [c.events for c in back] == [c.events for c in original]
    lines = [json.loads(line) for line in exported.splitlines()]
    # Each line as imported, with when this store recorded the event and how (imported).
    assert {line.pop("entry") for line in lines} == {"imported"}
    instants = {(line["case_id"], line.pop("recorded_at")) for line in lines}
    assert len(instants) == 60  # each case recorded at one instant, that of its append
    assert lines == [json.loads(line) for line in journal.read_text("utf-8").splitlines()]
    # An event edited by hand: verify says where, and exits 1.
    backend.sql(
        target,
        "UPDATE events SET body = replace(body, '\"actor\":\"', '\"actor\":\"X') "
        "WHERE seq = 1 AND case_id = (SELECT case_id FROM cases ORDER BY number LIMIT 1)",
    )
    assert main(["store", "verify", target]) == 1
    assert "[edited]" in capsys.readouterr().out
    # A phase edited by hand (the event put back): named by the full check, not by the
    # hashes alone.
    backend.sql(
        target,
        "UPDATE events SET body = replace(body, '\"actor\":\"X', '\"actor\":\"') "
        "WHERE seq = 1 AND case_id = (SELECT case_id FROM cases ORDER BY number LIMIT 1)",
    )
    ((phase,),) = backend.sql(target, "SELECT phase FROM cases WHERE number = 2")
    backend.sql(target, "UPDATE cases SET phase = 'NEW' WHERE number = 2")
    assert main(["store", "verify", target, "--hashes-only"]) == 0
    capsys.readouterr()
    assert main(["store", "verify", target]) == 1
    assert "[projection]" in capsys.readouterr().out
    backend.sql(target, f"UPDATE cases SET phase = '{phase}' WHERE number = 2")
    assert main(["store", "verify", target]) == 0
    assert main(["store", "due", target, "--within", "8x"]) == 2
    capsys.readouterr()
    with open_store(target, catalog=catalog, clock=lambda: mar(31, 9)) as store:
        for number in (1, 2):  # two cases still open (the journal's are all finished)
            store.add(catalog.open_case("VD.LLTP", case_id=f"OPEN-{number}", actor="Lan",
                                        received_at=mar(30, 8 + number)))  # fmt: skip
    at = "2026-03-31T09:00:00+07:00"
    for clock in ("legal", "step", "unit"):
        assert main(["store", "due", target, "--at", at, "--within", "40d", "--clock", clock]) == 0
        listed = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
        with open_store(target, catalog=catalog) as store:
            expected = store.due_within(datetime.fromisoformat(at), timedelta(hours=320),
                                        clock=clock)  # fmt: skip
        assert listed == [case_id for case_id, _ in expected] and listed
    with pytest.raises(SystemExit):  # argparse refuses a clock the store does not project
        main(["store", "due", target, "--clock", "units"])


_WRITER = textwrap.dedent(
    """
    import sys
    from datetime import timedelta
    from tthc_flow.engine import Phase
    from tthc_flow.samples import sample_catalog
    from tthc_flow.store import open_store

    url, case_id, commands, name = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    store = open_store(url, catalog=sample_catalog())

    def command(case):
        # Pause and resume in turn, each a minute after the case's latest event.
        at = case.events[-1].at + timedelta(minutes=1)
        step = case.procedure.step(case.status.step)
        if case.status.phase is Phase.PAUSED:
            return case.resume(at=at, actor=name, unit=step.unit)
        return case.pause("financial_obligation", at=at, actor=name, unit=step.unit,
                          evidence=["Thông báo nộp nghĩa vụ tài chính"])

    done = 0
    for number in range(commands):
        store.run(case_id, command, retries=1000)
        done += 1
        print(done, flush=True)
    """
)


def _land_store(backend: StoreBackend) -> tuple[str, Any]:
    catalog = sample_catalog()
    target = backend.url("race")
    store = open_store(target, catalog=catalog)
    case = catalog.open_case("VD.DD", case_id="DD-1", received_at=mar(2, 9), actor="Lan",
                             attributes={"channel": "in_person"})  # fmt: skip
    land = case.procedure
    following = land.first.next[0]
    case.handover(following, at=mar(2, 10), actor="Lan", unit=land.first.unit)
    # The land office's step may pause for the financial obligation the procedure declares.
    assert "financial_obligation" in land.pauses
    store.add(case)
    return target, store


def test_racing_processes_lose_no_update_and_duplicate_no_seq(backend: StoreBackend) -> None:
    target, store = _land_store(backend)
    writers, commands = 3, 8
    processes = [
        subprocess.Popen([sys.executable, "-c", _WRITER, target, "DD-1", str(commands),
                          f"writer-{n}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        for n in range(writers)
    ]  # fmt: skip
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert out.split()[-1] == str(commands)
    history = store.history("DD-1")
    assert [s.event.seq for s in history] == list(range(2 + writers * commands))
    actors = [s.event.actor for s in history[2:]]
    assert sorted(set(actors)) == [f"writer-{n}" for n in range(writers)]
    assert all(actors.count(f"writer-{n}") == commands for n in range(writers))
    kinds = [s.event.kind for s in history[2:]]
    assert kinds == [EventKind.PAUSED, EventKind.RESUMED] * (writers * commands // 2)
    assert store.verify().ok
    assert store.load("DD-1").violations == ()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_a_writer_killed_mid_append_leaves_whole_commands(backend: StoreBackend) -> None:
    target, store = _land_store(backend)
    process = subprocess.Popen(
        [sys.executable, "-c", _WRITER, target, "DD-1", "100000", "killed"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )  # fmt: skip
    assert process.stdout is not None
    for _ in range(5):  # let a few commands land, then kill it in the middle of others
        process.stdout.readline()
    time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    found = store.verify()
    assert found.ok, found
    case = store.load("DD-1")
    assert case.version == len(store.history("DD-1")) >= 7
    assert case.violations == ()


def test_an_older_store_is_migrated_when_opened(backend: StoreBackend) -> None:
    import tthc_flow.store._postgres
    import tthc_flow.store._sqlite

    module = tthc_flow.store._sqlite if backend.name == "sqlite" else tthc_flow.store._postgres
    for statement in module.MIGRATIONS[0]:  # a store as version 1 of the library left it
        backend.sql(backend.url(), statement)
    backend.sql(backend.url(), "INSERT INTO store_meta (key, value) VALUES ('schema', '1')")
    with pytest.raises(Exception, match="entry"):
        backend.sql(backend.url(), "SELECT entry FROM events")
    store = open_store(backend.url(), catalog=Catalog())
    assert store.schema_version() == SCHEMA_VERSION == 5
    assert backend.sql(backend.url(), "SELECT entry FROM events") == []
    store.add(opened())
    assert store.verify().ok and store.history("HS-1")[0].entry in ("live", "late")
    store.close()


def _links_of_version_4(backend: StoreBackend) -> None:
    """Rewrite a store's chain of cases as version 4 of the schema wrote it: links of form 1
    (a case's id and receipt, not its procedure), and no ``link_form`` column."""
    from tthc_flow.store._chain import GENESIS, case_link

    rows = backend.sql(backend.url(), "SELECT c.case_id, e.hash FROM cases c JOIN events e "
                                      "ON e.case_id = c.case_id AND e.seq = 0 ORDER BY c.number")
    previous = GENESIS
    for case_id, first in rows:
        previous = case_link(previous, case_id, first)
        backend.sql(backend.url(),
                    f"UPDATE cases SET link = '{previous}' WHERE case_id = '{case_id}'")
    backend.sql(backend.url(), "ALTER TABLE cases DROP COLUMN link_form")


def test_a_version_4_store_keeps_its_links_and_chains_procedures_from_then_on(
    backend: StoreBackend,
) -> None:
    store = _three_cases(backend)
    store.close()
    _links_of_version_4(backend)
    backend.sql(backend.url(), "UPDATE store_meta SET value = '4' WHERE key = 'schema'")
    store = open_store(backend.url(), catalog=Catalog())
    assert store.schema_version() == 5 and store.verify().ok
    store.add(opened("HS-4"))
    assert store.verify().ok
    forms = dict(backend.sql(backend.url(), "SELECT case_id, link_form FROM cases"))
    assert forms == {"HS-1": 1, "HS-2": 1, "HS-3": 1, "HS-4": 2}
    # A case added since is bound to its procedure version; one from before is not (its
    # link never held it), which is what form 1 means.
    backend.sql(backend.url(), "UPDATE cases SET version = '2018.1' WHERE case_id = 'HS-4'")
    assert [(p.case_id, p.kind) for p in store.verify(projections=False).problems] == [
        ("HS-4", "chain")
    ]
    # Nor can the form be set back by hand.
    backend.sql(backend.url(), "UPDATE cases SET version = (SELECT version FROM cases WHERE "
                               "case_id = 'HS-1'), link_form = 1 WHERE case_id = 'HS-4'")
    assert [(p.case_id, p.kind) for p in store.verify().problems] == [("HS-4", "chain")]


def test_a_version_2_store_gets_the_dues_of_its_cases_when_migrated(
    backend: StoreBackend,
) -> None:
    store = _three_cases(backend)
    expected = {clock: store.due_before(mar(31, 17), clock=clock)
                for clock in ("legal", "indicator", "step", "unit")}  # fmt: skip
    store.close()
    # Take the store back to version 2, as a store written before the step, indicator and
    # unit dues were projected.
    _links_of_version_4(backend)
    for statement in ("DROP INDEX cases_indicator_due", "DROP INDEX cases_step_due",
                      "DROP INDEX cases_unit_due", "ALTER TABLE cases DROP COLUMN indicator_due",
                      "ALTER TABLE cases DROP COLUMN step_due",
                      "ALTER TABLE cases DROP COLUMN unit_due",
                      "UPDATE store_meta SET value = '2' WHERE key = 'schema'"):  # fmt: skip
        backend.sql(backend.url(), statement)
    store = open_store(backend.url(), catalog=Catalog())
    assert store.schema_version() == 5
    assert [c for c, _ in store.due_before(mar(4, 15), clock="step")] == ["HS-1", "HS-2", "HS-3"]
    for clock, listed in expected.items():
        assert store.due_before(mar(31, 17), clock=clock) == listed, clock
    assert expected["unit"]
    assert store.verify().ok


def test_a_version_3_store_gets_the_unit_dues_of_its_cases_when_migrated(
    backend: StoreBackend,
) -> None:
    store = _three_cases(backend)
    expected = store.due_before(mar(31, 17), clock="unit")
    store.close()
    _links_of_version_4(backend)
    for statement in ("DROP INDEX cases_unit_due", "ALTER TABLE cases DROP COLUMN unit_due",
                      "UPDATE store_meta SET value = '3' WHERE key = 'schema'"):  # fmt: skip
        backend.sql(backend.url(), statement)
    store = open_store(backend.url(), catalog=Catalog())
    assert store.schema_version() == 5
    assert store.due_before(mar(31, 17), clock="unit") == expected and expected
    assert store.verify().ok


def test_a_report_streams_from_the_store_alone_or_in_worker_processes(
    backend: StoreBackend,
) -> None:
    from concurrent.futures import ProcessPoolExecutor

    from tthc_flow.reports import Period, build_report

    catalog = sample_catalog()
    cases = list(simulate(catalog, cases=120, seed=11, year=2026))
    store = open_store(backend.url("report"), catalog=catalog)
    store.import_cases(cases)
    period = Period.year(2026)
    expected = build_report(cases, period)  # the engine path, on the cases themselves
    assert store.report(period) == expected
    with ProcessPoolExecutor(2) as executor:
        assert store.report(period, executor=executor, parts=3,
                            catalog_factory=sample_catalog) == expected  # fmt: skip
        with pytest.raises(InvalidInputError, match="catalog_factory"):
            store.report(period, executor=executor)
    assert sum(len(events) for _, events, _ in store.histories(part=1, parts=3)) > 0
    with pytest.raises(InvalidInputError):
        list(store.histories(part=3, parts=3))


def test_a_report_runs_on_a_dask_cluster(backend: StoreBackend) -> None:
    """The path for data that outgrow one machine: Dask's executor, here on a LocalCluster of
    two worker processes, each opening the store from its URL."""
    from distributed import Client, LocalCluster

    from tthc_flow.reports import Period, build_report

    catalog = sample_catalog()
    cases = list(simulate(catalog, cases=80, seed=12, year=2026))
    store = open_store(backend.url("dask"), catalog=catalog)
    store.import_cases(cases)
    period = Period.year(2026)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:  # fmt: skip
        report = store.report(period, executor=client.get_executor(), parts=4,
                              catalog_factory=sample_catalog)  # fmt: skip
    assert report == build_report(cases, period)
    with pytest.raises(InvalidInputError, match="Executor"):
        store.report(period, executor="dask", catalog_factory=sample_catalog)  # type: ignore[arg-type]
    # Partitions deal every case to exactly one worker.
    dealt = [case_id for part in range(4) for _, _, case_id in store.histories(part=part, parts=4)]
    assert sorted(dealt) == sorted(c.case_id for c in cases)


def test_the_demo_keeps_its_year_in_the_store_it_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.db"
    assert main(["demo", "--cases", "40", "--store", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"40 hồ sơ (cases) in {path}" in out
    store = open_store(f"sqlite:///{path}", catalog=sample_catalog())
    assert len(store) == 40 and store.verify().ok and store.late_entries() == []
    assert main(["demo", "--cases", "40", "--store", str(path)]) == 2  # not over a full one
    assert "already holds 40 case(s)" in capsys.readouterr().err


def test_report_and_slip_read_a_store_as_they_read_a_journal(
    backend: StoreBackend, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = sample_catalog()
    cases = list(simulate(catalog, cases=50, seed=8, year=2026))
    journal = tmp_path / "events.jsonl"
    with journal.open("w", encoding="utf-8") as stream:
        write_journal(cases, stream)
    target = backend.url("store")
    open_store(target, catalog=catalog).import_cases(cases)
    outputs = []
    for source in (str(journal), target):
        assert main(["report", source, "--by", "unit", "--format", "csv"]) == 0
        report_out = capsys.readouterr().out
        assert main(["slip", source, cases[7].case_id]) == 0
        outputs.append((report_out, capsys.readouterr().out))
    assert outputs[0] == outputs[1]
    assert "PHIẾU KIỂM SOÁT" in outputs[1][1]
    assert main(["slip", target, "NO-SUCH-CASE"]) == 2
    assert "no case 'NO-SUCH-CASE'" in capsys.readouterr().err
    assert main(["report", f"sqlite:///{tmp_path / 'missing.db'}"]) == 2
    assert "no store at" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("edit", "kinds"),
    [
        # The rows the queries read: a case hidden from due_before or case_ids by hand.
        ("UPDATE cases SET legal_due = '2099-01-01T00:00:00.000000+00:00' "
         "WHERE case_id = 'HS-2'", [("HS-2", "projection")]),
        ("UPDATE cases SET phase = 'ZZ' WHERE case_id = 'HS-2'", [("HS-2", "projection")]),
        ("UPDATE cases SET steps = '[]' WHERE case_id = 'HS-1'", [("HS-1", "projection")]),
        # A case moved to another version of its procedure, judged by other rules (which
        # this catalog does not have: its replay says so too).
        ("UPDATE cases SET version = '2018.1' WHERE case_id = 'HS-3'",
         [("HS-3", "chain"), ("HS-3", "projection")]),
        ("UPDATE cases SET events = 99 WHERE case_id = 'HS-1'", [("HS-1", "count")]),
    ],
)
def test_verify_names_a_hand_edit_of_what_the_queries_read(
    backend: StoreBackend, edit: str, kinds: list[tuple[str, str]]
) -> None:
    store = _three_cases(backend)
    assert store.verify().ok
    backend.sql(backend.url(), edit)
    found = store.verify()
    assert [(p.case_id, p.kind) for p in found.problems] == kinds
    assert not found.ok and "BROKEN" in str(found)
    if kinds[0][1] == "projection":
        # The row's own history gives it back.
        assert store.reproject() == 3 and store.verify().ok


@pytest.mark.parametrize(
    ("edit", "call"),
    [
        ("UPDATE events SET body = 'not json' WHERE seq = 1", lambda s: s.load("HS-1")),
        ("UPDATE events SET body = 'not json' WHERE seq = 1", lambda s: s.history("HS-1")),
        ("UPDATE events SET body = '[]' WHERE seq = 1",
         lambda s: s.report(Period.year(2026))),
        ("UPDATE events SET body = 'not json' WHERE seq = 1",
         lambda s: s.run("HS-1", lambda c: c.version)),
        ("UPDATE events SET recorded_at = 'yesterday' WHERE seq = 0",
         lambda s: s.history("HS-2")),
        ("UPDATE cases SET legal_due = '2000-01-01 soon' WHERE case_id = 'HS-2'",
         lambda s: s.due_before(mar(31, 17))),
        ("DROP TABLE case_steps", lambda s: list(s.case_ids(step="review"))),
    ],
)
def test_a_row_edited_by_hand_gets_a_store_error_naming_it(
    backend: StoreBackend, edit: str, call: Any
) -> None:
    store = _three_cases(backend)
    store.close()
    backend.sql(backend.url(), edit)
    store = open_store(backend.url(), catalog=Catalog())
    with pytest.raises(StoreError) as raised:
        _drain(call(store))
    assert "verify" in str(raised.value) or "refused" in str(raised.value)
    if "DROP" not in edit:
        assert not store.verify().ok  # and verify itself reads on to the end


def test_a_sqlite_store_with_rows_of_the_wrong_type_is_verified_not_crashed(
    tmp_path: Path,
) -> None:
    """SQLite keeps whatever type a hand writes into a column; verify reports those rows."""
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    store = open_store(url, catalog=Catalog())
    for number in (1, 2, 3):
        store.add(opened(f"HS-{number}"))
    store.close()
    for edit, case_id in (
        ("UPDATE events SET body = X'00FF' WHERE case_id = 'HS-1'", "HS-1"),
        ("UPDATE events SET seq = 'x' WHERE case_id = 'HS-2'", "HS-2"),
        ("UPDATE cases SET events = 'abc' WHERE case_id = 'HS-3'", "HS-3"),
    ):
        StoreBackend("sqlite", tmp_path, None).sql(url, edit)
        found = open_store(url, catalog=Catalog()).verify()
        assert case_id in {p.case_id for p in found.problems}, edit
    store = open_store(url, catalog=Catalog())
    with pytest.raises(StoreError, match="HS-1"):
        store.load("HS-1")
    assert store.load("HS-3").version == 1  # its events are whole: only the count was edited
    # An id no case may hold (a control character), which a form-1 link could otherwise
    # be made to match.
    for table in ("cases", "events"):
        StoreBackend("sqlite", tmp_path, None).sql(
            url, f"UPDATE {table} SET case_id = 'HS' || char(31) || '2' WHERE case_id = 'HS-2'")
    found = open_store(url, catalog=Catalog()).verify()
    assert ("HS\x1f2", "chain") in {(p.case_id, p.kind) for p in found.problems}
    StoreBackend("sqlite", tmp_path, None).sql(
        url, "UPDATE store_meta SET value = 'x' WHERE key = 'schema'")
    with pytest.raises(StoreError, match="schema version"):
        open_store(url, catalog=Catalog())
    StoreBackend("sqlite", tmp_path, None).sql(url, "DROP TABLE store_meta")
    with pytest.raises(StoreError, match="schema"):
        open_store(url, catalog=Catalog())


def _drain(result: Any) -> None:
    """Run a generator to its end (a generator checks its arguments when first read)."""
    if hasattr(result, "__next__"):
        list(result)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda s: s.load(["HS-1"]), InvalidInputError),
        (lambda s: s.load("HS\x00-1"), InvalidInputError),
        (lambda s: s.load(None), InvalidInputError),
        (lambda s: s.history(1), InvalidInputError),
        (lambda s: s.case_ids(phase="LATE"), InvalidInputError),
        (lambda s: s.case_ids(unit=["x"]), InvalidInputError),
        (lambda s: s.case_ids(step="\ud800"), InvalidInputError),
        (lambda s: s.due_before(datetime(2026, 3, 2, 9)), NaiveDatetimeError),
        (lambda s: s.due_before("2026-03-02"), InvalidInputError),
        (lambda s: s.due_within(mar(2, 9), 8), InvalidInputError),
        (lambda s: s.due_within(mar(2, 9), timedelta(hours=-1)), InvalidInputError),
        (lambda s: s.verify(head=12), InvalidInputError),
        (lambda s: s.import_cases("HS-1"), InvalidInputError),
        (lambda s: s.import_cases(None), InvalidInputError),
        (lambda s: s.add("HS-1"), InvalidInputError),
        (lambda s: s.add(opened("HS-2", received=mar(9, 9)), imported="no"), InvalidInputError),
        (lambda s: s.run("HS-1", "resolve"), InvalidInputError),
        (lambda s: s.run("HS-1", lambda c: None, retries=-1), InvalidInputError),
        (lambda s: s.histories(part=2, parts=2), InvalidInputError),
        (lambda s: s.histories(part=0, parts=2**64), InvalidInputError),
        (lambda s: s.due_before(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))),
         InvalidInputError),
        (lambda s: s.due_before(datetime.max.replace(tzinfo=timezone(timedelta(hours=-5)))),
         InvalidInputError),
        (lambda s: s.late_in("2026"), InvalidInputError),
        (lambda s: s.report(Period.year(2026)).with_late_entries("HS-1"), InvalidInputError),
        (lambda s: s.report(Period.year(2026)).with_late_entries([1]), InvalidInputError),
    ],
)
def test_bad_input_gets_a_typed_error_and_changes_nothing(
    backend: StoreBackend, call: Any, error: type[Exception]
) -> None:
    store = open_store(backend.url(), catalog=Catalog())
    store.add(opened())
    with pytest.raises(error):
        _drain(call(store))
    assert len(store.history("HS-1")) == 1 and store.verify().ok
    with pytest.raises(InvalidInputError):
        open_store(backend.url(), catalog=Catalog(), skew=timedelta(minutes=-1))
    with pytest.raises(InvalidInputError, match="create must be True or False"):
        open_store(backend.url("never"), catalog=Catalog(), create="no")
    with pytest.raises(StoreError):
        open_store(backend.url("never"), catalog=Catalog(), create=False)


def test_a_skew_beyond_a_day_or_a_clock_at_the_end_of_time_is_refused(
    backend: StoreBackend,
) -> None:
    with pytest.raises(InvalidInputError, match="one day"):
        open_store(backend.url(), catalog=Catalog(), skew=timedelta.max)
    assert open_store(backend.url(), catalog=Catalog(), skew=timedelta(days=1)).skew
    for end in (datetime.max.replace(tzinfo=timezone.utc),
                datetime.min.replace(tzinfo=timezone(timedelta(hours=1)))):  # fmt: skip
        store = open_store(backend.url(), catalog=Catalog(), clock=lambda end=end: end)
        with pytest.raises(StoreError, match="ends of the datetime range"):
            store.add(opened())
        assert len(store) == 0


@pytest.mark.parametrize("catalog", [None, "VD.LLTP", {"VD.LLTP": Catalog.procedure}])
def test_a_store_is_refused_a_catalog_it_could_not_read_cases_through(
    backend: StoreBackend, catalog: Any
) -> None:
    with pytest.raises(InvalidInputError, match="version\\(code, version\\)"):
        open_store(backend.url(), catalog=catalog)


@pytest.mark.parametrize("calendar", ["Asia/Ho_Chi_Minh", VN, 0])
def test_a_store_is_refused_a_calendar_that_is_not_one(
    backend: StoreBackend, calendar: Any
) -> None:
    with pytest.raises(InvalidInputError, match="must be a WorkingCalendar"):
        open_store(backend.url("never"), catalog=Catalog(), calendar=calendar)
    with pytest.raises(StoreError):  # nothing was created
        open_store(backend.url("never"), catalog=Catalog(), create=False)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_history_round_trips_and_any_edit_is_named(
    backend: StoreBackend, data: st.DataObject
) -> None:
    """Property: a stored history (forks, consultations, violations in audit mode) comes back
    event for event, and editing any one stored event breaks exactly its link."""
    procedure = data.draw(procedures(max_steps=5))
    events = data.draw(case_histories(procedure, violations=data.draw(st.booleans())))

    class One:
        def version(self, code: str, version: str) -> Procedure:
            return procedure

    target = backend.url(f"example-{next(EXAMPLES)}")  # a new store per example
    store = open_store(target, catalog=One())
    case = Case.from_events(procedure, events)
    store.import_cases([case])
    assert [s.event for s in store.history(case.case_id)] == list(case.events)
    assert store.load(case.case_id).status == case.status
    assert store.verify().ok
    seq = data.draw(st.integers(0, len(events) - 1))
    backend.sql(target, f"UPDATE events SET body = body || ' ' WHERE seq = {seq}")
    found = store.verify()
    assert [(p.case_id, p.seq, p.kind) for p in found.problems][:1] == [
        (case.case_id, seq, "edited")
    ]
    store.close()


def test_a_store_report_on_two_processes_is_the_report_of_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = sample_catalog()
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    open_store(url, catalog=catalog).import_cases(simulate(catalog, cases=60, seed=5, year=2026))
    outputs = []
    for jobs in ("1", "2"):
        assert main(["report", url, "--jobs", jobs, "--format", "json"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["total"]["total"] == 60

"""The simulation: reproducible, lawful where it says so, bound to the right versions."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tthc_flow._validators import shown
from tthc_flow.engine import Case, EventKind, Mode, events_to_json
from tthc_flow.errors import CalendarRangeError, InvalidInputError, NaiveDatetimeError
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import Rates, simulate

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def year_2025() -> list[Case]:
    return list(simulate(sample_catalog(), cases=1500, seed=11, year=2025))


def test_the_same_seed_gives_the_same_cases(year_2025: list[Case]) -> None:
    again = list(simulate(sample_catalog(), cases=1500, seed=11, year=2025))
    assert [events_to_json(c.events) for c in again] == [
        events_to_json(c.events) for c in year_2025
    ]
    other = list(simulate(sample_catalog(), cases=50, seed=12, year=2025))
    assert [c.events for c in other] != [c.events for c in year_2025[:50]]


def test_every_strict_case_replays_lawfully_and_audit_cases_carry_their_violations(
    year_2025: list[Case],
) -> None:
    audited = 0
    for case in year_2025:
        if case.mode is Mode.STRICT:
            replayed = Case.from_events(case.procedure, case.events, mode="strict")
            assert replayed.status == case.status
            assert not case.violations
        else:
            audited += 1
            if len(case.events) == 1:
                # Received in the year's last hours: the year ended before the mistake.
                assert case.received_at >= datetime(2025, 12, 31, 12, tzinfo=VN)
                continue
            rules = {v.rule for _, v in case.violations}
            assert rules & {"pause.not_allowed", "supplement.max_times"}
    # 2% of 1,500 cases, give or take the binomial spread.
    assert 10 <= audited <= 60


def test_cases_bind_to_the_version_in_force_on_their_receipt(year_2025: list[Case]) -> None:
    for case in year_2025:
        day = case.received_at.astimezone(VN).date()
        assert case.procedure.in_force(day)
        if case.procedure.code == "VD.LLTP":
            if day < date(2025, 3, 1):
                expected = "2018.1"  # the Department of Justice, until 28/2/2025
            elif day <= date(2025, 6, 30):
                expected = "2025.03"
            else:
                expected = "2025.07"
            assert case.procedure.version == expected
        if case.procedure.code in ("VD.DD", "VD.LTKS"):
            assert day >= date(2025, 7, 1)  # those versions start with the new rules
    assert {c.procedure.code for c in year_2025} == {"VD.LLTP", "VD.DD", "VD.LTKS", "VD.NB"}


def test_nothing_happens_after_the_cut_off(year_2025: list[Case]) -> None:
    end = datetime(2025, 12, 31, 23, 59, tzinfo=VN)
    assert all(e.at <= end for c in year_2025 for e in c.events)
    unfinished = [c for c in year_2025 if not c.status.phase.finished]
    assert unfinished  # late-December cases are still in progress
    cut = datetime(2025, 9, 30, 17, tzinfo=VN)
    early = list(simulate(sample_catalog(), cases=300, seed=3, year=2025, until=cut))
    assert all(e.at <= cut for c in early for e in c.events)


def test_the_kinds_of_events_a_year_holds(year_2025: list[Case]) -> None:
    kinds = Counter(e.kind for c in year_2025 for e in c.events)
    for kind in (
        EventKind.SUPPLEMENT_REQUESTED, EventKind.PAUSED, EventKind.SENT_BACK,
        EventKind.RESCHEDULED, EventKind.REFUSED, EventKind.WITHDRAWN, EventKind.RETURNED,
    ):  # fmt: skip
        assert kinds[kind] > 0, kind
    land_pauses = [
        e.reason for c in year_2025 if c.procedure.code == "VD.DD"
        for e in c.events if e.kind is EventKind.PAUSED
    ]  # fmt: skip
    assert "financial_obligation" in land_pauses
    remote = [c for c in year_2025 if c.attributes.get("remote_commune")]
    assert remote and all(c.procedure.code == "VD.DD" for c in remote)
    assert {c.attributes["channel"] for c in year_2025} == {"in_person", "online", "postal"}


def test_rates_are_parameters() -> None:
    calm = Rates(supplement=0, rework=0, refusal=0, withdrawal=0, audit_mistakes=0,
                 financial_obligation=0, late_step=0, late_by_unit={})  # fmt: skip
    cases = list(simulate(sample_catalog(), cases=200, seed=5, year=2026, rates=calm))
    kinds = Counter(e.kind for c in cases for e in c.events)
    assert kinds[EventKind.SUPPLEMENT_REQUESTED] == kinds[EventKind.SENT_BACK] == 0
    assert kinds[EventKind.PAUSED] == kinds[EventKind.RESCHEDULED] == 0
    # With no late step, every finished case is early or on time on the legal clock.
    finished = [c for c in cases if c.status.phase.finished]
    assert finished and not any(c.legal_clock().overdue for c in finished)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(InvalidInputError):
        list(simulate(sample_catalog(), cases=-1))
    with pytest.raises(InvalidInputError):
        list(simulate(sample_catalog(), cases=3, rates=Rates(mix={"NOPE": 1.0})))
    with pytest.raises(InvalidInputError, match="in force in 2017"):
        simulate(sample_catalog(), cases=3, year=2017)  # refused when called, not iterated
    with pytest.raises(NaiveDatetimeError):
        simulate(sample_catalog(), cases=3, until=datetime(2025, 6, 30))
    for bad in ({"supplement": 1.5}, {"channels": (0.5, 0.5)}, {"channels": (0, 0, 0)},
                {"mix": {"VD.LLTP": 0}}, {"late_by_unit": {"x": -0.1}}):  # fmt: skip
        with pytest.raises(InvalidInputError):
            Rates(**bad)  # type: ignore[arg-type]
    assert Rates() == Rates() and hash(Rates()) == hash(Rates())
    assert Rates(mix={"VD.NB": 1.0}) != Rates()


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [({"catalog": 5}, InvalidInputError, "Catalog"),
     ({"catalog": None}, InvalidInputError, "Catalog"),
     ({"seed": "3"}, InvalidInputError, "seed"), ({"seed": True}, InvalidInputError, "seed"),
     ({"seed": None}, InvalidInputError, "seed"), ({"seed": 1.5}, InvalidInputError, "seed"),
     ({"year": "2025"}, InvalidInputError, "year must be an int"),
     ({"year": True}, InvalidInputError, "year must be an int"),
     ({"year": 2025.0}, InvalidInputError, "year must be an int"),
     ({"year": 0}, CalendarRangeError, "year 0"),
     ({"year": 10_000}, CalendarRangeError, "year 10000"),
     ({"year": 10**5000}, CalendarRangeError, "5,000 digits"),
     ({"until": datetime.max.replace(tzinfo=timezone.utc)}, CalendarRangeError, "until"),
     ({"until": datetime.min.replace(tzinfo=timezone(timedelta(hours=14)))},
      CalendarRangeError, "until"),
     ({"calendar": 5}, InvalidInputError, "calendar"),
     ({"rates": 5}, InvalidInputError, "rates"),
     ({"progress": 5}, InvalidInputError, "progress")],
    ids=lambda item: shown(item)[:40],
)  # fmt: skip
def test_every_argument_is_refused_when_simulate_is_called(
    arguments: dict[str, Any], error: type[Exception], match: str
) -> None:
    catalog = arguments.pop("catalog", sample_catalog())
    with pytest.raises(error, match=match):
        simulate(catalog, cases=3, **arguments)  # not iterated: refused at the call


@pytest.mark.parametrize(
    "bad",
    [{"mix": {"VD.LLTP": float("nan"), "VD.DD": 1}}, {"mix": {"VD.LLTP": float("inf")}},
     {"mix": {"VD.LLTP": 10**400}}, {"mix": {5: 1.0}}, {"mix": 5}, {"mix": ["VD.LLTP"]},
     {"channels": 5}, {"channels": (float("nan"), 1, 1)}, {"channels": (True, 1, 1)},
     {"late_by_unit": 5}, {"late_by_unit": {5: 0.1}}, {"supplement": float("nan")},
     {"supplement": 10**5000}],
    ids=lambda item: shown(item)[:40],
)  # fmt: skip
def test_rates_that_cannot_be_drawn_from_are_refused_when_built(bad: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        Rates(**bad)


def test_progress_is_called_every_thousand_cases() -> None:
    seen: list[int] = []
    cases = list(simulate(sample_catalog(), cases=1000, seed=3, year=2026, progress=seen.append))
    assert len(cases) == 1000 and seen == [1000]

"""National portal status and channel codes: every phase of a case, the status-change records
of real-date cases, and the tables as data a host replaces."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.procedures import (
    DESK,
    LAND_DESK,
    LAND_OFFICE,
    RECORDS,
    TAX,
    judicial_record,
    land_change,
)
from tests.test_forms import judicial_case, judicial_refused, land_case, land_refused
from tthc_flow._validators import shown
from tthc_flow.engine import Case, Mode, Phase
from tthc_flow.errors import InvalidInputError
from tthc_flow.portal import (
    DEFAULT_PORTAL_CODES,
    PortalCodes,
    channel_code,
    portal_status,
    status_history,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def _land(channel: str = "online") -> Case:
    return Case.open(
        land_change(), case_id="DD-1", received_at=at(2026, 3, 2, 9), actor="Tâm",
        unit=LAND_DESK, attributes={"channel": channel},
    )  # fmt: skip


def _handed(case: Case) -> Case:
    case.handover("office", at=at(2026, 3, 2, 10), actor="Tâm", unit=LAND_DESK)
    return case


def _at_tax(case: Case) -> Case:
    _handed(case).handover("tax", at=at(2026, 3, 4, 9), actor="Blông", unit=LAND_OFFICE)
    return case


# Each builder puts a case in one situation; the expected code is the one DOMAIN.md §5 lists
# for it (1 newly filed … 10 result returned), written out here independently of the module.
SITUATIONS: dict[str, tuple[Callable[[], Case], Phase, int]] = {
    "new": (lambda: Case(land_change(), case_id="DD-0"), Phase.NEW, 1),
    "accepted": (_land, Phase.PROCESSING, 2),
    "processing": (lambda: _handed(_land()), Phase.PROCESSING, 4),
    "supplement requested": (
        lambda: _cmd(_handed(_land()), "request_supplement", at=at(2026, 3, 3, 9),
                     actor="Blông", unit=LAND_OFFICE, evidence=["Phiếu yêu cầu bổ sung"]),
        Phase.AWAITING_SUPPLEMENT, 5,
    ),
    "financial obligation": (
        lambda: _cmd(_at_tax(_land()), "pause", "financial_obligation", at=at(2026, 3, 4, 10),
                     actor="Thuế", unit=TAX, evidence=["Thông báo nộp tiền"]),
        Phase.PAUSED, 6,
    ),
    "other pause": (
        lambda: _cmd(_at_tax(_land()), "pause", "public_posting", at=at(2026, 3, 4, 10),
                     actor="Thuế", unit=TAX, evidence=["Biên bản niêm yết"]),
        Phase.PAUSED, 4,
    ),
    "processed": (
        lambda: _cmd(_cmd(_at_tax(_land()), "handover", "return", at=at(2026, 3, 4, 11),
                          actor="Thuế", unit=TAX),
                     "resolve", at=at(2026, 3, 4, 14), actor="Tâm", unit=LAND_DESK),
        Phase.RESOLVED, 9,
    ),
    "withdrawn": (
        lambda: _cmd(_handed(_land()), "withdraw", at=at(2026, 3, 3, 9), actor="An",
                     unit=LAND_OFFICE),
        Phase.WITHDRAWN, 7,
    ),
    "stopped": (
        lambda: _cmd(_handed(_land()), "stop", reason="Người nộp đã chết", at=at(2026, 3, 3, 9),
                     actor="Blông", unit=LAND_OFFICE),
        Phase.STOPPED, 8,
    ),
    "closed unfinished": (
        lambda: _cmd(
            _cmd(_handed(_land()), "request_supplement", at=at(2026, 3, 3, 9), actor="Blông",
                 unit=LAND_OFFICE, evidence=["Phiếu yêu cầu bổ sung"]),
            # 15 days after Tue 3/3 end with Wed 18/3 (24:00); the desk closes on Thu 19/3.
            "close", at=at(2026, 3, 19, 9), actor="Tâm", unit=LAND_DESK,
        ),
        Phase.CLOSED, 8,
    ),
    "refused at the desk": (lambda: land_refused(), Phase.REFUSED, 3),
    "refused after review": (lambda: judicial_refused(), Phase.REFUSED, 8),
    "returned": (lambda: land_case(), Phase.RETURNED, 10),
}  # fmt: skip


def _cmd(case: Case, name: str, *args: object, **kwargs: object) -> Case:
    getattr(case, name)(*args, **kwargs)
    return case


@pytest.mark.parametrize("situation", sorted(SITUATIONS))
def test_every_situation_has_its_code(situation: str) -> None:
    build, phase, code = SITUATIONS[situation]
    case = build()
    if phase is not Phase.NEW:
        assert case.status.phase is phase
    assert portal_status(case) == code


def test_every_phase_is_covered() -> None:
    assert {phase for _, phase, _ in SITUATIONS.values()} == set(Phase)
    assert {code for _, _, code in SITUATIONS.values()} == set(range(1, 11))


def test_channels() -> None:
    assert [channel_code(_land(c)) for c in ("in_person", "online", "postal")] == [1, 2, 3]
    for bad in (None, "phone", 2):
        # A channel Decree 118 Art. 15 does not have is a violation, kept in audit mode.
        case = Case.open(
            land_change(), case_id="DD-X", received_at=at(2026, 3, 2, 9), actor="Tâm",
            unit=LAND_DESK, attributes={} if bad is None else {"channel": bad},
            mode=Mode.STRICT if bad is None else Mode.AUDIT,
        )  # fmt: skip
        with pytest.raises(InvalidInputError, match="'channel'"):
            channel_code(case)
        with pytest.raises(InvalidInputError):
            status_history(case)


def test_history_of_the_land_case() -> None:
    records = status_history(land_case(), dossier_code="000.00.31.H55-260302-0003")
    assert [(r["status"], r["at"], r["event"]) for r in records] == [
        (2, "2026-03-02T09:00:00+07:00", "received"),
        (4, "2026-03-02T10:00:00+07:00", "handed_over"),
        (5, "2026-03-03T09:00:00+07:00", "supplement_requested"),
        (4, "2026-03-06T15:00:00+07:00", "supplement_received"),
        # the apology (10/03) and the handover to tax (13/03) leave it processing
        (6, "2026-03-13T14:00:00+07:00", "paused"),
        (4, "2026-03-20T09:00:00+07:00", "resumed"),
        (9, "2026-03-23T09:00:00+07:00", "resolved"),
        (10, "2026-03-23T10:00:00+07:00", "returned"),
    ]
    assert [r["previous_status"] for r in records] == [None, 2, 4, 5, 4, 6, 4, 9]
    first = records[0]
    assert first["case_id"] == "DD-2026-0302-03"
    assert first["procedure"] == "TEST.DD" and first["version"] == "2025.2"
    assert first["dossier_code"] == "000.00.31.H55-260302-0003"
    assert first["channel"] == 3  # postal
    assert first["status_label"] == "Đã tiếp nhận (accepted)"
    assert json.loads(json.dumps(records, ensure_ascii=False)) == records


def test_history_takes_the_dossier_code_attribute() -> None:
    records = status_history(judicial_case())
    assert {r["dossier_code"] for r in records} == {"000.00.20.H39-250425-0001"}
    assert "dossier_code" not in status_history(land_refused())[0]


def test_history_of_refused_cases() -> None:
    assert [r["status"] for r in status_history(land_refused())] == [2, 3]
    assert [r["status"] for r in status_history(judicial_refused())] == [2, 4, 8]
    assert status_history(Case(judicial_record(), case_id="none")) == []


def test_codes_are_data_a_host_replaces() -> None:
    # A host whose contract numbers "accepted" 20 and has a code for public posting.
    codes = attrs.evolve(
        DEFAULT_PORTAL_CODES, accepted=20, pause_reasons={"public_posting": 61},
        labels={**DEFAULT_PORTAL_CODES.labels, 20: "Tiếp nhận (host)"},
    )  # fmt: skip
    posting = SITUATIONS["other pause"][0]()
    assert portal_status(posting, codes) == 61
    assert portal_status(SITUATIONS["financial obligation"][0](), codes) == 4
    assert status_history(_land(), codes)[0]["status_label"] == "Tiếp nhận (host)"
    assert codes.label(99) == "mã 99 (unknown code)"
    with pytest.raises(InvalidInputError, match="RETURNED"):
        PortalCodes(
            phases={p: 1 for p in Phase if p is not Phase.RETURNED}, accepted=2,
            refused_at_reception=3, pause_reasons={}, channels={}, labels={},
        )  # fmt: skip


_CASES = {"judicial": judicial_case, "land": land_case}


@settings(max_examples=25)
@given(which=st.sampled_from(sorted(_CASES)), cut=st.integers(min_value=1, max_value=12))
def test_history_grows_by_appending(which: str, cut: int) -> None:
    """The records of a case cut after any event are the first records of the whole case:
    a sync job that ran earlier never sent anything the later run contradicts."""
    whole = _CASES[which]()
    events = whole.events[: min(cut, len(whole.events))]
    part = Case.from_events(whole.procedure, events)
    early, late = status_history(part), status_history(whole)
    assert late[: len(early)] == early
    assert all(a["status"] != b["status"] for a, b in itertools.pairwise(late))
    assert early[-1]["status"] == portal_status(part)
    assert part.status.phase is not Phase.NEW


def test_receipt_desk_units_are_the_fixtures() -> None:
    # The fixtures' desks are the reception units the status rules read.
    assert judicial_record().first.unit == DESK and land_change().first.unit == LAND_DESK
    assert judicial_record().step("review").unit == RECORDS


@pytest.mark.parametrize(
    "call",
    [lambda: portal_status(5), lambda: channel_code(5), lambda: status_history(5),
     lambda: status_history(None), lambda: portal_status(_land(), 5),
     lambda: channel_code(_land(), {"online": 2}), lambda: status_history(_land(), 5)],
    ids=["portal_status", "channel_code", "status_history", "status_history None",
         "portal_status codes", "channel_code codes", "status_history codes"],
)  # fmt: skip
def test_a_case_and_codes_of_the_wrong_type_are_refused(call: Callable[[], object]) -> None:
    with pytest.raises(InvalidInputError, match=r"takes a Case|must be PortalCodes"):
        call()


@pytest.mark.parametrize(
    "changes",
    [{"pause_reasons": 5}, {"phases": 5}, {"channels": {"online": True}},
     {"channels": {"online": "2"}}, {"channels": {2: 2}}, {"accepted": "2"},
     {"accepted": True}, {"refused_at_reception": 3.0}, {"accepted": 10**5000},
     {"labels": {"2": "Đã tiếp nhận"}}, {"labels": {2: 5}}, {"source": 5},
     {"phases": {**DEFAULT_PORTAL_CODES.phases, Phase.NEW: True}},
     {"channels": {"in_person": 1, "online": 2, "postal": 3, "kiosk": 4}}],
    ids=lambda changes: next(iter(changes)),
)  # fmt: skip
def test_code_tables_of_the_wrong_type_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError, match="PortalCodes"):
        attrs.evolve(DEFAULT_PORTAL_CODES, **changes)


@pytest.mark.parametrize("status", [[], "2", True, 2.0, None])
def test_a_label_is_asked_of_a_status_code(status: object) -> None:
    with pytest.raises(InvalidInputError, match="status code"):
        DEFAULT_PORTAL_CODES.label(status)  # type: ignore[arg-type]


@pytest.mark.parametrize("code", [["x", 1], True, 5, " ", 10**5000], ids=shown)
def test_a_dossier_code_argument_that_is_not_a_text_is_refused(code: object) -> None:
    with pytest.raises(InvalidInputError, match="dossier code"):
        status_history(_land(), dossier_code=code)  # type: ignore[arg-type]


@pytest.mark.parametrize("code", [["x", 1], True, 5, {"code": "x"}], ids=shown)
def test_a_dossier_code_attribute_that_is_not_a_text_is_refused(code: object) -> None:
    attributes = {"channel": "online", "dossier_code": code}

    def opened() -> Case:
        return Case.open(land_change(), case_id="DD-1", received_at=at(2026, 3, 2, 9),
                         actor="Tâm", unit=LAND_DESK, attributes=attributes)  # fmt: skip

    # Refused when the case is opened; a history from before that check is still read, and
    # the portal refuses to code it.
    with pytest.raises(InvalidInputError, match=r"attributes\.dossier_code"):
        opened()
    good = Case.open(land_change(), case_id="DD-1", received_at=at(2026, 3, 2, 9),
                     actor="Tâm", unit=LAND_DESK, attributes={"channel": "online"})  # fmt: skip
    first, *rest = good.events
    case = Case.from_events(
        good.procedure, [attrs.evolve(first, data={**first.data, "attributes": attributes}), *rest]
    )
    with pytest.raises(InvalidInputError, match="dossier code"):
        status_history(case)

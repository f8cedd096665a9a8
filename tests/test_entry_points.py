"""Public entry points refuse bad arguments with a typed error that names the argument and
says how to fix it, and a refused call changes nothing."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.procedures import DESK, judicial_record
from tthc_flow.engine import Case
from tthc_flow.errors import InvalidInputError, NaiveDatetimeError, TthcFlowError

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def opened() -> Case:
    case = Case.open(judicial_record(), case_id="X", received_at=datetime(2026, 3, 2, 9, tzinfo=VN),
                     actor="Lan", unit=DESK)  # fmt: skip
    case.handover("review", at=datetime(2026, 3, 2, 10, tzinfo=VN), actor="Lan", unit=DESK)
    return case


READERS = ("legal_clock", "unit_clocks", "legal_due", "step_clocks", "indicator_clock")
NOT_INSTANTS = (datetime(2026, 3, 3, 9), date(2026, 3, 3), "2026-03-03T09:00+07:00", 5)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("bad", NOT_INSTANTS, ids=repr)
def test_a_clock_read_at_something_not_an_aware_instant_is_a_typed_error(
    reader: str, bad: object
) -> None:
    clocks = opened().clocks
    expected = NaiveDatetimeError if isinstance(bad, datetime) else InvalidInputError
    with pytest.raises(expected) as error:
        getattr(clocks, reader)(bad)
    text = str(error.value)
    assert "aware datetime" in text and ("Pass" in text or "Write" in text)


@pytest.mark.parametrize("bad", NOT_INSTANTS, ids=repr)
def test_an_empty_fold_checks_the_instant_too(bad: object) -> None:
    clocks = opened().clocks.prefix(0)
    with pytest.raises(TthcFlowError):
        clocks.legal_clock(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, None, "1", 1.0, True])
def test_a_prefix_is_a_whole_number_of_events(bad: object) -> None:
    clocks = opened().clocks
    with pytest.raises(InvalidInputError, match="whole number of events"):
        clocks.prefix(bad)  # type: ignore[arg-type]
    # The first two events: the receipt and the handover.
    two = clocks.prefix(2)
    assert two.legal_clock(datetime(2026, 3, 3, 9, tzinfo=VN)).started_at == datetime(
        2026, 3, 2, 9, tzinfo=VN
    )
    assert clocks.prefix(0).legal_clock(datetime(2026, 3, 3, 9, tzinfo=VN)).started_at is None

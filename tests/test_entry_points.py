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


def test_a_move_whose_due_lies_beyond_the_calendar_is_refused_and_changes_nothing() -> None:
    from tthc_flow.engine import BudgetPolicy, CalendarDays, Step, WorkingDays
    from tthc_flow.errors import CalendarRangeError

    procedure = judicial_record(
        steps=[
            Step("receive", "Tiếp nhận hồ sơ", DESK, WorkingDays("0.5"), next="review",
                 reception=True),
            Step("review", "Thẩm định", "Phòng Hành chính tư pháp", CalendarDays(60),
                 next="return"),
            Step("return", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
        budget_policy=BudgetPolicy.UNCHECKED,
    )  # fmt: skip
    # The Vietnamese calendar ends with 2100: a 60-day step entered on 2/11/2100 has no due.
    received = datetime(2100, 11, 2, 9, tzinfo=VN)
    case = Case.open(procedure, case_id="END", received_at=received, actor="Lan", unit=DESK)
    before = (case.events, case.legal_clock(received), case.step_clocks(received))
    with pytest.raises(CalendarRangeError):
        case.handover("review", at=datetime(2100, 11, 2, 10, tzinfo=VN), actor="Lan",
                      unit=DESK)  # fmt: skip
    assert (case.events, case.legal_clock(received), case.step_clocks(received)) == before
    assert case.clocks.events == 1 and case.status.step == "receive"

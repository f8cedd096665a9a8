"""Forms on hostile histories and hostile text: audit histories recorded out of time order or
past the end of the case print what was recorded (never a ``ValueError`` from the layout),
every form entry point refuses what is not a case or an instant with a typed error, and no
control character from the data reaches a terminal; HTML stays escaped."""

from __future__ import annotations

import contextlib
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.procedures import CLERK, DESK, RECORDS, judicial_record
from tthc_flow.cli import main
from tthc_flow.engine import Case, Event, EventKind
from tthc_flow.errors import (
    CalendarRangeError,
    InvalidInputError,
    NaiveDatetimeError,
    TthcFlowError,
)
from tthc_flow.forms import (
    CIRCULAR_01_2018,
    CIRCULAR_03_2025,
    Form,
    FormField,
    FormKind,
    FormTable,
    Signature,
    apology,
    case_ledger,
    control_slip,
    receipt,
    refusal,
    render_html,
    render_text,
    stop_notice,
    supplement_request,
)
from tthc_flow.forms._printable import printable
from tthc_flow.journal import write_journal
from tthc_flow.samples import sample_catalog

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AFTER_END = "Ghi nhận sau khi hồ sơ đã kết thúc:"
FORMS = (control_slip, receipt, supplement_request, refusal, apology, stop_notice)


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=VN)


def out_of_order() -> Case:
    """Received Monday 02/06, handed to review on Wednesday 04/06, then (recorded after it)
    to approval dated Tuesday 03/06: the second handover precedes the first."""
    case = Case.open(judicial_record(), case_id="AUD-1", received_at=at(6, 2), actor="Lan",
                     unit=DESK, mode="audit")  # fmt: skip
    case.handover("review", at=at(6, 4), actor="Lan", unit=DESK)
    case.handover("approve", at=at(6, 3), actor="Minh", unit=RECORDS)
    case.handover("sign", at=at(6, 5), actor="Hoa", unit=RECORDS)
    return case


def past_the_end() -> Case:
    """Refused on 04/06; a handover and a pause were still recorded after that."""
    case = Case.open(judicial_record(), case_id="AUD-2", received_at=at(6, 2), actor="Lan",
                     unit=DESK, mode="audit")  # fmt: skip
    case.handover("review", at=at(6, 2, 10), actor="Lan", unit=DESK)
    case.refuse(reason="Không đủ điều kiện", at=at(6, 4), actor="Minh", unit=RECORDS)
    case.handover("approve", at=at(6, 5), actor="Minh", unit=RECORDS)
    case.handover("nowhere", at=at(6, 6), actor="Minh", unit=RECORDS)
    case.pause("verification", at=at(6, 6, 10), actor="Minh", unit=RECORDS,
               evidence=["Công văn 1"])  # fmt: skip
    return case


def instants(case: Case) -> list[datetime]:
    """Every instant a slip may be asked for: each event's, a microsecond either side, and
    before the receipt and after the last event."""
    found = [case.events[0].at - timedelta(days=3), max(e.at for e in case.events) + timedelta(7)]
    for event in case.events:
        found += [event.at - timedelta(microseconds=1), event.at, event.at + timedelta(0, 0, 1)]
    return found


# ----------------------------------------------------------------------------- time order


def test_a_history_out_of_time_order_prints_as_recorded() -> None:
    case = out_of_order()
    form = control_slip(case)
    assert form.table is not None
    rows = form.table.rows
    assert [row[1].splitlines()[1] for row in rows] == [
        "Tiếp nhận hồ sơ", "Thẩm định, tra cứu", "Lãnh đạo phòng xem xét", "Giám đốc ký",
    ]  # fmt: skip
    # The review row was received on 04/06 and handed over at the instant recorded, 03/06.
    assert "Nhận: 09:00 04/06/2025" in rows[1][2]
    assert "Giao: 09:00 03/06/2025" in rows[1][2]
    assert "machine.time_order" in rows[2][4]
    # The status is read at the latest instant recorded, not the last event's.
    assert form.field("Tình trạng tại").value.startswith("09 giờ 00 phút, ngày 05 tháng 06")


def test_a_slip_of_an_out_of_order_history_at_any_instant() -> None:
    case = out_of_order()
    for instant in instants(case):
        form = control_slip(case, at=instant)
        assert form.table is not None
        render_text(form), render_html(form)
    # At noon on 03/06 the history stood at the receipt alone: the first handover, dated
    # 04/06, was the first event after noon, so it and everything recorded after it wait.
    noon = control_slip(case, at=at(6, 3, 12))
    assert noon.table is not None and len(noon.table.rows) == 1
    assert "Đang giữ hồ sơ" in noon.table.rows[0][2]


def test_events_after_the_end_are_listed_on_the_last_row() -> None:
    case = past_the_end()
    form = control_slip(case)
    assert form.table is not None
    last = form.table.rows[-1]
    assert len(form.table.rows) == 2  # no row opens after the refusal
    assert "Từ chối giải quyết: 09:00 04/06/2025" in last[2]
    after = [line for line in last[4].splitlines() if line.startswith(AFTER_END)]
    assert after == [
        f"{AFTER_END} 09:00 05/06/2025: Chuyển xử lý → {RECORDS} "
        "(Lãnh đạo phòng xem xét)",
        f"{AFTER_END} 09:00 06/06/2025: Chuyển xử lý → nowhere",
        f"{AFTER_END} 10:00 06/06/2025: Tạm dừng — Xác minh (verification)",
    ]
    for instant in instants(case):
        for render in (render_text, render_html):
            render(control_slip(case, at=instant))
    assert "Ghi nhận sau khi hồ sơ đã kết thúc" in render_text(form)


def test_every_form_of_an_audit_history_is_a_form_or_a_typed_refusal() -> None:
    for case in (out_of_order(), past_the_end()):
        for build in FORMS:
            try:
                form = build(case)
            except TthcFlowError:
                continue
            render_text(form), render_html(form)
        render_text(case_ledger([case]))


def test_the_slip_command_prints_an_audit_history_at_any_instant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = sample_catalog()
    case = catalog.open_case("VD.LLTP", case_id="AUD-CLI", received_at=at(9, 1),
                             actor="Lan", mode="audit")  # fmt: skip
    steps = case.procedure.steps
    case.handover(steps[1].key, at=at(9, 3), actor="Lan", unit=steps[0].unit)
    case.handover(steps[2].key, at=at(9, 2), actor="Minh", unit=steps[1].unit)  # earlier
    case.refuse(reason="Từ chối", at=at(9, 4), actor="Minh", unit=steps[2].unit)
    case.handover(steps[3].key, at=at(9, 5), actor="Minh", unit=steps[2].unit)  # after end
    path = tmp_path / "events.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        write_journal([case], stream)
    for when in (None, "2025-09-02T12:00+07:00", "2025-09-03T09:00+07:00", "2025-09-30T09:00Z"):
        extra = ["--at", when] if when else []
        code = main(["slip", str(path), "AUD-CLI", *extra])
        out, err = capsys.readouterr()
        assert (code, err) == (0, "")
        assert "PHIẾU KIỂM SOÁT" in out
    main(["slip", str(path), "AUD-CLI"])
    assert AFTER_END in " ".join(capsys.readouterr().out.split())


@settings(max_examples=150)
@given(
    moves=st.lists(
        st.tuples(
            st.sampled_from(list(EventKind)),
            st.sampled_from(["receive", "review", "approve", "sign", "issue", "return", "x"]),
            st.integers(min_value=-5_000, max_value=8_000),  # minutes since the last event
        ),
        max_size=10,
    ),
    pick=st.integers(min_value=0, max_value=40),
)
def test_any_recorded_history_prints(moves: list[tuple[EventKind, str, int]], pick: int) -> None:
    """Events of any kind, in any order, any time apart (back in time too), read back as an
    imported history: every form is printed or refused with a typed error, and the slip has
    one row per stay and lists every event recorded after the end."""
    procedure = judicial_record()
    now = at(6, 2)
    events = [Event(seq=0, kind=EventKind.RECEIVED, at=now, actor="Lan", unit=DESK,
                    data={"case_id": "ANY", "attributes": {}})]  # fmt: skip
    for seq, (kind, target, minutes) in enumerate(moves, 1):
        now += timedelta(minutes=minutes)
        fields: dict[str, object] = {}
        if kind in (EventKind.HANDED_OVER, EventKind.SENT_BACK):
            fields["target"] = target
        elif kind is EventKind.PAUSED:
            fields["reason"] = "verification"
        elif kind is EventKind.RESCHEDULED:
            fields.update(new_due=now + timedelta(days=5), reason="Xin lỗi")
        events.append(Event(seq=seq, kind=kind, at=now, actor="Minh", unit=CLERK, **fields))
    try:
        case = Case.from_events(procedure, events)
    except TthcFlowError:
        return
    moments = instants(case)
    slip = control_slip(case, at=moments[pick % len(moments)])
    render_text(slip), render_html(slip)
    full = control_slip(case)
    assert full.table is not None
    assert len(full.table.rows) == len(case.clocks.visit_list())
    ends = [n for n, e in enumerate(case.events) if e.kind in _ENDINGS]
    if ends:
        printed = sum(cell.count(AFTER_END) for row in full.table.rows for cell in row)
        assert printed == len(case.events) - ends[0] - 1
    for build in FORMS[1:]:
        with contextlib.suppress(TthcFlowError):
            render_text(build(case))
    render_html(case_ledger([case]))


_ENDINGS = {EventKind.RETURNED, EventKind.REFUSED, EventKind.WITHDRAWN, EventKind.STOPPED,
            EventKind.CLOSED}  # fmt: skip


# ----------------------------------------------------------------------------- arguments


def test_form_arguments_are_checked_with_typed_errors() -> None:
    case = out_of_order()
    for build in (*FORMS, lambda c: case_ledger([c])):
        for wrong in (None, "AUD-1", case.events):
            with pytest.raises(InvalidInputError, match="for a Case"):
                build(wrong)  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError):
        control_slip(case, at=datetime(2025, 6, 3, 9))
    for wrong_at in (date(2025, 6, 3), "2025-06-03T09:00+07:00", 1_700_000_000):
        with pytest.raises(InvalidInputError, match=r"^at must be an aware datetime"):
            control_slip(case, at=wrong_at)  # type: ignore[arg-type]
    for edge in (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
                 datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-12))),
                 datetime(2101, 1, 2, tzinfo=VN)):  # fmt: skip
        with pytest.raises(CalendarRangeError, match=r"^at "):
            control_slip(case, at=edge)
    for number in (True, "1", 1.0, None):
        with pytest.raises(InvalidInputError, match="number must be an int"):
            supplement_request(case, number=number)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="cases must be a collection"):
        case_ledger(case)  # type: ignore[arg-type]
    for on in ("2025-06-30", datetime(2025, 6, 30, tzinfo=VN), 20250630):
        with pytest.raises(InvalidInputError, match="a ledger is dated by a day"):
            case_ledger([case], on=on)  # type: ignore[arg-type]
    for issuer in ("UBND", 5, [None]):
        with pytest.raises(InvalidInputError, match="issuer must be a list of text lines"):
            case_ledger([case], issuer=issuer)  # type: ignore[arg-type]
    # A generator of circulars or issuer lines is read once, not used up by a check.
    assert case_ledger([case], issuer=(line for line in ["A", "B"])).issuer == ("A", "B")
    assert control_slip(case, circulars=iter([CIRCULAR_01_2018])).circular == "01/2018/TT-VPCP"


# ----------------------------------------------------------------------------- control characters

HOSTILE = (
    "Trần\x1b[2J\x1b[31mĐỎ\x1b[0m Văn\x07 A\x00B\x7fC\x9bD",  # escape, bell, NUL, DEL, CSI
    "dòng 1\rdòng 2\r\ndòng 3\u2028dòng 4\u2029dòng 5\ttab",  # line breaks, tab
    "abc\u202eđảo ngược\u202c \u2066x\u2069 \u200f\u061c",  # bidi controls
    "lone \udc80 surrogate",
    "<script>alert('\x1b')</script> & \"quoted\"",
)


def _shows_nothing_hostile(text: str) -> None:
    for char in text:
        if char == "\n":
            continue
        assert unicodedata.category(char) not in ("Cc", "Cs"), repr(char)
        assert char not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
        assert char not in "\u061c\u2028\u2029"
    text.encode("utf-8")  # writable to any UTF-8 terminal or file


def hostile_form(text: str) -> Form:
    spec = CIRCULAR_03_2025.spec(FormKind.CONTROL_SLIP, "X")
    return Form(
        spec=spec, circular=text, issuer=(text,), code=text, place_date=text,
        fields=[FormField(text, text), FormField("", text), FormField("Nhiều dòng", f"a\n{text}")],
        table=FormTable(("TT", text), [(text, text)]),
        signatures=(Signature(text, text, text),), notes=(text,),
    )  # fmt: skip


@pytest.mark.parametrize("text", HOSTILE)
def test_no_control_character_of_the_data_reaches_the_output(text: str) -> None:
    form = hostile_form(text)
    plain = render_text(form)
    page = render_html(form)
    _shows_nothing_hostile(plain)
    _shows_nothing_hostile(page)
    assert "<script>" not in page  # HTML stays escaped, after the escapes are made visible
    if "<script>" in text:
        assert "&lt;script&gt;alert(&#x27;\\x1b&#x27;)&lt;/script&gt; &amp; &quot;" in page
        assert "<script>alert('\\x1b')</script>" in plain


def test_escapes_are_visible_and_line_breaks_kept() -> None:
    assert printable("A\x1b[2JB") == "A\\x1b[2JB"
    assert printable("A\x00B\x7fC\x9bD") == "A\\x00B\\x7fC\\x9bD"
    assert printable("1\r2\r\n3\u20284\u20295\t6") == "1\n2\n3\n4\n5 6"
    assert printable("a\u202eb\u2066c") == "a\\u202eb\\u2066c"
    assert printable("x\udc80y") == "x\\udc80y"
    vietnamese = "Nguyễn Thị Lan, 12 Lê Lợi — phường 1\nTân An\u00a0(NFD: Tha\u0300nh)"
    assert printable(vietnamese) == vietnamese
    with pytest.raises(InvalidInputError, match="a form prints texts"):
        printable(None)  # type: ignore[arg-type]
    spec = CIRCULAR_03_2025.spec(FormKind.CONTROL_SLIP, "X")
    form = Form(spec=spec, circular="c", issuer=(None,), code="", place_date="", fields=[])  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="a form prints texts"):
        render_text(form)


def test_a_case_whose_texts_hold_line_controls_prints_them_inert() -> None:
    """Free texts may hold carriage returns (they are what people type), and attributes
    bidirectional marks; on a form they become line breaks and visible escapes."""
    case = Case.open(
        judicial_record(), case_id="CC-1\u202e", received_at=at(6, 2), actor="Lan", unit=DESK,
        mode="audit", attributes={"applicant": "Trần Văn\u202e Bình", "place": "Long\rAn"},
    )  # fmt: skip
    case.handover("review", at=at(6, 2, 10), actor="Lan", unit=DESK)
    case.refuse(reason="Đã đủ\rTỪ CHỐI\r\nlý do", at=at(6, 4), actor="Minh", unit=RECORDS)
    for form in (control_slip(case), refusal(case), receipt(case), case_ledger([case])):
        for page in (render_text(form), render_html(form)):
            _shows_nothing_hostile(page)
    text = render_text(refusal(case))
    assert "Trần Văn\\u202e Bình" in text and "TỪ CHỐI" in text


@settings(max_examples=100)
@given(st.text(alphabet=st.characters(codec=None), max_size=40))
def test_any_text_renders_inert(text: str) -> None:
    form = hostile_form(text)
    _shows_nothing_hostile(render_text(form))
    _shows_nothing_hostile(render_html(form))

"""Forms on hostile histories and hostile text: audit histories recorded out of time order or
past the end of the case print what was recorded (never a ``ValueError`` from the layout),
every form entry point refuses what is not a case or an instant with a typed error, and no
control character from the data reaches a terminal; HTML stays escaped."""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.procedures import CLERK, DESK, RECORDS, judicial_record
from tthc_flow.cli import main
from tthc_flow.engine import Case, Event, EventKind
from tthc_flow.errors import (
    CalendarRangeError,
    FormNotApplicableError,
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
    circular_in_force,
    control_slip,
    lead_unit,
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


# ----------------------------------------------------------------------------- bad inputs

BIG = 10**5000  # an int Python refuses to print
_BIG = pytest.param(BIG, id="int-of-5001-digits")


@pytest.mark.parametrize(
    "width", [0, -5, 29, 501, 10**7, _BIG, True, False, 1.5, 80.0, "80", None]
)
def test_render_text_width_is_a_whole_number_in_range(width: object) -> None:
    form = receipt(out_of_order())
    with pytest.raises(InvalidInputError, match=r"^width must be a whole number of characters "
                       r"from 30 to 500, got ") as raised:  # fmt: skip
        render_text(form, width=width)  # type: ignore[arg-type]
    assert raised.value.value is width
    # The range's ends print (headings wider than the width stay whole, centred on it).
    assert "Tiếp nhận hồ sơ của:" in render_text(form, width=30)
    assert max(map(len, render_text(form, width=500).splitlines())) == 500


@pytest.mark.parametrize("wrong", [5, None, "receipt", out_of_order, FormKind.RECEIPT])
def test_renderers_and_lead_unit_refuse_what_is_not_theirs(wrong: object) -> None:
    with pytest.raises(InvalidInputError, match=r"^render_text prints a Form, got "):
        render_text(wrong)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"^render_html prints a Form, got "):
        render_html(wrong)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"^lead_unit reads a Procedure, got "):
        lead_unit(wrong)  # type: ignore[arg-type]


def test_lead_unit_refuses_a_case_for_its_procedure() -> None:
    case = out_of_order()
    with pytest.raises(InvalidInputError, match="lead_unit reads a Procedure") as raised:
        lead_unit(case)  # type: ignore[arg-type]
    assert "case.procedure" in raised.value.hint
    assert lead_unit(case.procedure) == RECORDS


@pytest.mark.parametrize(
    ("circulars", "says"),
    [
        (5, "must be a collection of Circular"),
        ("x", "must be a collection of Circular"),
        ([5], "must be a collection of Circular"),
        ([CIRCULAR_01_2018, "03/2025/TT-VPCP"], "must be a collection of Circular"),
        (CIRCULAR_01_2018, "must be a collection of Circular"),
        ({CIRCULAR_01_2018.code: CIRCULAR_01_2018}, "must be a collection of Circular"),
        (None, "must be a collection of Circular"),
        ([], "is empty"),
        (iter(()), "is empty"),
    ],
)
@pytest.mark.parametrize(
    "build",
    [
        lambda case, circulars: receipt(case, circulars=circulars),
        lambda case, circulars: refusal(past_the_end(), circulars=circulars),
        lambda case, circulars: control_slip(case, circulars=circulars),
        lambda case, circulars: case_ledger([case], circulars=circulars),
        lambda case, circulars: case_ledger([], on=date(2026, 1, 5), circulars=circulars),
        lambda case, circulars: circular_in_force(date(2026, 1, 5), circulars),
    ],
    ids=["receipt", "refusal", "control_slip", "ledger", "empty-ledger", "circular_in_force"],
)
def test_circulars_that_are_not_circulars_are_refused(
    build: Callable[[Case, object], object], circulars: object, says: str
) -> None:
    with pytest.raises(InvalidInputError, match=f"^circulars {says}"):
        build(out_of_order(), circulars)


def test_circular_in_force_reads_a_generator_once() -> None:
    # The earliest circular is named from the circulars given, even when they came as a
    # generator (it was read twice: the message named 31/12/9999).
    with pytest.raises(FormNotApplicableError, match="earliest applies from 21/06/2018"):
        circular_in_force(date(2018, 1, 1), iter([CIRCULAR_03_2025, CIRCULAR_01_2018]))
    assert circular_in_force(date(2026, 1, 5), iter([CIRCULAR_01_2018])) is CIRCULAR_01_2018


@pytest.mark.parametrize(
    "day",
    [
        datetime(2026, 1, 1),
        datetime(2026, 1, 1, 9, tzinfo=VN),
        "2026-01-01",
        20260101,
        None,
        (2026, 1, 1),
    ],
)
def test_circular_in_force_takes_a_date(day: object) -> None:
    with pytest.raises(
        InvalidInputError, match=r"^circular_in_force takes the receipt day as a date, got "
    ) as raised:
        circular_in_force(day)  # type: ignore[arg-type]
    assert "Pass a date" in raised.value.hint
    if isinstance(day, datetime):
        assert "got an instant" in str(raised.value)


def with_attributes(**attributes: object) -> Case:
    """A case whose attributes were never checked: opened before attributes were checked at
    opening, or read from an old journal. The forms are the last guard."""
    case = out_of_order()
    case._attributes = MappingProxyType({**case.attributes, **attributes})
    return case


_EVERY_FORM: dict[str, Callable[[Case], object]] = {
    "receipt": receipt,
    "control_slip": control_slip,
    "ledger": lambda case: case_ledger([case]),
}
_BAD_ATTRIBUTES = [
    ("copies", True, "receipt ledger"),
    ("copies", False, "receipt ledger"),
    ("copies", 1.5, "receipt ledger"),
    ("copies", 2.0, "receipt ledger"),
    ("copies", "3", "receipt ledger"),
    ("copies", 0, "receipt ledger"),
    ("copies", -1, "receipt ledger"),
    ("copies", 2**53, "receipt ledger"),
    ("copies", [1], "receipt ledger"),
    ("applicant", 5, "receipt control_slip ledger"),
    ("applicant", True, "receipt control_slip ledger"),
    ("applicant", ["Nguyễn Văn A"], "receipt control_slip ledger"),
    ("address", {"xã": "Đăk Hà"}, "receipt ledger"),
    ("phone", 912000111, "receipt ledger"),
    ("email", ["a@example.vn"], "receipt"),
    ("deliver_to", 1, "receipt"),
    ("ledger_entry", 12, "receipt"),
    ("place", {"a": 1}, "receipt control_slip"),
    ("dossier_code", ["x"], "receipt control_slip ledger"),
    ("dossier_code", 5, "receipt control_slip ledger"),
    ("documents", "Tờ khai", "receipt"),
    ("documents", [1, 2], "receipt"),
    ("documents", ["Tờ khai", None], "receipt"),
]


@pytest.mark.parametrize(
    ("name", "value", "form"),
    [(n, v, f) for n, v, forms in _BAD_ATTRIBUTES for f in forms.split()],
)
def test_a_form_refuses_an_attribute_of_the_wrong_type_naming_it(
    name: str, value: object, form: str
) -> None:
    case = with_attributes(**{name: value})
    with pytest.raises(
        InvalidInputError, match=rf"^case AUD-1: attributes\.{name} must be "
    ) as raised:
        _EVERY_FORM[form](case)
    assert raised.value.value is value
    assert f'"{name}"' in raised.value.hint


def test_attributes_of_the_right_type_are_printed_as_given() -> None:
    case = with_attributes(copies=2, applicant="Trần Văn Bình", dossier_code="000.00.20.H39-1",
                           documents=["Tờ khai"], place=None)  # fmt: skip
    form = receipt(case)
    assert form.field("2.").value == "2 bộ"
    assert form.field("1.").value == "1. Tờ khai"
    assert form.code == "000.00.20.H39-1"
    assert form.place_date.startswith("……, ngày")
    ledger = case_ledger([case])
    assert ledger.table is not None and ledger.table.rows[0][3] == "2"


@pytest.mark.parametrize("code", [0, 5, _BIG, 1.5, True, b"X-1", ["X-1"], "", "   "])
@pytest.mark.parametrize("build", [receipt, control_slip, refusal])
def test_a_dossier_code_that_is_not_a_text_is_refused_not_replaced(
    build: Callable[..., Form], code: object
) -> None:
    case = past_the_end()
    with pytest.raises(InvalidInputError, match=r"^dossier_code must be the code to print") as e:
        build(case, dossier_code=code)
    assert e.value.value is code
    assert build(case, dossier_code="X-1").code == "X-1"
    assert build(case).code == "AUD-2"  # none given: the case id


def test_a_form_number_too_long_to_print_is_named_by_its_size() -> None:
    with pytest.raises(FormNotApplicableError, match="an int of about 5,000 digits"):
        supplement_request(out_of_order(), number=BIG)


@pytest.mark.parametrize("label", [5, None, _BIG, ("5.",), b"5."])
def test_form_field_looks_up_by_a_text(label: object) -> None:
    form = receipt(out_of_order())
    with pytest.raises(InvalidInputError, match=r"^field\(\) looks a field up by the start"):
        form.field(label)  # type: ignore[arg-type]
    assert form.field("4.").label.startswith("4.")

"""Official forms from cases on real dates: what each form says, which circular lays it out,
refusals of forms a case cannot have, escaping, and the text layout's guarantees.

Every expected instant below was counted by hand on the 2025/2026 calendars (08:00–12:00,
13:00–17:00; Saturday 26/04/2025 worked, 30/04–02/05/2025 closed) and is explained next to it.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.procedures import (
    BOARD,
    CLERK,
    DESK,
    LAND_DESK,
    LAND_OFFICE,
    RECORDS,
    TAX,
    judicial_record,
    land_change,
)
from tthc_flow.engine import Case
from tthc_flow.errors import FormNotApplicableError, InvalidInputError, TthcFlowError
from tthc_flow.forms import (
    BLANK,
    CIRCULAR_01_2018,
    CIRCULAR_03_2025,
    Form,
    FormField,
    FormKind,
    FormTable,
    Page,
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

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


# ----------------------------------------------------------------------------- the cases


def judicial_case() -> Case:
    """A judicial record certificate received on Friday 25/04/2025 at 16:00 (Circular 01/2018):
    supplement, apology by the director's board, result returned on 21/05/2025."""
    case = Case.open(
        judicial_record(), case_id="LLTP-2025-0425-01", received_at=at(2025, 4, 25, 16),
        actor="Nguyễn Thị Lan", unit=DESK,
        attributes={
            "applicant": "Trần Văn Bình", "address": "12 Lê Lợi, phường 1, thành phố Tân An",
            "phone": "0901 234 567", "channel": "in_person", "place": "Long An", "copies": 1,
            "documents": ["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (Mẫu số 03/2013/TT-LLTP)",
                          "Bản chụp Căn cước công dân"],
            "dossier_code": "000.00.20.H39-250425-0001",
        },
    )  # fmt: skip
    case.handover("review", at=at(2025, 4, 26, 9), actor="Nguyễn Thị Lan", unit=DESK)
    case.request_supplement(
        at=at(2025, 4, 28, 10), actor="Lê Minh", unit=RECORDS,
        evidence=["Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ số 12/PYC"],
        note="Bổ sung bản chụp giấy khai sinh của người yêu cầu",
    )  # fmt: skip
    case.receive_supplement(at=at(2025, 5, 5, 14), actor="Nguyễn Thị Lan", unit=DESK)
    case.handover("approve", at=at(2025, 5, 12, 9), actor="Lê Minh", unit=RECORDS)
    case.handover("sign", at=at(2025, 5, 13, 10), actor="Phạm Hùng", unit=RECORDS)
    case.reschedule(
        new_due=at(2025, 5, 21, 16), reason="Giám đốc đi công tác, chưa ký được kết quả",
        at=at(2025, 5, 15, 9), actor="Võ Thanh", unit=BOARD,
    )  # fmt: skip
    case.handover("issue", at=at(2025, 5, 20, 10), actor="Võ Thanh", unit=BOARD)
    case.handover("return", at=at(2025, 5, 20, 15), actor="Đỗ Hoa", unit=CLERK)
    case.resolve(at=at(2025, 5, 21, 9), actor="Nguyễn Thị Lan", unit=DESK)
    case.return_result(at=at(2025, 5, 21, 10), actor="Nguyễn Thị Lan", unit=DESK)
    return case


def judicial_refused() -> Case:
    """A judicial record request received Monday 02/06/2025, refused after review."""
    case = Case.open(
        judicial_record(), case_id="LLTP-2025-0602-07", received_at=at(2025, 6, 2, 8, 30),
        actor="Nguyễn Thị Lan", unit=DESK,
        attributes={"applicant": "Lý Thị Cúc", "channel": "online", "place": "Long An"},
    )  # fmt: skip
    case.handover("review", at=at(2025, 6, 2, 10), actor="Nguyễn Thị Lan", unit=DESK)
    case.refuse(
        reason="Người nộp là người được ủy quyền, nhưng Phiếu lý lịch tư pháp số 2 không được "
        "ủy quyền yêu cầu cấp",
        at=at(2025, 6, 4, 15), actor="Lê Minh", unit=RECORDS,
    )  # fmt: skip
    return case


def land_case() -> Case:
    """A land-right change received Monday 02/03/2026 (Circular 03/2025): supplement,
    apology by the land office, financial obligation paused, returned a working day late."""
    case = Case.open(
        land_change(), case_id="DD-2026-0302-03", received_at=at(2026, 3, 2, 9),
        actor="Hồ Văn Tâm", unit=LAND_DESK,
        attributes={
            "applicant": "Nguyễn Văn An", "address": "Thôn 3, xã Đăk Hà, tỉnh Quảng Ngãi",
            "phone": "0912 000 111", "email": "an.nguyen@example.vn", "channel": "postal",
            "place": "Đăk Hà", "remote_commune": False, "deliver_to": "Qua dịch vụ bưu chính",
            "documents": ["Đơn đăng ký biến động đất đai (Mẫu số 11/ĐK)",
                          "Hợp đồng chuyển nhượng quyền sử dụng đất", "Giấy chứng nhận đã cấp"],
        },
    )  # fmt: skip
    case.handover("office", at=at(2026, 3, 2, 10), actor="Hồ Văn Tâm", unit=LAND_DESK)
    case.request_supplement(
        at=at(2026, 3, 3, 9), actor="Y Blông", unit=LAND_OFFICE,
        evidence=["Phiếu yêu cầu bổ sung số 31/PYC-VPĐK"],
        note="Bản vẽ sơ đồ thửa đất có chữ ký của các hộ giáp ranh",
    )  # fmt: skip
    case.receive_supplement(at=at(2026, 3, 6, 15), actor="Hồ Văn Tâm", unit=LAND_DESK)
    case.reschedule(
        new_due=at(2026, 3, 27, 16), reason="Phải đo đạc lại ranh giới thửa đất",
        at=at(2026, 3, 10, 9), actor="Y Blông", unit=LAND_OFFICE,
    )  # fmt: skip
    case.handover("tax", at=at(2026, 3, 13, 9), actor="Y Blông", unit=LAND_OFFICE)
    case.pause(
        "financial_obligation", at=at(2026, 3, 13, 14), actor="Trần Thuế", unit=TAX,
        evidence=["Thông báo nộp tiền số 123/TB-CCT"],
    )  # fmt: skip
    case.resume(at=at(2026, 3, 20, 9), actor="Trần Thuế", unit=TAX)
    case.handover("return", at=at(2026, 3, 20, 10), actor="Trần Thuế", unit=TAX)
    case.resolve(at=at(2026, 3, 23, 9), actor="Hồ Văn Tâm", unit=LAND_DESK)
    case.return_result(at=at(2026, 3, 23, 10), actor="Hồ Văn Tâm", unit=LAND_DESK)
    return case


def land_refused() -> Case:
    """A land dossier received Wednesday 01/04/2026 and refused at the desk the same day."""
    case = Case.open(
        land_change(), case_id="DD-2026-0401-11", received_at=at(2026, 4, 1, 14),
        actor="Hồ Văn Tâm", unit=LAND_DESK,
        attributes={"applicant": "Công ty TNHH Minh Phát", "channel": "in_person"},
    )  # fmt: skip
    case.refuse(
        reason="Hồ sơ không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã",
        at=at(2026, 4, 1, 15, 30), actor="Hồ Văn Tâm", unit=LAND_DESK,
    )  # fmt: skip
    return case


def land_stopped() -> Case:
    """A land dossier received Monday 11/05/2026, stopped at the applicant's written request."""
    case = Case.open(
        land_change(), case_id="DD-2026-0511-02", received_at=at(2026, 5, 11, 8),
        actor="Hồ Văn Tâm", unit=LAND_DESK,
        attributes={"applicant": "Phan Thị Mai", "channel": "online", "place": "Đăk Hà"},
    )  # fmt: skip
    case.handover("office", at=at(2026, 5, 11, 9), actor="Hồ Văn Tâm", unit=LAND_DESK)
    case.stop(
        reason="Người nộp có văn bản đề nghị dừng giải quyết hồ sơ ngày 12/05/2026",
        at=at(2026, 5, 13, 10), actor="Y Blông", unit=LAND_OFFICE,
    )  # fmt: skip
    return case


# ----------------------------------------------------------------------------- circulars


def test_circular_changes_on_1_july_2025() -> None:
    assert circular_in_force(date(2025, 6, 30)) is CIRCULAR_01_2018
    assert circular_in_force(date(2025, 7, 1)) is CIRCULAR_03_2025
    assert circular_in_force(date(2018, 6, 21)) is CIRCULAR_01_2018
    with pytest.raises(FormNotApplicableError, match="21/06/2018"):
        circular_in_force(date(2018, 6, 20))


def test_2018_numbers_are_verified_and_2025_numbers_say_their_source() -> None:
    numbers = {kind: spec.number for kind, spec in CIRCULAR_01_2018.forms.items()}
    assert numbers == {
        FormKind.RECEIPT: "Mẫu số 01",
        FormKind.SUPPLEMENT_REQUEST: "Mẫu số 02",
        FormKind.REFUSAL: "Mẫu số 03",
        FormKind.APOLOGY: "Mẫu số 04",
        FormKind.CONTROL_SLIP: "Mẫu số 05",
        FormKind.LEDGER: "Mẫu số 06",
    }
    assert all(spec.verified for spec in CIRCULAR_01_2018.forms.values())
    assert not any(spec.verified for spec in CIRCULAR_03_2025.forms.values())
    assert CIRCULAR_03_2025.spec(FormKind.STOP_NOTICE).number == "Mẫu số 05"
    assert CIRCULAR_03_2025.spec(FormKind.CONTROL_SLIP).number == "Mẫu số 06"
    assert CIRCULAR_03_2025.spec(FormKind.LEDGER).number == "Mẫu số 07"
    assert set(CIRCULAR_03_2025.forms) == set(FormKind)
    assert set(CIRCULAR_01_2018.forms) == set(FormKind) - {FormKind.STOP_NOTICE}
    # The 2025 numbering comes from two independent secondary sources: the data says so.
    for spec in CIRCULAR_03_2025.forms.values():
        assert "two independent secondary sources" in spec.source
        assert "not checked against the circular's own text" in spec.source
    assert all(spec.source == "" for spec in CIRCULAR_01_2018.forms.values())
    assert "Phiếu đề nghị gia hạn thời gian giải quyết" in (
        CIRCULAR_03_2025.spec(FormKind.APOLOGY).note
    )
    assert "Art. 21" in CIRCULAR_03_2025.spec(FormKind.STOP_NOTICE).note


def test_titles_per_circular() -> None:
    assert CIRCULAR_01_2018.spec(FormKind.APOLOGY).title == (
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
    )
    assert CIRCULAR_03_2025.spec(FormKind.APOLOGY).title == (
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
    )
    # Under Decree 118/2025 the dossier refused was received: it is not resolved (Art. 19(3),
    # "Phiếu từ chối giải quyết hồ sơ"); the 2018 title keeps "tiếp nhận".
    assert CIRCULAR_03_2025.spec(FormKind.REFUSAL).title == "PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ"
    assert CIRCULAR_01_2018.spec(FormKind.REFUSAL).title == (
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
    )
    assert CIRCULAR_03_2025.spec(FormKind.STOP_NOTICE).title == "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"


def test_a_case_gets_the_layout_of_its_receipt_day() -> None:
    assert receipt(judicial_case()).circular == "01/2018/TT-VPCP"
    assert receipt(land_case()).circular == "03/2025/TT-VPCP"
    # Received on 30/06/2025 at 16:30 the case is still under the 2018 layout.
    late_june = Case.open(
        judicial_record(), case_id="X", received_at=at(2025, 6, 30, 16, 30), actor="Lan",
        unit=DESK,
    )
    assert receipt(late_june).circular == "01/2018/TT-VPCP"
    assert receipt(land_case()).number == "Mẫu số 01 (Thông tư 03/2025/TT-VPCP)"
    assert receipt(judicial_case()).number == "Mẫu số 01 (Thông tư 01/2018/TT-VPCP)"


def _every_printed_form() -> list[tuple[str, str]]:
    """Every form of the hand-built cases of both circulars, in text and in HTML."""
    forms: list[Form] = []
    for main, refused, stopped in (
        (judicial_case(), judicial_refused(), None),
        (land_case(), land_refused(), land_stopped()),
    ):
        forms += [
            receipt(main), supplement_request(main), refusal(refused), apology(main),
            control_slip(main), case_ledger([main, refused, *([stopped] if stopped else [])]),
        ]  # fmt: skip
        if stopped is not None:
            forms.append(stop_notice(stopped))
    assert {(f.circular, f.kind) for f in forms} == {
        *(("01/2018/TT-VPCP", kind) for kind in CIRCULAR_01_2018.forms),
        *(("03/2025/TT-VPCP", kind) for kind in CIRCULAR_03_2025.forms),
    }
    return [
        (f"{form.circular} {form.kind.value} {name}", render(form))
        for form in forms
        for name, render in (("text", render_text), ("html", render_html))
    ]


def test_no_printed_form_carries_a_remark_on_its_sources() -> None:
    # The forms are handed to applicants: whether a number was checked is data, not print.
    for name, printed in _every_printed_form():
        lowered = " ".join(printed.split()).lower()  # a remark wrapped over two lines too
        for remark in ("kiểm chứng", "not verified", "secondary", "not checked"):
            assert remark not in lowered, f"{name} prints {remark!r}"


def test_pages() -> None:
    assert receipt(judicial_case()).spec.page is Page.A5
    assert control_slip(judicial_case()).spec.page is Page.A4
    assert case_ledger([judicial_case()]).spec.page is Page.A4_LANDSCAPE
    assert Page.A4.pixels == (794, 1123)  # 210 mm × 297 mm at 96 px per inch
    assert Page.A5.pixels == (559, 794)


# ----------------------------------------------------------------------------- receipt


def test_receipt_prints_the_due_instant_of_the_receipt_day() -> None:
    form = receipt(judicial_case())
    # 10 working days = 80 h from Fri 25/04 16:00: 1 h that day, 8 h on the make-up Saturday
    # 26/04, 16 h on 28–29/04, then 30/04–04/05 closed, 48 h on 05–12/05, 7 h on 13/05.
    assert form.field("5.").value == "16 giờ 00 phút, ngày 13 tháng 05 năm 2025"
    assert form.field("4.").value == "16 giờ 00 phút, ngày 25 tháng 04 năm 2025"
    assert form.field("3.").value == "10 ngày làm việc"
    assert form.field("2.").value == "1 bộ"
    assert form.field("1.").value.splitlines()[1] == "2. Bản chụp Căn cước công dân"
    assert form.code == "000.00.20.H39-250425-0001"
    assert form.place_date == "Long An, ngày 25 tháng 04 năm 2025"
    assert form.signatures[1].name == "Nguyễn Thị Lan"
    assert form.field("6.").value == BLANK  # not recorded: left to fill in by hand


def test_receipt_of_a_calendar_day_budget_ends_at_24_00_of_the_last_day() -> None:
    from tthc_flow.engine import CalendarDays, Procedure, ProcedureKind, Step, WorkingDays

    proc = Procedure(
        code="X.CD", name="Thủ tục tính theo ngày (minh họa)", version="1",
        kind=ProcedureKind.ONE_STOP, total=CalendarDays(15),
        budget_policy=__import__("tthc_flow").engine.BudgetPolicy.UNCHECKED,
        steps=[
            Step("receive", "Tiếp nhận", DESK, WorkingDays("0.5"), next="return",
                 reception=True),
            Step("return", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
    )  # fmt: skip
    case = Case.open(proc, case_id="CD", received_at=at(2026, 4, 12, 10), actor="Lan", unit=DESK)
    # Civil Code Art. 147–148: day 1 is 13/04, day 15 is 27/04 (a Monday, the holiday for
    # Hùng Kings' day on Sunday 26/04), so the period ends with Tuesday 28/04 at 24:00.
    assert receipt(case).field("5.").value == "24 giờ 00 phút, ngày 28 tháng 04 năm 2026"


# ----------------------------------------------------------------------------- notices


def test_supplement_request_form() -> None:
    form = supplement_request(judicial_case())
    assert form.number == "Mẫu số 02 (Thông tư 01/2018/TT-VPCP)"
    assert form.field("Nội dung yêu cầu bổ sung").value == (
        "Bổ sung bản chụp giấy khai sinh của người yêu cầu"
    )
    assert form.field("Đơn vị yêu cầu").value == RECORDS
    assert form.field("Thời gian yêu cầu").value == "10 giờ 00 phút, ngày 28 tháng 04 năm 2025"
    assert form.signatures[0].name == "Lê Minh"


def test_apology_gives_the_due_before_and_after() -> None:
    form = apology(judicial_case())
    # Before the apology the legal clock had restarted on the complete supplement at
    # Mon 05/05 14:00: 3 h that day, 32 h on 06–09/05, 40 h on 12–16/05, 5 h on 19/05.
    assert form.field("Thời gian hẹn trả kết quả").value == (
        "14 giờ 00 phút, ngày 19 tháng 05 năm 2025"
    )
    assert form.field("Thời gian hẹn trả kết quả mới").value == (
        "16 giờ 00 phút, ngày 21 tháng 05 năm 2025"
    )
    assert form.field("Đơn vị chậm").value == BOARD
    land = apology(land_case())
    # Restarted at Fri 06/03/2026 15:00: 2 h, 40 h on 09–13/03, 32 h on 16–19/03, 6 h on 20/03.
    assert land.field("Thời gian hẹn trả kết quả").value == (
        "15 giờ 00 phút, ngày 20 tháng 03 năm 2026"
    )
    assert land.number == "Mẫu số 04 (Thông tư 03/2025/TT-VPCP)"


def test_2018_apology_gives_a_new_date() -> None:
    form = apology(judicial_case())
    assert form.title == "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
    assert form.field("Lý do chậm trả kết quả").value == (
        "Giám đốc đi công tác, chưa ký được kết quả"
    )
    assert "đề nghị gia hạn" not in render_text(form)


def test_2025_apology_asks_for_an_extension_with_reason_and_proposed_date() -> None:
    form = apology(land_case())
    assert form.title == "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
    assert form.field("Lý do quá hạn").value == (
        "Phải đo đạc lại ranh giới thửa đất"
    )
    assert form.field("Thời gian đề nghị gia hạn trả kết quả").value == (
        "16 giờ 00 phút, ngày 27 tháng 03 năm 2026"
    )
    assert form.field("Đơn vị đề nghị gia hạn").value == LAND_OFFICE
    assert form.signatures[0].name == "Y Blông"
    text = render_text(form)
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert "xin lỗi ông/bà" in text and "đề nghị gia hạn thời gian giải quyết" in text
    assert "PHIẾU XIN LỖI" not in text
    page = render_html(form)
    assert "<h1>VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT</h1>" in page
    assert "Phải đo đạc lại ranh giới thửa đất" in page


def test_refusal_form() -> None:
    form = refusal(judicial_refused())
    assert form.field("Lý do").value.startswith("Người nộp là người được ủy quyền")
    assert form.field("Thời gian từ chối").value == "15 giờ 00 phút, ngày 04 tháng 06 năm 2025"
    assert form.number == "Mẫu số 03 (Thông tư 01/2018/TT-VPCP)"


@pytest.mark.parametrize(
    ("build", "form"),
    [
        (supplement_request, "supplement_request"),
        (refusal, "refusal"),
        (apology, "apology"),
    ],
)
def test_a_form_the_case_cannot_have_is_refused(build: object, form: str) -> None:
    case = judicial_refused() if form != "refusal" else judicial_case()
    with pytest.raises(FormNotApplicableError) as raised:
        build(case)  # type: ignore[operator]
    assert raised.value.form == form
    assert raised.value.case_id == case.case_id
    assert "has none" in str(raised.value)
    assert isinstance(raised.value, ValueError) and isinstance(raised.value, TthcFlowError)


def test_stop_notice_exists_from_july_2025_for_stopped_cases() -> None:
    form = stop_notice(land_stopped())
    assert form.number == "Mẫu số 05 (Thông tư 03/2025/TT-VPCP)"
    assert form.title == "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"
    assert form.field("Đề nghị của người nộp").value == (
        "Người nộp có văn bản đề nghị dừng giải quyết hồ sơ ngày 12/05/2026"
    )
    assert "Theo đề nghị của ông/bà" in render_text(form)
    assert form.field("Thời gian dừng").value == "10 giờ 00 phút, ngày 13 tháng 05 năm 2026"
    with pytest.raises(FormNotApplicableError, match="Circular 01/2018/TT-VPCP, which has no"):
        stop_notice(judicial_case())
    with pytest.raises(FormNotApplicableError, match="was not stopped"):
        stop_notice(land_case())


def test_a_second_supplement_request_form_exists_only_when_there_was_one() -> None:
    with pytest.raises(FormNotApplicableError, match="it has 1"):
        supplement_request(judicial_case(), number=2)
    with pytest.raises(FormNotApplicableError):
        supplement_request(judicial_case(), number=0)


# ----------------------------------------------------------------------------- slip


def _results(form: Form) -> list[str]:
    assert form.table is not None
    return [row[3].splitlines()[0] for row in form.table.rows]


def test_control_slip_traces_the_delay_to_the_board() -> None:
    form = control_slip(judicial_case())
    assert form.table is not None
    assert [row[1].splitlines()[0] for row in form.table.rows] == [
        DESK, RECORDS, RECORDS, BOARD, CLERK, DESK,
    ]  # fmt: skip
    # Step dues by hand: receive 26/04 11:00 (handed 09:00), review 12/05 12:00 (the
    # supplement wait excluded; handed 09:00), approve 13/05 14:00 (handed 10:00), sign
    # 14/05 10:00 (handed 20/05: late, the apology does not extend a step), issue 20/05
    # 15:00 (handed 15:00 sharp), return 21/05 10:00 (returned 10:00 sharp).
    assert _results(form) == [
        "đúng hạn", "đúng hạn", "đúng hạn",
        "quá hạn", "đúng hạn", "đúng hạn",
    ]  # fmt: skip
    assert "Hạn: 10:00 14/05/2025" in form.table.rows[3][3]
    assert "Hạn: 12:00 12/05/2025" in form.table.rows[1][3]
    assert "Xin lỗi và hẹn lại" in form.table.rows[3][4]
    assert "hẹn mới 16:00 21/05/2025" in form.table.rows[3][4]
    assert "Giao: 10:00 20/05/2025" in form.table.rows[3][2]
    assert "Trả kết quả cho người nộp: 10:00 21/05/2025" in (
        form.table.rows[5][2]
    )
    # 4 working hours 16:00 Fri → 09:00 Sat used on the first step: 1 h + 1 h.
    assert "Đã dùng: 2 giờ làm việc" in form.table.rows[0][3]


def test_control_slip_of_the_land_case() -> None:
    form = control_slip(land_case())
    # receive due 02/03 14:00 (handed 10:00); office 8 days from 02/03 10:00, 7 h used before
    # the supplement, 57 h from 06/03 15:00 → 17/03 16:00 (handed 13/03: early); tax 1 day,
    # 4 h used before the financial obligation, 4 h from 20/03 09:00 → 14:00 over the lunch
    # break (handed 10:00);
    # return 4 h from 20/03 10:00 → 15:00, returned Monday 23/03 10:00: the desk was late.
    assert _results(form) == [
        "đúng hạn", "trước hạn", "đúng hạn", "quá hạn",
    ]  # fmt: skip
    assert form.table is not None
    assert "Hạn: 16:00 17/03/2026" in form.table.rows[1][3]
    assert "Hạn: 14:00 20/03/2026" in form.table.rows[2][3]
    assert "financial_obligation" in form.table.rows[2][4]
    assert form.number.startswith("Mẫu số 06 (Thông tư 03/2025/TT-VPCP")


def test_control_slip_mid_way_shows_the_current_unit_in_progress() -> None:
    case = judicial_case()
    form = control_slip(case, at=at(2025, 5, 14, 12))
    assert form.table is not None
    assert len(form.table.rows) == 4  # receive, review, approve, sign (still held)
    assert "Đang giữ hồ sơ" in form.table.rows[3][2]
    # Sign's due was 14/05 10:00, so at 12:00 it is in progress and overdue.
    assert _results(form)[3] == "đang giải quyết, quá hạn"
    assert "đang xử lý" in form.field("Tình trạng tại").value


def test_control_slip_rework_has_a_row_per_visit() -> None:
    case = Case.open(
        judicial_record(), case_id="RW", received_at=at(2026, 3, 2, 8), actor="Lan", unit=DESK
    )
    case.handover("review", at=at(2026, 3, 2, 9), actor="Lan", unit=DESK)
    case.handover("approve", at=at(2026, 3, 4, 9), actor="Minh", unit=RECORDS,
                  role="chuyên viên")  # fmt: skip
    case.send_back("review", at=at(2026, 3, 4, 14), actor="Hùng", unit=RECORDS,
                   reason="Thiếu kết quả tra cứu tại Công an tỉnh")  # fmt: skip
    case.handover("approve", at=at(2026, 3, 5, 10), actor="Minh", unit=RECORDS)
    form = control_slip(case)
    assert form.table is not None
    steps = [row[1].splitlines()[1] for row in form.table.rows]
    assert steps == [
        "Tiếp nhận hồ sơ", "Thẩm định, tra cứu", "Lãnh đạo phòng xem xét",
        "Thẩm định, tra cứu", "Lãnh đạo phòng xem xét",
    ]  # fmt: skip
    assert "Trả lại: 14:00 04/03/2026" in form.table.rows[2][2]
    assert "Thiếu kết quả tra cứu tại Công an tỉnh" in form.table.rows[2][4]
    # The rework visit 14:00 04/03 → 10:00 05/03 used 3 h + 2 h of its own 6 days.
    assert "Đã dùng: 5 giờ làm việc" in form.table.rows[3][3]
    assert "Đang giữ hồ sơ" in form.table.rows[4][2]


def test_control_slip_of_a_case_refused_at_the_desk_has_one_row() -> None:
    form = control_slip(land_refused())
    assert form.table is not None
    assert len(form.table.rows) == 1
    assert "Từ chối giải quyết: 15:30 01/04/2026" in form.table.rows[0][2]


# ----------------------------------------------------------------------------- ledger


def test_ledger_one_row_per_case() -> None:
    form = case_ledger([judicial_case(), judicial_refused()])
    assert form.table is not None
    assert [row[0] for row in form.table.rows] == ["1", "2"]
    first, second = form.table.rows
    assert first[1] == "000.00.20.H39-250425-0001"
    assert second[1] == "LLTP-2025-0602-07"
    assert first[6] == RECORDS  # 7.5 of its 10 days are the records division's
    assert first[8] == "16:00\n13/05/2025"
    assert first[11] == "10:00\n21/05/2025"
    assert "Từ chối 15:00 04/06/2025" in second[12]
    assert form.circular == "01/2018/TT-VPCP"  # the latest receipt day is 02/06/2025
    later = case_ledger([judicial_case()], on=date(2025, 7, 1))
    assert later.circular == "03/2025/TT-VPCP"


def test_empty_ledger_needs_a_date() -> None:
    with pytest.raises(InvalidInputError, match="on="):
        case_ledger([])
    form = case_ledger([], on=date(2026, 1, 5))
    assert form.table is not None and form.table.rows == ()
    assert "Không có dòng nào" in render_html(form)


def test_lead_unit() -> None:
    assert lead_unit(judicial_record()) == RECORDS
    assert lead_unit(land_change()) == LAND_OFFICE
    # A tie (1 + 1 working days each) goes to the unit met first in step order.
    from tthc_flow.engine import Procedure, ProcedureKind, Step, WorkingDays

    tie = Procedure(
        code="X.TIE", name="Thủ tục minh họa", version="1", kind=ProcedureKind.ONE_STOP,
        total=WorkingDays(3),
        steps=[
            Step("receive", "Tiếp nhận", DESK, WorkingDays("0.5"), next="a", reception=True),
            Step("a", "Thẩm định", BOARD, WorkingDays(1), next="b"),
            Step("b", "Phối hợp", RECORDS, WorkingDays(1), next="return"),
            Step("return", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
    )  # fmt: skip
    assert lead_unit(tie) == BOARD


def test_durations_in_the_unit_of_the_budget() -> None:
    from datetime import timedelta

    from tthc_flow.engine import CalendarDays, SameWorkingDay, WorkingDays
    from tthc_flow.forms._common import duration_vi

    day = WorkingDays(1)
    assert duration_vi(timedelta(hours=9, minutes=30), day) == "1 ngày 1 giờ 30 phút làm việc"
    assert duration_vi(timedelta(0), day) == "0 phút làm việc"
    assert duration_vi(timedelta(minutes=59, seconds=59), day) == "59 phút làm việc"
    assert duration_vi(timedelta(hours=-2), day) == "−2 giờ làm việc"
    assert duration_vi(timedelta(days=1, hours=2), CalendarDays(15)) == "1 ngày 2 giờ"
    # A same-working-day clock counts working time too.
    assert duration_vi(timedelta(hours=9), SameWorkingDay()) == "1 ngày 1 giờ làm việc"


@pytest.mark.parametrize(
    "build",
    [receipt, supplement_request, refusal, apology, stop_notice, control_slip,
     lambda c: case_ledger([c])],
)  # fmt: skip
def test_a_case_not_received_has_no_forms(build: object) -> None:
    case = Case(judicial_record(), case_id="CHUA-NHAN")
    with pytest.raises(FormNotApplicableError) as raised:
        build(case)  # type: ignore[operator]
    assert raised.value.case_id == "CHUA-NHAN"


def test_instants_must_be_aware_and_ledger_dates_days() -> None:
    from tthc_flow.errors import NaiveDatetimeError

    with pytest.raises(NaiveDatetimeError):
        control_slip(judicial_case(), at=datetime(2025, 5, 14, 12))
    with pytest.raises(InvalidInputError, match="a ledger is dated by a day"):
        case_ledger([judicial_case()], on=at(2025, 7, 1))


def test_a_case_before_every_circular_is_named() -> None:
    with pytest.raises(FormNotApplicableError, match="case LLTP-2025-0425-01: no circular"):
        receipt(judicial_case(), circulars=[CIRCULAR_03_2025])


# ----------------------------------------------------------------------------- no due date

WAITING = "Chưa có, sẽ xác định khi nhận đủ hồ sơ"
NEVER_COMPLETED = "Không có, hồ sơ chưa được bổ sung đầy đủ"


def land_awaiting() -> Case:
    """A land dossier received Monday 02/03/2026 at 09:00; the land office asks for a
    supplement on Tuesday 03/03 at 09:00 and the applicant has not answered."""
    case = Case.open(
        land_change(), case_id="DD-2026-0302-09", received_at=at(2026, 3, 2, 9),
        actor="Hồ Văn Tâm", unit=LAND_DESK,
        attributes={"applicant": "Lê Thị Hạnh", "channel": "in_person", "place": "Đăk Hà"},
    )  # fmt: skip
    case.handover("office", at=at(2026, 3, 2, 10), actor="Hồ Văn Tâm", unit=LAND_DESK)
    case.request_supplement(
        at=at(2026, 3, 3, 9), actor="Y Blông", unit=LAND_OFFICE,
        evidence=["Phiếu yêu cầu bổ sung số 40/PYC-VPĐK"], note="Bản vẽ sơ đồ thửa đất",
    )  # fmt: skip
    return case


def land_closed() -> Case:
    """:func:`land_awaiting`, closed by the desk on Monday 23/03/2026 at 09:00: the 15 days
    after the notice of 03/03 run from 04/03 to 18/03, so the dossier may be closed from
    19/03 (Decree 118/2025 Art. 19(5))."""
    case = land_awaiting()
    case.close(
        at=at(2026, 3, 23, 9), actor="Hồ Văn Tâm", unit=LAND_DESK,
        reason="Quá 15 ngày kể từ ngày thông báo, người nộp không bổ sung hồ sơ",
    )  # fmt: skip
    return case


def test_slip_of_a_case_awaiting_the_applicant_prints_no_due_date() -> None:
    form = control_slip(land_awaiting())
    # The supplement request voids the due: the time restarts once the dossier is complete.
    assert form.field("Thời gian hẹn trả kết quả").value == WAITING
    assert form.table is not None
    office = form.table.rows[1]
    assert office[1].splitlines()[0] == LAND_OFFICE
    assert office[3].splitlines() == [
        "đang giải quyết, trong hạn",
        "Thời hạn: 8 ngày làm việc",
        "Đã dùng: 7 giờ làm việc",  # 10:00–12:00 and 13:00–17:00 on 02/03, 08:00–09:00
        f"Hạn: {WAITING}",
    ]
    assert "chờ bổ sung hồ sơ" in form.field("Tình trạng tại").value


def test_slip_printed_during_the_2018_wait_prints_no_due_date() -> None:
    # The judicial case awaited its supplement from 28/04/2025 10:00 to 05/05/2025 14:00.
    form = control_slip(judicial_case(), at=at(2025, 5, 2, 10))
    assert form.circular == "01/2018/TT-VPCP"
    assert form.field("Thời gian hẹn trả kết quả").value == WAITING
    assert form.table is not None
    assert form.table.rows[1][3].splitlines()[-1] == f"Hạn: {WAITING}"
    assert "Đang giữ hồ sơ" in form.table.rows[1][2]


def test_ledger_of_a_case_awaiting_the_applicant_prints_no_due_date() -> None:
    form = case_ledger([land_awaiting()])
    assert form.table is not None
    (row,) = form.table.rows
    assert row[8] == WAITING
    assert row[12] == "Thời hạn chung: đang giải quyết, trong hạn"
    assert WAITING in " ".join(render_text(form).split())  # wrapped in its column
    assert WAITING in render_html(form)


def test_ledger_row_of_a_closed_case_says_it_was_closed() -> None:
    form = case_ledger([land_case(), land_closed()])
    assert form.table is not None
    closed = form.table.rows[1]
    assert closed[1] == "DD-2026-0302-09"
    assert closed[8] == NEVER_COMPLETED
    assert closed[11] == ""  # nothing returned
    assert closed[12].splitlines() == [
        "Thời hạn chung: đóng hồ sơ do không bổ sung",
        "Đóng hồ sơ 09:00 23/03/2026",
        "Quá 15 ngày kể từ ngày thông báo, người nộp không bổ sung hồ sơ",
    ]
    assert "Đóng hồ sơ 09:00 23/03/2026" in render_text(form)


def test_slip_of_a_closed_case_ends_with_the_closure() -> None:
    form = control_slip(land_closed())
    assert form.field("Thời gian hẹn trả kết quả").value == NEVER_COMPLETED
    assert form.table is not None
    assert len(form.table.rows) == 2
    assert form.table.rows[1][2].splitlines()[1:] == [
        "Đóng hồ sơ: 09:00 23/03/2026",
        "Người thực hiện: Hồ Văn Tâm",
    ]
    assert "đóng hồ sơ do không bổ sung" in form.field("Tình trạng tại").value


def test_a_same_working_day_step_on_the_slip() -> None:
    from tthc_flow.engine import Procedure, ProcedureKind, Step, WorkingDays

    proc = Procedure(
        code="X.0", name="Thủ tục minh họa", version="1", kind=ProcedureKind.ONE_STOP,
        total=WorkingDays(3),
        steps=[
            Step("receive", "Tiếp nhận", DESK, WorkingDays(0), next="review", reception=True),
            Step("review", "Thẩm định", RECORDS, WorkingDays(3), next="return"),
            Step("return", "Trả kết quả", DESK, WorkingDays(0), returns=True),
        ],
    )  # fmt: skip
    case = Case.open(proc, case_id="CUNG-NGAY", received_at=at(2026, 3, 2, 15, 30),
                     actor="Lan", unit=DESK)  # fmt: skip
    case.handover("review", at=at(2026, 3, 3, 8, 30), actor="Lan", unit=DESK)
    form = control_slip(case)
    assert form.table is not None
    # Received after 15:00: due at the end of the first working hour of Tuesday 03/03
    # (Decree 118/2025 Art. 18(2)); used 15:30–17:00 and 08:00–08:30.
    assert form.table.rows[0][3].splitlines() == [
        "đúng hạn",
        "Thời hạn: trong ngày làm việc",
        "Đã dùng: 2 giờ làm việc",
        "Hạn: 09:00 03/03/2026",
    ]


# ----------------------------------------------------------------------------- rendering


def test_html_escapes_case_text() -> None:
    case = Case.open(
        judicial_record(), case_id="<b>&", received_at=at(2026, 3, 2, 9), actor="<script>",
        unit=DESK, attributes={"applicant": 'O"Brien <img src=x onerror=alert(1)>'},
    )  # fmt: skip
    page = render_html(receipt(case))
    assert "<script>" not in page and "<img" not in page and "<b>&" not in page
    assert "O&quot;Brien &lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;&amp;" in page
    assert "@page { size: A5 portrait;" in page


@pytest.mark.parametrize(
    "build", [receipt, supplement_request, apology, control_slip, lambda c: case_ledger([c])]
)
def test_html_is_one_self_contained_page(build: object) -> None:
    page = render_html(build(judicial_case()))  # type: ignore[operator]
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    for outside in ("http:", "https:", "<link", "<script", "<img", "url(", "@import"):
        assert outside not in page
    assert page.count("@page") == 1 and '<meta charset="utf-8">' in page


def test_table_rows_must_fit_the_columns() -> None:
    with pytest.raises(InvalidInputError, match="row 1 has 1 cells for 2 columns"):
        FormTable(("a", "b"), [("x",)])


_words = st.text(
    alphabet=st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạ ỳý0123456789,.;\n"),
    min_size=0,
    max_size=300,
)


@settings(max_examples=40)
@given(values=st.lists(_words, min_size=1, max_size=6), cells=st.lists(_words, min_size=4,
                                                                          max_size=4))
def test_text_keeps_every_word_and_lines_within_width(values: list[str], cells: list[str]) -> None:
    form = control_slip(judicial_case())
    form = Form(
        spec=form.spec, circular=form.circular, issuer=form.issuer, code=form.code,
        place_date=form.place_date,
        fields=[FormField(f"Nhãn {n}", v) for n, v in enumerate(values)],
        table=FormTable(("TT", "A", "B", "C", "D"), [("1", *cells)]),
    )  # fmt: skip
    text = render_text(form, width=60)
    for line in text.splitlines():
        # A word longer than the width stays whole (never cut), alone on its line.
        assert len(line) <= 60 or " " not in line.strip()
    expected = " ".join(" ".join([*values, *cells]).split())
    printed = " ".join(text.split())
    for word in expected.split():
        assert word in printed

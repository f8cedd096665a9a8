"""The papers of a case under Decree 118/2025/NĐ-CP (received from 1 July 2025) use the decree's
wording, read from its text (../shared/docs/law/decree-118-2025.txt), and a case under the
older rules keeps the older wording:

- the refusal after receipt is the "Phiếu từ chối giải quyết hồ sơ" that says the dossier is
  not resolved and cites Art. 19(3);
- the supplement request reaches the applicant through the one-stop desk (Art. 5(1)(e),
  Art. 19(5)): the desk issues it and is the contact;
- the receipt's footnotes name the desk "Bộ phận Một cửa";
- the control slip prints each rule an imported event broke as its code and the articles it
  cites, in Vietnamese: no engine message in English, no remark on secondary sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import pytest

from tests.procedures import DESK, LAND_DESK, LAND_OFFICE, RECORDS, judicial_record, land_change
from tests.test_forms import (
    at,
    judicial_case,
    judicial_refused,
    land_case,
    land_refused,
)
from tthc_flow.engine import Case, Procedure
from tthc_flow.errors import RuleViolationError
from tthc_flow.forms import Form, control_slip, receipt, refusal, render_html, render_text
from tthc_flow.forms import supplement_request as supplement
from tthc_flow.forms._citations import cited_articles
from tthc_flow.forms._notices import RECEIPT_NOTES, RECEIPT_NOTES_2025

OLD_DESK_NAME = "Bộ phận tiếp nhận và trả kết quả"


def _flat(form: Form) -> str:
    """The printed text of ``form`` on one line (a phrase wrapped over two lines too)."""
    return " ".join(render_text(form).split())


# ----------------------------------------------------------------------------- refusal


@pytest.mark.parametrize(
    ("build", "title", "says", "never"),
    [
        pytest.param(
            land_refused, "PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ",
            ("không giải quyết hồ sơ này", "Căn cứ Điều 19 khoản 3 Nghị định 118/2025/NĐ-CP"),
            ("TIẾP NHẬN GIẢI QUYẾT", "không tiếp nhận"),
            id="decree-118",
        ),
        pytest.param(
            judicial_refused, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
            ("không tiếp nhận, giải quyết hồ sơ này",),
            ("Điều 19 khoản 3", "118/2025"),
            id="circular-01-2018",
        ),
    ],
)  # fmt: skip
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_refusal_after_receipt_says_the_dossier_is_not_resolved_under_decree_118(
    build: Callable[[], Case], title: str, says: tuple[str, ...], never: tuple[str, ...],
    language: str,
) -> None:  # fmt: skip
    form = refusal(build(), language=language)
    assert form.title == title
    for printed in (_flat(form), " ".join(render_html(form).split())):
        assert title in printed
        for phrase in says:
            assert phrase in printed, phrase
        for phrase in never:
            assert phrase not in printed, phrase


# ----------------------------------------------------------------------------- supplement


def test_a_supplement_request_under_decree_118_is_issued_by_the_desk_and_names_it() -> None:
    # The land office asked after appraisal: it returns the dossier to the desk, which sends
    # the request to the applicant (Art. 19(5)); no officer asks "không thông qua Bộ phận
    # Một cửa" (Art. 5(1)(e)).
    form = supplement(land_case())
    assert form.issuer == (LAND_DESK.upper(),)
    assert form.field("Đơn vị yêu cầu").value == LAND_OFFICE  # who asked is still named
    paragraphs = [f.value for f in form.fields if not f.label]
    assert paragraphs == [
        f"Căn cứ Điều 19 khoản 5 Nghị định 118/2025/NĐ-CP, {LAND_DESK} đề nghị ông/bà bổ "
        f"sung, hoàn thiện hồ sơ theo thông báo của {LAND_OFFICE}, với nội dung cụ thể như "
        "sau:",
        "Trong quá trình bổ sung, hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ "
        f"{LAND_DESK} để được hướng dẫn.",
    ]
    # The desk's officer signs by hand: the land office's officer does not sign the desk's
    # paper.
    assert [s.name for s in form.signatures] == [""]
    assert LAND_OFFICE.upper() not in render_text(form)


def test_a_supplement_request_under_the_older_rules_is_unchanged() -> None:
    form = supplement(judicial_case())
    assert form.issuer[-1] == RECORDS.upper()
    assert [f.value for f in form.fields if not f.label] == [
        "Trong quá trình bổ sung, hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ "
        f"{RECORDS} để được hướng dẫn.",
    ]
    assert [s.name for s in form.signatures] == ["Lê Minh"]
    assert "Căn cứ" not in _flat(form).replace("Căn cứ, tài liệu kèm theo", "")


@pytest.mark.parametrize(
    ("channel", "article"),
    [
        ("online", "Điều 17 khoản 2 điểm a"),
        ("in_person", "Điều 17 khoản 1 điểm c"),
        ("postal", "Điều 17 khoản 1 điểm c"),
        (None, "Điều 17"),
    ],
)
def test_the_desks_own_supplement_request_cites_article_17_and_is_signed(
    channel: str | None, article: str
) -> None:
    attributes = {"applicant": "Phan Thị Mai"} | ({"channel": channel} if channel else {})
    case = Case.open(
        land_change(), case_id="DD-S", received_at=at(2026, 3, 2, 9), actor="Hồ Văn Tâm",
        unit=LAND_DESK, attributes=attributes,
    )  # fmt: skip
    case.request_supplement(
        at=at(2026, 3, 2, 10), actor="Hồ Văn Tâm", unit=LAND_DESK, evidence=["Phiếu số 1"],
        note="Thiếu tờ khai",
    )  # fmt: skip
    form = supplement(case)
    assert form.fields[5].value == (
        f"Căn cứ {article} Nghị định 118/2025/NĐ-CP, {LAND_DESK} đề nghị ông/bà bổ sung, hoàn "
        "thiện hồ sơ với nội dung cụ thể như sau:"
    )
    assert form.issuer == (LAND_DESK.upper(),)
    assert [s.name for s in form.signatures] == ["Hồ Văn Tâm"]


def test_a_request_the_desk_records_after_the_handover_is_the_agencys_return() -> None:
    # The engine counts a request by the step the case is at: after the reception step it is
    # the competent agency's return (Art. 19(5)), whoever records it; the paper says so too,
    # naming the unit holding the case, and the agency's own return is then the second.
    case = Case.open(land_change(), case_id="DD-R", received_at=at(2026, 3, 2, 9),
                     actor="Hồ Văn Tâm", unit=LAND_DESK, attributes={"channel": "in_person"})
    case.handover("office", at=at(2026, 3, 2, 10), actor="Hồ Văn Tâm", unit=LAND_DESK)
    case.request_supplement(at=at(2026, 3, 2, 11), actor="Hồ Văn Tâm", unit=LAND_DESK,
                            evidence=["Phiếu số 1"], note="Thiếu bản vẽ")  # fmt: skip
    form = supplement(case)
    assert form.fields[5].value == (
        f"Căn cứ Điều 19 khoản 5 Nghị định 118/2025/NĐ-CP, {LAND_DESK} đề nghị ông/bà bổ "
        f"sung, hoàn thiện hồ sơ theo thông báo của {LAND_OFFICE}, với nội dung cụ thể như sau:"
    )
    case.receive_supplement(at=at(2026, 3, 3, 9), actor="Hồ Văn Tâm", unit=LAND_DESK)
    with pytest.raises(RuleViolationError) as raised:
        case.request_supplement(at=at(2026, 3, 3, 10), actor="Chuyên viên", unit=LAND_OFFICE,
                                evidence=["Phiếu số 2"])  # fmt: skip
    assert raised.value.rule == "supplement.max_times"


# ----------------------------------------------------------------------------- receipt


@pytest.mark.parametrize(
    ("build", "notes", "desk_name", "other_name"),
    [
        (land_case, RECEIPT_NOTES_2025, "Bộ phận Một cửa", OLD_DESK_NAME),
        (judicial_case, RECEIPT_NOTES, OLD_DESK_NAME, "Bộ phận Một cửa"),
    ],
    ids=["decree-118", "circular-01-2018"],
)
def test_the_receipt_footnotes_name_the_desk_as_the_cases_decree_does(
    build: Callable[[], Case], notes: tuple[str, str], desk_name: str, other_name: str
) -> None:
    form = receipt(build())
    assert form.notes == notes
    assert all(desk_name in note and other_name not in note for note in form.notes)


# ----------------------------------------------------------------------------- slip


def _violations(form: Form) -> list[str]:
    assert form.table is not None
    return [
        line for row in form.table.rows for line in row[4].splitlines() if "Vi phạm" in line
    ]


_PRINTED_VIOLATION = re.compile(r"Vi phạm \[[a-z_.]+\]( \((Nghị định|Luật)[^()]*\))?")
# What the engine's messages and the citations' remarks say, and no paper may.
_NEVER = ("secondary", "nguồn thứ cấp", "indicator", "Quyết định 766", "per case", " the ")


def _audit_case(received: datetime, desk: str, unit: str, procedure: Callable[[], Procedure],
                first: str) -> Case:  # fmt: skip
    """Received, handed to ``first``, then two supplement requests by ``unit``, the second a
    week later: an imported history that breaks the supplement rules."""
    case = Case.open(procedure(), case_id="AUD-S", received_at=received, actor="Lan",
                     unit=desk, mode="audit", attributes={"channel": "in_person"})  # fmt: skip
    day = received.replace(hour=10)
    case.handover(first, at=day, actor="Lan", unit=desk)
    for offset, note in ((1, "Bổ sung lần 1"), (7, "Bổ sung lần 2")):
        asked = day.replace(day=day.day + offset)
        case.request_supplement(at=asked, actor="Minh", unit=unit, evidence=["Phiếu"], note=note)
        case.receive_supplement(at=asked.replace(hour=15), actor="Lan", unit=desk)
    return case


@pytest.mark.parametrize(
    ("case", "cites"),
    [
        pytest.param(
            lambda: _audit_case(at(2026, 3, 2, 9), LAND_DESK, LAND_OFFICE, land_change,
                                "office"),
            True, id="decree-118",
        ),
        pytest.param(
            lambda: _audit_case(at(2025, 6, 2, 9), DESK, RECORDS, judicial_record, "review"),
            False, id="decree-61-from-secondary-sources",
        ),
    ],
)  # fmt: skip
def test_the_slip_prints_a_violation_as_its_rule_and_articles_only(
    case: Callable[[], Case], cites: bool
) -> None:
    built = case()
    assert any(e.violations for e in built.events)  # the history breaks a rule of law
    form = control_slip(built)
    printed = _violations(form)
    assert printed
    for line in printed:
        assert _PRINTED_VIOLATION.fullmatch(line), line
        for remark in _NEVER:
            assert remark not in line, line
    # Decree 118's articles are cited from its text; Decree 61/2018's were taken from secondary
    # sources, so only the rule's code is printed.
    assert any("(Nghị định 118/2025/NĐ-CP, Điều " in line for line in printed) is cites
    page = " ".join(render_text(form).split())
    for remark in _NEVER[:4]:
        assert remark not in page


@pytest.mark.parametrize(
    ("citation", "cited"),
    [
        ("", ""),
        # Decree 118's supplement rule: the articles, not the quotes, not the portal indicator
        # known from a secondary source.
        (
            "Nghị định 118/2025/NĐ-CP: chỉ yêu cầu bổ sung một lần (Điều 11 khoản 2 điểm c; "
            "Điều 16 khoản 3; Điều 17 khoản 1 điểm c, khoản 2 điểm a); sau thẩm định, thời "
            "hạn giải quyết được tính lại từ đầu (Điều 19 khoản 5); indicator: Quyết định "
            "766/QĐ-TTg (2022), cách tính chỉ số, theo nguồn thứ cấp (secondary source)",
            "Nghị định 118/2025/NĐ-CP, Điều 11 khoản 2 điểm c; Điều 16 khoản 3; Điều 17 khoản 1 "
            "điểm c, khoản 2 điểm a; Điều 19 khoản 5",
        ),
        (
            "Nghị định 118/2025/NĐ-CP, Điều 19 khoản 4 điểm b, c: văn bản lấy ý kiến nêu rõ "
            "nội dung, thời hạn",
            "Nghị định 118/2025/NĐ-CP, Điều 19 khoản 4 điểm b, c",
        ),
        (
            "Nghị định 118/2025/NĐ-CP, Điều 18 khoản 2 (chuyển trong ngày; sau 15 giờ: đầu "
            "giờ hôm sau). 'Đầu giờ' is read as the first working hour.",
            "Nghị định 118/2025/NĐ-CP, Điều 18 khoản 2",
        ),
        # A document named in brackets does not take the articles; a clause with no document
        # cites the first one.
        (
            "Nghị định 118/2025/NĐ-CP (sửa đổi bởi Nghị định 367/2025/NĐ-CP); Thông tư "
            "03/2025/TT-VPCP; thời hạn tính từ khi tiếp nhận (Điều 17 khoản 3)",
            "Nghị định 118/2025/NĐ-CP, Điều 17 khoản 3",
        ),
        # A part from a secondary source is left out, articles and all.
        (
            "Nghị định 118/2025/NĐ-CP, Điều 19 khoản 6: xin lỗi; hẹn lại một lần. Đơn vị gây "
            "chậm: Nghị định 61/2018/NĐ-CP, Điều 12 khoản 5 (theo nguồn thứ cấp (secondary "
            "source))",
            "Nghị định 118/2025/NĐ-CP, Điều 19 khoản 6",
        ),
        ("Nghị định 61/2018/NĐ-CP, Điều 19 khoản 9; Điều 12 khoản 5 (theo nguồn thứ cấp)", ""),
        ("Nghị định 151/2025/NĐ-CP (thêm 10 ngày làm việc)", ""),  # no article
        ("Luật Lý lịch tư pháp 2009, Điều 48", "Luật Lý lịch tư pháp 2009, Điều 48"),
        # Written the other way round, each article is the document's that follows it.
        (
            "khoản 3 Điều 19 Nghị định số 118/2025/NĐ-CP; điểm c khoản 2 Điều 11 Luật Đất đai "
            "2024",
            "Nghị định số 118/2025/NĐ-CP, khoản 3 Điều 19; Luật Đất đai 2024, điểm c khoản 2 "
            "Điều 11",
        ),
    ],
    ids=[
        "engine-rule", "supplement-118", "points", "english-reading", "bracketed-document",
        "secondary-part", "secondary-clause", "no-article", "law", "article-before-document",
    ],
)  # fmt: skip
def test_a_citation_is_printed_as_its_documents_and_articles(citation: str, cited: str) -> None:
    assert cited_articles(citation) == cited

"""The one table of labels: official papers in Vietnamese only by default, English glosses on
request, and enums whose values are stable codes with their labels beside them."""

from __future__ import annotations

import enum
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.test_forms import judicial_case, land_case, land_refused, land_stopped
from tthc_flow.calendar import DayKind
from tthc_flow.cli import main
from tthc_flow.engine import (
    AfterCutoff,
    ClockStatus,
    Effect,
    EventKind,
    Invoker,
    Order,
    Phase,
    ProcedureKind,
    ResultClass,
    ZeroBudget,
)
from tthc_flow.errors import InvalidInputError
from tthc_flow.forms import (
    Form,
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
from tthc_flow.journal import write_journal
from tthc_flow.labels import ENUM_LABELS, FORM_LABELS, LANGUAGES, Label, Labelled
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate

SOURCE = Path(__file__).resolve().parents[1] / "src" / "tthc_flow"

LABELLED: tuple[type[Labelled], ...] = (
    AfterCutoff, ClockStatus, DayKind, Effect, EventKind, Invoker, Order, Phase,
    ProcedureKind, ResultClass, ZeroBudget,
)  # fmt: skip


def _glosses() -> set[str]:
    """Every English gloss the table holds, as a form would print it: ``(gloss)``."""
    found = {f"({label.en})" for label in FORM_LABELS.values() if label.en}
    for table in ENUM_LABELS.values():
        found |= {f"({label.en})" for label in table.values()}
    return found


def _every_form(language: str) -> list[Form]:
    land, refused, stopped = land_case(), land_refused(), land_stopped()
    judicial = judicial_case()
    return [
        receipt(land, language=language),
        supplement_request(land, language=language),
        refusal(refused, language=language),
        apology(land, language=language),
        apology(judicial, language=language),
        stop_notice(stopped, language=language),
        control_slip(land, language=language),
        control_slip(judicial, language=language),
        case_ledger([land, refused, stopped], language=language),
    ]


@pytest.mark.parametrize("enum_class", LABELLED, ids=lambda c: c.__name__)
def test_a_labelled_enum_has_a_code_and_a_label_for_every_member(
    enum_class: type[Labelled],
) -> None:
    table = ENUM_LABELS[enum_class.__name__]
    assert set(table) == {member.value for member in enum_class}
    for member in enum_class:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", member.value), member
        assert member.vietnamese and member.english
        assert member.label == f"{member.vietnamese} ({member.english})"
        assert member.text("vi") == member.vietnamese
        assert member.text("en") == member.label


def test_the_enum_table_names_only_labelled_enums() -> None:
    assert set(ENUM_LABELS) == {c.__name__ for c in LABELLED}
    # Every Labelled enum of the library is in LABELLED (so in this test).
    found = {
        match
        for path in SOURCE.rglob("*.py")
        for match in re.findall(r"^class (\w+)\(Labelled\):", path.read_text("utf-8"), re.M)
    }
    assert found == set(ENUM_LABELS)


def test_codes_are_the_stable_names_the_views_and_catalogs_write() -> None:
    # Hand-written: the codes JSON views, reports and journals have published.
    assert ResultClass.IN_PROGRESS_OVERDUE.value == "in_progress_overdue"
    assert Phase.AWAITING_SUPPLEMENT.value == "awaiting_supplement"
    assert ClockStatus.WAITING.value == "waiting"
    assert DayKind.COMPENSATORY_DAY_OFF.value == "compensatory_day_off"
    assert EventKind.PROCEEDED.value == "proceeded_without_answer"
    assert ResultClass("early") is ResultClass.EARLY
    assert DayKind.PUBLIC_HOLIDAY.vietnamese == "ngày nghỉ lễ, Tết"
    assert ResultClass.OVERDUE.label == "quá hạn (overdue)"
    assert Order.PARALLEL.text("vi") == "song song, hồ sơ điện tử"


def test_every_form_label_is_used_by_the_forms() -> None:
    text = "\n".join(
        path.read_text("utf-8") for path in (SOURCE / "forms").glob("*.py")
    ) + (SOURCE / "cli" / "_form_commands.py").read_text("utf-8")
    unused = []
    for key in FORM_LABELS:
        literal = f'"{key}"' in text or f"'{key}'" in text
        # Keys built from a prefix: f"slip.end.{kind.value}", f"apology.reason_{year}".
        built = any(
            f"{key[: key.rfind(mark) + 1]}{{" in text for mark in "._" if mark in key
        )
        if not (literal or built):
            unused.append(key)
    assert unused == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_form_prints_its_language(language: str) -> None:
    glosses = _glosses()
    for form in _every_form(language):
        assert form.language == language
        for text in (render_text(form), render_html(form)):
            printed = {gloss for gloss in glosses if gloss in text}
            if language == "vi":
                # The official paper: no English gloss of the table anywhere on it.
                assert printed == set(), (form.spec.number, printed)
            else:
                assert printed, form.spec.number


def test_the_glossed_form_is_the_official_one_with_glosses_added() -> None:
    # Removing every gloss from the English version gives back the Vietnamese paper, field by
    # field: the glosses add, never replace.
    glosses = sorted(_glosses(), key=len, reverse=True)

    def stripped(text: str) -> str:
        for gloss in glosses:
            text = text.replace(f" {gloss}", "")
        return text

    for vi, en in zip(_every_form("vi"), _every_form("en"), strict=True):
        assert [stripped(f.label) for f in en.fields] == [f.label for f in vi.fields]
        assert [stripped(f.value) for f in en.fields] == [f.value for f in vi.fields]
        assert en.table is None or vi.table is not None
        if en.table is not None and vi.table is not None:
            assert [stripped(c) for c in en.table.columns] == list(vi.table.columns)
            assert [[stripped(c) for c in row] for row in en.table.rows] == [
                list(row) for row in vi.table.rows
            ]


def test_the_receipt_in_vietnamese_by_hand() -> None:
    form = receipt(land_case())
    labels = [f.label for f in form.fields]
    assert labels[:4] == [
        "Tiếp nhận hồ sơ của", "Địa chỉ", "Số điện thoại", "Nội dung yêu cầu giải quyết",
    ]  # fmt: skip
    assert "1. Thành phần hồ sơ nộp gồm" in labels
    glossed = receipt(land_case(), language="en")
    assert glossed.fields[0].label == "Tiếp nhận hồ sơ của (applicant)"
    assert "5. Thời gian trả kết quả giải quyết hồ sơ (result due)" in [
        f.label for f in glossed.fields
    ]


@pytest.mark.parametrize("language", ["fr", "EN", "", None, 1, ("vi",)])
def test_an_unknown_language_is_refused_with_the_languages_named(language: object) -> None:
    case = land_case()
    builders = (receipt, supplement_request, apology, control_slip)
    for build in builders:
        with pytest.raises(InvalidInputError, match="'vi', 'en'"):
            build(case, language=language)  # type: ignore[operator]
    with pytest.raises(InvalidInputError, match="'vi', 'en'"):
        case_ledger([case], language=language)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="'vi', 'en'"):
        FORM_LABELS["receipt.due"].text(language)  # type: ignore[arg-type]


@given(
    vi=st.text(min_size=1).filter(lambda s: "{" not in s and "}" not in s),
    en=st.text(min_size=1).filter(lambda s: "{" not in s and "}" not in s),
)
def test_a_gloss_is_the_vietnamese_with_the_english_added(vi: str, en: str) -> None:
    label = Label(vi, en)
    assert label.text("vi") == vi
    glossed = label.text("en")
    assert f"({en})" in glossed
    assert glossed.replace(f" ({en})", "", 1) == vi


def test_the_form_command_prints_vietnamese_only_and_glosses_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = next(iter(simulate(sample_catalog(), cases=1, seed=5, year=2026)))
    journal = tmp_path / "events.jsonl"
    with journal.open("w", encoding="utf-8") as stream:
        write_journal([case], stream)
    assert main(["form", "receipt", str(journal), case.case_id]) == 0
    official = capsys.readouterr().out
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in official
    assert "\nTiếp nhận hồ sơ của: " in official
    assert "\n5. Thời gian trả kết quả giải quyết hồ sơ: " in official
    assert {g for g in _glosses() if g in official} == set()
    assert main(["form", "receipt", str(journal), case.case_id, "--language", "en"]) == 0
    glossed = capsys.readouterr().out
    assert "\nTiếp nhận hồ sơ của (applicant): " in glossed
    assert "\n5. Thời gian trả kết quả giải quyết hồ sơ (result due): " in glossed
    assert "Ghi chú (notes):" in glossed
    assert glossed == render_text(receipt(case, language="en"))
    assert main(["slip", str(journal), case.case_id, "--language", "en"]) == 0
    assert "Tên cơ quan, bộ phận — bước (unit — step)" in capsys.readouterr().out


def test_a_form_is_labelled_in_one_language_only() -> None:
    # A Form refuses a language it cannot print its own headings in.
    form = receipt(land_case())
    with pytest.raises(InvalidInputError):
        Form(
            spec=form.spec, circular=form.circular, issuer=form.issuer, code=form.code,
            place_date=form.place_date, fields=form.fields, language="de",
        )  # fmt: skip
    assert isinstance(ResultClass.EARLY, enum.Enum)


def test_every_enum_of_the_library_has_stable_codes_as_values() -> None:
    import importlib
    import pkgutil

    import tthc_flow

    found: dict[str, type[enum.Enum]] = {}
    for info in pkgutil.walk_packages(tthc_flow.__path__, prefix="tthc_flow."):
        if info.name.endswith(("pytest_plugin", "_hypothesis", "__main__")):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type) and issubclass(value, enum.Enum) and value.__members__
                and value.__module__.startswith("tthc_flow")
            ):  # fmt: skip
                found[value.__qualname__] = value
    assert {"ResultClass", "Phase", "Page", "FormKind", "EventKind"} <= set(found)
    for enum_class in found.values():
        for member in enum_class:
            assert isinstance(member.value, str), member
            assert re.fullmatch(r"[a-z][a-z0-9_]*", member.value), member

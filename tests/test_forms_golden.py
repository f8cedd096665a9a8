"""Every form of real-date cases, under Circular 01/2018/TT-VPCP (received 25/04/2025, with a
refused one) and under Circular 03/2025/TT-VPCP (received 02/03/2026, with a refused and a
stopped one), in text and HTML, in Vietnamese only (the official paper, ``<name>.txt``) and
with English glosses (``<name>.en.txt``), compared with the reviewed files in
``tests/golden/forms/``.

A deliberate change of layout: run with ``TTHC_UPDATE_GOLDEN=1``, read the diff line by line
as a reviewer would, then commit the files with the change.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_forms import (
    judicial_case,
    judicial_refused,
    land_case,
    land_refused,
    land_stopped,
)
from tthc_flow.engine import Case
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

GOLDEN = Path(__file__).resolve().parent / "golden" / "forms"

# Per circular: the main case, a refused one, a stopped one (only 2025 has a stop notice).
CASES: dict[str, tuple[Callable[[], Case], ...]] = {
    "2018": (judicial_case, judicial_refused),
    "2025": (land_case, land_refused, land_stopped),
}
FORMS: dict[str, Callable[[tuple[Case, ...], str], Form]] = {
    "receipt": lambda cases, language: receipt(cases[0], language=language),
    "supplement_request": lambda cases, language: supplement_request(
        cases[0], language=language
    ),
    "refusal": lambda cases, language: refusal(cases[1], language=language),
    "apology": lambda cases, language: apology(cases[0], language=language),
    "stop_notice": lambda cases, language: stop_notice(cases[2], language=language),
    "control_slip": lambda cases, language: control_slip(cases[0], language=language),
    "ledger": lambda cases, language: case_ledger(cases, language=language),
}
PAIRS = [
    (circular, form)
    for circular in sorted(CASES)
    for form in sorted(FORMS)
    if not (circular == "2018" and form == "stop_notice")
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("suffix", ["txt", "html"])
@pytest.mark.parametrize(("circular", "form_name"), PAIRS)
def test_form_matches_golden(circular: str, form_name: str, suffix: str, language: str) -> None:
    form = FORMS[form_name](tuple(build() for build in CASES[circular]), language)
    text = render_text(form) if suffix == "txt" else render_html(form)
    infix = "" if language == "vi" else f".{language}"
    path = GOLDEN / f"{circular}_{form_name}{infix}.{suffix}"
    if os.environ.get("TTHC_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path.name} is missing: run with TTHC_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")

"""Every form of two real-date cases, one under Circular 01/2018/TT-VPCP (received 25/04/2025)
and one under Circular 03/2025/TT-VPCP (received 02/03/2026), in text and HTML, compared
with the reviewed files in ``tests/golden/forms/``.

A deliberate change of layout: run with ``TTHC_UPDATE_GOLDEN=1``, read the diff line by line
as a reviewer would, then commit the files with the change.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_forms import judicial_case, judicial_refused, land_case, land_refused
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
    supplement_request,
)

GOLDEN = Path(__file__).resolve().parent / "golden" / "forms"

CASES: dict[str, tuple[Callable[[], Case], Callable[[], Case]]] = {
    "2018": (judicial_case, judicial_refused),
    "2025": (land_case, land_refused),
}
FORMS: dict[str, Callable[[Case, Case], Form]] = {
    "receipt": lambda case, _: receipt(case),
    "supplement_request": lambda case, _: supplement_request(case),
    "refusal": lambda _, refused: refusal(refused),
    "apology": lambda case, _: apology(case),
    "control_slip": lambda case, _: control_slip(case),
    "ledger": lambda case, refused: case_ledger([case, refused]),
}


@pytest.mark.parametrize("suffix", ["txt", "html"])
@pytest.mark.parametrize("form_name", sorted(FORMS))
@pytest.mark.parametrize("circular", sorted(CASES))
def test_form_matches_golden(circular: str, form_name: str, suffix: str) -> None:
    case, refused = (build() for build in CASES[circular])
    form = FORMS[form_name](case, refused)
    text = render_text(form) if suffix == "txt" else render_html(form)
    path = GOLDEN / f"{circular}_{form_name}.{suffix}"
    if os.environ.get("TTHC_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path.name} is missing: run with TTHC_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")

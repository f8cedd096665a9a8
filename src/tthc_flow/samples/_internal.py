"""Example 4, internal procedure outside the one-stop desk (TTHC nội bộ): the Department of
Home Affairs appraises a public service unit's job-position scheme (thẩm định đề án vị trí
việc làm của đơn vị sự nghiệp công lập).

In the spirit of Quảng Nam's Decision 2307/QĐ-UBND (21 August 2021) on controlling
procedures outside the one-stop mechanism: every division's task and time is explicit, the
time at the lead division is the whole procedure's time (so step budgets must add up to the
total: ``BudgetPolicy.EXACT``), and the catalog is reviewed and re-issued every year. The
procedure itself, its steps and times are illustrative.

Two versions, ``2024.1`` and ``2025.1``: the yearly re-issue, by a new decision, of the same
workflow. The 2025 version's review fell due on 20 February 2026: ``tthc-flow check``
reports it.
"""

from __future__ import annotations

from datetime import date

from tthc_flow.catalog import Decision, Publication
from tthc_flow.engine import Procedure, ProcedureKind, Step, WorkingDays
from tthc_flow.samples._units import DOHA_BOARD, DOHA_OFFICE, DOHA_ORGANISATION

__all__ = ["CODE", "publications"]

CODE = "VD.NB"  # an illustrative key
NAME = "Thẩm định đề án vị trí việc làm của đơn vị sự nghiệp công lập (minh họa)"
BASIS = ("Quyết định 2307/QĐ-UBND ngày 21/8/2021 của UBND tỉnh Quảng Nam (cách tiếp cận)",)


def _steps() -> list[Step]:
    return [
        Step("register", "Văn thư tiếp nhận, vào sổ", DOHA_OFFICE, WorkingDays("0.5"),
             next="assign", reception=True),
        Step("assign", "Lãnh đạo Sở giao xử lý", DOHA_BOARD, WorkingDays("0.5"),
             next="appraise"),
        Step("appraise", "Thẩm định, dự thảo văn bản (chủ trì)", DOHA_ORGANISATION,
             WorkingDays("6.5"), role="chuyên viên", next="check"),
        Step("check", "Lãnh đạo phòng kiểm tra", DOHA_ORGANISATION, WorkingDays(1),
             role="lãnh đạo phòng", next="sign", back="appraise"),
        Step("sign", "Lãnh đạo Sở ký", DOHA_BOARD, WorkingDays(1), next="issue",
             back="appraise"),
        Step("issue", "Phát hành văn bản", DOHA_OFFICE, WorkingDays("0.5"), returns=True),
    ]  # fmt: skip


def publications() -> tuple[Publication, ...]:
    common = {
        "code": CODE,
        "name": NAME,
        "kind": ProcedureKind.INTERNAL,
        "total": WorkingDays(10),
        "agency": DOHA_ORGANISATION,
        "legal_basis": BASIS,
    }
    return (
        Publication(
            Procedure(
                version="2024.1", steps=_steps(), effective_from=date(2024, 3, 1),
                effective_until=date(2025, 2, 28), **common,  # type: ignore[arg-type]
            ),
            Decision("06/QĐ-MH (minh họa)", date(2024, 2, 20), "Sở Nội vụ (minh họa)"),
        ),
        Publication(
            Procedure(
                version="2025.1", steps=_steps(), effective_from=date(2025, 3, 1),
                **common,  # type: ignore[arg-type]
            ),
            Decision("07/QĐ-MH (minh họa)", date(2025, 2, 20), "Sở Nội vụ (minh họa)"),
        ),
    )  # fmt: skip

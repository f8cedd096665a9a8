"""Example 3, inter-agency (một cửa liên thông): birth registration, permanent residence
registration and a health-insurance card for a child under six (đăng ký khai sinh, đăng ký
thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi).

Legal basis: Nghị định 63/2024/NĐ-CP on the two groups of inter-agency procedures, which the
Government Office published as electronic inter-agency procedures (Quyết định 296/QĐ-VPCP,
June 2024, as reported by the press). As the Ministry of Public Security's guidance was
reported: the whole group is settled within 3 working days of a complete dossier; the birth
is registered within the working day, residence within at most 2 working days and the
insurance card within at most 2 working days (articles not cited here: check the text).
Each agency has its own deadline: the commune's justice officer, the commune police, the
social insurance office.

The two orders of Decree 118/2025 Art. 20(2), chosen from the case's channel at receipt
(:data:`~tthc_flow.engine.ART_20_2_ORDERS`):

- filed online (point b), the dossier goes to every agency at once; residence registration
  and the insurance card both need the child's personal identification number, which the
  birth registration gives, so the justice officer's step forks: the police and the social
  insurance office then work side by side, and the desk returns the results once both have
  handed over (the join). This reading of which agency needs whose result is ours, from the
  press reports above;
- filed in person or by post (point a), the agencies act one after another in the fixed
  order birth → residence → insurance.

Each agency has one working day in both orders, inside its own ceiling: the sequence adds up
to the 3-day total exactly, and the parallel order's longest path (2 days) fits inside it.
The split and the unit names are illustrative.
"""

from __future__ import annotations

from datetime import date

from tthc_flow.catalog import Decision, Publication
from tthc_flow.engine import (
    ART_20_2_ORDERS,
    DECREE_118_2025,
    Procedure,
    ProcedureKind,
    Step,
    WorkingDays,
)
from tthc_flow.samples._units import BHXH, COMMUNE, COMMUNE_DESK, COMMUNE_JUSTICE, COMMUNE_POLICE

__all__ = ["CODE", "publications"]

CODE = "VD.LTKS"  # an illustrative key, not a code of the national database


def publications() -> tuple[Publication, ...]:
    procedure = Procedure(
        code=CODE,
        name=(
            "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ "
            "em dưới 6 tuổi (minh họa)"
        ),
        version="2025.07",
        kind=ProcedureKind.INTER_AGENCY,
        total=WorkingDays(3),
        agency=COMMUNE,
        legal_basis=("Nghị định 63/2024/NĐ-CP", "Quyết định 296/QĐ-VPCP (2024)"),
        rules=DECREE_118_2025,
        effective_from=date(2025, 7, 1),
        orders=ART_20_2_ORDERS,
        steps=[
            Step("receive", "Tiếp nhận hồ sơ liên thông", COMMUNE_DESK, WorkingDays(0),
                 next="birth", reception=True),
            Step("birth", "Đăng ký khai sinh, cấp Giấy khai sinh", COMMUNE_JUSTICE,
                 WorkingDays(1), fork=("residence", "insurance"), back="receive"),
            Step("residence", "Đăng ký thường trú", COMMUNE_POLICE, WorkingDays(1),
                 next="return"),
            Step("insurance", "Cấp thẻ bảo hiểm y tế", BHXH, WorkingDays(1), next="return"),
            Step("return", "Trả kết quả", COMMUNE_DESK, WorkingDays(0), returns=True),
        ],
    )  # fmt: skip
    return (
        Publication(
            procedure,
            Decision("05/QĐ-MH (minh họa)", date(2025, 6, 30), "UBND tỉnh (minh họa)"),
            review_by=date(2026, 12, 31),  # reviewed in 2026 (illustrative)
        ),
    )

"""Example 1, one-stop (một cửa): issuing a judicial record certificate (cấp Phiếu lý lịch
tư pháp) to a Vietnamese citizen.

Legal basis: Luật Lý lịch tư pháp 2009, Điều 48 — at most 10 days from a valid request; at
most 15 for a person who has lived in several places or abroad, or when the automatic
clearing of a conviction must be verified. The Ministry of Justice's published answers on the
article, and the procedure as provinces list it, count these as working days (ngày làm
việc), as this example does; check the time your province published. The internal workflow splits
the 10 days into fractional steps (reception, specialist, head of division, director's
signature, clerk, return); that split, the unit names and the decision numbers are
illustrative.

Three versions show why a case binds to the version in force on its receipt date:

- ``2018.1`` — issued by the Department of Justice (Sở Tư pháp), judged by Decree
  61/2018/NĐ-CP, until 28 February 2025;
- ``2025.03`` — from 1 March 2025 the Ministry of Public Security took the management of
  judicial records and the issuing of certificates over from the Ministry of Justice (as
  announced and reported in the press that day; the decision behind it is not cited here):
  the province's police issue them; still Decree 61/2018;
- ``2025.07`` — from 1 July 2025, the same workflow judged by Decree 118/2025/NĐ-CP.
"""

from __future__ import annotations

from datetime import date

from tthc_flow.catalog import Decision, Publication
from tthc_flow.engine import (
    DECREE_61_2018,
    DECREE_118_2025,
    BudgetAdjustment,
    Procedure,
    ProcedureKind,
    RulePack,
    Step,
    WorkingDays,
)
from tthc_flow.samples._units import (
    JUSTICE_BOARD,
    JUSTICE_RECORDS,
    POLICE_BOARD,
    POLICE_DESK,
    POLICE_RECORDS,
    PROVINCE_DESK,
)

__all__ = ["CODE", "publications"]

CODE = "VD.LLTP"  # an illustrative key, not a code of the national database
NAME = "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam (minh họa)"
LEGAL_BASIS = ("Luật Lý lịch tư pháp 2009, Điều 48",)
# Art. 48: 15 instead of 10 working days; the extra time goes to the records check.
SEVERAL_RESIDENCES = BudgetAdjustment(
    "cư trú nhiều nơi, ở nước ngoài, hoặc phải xác minh xóa án tích "
    "(several residences, abroad, or clearing to verify)",
    WorkingDays(5),
    when={"several_residences": True},
    citation="Luật Lý lịch tư pháp 2009, Điều 48",
    step="review",
)


def _procedure(
    version: str,
    *,
    agency: str,
    desk: str,
    records: str,
    board: str,
    rules: RulePack,
    effective_from: date,
    effective_until: date | None,
) -> Procedure:
    return Procedure(
        code=CODE,
        name=NAME,
        version=version,
        kind=ProcedureKind.ONE_STOP,
        total=WorkingDays(10),
        agency=agency,
        legal_basis=LEGAL_BASIS,
        rules=rules,
        effective_from=effective_from,
        effective_until=effective_until,
        adjustments=(SEVERAL_RESIDENCES,),
        steps=[
            # The desk transfers the dossier the same working day (Decree 118/2025
            # Art. 18(2); the Decree 61 pack reads the same rule): "0 ngày làm việc".
            Step("receive", "Tiếp nhận, kiểm tra hồ sơ", desk, WorkingDays(0),
                 next="review", reception=True),
            Step("review", "Tra cứu, xác minh, lập Phiếu", records, WorkingDays("6.5"),
                 role="chuyên viên", next="approve", back="receive"),
            Step("approve", "Lãnh đạo phòng kiểm tra", records, WorkingDays("1.5"),
                 role="lãnh đạo phòng", next="sign", back="review"),
            Step("sign", "Lãnh đạo ký Phiếu", board, WorkingDays(1), next="issue",
                 back="review"),
            Step("issue", "Vào sổ, đóng dấu, chuyển trả", records, WorkingDays("0.5"),
                 role="văn thư", next="return"),
            Step("return", "Trả kết quả", desk, WorkingDays("0.5"), returns=True),
        ],
    )  # fmt: skip


def publications() -> tuple[Publication, ...]:
    return (
        Publication(
            _procedure(
                "2018.1", agency="Sở Tư pháp", desk=PROVINCE_DESK, records=JUSTICE_RECORDS,
                board=JUSTICE_BOARD,
                rules=DECREE_61_2018, effective_from=date(2018, 6, 21),
                effective_until=date(2025, 2, 28),
            ),
            Decision("01/QĐ-MH (minh họa)", date(2018, 6, 15), "UBND tỉnh (minh họa)"),
            review_by=date(2025, 2, 28),
        ),
        Publication(
            _procedure(
                "2025.03", agency="Công an tỉnh", desk=POLICE_DESK, records=POLICE_RECORDS,
                board=POLICE_BOARD,
                rules=DECREE_61_2018, effective_from=date(2025, 3, 1),
                effective_until=date(2025, 6, 30),
            ),
            Decision("02/QĐ-MH (minh họa)", date(2025, 2, 27), "UBND tỉnh (minh họa)"),
        ),
        Publication(
            _procedure(
                "2025.07", agency="Công an tỉnh", desk=POLICE_DESK, records=POLICE_RECORDS,
                board=POLICE_BOARD,
                rules=DECREE_118_2025, effective_from=date(2025, 7, 1), effective_until=None,
            ),
            Decision("03/QĐ-MH (minh họa)", date(2025, 6, 28), "UBND tỉnh (minh họa)"),
            review_by=date(2026, 12, 31),
        ),
    )  # fmt: skip

"""Example 2, one-stop land procedure: registering a change of land-use rights after a
transfer (đăng ký biến động quyền sử dụng đất do chuyển nhượng).

Decree 151/2025/NĐ-CP (in force with the two-tier local government from 1 July 2025) leaves
out of the processing time the performance of the financial obligation (thực hiện nghĩa vụ
tài chính) and public posting periods, and gives communes in remote, mountainous, island or
disadvantaged areas 10 more working days. In this example the tax office's work of issuing
its notice is a step with its own two days, so that its time stays visible in its unit's
clock; the applicant's payment pauses every clock (``financial_obligation``). A province
that leaves the determination out of the time too declares the pause from the start of the
tax step. The total of 10 working days, the step split and the unit names are illustrative:
use the time your province published for the procedure.
"""

from __future__ import annotations

from datetime import date

from tthc_flow.catalog import Decision, Publication
from tthc_flow.engine import (
    DECREE_118_2025,
    BudgetAdjustment,
    Procedure,
    ProcedureKind,
    Step,
    WorkingDays,
)
from tthc_flow.samples._units import COMMUNE_DESK, LAND_OFFICE, TAX

__all__ = ["CODE", "REMOTE_COMMUNE", "publications"]

CODE = "VD.DD"  # an illustrative key, not a code of the national database
REMOTE_COMMUNE = BudgetAdjustment(
    "xã miền núi, hải đảo, vùng có điều kiện kinh tế - xã hội khó khăn (remote commune)",
    WorkingDays(10),
    when={"remote_commune": True},
    citation="Nghị định 151/2025/NĐ-CP (thêm 10 ngày làm việc)",
    step="office",
)


def publications() -> tuple[Publication, ...]:
    procedure = Procedure(
        code=CODE,
        name="Đăng ký biến động quyền sử dụng đất do chuyển nhượng (minh họa)",
        version="2025.07",
        kind=ProcedureKind.ONE_STOP,
        total=WorkingDays(10),
        agency=LAND_OFFICE,
        legal_basis=(
            "Luật Đất đai 2024",
            "Nghị định 151/2025/NĐ-CP (phân định thẩm quyền chính quyền địa phương 2 cấp, "
            "lĩnh vực đất đai)",
        ),
        rules=DECREE_118_2025,
        effective_from=date(2025, 7, 1),
        pauses={"financial_obligation", "public_posting"},
        adjustments=(REMOTE_COMMUNE,),
        steps=[
            # The desk transfers the dossier the same working day (Decree 118/2025 Art. 18(2)).
            Step("receive", "Tiếp nhận hồ sơ", COMMUNE_DESK, WorkingDays(0), next="office",
                 reception=True),
            Step("office", "Kiểm tra hồ sơ, trích lục, gửi thông tin địa chính", LAND_OFFICE,
                 WorkingDays("6.5"), role="chuyên viên", next="tax", back="receive"),
            Step("tax", "Xác định nghĩa vụ tài chính, ra thông báo", TAX, WorkingDays(2),
                 next="update"),
            Step("update", "Chỉnh lý hồ sơ địa chính, cập nhật Giấy chứng nhận", LAND_OFFICE,
                 WorkingDays(1), role="chuyên viên", next="return", back="office"),
            Step("return", "Trả kết quả", COMMUNE_DESK, WorkingDays("0.5"), returns=True),
        ],
    )  # fmt: skip
    return (
        Publication(
            procedure,
            Decision("04/QĐ-MH (minh họa)", date(2025, 6, 30), "UBND tỉnh (minh họa)"),
            review_by=date(2026, 12, 31),  # reviewed in 2026 (illustrative)
        ),
    )

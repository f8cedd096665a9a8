"""Procedures used by the engine tests. Legal bases are named; the internal step splits are
illustrative (each agency approves its own), and marked so."""

from __future__ import annotations

from datetime import date

from tthc_flow.engine import (
    BudgetAdjustment,
    Procedure,
    ProcedureKind,
    Step,
    WorkingDays,
)

DESK = "Bộ phận Một cửa Sở Tư pháp"
RECORDS = "Phòng Hành chính tư pháp"
BOARD = "Ban Giám đốc Sở Tư pháp"
CLERK = "Văn phòng Sở (văn thư)"


def judicial_record(**changes: object) -> Procedure:
    """Issuing a judicial record certificate (cấp Phiếu lý lịch tư pháp): 10 working days
    (Luật Lý lịch tư pháp 2009, Điều 48); the step split is illustrative."""
    fields: dict[str, object] = {
        "code": "TEST.LLTP",
        "name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam (minh họa)",
        "version": "2025.1",
        "kind": ProcedureKind.ONE_STOP,
        "total": WorkingDays(10),
        "legal_basis": ("Luật Lý lịch tư pháp 2009, Điều 48",),
        "steps": [
            Step("receive", "Tiếp nhận hồ sơ", DESK, WorkingDays("0.5"), next="review",
                 reception=True),
            Step("review", "Thẩm định, tra cứu", RECORDS, WorkingDays(6), role="chuyên viên",
                 next="approve", back="receive"),
            Step("approve", "Lãnh đạo phòng xem xét", RECORDS, WorkingDays("1.5"),
                 role="lãnh đạo phòng", next="sign", back="review"),
            Step("sign", "Giám đốc ký", BOARD, WorkingDays(1), next="issue", back="review"),
            Step("issue", "Vào sổ, đóng dấu", CLERK, WorkingDays("0.5"), next="return"),
            Step("return", "Trả kết quả", DESK, WorkingDays("0.5"), returns=True),
        ],
    }  # fmt: skip
    fields.update(changes)
    return Procedure(**fields)  # type: ignore[arg-type]


LAND_DESK = "Bộ phận Một cửa UBND xã"
LAND_OFFICE = "Chi nhánh Văn phòng đăng ký đất đai"
TAX = "Cơ quan thuế"


def land_change(total: int = 10, **changes: object) -> Procedure:
    """Registering a change of land-use rights (đăng ký biến động): financial obligation and
    posting excluded from the time, +10 working days for remote communes (Nghị định
    151/2025/NĐ-CP); the step split and the total are illustrative."""
    office = total - 2
    fields: dict[str, object] = {
        "code": "TEST.DD",
        "name": "Đăng ký biến động quyền sử dụng đất (minh họa)",
        "version": "2025.2",
        "kind": ProcedureKind.INTER_AGENCY,
        "total": WorkingDays(total),
        "effective_from": date(2025, 1, 1),
        "pauses": {"financial_obligation", "public_posting"},
        "adjustments": (
            BudgetAdjustment(
                "xã miền núi, hải đảo, vùng khó khăn (remote commune)",
                WorkingDays(10),
                when={"remote_commune": True},
                citation="Nghị định 151/2025/NĐ-CP, phụ lục",
                step="office",
            ),
        ),
        "steps": [
            Step("receive", "Tiếp nhận", LAND_DESK, WorkingDays("0.5"), next="office",
                 reception=True),
            Step("office", "Kiểm tra, cập nhật hồ sơ địa chính", LAND_OFFICE,
                 WorkingDays(office), next="tax"),
            Step("tax", "Xác định nghĩa vụ tài chính", TAX, WorkingDays(1), next="return"),
            Step("return", "Trả kết quả", LAND_DESK, WorkingDays("0.5"), returns=True),
        ],
    }  # fmt: skip
    fields.update(changes)
    return Procedure(**fields)  # type: ignore[arg-type]

"""Units of the sample catalog (đơn vị), with their levels. Names are illustrative; the
levels follow the two-tier local government in place since 1 July 2025 (tỉnh, xã), with the
provincial departments (sở) and the national agencies' local offices as their own levels."""

from __future__ import annotations

from tthc_flow.catalog import Unit

__all__ = [
    "BHXH",
    "COMMUNE",
    "COMMUNE_DESK",
    "COMMUNE_JUSTICE",
    "COMMUNE_POLICE",
    "DOHA_BOARD",
    "DOHA_OFFICE",
    "DOHA_ORGANISATION",
    "JUSTICE_BOARD",
    "JUSTICE_RECORDS",
    "LAND_OFFICE",
    "POLICE_BOARD",
    "POLICE_DESK",
    "POLICE_RECORDS",
    "PROVINCE_DESK",
    "TAX",
    "UNITS",
]

PROVINCE_DESK = "Trung tâm Phục vụ hành chính công tỉnh"
# Judicial records (lý lịch tư pháp): the Ministry of Public Security took them over from the
# Ministry of Justice on 1 March 2025 (as reported that day); the province's police issue the
# certificates. Unit names are illustrative.
# The desk by the common name Decree 118/2025 gives every such desk (Art. 3(3): Bộ phận Một cửa).
POLICE_DESK = "Bộ phận Một cửa, Công an tỉnh"
POLICE_RECORDS = "Phòng Cảnh sát quản lý hành chính về trật tự xã hội, Công an tỉnh"
POLICE_BOARD = "Lãnh đạo Công an tỉnh"
JUSTICE_RECORDS = "Phòng Hành chính tư pháp, Sở Tư pháp"
JUSTICE_BOARD = "Ban Giám đốc Sở Tư pháp"
COMMUNE = "UBND xã"
COMMUNE_DESK = "Bộ phận Một cửa UBND xã"
COMMUNE_JUSTICE = "Công chức Tư pháp - Hộ tịch, UBND xã"
COMMUNE_POLICE = "Công an xã"
BHXH = "Bảo hiểm xã hội cơ sở"
LAND_OFFICE = "Chi nhánh Văn phòng đăng ký đất đai"
TAX = "Thuế cơ sở"
DOHA_OFFICE = "Văn phòng Sở Nội vụ (văn thư)"
DOHA_BOARD = "Ban Giám đốc Sở Nội vụ"
DOHA_ORGANISATION = "Phòng Tổ chức, biên chế, Sở Nội vụ"

UNITS = (
    Unit(PROVINCE_DESK, "tỉnh"),
    Unit(POLICE_DESK, "tỉnh", parent=PROVINCE_DESK),
    Unit(POLICE_RECORDS, "tỉnh"),
    Unit(POLICE_BOARD, "tỉnh"),
    Unit(JUSTICE_RECORDS, "sở"),
    Unit(JUSTICE_BOARD, "sở"),
    Unit(COMMUNE, "xã"),
    Unit(COMMUNE_DESK, "xã", parent=COMMUNE),
    Unit(COMMUNE_JUSTICE, "xã", parent=COMMUNE),
    Unit(COMMUNE_POLICE, "xã"),
    Unit(BHXH, "cơ sở"),
    Unit(LAND_OFFICE, "tỉnh"),
    Unit(TAX, "cơ sở"),
    Unit(DOHA_OFFICE, "sở"),
    Unit(DOHA_BOARD, "sở"),
    Unit(DOHA_ORGANISATION, "sở"),
)

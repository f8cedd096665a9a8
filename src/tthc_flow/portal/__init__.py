"""The National Public Service Portal (Cổng Dịch vụ công quốc gia): status and channel codes,
the status records a synchronisation job sends, and dossier codes (mã số hồ sơ) in the format
of Circular 01/2018/TT-VPCP, Art. 19."""

from tthc_flow.portal._dossier_code import DossierCode
from tthc_flow.portal._status import (
    DEFAULT_PORTAL_CODES,
    PortalCodes,
    channel_code,
    portal_status,
    status_history,
)

__all__ = [
    "DEFAULT_PORTAL_CODES",
    "DossierCode",
    "PortalCodes",
    "channel_code",
    "portal_status",
    "status_history",
]

"""The case attributes the library reads (thông tin hồ sơ), in one place: what a host puts in
``Case.open(..., attributes={...})`` so that the forms print it, the portal codes it and the
engine routes by it. An attribute that is absent prints as a blank to fill in by hand
(:data:`~tthc_flow.forms._model.BLANK`); hosts may keep any other attributes beside these.
A procedure's budget adjustments name attributes of their own in ``when`` (the sample land
procedure's ``remote_commune``, Decree 151/2025): those are the procedure's, listed with it.

:data:`CASE_ATTRIBUTES` names each with who reads it and its JSON type;
:func:`tthc_flow.views.json_schema` ``("case_attributes")`` publishes it as a JSON Schema.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import attrs

from tthc_flow.engine import CHANNELS

__all__ = ["CASE_ATTRIBUTES", "CaseAttribute"]


@attrs.frozen
class CaseAttribute:
    """One case attribute: its ``name``, the JSON ``schema`` of its value, what it means
    (``label``, Vietnamese with an English gloss) and which parts of the library read it."""

    name: str
    label: str
    schema: dict[str, Any] = attrs.field(eq=False)
    read_by: tuple[str, ...]


_TEXT = {"type": "string"}

#: Every attribute the library reads, by name.
CASE_ATTRIBUTES = MappingProxyType({
    a.name: a
    for a in (
        CaseAttribute("applicant", "Người nộp hồ sơ (applicant)", _TEXT,
                      ("forms: receipt, supplement request, refusal, apology, stop notice, slip, "
                       "ledger",)),
        CaseAttribute("address", "Địa chỉ (address)", _TEXT, ("forms: the notices",)),
        CaseAttribute("phone", "Số điện thoại (phone)", _TEXT, ("forms: the notices",)),
        CaseAttribute("email", "Thư điện tử (email)", _TEXT, ("forms: the notices",)),
        CaseAttribute("documents", "Thành phần hồ sơ (documents filed)",
                      {"type": "array", "items": _TEXT},
                      ("forms: receipt (else the receipt event's evidence)",)),
        CaseAttribute("copies", "Số lượng hồ sơ, bộ (sets filed)",
                      {"type": "integer", "minimum": 1}, ("forms: receipt",)),
        CaseAttribute("deliver_to", "Nơi nhận kết quả (where the result is collected)", _TEXT,
                      ("forms: receipt",)),
        CaseAttribute("ledger_entry", "Sổ theo dõi hồ sơ, quyển số, số thứ tự (ledger entry)",
                      _TEXT, ("forms: receipt",)),
        CaseAttribute("place", "Địa danh (place name printed before the date)", _TEXT,
                      ("forms: every form's date line",)),
        CaseAttribute("dossier_code", "Mã hồ sơ trên Cổng Dịch vụ công (portal dossier code)",
                      _TEXT, ("forms: the code printed", "portal: status history")),
        CaseAttribute("channel", "Hình thức nộp (filing channel)",
                      {"enum": list(CHANNELS)},
                      ("engine: the ways of filing of Decree 118/2025 Art. 15 (another "
                       "value is a violation, receipt.channel_unknown)", "engine: the order "
                       "of an inter-agency procedure (Art. 20(2))", "portal: channel code",
                       "reports: by channel")),
    )
})  # fmt: skip

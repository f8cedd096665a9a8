"""The case attributes the library reads (thông tin hồ sơ), in one place: what a host puts in
``Case.open(..., attributes={...})`` so that the forms print it, the portal codes it and the
engine routes by it. An attribute that is absent prints as a blank to fill in by hand
(:data:`~tthc_flow.forms._model.BLANK`); hosts may keep any other attributes beside these.
:meth:`Case.open <tthc_flow.engine.Case.open>` refuses a value of the wrong JSON type
(:func:`check_case_attributes`), so that no paper prints ``True bộ`` for a number of sets;
a history read back is not refused for it (the forms refuse to print such a value).
A procedure's budget adjustments name attributes of their own in ``when`` (the sample land
procedure's ``remote_commune``, Decree 151/2025): those are the procedure's, listed with it.

:data:`CASE_ATTRIBUTES` names each with who reads it and its JSON type;
:func:`tthc_flow.views.json_schema` ``("case_attributes")`` publishes it as a JSON Schema.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import attrs

from tthc_flow._validators import shown
from tthc_flow.codec import texts
from tthc_flow.engine._channels import CHANNELS
from tthc_flow.errors import InvalidInputError

__all__ = ["CASE_ATTRIBUTES", "CaseAttribute", "check_case_attributes"]


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


def _fits(value: Any, schema: dict[str, Any]) -> bool:
    """Whether ``value`` fits ``schema``, for the few JSON Schema words the table uses."""
    kind = schema.get("type")
    if kind == "string":
        return type(value) is str
    if kind == "integer":
        return type(value) is int and value >= schema.get("minimum", value)
    if kind == "array":
        return type(value) in (list, tuple) and all(_fits(v, schema["items"]) for v in value)
    return True


def check_case_attributes(attributes: Any) -> None:
    """Refuse an attribute of :data:`CASE_ATTRIBUTES` whose value has the wrong JSON type
    (``copies`` a whole number from 1, not a bool or 1.5 or "3"; the texts texts; ``documents``
    a list of texts); None stands for an absent value. ``channel`` is judged by the receipt's
    rules instead (``receipt.channel_unknown``, Decree 118/2025 Art. 15), so an audit-mode
    host can record a wrong one."""
    for name, attribute in CASE_ATTRIBUTES.items():
        value = attributes.get(name)
        if value is None or name == "channel" or _fits(value, attribute.schema):
            if name == "documents" and value is not None:
                # Each a text a paper can print (no control character), one text refused.
                texts(value, "attributes.documents", error=attribute_error)
            continue
        kind = attribute.schema.get("type")
        wanted = {
            "string": "a text",
            "integer": f"a whole number from {attribute.schema.get('minimum', 0)} (not a bool)",
            "array": "a list of texts",
        }.get(str(kind), str(attribute.schema))
        raise InvalidInputError(
            f"attributes.{name} ({attribute.label}) must be {wanted}, got "
            f"{type(value).__name__} {shown(value, 60)}.",
            value=value,
            hint=f"Give {name} as {wanted}, or leave it out.",
        )


def attribute_error(field: str, message: str) -> InvalidInputError:
    """The error of a case attribute ``field`` the codec's checks found wrong."""
    return InvalidInputError(f"{field} {message}", value=None)

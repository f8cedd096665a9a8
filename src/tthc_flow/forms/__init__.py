"""Official forms of the one-stop mechanism (biểu mẫu một cửa), as data first and then printed.

Built from a :class:`~tthc_flow.engine.Case` and laid out by the circular in force on its
receipt day (Circular 01/2018/TT-VPCP before 1 July 2025, Circular 03/2025/TT-VPCP from then):
the receipt and appointment, the supplement request, the refusal, the apology (with a new date;
from July 2025 with a request for an extension), the stop notice (from July 2025), the process
control slip, and the case ledger for a list of cases. Each builder returns a frozen
:class:`Form`; :func:`render_text` and :func:`render_html` print it. The numbers and titles of
the 2025 forms come from two independent secondary sources, not the circular's text (except
the refusal's title, Decree 118/2025's own): their :class:`FormSpec` says so; the printed
forms, handed to applicants, do not. A case under Decree 118/2025 gets the decree's wording
(the desk is the Bộ phận Một cửa, which issues the supplement request; a refusal after
receipt does not resolve the dossier, Art. 19(3)); the control slip cites a broken rule by its
code and articles only. The case attributes the forms print (applicant, address,
documents…) are listed in :data:`CASE_ATTRIBUTES`, and a value of another JSON type than
theirs is refused, never printed.
"""

from tthc_flow.forms._attributes import CASE_ATTRIBUTES, CaseAttribute
from tthc_flow.forms._circulars import (
    CIRCULAR_01_2018,
    CIRCULAR_03_2025,
    CIRCULARS,
    Circular,
    circular_in_force,
)
from tthc_flow.forms._html import render_html
from tthc_flow.forms._ledger import case_ledger, lead_unit
from tthc_flow.forms._model import (
    BLANK,
    Form,
    FormField,
    FormKind,
    FormSpec,
    FormTable,
    Page,
    Signature,
)
from tthc_flow.forms._notices import (
    apology,
    receipt,
    refusal,
    stop_notice,
    supplement_request,
)
from tthc_flow.forms._slip import control_slip
from tthc_flow.forms._text import render_text

__all__ = [
    "BLANK",
    "CASE_ATTRIBUTES",
    "CIRCULARS",
    "CIRCULAR_01_2018",
    "CIRCULAR_03_2025",
    "CaseAttribute",
    "Circular",
    "Form",
    "FormField",
    "FormKind",
    "FormSpec",
    "FormTable",
    "Page",
    "Signature",
    "apology",
    "case_ledger",
    "circular_in_force",
    "control_slip",
    "lead_unit",
    "receipt",
    "refusal",
    "render_html",
    "render_text",
    "stop_notice",
    "supplement_request",
]

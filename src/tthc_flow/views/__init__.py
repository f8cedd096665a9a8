"""JSON views for hosts (dạng JSON cho hệ thống tích hợp): what a REST API returns for a
case, a clock reading, a status, an active step, a violation and an error, each with a
published JSON Schema (draft 2020-12).

The values have ``to_json()`` (:meth:`~tthc_flow.engine.ClockReading.to_json`,
:meth:`~tthc_flow.engine.CaseStatus.to_json`, :meth:`~tthc_flow.engine.Case.to_json`,
:meth:`~tthc_flow.errors.TthcFlowError.to_json`…); :func:`json_schema` gives the schema of
each. Instants are ISO 8601 with their offset, durations ISO 8601 (``PT80H``), enums their
stable code with a ``*_label`` beside it.

>>> from tthc_flow.views import SCHEMA_NAMES, json_schema
>>> json_schema("clock_reading")["properties"]["due"]["anyOf"][1]
{'type': 'null'}
>>> "case" in SCHEMA_NAMES
True
"""

from tthc_flow.views._build import (
    active_step_json,
    case_json,
    clock_json,
    error_json,
    status_json,
)
from tthc_flow.views._schemas import SCHEMA_NAMES, json_schema
from tthc_flow.views._values import iso_duration, json_value

__all__ = [
    "SCHEMA_NAMES",
    "active_step_json",
    "case_json",
    "clock_json",
    "error_json",
    "iso_duration",
    "json_schema",
    "json_value",
    "status_json",
]

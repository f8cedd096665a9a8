"""The published JSON Schemas (draft 2020-12) of the views, one per value. Each is whole on
its own (the case's embeds the others under ``$defs``), so a host validates a response with
any JSON Schema library and nothing else."""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["SCHEMA_NAMES", "json_schema"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_INSTANT = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}:\d{2}(:\d{2})?|Z)$",
    "description": "ISO 8601 instant with its UTC offset",
}
_MAYBE_INSTANT = {"anyOf": [_INSTANT, {"type": "null"}]}
_DURATION = {
    "type": "string",
    "pattern": r"^-?PT(\d+H)?(\d+M)?(\d+(\.\d{1,6})?S)?$",
    "description": "ISO 8601 duration in hours, minutes and seconds, exact to the µs",
}
_TEXT = {"type": "string"}
_MAYBE_TEXT = {"type": ["string", "null"]}
_COUNT = {"type": "integer", "minimum": 0}
_CODE = {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"}


def _object(properties: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }


_PHASES = [
    "new", "processing", "paused", "awaiting_supplement", "resolved", "returned", "refused",
    "withdrawn", "stopped", "closed",
]  # fmt: skip
_CLOCK_STATUSES = ["not_started", "running", "paused", "waiting", "stopped"]
_RESULTS = ["early", "on_time", "overdue", "in_progress", "in_progress_overdue", "closed"]

CLOCK_READING = _object(
    {
        "name": _TEXT,
        "at": _INSTANT,
        "status": {"enum": _CLOCK_STATUSES},
        "status_label": _TEXT,
        "budget": {"type": "string", "description": "the budget as published"},
        "allowed": _DURATION,
        "elapsed": _DURATION,
        "remaining": _DURATION,
        "due": _MAYBE_INSTANT,
        "projected_due": _MAYBE_INSTANT,
        "started_at": _MAYBE_INSTANT,
        "finished_at": _MAYBE_INSTANT,
        "result": {"enum": _RESULTS},
        "result_label": _TEXT,
        "overdue": {"type": "boolean"},
        "forced_overdue": _MAYBE_TEXT,
        "step": _MAYBE_TEXT,
        "visit": {"type": ["integer", "null"], "minimum": 1},
        "unit": _MAYBE_TEXT,
    },
    "What a clock says at 'at' (ClockReading): due null while it waits for a supplement "
    "that restarts it (Decree 118/2025 Art. 19(5)); remaining negative when overdue.",
)

CASE_STATUS = _object(
    {
        "phase": {"enum": _PHASES},
        "phase_label": _TEXT,
        "step": _MAYBE_TEXT,
        "unit": _MAYBE_TEXT,
        "steps": {"type": "array", "items": _TEXT},
        "holders": {"type": "object", "additionalProperties": _TEXT},
        "consulting": {"type": "array", "items": _TEXT},
        "received_at": _MAYBE_INSTANT,
        "resolved_at": _MAYBE_INSTANT,
        "finished_at": _MAYBE_INSTANT,
        "pause_reason": _MAYBE_TEXT,
        "supplement_requests": _COUNT,
        "reschedules": _COUNT,
        "pause_counts": {"type": "object", "additionalProperties": _COUNT},
        "violations": _COUNT,
    },
    "A case's state without its clocks (CaseStatus).",
)

ACTIVE_STEP = _object(
    {
        "step": _TEXT,
        "name": _TEXT,
        "unit": _TEXT,
        "due": _MAYBE_INSTANT,
        "holder": _MAYBE_TEXT,
    },
    "A step the case is at (ActiveStep); due null while its clock awaits a supplement.",
)

VIOLATION = _object(
    {
        "rule": _TEXT,
        "message": _TEXT,
        "citation": _TEXT,
        "category": {"enum": ["machine", "actor", "law"]},
    },
    "A rule an event breaks (Violation); citation empty for the engine's own rules.",
)

ERROR = _object(
    {
        "error": {"type": "string", "description": "the error's class"},
        "code": {**_CODE, "description": "the class's stable code (error_code)"},
        "message": _TEXT,
        "rule": _MAYBE_TEXT,
        "article": _MAYBE_TEXT,
        "hint": _MAYBE_TEXT,
        "value": {"description": "the offending value; one that is not JSON as its repr"},
        "violations": {"type": "array", "items": {"$ref": "#/$defs/violation"}},
        "details": {"type": "object", "description": "every other attribute of the error"},
    },
    "An error of tthc_flow (TthcFlowError.to_json).",
)

_RECORDED_VIOLATION = {
    **VIOLATION,
    "properties": {**VIOLATION["properties"], "seq": _COUNT, "kind": _CODE},
    "required": sorted([*VIOLATION["required"], "seq", "kind"]),
}

CASE = _object(
    {
        "case_id": _TEXT,
        "procedure": _object(
            {"code": _TEXT, "version": _TEXT, "name": _TEXT, "kind": _CODE},
            "The procedure version the case runs under.",
        ),
        "at": _INSTANT,
        "version": _COUNT,
        "status": {"$ref": "#/$defs/case_status"},
        "active_steps": {"type": "array", "items": {"$ref": "#/$defs/active_step"}},
        "clocks": {
            "type": "object",
            "properties": {
                "legal": {"$ref": "#/$defs/clock_reading"},
                "indicator": {"$ref": "#/$defs/clock_reading"},
            },
            "required": ["indicator", "legal"],
            "additionalProperties": False,
        },
        "violations": {"type": "array", "items": _RECORDED_VIOLATION},
    },
    "A case as a host shows it (Case.to_json): state, active steps, clocks, violations.",
)

_DEFS = {
    "clock_reading": CLOCK_READING,
    "case_status": CASE_STATUS,
    "active_step": ACTIVE_STEP,
    "violation": VIOLATION,
}

def _case_attributes() -> dict[str, Any]:
    from tthc_flow.forms._attributes import CASE_ATTRIBUTES

    return {
        "type": "object",
        "description": "The case attributes the library reads (Case.open(attributes=...)); "
        "a procedure's budget adjustments read the attributes their 'when' names, and any "
        "other attribute is the host's own, kept as it is.",
        "properties": {
            name: {**attribute.schema,
                   "description": f"{attribute.label}; read by {'; '.join(attribute.read_by)}"}
            for name, attribute in CASE_ATTRIBUTES.items()
        },
        "additionalProperties": True,
    }  # fmt: skip


_SCHEMAS = {
    "clock_reading": (CLOCK_READING, {}),
    "case_status": (CASE_STATUS, {}),
    "active_step": (ACTIVE_STEP, {}),
    "violation": (VIOLATION, {}),
    "error": (ERROR, {"violation": VIOLATION}),
    "case": (CASE, _DEFS),
    "case_attributes": (None, {}),
}

#: The names :func:`json_schema` knows.
SCHEMA_NAMES = tuple(_SCHEMAS)


def json_schema(name: str) -> dict[str, Any]:
    """The published JSON Schema of the view ``name`` (one of :data:`SCHEMA_NAMES`), a new
    copy on every call."""
    from tthc_flow._validators import shown
    from tthc_flow.errors import InvalidInputError

    if type(name) is not str or name not in _SCHEMAS:
        raise InvalidInputError(
            f"no view is named {shown(name)}.",
            value=name,
            hint=f"The views are {', '.join(SCHEMA_NAMES)}.",
        )
    schema, defs = _SCHEMAS[name]
    whole: dict[str, Any] = {
        "$schema": _DIALECT,
        "$id": f"urn:tthc-flow:view:{name}",
        "title": f"tthc_flow {name}",
        **copy.deepcopy(schema if schema is not None else _case_attributes()),
    }
    if defs:
        whole["$defs"] = copy.deepcopy(defs)
    return whole

"""Status and channel codes of the National Public Service Portal (Cổng Dịch vụ công quốc gia)
and the status records a synchronisation job sends for a case.

**Not verified.** The codes below are the ones widely used by provincial systems to synchronise
with the portal (status 1–10, channel 1–3); they have not been re-checked against the portal's
2026 integration specification. They are therefore data, :class:`PortalCodes`, which a host
replaces with the table its integration contract gives (``attrs.evolve`` on
:data:`DEFAULT_PORTAL_CODES`), never constants in code.

Status codes (trạng thái hồ sơ): 1 mới đăng ký (newly filed), 2 đã tiếp nhận (accepted),
3 không được tiếp nhận (not accepted), 4 đang xử lý (processing), 5 yêu cầu bổ sung (supplement
requested), 6 yêu cầu thực hiện nghĩa vụ tài chính (financial obligation requested), 7 công dân
rút hồ sơ (withdrawn), 8 dừng xử lý (stopped), 9 đã xử lý xong (processed), 10 đã trả kết quả
(result returned). Channels (kênh nộp): 1 trực tiếp (in person), 2 trực tuyến (online), 3 qua
dịch vụ bưu chính công ích (public postal service), from the case attribute ``channel``
(``"in_person"``, ``"online"``, ``"postal"``).

How a case's state maps to a status (each rule is a field of :class:`PortalCodes`):

- a received case still at its reception step, never handed over, is *accepted* (2); once
  handed over it is *processing* (4);
- a pause is *processing* (4) unless its reason has a code of its own (``financial_obligation``
  → 6); the portal has no generic "paused" status;
- a refusal before the case was ever handed over is *not accepted* (3); a refusal after that
  is *stopped* (8): the case ends without a result;
- resolved → 9, result returned → 10, withdrawn → 7, stopped → 8; a dossier closed because
  the applicant never completed it (đóng hồ sơ, Decree 118/2025 Art. 19(5)) → 8, for want of
  a code of its own in the widely used table; a case with no events is *newly filed* (1).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NoReturn

import attrs

from tthc_flow._validators import shown
from tthc_flow.codec import MAX_INTEGER
from tthc_flow.engine import CHANNELS, Case, CaseStatus, EventKind, Phase, Replay
from tthc_flow.errors import InvalidInputError

__all__ = [
    "DEFAULT_PORTAL_CODES",
    "PortalCodes",
    "channel_code",
    "portal_status",
    "status_history",
]


def _frozen(value: Any) -> Any:
    # Anything but a mapping is left for the validator to refuse with a typed error.
    return MappingProxyType(dict(value)) if isinstance(value, Mapping) else value


def _code(value: Any) -> bool:
    # A bool is not a status code (True == 1 would be sent as "newly filed"), nor is "2".
    return type(value) is int and 0 <= value <= MAX_INTEGER


def _refuse(attribute: Any, value: Any, wanted: str, example: str) -> NoReturn:
    raise InvalidInputError(
        f"PortalCodes.{attribute.name} must be {wanted}, got {shown(value)}.",
        value=value,
        hint=f"Write e.g. {attribute.name}={example}, as the integration contract gives it.",
    )


def _status_code(instance: Any, attribute: Any, value: Any) -> None:
    if not _code(value):
        _refuse(attribute, value, "a status code (an int >= 0)", "2")


def _table(key: type, key_name: str, value_check: Any, wanted: str, example: str) -> Any:
    """attrs validator factory: a mapping of ``key`` to values ``value_check`` accepts."""

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, Mapping) or not all(
            isinstance(k, key) and (key is not int or _code(k)) and value_check(v)
            for k, v in value.items()
        ):
            _refuse(attribute, value, f"a mapping of {key_name} to {wanted}", example)

    return check


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _source(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str):
        _refuse(attribute, value, "a text", "'the integration contract of 2026'")


def _known_channels(instance: Any, attribute: Any, value: Mapping[str, int]) -> None:
    """The channels coded are the ways of filing of Decree 118/2025 Art. 15: a case with
    another is refused at receipt, so its code could never be used."""
    unknown = sorted(set(value) - set(CHANNELS))
    if unknown:
        _refuse(attribute, unknown, f"channels among {', '.join(CHANNELS)}",
                "{'in_person': 1, 'online': 2, 'postal': 3}")


def _every_phase(instance: PortalCodes, attribute: object, value: Mapping[Phase, int]) -> None:
    missing = [phase.name for phase in Phase if phase not in value]
    if missing:
        raise InvalidInputError(
            f"portal codes give no status for phase(s) {', '.join(missing)}.",
            value=missing,
            hint="Give a status code for every Phase, so that no case goes unreported.",
        )


@attrs.frozen
class PortalCodes:
    """The portal's code tables and the rules that map a case to them (see the module).

    ``phases`` gives the status of each :class:`~tthc_flow.engine.Phase` (every phase must
    have one); ``accepted`` the status of a case received and not yet handed over;
    ``refused_at_reception`` the status of a case refused before any handover;
    ``pause_reasons`` a status for pauses with these reasons; ``channels`` the code of each
    value of the ``channel`` attribute; ``labels`` the Vietnamese (English) name of each status.
    """

    phases: Mapping[Phase, int] = attrs.field(
        converter=_frozen,
        validator=[
            _table(Phase, "Phase", _code, "status codes (ints >= 0)", "{Phase.NEW: 1, ...}"),
            _every_phase,
        ],
    )
    accepted: int = attrs.field(validator=_status_code)
    refused_at_reception: int = attrs.field(validator=_status_code)
    pause_reasons: Mapping[str, int] = attrs.field(
        converter=_frozen,
        validator=_table(str, "texts", _code, "status codes (ints >= 0)",
                         "{'financial_obligation': 6}"),
    )  # fmt: skip
    channels: Mapping[str, int] = attrs.field(
        converter=_frozen,
        validator=[
            _table(str, "texts", _code, "channel codes (ints >= 0)", "{'online': 2}"),
            _known_channels,
        ],
    )
    labels: Mapping[int, str] = attrs.field(
        converter=_frozen,
        validator=_table(int, "status codes", _text, "texts", "{2: 'Đã tiếp nhận'}"),
    )
    source: str = attrs.field(default="", validator=_source)

    def label(self, status: int) -> str:
        """The name of a status code; an unknown code is named as such, not guessed."""
        if not _code(status):
            raise InvalidInputError(
                f"a portal status code is an int >= 0, got {shown(status)}.",
                value=status,
                hint="Pass a code such as portal_status(case).",
            )
        return self.labels.get(status, f"mã {status} (unknown code)")


DEFAULT_PORTAL_CODES = PortalCodes(
    phases={
        Phase.NEW: 1,
        Phase.PROCESSING: 4,
        Phase.PAUSED: 4,
        Phase.AWAITING_SUPPLEMENT: 5,
        Phase.RESOLVED: 9,
        Phase.RETURNED: 10,
        Phase.REFUSED: 8,
        Phase.WITHDRAWN: 7,
        Phase.STOPPED: 8,
        Phase.CLOSED: 8,
    },
    accepted=2,
    refused_at_reception=3,
    pause_reasons={"financial_obligation": 6},
    channels={"in_person": 1, "online": 2, "postal": 3},
    labels={
        1: "Mới đăng ký (newly filed)",
        2: "Đã tiếp nhận (accepted)",
        3: "Không được tiếp nhận (not accepted)",
        4: "Đang xử lý (processing)",
        5: "Yêu cầu bổ sung hồ sơ (supplement requested)",
        6: "Yêu cầu thực hiện nghĩa vụ tài chính (financial obligation requested)",
        7: "Công dân rút hồ sơ (withdrawn)",
        8: "Dừng xử lý (stopped)",
        9: "Đã xử lý xong (processed)",
        10: "Đã trả kết quả (result returned)",
    },
    source=(
        "codes widely used to synchronise with the National Public Service Portal; not "
        "verified against the portal's 2026 specification"
    ),
)


def _arguments(case: Any, codes: Any, function: str) -> None:
    if not isinstance(case, Case):
        raise InvalidInputError(
            f"{function} takes a Case, got {type(case).__name__} {shown(case)}.",
            value=case,
            hint="Pass a received case, e.g. catalog.open_case(...) or Case.from_events(...).",
        )
    if not isinstance(codes, PortalCodes):
        raise InvalidInputError(
            f"{function}: codes must be PortalCodes, got {type(codes).__name__} "
            f"{shown(codes)}.",
            value=codes,
            hint="Pass DEFAULT_PORTAL_CODES, or attrs.evolve(DEFAULT_PORTAL_CODES, ...).",
        )


def _status_of(status: CaseStatus, handed_over: bool, codes: PortalCodes) -> int:
    phase = status.phase
    if phase is Phase.REFUSED and not handed_over:
        return codes.refused_at_reception
    reason = status.pause_reason
    if phase is Phase.PAUSED and reason is not None and reason in codes.pause_reasons:
        return codes.pause_reasons[reason]
    if phase is Phase.PROCESSING and not handed_over:
        return codes.accepted
    return codes.phases[phase]


def portal_status(case: Case, codes: PortalCodes = DEFAULT_PORTAL_CODES) -> int:
    """The portal status code of ``case`` after its last event (1 for a case with no events).

    >>> DEFAULT_PORTAL_CODES.label(5)
    'Yêu cầu bổ sung hồ sơ (supplement requested)'
    """
    _arguments(case, codes, "portal_status")
    if not case.events:
        return codes.phases[Phase.NEW]
    handed_over = any(e.kind is EventKind.HANDED_OVER for e in case.events)
    return _status_of(case.status, handed_over, codes)


def channel_code(case: Case, codes: PortalCodes = DEFAULT_PORTAL_CODES) -> int:
    """The portal channel code of ``case``, from its ``channel`` attribute.

    A case without the attribute, or with a value the table does not know, raises
    :class:`~tthc_flow.errors.InvalidInputError`: a record with a guessed channel would be
    wrong on the portal.
    """
    _arguments(case, codes, "channel_code")
    value = case.attributes.get("channel")
    if not isinstance(value, str) or value not in codes.channels:
        known = ", ".join(repr(k) for k in codes.channels)
        raise InvalidInputError(
            f"case {case.case_id} has channel {shown(value)}, which has no portal code.",
            value=value,
            hint=f"Set the case attribute 'channel' to one of {known} when receiving it.",
        )
    return codes.channels[value]


def status_history(
    case: Case,
    codes: PortalCodes = DEFAULT_PORTAL_CODES,
    *,
    dossier_code: str | None = None,
) -> list[dict[str, Any]]:
    """The records a synchronisation job sends for ``case``: one per status change, in order.

    Each record is JSON-ready: ``case_id``, ``procedure``, ``version``, ``dossier_code`` (the
    one given, else the case's ``dossier_code`` attribute; absent when neither), ``status``
    and ``status_label``, ``previous_status`` (None for the first), ``channel``, ``at`` (the
    instant of the event that changed the status, ISO 8601 with its offset), ``seq`` and
    ``event`` (that event's number and kind) and ``unit`` (who acted).
    Events that leave the status unchanged (a second handover, a reschedule, a pause with no
    code of its own) send nothing; the first record is the receipt. A case with no events has
    no records. A dossier code that is not a text (or a
    :class:`~tthc_flow.portal.DossierCode`) is refused, not written as one.
    """
    _arguments(case, codes, "status_history")
    if dossier_code is None and case.attributes.get("dossier_code"):
        dossier_code = case.attributes["dossier_code"]
    if dossier_code is not None:
        dossier_code = _dossier_code(dossier_code)
    events = case.events
    if not events:
        return []
    channel = channel_code(case, codes)
    records: list[dict[str, Any]] = []
    previous: int | None = None
    handed_over = False
    # One fold through the engine's own state, read after each event: the portal sees exactly
    # the phases the engine reports, in time linear in the history.
    folded = Replay(case.procedure, events[0], case.calendar)
    for event in events:
        handed_over = handed_over or event.kind is EventKind.HANDED_OVER
        folded.feed(event)
        status = _status_of(folded.status, handed_over, codes)
        if status == previous:
            continue
        record: dict[str, Any] = {
            "case_id": case.case_id,
            "procedure": case.procedure.code,
            "version": case.procedure.version,
        }
        if dossier_code is not None:
            record["dossier_code"] = dossier_code
        record.update(
            status=status,
            status_label=codes.label(status),
            previous_status=previous,
            channel=channel,
            at=event.at.isoformat(),
            seq=event.seq,
            event=event.kind.value,
            unit=event.unit,
        )
        records.append(record)
        previous = status
    return records


def _dossier_code(value: Any) -> str:
    # str() would send ['x'] or 5 to the portal as if it were a code.
    from tthc_flow.portal._dossier_code import DossierCode

    if isinstance(value, DossierCode):
        return value.format()
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(
            f"a dossier code is a non-empty text, got {type(value).__name__} {shown(value)}.",
            value=value,
            hint="Pass the code printed on the receipt, e.g. '000.00.31.H42-250702-0007', "
            "or set the case attribute 'dossier_code' to it.",
        )
    return value

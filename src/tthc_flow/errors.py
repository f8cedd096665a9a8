"""One exception hierarchy for the whole library.

Every error the library raises on purpose is a :class:`TthcFlowError`. Leaves also subclass
the built-in exception they narrow (``ValueError``, ``KeyError``, ``TypeError``) so that code
written against the standard library's conventions keeps working. Each error says what was
wrong and how to fix it, and carries the offending value as an attribute so that a host
system can react without parsing the message.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

__all__ = [
    "ActorNotAllowedError",
    "BudgetError",
    "CalendarError",
    "CalendarRangeError",
    "CatalogError",
    "CatalogFormatError",
    "CatalogInvalidError",
    "CatalogLoadError",
    "CommandRefusedError",
    "ConcurrencyError",
    "ConflictingDayError",
    "DefinitionError",
    "DiagramError",
    "DossierCodeError",
    "EngineError",
    "EntryTimeError",
    "EventFormatError",
    "FormError",
    "FormNotApplicableError",
    "InvalidHoursError",
    "InvalidInputError",
    "InvariantViolation",
    "NaiveDatetimeError",
    "NotInForceError",
    "RuleError",
    "RuleViolationError",
    "StoreError",
    "TransitionNotAllowedError",
    "TthcFlowError",
    "UnknownProcedureError",
    "UnknownStepError",
]


class TthcFlowError(Exception):
    """Root of every error raised by tthc_flow (lỗi của thư viện tthc_flow).

    ``error_code`` is the class's stable code for hosts (``CommandRefusedError`` →
    ``command_refused``); :meth:`to_json` is the error as a REST API returns it, in the shape
    of the published schema ``error`` (:func:`tthc_flow.views.json_schema`).
    """

    error_code: ClassVar[str] = "tthc_flow"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "error_code" not in cls.__dict__:
            name = cls.__name__.removesuffix("Error")
            cls.error_code = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process boundaries (reports made by worker processes): an error is
        # rebuilt from its message and attributes, without calling __init__, whose
        # arguments differ from class to class (pickle's default calls cls(*args)).
        return _rebuilt, (type(self), self.args, dict(self.__dict__))

    def to_json(self) -> dict[str, Any]:
        """The error as JSON: ``error`` (class), ``code``, ``message``, ``rule``, ``article``,
        ``hint``, ``value`` (the offending value), ``violations`` and ``details`` (every
        other attribute). Values that are not JSON are given as their ``repr``, integers
        beyond 2**53 - 1 as text: the result is JSON whatever the error holds."""
        from tthc_flow.views._build import error_json

        return error_json(self)


def _shown(value: Any) -> str:
    # Imported when an error is built: tthc_flow._validators imports this module.
    from tthc_flow._validators import shown

    return shown(value, 200)


def _rebuilt(
    cls: type[TthcFlowError], args: tuple[Any, ...], state: dict[str, Any]
) -> TthcFlowError:
    error = cls.__new__(cls, *args)
    error.__dict__.update(state)
    return error


class InvalidInputError(TthcFlowError, ValueError):
    """A value of the right type but with a meaning the library cannot accept.

    ``value`` holds what was passed, ``hint`` how to fix it.
    """

    def __init__(self, message: str, *, value: Any = None, hint: str = "") -> None:
        self.value = value
        self.hint = hint
        super().__init__(f"{message} {hint}".strip())


class CalendarError(TthcFlowError):
    """Something is wrong with a working calendar (lịch làm việc) or a question put to it."""


class NaiveDatetimeError(CalendarError, ValueError):
    """A datetime without a time zone was given where an instant is required.

    A naive datetime cannot be placed on the timeline: 08:00 in Hà Nội and 08:00 UTC are seven
    hours apart, and guessing is how deadlines end up wrong.
    """

    def __init__(self, value: Any, *, argument: str = "datetime") -> None:
        self.value = value
        self.argument = argument
        super().__init__(
            f"{argument}={_shown(value)} has no time zone. Pass an aware datetime, e.g. "
            "datetime(2025, 4, 25, 16, 0, tzinfo=ZoneInfo('Asia/Ho_Chi_Minh')) or an ISO "
            "string with an offset such as '2025-04-25T16:00+07:00'."
        )


class CalendarRangeError(CalendarError, ValueError):
    """A date, or a result, falls outside the years a calendar covers."""

    def __init__(self, value: Any, *, first: date, last: date, what: str = "date") -> None:
        self.value = value
        self.first = first
        self.last = last
        super().__init__(
            f"{what} {_shown(value)} is outside the calendar, which covers {first.isoformat()} to "
            f"{last.isoformat()}. Build a calendar that spans it (the supported years are "
            "1995–2100), or check the date for a typo."
        )


class InvalidHoursError(CalendarError, ValueError):
    """Office hours (giờ làm việc) that cannot be used: overlapping, reversed, sub-minute."""

    def __init__(self, message: str, *, value: Any = None) -> None:
        self.value = value
        super().__init__(message)


class ConflictingDayError(CalendarError, ValueError):
    """The same day was both closed and opened by local decisions; say which one holds."""

    def __init__(self, day: date, first: str, second: str) -> None:
        self.day = day
        super().__init__(
            f"{day.isoformat()} is both {first} and {second}. Remove one of them: a day is "
            "either closed or open."
        )


class EngineError(TthcFlowError):
    """Something is wrong with a procedure, a rule pack, a case or a command on it."""


class BudgetError(EngineError, ValueError):
    """A time budget (thời hạn) that cannot be used: a float, a negative, a sub-minute fraction,
    or a sum of working and calendar time. ``value`` holds the offending input."""

    def __init__(self, message: str, *, value: Any = None) -> None:
        self.value = value
        super().__init__(message)


class RuleError(EngineError, ValueError):
    """A rule pack that cannot be built or used; ``rule`` names the offending entry."""

    def __init__(self, message: str, *, rule: Any = None) -> None:
        self.rule = rule
        super().__init__(message)


class DefinitionError(EngineError, ValueError):
    """A procedure that cannot be used, found when it is defined.

    ``procedure`` is its code, ``step`` the offending step's key (None when the problem is the
    procedure as a whole), ``check`` the name of the check that failed.
    """

    def __init__(
        self, message: str, *, procedure: str = "", step: str | None = None, check: str = ""
    ) -> None:
        self.procedure = procedure
        self.step = step
        self.check = check
        where = f"procedure {procedure}" + (f", step {_shown(step)}" if step else "")
        super().__init__(f"{where}: {message}" if procedure else message)


class EventFormatError(EngineError, ValueError):
    """An event, or a journal line, that cannot be read or built (bad JSON, a field of the
    wrong type, an unknown kind, a missing instant).

    Where they are known, ``source`` names the file, ``line`` its line number, ``case_id``
    the case and ``field`` the offending field; the message starts with them.
    """

    def __init__(
        self, message: str, *, field: str | None = None, line: int | None = None,
        case_id: str | None = None, source: str | None = None,
    ) -> None:  # fmt: skip
        self.field = field
        self.line = line
        self.case_id = case_id
        self.source = source
        self.detail = message
        where = []
        if source:
            where.append(source if line is None else f"{source}:{line}")
        elif line is not None:
            where.append(f"line {line}")
        if case_id is not None:
            where.append(f"case {_shown(case_id)}")
        if field is not None:
            where.append(f"field {_shown(field)}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)

    @classmethod
    def of_field(cls, field: str, message: str) -> EventFormatError:
        """The error factory of the strict codec: ``field`` names the offending field."""
        return cls(message, field=field)

    @classmethod
    def in_line(cls, where: str, message: str) -> EventFormatError:
        """The error factory for a line read as a whole (``where`` is ``line`` or
        ``line.<path>``): its field is the path inside the line."""
        return cls(message, field=where.partition(".")[2] or None)

    def at(
        self, *, line: int | None = None, case_id: str | None = None,
        source: str | None = None,
    ) -> EventFormatError:  # fmt: skip
        """The same error placed in a file, line and case (those already known are kept)."""
        return EventFormatError(
            self.detail, field=self.field,
            line=self.line if self.line is not None else line,
            case_id=self.case_id if self.case_id is not None else case_id,
            source=self.source or source,
        )  # fmt: skip


class UnknownStepError(EngineError, KeyError):
    """An event names a step the procedure does not have; the case cannot be placed."""

    def __init__(self, procedure: str, step: str | None) -> None:
        self.procedure = procedure
        self.step = step
        super().__init__(
            f"procedure {procedure} has no step {_shown(step)}; check the event's target "
            "against the procedure version the case was received under."
        )

    def __str__(self) -> str:
        return str(self.args[0])


class CommandRefusedError(EngineError):
    """A command the case refused in strict mode; nothing was recorded.

    ``violations`` lists every rule it would break (each with ``rule``, ``message`` and
    ``citation``), ``rule`` is the first one's code, ``command`` the event kind refused and
    ``step`` the step the case was at.
    """

    def __init__(self, violations: Any, *, command: str, step: str | None, case_id: str) -> None:
        self.violations = tuple(violations)
        self.rule = self.violations[0].rule if self.violations else ""
        self.command = command
        self.step = step
        self.case_id = case_id
        lines = "; ".join(str(v) for v in self.violations)
        super().__init__(f"case {case_id}: {command} refused at step {_shown(step)}: {lines}")


class TransitionNotAllowedError(CommandRefusedError):
    """The procedure's state machine does not allow the command from the current state."""


class ActorNotAllowedError(CommandRefusedError):
    """The actor's unit or role is not the one responsible for the current step."""


class RuleViolationError(CommandRefusedError):
    """The command breaks a rule of the legal rule pack (pauses, supplements, apologies)."""


class CatalogError(TthcFlowError):
    """Something is wrong with a catalog of procedures (danh mục thủ tục hành chính)."""


class UnknownProcedureError(CatalogError, KeyError):
    """A catalog has no procedure with this code (or no such version of it)."""

    def __init__(self, code: str, version: str | None = None, *, known: Any = ()) -> None:
        self.code = code
        self.version = version
        what = f"procedure {_shown(code)}" + (
            f" version {_shown(version)}" if version is not None else ""
        )
        listed = ", ".join(known) or "none"
        super().__init__(f"the catalog has no {what}; it has: {listed}.")

    def __str__(self) -> str:
        return str(self.args[0])


class NotInForceError(CatalogError, KeyError):
    """No version of a procedure is in force on the day asked about."""

    def __init__(self, code: str, day: date, *, spans: Any = ()) -> None:
        self.code = code
        self.day = day
        listed = "; ".join(spans) or "no versions"
        super().__init__(
            f"no version of procedure {_shown(code)} is in force on {day.isoformat()} ({listed}). "
            "Receive the case under a version in force that day, or publish one."
        )

    def __str__(self) -> str:
        return str(self.args[0])


class CatalogInvalidError(CatalogError, ValueError):
    """A catalog that breaks whole-catalog rules; ``findings`` lists every problem found."""

    def __init__(self, name: str, findings: Any) -> None:
        self.name = name
        self.findings = tuple(findings)
        lines = "\n".join(f"  - {finding}" for finding in self.findings)
        super().__init__(f"catalog {_shown(name)} has {len(self.findings)} problem(s):\n{lines}")


class CatalogFormatError(CatalogError, ValueError):
    """A catalog in JSON that cannot be read; ``path`` points at the offending part."""

    def __init__(self, message: str, *, path: str = "") -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class CatalogLoadError(CatalogError, LookupError):
    """A catalog that cannot be found or imported from the name, path or entry point given."""


class DiagramError(TthcFlowError, ValueError):
    """A diagram that cannot be drawn in the format asked (e.g. no graphviz for an image)."""


class FormError(TthcFlowError):
    """Something is wrong with an official form (biểu mẫu) asked of a case."""


class FormNotApplicableError(FormError, ValueError):
    """A form the case cannot have, e.g. a supplement request form (phiếu yêu cầu bổ sung)
    for a case whose events hold no supplement request. ``form`` names the form, ``case_id``
    the case."""

    def __init__(self, message: str, *, form: str, case_id: str) -> None:
        self.form = form
        self.case_id = case_id
        super().__init__(message)


class DossierCodeError(TthcFlowError, ValueError):
    """A dossier code (mã số hồ sơ) that cannot be read or built. ``part`` names the bad part
    of ``V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX`` (or ``"format"`` for the whole shape), ``value``
    holds what was given for it."""

    def __init__(self, message: str, *, part: str, value: object) -> None:
        self.part = part
        self.value = value
        super().__init__(f"dossier code part {part}: {message}")


class StoreError(TthcFlowError):
    """Something is wrong with a case store (kho hồ sơ): its address, its schema, or a case
    it does not hold. ``url`` is the store's address (without a password)."""

    def __init__(self, message: str, *, url: str = "", hint: str = "") -> None:
        self.url = url
        self.hint = hint
        super().__init__(f"{message} {hint}".strip())


class ConcurrencyError(StoreError):
    """Another writer appended to the case since it was loaded (optimistic concurrency):
    nothing was written. Load the case again and repeat the command (``Store.run`` does).
    ``case_id``, ``expected`` (the version the append assumed) and ``found`` (the stored
    one) say which."""

    def __init__(self, case_id: str, expected: int, found: int | None, *, url: str = "") -> None:
        self.case_id = case_id
        self.expected = expected
        self.found = found
        stored = "no such case" if found is None else f"{found} event(s)"
        super().__init__(
            f"case {case_id}: expected {expected} stored event(s), found {stored}; another "
            "writer got there first and nothing was written.",
            url=url,
            hint="Load the case again and repeat the command, or use store.run(...), which "
            "retries.",
        )


class EntryTimeError(StoreError):
    """An event the store refuses for its time: dated in the future beyond the allowed
    clock skew, or backdated beyond the host's limit. Nothing was written."""


class InvariantViolation(TthcFlowError, AssertionError):
    """A property that must hold for every case or catalog does not (bất biến bị vi phạm).

    Raised by the checks of :mod:`tthc_flow.testing`. ``invariant`` is the stable name of the
    property (``"replay.status"``, ``"clock.balance"``, ``"catalog.dead_end"``...),
    ``evidence`` a mapping of what was seen, ``subject`` what was checked (a case id, a
    procedure code and version). It is an ``AssertionError`` so that pytest reports it as a
    failed test and Hypothesis shrinks the example that raised it. ``related`` holds the other
    invariants broken by the same subject when a check reports them all at once.
    """

    def __init__(
        self,
        message: str,
        *,
        invariant: str,
        evidence: Any = None,
        subject: str = "",
        related: Any = (),
    ) -> None:
        self.invariant = invariant
        self.evidence = dict(evidence or {})
        self.subject = subject
        self.related = tuple(related)
        where = f"{subject}: " if subject else ""
        super().__init__(f"{where}[{invariant}] {message}")

"""Dossier codes (mã số hồ sơ) in the format of Circular 01/2018/TT-VPCP, Art. 19.

The code printed on the receipt and used to look a case up on the national portal::

    V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX
    └──────── agency ────────┘ └date┘ └seq┘

- ``V1V2V3.Z1Z2.Y1Y2.MX1X2`` is the **agency code** (mã định danh) of the receiving agency,
  read right to left from the widest level: ``MX1X2`` the level-1 body (a letter and two
  digits: ``G..`` for ministries and central agencies, ``H..`` for provinces, as seen in
  practice, e.g. ``H42``), ``Y1Y2`` level 2 (a department or, before July 2025, a district),
  ``Z1Z2`` level 3, ``V1V2V3`` level 4; zeros mean "the level above itself"
  (``000.00.00.H42`` is the provincial body). The code list is kept by the Ministry of
  Information and Communications (QCVN 102:2016/BTTTT, later Decision 20/2020/QĐ-TTg).
- ``YYMMDD`` is the **receipt date** (year in two digits, read as 2000–2099: the format dates
  from 2018).
- ``XXXX`` is the **sequence number** of the dossier among those the agency received that day,
  ``0001`` to ``9999``.

What could not be verified against the circular's text, and is therefore an assumption of this
module: that levels 2–4 are digits only (some systems print shortened or alphanumeric codes,
which :meth:`DossierCode.parse` refuses); that the level-1 letter may be any of ``A``–``Z``;
that the sequence restarts each day and starts at 1 (``0000`` is refused).

>>> code = DossierCode.parse("000.00.31.H42-250702-0007")
>>> code.received, code.sequence, code.level1
(datetime.date(2025, 7, 2), 7, 'H42')
>>> str(code)
'000.00.31.H42-250702-0007'
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import attrs

from tthc_flow._validators import shown
from tthc_flow.errors import DossierCodeError, NaiveDatetimeError

__all__ = ["DossierCode"]

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_SEQUENCE = 9999

# One pattern per part, in the order the parts are printed, so that an error names the first
# part that is wrong.
_PARTS = (
    ("V1V2V3", re.compile(r"[0-9]{3}"), "three digits, e.g. 000"),
    ("Z1Z2", re.compile(r"[0-9]{2}"), "two digits, e.g. 00"),
    ("Y1Y2", re.compile(r"[0-9]{2}"), "two digits, e.g. 31"),
    ("MX1X2", re.compile(r"[A-Z][0-9]{2}"), "an upper-case letter and two digits, e.g. H42"),
)
_SHAPE = re.compile(r"([^.\-]*)\.([^.\-]*)\.([^.\-]*)\.([^.\-]*)-([^.\-]*)-([^.\-]*)")


def _check_agency(agency: str) -> str:
    if not isinstance(agency, str):
        raise DossierCodeError(
            f"the agency code must be a string, got {shown(agency)}.", part="agency", value=agency
        )
    pieces = agency.split(".")
    if len(pieces) != 4:
        raise DossierCodeError(
            f"{shown(agency)} is not an agency code V1V2V3.Z1Z2.Y1Y2.MX1X2 (four parts "
            "separated by dots, e.g. 000.00.31.H42).",
            part="agency",
            value=agency,
        )
    for piece, (name, pattern, shape) in zip(pieces, _PARTS, strict=True):
        if not pattern.fullmatch(piece):
            raise DossierCodeError(
                f"{shown(piece)} should be {shape}.", part=name, value=piece
            )
    return agency


def _check_sequence(instance: object, attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DossierCodeError(
            f"the sequence must be an int, got {shown(value)}.", part="XXXX", value=value
        )
    if not 1 <= value <= MAX_SEQUENCE:
        raise DossierCodeError(
            f"sequence {shown(value)} is outside 1–{MAX_SEQUENCE}: four digits, counted from "
            "0001 each day.",
            part="XXXX",
            value=value,
        )


def _check_received(instance: object, attribute: object, value: date) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise DossierCodeError(
            f"the receipt date must be a date, got {shown(value)}; use DossierCode.generate for an "
            "instant.",
            part="YYMMDD",
            value=value,
        )
    if not 2000 <= value.year <= 2099:
        raise DossierCodeError(
            f"year {value.year} cannot be written as YY (2000–2099).", part="YYMMDD", value=value
        )


def _agency_validator(instance: object, attribute: object, value: str) -> None:
    _check_agency(value)


@attrs.frozen
class DossierCode:
    """A dossier code (mã số hồ sơ): agency code, receipt date and the day's sequence number.

    Built directly, it is validated; :meth:`parse` reads the printed form and :meth:`format`
    (or ``str``) writes it, so ``DossierCode.parse(code.format()) == code``. Every refusal is a
    :class:`~tthc_flow.errors.DossierCodeError` whose ``part`` names the bad part
    (``V1V2V3``, ``Z1Z2``, ``Y1Y2``, ``MX1X2``, ``YYMMDD``, ``XXXX``; ``agency`` when the agency
    code is not four dotted parts; ``format`` when the whole shape is wrong).
    """

    agency: str = attrs.field(validator=_agency_validator)
    received: date = attrs.field(validator=_check_received)
    sequence: int = attrs.field(validator=_check_sequence)

    # ------------------------------------------------------------------ parts

    @property
    def level4(self) -> str:
        """``V1V2V3``: the level-4 unit (000 when the code names a wider body)."""
        return self.agency.split(".")[0]

    @property
    def level3(self) -> str:
        """``Z1Z2``: the level-3 unit."""
        return self.agency.split(".")[1]

    @property
    def level2(self) -> str:
        """``Y1Y2``: the level-2 unit (a department, or a district before July 2025)."""
        return self.agency.split(".")[2]

    @property
    def level1(self) -> str:
        """``MX1X2``: the ministry or province."""
        return self.agency.split(".")[3]

    # ------------------------------------------------------------------ text

    def format(self) -> str:
        """The printed code, ``V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX``."""
        return f"{self.agency}-{self.received:%y%m%d}-{self.sequence:04d}"

    def __str__(self) -> str:
        return self.format()

    @classmethod
    def parse(cls, text: str) -> DossierCode:
        """Read a printed code. Surrounding spaces are ignored; anything else that is not the
        exact format is refused with the bad part named (lower-case letters included: the
        level-1 letter is upper case)."""
        if not isinstance(text, str):
            raise DossierCodeError(
                f"a dossier code is a string, got {shown(text)}.", part="format", value=text
            )
        match = _SHAPE.fullmatch(text.strip())
        if match is None:
            raise DossierCodeError(
                f"{shown(text)} is not V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX "
                "(e.g. 000.00.31.H42-250702-0007).",
                part="format",
                value=text,
            )
        v, z, y, m, day_text, seq_text = match.groups()
        agency = _check_agency(f"{v}.{z}.{y}.{m}")
        if not re.fullmatch(r"[0-9]{6}", day_text):
            raise DossierCodeError(
                f"{day_text!r} should be six digits YYMMDD.", part="YYMMDD", value=day_text
            )
        try:
            received = date(2000 + int(day_text[:2]), int(day_text[2:4]), int(day_text[4:]))
        except ValueError:
            raise DossierCodeError(
                f"{day_text!r} is not a date (YYMMDD).", part="YYMMDD", value=day_text
            ) from None
        if not re.fullmatch(r"[0-9]{4}", seq_text):
            raise DossierCodeError(
                f"{seq_text!r} should be four digits XXXX.", part="XXXX", value=seq_text
            )
        return cls(agency, received, int(seq_text))

    @classmethod
    def generate(cls, agency: str, received: date | datetime, sequence: int) -> DossierCode:
        """The code of the ``sequence``-th dossier received by ``agency`` on a day.

        ``received`` may be a date or an aware instant; an instant is read in Vietnam's time
        zone (a dossier received at 23:30 UTC is received the next day in Vietnam). A naive
        instant raises :class:`~tthc_flow.errors.NaiveDatetimeError`.
        """
        if isinstance(received, datetime):
            if received.tzinfo is None or received.utcoffset() is None:
                raise NaiveDatetimeError(received, argument="received")
            try:
                received = received.astimezone(VN).date()
            except OverflowError:  # datetime.max in UTC is past year 9999 in Vietnam
                raise DossierCodeError(
                    f"the receipt instant {shown(received)} has no date in Vietnam; YY is "
                    "read as 2000–2099.",
                    part="YYMMDD",
                    value=received,
                ) from None
        return cls(agency, received, sequence)

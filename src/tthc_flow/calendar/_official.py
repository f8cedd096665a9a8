"""National days of Vietnam for state agencies: law as data, each day with its source.

Public holidays, compensatory days and the Government's yearly swaps come from the
``holidays`` package (country ``VN``), which already encodes make-up Saturdays
(``weekend_workdays``). This module only adds what it lacks, as data with the number of the
document that decided it (:data:`EXTRA_SWAPS`), and attaches a legal source to every day.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import TYPE_CHECKING

import attrs

from tthc_flow._validators import instance_of, plain_date
from tthc_flow.calendar._days import DayKind, DayReason
from tthc_flow.calendar._years import check_year
from tthc_flow.errors import InvalidInputError

if TYPE_CHECKING:
    import holidays

__all__ = [
    "COMPENSATORY_RULES",
    "EXTRA_SWAPS",
    "HOLIDAY_RULES",
    "SWAP_SOURCES",
    "OfficialDay",
    "Swap",
    "vietnam_official_days",
]


@attrs.frozen
class LawInForce:
    """A legal text and the years (inclusive) in which it governs a rule."""

    first_year: int
    last_year: int
    citation: str


# Which article fixes the public holidays (ngày nghỉ lễ, Tết) in a given year.
HOLIDAY_RULES: tuple[LawInForce, ...] = (
    LawInForce(1995, 2012, "Bộ luật Lao động 1994, Điều 73"),
    LawInForce(2013, 2020, "Bộ luật Lao động 2012, Điều 115"),
    LawInForce(2021, 2100, "Bộ luật Lao động 2019, Điều 112"),
)

# Which article gives a compensatory day (nghỉ bù) when a holiday falls on a weekly rest day.
COMPENSATORY_RULES: tuple[LawInForce, ...] = (
    LawInForce(1995, 2012, "Bộ luật Lao động 1994, Điều 73"),
    LawInForce(2013, 2020, "Bộ luật Lao động 2012, Điều 115 khoản 3"),
    LawInForce(2021, 2100, "Bộ luật Lao động 2019, Điều 111 khoản 3"),
)

VIETNAM_CULTURE_DAY_SOURCE = (
    "Nghị quyết 80-NQ/TW của Bộ Chính trị: 24/11 hằng năm là Ngày Văn hóa Việt Nam, "
    "người lao động được nghỉ hưởng nguyên lương (từ 2026)"
)

# Documents behind the swaps that ``holidays`` encodes, where the document is known.
SWAP_SOURCES: dict[int, str] = {
    2018: "Công văn 6519/VPCP-KGVX năm 2018 (nghỉ lễ, Tết 2019 của cán bộ, công chức)",
    2019: "Công văn 6519/VPCP-KGVX năm 2018 (nghỉ lễ, Tết 2019 của cán bộ, công chức)",
    2024: "Công văn 2450/VPCP-KGVX năm 2024 (hoán đổi ngày làm việc dịp 30/4–1/5/2024)",
    2025: "Thông báo 6150/TB-BLĐTBXH năm 2024 (lịch nghỉ Tết và lễ năm 2025 của công chức)",
}
SWAP_SOURCE_FALLBACK = (
    "Government decision on swapping working days for public servants (hoán đổi ngày làm "
    "việc), as encoded in the holidays package, country VN"
)


@attrs.frozen
class Swap:
    """An official swap for public servants (hoán đổi ngày làm việc): ``day_off`` is not worked,
    ``workday`` (a weekly rest day) is worked in exchange. Either may be absent."""

    day_off: date | None = attrs.field(validator=attrs.validators.optional(plain_date))
    workday: date | None = attrs.field(validator=attrs.validators.optional(plain_date))
    name: str = attrs.field(validator=instance_of(str, "Write the swap's name as text."))
    name_en: str = attrs.field(validator=instance_of(str, "Write its English gloss as text."))
    source: str = attrs.field(validator=instance_of(str, "Name the document that decided it."))


# Official swaps missing from the holidays package. Each entry names its document and is
# pinned by a test. An entry that a later ``holidays`` release also carries is skipped, so the
# day is never counted twice; the entry can then be retired.
EXTRA_SWAPS: tuple[Swap, ...] = (
    Swap(
        day_off=date(2026, 1, 2),
        workday=date(2026, 1, 10),
        name="Nghỉ Tết Dương lịch 2026 (hoán đổi với thứ Bảy 10/01/2026)",
        name_en="New Year 2026 swap (worked back on Saturday 10/01/2026)",
        source=(
            "Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ "
            "(nghỉ Tết Dương lịch 2026 từ 01/01 đến 04/01/2026)"
        ),
    ),
)


@attrs.frozen
class OfficialDay:
    """A national decision about one date: a holiday, a compensatory or swapped day off, or a
    make-up working day (ngày làm bù)."""

    day: date = attrs.field(validator=plain_date)
    reason: DayReason = attrs.field(
        validator=instance_of(DayReason, "Build it with DayReason(kind, name, name_en, source).")
    )


def _law_for(rules: tuple[LawInForce, ...], year: int) -> str:
    for rule in rules:
        if rule.first_year <= year <= rule.last_year:
            return rule.citation
    return rules[-1].citation


_SUBSTITUTED = re.compile(r"(\d{2}/\d{2}/\d{4})")


def _kind_of(name_en: str) -> DayKind:
    if name_en.startswith("Day off (substituted"):
        return DayKind.SWAPPED_DAY_OFF
    if "(observed" in name_en:
        return DayKind.COMPENSATORY_DAY_OFF
    return DayKind.PUBLIC_HOLIDAY


def _source_of(kind: DayKind, name_en: str, day: date) -> str:
    if kind is DayKind.SWAPPED_DAY_OFF or kind is DayKind.MAKEUP_WORKDAY:
        return SWAP_SOURCES.get(day.year, SWAP_SOURCE_FALLBACK)
    if kind is DayKind.COMPENSATORY_DAY_OFF:
        return _law_for(COMPENSATORY_RULES, day.year)
    if name_en.startswith("Vietnam Cultural Day"):
        return VIETNAM_CULTURE_DAY_SOURCE
    return _law_for(HOLIDAY_RULES, day.year)


def vietnam_official_days(first_year: int, last_year: int) -> tuple[OfficialDay, ...]:
    """Every national closing and opening decision in ``first_year``–``last_year``, sorted.

    Both years are ints from 1995 to 2100 (the years the national data is kept for), with
    ``first_year <= last_year``; anything else raises
    :class:`~tthc_flow.errors.InvalidInputError` before any holiday is computed.

    Cached: the lunar computations behind Tết and Hùng Kings' day take a noticeable fraction of
    a second for a century of years.
    """
    first = check_year(first_year, "first_year")
    last = check_year(last_year, "last_year")
    if last < first:
        raise InvalidInputError(
            f"last_year {last} is before first_year {first}.",
            value=(first, last),
            hint="Give the earlier year first.",
        )
    return _official_days(first, last)


@functools.lru_cache(maxsize=8)
def _official_days(first_year: int, last_year: int) -> tuple[OfficialDay, ...]:
    # Read from disk only when the command line opened its store (tthc_flow.calendar.
    # _stored_days, which says when a stored file is trusted); the library computes. Imported
    # here: its file and folder modules are not needed until a calendar is built.
    from tthc_flow.calendar._stored_days import load, save

    stored = load(first_year, last_year)
    if stored is not None:
        return stored
    days = _computed_days(first_year, last_year)
    save(first_year, last_year, days)
    return days


def _computed_days(first_year: int, last_year: int) -> tuple[OfficialDay, ...]:
    # Imported here, not with the module: holidays loads every country it knows on import
    # (tens of milliseconds), which a program that never builds a calendar should not pay.
    import holidays

    years = range(first_year, last_year + 1)
    vi = holidays.country_holidays("VN", years=years, language="vi")
    en = holidays.country_holidays("VN", years=years, language="en_US")
    days: list[OfficialDay] = []
    for day in sorted(vi):
        names_vi = vi.get_list(day)
        names_en = en.get_list(day)
        for name_vi, name_en in zip(names_vi, names_en, strict=False):
            kind = _kind_of(name_en)
            reason = DayReason(kind, name_vi, name_en, _source_of(kind, name_en, day))
            days.append(OfficialDay(day, reason))
    days.extend(d for d in _makeup_days(vi) if first_year <= d.day.year <= last_year)
    days.extend(_extra_swaps(first_year, last_year, vi))
    days.sort(key=lambda d: d.day)
    return tuple(days)


def _makeup_days(vi: holidays.HolidayBase) -> list[OfficialDay]:
    # The day a make-up Saturday pays back is named in the label of that day off
    # ("Ngày nghỉ (thay cho ngày 26/04/2025)"), which is the only link holidays exposes.
    paid_back: dict[str, date] = {}
    for day, name in vi.items():
        for found in _SUBSTITUTED.findall(name):
            paid_back[found] = day
    result = []
    for workday in sorted(vi.weekend_workdays):
        off = paid_back.get(f"{workday:%d/%m/%Y}")
        name = "Ngày làm bù" + (f" cho ngày nghỉ {off:%d/%m/%Y}" if off else "")
        name_en = "Make-up working day" + (f" for the day off on {off:%d/%m/%Y}" if off else "")
        source = SWAP_SOURCES.get((off or workday).year, SWAP_SOURCE_FALLBACK)
        reason = DayReason(DayKind.MAKEUP_WORKDAY, name, name_en, source)
        result.append(OfficialDay(workday, reason))
    return result


def _extra_swaps(first_year: int, last_year: int, vi: holidays.HolidayBase) -> list[OfficialDay]:
    result = []
    for swap in EXTRA_SWAPS:
        if swap.day_off and first_year <= swap.day_off.year <= last_year and swap.day_off not in vi:
            reason = DayReason(DayKind.SWAPPED_DAY_OFF, swap.name, swap.name_en, swap.source)
            result.append(OfficialDay(swap.day_off, reason))
        if (
            swap.workday
            and first_year <= swap.workday.year <= last_year
            and swap.workday not in vi.weekend_workdays
        ):
            reason = DayReason(
                DayKind.MAKEUP_WORKDAY,
                f"Ngày làm bù cho ngày nghỉ {swap.day_off:%d/%m/%Y}"
                if swap.day_off
                else "Ngày làm bù",
                f"Make-up working day for {swap.day_off:%d/%m/%Y}"
                if swap.day_off
                else "Make-up working day",
                swap.source,
            )
            result.append(OfficialDay(swap.workday, reason))
    return result

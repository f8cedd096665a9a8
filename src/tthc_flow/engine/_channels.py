"""The ways a dossier is filed (cách thức nộp hồ sơ), Decree 118/2025 Art. 15: in person at
the one-stop desk (trực tiếp tại Bộ phận Một cửa, clause 1); through the public postal
service, a hired service or an authorised person (thông qua dịch vụ bưu chính công ích,
thuê dịch vụ hoặc ủy quyền, clause 2); online at the national public service portal (trực
tuyến tại Cổng Dịch vụ công quốc gia, clause 3).

A case names its channel in the attribute ``channel``; the engine routes an inter-agency
procedure by it (Art. 20(2)), the portal codes it (1, 3, 2) and reports count by it. The
article lists these three ways and no other, so a receipt naming another is a violation
(``receipt.channel_unknown``), not a fourth row of every report. The text read is the
original of Decree 118; the amending Decrees 367/2025 and 309/2026 are known (from secondary
sources) to touch reception channels, but their texts could not be checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["CHANNELS", "CHANNEL_CITATION", "case_channel"]

#: The three channels of Art. 15, in the order of its clauses 1, 3, 2: in person, online,
#: postal (the national portal's channel codes 1, 2, 3).
CHANNELS: tuple[str, ...] = ("in_person", "online", "postal")

CHANNEL_CITATION = (
    "Nghị định 118/2025/NĐ-CP, Điều 15: nộp hồ sơ trực tiếp tại Bộ phận Một cửa (khoản 1), "
    "thông qua dịch vụ bưu chính công ích, thuê dịch vụ hoặc ủy quyền (khoản 2), trực tuyến "
    "tại Cổng Dịch vụ công quốc gia (khoản 3)"
)

_KNOWN = frozenset(CHANNELS)


def case_channel(attributes: Mapping[str, Any] | None) -> str | None:
    """The case's channel from its attributes: one of :data:`CHANNELS`, or None when the
    case names none or names one Art. 15 does not have (the receipt's check records that as
    ``receipt.channel_unknown``; a report counts the case under its unknown channel row)."""
    if not attributes:
        return None
    channel = attributes.get("channel")
    return channel if type(channel) is str and channel in _KNOWN else None

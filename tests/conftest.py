"""Shared fixtures and Hypothesis profiles."""

from __future__ import annotations

import os
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings

from tthc_flow.calendar import WorkingCalendar, vietnam_calendar

# Calendars take milliseconds to build, so per-example deadlines would only add flakiness.
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=False
)
settings.load_profile("ci" if os.environ.get("CI") else "default")

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="session")
def vn() -> ZoneInfo:
    return VN


@pytest.fixture(scope="session")
def cal() -> WorkingCalendar:
    """The national calendar of state agencies, standard hours, 1995–2100."""
    return vietnam_calendar()

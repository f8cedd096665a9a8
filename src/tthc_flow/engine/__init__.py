"""Procedures as validated state machines, cases as event logs, and their clocks.

Depends on :mod:`tthc_flow.calendar`; nothing here yet beyond the package itself.
"""

__all__: list[str] = []

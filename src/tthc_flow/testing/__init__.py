"""A property-based testing kit for hosts of tthc_flow (bộ công cụ kiểm thử).

Strategies (Hypothesis is needed for these, and only these):
:func:`calendars`, :func:`working_hours`, :func:`days`, :func:`instants`, :func:`budgets`,
:func:`procedures`, :func:`case_histories`; and :func:`host_state_machine`, a
``hypothesis.stateful`` machine that tests a host system through a :class:`HostAdapter`.
Checks that need nothing but the library: :func:`check_case_invariants`,
:func:`check_catalog`, :func:`explore`. For a PostgreSQL store: :class:`PostgresServer`, a
throwaway server started from the installed binaries.

Names are imported on first use, so ``import tthc_flow.testing`` (and the pytest plugin in
:mod:`tthc_flow.testing.pytest_plugin`) never imports Hypothesis by itself. Modules are
named apart from the names they hold (``calendar_strategies`` holds ``calendars``) so that
importing a module never hides a name of the package.

>>> from tthc_flow.testing import explore
>>> callable(explore)
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tthc_flow.testing.calendar_strategies import calendars, days, instants, working_hours
    from tthc_flow.testing.exploration import Exploration, explore
    from tthc_flow.testing.history_strategies import case_histories
    from tthc_flow.testing.host_testing import HOST_CHECKS, HostAdapter, host_state_machine
    from tthc_flow.testing.invariants import (
        CASE_INVARIANTS,
        CATALOG_INVARIANTS,
        check_case_invariants,
        check_catalog,
    )
    from tthc_flow.testing.postgres_server import PostgresServer, postgres_binaries
    from tthc_flow.testing.procedure_strategies import budgets, procedures

__all__ = [
    "CASE_INVARIANTS",
    "CATALOG_INVARIANTS",
    "HOST_CHECKS",
    "Exploration",
    "HostAdapter",
    "PostgresServer",
    "budgets",
    "calendars",
    "case_histories",
    "check_case_invariants",
    "check_catalog",
    "days",
    "explore",
    "host_state_machine",
    "instants",
    "postgres_binaries",
    "procedures",
    "working_hours",
]

_HOME = {
    "calendars": "calendar_strategies",
    "days": "calendar_strategies",
    "instants": "calendar_strategies",
    "working_hours": "calendar_strategies",
    "budgets": "procedure_strategies",
    "procedures": "procedure_strategies",
    "case_histories": "history_strategies",
    "HOST_CHECKS": "host_testing",
    "HostAdapter": "host_testing",
    "host_state_machine": "host_testing",
    "Exploration": "exploration",
    "explore": "exploration",
    "CASE_INVARIANTS": "invariants",
    "CATALOG_INVARIANTS": "invariants",
    "check_case_invariants": "invariants",
    "check_catalog": "invariants",
    "PostgresServer": "postgres_server",
    "postgres_binaries": "postgres_server",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'tthc_flow.testing' has no attribute {name!r}")
    try:
        module = importlib.import_module(f"tthc_flow.testing.{home}")
    except ModuleNotFoundError as error:
        if error.name == "hypothesis":
            raise ImportError(
                f"tthc_flow.testing.{name} is a Hypothesis strategy; install Hypothesis "
                "(pip install 'tthc-flow[test]' or pip install hypothesis) to use it."
            ) from error
        raise
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

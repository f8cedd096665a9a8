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
    from tthc_flow.testing._calendar_strategies import calendars, days, instants, working_hours
    from tthc_flow.testing._exploration import Exploration, explore
    from tthc_flow.testing._history_strategies import case_histories
    from tthc_flow.testing._host_testing import HOST_CHECKS, HostAdapter, host_state_machine
    from tthc_flow.testing._invariants import (
        CASE_INVARIANTS,
        CATALOG_INVARIANTS,
        check_case_invariants,
        check_catalog,
    )
    from tthc_flow.testing._postgres_server import PostgresServer, postgres_binaries
    from tthc_flow.testing._procedure_strategies import budgets, procedures

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
    "calendars": "_calendar_strategies",
    "days": "_calendar_strategies",
    "instants": "_calendar_strategies",
    "working_hours": "_calendar_strategies",
    "budgets": "_procedure_strategies",
    "procedures": "_procedure_strategies",
    "case_histories": "_history_strategies",
    "HOST_CHECKS": "_host_testing",
    "HostAdapter": "_host_testing",
    "host_state_machine": "_host_testing",
    "Exploration": "_exploration",
    "explore": "_exploration",
    "CASE_INVARIANTS": "_invariants",
    "CATALOG_INVARIANTS": "_invariants",
    "check_case_invariants": "_invariants",
    "check_catalog": "_invariants",
    "PostgresServer": "_postgres_server",
    "postgres_binaries": "_postgres_server",
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

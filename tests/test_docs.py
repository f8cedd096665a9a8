"""The documentation's code runs: README's Python blocks, every docstring example, and the
Quickstart commands that ``.ci/run`` must run verbatim."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import tthc_flow

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


@pytest.mark.parametrize("block", _blocks("python"))
def test_readme_python_blocks_run(block: str) -> None:
    namespace: dict[str, object] = {"__name__": "readme"}
    exec(compile(block, "README.md", "exec"), namespace)


RULES = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("block", re.findall(r"```python\n(.*?)```", RULES, flags=re.DOTALL))
def test_the_rules_page_runs(block: str) -> None:
    namespace: dict[str, object] = {"__name__": "rules"}
    exec(compile(block, "docs/rules.md", "exec"), namespace)


INTEGRATION = (ROOT / "docs" / "integration.md").read_text(encoding="utf-8")


def test_the_integration_guide_runs_top_to_bottom() -> None:
    # One namespace for the whole page: each block builds on the ones before, as a reader
    # following the guide would run them.
    blocks = re.findall(r"```python\n(.*?)```", INTEGRATION, flags=re.DOTALL)
    assert len(blocks) >= 4
    namespace: dict[str, object] = {"__name__": "integration"}
    for block in blocks:
        exec(compile(block, "docs/integration.md", "exec"), namespace)


def test_readme_quickstart_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = [b.strip() for b in re.findall(r"```sh\n(.*?)```", quickstart, flags=re.DOTALL)]
    assert len(commands) == 2
    demo, tests = commands
    assert "\n" not in demo
    assert demo.endswith("tthc-flow demo")
    assert "\n" not in tests
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in ci


MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(tthc_flow.__path__, prefix="tthc_flow.")
    if not name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_every_public_name_is_exported_and_documented() -> None:
    for name in tthc_flow.__all__:
        obj = getattr(tthc_flow, name)
        if name != "__version__":
            assert obj.__doc__, f"{name} has no docstring"

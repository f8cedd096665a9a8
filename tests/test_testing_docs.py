"""docs/testing.md runs: each Python block is executed, then every test function it defines is
called as pytest would, with the kit's fixtures for the arguments they name."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "testing.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_page_has_its_examples() -> None:
    assert len(BLOCKS) == 4
    assert "def test_" in BLOCKS[0] and "@given" in BLOCKS[0]


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_the_python_blocks_run(block: str, request: pytest.FixtureRequest) -> None:
    namespace: dict[str, Any] = {"__name__": "testing_md"}
    exec(compile(block, str(DOC), "exec"), namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    for test in tests:
        arguments = {
            name: request.getfixturevalue(name) for name in inspect.signature(test).parameters
        }
        test(**arguments)

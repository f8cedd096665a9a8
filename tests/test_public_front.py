"""The library's front: no module imports another module's private names (a name with a
leading underscore is the business of the module that defines it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
MODULES = sorted(SRC.rglob("*.py"))


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _private_imports(path: Path, root: Path = SRC) -> list[str]:
    here = _module_name(path, root)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            source = f"{base}.{node.module}" if node.module else base
        else:
            source = node.module or ""
        if not source.startswith("tthc_flow") or source == here:
            continue
        for alias in node.names:
            name = alias.name
            if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
                found.append(f"{here} imports {name} from {source}")
    return found


def test_the_check_sees_private_imports_absolute_and_relative(tmp_path: Path) -> None:
    package = tmp_path / "tthc_flow" / "store"
    package.mkdir(parents=True)
    probe = package / "probe.py"
    probe.write_text(
        "from tthc_flow.store._base import _Hidden, Store\n"
        "from .base import _Other\n"
        "from ..engine import __version__\n"
        "from tthc_flow.store.probe import _mine\n",
        encoding="utf-8",
    )
    assert _private_imports(probe, tmp_path) == [
        "tthc_flow.store.probe imports _Hidden from tthc_flow.store._base",
        "tthc_flow.store.probe imports _Other from tthc_flow.store.base",
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_imports_another_modules_private_names(path: Path) -> None:
    assert _private_imports(path) == []


def test_the_top_level_is_small_and_hands_over_the_errors() -> None:
    import tthc_flow
    import tthc_flow.errors

    assert len(tthc_flow.__all__) <= 35
    assert [n for n in tthc_flow.__all__ if n.endswith("Error")] == ["TthcFlowError"]
    assert "errors" in tthc_flow.__all__
    # Names once exported at the top level are still found there, where they live.
    from tthc_flow import DayInfo, RuleViolationError

    assert RuleViolationError is tthc_flow.errors.RuleViolationError
    assert DayInfo.__module__.startswith("tthc_flow.calendar")
    with pytest.raises(AttributeError):
        tthc_flow.NoSuchName  # noqa: B018


ROOT = SRC.parent
# The modules a user imports by path: the packages' fronts, the top-level modules whose names
# are their subject (errors, labels, journal, simulation, diagrams) and the pytest plugin
# that pytest loads by name. Everything else is an implementation module, private by name.
PUBLIC_MODULES = {
    "tthc_flow.diagrams",
    "tthc_flow.errors",
    "tthc_flow.journal",
    "tthc_flow.labels",
    "tthc_flow.simulation",
    "tthc_flow.testing.pytest_plugin",
}


def test_implementation_modules_are_private_by_name() -> None:
    public = set()
    for path in MODULES:
        name = _module_name(path, SRC)
        if path.name == "__init__.py" or path.name == "__main__.py":
            continue
        if not path.stem.startswith("_"):
            public.add(name)
    assert public == PUBLIC_MODULES


def test_the_guides_and_examples_import_only_the_public_front() -> None:
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    documents += sorted((ROOT / "examples").glob("*.py"))
    private = {
        f"{path.name}: {match}"
        for path in documents
        for match in re.findall(r"tthc_flow(?:\.\w+)*\._\w+", path.read_text(encoding="utf-8"))
    }
    assert private == set()


def test_the_top_level_imports_its_names_on_first_use() -> None:
    import subprocess
    import sys

    import tthc_flow

    for name in tthc_flow.__all__:
        assert getattr(tthc_flow, name) is not None, name
    assert set(dir(tthc_flow)) >= set(tthc_flow.__all__)
    # A fresh interpreter: importing the package loads no engine, calendar, catalog or
    # holidays until a name is read; reading one loads where it lives.
    probe = (
        "import sys, tthc_flow\n"
        "heavy = ('tthc_flow.engine', 'tthc_flow.calendar', 'tthc_flow.catalog', 'holidays')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "tthc_flow.WorkingDays\n"
        "print('tthc_flow.engine' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n")[:2] == ["[]", "True"]


def test_the_public_modules_are_attributes_of_the_package() -> None:
    import subprocess
    import sys

    probe = (
        "import tthc_flow\n"
        "print(tthc_flow.calendar.__name__, tthc_flow.engine.__name__, tthc_flow.labels.__name__)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.split() == ["tthc_flow.calendar", "tthc_flow.engine", "tthc_flow.labels"]

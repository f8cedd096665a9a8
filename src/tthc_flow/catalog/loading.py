"""Finding catalogs: Python modules, files, JSON documents and installed packages.

An agency ships its catalog as an installable package by declaring an entry point in the
group ``tthc_flow.catalogs``::

    [project.entry-points."tthc_flow.catalogs"]
    so-tu-phap-quang-nam = "stp_quangnam.catalog:CATALOG"

The object named is a :class:`~tthc_flow.catalog.Catalog` or a function of no arguments
returning one.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import traceback
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from tthc_flow.catalog.codec import catalog_from_json
from tthc_flow.catalog.model import Catalog
from tthc_flow.errors import CatalogLoadError, TthcFlowError

__all__ = ["ENTRY_POINT_GROUP", "available_catalogs", "load_catalog"]

ENTRY_POINT_GROUP = "tthc_flow.catalogs"
# Names a module may give its catalog, in the order they are looked for.
MODULE_NAMES = ("CATALOG", "catalog")


def available_catalogs() -> dict[str, EntryPoint]:
    """Catalogs that installed packages declare, by entry-point name."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _catalog_of(found: Any, where: str) -> Catalog:
    if isinstance(found, Catalog):
        return found
    if callable(found):
        made = found()
        if isinstance(made, Catalog):
            return made
        raise CatalogLoadError(f"{where} returned {type(made).__name__}, not a Catalog.")
    raise CatalogLoadError(
        f"{where} is a {type(found).__name__}, not a Catalog or a function returning one."
    )


def _from_module(module: ModuleType, attribute: str | None, where: str) -> Catalog:
    names = (attribute,) if attribute else MODULE_NAMES
    for name in names:
        if hasattr(module, name):
            return _catalog_of(getattr(module, name), f"{where}:{name}")
    raise CatalogLoadError(
        f"{where} defines no catalog; name it {' or '.join(MODULE_NAMES)} (a Catalog, or a "
        "function returning one), or say which attribute: 'module:attribute'."
    )


def _where_in(error: BaseException, path: str | None) -> str:
    """``file, line N`` of the innermost frame in ``path`` (or, with no path, in the last
    real file outside the library and the import machinery), so a non-programmer is pointed
    at the line of the catalog to fix."""
    library = Path(__file__).resolve().parent.parent
    target = Path(path).resolve() if path is not None else None
    chosen = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.startswith("<"):  # generated code (attrs' __init__), frozen imports
            continue
        where = Path(frame.filename).resolve()
        if target is not None:
            if where == target:
                chosen = frame
        elif not where.is_relative_to(library) and "importlib" not in where.parts:
            chosen = frame
    return f"{chosen.filename}, line {chosen.lineno}: " if chosen else ""


def _guarded(load: Callable[[], Catalog], path: str | None, label: str) -> Catalog:
    try:
        return load()
    except CatalogLoadError:
        raise
    except TthcFlowError as error:
        raise CatalogLoadError(f"{_where_in(error, path)}{error}") from error
    except ImportError as error:
        raise CatalogLoadError(f"cannot import {label}: {error}.") from error
    except SyntaxError as error:
        raise CatalogLoadError(
            f"{error.filename}, line {error.lineno}: Python cannot read this line ({error.msg})."
        ) from error
    except Exception as error:
        # Whatever a catalog module does wrong (a NameError, a typo'd attribute) is reported
        # as a loading problem at its line, not as a crash of the command.
        raise CatalogLoadError(
            f"{_where_in(error, path)}{label} failed: {type(error).__name__}: {error}"
        ) from error


def _import_file(path: Path) -> ModuleType:
    name = f"_tthc_flow_catalog_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CatalogLoadError(f"cannot load {path} as a Python module.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def load_catalog(spec: str | Path) -> Catalog:
    """The catalog named by ``spec``, tried in this order:

    1. a path to a ``.json`` file (the format of :mod:`tthc_flow.catalog.codec`);
    2. a path to a ``.py`` file, or to a folder holding ``__init__.py`` or ``catalog.py``;
    3. the name of an entry point of the group :data:`ENTRY_POINT_GROUP`;
    4. an importable module, ``package.module`` or ``package.module:attribute``.

    A module names its catalog ``CATALOG`` or ``catalog`` (a Catalog, or a function of no
    arguments returning one). Every failure is a
    :class:`~tthc_flow.errors.CatalogLoadError` that says what to fix and, for a procedure
    that fails its checks, at which line of which file.
    """
    text = str(spec)
    path = Path(text)
    if path.suffix == ".json":
        if not path.is_file():
            raise CatalogLoadError(f"no such file: {path}.")
        return _guarded(
            lambda: catalog_from_json(path.read_bytes()), str(path), f"the JSON file {path}"
        )
    if path.suffix == ".py" or path.is_dir():
        if path.is_dir():
            candidates = [path / "__init__.py", path / "catalog.py"]
            path = next((p for p in candidates if p.is_file()), path / "catalog.py")
        if not path.is_file():
            raise CatalogLoadError(f"no such file: {path}.")
        file = path
        return _guarded(
            lambda: _from_module(_import_file(file), None, str(file)), str(file), str(file)
        )
    declared = available_catalogs()
    if text in declared:
        entry = declared[text]
        return _guarded(
            lambda: _catalog_of(entry.load(), f"entry point {text!r} ({entry.value})"),
            None,
            f"entry point {text!r}",
        )
    module_name, _, attribute = text.partition(":")
    if not module_name or not all(part.isidentifier() for part in module_name.split(".")):
        listed = ", ".join(declared) or "none installed"
        raise CatalogLoadError(
            f"{text!r} is neither a file, an installed catalog ({listed}) nor a module name."
        )
    return _guarded(
        lambda: _from_module(importlib.import_module(module_name), attribute or None, text),
        None,
        f"module {module_name!r}",
    )

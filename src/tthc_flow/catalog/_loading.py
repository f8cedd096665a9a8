"""Finding catalogs: Python modules, files, JSON documents and installed packages.

An agency ships its catalog as an installable package by declaring an entry point in the
group ``tthc_flow.catalogs``::

    [project.entry-points."tthc_flow.catalogs"]
    so-tu-phap-quang-nam = "stp_quangnam.catalog:CATALOG"

The object named is a :class:`~tthc_flow.catalog.Catalog` or a function of no arguments
returning one.

Loading a ``.py`` file, a module or an entry point imports it: its code runs, with the
rights of whoever runs the command, so name only files and modules you trust (a ``.json``
catalog is data and runs nothing). What is named is checked before it is called: a
``Catalog``, or a Python function (``def``, possibly cached by :func:`functools.cache`) that
needs no argument and is annotated ``-> Catalog``. A builtin (``os:abort``), a class
(``builtins:dict``), a function without that annotation (``code:interact``) or any other
callable is refused without being called, and a function that returns anything but a
``Catalog`` is refused after.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import sys
import traceback
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from tthc_flow.catalog._codec import catalog_from_json
from tthc_flow.catalog._model import Catalog
from tthc_flow.errors import CatalogLoadError, TthcFlowError

__all__ = ["ENTRY_POINT_GROUP", "available_catalogs", "load_catalog"]

ENTRY_POINT_GROUP = "tthc_flow.catalogs"
# Names a module may give its catalog, in the order they are looked for.
MODULE_NAMES = ("CATALOG", "catalog")


def available_catalogs() -> dict[str, EntryPoint]:
    """Catalogs that installed packages declare, by entry-point name."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


# What functools.cache and functools.lru_cache wrap a function in.
_CACHED = type(functools.cache(lambda: None))
_SHOULD_BE = (
    "name a Catalog, or a function (def) of no arguments that returns one, "
    "e.g. 'def catalog() -> Catalog: ...'"
)


def _kind_of(found: Any) -> str:
    if inspect.isclass(found):
        return f"the class {found.__qualname__}"
    if inspect.isbuiltin(found):
        return f"the builtin {getattr(found, '__qualname__', found)!s}"
    return f"a value of type {type(found).__name__}"


def _returns_catalog(annotation: Any) -> bool:
    """Whether a return annotation says Catalog: the class, or its name as a string (as
    ``from __future__ import annotations`` leaves it)."""
    if isinstance(annotation, str):
        text = annotation.strip().strip("'\"").strip()  # -> "Catalog" is read as "'Catalog'"
        return text == "Catalog" or text.endswith(".Catalog")
    return isinstance(annotation, type) and issubclass(annotation, Catalog)


def _catalog_function(found: Any, where: str) -> Callable[[], Any]:
    """``found`` if it is a function that may be called for a catalog; a
    :class:`~tthc_flow.errors.CatalogLoadError` (and nothing called) otherwise."""
    function = found.__wrapped__ if isinstance(found, _CACHED) else found
    if not inspect.isfunction(function):
        raise CatalogLoadError(
            f"{where} is {_kind_of(found)}, not a Catalog or a function returning one, so it "
            f"was not called; {_SHOULD_BE}."
        )
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError) as error:
        raise CatalogLoadError(
            f"{where} is a function whose arguments cannot be read ({error}), so it was not "
            f"called; {_SHOULD_BE}."
        ) from None
    needed = [
        name
        for name, parameter in signature.parameters.items()
        if parameter.default is inspect.Parameter.empty
        and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
    ]
    if needed:
        raise CatalogLoadError(
            f"{where} is a function that needs argument(s) {', '.join(needed)}, so it was not "
            f"called; {_SHOULD_BE}."
        )
    returns = signature.return_annotation
    if returns is inspect.Signature.empty:
        # Without the annotation nothing says the function makes a catalog: code:interact
        # or pdb:set_trace would run before being refused for what they return.
        raise CatalogLoadError(
            f"{where} is a function without a return annotation, so nothing says it makes a "
            f"catalog and it was not called; annotate it '-> Catalog', or {_SHOULD_BE}."
        )
    if not _returns_catalog(returns):
        shown = returns if isinstance(returns, str) else getattr(returns, "__name__", returns)
        raise CatalogLoadError(
            f"{where} is a function that returns {shown!s}, not Catalog, so it was not called; "
            f"{_SHOULD_BE}."
        )
    called: Callable[[], Any] = found
    return called


def _catalog_of(found: Any, where: str) -> Catalog:
    if isinstance(found, Catalog):
        return found
    made = _catalog_function(found, where)()
    if isinstance(made, Catalog):
        return made
    raise CatalogLoadError(
        f"{where} returned {_kind_of(made)}, not a Catalog; make it return the Catalog."
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
    except (Exception, SystemExit) as error:
        # Whatever a catalog module does wrong (a NameError, a typo'd attribute, a call of
        # sys.exit) is reported as a loading problem at its line, not as a crash or an exit
        # of the command.
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

    1. a path to a ``.json`` file (the format of :mod:`tthc_flow.catalog._codec`);
    2. a path to a ``.py`` file, or to a folder holding ``__init__.py`` or ``catalog.py``;
    3. the name of an entry point of the group :data:`ENTRY_POINT_GROUP`;
    4. an importable module, ``package.module`` or ``package.module:attribute``.

    A module names its catalog ``CATALOG`` or ``catalog`` (a Catalog, or a function of no
    arguments returning one). Loading a ``.py`` file, a module or an entry point runs its
    code: name only ones you trust. Anything named that is neither a Catalog nor a Python
    function of no arguments (annotated, if at all, as returning ``Catalog``) is refused
    without being called. Every failure is a
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
        lambda: _from_module(
            importlib.import_module(module_name), attribute or None, module_name
        ),
        None,
        f"module {module_name!r}",
    )

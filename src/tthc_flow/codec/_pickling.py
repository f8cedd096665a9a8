"""Pickling of frozen values that hold read-only mappings (``MappingProxyType``, which
:mod:`pickle` refuses). Such a value pickles as its fields, the read-only mappings among
them (and within those) marked, and unpickles as the same value without being checked
again: a pickle is trusted input by nature (never unpickle data from an untrusted source).
Fields that are caches (``_compiled``) start empty. Reports run in worker processes
(``concurrent.futures``, Dask) send procedures, events and cases this way."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import attrs

from tthc_flow.errors import InvalidInputError

__all__ = ["reduce_frozen"]

#: Fields that hold a cache, rebuilt on use: they start empty when unpickled.
CACHES = frozenset({"_compiled"})


class _ReadOnly(dict[Any, Any]):
    """A read-only mapping on its way through pickle."""


def _thawed(value: Any) -> Any:
    if type(value) is MappingProxyType:
        return _ReadOnly({key: _thawed(item) for key, item in value.items()})
    return value


def _frozen(value: Any) -> Any:
    if type(value) is _ReadOnly:
        return MappingProxyType({key: _frozen(item) for key, item in value.items()})
    return value


def _restored(cls: type[Any], state: tuple[Any, ...]) -> Any:
    fields = attrs.fields(cls)
    if type(state) is not tuple or len(state) != len(fields):
        # A pickle written by a version of the library whose class had other fields.
        raise InvalidInputError(
            f"this pickled {cls.__name__} was written by another version of tthc_flow "
            f"({len(state) if type(state) is tuple else '?'} fields; this version has "
            f"{len(fields)}).",
            value=cls.__name__,
            hint="Pickles carry values between processes of one installation; rebuild the "
            "value (or load it from its JSON form) instead of keeping pickles across versions.",
        )
    value = object.__new__(cls)
    put = object.__setattr__
    for field, item in zip(fields, state, strict=True):
        put(value, field.name, {} if field.name in CACHES else _frozen(item))
    return value


def reduce_frozen(self: Any) -> tuple[Any, ...]:
    """``__reduce__`` for a frozen attrs class whose fields may hold read-only mappings."""
    cls = type(self)
    return _restored, (
        cls,
        tuple(
            None if field.name in CACHES else _thawed(getattr(self, field.name))
            for field in attrs.fields(cls)
        ),
    )

"""Reports on an executor (rapports song song): the items split into chunks, each chunk
reported by a worker, the partial reports added (reports are a monoid: ``+``). Any
:class:`concurrent.futures.Executor` does: a ``ProcessPoolExecutor`` on one machine, Dask's
``Client.get_executor()`` across many. The items and the report's arguments are pickled to
the workers: procedures, events, cases and calendars pickle as what they are built from."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

from tthc_flow._validators import shown
from tthc_flow.errors import InvalidInputError

__all__ = ["check_spread", "spread"]

T = TypeVar("T")


def check_spread(executor: object, chunk: object, where: str) -> None:
    """Refuse an executor that is not one, or a chunk size that is not a whole number >= 1,
    before anything is read."""
    if not isinstance(executor, Executor):
        raise InvalidInputError(
            f"{where}: executor must be a concurrent.futures.Executor, got "
            f"{type(executor).__name__}.",
            value=executor, hint="Pass ProcessPoolExecutor(), or a Dask client.get_executor().",
        )  # fmt: skip
    if type(chunk) is not int or chunk < 1:
        raise InvalidInputError(
            f"{where}: chunk={shown(chunk)} must be a whole number of items >= 1.", value=chunk,
            hint="Leave it out (1,000 items a task), or pass e.g. chunk=5000.",
        )  # fmt: skip


def spread(
    executor: Executor, items: Iterable[T], chunk: int,
    work: Callable[[list[T]], Any], empty: Any,
) -> Any:  # fmt: skip
    """``work`` on ``chunk`` items at a time on ``executor``, the results added to ``empty``
    in the order of the chunks. At most two chunks per CPU are pending at once, so the
    items are read as the workers take them (a stream stays a stream)."""
    window = 2 * (os.cpu_count() or 2)
    pending: deque[Future[Any]] = deque()
    total = empty
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == chunk:
            pending.append(executor.submit(work, batch))
            batch = []
            if len(pending) >= window:
                total = total + pending.popleft().result()
    if batch:
        pending.append(executor.submit(work, batch))
    while pending:
        total = total + pending.popleft().result()
    return total

"""A binary stream read in blocks of whole lines, for the readers that search a large file
without splitting it into lines first."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from tthc_flow.errors import InvalidInputError

__all__ = ["line_blocks"]


def line_blocks(binary: IO[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    """The rest of ``binary``, read ``size`` bytes at a time, as blocks that each end with a
    line break (a line longer than ``size`` is held until its end is read); the last block
    may lack its line break (a torn last line). No empty block is given. A ``size`` that is
    not a whole number from 1 is refused (a read of 0 bytes would look like the end)."""
    if type(size) is not int or size < 1:
        raise InvalidInputError(
            f"size must be a whole number of bytes from 1, got {size!r:.40}.",
            value=size, hint="Leave it out for 1 MiB blocks.",
        )  # fmt: skip
    rest = b""
    while True:
        block = binary.read(size)
        data = rest + block
        if block:
            cut = data.rfind(b"\n")
            if cut < 0:
                rest = data
                continue
            rest, data = data[cut + 1 :], data[: cut + 1]
        if data:
            yield data
        if not block:
            return

"""A binary stream read in blocks of whole lines, for the readers that search a large file
without splitting it into lines first."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

__all__ = ["line_blocks"]


def line_blocks(binary: IO[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    """The rest of ``binary``, read ``size`` bytes at a time, as blocks that each end with a
    line break (a line longer than ``size`` is held until its end is read); the last block
    may lack its line break (a torn last line). No empty block is given."""
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

"""Start-up: what a script or a shell pays before the first answer.

Run: ``python benchmarks/startup.py [--repeats 15]``. Each measurement is a fresh
interpreter, timed from outside (wall clock, best of ``--repeats``), next to the reference
measured in the same run: the interpreter alone (``python -c pass``), and importing the
libraries the calendar is made of (attrs, dateutil, holidays). ``tthc-flow due`` is timed
twice on a store of national days of its own (``TTHC_FLOW_CACHE_DIR``, a new temporary
folder): the first run of all, which computes the days and stores them (emptied before each
of its runs), and the runs after it, which read them back. Targets (exit 1 if missed):
``import tthc_flow`` at most 60 ms and a repeated ``tthc-flow due`` at most 200 ms,
interpreter included.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

import _isolate  # noqa: F401  (must come first: see its docstring)

TARGET_IMPORT_MS = 60.0
TARGET_DUE_MS = 200.0

DUE = (
    "import sys; from tthc_flow.cli import main; "
    "sys.exit(main(['due', '--from', '2025-04-25T16:00+07:00', '--working-days', '3']))"
)
RUNS = (
    ("python -c pass (the interpreter alone)", "pass"),
    ("import attrs, dateutil.parser, holidays (reference)",
     "import attrs, dateutil.parser, holidays"),
    ("import tthc_flow", "import tthc_flow"),
    ("import tthc_flow.calendar", "import tthc_flow.calendar"),
    ("vietnam_calendar() built", "from tthc_flow import vietnam_calendar; vietnam_calendar()"),
    ("tthc-flow due --working-days 3, first run (days computed, stored)", DUE),
    ("tthc-flow due --working-days 3, repeated (days read back)", DUE),
)  # fmt: skip
FIRST = RUNS[-2][0]
REPEATED = RUNS[-1][0]


def best_ms(code: str, repeats: int, before: Callable[[], None] = lambda: None) -> float:
    best = float("inf")
    for _ in range(repeats):
        before()
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best * 1e3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    print(f"tthc_flow start-up: fresh interpreters, best of {args.repeats}")
    print(f"python {sys.version.split()[0]}\n")
    print(f"{'what':<68}{'ms':>8}{'over python':>14}")
    found = {}
    base = 0.0
    store = tempfile.mkdtemp(prefix="tthc-flow-startup-")
    os.environ["TTHC_FLOW_CACHE_DIR"] = store

    def empty_store() -> None:
        shutil.rmtree(store, ignore_errors=True)

    try:
        for label, code in RUNS:
            before = empty_store if label == FIRST else (lambda: None)
            found[label] = ms = best_ms(code, args.repeats, before)
            base = base or ms
            print(f"{label:<68}{ms:>8.1f}{ms - base:>13.1f}")
    finally:
        empty_store()
    imported = found["import tthc_flow"]
    due = found[REPEATED]
    checks = (
        (f"import tthc_flow <= {TARGET_IMPORT_MS:.0f} ms ({imported:.0f} ms)",
         imported <= TARGET_IMPORT_MS),
        (f"tthc-flow due, repeated, <= {TARGET_DUE_MS:.0f} ms ({due:.0f} ms; the first run "
         f"{found[FIRST]:.0f} ms)", due <= TARGET_DUE_MS),
    )  # fmt: skip
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

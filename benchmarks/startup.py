"""Start-up: what a script or a shell pays before the first answer.

Run: ``python benchmarks/startup.py [--repeats 15]``. Each measurement is a fresh
interpreter, timed from outside (wall clock, best of ``--repeats``), next to the reference
measured in the same run: the interpreter alone (``python -c pass``), and importing the
libraries the calendar is made of (attrs, dateutil, holidays). Targets (exit 1 if missed):
``import tthc_flow`` at most 60 ms and ``tthc-flow due`` at most 200 ms, interpreter
included.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

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
    ("tthc-flow due --working-days 3", DUE),
)  # fmt: skip


def best_ms(code: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
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
    print(f"{'what':<56}{'ms':>8}{'over python':>14}")
    found = {}
    base = 0.0
    for label, code in RUNS:
        found[label] = ms = best_ms(code, args.repeats)
        base = base or ms
        print(f"{label:<56}{ms:>8.1f}{ms - base:>13.1f}")
    imported = found["import tthc_flow"]
    due = found["tthc-flow due --working-days 3"]
    checks = (
        (f"import tthc_flow <= {TARGET_IMPORT_MS:.0f} ms ({imported:.0f} ms)",
         imported <= TARGET_IMPORT_MS),
        (f"tthc-flow due <= {TARGET_DUE_MS:.0f} ms ({due:.0f} ms)", due <= TARGET_DUE_MS),
    )  # fmt: skip
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

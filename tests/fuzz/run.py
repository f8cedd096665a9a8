"""A longer fuzz run than CI's: the properties of ``tests/test_fuzz.py`` (journal lines,
event documents, command arguments) and the catalog document mutation of
``tests/test_catalog_strict.py`` run again and again with fresh seeds until the time is up,
and the examples they tried are counted.

Run: ``python tests/fuzz/run.py [--minutes 10] [--examples 5000] [FILE ...]``. Exit 1 if any
run failed; the failing example is printed by pytest above the counts.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Hypothesis's statistics, per property and phase: "- 1375 passing, 3 failing, and 35
# invalid test cases".
_COUNTS = re.compile(r"(\d+) passing, (\d+) failing, and (\d+) invalid")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--examples", type=int, default=5000, help="per property and run")
    parser.add_argument(
        "files", nargs="*",
        default=["tests/test_fuzz.py",
                 "tests/test_catalog_strict.py::"
                 "test_a_mutated_document_is_refused_typed_or_round_trips_exactly"],
    )  # fmt: skip
    args = parser.parse_args()
    deadline = time.monotonic() + args.minutes * 60
    passing = failing = invalid = runs = 0
    failed = False
    environment = {**os.environ, "TTHC_FLOW_FUZZ_EXAMPLES": str(args.examples)}
    while time.monotonic() < deadline:
        seed = random.randrange(2**32)
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             "--hypothesis-show-statistics", f"--hypothesis-seed={seed}", *args.files],
            cwd=ROOT, env=environment, capture_output=True, text=True, check=False,
        )  # fmt: skip
        runs += 1
        for found in _COUNTS.finditer(done.stdout):
            passing += int(found.group(1))
            failing += int(found.group(2))
            invalid += int(found.group(3))
        if done.returncode != 0:
            failed = True
            print(done.stdout[-6000:])
            print(f"run {runs} (seed {seed}) failed")
            break
        print(f"run {runs} (seed {seed}): {passing:,} examples passed so far", flush=True)
    print(f"{runs} runs, {passing:,} passing examples, {failing:,} failing, {invalid:,} invalid "
          f"(discarded by the strategies)")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Journal reading at scale: memory while reading a million events, and one case's slip.

Run: ``python benchmarks/journal.py [--events 1000000] [--seed 3]``. It writes a journal of
about ``--events`` events (simulated cases of the sample catalog, repeated under new case
ids) to a temporary folder, then measures, each in a fresh interpreter:

- ``read_journal`` over the whole journal (every case replayed, none kept): seconds and peak
  resident memory, against the interpreter with the library imported and nothing read;
- the reference in the same run: the journal's lines read into memory and parsed with
  ``json.loads`` (what a reader that holds the file does), its peak memory;
- ``tthc-flow slip JOURNAL CASE`` for the case written last, wall time including the
  interpreter's start, against ``read_histories`` over the whole journal;
- ``tthc-flow report JOURNAL`` (the period found from the journal), wall time, by one
  process (``--jobs 1``) and as run by default (one process per 50,000 lines, up to the
  processors available), against the reference of the same run: every line parsed with
  ``json.loads`` as it is read (nothing held), the least any reader of the file does.

Targets (exit 1 if missed): ``read_journal`` peak under 100 MB (the whole process); the
slip under 2 s; the default report at most :data:`TARGET_REPORT_RATIO` times the
reference, half the ratio of the report before the journal path was reworked (commit
030f11e, the same 1,000,005-event journal on the 2-core reference machine, measured twice:
73.1 s against 3.3 s for the reference, 22.2x, and on a faster day 46.9 s against 2.7 s,
17.3x; the lower is the one halved).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _isolate  # noqa: F401  (must come first: see its docstring)

from tthc_flow.journal import write_journal
from tthc_flow.samples import sample_catalog
from tthc_flow.simulation import simulate

TARGET_MB = 100.0
TARGET_SLIP_S = 2.0
TARGET_REPORT_RATIO = 17.3 / 2

_PEAK = """
import resource, sys, time
{setup}
start = time.perf_counter()
{work}
elapsed = time.perf_counter() - start
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, elapsed, count)
"""
_IMPORTS = (
    "from tthc_flow.journal import read_histories, read_journal\n"
    "from tthc_flow.samples import sample_catalog\n"
    "catalog = sample_catalog()\n"
    "path = sys.argv[1]\n"
)


def build(path: Path, events: int, seed: int) -> tuple[int, int, str]:
    """Write the journal; (events, cases, the last case's id)."""
    pool = list(simulate(sample_catalog(), cases=400, seed=seed, year=2026))
    out = io.StringIO()
    write_journal(pool, out)
    by_case: dict[str, list[str]] = {}
    for line in out.getvalue().splitlines():
        case_id = json.loads(line)["case_id"]
        by_case.setdefault(case_id, []).append(line)
    written = cases = 0
    last = ""
    with path.open("w", encoding="utf-8") as stream:
        round_ = 0
        while written < events:
            for case_id, lines in by_case.items():
                new_id = f"{case_id}-R{round_}"
                old, new = json.dumps(case_id), json.dumps(new_id)
                stream.write("".join(line.replace(old, new) + "\n" for line in lines))
                written += len(lines)
                cases += 1
                last = new_id
                if written >= events:
                    break
            round_ += 1
    return written, cases, last


def measure(setup: str, work: str, path: Path) -> tuple[float, float, int]:
    """(peak resident MB, seconds, count) of ``work`` in a fresh interpreter."""
    code = _PEAK.format(setup=setup, work=work)
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    peak, seconds, count = done.stdout.split()
    return float(peak), float(seconds), int(count)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.jsonl"
        started = time.perf_counter()
        events, cases, last = build(path, args.events, args.seed)
        size = path.stat().st_size / 2**20
        print(f"journal: {events:,} events of {cases:,} cases, {size:.0f} MB "
              f"(written in {time.perf_counter() - started:.1f} s)")  # fmt: skip

        base, _, _ = measure(_IMPORTS, "count = 0", path)
        peak, seconds, count = measure(
            _IMPORTS, "count = sum(1 for _ in read_journal(path, catalog))", path
        )
        ref_peak, ref_seconds, _ = measure(
            "import json\npath = sys.argv[1]\n",
            "lines = open(path, encoding='utf-8').read().splitlines()\n"
            "records = [json.loads(line) for line in lines]\ncount = len(records)",
            path,
        )
        hist_peak, hist_seconds, _ = measure(
            _IMPORTS, "count = sum(len(e) for _, e in read_histories(path, catalog))", path
        )
        print(f"interpreter with the library imported: {base:.0f} MB")
        print(f"read_journal: {count:,} cases replayed in {seconds:.1f} s "
              f"({seconds / events * 1e6:.1f} µs/event), peak {peak:.0f} MB "
              f"({peak - base:.0f} MB above the interpreter)")  # fmt: skip
        print(f"read_histories: {hist_seconds:.1f} s, peak {hist_peak:.0f} MB")
        print(
            f"reference, lines held and parsed with json.loads: {ref_seconds:.1f} s, peak "
            f"{ref_peak:.0f} MB; read_journal uses {peak / ref_peak:.2f}x its memory"
        )

        if count != cases:
            print(f"read_journal disagrees: {count:,} cases read of {cases:,} written",
                  file=sys.stderr)  # fmt: skip
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "tthc_flow", "slip", str(path), last],
            capture_output=True, check=True, text=True, encoding="utf-8",
        )  # fmt: skip
        slip = time.perf_counter() - start
        if last not in done.stdout or done.stderr:
            print(f"the slip disagrees: it does not show case {last}", file=sys.stderr)
        else:
            print(f"the slip shows case {last}; every case written was read back")
        print(f"tthc-flow slip for one case: {slip:.2f} s wall (interpreter start included); "
              f"{hist_seconds / slip:.1f}x faster than reading every case's history")  # fmt: skip

        _, streamed, _ = measure(
            "import json\npath = sys.argv[1]\n",
            "count = 0\nwith open(path, 'rb') as lines:\n"
            "    for line in lines:\n        json.loads(line)\n        count += 1",
            path,
        )
        reports = {}
        for label, extra in (("--jobs 1", ["--jobs", "1"]), ("default", [])):
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "tthc_flow", "report", str(path), "--format", "json",
                 *extra],
                capture_output=True, check=True, text=True, encoding="utf-8",
            )  # fmt: skip
            reports[label] = (time.perf_counter() - start, done.stdout)
        one, default = reports["--jobs 1"][0], reports["default"][0]
        ratio = default / streamed
        total = json.loads(reports["default"][1])["total"]["total"]
        print(f"reference, every line parsed with json.loads as read: {streamed:.1f} s")
        print(f"tthc-flow report, one process: {one:.1f} s ({one / streamed:.1f}x the "
              f"reference); as run by default: {default:.1f} s ({ratio:.1f}x; "
              f"{one / default:.2f}x faster than one process); {total:,} cases")  # fmt: skip
        if reports["--jobs 1"][1] != reports["default"][1]:
            print("the reports of one process and of the default disagree", file=sys.stderr)
            ratio = float("inf")

    missed = []
    if peak >= TARGET_MB:
        missed.append(f"read_journal peak {peak:.0f} MB >= {TARGET_MB:.0f} MB")
    if slip >= TARGET_SLIP_S:
        missed.append(f"slip {slip:.2f} s >= {TARGET_SLIP_S} s")
    if ratio > TARGET_REPORT_RATIO:
        missed.append(f"report {ratio:.1f}x the reference > {TARGET_REPORT_RATIO:.1f}x")
    for line in missed:
        print(f"MISS: {line}")
    if not missed:
        print(f"PASS: peak under {TARGET_MB:.0f} MB, slip under {TARGET_SLIP_S} s, report at "
              f"most {TARGET_REPORT_RATIO:.1f}x the reference")  # fmt: skip
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

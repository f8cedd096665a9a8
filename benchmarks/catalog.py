"""Loading and validating a province-sized catalog: 2,000 synthetic procedures.

Run: ``python benchmarks/catalog.py [--procedures 2000] [--seed 7]``. A province's catalog
holds about 2,000 procedures. The script builds them in Python (every procedure validated
when defined, then the whole catalog checked), writes the catalog to JSON, and loads it back
(parse, rebuild, validate everything again). As a floor measured in the same run it times
``json.loads`` of the same document alone. Targets (exit 1 if missed): loading and
validating the JSON catalog in under 2 s; and, over catalogs of ``--growth`` sizes (200,
2,000 and 20,000 procedures by default), a load that grows linearly (the largest catalog's
time per procedure within 1.25x of the smallest's) at under 0.2 ms per procedure.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TypeVar

import _isolate  # noqa: F401  (must come first: see its docstring)

from tthc_flow.catalog import (
    Catalog,
    Decision,
    Publication,
    Unit,
    catalog_from_json,
    catalog_to_json,
)
from tthc_flow.engine import BudgetPolicy, Procedure, ProcedureKind, Step, WorkingDays

TARGET_SECONDS = 2.0
TARGET_MS_PER_PROCEDURE = 0.2
TARGET_GROWTH = 1.25
T = TypeVar("T")

LEVELS = ("tỉnh", "sở", "xã")


def units(count: int) -> list[Unit]:
    return [Unit(f"Đơn vị {n:03d}", LEVELS[n % 3]) for n in range(count)]


def procedure(rng: random.Random, code: str, version: str, unit_names: list[str],
              start: date, until: date | None) -> Procedure:  # fmt: skip
    """A chain of 4–10 steps in quarter days, a send-back or two, sometimes a branch over a
    zero-budget step; the total is the sum, as the exact budget policy demands."""
    size = rng.randint(4, 10)
    quarters = [rng.randint(1, 12) for _ in range(size)]
    if size > 4:
        quarters[2] = 0  # lets step 1 branch over step 2
    desk = unit_names[0]
    steps = []
    for i in range(size):
        key = f"b{i}"
        steps.append(
            Step(
                key, f"Bước {i}", desk if i in (0, size - 1) else rng.choice(unit_names),
                WorkingDays(f"{quarters[i] / 4}"),
                next=(f"b{i + 1}",) if i + 1 < size else (),
                back=(f"b{i - 1}",) if i > 1 and rng.random() < 0.3 else (),
                branches={"rut_gon": f"b{i + 2}"} if i == 1 and size > 4 else None,
                reception=i == 0, returns=i == size - 1,
            )
        )  # fmt: skip
    return Procedure(
        code=code, name=f"Thủ tục tổng hợp {code}", version=version,
        kind=rng.choice(list(ProcedureKind)), total=WorkingDays(f"{sum(quarters) / 4}"),
        steps=steps, effective_from=start, effective_until=until,
        budget_policy=BudgetPolicy.EXACT, legal_basis=("Văn bản minh họa",),
    )  # fmt: skip


def build(count: int, seed: int) -> Catalog:
    rng = random.Random(seed)
    unit_list = units(60)
    names = [u.name for u in unit_list]
    publications = []
    number = 0
    while len(publications) < count:
        number += 1
        code = f"S.{number:06d}"
        decision = Decision(f"{number}/QĐ-MH", date(2025, 6, 20), "UBND tỉnh (minh họa)")
        if len(publications) + 2 <= count and rng.random() < 0.1:
            # A re-issued procedure: the old version ends the day before the new one.
            publications.append(Publication(
                procedure(rng, code, "1", names, date(2018, 6, 21), date(2025, 6, 30)), decision
            ))  # fmt: skip
            publications.append(Publication(
                procedure(rng, code, "2", names, date(2025, 7, 1), None), decision
            ))  # fmt: skip
        else:
            publications.append(
                Publication(procedure(rng, code, "1", names, date(2025, 7, 1), None), decision)
            )
    return Catalog(name="Danh mục tổng hợp", issuer="UBND tỉnh (minh họa)",
                   units=unit_list, publications=publications)  # fmt: skip


def best_of(repeats: int, run: Callable[[], T]) -> tuple[float, T]:
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--growth", default="200,2000,20000",
        help="catalog sizes whose load time per procedure is compared ('' to skip)",
    )  # fmt: skip
    args = parser.parse_args()

    t_build, catalog = best_of(args.repeats, lambda: build(args.procedures, args.seed))
    t_dump, text = best_of(args.repeats, lambda: catalog_to_json(catalog))
    t_parse, _ = best_of(args.repeats, lambda: json.loads(text))
    t_load, loaded = best_of(args.repeats, lambda: catalog_from_json(text))
    if loaded != catalog:
        print("the catalog loaded from JSON disagrees with the one written", file=sys.stderr)
        return 1
    steps = sum(len(p.steps) for p in catalog)
    print(
        f"tthc_flow catalog benchmark: {len(catalog):,} procedures ({len(catalog.codes):,} "
        f"codes, {steps:,} steps, {len(catalog.units)} units); JSON {len(text) / 1e6:.1f} MB"
    )
    print(f"python {sys.version.split()[0]}; best of {args.repeats} runs\n")
    print(f"{'operation':<58}{'seconds':>10}{'vs json.loads':>16}")
    rows = (
        ("build in Python (validate each procedure, check the whole)", t_build),
        ("write JSON (catalog_to_json)", t_dump),
        ("load JSON and validate everything (catalog_from_json)", t_load),
        ("reference: json.loads of the same document alone", t_parse),
    )
    for label, seconds in rows:
        print(f"{label:<58}{seconds:>10.3f}{seconds / t_parse:>15.1f}x")
    ok = t_load < TARGET_SECONDS and t_build < TARGET_SECONDS
    print(f"\n{'PASS' if ok else 'MISS'}  load and validate < {TARGET_SECONDS} s "
          f"(JSON {t_load:.2f} s, Python {t_build:.2f} s)")  # fmt: skip
    sizes = [int(size) for size in args.growth.split(",") if size.strip()]
    if sizes:
        ok = growth(sizes, args.seed, args.repeats) and ok
    return 0 if ok else 1


def growth(sizes: list[int], seed: int, repeats: int) -> bool:
    """Load time per procedure at each size, and whether it stays flat and under target."""
    print(f"\n{'procedures':>12}{'load s':>10}{'ms per procedure':>20}{'json.loads ms/proc':>22}")
    per: list[float] = []
    for size in sizes:
        text = catalog_to_json(build(size, seed))
        # Best of several runs, as timeit takes it; the largest size at most twice.
        runs = repeats if size <= 2_000 else min(repeats, 2)
        seconds, _ = best_of(runs, partial(catalog_from_json, text))
        parse, _ = best_of(1, partial(json.loads, text))
        per.append(seconds / size * 1e3)
        print(f"{size:>12,}{seconds:>10.2f}{per[-1]:>20.3f}{parse / size * 1e3:>22.3f}")
    ratio = per[-1] / per[0]
    flat = ratio <= TARGET_GROWTH
    fast = max(per) < TARGET_MS_PER_PROCEDURE
    print(f"{'PASS' if flat else 'MISS'}  linear: {sizes[-1]:,} procedures take {ratio:.2f}x "
          f"the time per procedure of {sizes[0]:,} (at most {TARGET_GROWTH}x)")  # fmt: skip
    print(f"{'PASS' if fast else 'MISS'}  under {TARGET_MS_PER_PROCEDURE} ms per procedure "
          f"at every size (worst {max(per):.3f} ms)")  # fmt: skip
    return flat and fast


if __name__ == "__main__":
    sys.exit(main())

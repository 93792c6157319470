"""Speed of the demo-bank generator (target: 1,000,000 customers in under 30 s on 2 cores).

Run as ``.venv/bin/python benchmarks/bench_synth.py``; prints one line per size
and writes ``benchmarks/results/synth.json`` with the machine, the date and the
best of a few repeats (the load average is recorded: timings taken while other
work runs on the machine are inflated).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from segkit.data.synth import generate_bank
from segkit.fileio import write_text

RESULTS = Path(__file__).resolve().parent / "results" / "synth.json"
SIZES = ((100_000, 20, 3), (1_000_000, 50, 3))
"""(customers, branches, repeats)."""
TARGET_SECONDS_PER_MILLION = 30.0


def machine() -> dict[str, object]:
    """What the timings were measured on."""
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "load_average_1m": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def time_generate(n_customers: int, n_branches: int, repeats: int) -> dict[str, object]:
    """Time :func:`generate_bank`; return the best and every run."""
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        frame = generate_bank(n_customers, n_branches, seed=20260930)
        runs.append(time.perf_counter() - start)
    best = min(runs)
    return {
        "customers": n_customers,
        "branches": n_branches,
        "best_seconds": round(best, 3),
        "runs_seconds": [round(run, 3) for run in runs],
        "customers_per_second": round(n_customers / best),
        "memory_mb": round(frame.memory_usage(deep=True).sum() / 2**20, 1),
    }


def main() -> int:
    results = []
    for n_customers, n_branches, repeats in SIZES:
        result = time_generate(n_customers, n_branches, repeats)
        results.append(result)
        print(
            f"generate_bank: {n_customers:>9,} customers, {n_branches} branches: "
            f"best {result['best_seconds']:.2f} s of {repeats} "
            f"({result['customers_per_second']:,} customers/s, {result['memory_mb']} MB)"
        )
    million = next(r for r in results if r["customers"] == 1_000_000)
    record = {
        "benchmark": "synth",
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "target": f"1,000,000 customers in under {TARGET_SECONDS_PER_MILLION:g} s",
        "meets_target": million["best_seconds"] < TARGET_SECONDS_PER_MILLION,
        "under_contention": bool((os.getloadavg()[0] if hasattr(os, "getloadavg") else 0) > (os.cpu_count() or 1)),
        "results": results,
    }
    write_text(RESULTS, json.dumps(record, indent=2) + "\n")
    print(f"wrote {RESULTS}")
    return 0 if record["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""Speed of the churn scorer: fit + score on 1,000,000 customers.

Run: ``.venv/bin/python benchmarks/bench_churn.py [--customers N] [--branches B] [--note TEXT]``.
The demo bank is drawn first (not timed). ``fit_churn`` then fits on its
seeded sample (``sample_size``, 200,000 by default: one member fitted without
a held-out fold of 40,000 customers, which calibrates it and measures it)
and ``score`` scores every customer (probability, band, value at risk, three
reasons). Prints one result line and appends a JSON record to
``benchmarks/results/churn.json``.
Target: fit + score under 60 s on 1,000,000 customers.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import pandas as pd
import sklearn

from segkit.churn import fit_churn
from segkit.config import ChurnParams
from segkit.data.synth import generate_bank
from record import append as append_result

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "churn.json"
TARGET_SECONDS = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--branches", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20260930)
    parser.add_argument("--note", default="", help="e.g. 'measured under contention'")
    args = parser.parse_args()

    frame = generate_bank(n_customers=args.customers, n_branches=args.branches, seed=args.seed)
    params = ChurnParams()
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    scorer = fit_churn(frame, params, seed=args.seed)
    fitted = time.perf_counter()
    scored = scorer.score(frame)
    end = time.perf_counter()

    record = {
        "benchmark": "churn",
        "customers": args.customers,
        "branches": args.branches,
        "sample_size": params.sample_size,
        "members": len(scorer.estimators_),
        "evaluation": scorer.evaluation_,
        "n_iter": list(scorer.n_iter_),
        "features": len(scorer.features_),
        "fit_s": round(fitted - start, 2),
        "score_s": round(end - fitted, 2),
        "total_s": round(end - start, 2),
        "target_s": TARGET_SECONDS,
        "passed": end - start < TARGET_SECONDS,
        "high_band_share": round(float((scored["churn_band"] == "high").mean()), 4),
        "with_reason_share": round(float(scored["churn_reason_1_zh"].notna().mean()), 4),
        "cpus": os.cpu_count(),
        "load_average_1m": round(load_before, 2),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "scikit_learn": sklearn.__version__,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "note": args.note,
    }
    append_result("churn", record)
    print(
        f"churn: {args.customers:,} customers: fit {record['fit_s']} s (sample {params.sample_size:,}, "
        f"{record['members']} members) + score {record['score_s']} s = {record['total_s']} s "
        f"(target < {TARGET_SECONDS:.0f} s; load {record['load_average_1m']})"
    )


if __name__ == "__main__":
    main()

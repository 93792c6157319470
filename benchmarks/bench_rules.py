"""Speed of the rules: apply_rules + assign_books on 1,000,000 customers.

Run: ``.venv/bin/python benchmarks/bench_rules.py [--customers N] [--branches B]``.
Prints one result line and appends a JSON record to ``benchmarks/results/rules.json``.
Target: under 3 s for both steps together on 1,000,000 customers.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

from segkit.config import load_params
from segkit.rules import apply_rules, assign_books
from record import append as append_result

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "rules.json"
TARGET_SECONDS = 3.0


def customers(n: int, branches: int, seed: int) -> pd.DataFrame:
    """The demo bank if its generator is installed, else a vectorised stand-in with every rule input."""
    try:
        from segkit.data.synth import generate_bank
    except ImportError:
        pass
    else:
        return generate_bank(n_customers=n, n_branches=branches, seed=seed)
    rng = np.random.default_rng(seed)
    branch = rng.integers(0, branches, n)
    managed = rng.random(n) < 0.6
    manager = np.where(managed, np.char.add(np.char.add("M", branch.astype(str)), "-" + rng.integers(0, 8, n).astype(str)), None)
    kind = rng.choice(np.array(["retail", "merchant", "corporate"]), n, p=[0.9, 0.07, 0.03])
    aum = rng.lognormal(10.5, 1.8, n).round(2)
    return pd.DataFrame(
        {
            "customer_id": pd.Series(np.char.add("C", np.arange(n).astype(str)), dtype="str"),
            "branch_id": pd.Series(np.char.add("B", branch.astype(str)), dtype="str"),
            "manager_id": pd.Series(manager, dtype="str"),
            "aum": aum,
            "aum_prev": (aum * rng.lognormal(0, 0.3, n)).round(2),
            "customer_type": pd.Series(kind, dtype="str"),
            "age": rng.integers(18, 90, n),
            "income": rng.lognormal(11.5, 0.8, n),
            "n_products": rng.integers(1, 6, n),
            "has_wealth": rng.random(n) < 0.25,
            "has_fund": rng.random(n) < 0.15,
            "has_insurance": rng.random(n) < 0.1,
            "has_payroll": rng.random(n) < 0.3,
            "has_pos": kind == "merchant",
            "has_fx": rng.random(n) < 0.05,
            "credit_card": pd.Series(rng.choice(np.array(["none", "inactive", "active"]), n, p=[0.6, 0.1, 0.3]), dtype="str"),
            "card_autopay_bound": rng.random(n) < 0.5,
            "months_inactive": rng.integers(0, 13, n),
            "contacts_12m": rng.poisson(3, n),
            "kyc_completeness": rng.random(n),
            "has_contact": rng.random(n) < 0.95,
            "monthly_avg_funds": np.where(kind == "merchant", rng.lognormal(11, 1.5, n), np.nan),
            "annual_acquiring": np.where(kind == "merchant", rng.lognormal(13, 1.5, n), np.nan),
            "deposits": np.where(kind == "corporate", rng.lognormal(15, 1.2, n), np.nan),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--branches", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--note", default="", help="e.g. 'measured under contention'")
    args = parser.parse_args()
    params = load_params(ROOT / "params" / "default.yaml")
    frame = customers(args.customers, args.branches, args.seed)
    rules_s, assign_s = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        columns = apply_rules(frame, params)
        middle = time.perf_counter()
        books = assign_books(frame.assign(tier=columns["tier"]), params)
        end = time.perf_counter()
        rules_s.append(middle - start)
        assign_s.append(end - middle)
    best = min(r + a for r, a in zip(rules_s, assign_s, strict=True))
    record = {
        "benchmark": "rules",
        "customers": args.customers,
        "branches": args.branches,
        "apply_rules_s": round(min(rules_s), 3),
        "assign_books_s": round(min(assign_s), 3),
        "total_s": round(best, 3),
        "target_s": TARGET_SECONDS,
        "passed": best < TARGET_SECONDS,
        "unassigned": int((books.assignment == "unassigned").sum()),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "note": args.note,
    }
    append_result("rules", record)
    print(
        f"rules: {args.customers:,} customers: apply_rules {record['apply_rules_s']} s + "
        f"assign_books {record['assign_books_s']} s = {record['total_s']} s (target < {TARGET_SECONDS} s)"
    )


if __name__ == "__main__":
    main()

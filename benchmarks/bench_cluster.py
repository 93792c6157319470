"""Clustering: speed at 1,000,000 customers, and the measurements behind the default algorithm.

Run: ``.venv/bin/python benchmarks/bench_cluster.py [--customers N] [--skip-selection] [--skip-scale]``.

scale
    Fits a default :class:`~segkit.cluster.Segmenter` (k chosen by evidence on
    a sample) on the demo bank of ``--customers`` rows and assigns every
    customer. Target: fit + assign under 30 s for 1,000,000 customers.
    Appends a record to ``benchmarks/results/cluster.json``.
selection
    Fits k-means, a Gaussian mixture and k-prototypes (each with k chosen by
    evidence) on the demo bank (50,000 customers) and on Churn_Modelling.csv
    (when present) and records the chosen k, silhouette, stability, churn
    separation and fit time per algorithm in
    ``benchmarks/results/cluster_selection.json`` (rewritten each run).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn

from segkit.cluster import Segmenter
from segkit.config import load_params
from segkit.data.io import load_customers
from segkit.data.synth import generate_bank
from segkit.fileio import write_text
from record import append as append_result

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
REAL_DATA = ROOT / ".." / "shared" / "data" / "Churn_Modelling.csv"
TARGET_SECONDS = 30.0
SEED = 20260930


def churn_ratio(frame: pd.DataFrame, labels: np.ndarray) -> float:
    """Highest over lowest cluster churn rate."""
    rates = pd.to_numeric(frame["churned"]).astype("float64").groupby(labels).mean()
    return float(rates.max() / rates.min()) if rates.min() > 0 else float("inf")


def datasets() -> dict[str, tuple[pd.DataFrame, dict]]:
    """The data sets the algorithms are compared on, with their cluster settings."""
    found = {"demo_bank_50k": (generate_bank(50_000, 10, seed=SEED), {})}
    if REAL_DATA.is_file():
        params = load_params(ROOT / "params" / "churn_modelling.yaml")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = load_customers(REAL_DATA, params.data.mapping)
        found["churn_modelling"] = (frame, params.cluster.model_dump(exclude={"algorithm"}))
    return found


def selection() -> list[dict]:
    rows = []
    for name, (frame, settings) in datasets().items():
        for algorithm in ("kmeans", "gmm", "kprototypes"):
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                segmenter = Segmenter(**settings, algorithm=algorithm, random_state=SEED).fit(frame)
            labels = segmenter.predict(frame)
            seconds = time.perf_counter() - start
            row = {
                "data": name,
                "rows": len(frame),
                "algorithm": algorithm,
                "k": segmenter.k_,
                "silhouette": round(segmenter.silhouette_, 4),
                "stability": round(segmenter.stability_, 4),
                "churn_ratio": round(churn_ratio(frame, labels), 2),
                "smallest_share": round(float(np.bincount(labels).min() / len(labels)), 4),
                "fit_assign_s": round(seconds, 2),
                "k_table": segmenter.metrics()["k_table"],
            }
            rows.append(row)
            print(
                f"selection: {name:16s} {algorithm:12s} k={row['k']:2d} silhouette={row['silhouette']:.3f} "
                f"stability={row['stability']:.3f} churn x{row['churn_ratio']:.2f} {row['fit_assign_s']:.1f} s"
            )
    return rows


def scale(n: int) -> dict:
    frame = generate_bank(n, 200, seed=SEED)
    start = time.perf_counter()
    segmenter = Segmenter(random_state=SEED).fit(frame)
    fitted = time.perf_counter()
    labels = segmenter.predict(frame)
    end = time.perf_counter()
    record = {
        "benchmark": "cluster",
        "customers": n,
        "sample_size": segmenter.n_fit_,
        "k": segmenter.k_,
        "silhouette": round(segmenter.silhouette_, 4),
        "stability": round(segmenter.stability_, 4),
        "churn_ratio": round(churn_ratio(frame, labels), 2),
        "fit_s": round(fitted - start, 3),
        "assign_s": round(end - fitted, 3),
        "total_s": round(end - start, 3),
        "target_s": TARGET_SECONDS,
        "passed": end - start < TARGET_SECONDS,
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "sklearn": sklearn.__version__,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "note": "",
    }
    print(
        f"cluster: {n:,} customers: fit {record['fit_s']} s (sample {record['sample_size']:,}, k={record['k']}) "
        f"+ assign {record['assign_s']} s = {record['total_s']} s (target < {TARGET_SECONDS} s)"
    )
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--skip-selection", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--note", default="", help="free text stored with the scale record")
    args = parser.parse_args()
    if not args.skip_selection:
        rows = selection()
        document = {"seed": SEED, "sklearn": sklearn.__version__, "results": rows}
        write_text(RESULTS / "cluster_selection.json", json.dumps(document, indent=2) + "\n")
    if not args.skip_scale:
        record = scale(args.customers) | {"note": args.note}
        append_result("cluster", record)


if __name__ == "__main__":
    main()

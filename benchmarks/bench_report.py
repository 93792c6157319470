"""Speed of the branch reports: per-branch cost against an empty notebook, and a full run.

Run: ``.venv/bin/python benchmarks/bench_report.py [--customers N] [--branches B] [--workers W] [--scored DIR]``.
Prints one result line and appends a JSON record to ``benchmarks/results/report.json``.

Measures, on the demo bank (200,000 customers, 20 branches):

* ``empty_seconds``: papermill executing an empty parameterised notebook in a
  fresh ``segkit`` kernel plus the in-process HTML export (the floor of any
  report; median of 3);
* ``branch_fresh_seconds``: the same for one branch report (median of 3);
* ``branch_job_seconds``: the median per-branch job in the batch runner
  (warm kernel, execute, HTML, call lists) during the full run;
* ``run_seconds``: :func:`segkit.report.batch.report` for every branch plus
  the bank report with ``--workers`` processes.

Targets: per-branch within 1.5x of the empty notebook; the full run of 20
branches under 120 s with 2 workers.

Without ``--scored`` the scored folder is built once into
``benchmarks/out/report/`` with :func:`segkit.pipeline.score` when the churn
model is installed, otherwise with segkit's rules and stand-in cluster/churn
columns (the reports read the same columns either way).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "report"
RESULTS = ROOT / "benchmarks" / "results" / "report.json"
RATIO_TARGET = 1.5
RUN_TARGET_SECONDS = 120.0


def _stand_in_models(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    inactive = frame["months_inactive"].astype("float").fillna(0).to_numpy()
    score = 1 / (1 + np.exp(-(-2.5 + 0.45 * inactive + rng.normal(0, 0.6, len(frame)))))
    names = np.array(["young savers", "affluent families", "dormant", "merchants", "retirees"], dtype=object)
    cluster = (np.log1p(frame["aum"].to_numpy()) // 3).astype(int) % len(names)
    reasons = np.array(["months_inactive", "txn_count_3m", "aum_change", "tenure_months"], dtype=object)
    return pd.DataFrame({
        "cluster": cluster, "cluster_name": pd.Series(names[cluster], dtype="str"), "churn_score": score,
        "churn_band": pd.Series(np.where(score >= 0.5, "high", np.where(score >= 0.2, "medium", "low")), dtype="str"),
        "value_at_risk": score * frame["aum"].to_numpy(),
        **{f"churn_reason_{i + 1}": pd.Series(reasons[rng.integers(0, len(reasons), len(frame))], dtype="str")
           for i in range(3)},
    }, index=frame.index)


def build_scored(customers: int, branches: int, seed: int) -> tuple[Path, str]:
    """Return a scored folder of the demo bank (built once) and how it was made."""
    from segkit.config import load_params
    from segkit.data.synth import generate_bank
    from segkit.fileio import sha256_path
    from segkit.scored import write_customers, write_json, write_parquet

    folder = OUT / f"scored-{customers}-{branches}-{seed}"
    marker = folder / "branches.json"
    if marker.is_file():
        return folder, json.loads((OUT / f"{folder.name}.how").read_text())
    params = load_params(ROOT / "params" / "default.yaml")
    bank = generate_bank(n_customers=customers, n_branches=branches, seed=seed)
    source = OUT / f"bank-{customers}-{branches}-{seed}.parquet"
    write_parquet(source, bank)
    try:
        import segkit.churn  # noqa: F401
        from segkit.pipeline import score
    except ImportError:
        from segkit import rules

        scored = pd.concat([bank, rules.apply_rules(bank, params)], axis=1)
        scored = pd.concat([scored, _stand_in_models(scored, seed)], axis=1)
        table = write_customers(folder, scored)
        write_json(folder / "branches.json", table.to_dict(orient="records"))
        write_json(folder / "metrics.json", {"churn": {}})
        write_json(folder / "params.json", params.model_dump(mode="json"))
        write_json(folder / "input.json", {"path": str(source), "sha256": sha256_path(source), "rows": len(bank)})
        write_parquet(folder / "tables" / "migration.parquet", rules.migration_matrix(scored, params.schemes.tier))
        how = "rules + stand-in cluster/churn columns"
    else:
        score(params, data=source, out=folder)
        how = "segkit.pipeline.score"
    (OUT / f"{folder.name}.how").write_text(json.dumps(how))
    return folder, how


def _empty_notebook(folder: Path) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell('scored_dir = ""', metadata={"tags": ["parameters"]}), new_code_cell("1")],
                      metadata={"kernelspec": {"name": "segkit", "display_name": "segkit", "language": "python"}})
    path = folder / "empty.ipynb"
    nbformat.write(nb, path)
    return path


def fresh_seconds(notebook: Path, parameters: dict[str, str], repeat: int = 3) -> float:
    """Median wall time of papermill (fresh kernel) + in-process HTML export."""
    import papermill as pm

    from segkit.report.html import export_html

    export_html(pm.execute_notebook(str(notebook), None, parameters=parameters, kernel_name="segkit",
                                    progress_bar=False), "warm-up")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        nb = pm.execute_notebook(str(notebook), None, parameters=parameters, kernel_name="segkit", progress_bar=False)
        export_html(nb, "bench")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--branches", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20260930)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scored", type=Path, help="an existing scored folder (skips building one)")
    args = parser.parse_args()

    from segkit.report.batch import report
    from segkit.report.jobs import limit_threads
    from segkit.report.notebook import notebooks_dir
    from segkit.scored import Scored

    limit_threads(1)
    scored_dir, how = (args.scored, "given") if args.scored else build_scored(args.customers, args.branches, args.seed)
    scored = Scored.open(scored_dir)
    first = str(scored.branches["branch_id"].iloc[0])
    with tempfile.TemporaryDirectory(prefix="segkit-bench-") as tmp:
        empty = fresh_seconds(_empty_notebook(Path(tmp)), {"scored_dir": str(scored.path)})
        branch = fresh_seconds(notebooks_dir() / "branch.ipynb",
                               {"scored_dir": str(scored.path), "branch_id": first, "language": "zh", "run_id": "bench"})
        start = time.perf_counter()
        outcome = report(scored.path, Path(tmp) / "run", workers=args.workers, progress=False)
        run_seconds = time.perf_counter() - start
    jobs = [r.seconds for r in outcome.results if r.kind == "branch" and r.ok]
    job = statistics.median(jobs) if jobs else float("nan")
    record = {
        "benchmark": "report",
        "customers": int(scored.input.get("rows", 0)),
        "branches": len(scored.branches),
        "workers": args.workers,
        "scored_by": how,
        "empty_seconds": round(empty, 3),
        "branch_fresh_seconds": round(branch, 3),
        "branch_job_seconds": round(job, 3),
        "ratio_fresh": round(branch / empty, 2),
        "ratio_job": round(job / empty, 2),
        "run_seconds": round(run_seconds, 2),
        "run_ok": outcome.ok,
        "ratio_target": RATIO_TARGET,
        "run_target_seconds": RUN_TARGET_SECONDS,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    history = json.loads(RESULTS.read_text()) if RESULTS.is_file() else []
    history.append(record)
    from segkit.fileio import write_text

    write_text(RESULTS, json.dumps(history, indent=2) + "\n")
    print(
        f"report: {record['branches']} branches of {record['customers']:,} customers, {args.workers} workers: "
        f"run {run_seconds:.1f}s (target < {RUN_TARGET_SECONDS:.0f}s); per branch {job:.2f}s in the runner, "
        f"{branch:.2f}s fresh, empty notebook {empty:.2f}s -> x{record['ratio_job']} / x{record['ratio_fresh']} "
        f"(target <= {RATIO_TARGET}); load {record['load_average_1m']}"
    )


if __name__ == "__main__":
    main()

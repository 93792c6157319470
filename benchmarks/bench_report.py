"""Speed of the branch reports: per-branch cost against an empty notebook, and a full run.

Run: ``.venv/bin/python benchmarks/bench_report.py [--customers N] [--branches B] [--workers W] [--scored DIR]``.
Prints one result line and appends a JSON record to ``benchmarks/results/report.json``.

Measures, on the demo bank (200,000 customers, 20 branches):

* ``empty_seconds``: papermill executing an empty parameterised notebook in a
  fresh ``segkit`` kernel plus the in-process HTML export (the floor of any
  report; median of 5);
* ``branch_fresh_seconds``: the same for one branch report (median of 5);
* ``branch_warm_seconds``: one branch report job at a time in the batch
  runner, its warm kernel ready (take the kernel, execute, HTML; median of 5);
* ``calls_seconds``: the branch's call-list job (CSV and XLSX), which the
  runner runs as a job of its own, beside the reports (median of 3);
* ``branch_job_seconds``: the median branch report job during the full run,
  where ``--workers`` jobs share the cores;
* ``run_seconds``: :func:`segkit.report.batch.report` for every branch plus
  the bank report with ``--workers`` processes.

Targets: per-branch within 1.5x of the empty notebook; the full run of 20
branches under 120 s with 2 workers.

Without ``--scored`` the demo bank is generated and scored once with
:func:`segkit.pipeline.score` (``params/default.yaml``) into
``benchmarks/out/report/``; later runs reuse that folder.
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


ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "report"
RESULTS = ROOT / "benchmarks" / "results" / "report.json"
RATIO_TARGET = 1.5
RUN_TARGET_SECONDS = 120.0
KERNEL_READY_SECONDS = 3.0
"""Pause before each measured report job: a kernel starts and imports segkit in about 1.5 s."""


def build_scored(customers: int, branches: int, seed: int) -> Path:
    """Return the scored folder of the demo bank, scored once with :func:`segkit.pipeline.score`."""
    from segkit.config import load_params
    from segkit.data.synth import generate_bank
    from segkit.pipeline import score
    from segkit.scored import write_parquet

    folder = OUT / f"scored-{customers}-{branches}-{seed}"
    if (folder / "branches.json").is_file():
        return folder
    source = OUT / f"bank-{customers}-{branches}-{seed}.parquet"
    if not source.is_file():
        write_parquet(source, generate_bank(n_customers=customers, n_branches=branches, seed=seed))
    score(load_params(ROOT / "params" / "default.yaml"), data=source, out=folder)
    return folder


def _empty_notebook(folder: Path) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell('scored_dir = ""', metadata={"tags": ["parameters"]}), new_code_cell("1")],
                      metadata={"kernelspec": {"name": "segkit", "display_name": "segkit", "language": "python"}})
    path = folder / "empty.ipynb"
    nbformat.write(nb, path)
    return path


def fresh_seconds(notebook: Path, parameters: dict[str, str], repeat: int = 5) -> float:
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


def warm_seconds(scored_dir: Path, repeat: int = 5) -> tuple[float, float]:
    """Median wall times of a branch report job and of its call-list job, one job at a time, a warm kernel ready.

    Returns ``(report, calls)``. Before each report job the runner's next
    kernel has had time to start, as it has in a run once the first kernel is up.
    """
    from segkit.report.batch import plan
    from segkit.report.jobs import run_job
    from segkit.report.kernels import kernel_pool, warm_up
    from segkit.scored import Scored

    scored = Scored.open(scored_dir)
    branches = [str(b) for b in scored.branches["branch_id"].iloc[:repeat]]
    with tempfile.TemporaryDirectory(prefix="segkit-bench-") as tmp:
        (Path(tmp) / "branches").mkdir()
        jobs = [job for job in plan(scored, Path(tmp), "bench", branches, 1) if job.kind != "bank"]
        warm_up()
        results = []
        for job in jobs:
            if job.kind == "branch":
                time.sleep(KERNEL_READY_SECONDS)
            results.append(run_job(job))
        kernel_pool().close()
    assert all(result.ok for result in results), [result.error for result in results]
    return tuple(statistics.median(r.seconds for r in results if r.kind == kind) for kind in ("branch", "calls"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--branches", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20260930)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scored", type=Path, help="an existing scored folder (skips building one)")
    args = parser.parse_args()

    from segkit.report.batch import report
    from segkit.threads import limit_threads
    from segkit.report.notebook import notebooks_dir
    from segkit.scored import Scored

    limit_threads(1)
    load_before = os.getloadavg()[0]
    scored_dir = args.scored or build_scored(args.customers, args.branches, args.seed)
    scored = Scored.open(scored_dir)
    first = str(scored.branches["branch_id"].iloc[0])
    with tempfile.TemporaryDirectory(prefix="segkit-bench-") as tmp:
        empty = fresh_seconds(_empty_notebook(Path(tmp)), {"scored_dir": str(scored.path)})
        branch = fresh_seconds(notebooks_dir() / "branch.ipynb",
                               {"scored_dir": str(scored.path), "branch_id": first, "language": "zh", "run_id": "bench"})
        warm, calls = warm_seconds(scored.path)
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
        "scored_by": "given" if args.scored else "segkit.pipeline.score",
        "empty_seconds": round(empty, 3),
        "branch_fresh_seconds": round(branch, 3),
        "branch_job_seconds": round(job, 3),
        "branch_warm_seconds": round(warm, 3),
        "calls_seconds": round(calls, 3),
        "ratio_fresh": round(branch / empty, 2),
        "ratio_warm": round(warm / empty, 2),
        "ratio_job": round(job / empty, 2),
        "run_seconds": round(run_seconds, 2),
        "run_ok": outcome.ok,
        "ratio_target": RATIO_TARGET,
        "run_target_seconds": RUN_TARGET_SECONDS,
        "load_average_1m_before": round(load_before, 2),
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
        f"{warm:.2f}s alone in a warm kernel (call lists {calls:.2f}s beside it), {branch:.2f}s fresh; "
        f"empty notebook {empty:.2f}s -> "
        f"x{record['ratio_job']} / x{record['ratio_warm']} / x{record['ratio_fresh']} "
        f"(target <= {RATIO_TARGET}); load {record['load_average_1m']}"
    )


if __name__ == "__main__":
    main()

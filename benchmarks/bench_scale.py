"""Scale: rules only, full score and full run for 100k / 1M / 10M customers.

Run: ``.venv/bin/python benchmarks/bench_scale.py [--sizes 100000 1000000 10000000]
[--steps rules score run] [--engine pandas|dask] [--note TEXT]``.

Each size is a demo bank written as a folder of Parquet files, generated in
chunks (``--chunked``) so ten million customers never sit in memory at once.
Each step runs in its own process tree and is measured from outside it: wall
time, the peak resident memory of its largest process
(``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a fresh wrapper process) and the
peak of the whole tree's resident memory (sampled every 0.2 s; notebooks and
Dask workers are separate processes).

Steps
-----
rules
    Read, map, validate and stage the input by branch, then apply the rules
    and assign books branch by branch (no models), as the streaming engine does.
score
    ``segkit score``: the above plus fitting the segmenter and the churn
    scorer on the sample, scoring and writing the scored folder.
run
    ``segkit run``: ``score`` plus one executed report per branch.

Targets: the 10,000,000-customer score peaks under 8 GiB; the 1,000,000
customer score finishes in under 60 s. Appends one record per measurement to
``benchmarks/results/scale.json``.

Generate data only: ``bench_scale.py --chunked 10000000 --out DIR [--branches 20]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from record import append as append_result

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "scale.json"
WORK = ROOT / "benchmarks" / "out" / "scale"
PARAMS = ROOT / "params" / "default.yaml"
SEGKIT = Path(sys.executable).parent / "segkit"
CHUNK_ROWS = 1_000_000
SEED = 20260930
GIB = 1024**3
TARGETS = {("score", 10_000_000): ("peak_rss_gib", 8.0), ("score", 1_000_000): ("wall_s", 60.0)}
"""(step, customers) -> (measure, limit): the issue's targets."""

# Runs one command, then prints its wall time and peak memory as JSON. A fresh
# interpreter per measurement, so RUSAGE_CHILDREN covers only that command.
MEASURE = r"""
import json, resource, subprocess, sys, threading, time
import psutil

peak = 0
done = threading.Event()

def sample(pid):
    global peak
    while not done.is_set():
        try:
            root = psutil.Process(pid)
            tree = [root, *root.children(recursive=True)]
            total = 0
            for process in tree:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, total)
        except psutil.Error:
            pass
        done.wait(0.2)

start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:])
watcher = threading.Thread(target=sample, args=(child.pid,), daemon=True)
watcher.start()
code = child.wait()
wall = time.perf_counter() - start
done.set()
watcher.join()
maxrss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": code, "wall_s": wall, "maxrss_kib": maxrss_kib, "tree_peak_bytes": peak}))
"""


def chunked(customers: int, out: Path, branches: int, seed: int = SEED, chunk_rows: int = CHUNK_ROWS) -> Path:
    """Write a demo bank of ``customers`` as Parquet files of at most ``chunk_rows`` customers.

    Chunk ``k`` is :func:`segkit.data.synth.generate_bank` with seed
    ``seed + k``; its customer and manager ids get the chunk number, so ids
    stay unique and every chunk brings its own managers.
    """
    from segkit.data.synth import generate_bank
    from segkit.fileio import write_text

    marker = out / "_bank.json"  # "_" names are not read as data
    wanted = {"customers": customers, "branches": branches, "seed": seed, "chunk_rows": chunk_rows}
    if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == wanted:
        return out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for number, start in enumerate(range(0, customers, chunk_rows)):
        frame = generate_bank(min(chunk_rows, customers - start), branches, seed + number)
        tag = f"K{number:03d}"
        frame = frame.assign(
            customer_id=tag + frame["customer_id"],
            manager_id=frame["manager_id"] + "-" + tag,
        )
        frame.to_parquet(out / f"part-{number:03d}.parquet", index=False)
        del frame
    write_text(marker, json.dumps(wanted) + "\n")
    return out


def rules_only(data: Path, params_path: Path, work: Path) -> int:
    """Stage the input by branch, then apply the rules and assign books branch by branch."""
    import pandas as pd

    from segkit.config import load_params
    from segkit.engine import stage_input
    from segkit.stages import assign_branches, with_rules

    params = load_params(params_path)
    shutil.rmtree(work, ignore_errors=True)
    staged = stage_input(data, params, work)
    assigned = 0
    for branch_id in sorted(staged.parts):
        frame = pd.concat([pd.read_parquet(part) for part in staged.parts[branch_id]], ignore_index=True)
        frame, _ = assign_branches(with_rules(frame, params), params)
        assigned += int((frame["assignment"] != "unassigned").sum())
        shutil.rmtree(work / Path(staged.parts[branch_id][0]).parent.name)
    shutil.rmtree(work, ignore_errors=True)
    print(f"rules: {staged.rows:,} customers, {assigned:,} in a book")
    return 0


def command(step: str, data: Path, out: Path, engine: str) -> list[str]:
    """The command line that runs ``step`` on ``data``."""
    if step == "rules":
        return [sys.executable, str(Path(__file__).resolve()), "--rules-only", str(data), "--out", str(out)]
    if step == "score":
        return [str(SEGKIT), "score", "--params", str(PARAMS), "--data", str(data), "--out", str(out), "--engine", engine]
    return [str(SEGKIT), "run", "--params", str(PARAMS), "--data", str(data), "--reports", str(out), "--engine", engine]


def measure(cmd: list[str]) -> dict[str, float]:
    """Run ``cmd`` in a fresh wrapper process and return its wall time and peak memory."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"measurement wrapper failed: {done.stderr[-2000:]}")
    last = done.stdout.strip().splitlines()[-1]
    result = json.loads(last)
    result["output"] = "\n".join(done.stdout.strip().splitlines()[:-1])[-500:]
    return result


def machine() -> dict[str, object]:
    """The machine a record was measured on."""
    import psutil

    return {
        "nproc": len(os.sched_getaffinity(0)),
        "memory_gib": round(psutil.virtual_memory().total / GIB, 1),
        "cpu": platform.processor() or platform.machine(),
        "load_1m_before": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
    }


def record(step: str, customers: int, branches: int, engine: str, result: dict, info: dict, note: str) -> dict:
    """One JSON record of a measurement."""
    import pandas as pd

    import segkit

    peak_rss = result["maxrss_kib"] * 1024 / GIB
    entry = {
        "benchmark": "scale",
        "step": step,
        "customers": customers,
        "branches": branches,
        "engine": engine,
        "wall_s": round(result["wall_s"], 2),
        "peak_rss_gib": round(peak_rss, 3),
        "peak_tree_gib": round(result["tree_peak_bytes"] / GIB, 3),
        "exit_code": result["code"],
        **info,
        "load_1m_after": round(os.getloadavg()[0], 2),
        "pandas": pd.__version__,
        "segkit": segkit.__version__,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "note": note,
    }
    target = TARGETS.get((step, customers))
    if target:
        measure_name, limit = target
        entry["target"] = f"{measure_name} < {limit}"
        entry["passed"] = result["code"] == 0 and entry[measure_name] < limit
    return entry


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--steps", nargs="+", choices=["rules", "score", "run"], default=["rules", "score", "run"])
    parser.add_argument("--branches", type=int, default=20)
    parser.add_argument("--engine", choices=["pandas", "dask"], default="pandas")
    parser.add_argument("--work", type=Path, default=WORK, help="where the banks and outputs are written")
    parser.add_argument("--note", default="", help="e.g. 'measured under contention'")
    parser.add_argument("--chunked", type=int, metavar="N", help="only write a bank of N customers to --out")
    parser.add_argument("--rules-only", type=Path, metavar="DATA", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.chunked:
        out = chunked(args.chunked, args.out or args.work / f"bank-{args.chunked}", args.branches)
        print(f"wrote {args.chunked:,} customers in {args.branches} branches to {out}")
        return 0
    if args.rules_only:
        return rules_only(args.rules_only, PARAMS, args.out)
    failed = False
    for customers in args.sizes:
        data = chunked(customers, args.work / f"bank-{customers}", args.branches)
        for step in args.steps:
            out = args.work / f"{step}-{customers}"
            shutil.rmtree(out, ignore_errors=True)
            info = machine()
            result = measure(command(step, data, out, args.engine))
            entry = record(step, customers, args.branches, args.engine, result, info, args.note)
            append_result("scale", entry)
            shutil.rmtree(out, ignore_errors=True)
            failed |= entry["exit_code"] != 0 or entry.get("passed") is False
            verdict = "" if "passed" not in entry else f"  target {entry['target']}: {'ok' if entry['passed'] else 'MISSED'}"
            print(
                f"scale: {step:5s} {customers:>12,} customers ({args.engine}): {entry['wall_s']:8.1f} s, "
                f"peak {entry['peak_rss_gib']:.2f} GiB (tree {entry['peak_tree_gib']:.2f} GiB), "
                f"exit {entry['exit_code']}{verdict}",
                flush=True,
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

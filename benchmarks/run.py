"""Run every benchmark, then write the results tables of ``benchmarks/README.md``.

Run: ``.venv/bin/python benchmarks/run.py`` (what ``make bench`` does), or
``benchmarks/run.py --table-only`` to rewrite the tables from
``benchmarks/results/*.json`` without measuring anything.

Each ``benchmarks/bench_*.py`` runs in its own process with its default
arguments and appends its records to ``benchmarks/results/<name>.json``. The
tables show the latest record of each measurement.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
README = HERE / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
STEPS = {"rules": "rules only", "score": "full score", "run": "full run"}


def latest(records: list[dict], key: tuple[str, ...]) -> list[dict]:
    """The last record of each distinct ``key``, in first-seen order."""
    last: dict[tuple, dict] = {}
    for entry in records:
        last[tuple(entry.get(name) for name in key)] = entry
    return list(last.values())


def _number(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}"


def scale_table(records: list[dict]) -> list[str]:
    """The scale table: wall time and peak memory per step and size."""
    rows = latest(records, ("engine", "step", "customers"))
    rows.sort(key=lambda r: (r["engine"], list(STEPS).index(r["step"]), r["customers"]))
    lines = [
        "| engine | step | customers | wall time (s) | s per 1M customers | peak RSS, largest process (GiB) | peak RSS, all processes (GiB) | target | machine | date | note |",
        "|---|---|---:|---:|---:|---:|---:|---|---|---|---|",
    ]
    for r in rows:
        target = "" if "target" not in r else f"{r['target']}: {'met' if r['passed'] else '**missed**'}"
        status = "" if r["exit_code"] == 0 else f" (exit {r['exit_code']})"
        lines.append(
            f"| {r['engine']} | {STEPS[r['step']]} | {r['customers']:,} | {_number(r['wall_s'], 1)}{status} | "
            f"{_number(r['wall_s'] / r['customers'] * 1e6, 1)} | {_number(r['peak_rss_gib'])} | {_number(r['peak_tree_gib'])} | "
            f"{target} | {r['nproc']} cores, {r['memory_gib']} GiB, load {r['load_1m_before']} | {r['when'][:10]} | {r['note']} |"
        )
    return lines


def exponent(rows: list[dict], measure: str) -> float | None:
    """Least-squares ``b`` of ``measure ~ a * customers ** b`` over ``rows``."""
    points = [(math.log(r["customers"]), math.log(r[measure])) for r in rows if r[measure] > 0]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else None


def linear_fit(rows: list[dict]) -> tuple[float, float, float] | None:
    """Least-squares ``t = a + b * n`` over ``rows``: ``a`` (s), ``b`` (s per 1M customers), worst relative error."""
    points = [(r["customers"] / 1e6, r["wall_s"]) for r in rows]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if not spread:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    fixed = mean_y - slope * mean_x
    worst = max(abs(fixed + slope * x - y) / y for x, y in points)
    return fixed, slope, worst


def growth_table(records: list[dict]) -> list[str]:
    """How wall time and memory grow with the number of customers, per step."""
    rows = [r for r in latest(records, ("engine", "step", "customers")) if r["exit_code"] == 0]
    lines = [
        "| engine | step | sizes | wall time x per size x10 | fixed cost a (s) | cost per 1M customers b (s) "
        "| worst error of t = a + b·n | time exponent (t ~ n^k) | memory exponent |",
        "|---|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for engine, step in sorted({(r["engine"], r["step"]) for r in rows}, key=lambda k: (k[0], list(STEPS).index(k[1]))):
        series = sorted((r for r in rows if r["engine"] == engine and r["step"] == step), key=lambda r: r["customers"])
        if len(series) < 2:
            continue
        ratios = ", ".join(
            f"{a['customers']:,}->{b['customers']:,}: x{b['wall_s'] / a['wall_s']:.1f}" for a, b in zip(series, series[1:], strict=False)
        )
        time_b, memory_b = exponent(series, "wall_s"), exponent(series, "peak_rss_gib")
        fit = linear_fit(series)
        linear = "| | |" if fit is None else f"| {fit[0]:.1f} | {fit[1]:.1f} | {fit[2]:.0%} |"
        sizes = ", ".join(f"{r['customers']:,}" for r in series)
        lines.append(
            f"| {engine} | {STEPS[step]} | {sizes} | {ratios} {linear} "
            f"{'' if time_b is None else f'{time_b:.2f}'} | {'' if memory_b is None else f'{memory_b:.2f}'} |"
        )
    return lines


def other_row(name: str, records: list[dict] | dict) -> str:
    """The latest record of a benchmark without a table of its own (a list of records, or one record)."""
    entry = records[-1] if isinstance(records, list) and records else records
    if not isinstance(entry, dict):
        return f"| {name} | see `results/{name}.json` | | |"

    def shown(record: dict) -> str:
        return ", ".join(
            f"{key} = {value}" for key, value in record.items()
            if not isinstance(value, dict | list) and (
                key.endswith(("_s", "_seconds", "passed", "_ok", "target")) or key.startswith("ratio_")
                or key in ("customers", "branches", "workers", "rows", "data", "algorithm", "k", "silhouette",
                           "stability", "churn_ratio", "load_average_1m_before"))
        )

    cells = shown(entry)
    if isinstance(entry.get("results"), list):  # one record of several sizes
        cells = "; ".join(shown(part) for part in entry["results"] if isinstance(part, dict))
        cells += f"; meets target = {entry['meets_target']}" if "meets_target" in entry else ""
    when = entry.get("when") or entry.get("date", "")
    return f"| {name} | {cells or f'see `results/{name}.json`'} | {str(when)[:10]} | {entry.get('note', '')} |"


def tables() -> str:
    """The generated part of the README."""
    lines = [START, "", "_Written by `benchmarks/run.py` from `benchmarks/results/*.json`; do not edit by hand._", ""]
    scale_path = RESULTS / "scale.json"
    if scale_path.is_file():
        records = json.loads(scale_path.read_text(encoding="utf-8"))
        lines += ["### Scale", "", *scale_table(records), "", "### Growth with size", "", *growth_table(records), ""]
    others = [path for path in sorted(RESULTS.glob("*.json")) if path.name != "scale.json"]
    if others:
        lines += ["### Other benchmarks (latest record)", "", "| benchmark | result | date | note |", "|---|---|---|---|"]
        for path in others:
            lines.append(other_row(path.stem, json.loads(path.read_text(encoding="utf-8"))))
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def write_readme() -> None:
    """Replace the generated part of ``benchmarks/README.md``."""
    from segkit.fileio import write_text

    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{README}: missing the {START} / {END} markers")
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    write_text(README, head + tables() + tail)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table-only", action="store_true", help="only rewrite the README tables")
    args = parser.parse_args()
    failed = []
    if not args.table_only:
        for script in sorted(HERE.glob("bench_*.py")):
            print(f"== {script.name}", flush=True)
            if subprocess.run([sys.executable, str(script)], check=False).returncode != 0:
                failed.append(script.name)
    write_readme()
    print(f"wrote {README}")
    if failed:
        print(f"failed or missed a target: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Publish one executed report per branch, an index and a manifest.

:func:`report` reads a scored folder, executes ``notebooks/bank.ipynb`` once
and ``notebooks/branch.ipynb`` once per branch (in parallel, each notebook in
its own kernel, see :mod:`segkit.report.executor`), and writes::

    <run>/index.html                      every branch with its KPIs and links; failures with their error
    <run>/bank.ipynb, bank.html           the bank-wide report
    <run>/branches/<slug>.ipynb, .html    one executed notebook and page per branch
    <run>/branches/<slug>-calls.csv, .xlsx  the branch's call lists
    <run>/manifest.json                   input, params, versions, seed, every output's sha256

The run folder must be new: an existing non-empty folder is refused, except
one that holds only the scored folder itself (``segkit run`` scores into
``<run>/scored``). Everything is written into a hidden staging folder beside
it and moved into place at the end, so an interrupted run leaves no half files.
A failing branch is listed in the index with its error; the others complete.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from segkit.errors import SegkitError
from segkit.paths import branch_slug
from segkit.report.executor import Executor, make_executor
from segkit.report.jobs import Job, JobResult, merge_branch
from segkit.report.sections import TITLES
from segkit.scored import Scored
from segkit.threads import available_cores, thread_budget

BRANCHES = "branches"


@dataclass
class ReportOutcome:
    """What a report run published.

    Attributes
    ----------
    run_dir : Path
        The run folder.
    results : list of JobResult
        One per notebook (bank first, then branches by id).
    seconds : float
        Wall time of the whole run.
    """

    run_dir: Path
    results: list[JobResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failures(self) -> list[JobResult]:
        """The jobs that failed."""
        return [result for result in self.results if not result.ok]

    @property
    def ok(self) -> bool:
        """Whether every report was published."""
        return bool(self.results) and not self.failures

    def summary(self) -> str:
        """A few lines for the command line."""
        done = len(self.results) - len(self.failures)
        lines = [f"published {done} of {len(self.results)} reports into {self.run_dir} in {self.seconds:.1f}s"]
        lines += [f"  FAILED {r.kind} {r.key}: {(r.error or '').splitlines()[0][:300]}" for r in self.failures]
        return "\n".join(lines)


def _check_target(out: Path, scored_root: Path) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise SegkitError(f"{out} exists and is not a folder")
    allowed = {scored_root.resolve()}
    extra = [p for p in out.iterdir() if p.resolve() not in allowed]
    if extra:
        raise SegkitError(f"{out} already exists and is not empty; choose a new run folder (runs are never overwritten)")


def plan(scored: Scored, stage: Path, run_id: str, branches: Sequence[str] | None, threads: int) -> list[Job]:
    """The jobs of a run: the bank report, then one per branch (by id)."""
    language = scored.params.report.language
    top_n = str(scored.params.report.top_n)
    known = [str(b) for b in scored.branches["branch_id"]]
    if branches:
        unknown = sorted(set(map(str, branches)) - set(known))
        if unknown:
            raise SegkitError(f"unknown branch id(s): {', '.join(unknown)}; known: {', '.join(known[:10])}")
        known = [b for b in known if b in set(map(str, branches))]
    footer = f"segkit · {scored.params.name} · {scored.params.as_of.isoformat()} · run {run_id}"
    common = {"scored_dir": str(scored.path), "language": language, "run_id": run_id}
    jobs = [Job(kind="bank", key="bank", stem="bank", notebook="bank.ipynb", parameters=dict(common),
                root=stage, folder="", title=TITLES["bank_report"][language], language=language, footer=footer,
                scored_dir=scored.path, threads=threads)]
    for branch_id in known:
        branch = Job(
            kind="branch", key=branch_id, stem=branch_slug(branch_id), notebook="branch.ipynb",
            parameters={**common, "branch_id": branch_id, "top_n": top_n}, root=stage, folder=BRANCHES,
            title=f"{TITLES['branch_report'][language]} · {branch_id}", language=language, footer=footer,
            scored_dir=scored.path, threads=threads,
        )
        jobs += [branch, replace(branch, kind="calls")]
    return jobs


def _collect(executor: Executor, jobs: list[Job], stage: Path, progress: bool) -> list[JobResult]:
    """Run the jobs; one result per report (bank first, then branches by id), each branch with its call lists."""
    from tqdm.auto import tqdm

    order = {(job.kind, job.key): i for i, job in enumerate(jobs)}
    done: dict[tuple[str, str], JobResult] = {}
    with tqdm(total=len(jobs), desc="reports", unit="job", disable=not progress) as bar:
        for result in executor.run(jobs):
            done[(result.kind, result.key)] = result
            bar.set_postfix_str(f"{result.kind} {result.key} {'ok' if result.ok else 'FAILED'}")
            bar.update()
    results = [done[key] for key in sorted(done, key=order.__getitem__) if key[0] != "calls"]
    return [merge_branch(r, done[("calls", r.key)], stage) if r.kind == "branch" else r for r in results]


def _make_readable(stage: Path) -> None:
    """Published files are world-readable (temporary files are created private)."""
    stage.chmod(0o755)
    for path in stage.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def _move_into(stage: Path, out: Path) -> None:
    _make_readable(stage)
    if not out.exists():
        os.replace(stage, out)
        return
    for entry in sorted(stage.iterdir()):
        os.replace(entry, out / entry.name)
    stage.rmdir()


def report(
    scored: str | os.PathLike[str],
    out: str | os.PathLike[str],
    branches: Sequence[str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    executor: Executor | None = None,
) -> ReportOutcome:
    """Execute the bank report and one report per branch into a new run folder.

    Parameters
    ----------
    scored : path
        A scored folder (:func:`segkit.pipeline.score`).
    out : path
        The new run folder; its name is the run id.
    branches : list of str, optional
        Only these branch ids (default: every branch).
    workers : int, optional
        Parallel notebooks (default: the number of cores).
    scheduler : str, optional
        Execute the notebooks on this Dask scheduler's workers instead.
    progress : bool, optional
        Show a progress bar (default: when stderr is a terminal).
    executor : Executor, optional
        Run the jobs with this executor (overrides ``workers`` and ``scheduler``).

    Returns
    -------
    ReportOutcome
        ``ok`` is false when any notebook failed (it is listed in the index).
    """
    from segkit.report.index import write_index
    from segkit.report.manifest import build_manifest, file_hashes, published_files, write_manifest
    start = time.perf_counter()
    source = Scored.open(scored)
    out = Path(out).resolve()
    _check_target(out, source.path)
    run_id = out.name
    workers = workers or available_cores()
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        threads = 1 if scheduler else thread_budget(workers)  # a Dask worker runs one notebook per thread
        jobs = plan(source, stage, run_id, branches, threads)
        executor = executor or make_executor(workers, scheduler)
        results = _collect(executor, jobs, stage, progress=_is_tty() if progress is None else progress)
        write_index(stage, source, results, run_id)
        outputs = file_hashes(stage, published_files(stage))
        notebooks = {path: "bank" if path == "bank.ipynb" else "branch" for path in outputs if path.endswith(".ipynb")}
        records = [
            {"kind": r.kind, "id": r.key, "ok": r.ok, "files": r.files, "kpis": r.kpis, "error": r.error}
            for r in results
        ]
        manifest = build_manifest(out, run_id, source, outputs, records, notebooks)
        write_manifest(stage, manifest)
        _move_into(stage, out)
    finally:
        if stage.exists():
            shutil.rmtree(stage)
    return ReportOutcome(run_dir=out, results=results, seconds=time.perf_counter() - start)


def _is_tty() -> bool:
    import sys

    return sys.stderr.isatty()

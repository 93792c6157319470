"""One report job: execute a notebook with papermill, publish its HTML and call lists.

:func:`run_job` never raises: a failing notebook (or anything after it)
returns a :class:`JobResult` with the error, and the files of that job are
removed, so a failed branch leaves nothing half-written.

Notebooks run in the worker's warm kernel, reset between notebooks
(:mod:`segkit.report.kernels`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

CELL_TIMEOUT = 600


@dataclass(frozen=True)
class Job:
    """One notebook to execute and publish.

    Parameters
    ----------
    kind : {"bank", "branch", "calls"}
        The bank-wide report, one branch's report, or one branch's call lists.
    key : str
        The branch id (``"bank"`` for the bank report).
    stem : str
        File stem of the outputs (the branch slug, or ``"bank"``).
    notebook : str
        The notebook's file name in segkit's notebooks folder
        (:func:`segkit.report.notebook.notebooks_dir`, resolved where the job runs).
    parameters : dict of str
        Papermill parameters (always strings: ``"007"`` stays ``"007"``).
    root : Path
        The (staging) run folder the outputs go to.
    folder : str
        Sub-folder of ``root`` for the outputs (``""`` or ``"branches"``).
    title : str
        The HTML page title.
    language : {"zh", "en"}
        Language of the page.
    footer : str
        Text at the bottom of the page (the run id).
    scored_dir : Path
        The scored folder (to write the branch's call lists).
    threads : int
        OpenMP/BLAS threads of the kernel.
    """

    kind: Literal["bank", "branch", "calls"]
    key: str
    stem: str
    notebook: str
    parameters: dict[str, str]
    root: Path
    folder: str
    title: str
    language: str
    footer: str
    scored_dir: Path
    threads: int = 1


@dataclass
class JobResult:
    """What a job published, or why it failed.

    ``files`` are paths relative to the run folder; ``kpis`` are the branch's
    headline figures for the index.
    """

    kind: str
    key: str
    stem: str
    ok: bool
    files: list[str] = field(default_factory=list)
    kpis: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0


def failed(job: Job, error: str, seconds: float = 0.0) -> JobResult:
    """A failed result for ``job``."""
    return JobResult(kind=job.kind, key=job.key, stem=job.stem, ok=False, error=error, seconds=seconds)


# --------------------------------------------------------------------- jobs
def _short_error(exc: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


def execute(job: Job) -> Any:
    """Execute the job's notebook in a warm kernel and return the executed notebook."""
    import papermill as pm

    from segkit.report.kernels import ENGINE, KERNEL_NAME, START_TIMEOUT, kernel_pool
    from segkit.report.notebook import notebooks_dir

    pool = kernel_pool()
    km = pool.take()
    try:
        return pm.execute_notebook(
            str(notebooks_dir() / job.notebook),
            None,
            parameters=dict(job.parameters),
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            log_output=False,
            start_timeout=START_TIMEOUT,
            execution_timeout=CELL_TIMEOUT,
            km=km,
            engine_name=ENGINE,
        )
    finally:
        pool.give_back(km)


def write_branch_files(job: Job) -> tuple[list[Path], dict[str, Any]]:
    """Write a branch's call lists (CSV, XLSX) and return them with the branch's KPIs (a ``calls`` job)."""
    from segkit.report import calls
    from segkit.report.views import branch_kpis, tier_labels
    from segkit.scored import Scored

    scored = Scored.open(job.scored_dir)
    customers = scored.customers(job.key)
    tiers = tier_labels(scored.params, job.language)
    paths = calls.write_call_lists(customers, job.root / job.folder, job.stem, language=job.language, tier_names=tiers)
    return paths, branch_kpis(customers)


def publish(job: Job, nb: Any, written: list[Path]) -> None:
    """Write the executed notebook and its HTML page."""
    import nbformat

    from segkit.fileio import write_text
    from segkit.report.html import export_html

    folder = job.root / job.folder
    page = export_html(nb, job.title, language=job.language, footer=job.footer)
    written.append(write_text(folder / f"{job.stem}.ipynb", nbformat.writes(nb) + "\n"))
    written.append(write_text(folder / f"{job.stem}.html", page))


def run_job(job: Job) -> JobResult:
    """Run one job; never raises (failures come back as results, their files removed).

    A ``bank`` or ``branch`` job executes its notebook and publishes the
    notebook and its page; a ``calls`` job writes a branch's call lists. A
    branch's two jobs run apart, so the call lists (pure Python, holding the
    interpreter lock) never slow the notebook's message handling down, and on
    two workers they run side by side.
    """
    from segkit.threads import limit_threads

    start = time.perf_counter()
    written: list[Path] = []
    kpis: dict[str, Any] = {}
    limit_threads(job.threads)
    try:
        if job.kind == "calls":
            paths, kpis = write_branch_files(job)
            written.extend(paths)
        else:
            publish(job, execute(job), written)
        files = [path.relative_to(job.root).as_posix() for path in written]
        result = JobResult(kind=job.kind, key=job.key, stem=job.stem, ok=True, files=files, kpis=kpis)
    except Exception as exc:  # noqa: BLE001 - isolate this job's failure
        for path in written:
            path.unlink(missing_ok=True)
        result = failed(job, _short_error(exc))
    result.seconds = time.perf_counter() - start
    return result


def merge_branch(report: JobResult, calls: JobResult, root: Path) -> JobResult:
    """One branch's result from its ``branch`` and ``calls`` jobs: published only when both are.

    When one failed, the other's files are removed, so a branch is either
    complete or absent.
    """
    if report.ok and calls.ok:
        return JobResult(kind="branch", key=report.key, stem=report.stem, ok=True, files=report.files + calls.files,
                         kpis=calls.kpis, seconds=report.seconds)
    for relative in report.files + calls.files:
        (root / relative).unlink(missing_ok=True)
    errors = [result.error for result in (report, calls) if not result.ok]
    return JobResult(kind="branch", key=report.key, stem=report.stem, ok=False, error="; ".join(errors),
                     seconds=report.seconds)

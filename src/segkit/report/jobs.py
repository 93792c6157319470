"""One report job: execute a notebook with papermill, publish its HTML and call lists.

:func:`run_job` never raises: a failing notebook (or anything after it)
returns a :class:`JobResult` with the error, and the files of that job are
removed, so a failed branch leaves nothing half-written.

Each process keeps one *warm* kernel ready: started with the explicit kernel
name ``segkit``, with the report modules already imported (a silent
execution that leaves no trace in the notebook). While one notebook runs,
the next kernel starts, so the start-up cost mostly overlaps the work.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

KERNEL_NAME = "segkit"
START_TIMEOUT = 120
CELL_TIMEOUT = 600
WARM_CODE = "__import__('segkit.report.notebook').report.notebook.warm()"
# Batch kernels keep no input history (no shared history database, nothing carried between runs).
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]


@dataclass(frozen=True)
class Job:
    """One notebook to execute and publish.

    Parameters
    ----------
    kind : {"bank", "branch"}
        The bank-wide report or one branch's report.
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

    kind: Literal["bank", "branch"]
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


# ------------------------------------------------------------------ kernels
class KernelPool:
    """Keeps one started, warmed-up kernel ready for the next notebook.

    Parameters
    ----------
    kernel_name : str
        The Jupyter kernel to start.
    cwd : Path
        Working directory of the kernels (notebooks never rely on it).
    """

    def __init__(self, kernel_name: str = KERNEL_NAME, cwd: Path | None = None) -> None:
        self.kernel_name = kernel_name
        self.cwd = cwd
        self._spare: tuple[Any, Any, str] | None = None

    def _start(self) -> tuple[Any, Any, str]:
        from jupyter_client.manager import KernelManager

        km = KernelManager(kernel_name=self.kernel_name)
        km.start_kernel(
            cwd=str(self.cwd) if self.cwd else None,
            env=dict(os.environ),
            extra_arguments=KERNEL_ARGUMENTS,
        )
        kc = km.client()
        kc.start_channels()
        msg_id = kc.execute(WARM_CODE, silent=True, store_history=False)
        return km, kc, msg_id

    def take(self) -> Any:
        """Return a started kernel manager (the caller shuts it down) and warm the next one."""
        km, kc, msg_id = self._spare or self._start()
        self._spare = None
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while time.monotonic() < deadline:
                reply = kc.get_shell_msg(timeout=START_TIMEOUT)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
        finally:
            kc.stop_channels()
        self._spare = self._start()
        return km

    def close(self) -> None:
        """Shut down the spare kernel."""
        if self._spare is not None:
            km, kc, _ = self._spare
            self._spare = None
            kc.stop_channels()
            km.shutdown_kernel(now=True)


_POOL: KernelPool | None = None


def kernel_pool() -> KernelPool:
    """This process's kernel pool (created on first use, shut down at exit)."""
    global _POOL
    if _POOL is None:
        import atexit
        from multiprocessing import util

        from segkit.report.notebook import notebooks_dir

        _POOL = KernelPool(KERNEL_NAME, cwd=notebooks_dir())
        atexit.register(_POOL.close)
        util.Finalize(None, _POOL.close, exitpriority=10)
    return _POOL


def warm_up() -> None:
    """Import the heavy modules and start a warm kernel (once per worker process)."""
    import papermill  # noqa: F401

    from segkit.report import calls, html  # noqa: F401

    html._exporter()
    kernel_pool()._spare = kernel_pool()._spare or kernel_pool()._start()


# --------------------------------------------------------------------- jobs
def _short_error(exc: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


def execute(job: Job) -> Any:
    """Execute the job's notebook in a warm kernel and return the executed notebook."""
    import papermill as pm

    from segkit.report.notebook import notebooks_dir

    km = kernel_pool().take()
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
        )
    finally:
        km.shutdown_kernel(now=True)


def write_branch_files(job: Job) -> tuple[list[Path], dict[str, Any]]:
    """Write a branch's call lists (CSV, XLSX) and return them with the branch's KPIs."""
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
    """Execute and publish one job; never raises (failures come back as results).

    A branch's call lists are written in a side thread while its notebook
    runs in the kernel (this process would otherwise only wait).
    """
    from concurrent.futures import ThreadPoolExecutor

    start = time.perf_counter()
    written: list[Path] = []
    kpis: dict[str, Any] = {}
    from segkit.threads import limit_threads

    limit_threads(job.threads)
    with ThreadPoolExecutor(1) as side:
        branch_files = side.submit(write_branch_files, job) if job.kind == "branch" else None
        try:
            nb = execute(job)
            publish(job, nb, written)
            if branch_files is not None:
                paths, kpis = branch_files.result()
                written.extend(paths)
            files = [path.relative_to(job.root).as_posix() for path in written]
            result = JobResult(kind=job.kind, key=job.key, stem=job.stem, ok=True, files=files, kpis=kpis)
        except Exception as exc:  # noqa: BLE001 - isolate this job's failure
            if branch_files is not None and branch_files.exception() is None:
                written.extend(branch_files.result()[0])
            for path in written:
                path.unlink(missing_ok=True)
            result = failed(job, _short_error(exc))
    result.seconds = time.perf_counter() - start
    return result

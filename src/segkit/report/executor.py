"""Where report notebooks run: local worker processes, or a Dask cluster.

An executor takes a list of :class:`~segkit.report.jobs.Job` and yields one
:class:`~segkit.report.jobs.JobResult` per job as each finishes. Each job runs
:func:`segkit.report.jobs.run_job` in a worker process that keeps its
nbconvert exporter and a warm kernel between notebooks.

Threads: ``workers x threads <= cores``. Each worker (and every kernel it
starts) gets ``OMP_NUM_THREADS`` / ``OPENBLAS_NUM_THREADS`` /
``MKL_NUM_THREADS`` = ``threads``, so parallel notebooks never oversubscribe
the machine.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from segkit.errors import SegkitError
from segkit.report.jobs import Job, JobResult, failed, run_job
from segkit.report.kernels import KERNEL_NAME, warm_up
from segkit.threads import available_cores, limit_threads, thread_budget


class Executor(Protocol):
    """Runs report jobs and yields their results as they finish."""

    def run(self, jobs: Sequence[Job]) -> Iterator[JobResult]:
        """Yield one result per job, in completion order."""
        ...


def _init_worker(threads: int) -> None:
    limit_threads(threads)
    warm_up()


class LocalExecutor:
    """Run jobs in ``workers`` long-lived local processes (one notebook each at a time).

    Parameters
    ----------
    workers : int
        Number of worker processes.
    threads : int, optional
        OpenMP/BLAS threads per worker; by default cores // workers.
    """

    def __init__(self, workers: int, threads: int | None = None) -> None:
        self.workers = workers
        self.threads = threads

    def run(self, jobs: Sequence[Job]) -> Iterator[JobResult]:
        if not jobs:
            return
        workers = max(1, min(self.workers, len(jobs)))
        threads = self.threads or thread_budget(workers)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(threads,)) as pool:
            futures = {pool.submit(run_job, job): job for job in jobs}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    yield future.result()
                except BrokenProcessPool as exc:
                    yield failed(job, f"worker process died: {exc}")
                except Exception as exc:  # noqa: BLE001 - one job's failure must not stop the others
                    yield failed(job, f"{type(exc).__name__}: {exc}")


def has_report_kernel() -> bool:
    """Whether this machine has the Jupyter kernel the report notebooks run in."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        return False
    return True


class DaskExecutor:
    """Run jobs on the workers of a running Dask scheduler.

    The run folder and the scored folder must be on storage every worker can
    read and write (the paths in each job are absolute). Each worker runs the
    notebooks of its own segkit installation, which must be the same version
    (:func:`segkit.dask_engine.connect` checks) and have the ``segkit``
    Jupyter kernel.

    Parameters
    ----------
    address : str
        The scheduler's address, e.g. ``tcp://10.0.0.5:8786``.
    """

    def __init__(self, address: str) -> None:
        self.address = address

    def run(self, jobs: Sequence[Job]) -> Iterator[JobResult]:
        from distributed import as_completed as dask_completed

        from segkit.dask_engine import connect

        with connect(self.address) as client:
            without = sorted(worker for worker, ok in client.run(has_report_kernel).items() if not ok)
            if without:
                raise SegkitError(
                    f"the Dask workers {', '.join(without)} have no {KERNEL_NAME!r} Jupyter kernel; install it on "
                    f"each: python -m ipykernel install --sys-prefix --name {KERNEL_NAME}"
                )
            futures = {client.submit(run_job, job, pure=False): job for job in jobs}
            for future in dask_completed(list(futures)):
                job = futures[future]
                try:
                    yield future.result()
                except Exception as exc:  # noqa: BLE001
                    yield failed(job, f"{type(exc).__name__}: {exc}")


def make_executor(workers: int | None = None, scheduler: str | None = None) -> Executor:
    """Return the executor for a run: Dask when ``scheduler`` is given, else local processes."""
    if scheduler:
        return DaskExecutor(scheduler)
    return LocalExecutor(workers or available_cores())

"""Thread budgets: parallel workers × OpenMP/BLAS threads never exceed the cores.

On a small machine, gradient boosting with more OpenMP threads than cores
runs several times slower. Every place that runs work in parallel (report
workers, Dask workers, audit re-executions) gives each worker
``cores // workers`` threads with :func:`thread_budget` and caps them with
:func:`limit_threads`.
"""

from __future__ import annotations

import os

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
"""Read by the OpenMP and BLAS runtimes when they load, in this process and its children."""


def available_cores() -> int:
    """Return the number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def thread_budget(workers: int, cores: int | None = None) -> int:
    """Threads per worker so that ``workers * threads <= cores`` (at least 1)."""
    cores = cores or available_cores()
    return max(1, cores // max(1, workers))


def thread_environment(threads: int) -> dict[str, str]:
    """The environment variables that cap a child process at ``threads`` threads."""
    return dict.fromkeys(THREAD_VARIABLES, str(threads))


def limit_threads(threads: int) -> None:
    """Cap OpenMP/BLAS threads of this process and of every process it starts.

    The environment covers runtimes loaded later and child processes
    (notebook kernels); threadpoolctl covers the runtimes already loaded.
    """
    from threadpoolctl import threadpool_limits

    os.environ.update(thread_environment(threads))
    threadpool_limits(threads)

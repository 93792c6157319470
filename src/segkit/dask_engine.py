"""Score a bank on a Dask cluster: the same steps as the pandas engine, on partitions.

:func:`score_dask` runs in three passes, each bounded by one partition per
worker thread:

1. **Check.** ``dask.dataframe`` reads the input (a Parquet file or folder;
   a CSV file is read whole by segkit's reader, as one partition). Each
   partition is mapped and validated on a worker; a valid partition is staged
   as Parquet and gives its :func:`~segkit.stages.fit_sample`, and the samples
   are merged in a tree (:func:`~segkit.stages.merge_samples`), so the fit
   sample equals the pandas engine's. Every problem of every partition, and
   ``customer_id`` values repeated across partitions, are raised together as
   one :class:`~segkit.errors.DataValidationError`.
2. **Fit.** The segmenter and the churn scorer are fitted here, on the sample
   (:func:`~segkit.stages.fit_models`), and sent to every worker once.
3. **Score.** The staged rows are shuffled on ``branch_id`` so each partition
   holds whole branches; each branch is put back in input order, scored,
   assigned and written to the scored folder by a worker
   (:func:`segkit.engine.score_branch`).

The result equals :func:`segkit.engine.score_streaming` on the same input.
Workers read the input and write the scored folder themselves, so with a
remote scheduler both paths must be on storage every worker reaches, and the
workers need the same segkit version. Each worker thread runs one task with
one OpenMP/BLAS thread, so the cores are never oversubscribed.
"""

from __future__ import annotations

import logging
import shutil
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

import segkit
from segkit.config import Params
from segkit.data.io import PARQUET_SUFFIXES, read_table
from segkit.data.mapping import apply_mapping, source_text_columns
from segkit.data.schema import validate_customers
from segkit.engine import BranchResult, _merge_problems, collect_branches, score_branch
from segkit.errors import DataValidationError, Problem, SegkitError
from segkit.rules import rule_inputs
from segkit.scored import write_parquet
from segkit.stages import Models, data_profile, fit_models, fit_sample, merge_profiles, merge_samples
from segkit.threads import available_cores, limit_threads, thread_environment

if TYPE_CHECKING:
    from dask.delayed import Delayed
    from distributed import Client

__all__ = ["score_dask", "connect"]

ORDER = ["_segkit_partition", "_segkit_row"]
"""Staged columns that keep the input order of the rows through the shuffle."""
TREE_WIDTH = 8
"""How many partition samples one merge task combines."""
READ_CONFIG = {"dataframe.convert-string": False}
"""Read text as pandas' own ``str`` dtype, exactly as the pandas engine does."""


# ------------------------------------------------------------------ cluster
def _segkit_version() -> str:
    return segkit.__version__


def _check_workers(client: Client) -> None:
    """Raise if a worker cannot import segkit or runs another version; cap its threads."""
    address = client.scheduler.address
    try:
        versions = client.run(_segkit_version)
        client.run(limit_threads, 1)
    except Exception as exc:  # noqa: BLE001 - any failure here means the workers cannot run segkit
        raise SegkitError(
            f"the Dask workers of {address} cannot run segkit ({type(exc).__name__}: {exc}); "
            f"install segkit {segkit.__version__} on every worker"
        ) from None
    if not versions:
        raise SegkitError(f"the Dask scheduler {address} has no workers")
    other = {worker: version for worker, version in versions.items() if version != segkit.__version__}
    if other:
        listed = ", ".join(f"{worker} has {version}" for worker, version in sorted(other.items()))
        raise SegkitError(f"the Dask workers must run segkit {segkit.__version__}: {listed}")


@contextmanager
def connect(scheduler: str | None = None) -> Iterator[Client]:
    """Yield a client of the scheduler at ``scheduler``, or of a new local cluster.

    The local cluster has one single-threaded worker process per core, each
    with OpenMP/BLAS capped at one thread; it is closed on exit. A remote
    scheduler is left running.
    """
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=dask.config.get("distributed.comm.timeouts.connect"))
        except (OSError, TimeoutError) as exc:
            raise SegkitError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        with client:
            _check_workers(client)
            yield client
        return
    cluster = LocalCluster(
        n_workers=available_cores(),
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": ":0"},  # its health endpoint on a free port, not 8787
        silence_logs=logging.ERROR,
        env=thread_environment(1),
    )
    with cluster, Client(cluster) as client:
        _check_workers(client)
        yield client


# ------------------------------------------------------------------ pass 1: check
@dataclass
class PartitionCheck:
    """What checking one partition found."""

    rows: int = 0
    profile: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    branches: list[str] = field(default_factory=list)
    staged: str | None = None


def _is_parquet(path: Path) -> bool:
    return path.is_dir() or path.name.lower().endswith(PARQUET_SUFFIXES)


def raw_partitions(path: Path, params: Params) -> list[Delayed]:
    """Return the input's partitions as read (not yet mapped), in input order."""
    import dask
    import dask.dataframe as dd

    if not _is_parquet(path):
        return [dask.delayed(read_table, pure=False)(path, text_columns=source_text_columns(params.data.mapping))]
    if not path.exists() or (path.is_dir() and not any(path.rglob("*.parquet"))):
        read_table(path)  # raises the data layer's error for the path
    try:
        with dask.config.set(READ_CONFIG):
            return list(dd.read_parquet(path).to_delayed())
    except (OSError, ValueError) as exc:
        raise SegkitError(f"{path}: cannot read the Parquet data: {exc}") from None


def _plain_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn the categories of hive partition columns back into text."""
    categorical = [name for name, dtype in frame.dtypes.items() if isinstance(dtype, pd.CategoricalDtype)]
    return frame.astype(dict.fromkeys(categorical, "str")) if categorical else frame


def check_partition(raw: pd.DataFrame, number: int, params: Params, source: str, staging: str) -> tuple[PartitionCheck, pd.DataFrame | None]:
    """Map and validate one partition; stage it if valid and return its fit sample."""
    if raw.empty:
        return PartitionCheck(), None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            batch = validate_customers(apply_mapping(_plain_text(raw), params.data.mapping, rule_inputs(params)), source=source)
        except DataValidationError as exc:
            problems = exc.problems
        else:
            problems = []
    messages = list(dict.fromkeys(str(item.message) for item in caught))
    if problems:
        return PartitionCheck(problems=problems, warnings=messages), None
    target = Path(staging) / f"part-{number:06d}.parquet"
    write_parquet(target, batch.assign(_segkit_partition=number, _segkit_row=np.arange(len(batch))))
    branches = sorted(batch["branch_id"].astype("str").unique())
    check = PartitionCheck(rows=len(batch), profile=data_profile(batch), warnings=messages, branches=branches,
                           staged=str(target))
    return check, fit_sample(batch, params.scale.fit_sample, params.seed)


def _merge(samples: Sequence[pd.DataFrame | None], size: int, seed: int) -> pd.DataFrame | None:
    present = [sample for sample in samples if sample is not None]
    return merge_samples(present, size, seed) if present else None


def tree_reduce(items: list[Any], combine: Callable[[list[Any]], Any], width: int = TREE_WIDTH) -> Delayed:
    """Combine delayed ``items`` ``width`` at a time until one is left."""
    import dask

    level = list(items)
    while len(level) > 1:
        level = [dask.delayed(combine, pure=False)(level[start : start + width]) for start in range(0, len(level), width)]
    return level[0] if level else dask.delayed(combine, pure=False)([])


def repeated_ids(client: Client, staged: list[str]) -> Problem | None:
    """Return the problem of ``customer_id`` values that occur more than once, if any."""
    import dask
    import dask.dataframe as dd

    with dask.config.set(READ_CONFIG):
        ids = dd.read_parquet(staged, columns=["customer_id"])["customer_id"]
    counts = ids.value_counts(split_out=max(1, ids.npartitions // 4))
    repeated = client.compute(counts[counts > 1]).result()
    if repeated.empty:
        return None
    keys = set(repeated.index.astype("str"))
    firsts = ids.map_partitions(lambda part: part[part.isin(keys)].drop_duplicates().head(5), meta=ids._meta)
    examples = tuple(dict.fromkeys(client.compute(firsts).result().astype("str")))[:5]
    return Problem("customer_id", "must be unique across the whole input", int(repeated.sum()), examples)


@dataclass
class CheckedInput:
    """The validated input, staged on storage the workers share."""

    staged: list[str]
    branches: list[str]
    sample: pd.DataFrame
    rows: int
    profile: dict[str, Any]


def check_input(client: Client, path: Path, params: Params, staging: Path, params_future: Any) -> CheckedInput:
    """Map, validate and stage every partition; raise every problem at once."""
    import dask

    parts = raw_partitions(path, params)
    checks = [
        dask.delayed(check_partition, pure=False, nout=2)(part, number, params_future, str(path), str(staging))
        for number, part in enumerate(parts)
    ]
    sample = tree_reduce([check[1] for check in checks], partial(_merge, size=params.scale.fit_sample, seed=params.seed))
    summaries, sample = dask.compute([check[0] for check in checks], sample)
    for message in dict.fromkeys(message for summary in summaries for message in summary.warnings):
        warnings.warn(message, UserWarning, stacklevel=3)
    problems = [problem for summary in summaries for problem in summary.problems]
    staged = [summary.staged for summary in summaries if summary.staged]
    if staged:
        repeated = repeated_ids(client, staged)
        if repeated:
            problems.append(repeated)
    if problems:
        raise DataValidationError(_merge_problems(problems), source=str(path))
    rows = sum(summary.rows for summary in summaries)
    if not rows:
        raise DataValidationError([Problem("<table>", "has no customer rows")], source=str(path))
    branches = sorted({branch for summary in summaries for branch in summary.branches})
    profile = merge_profiles(summary.profile for summary in summaries if summary.profile is not None)
    return CheckedInput(staged, branches, sample, rows, profile)


# ------------------------------------------------------------------ pass 3: score
def score_partition(part: pd.DataFrame, params: Params, models: Models, out: str) -> list[tuple[str, BranchResult]]:
    """Score, assign and write every (whole) branch of one shuffled partition."""
    results = []
    for branch_id, frame in part.groupby("branch_id", sort=True, observed=True):
        frame = frame.sort_values(ORDER, kind="stable").drop(columns=ORDER).reset_index(drop=True)
        results.append((str(branch_id), score_branch(frame, params, models, Path(out))))
    return results


def score_branches(client: Client, checked: CheckedInput, out: Path, params_future: Any, models_future: Any) -> list[BranchResult]:
    """Shuffle the staged rows on ``branch_id`` and score every branch; results in branch order."""
    import dask
    import dask.dataframe as dd

    with dask.config.set(READ_CONFIG):
        staged = dd.read_parquet(checked.staged)
    by_branch = staged.shuffle(on="branch_id", npartitions=max(1, min(len(checked.branches), staged.npartitions)))
    tasks = [
        dask.delayed(score_partition, pure=False)(part, params_future, models_future, str(out))
        for part in by_branch.to_delayed()
    ]
    (partitions,) = dask.compute(tasks)
    scored = sorted((pair for pairs in partitions for pair in pairs), key=lambda pair: pair[0])
    return [result for _, result in scored]


# ------------------------------------------------------------------ engine
def score_dask(
    path: Path, params: Params, out: Path, scheduler: str | None = None
) -> tuple[pd.DataFrame, Models, dict[str, pd.DataFrame]]:
    """Score the input at ``path`` into the scored folder ``out`` on a Dask cluster.

    Parameters
    ----------
    path : Path
        The bank's export: a Parquet file, a folder of Parquet files, or CSV.
    params : Params
        The run parameters.
    out : Path
        The scored folder being written (see :mod:`segkit.scored`); the
        customers are written into it by the workers.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``); by default
        a local cluster with one worker process per core is started and closed.

    Returns
    -------
    tuple
        The branch table, the fitted models and the bank-level tables, as
        :func:`segkit.engine.score_streaming` returns them.

    Raises
    ------
    DataValidationError
        Listing every problem of every partition.
    SegkitError
        If the scheduler cannot be reached, its workers cannot run segkit, or
        they cannot read the input or write ``out``.
    """
    staging = out / ".staging"
    staging.mkdir(parents=True, exist_ok=True)
    try:
        with connect(scheduler) as client:
            params_future = client.scatter(params, broadcast=True, hash=False)
            checked = check_input(client, path, params, staging, params_future)
            models = fit_models(checked.sample, params)
            models.metrics["data"] = checked.profile
            models_future = client.scatter(models, broadcast=True, hash=False)
            results = score_branches(client, checked, out, params_future, models_future)
    except (FileNotFoundError, PermissionError) as exc:
        raise SegkitError(
            f"a Dask worker could not read the input or write the scored folder: {exc}; "
            "both must be on storage every worker can reach"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    branches, tables = collect_branches(results, models, params)
    return branches, models, tables

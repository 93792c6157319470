"""Score a bank too large for memory, one batch and one branch at a time.

:func:`score_streaming` reads the input ``scale.batch_rows`` rows at a time,
maps and validates each batch (collecting every problem of every batch before
failing), and stages the valid rows by branch. It then fits the models on the
seeded hash sample (:func:`segkit.stages.fit_sample`) and scores, assigns and
writes one branch at a time. Peak memory is bounded by one batch, the fit
sample and the largest branch; the output equals :func:`score_frame` on the
whole table.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.dataset as pads

from segkit.config import Params
from segkit.data.io import PARQUET_SUFFIXES, read_table
from segkit.data.mapping import apply_mapping, source_text_columns
from segkit.data.schema import validate_customers
from segkit.errors import DataValidationError, Problem, SegkitError
from segkit.paths import branch_slug
from segkit.rules import rule_inputs
from segkit.scored import write_customers, write_parquet
from segkit.stages import (
    Models,
    assign_branches,
    bank_tables,
    combine_tables,
    data_profile,
    fit_models,
    fit_sample,
    merge_profiles,
    merge_samples,
    score_rows,
)


@dataclass
class ScoredBank:
    """Everything computed from one snapshot, before it is written."""

    customers: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    models: dict[str, object] = field(default_factory=dict)
    metrics: dict[str, object] = field(default_factory=dict)


def _corporate(customers: pd.DataFrame) -> pd.DataFrame | None:
    """The corporate customers among ``customers`` (``None`` without ``customer_type``)."""
    if "customer_type" not in customers:
        return None
    return customers[customers["customer_type"] == "corporate"]


def score_frame(customers: pd.DataFrame, params: Params) -> ScoredBank:
    """Score a validated canonical table held in memory.

    Parameters
    ----------
    customers : DataFrame
        The canonical customer table, validated
        (:func:`segkit.data.io.load_customers`).
    params : Params
        The run parameters.

    Returns
    -------
    ScoredBank
        Scored customers (input order), bank-level tables, models and metrics.
    """
    customers = customers.reset_index(drop=True)
    models = fit_models(fit_sample(customers, params.scale.fit_sample, params.seed), params)
    models.metrics["data"] = merge_profiles([data_profile(customers)])
    scored, tables = assign_branches(score_rows(customers, params, models), params)
    tables.update(bank_tables(tables, _corporate(scored), params))
    tables.update(models.tables)
    return ScoredBank(scored, tables, {"segmenter": models.segmenter, "churn": models.churn}, models.metrics)


def iter_raw_batches(path: Path, params: Params) -> Iterator[pd.DataFrame]:
    """Yield the input ``batch_rows`` rows at a time, as read (not yet mapped).

    Parquet files and folders are streamed; a CSV file is read whole (export
    large banks as Parquet).
    """
    size = params.scale.batch_rows
    if path.is_dir() or path.name.lower().endswith(PARQUET_SUFFIXES):
        read_table_check = path.is_dir() and not any(path.rglob("*.parquet"))
        if read_table_check or not path.exists():
            read_table(path)  # raises the data layer's error for the path
        try:
            dataset = pads.dataset(path, format="parquet", partitioning="hive")
            for batch in dataset.to_batches(batch_size=size):
                if batch.num_rows:
                    yield batch.to_pandas()
        except (OSError, ValueError) as exc:
            raise SegkitError(f"{path}: cannot read the Parquet data: {exc}") from None
        return
    table = read_table(path, text_columns=source_text_columns(params.data.mapping))
    for start in range(0, max(len(table), 1), size):
        yield table.iloc[start : start + size]


def _merge_problems(problems: list[Problem]) -> list[Problem]:
    merged: dict[tuple[str, str], Problem] = {}
    for problem in problems:
        key = (problem.column, problem.rule)
        if key in merged:
            old = merged[key]
            examples = (old.examples + problem.examples)[:5]
            merged[key] = Problem(old.column, old.rule, old.n_rows + problem.n_rows, examples)
        else:
            merged[key] = problem
    return list(merged.values())


@dataclass
class StagedInput:
    """The validated input, staged as Parquet files per branch."""

    parts: dict[str, list[Path]]
    sample: pd.DataFrame
    rows: int
    profile: dict[str, object]


def stage_input(path: Path, params: Params, stage: Path) -> StagedInput:
    """Map, validate and stage the input by branch, one batch at a time.

    Raises
    ------
    DataValidationError
        After reading every batch, listing every problem of every batch,
        including ``customer_id`` values repeated across batches.
    """
    problems: list[Problem] = []
    parts: dict[str, list[Path]] = {}
    samples: list[pd.DataFrame] = []
    profiles: list[dict[str, object]] = []
    id_parts: list[pd.Series] = []
    rows = 0
    keep = rule_inputs(params)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for number, raw in enumerate(iter_raw_batches(path, params)):
            try:
                batch = validate_customers(apply_mapping(raw, params.data.mapping, keep), source=str(path))
            except DataValidationError as exc:
                problems += exc.problems
                continue
            rows += len(batch)
            profiles.append(data_profile(batch))
            id_parts.append(batch["customer_id"])
            samples.append(fit_sample(batch, params.scale.fit_sample, params.seed))
            for branch_id, part in batch.groupby("branch_id", sort=True, observed=True):
                target = stage / branch_slug(branch_id) / f"part-{number:06d}.parquet"
                write_parquet(target, part)
                parts.setdefault(str(branch_id), []).append(target)
    for message in dict.fromkeys(str(item.message) for item in caught):
        warnings.warn(message, UserWarning, stacklevel=2)
    if id_parts:
        ids = pd.concat(id_parts, ignore_index=True)
        repeated = ids[ids.duplicated(keep=False)]
        if len(repeated):
            examples = tuple(dict.fromkeys(repeated.astype(str)))[:5]
            problems.append(Problem("customer_id", "must be unique across the whole input", len(repeated), examples))
    if problems:
        raise DataValidationError(_merge_problems(problems), source=str(path))
    if not rows:
        raise DataValidationError([Problem("<table>", "has no customer rows")], source=str(path))
    sample = merge_samples(samples, params.scale.fit_sample, params.seed)
    return StagedInput(parts, sample, rows, merge_profiles(profiles))


@dataclass
class BranchResult:
    """What scoring one branch gives besides its written customers."""

    branch: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    corporate: pd.DataFrame | None


def score_branch(frame: pd.DataFrame, params: Params, models: Models, out: Path) -> BranchResult:
    """Score, assign and write the customers of one whole branch into the scored folder ``out``."""
    frame, tables = assign_branches(score_rows(frame, params, models), params)
    return BranchResult(write_customers(out, frame), tables, _corporate(frame))


def collect_branches(results: list[BranchResult], models: Models, params: Params) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Combine the results of every branch, in branch order, into the branch table and the bank-level tables."""
    tables = combine_tables([result.tables for result in results])
    corporate = [result.corporate for result in results if result.corporate is not None]
    tables.update(bank_tables(tables, pd.concat(corporate, ignore_index=True) if corporate else None, params))
    tables.update(models.tables)
    return pd.concat([result.branch for result in results], ignore_index=True), tables


def score_streaming(path: Path, params: Params, out: Path) -> tuple[pd.DataFrame, Models, dict[str, pd.DataFrame]]:
    """Score the input at ``path`` into the scored folder ``out``, branch by branch.

    Returns the branch table, the fitted models and the bank-level tables; the
    customers are written to ``out`` as they are scored.
    """
    staging = out / ".staging"
    staged = stage_input(path, params, staging)
    models = fit_models(staged.sample, params)
    models.metrics["data"] = staged.profile
    results = []
    for branch_id in sorted(staged.parts):
        frame = pd.concat([pd.read_parquet(part) for part in staged.parts[branch_id]], ignore_index=True)
        results.append(score_branch(frame, params, models, out))
        shutil.rmtree(staging / branch_slug(branch_id))
    shutil.rmtree(staging)
    branches, tables = collect_branches(results, models, params)
    return branches, models, tables

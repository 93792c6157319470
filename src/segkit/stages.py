"""The steps of scoring, shared by every engine.

Scoring is split so that no step needs the whole bank in memory:

1. :func:`fit_sample` keeps the customers with the smallest seeded hash of
   ``customer_id``. The choice does not depend on row order or on how the
   input is split, so every engine fits on exactly the same customers.
2. :func:`fit_models` fits the segmenter and the churn scorer on that sample.
3. :func:`score_rows` adds the rule, cluster and churn columns to any rows:
   it is row-wise and pure, so it runs per batch or per Dask partition.
4. :func:`assign_branches` assigns books; it needs whole branches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

import numpy as np
import pandas as pd

from segkit.churn.lists import is_dormant
from segkit.config import Params

def sample_keys(customer_id: pd.Series, seed: int) -> np.ndarray:
    """Return a seeded 64-bit hash of each customer id."""
    hash_key = hashlib.sha256(f"segkit-sample-{seed}".encode()).hexdigest()[:16]
    hashed = pd.util.hash_pandas_object(customer_id.astype("str"), index=False, hash_key=hash_key)
    return hashed.to_numpy(dtype=np.uint64)


def fit_sample(frame: pd.DataFrame, size: int, seed: int) -> pd.DataFrame:
    """Return at most ``size`` customers: those with the smallest seeded hash.

    The result is ordered by the hash, so it is the same whatever the order or
    the split of the input; ``fit_sample(concat(fit_sample(part) for part in
    parts))`` equals ``fit_sample(concat(parts))``.
    """
    keys = sample_keys(frame["customer_id"], seed)
    order = np.argsort(keys, kind="stable")[:size]
    return frame.iloc[order].reset_index(drop=True)


def merge_samples(samples: Iterable[pd.DataFrame], size: int, seed: int) -> pd.DataFrame:
    """Combine per-batch samples into the sample of the whole input."""
    return fit_sample(pd.concat(list(samples), ignore_index=True), size, seed)


def data_profile(batch: pd.DataFrame) -> dict[str, Any]:
    """What a batch of validated rows holds: ``rows``, the canonical ``columns`` and their ``missing_values``.

    Profiles of disjoint batches combine with :func:`merge_profiles`.
    """
    from segkit.data.schema import canonical_columns

    present = [column for column in canonical_columns() if column in batch.columns]
    missing = batch[present].isna().sum()
    return {"rows": len(batch), "columns": present, "missing_values": {c: int(n) for c, n in missing.items() if n}}


def merge_profiles(profiles: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The profile of the whole input (``metrics.json["data"]``) from those of its batches.

    Adds ``absent``: the optional canonical columns the input lacks (the
    features that need them were skipped).
    """
    from segkit.data.schema import canonical_columns, optional_columns

    profiles = list(profiles)
    seen = {column for profile in profiles for column in profile["columns"]}
    missing: dict[str, int] = {}
    for profile in profiles:
        for column, count in profile["missing_values"].items():
            missing[column] = missing.get(column, 0) + count
    return {
        "rows": sum(profile["rows"] for profile in profiles),
        "columns": [column for column in canonical_columns() if column in seen],
        "absent": [column for column in optional_columns() if column not in seen],
        "missing_values": {column: missing[column] for column in canonical_columns() if column in missing},
    }


@dataclass
class Models:
    """The fitted models of a run, with their metrics and bank-level tables."""

    segmenter: Any
    churn: Any
    metrics: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def with_rules(frame: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Return ``frame`` with the rule columns of :func:`segkit.rules.apply_rules`."""
    from segkit.rules import apply_rules

    return pd.concat([frame, apply_rules(frame, params)], axis=1)


def fit_models(sample: pd.DataFrame, params: Params) -> Models:
    """Fit the segmenter and the churn scorer on the fit sample.

    Parameters
    ----------
    sample : DataFrame
        The canonical rows chosen by :func:`fit_sample`, without rule columns.
    params : Params
        The run parameters.
    """
    from segkit import churn, cluster

    sample = with_rules(sample, params)
    features = list(params.data.mapping.features)
    segmenter = cluster.fit_segmenter(sample, params.cluster, seed=params.seed)
    labels = segmenter.predict(sample)
    scorer = churn.fit_churn(sample, params.churn, seed=params.seed, features=features)
    models = Models(segmenter=segmenter, churn=scorer)
    models.metrics["cluster"] = segmenter.metrics()
    models.metrics["churn"] = churn.evaluate(scorer)
    models.tables["k_table"] = segmenter.k_table_
    models.tables["cluster_profiles"] = segmenter.profile(sample, labels)
    models.tables["churn_drivers"] = scorer.drivers_table()
    return models


def score_rows(frame: pd.DataFrame, params: Params, models: Models) -> pd.DataFrame:
    """Add the rule, cluster and churn columns to ``frame`` (row-wise, pure)."""
    scored = with_rules(frame, params)
    labels = models.segmenter.predict(scored)
    clusters = pd.Series(labels, index=scored.index)
    scored = scored.assign(
        cluster=labels,
        cluster_name=clusters.map(models.segmenter.names_).astype("str"),
        cluster_name_zh=clusters.map(models.segmenter.names_zh_).astype("str"),
    )
    scored = pd.concat([scored, models.churn.score(scored)], axis=1)
    if "months_inactive" in scored:
        rule = params.churn.dormant
        scored["dormant"] = is_dormant(scored, rule.months_inactive, rule.min_aum)
    return scored


def assign_branches(frame: pd.DataFrame, params: Params) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Assign books for the whole branches in ``frame``.

    Returns the frame with ``manager_id`` and ``assignment`` updated, and the
    tables of those branches that add up over branches: ``books``,
    ``branch_capacity``, ``red_list``, the migration tables
    (:func:`segkit.rules.migration_tables`) and, with a target measure,
    ``target_actuals`` (:func:`segkit.rules.measured_actuals`).
    """
    from segkit.rules import assign_books, measured_actuals, migration_tables

    books = assign_books(frame, params)
    frame = frame.assign(manager_id=books.manager_id, assignment=books.assignment)
    tables = {"books": books.books, "branch_capacity": books.branches, "red_list": books.red_list}
    tables.update(migration_tables(frame, params))
    if params.targets.measure is not None:
        tables["target_actuals"] = measured_actuals(frame, params.targets.measure)
    return frame, tables


MATRICES = ("migration", "vip_migration")
"""Per-branch tables that add up (counts of previous × current band); the others concatenate."""


def combine_tables(parts: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Combine per-branch tables of the same name: matrices add up, the others concatenate."""
    names = sorted({name for part in parts for name in part})
    combined = {}
    for name in names:
        tables = [part[name] for part in parts if name in part]
        if name in MATRICES:
            combined[name] = reduce(lambda a, b: a.add(b, fill_value=0), tables).astype(np.int64)
        else:
            combined[name] = pd.concat(tables, ignore_index=True)
    return combined


def bank_tables(tables: dict[str, pd.DataFrame], corporate: pd.DataFrame | None, params: Params) -> dict[str, pd.DataFrame]:
    """The tables that need the whole bank: targets and progress, the corporate review.

    Parameters
    ----------
    tables : dict of DataFrame
        The combined per-branch tables (:func:`combine_tables`).
    corporate : DataFrame, optional
        The scored corporate customers of every branch.
    params : Params
        The run parameters.
    """
    from segkit.rules import corporate_review, target_tables

    found = target_tables(params, tables["books"], tables.get("target_actuals"))
    if corporate is not None and len(corporate):
        review = corporate_review(corporate, params)
        found.update(corporate_review=review.customers, corporate_branches=review.branches,
                     corporate_managers=review.managers)
    return found

"""Cluster profiles a person can read, and clusters against the rule tiers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from segkit.cluster.encode import DEFAULT_FEATURES, FeatureEncoder, as_float
from segkit.cluster.names import describe, effects, name_clusters
from segkit.errors import SegkitError

BANK = -1
"""``cluster`` value of the whole-bank row of a profile."""


def _check_labels(frame: pd.DataFrame, labels: np.ndarray) -> np.ndarray:
    labels = np.asarray(labels)
    if labels.shape != (len(frame),):
        raise SegkitError(f"labels: expected one label per row ({len(frame):,}), got shape {labels.shape}")
    if labels.size and (not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0):
        raise SegkitError("labels: cluster ids must be non-negative integers")
    return labels.astype(np.int64)


def profile(
    frame: pd.DataFrame,
    labels: np.ndarray,
    features: Sequence[str] | None = None,
    names: Mapping[int, str] | None = None,
    names_zh: Mapping[int, str] | None = None,
    categorical: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Describe each cluster against the whole bank.

    Parameters
    ----------
    frame : DataFrame
        Customers (canonical columns).
    labels : array of int
        Cluster id of each row of ``frame``.
    features : sequence of str, optional
        Features to describe; default the segmenter defaults present.
    names, names_zh : mapping of int to str, optional
        Cluster names (e.g. a fitted segmenter's ``names_`` and
        ``names_zh_``); generated from the profile when not given.
    categorical : sequence of str, optional
        Columns to treat as categorical (see :class:`FeatureEncoder`).

    Returns
    -------
    DataFrame
        One row per cluster, ordered by id, then a whole-bank row with
        ``cluster == -1``. Columns: ``cluster``, ``name``, ``name_zh``,
        ``n``, ``share``, ``churn_rate`` (when ``churned`` exists),
        ``distinctive`` (the features that set the cluster apart, strongest
        first, with their standardised difference from the bank), then per
        feature its median (numeric), share of ones (binary) or most common
        level and that level's share (categorical, ``<feature>`` and
        ``<feature>_share``), and ``<feature>_vs_bank``: the standardised
        difference of the cluster from the bank on that feature (0 on the
        bank row).
    """
    labels = _check_labels(frame, labels)
    if features is None:
        features = [name for name in DEFAULT_FEATURES if name in frame.columns]
    encoder = FeatureEncoder(features, categorical=categorical).fit(frame)
    X = encoder.transform(frame)
    k = int(labels.max()) + 1 if labels.size else 0
    effect = effects(X, labels, k)
    present = np.bincount(labels, minlength=k) > 0
    if names is None or names_zh is None:
        generated_en, generated_zh = name_clusters(effect, encoder.columns_)
        names = generated_en if names is None else names
        names_zh = generated_zh if names_zh is None else names_zh
    ids = [cluster for cluster in range(k) if present[cluster]]
    groups = pd.Series(labels, index=frame.index)
    table = pd.DataFrame({"cluster": ids + [BANK]})
    table["name"] = [names.get(c, str(c)) for c in ids] + ["whole bank"]
    table["name_zh"] = [names_zh.get(c, str(c)) for c in ids] + ["全行"]
    counts = np.bincount(labels, minlength=k)
    table["n"] = np.append(counts[ids], len(frame)).astype(np.int64)
    table["share"] = table["n"] / max(len(frame), 1)
    if "churned" in frame.columns:
        churned = pd.to_numeric(frame["churned"], errors="coerce").astype("float64")
        rates = churned.groupby(groups).mean()
        table["churn_rate"] = np.append(rates.reindex(ids).to_numpy(), churned.mean())
    table["distinctive"] = [
        "; ".join(f"{w[0]} {w[3]:+.1f}" for w in describe(effect[c], encoder.columns_)) for c in ids
    ] + [""]
    column_index = {name: i for i, name in enumerate(encoder.columns_)}
    for name, kind, levels in zip(encoder.features_, encoder.kinds_, encoder.levels_, strict=True):
        if kind == "categorical":
            text = frame[name].astype("str")
            dummies = pd.DataFrame({level: (text == level).to_numpy() for level in levels}, index=frame.index)
            shares = dummies.groupby(groups).mean().reindex(ids)
            bank = dummies.mean()
            top = [str(shares.loc[c].idxmax()) for c in ids] + [str(bank.idxmax())]
            table[name] = pd.array(top, dtype="str")
            table[f"{name}_share"] = [float(shares.loc[c].max()) for c in ids] + [float(bank.max())]
            table[f"{name}_vs_bank"] = [
                float(effect[c, column_index[f"{name}={level}"]]) for c, level in zip(ids, top, strict=False)
            ] + [0.0]
            continue
        values = pd.Series(as_float(frame[name]), index=frame.index)
        summary = values.groupby(groups).mean() if kind == "binary" else values.groupby(groups).median()
        bank = values.mean() if kind == "binary" else values.median()
        table[name] = np.append(summary.reindex(ids).to_numpy(), bank)
        table[f"{name}_vs_bank"] = np.append(effect[ids, column_index[name]], 0.0)
    return table


PRIOR = 30.0
"""Customers' worth of the bank-wide cluster shares added to each tier before
comparing tiers, so that a tier of a handful of customers cannot claim a cluster."""

LIFT = 1.25
"""How many times more often another tier's customers must fall in a cluster
than the customer's own tier's for the customer to behave like that tier."""


def _tier_ranks(tiers: pd.Series, order: Sequence[str]) -> np.ndarray:
    """Position of each tier in ``order`` (-1 when missing); unknown tiers are refused."""
    unknown = sorted(set(tiers.dropna().astype("str")) - set(order))
    if unknown:
        raise SegkitError(f"tiers: values not in the tier order {list(order)}: {', '.join(unknown[:5])}")
    rank = tiers.astype("str").map({tier: i for i, tier in enumerate(order)})
    return rank.fillna(-1).to_numpy(dtype=np.int64)


def _tier_likelihood(labels: np.ndarray, ranks: np.ndarray, n_tiers: int) -> np.ndarray:
    """Share of each tier's customers that falls in each cluster, shrunk by :data:`PRIOR`.

    Returns
    -------
    ndarray of shape (k, n_tiers)
        ``(n[c, t] + PRIOR * share[c]) / (n[t] + PRIOR)`` with ``share[c]``
        the cluster's share of all customers; NaN for tiers without customers.
    """
    k = int(labels.max()) + 1 if labels.size else 0
    known = ranks >= 0
    counts = np.zeros((k, n_tiers))
    np.add.at(counts, (labels[known], ranks[known]), 1.0)
    share = np.bincount(labels, minlength=k) / max(len(labels), 1)
    sizes = counts.sum(axis=0)
    likelihood = (counts + PRIOR * share[:, None]) / (sizes + PRIOR)
    likelihood[:, sizes == 0] = np.nan
    return likelihood


def lookalike_tier(labels: np.ndarray, tiers: pd.Series | np.ndarray, order: Sequence[str] | None = None) -> pd.Series:
    """The tier each customer behaves like, judged by the company they keep.

    A cluster is most typical of the tier whose customers fall into it most
    often, i.e. that holds the largest share of the tier's customers, not
    the tier most of its members are in: a cluster that holds 88% of the key
    customers is key-like even when most of its members are mass customers,
    who are simply many. A customer behaves like that tier when the cluster
    holds at least :data:`LIFT` times as large a share of that tier's
    customers as of the customer's own tier's; otherwise like their own
    tier. Quality customers in a cluster that holds 60% of the key customers
    but only 20% of the quality ones behave like key.

    Parameters
    ----------
    labels : array of int
        Cluster id per customer.
    tiers : Series or array of str
        Rule tier per customer (e.g. ``"quality"``); missing tiers give a
        missing result.
    order : sequence of str, optional
        Tiers from lowest to highest; default the categories of an ordered
        categorical ``tiers``.

    Returns
    -------
    Series of str
        The tier each customer behaves like, aligned with ``tiers``.
    """
    tiers = tiers if isinstance(tiers, pd.Series) else pd.Series(tiers)
    order = _tier_order(tiers, order)
    ranks = _tier_ranks(tiers, order)
    labels = np.asarray(labels)
    if len(labels) != len(tiers):
        raise SegkitError(f"labels ({len(labels):,}) and tiers ({len(tiers):,}) differ in length")
    if labels.size and (not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0):
        raise SegkitError("labels: cluster ids must be non-negative integers")
    known = ranks >= 0
    like = np.full(len(labels), None, dtype=object)
    if known.any():
        likelihood = _tier_likelihood(labels, ranks, len(order))
        best = np.nan_to_num(likelihood, nan=-1.0).argmax(axis=1)
        top = likelihood[np.arange(len(likelihood)), best]
        own = likelihood[labels[known], ranks[known]]
        moved = top[labels[known]] >= LIFT * own
        positions = np.where(moved, best[labels[known]], ranks[known])
        like[known] = np.asarray(order, dtype=object)[positions]
    return pd.Series(like, index=tiers.index, dtype="str")


def _tier_order(tiers: pd.Series, order: Sequence[str] | None) -> list[str]:
    if order is not None:
        return [str(tier) for tier in order]
    if isinstance(tiers.dtype, pd.CategoricalDtype) and tiers.cat.ordered:
        return [str(tier) for tier in tiers.cat.categories]
    raise SegkitError("tiers: give the tier order (lowest first) or an ordered categorical")


def crosstab_with_tiers(
    labels: np.ndarray,
    tiers: pd.Series | np.ndarray,
    order: Sequence[str] | None = None,
    names: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """Clusters against rule tiers: who inside a tier behaves like another?

    Parameters
    ----------
    labels : array of int
        Cluster id per customer.
    tiers : Series or array of str
        Rule tier per customer.
    order : sequence of str, optional
        Tiers from lowest to highest (see :func:`lookalike_tier`).
    names : mapping of int to str, optional
        Cluster names for the ``cluster_name`` column.

    Returns
    -------
    DataFrame
        One row per (tier, cluster) pair that has customers, tiers in
        ``order`` then clusters by id: ``tier``, ``cluster``,
        ``cluster_name``, ``n``, ``share_of_tier``, ``share_of_cluster``,
        ``like_tier`` (the tier these customers behave like, see
        :func:`lookalike_tier`) and ``behaves_like``: ``"higher"`` when
        ``like_tier`` is above ``tier`` (upgrade candidates: "quality
        customers who behave like key"), ``"lower"`` when below (customers
        at risk of sliding down), else ``"same"``.
    """
    tiers = tiers if isinstance(tiers, pd.Series) else pd.Series(tiers)
    order = _tier_order(tiers, order)
    like = lookalike_tier(labels, tiers, order)
    frame = pd.DataFrame(
        {
            "tier": tiers.astype("str").to_numpy(),
            "cluster": np.asarray(labels, dtype=np.int64),
            "like_tier": like.to_numpy(),
        }
    )
    table = frame.groupby(["tier", "cluster", "like_tier"], sort=False).size().rename("n").reset_index()
    rank = {tier: i for i, tier in enumerate(order)}
    table = table.assign(_rank=table["tier"].map(rank)).sort_values(["_rank", "cluster"], kind="stable")
    table["share_of_tier"] = table["n"] / table.groupby("tier")["n"].transform("sum")
    table["share_of_cluster"] = table["n"] / table.groupby("cluster")["n"].transform("sum")
    gap = table["like_tier"].map(rank) - table["_rank"]
    table["behaves_like"] = np.select([gap > 0, gap < 0], ["higher", "lower"], "same")
    names = dict(names or {})
    table["cluster_name"] = [names.get(cluster, str(cluster)) for cluster in table["cluster"]]
    columns = ["tier", "cluster", "cluster_name", "n", "share_of_tier", "share_of_cluster"]
    columns += ["like_tier", "behaves_like"]
    text = {"tier": "str", "cluster_name": "str", "like_tier": "str", "behaves_like": "str"}
    return table[columns].reset_index(drop=True).astype(text)

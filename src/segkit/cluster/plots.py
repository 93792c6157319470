"""Figures for the notebooks. Each returns a :class:`matplotlib.figure.Figure`
built without pyplot, so nothing is shown or kept in global state."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure


def plot_k_table(k_table: pd.DataFrame, min_stability: float | None = None) -> Figure:
    """Silhouette and bootstrap stability against k, the chosen k marked."""
    figure = Figure(figsize=(7, 3.2), layout="constrained")
    left, right = figure.subplots(1, 2, sharex=True)
    for axes, column, title in ((left, "silhouette", "silhouette (higher = better separated)"),
                                (right, "stability", "bootstrap stability (mean ARI)")):
        axes.plot(k_table["k"], k_table[column], marker="o", color="#4c72b0")
        chosen = k_table[k_table["chosen"]]
        axes.plot(chosen["k"], chosen[column], marker="o", markersize=11, linestyle="none",
                  markerfacecolor="none", markeredgecolor="#c44e52", markeredgewidth=2, label="chosen k")
        axes.set_title(title, fontsize=10)
        axes.set_xlabel("k")
        axes.set_xticks(k_table["k"].tolist())
    if min_stability is not None:
        right.axhline(min_stability, color="grey", linestyle="--", linewidth=1, label="required")
    right.legend(loc="lower left", fontsize=8)
    return figure


def plot_profiles(profile: pd.DataFrame, label: str = "name") -> Figure:
    """Heatmap of each cluster's standardised difference from the bank per feature."""
    clusters = profile[profile["cluster"] >= 0]
    columns = [c for c in profile.columns if c.endswith("_vs_bank")]
    values = clusters[columns].to_numpy(dtype=float)
    figure = Figure(figsize=(2.5 + 0.4 * len(columns), 2.2 + 0.4 * len(clusters)), layout="constrained")
    axes = figure.subplots()
    limit = max(float(np.nanmax(np.abs(values))) if values.size else 1.0, 0.5)
    image = axes.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    axes.set_xticks(range(len(columns)), [c.removesuffix("_vs_bank") for c in columns], rotation=60, ha="right")
    axes.set_yticks(range(len(clusters)), [f"{c}: {n}" for c, n in zip(clusters["cluster"], clusters[label])])
    figure.colorbar(image, ax=axes, label="vs bank (sd)")
    return figure


def plot_crosstab(crosstab: pd.DataFrame, order: list[str] | None = None) -> Figure:
    """Share of each tier in each cluster, from :func:`~segkit.cluster.crosstab_with_tiers`."""
    wide = crosstab.pivot_table(index="tier", columns="cluster", values="share_of_tier", aggfunc="sum", fill_value=0.0)
    tiers = order or list(dict.fromkeys(crosstab["tier"]))
    wide = wide.reindex([t for t in tiers if t in wide.index])
    figure = Figure(figsize=(1.5 + 0.6 * wide.shape[1], 1.0 + 0.5 * wide.shape[0]), layout="constrained")
    axes = figure.subplots()
    image = axes.imshow(wide.to_numpy(), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for (row, col), value in np.ndenumerate(wide.to_numpy()):
        axes.text(col, row, f"{value:.0%}", ha="center", va="center", fontsize=8,
                  color="white" if value > 0.6 else "black")
    axes.set_xticks(range(wide.shape[1]), [str(c) for c in wide.columns])
    axes.set_yticks(range(wide.shape[0]), list(wide.index))
    axes.set_xlabel("cluster")
    axes.set_ylabel("tier")
    figure.colorbar(image, ax=axes, label="share of the tier")
    return figure

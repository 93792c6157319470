"""Choose the number of clusters by evidence: silhouette and bootstrap stability.

For every ``k`` in the range the algorithm is fitted on the selection rows
(a sample of at most ``selection_size`` customers) and scored twice:

silhouette
    Mean silhouette of those labels on at most ``silhouette_size`` of the
    rows (how well separated the clusters are; higher is better).
stability
    ``n_bootstrap`` times: refit on a bootstrap resample of the selection
    rows, assign the selection rows with the refitted model and compare with
    the first labels by the adjusted Rand index. Stability is the mean ARI
    (1 = the same partition every time, 0 = chance agreement).

**Selection rule.** Among the ``k`` whose stability is at least
``min_stability`` pick the one with the highest silhouette (silhouettes
within 0.005 count as equal: the more stable, then the smaller ``k`` wins).
If no ``k`` is stable enough, the most stable ``k`` is chosen and a warning
says so. Every fit is single-threaded, so the cost is bounded by
``len(k_range) * (1 + n_bootstrap)`` fits on ``selection_size`` rows plus a
silhouette on ``silhouette_size`` rows, whatever the size of the bank.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture

from segkit.cluster.kprototypes import KPrototypes

ALGORITHMS = ("kmeans", "gmm", "kprototypes")
SILHOUETTE_TIE = 0.005


def make_model(algorithm: str, k: int, seed: int, groups: Sequence[tuple[int, int]] = ()) -> object:
    """A fresh, seeded clustering model for ``k`` clusters.

    Parameters
    ----------
    algorithm : {"kmeans", "gmm", "kprototypes"}
        k-means (Lloyd, 4 k-means++ starts), a Gaussian mixture with diagonal
        covariances (2 starts), or k-prototypes over the categorical
        ``groups`` (4 starts).
    k : int
        Number of clusters.
    seed : int
        Random seed.
    groups : sequence of (int, int)
        Column ranges of the one-hot categorical features (k-prototypes).
    """
    if algorithm == "kmeans":
        return KMeans(n_clusters=k, n_init=4, random_state=seed)
    if algorithm == "gmm":
        return GaussianMixture(n_components=k, covariance_type="diag", reg_covar=1e-3, n_init=2, random_state=seed)
    if algorithm == "kprototypes":
        return KPrototypes(n_clusters=k, groups=list(groups), n_init=4, random_state=seed)
    raise ValueError(f"unknown clustering algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}")


def score_k(
    X: np.ndarray,
    algorithm: str,
    k: int,
    seed: int,
    n_bootstrap: int,
    silhouette_size: int,
    groups: Sequence[tuple[int, int]] = (),
) -> dict[str, float]:
    """Silhouette and bootstrap stability of ``algorithm`` with ``k`` clusters on ``X``.

    Returns
    -------
    dict
        ``k``, ``silhouette``, ``stability`` (mean ARI), ``stability_min``
        (worst resample) and ``smallest_share`` (of the smallest cluster).
    """
    rng = np.random.default_rng([seed, k])
    seeds = rng.integers(2**31 - 1, size=n_bootstrap + 2)
    labels = make_model(algorithm, k, int(seeds[0]), groups).fit(X).predict(X)
    n_labels = len(np.unique(labels))
    rows = rng.choice(len(X), size=min(silhouette_size, len(X)), replace=False)
    silhouette = silhouette_score(X[rows], labels[rows]) if 1 < len(np.unique(labels[rows])) < len(rows) else np.nan
    agreement = []
    for b in range(n_bootstrap):
        resample = rng.integers(0, len(X), size=len(X))
        refit = make_model(algorithm, k, int(seeds[b + 2]), groups).fit(X[resample])
        agreement.append(adjusted_rand_score(labels, refit.predict(X)))
    return {
        "k": k,
        "silhouette": float(silhouette),
        "stability": float(np.mean(agreement)) if agreement else np.nan,
        "stability_min": float(np.min(agreement)) if agreement else np.nan,
        "smallest_share": float(np.bincount(labels, minlength=k).min() / len(X)) if n_labels else 0.0,
    }


def choose_k(table: Sequence[dict[str, float]], min_stability: float) -> int:
    """Apply the selection rule (module docstring) to rows of :func:`score_k`."""
    stable = [row for row in table if row["stability"] >= min_stability]
    if not stable:
        best = max(table, key=lambda row: (np.nan_to_num(row["stability"], nan=-1.0), -row["k"]))
        warnings.warn(
            f"no k reaches the bootstrap stability of {min_stability:.2f}; "
            f"k={best['k']} is the most stable ({best['stability']:.3f})",
            stacklevel=2,
        )
        return int(best["k"])
    top = max(np.nan_to_num(row["silhouette"], nan=-1.0) for row in stable)
    tied = [row for row in stable if np.nan_to_num(row["silhouette"], nan=-1.0) >= top - SILHOUETTE_TIE]
    return int(max(tied, key=lambda row: (row["stability"], -row["k"]))["k"])

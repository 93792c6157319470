"""k-prototypes (Huang 1998) on an already encoded matrix.

The numeric part of each prototype is the mean of its members; each
categorical part is the mode, stored as the one-hot indicators of the most
common level. With the encoder's ``1/sqrt(2)`` indicator weights the squared
distance to a prototype is the squared numeric distance plus one per
mismatched category, i.e. Huang's cost with ``gamma = 1`` on robustly scaled
numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import kmeans_plusplus
from sklearn.utils.validation import check_is_fitted


def _squared_distances(X: np.ndarray, centers: np.ndarray) -> np.ndarray:
    cross = X @ centers.T
    return np.maximum((X * X).sum(axis=1)[:, None] - 2.0 * cross + (centers * centers).sum(axis=1)[None, :], 0.0)


class KPrototypes(ClusterMixin, BaseEstimator):
    """Cluster mixed numeric and one-hot categorical data around prototypes.

    Parameters
    ----------
    n_clusters : int
        Number of clusters.
    groups : sequence of (int, int)
        ``(start, stop)`` column ranges of each one-hot encoded categorical
        feature; every other column is numeric.
    n_init : int
        Number of k-means++ starts; the lowest cost wins.
    max_iter : int
        Iterations per start.
    tol : float
        A start has converged when at most this share of rows changes cluster.
    random_state : int
        Seed of the k-means++ starts.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_columns)
    labels_ : ndarray of shape (n_samples,)
    inertia_ : float
        Sum of squared distances to the nearest prototype.
    n_iter_ : int
    """

    def __init__(
        self,
        n_clusters: int = 8,
        groups: Sequence[tuple[int, int]] = (),
        n_init: int = 4,
        max_iter: int = 100,
        tol: float = 1e-4,
        random_state: int = 0,
    ) -> None:
        self.n_clusters = n_clusters
        self.groups = groups
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _snap(self, centers: np.ndarray) -> np.ndarray:
        """Replace each categorical block by the indicators of its mode."""
        for start, stop in self.groups:
            block = centers[:, start:stop]
            weight = block.max(axis=1, keepdims=True)
            top = block.argmax(axis=1)
            snapped = np.zeros_like(block)
            snapped[np.arange(len(block)), top] = 1.0 / np.sqrt(2.0)
            # a level seen at all (weight > 0) is the mode among the known levels
            centers[:, start:stop] = np.where(weight > 0, snapped, 0.0)
        return centers

    def _run(self, X: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, float, int]:
        k = self.n_clusters
        seed = int(rng.integers(2**31 - 1))
        centers, _ = kmeans_plusplus(X, k, random_state=seed)
        centers = self._snap(centers.copy())
        labels = np.full(len(X), -1)
        for iteration in range(1, self.max_iter + 1):
            distances = _squared_distances(X, centers)
            new_labels = distances.argmin(axis=1)
            if np.count_nonzero(new_labels != labels) <= self.tol * len(X):
                labels = new_labels
                break
            labels = new_labels
            empty = np.flatnonzero(np.bincount(labels, minlength=k) == 0)
            if empty.size:  # reseed empty clusters at the worst-served points
                worst = np.argsort(-distances[np.arange(len(X)), labels], kind="stable")[: empty.size]
                labels[worst] = empty
            centers = self._snap(np.vstack([X[labels == cluster].mean(axis=0) for cluster in range(k)]))
        inertia = float(_squared_distances(X, centers)[np.arange(len(X)), labels].sum())
        return centers, labels, inertia, iteration

    def fit(self, X: np.ndarray, y: object = None) -> KPrototypes:
        """Fit prototypes to the encoded matrix ``X``."""
        X = np.asarray(X, dtype=float)
        rng = np.random.default_rng(self.random_state)
        best = None
        for _ in range(self.n_init):
            result = self._run(X, rng)
            if best is None or result[2] < best[2]:
                best = result
        self.cluster_centers_, self.labels_, self.inertia_, self.n_iter_ = best
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Index of the nearest prototype for each row of ``X``."""
        check_is_fitted(self, "cluster_centers_")
        return _squared_distances(np.asarray(X, dtype=float), self.cluster_centers_).argmin(axis=1)


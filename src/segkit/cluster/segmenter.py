"""The segmenter: fit clusters on a sample of the bank, assign everyone."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from segkit.cluster import drift as drift_
from segkit.cluster.encode import DEFAULT_FEATURES, FeatureEncoder
from segkit.cluster.names import effects, name_clusters
from segkit.cluster.profile import profile as profile_
from segkit.cluster.select import ALGORITHMS, choose_k, make_model, score_k
from segkit.errors import SegkitError

if TYPE_CHECKING:
    from segkit.config import ClusterParams


class Segmenter(ClusterMixin, TransformerMixin, BaseEstimator):
    """Find customer groups beyond the asset tiers; name them; keep them stable.

    Parameters
    ----------
    features : sequence of str, optional
        Columns to cluster on. Default :data:`~segkit.cluster.encode.DEFAULT_FEATURES`.
        Absent columns are skipped with one warning.
    categorical : sequence of str, optional
        Columns to one-hot encode even when numeric (text columns always are).
    algorithm : {"kmeans", "gmm", "kprototypes"}
        Clustering algorithm (see :mod:`segkit.cluster` for the measurements
        behind the default).
    k : int, optional
        Fix the number of clusters; default chosen by evidence over ``k_range``.
    k_range : (int, int)
        Smallest and largest ``k`` tried, inclusive.
    sample_size : int
        Customers the model is fitted on (a seeded random sample); everyone
        is then assigned by :meth:`predict`.
    selection_size : int
        Customers (from the sample) used to score each ``k``.
    silhouette_size : int
        Customers (from the selection rows) the silhouette is computed on.
    n_bootstrap : int
        Bootstrap resamples per ``k`` for the stability score.
    min_stability : float
        Stability (mean adjusted Rand index) a ``k`` needs to be chosen.
    random_state : int
        Seed of the sample, the resamples and the model.

    Attributes
    ----------
    features_in_ : list of str
        Features actually used.
    encoder_ : FeatureEncoder
    model_ : estimator
        The fitted clustering model (internal cluster order).
    order_ : ndarray of int
        Public cluster id of each internal cluster: ids ``0 .. k-1`` go by
        median AUM ascending (then mean AUM), so they do not shuffle between
        runs.
    k_ : int
    k_source_ : str
        ``"fixed"`` or ``"evidence"``.
    k_scores_ : list of dict
        Silhouette and stability per ``k`` tried (see :attr:`k_table_`).
    silhouette_, stability_ : float
        Scores of the chosen ``k``.
    names_, names_zh_ : dict of int to str
        English and Chinese cluster names against the whole bank, e.g.
        "younger, higher income, fewer products" / "较年轻、收入较高、产品较少".
    effects_ : ndarray of shape (k, n_columns)
        Standardised difference of each cluster from the fitted sample per
        encoded column.
    centers_ : ndarray of shape (k, n_columns)
        Mean encoded features of each cluster on the sample.
    n_fit_ : int
        Customers in the sample.
    reference_shares_ : ndarray of shape (k,)
        Cluster shares on the sample (the reference for :meth:`drift`).
    reference_edges_, reference_bins_ : list of ndarray
        Per feature, the bin edges and bin shares of the sample.
    """

    def __init__(
        self,
        features: Sequence[str] | None = None,
        categorical: Sequence[str] | None = None,
        algorithm: str = "kmeans",
        k: int | None = None,
        k_range: tuple[int, int] = (3, 10),
        sample_size: int = 50_000,
        selection_size: int = 5_000,
        silhouette_size: int = 2_000,
        n_bootstrap: int = 4,
        min_stability: float = 0.85,
        random_state: int = 0,
    ) -> None:
        self.features = features
        self.categorical = categorical
        self.algorithm = algorithm
        self.k = k
        self.k_range = k_range
        self.sample_size = sample_size
        self.selection_size = selection_size
        self.silhouette_size = silhouette_size
        self.n_bootstrap = n_bootstrap
        self.min_stability = min_stability
        self.random_state = random_state

    @classmethod
    def from_params(cls, params: ClusterParams, seed: int) -> Segmenter:
        """An unfitted segmenter configured by the ``cluster`` params section."""
        settings = params.model_dump()
        return cls(**settings, random_state=int(seed))

    # ------------------------------------------------------------------ fit
    def _check_params(self, n_rows: int) -> list[int]:
        problems = []
        if self.algorithm not in ALGORITHMS:
            problems.append(f"algorithm must be one of {', '.join(ALGORITHMS)}, got {self.algorithm!r}")
        low, high = self.k_range
        if not 2 <= low <= high:
            problems.append(f"k_range must satisfy 2 <= low <= high, got {tuple(self.k_range)}")
        if self.k is not None and self.k < 2:
            problems.append(f"k must be at least 2, got {self.k}")
        for name in ("sample_size", "selection_size", "silhouette_size", "n_bootstrap"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be at least 1, got {getattr(self, name)}")
        if isinstance(self.random_state, bool) or not isinstance(self.random_state, (int, np.integer)):
            problems.append(f"random_state must be an integer seed, got {self.random_state!r}")
        if not 0.0 <= self.min_stability <= 1.0:
            problems.append(f"min_stability must be in [0, 1], got {self.min_stability}")
        if problems:
            raise SegkitError("segmenter settings: " + "; ".join(problems))
        candidates = [self.k] if self.k is not None else list(range(low, high + 1))
        usable = [k for k in candidates if k < min(n_rows, self.sample_size, self.selection_size)]
        if not usable:
            raise SegkitError(
                f"too few customers to cluster: {n_rows:,} rows (sample of {self.sample_size:,}) "
                f"for k = {candidates[0]}"
            )
        return usable

    def _features(self, frame: pd.DataFrame) -> list[str]:
        requested = list(DEFAULT_FEATURES if self.features is None else self.features)
        present = [name for name in requested if name in frame.columns]
        if not present:
            raise SegkitError(f"none of the cluster features is in the data: {', '.join(requested)}")
        absent = [name for name in requested if name not in frame.columns]
        if absent:
            warnings.warn(f"cluster features absent from the data, skipped: {', '.join(absent)}", stacklevel=3)
        return present

    def fit(self, frame: pd.DataFrame, y: object = None) -> Segmenter:
        """Choose ``k``, fit the clusters on a sample of ``frame`` and name them.

        Parameters
        ----------
        frame : DataFrame
            Customers in the canonical table.
        y : ignored

        Returns
        -------
        Segmenter
            The fitted segmenter.
        """
        if not isinstance(frame, pd.DataFrame):
            raise SegkitError(f"the segmenter needs a DataFrame of customers, got {type(frame).__name__}")
        candidates = self._check_params(len(frame))
        features = self._features(frame)
        seeds = np.random.SeedSequence(int(self.random_state)).spawn(3)
        rows = np.random.default_rng(seeds[0]).permutation(len(frame))[: self.sample_size]
        sample = frame.take(np.sort(rows))
        with threadpool_limits(limits=1):
            self.encoder_ = FeatureEncoder(features, categorical=self.categorical).fit(sample)
            X = self.encoder_.transform(sample)
            selection = X[np.random.default_rng(seeds[1]).permutation(len(X))[: self.selection_size]]
            groups = self.encoder_.groups_
            seed = int(np.random.default_rng(seeds[2]).integers(2**31 - 1))
            self.k_scores_ = [
                score_k(selection, self.algorithm, k, seed, self.n_bootstrap, self.silhouette_size, groups)
                for k in candidates
            ]
            self.k_source_ = "fixed" if self.k is not None else "evidence"
            self.k_ = int(self.k) if self.k is not None else choose_k(self.k_scores_, self.min_stability)
            self.model_ = make_model(self.algorithm, self.k_, seed, groups).fit(X)
            internal = self.model_.predict(X)
        self.features_in_ = list(self.encoder_.features_)
        self.n_fit_ = len(sample)
        self.order_ = self._order(sample, internal)
        labels = self.order_[internal]
        chosen = next(row for row in self.k_scores_ if row["k"] == self.k_)
        self.silhouette_, self.stability_ = chosen["silhouette"], chosen["stability"]
        self.effects_ = effects(X, labels, self.k_)
        self.centers_ = np.vstack(
            [X[labels == c].mean(axis=0) if (labels == c).any() else np.zeros(X.shape[1]) for c in range(self.k_)]
        )
        self.names_, self.names_zh_ = name_clusters(self.effects_, self.encoder_.columns_)
        self.reference_shares_ = np.bincount(labels, minlength=self.k_) / len(labels)
        self.reference_edges_, self.reference_bins_ = [], []
        for values in self._feature_values(X):
            edges = drift_.bin_edges(values) if values.dtype.kind == "f" else np.empty(0)
            self.reference_edges_.append(edges)
            self.reference_bins_.append(self._bins(values, edges))
        return self

    def _order(self, sample: pd.DataFrame, internal: np.ndarray) -> np.ndarray:
        """Public id per internal cluster: by median then mean AUM, else by size."""
        k = self.k_
        if "aum" in sample.columns:
            aum = pd.to_numeric(sample["aum"], errors="coerce").astype("float64")
            grouped = aum.groupby(internal).agg(["median", "mean"]).reindex(range(k))
            keys = (grouped["mean"].fillna(np.inf).to_numpy(), grouped["median"].fillna(np.inf).to_numpy())
        else:
            keys = (-np.bincount(internal, minlength=k),)
        ranked = np.lexsort(keys)
        order = np.empty(k, dtype=np.int64)
        order[ranked] = np.arange(k)
        return order

    # ------------------------------------------------------------- assign
    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Cluster id (0 .. k-1) of every customer in ``frame``."""
        check_is_fitted(self, "model_")
        X = self.encoder_.transform(frame)
        with threadpool_limits(limits=1):
            return self.order_[self.model_.predict(X)].astype(np.int64)

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        """The encoded features the clusters live in (columns :meth:`get_feature_names_out`)."""
        check_is_fitted(self, "model_")
        return self.encoder_.transform(frame)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of the encoded feature columns."""
        check_is_fitted(self, "model_")
        return self.encoder_.get_feature_names_out()

    # ----------------------------------------------------------- describe
    @property
    def k_table_(self) -> pd.DataFrame:
        """Silhouette and stability per ``k`` tried, with the chosen one marked."""
        check_is_fitted(self, "model_")
        table = pd.DataFrame(self.k_scores_)
        return table.assign(chosen=table["k"] == self.k_)

    def profile(self, frame: pd.DataFrame, labels: np.ndarray | None = None) -> pd.DataFrame:
        """Per-cluster profile against the whole bank (see :func:`segkit.cluster.profile`)."""
        check_is_fitted(self, "model_")
        labels = self.predict(frame) if labels is None else labels
        return profile_(frame, labels, self.features_in_, self.names_, self.names_zh_, self.categorical)

    def metrics(self) -> dict[str, Any]:
        """The fit's evidence, JSON-ready: k, silhouette, stability, k table, names."""
        check_is_fitted(self, "model_")

        def clean(value: float) -> float | None:
            return None if value is None or not np.isfinite(value) else round(float(value), 6)

        return {
            "algorithm": self.algorithm,
            "k": self.k_,
            "k_source": self.k_source_,
            "silhouette": clean(self.silhouette_),
            "stability": clean(self.stability_),
            "min_stability": self.min_stability,
            "n_fit": self.n_fit_,
            "features": list(self.features_in_),
            "k_table": [{key: int(v) if key == "k" else clean(v) for key, v in row.items()} for row in self.k_scores_],
            "clusters": [
                {
                    "cluster": c,
                    "name": self.names_[c],
                    "name_zh": self.names_zh_[c],
                    "share": clean(self.reference_shares_[c]),
                }
                for c in range(self.k_)
            ],
        }

    # -------------------------------------------------------------- drift
    def _feature_values(self, X: np.ndarray) -> list[np.ndarray]:
        """One array per feature: encoded values, or level codes for categories."""
        out, position = [], 0
        for kind, levels in zip(self.encoder_.kinds_, self.encoder_.levels_, strict=True):
            if kind == "categorical":
                block = X[:, position : position + len(levels)]
                codes = np.where(block.max(axis=1) > 0, block.argmax(axis=1), len(levels))
                out.append(codes.astype(np.int64))
                position += len(levels)
            else:
                out.append(X[:, position])
                position += 1
        return out

    @staticmethod
    def _bins(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
        if values.dtype.kind == "f":
            return drift_.bin_shares(values, edges)
        counts = np.bincount(values)
        return counts / max(len(values), 1)

    def drift(self, frame: pd.DataFrame) -> dict[str, Any]:
        """How far ``frame`` (e.g. next month's customers) moved from the fitted sample.

        Returns
        -------
        dict
            ``psi``: population stability index of the cluster shares;
            ``level``: ``"stable"`` (< 0.1), ``"moderate"`` (< 0.25) or
            ``"major"``; ``shares``: reference and current share per
            cluster; ``feature_psi``: PSI of each feature's distribution
            (deciles of the reference; levels for categories) and
            ``max_feature_psi``.
        """
        check_is_fitted(self, "model_")
        X = self.encoder_.transform(frame)
        with threadpool_limits(limits=1):
            labels = self.order_[self.model_.predict(X)]
        current = np.bincount(labels, minlength=self.k_) / max(len(labels), 1)
        cluster_psi = drift_.psi(self.reference_shares_, current)
        feature_psi = {}
        for name, values, edges, reference in zip(
            self.features_in_, self._feature_values(X), self.reference_edges_, self.reference_bins_, strict=True
        ):
            shares = self._bins(values, edges)
            size = max(len(shares), len(reference))
            feature_psi[name] = round(
                drift_.psi(np.pad(reference, (0, size - len(reference))), np.pad(shares, (0, size - len(shares)))), 6
            )
        return {
            "psi": round(cluster_psi, 6),
            "level": drift_.level(cluster_psi),
            "n": int(len(labels)),
            "shares": [
                {
                    "cluster": c,
                    "name": self.names_[c],
                    "reference": float(self.reference_shares_[c]),
                    "current": float(current[c]),
                }
                for c in range(self.k_)
            ],
            "feature_psi": feature_psi,
            "max_feature_psi": max(feature_psi.values(), default=0.0),
        }


def fit_segmenter(frame: pd.DataFrame, params: ClusterParams, seed: int) -> Segmenter:
    """Fit a :class:`Segmenter` configured by ``params`` on ``frame``.

    Parameters
    ----------
    frame : DataFrame
        Customers in the canonical table.
    params : ClusterParams
        The ``cluster`` section of the run parameters.
    seed : int
        The run seed.

    Returns
    -------
    Segmenter
    """
    return Segmenter.from_params(params, seed).fit(frame)

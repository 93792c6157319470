"""The churn model: a cross-calibrated classifier with per-customer reasons.

:class:`ChurnScorer` follows the scikit-learn estimator conventions. ``fit``:

1. takes at most ``sample_size`` customers (stratified, seeded);
2. splits them into ``cv`` stratified folds and fits members on the other
   folds: histogram gradient boosting (native categorical support, early
   stopping on 10% of its own training rows, optional monotonic
   constraints) or, with ``model="logistic"``, a logistic regression on
   quantile-normalised numbers and one-hot categories. Below
   ``average_members_below`` sampled customers (50,000 by default) one member
   per fold is fitted (cross-fitting) and every customer is held out once;
   from it only the first fold's member is fitted, and its held-out fold (a
   ``1/cv`` share, 40,000 of a 200,000-customer sample) is the test set, as
   with scikit-learn's ``CalibratedClassifierCV`` on a fitted model: one fit
   instead of ``cv``, and a test set large enough to measure on;
3. calibrates on the held-out log-odds (Platt ``sigmoid`` by default,
   ``isotonic`` or ``none``). Classes are not re-weighted or resampled, so
   the score stays a probability. Each held-out customer's score under a
   calibration fitted without them (the folds, or ``cv`` parts of the
   held-out fold) is kept for honest metrics (:func:`segkit.churn.evaluate`);
4. scores with the mean log-odds of the fitted members under that
   calibration: a small bank's ``cv`` members vary less than one model, and
   a bank that small is quick to score ``cv`` times; a large bank is scored
   by its one member, so scoring millions stays fast;
5. computes each feature's main effect (:mod:`segkit.churn.effects`) for the
   reasons and the global drivers, and how much of the model's log-odds those
   main effects explain (``attribution_r2_``: the rest is interactions).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, QuantileTransformer
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from segkit.churn import effects, features, output, reasons
from segkit.config import ChurnParams
from segkit.errors import DataValidationError, Problem, SegkitError

LABEL = "churned"
SMALL_DATA = 50_000
"""Below this many rows one thread is faster than several (OpenMP and BLAS overhead)."""
MIN_PRESENT = 20
MIN_PRESENT_SHARE = 0.01
"""A feature is used when at least this many (and this share of) customers have a value:
rarer ones (a corporate measure among retail customers) cannot be learnt and break binning."""
CENTRE_ROWS = 20_000
"""Customers used to centre the effects and rank the global drivers."""


def _examples(frame: pd.DataFrame, rows: np.ndarray) -> tuple[str, ...]:
    ids = frame["customer_id"].to_numpy()[rows[:5]] if "customer_id" in frame else rows[:5]
    return tuple(str(value) for value in ids)


def read_label(frame: pd.DataFrame, y: object = None) -> np.ndarray:
    """Return the label (``y``, else the ``churned`` column) as int 0/1, or raise naming the bad rows."""
    if not isinstance(frame, pd.DataFrame):
        raise SegkitError(f"expected a DataFrame of customers, got {type(frame).__name__}")
    if y is not None:
        given = pd.Series(np.asarray(y).ravel())
        if len(given) != len(frame):
            raise SegkitError(f"churn model: y has {len(given)} labels for {len(frame)} customers")
        values = features.as_numbers(given)
    elif LABEL not in frame:
        raise DataValidationError([Problem(LABEL, "is required to fit the churn model (1 = left the bank)")], "churn")
    else:
        values = features.as_numbers(frame[LABEL])
    bad = np.flatnonzero(~np.isin(values, (0.0, 1.0)))
    if bad.size:
        raise DataValidationError([Problem(LABEL, "must be 0 or 1 (not missing)", bad.size, _examples(frame, bad))], "churn")
    return values.astype(np.int64)


def fingerprint(frame: pd.DataFrame, names: Iterable[str]) -> str:
    """sha256 of the named columns' values and names (row order matters)."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode())
        digest.update(pd.util.hash_pandas_object(frame[name], index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _probability(
    raw: np.ndarray, platt: tuple[float, float], isotonic: IsotonicRegression | None
) -> np.ndarray:
    """Turn raw ensemble log-odds into probabilities with a fitted calibration."""
    slope, intercept = platt
    if isotonic is not None:
        return np.clip(isotonic.predict(raw), 0.0, 1.0)
    return 1.0 / (1.0 + np.exp(-(slope * raw + intercept)))


class ChurnScorer(ClassifierMixin, BaseEstimator):
    """Calibrated churn probability with reasons.

    Parameters
    ----------
    model : {"hgb", "logistic"}
        Gradient boosting (default) or the transparent logistic alternative.
    calibration : {"sigmoid", "isotonic", "none"}
        How the held-out log-odds are turned into probabilities.
    cv : int
        Stratified folds: cross-fitted members of a small bank, and a held-out
        ``1/cv`` share of a large one.
    sample_size : int
        At most this many customers fit the model (stratified, seeded).
    learning_rate, max_leaf_nodes, min_samples_leaf, l2_regularization, max_iter, n_iter_no_change
        Gradient-boosting settings of each member.
    average_members_below : int
        With fewer sampled customers than this, fit and average the ``cv``
        cross-fitted members; from it, fit one member and hold out one fold
        (0: always one member).
    monotonic : dict of str to {-1, 1}, optional
        Features whose effect may only rise (1) or fall (-1); ignored for
        absent or categorical features.
    features : sequence of str
        Extra columns to use as features (the mapping's ``features``).
    labels : dict of str to (str, str), optional
        English and Chinese names of extra features in the reasons and the
        drivers (default: the column name).
    high, medium : float
        Band cut points of :meth:`score`.
    random_state : int
        Seed of the sampling, folds and members.
    n_threads : int, optional
        OpenMP and BLAS threads; default one to fit on small data, otherwise
        (and always to score) the process's current limit (``OMP_NUM_THREADS`` or an enclosing
        ``threadpoolctl.threadpool_limits``; every core when neither is set).

    Attributes
    ----------
    features_ : list of str
        Features the model uses.
    categorical_ : list of bool
        Whether each feature is categorical.
    categories_ : dict of str to list of str
        Levels of each categorical feature (code order).
    binary_ : list of str
        Extra numeric features that are 0/1 flags (their reasons read yes / no).
    dropped_features_ : list of str
        Features present but constant, or known for too few customers
        (:data:`MIN_PRESENT`, :data:`MIN_PRESENT_SHARE`), in the training data.
    estimators_ : list of estimator
        The members whose mean log-odds is the raw score: the ``cv``
        cross-fitted members below ``average_members_below`` customers, else
        the one member fitted without the held-out fold.
    n_iter_ : list of int
        Iterations of each member (after early stopping).
    evaluation_ : {"cross_fit", "held_out"}
        Whether every sampled customer was held out once, or one fold.
    calibration_ : tuple of float
        Platt slope and intercept (``(1.0, 0.0)`` unless ``calibration="sigmoid"``).
    isotonic_ : IsotonicRegression or None
        The isotonic calibrator.
    grids_, curves_, centres_
        Main-effect curves behind the reasons.
    typical_ : dict
        Median (numeric) or most common level (categorical) of each feature.
    importance_ : ndarray
        Mean absolute contribution (log-odds) of each feature: the global drivers.
    attribution_r2_ : float
        Share of the variance of the log-odds that the contributions add up to
        (1 for an additive model such as the logistic; the rest is interactions
        the per-feature reasons leave out).
    oof_score_, oof_target_, oof_fold_ : ndarray
        Each held-out customer's probability (member and calibration fitted
        without them), label and fold (the held-out fold's calibration part
        for ``"held_out"``), in sample order.
    data_fingerprint_ : str
        sha256 of the training data (features and label).
    n_rows_, n_train_, base_rate_
        Rows given, rows sampled to fit on (a fold of them held out for
        ``"held_out"``), churn rate among the sampled rows.
    """

    def __init__(
        self,
        *,
        model: str = "hgb",
        calibration: str = "sigmoid",
        cv: int = 5,
        sample_size: int = 200_000,
        learning_rate: float = 0.1,
        max_leaf_nodes: int = 8,
        min_samples_leaf: int = 20,
        l2_regularization: float = 1.0,
        max_iter: int = 500,
        n_iter_no_change: int = 30,
        average_members_below: int = 50_000,
        monotonic: dict[str, int] | None = None,
        features: tuple[str, ...] = (),
        labels: dict[str, tuple[str, str]] | None = None,
        high: float = 0.5,
        medium: float = 0.2,
        random_state: int = 0,
        n_threads: int | None = None,
    ) -> None:
        self.model = model
        self.calibration = calibration
        self.cv = cv
        self.sample_size = sample_size
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.max_iter = max_iter
        self.n_iter_no_change = n_iter_no_change
        self.average_members_below = average_members_below
        self.monotonic = monotonic
        self.features = features
        self.labels = labels
        self.high = high
        self.medium = medium
        self.random_state = random_state
        self.n_threads = n_threads

    @classmethod
    def from_params(cls, params: ChurnParams, seed: int = 0, features: Iterable[str] = ()) -> ChurnScorer:
        """Build an unfitted scorer from the ``churn`` params section."""
        boosting = params.boosting
        return cls(
            model=params.model,
            calibration=params.calibration,
            cv=params.cv_folds,
            sample_size=params.sample_size,
            learning_rate=boosting.learning_rate,
            max_leaf_nodes=boosting.max_leaf_nodes,
            min_samples_leaf=boosting.min_samples_leaf,
            l2_regularization=boosting.l2_regularization,
            max_iter=boosting.max_iter,
            n_iter_no_change=boosting.n_iter_no_change,
            average_members_below=params.average_members_below,
            monotonic=dict(params.monotonic),
            features=tuple(features),
            labels={name: (label.en, label.zh) for name, label in params.labels.items()},
            high=params.bands.high,
            medium=params.bands.medium,
            random_state=seed,
        )

    # ------------------------------------------------------------------ fit
    def _threads(self, n_rows: int) -> int | None:
        """OpenMP/BLAS threads to use; None keeps the process's limit (never raises an outer cap)."""
        if self.n_threads is not None:
            return self.n_threads
        return 1 if n_rows < SMALL_DATA else None

    def _check_params(self) -> None:
        problems = []
        if self.model not in ("hgb", "logistic"):
            problems.append(f"model must be 'hgb' or 'logistic', got {self.model!r}")
        if self.calibration not in ("sigmoid", "isotonic", "none"):
            problems.append(f"calibration must be 'sigmoid', 'isotonic' or 'none', got {self.calibration!r}")
        if not (isinstance(self.cv, int) and self.cv >= 2):
            problems.append(f"cv must be an integer >= 2, got {self.cv!r}")
        if not (isinstance(self.average_members_below, int) and self.average_members_below >= 0):
            problems.append(f"average_members_below must be an integer >= 0, got {self.average_members_below!r}")
        if not 0 < self.medium < self.high < 1:
            problems.append(f"band cut points must satisfy 0 < medium < high < 1, got medium={self.medium}, high={self.high}")
        if self.labels is not None and not isinstance(self.labels, dict):
            problems.append(f"labels must map feature names to (English, Chinese) pairs, got {type(self.labels).__name__}")
        for name, pair in (self.labels if isinstance(self.labels, dict) else {}).items():
            if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(isinstance(text, str) and text for text in pair)):
                problems.append(f"labels[{name!r}] must be an (English, Chinese) pair of texts, got {pair!r}")
        if problems:
            raise SegkitError("churn scorer: " + "; ".join(problems))

    def _member(self, seed: int, n_rows: int) -> BaseEstimator:
        if self.model == "logistic":
            numeric = [j for j, is_category in enumerate(self.categorical_) if not is_category]
            category = [j for j, is_category in enumerate(self.categorical_) if is_category]
            prepare = ColumnTransformer(
                [
                    (
                        "number",
                        make_pipeline(
                            SimpleImputer(strategy="median", add_indicator=True),
                            QuantileTransformer(output_distribution="normal", n_quantiles=min(1000, n_rows), random_state=seed),
                        ),
                        numeric,
                    ),
                    ("category", OneHotEncoder(handle_unknown="ignore"), category),
                ]
            )
            return make_pipeline(prepare, LogisticRegression(C=1.0, max_iter=2000))
        monotonic = self.monotonic or {}
        constraints = [
            0 if is_category else int(monotonic.get(name, 0))
            for name, is_category in zip(self.features_, self.categorical_, strict=True)
        ]
        return HistGradientBoostingClassifier(
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            min_samples_leaf=self.min_samples_leaf,
            l2_regularization=self.l2_regularization,
            max_iter=self.max_iter,
            n_iter_no_change=self.n_iter_no_change,
            early_stopping=True,
            validation_fraction=0.1,
            categorical_features=list(self.categorical_) if any(self.categorical_) else None,
            monotonic_cst=constraints if any(constraints) else None,
            random_state=seed,
        )

    def _sample(self, frame: pd.DataFrame, y: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
        if len(frame) <= self.sample_size:
            return frame, y
        keep, _ = train_test_split(
            np.arange(len(frame)), train_size=self.sample_size, stratify=y, random_state=self.random_state
        )
        keep = np.sort(keep)
        return frame.iloc[keep], y[keep]

    def _choose_features(self, frame: pd.DataFrame) -> None:
        names, categorical = features.select(frame, self.features)
        data = features.columns(frame, names)
        keep, dropped = [], []
        least_present = max(MIN_PRESENT, int(MIN_PRESENT_SHARE * len(frame)))
        for name, is_category in zip(names, categorical, strict=True):
            usable = data[name].nunique(dropna=True) >= 2 and data[name].notna().sum() >= least_present
            (keep if usable else dropped).append((name, is_category))
        if not keep:
            raise SegkitError("churn model: no usable feature (every candidate column is absent or constant)")
        self.features_ = [name for name, _ in keep]
        self.categorical_ = [is_category for _, is_category in keep]
        self.dropped_features_ = [name for name, _ in dropped]
        self.categories_ = {name: features.levels(data[name]) for name, is_category in keep if is_category}
        self.typical_ = {}
        self.binary_ = []
        for name, is_category in keep:
            if is_category:
                self.typical_[name] = self.categories_[name][0]
                continue
            values = features.as_numbers(data[name])
            self.typical_[name] = float(np.nanmedian(values))
            if name not in reasons.PHRASES and np.isin(values[~np.isnan(values)], (0.0, 1.0)).all():
                self.binary_.append(name)

    def fit(self, frame: pd.DataFrame, y: object = None) -> ChurnScorer:
        """Fit on a snapshot and its churn label.

        Parameters
        ----------
        frame : DataFrame
            Canonical customer table; with ``y`` omitted it must hold
            ``churned`` (0/1).
        y : array-like of 0/1, optional
            The label, one per row of ``frame``; default ``frame["churned"]``.

        Returns
        -------
        ChurnScorer
            self, fitted.

        Raises
        ------
        DataValidationError
            If the label is absent, missing or not 0/1.
        SegkitError
            If a class has fewer customers than ``cv`` or no feature is usable.
        """
        self._check_params()
        target = read_label(frame, y)
        counts = np.bincount(target, minlength=2)
        if counts.min() < self.cv:
            raise SegkitError(
                f"churn model: need at least {self.cv} churned and {self.cv} retained customers, "
                f"got {counts[1]} churned and {counts[0]} retained"
            )
        self.n_rows_ = len(frame)
        self._choose_features(frame)
        self.data_fingerprint_ = fingerprint(
            pd.DataFrame({**features.columns(frame, self.features_), LABEL: pd.Series(target, index=frame.index)}),
            [*self.features_, LABEL],
        )
        sample, target = self._sample(frame, target)
        matrix = features.encode(sample, self.features_, self.categorical_, self.categories_)
        self.n_train_ = len(sample)
        self.base_rate_ = float(target.mean())
        self.classes_ = np.array([0, 1])
        with threadpool_limits(limits=self._threads(len(sample))):
            self._fit_members(matrix, target)
            self._fit_effects(matrix)
        return self

    def _fit_members(self, matrix: np.ndarray, target: np.ndarray) -> None:
        folds = list(StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state).split(matrix, target))
        cross_fit = len(target) < self.average_members_below
        members, held_out, log_odds = [], [], []
        for i, (train, held) in enumerate(folds if cross_fit else folds[:1]):
            members.append(self._member(self.random_state + i, len(train)).fit(matrix[train], target[train]))
            held_out.append(held)
            log_odds.append(members[-1].decision_function(matrix[held]))
        self.estimators_ = members
        self.n_iter_ = [int(member.n_iter_ if self.model == "hgb" else member[-1].n_iter_[0]) for member in members]
        rows = np.concatenate(held_out)
        order = np.argsort(rows, kind="stable")
        rows, raw = rows[order], np.concatenate(log_odds)[order]
        self.evaluation_ = "cross_fit" if cross_fit else "held_out"
        self.oof_target_ = target[rows].astype(np.int8)
        self.calibration_, self.isotonic_ = self._calibrator(raw, self.oof_target_)
        # each held-out customer is scored by a calibration fitted without them: the other folds or,
        # with one fold held out, the other parts of it
        parts = folds if cross_fit else StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state).split(
            raw, self.oof_target_
        )
        self.oof_fold_ = np.empty(len(rows), dtype=np.int8)
        for i, (_, part) in enumerate(parts):
            self.oof_fold_[part] = i
        self.oof_score_ = np.empty(len(rows), dtype="float64")
        for i in range(self.cv):
            inside = self.oof_fold_ == i
            platt, isotonic = self._calibrator(raw[~inside], self.oof_target_[~inside])
            self.oof_score_[inside] = _probability(raw[inside], platt, isotonic)

    def _calibrator(
        self, log_odds: np.ndarray, target: np.ndarray
    ) -> tuple[tuple[float, float], IsotonicRegression | None]:
        """Fit the calibration of raw log-odds: Platt (slope, intercept) and the isotonic map."""
        if self.calibration == "sigmoid":
            platt = LogisticRegression(C=np.inf).fit(log_odds[:, np.newaxis], target)
            return (float(platt.coef_[0, 0]), float(platt.intercept_[0])), None
        if self.calibration == "isotonic":
            isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(log_odds, target)
            return (1.0, 0.0), isotonic
        return (1.0, 0.0), None

    def _fit_effects(self, matrix: np.ndarray) -> None:
        rng = np.random.default_rng(self.random_state)
        reference = matrix[rng.choice(len(matrix), size=min(effects.REFERENCE_ROWS, len(matrix)), replace=False)]
        self.grids_ = [
            effects.grid(matrix[:, j], len(self.categories_[name]) if is_category else None)
            for j, (name, is_category) in enumerate(zip(self.features_, self.categorical_, strict=True))
        ]
        self.curves_ = effects.partial_dependence(self._log_odds, reference, self.grids_)
        rows = matrix[rng.choice(len(matrix), size=min(CENTRE_ROWS, len(matrix)), replace=False)]
        self.centres_ = np.zeros(len(self.features_))
        raw = effects.contributions(rows, self.grids_, self.curves_, self.centres_, self.categorical_)
        self.centres_ = raw.mean(axis=0)
        self.importance_ = np.abs(raw - self.centres_).mean(axis=0)
        deviation = self._log_odds(rows)
        deviation -= deviation.mean()
        spread = float(np.mean(deviation**2))
        missed = float(np.mean((deviation - (raw - self.centres_).sum(axis=1)) ** 2))
        self.attribution_r2_ = 1.0 - missed / spread if spread > 0 else 1.0

    # -------------------------------------------------------------- predict
    def _matrix(self, frame: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "estimators_")
        if not isinstance(frame, pd.DataFrame):
            raise SegkitError(f"expected a DataFrame of customers, got {type(frame).__name__}")
        derived = features.derive(frame.head(0)).columns
        missing = [name for name in self.features_ if name not in frame and name not in derived]
        if missing:
            problems = [
                Problem(
                    name,
                    "is a feature of the fitted churn model but is absent"
                    + (f" (derived from {' and '.join(features.DERIVED_FROM[name])})" if name in features.DERIVED_FROM else ""),
                )
                for name in missing
            ]
            raise DataValidationError(problems, "churn")
        return features.encode(frame, self.features_, self.categorical_, self.categories_)

    def _raw(self, matrix: np.ndarray) -> np.ndarray:
        return np.mean([estimator.decision_function(matrix) for estimator in self.estimators_], axis=0)

    def _log_odds(self, matrix: np.ndarray) -> np.ndarray:
        """Calibrated log-odds (raw ensemble log-odds unless Platt-calibrated)."""
        slope, intercept = self.calibration_
        return slope * self._raw(matrix) + intercept

    def _proba(self, matrix: np.ndarray) -> np.ndarray:
        return _probability(self._raw(matrix), self.calibration_, self.isotonic_)

    def _scoring(self):
        """Threads to score with: prediction gains from every thread even on a thousand rows."""
        return threadpool_limits(limits=self.n_threads)

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Return ``(n, 2)`` probabilities of staying and of churning."""
        matrix = self._matrix(frame)
        with self._scoring():
            score = self._proba(matrix)
        return np.column_stack([1.0 - score, score])

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Return 1 where the churn probability is at least 0.5."""
        return (self.predict_proba(frame)[:, 1] >= 0.5).astype(np.int64)

    def decision_function(self, frame: pd.DataFrame) -> np.ndarray:
        """Return the churn log-odds the reasons are measured in."""
        matrix = self._matrix(frame)
        with self._scoring():
            return self._log_odds(matrix)

    # --------------------------------------------------------------- explain
    def contributions(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Each feature's log-odds contribution for each customer (see :mod:`segkit.churn.effects`)."""
        matrix = self._matrix(frame)
        impacts = effects.contributions(matrix, self.grids_, self.curves_, self.centres_, self.categorical_)
        return pd.DataFrame(impacts, index=frame.index, columns=self.features_)

    def _reasons(self, matrix: np.ndarray, top: int) -> dict[str, np.ndarray]:
        impacts = effects.contributions(matrix, self.grids_, self.curves_, self.centres_, self.categorical_)
        shown = []
        for j, (name, is_category) in enumerate(zip(self.features_, self.categorical_, strict=True)):
            if is_category:
                levels = np.array([*self.categories_[name], None], dtype=object)
                codes = np.where(np.isnan(matrix[:, j]), -1, matrix[:, j]).astype(np.intp)
                shown.append(levels[codes])
            else:
                shown.append(matrix[:, j])
        typical = [self.typical_[name] for name in self.features_]
        return reasons.top_reasons(
            impacts, shown, self.features_, typical, top=top, labels=self.labels, binary=self.binary_
        )

    def explain(self, frame: pd.DataFrame, top: int = 3) -> pd.DataFrame:
        """Each customer's ``top`` reasons, largest first.

        Returns
        -------
        DataFrame
            Indexed like ``frame``; for ``i = 1..top``: ``churn_driver_i``
            (feature), ``churn_impact_i`` (log-odds above the bank average),
            ``churn_reason_i_en`` and ``churn_reason_i_zh``. Only features that
            raise the risk by more than :data:`segkit.churn.reasons.MIN_IMPACT`
            are reasons; the rest are missing.
        """
        return output.explanation(self._reasons(self._matrix(frame), top), frame.index, top)

    def score(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Score, band, value at risk and reasons in English and Chinese (see :func:`segkit.churn.output.score_table`).

        Row-wise and pure: any split of the rows gives the same result.
        """
        matrix = self._matrix(frame)
        with self._scoring():
            score = self._proba(matrix)
        found = self._reasons(matrix, output.TOP)
        return output.score_table(frame, score, found, "model", self.high, self.medium)

    # --------------------------------------------------------------- drivers
    @property
    def global_drivers_(self) -> pd.DataFrame:
        """Features ranked by mean absolute contribution (see :meth:`drivers_table`)."""
        return self.drivers_table()

    def drivers_table(self) -> pd.DataFrame:
        """The global drivers: ``feature``, ``importance`` (mean |log-odds|), ``share``, ``label_en``, ``label_zh``."""
        check_is_fitted(self, "importance_")
        order = np.argsort(-self.importance_, kind="stable")
        importance = self.importance_[order]
        total = importance.sum()
        names = [self.features_[j] for j in order]
        named = [reasons.label(name, self.labels) for name in names]
        return pd.DataFrame(
            {
                "feature": pd.Series(names, dtype="str"),
                "importance": importance,
                "share": importance / total if total > 0 else np.zeros_like(importance),
                "label_en": pd.Series([en for en, _ in named], dtype="str"),
                "label_zh": pd.Series([zh for _, zh in named], dtype="str"),
            }
        )

    def effect_curve(self, feature: str) -> pd.DataFrame:
        """How one feature moves the churn log-odds: ``value`` and ``effect`` (centred)."""
        check_is_fitted(self, "curves_")
        if feature not in self.features_:
            raise SegkitError(f"{feature!r} is not a feature of the churn model; features: {', '.join(self.features_)}")
        j = self.features_.index(feature)
        points = self.grids_[j]
        values: list[object] = list(points)
        if self.categorical_[j]:
            values = [*self.categories_[feature], None]
        return pd.DataFrame({"value": values, "effect": self.curves_[j] - self.centres_[j]})

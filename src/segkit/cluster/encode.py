"""Turn customer columns into the numeric matrix the clustering runs on.

Each feature is one of three kinds, decided on the fitting data:

``numeric``
    Money and counts (:data:`LOG_SCALED`) are ``log1p``-transformed (negative
    values clipped to 0 first). Then every numeric feature is centred on its
    median and divided by its interquartile range (the standard deviation
    when the IQR is 0), and clipped to ``[-CLIP, CLIP]`` so a handful of
    extreme customers cannot pull a centre towards themselves. Missing values
    become the median, i.e. 0 after scaling.
``binary``
    Booleans and 0/1 columns stay 0/1 (a difference of one product is one
    unit, like one IQR of a numeric feature). Missing values become the
    share of ones.
``categorical``
    Text columns, or those named in ``categorical``: one indicator per level
    seen in at least :data:`MIN_LEVEL_SHARE` of the fitting rows (at most
    :data:`MAX_LEVELS`), scaled by ``1/sqrt(2)`` so that two customers with
    different levels are one unit apart in squared distance. Missing and
    unseen levels give all-zero indicators.

The transform is a pure function of each row and the fitted state, so it
runs unchanged on Dask partitions.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from segkit.errors import SegkitError

DEFAULT_FEATURES: tuple[str, ...] = (
    "age",
    "income",
    "aum",
    "n_products",
    "tenure_months",
    "months_inactive",
    "txn_count_3m",
    "txn_amount_3m",
    "has_wealth",
    "has_fund",
    "has_insurance",
    "has_payroll",
    "has_pos",
    "has_fx",
    "has_loan",
    "has_debit_card",
    "credit_card",
    "customer_type",
)
"""Features used when none are configured (those present in the data)."""

DEFAULT_CATEGORICAL: tuple[str, ...] = ("credit_card", "customer_type", "gender", "industry", "branch_id")
"""Columns always treated as categorical when they are features."""

LOG_SCALED: tuple[str, ...] = (
    "aum",
    "aum_prev",
    "income",
    "txn_amount_3m",
    "txn_count_3m",
    "contacts_12m",
    "monthly_avg_funds",
    "annual_acquiring",
    "annual_fee_income",
    "credit_line",
    "deposits",
)
"""Money amounts and counts: ``log1p``-scaled before robust scaling."""

CLIP = 5.0
MIN_LEVEL_SHARE = 0.005
MAX_LEVELS = 12
_ONE_HOT_WEIGHT = 1.0 / np.sqrt(2.0)


def as_float(series: pd.Series) -> np.ndarray:
    """A column as float64 with NaN for missing values."""
    if isinstance(series.dtype, pd.BooleanDtype) or pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype)


class FeatureEncoder(TransformerMixin, BaseEstimator):
    """Log-scale money, robustly scale numbers, one-hot encode categories.

    Parameters
    ----------
    features : sequence of str
        The columns to encode, in order.
    categorical : sequence of str, optional
        Columns to one-hot encode even if numeric; text columns always are.
    log_scaled : sequence of str, optional
        Columns to ``log1p``-transform; default :data:`LOG_SCALED`.

    Attributes
    ----------
    kinds_ : list of str
        ``"numeric"``, ``"binary"`` or ``"categorical"`` per kept feature.
    features_ : list of str
        The features kept (constant or empty ones are dropped with a warning).
    columns_ : list of str
        Names of the output columns (``"credit_card=active"`` for levels).
    groups_ : list of tuple of int
        ``(start, stop)`` output columns of each categorical feature.
    """

    def __init__(
        self,
        features: Sequence[str] = (),
        categorical: Sequence[str] | None = None,
        log_scaled: Sequence[str] | None = None,
    ) -> None:
        self.features = features
        self.categorical = categorical
        self.log_scaled = log_scaled

    def fit(self, frame: pd.DataFrame, y: object = None) -> FeatureEncoder:
        """Learn medians, scales, shares and levels from ``frame``."""
        missing = [name for name in self.features if name not in frame.columns]
        if missing:
            raise SegkitError(f"cluster features missing from the data: {', '.join(missing)}")
        categorical = set(DEFAULT_CATEGORICAL if self.categorical is None else self.categorical)
        log_scaled = set(LOG_SCALED if self.log_scaled is None else self.log_scaled)
        self.features_, self.kinds_, self.columns_, self.groups_ = [], [], [], []
        self.centers_, self.scales_, self.logs_, self.levels_ = [], [], [], []
        dropped = []
        for name in self.features:
            column = frame[name]
            if name in categorical or not _is_numeric(column):
                counts = column.dropna().astype("str").value_counts(normalize=True, sort=False)
                counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
                levels = [str(level) for level, share in counts.items() if share >= MIN_LEVEL_SHARE][:MAX_LEVELS]
                if len(levels) < 2:
                    dropped.append(name)
                    continue
                kind, center, scale = "categorical", 0.0, 1.0
            else:
                values = as_float(column)
                finite = values[np.isfinite(values)]
                if finite.size == 0:
                    dropped.append(name)
                    continue
                levels = []
                if np.isin(finite, (0.0, 1.0)).all():
                    kind, center, scale = "binary", float(finite.mean()), 1.0
                    if center in (0.0, 1.0):
                        dropped.append(name)
                        continue
                else:
                    kind = "numeric"
                    if name in log_scaled:
                        finite = np.log1p(np.clip(finite, 0.0, None))
                    q25, center, q75 = np.quantile(finite, [0.25, 0.5, 0.75])
                    scale = float(q75 - q25) or float(finite.std())
                    if scale == 0.0:
                        dropped.append(name)
                        continue
            start = len(self.columns_)
            self.columns_ += [f"{name}={level}" for level in levels] if levels else [name]
            if kind == "categorical":
                self.groups_.append((start, len(self.columns_)))
            self.features_.append(name)
            self.kinds_.append(kind)
            self.centers_.append(float(center))
            self.scales_.append(float(scale))
            self.logs_.append(kind == "numeric" and name in log_scaled)
            self.levels_.append(levels)
        if dropped:
            warnings.warn(
                f"cluster features dropped (constant or empty in the data): {', '.join(dropped)}",
                stacklevel=2,
            )
        if not self.features_:
            raise SegkitError("no usable cluster features: every feature is constant or empty")
        return self

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        """Encode ``frame`` into a float matrix with columns :attr:`columns_`."""
        check_is_fitted(self, "columns_")
        missing = [name for name in self.features_ if name not in frame.columns]
        if missing:
            raise SegkitError(f"the segmenter needs columns missing from the data: {', '.join(missing)}")
        out = np.empty((len(frame), len(self.columns_)), dtype=float)
        position = 0
        for name, kind, center, scale, log, levels in zip(
            self.features_, self.kinds_, self.centers_, self.scales_, self.logs_, self.levels_, strict=True
        ):
            if kind == "categorical":
                text = frame[name].astype("str").to_numpy(dtype=object, na_value=None)
                for level in levels:
                    out[:, position] = (text == level) * _ONE_HOT_WEIGHT
                    position += 1
                continue
            values = as_float(frame[name])
            if log:
                values = np.log1p(np.clip(values, 0.0, None))
            values = (values - center) / scale if kind == "numeric" else values
            values = np.where(np.isnan(values), 0.0 if kind == "numeric" else center, values)
            out[:, position] = np.clip(values, -CLIP, CLIP)
            position += 1
        return out

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of the output columns."""
        check_is_fitted(self, "columns_")
        return np.asarray(self.columns_, dtype=object)

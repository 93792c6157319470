"""The churn model's inputs: which columns, derived how, encoded how.

Every canonical column that says something about a customer's behaviour or
profile is a feature when present; identifiers, PII, the label and the
columns segkit itself derives (tiers, clusters) are not. Extra columns that
the mapping declares (``mapping.features``, e.g. ``CreditScore``) are added:
numeric or boolean columns as numbers, anything else as a category.

Derived (only when their inputs are present):

``aum_change``
    ``aum / aum_prev - 1``, clipped to ``[-1, 5]``; missing when ``aum_prev``
    is missing or zero (a new account has no previous balance to compare).

Categories are encoded as integer codes of the levels seen in training (at
most :data:`MAX_LEVELS`, most frequent first); rarer and unseen levels are
coded as missing, which gradient boosting handles natively.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

NUMERIC = (
    "aum",
    "aum_change",
    "age",
    "income",
    "n_products",
    "tenure_months",
    "months_inactive",
    "txn_count_3m",
    "txn_amount_3m",
    "contacts_12m",
    "kyc_completeness",
    "monthly_avg_funds",
    "annual_acquiring",
    "annual_fee_income",
    "credit_line",
    "deposits",
    "fund_return_rate",
    "e_products",
)
"""Canonical (and derived) numeric features."""

FLAGS = (
    "has_debit_card",
    "has_wealth",
    "has_fund",
    "has_insurance",
    "has_payroll",
    "has_pos",
    "has_fx",
    "has_loan",
    "card_autopay_bound",
    "has_contact",
)
"""Canonical yes/no features, used as 0/1."""

CATEGORICAL = ("branch_id", "customer_type", "gender", "credit_card", "industry")
"""Canonical categorical features."""

DERIVED_FROM = {"aum_change": ("aum", "aum_prev")}
"""The input columns of each derived feature."""

MAX_LEVELS = 250
"""Most levels kept per categorical feature (gradient boosting allows 255 bins)."""


def derive(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the derived features that ``frame``'s columns allow (row-wise)."""
    derived = {}
    if "aum" in frame and "aum_prev" in frame:
        aum = as_numbers(frame["aum"])
        prev = as_numbers(frame["aum_prev"])
        with np.errstate(divide="ignore", invalid="ignore"):
            change = np.where(prev > 0, aum / prev - 1.0, np.nan)
        derived["aum_change"] = np.clip(change, -1.0, 5.0)
    return pd.DataFrame(derived, index=frame.index)


def as_numbers(values: pd.Series) -> np.ndarray:
    """Return ``values`` as float64 with NaN for missing (bools become 0/1)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype("boolean").astype("Float64")
    elif not pd.api.types.is_numeric_dtype(values.dtype):
        values = pd.to_numeric(values, errors="coerce")
    return values.to_numpy(dtype="float64", na_value=np.nan)


def is_numeric(values: pd.Series) -> bool:
    """Whether an extra feature column is used as a number (else as a category)."""
    return pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype)


def select(frame: pd.DataFrame, extra: Iterable[str] = ()) -> tuple[list[str], list[bool]]:
    """Choose the features present in ``frame``.

    Parameters
    ----------
    frame : DataFrame
        A canonical customer table.
    extra : iterable of str
        Extra columns declared as model features by the mapping; absent ones
        are skipped.

    Returns
    -------
    names : list of str
        Feature names, canonical ones first in a fixed order.
    categorical : list of bool
        Whether each feature is categorical.
    """
    available = set(frame.columns) | set(derive(frame.head(0)).columns)
    names: list[str] = []
    categorical: list[bool] = []
    for name in CATEGORICAL:
        if name in available:
            names.append(name)
            categorical.append(True)
    for name in NUMERIC + FLAGS:
        if name in available:
            names.append(name)
            categorical.append(False)
    for name in extra:
        if name in frame and name not in names:
            names.append(name)
            categorical.append(not is_numeric(frame[name]))
    return names, categorical


def columns(frame: pd.DataFrame, names: Sequence[str]) -> dict[str, pd.Series]:
    """Return each named feature of ``frame`` (derived ones computed)."""
    derived = derive(frame)
    return {name: derived[name] if name in derived else frame[name] for name in names}


def levels(values: pd.Series) -> list[str]:
    """Levels of a categorical feature, most frequent first (ties by name), at most :data:`MAX_LEVELS`."""
    counts = values.astype("str").value_counts(dropna=True)
    order = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [str(level) for level, _ in order[:MAX_LEVELS]]


def codes(values: pd.Series, categories: Sequence[str]) -> np.ndarray:
    """Integer codes of ``values`` in ``categories`` as float64 (NaN: missing or unseen)."""
    coded = pd.Index(list(categories), dtype="str").get_indexer(values.astype("str")).astype("float64")
    coded[coded < 0] = np.nan
    return coded


def encode(
    frame: pd.DataFrame, names: Sequence[str], categorical: Sequence[bool], categories: dict[str, list[str]]
) -> np.ndarray:
    """Return the float64 model matrix of ``frame`` (one column per feature)."""
    data = columns(frame, names)
    matrix = np.empty((len(frame), len(names)), dtype="float64")
    for j, (name, is_category) in enumerate(zip(names, categorical, strict=True)):
        matrix[:, j] = codes(data[name], categories[name]) if is_category else as_numbers(data[name])
    return matrix

"""The churn columns every scorer adds to the scored table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.churn.features import as_numbers

BANDS = ("high", "medium", "low")
TOP = 3
"""Reasons per customer in the scored table."""
LANGUAGES = ("en", "zh")
"""Languages every reason is written in (``churn_reason_{i}_en``, ``churn_reason_{i}_zh``)."""


def text(values: np.ndarray, index: pd.Index) -> pd.Series:
    """A ``str`` column from an object array (None -> missing)."""
    return pd.Series(values, index=index, dtype="str")


def bands(score: np.ndarray, high: float, medium: float) -> np.ndarray:
    """``high`` when score >= high, ``medium`` when >= medium, else ``low``; None when missing."""
    band = np.select([score >= high, score >= medium], ["high", "medium"], "low").astype(object)
    band[np.isnan(score)] = None
    return band


def explanation(reasons: dict[str, np.ndarray], index: pd.Index, top: int) -> pd.DataFrame:
    """Lay out :func:`segkit.churn.reasons.top_reasons` as a frame."""
    columns: dict[str, pd.Series] = {}
    for rank in range(1, top + 1):
        columns[f"churn_driver_{rank}"] = text(reasons[f"driver_{rank}"], index)
        columns[f"churn_impact_{rank}"] = pd.Series(reasons[f"impact_{rank}"], index=index, dtype="float64")
        for language in LANGUAGES:
            columns[f"churn_reason_{rank}_{language}"] = text(reasons[f"reason_{rank}_{language}"], index)
    return pd.DataFrame(columns, index=index)


def score_table(
    frame: pd.DataFrame,
    score: np.ndarray,
    reasons: dict[str, np.ndarray],
    method: str,
    high: float,
    medium: float,
) -> pd.DataFrame:
    """Assemble the scored-table columns.

    Returns ``churn_score``, ``churn_band``, ``value_at_risk`` (score x aum),
    ``churn_reason_{i}_en`` and ``churn_reason_{i}_zh`` for ``i = 1..3`` (the
    same reason in English and in Chinese, so a report in either language
    reads it), ``churn_driver_1..3`` (the feature or signal behind each
    reason) and ``churn_method``, indexed like ``frame``.
    """
    index = frame.index
    aum = as_numbers(frame["aum"]) if "aum" in frame else np.full(len(frame), np.nan)
    columns: dict[str, pd.Series] = {
        "churn_score": pd.Series(score, index=index, dtype="float64"),
        "churn_band": text(bands(score, high, medium), index),
        "value_at_risk": pd.Series(score * aum, index=index, dtype="float64"),
    }
    for rank in range(1, TOP + 1):
        for language in LANGUAGES:
            columns[f"churn_reason_{rank}_{language}"] = text(reasons[f"reason_{rank}_{language}"], index)
    for rank in range(1, TOP + 1):
        columns[f"churn_driver_{rank}"] = text(reasons[f"driver_{rank}"], index)
    columns["churn_method"] = text(np.full(len(frame), method, dtype=object), index)
    return pd.DataFrame(columns, index=index)

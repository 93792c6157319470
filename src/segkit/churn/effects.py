"""Per-customer attribution: each feature's main effect on the churn log-odds.

For a fitted model ``F`` (calibrated log-odds) and a feature ``j``, the main
effect is the partial dependence

    PD_j(v) = mean over reference customers r of F(x_r with feature j set to v)

computed by brute force (interventional: the reference customers keep their
other values) on a grid of values, then looked up for every customer. A
customer's contribution of feature ``j`` is ``PD_j(x_j) - E[PD_j(X_j)]``: how
far that one value moves the log-odds from the bank's average.

This is the SHAP value of the model's additive part: exact for additive models
(the logistic alternative), and the first-order term of the functional ANOVA
decomposition for boosted trees, whose interactions it leaves out. The grid is
computed once at fit time (a few thousand predictions); scoring a customer is
then a table look-up per feature, so explaining a million customers costs far
less than predicting them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

MAX_GRID = 32
"""A numeric feature with more distinct values is evaluated at this many quantiles
plus :data:`SPAN_POINTS` evenly spaced values (so sparse tails are covered too)."""

SPAN_POINTS = 16

REFERENCE_ROWS = 256
"""Customers averaged over in each partial dependence value."""


def grid(values: np.ndarray, n_levels: int | None) -> np.ndarray:
    """Return the values at which to evaluate a feature's effect, plus a final NaN (missing).

    Parameters
    ----------
    values : ndarray
        The feature's training values (float64, NaN for missing).
    n_levels : int or None
        Number of levels of a categorical feature (its codes are ``0..n-1``);
        None for a numeric feature.
    """
    if n_levels is not None:
        points = np.arange(n_levels, dtype="float64")
    else:
        finite = values[np.isfinite(values)]
        points = np.unique(finite)
        if points.size > MAX_GRID:
            quantiles = np.quantile(finite, np.linspace(0.0, 1.0, MAX_GRID))
            span = np.linspace(finite.min(), finite.max(), SPAN_POINTS)
            points = np.unique(np.concatenate([quantiles, span]))
    return np.append(points, np.nan)


def partial_dependence(
    decision: Callable[[np.ndarray], np.ndarray], reference: np.ndarray, grids: Sequence[np.ndarray]
) -> list[np.ndarray]:
    """Average ``decision`` over ``reference`` rows with one feature set to each grid value.

    Returns one array per feature, aligned with its grid.
    """
    n_rows, n_features = reference.shape
    curves = []
    for j, points in enumerate(grids):
        block = np.repeat(reference[np.newaxis, :, :], points.size, axis=0)
        block[:, :, j] = points[:, np.newaxis]
        values = decision(block.reshape(-1, n_features)).reshape(points.size, n_rows)
        curves.append(values.mean(axis=1))
    return curves


def lookup(values: np.ndarray, points: np.ndarray, curve: np.ndarray, categorical: bool) -> np.ndarray:
    """Evaluate a feature's effect curve at ``values`` (NaN takes the missing-value effect)."""
    out = np.full(values.shape, curve[-1], dtype="float64")
    present = ~np.isnan(values)
    if categorical:
        out[present] = curve[values[present].astype(np.intp)]
    elif points.size > 1:
        out[present] = np.interp(values[present], points[:-1], curve[:-1])
    return out


def contributions(
    matrix: np.ndarray,
    grids: Sequence[np.ndarray],
    curves: Sequence[np.ndarray],
    centres: np.ndarray,
    categorical: Sequence[bool],
) -> np.ndarray:
    """Return the ``(n_rows, n_features)`` log-odds contributions of every feature."""
    out = np.empty(matrix.shape, dtype="float64")
    for j, (points, curve, is_category) in enumerate(zip(grids, curves, categorical, strict=True)):
        out[:, j] = lookup(matrix[:, j], points, curve, is_category) - centres[j]
    return out

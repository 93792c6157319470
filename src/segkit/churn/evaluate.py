"""Honest churn-model metrics: out-of-fold predictions only, never training rows.

:func:`evaluate` runs stratified k-fold cross-validation of the whole fitting
procedure (sampling, cross-fitted members, calibration): every customer is
scored by a model that never saw them. It reports discrimination (ROC AUC,
PR AUC), calibration (Brier score, log loss, a reliability table) and what a
call list gains (lift and capture in the top 10% and 20%).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split

from segkit.churn.model import LABEL, ChurnScorer, labels
from segkit.config import ChurnParams

TOP_SHARES = (0.1, 0.2)
CALIBRATION_BINS = 10
EVAL_ROWS = 50_000
"""Customers evaluated at most (a stratified, seeded sample): enough for metrics to 0.01."""


def lift_capture(target: np.ndarray, score: np.ndarray, share: float) -> tuple[float, float]:
    """Lift and capture of the top ``share`` of customers by score.

    Lift is the churn rate among them over the overall rate; capture is the
    share of all churners they hold. Ties are broken by row order.
    """
    n_top = max(1, int(np.ceil(share * len(target))))
    top = np.argsort(-score, kind="stable")[:n_top]
    churners = target.sum()
    if churners == 0:
        return float("nan"), float("nan")
    return float(target[top].mean() / target.mean()), float(target[top].sum() / churners)


def calibration_table(target: np.ndarray, score: np.ndarray, bins: int = CALIBRATION_BINS) -> list[dict[str, float]]:
    """Reliability table: customers split into ``bins`` equal-count groups by score."""
    order = np.argsort(score, kind="stable")
    rows = []
    for number, part in enumerate(np.array_split(order, bins), start=1):
        if part.size:
            rows.append(
                {
                    "bin": number,
                    "n": int(part.size),
                    "mean_score": float(score[part].mean()),
                    "churn_rate": float(target[part].mean()),
                }
            )
    return rows


def band_table(target: np.ndarray, score: np.ndarray, high: float, medium: float) -> list[dict[str, Any]]:
    """Customers, share and observed churn rate per band."""
    rows = []
    for band, inside in (
        ("high", score >= high),
        ("medium", (score >= medium) & (score < high)),
        ("low", score < medium),
    ):
        rows.append(
            {
                "band": band,
                "n": int(inside.sum()),
                "share": float(inside.mean()),
                "churn_rate": float(target[inside].mean()) if inside.any() else None,
            }
        )
    return rows


def metrics(target: np.ndarray, score: np.ndarray) -> dict[str, Any]:
    """Discrimination, calibration and lift of ``score`` against ``target``."""
    out: dict[str, Any] = {
        "n_rows": int(len(target)),
        "base_rate": float(target.mean()),
        "roc_auc": float(roc_auc_score(target, score)),
        "pr_auc": float(average_precision_score(target, score)),
        "brier": float(brier_score_loss(target, score)),
        "log_loss": float(log_loss(target, np.clip(score, 1e-12, 1 - 1e-12))),
    }
    for share in TOP_SHARES:
        lift, capture = lift_capture(target, score, share)
        percent = round(share * 100)
        out[f"lift_top{percent}"] = lift
        out[f"capture_top{percent}"] = capture
    out["calibration_curve"] = calibration_table(target, score)
    return out


def out_of_fold(
    frame: pd.DataFrame, params: ChurnParams, seed: int, features: Iterable[str] = ()
) -> tuple[np.ndarray, np.ndarray, list[float], list[str]]:
    """Cross-validated churn scores of ``frame``'s customers.

    Returns the labels, the out-of-fold scores, each fold's ROC AUC and the
    features the fold models used (union, in model order).
    """
    target = labels(frame)
    folds = StratifiedKFold(params.cv_folds, shuffle=True, random_state=seed)
    score = np.empty(len(target), dtype="float64")
    fold_auc: list[float] = []
    used: list[str] = []
    for train, test in folds.split(np.zeros(len(target)), target):
        scorer = ChurnScorer.from_params(params, seed=seed, features=features)
        scorer.fit(frame.iloc[train])
        score[test] = scorer.predict_proba(frame.iloc[test])[:, 1]
        fold_auc.append(float(roc_auc_score(target[test], score[test])))
        used += [name for name in scorer.features_ if name not in used]
    return target, score, fold_auc, used


def evaluate(
    frame: pd.DataFrame, params: ChurnParams, seed: int = 0, features: Iterable[str] = ()
) -> dict[str, Any]:
    """Cross-validated metrics of the churn model, ready for ``metrics.json``.

    Parameters
    ----------
    frame : DataFrame
        Canonical customer table. Without a ``churned`` column there is nothing
        to evaluate and the result says so (the heuristic is used).
    params : ChurnParams
        The ``churn`` params section (model, calibration, folds, bands).
    seed : int
        Seed of the folds and of the model.
    features : iterable of str
        Extra feature columns (the mapping's ``features``).

    Returns
    -------
    dict
        JSON-serialisable: ``method``, ``model``, ``calibration``,
        ``cv_folds``, ``n_rows``, ``base_rate``, ``roc_auc``,
        ``roc_auc_folds``, ``pr_auc``, ``brier``, ``log_loss``,
        ``lift_top10``, ``capture_top10``, ``lift_top20``, ``capture_top20``,
        ``calibration_curve`` (list of bins) and ``bands`` (customers and
        observed churn rate per band).
    """
    features = list(features)
    if LABEL not in frame:
        return {
            "method": "heuristic",
            "evaluated": False,
            "note": "no churned label: scores come from the rule-based early warning and cannot be evaluated",
        }
    target = labels(frame)
    if len(frame) > EVAL_ROWS:
        keep, _ = train_test_split(np.arange(len(frame)), train_size=EVAL_ROWS, stratify=target, random_state=seed)
        frame = frame.iloc[np.sort(keep)]
    target, score, fold_auc, used = out_of_fold(frame, params, seed, features)
    result: dict[str, Any] = {
        "method": "model",
        "evaluated": True,
        "model": params.model,
        "calibration": params.calibration,
        "cv_folds": params.cv_folds,
        "features": used,
    }
    result.update(metrics(target, score))
    result["roc_auc_folds"] = fold_auc
    result["bands"] = band_table(target, score, params.bands.high, params.bands.medium)
    return result

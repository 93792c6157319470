"""Honest churn-model metrics: held-out predictions only, never training rows.

:func:`evaluate` reads the held-out scores a :class:`ChurnScorer` keeps:
each held-out customer (every sampled customer of a small bank, one fold of
a large one) is scored by a member and a calibration fitted without them, so
no figure comes from training rows. It reports discrimination (ROC AUC,
PR AUC), calibration (Brier score, log loss, a reliability table) and what a
call list gains (lift and capture in the top 10% and 20%).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
from sklearn.utils.validation import check_is_fitted

from segkit.churn.model import ChurnScorer

TOP_SHARES = (0.1, 0.2)
CALIBRATION_BINS = 10


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


def evaluate(scorer: Any) -> dict[str, Any]:
    """Cross-validated metrics of a fitted churn scorer, ready for ``metrics.json``.

    Parameters
    ----------
    scorer : ChurnScorer or HeuristicChurnScorer
        Fitted. A heuristic scorer had no label to learn from, so there is
        nothing to evaluate and the result says so.

    Returns
    -------
    dict
        JSON-serialisable: ``method``, ``model``, ``calibration``,
        ``cv_folds``, ``evaluation`` (``"cross_fit"`` or ``"held_out"``),
        ``features``, ``n_rows`` (customers evaluated), ``base_rate``,
        ``roc_auc``, ``roc_auc_folds`` (cross-fitting only), ``pr_auc``, ``brier``, ``log_loss``,
        ``lift_top10``, ``capture_top10``, ``lift_top20``, ``capture_top20``,
        ``calibration_curve`` (list of bins) and ``bands`` (customers and
        observed churn rate per band). Every figure comes from held-out
        scores: each customer is scored by a member and a calibration fitted
        without them.
    """
    if not isinstance(scorer, ChurnScorer):
        return {
            "method": "heuristic",
            "evaluated": False,
            "note": "no churned label: scores come from the rule-based early warning and cannot be evaluated",
        }
    check_is_fitted(scorer, "oof_score_")
    target, score, fold = scorer.oof_target_.astype(np.int64), scorer.oof_score_, scorer.oof_fold_
    result: dict[str, Any] = {
        "method": "model",
        "evaluated": True,
        "model": scorer.model,
        "calibration": scorer.calibration,
        "cv_folds": scorer.cv,
        "evaluation": scorer.evaluation_,
        "features": list(scorer.features_),
    }
    result.update(metrics(target, score))
    if scorer.evaluation_ == "cross_fit":
        result["roc_auc_folds"] = [float(roc_auc_score(target[fold == i], score[fold == i])) for i in range(scorer.cv)]
    result["bands"] = band_table(target, score, scorer.high, scorer.medium)
    return result

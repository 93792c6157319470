"""The churn model card: what was fitted, on which data, how well, as of when."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sklearn

import segkit
from segkit.churn.heuristic import HeuristicChurnScorer
from segkit.churn.model import ChurnScorer

DRIVERS_SHOWN = 10


def model_card(
    scorer: ChurnScorer | HeuristicChurnScorer, as_of: dt.date | None = None, metrics: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Describe a fitted churn scorer as a JSON-serialisable dict.

    Parameters
    ----------
    scorer : ChurnScorer or HeuristicChurnScorer
        A fitted scorer.
    as_of : date, optional
        The snapshot date (``params.as_of``); the card never reads the clock,
        so the same inputs give the same card.
    metrics : dict, optional
        The result of :func:`segkit.churn.evaluate`.

    Returns
    -------
    dict
        ``method``, ``date``, ``versions``, ``drivers`` (top global drivers),
        ``metrics``, and for the model: ``model``, ``calibration``,
        ``folds``, ``evaluation`` (``"cross_fit"``: the mean of ``folds``
        cross-fitted members scores, every customer held out once; or
        ``"held_out"``: one member scores, one fold held out), ``n_iter`` (of
        each member), ``n_evaluated`` (held-out customers), ``features`` (with kinds), ``dropped_features``,
        ``data_fingerprint``, ``n_rows``, ``n_train``, ``base_rate``,
        ``attribution`` (method, and ``r2``: the share of the log-odds' variance
        the per-feature contributions explain); for the
        heuristic: ``signals`` and their ``weights``.
    """
    drivers = scorer.drivers_table().head(DRIVERS_SHOWN)
    card: dict[str, Any] = {
        "date": as_of.isoformat() if as_of is not None else None,
        "versions": {"segkit": segkit.__version__, "scikit-learn": sklearn.__version__},
        "drivers": [
            {"feature": row.feature, "importance": float(row.importance), "share": float(row.share), "label_en": row.label_en, "label_zh": row.label_zh}
            for row in drivers.itertuples(index=False)
        ],
        "bands": {"high": scorer.high, "medium": scorer.medium},
        "metrics": metrics or {},
    }
    if isinstance(scorer, HeuristicChurnScorer):
        card.update(method="heuristic", signals=list(scorer.signals_), weights=dict(scorer.weights_), n_rows=scorer.n_rows_)
        return card
    card.update(
        method="model",
        model=scorer.model,
        calibration=scorer.calibration,
        folds=scorer.cv,
        evaluation=scorer.evaluation_,
        n_iter=list(scorer.n_iter_),
        n_evaluated=len(scorer.oof_score_),
        features=[
            {"name": name, "kind": "categorical" if is_category else "numeric"}
            for name, is_category in zip(scorer.features_, scorer.categorical_, strict=True)
        ],
        dropped_features=list(scorer.dropped_features_),
        data_fingerprint=scorer.data_fingerprint_,
        n_rows=scorer.n_rows_,
        n_train=scorer.n_train_,
        base_rate=scorer.base_rate_,
        attribution={
            "method": "main effect (partial dependence) on the calibrated log-odds, centred at the bank average",
            "r2": scorer.attribution_r2_,
        },
    )
    return card

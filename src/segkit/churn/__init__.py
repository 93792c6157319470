"""Churn risk: a calibrated score, the reasons behind it, and who to call first.

With a ``churned`` label, :func:`fit_churn` fits a :class:`ChurnScorer`
(cross-fitted gradient boosting, calibrated; :mod:`segkit.churn.model`).
Without one it returns a :class:`HeuristicChurnScorer`, a transparent
early warning from inactivity, falling assets, few products and lost contact
(:mod:`segkit.churn.heuristic`). Both add the same columns
(:func:`segkit.churn.output.score_table`): ``churn_score``, ``churn_band``,
``value_at_risk``, ``churn_reason_{i}_en`` and ``churn_reason_{i}_zh``
(i = 1..3), ``churn_driver_1..3`` and ``churn_method``.

Reasons come from each feature's main effect on the log-odds
(:mod:`segkit.churn.effects`), phrased in both English and Chinese
(:mod:`segkit.churn.reasons`) so that a report in either language reads
them. :func:`evaluate` gives honest metrics on customers held out of training;
:func:`retention_list` and :func:`dormant_list` turn scores into call lists
(reasons in the language asked for); :func:`model_card` describes the fitted
model.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from segkit.churn.card import model_card
from segkit.churn.evaluate import evaluate
from segkit.churn.heuristic import HeuristicChurnScorer
from segkit.churn.lists import dormant_list, retention_list
from segkit.churn.model import LABEL, ChurnScorer
from segkit.config import ChurnParams

__all__ = [
    "ChurnScorer",
    "HeuristicChurnScorer",
    "dormant_list",
    "evaluate",
    "fit_churn",
    "model_card",
    "retention_list",
]


def fit_churn(
    frame: pd.DataFrame, params: ChurnParams, seed: int = 0, features: Iterable[str] = ()
) -> ChurnScorer | HeuristicChurnScorer:
    """Fit the churn model when ``frame`` has a ``churned`` label, else the heuristic.

    Parameters
    ----------
    frame : DataFrame
        Canonical customer table (extra columns are ignored unless named in
        ``features``).
    params : ChurnParams
        The ``churn`` params section.
    seed : int
        Seed of sampling, folds and members.
    features : iterable of str
        Extra feature columns declared by the mapping.

    Returns
    -------
    ChurnScorer or HeuristicChurnScorer
        Fitted; ``score(frame)`` adds the churn columns.
    """
    if LABEL in frame:
        return ChurnScorer.from_params(params, seed=seed, features=features).fit(frame)
    return HeuristicChurnScorer.from_params(params).fit(frame)

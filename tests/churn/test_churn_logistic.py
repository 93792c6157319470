"""The transparent alternative: logistic regression on the same features."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from sklearn.metrics import roc_auc_score

from segkit.churn import ChurnScorer, evaluate, fit_churn, model_card
from segkit.config import ChurnParams


@pytest.fixture(scope="module")
def logistic(demo_bank: pd.DataFrame) -> ChurnScorer:
    params = ChurnParams.model_validate({"model": "logistic"})
    return fit_churn(demo_bank, params, seed=5)


def test_logistic_fits_and_scores(logistic: ChurnScorer, demo_bank: pd.DataFrame, fresh_bank: pd.DataFrame) -> None:
    assert isinstance(logistic, ChurnScorer) and logistic.model == "logistic"
    assert {estimator[-1].__class__.__name__ for estimator in logistic.estimators_} == {"LogisticRegression"}
    scored = logistic.score(fresh_bank)
    assert scored["churn_score"].between(0, 1).all()
    assert (scored["churn_method"] == "model").all()
    assert scored["churn_reason_1_zh"].notna().mean() > 0.8 and scored["churn_reason_1_en"].notna().mean() > 0.8
    proba = logistic.predict_proba(fresh_bank)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(expit(logistic.decision_function(fresh_bank)), proba[:, 1], rtol=1e-12)
    target = fresh_bank["churned"].to_numpy(dtype=int)
    assert roc_auc_score(target, proba[:, 1]) >= 0.74
    assert abs(proba[:, 1].mean() - target.mean()) <= 0.015


def test_logistic_is_evaluated_out_of_fold(logistic: ChurnScorer, bank_scorer: ChurnScorer) -> None:
    metrics = evaluate(logistic)
    assert metrics["model"] == "logistic"
    assert 0.72 <= metrics["roc_auc"] <= 0.85
    assert abs(logistic.oof_score_.mean() - logistic.oof_target_.mean()) <= 0.01
    # the boosted default is the better model here (non-linear age and tenure effects)
    assert evaluate(bank_scorer)["roc_auc"] > metrics["roc_auc"]
    assert model_card(logistic, metrics=metrics)["model"] == "logistic"


def test_logistic_reasons_recover_the_latent_drivers(logistic: ChurnScorer) -> None:
    # n_products is the sum of the product flags, so a linear model spreads its effect over them
    top = logistic.drivers_table()["feature"].head(8).tolist()
    assert {"months_inactive", "aum_change", "tenure_months"} <= set(top)
    assert not {"branch_id", "gender", "industry"} & set(top)
    # an additive model: the reasons are its exact SHAP values, up to the grid's interpolation
    assert logistic.attribution_r2_ >= 0.98


def test_logistic_handles_missing_values_and_unseen_levels(logistic: ChurnScorer, demo_bank: pd.DataFrame) -> None:
    frame = demo_bank.head(20).copy()
    frame.loc[frame.index[:5], "income"] = np.nan
    frame.loc[frame.index[:5], "branch_id"] = "B99"  # a branch opened after fitting
    proba = logistic.predict_proba(frame)[:, 1]
    assert np.isfinite(proba).all() and ((proba > 0) & (proba < 1)).all()

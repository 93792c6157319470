"""The score is a probability: calibrated out of fold and on customers never seen."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import brier_score_loss, roc_auc_score

from segkit.churn import ChurnScorer, evaluate, model_card
from segkit.churn.evaluate import calibration_table, lift_capture
from segkit.config import ChurnParams

KEYS = (
    "method", "evaluated", "model", "calibration", "cv_folds", "features", "n_rows", "base_rate",
    "roc_auc", "roc_auc_folds", "pr_auc", "brier", "log_loss", "lift_top10", "capture_top10",
    "lift_top20", "capture_top20", "calibration_curve", "bands",
)  # fmt: skip


@pytest.fixture(scope="module")
def metrics(bank_scorer: ChurnScorer) -> dict:
    return evaluate(bank_scorer)


def test_out_of_fold_scores_cover_every_training_customer(bank_scorer: ChurnScorer, demo_bank: pd.DataFrame) -> None:
    n = len(demo_bank)
    assert bank_scorer.n_train_ == n and bank_scorer.oof_score_.shape == (n,)
    np.testing.assert_array_equal(bank_scorer.oof_target_, demo_bank["churned"].to_numpy(dtype=np.int64))
    assert sorted(np.unique(bank_scorer.oof_fold_)) == list(range(bank_scorer.cv))
    sizes = np.bincount(bank_scorer.oof_fold_)
    assert sizes.max() - sizes.min() <= 1
    assert ((bank_scorer.oof_score_ > 0) & (bank_scorer.oof_score_ < 1)).all()


def test_out_of_fold_mean_matches_the_churn_rate(bank_scorer: ChurnScorer) -> None:
    assert abs(bank_scorer.oof_score_.mean() - bank_scorer.oof_target_.mean()) <= 0.01
    for fold in range(bank_scorer.cv):
        inside = bank_scorer.oof_fold_ == fold
        assert abs(bank_scorer.oof_score_[inside].mean() - bank_scorer.oof_target_[inside].mean()) <= 0.02


def test_reliability_out_of_fold(metrics: dict) -> None:
    curve = metrics["calibration_curve"]
    assert len(curve) == 10 and sum(row["n"] for row in curve) == metrics["n_rows"]
    for row in curve:
        assert abs(row["mean_score"] - row["churn_rate"]) <= 0.04, row
    assert [row["mean_score"] for row in curve] == sorted(row["mean_score"] for row in curve)


def test_scores_on_new_customers_are_calibrated_and_as_good_as_promised(
    bank_scorer: ChurnScorer, fresh_bank: pd.DataFrame, metrics: dict
) -> None:
    target = fresh_bank["churned"].to_numpy(dtype=np.int64)
    score = bank_scorer.predict_proba(fresh_bank)[:, 1]
    assert abs(score.mean() - target.mean()) <= 0.015
    for row in calibration_table(target, score):
        assert abs(row["mean_score"] - row["churn_rate"]) <= 0.05, row
    # the out-of-fold AUC is an honest forecast of the AUC on new customers
    assert roc_auc_score(target, score) == pytest.approx(metrics["roc_auc"], abs=0.02)
    assert roc_auc_score(target, score) >= 0.77


def test_classes_are_not_reweighted(bank_scorer: ChurnScorer, small_bank: pd.DataFrame) -> None:
    assert all(estimator.get_params()["class_weight"] is None for estimator in bank_scorer.estimators_)
    logistic = ChurnScorer(model="logistic", cv=2).fit(small_bank)
    assert all(estimator[-1].get_params()["class_weight"] is None for estimator in logistic.estimators_)
    # a rare event stays rare: the mean probability follows the base rate, not 50%
    assert bank_scorer.base_rate_ == pytest.approx(0.18, abs=0.02)
    assert (bank_scorer.oof_score_ >= 0.5).mean() < bank_scorer.base_rate_


def test_evaluate_metrics_are_complete_and_sane(metrics: dict, bank_scorer: ChurnScorer, demo_bank: pd.DataFrame) -> None:
    assert set(KEYS) <= set(metrics)
    json.dumps(metrics)  # ready for metrics.json
    assert metrics["method"] == "model" and metrics["evaluated"] is True
    assert metrics["features"] == bank_scorer.features_
    assert metrics["n_rows"] == len(demo_bank)
    assert 0.75 <= metrics["roc_auc"] <= 0.85
    assert all(0.72 <= value <= 0.88 for value in metrics["roc_auc_folds"])
    assert metrics["base_rate"] < metrics["pr_auc"] < 1
    assert 0.09 <= metrics["brier"] <= 0.14
    assert 0.3 <= metrics["log_loss"] <= 0.45
    assert 2.5 <= metrics["lift_top10"] <= 1 / metrics["base_rate"]
    assert 1.0 < metrics["lift_top20"] < metrics["lift_top10"]
    assert metrics["capture_top10"] == pytest.approx(metrics["lift_top10"] * 0.1, rel=1e-3)
    assert metrics["capture_top10"] < metrics["capture_top20"] <= 1
    bands = {row["band"]: row for row in metrics["bands"]}
    assert sum(row["n"] for row in bands.values()) == metrics["n_rows"]
    assert bands["high"]["churn_rate"] > bands["medium"]["churn_rate"] > bands["low"]["churn_rate"]


def test_evaluate_uses_out_of_fold_scores_not_training_fit(metrics: dict, bank_scorer: ChurnScorer, demo_bank: pd.DataFrame) -> None:
    target = demo_bank["churned"].to_numpy(dtype=np.int64)
    in_sample = roc_auc_score(target, bank_scorer.predict_proba(demo_bank)[:, 1])
    assert metrics["roc_auc"] < in_sample
    assert metrics["roc_auc"] == pytest.approx(roc_auc_score(target, bank_scorer.oof_score_))


def test_evaluate_says_a_heuristic_cannot_be_evaluated(heuristic) -> None:
    result = evaluate(heuristic)
    assert result["method"] == "heuristic" and result["evaluated"] is False
    assert "no churned label" in result["note"]


@pytest.mark.parametrize("share", [0.1, 0.2])
def test_lift_and_capture_by_hand(share: float) -> None:
    target = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 1])
    score = np.linspace(1, 0, 10)  # the first rows score highest
    lift, capture = lift_capture(target, score, share)
    top = target[: int(share * 10)]
    assert lift == pytest.approx(top.mean() / target.mean())
    assert capture == pytest.approx(top.sum() / target.sum())


def test_isotonic_and_uncalibrated_options_fit(small_bank: pd.DataFrame) -> None:
    isotonic = ChurnScorer(calibration="isotonic", cv=3, max_iter=60).fit(small_bank)
    proba = isotonic.predict_proba(small_bank)[:, 1]
    assert ((proba >= 0) & (proba <= 1)).all() and isotonic.isotonic_ is not None
    assert abs(isotonic.oof_score_.mean() - isotonic.oof_target_.mean()) <= 0.02
    raw = ChurnScorer(calibration="none", cv=3, max_iter=60).fit(small_bank)
    assert raw.calibration_ == (1.0, 0.0) and raw.isotonic_ is None


def test_a_small_bank_is_cross_fitted_a_large_one_holds_out_one_fold(
    small_scorer: ChurnScorer, small_bank: pd.DataFrame, fresh_bank: pd.DataFrame, churn_params: ChurnParams
) -> None:
    # below average_members_below customers every fold's member is fitted and scores; from it only the first
    assert len(small_bank) < churn_params.average_members_below
    at_threshold = churn_params.model_copy(update={"average_members_below": len(small_bank)})
    held = ChurnScorer.from_params(at_threshold, seed=7).fit(small_bank)
    assert (small_scorer.evaluation_, held.evaluation_) == ("cross_fit", "held_out")
    assert len(small_scorer.estimators_) == small_scorer.cv and len(held.estimators_) == 1
    assert held.n_iter_ == small_scorer.n_iter_[:1]
    matrix = small_scorer._matrix(fresh_bank)
    np.testing.assert_array_equal(
        held.estimators_[0].decision_function(matrix), small_scorer.estimators_[0].decision_function(matrix)
    )
    # the test set is the first fold, the customers that member never saw, split again for the calibration
    first_fold = small_scorer.oof_fold_ == 0
    assert len(held.oof_score_) == first_fold.sum() == pytest.approx(len(small_bank) / small_scorer.cv, abs=1)
    np.testing.assert_array_equal(held.oof_target_, small_scorer.oof_target_[first_fold])
    assert sorted(np.unique(held.oof_fold_)) == list(range(held.cv))
    assert abs(held.oof_score_.mean() - held.oof_target_.mean()) <= 0.02
    measured = evaluate(held)
    assert (measured["evaluation"], measured["n_rows"]) == ("held_out", first_fold.sum())
    assert "roc_auc_folds" not in measured and evaluate(small_scorer)["evaluation"] == "cross_fit"
    card = model_card(held)
    assert (card["evaluation"], card["n_evaluated"], card["n_iter"]) == ("held_out", first_fold.sum(), held.n_iter_)
    assert (model_card(small_scorer)["evaluation"], model_card(small_scorer)["n_evaluated"]) == ("cross_fit", len(small_bank))
    # the members' mean log-odds, under the calibration fitted on their out-of-fold log-odds
    slope, intercept = small_scorer.calibration_
    matrix = small_scorer._matrix(fresh_bank)
    mean = np.mean([member.decision_function(matrix) for member in small_scorer.estimators_], axis=0)
    np.testing.assert_allclose(small_scorer.decision_function(fresh_bank), slope * mean + intercept, rtol=1e-12)
    # averaging the members has less variance than one member: better on customers never seen
    target = fresh_bank["churned"].to_numpy(dtype=np.int64)
    averaged, single = small_scorer.predict_proba(fresh_bank)[:, 1], held.predict_proba(fresh_bank)[:, 1]
    assert roc_auc_score(target, averaged) > roc_auc_score(target, single)
    assert brier_score_loss(target, averaged) < brier_score_loss(target, single)

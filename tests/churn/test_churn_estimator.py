"""ChurnScorer keeps the scikit-learn estimator contract and scores row by row."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from threadpoolctl import threadpool_info, threadpool_limits

from segkit.churn import ChurnScorer, HeuristicChurnScorer
from segkit.config import ChurnParams

SCORE_COLUMNS = [
    "churn_score",
    "churn_band",
    "value_at_risk",
    "churn_reason_1_en",
    "churn_reason_1_zh",
    "churn_reason_2_en",
    "churn_reason_2_zh",
    "churn_reason_3_en",
    "churn_reason_3_zh",
    "churn_driver_1",
    "churn_driver_2",
    "churn_driver_3",
    "churn_method",
]


def test_init_only_stores_its_parameters() -> None:
    # Nonsense values are accepted by __init__ (validation happens in fit) and stored verbatim.
    given = {"model": "forest", "cv": 1, "high": 2.0, "medium": 3.0, "calibration": "beta", "features": ("X",)}
    scorer = ChurnScorer(**given)
    assert vars(scorer) == scorer.get_params()
    assert {name: scorer.get_params()[name] for name in given} == given


def test_clone_copies_parameters_and_no_fitted_state(small_scorer: ChurnScorer, churn_params: ChurnParams) -> None:
    unfitted = ChurnScorer.from_params(churn_params, seed=3, features=("CreditScore",))
    copy = clone(unfitted)
    assert copy is not unfitted
    assert copy.get_params() == unfitted.get_params()
    refitted = clone(small_scorer)
    assert refitted.get_params() == small_scorer.get_params()
    assert not [name for name in vars(refitted) if name.endswith("_")]
    with pytest.raises(NotFittedError):
        refitted.predict_proba(pd.DataFrame({"aum": [1.0]}))


def test_fit_returns_self_and_only_adds_underscore_attributes(small_bank: pd.DataFrame) -> None:
    scorer = ChurnScorer(cv=2, max_iter=30)
    params = set(scorer.get_params())
    assert scorer.fit(small_bank) is scorer
    added = set(vars(scorer)) - params
    assert added, "fit must record fitted attributes"
    assert sorted(name for name in added if not name.endswith("_")) == []
    for name in ("features_", "estimators_", "calibration_", "oof_score_", "oof_target_", "oof_fold_", "importance_", "classes_"):
        assert name in added
    # parameters are left as given
    assert scorer.get_params() == ChurnScorer(cv=2, max_iter=30).get_params()


def test_unfitted_scorer_refuses_to_predict(small_bank: pd.DataFrame) -> None:
    with pytest.raises(NotFittedError):
        ChurnScorer().predict_proba(small_bank)
    with pytest.raises(NotFittedError):
        ChurnScorer().score(small_bank)


def test_predict_proba_is_a_probability_pair(small_scorer: ChurnScorer, small_bank: pd.DataFrame) -> None:
    proba = small_scorer.predict_proba(small_bank)
    assert proba.shape == (len(small_bank), 2)
    assert np.isfinite(proba).all()
    assert ((proba >= 0) & (proba <= 1)).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert list(small_scorer.classes_) == [0, 1]
    np.testing.assert_array_equal(small_scorer.predict(small_bank), (proba[:, 1] >= 0.5).astype(int))
    # Platt calibration: the probability is the logistic of the log-odds the reasons are measured in
    np.testing.assert_allclose(expit(small_scorer.decision_function(small_bank)), proba[:, 1], rtol=1e-12)
    # the score column is the same probability
    np.testing.assert_array_equal(small_scorer.score(small_bank)["churn_score"].to_numpy(), proba[:, 1])


def test_score_columns_and_index(small_scorer: ChurnScorer, small_bank: pd.DataFrame) -> None:
    frame = small_bank.set_index(pd.Index(np.arange(len(small_bank)) * 10 + 5))
    scored = small_scorer.score(frame)
    assert list(scored.columns) == SCORE_COLUMNS
    assert scored.index.equals(frame.index)
    assert (scored["churn_method"] == "model").all()
    assert scored["churn_score"].notna().all()


def test_same_data_and_seed_give_identical_scores(small_bank: pd.DataFrame, small_scorer: ChurnScorer, churn_params: ChurnParams) -> None:
    again = ChurnScorer.from_params(churn_params, seed=7).fit(small_bank)
    pd.testing.assert_frame_equal(again.score(small_bank), small_scorer.score(small_bank))
    np.testing.assert_array_equal(again.oof_score_, small_scorer.oof_score_)
    assert again.data_fingerprint_ == small_scorer.data_fingerprint_
    other_seed = ChurnScorer.from_params(churn_params, seed=8).fit(small_bank)
    assert not np.array_equal(other_seed.oof_score_, small_scorer.oof_score_)


def test_score_is_row_wise(bank_scorer: ChurnScorer, demo_bank: pd.DataFrame) -> None:
    whole = bank_scorer.score(demo_bank)
    cut = 7_777
    parts = pd.concat([bank_scorer.score(demo_bank.iloc[:cut]), bank_scorer.score(demo_bank.iloc[cut:])])
    pd.testing.assert_frame_equal(parts, whole)
    shuffled = demo_bank.sample(frac=1.0, random_state=1)
    pd.testing.assert_frame_equal(bank_scorer.score(shuffled).loc[whole.index], whole)
    one = demo_bank.iloc[[123]]
    pd.testing.assert_frame_equal(bank_scorer.score(one), whole.iloc[[123]])


def test_explain_is_row_wise_and_agrees_with_score(bank_scorer: ChurnScorer, demo_bank: pd.DataFrame, bank_scored: pd.DataFrame) -> None:
    head = demo_bank.iloc[:2_000]
    explained = bank_scorer.explain(head)
    pd.testing.assert_frame_equal(pd.concat([bank_scorer.explain(head.iloc[:700]), bank_scorer.explain(head.iloc[700:])]), explained)
    for rank in (1, 2, 3):
        pd.testing.assert_series_equal(
            explained[f"churn_driver_{rank}"], bank_scored[f"churn_driver_{rank}"].iloc[:2_000], check_names=False
        )
        for language in ("en", "zh"):
            pd.testing.assert_series_equal(
                explained[f"churn_reason_{rank}_{language}"], bank_scored[f"churn_reason_{rank}_{language}"].iloc[:2_000]
            )
    # impacts are ordered and above the reason threshold
    impacts = explained[["churn_impact_1", "churn_impact_2", "churn_impact_3"]].to_numpy()
    assert (np.nan_to_num(impacts[:, 0], nan=np.inf) >= np.nan_to_num(impacts[:, 1], nan=-np.inf)).all()
    assert (np.nan_to_num(impacts[:, 1], nan=np.inf) >= np.nan_to_num(impacts[:, 2], nan=-np.inf)).all()
    assert (impacts[~np.isnan(impacts)] > 0.05).all()


def test_works_inside_scikit_learn_cross_validation(small_bank: pd.DataFrame) -> None:
    scorer = ChurnScorer(cv=2, max_iter=40, random_state=0)
    proba = cross_val_predict(
        scorer, small_bank, small_bank["churned"], cv=StratifiedKFold(2, shuffle=True, random_state=0), method="predict_proba"
    )
    assert proba.shape == (len(small_bank), 2)
    assert ((proba >= 0) & (proba <= 1)).all()


def test_heuristic_keeps_the_contract(unlabelled_bank: pd.DataFrame) -> None:
    scorer = HeuristicChurnScorer(dormant_months=4, high=0.6)
    assert vars(scorer) == scorer.get_params()
    assert clone(scorer).get_params() == scorer.get_params()
    params = set(scorer.get_params())
    scorer.fit(unlabelled_bank)
    assert all(name.endswith("_") for name in set(vars(scorer)) - params)
    with pytest.raises(NotFittedError):
        HeuristicChurnScorer().score(unlabelled_bank)


def test_scoring_never_raises_an_outer_thread_limit(small_scorer: ChurnScorer, small_bank: pd.DataFrame) -> None:
    # inside a worker capped at one thread, a large batch must not fan out to every core
    scorer = copy.deepcopy(small_scorer)
    seen: list[int] = []
    inner = scorer.estimators_[0]

    class Spy:
        def decision_function(self, matrix: np.ndarray) -> np.ndarray:
            seen.extend(info["num_threads"] for info in threadpool_info())
            return inner.decision_function(matrix)

    scorer.estimators_ = [Spy()]
    large = pd.concat([small_bank] * 20, ignore_index=True)  # 60,000 rows
    with threadpool_limits(limits=1):
        scorer.predict_proba(large)
    assert seen and set(seen) == {1}
    seen.clear()
    with threadpool_limits(limits=2):  # scoring, unlike fitting, uses the threads it is given even on small batches
        scorer.predict_proba(small_bank)
    assert seen and set(seen) == {2}

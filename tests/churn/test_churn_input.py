"""Bad input gets an error that names the column, the rule and example customers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from segkit.churn import ChurnScorer, HeuristicChurnScorer, fit_churn
from segkit.config import ChurnBands, ChurnParams, FeatureLabel
from segkit.errors import DataValidationError, SegkitError

FAST = {"cv": 2, "max_iter": 30}


def test_missing_label_is_named(small_bank: pd.DataFrame) -> None:
    with pytest.raises(DataValidationError) as caught:
        ChurnScorer(**FAST).fit(small_bank.drop(columns="churned"))
    assert [problem.column for problem in caught.value.problems] == ["churned"]
    assert "churned" in str(caught.value)


@pytest.mark.parametrize(
    "bad_value",
    [2, -1, 0.5, pd.NA, "yes"],
    ids=["two", "minus-one", "half", "missing", "text"],
)
def test_label_not_0_or_1_names_column_and_customers(small_bank: pd.DataFrame, bad_value: object) -> None:
    bad_rows = [5, 17, 300]
    label = small_bank["churned"].astype("object")
    label.iloc[bad_rows] = bad_value
    frame = small_bank.assign(churned=label)
    with pytest.raises(DataValidationError) as caught:
        ChurnScorer(**FAST).fit(frame)
    (problem,) = caught.value.problems
    assert problem.column == "churned"
    assert problem.n_rows == len(bad_rows)
    expected_ids = small_bank["customer_id"].iloc[bad_rows].tolist()
    assert list(problem.examples) == expected_ids
    message = str(caught.value)
    assert "churned" in message and "0 or 1" in message
    assert all(customer in message for customer in expected_ids)


def test_label_can_be_given_as_y(small_bank: pd.DataFrame) -> None:
    from_column = ChurnScorer(**FAST).fit(small_bank)
    target = small_bank["churned"].to_numpy()
    from_y = ChurnScorer(**FAST).fit(small_bank.drop(columns="churned"), target)
    np.testing.assert_array_equal(from_y.oof_score_, from_column.oof_score_)
    assert from_y.data_fingerprint_ == from_column.data_fingerprint_
    # y wins over the frame's column, as in any scikit-learn estimator
    flipped = 1 - target
    assert ChurnScorer(**FAST).fit(small_bank, flipped).base_rate_ == pytest.approx(flipped.mean())


def test_y_of_the_wrong_length_or_values_is_a_user_error(small_bank: pd.DataFrame) -> None:
    target = small_bank["churned"].to_numpy()
    with pytest.raises(SegkitError, match="y has 10 labels for 3000 customers"):
        ChurnScorer(**FAST).fit(small_bank, target[:10])
    bad = target.astype(float)
    bad[[4, 9]] = 0.5
    with pytest.raises(DataValidationError) as caught:
        ChurnScorer(**FAST).fit(small_bank, bad)
    (problem,) = caught.value.problems
    assert problem.n_rows == 2 and list(problem.examples) == small_bank["customer_id"].iloc[[4, 9]].tolist()


def test_label_as_text_zero_and_one_is_accepted(small_bank: pd.DataFrame) -> None:
    # a CSV read as text still carries a usable label
    frame = small_bank.assign(churned=small_bank["churned"].astype("str"))
    scorer = ChurnScorer(**FAST).fit(frame)
    assert scorer.base_rate_ == pytest.approx(small_bank["churned"].mean())


@pytest.mark.parametrize("churners", [0, 1, 4])
def test_too_few_churners_is_a_user_error(small_bank: pd.DataFrame, churners: int) -> None:
    label = np.zeros(len(small_bank), dtype=np.int64)
    label[:churners] = 1
    with pytest.raises(SegkitError, match=rf"got {churners} churned"):
        ChurnScorer(cv=5).fit(small_bank.assign(churned=label))


def test_too_few_retained_is_a_user_error(small_bank: pd.DataFrame) -> None:
    label = np.ones(len(small_bank), dtype=np.int64)
    label[:2] = 0
    with pytest.raises(SegkitError, match="2 retained"):
        ChurnScorer(cv=3).fit(small_bank.assign(churned=label))


@pytest.mark.parametrize(
    ("high", "medium"),
    [(0.2, 0.5), (0.3, 0.3), (1.0, 0.2), (0.5, 0.0), (0.5, -0.1)],
)
def test_bad_band_cut_points_are_rejected(small_bank: pd.DataFrame, unlabelled_bank: pd.DataFrame, high: float, medium: float) -> None:
    with pytest.raises(ValidationError):
        ChurnBands(high=high, medium=medium)
    with pytest.raises(SegkitError, match="band cut points"):
        ChurnScorer(high=high, medium=medium, **FAST).fit(small_bank)
    with pytest.raises(SegkitError, match="band cut points"):
        HeuristicChurnScorer(high=high, medium=medium).fit(unlabelled_bank)


def test_feature_labels_need_both_languages() -> None:
    with pytest.raises(ValidationError, match="zh"):
        ChurnParams.model_validate({"labels": {"CreditScore": {"en": "credit score"}}})
    scorer = ChurnScorer.from_params(ChurnParams.model_validate({"labels": {"CreditScore": {"en": "credit score", "zh": "信用评分"}}}))
    assert scorer.labels == {"CreditScore": ("credit score", "信用评分")}


def test_the_reason_language_is_not_a_churn_setting() -> None:
    # every reason is written in both languages; the report's language picks one
    with pytest.raises(ValidationError, match="language"):
        ChurnParams.model_validate({"language": "en"})


def test_band_params_are_validated_when_loaded() -> None:
    with pytest.raises(ValidationError, match="medium"):
        ChurnParams.model_validate({"bands": {"high": 0.3, "medium": 0.4}})
    assert ChurnParams.model_validate({"bands": {"high": 0.7, "medium": 0.1}}).bands.high == 0.7


@pytest.mark.parametrize(
    ("setting", "word"),
    [
        ({"model": "forest"}, "model"),
        ({"calibration": "beta"}, "calibration"),
        ({"cv": 1}, "cv"),
        ({"average_members_below": -1}, "average_members_below"),
        ({"labels": {"CreditScore": "credit score"}}, "CreditScore"),
        ({"labels": ["CreditScore"]}, "labels"),
    ],
)
def test_bad_settings_are_rejected_in_fit(small_bank: pd.DataFrame, setting: dict, word: str) -> None:
    with pytest.raises(SegkitError, match=word):
        ChurnScorer(**{**FAST, **setting}).fit(small_bank)



def test_not_a_dataframe_is_a_user_error(small_scorer: ChurnScorer, small_bank: pd.DataFrame) -> None:
    with pytest.raises(SegkitError, match="DataFrame"):
        ChurnScorer(**FAST).fit(small_bank.to_numpy())
    with pytest.raises(SegkitError, match="DataFrame"):
        small_scorer.score(small_bank.to_numpy())
    with pytest.raises(SegkitError, match="DataFrame"):
        HeuristicChurnScorer().fit(small_bank.to_numpy())


def test_scoring_without_a_model_feature_names_it(small_scorer: ChurnScorer, small_bank: pd.DataFrame) -> None:
    assert "months_inactive" in small_scorer.features_ and "age" in small_scorer.features_
    with pytest.raises(DataValidationError) as caught:
        small_scorer.score(small_bank.drop(columns=["months_inactive", "age"]))
    assert sorted(problem.column for problem in caught.value.problems) == ["age", "months_inactive"]
    assert "months_inactive" in str(caught.value) and "age" in str(caught.value)


def test_scoring_without_the_input_of_a_derived_feature_names_both(small_scorer: ChurnScorer, small_bank: pd.DataFrame) -> None:
    assert "aum_change" in small_scorer.features_
    with pytest.raises(DataValidationError) as caught:
        small_scorer.predict_proba(small_bank.drop(columns="aum_prev"))
    message = str(caught.value)
    assert "aum_change" in message and "aum_prev" in message


def test_scoring_does_not_need_the_label_or_extra_columns(small_scorer: ChurnScorer, small_bank: pd.DataFrame) -> None:
    needed = [name for name in small_scorer.features_ if name in small_bank] + ["aum_prev", "customer_id"]
    slim = small_bank[list(dict.fromkeys(needed))]
    pd.testing.assert_series_equal(small_scorer.score(slim)["churn_score"], small_scorer.score(small_bank)["churn_score"])


def test_absent_optional_columns_are_skipped_not_fatal(small_bank: pd.DataFrame, churn_params: ChurnParams) -> None:
    minimal = small_bank[["customer_id", "branch_id", "aum", "age", "n_products", "churned"]]
    scorer = fit_churn(minimal, churn_params, seed=1)
    assert isinstance(scorer, ChurnScorer)
    assert scorer.features_ == ["branch_id", "aum", "age", "n_products"]
    assert scorer.score(minimal)["churn_score"].between(0, 1).all()


def test_declared_extra_features_are_used_and_absent_ones_skipped(small_bank: pd.DataFrame, churn_params: ChurnParams) -> None:
    rng = np.random.default_rng(0)
    frame = small_bank.assign(
        CreditScore=rng.integers(350, 850, len(small_bank)),
        Segment=pd.Series(rng.choice(["a", "b", "c"], len(small_bank)), index=small_bank.index, dtype="str"),
        Active=rng.integers(0, 2, len(small_bank)),
    )
    params = churn_params.model_copy(update={"labels": {"Active": FeatureLabel(en="active member", zh="活跃客户")}})
    scorer = fit_churn(frame, params, seed=1, features=["CreditScore", "Segment", "Active", "NotThere"])
    assert {"CreditScore", "Segment", "Active"} <= set(scorer.features_)
    assert "NotThere" not in scorer.features_
    kinds = dict(zip(scorer.features_, scorer.categorical_, strict=True))
    assert kinds["CreditScore"] is False and kinds["Segment"] is True and kinds["Active"] is False
    # a 0/1 extra column is a flag (its reasons read yes / no); canonical flags have their own words
    assert scorer.binary_ == ["Active"]
    drivers = scorer.drivers_table().set_index("feature")
    assert tuple(drivers.loc["Active", ["label_en", "label_zh"]]) == ("active member", "活跃客户")
    assert tuple(drivers.loc["CreditScore", ["label_en", "label_zh"]]) == ("CreditScore", "CreditScore")
    # undeclared extra columns are not features
    assert "name" not in scorer.features_ and "phone" not in scorer.features_
    assert "customer_id" not in scorer.features_ and "churned" not in scorer.features_

"""Without a ``churned`` label: a transparent, monotone early warning with the same columns."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from segkit.churn import ChurnScorer, HeuristicChurnScorer, fit_churn, model_card
from segkit.config import ChurnParams

COLUMNS = [
    "churn_score", "churn_band", "value_at_risk",
    "churn_reason_1_en", "churn_reason_1_zh", "churn_reason_2_en", "churn_reason_2_zh", "churn_reason_3_en", "churn_reason_3_zh",
    "churn_driver_1", "churn_driver_2", "churn_driver_3", "churn_method",
]  # fmt: skip
REQUIRED = ["customer_id", "branch_id", "aum"]


def _customer(**values: object) -> pd.DataFrame:
    """One customer with every signal column (no sign of churn unless given)."""
    row = {
        "customer_id": "C1", "branch_id": "B01", "aum": 100_000.0, "aum_prev": 100_000.0,
        "months_inactive": 0, "n_products": 4, "has_contact": True, "contacts_12m": 3, "txn_count_3m": 10,
    }  # fmt: skip
    row.update(values)
    return pd.DataFrame({name: [value] for name, value in row.items()})


@pytest.fixture(scope="module")
def scored(heuristic: HeuristicChurnScorer, small_bank: pd.DataFrame) -> pd.DataFrame:
    return heuristic.score(small_bank)


def test_without_label_fit_churn_returns_the_heuristic(unlabelled_bank: pd.DataFrame, churn_params: ChurnParams) -> None:
    scorer = fit_churn(unlabelled_bank, churn_params, seed=3, features=["CreditScore"])
    assert isinstance(scorer, HeuristicChurnScorer)
    assert scorer.signals_ == ["inactivity", "assets_falling", "few_products", "contact_lost"]
    assert sum(scorer.weights_.values()) == pytest.approx(1.0)


def test_same_columns_as_the_model_and_labelled_heuristic(scored: pd.DataFrame, small_scorer: ChurnScorer, small_bank: pd.DataFrame) -> None:
    model_scored = small_scorer.score(small_bank)
    assert list(scored.columns) == COLUMNS == list(model_scored.columns)
    assert scored.dtypes.equals(model_scored.dtypes)
    assert (scored["churn_method"] == "heuristic").all()
    assert scored["churn_score"].between(0, 1).all()
    np.testing.assert_array_equal(scored["value_at_risk"], scored["churn_score"] * small_bank["aum"].astype(float))
    assert set(scored["churn_band"]) == {"high", "medium", "low"}


def test_the_early_warning_ranks_churners_first(heuristic: HeuristicChurnScorer, demo_bank: pd.DataFrame) -> None:
    risk = heuristic.risk(demo_bank.drop(columns="churned"))
    assert roc_auc_score(demo_bank["churned"].to_numpy(dtype=int), risk) >= 0.68


def test_every_sign_at_full_strength_is_the_highest_risk(heuristic: HeuristicChurnScorer) -> None:
    worst = _customer(aum=60_000.0, aum_prev=200_000.0, months_inactive=9, n_products=1, has_contact=False)
    scored = heuristic.score(worst)
    assert scored["churn_score"].iloc[0] == pytest.approx(1.0)
    assert scored["churn_band"].iloc[0] == "high"
    assert scored["value_at_risk"].iloc[0] == pytest.approx(60_000.0)
    none = heuristic.score(_customer())
    assert none["churn_score"].iloc[0] == 0.0 and none["churn_band"].iloc[0] == "low"
    assert none[["churn_reason_1_en", "churn_reason_1_zh"]].isna().all().all()


def test_reasons_say_which_sign_in_both_languages(heuristic: HeuristicChurnScorer) -> None:
    customer = _customer(aum=50_000.0, aum_prev=100_000.0, months_inactive=4, n_products=2, has_contact=False)
    row = heuristic.score(customer).iloc[0]
    # strongest first: a 50% fall (0.3 x 1), 4 of 6 months (0.4 x 2/3), no contact (0.15 x 1), 2 products (0.15 x 0.5)
    assert row["churn_score"] == pytest.approx(0.3 + 0.4 * 4 / 6 + 0.15 + 0.15 * 0.5)
    expected = [
        ("assets_falling", "assets down 50% on the previous period", "资产较上期下降50%"),
        ("inactivity", "inactive 4 of the last 12 months", "近12个月中4个月无交易"),
        ("contact_lost", "no usable contact details", "无有效联系方式"),
    ]
    for rank, (driver, en, zh) in enumerate(expected, start=1):
        assert (row[f"churn_driver_{rank}"], row[f"churn_reason_{rank}_en"], row[f"churn_reason_{rank}_zh"]) == (driver, en, zh)
    explained = heuristic.explain(customer).iloc[0]
    assert explained["churn_reason_2_zh"] == row["churn_reason_2_zh"]
    few = heuristic.score(_customer(n_products=2)).iloc[0]
    first = (few["churn_driver_1"], few["churn_reason_1_en"], few["churn_reason_1_zh"])
    assert first == ("few_products", "only 2 products", "仅持有2个产品")


def test_a_negligible_sign_is_not_a_reason(heuristic: HeuristicChurnScorer) -> None:
    row = heuristic.score(_customer(aum=99_600.0)).iloc[0]
    assert row["churn_score"] > 0
    assert pd.isna(row["churn_reason_1_en"]) and pd.isna(row["churn_reason_1_zh"])


@settings(max_examples=150, deadline=None)
@given(
    low=st.integers(0, 12),
    high=st.integers(0, 12),
    fall=st.floats(-1.0, 3.0),
    held=st.integers(0, 8),
    contact=st.booleans(),
)
def test_more_inactivity_never_lowers_risk(
    heuristic: HeuristicChurnScorer, low: int, high: int, fall: float, held: int, contact: bool
) -> None:
    low, high = min(low, high), max(low, high)
    base = {"aum": 100_000.0 * (1 + fall) if fall > -1 else 0.0, "n_products": held, "has_contact": contact}
    less = heuristic.risk(_customer(months_inactive=low, **base))[0]
    more = heuristic.risk(_customer(months_inactive=high, **base))[0]
    assert more >= less


@settings(max_examples=150, deadline=None)
@given(
    small=st.floats(0.0, 1.0),
    large=st.floats(0.0, 1.0),
    fewer=st.integers(0, 8),
    extra=st.integers(0, 8),
    months=st.integers(0, 12),
)
def test_a_bigger_fall_fewer_products_or_lost_contact_never_lower_risk(
    heuristic: HeuristicChurnScorer, small: float, large: float, fewer: int, extra: int, months: int
) -> None:
    small, large = min(small, large), max(small, large)
    risk = heuristic.risk
    assert risk(_customer(aum=100_000.0 * (1 - large), months_inactive=months))[0] >= risk(
        _customer(aum=100_000.0 * (1 - small), months_inactive=months)
    )[0]
    assert risk(_customer(n_products=fewer, months_inactive=months))[0] >= risk(
        _customer(n_products=fewer + extra, months_inactive=months)
    )[0]
    assert risk(_customer(has_contact=False, months_inactive=months))[0] >= risk(_customer(months_inactive=months))[0]


def test_risk_is_row_wise(heuristic: HeuristicChurnScorer, small_bank: pd.DataFrame, scored: pd.DataFrame) -> None:
    parts = pd.concat([heuristic.score(small_bank.iloc[:1234]), heuristic.score(small_bank.iloc[1234:])])
    pd.testing.assert_frame_equal(parts, scored)


@pytest.mark.parametrize(
    ("columns", "signals"),
    [
        (["months_inactive"], ["inactivity"]),
        (["txn_count_3m"], ["inactivity"]),
        (["aum_prev"], ["assets_falling"]),
        (["n_products"], ["few_products"]),
        (["contacts_12m"], ["contact_lost"]),
        (["txn_count_3m", "n_products", "contacts_12m"], ["inactivity", "few_products", "contact_lost"]),
    ],
)
def test_works_with_whatever_signal_columns_exist(
    unlabelled_bank: pd.DataFrame, churn_params: ChurnParams, columns: list[str], signals: list[str]
) -> None:
    frame = unlabelled_bank[REQUIRED + columns]
    scorer = fit_churn(frame, churn_params)
    assert isinstance(scorer, HeuristicChurnScorer)
    assert scorer.signals_ == signals
    scored = scorer.score(frame)
    assert list(scored.columns) == COLUMNS
    assert scored["churn_score"].between(0, 1).all()
    assert scored["churn_score"].max() > 0
    assert set(scored["churn_driver_1"].dropna()) <= set(signals)


def test_missing_values_count_as_no_sign(heuristic: HeuristicChurnScorer) -> None:
    frame = _customer(months_inactive=pd.NA, aum_prev=np.nan, n_products=pd.NA, has_contact=pd.NA)
    frame = frame.astype({"months_inactive": "Int64", "n_products": "Int64", "has_contact": "boolean"})
    assert heuristic.risk(frame)[0] == 0.0


def test_no_signal_column_warns_and_scores_missing(small_bank: pd.DataFrame, churn_params: ChurnParams) -> None:
    frame = small_bank[REQUIRED]
    with pytest.warns(UserWarning, match="months_inactive"):
        scorer = fit_churn(frame, churn_params)
    scored = scorer.score(frame)
    assert list(scored.columns) == COLUMNS
    assert scored["churn_score"].isna().all() and scored["churn_band"].isna().all()
    assert (scored["churn_method"] == "heuristic").all()


def test_weights_and_dormancy_come_from_params(unlabelled_bank: pd.DataFrame) -> None:
    params = ChurnParams.model_validate(
        {"heuristic": {"inactivity": 1.0, "assets_falling": 0.0, "few_products": 0.0, "contact_lost": 0.0}, "dormant": {"months_inactive": 4}}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scorer = fit_churn(unlabelled_bank, params)
    assert scorer.signals_ == ["inactivity"] and scorer.weights_ == {"inactivity": 1.0}
    months = unlabelled_bank["months_inactive"].to_numpy(dtype=float)
    np.testing.assert_allclose(scorer.risk(unlabelled_bank), np.clip(months / 4, 0, 1))


def test_scoring_a_snapshot_without_a_fitted_signal_is_an_error(heuristic: HeuristicChurnScorer, small_bank: pd.DataFrame) -> None:
    with pytest.raises(Exception, match="inactivity"):
        heuristic.score(small_bank.drop(columns=["months_inactive", "txn_count_3m"]))


def test_card_says_heuristic(heuristic: HeuristicChurnScorer) -> None:
    card = model_card(heuristic)
    assert card["method"] == "heuristic"
    assert card["signals"] == heuristic.signals_
    assert [driver["feature"] for driver in card["drivers"]] == ["inactivity", "assets_falling", "few_products", "contact_lost"]

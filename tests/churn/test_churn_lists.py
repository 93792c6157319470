"""Bands, value at risk and the call lists built from them."""

from __future__ import annotations

import copy
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.churn import ChurnScorer, dormant_list, retention_list
from segkit.churn.lists import is_dormant
from segkit.churn.output import bands
from segkit.config import ChurnParams, load_params
from segkit.errors import SegkitError
from segkit.rules import apply_rules

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scored(small_bank: pd.DataFrame, small_scorer: ChurnScorer) -> pd.DataFrame:
    """The small bank with tiers (default rules) and churn columns, as the pipeline builds it."""
    params = load_params(REPO / "params" / "default.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ruled = pd.concat([small_bank, apply_rules(small_bank, params)], axis=1)
    return pd.concat([ruled, small_scorer.score(ruled)], axis=1)


def test_bands_follow_the_cut_points_at_the_boundaries() -> None:
    score = np.array([0.0, 0.199999, 0.2, 0.3, 0.499999, 0.5, 0.9, 1.0, np.nan])
    assert bands(score, 0.5, 0.2).tolist() == ["low", "low", "medium", "medium", "medium", "high", "high", "high", None]


@settings(max_examples=200, deadline=None)
@given(
    score=st.floats(0, 1),
    cuts=st.tuples(st.floats(0.01, 0.98), st.floats(0.01, 0.98)).filter(lambda pair: pair[0] < pair[1]),
)
def test_band_rule(score: float, cuts: tuple[float, float]) -> None:
    medium, high = cuts
    (band,) = bands(np.array([score]), high, medium)
    assert band == ("high" if score >= high else "medium" if score >= medium else "low")


def test_band_cut_points_come_from_params(small_bank: pd.DataFrame, small_scorer: ChurnScorer) -> None:
    params = ChurnParams.model_validate({"bands": {"high": 0.3, "medium": 0.1}})
    moved = ChurnScorer.from_params(params, seed=7).fit(small_bank)
    assert (moved.high, moved.medium) == (0.3, 0.1)
    before, after = small_scorer.score(small_bank), moved.score(small_bank)
    # same model, same scores: only the bands move
    pd.testing.assert_series_equal(before["churn_score"], after["churn_score"])
    score = after["churn_score"].to_numpy()
    assert (after["churn_band"].to_numpy() == bands(score, 0.3, 0.1)).all()
    assert (before["churn_band"].to_numpy() == bands(score, 0.5, 0.2)).all()
    assert (before["churn_band"] != after["churn_band"]).sum() > 100
    assert (after["churn_band"] == "high").sum() > (before["churn_band"] == "high").sum()


def test_bands_move_without_refitting(small_scorer: ChurnScorer, small_bank: pd.DataFrame) -> None:
    stricter = copy.deepcopy(small_scorer).set_params(high=0.8, medium=0.6)
    banded = stricter.score(small_bank)
    assert set(banded.loc[banded["churn_score"] < 0.6, "churn_band"]) <= {"low"}
    assert (banded.loc[banded["churn_score"] >= 0.8, "churn_band"] == "high").all()


def test_value_at_risk_is_score_times_assets(scored: pd.DataFrame) -> None:
    expected = scored["churn_score"].to_numpy() * scored["aum"].to_numpy(dtype=float)
    np.testing.assert_array_equal(scored["value_at_risk"].to_numpy(), expected)
    assert (scored["value_at_risk"] >= 0).all()
    assert (scored["value_at_risk"] <= scored["aum"]).all()


def test_value_at_risk_is_zero_without_assets(small_scorer: ChurnScorer, small_bank: pd.DataFrame) -> None:
    broke = small_bank.head(50).assign(aum=0.0)
    assert (small_scorer.score(broke)["value_at_risk"] == 0).all()


def test_retention_list_ranks_by_value_at_risk(scored: pd.DataFrame) -> None:
    listed = retention_list(scored, n=50)
    assert len(listed) == 50
    assert listed["rank"].tolist() == list(range(1, 51))
    assert listed.columns.tolist() == [
        "rank", "customer_id", "branch_id", "manager_id", "tier", "vip_level", "aum", "churn_score", "churn_band",
        "value_at_risk", "churn_reason_1_zh", "churn_reason_2_zh", "churn_reason_3_zh", "churn_method",
    ]  # fmt: skip
    assert (np.diff(listed["value_at_risk"].to_numpy()) <= 0).all()
    assert set(listed["churn_band"]) <= {"high", "medium"}
    eligible = scored[scored["churn_band"].isin(["high", "medium"])]
    expected = eligible.sort_values("value_at_risk", ascending=False, kind="stable")["customer_id"].head(50)
    assert listed["customer_id"].tolist() == expected.tolist()
    # each row keeps its own customer's facts
    facts = scored.set_index("customer_id").loc[listed["customer_id"]]
    for column in ("tier", "manager_id", "churn_reason_1_zh", "value_at_risk"):
        pd.testing.assert_series_equal(listed[column], facts[column].reset_index(drop=True), check_names=False)
    assert listed["churn_reason_1_zh"].notna().mean() > 0.9
    assert listed["churn_reason_1_zh"].dropna().str.contains(r"[\u4e00-\u9fff]").all()


def test_lists_give_the_reasons_in_the_language_asked_for(scored: pd.DataFrame) -> None:
    chinese, english = retention_list(scored, n=50), retention_list(scored, n=50, language="en")
    assert english["customer_id"].tolist() == chinese["customer_id"].tolist()
    assert [c for c in english.columns if c.startswith("churn_reason")] == ["churn_reason_1_en", "churn_reason_2_en", "churn_reason_3_en"]
    reasons = english["churn_reason_1_en"].dropna()
    assert len(reasons) > 40 and not reasons.str.contains(r"[\u4e00-\u9fff]").any()
    # the same customer's same reason, worded in each language
    assert (english["churn_reason_1_en"].notna() == chinese["churn_reason_1_zh"].notna()).all()
    dormant = dormant_list(scored, language="en")
    assert "churn_reason_1_en" in dormant and "churn_reason_1_zh" not in dormant
    own = scored.set_index("customer_id").loc[dormant["customer_id"], "churn_reason_1_en"]
    pd.testing.assert_series_equal(dormant["churn_reason_1_en"], own.reset_index(drop=True), check_names=False)


@pytest.mark.parametrize("make_list", [retention_list, dormant_list])
def test_lists_reject_an_unknown_language(scored: pd.DataFrame, make_list) -> None:
    with pytest.raises(SegkitError, match="language.*'fr'"):
        make_list(scored, language="fr")


def test_retention_list_filters_bands_and_keeps_everyone_when_asked(scored: pd.DataFrame) -> None:
    high = retention_list(scored, n=None, bands=("high",))
    assert len(high) == (scored["churn_band"] == "high").sum()
    assert set(high["churn_band"]) == {"high"}
    everyone = retention_list(scored, n=None, bands=("high", "medium", "low"))
    assert len(everyone) == len(scored)
    assert sorted(everyone["customer_id"]) == sorted(scored["customer_id"])


def test_retention_list_breaks_ties_by_customer_id() -> None:
    frame = pd.DataFrame(
        {
            "customer_id": pd.Series(["C3", "C1", "C2"], dtype="str"),
            "aum": [100.0, 100.0, 100.0],
            "churn_score": [0.6, 0.6, 0.6],
            "churn_band": pd.Series(["high"] * 3, dtype="str"),
            "value_at_risk": [60.0, 60.0, 60.0],
        }
    )
    assert retention_list(frame)["customer_id"].tolist() == ["C1", "C2", "C3"]


def test_retention_list_needs_scores(small_bank: pd.DataFrame) -> None:
    with pytest.raises(SegkitError, match="churn_score"):
        retention_list(small_bank)


def test_dormant_list_follows_the_params_rule(scored: pd.DataFrame, churn_params: ChurnParams) -> None:
    rule = churn_params.dormant
    assert (rule.months_inactive, rule.min_aum) == (6, 10_000.0)
    listed = dormant_list(scored, rule.months_inactive, rule.min_aum)
    months = scored["months_inactive"].astype("float64")
    aum = scored["aum"].astype("float64")
    expected = scored.loc[(months >= 6) & (aum >= 10_000), "customer_id"]
    assert len(expected) > 10
    assert sorted(listed["customer_id"]) == sorted(expected)
    assert (listed["months_inactive"] >= 6).all() and (listed["aum"] >= 10_000).all()
    assert (np.diff(listed["aum"].to_numpy()) <= 0).all()
    expected_columns = ["customer_id", "branch_id", "manager_id", "tier", "vip_level", "aum", "months_inactive",
                        "churn_score", "churn_band", "churn_reason_1_zh"]  # fmt: skip
    assert listed.columns.tolist() == expected_columns
    # a looser rule lists more customers, a stricter one fewer
    assert len(dormant_list(scored, 3, 1_000.0)) > len(listed) > len(dormant_list(scored, 10, 100_000.0))


def test_dormant_customers_must_still_hold_assets() -> None:
    frame = pd.DataFrame(
        {
            "customer_id": pd.Series(["A", "B", "C", "D", "E"], dtype="str"),
            "aum": [50_000.0, 0.0, 9_999.0, 20_000.0, 20_000.0],
            "months_inactive": pd.array([12, 12, 12, 5, pd.NA], dtype="Int64"),
        }
    )
    assert is_dormant(frame, 6, 10_000.0).tolist() == [True, False, False, False, False]
    assert is_dormant(frame, 6, 0.0).tolist() == [True, False, True, False, False]
    assert dormant_list(frame)["customer_id"].tolist() == ["A"]


def test_dormant_list_without_inactivity_is_empty_with_a_warning(scored: pd.DataFrame) -> None:
    with pytest.warns(UserWarning, match="months_inactive"):
        listed = dormant_list(scored.drop(columns="months_inactive"))
    assert listed.empty
    assert "customer_id" in listed.columns

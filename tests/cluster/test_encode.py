"""Feature encoding: log money, robust scaling, imputation, one-hot categories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.cluster.encode import CLIP, FeatureEncoder
from segkit.errors import SegkitError


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "aum": [0.0, 10.0, 100.0, 1_000.0, 10_000.0, np.nan],
            "age": pd.array([20, 30, 40, 50, 60, pd.NA], dtype="Int64"),
            "has_fund": [True, False, False, True, False, False],
            "credit_card": pd.Series(["none", "active", "active", None, "inactive", "none"], dtype="str"),
        }
    )


def test_money_is_log_scaled_then_robustly_scaled_and_missing_becomes_the_median():
    data = frame()
    encoder = FeatureEncoder(["aum", "age"]).fit(data)
    X = encoder.transform(data)
    logs = np.log1p(data["aum"].dropna().to_numpy())
    q25, median, q75 = np.quantile(logs, [0.25, 0.5, 0.75])
    np.testing.assert_allclose(X[:5, 0], (logs - median) / (q75 - q25))
    assert X[5, 0] == 0.0 and X[5, 1] == 0.0  # missing -> median -> 0
    np.testing.assert_allclose(X[:5, 1], (np.array([20, 30, 40, 50, 60]) - 40) / 20)


def test_flags_stay_zero_one_and_missing_flags_become_the_share():
    data = frame().assign(has_fund=pd.array([True, False, None, True, False, False], dtype="boolean"))
    encoder = FeatureEncoder(["has_fund"]).fit(data)
    assert encoder.kinds_ == ["binary"]
    np.testing.assert_allclose(encoder.transform(data)[:, 0], [1, 0, 0.4, 1, 0, 0])


def test_categories_are_one_hot_with_unseen_and_missing_levels_all_zero():
    data = frame()
    encoder = FeatureEncoder(["credit_card"]).fit(data)
    assert encoder.kinds_ == ["categorical"]
    # most frequent first, ties by name
    assert encoder.columns_ == ["credit_card=active", "credit_card=none", "credit_card=inactive"]
    new = pd.DataFrame({"credit_card": pd.Series(["active", "gold", None], dtype="str")})
    X = encoder.transform(new)
    # two different levels are one unit apart in squared distance
    np.testing.assert_allclose(X[0], [1 / np.sqrt(2), 0, 0])
    np.testing.assert_allclose(X[1:], 0.0)


def test_constant_features_are_dropped_with_a_warning():
    data = frame().assign(region="north", ones=1.0)
    with pytest.warns(UserWarning, match="region, ones"):
        encoder = FeatureEncoder(["age", "region", "ones"]).fit(data)
    assert encoder.features_ == ["age"]


def test_extreme_values_are_clipped():
    data = pd.DataFrame({"age": [30.0, 31.0, 32.0, 33.0, 1e9]})
    X = FeatureEncoder(["age"]).fit(data).transform(data)
    assert X.max() == CLIP


def test_missing_columns_are_named():
    encoder = FeatureEncoder(["age", "aum"]).fit(frame())
    with pytest.raises(SegkitError, match="aum"):
        encoder.transform(frame().drop(columns="aum"))
    with pytest.raises(SegkitError, match="income"):
        FeatureEncoder(["age", "income"]).fit(frame())


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=12))
def test_each_row_is_encoded_on_its_own(rows):
    """Encoding is row-wise: any subset of rows encodes as the same rows of the whole."""
    data = frame()
    encoder = FeatureEncoder(["aum", "age", "has_fund", "credit_card"]).fit(data)
    whole = encoder.transform(data)
    np.testing.assert_array_equal(encoder.transform(data.iloc[rows]), whole[rows])

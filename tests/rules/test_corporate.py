"""Corporate levels and the loan-customer review 回头看."""

from __future__ import annotations

import pandas as pd
import pytest
from rules_helpers import customers

from segkit.rules import corporate_level, corporate_review


@pytest.mark.parametrize(
    ("deposits", "level"), [(4_999_999.99, "general"), (5_000_000, "mid"), (9_999_999, "mid"), (10_000_000, "high_end")]
)
def test_corporate_level_boundaries(params, deposits, level):
    frame = customers([{"customer_type": "corporate", "deposits": deposits}])
    assert corporate_level(frame, params.schemes.corporate).iloc[0] == level


def test_only_corporate_customers_get_a_level(params):
    frame = customers([{"customer_type": "retail", "deposits": 1e8}, {"customer_type": "corporate", "deposits": None}])
    assert corporate_level(frame, params.schemes.corporate).isna().all()


def test_review_lists_customers_below_standard_and_ranks_branches(params):
    frame = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C", "D", "E", "F"],
            "branch_id": ["B1", "B1", "B1", "B2", "B2", "B3"],
            "fund_return_rate": [0.70, 0.69, 0.50, 0.90, None, 0.95],
            "financing_share": [None, None, 0.40, None, None, None],   # C is one of several lenders: 40% is enough
            "e_products": [2, 3, 2, 1, 4, 5],
            "has_loan": [True, True, True, True, True, False],
        }
    )
    review = corporate_review(frame, params)
    below = review.customers.set_index("customer_id")
    assert below.index.tolist() == ["B", "D", "E"]
    assert below.loc["B", "below_fund_return"] and not below.loc["B", "below_e_products"]
    assert below.loc["D", "below_e_products"] and not below.loc["D", "below_fund_return"]
    assert below.loc["E", "below_fund_return"]  # a missing rate does not meet the standard
    branches = review.branches.set_index("branch_id")
    assert branches.loc["B1", ["reviewed", "meeting"]].tolist() == [3, 2]
    assert branches.loc["B3", "progress"] == 1.0 and branches.loc["B3", "rank"] == 1
    assert branches.loc["B2", "progress"] == 0.0 and branches["bottom_five"].tolist() == [False, True, False]


def test_review_covers_corporate_borrowers_only(params):
    frame = customers(
        [
            {"customer_type": "corporate", "has_loan": True, "fund_return_rate": 0.8, "e_products": 2},
            {"customer_type": "corporate", "has_loan": True, "fund_return_rate": None, "e_products": 3},
            {"customer_type": "corporate", "has_loan": False, "fund_return_rate": None, "e_products": 0},
            {"customer_type": "retail", "has_loan": True, "fund_return_rate": None, "e_products": None},
        ]
    )
    review = corporate_review(frame, params)
    assert review.customers["customer_id"].tolist() == ["C001"]
    assert review.branches[["reviewed", "meeting"]].iloc[0].tolist() == [2, 1]


def test_review_without_corporate_columns_is_empty(params):
    review = corporate_review(customers([{"aum": 1}]), params)
    assert review.customers.empty and review.branches.empty
    assert "below_fund_return" in review.customers.columns and "rank" in review.branches.columns

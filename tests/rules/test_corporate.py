"""Corporate levels and the loan-customer review 回头看."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from rules_helpers import ROOT, customers

from segkit.errors import ParamsError
from segkit.rules import corporate_level, corporate_review, load_scheme, scheme_table


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
    assert review.managers.empty and "manager_id" in review.managers.columns
    assert "below_fund_return" in review.customers.columns and "rank" in review.branches.columns


def test_gold_and_high_end_are_also_reached_by_rule(params):
    scheme = params.schemes.corporate
    assert scheme.codes == ["general", "mid", "high_end", "gold"]
    frame = customers(
        [
            {"deposits": 1_000, "n_products": 5},                           # multi-product partner
            {"deposits": 1_000, "high_potential": True},                    # high-potential firm
            {"deposits": 6_000_000, "head_office_relationship": True},      # 总对总
            {"deposits": 20_000_000, "annual_fee_income": 1_000_000},       # highest revenue
            {"deposits": 20_000_000, "annual_fee_income": 999_999},
            {"deposits": None, "head_office_relationship": True},
            {"deposits": 6_000_000, "n_products": 4},
        ],
        customer_type="corporate", n_products=1, high_potential=False, head_office_relationship=False, annual_fee_income=0,
    )
    levels = corporate_level(frame, scheme)
    assert levels.tolist() == ["high_end", "high_end", "gold", "gold", "high_end", "gold", "mid"]
    assert levels.cat.ordered and levels.cat.categories.tolist() == scheme.codes


def test_every_corporate_level_has_an_owner(params):
    scheme = params.schemes.corporate
    owners = {band.code: band.owner for band in scheme.bands} | {level.code: level.owner for level in scheme.by_rule if level.owner}
    assert set(owners) == set(scheme.codes) and all(owners.values())
    assert owners["general"].zh == "客户经理" and "branch president" in owners["gold"].en


@pytest.mark.parametrize(
    ("level", "message"),
    [
        ({"code": "platinum", "when": {"column": "x", "op": "==", "value": 1}}, "'platinum' is not a band, so it needs 'zh' and 'en'"),
        ({"code": "mid", "zh": "中", "en": "Mid", "when": {"column": "x", "op": "==", "value": 1}}, "'mid' is a band"),
    ],
)
def test_bad_rule_levels_are_rejected(tmp_path, level, message):
    raw = yaml.safe_load((ROOT / "params" / "schemes" / "corporate_levels.yaml").read_text(encoding="utf-8"))
    raw["by_rule"].append(level)
    path = tmp_path / "corporate.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParamsError, match=message):
        load_scheme(path)


def test_review_ranks_managers_too(params):
    frame = customers(
        [
            {"manager_id": "M1", "fund_return_rate": 0.9, "e_products": 2},
            {"manager_id": "M1", "fund_return_rate": 0.5, "e_products": 2},
            {"manager_id": "M2", "fund_return_rate": 0.9, "e_products": 3},
            {"manager_id": None, "fund_return_rate": 0.1, "e_products": 0},
        ],
        customer_type="corporate", has_loan=True,
    )
    review = corporate_review(frame, params)
    managers = review.managers.set_index("manager_id")
    assert managers.index.tolist() == ["M1", "M2"]  # customers without a manager count for the branch only
    assert managers.loc["M1", ["reviewed", "meeting", "rank"]].tolist() == [2, 1, 2]
    assert managers["bottom_five"].tolist() == [True, False]
    assert review.branches["reviewed"].tolist() == [4]


def test_scheme_table_lists_every_level_with_its_owner(params):
    table = scheme_table(params.schemes.corporate)
    assert table["code"].tolist() == ["general", "mid", "high_end", "gold"]
    assert table["lower"].tolist()[:3] == [0, 5_000_000, 10_000_000] and pd.isna(table["lower"].iloc[3])
    assert table["owner_zh"].tolist()[0] == "客户经理" and table["owner_en"].notna().all()
    retail = scheme_table(params.schemes.tier)
    assert retail["code"].tolist() == params.schemes.tier.codes and retail["owner_zh"].isna().all()

"""The demo bank: seeded, valid, and shaped like a real bank."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segkit.data.schema import MissingColumnWarning, validate_customers
from segkit.data.synth import INDUSTRIES, generate_bank
from segkit.errors import SegkitError


@pytest.fixture(scope="module")
def bank50k() -> pd.DataFrame:
    return generate_bank(50_000, 5, seed=1)


def test_same_seed_same_frame():
    pd.testing.assert_frame_equal(generate_bank(3_000, 4, seed=42), generate_bank(3_000, 4, seed=42))


def test_other_seed_other_frame():
    assert not generate_bank(3_000, 4, seed=1)["aum"].equals(generate_bank(3_000, 4, seed=2)["aum"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_customers=st.integers(1, 400),
    n_branches=st.integers(1, 30),
    seed=st.integers(0, 2**32 - 1),
)
def test_generated_banks_always_validate(n_customers, n_branches, seed):
    bank = generate_bank(n_customers, n_branches, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingColumnWarning)  # every canonical column is there
        validated = validate_customers(bank)
    pd.testing.assert_frame_equal(validated, bank)
    assert len(bank) == n_customers
    assert bank["branch_id"].nunique() == min(n_customers, n_branches)
    assigned = bank["manager_id"].dropna()
    assert (assigned.str.split("-").str[0] == bank.loc[assigned.index, "branch_id"]).all()


@pytest.mark.parametrize("n_customers, n_branches", [(0, 1), (10, 0)])
def test_needs_a_customer_and_a_branch(n_customers, n_branches):
    with pytest.raises(SegkitError, match="at least 1 customer and 1 branch"):
        generate_bank(n_customers, n_branches, seed=0)


def test_pyramid_shape(bank50k):
    aum = bank50k["aum"]
    shares = {
        "mass": (aum < 10_000).mean(),
        "potential": ((aum >= 10_000) & (aum < 50_000)).mean(),
        "quality": ((aum >= 50_000) & (aum < 300_000)).mean(),
        "key": ((aum >= 300_000) & (aum < 1_000_000)).mean(),
        "core": (aum >= 1_000_000).mean(),
    }
    assert 0.70 <= shares["mass"] + shares["potential"] <= 0.86  # most customers below 50,000
    assert 0.005 <= shares["core"] <= 0.02  # about 1% at 1,000,000+
    values = list(shares.values())
    assert values == sorted(values, reverse=True)  # a pyramid: each tier smaller than the one below
    assert 5 <= (aum >= 8_000_000).sum() <= 0.002 * len(aum)  # a few private-banking customers
    # the top holds a large share of the assets
    assert aum[aum >= 1_000_000].sum() / aum.sum() > 0.4


def test_branches_and_managers(bank50k):
    assert sorted(bank50k["branch_id"].unique()) == ["B01", "B02", "B03", "B04", "B05"]
    assigned = bank50k["manager_id"].dropna()
    assert assigned.str.fullmatch(r"B\d\d-M\d\d").all()
    assert 0.05 <= bank50k["manager_id"].isna().mean() <= 0.15
    books = assigned.value_counts()
    assert (books > 800).any() and (books <= 800).any()
    managers = bank50k.dropna(subset=["manager_id"]).groupby("branch_id")["manager_id"].nunique()
    assert (managers >= 2).all()  # every branch has a team, not one manager


def test_customers(bank50k):
    assert bank50k["customer_id"].is_unique
    assert bank50k["age"].between(18, 90).all()
    assert set(bank50k["gender"]) == {"female", "male"}
    assert (bank50k["income"] > 0).all()
    types = bank50k["customer_type"].value_counts(normalize=True)
    assert types["retail"] > 0.9 and 0.03 < types["merchant"] < 0.1 and 0 < types["corporate"] < 0.01


def test_previous_quarter(bank50k):
    new = bank50k["tenure_months"] <= 3
    assert (bank50k.loc[new, "aum_prev"] == 0).all()
    assert (bank50k.loc[~new, "aum_prev"] > 0).all()
    fell = bank50k["aum"] < 0.5 * bank50k["aum_prev"]
    assert 0.01 < fell.mean() < 0.2


def test_products_follow_assets_and_age(bank50k):
    aum = bank50k["aum"]
    assert not bank50k.loc[aum < 10_000, "has_wealth"].any()  # below the minimum purchase
    assert bank50k.loc[aum >= 300_000, "has_wealth"].mean() > 2 * bank50k.loc[aum.between(10_000, 50_000), "has_wealth"].mean()
    assert not bank50k.loc[bank50k["age"] > 60, "has_payroll"].any()
    assert 0.2 < bank50k["has_payroll"].mean() < 0.5
    assert 0.01 < bank50k["has_fx"].mean() < 0.08


def test_credit_card_states(bank50k):
    card = bank50k["credit_card"]
    assert set(card) == {"none", "inactive", "active"}
    assert (card == "inactive").mean() > 0.02
    active_unbound = (card == "active") & ~bank50k["card_autopay_bound"]
    assert active_unbound.mean() > 0.05
    assert not bank50k.loc[card != "active", "card_autopay_bound"].any()
    assert not (bank50k["card_autopay_bound"] & ~bank50k["has_debit_card"]).any()


def test_activity(bank50k):
    assert bank50k["months_inactive"].between(0, 12).all()
    assert (bank50k.loc[bank50k["months_inactive"] >= 3, "txn_count_3m"] == 0).all()
    assert bank50k["kyc_completeness"].between(0, 1).all()
    # the bank knows more about the customers it talks to: familiarity needs both signals
    contacted = bank50k["contacts_12m"] >= 3
    assert bank50k.loc[contacted, "kyc_completeness"].mean() > bank50k.loc[~contacted, "kyc_completeness"].mean() + 0.1
    assert 0.1 < bank50k["kyc_completeness"].std() < 0.35  # spread, not a constant


def test_merchants_and_corporates(bank50k):
    merchant = bank50k["customer_type"] == "merchant"
    assert set(bank50k.loc[merchant, "industry"]) <= set(INDUSTRIES)
    assert bank50k.loc[merchant, "industry"].nunique() == len(INDUSTRIES)
    assert bank50k.loc[~merchant, "industry"].isna().all()
    measures = ["monthly_avg_funds", "annual_acquiring", "annual_fee_income", "credit_line"]
    assert bank50k.loc[merchant, measures].notna().all().all()
    assert bank50k.loc[~merchant, measures].isna().all().all()
    assert (bank50k.loc[merchant & bank50k["has_pos"], "annual_acquiring"] > 0).all()
    corporate = bank50k["customer_type"] == "corporate"
    assert (bank50k.loc[corporate, "aum"] == bank50k.loc[corporate, "deposits"]).all()
    assert bank50k.loc[~corporate, ["deposits", "e_products", "fund_return_rate"]].isna().all().all()
    borrowers = corporate & bank50k["has_loan"]
    assert bank50k.loc[borrowers, "fund_return_rate"].between(0, 1).all()


def test_contact_details_and_pii(bank50k):
    no_contact = ~bank50k["has_contact"]
    assert 0.01 < no_contact.mean() < 0.1
    assert bank50k["phone"].isna().equals(no_contact)
    assert bank50k["phone"].dropna().str.fullmatch(r"1[3-9]\d{9}").all()
    assert bank50k["name"].str.fullmatch(r"[\u4e00-\u9fff]{2,3}").all()
    assert (bank50k.loc[no_contact, "contacts_12m"] == 0).all()
    high = bank50k["aum"] >= 1_000_000
    assert bank50k.loc[high, "contacts_12m"].mean() > 3 * bank50k.loc[~high, "contacts_12m"].mean()


def test_churn_is_learnable_but_not_trivial(demo_bank):
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    bank = demo_bank
    growth = np.log1p(bank["aum"].to_numpy()) - np.log1p(bank["aum_prev"].to_numpy())
    features = np.column_stack(
        [
            bank["months_inactive"].to_numpy(),
            np.maximum(-growth, 0) * (bank["aum_prev"].to_numpy() > 0),
            bank["n_products"].to_numpy(),
            bank["tenure_months"].to_numpy() < 12,
            ((bank["age"].to_numpy() - 45) / 20) ** 2,
            bank["has_payroll"].to_numpy(),
        ]
    ).astype(float)
    label = bank["churned"].to_numpy()
    assert 0.13 < label.mean() < 0.23
    train = np.arange(len(bank)) % 2 == 0
    model = LogisticRegression(max_iter=1000).fit(features[train], label[train])
    auc = roc_auc_score(label[~train], model.predict_proba(features[~train])[:, 1])
    assert 0.72 < auc < 0.9

"""On the demo bank the model recovers the latent drivers of churn and says why in words.

The demo bank's churn label is drawn from a documented logit
(:mod:`segkit.data.synth`): inactivity, falling assets, few products, short
tenure, age away from 45, no payroll and an inactive credit card raise it;
branch, gender, industry and customer type do not enter it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.churn import ChurnScorer
from segkit.churn.features import derive

LATENT = ("months_inactive", "aum_change", "n_products", "tenure_months", "age", "has_payroll")
NOT_IN_THE_LOGIT = ("branch_id", "gender", "industry", "customer_type")
TOP = 8


@pytest.fixture(scope="module")
def explained(bank_scorer: ChurnScorer, demo_bank: pd.DataFrame) -> pd.DataFrame:
    return bank_scorer.explain(demo_bank)


def test_latent_drivers_rank_among_the_top(bank_scorer: ChurnScorer) -> None:
    drivers = bank_scorer.drivers_table()
    top = drivers["feature"].head(TOP).tolist()
    assert set(LATENT) <= set(top), drivers.head(12).to_string()
    importance = dict(zip(drivers["feature"], drivers["importance"], strict=True))
    weakest_latent = min(importance[name] for name in LATENT)
    for name in NOT_IN_THE_LOGIT:
        assert importance.get(name, 0.0) < weakest_latent / 2, name
    assert drivers["share"].sum() == pytest.approx(1.0)
    assert (np.diff(drivers["importance"].to_numpy()) <= 0).all()


def test_driver_table_is_labelled_in_both_languages(bank_scorer: ChurnScorer) -> None:
    drivers = bank_scorer.drivers_table().set_index("feature")
    assert drivers.loc["months_inactive", "label_en"] == "months inactive"
    assert drivers.loc["months_inactive", "label_zh"] == "无交易月数"
    assert drivers.loc["aum_change", "label_zh"] == "资产变动"
    pd.testing.assert_frame_equal(bank_scorer.global_drivers_, bank_scorer.drivers_table())


def test_effect_curves_point_the_documented_way(bank_scorer: ChurnScorer) -> None:
    def effect(feature: str) -> pd.DataFrame:
        curve = bank_scorer.effect_curve(feature)
        return curve[curve["value"].notna()]

    inactive = effect("months_inactive")
    assert (np.diff(inactive["effect"].to_numpy()) >= -1e-12).all()  # monotonic constraint
    assert inactive["effect"].iloc[-1] - inactive["effect"].iloc[0] > 1.0
    change = effect("aum_change")
    assert (np.diff(change["effect"].to_numpy()) <= 1e-12).all()
    products = effect("n_products")
    assert products["effect"].iloc[0] > products["effect"].iloc[-1] + 0.5
    tenure = effect("tenure_months")
    assert tenure.loc[tenure["value"] < 12, "effect"].mean() > tenure.loc[tenure["value"] > 60, "effect"].mean() + 0.3
    age = effect("age").set_index("value")["effect"]
    middle = age[(age.index > 38) & (age.index < 52)].mean()
    assert age[age.index < 25].mean() > middle and age[age.index > 75].mean() > middle + 0.5
    payroll = effect("has_payroll").set_index("value")["effect"]
    assert payroll[0.0] > payroll[1.0] + 0.3  # the logit's -0.5 for payroll
    card = effect("credit_card").set_index("value")["effect"]
    assert card["inactive"] > max(card["active"], card["none"]) + 0.1  # the logit's +0.6 for an inactive card


def test_the_reasons_add_up_to_most_of_the_score(bank_scorer: ChurnScorer, fresh_bank: pd.DataFrame) -> None:
    # main effects leave interactions out: measure how much of the log-odds they explain
    assert bank_scorer.attribution_r2_ >= 0.9
    contributions = bank_scorer.contributions(fresh_bank).to_numpy()
    log_odds = bank_scorer.decision_function(fresh_bank)
    deviation = log_odds - log_odds.mean()
    explained = contributions.sum(axis=1) - contributions.sum(axis=1).mean()
    r2 = 1 - np.mean((deviation - explained) ** 2) / np.mean(deviation**2)
    assert r2 == pytest.approx(bank_scorer.attribution_r2_, abs=0.02)
    # centred at the bank average: on new customers of the same bank they average about zero
    assert abs(contributions.sum(axis=1).mean()) < 0.05


def test_more_inactivity_or_a_bigger_fall_never_lowers_the_score(bank_scorer: ChurnScorer, demo_bank: pd.DataFrame) -> None:
    customers = demo_bank.sample(400, random_state=3)
    by_months = np.column_stack(
        [bank_scorer.predict_proba(customers.assign(months_inactive=months))[:, 1] for months in range(13)]
    )
    assert (np.diff(by_months, axis=1) >= -1e-12).all()
    aum = customers["aum"].to_numpy(dtype=float)
    by_fall = np.column_stack(
        [bank_scorer.predict_proba(customers.assign(aum_prev=aum / (1.0 - fall)))[:, 1] for fall in (0.0, 0.2, 0.5, 0.8)]
    )
    assert (np.diff(by_fall, axis=1) >= -1e-12).all()


def test_reasons_are_readable_in_both_languages(explained: pd.DataFrame, bank_scored: pd.DataFrame) -> None:
    for rank in (1, 2, 3):
        for language, pattern in (("en", r"^[\w ¥$%,.()'-]+$"), ("zh", r"[\u4e00-\u9fff]")):
            texts = explained[f"churn_reason_{rank}_{language}"].dropna()
            assert len(texts) > 0
            assert texts.str.contains(pattern).all(), texts[~texts.str.contains(pattern)].head()
            lowered = texts.str.lower()
            assert not lowered.str.contains(r"\bnan\b|\bnone\b|_").any(), texts[lowered.str.contains(r"\bnan\b|\bnone\b|_")].head()
        # a reason exactly when there is a driver
        driver = explained[f"churn_driver_{rank}"]
        assert (driver.notna() == explained[f"churn_reason_{rank}_en"].notna()).all()
        assert (driver.notna() == explained[f"churn_reason_{rank}_zh"].notna()).all()
    # most customers get a reason; the scored table carries it in both languages
    assert bank_scored["churn_reason_1_zh"].notna().mean() > 0.8
    assert bank_scored["churn_reason_1_zh"].dropna().str.contains(r"[\u4e00-\u9fff]").all()
    assert (bank_scored["churn_reason_1_en"].notna() == bank_scored["churn_reason_1_zh"].notna()).all()
    assert not bank_scored["churn_reason_1_en"].dropna().str.contains(r"[\u4e00-\u9fff]").any()


def _where(explained: pd.DataFrame, feature: str, language: str) -> pd.DataFrame:
    """Rows and the reason text for customers whose top-3 drivers include ``feature``."""
    parts = []
    for rank in (1, 2, 3):
        rows = explained[f"churn_driver_{rank}"] == feature
        parts.append(explained.loc[rows, [f"churn_reason_{rank}_{language}"]].set_axis(["text"], axis=1))
    return pd.concat(parts)


def test_an_inactive_customer_is_told_how_long(explained: pd.DataFrame, demo_bank: pd.DataFrame) -> None:
    months = demo_bank["months_inactive"].astype("float64")
    long_inactive = months >= 6
    has_reason = explained[[f"churn_driver_{rank}" for rank in (1, 2, 3)]].eq("months_inactive").any(axis=1)
    assert has_reason[long_inactive].mean() > 0.95
    for language, template in (("en", "inactive {} of the last 12 months"), ("zh", "近12个月中{}个月无交易")):
        found = _where(explained, "months_inactive", language)
        assert len(found) > 500
        expected = months.loc[found.index].map(lambda m: template.format(int(m)))
        assert (found["text"] == expected).all()
        assert (months.loc[found.index] >= 1).all()  # being active is never a reason to leave


def test_a_falling_balance_is_told_by_how_much(explained: pd.DataFrame, demo_bank: pd.DataFrame) -> None:
    change = derive(demo_bank)["aum_change"]
    found = _where(explained, "aum_change", "en")
    new_accounts = change.loc[found.index].isna()
    # no previous balance (an account opened this quarter) reads as such, not as "not recorded"
    assert (found.loc[new_accounts, "text"] == "no previous-period balance to compare").all()
    assert (demo_bank["aum_prev"].loc[found.index[new_accounts]] == 0).all()
    found = found.loc[~new_accounts]
    assert len(found) > 200
    shown = found["text"].str.extract(r"^assets down (\d+)% on the previous period$")[0]
    assert shown.notna().all(), found[shown.isna()].head()
    actual = -100 * change.loc[found.index]
    assert (np.abs(shown.astype(float) - actual) <= 1.0).all()
    zh = _where(explained, "aum_change", "zh")
    assert zh["text"].str.fullmatch(r"资产较上期下降\d+%|无上期资产可比").all()


def test_few_products_and_short_tenure_read_their_numbers(
    explained: pd.DataFrame, demo_bank: pd.DataFrame, bank_scorer: ChurnScorer
) -> None:
    products = _where(explained, "n_products", "en")
    held = demo_bank["n_products"].astype("float64").loc[products.index]
    typical = bank_scorer.typical_["n_products"]
    assert (held <= typical).all()  # few products are the reason, not many
    count = held.astype(int).astype(str).to_numpy(dtype=object)
    cases = [held == 0, held == 1, held < typical]
    expected = np.select(cases, ["no products held", "only 1 product", "only " + count + " products"], count + " products")
    assert (products["text"].to_numpy() == expected).all()
    tenure = _where(explained, "tenure_months", "zh")
    months = demo_bank["tenure_months"].astype("float64").loc[tenure.index]
    assert (months < 24).mean() > 0.9  # short tenure is the reason, not long
    short = months < 24
    assert (tenure.loc[short, "text"] == "开户仅" + months[short].astype(int).astype(str) + "个月").all()
    ages = _where(explained, "age", "en")
    assert (ages["text"] == "age " + demo_bank["age"].loc[ages.index].astype(int).astype(str)).all()


def test_reasons_only_name_what_raises_risk(explained: pd.DataFrame) -> None:
    texts = pd.concat([explained[f"churn_reason_{rank}_en"] for rank in (1, 2, 3)]).dropna()
    assert texts.str.contains("salary not paid here").any()
    for protective in ("active in each of the last 12 months", "salary paid here"):
        assert not texts.eq(protective).any()
    assert not texts.str.match(r"^assets up").any()

"""Profiles, names and the crosstab against the rule tiers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.cluster import crosstab_with_tiers, lookalike_tier, profile
from segkit.cluster.encode import as_float
from segkit.cluster.names import DISTINCT, TYPICAL, WORDS, name_clusters, name_words, theme
from segkit.errors import SegkitError


def test_profile_counts_shares_medians_and_churn(demo_bank, fitted, labels):
    table = fitted.profile(demo_bank, labels)
    clusters, bank = table[table["cluster"] >= 0], table[table["cluster"] == -1].iloc[0]
    assert clusters["cluster"].tolist() == list(range(fitted.k_))
    assert clusters["n"].sum() == bank["n"] == len(demo_bank)
    assert clusters["share"].sum() == pytest.approx(1.0)
    churned = demo_bank["churned"].astype("float64")
    np.testing.assert_allclose(clusters["churn_rate"], churned.groupby(labels).mean().to_numpy())
    assert bank["churn_rate"] == pytest.approx(churned.mean())
    np.testing.assert_allclose(clusters["age"], demo_bank["age"].astype("float64").groupby(labels).median().to_numpy())
    assert bank["has_wealth"] == pytest.approx(demo_bank["has_wealth"].mean())
    assert set(clusters["credit_card"]) <= {"none", "active", "inactive"}
    assert clusters["name"].tolist() == [fitted.names_[c] for c in range(fitted.k_)]
    assert (table.loc[table["cluster"] == -1, [c for c in table if c.endswith("_vs_bank")]] == 0).all(axis=None)


def test_distinctive_features_point_the_right_way(demo_bank, labels):
    table = profile(demo_bank, labels)
    clusters = table[table["cluster"] >= 0].set_index("cluster")
    older = clusters["age_vs_bank"].idxmax()
    assert clusters.loc[older, "age"] > table.loc[table["cluster"] == -1, "age"].iloc[0]
    top = clusters["months_inactive_vs_bank"].idxmax()
    assert "months_inactive +" in clusters.loc[top, "distinctive"]
    assert ("less active" in clusters.loc[top, "name"]) == (clusters.loc[top, "months_inactive_vs_bank"] >= 0.3)


def test_profile_without_churn_labels_and_bad_labels(demo_bank, labels):
    table = profile(demo_bank.drop(columns="churned"), labels, features=["age", "aum"])
    assert "churn_rate" not in table.columns
    with pytest.raises(SegkitError, match="one label per row"):
        profile(demo_bank, labels[:-1])


def test_names_are_readable_comparative_and_unique():
    columns = ["age", "income", "n_products", "has_wealth", "customer_type=merchant"]
    effects = np.array(
        [
            [-1.2, 0.9, -0.8, 0.0, 0.0],   # younger, higher income, fewer products
            [1.0, 0.0, 0.0, 0.6, 0.0],     # older, more wealth holders
            [0.1, 0.0, 0.0, 0.0, 2.0],     # more merchants
            [0.0, 0.1, 0.0, 0.0, -0.5],    # nothing stands out (fewer merchants is not a trait)
            [0.05, 0.0, 0.0, 0.0, 0.0],    # nothing stands out either
        ]
    )
    en, zh = name_clusters(effects, columns)
    assert en[0] == "younger, higher income, fewer products" and zh[0] == "较年轻、收入较高、产品较少"
    assert en[1] == "older, more wealth holders" and zh[1] == "较年长、理财户较多"
    assert en[2] == "more merchants" and zh[2] == "商户较多"
    assert en[3] == "close to the bank average (3)" and zh[4] == "接近全行平均 (4)"
    assert len(set(en.values())) == len(en) and len(set(zh.values())) == len(zh)


def test_features_that_say_the_same_thing_give_one_word():
    columns = ["txn_amount_3m", "months_inactive", "txn_count_3m", "aum", "aum_prev", "age"]
    en, zh = name_clusters(np.array([[-2.1, 1.8, -1.8, -0.4, -0.5, -0.35]]), columns)
    # three activity measures are one word, the strongest's; two asset measures are one word
    assert en[0] == "less active, lower assets, younger" and zh[0] == "活跃度低、资产较少、较年轻"
    # many inactive months is the low end of activity
    assert name_clusters(np.array([[0.0, -0.9, 0.0, 0.0, 0.0, 0.0]]), columns)[0][0] == "more active"


COLUMNS = ["age", "income", "aum", "aum_prev", "months_inactive", "txn_count_3m", "has_wealth",
           "credit_card=active", "credit_card=none", "CreditScore"]


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda k: st.lists(st.lists(st.floats(-3, 3), min_size=len(COLUMNS), max_size=len(COLUMNS)),
                           min_size=k, max_size=k)
    )
)
def test_names_are_unique_and_use_each_theme_once_in_its_true_direction(rows):
    table = np.array(rows)
    en, zh = name_clusters(table, COLUMNS)
    assert len(set(en.values())) == len(en) and len(set(zh.values())) == len(zh)
    for cluster, row in enumerate(table):
        words = name_words(row, COLUMNS)
        assert len({theme(column)[0] for column, *_ in words}) == len(words)
        for column, word, _, effect in words:
            assert abs(effect) >= DISTINCT
            name, direction = theme(column)
            if "=" in column:
                assert effect > 0
            elif name in WORDS:
                assert word == WORDS[name][0][effect * direction > 0]
        if not words:
            assert en[cluster].startswith(TYPICAL[0]) and zh[cluster].startswith(TYPICAL[1])


def test_names_tell_the_truth_about_the_demo_bank(demo_bank, fitted, labels):
    """Every word of every name points the way the raw data does, and no name repeats."""
    assert len(set(fitted.names_.values())) == fitted.k_ == len(set(fitted.names_zh_.values()))
    columns = fitted.encoder_.columns_
    checked = 0
    for cluster in range(fitted.k_):
        members = labels == cluster
        for column, word, word_zh, effect in name_words(fitted.effects_[cluster], columns):
            if word not in fitted.names_[cluster]:
                continue
            assert word_zh in fitted.names_zh_[cluster]
            feature, _, level = column.partition("=")
            values = (demo_bank[feature].astype("str") == level).astype(float) if level else demo_bank[feature]
            values = pd.Series(as_float(values))
            assert np.sign(values[members].mean() - values.mean()) == np.sign(effect), (cluster, column)
            median_gap = values[members].median() - values.median()
            assert median_gap * effect >= 0, (cluster, column)
            checked += 1
    assert checked >= fitted.k_


TIERS = ["mass", "potential", "quality", "key", "core"]


def test_crosstab_finds_customers_who_behave_like_a_higher_or_lower_tier():
    # 600 quality customers: 400 with the mass customers, 200 with the key customers
    tiers = pd.Series(["quality"] * 600 + ["key"] * 1_000 + ["mass"] * 300, dtype="str")
    labels = np.array([0] * 400 + [1] * 200 + [1] * 1_000 + [0] * 300)
    table = crosstab_with_tiers(labels, tiers, order=TIERS, names={0: "savers", 1: "affluent"})
    assert list(zip(table["tier"], table["cluster"], table["n"], table["behaves_like"], strict=True)) == [
        ("mass", 0, 300, "same"),
        ("quality", 0, 400, "lower"),  # quality customers who keep company with mass ones
        ("quality", 1, 200, "higher"),  # quality customers who behave like key
        ("key", 1, 1_000, "same"),
    ]
    quality_like_key = table.iloc[2]
    assert quality_like_key["like_tier"] == "key" and quality_like_key["cluster_name"] == "affluent"
    assert quality_like_key["share_of_tier"] == pytest.approx(200 / 600)
    assert quality_like_key["share_of_cluster"] == pytest.approx(200 / 1_200)
    like = lookalike_tier(labels, tiers, TIERS)
    assert like.tolist() == ["mass"] * 400 + ["key"] * 200 + ["key"] * 1_000 + ["mass"] * 300


def test_a_few_customers_of_a_tier_cannot_claim_a_cluster():
    # mass and quality split evenly; the 3 core customers all sit in cluster 1, which is no evidence
    tiers = pd.Series(["mass"] * 500 + ["quality"] * 500 + ["core"] * 3, dtype="str")
    labels = np.array([0, 1] * 500 + [1] * 3)
    assert (lookalike_tier(labels, tiers, TIERS) == tiers).all()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 5), min_size=2, max_size=5),
    st.lists(st.integers(1, 40), min_size=1, max_size=5),
)
def test_clusters_that_ignore_the_tiers_move_nobody(weights, multiples):
    """When every tier splits across the clusters in the same proportions, everyone behaves like their tier."""
    tiers, labels = [], []
    for tier, multiple in zip(TIERS, multiples, strict=False):
        for cluster, weight in enumerate(weights):
            tiers += [tier] * (weight * multiple)
            labels += [cluster] * (weight * multiple)
    table = crosstab_with_tiers(np.array(labels), pd.Series(tiers, dtype="str"), order=TIERS)
    assert set(table["behaves_like"]) == {"same"}


def test_customers_who_behave_like_a_higher_tier_look_like_it(demo_bank, labels):
    """On the demo bank, mass customers flagged as behaving like a higher tier earn, hold and transact more."""
    tiers = pd.cut(demo_bank["aum"], [-np.inf, 1e4, 5e4, 3e5, 1e6, np.inf], right=False, labels=TIERS)
    like = lookalike_tier(labels, tiers)
    mass = demo_bank[tiers == "mass"]
    up = (like[tiers == "mass"] != "mass").to_numpy()
    assert 0 < up.mean() < 1
    for column in ("income", "n_products", "txn_count_3m"):
        assert mass.loc[up, column].median() > mass.loc[~up, column].median(), column


def test_crosstab_takes_the_order_from_an_ordered_categorical_and_checks_tiers(demo_bank, labels):
    cuts = pd.cut(demo_bank["aum"], [-np.inf, 1e4, 5e4, 3e5, 1e6, np.inf], right=False, labels=TIERS)
    table = crosstab_with_tiers(labels, cuts)
    assert table["n"].sum() == len(demo_bank)
    assert set(table["behaves_like"]) <= {"higher", "same", "lower"}
    with pytest.raises(SegkitError, match="tier order"):
        crosstab_with_tiers(labels, cuts.astype("str"))
    with pytest.raises(SegkitError, match="platinum"):
        crosstab_with_tiers(np.array([0, 1]), pd.Series(["mass", "platinum"]), order=TIERS)


def test_plots_return_figures_without_pyplot_state(demo_bank, fitted, labels):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from segkit.cluster import plot_crosstab, plot_k_table, plot_profiles

    before = plt.get_fignums()
    table = crosstab_with_tiers(labels, pd.cut(demo_bank["aum"], [-1, 5e4, 3e5, np.inf], labels=TIERS[:3]))
    profiles = fitted.profile(demo_bank, labels)
    figures = [plot_k_table(fitted.k_table_, 0.85), plot_profiles(profiles), plot_crosstab(table)]
    assert all(isinstance(f, Figure) and f.axes for f in figures)
    assert plt.get_fignums() == before

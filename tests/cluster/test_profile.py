"""Profiles, names and the crosstab against the rule tiers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.cluster import crosstab_with_tiers, lookalike_tier, profile
from segkit.cluster.names import name_clusters
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
    assert ("dormant" in clusters.loc[top, "name"]) == (clusters.loc[top, "months_inactive_vs_bank"] >= 0.3)


def test_profile_without_churn_labels_and_bad_labels(demo_bank, labels):
    table = profile(demo_bank.drop(columns="churned"), labels, features=["age", "aum"])
    assert "churn_rate" not in table.columns
    with pytest.raises(SegkitError, match="one label per row"):
        profile(demo_bank, labels[:-1])


def test_names_are_readable_and_unique():
    columns = ["age", "income", "n_products", "has_wealth", "customer_type=merchant"]
    effects = np.array(
        [
            [-1.2, 0.9, -0.8, 0.0, 0.0],   # young, high income, few products
            [1.0, 0.0, 0.0, 0.6, 0.0],     # older, wealth holders
            [0.1, 0.0, 0.0, 0.0, 2.0],     # merchants
            [0.0, 0.1, 0.0, 0.0, -0.5],    # nothing stands out (fewer merchants is not a trait)
            [0.05, 0.0, 0.0, 0.0, 0.0],    # nothing stands out either
        ]
    )
    en, zh = name_clusters(effects, columns)
    assert en[0] == "young, high income, few products" and zh[0] == "年轻、高收入、产品少"
    assert en[1] == "older, wealth holders" and zh[1] == "年长、持有理财"
    assert en[2] == "merchants" and zh[2] == "商户"
    assert en[3] == "typical customers (3)" and en[4] == "typical customers (4)"
    assert len(set(en.values())) == len(en) and len(set(zh.values())) == len(zh)


TIERS = ["mass", "potential", "quality", "key", "core"]


def test_crosstab_finds_customers_who_behave_like_a_higher_tier():
    tiers = pd.Series(["quality"] * 6 + ["key"] * 10 + ["mass"] * 3, dtype="str")
    labels = np.array([0] * 4 + [1] * 2 + [1] * 10 + [0] * 3)
    table = crosstab_with_tiers(labels, tiers, order=TIERS, names={0: "savers", 1: "affluent"})
    assert list(zip(table["tier"], table["cluster"], table["n"], table["behaves_like"], strict=True)) == [
        ("mass", 0, 3, "higher"),
        ("quality", 0, 4, "same"),
        ("quality", 1, 2, "higher"),  # quality customers who behave like key
        ("key", 1, 10, "same"),
    ]
    quality_like_key = table.iloc[2]
    assert quality_like_key["cluster_tier"] == "key" and quality_like_key["cluster_name"] == "affluent"
    assert quality_like_key["share_of_tier"] == pytest.approx(2 / 6)
    assert quality_like_key["share_of_cluster"] == pytest.approx(2 / 12)
    typical = lookalike_tier(labels, tiers, TIERS)
    assert typical.tolist() == ["quality"] * 4 + ["key"] * 12 + ["quality"] * 3


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

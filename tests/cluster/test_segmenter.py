"""The segmenter: reproducible, ordered, persisted, configurable, bounded by its sample."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from segkit.cluster import DEFAULT_FEATURES, Segmenter, fit_segmenter
from segkit.config import ClusterParams
from segkit.errors import SegkitError
from segkit.persist import load_model, save_model

FAST = {"k_range": (3, 5), "sample_size": 4_000, "selection_size": 1_500, "silhouette_size": 800, "n_bootstrap": 2}


def fit_quietly(frame: pd.DataFrame, **settings) -> Segmenter:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Segmenter(**settings).fit(frame)


def test_same_data_and_seed_give_identical_labels_names_and_table(demo_bank, fitted, labels):
    again = fit_quietly(demo_bank, random_state=3)
    np.testing.assert_array_equal(again.predict(demo_bank), labels)
    assert again.names_ == fitted.names_ and again.names_zh_ == fitted.names_zh_
    pd.testing.assert_frame_equal(again.k_table_, fitted.k_table_)


def test_cluster_ids_go_by_median_aum(demo_bank, fitted, labels):
    medians = demo_bank["aum"].groupby(labels).median()
    assert list(medians.index) == list(range(fitted.k_))
    assert medians.is_monotonic_increasing


def test_ids_do_not_shuffle_with_the_seed(demo_bank, fitted, labels):
    other = fit_quietly(demo_bank, random_state=11, k=fitted.k_)
    agreement = (other.predict(demo_bank) == labels).mean()
    assert agreement > 0.9


def test_k_table_covers_the_range_and_marks_the_chosen_k(fitted):
    table = fitted.k_table_
    assert table["k"].tolist() == list(range(3, 11))
    assert table.loc[table["chosen"], "k"].tolist() == [fitted.k_]
    assert fitted.k_source_ == "evidence"
    chosen = table[table["chosen"]].iloc[0]
    assert (fitted.silhouette_, fitted.stability_) == (chosen["silhouette"], chosen["stability"])
    assert table["stability"].between(-1, 1).all() and table["silhouette"].between(-1, 1).all()


def test_a_fixed_k_is_used_and_still_scored(demo_bank):
    segmenter = fit_quietly(demo_bank, k=6, **FAST)
    assert segmenter.k_ == 6 and segmenter.k_source_ == "fixed"
    assert segmenter.k_table_["k"].tolist() == [6]
    assert set(np.unique(segmenter.predict(demo_bank))) == set(range(6))


def test_fits_on_a_sample_and_assigns_everyone(demo_bank):
    segmenter = fit_quietly(demo_bank, **FAST)
    assert segmenter.n_fit_ == FAST["sample_size"]
    labels = segmenter.predict(demo_bank)
    assert labels.shape == (len(demo_bank),) and labels.dtype == np.int64
    # assignment is row-wise: a slice is labelled as in the whole
    np.testing.assert_array_equal(segmenter.predict(demo_bank.iloc[5_000:5_300]), labels[5_000:5_300])


def test_absent_features_are_skipped_with_one_warning(demo_bank):
    frame = demo_bank.drop(columns=["income", "txn_count_3m", "has_fx"])
    with pytest.warns(UserWarning, match="absent") as record:
        segmenter = Segmenter(**FAST).fit(frame)
    assert len([w for w in record if "absent" in str(w.message)]) == 1
    assert "income, txn_count_3m, has_fx" in str(record[0].message)
    assert set(segmenter.features_in_) == set(DEFAULT_FEATURES) - {"income", "txn_count_3m", "has_fx"}


def test_categorical_and_extra_features_are_used(demo_bank):
    segmenter = fit_quietly(demo_bank, features=["age", "aum", "gender", "kyc_completeness"], k=3, **FAST)
    assert "gender=female" in segmenter.get_feature_names_out()
    assert segmenter.transform(demo_bank.head(10)).shape == (10, 5)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"algorithm": "dbscan"}, "algorithm"),
        ({"k_range": (5, 3)}, "k_range"),
        ({"k": 1}, "k must be"),
        ({"n_bootstrap": 0}, "n_bootstrap"),
        ({"min_stability": 1.5}, "min_stability"),
        ({"random_state": None}, "random_state"),
    ],
)
def test_bad_settings_are_refused_by_name(demo_bank, settings, message):
    with pytest.raises(SegkitError, match=message):
        Segmenter(**settings).fit(demo_bank.head(100))


def test_unusable_input_is_refused(demo_bank):
    with pytest.raises(SegkitError, match="none of the cluster features"):
        Segmenter(features=["nope"]).fit(demo_bank.head(100))
    with pytest.raises(SegkitError, match="too few customers"):
        Segmenter(k=5).fit(demo_bank.head(4))
    with pytest.raises(SegkitError, match="DataFrame"):
        Segmenter().fit(np.zeros((10, 3)))


def test_round_trips_through_skops(tmp_path, demo_bank, fitted, labels):
    path = save_model(fitted, tmp_path / "segmenter.skops")
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.predict(demo_bank), labels)
    assert loaded.names_ == fitted.names_ and loaded.k_ == fitted.k_
    assert loaded.drift(demo_bank) == fitted.drift(demo_bank)


@pytest.mark.parametrize("algorithm", ["gmm", "kprototypes"])
def test_the_alternative_algorithms_round_trip_through_skops(tmp_path, demo_bank, algorithm):
    segmenter = fit_quietly(demo_bank, algorithm=algorithm, k=4, **FAST)
    loaded = load_model(save_model(segmenter, tmp_path / "segmenter.skops"))
    np.testing.assert_array_equal(loaded.predict(demo_bank), segmenter.predict(demo_bank))


def test_drift_is_small_for_a_similar_month_and_large_for_a_changed_bank(fitted):
    from segkit.data.synth import generate_bank

    next_month = generate_bank(n_customers=10_000, n_branches=4, seed=8)
    same = fitted.drift(next_month)
    assert same["level"] == "stable" and same["psi"] < 0.05
    assert abs(sum(s["current"] for s in same["shares"]) - 1) < 1e-9
    dormant = next_month.assign(months_inactive=pd.array([9] * len(next_month), dtype="Int64"),
                                txn_count_3m=pd.array([0] * len(next_month), dtype="Int64"),
                                txn_amount_3m=0.0)
    moved = fitted.drift(dormant)
    assert moved["level"] == "major"
    assert moved["feature_psi"]["months_inactive"] > 1 > moved["feature_psi"]["age"]
    assert moved["max_feature_psi"] == max(moved["feature_psi"].values())


def test_metrics_are_json_ready(fitted):
    metrics = json.loads(json.dumps(fitted.metrics()))
    assert metrics["k"] == fitted.k_ and metrics["algorithm"] == "kmeans"
    assert metrics["silhouette"] == pytest.approx(fitted.silhouette_, abs=1e-6)
    assert metrics["stability"] == pytest.approx(fitted.stability_, abs=1e-6)
    assert [c["cluster"] for c in metrics["clusters"]] == list(range(fitted.k_))
    assert len(metrics["k_table"]) == 8


def test_clone_gives_an_unfitted_copy_with_the_same_settings(demo_bank):
    from sklearn.base import clone

    segmenter = fit_quietly(demo_bank, k=4, **FAST)
    copy = clone(segmenter)
    assert copy.get_params() == segmenter.get_params()
    assert not hasattr(copy, "model_")
    refitted = fit_quietly(demo_bank, **copy.get_params())
    np.testing.assert_array_equal(refitted.predict(demo_bank), segmenter.predict(demo_bank))


def test_params_configure_the_segmenter(demo_bank):
    params = ClusterParams(k=4, algorithm="kprototypes", features=["age", "aum", "credit_card"], **FAST)
    segmenter = Segmenter.from_params(params, seed=5)
    assert (segmenter.k, segmenter.algorithm, segmenter.random_state) == (4, "kprototypes", 5)
    fitted = fit_segmenter(demo_bank, params, seed=5)
    assert fitted.k_ == 4 and fitted.features_in_ == ["age", "aum", "credit_card"]


def test_params_reject_a_reversed_range():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="k_range"):
        ClusterParams(k_range=(8, 4))

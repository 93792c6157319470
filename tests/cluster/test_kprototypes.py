"""k-prototypes: numeric means, categorical modes."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from segkit.cluster.encode import FeatureEncoder
from segkit.cluster.kprototypes import KPrototypes


def mixed(seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    truth = np.repeat([0, 1, 2], 300)
    kind = np.array(["retail", "merchant", "retail"])[truth]
    noisy = rng.random(len(truth)) < 0.1
    kind = np.where(noisy, "corporate", kind)
    age = np.array([30.0, 45.0, 65.0])[truth] + rng.normal(0, 3, len(truth))
    return pd.DataFrame({"age": age, "customer_type": pd.Series(kind, dtype="str")}), truth


def test_recovers_mixed_groups_with_one_hot_mode_prototypes():
    frame, truth = mixed()
    encoder = FeatureEncoder(["age", "customer_type"]).fit(frame)
    X = encoder.transform(frame)
    model = KPrototypes(n_clusters=3, groups=encoder.groups_, random_state=0).fit(X)
    assert adjusted_rand_score(truth, model.predict(X)) > 0.95
    start, stop = encoder.groups_[0]
    block = model.cluster_centers_[:, start:stop]
    # each prototype's category is one level (its mode), not a mix of shares
    np.testing.assert_allclose(np.sort(block, axis=1)[:, -1], 1 / np.sqrt(2))
    np.testing.assert_allclose(np.sort(block, axis=1)[:, :-1], 0.0)
    merchant = encoder.columns_.index("customer_type=merchant")
    assert (model.cluster_centers_[:, merchant] > 0).sum() == 1


def test_same_seed_same_prototypes_and_empty_clusters_are_reseeded():
    frame, _ = mixed()
    X = FeatureEncoder(["age", "customer_type"]).fit(frame).transform(frame)
    first = KPrototypes(n_clusters=3, random_state=4).fit(X)
    second = KPrototypes(n_clusters=3, random_state=4).fit(X)
    np.testing.assert_array_equal(first.cluster_centers_, second.cluster_centers_)
    duplicated = np.repeat(X[:5], 20, axis=0)  # 5 distinct points, 5 clusters
    model = KPrototypes(n_clusters=5, random_state=0).fit(duplicated)
    assert len(np.unique(model.predict(duplicated))) == 5
    assert model.inertia_ < 1e-9

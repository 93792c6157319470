"""Choosing k: the rule, and that it finds the groups that are really there."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from segkit.cluster import Segmenter
from segkit.cluster.select import choose_k, score_k


def row(k, silhouette, stability):
    return {"k": k, "silhouette": silhouette, "stability": stability}


def test_the_most_separated_stable_k_wins():
    table = [row(3, 0.30, 0.80), row(4, 0.25, 0.95), row(5, 0.28, 0.90), row(6, 0.10, 0.99)]
    assert choose_k(table, min_stability=0.85) == 5


def test_near_ties_in_silhouette_go_to_the_more_stable_k():
    table = [row(3, 0.250, 0.90), row(4, 0.248, 0.97), row(5, 0.200, 0.99)]
    assert choose_k(table, min_stability=0.85) == 4


def test_without_a_stable_k_the_most_stable_is_chosen_with_a_warning():
    table = [row(3, 0.3, 0.6), row(4, 0.2, 0.7), row(5, 0.1, 0.65)]
    with pytest.warns(UserWarning, match="k=4 is the most stable"):
        assert choose_k(table, min_stability=0.85) == 4


def blobs(n_per: int, centers: list[tuple[float, float]], seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    truth = np.repeat(np.arange(len(centers)), n_per)
    points = np.array(centers)[truth] + rng.normal(0, 1.0, (len(truth), 2))
    frame = pd.DataFrame({"age": 45 + 3 * points[:, 0], "tenure_months": 100 + 12 * points[:, 1]})
    return frame, truth


@pytest.mark.parametrize("algorithm", ["kmeans", "gmm", "kprototypes"])
def test_evidence_recovers_well_separated_groups(algorithm):
    frame, truth = blobs(400, [(-6, 0), (6, 0), (0, 8), (0, -8)])
    settings = {"algorithm": algorithm, "k_range": (2, 6), "n_bootstrap": 3, "random_state": 1}
    segmenter = Segmenter(["age", "tenure_months"], **settings).fit(frame)
    assert segmenter.k_ == 4
    assert segmenter.stability_ > 0.95
    assert adjusted_rand_score(truth, segmenter.predict(frame)) > 0.95


def test_noise_is_less_stable_and_less_separated_than_real_groups():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1_500, 4))
    groups = X + np.repeat(np.eye(4) * 8, 375, axis=0)
    noise = score_k(X, "kmeans", 4, seed=0, n_bootstrap=3, silhouette_size=1_000)
    real = score_k(groups, "kmeans", 4, seed=0, n_bootstrap=3, silhouette_size=1_000)
    assert real["silhouette"] > noise["silhouette"] + 0.3
    assert real["stability"] > 0.98 > noise["stability"]

"""The quality bar: stable clusters (bootstrap ARI >= 0.85) that separate churn (>= 2x)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segkit.cluster import fit_segmenter
from segkit.config import load_params
from segkit.stages import fit_sample

REPO = Path(__file__).resolve().parents[2]


def churn_ratio(frame: pd.DataFrame, labels: np.ndarray) -> float:
    rates = frame["churned"].astype("float64").groupby(labels).mean()
    return rates.max() / rates.min()


def test_demo_bank_clusters_are_stable_and_separate_churn(demo_bank, fitted, labels):
    assert fitted.stability_ >= 0.85
    assert churn_ratio(demo_bank, labels) >= 2.0


@pytest.mark.realdata
def test_churn_modelling_clusters_are_stable_and_separate_churn(real_data_path):
    from segkit.data.io import load_customers

    params = load_params(REPO / "params" / "churn_modelling.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        customers = load_customers(real_data_path, params.data.mapping)
    # fitted on the sample `segkit score` fits on, so the numbers are those of metrics.json
    sample = fit_sample(customers, params.scale.fit_sample, params.seed)
    segmenter = fit_segmenter(sample, params.cluster, seed=params.seed)
    labels = segmenter.predict(customers)
    assert segmenter.k_source_ == "evidence"
    assert segmenter.stability_ >= 0.85
    assert churn_ratio(customers, labels) >= 2.0
    assert "IsActiveMember" in segmenter.features_in_
    assert len(set(segmenter.names_.values())) == len(set(segmenter.names_zh_.values())) == segmenter.k_

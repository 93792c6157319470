"""Fixtures for the churn tests: small banks and scorers fitted once.

The scorers are read-only once fitted (scoring never changes them), so the
expensive fit on the 20,000-customer demo bank is shared by the whole
session; cheaper, test-specific fits live in each module with
``scope="module"``.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from segkit.churn import ChurnScorer, HeuristicChurnScorer
from segkit.config import ChurnParams
from segkit.data.synth import generate_bank

SEED = 7


@pytest.fixture(scope="session")
def churn_params() -> ChurnParams:
    """The default ``churn`` params section."""
    return ChurnParams()


@pytest.fixture(scope="session")
def small_bank() -> pd.DataFrame:
    """A 3,000-customer demo bank in 3 branches (seed 11); do not modify it in place."""
    return generate_bank(n_customers=3_000, n_branches=3, seed=11)


@pytest.fixture(scope="session")
def small_scorer(small_bank: pd.DataFrame, churn_params: ChurnParams) -> ChurnScorer:
    """The default scorer fitted on :func:`small_bank`."""
    return ChurnScorer.from_params(churn_params, seed=SEED).fit(small_bank)


@pytest.fixture(scope="session")
def bank_scorer(demo_bank: pd.DataFrame, churn_params: ChurnParams) -> ChurnScorer:
    """The default scorer fitted on the 20,000-customer demo bank."""
    return ChurnScorer.from_params(churn_params, seed=SEED).fit(demo_bank)


@pytest.fixture(scope="session")
def bank_scored(bank_scorer: ChurnScorer, demo_bank: pd.DataFrame) -> pd.DataFrame:
    """The demo bank with its churn columns (reasons in English and Chinese)."""
    return pd.concat([demo_bank, bank_scorer.score(demo_bank)], axis=1)


@pytest.fixture(scope="session")
def fresh_bank() -> pd.DataFrame:
    """Another draw of the same bank (seed 8): customers the model has never seen."""
    return generate_bank(n_customers=20_000, n_branches=4, seed=8)


@pytest.fixture(scope="session")
def unlabelled_bank(small_bank: pd.DataFrame) -> pd.DataFrame:
    """The small bank without its ``churned`` label."""
    return small_bank.drop(columns="churned")


@pytest.fixture(scope="session")
def heuristic(unlabelled_bank: pd.DataFrame, churn_params: ChurnParams) -> HeuristicChurnScorer:
    """The rule-based early warning fitted on the unlabelled small bank."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a full canonical table must not warn
        return HeuristicChurnScorer.from_params(churn_params).fit(unlabelled_bank)

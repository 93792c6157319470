"""Fixtures for the clustering tests: one fitted segmenter shared by the module tests."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from segkit.cluster import Segmenter


@pytest.fixture(scope="session")
def fitted(demo_bank: pd.DataFrame) -> Segmenter:
    """A default segmenter fitted on the demo bank (k chosen by evidence)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Segmenter(random_state=3).fit(demo_bank)


@pytest.fixture(scope="session")
def labels(fitted: Segmenter, demo_bank: pd.DataFrame):
    return fitted.predict(demo_bank)

"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
REAL_DATA = REPO / ".." / "shared" / "data" / "Churn_Modelling.csv"
"""The public bank data set; kept outside the repository."""


@pytest.fixture(scope="session")
def demo_bank() -> pd.DataFrame:
    """A 20,000-customer synthetic bank in 4 branches (seed 7); do not modify it in place."""
    from segkit.data.synth import generate_bank

    return generate_bank(n_customers=20_000, n_branches=4, seed=7)


@pytest.fixture(scope="session")
def real_data_path() -> Path:
    """Path of Churn_Modelling.csv; skips the test when the file is absent."""
    if not REAL_DATA.is_file():
        pytest.skip(f"real data not available: {REAL_DATA.resolve()} is missing")
    return REAL_DATA

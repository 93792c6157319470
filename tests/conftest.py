"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def dask_scheduler() -> Iterator[str]:
    """The address of a local Dask cluster: 2 single-threaded worker processes."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, scheduler_kwargs={"dashboard_address": ":0"}, silence_logs=40
    ) as cluster:
        yield cluster.scheduler_address

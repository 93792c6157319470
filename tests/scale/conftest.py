"""Fixtures of the scale tests: a demo bank split into Parquet files, and a Dask cluster."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segkit.config import Params, load_params

REPO = Path(__file__).resolve().parents[2]
BANK_CUSTOMERS = 100_000
BANK_BRANCHES = 8
BANK_FILES = 4
FIT_SAMPLE = 20_000
"""Fit on 20,000 customers so the tests spend their time on scoring, not fitting."""


def with_scale(params: Params, **scale: int) -> Params:
    """Return ``params`` with the given ``scale`` fields replaced."""
    return params.model_copy(update={"scale": params.scale.model_copy(update=scale)})


def write_parts(frame: pd.DataFrame, folder: Path, files: int) -> Path:
    """Write ``frame`` as ``files`` Parquet files of consecutive rows."""
    folder.mkdir(parents=True)
    for number, rows in enumerate(np.array_split(np.arange(len(frame)), files)):
        frame.iloc[rows].to_parquet(folder / f"part-{number}.parquet", index=False)
    return folder


def assert_same_scored(left: Path, right: Path) -> None:
    """Assert two scored folders hold the same customers, tables, branches and metrics."""
    from segkit.scored import CUSTOMERS, Scored

    a, b = Scored.open(left), Scored.open(right)
    pd.testing.assert_frame_equal(a.branches, b.branches)
    partitions = sorted(path.relative_to(left / CUSTOMERS) for path in (left / CUSTOMERS).rglob("*.parquet"))
    assert partitions == sorted(path.relative_to(right / CUSTOMERS) for path in (right / CUSTOMERS).rglob("*.parquet"))
    for branch_id in a.branches["branch_id"]:
        pd.testing.assert_frame_equal(a.customers(branch_id), b.customers(branch_id))
    whole_a = a.customers().sort_values("customer_id", ignore_index=True)
    whole_b = b.customers().sort_values("customer_id", ignore_index=True)
    pd.testing.assert_frame_equal(whole_a, whole_b)
    names = sorted(path.stem for path in (left / "tables").glob("*.parquet"))
    assert names == sorted(path.stem for path in (right / "tables").glob("*.parquet"))
    for name in names:
        pd.testing.assert_frame_equal(a.table(name), b.table(name), obj=f"table {name}")
    assert json.loads((left / "metrics.json").read_text()) == json.loads((right / "metrics.json").read_text())


@pytest.fixture(scope="session")
def scale_params() -> Params:
    """The default params, fitting on a 20,000-customer sample."""
    return with_scale(load_params(REPO / "params" / "default.yaml"), fit_sample=FIT_SAMPLE)


@pytest.fixture(scope="session")
def bank_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """100,000 demo customers in 8 branches, as a folder of 4 Parquet files."""
    from segkit.data.synth import generate_bank

    bank = generate_bank(BANK_CUSTOMERS, BANK_BRANCHES, seed=11)
    return write_parts(bank, tmp_path_factory.mktemp("bank") / "customers", BANK_FILES)


@pytest.fixture(scope="session")
def pandas_scored(bank_folder: Path, scale_params: Params, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bank scored by the pandas engine in one batch."""
    from segkit.pipeline import score

    out = tmp_path_factory.mktemp("pandas") / "scored"
    score(with_scale(scale_params, batch_rows=10 * BANK_CUSTOMERS), data=bank_folder, out=out, engine="pandas")
    return out

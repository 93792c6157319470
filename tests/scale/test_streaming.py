"""The pandas engine reads a folder of Parquet files in bounded batches."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

import pytest
from conftest import BANK_CUSTOMERS, assert_same_scored, with_scale

import segkit.engine
from segkit.config import Params
from segkit.pipeline import score


@pytest.mark.slow
def test_parquet_folder_in_small_batches_equals_one_batch(
    bank_folder: Path, scale_params: Params, pandas_scored: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch_rows = 7_000
    sizes: list[int] = []
    read_batches = segkit.engine.iter_raw_batches

    def spy(path: Path, params: Params):
        for batch in read_batches(path, params):
            sizes.append(len(batch))
            yield batch

    monkeypatch.setattr(segkit.engine, "iter_raw_batches", spy)
    result = score(with_scale(scale_params, batch_rows=batch_rows), data=bank_folder, out=tmp_path / "scored")

    assert max(sizes) <= batch_rows
    assert sum(sizes) == BANK_CUSTOMERS
    assert len(sizes) >= BANK_CUSTOMERS // batch_rows
    assert result.rows == BANK_CUSTOMERS
    assert not (tmp_path / "scored" / ".staging").exists()
    assert_same_scored(tmp_path / "scored", pandas_scored)


def test_streaming_engine_equals_scoring_the_whole_table_in_memory(tmp_path: Path, scale_params: Params) -> None:
    from segkit.data.io import load_customers
    from segkit.data.synth import generate_bank
    from segkit.engine import score_frame
    from segkit.scored import Scored

    params = with_scale(scale_params, fit_sample=3_000, batch_rows=2_500)
    data = tmp_path / "bank.parquet"
    generate_bank(8_000, 3, seed=21).to_parquet(data, index=False)

    score(params, data=data, out=tmp_path / "scored")
    streamed = Scored.open(tmp_path / "scored")
    in_memory = score_frame(load_customers(data, params.data.mapping), params)

    expected = in_memory.customers.sort_values("customer_id", ignore_index=True)
    got = streamed.customers().sort_values("customer_id", ignore_index=True)
    assert list(got.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_categorical=False)
    for name in ("books", "migration", "churn_drivers", "cluster_profiles"):
        pd.testing.assert_frame_equal(
            streamed.table(name), in_memory.tables[name].reset_index() if name == "migration" else in_memory.tables[name],
            check_dtype=False, check_names=False, obj=name,
        )
    assert streamed.metrics == json.loads(json.dumps(in_memory.metrics))

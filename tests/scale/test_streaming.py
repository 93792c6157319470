"""The pandas engine reads a folder of Parquet files in bounded batches."""

from __future__ import annotations

from pathlib import Path

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

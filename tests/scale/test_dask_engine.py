"""The Dask engine: same results as the pandas engine, every problem at once, one thread per core."""

from __future__ import annotations

import os
from pathlib import Path

import dask
import pytest
from conftest import BANK_CUSTOMERS, REPO, assert_same_scored, with_scale, write_parts

from segkit.cli import main
from segkit.config import Params
from segkit.errors import DataValidationError
from segkit.pipeline import score


@pytest.mark.slow
def test_dask_engine_equals_pandas_engine_on_100k_customers(
    bank_folder: Path, scale_params: Params, pandas_scored: Path, dask_scheduler: str, tmp_path: Path
) -> None:
    # small partitions on the workers, so the fit sample is merged from many
    result = score(scale_params, data=bank_folder, out=tmp_path / "scored", engine="dask", scheduler=dask_scheduler)

    assert result.rows == BANK_CUSTOMERS
    assert not (tmp_path / "scored" / ".staging").exists()
    assert_same_scored(tmp_path / "scored", pandas_scored)


def _broken_bank(folder: Path) -> Path:
    from segkit.data.synth import generate_bank

    bank = generate_bank(4_000, 3, seed=5)
    bank.loc[10, "aum"] = -1.0  # file 0
    bank.loc[1_500, "credit_card"] = "platinum"  # file 1
    bank.loc[3_900, "customer_id"] = bank.loc[2_100, "customer_id"]  # file 3 repeats an id of file 2
    return write_parts(bank, folder, 4)


def test_dask_engine_lists_every_problem_of_every_partition(
    scale_params: Params, dask_scheduler: str, tmp_path: Path
) -> None:
    data = _broken_bank(tmp_path / "bank")
    with pytest.raises(DataValidationError) as by_dask:
        score(scale_params, data=data, out=tmp_path / "dask", engine="dask", scheduler=dask_scheduler)
    with pytest.raises(DataValidationError) as by_pandas:
        score(with_scale(scale_params, batch_rows=1_000), data=data, out=tmp_path / "pandas")

    found = {(problem.column, problem.rule.split(";")[0], problem.n_rows) for problem in by_dask.value.problems}
    assert {column for column, _, _ in found} == {"aum", "credit_card", "customer_id"}
    assert ("customer_id", "must be unique across the whole input", 2) in found
    assert by_dask.value.problems == by_pandas.value.problems
    assert not (tmp_path / "dask").exists()


@pytest.mark.slow
def test_cli_scores_a_csv_on_a_running_scheduler(dask_scheduler: str, tmp_path: Path) -> None:
    from segkit.data.synth import generate_bank

    data = tmp_path / "bank.csv"
    generate_bank(4_000, 3, seed=3).to_csv(data, index=False)
    params = str(REPO / "params" / "default.yaml")
    common = ["score", "--params", params, "--data", str(data)]

    assert main([*common, "--out", str(tmp_path / "dask"), "--engine", "dask", "--scheduler", dask_scheduler]) == 0
    assert main([*common, "--out", str(tmp_path / "pandas")]) == 0
    assert_same_scored(tmp_path / "dask", tmp_path / "pandas")


def test_unreachable_scheduler_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from segkit.data.synth import generate_bank

    data = tmp_path / "bank.parquet"
    generate_bank(100, 1, seed=1).to_parquet(data, index=False)
    params = str(REPO / "params" / "default.yaml")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code = main(["score", "--params", params, "--data", str(data), "--out", str(tmp_path / "out"), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"])

    assert code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_local_cluster_runs_one_single_threaded_worker_per_core() -> None:
    from segkit.dask_engine import connect
    from segkit.threads import available_cores

    def threads() -> tuple[str, int]:
        from threadpoolctl import threadpool_info

        return os.environ["OMP_NUM_THREADS"], max((pool["num_threads"] for pool in threadpool_info()), default=1)

    with connect() as client:
        assert sorted(client.nthreads().values()) == [1] * available_cores()
        assert set(client.run(threads).values()) == {("1", 1)}
        cluster = client.cluster
    assert client.status == "closed"
    assert cluster.status.name == "closed"

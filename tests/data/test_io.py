"""Reading exports, writing tables, and load = read + map + validate."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from segkit.config import MappingParams, load_params
from segkit.data.io import load_customers, read_table, write_table
from segkit.data.schema import MissingColumnWarning
from segkit.data.synth import generate_bank
from segkit.errors import DataValidationError, SegkitError

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def small_bank() -> pd.DataFrame:
    return generate_bank(500, 3, seed=5)


def load_quietly(path, mapping=None) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingColumnWarning)
        return load_customers(path, mapping)


@pytest.mark.parametrize("name", ["bank.csv", "bank.csv.gz", "bank.parquet"])
def test_round_trip(tmp_path, small_bank, name):
    path = write_table(small_bank, tmp_path / name)
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left behind
    pd.testing.assert_frame_equal(load_quietly(path), small_bank)


def test_folder_of_parquet_files(tmp_path, small_bank):
    small_bank.to_parquet(tmp_path / "bank", partition_cols=["branch_id"], index=False)
    table = load_quietly(tmp_path / "bank")
    assert table["branch_id"].dtype == "str"
    restored = table.sort_values("customer_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(restored, small_bank)


def test_ids_keep_leading_zeros(tmp_path):
    (tmp_path / "bank.csv").write_text("cust,branch_id,aum\n00123,001,5\n00124,001,6\n", encoding="utf-8")
    table = load_quietly(tmp_path / "bank.csv", MappingParams(rename={"cust": "customer_id"}))
    assert table["customer_id"].tolist() == ["00123", "00124"]
    assert table["branch_id"].tolist() == ["001", "001"]


def test_gb18030_csv(tmp_path):
    (tmp_path / "bank.csv").write_bytes("customer_id,branch_id,aum\nC1,浦东支行,5\n".encode("gb18030"))
    assert load_quietly(tmp_path / "bank.csv")["branch_id"].tolist() == ["浦东支行"]


def test_missing_path(tmp_path):
    with pytest.raises(SegkitError, match="nowhere.csv: no such file"):
        read_table(tmp_path / "nowhere.csv")


def test_empty_file(tmp_path):
    (tmp_path / "bank.csv").write_bytes(b"")
    with pytest.raises(SegkitError, match=r"bank.csv: the file is empty"):
        read_table(tmp_path / "bank.csv")


def test_header_only_file_has_no_rows(tmp_path):
    (tmp_path / "bank.csv").write_text("customer_id,branch_id,aum\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="has no customer rows"):
        load_quietly(tmp_path / "bank.csv")


def test_unreadable_parquet(tmp_path):
    (tmp_path / "bank.parquet").write_bytes(b"this is not parquet")
    with pytest.raises(SegkitError, match=r"bank.parquet: cannot read the file"):
        read_table(tmp_path / "bank.parquet")


def test_unreadable_csv(tmp_path):
    (tmp_path / "bank.csv").write_bytes(b'a,b\n"unclosed,1\n')
    with pytest.raises(SegkitError, match=r"bank.csv: cannot read the file"):
        read_table(tmp_path / "bank.csv")


def test_a_row_longer_than_the_header_is_refused_not_shifted(tmp_path):
    # without care, pandas turns the first fields into an index and shifts every value left
    (tmp_path / "bank.csv").write_text("customer_id,branch_id,aum\nC1,B1,5,9\nC2,B1,6\n", encoding="utf-8")
    with pytest.raises(SegkitError, match=r"bank.csv: some rows have more fields than the header line"):
        read_table(tmp_path / "bank.csv")


@pytest.mark.parametrize("separator", [";", "\t", "|"])
def test_other_separators_are_recognised(tmp_path, separator):
    rows = ["customer_id", "branch_id", "aum"], ["007", "B1", "5.5"], ["008", "B2", "6"]
    (tmp_path / "bank.txt").write_text("".join(separator.join(row) + "\n" for row in rows), encoding="utf-8")
    table = read_table(tmp_path / "bank.txt", text_columns=["customer_id"])
    assert list(table.columns) == ["customer_id", "branch_id", "aum"]
    assert table["customer_id"].tolist() == ["007", "008"]
    assert table["aum"].tolist() == [5.5, 6.0]


def test_write_to_an_unwritable_place_is_a_user_error(tmp_path, small_bank):
    (tmp_path / "file").write_text("x")
    with pytest.raises(SegkitError, match=r"bank.csv: cannot write the file"):
        write_table(small_bank, tmp_path / "file" / "bank.csv")  # a file where a folder should be


def test_unknown_suffix(tmp_path):
    (tmp_path / "bank.xlsx").write_bytes(b"x")
    with pytest.raises(SegkitError, match=r"bank.xlsx: unknown file type '.xlsx'"):
        read_table(tmp_path / "bank.xlsx")


def test_folder_without_parquet(tmp_path):
    with pytest.raises(SegkitError, match="holds no Parquet files"):
        read_table(tmp_path)


def test_write_refuses_unknown_suffix(tmp_path, small_bank):
    with pytest.raises(SegkitError, match="use .csv or .parquet"):
        write_table(small_bank, tmp_path / "bank.json")
    assert not any(tmp_path.iterdir())


def test_load_reports_problems_with_the_path(tmp_path, small_bank):
    bad = small_bank.assign(aum=small_bank["aum"].where(small_bank.index != 0, -1.0))
    path = write_table(bad, tmp_path / "bank.parquet")
    with pytest.raises(DataValidationError) as caught:
        load_quietly(path)
    assert str(caught.value).startswith(f"{path}: 1 problem(s) found")
    assert "column 'aum'" in str(caught.value)


@pytest.mark.realdata
def test_real_data_loads(real_data_path):
    params = load_params(REPO / "params" / "churn_modelling.yaml")
    table = load_quietly(real_data_path, params.data.mapping)
    assert len(table) == 10_000
    assert sorted(table["branch_id"].unique()) == ["France", "Germany", "Spain"]
    assert table["churned"].mean() == pytest.approx(0.2037)
    assert {"CreditScore", "IsActiveMember"} <= set(table.columns)
    assert table["customer_id"].is_unique

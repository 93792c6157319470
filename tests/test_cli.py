"""The ``segkit demo-data`` and ``segkit validate`` commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from segkit.cli import main

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO / "params" / "default.yaml"

BAD_CSV = """customer_id,branch_id,aum,age,kyc_completeness,credit_card
C1,B01,100,30,0.5,none
C2,B01,-5,130,1.5,gold
C2,B01,abc,40,0.2,active
"""


@pytest.fixture
def bad_csv(tmp_path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    return path


def test_demo_data_then_validate(tmp_path, capsys):
    out = tmp_path / "bank.parquet"
    assert main(["demo-data", "--out", str(out), "--customers", "2000", "--branches", "3", "--seed", "1"]) == 0
    assert "wrote 2,000 customers in 3 branches" in capsys.readouterr().out
    assert main(["validate", "--params", str(DEFAULT), "--data", str(out)]) == 0
    assert "2,000 customers, 3 branches: valid" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["bank.parquet", "bank.csv"])
def test_demo_data_files_are_byte_identical_for_the_same_seed(tmp_path, name):
    arguments = ["--customers", "3000", "--branches", "4", "--seed", "9"]
    assert main(["demo-data", "--out", str(tmp_path / "a" / name), *arguments]) == 0
    assert main(["demo-data", "--out", str(tmp_path / "b" / name), *arguments]) == 0
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_demo_data_refuses_unknown_suffix(tmp_path, capsys):
    assert main(["demo-data", "--out", str(tmp_path / "bank.json"), "--customers", "10"]) == 2
    assert "use .csv or .parquet" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_validate_lists_every_problem(bad_csv, capsys):
    assert main(["validate", "--params", str(DEFAULT), "--data", str(bad_csv)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for expected in [
        "column 'customer_id': must be unique (2 rows, e.g. C2)",
        "column 'aum': must be a number; found 'abc'",
        "column 'aum': must be at least 0",
        "column 'age': must be between 0 and 120",
        "column 'kyc_completeness': must be between 0 and 1",
        "column 'credit_card': must be one of none, inactive, active; found 'gold'",
    ]:
        assert expected in err
    assert "6 problem(s) found" in err


GOOD_ROWS = "C1,B01,100,30,0.5,none\nC2,B01,200,40,0.6,active\n"
HEADER = "customer_id,branch_id,aum,age,kyc_completeness,credit_card\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("customer_id,aum\nC1,100\n", "column 'branch_id': required column is missing", id="missing-required-column"),
        pytest.param(HEADER + GOOD_ROWS + "C3,B01,lots,50,0.5,none\nC4,B01,1e3,x,0.5,none\n",
                     "column 'aum': must be a number; found 'lots' (1 row, e.g. C3)", id="wrong-type-amount"),
        pytest.param(HEADER + GOOD_ROWS + "C3,B01,100,fifty,0.5,none\n",
                     "column 'age': must be a number; found 'fifty' (1 row, e.g. C3)", id="wrong-type-count"),
        pytest.param(HEADER + GOOD_ROWS + "C3,B01,-1,50,0.5,none\nC4,B01,-2.5,50,0.5,none\n",
                     "column 'aum': must be at least 0; found '-1.0', '-2.5' (2 rows, e.g. C3, C4)", id="negative-aum"),
        pytest.param(HEADER + GOOD_ROWS + "C3,B01,1,121,0.5,none\nC4,B01,1,-3,0.5,none\n",
                     "column 'age': must be between 0 and 120; found '121', '-3' (2 rows, e.g. C3, C4)", id="age-out-of-range"),
        pytest.param(HEADER + GOOD_ROWS + "C3,B01,1,50,1.2,none\n",
                     "column 'kyc_completeness': must be between 0 and 1; found '1.2' (1 row, e.g. C3)", id="kyc-out-of-range"),
        pytest.param(HEADER + GOOD_ROWS + "C2,B01,1,50,0.5,none\n",
                     "column 'customer_id': must be unique (2 rows, e.g. C2)", id="duplicate-customer-id"),
        pytest.param(HEADER + GOOD_ROWS + ",B01,1,50,0.5,none\n",
                     "column 'customer_id': must not be missing (1 row, e.g. row 3)", id="null-customer-id"),
        pytest.param(HEADER + GOOD_ROWS + "C3,B01,1,50,0.5,gold\n",
                     "column 'credit_card': must be one of none, inactive, active; found 'gold' (1 row, e.g. C3)", id="unknown-credit-card"),
        pytest.param("", "the file is empty", id="empty-file"),
        pytest.param(HEADER, "column '<table>': has no customer rows", id="header-only"),
        pytest.param(b"\xff\xfe\x00\x81\xff", "cannot decode the file as UTF-8 or GB18030 text", id="unreadable-bytes"),
        pytest.param('customer_id,branch_id,aum\n"C1,B01,100\n', "cannot read the file", id="unreadable-quoting"),
    ],
)
def test_each_bad_input_is_exit_2_with_one_readable_line(tmp_path, capsys, text, expected):
    data = tmp_path / "bank.csv"
    data.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    assert main(["validate", "--params", str(DEFAULT), "--data", str(data)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert err.startswith(f"segkit validate: error: {data}")
    assert expected in err.splitlines()[0] or any(line == f"  - {expected}" for line in err.splitlines())


def test_validate_unreadable_parquet(tmp_path, capsys):
    data = tmp_path / "bank.parquet"
    data.write_bytes(b"PAR1 this is not a parquet file")
    assert main(["validate", "--params", str(DEFAULT), "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert f"segkit validate: error: {data}: cannot read the file" in err and "Traceback" not in err


def test_demo_data_to_an_unwritable_place(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    assert main(["demo-data", "--out", str(tmp_path / "file" / "bank.parquet"), "--customers", "10"]) == 2
    err = capsys.readouterr().err
    assert "cannot write the file" in err and "Traceback" not in err


def test_validate_as_a_process(bad_csv):
    done = subprocess.run(
        [sys.executable, "-m", "segkit.cli", "validate", "--params", str(DEFAULT), "--data", str(bad_csv)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "segkit validate: error:" in done.stderr and "column 'aum'" in done.stderr


@pytest.mark.realdata
def test_validate_real_data(real_data_path, capsys):
    params = REPO / "params" / "churn_modelling.yaml"
    assert main(["validate", "--params", str(params), "--data", str(real_data_path)]) == 0
    out, err = capsys.readouterr()
    assert "10,000 customers, 3 branches: valid" in out
    assert "segkit validate: warning: optional column 'months_inactive' is missing" in err


def test_missing_optional_columns_are_one_readable_line_each(tmp_path, capsys):
    data = tmp_path / "bank.csv"
    data.write_text("customer_id,branch_id,aum\nC1,B1,100\nC2,B1,200\n")
    assert main(["validate", "--params", str(DEFAULT), "--data", str(data)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert "segkit validate: warning: optional column 'aum_prev' is missing; skipped: tier migration and falling-AUM churn signal" in err
    assert all(line.startswith("segkit validate: warning: ") for line in err)

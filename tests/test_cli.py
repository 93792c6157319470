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


def test_validate_empty_file(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert main(["validate", "--params", str(DEFAULT), "--data", str(empty)]) == 2
    err = capsys.readouterr().err
    assert "empty.csv: the file is empty" in err and "Traceback" not in err


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

"""The main job end to end: ``segkit run`` scores once and publishes every branch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from segkit.cli import main
from segkit.data.synth import generate_bank

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO / "params" / "default.yaml"


@pytest.fixture(scope="module")
def small_bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bank") / "customers.parquet"
    generate_bank(6_000, 3, seed=17).to_parquet(path, index=False)
    return path


@pytest.mark.slow
def test_run_publishes_every_branch_in_a_new_folder_and_never_overwrites(small_bank, tmp_path, capsys):
    reports = tmp_path / "reports"
    args = ["run", "--params", str(DEFAULT), "--data", str(small_bank), "--reports", str(reports), "--workers", "2"]

    assert main(args) == 0
    assert main(args) == 0

    runs = sorted((reports / "2026-09-30").iterdir())
    assert len(runs) == 2 and runs[0].name != runs[1].name
    for run_dir in runs:
        branches = json.loads((run_dir / "scored" / "branches.json").read_text())
        assert len(branches) == 3
        assert len(list((run_dir / "branches").glob("*.html"))) == 3
        assert (run_dir / "index.html").is_file() and (run_dir / "bank.html").is_file()
        manifest = json.loads((run_dir / "manifest.json").read_text())
        assert manifest["input"]["sha256"] == json.loads((run_dir / "scored" / "input.json").read_text())["sha256"]
        metrics = json.loads((run_dir / "scored" / "metrics.json").read_text())
        assert metrics["churn"]["evaluated"] and metrics["churn"]["roc_auc"] > 0.7
        assert 3 <= metrics["cluster"]["k"] <= 10
        card = json.loads((run_dir / "scored" / "models" / "churn_card.json").read_text())
        assert card["date"] == "2026-09-30" and len(card["data_fingerprint"]) == 64
        assert card["metrics"]["roc_auc"] == metrics["churn"]["roc_auc"]
        assert {"months_inactive", "aum_change"} <= {feature["name"] for feature in card["features"]}
        calls = "".join(path.read_text(encoding="utf-8-sig") for path in (run_dir / "branches").glob("*-calls.csv"))
        assert "睡眠客户" in calls  # the dormant wake-up list
    assert "published 4 of 4 reports" in capsys.readouterr().out


def test_bad_data_is_exit_2_and_leaves_no_run_folder(tmp_path, capsys):
    data = tmp_path / "bank.csv"
    data.write_text("customer_id,branch_id,aum\nC1,B1,100\nC1,B1,-5\n")
    reports = tmp_path / "reports"

    assert main(["run", "--params", str(DEFAULT), "--data", str(data), "--reports", str(reports)]) == 2

    err = capsys.readouterr().err
    assert "customer_id" in err and "aum" in err and "C1" in err
    assert not reports.exists() or not any(reports.rglob("*"))

"""`segkit score` adds the churn columns, writes honest metrics and a model every report reuses."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segkit.churn import ChurnScorer, HeuristicChurnScorer
from segkit.churn.output import bands
from segkit.cli import main
from segkit.data.synth import generate_bank
from segkit.persist import load_model
from segkit.scored import Scored

REPO = Path(__file__).resolve().parents[2]
DEFAULT = REPO / "params" / "default.yaml"
CHURN_COLUMNS = [
    "churn_score", "churn_band", "value_at_risk",
    "churn_reason_1_en", "churn_reason_1_zh", "churn_reason_2_en", "churn_reason_2_zh", "churn_reason_3_en", "churn_reason_3_zh",
    "churn_driver_1", "churn_driver_2", "churn_driver_3", "churn_method",
]  # fmt: skip
METRICS = (
    "roc_auc", "pr_auc", "brier", "lift_top10", "capture_top10", "lift_top20", "capture_top20",
    "calibration_curve", "roc_auc_folds", "bands",
)  # fmt: skip


def _score(bank: pd.DataFrame, folder: Path) -> Scored:
    data = folder / "bank.parquet"
    bank.to_parquet(data, index=False)
    assert main(["score", "--params", str(DEFAULT), "--data", str(data), "--out", str(folder / "scored")]) == 0
    return Scored.open(folder / "scored")


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Scored:
    return _score(generate_bank(4_000, 3, seed=23), tmp_path_factory.mktemp("labelled"))


@pytest.fixture(scope="module")
def unlabelled(tmp_path_factory: pytest.TempPathFactory) -> Scored:
    return _score(generate_bank(3_000, 2, seed=29).drop(columns="churned"), tmp_path_factory.mktemp("unlabelled"))


@pytest.mark.slow
def test_score_adds_the_churn_columns_to_every_customer(labelled: Scored) -> None:
    customers = labelled.customers()
    assert len(customers) == 4_000
    assert set(CHURN_COLUMNS) <= set(customers.columns)
    assert customers["churn_score"].between(0, 1).all() and customers["churn_score"].notna().all()
    card = json.loads((labelled.path / "models" / "churn_card.json").read_text(encoding="utf-8"))
    expected = bands(customers["churn_score"].to_numpy(), card["bands"]["high"], card["bands"]["medium"])
    assert (customers["churn_band"].to_numpy(dtype=object) == expected).all()
    np.testing.assert_allclose(customers["value_at_risk"], customers["churn_score"] * customers["aum"])
    assert (customers["churn_method"] == "model").all()
    # every reason in both languages, whatever the report language; a driver behind each
    chinese, english = customers["churn_reason_1_zh"].dropna(), customers["churn_reason_1_en"].dropna()
    assert len(chinese) > 0.8 * len(customers) and chinese.str.contains(r"[\u4e00-\u9fff]").all()
    assert english.index.equals(chinese.index) and not english.str.contains(r"[\u4e00-\u9fff]").any()
    assert (customers["churn_reason_1_zh"].notna() == customers["churn_driver_1"].notna()).all()
    assert not [name for name in customers.columns if name in ("churn_reason_1", "churn_reason_2", "churn_reason_3")]


@pytest.mark.slow
def test_every_report_reuses_the_saved_model(labelled: Scored) -> None:
    customers = labelled.customers()
    model = load_model(labelled.path / "models" / "churn.skops")
    assert isinstance(model, ChurnScorer)
    again = model.score(customers)
    pd.testing.assert_frame_equal(again, customers[CHURN_COLUMNS], check_dtype=False)
    card = json.loads((labelled.path / "models" / "churn_card.json").read_text(encoding="utf-8"))
    assert card["data_fingerprint"] == model.data_fingerprint_ and card["date"] == "2026-09-30"
    assert [feature["name"] for feature in card["features"]] == model.features_
    # one branch's rows score the same on their own: nothing is refitted per branch
    branch = labelled.branches["branch_id"].iloc[0]
    own = labelled.customers(branch)
    pd.testing.assert_frame_equal(model.score(own), own[CHURN_COLUMNS], check_dtype=False)


@pytest.mark.slow
def test_metrics_json_holds_the_out_of_fold_evaluation(labelled: Scored) -> None:
    churn = labelled.metrics["churn"]
    assert churn["method"] == "model" and churn["evaluated"] is True
    assert set(METRICS) <= set(churn)
    assert 0.7 < churn["roc_auc"] < 0.9 and churn["brier"] < 0.15 and churn["lift_top10"] > 2
    assert len(churn["calibration_curve"]) == 10
    card = json.loads((labelled.path / "models" / "churn_card.json").read_text(encoding="utf-8"))
    assert card["metrics"] == churn


@pytest.mark.slow
def test_without_a_label_score_uses_the_labelled_heuristic(unlabelled: Scored) -> None:
    customers = unlabelled.customers()
    assert set(CHURN_COLUMNS) <= set(customers.columns)
    assert (customers["churn_method"] == "heuristic").all()
    assert customers["churn_score"].between(0, 1).all()
    assert isinstance(load_model(unlabelled.path / "models" / "churn.skops"), HeuristicChurnScorer)
    assert unlabelled.metrics["churn"] == {
        "method": "heuristic",
        "evaluated": False,
        "note": "no churned label: scores come from the rule-based early warning and cannot be evaluated",
    }
    card = json.loads((unlabelled.path / "models" / "churn_card.json").read_text(encoding="utf-8"))
    assert card["method"] == "heuristic" and card["signals"]

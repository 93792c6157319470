"""Quality bar on the public bank data set Churn_Modelling.csv (10,000 customers)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from segkit.churn import ChurnScorer, evaluate, fit_churn
from segkit.churn.evaluate import lift_capture
from segkit.config import ChurnParams, Params, load_params
from segkit.data.io import load_customers
from segkit.data.schema import canonical_columns

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def params() -> Params:
    return load_params(REPO / "params" / "churn_modelling.yaml")


@pytest.fixture(scope="module")
def customers(real_data_path: Path, params: Params) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # optional columns this data set lacks
        return load_customers(real_data_path, params.data.mapping)


@pytest.fixture(scope="module")
def cross_validated(customers: pd.DataFrame, params: Params) -> np.ndarray:
    """5-fold cross-validated churn probabilities of the default scorer (30 fits: slow)."""
    scorer = ChurnScorer.from_params(params.churn, seed=params.seed, features=params.data.mapping.features)
    proba = cross_val_predict(
        scorer,
        customers,
        customers["churned"],
        cv=StratifiedKFold(5, shuffle=True, random_state=params.seed),
        method="predict_proba",
    )
    return proba[:, 1]


@pytest.fixture(scope="module")
def fitted(customers: pd.DataFrame, params: Params) -> ChurnScorer:
    return fit_churn(customers, params.churn, seed=params.seed, features=params.data.mapping.features)


def _target(customers: pd.DataFrame) -> np.ndarray:
    return customers["churned"].to_numpy(dtype=np.int64)


@pytest.mark.slow
def test_cross_validated_roc_auc(customers: pd.DataFrame, cross_validated: np.ndarray) -> None:
    assert roc_auc_score(_target(customers), cross_validated) >= 0.865


@pytest.mark.slow
def test_cross_validated_brier(customers: pd.DataFrame, cross_validated: np.ndarray) -> None:
    assert brier_score_loss(_target(customers), cross_validated) <= 0.102


@pytest.mark.slow
def test_cross_validated_top_decile_lift(customers: pd.DataFrame, cross_validated: np.ndarray) -> None:
    lift, capture = lift_capture(_target(customers), cross_validated, 0.1)
    assert lift >= 4.0
    assert capture == pytest.approx(lift * 0.1)


@pytest.mark.slow
def test_cross_validated_probabilities_are_calibrated(customers: pd.DataFrame, cross_validated: np.ndarray) -> None:
    assert abs(cross_validated.mean() - _target(customers).mean()) <= 0.01


def test_every_available_column_is_a_feature(customers: pd.DataFrame, fitted: ChurnScorer, params: Params) -> None:
    assert "CreditScore" in fitted.features_
    assert "IsActiveMember" in fitted.features_
    assert "branch_id" in fitted.features_
    not_features = {"customer_id", "manager_id", "name", "phone", "churned"}
    present = [name for name in canonical_columns() if name in customers and name not in not_features]
    assert {"age", "gender", "income", "aum", "n_products", "credit_card", "tenure_months"} <= set(present)
    varying = [name for name in present if customers[name].nunique() >= 2]
    assert sorted(set(varying) - set(fitted.features_)) == []
    # the constant column (every customer is retail) cannot be learnt and is reported as dropped
    assert fitted.dropped_features_ == [name for name in present if name not in varying]


def test_evaluate_reports_out_of_fold_metrics(customers: pd.DataFrame, fitted: ChurnScorer) -> None:
    metrics = evaluate(fitted)
    for key in (
        "roc_auc", "roc_auc_folds", "pr_auc", "brier", "log_loss", "lift_top10", "capture_top10",
        "lift_top20", "capture_top20", "calibration_curve", "bands", "base_rate", "n_rows", "features",
    ):  # fmt: skip
        assert key in metrics
    target = _target(customers)
    assert metrics["n_rows"] == len(customers)
    assert metrics["base_rate"] == pytest.approx(target.mean())
    assert 0.84 <= metrics["roc_auc"] <= 0.9
    assert len(metrics["roc_auc_folds"]) == fitted.cv
    assert 0.08 <= metrics["brier"] <= 0.11
    assert 3.5 <= metrics["lift_top10"] <= 1 / target.mean()
    assert 0.5 <= metrics["pr_auc"] <= 0.8
    # honest: the model scores its own training customers better than the out-of-fold figure says
    in_sample = roc_auc_score(target, fitted.predict_proba(customers)[:, 1])
    assert metrics["roc_auc"] < in_sample
    assert metrics["roc_auc"] == pytest.approx(roc_auc_score(fitted.oof_target_, fitted.oof_score_))


def test_no_model_setting_is_tuned_to_this_file(params: Params) -> None:
    # the run config of this data set words the reasons; every model setting is the generic default
    generic = ChurnParams().model_dump(exclude={"labels"})
    assert params.churn.model_dump(exclude={"labels"}) == generic
    assert set(params.churn.labels) <= set(params.data.mapping.features)


def test_reasons_read_the_mapped_columns(customers: pd.DataFrame, fitted: ChurnScorer) -> None:
    scored = fitted.score(customers)
    assert scored["churn_reason_1_en"].notna().mean() > 0.9 and scored["churn_reason_1_zh"].notna().mean() > 0.9
    drivers = set(scored[["churn_driver_1", "churn_driver_2", "churn_driver_3"]].stack().unique())
    assert {"age", "n_products", "IsActiveMember"} <= drivers
    top = fitted.drivers_table()["feature"].head(3).tolist()
    assert {"age", "n_products"} <= set(top)
    # the 0/1 extra column reads in plain words under the name the params give it
    assert fitted.binary_ == ["IsActiveMember"]
    explained = fitted.explain(customers)
    inactive = explained["churn_driver_1"].eq("IsActiveMember") | explained["churn_driver_2"].eq("IsActiveMember")
    texts = pd.concat([explained.loc[explained[f"churn_driver_{rank}"] == "IsActiveMember", f"churn_reason_{rank}_{lang}"]
                       for rank in (1, 2, 3) for lang in ("en", "zh")])  # fmt: skip
    assert inactive.sum() > 1_000 and set(texts) == {"active member: no", "活跃客户：否"}
    assert (customers.loc[inactive, "IsActiveMember"] == 0).all()
    drivers_table = fitted.drivers_table().set_index("feature")
    assert drivers_table.loc["IsActiveMember", "label_zh"] == "活跃客户"
    assert drivers_table.loc["CreditScore", "label_en"] == "credit score"


def test_reasons_explain_most_of_the_score(fitted: ChurnScorer) -> None:
    # this data has strong interactions (age x activity, products x age); main effects still carry most of it
    assert fitted.attribution_r2_ >= 0.8

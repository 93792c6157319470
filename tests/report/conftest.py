"""A small scored folder for the report tests.

Rules and book assignment are segkit's own; the cluster and churn columns are
drawn here (simple, seeded functions of the data), so the report code is
tested on the full scored layout without fitting models.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segkit.config import Params, load_params
from segkit.fileio import sha256_path
from segkit.scored import write_customers, write_json, write_parquet

ROOT = Path(__file__).resolve().parents[2]
REASONS = {
    "en": np.array(["inactive 6 of the last 12 months", "few transactions", "assets down 30%", "short tenure",
                    "rarely contacted"], dtype=object),
    "zh": np.array(["近12个月中6个月无交易", "交易少", "资产较上期下降30%", "开户时间短", "联系少"], dtype=object),
}
CLUSTERS = np.array(["young savers", "affluent families", "dormant", "merchants", "retirees"], dtype=object)


def fake_models(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Cluster and churn columns as the scored table holds them."""
    rng = np.random.default_rng(seed)
    n = len(frame)
    inactive = frame["months_inactive"].astype("float").fillna(0).to_numpy()
    score = 1 / (1 + np.exp(-(-2.5 + 0.45 * inactive + rng.normal(0, 0.6, n))))
    band = np.where(score >= 0.5, "high", np.where(score >= 0.2, "medium", "low"))
    cluster = (np.log1p(frame["aum"].to_numpy()) // 3).astype(int) % len(CLUSTERS)
    picks = rng.permuted(np.tile(np.arange(len(REASONS["en"])), (n, 1)), axis=1)[:, :3]
    return pd.DataFrame(
        {
            "cluster": cluster.astype("int64"),
            "cluster_name": pd.Series(CLUSTERS[cluster], dtype="str"),
            "churn_score": score,
            "churn_band": pd.Series(band, dtype="str"),
            "value_at_risk": score * frame["aum"].to_numpy(),
            **{f"churn_reason_{rank + 1}_{language}": pd.Series(words[picks[:, rank]], dtype="str")
               for language, words in REASONS.items() for rank in range(3)},
        },
        index=frame.index,
    )


CHURN_METRICS = {
    "method": "model", "evaluated": True, "cv_folds": 5, "n_rows": 1500, "base_rate": 0.18, "roc_auc": 0.8,
    "roc_auc_folds": [0.79, 0.8, 0.81, 0.8, 0.8], "pr_auc": 0.5, "brier": 0.12, "log_loss": 0.38, "lift_top10": 3.4,
    "capture_top10": 0.34, "lift_top20": 2.6, "capture_top20": 0.52,
    "calibration_curve": [{"bin": b, "n": 150, "mean_score": 0.05 * b, "churn_rate": 0.05 * b - 0.01} for b in range(1, 11)],
    "bands": [{"band": "high", "n": 100, "share": 0.07, "churn_rate": 0.6},
              {"band": "medium", "n": 300, "share": 0.2, "churn_rate": 0.3},
              {"band": "low", "n": 1100, "share": 0.73, "churn_rate": 0.08}],
}


def build_scored(folder: Path, params: Params, n_customers: int = 1500, n_branches: int = 3, seed: int = 7) -> Path:
    """Write a scored folder of a small synthetic bank into ``folder`` (its input beside it).

    Rules, book assignment and every bank table (migration, targets, corporate
    review) are segkit's own; the cluster and churn columns come from
    :func:`fake_models`.
    """
    from segkit import rules
    from segkit.data.synth import generate_bank
    from segkit.stages import assign_branches, bank_tables, data_profile, merge_profiles

    customers = generate_bank(n_customers=n_customers, n_branches=n_branches, seed=seed)
    source = folder.parent / "customers.parquet"
    write_parquet(source, customers)
    profile = merge_profiles([data_profile(customers)])
    customers = pd.concat([customers, rules.apply_rules(customers, params)], axis=1)
    customers = pd.concat([customers, fake_models(customers, seed)], axis=1)
    customers, tables = assign_branches(customers, params)
    tables.update(bank_tables(tables, customers[customers["customer_type"] == "corporate"], params))
    branches = write_customers(folder, customers)
    write_json(folder / "branches.json", branches.to_dict(orient="records"))
    tables["churn_drivers"] = pd.DataFrame({
        "feature": ["months_inactive", "n_products", "age"], "importance": [0.5, 0.3, 0.2], "share": [0.5, 0.3, 0.2],
        "label_en": ["months without transactions", "products held", "age"], "label_zh": ["无交易月数", "持有产品数", "年龄"]})
    for name, table in tables.items():
        write_parquet(folder / "tables" / f"{name}.parquet", table)
    write_json(folder / "metrics.json", {"churn": CHURN_METRICS, "cluster": {"k": len(CLUSTERS)}, "data": profile})
    write_json(folder / "params.json", params.model_dump(mode="json"))
    write_json(folder / "input.json", {"path": str(source), "sha256": sha256_path(source), "rows": len(customers)})
    return folder


@pytest.fixture(scope="session")
def params() -> Params:
    return load_params(ROOT / "params" / "default.yaml")


@pytest.fixture(scope="session")
def scored_dir(tmp_path_factory, params) -> Path:
    return build_scored(tmp_path_factory.mktemp("bank") / "scored", params)

"""`segkit score` puts every customer in a named cluster and records the evidence for k."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from segkit.cli import main
from segkit.data.synth import generate_bank
from segkit.persist import load_model
from segkit.scored import Scored

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_score_adds_named_clusters_and_records_k_silhouette_and_stability(tmp_path):
    data = tmp_path / "bank.parquet"
    generate_bank(3_000, 2, seed=21).to_parquet(data, index=False)
    out = tmp_path / "scored"

    assert main(["score", "--params", str(REPO / "params" / "default.yaml"), "--data", str(data), "--out", str(out)]) == 0

    scored = Scored.open(out)
    customers = scored.customers(columns=["customer_id", "cluster", "cluster_name", "cluster_name_zh"])
    metrics = json.loads((out / "metrics.json").read_text())["cluster"]
    assert len(customers) == 3_000 and customers["cluster"].notna().all()
    assert set(customers["cluster"]) == set(range(metrics["k"]))
    names = {c["cluster"]: (c["name"], c["name_zh"]) for c in metrics["clusters"]}
    pairs = customers.drop_duplicates("cluster").set_index("cluster")
    assert {c: (pairs.loc[c, "cluster_name"], pairs.loc[c, "cluster_name_zh"]) for c in pairs.index} == names
    assert metrics["k_source"] == "evidence" and metrics["stability"] >= metrics["min_stability"]
    assert -1 <= metrics["silhouette"] <= 1
    chosen = [row for row in metrics["k_table"] if row["k"] == metrics["k"]]
    assert chosen == [{**chosen[0], "silhouette": metrics["silhouette"], "stability": metrics["stability"]}]
    segmenter = load_model(out / "models" / "segmenter.skops")
    assert (segmenter.predict(scored.customers()) == scored.customers()["cluster"].to_numpy()).all()

"""The analyst notebook runs top to bottom on a demo bank, from any working directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_clusters_notebook_explores_k_profiles_and_tiers(demo_bank, tmp_path, monkeypatch):
    import papermill as pm

    from segkit.data.io import write_table

    data = write_table(demo_bank.head(6_000), tmp_path / "customers.parquet")
    monkeypatch.chdir(tmp_path)  # paths must not depend on the working directory
    nb = pm.execute_notebook(
        str(REPO / "notebooks" / "clusters.ipynb"),
        None,
        parameters={"data_path": str(data), "params_path": str(REPO / "params" / "default.yaml"), "sample_rows": 4_000,
                    "language": "zh"},
        kernel_name="segkit",
        progress_bar=False,
    )
    shown = json.dumps([cell.get("outputs", []) for cell in nb.cells], ensure_ascii=False)
    assert "4,000 customers" in shown
    assert shown.count("[chart] ") == 3  # k table, profiles, tiers
    assert "k = " in shown and "behaves_like" in shown and "全行" in shown

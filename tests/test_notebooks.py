"""The committed notebooks hold the outputs of the demo bank, and re-executing them gives the same outputs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from segkit.cli import main
from segkit.config import load_params
from segkit.pipeline import score
from segkit.report.audit import SANITIZE

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_every_committed_notebook_holds_its_outputs():
    import nbformat

    for path in NOTEBOOKS:
        cells = [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
        showing = [cell for cell in cells if "show(" in cell.source or "print(" in cell.source]
        assert showing and all(cell.outputs for cell in showing), path.name
        assert not any(out.get("output_type") == "error" for cell in cells for out in cell.outputs), path.name


@pytest.mark.slow
def test_the_committed_notebooks_reproduce_on_a_fresh_demo_bank(tmp_path):
    data = tmp_path / "demo" / "customers.parquet"
    assert main(["demo-data", "--out", str(data), "--customers", "200000", "--branches", "20", "--seed", "20260930"]) == 0
    score(load_params(ROOT / "params" / "default.yaml"), data=data, out=tmp_path / "scored")  # as `make demo`
    (tmp_path / "sanitize.cfg").write_text(SANITIZE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts =\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider", "--nbval-kernel-name=segkit",
         f"--nbval-sanitize-with={tmp_path / 'sanitize.cfg'}", "-c", str(tmp_path / "pytest.ini"),
         f"--rootdir={tmp_path}", *map(str, NOTEBOOKS)],
        cwd=tmp_path, env={**os.environ, "SEGKIT_SCORED_DIR": str(tmp_path / "scored")},
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]

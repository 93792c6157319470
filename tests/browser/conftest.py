"""A small published run for the browser tests (built like the report tests' fixture)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from segkit.report.batch import report

_SPEC = importlib.util.spec_from_file_location("segkit_report_fixture", Path(__file__).parents[1] / "report" / "conftest.py")
_FIXTURE = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_FIXTURE)


@pytest.fixture(scope="session")
def published_run(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    params = _FIXTURE.load_params(_FIXTURE.ROOT / "params" / "default.yaml")
    scored = _FIXTURE.build_scored(root / "scored", params, n_customers=900, n_branches=2)
    out = root / "run-browser"
    outcome = report(scored, out, workers=2, progress=False)
    assert outcome.ok, outcome.summary()
    return out

"""Shared fixtures for the rules tests."""

from __future__ import annotations

import pytest
from rules_helpers import ROOT

from segkit.config import Params, load_params


@pytest.fixture(scope="session")
def params() -> Params:
    return load_params(ROOT / "params" / "default.yaml")

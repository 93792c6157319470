"""Three-split matrix: asset level × familiarity, and familiarity needing both inputs."""

from __future__ import annotations

import numpy as np
import pytest
from rules_helpers import customers

from segkit.config import FamiliarityParams, MatrixParams
from segkit.errors import ParamsError
from segkit.rules import apply_rules
from segkit.rules.matrix import MATRIX_GROUPS, familiarity


@pytest.mark.parametrize(
    ("contacts", "kyc", "expected"),
    [
        (0, 0.0, "unfamiliar"),
        (12, 0.1, "semi"),        # many contacts, but the bank knows little
        (0, 1.0, "semi"),         # a full file, but no relationship
        (1, 0.5, "unfamiliar"),
        (2, 0.4, "semi"),         # both at the lower thresholds
        (6, 0.4, "familiar"),
        (2, 0.7, "familiar"),
        (5, 0.69, "semi"),
        (6, 0.7, "familiar"),
    ],
)
def test_familiarity_combines_contacts_and_kyc(contacts, kyc, expected):
    frame = customers([{"contacts_12m": contacts, "kyc_completeness": kyc}])
    assert familiarity(frame, FamiliarityParams()).iloc[0] == expected


def test_one_input_alone_never_decides_familiarity():
    only_contacts = customers([{"contacts_12m": 20}])
    only_kyc = customers([{"kyc_completeness": 1.0}])
    assert familiarity(only_contacts, FamiliarityParams()).isna().all()
    assert familiarity(only_kyc, FamiliarityParams()).isna().all()
    row_missing = customers([{"contacts_12m": 20, "kyc_completeness": None}])
    assert familiarity(row_missing, FamiliarityParams()).isna().all()


def test_matrix_group_needs_both_asset_level_and_familiarity(params):
    frame = customers(
        [
            {"aum": 2_000_000, "contacts_12m": 0, "kyc_completeness": 0.1},
            {"aum": 60_000, "contacts_12m": 8, "kyc_completeness": 0.9},
            {"aum": 5_000, "contacts_12m": 3, "kyc_completeness": 0.2},
            {"aum": 500_000, "contacts_12m": None, "kyc_completeness": 0.9},
        ]
    )
    out = apply_rules(frame, params)
    assert out["asset_level"].tolist() == ["high", "mid", "low", "high"]
    assert out["matrix_group"].astype(object).tolist()[:3] == ["high-unfamiliar", "mid-familiar", "low-unfamiliar"]
    assert out["matrix_group"].isna().tolist() == [False, False, False, True]
    assert out["matrix_group"].cat.categories.tolist() == MATRIX_GROUPS and len(MATRIX_GROUPS) == 9


def test_all_nine_groups_are_reachable(params):
    rng = np.random.default_rng(3)
    n = 2000
    frame = customers(
        [{"aum": a, "contacts_12m": c, "kyc_completeness": k}
         for a, c, k in zip(rng.choice([1e3, 1e5, 1e6], n), rng.integers(0, 10, n), rng.random(n), strict=True)]
    )
    assert set(apply_rules(frame, params)["matrix_group"].dropna()) == set(MATRIX_GROUPS)


def test_every_tier_needs_an_asset_level(params):
    broken = params.model_copy(
        update={"rules": params.rules.model_copy(update={"matrix": MatrixParams(asset_levels={"high": ["core"], "low": ["mass"]})})}
    )
    with pytest.raises(ParamsError, match=r"unplaced tiers \['potential', 'quality', 'key'\]"):
        apply_rules(customers([{"aum": 1}]), broken)


def test_bad_familiarity_thresholds_are_rejected():
    with pytest.raises(ValueError, match="ascending"):
        FamiliarityParams(contacts=(6, 2))

"""Tier migration between periods."""

from __future__ import annotations

import pytest
from rules_helpers import customers

from segkit.errors import SegkitError
from segkit.rules import migration_lists, migration_matrix


def test_migration_counts(params):
    frame = customers(
        [
            {"aum_prev": 5_000, "aum": 60_000},        # mass -> quality
            {"aum_prev": 5_000, "aum": 6_000},         # mass -> mass
            {"aum_prev": 2_000_000, "aum": 400_000},   # core -> key
            {"aum_prev": 50_000, "aum": 49_999.99},    # quality -> potential
            {"aum_prev": None, "aum": 1_000_000},      # new: not counted
        ]
    )
    matrix = migration_matrix(frame, params.schemes.tier)
    assert matrix.index.tolist() == matrix.columns.tolist() == ["mass", "potential", "quality", "key", "core"]
    assert matrix.index.name == "previous" and matrix.columns.name == "current"
    assert matrix.to_numpy().sum() == 4
    assert matrix.loc["mass", "quality"] == 1 and matrix.loc["mass", "mass"] == 1
    assert matrix.loc["core", "key"] == 1 and matrix.loc["quality", "potential"] == 1

    up, down = migration_lists(frame, params.schemes.tier)
    assert up["customer_id"].tolist() == ["C000"] and up["steps"].tolist() == [2]
    assert down["customer_id"].tolist() == ["C002", "C003"] and down["current"].tolist() == ["key", "potential"]


def test_vip_migration_uses_the_same_code(params):
    frame = customers([{"aum_prev": 7_999_999.99, "aum": 8_000_000}])
    up, _ = migration_lists(frame, params.schemes.vip)
    assert (up["previous"].iloc[0], up["current"].iloc[0]) == ("near_private", "private")


def test_migration_needs_the_previous_period(params):
    with pytest.raises(SegkitError, match="aum_prev"):
        migration_matrix(customers([{"aum": 1}]), params.schemes.tier)

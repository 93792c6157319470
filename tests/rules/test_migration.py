"""Tier migration between periods."""

from __future__ import annotations

import pytest
from rules_helpers import customers

from segkit.errors import SegkitError
from segkit.rules import migration_lists, migration_matrix, migration_tables


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


def test_migration_tables_cover_the_pyramid_and_the_vip_levels(params):
    frame = customers(
        [
            {"aum_prev": 90_000, "aum": 120_000},        # VIP effective -> silver; tier stays quality
            {"aum_prev": 600_000, "aum": 1_200_000},     # gold -> diamond; key -> core
            {"aum_prev": 5_000, "aum": 4_000},           # no move
            {"aum_prev": 120_000, "aum": 40_000},        # silver -> effective; quality -> potential
        ],
        manager_id="M1",
    )
    tables = migration_tables(frame, params)
    assert set(tables) == {"migration", "vip_migration", "upgraded", "downgraded"}
    assert tables["vip_migration"].loc["effective", "silver"] == 1 and tables["migration"].loc["key", "core"] == 1
    up = tables["upgraded"]
    assert up[["measure", "customer_id", "previous", "current"]].values.tolist() == [
        ["vip_level", "C000", "effective", "silver"],
        ["vip_level", "C001", "gold", "diamond"],
        ["tier", "C001", "key", "core"],
    ]
    down = tables["downgraded"]
    assert down[["measure", "customer_id"]].values.tolist() == [["vip_level", "C003"], ["tier", "C003"]]
    assert (down["manager_id"] == "M1").all()


def test_migration_tables_of_branches_add_up_to_the_bank(params):
    frame = customers([{"branch_id": f"B{i % 3}", "aum_prev": 7_000.0 * i, "aum": 9_000.0 * (i % 7)} for i in range(60)])
    whole = migration_tables(frame, params)
    parts = [migration_tables(part, params) for _, part in frame.groupby("branch_id")]
    assert (sum(part["migration"] for part in parts) == whole["migration"]).all().all()
    assert sum(len(part["upgraded"]) for part in parts) == len(whole["upgraded"])


def test_migration_tables_need_the_previous_period(params):
    assert migration_tables(customers([{"aum": 1}]), params) == {}


def test_corporate_customers_are_out_of_the_retail_migration(params):
    frame = customers(
        [
            {"customer_type": "corporate", "aum_prev": 5_000, "aum": 20_000_000},
            {"customer_type": "merchant", "aum_prev": 5_000, "aum": 60_000},
            {"customer_type": "retail", "aum_prev": 2_000_000, "aum": 400_000},
        ]
    )
    tables = migration_tables(frame, params)
    assert tables["migration"].to_numpy().sum() == 2 and tables["vip_migration"].to_numpy().sum() == 2
    assert tables["migration"].loc["mass", "quality"] == 1 and tables["migration"].loc["core", "key"] == 1
    assert "C000" not in set(tables["upgraded"]["customer_id"]) | set(tables["downgraded"]["customer_id"])

"""Book assignment 归户: keep books, fill by tier, least-loaded first, within caps."""

from __future__ import annotations

import numpy as np
import pytest
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_helpers import customers

from segkit.config import AssignmentParams
from segkit.rules import apply_rules, assign_books


def _ids(series: pd.Series) -> list:
    return [None if pd.isna(value) else value for value in series]


def _with(params, **assignment):
    return params.model_copy(update={"assignment": AssignmentParams(**assignment)})


def test_existing_managers_are_kept_and_the_rest_filled_by_tier(params):
    frame = customers(
        [
            {"manager_id": "M1", "aum": 10},
            {"manager_id": "M1", "aum": 10},
            {"manager_id": "M2", "aum": 10},
            {"manager_id": None, "aum": 3},           # mass, smallest: last, no room left
            {"manager_id": None, "aum": 2_000_000},   # core: first, to the least-loaded M2
            {"manager_id": None, "aum": 400_000},     # key: M1 and M2 both hold 2, tie -> M1
            {"manager_id": None, "aum": 5},           # mass: the last room, M2
        ]
    )
    result = assign_books(frame, _with(params, cap=3))
    assert _ids(result.manager_id) == ["M1", "M1", "M2", None, "M2", "M1", "M2"]
    assert result.assignment.tolist() == ["existing"] * 3 + ["unassigned", "assigned", "assigned", "assigned"]
    books = result.books
    assert books["manager_id"].tolist() == ["M1", "M2"]
    assert books["customers"].tolist() == [3, 3] and books["new"].tolist() == [1, 2]
    assert books["tier_core"].tolist() == [0, 1] and books["tier_key"].tolist() == [1, 0]
    assert books["over_cap"].tolist() == [False, False] and books["room"].tolist() == [0, 0]
    branch = result.branches.iloc[0]
    assert (branch["customers"], branch["managers"], branch["capacity"], branch["unassigned"]) == (7, 2, 6, 1)
    assert branch["managers_needed"] == 3 and branch["managers_lacking"] == 1


def test_over_cap_managers_keep_their_customers_and_are_reported(params):
    frame = customers([{"manager_id": "M1", "aum": 1}] * 5 + [{"manager_id": None, "aum": 1}])
    result = assign_books(frame, _with(params, cap=3))
    assert result.manager_id.tolist()[:5] == ["M1"] * 5 and pd.isna(result.manager_id.iloc[5])
    assert result.books["over_cap"].tolist() == [True]
    branch = result.branches.iloc[0]
    assert branch["managers_over_cap"] == 1 and branch["managers_needed"] == 2 and branch["managers_lacking"] == 1


def test_branch_caps_override_the_default(params):
    frame = pd.concat(
        [
            customers([{"manager_id": "X", "aum": 1}] + [{"manager_id": None, "aum": 1}] * 4, branch_id="B1"),
            customers([{"manager_id": "Y", "aum": 1}] + [{"manager_id": None, "aum": 1}] * 4, branch_id="B2"),
        ],
        ignore_index=True,
    ).assign(customer_id=lambda f: [f"C{i}" for i in range(len(f))])
    result = assign_books(frame, _with(params, cap=5, branch_caps={"B2": 2}))
    assert result.books.set_index("branch_id")["customers"].to_dict() == {"B1": 5, "B2": 2}
    assert result.branches.set_index("branch_id")["managers_lacking"].to_dict() == {"B1": 0, "B2": 2}


def test_managers_never_cross_branches(params):
    frame = customers([{"branch_id": "B1", "manager_id": "M1", "aum": 1}, {"branch_id": "B2", "manager_id": None, "aum": 1}])
    result = assign_books(frame, params)
    assert pd.isna(result.manager_id.iloc[1])
    assert result.branches.set_index("branch_id").loc["B2", "managers_lacking"] == 1


def test_roster_managers_without_customers_take_new_ones(params):
    frame = customers([{"manager_id": "M1", "aum": 1}, {"manager_id": None, "aum": 1}, {"manager_id": None, "aum": 2}])
    roster = pd.DataFrame({"branch_id": ["B1"], "manager_id": ["M9"]})
    result = assign_books(frame, params, managers=roster)
    assert result.manager_id.tolist() == ["M1", "M1", "M9"]  # larger AUM first, to the empty book


def test_claims_come_before_the_automatic_assignment(params):
    frame = customers(
        [{"manager_id": "M1", "aum": 1}, {"manager_id": "M2", "aum": 1}]
        + [{"manager_id": None, "aum": a} for a in (3_000_000, 2_000_000, 10)]
    )
    claims = pd.DataFrame({"customer_id": ["C004", "C003", "C000", "C404"], "manager_id": ["M1", "M1", "M2", "M1"]})
    with pytest.warns(UserWarning) as caught:
        result = assign_books(frame, _with(params, cap=2), claims=claims)
    message = str(caught[0].message)
    assert "customer not in the data: 1 (e.g. C404)" in message
    assert "customer already has a manager, who keeps it: 1 (e.g. C000)" in message
    assert "no room under the claiming manager's cap: 1 (e.g. C004)" in message
    # M1 claims C003 and C004 but has room for one: the higher tier (C003) wins.
    assert _ids(result.manager_id) == ["M1", "M2", "M2", "M1", None]
    assert result.assignment.tolist() == ["existing", "existing", "assigned", "claimed", "unassigned"]


def test_claims_and_roster_from_csv_files(params, tmp_path):
    (tmp_path / "claims.csv").write_text("customer_id,manager_id\nC001,M7\n", encoding="utf-8")
    (tmp_path / "roster.csv").write_text("branch_id,manager_id\nB1,M7\n", encoding="utf-8")
    frame = customers([{"manager_id": None, "aum": 1}, {"manager_id": None, "aum": 1}])
    result = assign_books(frame, _with(params, managers=tmp_path / "roster.csv", claims=tmp_path / "claims.csv"))
    assert result.assignment.tolist() == ["assigned", "claimed"] and result.manager_id.tolist() == ["M7", "M7"]


def test_red_list(params):
    frame = customers(
        [
            {"manager_id": "M1", "aum": 10, "has_contact": False},
            {"manager_id": None, "aum": 2_000_000, "has_contact": False},
            {"manager_id": None, "aum": 10, "has_contact": True},
        ]
    )
    red = assign_books(frame, params).red_list
    assert red["customer_id"].tolist() == ["C001", "C000"]
    assert red["tier"].tolist() == ["core", "mass"] and red["manager_id"].tolist() == ["M1", "M1"]


def test_corporate_customers_come_after_the_retail_tiers_highest_level_first(params):
    corporate = {"customer_type": "corporate", "manager_id": None}
    frame = customers(
        [
            {"manager_id": "M1", "customer_type": "retail", "aum": 1},
            {**corporate, "aum": 2e7, "deposits": 2e7},                                # high-end
            {**corporate, "aum": 1e3, "deposits": 1e3, "head_office_relationship": True},  # gold by rule
            {"customer_type": "retail", "manager_id": None, "aum": 5.0},               # mass
            {**corporate, "aum": 6e6, "deposits": 6e6},                                # mid
            {**corporate, "aum": 1e3, "deposits": None},                               # corporate without a level
            {"customer_type": "retail", "manager_id": None, "aum": 2e6},               # core
        ]
    )
    order = ["C006", "C003", "C002", "C001", "C004", "C005"]
    for cap in range(1, 8):
        result = assign_books(frame, _with(params, cap=cap))
        placed = set(frame["customer_id"][result.assignment == "assigned"])
        assert placed == set(order[: max(cap - 1, 0)]), cap
    result = assign_books(frame, params)
    assert result.books["corporate"].tolist() == [4] and result.books["tier_core"].tolist() == [1]
    red = assign_books(frame.assign(has_contact=False), params).red_list
    assert red["customer_id"].tolist() == ["C006", "C003", "C000", *order[2:]]
    assert red["tier"].isna().tolist() == [False, False, False, True, True, True, True]


def test_claims_for_a_manager_of_another_branch_are_reported(params):
    frame = customers([{"branch_id": "B1", "manager_id": "M1", "aum": 1}, {"branch_id": "B2", "manager_id": None, "aum": 1}])
    claims = pd.DataFrame({"customer_id": ["C001"], "manager_id": ["M1"]})
    with pytest.warns(UserWarning, match=r"manager not in the customer's branch: 1 \(e.g. C001\)"):
        result = assign_books(frame, params, claims=claims)
    assert pd.isna(result.manager_id.iloc[1])


def test_red_list_includes_customers_without_a_phone(params):
    frame = customers(
        [
            {"manager_id": "M1", "aum": 10, "phone": "13800000000"},
            {"manager_id": "M1", "aum": 20, "phone": None},
            {"manager_id": "M1", "aum": 30, "phone": "  "},
        ]
    ).astype({"phone": "str"})
    assert assign_books(frame, params).red_list["customer_id"].tolist() == ["C002", "C001"]
    both = frame.assign(has_contact=[False, True, True])
    assert sorted(assign_books(both, params).red_list["customer_id"]) == ["C000", "C001", "C002"]


def test_without_manager_or_contact_columns(params):
    frame = customers([{"aum": 1.0}, {"aum": 2.0}])
    result = assign_books(frame, params)
    assert result.manager_id.isna().all() and (result.assignment == "unassigned").all()
    assert result.books.empty and result.red_list.empty
    assert result.branches["managers_lacking"].tolist() == [1]


@st.composite
def banks(draw):
    n = draw(st.integers(1, 60))
    n_branches = draw(st.integers(1, 3))
    managers = [f"M{i}" for i in range(draw(st.integers(1, 4)))]
    rows = []
    for i in range(n):
        kind = draw(st.sampled_from(["retail", "retail", "merchant", "corporate"]))
        aum = draw(st.sampled_from([0.0, 5_000.0, 20_000.0, 80_000.0, 500_000.0, 3_000_000.0, 6_000_000.0, 20_000_000.0]))
        rows.append(
            {
                "customer_id": f"C{i:03d}",
                "branch_id": f"B{draw(st.integers(0, n_branches - 1))}",
                "manager_id": draw(st.one_of(st.none(), st.sampled_from(managers))),
                "customer_type": kind,
                "aum": aum,
                "deposits": aum if kind == "corporate" else np.nan,
            }
        )
    return pd.DataFrame(rows), draw(st.integers(1, 12))


def _assignment_order(frame, params):
    """(retail, tier or corporate level, AUM) of each customer: larger is assigned first."""
    out = apply_rules(frame, params)
    tier, level = out["tier"].cat.codes.to_numpy(), out["corporate_level"].cat.codes.to_numpy()
    return pd.Series(
        [(1, t, a) if t >= 0 else (0, c, a) for t, c, a in zip(tier, level, frame["aum"], strict=True)], index=frame.index
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(banks())
def test_assignment_properties(params, bank):
    frame, cap = bank
    result = assign_books(frame, _with(params, cap=cap))
    before, after = frame["manager_id"], result.manager_id
    # never moves an already-assigned customer
    kept = before.notna()
    assert (after[kept] == before[kept]).all()
    loads_before = frame.groupby(["branch_id", "manager_id"]).size()
    loads_after = pd.DataFrame({"b": frame["branch_id"], "m": after}).groupby(["b", "m"]).size()
    for (branch, manager), load in loads_after.items():
        start = loads_before.get((branch, manager), 0)
        # never exceeds the cap when room exists; over-cap books only keep what they had
        assert load <= max(cap, start)
        assert load == start or load <= cap
    order = _assignment_order(frame, params)
    for branch, part in pd.DataFrame({"b": frame["branch_id"], "m": after, "order": order, "new": before.isna()}).groupby("b"):
        books = loads_after[loads_after.index.get_level_values(0) == branch]
        left = part[part["m"].isna()]
        if len(left) and len(books):
            # customers stay unassigned only when every book of the branch is full
            assert (books >= cap).all()
        placed = part[part["new"] & part["m"].notna()]
        if len(left) and len(placed):
            # retail tiers first, then corporate levels: nobody left behind ranks above someone placed
            assert max(left["order"]) <= min(placed["order"])
        # balancing: a manager who got new customers is at most one above any book with room
        got_new = placed["m"].unique()
        for manager in got_new:
            room = books[books < cap]
            assert (books[(branch, manager)] <= room + 1).all()


def test_deterministic_and_fills_all_room_on_a_larger_bank(params):
    rng = np.random.default_rng(5)
    n = 50_000
    managers = np.array([f"M{i:02d}" for i in range(25)])
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{i}" for i in range(n)],
            "branch_id": rng.choice(["B1", "B2", "B3"], n),
            "manager_id": pd.Series(np.where(rng.random(n) < 0.5, rng.choice(managers, n), None), dtype="str"),
            "aum": rng.lognormal(10, 2, n),
        }
    )
    first, second = assign_books(frame, params), assign_books(frame.sample(frac=1, random_state=2), params)
    pd.testing.assert_series_equal(first.manager_id, second.manager_id.loc[frame.index])
    books = first.books
    assert ((books["customers"] <= 800) | (books["new"] == 0)).all()
    room = (books["cap"] - books["existing"]).clip(lower=0).groupby(books["branch_id"]).sum()
    pool = frame["manager_id"].isna().groupby(frame["branch_id"]).sum()
    assert books.groupby("branch_id")["new"].sum().to_dict() == np.minimum(room, pool).to_dict()


def test_on_the_demo_bank(params):
    synth = pytest.importorskip("segkit.data.synth")
    bank = synth.generate_bank(n_customers=20_000, n_branches=4, seed=3)
    tiers = apply_rules(bank, params)["tier"]
    result = assign_books(bank.assign(tier=tiers), params)
    kept = bank["manager_id"].notna()
    assert (result.manager_id[kept] == bank["manager_id"][kept]).all()
    assert len(result.red_list) == int((~bank["has_contact"].astype(bool)).sum())
    books = result.books
    assert ((books["customers"] <= books["cap"]) | (books["new"] == 0)).all()
    branches = result.branches
    assert branches["customers"].sum() == len(bank)
    full = branches["unassigned"] > 0
    assert (branches.loc[full, "managers_lacking"] > 0).all()

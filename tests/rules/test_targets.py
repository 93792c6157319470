"""Targets: split by working days per manager, sums back, progress and ranking."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.config import TargetParams
from segkit.errors import SegkitError
from segkit.rules import load_targets, split_targets, target_progress, working_days


def test_working_days_are_weekdays_less_holidays_plus_make_up_days():
    assert len(working_days(2026)) == 261
    national_day = [dt.date(2026, 10, d) for d in range(1, 8)]
    days = working_days(2026, holidays=national_day, extra_workdays=[dt.date(2026, 10, 10)])
    assert len(days) == 261 - 5 + 1  # 1-7 October holds five weekdays; Saturday 10 October is worked
    assert pd.Timestamp("2026-10-10") in days and pd.Timestamp("2026-10-05") not in days


@settings(max_examples=25, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["B1", "B2", "B3"]), st.floats(0, 1e9, allow_nan=False), min_size=1),
    st.integers(0, 4),
    st.integers(2020, 2035),
)
def test_every_level_sums_back_to_the_annual_target(annual, n_managers, year):
    managers = {"B1": [f"M{i}" for i in range(n_managers)], "B2": ["X"]}
    table = split_targets(annual, managers, year)
    sums = table[table["level"] != "day"].groupby(["level"])["target"].sum()
    total = sum(annual.values())
    assert np.allclose(sums.to_numpy(), total, rtol=1e-9, atol=1e-6)
    assert set(table["level"]) == {"year", "quarter", "month", "week", "day"}
    counts = table.groupby("level")["period"].nunique()
    assert counts["quarter"] == 4 and counts["month"] == 12 and counts["week"] in (53, 54)
    day = table[table["level"] == "day"].set_index(["branch_id", "manager_id"])["target"]
    year_rows = table[table["level"] == "year"].set_index(["branch_id", "manager_id"])["target"]
    assert np.allclose(day * len(working_days(year)), year_rows.loc[day.index])


def test_split_is_equal_per_manager_and_by_working_days():
    table = split_targets({"B1": 2_610_000}, {"B1": ["M1", "M2"]}, 2026)
    m1 = table[table["manager_id"] == "M1"].set_index("period")
    assert m1.loc["2026", "target"] == pytest.approx(1_305_000)
    assert m1.loc["2026-day", "target"] == pytest.approx(5_000)  # 261 working days
    assert m1.loc["2026-01", "working_days"] == 22 and m1.loc["2026-01", "target"] == pytest.approx(110_000)
    assert m1.loc["2026-W01", "start"] == dt.date(2026, 1, 1) and m1.loc["2026-W01", "working_days"] == 2


def test_a_branch_without_managers_keeps_its_target():
    table = split_targets(pd.DataFrame({"branch_id": ["B9"], "target": [100.0]}), {"B1": ["M1"]}, 2026)
    year = table[table["level"] == "year"]
    assert len(year) == 1 and pd.isna(year["manager_id"].iloc[0]) and year["target"].iloc[0] == 100


def test_targets_from_params_or_csv(tmp_path):
    assert load_targets(TargetParams(annual={"B1": 5})).to_dict("records") == [{"branch_id": "B1", "target": 5.0}]
    (tmp_path / "t.csv").write_text("branch_id,target\n007,10\n008,20\n", encoding="utf-8")
    loaded = load_targets(TargetParams(path=tmp_path / "t.csv"))
    assert loaded["branch_id"].tolist() == ["007", "008"] and loaded["target"].sum() == 30
    (tmp_path / "bad.csv").write_text("branch_id,target\nB1,-3\nB2,x\n", encoding="utf-8")
    with pytest.raises(SegkitError, match=r"'target'.*2 rows.*B1, B2"):
        load_targets(TargetParams(path=tmp_path / "bad.csv"))
    with pytest.raises(SegkitError, match="not found"):
        load_targets(TargetParams(path=tmp_path / "missing.csv"))


def test_progress_ranks_and_flags_the_bottom_five():
    branches = {f"B{i:02d}": 1_000.0 for i in range(12)}
    managers = {branch: [f"{branch}-M1", f"{branch}-M2"] for branch in branches}
    targets = split_targets(branches, managers, 2026)
    actuals = pd.DataFrame(
        [{"branch_id": b, "manager_id": f"{b}-M{k}", "actual": 10.0 * i * k} for i, b in enumerate(branches) for k in (1, 2)]
    )
    progress = target_progress(targets, actuals)
    ranked = progress[progress["level"] == "branch"]
    assert ranked["branch_id"].tolist()[0] == "B11" and ranked["rank"].tolist() == list(range(1, 13))
    assert sorted(ranked.loc[ranked["bottom_five"], "branch_id"]) == ["B00", "B01", "B02", "B03", "B04"]
    assert ranked.set_index("branch_id").loc["B03", "progress"] == pytest.approx(90 / 1_000)
    people = progress[progress["level"] == "manager"]
    assert len(people) == 24 and people["bottom_five"].sum() == 5
    assert people.iloc[0]["manager_id"] == "B11-M2"


def test_progress_for_one_quarter_and_few_units():
    targets = split_targets({"B1": 1_000.0, "B2": 1_000.0}, {"B1": ["M1"], "B2": ["M2"]}, 2026)
    actuals = pd.DataFrame({"branch_id": ["B1", "B2"], "manager_id": ["M1", "M2"], "actual": [300.0, 10.0]})
    progress = target_progress(targets, actuals, period="2026-Q1")
    branch = progress[progress["level"] == "branch"].set_index("branch_id")
    assert branch.loc["B1", "target"] == pytest.approx(1_000 * 64 / 261)  # Q1 2026: 22 + 20 + 22 working days
    # with two branches only the last is flagged (never more than half)
    assert branch["bottom_five"].to_dict() == {"B1": False, "B2": True}
    with pytest.raises(SegkitError, match="no rows for period"):
        target_progress(targets, actuals, period="2031-Q9")

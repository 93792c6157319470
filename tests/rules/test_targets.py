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
from segkit.rules import load_targets, split_targets, target_progress, target_tables, working_days


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


def test_year_to_date_target_uses_the_working_days_so_far():
    table = split_targets({"B1": 261_000.0}, {"B1": ["M1"]}, 2026, as_of=dt.date(2026, 1, 9))
    to_date = table[table["level"] == "to_date"].iloc[0]
    # 1-9 January 2026: Thursday 1 to Friday 9 holds 7 working days
    assert (to_date["period"], to_date["working_days"], to_date["target"]) == ("2026-YTD", 7, pytest.approx(7_000))
    sums = table[table["level"].isin(["quarter", "month", "week"])].groupby("level")["target"].sum()
    assert np.allclose(sums, 261_000.0)


def _run_params(params, tmp_path, **targets):
    settings = TargetParams(**targets)
    return params.model_copy(update={"targets": settings})


def test_target_tables_of_a_run(params, tmp_path):
    (tmp_path / "actuals.csv").write_text(
        "branch_id,manager_id,actual\n001,M1,5000\n001,M2,1000\n002,M3,0\n", encoding="utf-8"
    )
    run = _run_params(params, tmp_path, annual={"001": 2 * 261_000.0, "002": 261_000.0}, actuals=tmp_path / "actuals.csv")
    books = pd.DataFrame({"branch_id": ["001", "001", "002"], "manager_id": ["M1", "M2", "M3"]})
    tables = target_tables(run, books)
    assert set(tables) == {"targets", "target_progress"}
    assert set(tables["targets"]["level"]) == {"year", "quarter", "month", "week", "day", "to_date"}
    progress = tables["target_progress"]
    ytd = int(np.busday_count("2026-01-01", "2026-10-01"))  # weekdays up to as_of, 30 September: 195
    m1 = progress[(progress["level"] == "manager") & (progress["manager_id"] == "M1")].iloc[0]
    assert m1["target"] == pytest.approx(1_000.0 * ytd) and m1["actual"] == 5_000
    branches = progress[progress["level"] == "branch"]
    assert branches["branch_id"].tolist() == ["001", "002"] and branches["bottom_five"].tolist() == [False, True]


def test_target_tables_for_a_chosen_period_and_without_targets(params, tmp_path):
    (tmp_path / "actuals.csv").write_text("branch_id,actual\nB1,10\n", encoding="utf-8")
    run = _run_params(params, tmp_path, annual={"B1": 261.0}, actuals=tmp_path / "actuals.csv", period="2026-01")
    progress = target_tables(run, pd.DataFrame({"branch_id": ["B1"], "manager_id": ["M1"]}))["target_progress"]
    assert progress["target"].iloc[0] == pytest.approx(22) and progress["progress"].iloc[0] == pytest.approx(10 / 22)
    assert target_tables(_run_params(params, tmp_path), pd.DataFrame(columns=["branch_id", "manager_id"])) == {}
    missing = _run_params(params, tmp_path, annual={"B1": 1.0}, actuals=tmp_path / "none.csv")
    with pytest.raises(SegkitError, match="targets.actuals: file not found"):
        target_tables(missing, pd.DataFrame({"branch_id": ["B1"], "manager_id": ["M1"]}))


def test_actuals_must_be_numbers():
    targets = split_targets({"B1": 100.0, "B2": 100.0}, {"B1": ["M1"], "B2": ["M2"]}, 2026)
    actuals = pd.DataFrame({"branch_id": ["B1", "B2"], "actual": ["12", "twelve"]})
    with pytest.raises(SegkitError, match=r"'actual' must be a number \(1 rows, e.g. branches B2\)"):
        target_progress(targets, actuals)

"""apply_rules as the pipeline uses it: columns, dtypes, purity, Parquet, missing columns."""

from __future__ import annotations

import pandas as pd
import pytest
from rules_helpers import ROOT, customers

from segkit.config import load_params
from segkit.errors import SegkitError
from segkit.rules import apply_rules, rule_columns

EXPECTED = [
    "tier", "vip_level", "corporate_level", "merchant_tier", "service_level", "classes",
    "class_wealth", "class_credit_card", "class_payroll", "class_merchant", "class_fx",
    "card_state", "asset_level", "familiarity", "matrix_group", "man_group", "man_priority",
    "action", "action_zh", "action_en",
]


@pytest.fixture(scope="module")
def bank():
    synth = pytest.importorskip("segkit.data.synth")
    return synth.generate_bank(n_customers=4_000, n_branches=5, seed=11)


def test_columns_and_dtypes(params, bank):
    out = apply_rules(bank, params)
    assert list(out.columns) == EXPECTED == rule_columns(params)
    assert out.index.equals(bank.index)
    for column in EXPECTED:
        if column.startswith("class_"):
            assert out[column].dtype == bool
        elif column == "man_priority":
            assert str(out[column].dtype) == "Int8"
        else:
            assert isinstance(out[column].dtype, pd.CategoricalDtype), column
    corporate = (bank["customer_type"] == "corporate").to_numpy()
    assert corporate.any() and out["action"].notna().all()
    assert out["tier"][~corporate].notna().all() and out["vip_level"][~corporate].notna().all()
    assert out["man_priority"].dropna().between(1, 8).all()
    merchants = (bank["customer_type"] == "merchant").to_numpy()
    assert out["merchant_tier"][merchants].notna().all() and out["merchant_tier"][~merchants].isna().all()
    assert out["corporate_level"][~corporate].isna().all() and out["corporate_level"][corporate].notna().all()
    retail_only = ["tier", "vip_level", "asset_level", "matrix_group", "man_group", "man_priority"]
    assert out.loc[corporate, retail_only].isna().all().all()
    assert out["action"][corporate].astype("str").str.startswith("corporate_").all()


def test_row_wise_pure_so_partitions_agree(params, bank):
    whole = apply_rules(bank, params)
    shuffled = bank.sample(frac=1, random_state=1)
    parts = pd.concat([apply_rules(shuffled.iloc[i::3], params) for i in range(3)])
    pd.testing.assert_frame_equal(parts.loc[whole.index], whole)


def test_deterministic(params, bank):
    pd.testing.assert_frame_equal(apply_rules(bank, params), apply_rules(bank.copy(), params))


def test_parquet_round_trip_keeps_values(params, bank, tmp_path):
    out = apply_rules(bank, params)
    out.to_parquet(tmp_path / "rules.parquet")
    back = pd.read_parquet(tmp_path / "rules.parquet")
    assert list(back.columns) == EXPECTED
    for column in EXPECTED:
        left, right = out[column].astype(object), back[column].astype(object)
        assert left.isna().equals(right.isna()), column
        assert (left[left.notna()] == right[left.notna()]).all(), column


def test_empty_frame_gives_the_same_columns(params, bank):
    empty = apply_rules(bank.head(0), params)
    full = apply_rules(bank.head(10), params)
    assert list(empty.columns) == EXPECTED and len(empty) == 0
    assert (empty.dtypes == full.dtypes).all()


def test_index_is_kept(params):
    frame = customers([{"aum": 5.0}, {"aum": 500_000.0}]).set_axis([10, 3])
    out = apply_rules(frame, params)
    assert out.index.tolist() == [10, 3] and out.loc[3, "tier"] == "key"


def test_only_the_required_columns_still_work(params):
    frame = customers([{"aum": 0.0}, {"aum": 50_000.0}, {"aum": 8_000_000.0}])
    out = apply_rules(frame, params)
    assert out["tier"].tolist() == ["mass", "quality", "core"]
    assert out["vip_level"].tolist() == ["none", "effective", "private"]
    assert out[["corporate_level", "merchant_tier", "service_level", "familiarity", "matrix_group", "man_group"]].isna().all().all()
    assert out["action"].tolist() == ["mass_batch", "quality_crosssell", "private_one_to_one"]


def test_missing_aum_is_a_clear_error(params):
    with pytest.raises(SegkitError, match="'aum'"):
        apply_rules(pd.DataFrame({"customer_id": ["a"], "branch_id": ["b"]}), params)


def test_churn_modelling_shape_degrades_gracefully():
    """Retail only, no manager, no contacts/KYC, no merchant or corporate columns."""
    params = load_params(ROOT / "params" / "churn_modelling.yaml")
    frame = customers(
        [
            {"aum": 0.0, "age": 42, "n_products": 1, "credit_card": "active", "income": 101_348.88},
            {"aum": 125_510.82, "age": 39, "n_products": 1, "credit_card": "none", "income": 79_084.10},
        ],
        customer_type="retail",
    )
    out = apply_rules(frame, params)
    assert out["tier"].tolist() == ["mass", "quality"]
    assert out["man_group"].tolist() == ["m-A-N", "m-A-N"]
    assert out["familiarity"].isna().all() and out["corporate_level"].isna().all() and out["merchant_tier"].isna().all()
    assert out["card_state"].astype(object).tolist()[0] == "card_active"


@pytest.mark.realdata
@pytest.mark.filterwarnings("ignore::segkit.data.schema.MissingColumnWarning")
def test_on_the_real_churn_modelling_data():
    path = ROOT.parent / "shared" / "data" / "Churn_Modelling.csv"
    if not path.is_file():
        pytest.skip(f"real data not found at {path}")
    from segkit.data.io import load_customers

    params = load_params(ROOT / "params" / "churn_modelling.yaml")
    frame = load_customers(path, params.data.mapping)
    out = apply_rules(frame, params)
    assert len(out) == len(frame) == 10_000
    assert out["tier"].notna().all() and out["man_group"].notna().all() and out["action"].notna().all()
    assert (out["tier"] == "mass").sum() == (frame["aum"] < 10_000).sum()
    assert (out["tier"] == "quality").sum() == frame["aum"].between(50_000, 300_000, inclusive="left").sum()


def test_a_corporate_customer_with_huge_deposits_is_not_counted_as_core_or_private(params):
    from segkit.report.summary import kpi_totals
    from segkit.report.views import tier_counts
    from segkit.rules import assign_books, migration_tables

    frame = customers(
        [
            {"customer_type": "corporate", "aum": 50_000_000.0, "aum_prev": 40_000_000.0, "deposits": 50_000_000.0},
            {"customer_type": "retail", "aum": 9_000_000.0, "aum_prev": 600_000.0, "deposits": None},
        ],
        manager_id=None, age=45, n_products=1, income=0.0, contacts_12m=1, kyc_completeness=0.2,
    )
    out = apply_rules(frame, params)
    assert out["corporate_level"].astype(object).tolist()[0] == "high_end"
    assert out["tier"].isna().tolist() == [True, False] and out["vip_level"].isna().tolist() == [True, False]
    assert (out["tier"] == "core").sum() == 1 and (out["vip_level"] == "private").sum() == 1
    assert out["asset_level"].isna().tolist() == [True, False] and out["man_group"].isna().tolist() == [True, False]
    assert out["familiarity"].notna().all()  # contacts and KYC describe the relationship, corporate or not
    assert out["action"].tolist() == ["corporate_high_end", "private_one_to_one"]

    scored = pd.concat([frame, out], axis=1)
    counts = tier_counts(scored, params.schemes.tier.codes)
    assert counts["customers"].to_dict() == {"mass": 0, "potential": 0, "quality": 0, "key": 0, "core": 1}
    assert counts.loc["core", "aum"] == 9_000_000.0
    assert kpi_totals(scored)["high_value"] == 1
    tables = migration_tables(scored, params)
    assert tables["migration"].to_numpy().sum() == 1 and tables["vip_migration"].to_numpy().sum() == 1
    assert tables["upgraded"]["customer_id"].tolist() == ["C001", "C001"]
    books = assign_books(scored.assign(manager_id=["M1", "M1"]), params).books
    assert books[[f"tier_{code}" for code in params.schemes.tier.codes]].to_numpy().sum() == 1
    assert books["corporate"].tolist() == [1] and books["customers"].tolist() == [2]

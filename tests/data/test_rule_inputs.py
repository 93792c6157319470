"""Columns a rule reads survive the mapping, in every place it is applied, without becoming model features."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segkit.config import Condition, MappingParams, RuleGroup, load_params
from segkit.data.io import load_customers, write_table
from segkit.data.mapping import apply_mapping
from segkit.data.schema import MissingColumnWarning, validate_customers
from segkit.data.synth import generate_bank
from segkit.rules import apply_rules, corporate_review, rule_columns, rule_inputs

REPO = Path(__file__).resolve().parents[2]
RULE_ONLY = ["financing_share", "head_office_relationship", "high_potential", "account_role"]
"""Columns of the test export that only rules read."""


@pytest.fixture(scope="module")
def params():
    """The shipped params, with a MAN authority rule on an account role and a mapping for the export below."""
    params = load_params(REPO / "params" / "default.yaml")
    authority = RuleGroup(
        any=[Condition(column="account_role", op="==", value="holder"), Condition(column="customer_type", op="==", value="merchant")]
    )
    rules = params.rules.model_copy(update={"man": params.rules.man.model_copy(update={"authority": authority})})
    mapping = MappingParams(rename={"FinShare": "financing_share"}, features=["CreditScore"])
    return params.model_copy(update={"rules": rules, "data": params.data.model_copy(update={"mapping": mapping})})


@pytest.fixture(scope="module")
def export() -> pd.DataFrame:
    """A demo bank as a bank would export it: canonical columns plus rule-only and other extra columns."""
    bank = generate_bank(1_500, 2, seed=21)
    rng = np.random.default_rng(21)
    corporate = (bank["customer_type"] == "corporate").to_numpy()
    return bank.assign(
        fund_return_rate=np.where(corporate, 0.6, np.nan),  # meets a 50 % financing share, not the 70 % default
        e_products=pd.array(np.where(corporate, 3, pd.NA), dtype="Int64"),
        FinShare=np.where(corporate, 0.5, np.nan),
        head_office_relationship=corporate & (np.arange(len(bank)) % 2 == 0),
        high_potential=rng.random(len(bank)) < 0.3,
        account_role=rng.choice(["holder", "joint"], len(bank)),
        CreditScore=rng.integers(350, 850, len(bank)),
        Notes="free text",
    )


def _quietly(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingColumnWarning)
        return function(*args, **kwargs)


def test_rule_inputs_name_what_the_rules_read_and_nothing_segkit_computes(params):
    names = rule_inputs(params)
    for name in ["aum", "deposits", "customer_type", "n_products", "annual_fee_income", *RULE_ONLY, "monthly_avg_funds"]:
        assert name in names, name
    assert not set(names) & set(rule_columns(params))
    assert names == rule_inputs(params) and len(names) == len(set(names))


def test_kept_columns_are_optional_and_follow_the_features():
    raw = pd.DataFrame({"customer_id": ["a"], "branch_id": ["B"], "aum": [1.0], "Score": [700], "flag": [True], "Notes": ["x"]})
    mapped = apply_mapping(raw, MappingParams(features=["Score"]), keep=["flag", "aum", "Score", "absent"])
    assert list(mapped.columns) == ["customer_id", "branch_id", "aum", "Score", "flag"]


def test_columns_a_rule_reads_survive_load_customers_and_the_rules_use_them(params, export, tmp_path):
    path = write_table(export, tmp_path / "export.csv")
    table = _quietly(load_customers, path, params.data.mapping, rule_inputs(params))
    assert set(RULE_ONLY) | {"CreditScore"} <= set(table.columns) and "Notes" not in table.columns
    dropped = _quietly(load_customers, path, params.data.mapping)
    assert not set(RULE_ONLY) & set(dropped.columns)

    out, without = apply_rules(table, params), apply_rules(dropped, params)
    head_office = table["head_office_relationship"].to_numpy(dtype=bool)
    assert head_office.any() and (out["corporate_level"][head_office] == "gold").all()
    assert (without["corporate_level"] == "gold").sum() < head_office.sum()
    holders = (table["account_role"] == "holder") & (table["customer_type"] == "retail")
    assert out["man_group"][holders].dropna().astype("str").str[2].eq("A").all()
    assert out["man_group"][~holders & (table["customer_type"] == "retail")].dropna().astype("str").str[2].eq("a").all()
    reviewed = corporate_review(table, params).branches["reviewed"].sum()
    assert reviewed == (table["customer_type"] == "corporate").sum() > 0
    assert corporate_review(table, params).customers.empty
    assert len(corporate_review(dropped, params).customers) == reviewed


def test_the_engines_keep_the_columns_a_rule_reads(params, export, tmp_path):
    from segkit.dask_engine import check_partition
    from segkit.engine import stage_input

    path = write_table(export, tmp_path / "export.parquet")
    staged = _quietly(stage_input, path, params, tmp_path / "stage")
    part = pd.read_parquet(next(iter(staged.parts.values()))[0])
    assert set(RULE_ONLY) <= set(part.columns) and set(RULE_ONLY) <= set(staged.sample.columns)
    (tmp_path / "dask").mkdir()
    check, sample = _quietly(check_partition, export, 0, params, str(path), str(tmp_path / "dask"))
    assert not check.problems and set(RULE_ONLY) <= set(sample.columns)
    assert set(RULE_ONLY) <= set(pd.read_parquet(check.staged).columns)


def test_kept_columns_never_become_model_features(params, export):
    from segkit.stages import fit_models

    table = _quietly(validate_customers, apply_mapping(export, params.data.mapping, rule_inputs(params)))
    assert set(RULE_ONLY) <= set(table.columns)
    fast = params.model_copy(update={
        "cluster": params.cluster.model_copy(update={"k": 3, "n_bootstrap": 1}),
        "churn": params.churn.model_copy(update={"cv_folds": 2}),
    })
    models = _quietly(fit_models, table, fast)
    churn_features = models.churn.features_
    assert "CreditScore" in churn_features and not set(RULE_ONLY) & set(churn_features)
    assert not set(RULE_ONLY) & set(models.segmenter.features_in_)

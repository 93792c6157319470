"""Mapping a bank's export to the canonical table."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from segkit.config import MappingParams, load_params
from segkit.data.mapping import apply_mapping, derive_n_products, source_text_columns
from segkit.data.schema import MissingColumnWarning, validate_customers
from segkit.errors import SegkitError

REPO = Path(__file__).resolve().parents[2]


def churn_modelling_rows() -> pd.DataFrame:
    """Four rows laid out like Churn_Modelling.csv."""
    return pd.DataFrame(
        {
            "RowNumber": [1, 2, 3, 4],
            "CustomerId": ["15634602", "15647311", "15619304", "15701354"],
            "Surname": ["Hargrave", "Hill", "Onio", "Boni"],
            "CreditScore": [619, 608, 502, 699],
            "Geography": ["France", "Spain", "France", "Germany"],
            "Gender": ["Female", "Female", "Female", "Male"],
            "Age": [42, 41, 42, 39],
            "Tenure": [2, 1, 8, 0],
            "Balance": [0.0, 83807.86, 159660.8, 0.0],
            "NumOfProducts": [1, 1, 3, 2],
            "HasCrCard": [1, 0, 1, 0],
            "IsActiveMember": [1, 1, 0, 0],
            "EstimatedSalary": [101348.88, 112542.58, 113931.57, 93826.63],
            "Exited": [1, 0, 1, 0],
        }
    )


def validated(frame: pd.DataFrame) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingColumnWarning)
        return validate_customers(frame)


@pytest.fixture(scope="module")
def churn_mapping() -> MappingParams:
    return load_params(REPO / "params" / "churn_modelling.yaml").data.mapping


def test_churn_modelling_mapping(churn_mapping):
    table = validated(apply_mapping(churn_modelling_rows(), churn_mapping))
    assert table["customer_id"].tolist() == ["15634602", "15647311", "15619304", "15701354"]
    assert table["branch_id"].tolist() == ["France", "Spain", "France", "Germany"]
    assert table["gender"].tolist() == ["female", "female", "female", "male"]
    assert table["tenure_months"].tolist() == [24, 12, 96, 0]
    assert table["credit_card"].tolist() == ["active", "none", "active", "none"]
    assert table["aum"].tolist() == [0.0, 83807.86, 159660.8, 0.0]
    assert table["income"].iloc[0] == 101348.88
    assert table["n_products"].tolist() == [1, 1, 3, 2]
    assert table["churned"].tolist() == [1, 0, 1, 0]
    assert table["customer_type"].eq("retail").all()
    assert table["name"].tolist() == ["Hargrave", "Hill", "Onio", "Boni"]
    # the activity flag and the credit score stay available to the churn model
    assert table["IsActiveMember"].tolist() == [1, 1, 0, 0]
    assert table["CreditScore"].tolist() == [619, 608, 502, 699]
    assert "RowNumber" not in table.columns
    assert list(table.columns)[-2:] == ["CreditScore", "IsActiveMember"]


def test_churn_modelling_params_are_a_complete_run_configuration():
    params = load_params(REPO / "params" / "churn_modelling.yaml")
    assert params.name == "churn-modelling"
    assert params.data.path is not None and params.data.path.name == "Churn_Modelling.csv"
    assert set(params.data.mapping.features) == {"CreditScore", "IsActiveMember"}


def test_ids_are_read_as_text(churn_mapping):
    assert "CustomerId" in source_text_columns(churn_mapping)
    assert "customer_id" in source_text_columns(churn_mapping)
    assert "aum" not in source_text_columns(churn_mapping)


def test_value_maps_with_a_label_and_a_missing_key():
    raw = pd.DataFrame(
        {
            "CLIENTNUM": ["1", "2", "3"],
            "branch_id": ["B1"] * 3,
            "aum": [1.0, 2.0, 3.0],
            "Attrition_Flag": ["Attrited Customer", "Existing Customer", "Existing Customer"],
            "Income_Category": ["$60K - $80K", "Less than $40K", "Unknown"],
            "Card": ["Y", None, "Y"],
        }
    )
    mapping = MappingParams(
        rename={"CLIENTNUM": "customer_id", "Attrition_Flag": "churned", "Income_Category": "income", "Card": "has_fx"},
        values={
            "churned": {"Attrited Customer": 1, "Existing Customer": 0},
            "income": {"$60K - $80K": 70000, "Less than $40K": 30000, "Unknown": None},
            "has_fx": {"Y": True, None: False},
        },
    )
    table = validated(apply_mapping(raw, mapping))
    assert table["churned"].tolist() == [1, 0, 0]
    assert table["income"].iloc[:2].tolist() == [70000.0, 30000.0] and pd.isna(table["income"].iloc[2])
    assert table["has_fx"].tolist() == [True, False, True]


def test_unlisted_values_are_kept_so_validation_reports_them():
    raw = pd.DataFrame({"customer_id": ["1", "2"], "branch_id": ["B"] * 2, "aum": [1.0, 1.0], "credit_card": ["Y", "Z"]})
    mapped = apply_mapping(raw, MappingParams(values={"credit_card": {"Y": "active"}}))
    assert mapped["credit_card"].tolist() == ["active", "Z"]


def test_numeric_codes_may_be_quoted_in_yaml():
    raw = pd.DataFrame({"customer_id": ["1", "2"], "branch_id": ["B"] * 2, "aum": [1.0, 1.0], "credit_card": [1, 0]})
    mapped = apply_mapping(raw, MappingParams(values={"credit_card": {"1": "active", "0": "none"}}))
    assert mapped["credit_card"].tolist() == ["active", "none"]


def test_constants_set_a_single_branch():
    raw = pd.DataFrame({"id": ["a", "b"], "assets": [10.0, 20.0]})
    mapping = MappingParams(rename={"id": "customer_id", "assets": "aum"}, constants={"branch_id": "HQ"})
    assert validated(apply_mapping(raw, mapping))["branch_id"].tolist() == ["HQ", "HQ"]


def test_scale_keeps_unreadable_entries_for_validation():
    raw = pd.DataFrame({"customer_id": ["a", "b"], "branch_id": ["B"] * 2, "aum": [1.0, 1.0], "years": ["2", "x"]})
    mapped = apply_mapping(raw, MappingParams(rename={"years": "tenure_months"}, scale={"tenure_months": 12}))
    assert mapped["tenure_months"].tolist() == [24.0, "x"]


def test_n_products_is_derived_from_flags_when_absent():
    raw = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c"],
            "branch_id": ["B"] * 3,
            "aum": [1.0, 1.0, 1.0],
            "has_wealth": [True, False, True],
            "has_fund": ["yes", "no", "no"],
            "credit_card": ["active", "none", "inactive"],
        }
    )
    assert apply_mapping(raw, MappingParams())["n_products"].tolist() == [3, 0, 2]
    given = raw.assign(n_products=[7, 7, 7])
    assert apply_mapping(given, MappingParams())["n_products"].tolist() == [7, 7, 7]
    assert derive_n_products(raw[["customer_id", "aum"]]) is None


def test_generated_n_products_matches_the_derivation():
    from segkit.data.synth import generate_bank

    bank = generate_bank(2_000, 2, seed=3)
    pd.testing.assert_series_equal(derive_n_products(bank.drop(columns="n_products")), bank["n_products"])


def test_undeclared_extra_columns_are_dropped():
    raw = pd.DataFrame({"customer_id": ["a"], "branch_id": ["B"], "aum": [1.0], "Score": [700], "Notes": ["x"]})
    mapped = apply_mapping(raw, MappingParams(features=["Score"]))
    assert list(mapped.columns) == ["customer_id", "branch_id", "aum", "Score"]


def test_drop_ignores_absent_columns():
    raw = pd.DataFrame({"customer_id": ["a"], "branch_id": ["B"], "aum": [1.0]})
    assert list(apply_mapping(raw, MappingParams(drop=["RowNumber"])).columns) == ["customer_id", "branch_id", "aum"]


def test_unknown_rename_sources_are_named():
    raw = pd.DataFrame({"CustomerId": ["a"], "Balance": [1.0]})
    mapping = MappingParams(rename={"CustomerId": "customer_id", "Geography": "branch_id", "Saldo": "aum"})
    with pytest.raises(SegkitError, match=r"'Geography', 'Saldo' not found.*'CustomerId', 'Balance'"):
        apply_mapping(raw, mapping)


@pytest.mark.parametrize(
    "mapping, column",
    [
        (MappingParams(values={"gender": {"F": "female"}}), "gender"),
        (MappingParams(scale={"tenure_months": 12}), "tenure_months"),
        (MappingParams(features=["CreditScore"]), "CreditScore"),
    ],
)
def test_unknown_columns_in_other_steps_are_named(mapping, column):
    raw = pd.DataFrame({"customer_id": ["a"], "branch_id": ["B"], "aum": [1.0]})
    with pytest.raises(SegkitError, match=f"'{column}' not found"):
        apply_mapping(raw, mapping)


def test_renaming_onto_an_existing_column_is_refused():
    raw = pd.DataFrame({"customer_id": ["a"], "branch_id": ["B"], "aum": [1.0], "Balance": [2.0]})
    with pytest.raises(SegkitError, match="two columns named 'aum'"):
        apply_mapping(raw, MappingParams(rename={"Balance": "aum"}))


def test_two_sources_for_one_column_are_refused():
    with pytest.raises(ValidationError, match="several source columns renamed to aum"):
        MappingParams(rename={"Balance": "aum", "Saldo": "aum"})

"""The canonical table's validation: every bad input gets a clear answer."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from segkit.data.schema import (
    CUSTOMERS,
    MissingColumnWarning,
    missing_optional,
    optional_columns,
    required_columns,
    validate_customers,
)
from segkit.data.synth import generate_bank
from segkit.errors import DataValidationError, SegkitError


@pytest.fixture
def bank() -> pd.DataFrame:
    return generate_bank(300, 3, seed=11)


def problems_of(frame: pd.DataFrame) -> DataValidationError:
    with pytest.raises(DataValidationError) as caught:
        validate_customers(frame, source="bank.csv")
    return caught.value


def only_problem(frame: pd.DataFrame, column: str):
    error = problems_of(frame)
    found = [p for p in error.problems if p.column == column]
    assert len(found) == 1, str(error)
    assert f"column '{column}'" in str(error)
    assert str(error).startswith("bank.csv:")
    return found[0]


def set_value(frame: pd.DataFrame, column: str, rows: list[int], value) -> pd.DataFrame:
    values = frame[column].astype(object)
    values.iloc[rows] = value
    return frame.assign(**{column: values})


def test_generated_bank_is_valid(bank):
    validated = validate_customers(bank)
    pd.testing.assert_frame_equal(validated, bank)


def test_declared_dtypes_after_validation(bank):
    validated = validate_customers(bank)
    assert validated["customer_id"].dtype == "str"
    assert validated["aum"].dtype == "float64"
    assert validated["age"].dtype == "Int64"
    assert validated["has_fx"].dtype == "bool"
    assert validated["credit_card"].dtype == "str"
    assert validated["churned"].dtype == "Int64"


@pytest.mark.parametrize("column", ["customer_id", "branch_id", "aum"])
def test_missing_required_column(bank, column):
    problem = only_problem(bank.drop(columns=column), column)
    assert problem.rule == "required column is missing"


def test_text_in_aum(bank):
    frame = set_value(bank, "aum", [4], "12,000 yuan")
    problem = only_problem(frame, "aum")
    assert "must be a number" in problem.rule and "12,000 yuan" in problem.rule
    assert problem.n_rows == 1
    assert problem.examples == (bank["customer_id"].iloc[4],)


def test_negative_aum(bank):
    frame = set_value(bank, "aum", [1, 2, 3], -1.0)
    problem = only_problem(frame, "aum")
    assert problem.rule.startswith("must be at least 0")
    assert problem.n_rows == 3
    assert problem.examples == tuple(bank["customer_id"].iloc[[1, 2, 3]])


@pytest.mark.parametrize("age", [-1, 121, 200])
def test_age_out_of_range(bank, age):
    problem = only_problem(set_value(bank, "age", [7, 8], age), "age")
    assert "between 0 and 120" in problem.rule and str(age) in problem.rule
    assert problem.n_rows == 2
    assert problem.examples == tuple(bank["customer_id"].iloc[[7, 8]])


def test_fractional_age(bank):
    problem = only_problem(set_value(bank, "age", [0], 30.5), "age")
    assert problem.rule.startswith("must be a whole number")


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_kyc_completeness_out_of_range(bank, value):
    problem = only_problem(set_value(bank, "kyc_completeness", [3], value), "kyc_completeness")
    assert "between 0 and 1" in problem.rule and str(value) in problem.rule
    assert problem.n_rows == 1
    assert problem.examples == (bank["customer_id"].iloc[3],)


@pytest.mark.parametrize("value", [-1, 13])
def test_months_inactive_out_of_range(bank, value):
    problem = only_problem(set_value(bank, "months_inactive", [3], value), "months_inactive")
    assert "between 0 and 12" in problem.rule


def test_duplicate_customer_id(bank):
    duplicate = bank["customer_id"].iloc[0]
    problem = only_problem(set_value(bank, "customer_id", [5], duplicate), "customer_id")
    assert problem.rule == "must be unique"
    assert problem.n_rows == 2
    assert problem.examples == (duplicate,)


def test_null_customer_id_is_reported_by_row(bank):
    problem = only_problem(set_value(bank, "customer_id", [9], None), "customer_id")
    assert problem.rule == "must not be missing"
    assert problem.examples == ("row 10",)


def test_unknown_credit_card_state(bank):
    rows = list(range(2, 12))
    problem = only_problem(set_value(bank, "credit_card", rows, "platinum"), "credit_card")
    assert "none, inactive, active" in problem.rule and "platinum" in problem.rule
    assert problem.n_rows == 10
    assert problem.examples == tuple(bank["customer_id"].iloc[2:7])  # a few, not all ten


def test_unknown_customer_type(bank):
    problem = only_problem(set_value(bank, "customer_type", [2], "vip"), "customer_type")
    assert "retail, merchant, corporate" in problem.rule


def test_unreadable_flag(bank):
    problem = only_problem(set_value(bank, "has_fx", [6], "maybe"), "has_fx")
    assert problem.rule.startswith("must be true or false")


def test_missing_flags_are_named_as_missing(bank):
    frame = set_value(bank, "has_fx", [6], "maybe")
    frame = set_value(frame, "has_fx", [8, 9], None)
    problem = only_problem(frame, "has_fx")
    assert problem.rule == "must be true or false (1/0, yes/no); found 'maybe', missing values"
    assert problem.n_rows == 3


@pytest.mark.parametrize("value", [np.inf, -np.inf, "inf", "1e400"])
def test_infinite_amounts_are_refused(bank, value):
    problem = only_problem(set_value(bank, "aum", [4], value), "aum")
    assert problem.rule.startswith("must be a finite number")
    assert problem.examples == (bank["customer_id"].iloc[4],)


def test_wrong_type_in_a_count_column(bank):
    problem = only_problem(set_value(bank, "age", [1, 5], "forty"), "age")
    assert problem.rule == "must be a number; found 'forty'"
    assert problem.n_rows == 2 and problem.examples == tuple(bank["customer_id"].iloc[[1, 5]])


def test_missing_aum_and_branch(bank):
    frame = set_value(set_value(bank, "aum", [3], None), "branch_id", [4, 5], None)
    assert only_problem(frame, "aum").rule == "must not be missing"
    branch = only_problem(frame, "branch_id")
    assert branch.rule == "must not be missing" and branch.n_rows == 2


def test_churned_must_be_zero_or_one(bank):
    problem = only_problem(set_value(bank, "churned", [6], 2), "churned")
    assert "0 or 1" in problem.rule


def test_every_problem_is_reported_at_once(bank):
    frame = set_value(bank, "aum", [1], -5.0)
    frame = set_value(frame, "age", [2], 130)
    frame = set_value(frame, "credit_card", [3], "gold")
    frame = set_value(frame, "customer_id", [4], None)
    frame = frame.drop(columns="branch_id")
    error = problems_of(frame)
    assert {p.column for p in error.problems} == {"aum", "age", "credit_card", "customer_id", "branch_id"}
    assert f"{len(error.problems)} problem(s) found" in str(error)
    assert isinstance(error, SegkitError)


def test_an_unreadable_value_is_not_reported_twice(bank):
    error = problems_of(set_value(bank, "aum", [0], "n/a"))
    assert [p.rule.split(";")[0] for p in error.problems] == ["must be a number"]


def test_empty_table(bank):
    problem = only_problem(bank.iloc[0:0], "<table>")
    assert problem.rule == "has no customer rows"


def test_rows_without_canonical_columns_are_not_an_empty_table():
    error = problems_of(pd.DataFrame(index=range(3)))  # e.g. every column dropped by the mapping
    assert [p.column for p in error.problems] == ["customer_id", "branch_id", "aum"]


def test_repeated_column_name(bank):
    frame = pd.concat([bank, bank[["aum"]]], axis=1)
    assert only_problem(frame, "aum").rule == "column appears more than once"


def test_sensible_values_are_coerced():
    raw = pd.DataFrame(
        {
            "customer_id": [15634602.0, 15647311.0],
            "branch_id": [1, 2],
            "aum": ["100.5", "0"],
            "age": [42.0, 41.0],
            "has_fx": ["Yes", "no"],
            "has_loan": [1, 0],
            "has_wealth": ["是", "否"],
            "extra": ["a", "b"],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingColumnWarning)
        table = validate_customers(raw)
    assert table["customer_id"].tolist() == ["15634602", "15647311"]
    assert table["branch_id"].tolist() == ["1", "2"]
    assert table["aum"].tolist() == [100.5, 0.0]
    assert table["age"].dtype == "Int64" and table["age"].tolist() == [42, 41]
    assert table["has_fx"].tolist() == [True, False]
    assert table["has_loan"].tolist() == [True, False]
    assert table["has_wealth"].tolist() == [True, False]
    assert list(table.columns)[-1] == "extra"


def test_one_warning_per_missing_optional_column(bank):
    frame = bank[["customer_id", "branch_id", "aum", "age"]]
    with pytest.warns(MissingColumnWarning) as record:
        validate_customers(frame)
    named = [str(w.message).split("'")[1] for w in record if issubclass(w.category, MissingColumnWarning)]
    assert named == missing_optional(frame)
    assert "age" not in named and "months_inactive" in named
    message = next(str(w.message) for w in record if "'months_inactive'" in str(w.message))
    assert "dormancy" in message  # says which features are skipped


def test_segment_columns_are_only_needed_when_the_segment_exists(bank):
    retail = bank[["customer_id", "branch_id", "aum"]].assign(customer_type="retail")
    assert "deposits" not in missing_optional(retail)
    assert "industry" not in missing_optional(retail)
    mixed = retail.assign(customer_type=np.where(np.arange(len(retail)) % 2, "merchant", "retail"))
    assert "industry" in missing_optional(mixed) and "deposits" not in missing_optional(mixed)


def test_column_lists_cover_the_schema():
    assert required_columns() == ["customer_id", "branch_id", "aum"]
    assert set(required_columns()) | set(optional_columns()) | {"name", "phone"} == set(CUSTOMERS.columns)

"""The canonical customer table: one row per customer per snapshot.

:data:`CUSTOMERS` declares every column as a pandera schema: its dtype, the
values it may hold, whether it may be missing, and (for optional columns,
``metadata["needed_by"]``) which features are skipped without it.
:func:`validate_customers` parses a mapped export into those dtypes and checks
it, reporting every problem at once as a
:class:`~segkit.errors.DataValidationError`.

Dtypes after validation: text ``str`` (missing = NaN), amounts and rates
``float64``, counts and the churn label ``Int64`` (nullable integers:
``to_numpy()`` gives int64, or float64 with NaN when values are missing),
flags ``bool``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pandera.pandas as pa

from segkit.errors import DataValidationError, Problem

__all__ = [
    "CUSTOMERS",
    "CREDIT_CARD_STATES",
    "CUSTOMER_TYPES",
    "PII_COLUMNS",
    "PRODUCT_FLAGS",
    "MissingColumnWarning",
    "canonical_columns",
    "missing_optional",
    "optional_columns",
    "required_columns",
    "validate_customers",
]

CUSTOMER_TYPES = ("retail", "merchant", "corporate")
CREDIT_CARD_STATES = ("none", "inactive", "active")
PRODUCT_FLAGS = (
    "has_debit_card",
    "has_wealth",
    "has_fund",
    "has_insurance",
    "has_payroll",
    "has_pos",
    "has_fx",
    "has_loan",
)
"""Holdings counted by ``n_products`` (an issued credit card counts too)."""

PII_COLUMNS = ("name", "phone")
"""Personal data: kept for call lists, masked in every report."""

MAX_EXAMPLES = 5


def _at_least(low: float) -> pa.Check:
    return pa.Check.ge(low, error=f"must be at least {low:g}")


def _between(low: float, high: float) -> pa.Check:
    return pa.Check.in_range(low, high, error=f"must be between {low:g} and {high:g}")


def _one_of(values: Iterable[str]) -> pa.Check:
    values = list(values)
    return pa.Check.isin(values, error=f"must be one of {', '.join(values)}")


_ZERO_ONE = pa.Check.isin([0, 1], error="must be 0 or 1")


def _optional(
    dtype, needed_by: str, *checks: pa.Check, nullable: bool = True, description: str = "", segment: str | None = None
) -> pa.Column:
    """An optional column; ``segment`` names the customer type it describes, if only one."""
    return pa.Column(
        dtype,
        list(checks),
        nullable=nullable,
        required=False,
        description=description,
        metadata={"needed_by": needed_by, "segment": segment},
    )


def _flag(needed_by: str, description: str) -> pa.Column:
    return _optional(bool, needed_by, nullable=False, description=description)


_MERCHANT = "merchant value tiers"
_CORPORATE = "corporate levels and the loan review"

CUSTOMERS = pa.DataFrameSchema(
    {
        # --- required
        "customer_id": pa.Column(str, nullable=False, unique=True, description="unique customer id"),
        "branch_id": pa.Column(str, nullable=False, description="branch the customer belongs to"),
        "aum": pa.Column(float, _at_least(0), nullable=False, description="assets under management, period daily average (CNY)"),
        # --- who
        "manager_id": _optional(str, "existing managers in book assignment (every customer counts as unassigned)", description="relationship manager; missing = unassigned"),
        "customer_type": _optional(str, "merchant and corporate rules (every customer counts as retail)", _one_of(CUSTOMER_TYPES), nullable=False),
        "name": pa.Column(str, nullable=True, required=False, description="customer name (PII)"),
        "phone": pa.Column(str, nullable=True, required=False, description="mobile number (PII)"),
        "gender": _optional(str, "gender in clustering"),
        "age": _optional("Int64", "age in clustering, MAN authority and the churn model", _between(0, 120)),
        "income": _optional(float, "income in MAN money and clustering", _at_least(0), description="annual income (CNY)"),
        # --- assets and products
        "aum_prev": _optional(float, "tier migration and falling-AUM churn signal", _at_least(0), description="previous period's daily average AUM"),
        "n_products": _optional("Int64", "product depth in clustering and the churn model", _at_least(0)),
        "has_debit_card": _flag("debit-card offers (dual-card binding)", "holds a debit card"),
        "has_wealth": _flag("wealth class", "holds wealth products"),
        "has_fund": _flag("wealth class (funds)", "holds funds"),
        "has_insurance": _flag("wealth class (insurance)", "holds insurance"),
        "has_payroll": _flag("payroll class", "salary paid through the bank"),
        "has_pos": _flag("merchant class (POS)", "POS acquiring"),
        "has_fx": _flag("FX class", "foreign-exchange settlement"),
        "has_loan": _flag("MAN need and credit offers", "holds a loan"),
        "credit_card": _optional(str, "credit-card class and its activation / binding actions", _one_of(CREDIT_CARD_STATES), nullable=False),
        "card_autopay_bound": _flag("dual-card binding action", "active credit card repaid automatically from a debit card"),
        # --- activity and relationship
        "tenure_months": _optional("Int64", "tenure in the churn model", _at_least(0)),
        "months_inactive": _optional("Int64", "dormancy (睡眠客户) and inactivity in the churn model", _between(0, 12)),
        "txn_count_3m": _optional("Int64", "activity in clustering and the churn model", _at_least(0)),
        "txn_amount_3m": _optional(float, "spend in clustering and the credit-card sub-groups", _at_least(0)),
        "contacts_12m": _optional("Int64", "familiarity (matrix groups)", _at_least(0)),
        "kyc_completeness": _optional(float, "familiarity (matrix groups)", _between(0, 1)),
        "has_contact": _flag("red list of customers without contact details", "usable contact details on file"),
        "churned": _optional("Int64", "churn model training and evaluation", _ZERO_ONE, description="1 = left the bank"),
        # --- merchants (missing for other customers)
        "industry": _optional(str, "merchant industry groups (十行八店)", segment="merchant"),
        "monthly_avg_funds": _optional(float, _MERCHANT, _at_least(0), segment="merchant", description="monthly daily-average funds"),
        "annual_acquiring": _optional(float, _MERCHANT, _at_least(0), segment="merchant", description="annual POS acquiring volume"),
        "annual_fee_income": _optional(float, _MERCHANT, _at_least(0), segment="merchant", description="annual fee income to the bank"),
        "credit_line": _optional(float, _MERCHANT, _at_least(0), segment="merchant", description="business-loan credit line"),
        # --- corporate customers (missing for other customers)
        "deposits": _optional(float, _CORPORATE, _at_least(0), segment="corporate"),
        "fund_return_rate": _optional(float, _CORPORATE, _at_least(0), segment="corporate", description="资金归行率"),
        "e_products": _optional("Int64", _CORPORATE, _at_least(0), segment="corporate", description="e-banking products used"),
    },
    strict=False,
    name="customers",
    description="segkit's canonical customer table",
)
"""The canonical customer table as a pandera schema (dtypes, values, required columns)."""


class MissingColumnWarning(UserWarning):
    """An optional canonical column is absent; the features that need it are skipped."""


def canonical_columns() -> list[str]:
    """All canonical column names, in table order."""
    return list(CUSTOMERS.columns)


def required_columns() -> list[str]:
    """Columns every input must have."""
    return [name for name, column in CUSTOMERS.columns.items() if column.required]


def optional_columns() -> list[str]:
    """Optional canonical columns (without the PII columns)."""
    return [name for name, column in CUSTOMERS.columns.items() if not column.required and name not in PII_COLUMNS]


def missing_optional(frame: pd.DataFrame) -> list[str]:
    """Return the optional canonical columns that ``frame`` lacks, in table order.

    Merchant (corporate) measures count as missing only when some customer
    is a merchant (corporate customer): otherwise no feature needs them.
    """
    types = set(frame["customer_type"].dropna().unique()) if "customer_type" in frame.columns else set()

    def needed(name: str) -> bool:
        segment = CUSTOMERS.columns[name].metadata["segment"]
        return segment is None or segment in types

    return [name for name in optional_columns() if name not in frame.columns and needed(name)]


# ----------------------------------------------------------------------- parsing
_TRUE = {"true", "t", "yes", "y", "1", "1.0", "是", "有"}
_FALSE = {"false", "f", "no", "n", "0", "0.0", "否", "无"}


def _kind(column: pa.Column) -> str:
    text = str(column.dtype)
    if text == "bool":
        return "flag"
    if text == "Int64":
        return "count"
    if text.startswith("float"):
        return "amount"
    return "text"


def _numbers(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return ``values`` as float64 (NaN where unreadable or infinite) and two masks.

    The masks mark entries that are not numbers and entries that are
    infinite (``inf`` in a CSV file, or an overflowing ``1e400``).
    """
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        numbers = values.astype("float64")
        not_number = pd.Series(False, index=values.index)
    else:
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        not_number = numbers.isna() & values.notna()
    infinite = pd.Series(np.isinf(numbers.to_numpy()), index=values.index)
    return numbers.mask(infinite), not_number, infinite


def parse_flags(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read a flag column as bool.

    Accepts booleans, 1/0 and the words true/false, yes/no, y/n, t/f, 是/否,
    有/无 in any case.

    Returns
    -------
    flags : Series of bool
        The flags, False where the entry could not be read.
    bad : Series of bool
        Entries that are missing or not one of the accepted forms.
    """
    if pd.api.types.is_bool_dtype(values) and not values.isna().any():
        return values.astype(bool), pd.Series(False, index=values.index)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype("float64")
        bad = ~numbers.isin([0.0, 1.0])
        return (numbers == 1.0) & ~bad, bad
    text = values.astype("str").str.strip().str.lower()
    true, false = text.isin(_TRUE), text.isin(_FALSE)
    return true & values.notna(), ~(true | false) | values.isna()


def _parse(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, tuple[str, pd.Series]]]:
    """Convert every canonical column to its declared dtype.

    Returns the parsed frame and, per column, the rule and mask of entries
    that could not be converted (they become missing, or False for flags).
    """
    columns: dict[str, pd.Series] = {}
    failures: dict[str, tuple[str, pd.Series]] = {}
    for name, column in CUSTOMERS.columns.items():
        if name not in frame.columns:
            continue
        values = frame[name]
        kind = _kind(column)
        if kind == "text":
            if pd.api.types.is_float_dtype(values) and (values.dropna() % 1 == 0).all():
                values = values.astype("Int64")  # ids read as floats: 15634602.0 -> "15634602"
            columns[name] = values.astype("str")
            continue
        if kind == "flag":
            flags, bad = parse_flags(values)
            rule = "must be true or false (1/0, yes/no)"
            columns[name] = flags.astype(bool)
        else:
            numbers, bad, infinite = _numbers(values)
            rule = "must be a number"
            if infinite.any() and not bad.any():
                rule = "must be a finite number"
            bad = bad | infinite
            if kind == "count":
                fractional = numbers.notna() & (numbers % 1 != 0)
                if fractional.any() and not bad.any():
                    rule = "must be a whole number"
                bad = bad | fractional
                numbers = numbers.mask(fractional).astype("Int64")
            columns[name] = numbers
        if bad.any():
            failures[name] = (rule, bad)
    parsed = frame.assign(**columns) if columns else frame.copy()
    return parsed, failures


# -------------------------------------------------------------------- reporting
def _examples(frame: pd.DataFrame, rows: Iterable[int]) -> tuple[str, ...]:
    ids = frame["customer_id"] if "customer_id" in frame.columns else None
    examples: list[str] = []
    for row in rows:
        value = None if ids is None else ids.iloc[row]
        label = f"row {row + 1}" if value is None or pd.isna(value) else str(value)
        if label not in examples:
            examples.append(label)
        if len(examples) == MAX_EXAMPLES:
            break
    return tuple(examples)


def _found(values: pd.Series) -> str:
    """``"; found 'a', 'b', missing values"``: the distinct offending entries, or ``""``."""
    distinct = list(dict.fromkeys(str(value) for value in values.dropna()))
    shown = [repr(value) for value in distinct[:MAX_EXAMPLES]] + (["..."] if len(distinct) > MAX_EXAMPLES else [])
    if values.isna().any():
        shown.append("missing values")
    return f"; found {', '.join(shown)}" if shown else ""


def _problem(frame: pd.DataFrame, column: str, rule: str, rows: np.ndarray) -> Problem:
    rows = np.unique(rows)
    return Problem(column=column, rule=rule, n_rows=int(rows.size), examples=_examples(frame, rows))


_RULES = {"not_nullable": "must not be missing", "field_uniqueness": "must be unique"}


def _schema_problems(
    frame: pd.DataFrame, failures: dict[str, tuple[str, pd.Series]]
) -> list[Problem]:
    try:
        CUSTOMERS.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    problems = []
    missing = cases[cases["check"] == "column_in_dataframe"]
    for name in missing["failure_case"]:
        problems.append(Problem(column=str(name), rule="required column is missing"))
    cases = cases[(cases["check"] != "column_in_dataframe") & cases["index"].notna()]
    for (column, check), group in cases.groupby(["column", "check"], sort=False):
        rows = group["index"].astype("int64").to_numpy()
        if column in failures:  # already reported as unreadable
            rows = rows[~failures[column][1].to_numpy()[rows]]
        if rows.size:
            rule = _RULES.get(str(check)) or str(check) + _found(frame[column].iloc[np.unique(rows)])
            problems.append(_problem(frame, str(column), rule, rows))
    return problems


def validate_customers(frame: pd.DataFrame, source: str = "input") -> pd.DataFrame:
    """Check a table against the canonical schema and return it parsed.

    Every canonical column present is converted to its declared dtype (ids
    to text, flags to bool, counts to ``Int64``, amounts to ``float64``);
    other columns are kept unchanged after them. Each absent optional column
    raises one :class:`MissingColumnWarning` naming the features skipped.

    Parameters
    ----------
    frame : DataFrame
        A table using canonical column names (see
        :func:`segkit.data.mapping.apply_mapping`).
    source : str
        Where the table came from, for messages (a path).

    Returns
    -------
    DataFrame
        The parsed table with a fresh ``RangeIndex``, canonical columns first.

    Raises
    ------
    DataValidationError
        Listing every problem at once: missing required columns, entries of
        the wrong type, values out of range or not allowed, missing or
        duplicate ``customer_id`` -- each with the column, the rule, how many
        rows and a few example customer ids.
    """
    frame = frame.reset_index(drop=True)
    if len(frame.columns) and frame.columns.duplicated().any():
        names = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise DataValidationError([Problem(name, "column appears more than once") for name in names], source)
    parsed, failures = _parse(frame)
    problems: list[Problem] = []
    if len(parsed) == 0:
        problems.append(Problem("<table>", "has no customer rows"))
    for name, (rule, bad) in failures.items():
        problems.append(_problem(parsed, name, rule + _found(frame.loc[bad, name]), np.flatnonzero(bad.to_numpy())))
    problems += _schema_problems(parsed, failures)
    if problems:
        order = {name: i for i, name in enumerate(CUSTOMERS.columns)}
        problems.sort(key=lambda p: order.get(p.column, -1))
        raise DataValidationError(problems, source)
    for name in missing_optional(parsed):
        needed_by = CUSTOMERS.columns[name].metadata["needed_by"]
        warnings.warn(f"optional column '{name}' is missing; skipped: {needed_by}", MissingColumnWarning, stacklevel=2)
    canonical = [name for name in CUSTOMERS.columns if name in parsed.columns]
    return parsed[canonical + [name for name in parsed.columns if name not in CUSTOMERS.columns]]

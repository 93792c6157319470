"""Turn a bank's export into the canonical customer table.

A mapping (:class:`segkit.config.MappingParams`, a YAML file under
``params/mappings/``) is applied in this order:

1. ``drop``: remove columns (names absent from the export are ignored);
2. ``rename``: source name -> canonical name;
3. ``values``: per column, raw value -> canonical value (``null`` as a key
   stands for a missing value); values not listed are kept;
4. ``scale``: multiply a numeric column (years -> months: ``12``);
5. ``constants``: set a column to one value (e.g. a single branch);
6. derive ``n_products`` from the product flags and ``credit_card`` when it
   is absent;
7. keep the canonical columns, the PII columns, the declared ``features``
   and the columns the rules read (``keep``, see
   :func:`segkit.rules.rule_inputs`); drop the rest.

Only ``features`` become model features: the churn model and the segmenter
read canonical columns and the declared features, never a column kept only
because a rule reads it (e.g. ``financing_share``, read by the corporate
review, or a ``head_office_relationship`` flag read by a corporate level).

Example (``params/mappings/churn_modelling.yaml``)::

    drop: [RowNumber]
    rename: {CustomerId: customer_id, Geography: branch_id, Balance: aum}
    values: {gender: {Female: female, Male: male}}
    scale: {tenure_months: 12}
    constants: {customer_type: retail}
    features: [CreditScore, IsActiveMember]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from segkit.config import MappingParams
from segkit.data.schema import CUSTOMERS, PII_COLUMNS, PRODUCT_FLAGS, parse_flags
from segkit.errors import SegkitError

__all__ = ["apply_mapping", "derive_n_products", "source_text_columns"]


def _names(names: list[str], limit: int = 12) -> str:
    shown = ", ".join(repr(str(name)) for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _require(frame: pd.DataFrame, names: list[str], what: str) -> None:
    absent = [name for name in names if name not in frame.columns]
    if absent:
        raise SegkitError(
            f"mapping: {what} {_names(absent)} not found in the data; "
            f"its columns are {_names(list(frame.columns))}"
        )


def _map_values(values: pd.Series, table: dict[Any, Any]) -> pd.Series:
    """Replace the values listed in ``table``; keep the others."""
    missing_to = table.get(None)
    pairs = {key: value for key, value in table.items() if key is not None}
    as_text = pd.api.types.is_string_dtype(values) or values.dtype == object
    lookup = {str(key) if as_text else key: value for key, value in pairs.items()}
    if not as_text:  # numeric columns: YAML may quote numbers ("1": active)
        lookup.update({_number(key): value for key, value in pairs.items() if _number(key) is not None})
    keys = values.astype("str") if as_text else values
    known = keys.isin(list(lookup))
    mapped = values.astype(object).where(~known, keys.map(lookup))
    if None in table:
        mapped = mapped.where(values.notna(), missing_to)
    return mapped.infer_objects()


def _number(key: Any) -> float | None:
    try:
        return float(key)
    except (TypeError, ValueError):
        return None


def derive_n_products(frame: pd.DataFrame) -> pd.Series | None:
    """Count each customer's holdings from the product flags present.

    Counts :data:`~segkit.data.schema.PRODUCT_FLAGS` plus an issued credit
    card (``credit_card`` other than ``none``). Returns ``None`` when the
    frame has none of these columns. Unreadable flag entries count as not
    held (validation reports them).
    """
    flags = [name for name in PRODUCT_FLAGS if name in frame.columns]
    if not flags and "credit_card" not in frame.columns:
        return None
    count = pd.Series(0, index=frame.index, dtype="int64")
    for name in flags:
        count += parse_flags(frame[name])[0].astype("int64")
    if "credit_card" in frame.columns:
        card = frame["credit_card"]
        count += (card.notna() & (card.astype("str") != "none")).astype("int64")
    return count.astype("Int64").rename("n_products")


def source_text_columns(mapping: MappingParams) -> list[str]:
    """Export columns that must be read as text (ids, phone numbers, ...).

    These are the canonical text columns and every source column renamed to
    one, so ids keep their leading zeros when read from CSV.
    """
    text = {name for name, column in CUSTOMERS.columns.items() if str(column.dtype) not in ("bool", "Int64") and not str(column.dtype).startswith("float")}
    return sorted(text | {source for source, target in mapping.rename.items() if target in text})


def apply_mapping(raw: pd.DataFrame, mapping: MappingParams, keep: Iterable[str] = ()) -> pd.DataFrame:
    """Apply a mapping to a bank's export (see the module docstring).

    Parameters
    ----------
    raw : DataFrame
        The export as read (:func:`segkit.data.io.read_table`).
    mapping : MappingParams
        The mapping.
    keep : iterable of str
        Further columns to keep, named as after ``rename``, when the data has
        them: the columns the rules read (:func:`segkit.rules.rule_inputs`).
        They are not model features; absent ones are skipped (a rule on an
        absent column never holds).

    Returns
    -------
    DataFrame
        Canonical columns (in schema order, values not yet validated), the
        PII columns, the declared features, then the kept columns.

    Raises
    ------
    SegkitError
        If ``rename``, ``values``, ``scale`` or ``features`` names a column the
        data does not have (the message lists them and the columns it has),
        or two columns would end up with the same name.
    """
    frame = raw.drop(columns=[name for name in mapping.drop if name in raw.columns])
    _require(frame, list(mapping.rename), "rename source column(s)")
    kept = [name for name in frame.columns if name not in mapping.rename]
    clashes = sorted(set(mapping.rename.values()) & set(kept))
    if clashes:
        raise SegkitError(
            f"mapping: renaming would give two columns named {_names(clashes)}; "
            "drop or rename the existing column(s) first"
        )
    frame = frame.rename(columns=mapping.rename)
    _require(frame, list(mapping.values), "values for column(s)")
    _require(frame, list(mapping.scale), "scale for column(s)")
    updates: dict[str, Any] = {name: _map_values(frame[name], table) for name, table in mapping.values.items()}
    frame = frame.assign(**updates)
    scaled = {}
    for name, factor in mapping.scale.items():
        numbers = pd.to_numeric(frame[name], errors="coerce")
        # keep unreadable entries as they are so validation reports them
        scaled[name] = (numbers * factor).where(numbers.notna() | frame[name].isna(), frame[name])
    frame = frame.assign(**scaled, **dict(mapping.constants))
    if "n_products" not in frame.columns:
        derived = derive_n_products(frame)
        if derived is not None:
            frame = frame.assign(n_products=derived)
    _require(frame, list(mapping.features), "feature column(s)")
    canonical = [name for name in CUSTOMERS.columns if name in frame.columns]
    wanted = [*mapping.features, *(name for name in keep if name in frame.columns)]
    extras = [name for name in dict.fromkeys(wanted) if name not in canonical and name not in PII_COLUMNS]
    return frame[canonical + extras]

"""Tier schemes: put each value into its band ``[lower, upper)``.

A scheme (:class:`~segkit.config.Scheme`) is validated when the params load:
sorted, contiguous, non-negative bands with unique codes and an open top.

The retail pyramid and the VIP levels (``schemes.tier``, ``schemes.vip``)
describe retail and merchant customers: corporate customers
(``customer_type == "corporate"``) get neither (:func:`retail_bands`), they
have their own levels (``schemes.corporate``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from segkit.config import LevelScheme, Scheme, read_yaml
from segkit.errors import ParamsError, SegkitError


def scheme_dtype(scheme: Scheme) -> pd.CategoricalDtype:
    """The ordered categorical dtype of a scheme's codes, lowest band first."""
    return pd.CategoricalDtype(scheme.codes, ordered=True)


def band_positions(values: pd.Series | np.ndarray, scheme: Scheme) -> np.ndarray:
    """Index of each value's band (0 = lowest), ``-1`` for missing or below the first band."""
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    lowers = np.array([band.lower for band in scheme.bands], dtype="float64")
    positions = np.searchsorted(lowers, numbers, side="right") - 1
    positions[np.isnan(numbers)] = -1
    return positions.astype("int16")


def assign_bands(values: pd.Series, scheme: Scheme) -> pd.Series:
    """Return the band code of every value as an ordered categorical.

    Parameters
    ----------
    values : Series
        Numbers (e.g. AUM). Missing values, and values below the first band,
        get ``<NA>``.
    scheme : Scheme
        The bands, lowest first.

    Returns
    -------
    Series
        Ordered categorical of band codes, same index as ``values``.
    """
    codes = band_positions(values, scheme)
    return pd.Series(pd.Categorical.from_codes(codes, dtype=scheme_dtype(scheme)), index=values.index)


def is_corporate(frame: pd.DataFrame) -> np.ndarray:
    """Rows with ``customer_type == "corporate"``; none without a ``customer_type`` column."""
    if "customer_type" not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return frame["customer_type"].isin(["corporate"]).to_numpy(dtype=bool)


def retail_positions(values: pd.Series, frame: pd.DataFrame, scheme: Scheme) -> np.ndarray:
    """:func:`band_positions` of a retail scheme: ``-1`` for the corporate rows of ``frame``."""
    positions = band_positions(values, scheme)
    positions[is_corporate(frame)] = -1
    return positions


def retail_bands(frame: pd.DataFrame, scheme: Scheme) -> pd.Series:
    """The band of a retail scheme (pyramid tier, VIP level) of every customer.

    Like :func:`assign_bands` on the scheme's column, but corporate customers
    get ``<NA>``: they are not part of the retail pyramid.

    Raises
    ------
    SegkitError
        If the frame lacks the scheme's column.
    """
    codes = retail_positions(scheme_column(frame, scheme), frame, scheme)
    return pd.Series(pd.Categorical.from_codes(codes, dtype=scheme_dtype(scheme)), index=frame.index)


def scheme_column(frame: pd.DataFrame, scheme: Scheme) -> pd.Series:
    """The column a scheme reads, or a :class:`SegkitError` naming it."""
    if scheme.column not in frame.columns:
        raise SegkitError(f"scheme '{scheme.name}' reads column '{scheme.column}', which the data does not have")
    return frame[scheme.column]


def load_scheme(path: str | Path) -> Scheme:
    """Read and validate one scheme YAML file (a :class:`LevelScheme` when it has ``by_rule``).

    Raises
    ------
    ParamsError
        Naming the file, the scheme and each problem with its bands.
    """
    raw = read_yaml(path)
    model = LevelScheme if isinstance(raw, dict) and "by_rule" in raw else Scheme
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        messages = []
        for item in exc.errors():
            where = ".".join(str(part) for part in item["loc"])
            message = item["msg"].removeprefix("Value error, ")
            messages.append(f"{where}: {message}" if where else message)
        raise ParamsError(f"{path}: " + "; ".join(messages)) from None


def scheme_table(scheme: Scheme) -> pd.DataFrame:
    """The scheme as a table (for reports), lowest level first.

    Columns ``code``, ``zh``, ``en``, ``lower``, ``upper``, ``owner_zh``,
    ``owner_en``; levels reached only by rule (:class:`LevelScheme`) come
    last, without bounds.
    """
    levels = list(scheme.bands)
    if isinstance(scheme, LevelScheme):
        levels += [level for level in scheme.by_rule if level.code not in {band.code for band in scheme.bands}]
    rows = [
        {
            "code": level.code,
            "zh": level.zh,
            "en": level.en,
            "lower": getattr(level, "lower", None),
            "upper": getattr(level, "upper", None),
            "owner_zh": level.owner.zh if level.owner else None,
            "owner_en": level.owner.en if level.owner else None,
        }
        for level in levels
    ]
    table = pd.DataFrame(rows, columns=["code", "zh", "en", "lower", "upper", "owner_zh", "owner_en"])
    return table.astype({"code": "str", "zh": "str", "en": "str", "lower": "float64", "upper": "float64", "owner_zh": "str", "owner_en": "str"})

"""Who to call: the retention list and the dormant (睡眠客户) wake-up list."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from segkit.churn.features import as_numbers
from segkit.errors import SegkitError

CONTEXT = ("customer_id", "branch_id", "manager_id", "tier", "vip_level", "aum")
REASONS = ("churn_reason_1", "churn_reason_2", "churn_reason_3")


def _present(frame: pd.DataFrame, names: Sequence[str]) -> list[str]:
    return [name for name in names if name in frame]


def retention_list(
    scored: pd.DataFrame, n: int | None = 100, bands: Sequence[str] = ("high", "medium")
) -> pd.DataFrame:
    """Customers to keep, most value at risk first.

    Parameters
    ----------
    scored : DataFrame
        Scored customers (with ``churn_score``, ``churn_band``, ``value_at_risk``).
    n : int or None
        Rows to return (None: all).
    bands : sequence of str
        Churn bands to include.

    Returns
    -------
    DataFrame
        ``rank`` then whichever of ``customer_id``, ``branch_id``,
        ``manager_id``, ``tier``, ``vip_level``, ``aum`` exist, then
        ``churn_score``, ``churn_band``, ``value_at_risk``, the reasons and
        ``churn_method``. Ties keep ``customer_id`` order.
    """
    needed = ["churn_score", "churn_band", "value_at_risk"]
    absent = [name for name in needed if name not in scored]
    if absent:
        raise SegkitError(f"retention list needs scored customers; missing column(s): {', '.join(absent)}")
    chosen = scored.loc[scored["churn_band"].isin(list(bands)).to_numpy()]
    keys = ["value_at_risk", "churn_score"] + (["customer_id"] if "customer_id" in chosen else [])
    chosen = chosen.sort_values(keys, ascending=[False, False] + [True] * (len(keys) - 2), kind="stable", na_position="last")
    if n is not None:
        chosen = chosen.head(n)
    columns = _present(chosen, CONTEXT) + needed + _present(chosen, (*REASONS, "churn_method"))
    listed = chosen[columns].reset_index(drop=True)
    return listed.assign(rank=np.arange(1, len(listed) + 1))[["rank", *columns]]


def is_dormant(customers: pd.DataFrame, months_inactive: int = 6, min_aum: float = 10_000.0) -> np.ndarray:
    """Whether each customer is dormant (睡眠客户): at least ``months_inactive`` of the
    last 12 months inactive and still holding at least ``min_aum`` (always more than zero).

    Row-wise; a customer with an unknown ``months_inactive`` is not dormant.
    """
    inactive = as_numbers(customers["months_inactive"])
    aum = as_numbers(customers["aum"])
    return (inactive >= months_inactive) & (aum >= min_aum) & (aum > 0)


def dormant_list(scored: pd.DataFrame, months_inactive: int = 6, min_aum: float = 10_000.0) -> pd.DataFrame:
    """Dormant customers (睡眠客户): long inactive, assets still held; wake-up candidates.

    Parameters
    ----------
    scored : DataFrame
        Customers with ``months_inactive`` and ``aum``.
    months_inactive : int
        Inactive months (of the last 12) from which a customer is dormant.
    min_aum : float
        Assets a customer must still hold (and always more than zero).

    Returns
    -------
    DataFrame
        Largest assets first: whichever of ``customer_id``, ``branch_id``,
        ``manager_id``, ``tier``, ``vip_level``, ``aum`` exist, then
        ``months_inactive`` and, when scored, ``churn_score``, ``churn_band``
        and ``churn_reason_1``. Empty (with a warning) when
        ``months_inactive`` is absent.
    """
    columns = _present(scored, CONTEXT) + ["months_inactive"] + _present(scored, ("churn_score", "churn_band", "churn_reason_1"))
    if "months_inactive" not in scored or "aum" not in scored:
        warnings.warn("dormant list: months_inactive or aum is absent; no dormant customers can be listed", UserWarning, stacklevel=2)
        return pd.DataFrame({name: pd.Series(dtype=scored[name].dtype) for name in columns if name in scored})
    chosen = scored.loc[is_dormant(scored, months_inactive, min_aum)]
    keys = ["aum"] + (["customer_id"] if "customer_id" in chosen else [])
    chosen = chosen.sort_values(keys, ascending=[False] + [True] * (len(keys) - 1), kind="stable")
    return chosen[columns].reset_index(drop=True)

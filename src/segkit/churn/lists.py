"""Who to call: the retention list and the dormant (睡眠客户) wake-up list."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from segkit.churn.features import as_numbers
from segkit.churn.output import LANGUAGES, TOP
from segkit.errors import SegkitError

CONTEXT = ("customer_id", "branch_id", "manager_id", "tier", "vip_level", "aum")


def _present(frame: pd.DataFrame, names: Sequence[str]) -> list[str]:
    return [name for name in names if name in frame]


def reason_columns(language: str = "zh", top: int = TOP) -> list[str]:
    """The scored table's reason columns in ``language``: ``churn_reason_1_zh`` ... ``churn_reason_{top}_zh``."""
    if language not in LANGUAGES:
        raise SegkitError(f"churn reasons: language must be one of {', '.join(map(repr, LANGUAGES))}, got {language!r}")
    return [f"churn_reason_{rank}_{language}" for rank in range(1, top + 1)]


def retention_list(
    scored: pd.DataFrame, n: int | None = 100, bands: Sequence[str] = ("high", "medium"), language: str = "zh"
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
    language : {"zh", "en"}
        Language of the reasons listed.

    Returns
    -------
    DataFrame
        ``rank`` then whichever of ``customer_id``, ``branch_id``,
        ``manager_id``, ``tier``, ``vip_level``, ``aum`` exist, then
        ``churn_score``, ``churn_band``, ``value_at_risk``, the reasons in
        ``language`` (``churn_reason_{i}_{language}``) and ``churn_method``.
        Ties keep ``customer_id`` order.

    Raises
    ------
    SegkitError
        If a score column is absent or ``language`` is not "zh" or "en".
    """
    reasons = reason_columns(language)
    needed = ["churn_score", "churn_band", "value_at_risk"]
    absent = [name for name in needed if name not in scored]
    if absent:
        raise SegkitError(f"retention list needs scored customers; missing column(s): {', '.join(absent)}")
    chosen = scored.loc[scored["churn_band"].isin(list(bands)).to_numpy()]
    keys = ["value_at_risk", "churn_score"] + (["customer_id"] if "customer_id" in chosen else [])
    chosen = chosen.sort_values(keys, ascending=[False, False] + [True] * (len(keys) - 2), kind="stable", na_position="last")
    if n is not None:
        chosen = chosen.head(n)
    columns = _present(chosen, CONTEXT) + needed + _present(chosen, (*reasons, "churn_method"))
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


def dormant_list(
    scored: pd.DataFrame, months_inactive: int = 6, min_aum: float = 10_000.0, language: str = "zh"
) -> pd.DataFrame:
    """Dormant customers (睡眠客户): long inactive, assets still held; wake-up candidates.

    Parameters
    ----------
    scored : DataFrame
        Customers with ``months_inactive`` and ``aum``.
    months_inactive : int
        Inactive months (of the last 12) from which a customer is dormant.
    min_aum : float
        Assets a customer must still hold (and always more than zero).
    language : {"zh", "en"}
        Language of the reason listed.

    Returns
    -------
    DataFrame
        Largest assets first: whichever of ``customer_id``, ``branch_id``,
        ``manager_id``, ``tier``, ``vip_level``, ``aum`` exist, then
        ``months_inactive`` and, when scored, ``churn_score``, ``churn_band``
        and the first reason in ``language`` (``churn_reason_1_{language}``).
        Empty (with a warning) when ``months_inactive`` is absent.

    Raises
    ------
    SegkitError
        If ``language`` is not "zh" or "en".
    """
    first_reason = reason_columns(language, top=1)
    columns = _present(scored, CONTEXT) + ["months_inactive"] + _present(scored, ("churn_score", "churn_band", *first_reason))
    if "months_inactive" not in scored or "aum" not in scored:
        warnings.warn("dormant list: months_inactive or aum is absent; no dormant customers can be listed", UserWarning, stacklevel=2)
        return pd.DataFrame({name: pd.Series(dtype=scored[name].dtype) for name in columns if name in scored})
    chosen = scored.loc[is_dormant(scored, months_inactive, min_aum)]
    keys = ["aum"] + (["customer_id"] if "customer_id" in chosen else [])
    chosen = chosen.sort_values(keys, ascending=[False] + [True] * (len(keys) - 1), kind="stable")
    return chosen[columns].reset_index(drop=True)

"""Corporate customers 对公: levels by deposits and the loan-customer review 回头看 (seed 004).

The review checks each loan customer against two standards: fund return rate
资金归行率 at least 70 % where the bank is the only lender, or at least the
bank's financing share otherwise; and at least two e-banking products. It
lists the customers below standard and ranks branches by the share of their
reviewed customers that meet both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from segkit.config import CorporateReviewParams, LevelScheme, Params, Scheme
from segkit.rules.conditions import frame_lookup, holds
from segkit.rules.ranking import rank_progress
from segkit.rules.schemes import band_positions, is_corporate, scheme_dtype


def corporate_level(frame: pd.DataFrame, scheme: Scheme | None) -> pd.Series:
    """Level of every corporate customer; ``<NA>`` for others or without data.

    The level is the highest of the deposit band and of every rule level of
    the scheme (:class:`~segkit.config.LevelScheme`) whose rule holds, e.g.
    Gold for a head-office relationship. Corporate customers are rows with
    ``customer_type == "corporate"``; without a ``customer_type`` column, every
    row with a deposit band or a rule level.
    """
    n = len(frame)
    if scheme is None:
        codes = np.full(n, -1, dtype="int8")
        return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index([], dtype="str")), index=frame.index)
    if scheme.column in frame.columns:
        codes = band_positions(frame[scheme.column], scheme)
    else:
        codes = np.full(n, -1, dtype="int16")
    if isinstance(scheme, LevelScheme) and scheme.by_rule:
        lookup = frame_lookup(frame)
        for level in scheme.by_rule:
            codes = np.where(holds(level.when, lookup, n), np.maximum(codes, scheme.codes.index(level.code)), codes)
    if "customer_type" in frame.columns:
        codes = np.where(is_corporate(frame), codes, -1)
    return pd.Series(pd.Categorical.from_codes(codes, dtype=scheme_dtype(scheme)), index=frame.index)


@dataclass(frozen=True)
class CorporateReview:
    """Result of :func:`corporate_review`.

    Attributes
    ----------
    customers : DataFrame
        Reviewed customers below at least one standard: ``customer_id``,
        ``branch_id``, ``manager_id`` (if known), ``fund_return_rate``,
        ``fund_standard``, ``e_products``, ``below_fund_return``,
        ``below_e_products``.
    branches : DataFrame
        Per branch: ``reviewed``, ``meeting``, ``progress`` (share meeting
        both standards), ``rank`` and ``bottom_five``.
    managers : DataFrame
        The same per manager (``branch_id``, ``manager_id``, ...), for the
        reviewed customers who have a manager (seed 004 flags the bottom five
        branches and the bottom five managers).
    """

    customers: pd.DataFrame
    branches: pd.DataFrame
    managers: pd.DataFrame


_CUSTOMER_COLUMNS = [
    "customer_id", "branch_id", "manager_id", "fund_return_rate", "fund_standard",
    "e_products", "below_fund_return", "below_e_products",
]
_BRANCH_COLUMNS = ["branch_id", "reviewed", "meeting", "progress", "rank", "bottom_five"]
_MANAGER_COLUMNS = ["branch_id", "manager_id", *_BRANCH_COLUMNS[1:]]


def _ranked(table: pd.DataFrame, keys: list[str], bottom_n: int) -> pd.DataFrame:
    """Reviewed and meeting customers per unit, ranked by the share meeting both standards."""
    units = (
        table.dropna(subset=keys)
        .groupby(keys, sort=True, observed=True)
        .agg(reviewed=("customer_id", "size"), meeting=("meeting", "sum"))
        .reset_index()
    )
    units = units.assign(progress=units["meeting"] / units["reviewed"])
    return rank_progress(units, keys, bottom_n)[[*keys, *_BRANCH_COLUMNS[1:]]]


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    return pd.to_numeric(frame[column], errors="coerce").astype("float64")


def corporate_review(frame: pd.DataFrame, params: Params | CorporateReviewParams) -> CorporateReview:
    """Review loan customers against the fund-return and e-banking standards.

    Reviewed customers are borrowers (a ``fund_return_rate``, or ``has_loan``
    true) and, where ``customer_type`` exists, corporate. A missing rate does
    not meet the standard.
    Without ``fund_return_rate`` and ``e_products`` columns every table is empty.

    Parameters
    ----------
    frame : DataFrame
        Customers (canonical columns).
    params : Params or CorporateReviewParams
        The standards (``rules.corporate_review``).

    Returns
    -------
    CorporateReview
    """
    review = params.rules.corporate_review if isinstance(params, Params) else params
    if not {"fund_return_rate", "e_products"} & set(frame.columns):
        return CorporateReview(
            pd.DataFrame(columns=_CUSTOMER_COLUMNS), pd.DataFrame(columns=_BRANCH_COLUMNS), pd.DataFrame(columns=_MANAGER_COLUMNS)
        )
    rate = _numbers(frame, "fund_return_rate")
    reviewed = rate.notna()
    if "has_loan" in frame.columns:
        reviewed |= frame["has_loan"].isin([True, 1]).to_numpy(dtype=bool)
    if "customer_type" in frame.columns:
        reviewed &= is_corporate(frame)
    share = _numbers(frame, review.share_column)
    standard = share.where(share.notna() & (share < 1), review.fund_return_min)
    below_fund = ~(rate >= standard)
    e_products = _numbers(frame, "e_products")
    below_e = ~(e_products >= review.e_products_min) if "e_products" in frame.columns else pd.Series(False, index=frame.index)
    if "fund_return_rate" not in frame.columns:
        below_fund = pd.Series(False, index=frame.index)
    table = pd.DataFrame(
        {
            "customer_id": frame["customer_id"],
            "branch_id": frame["branch_id"],
            "manager_id": frame["manager_id"] if "manager_id" in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="str"),
            "fund_return_rate": rate,
            "fund_standard": standard,
            "e_products": e_products,
            "below_fund_return": below_fund.astype(bool),
            "below_e_products": below_e.astype(bool),
        }
    )[reviewed.to_numpy(dtype=bool)]
    below = table["below_fund_return"] | table["below_e_products"]
    table = table.assign(meeting=~below)
    customers = table[below.to_numpy()].drop(columns="meeting")
    customers = customers.sort_values(["branch_id", "customer_id"], kind="stable").reset_index(drop=True)
    return CorporateReview(
        customers,
        _ranked(table, ["branch_id"], review.bottom_n),
        _ranked(table, ["branch_id", "manager_id"], review.bottom_n),
    )

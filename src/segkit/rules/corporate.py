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

from segkit.config import CorporateReviewParams, Params, Scheme
from segkit.rules.ranking import rank_progress
from segkit.rules.schemes import assign_bands, scheme_dtype


def corporate_level(frame: pd.DataFrame, scheme: Scheme | None) -> pd.Series:
    """Deposit level of every corporate customer; ``<NA>`` for others or without data.

    Corporate customers are rows with ``customer_type == "corporate"``; without
    a ``customer_type`` column, the rows where the scheme's column is set.
    """
    if scheme is None:
        codes = np.full(len(frame), -1, dtype="int8")
        return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index([], dtype="str")), index=frame.index)
    if scheme.column not in frame.columns:
        codes = np.full(len(frame), -1, dtype="int8")
        return pd.Series(pd.Categorical.from_codes(codes, dtype=scheme_dtype(scheme)), index=frame.index)
    levels = assign_bands(frame[scheme.column], scheme)
    if "customer_type" in frame.columns:
        levels = levels.where(frame["customer_type"].isin(["corporate"]).to_numpy(dtype=bool))
    return levels


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
    """

    customers: pd.DataFrame
    branches: pd.DataFrame


_CUSTOMER_COLUMNS = [
    "customer_id", "branch_id", "manager_id", "fund_return_rate", "fund_standard",
    "e_products", "below_fund_return", "below_e_products",
]
_BRANCH_COLUMNS = ["branch_id", "reviewed", "meeting", "progress", "rank", "bottom_five"]


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    return pd.to_numeric(frame[column], errors="coerce").astype("float64")


def corporate_review(frame: pd.DataFrame, params: Params | CorporateReviewParams) -> CorporateReview:
    """Review loan customers against the fund-return and e-banking standards.

    Reviewed customers are borrowers (a ``fund_return_rate``, or ``has_loan``
    true) and, where ``customer_type`` exists, corporate. A missing rate does
    not meet the standard.
    Without ``fund_return_rate`` and ``e_products`` columns both tables are empty.

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
        return CorporateReview(pd.DataFrame(columns=_CUSTOMER_COLUMNS), pd.DataFrame(columns=_BRANCH_COLUMNS))
    rate = _numbers(frame, "fund_return_rate")
    reviewed = rate.notna()
    if "has_loan" in frame.columns:
        reviewed |= frame["has_loan"].isin([True, 1]).to_numpy(dtype=bool)
    if "customer_type" in frame.columns:
        reviewed &= frame["customer_type"].isin(["corporate"]).to_numpy(dtype=bool)
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
    branches = (
        table.assign(meeting=~below)
        .groupby("branch_id", sort=True, observed=True)
        .agg(reviewed=("customer_id", "size"), meeting=("meeting", "sum"))
        .reset_index()
    )
    branches = branches.assign(progress=branches["meeting"] / branches["reviewed"])
    customers = table[below.to_numpy()].sort_values(["branch_id", "customer_id"], kind="stable").reset_index(drop=True)
    return CorporateReview(customers, rank_progress(branches, ["branch_id"], review.bottom_n)[_BRANCH_COLUMNS])

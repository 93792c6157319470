"""Book assignment 归户: give every customer a manager, within each manager's cap.

Steps, per branch (seed 000):

1. Keep every customer's existing manager (never moved, even over the cap).
2. Managers claim unassigned customers they know (optional claims table),
   highest tier first, as far as their room under the cap allows.
3. The remaining customers, highest tier first (then largest AUM, then
   ``customer_id``), go one at a time to the least-loaded manager of the
   branch with room under the cap (ties: smallest ``manager_id``). This is
   computed in one vectorised pass: each manager offers "slots" at the load
   levels it still has room for, slots are taken in (level, manager) order.
4. Report each manager's book, how many managers each branch lacks for a
   cap-sized book per manager, and the red list 红名单 of customers without
   usable contact details.

"Highest tier first" is the order of the retail pyramid (seed 000).
Corporate customers have no retail tier but still need a manager: they come
after every retail tier, highest corporate level first (shipped scheme: Gold,
High-end, Mid, General), then corporate customers without a level and retail
customers without a tier (no AUM).

Managers are the ``(branch_id, manager_id)`` pairs found in the data plus an
optional roster (managers with no customers yet); a manager id in two
branches holds two books.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from segkit.config import Params
from segkit.errors import SegkitError
from segkit.rules.corporate import corporate_level
from segkit.rules.schemes import is_corporate, retail_positions

ASSIGNMENT_DTYPE = pd.CategoricalDtype(["existing", "claimed", "assigned", "unassigned"])


@dataclass(frozen=True)
class BookAssignment:
    """Result of :func:`assign_books`.

    Attributes
    ----------
    manager_id : Series
        Each customer's manager after assignment (``<NA>`` when no room), same index as the input.
    assignment : Series
        Categorical: ``existing``, ``claimed``, ``assigned`` or ``unassigned``.
    books : DataFrame
        One row per manager: ``branch_id``, ``manager_id``, ``customers``,
        ``cap``, ``room``, ``over_cap``, ``existing``, ``new``,
        ``tier_<code>`` counts (highest tier first) and ``corporate`` (the
        corporate customers, who have no tier).
    branches : DataFrame
        One row per branch: ``customers``, ``managers``, ``capacity``,
        ``assigned``, ``unassigned``, ``managers_over_cap``,
        ``managers_needed``, ``managers_lacking``.
    red_list : DataFrame
        Customers without usable contact details (``has_contact`` false, or
        ``phone`` missing or blank where the data has it): ``customer_id``,
        ``branch_id``, ``manager_id``, ``tier``, ``aum`` (per branch, in the
        order of assignment: highest tier first, corporate customers after).
    """

    manager_id: pd.Series
    assignment: pd.Series
    books: pd.DataFrame
    branches: pd.DataFrame
    red_list: pd.DataFrame


def _read_table(path: Path | None, columns: list[str], what: str) -> pd.DataFrame | None:
    if path is None:
        return None
    if not Path(path).is_file():
        raise SegkitError(f"assignment.{what}: file not found: {path}")
    table = pd.read_csv(path, dtype="str")
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise SegkitError(f"assignment.{what} ({path}): missing columns {missing}")
    return table


def _warn_ignored_claims(ignored: dict[str, np.ndarray]) -> None:
    """One warning listing the claims that did not place their customer, by reason."""
    parts = [
        f"{reason}: {len(ids)} (e.g. {', '.join(map(str, ids[:5]))})" for reason, ids in ignored.items() if len(ids)
    ]
    if parts:
        warnings.warn("assignment.claims: claims not applied; " + "; ".join(parts), UserWarning, stacklevel=3)


def _computed_codes(frame: pd.DataFrame, column: str, codes: list[str]) -> np.ndarray | None:
    """Positions of an ordered rule column (``tier``, ``corporate_level``) when the frame holds it with ``codes``."""
    values = frame.get(column)
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype) and list(values.cat.categories) == codes:
        return values.cat.codes.to_numpy().astype("int16")
    return None


def _tier_positions(frame: pd.DataFrame, params: Params) -> np.ndarray:
    scheme = params.schemes.tier
    tier = _computed_codes(frame, "tier", scheme.codes)
    if tier is not None:
        return tier
    if scheme.column not in frame.columns:
        raise SegkitError(f"book assignment needs 'tier' or '{scheme.column}' to order customers")
    return retail_positions(frame[scheme.column], frame, scheme)


def _assignment_ranks(frame: pd.DataFrame, params: Params, tier: np.ndarray) -> np.ndarray:
    """Order of assignment, highest first: retail tiers, then corporate levels, then the rest (0)."""
    scheme = params.schemes.corporate
    n_levels = len(scheme.codes) if scheme is not None else 0
    level = _computed_codes(frame, "corporate_level", scheme.codes) if scheme is not None else None
    if level is None:
        level = corporate_level(frame, scheme).cat.codes.to_numpy().astype("int16")
    return np.where(tier >= 0, n_levels + 1 + tier, np.where(level >= 0, 1 + level, 0)).astype("int16")


def _group_ranks(groups: np.ndarray) -> np.ndarray:
    """Position of each element within its run of equal values (``groups`` sorted)."""
    if len(groups) == 0:
        return np.zeros(0, dtype="int64")
    starts = np.searchsorted(groups, groups, side="left")
    return np.arange(len(groups)) - starts


def _water_level(branch_of: np.ndarray, load: np.ndarray, cap: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """Per branch, the lowest load level ``t`` whose slots below it cover the demand (at most the cap)."""
    n_branches = len(demand)
    low = np.zeros(n_branches, dtype="int64")
    high = np.zeros(n_branches, dtype="int64")
    np.maximum.at(high, branch_of, cap)

    def slots_below(level: np.ndarray) -> np.ndarray:
        per_manager = np.clip(level[branch_of] - load, 0, np.maximum(cap - load, 0))
        return np.bincount(branch_of, weights=per_manager, minlength=n_branches)

    while np.any(low < high):
        mid = (low + high) // 2
        enough = slots_below(mid) >= demand
        high = np.where(enough, mid, high)
        low = np.where(enough, low, mid + 1)
    return low


def assign_books(
    frame: pd.DataFrame,
    params: Params,
    managers: pd.DataFrame | None = None,
    claims: pd.DataFrame | None = None,
) -> BookAssignment:
    """Assign unassigned customers to managers with room, keeping existing books.

    Parameters
    ----------
    frame : DataFrame
        Customers: ``customer_id``, ``branch_id``, ``aum``; optional
        ``manager_id`` (``<NA>`` = unassigned), ``tier`` and
        ``corporate_level`` (else computed from the schemes),
        ``customer_type`` and ``has_contact``.
    params : Params
        ``assignment`` (cap, per-branch caps, roster and claims files),
        ``schemes.tier`` and ``schemes.corporate``.
    managers : DataFrame, optional
        Roster (``branch_id``, ``manager_id``); defaults to ``assignment.managers``.
    claims : DataFrame, optional
        Claims (``customer_id``, ``manager_id``); defaults to ``assignment.claims``.
        A claim counts only for an unassigned customer and a manager of the
        customer's branch.

    Returns
    -------
    BookAssignment
    """
    settings = params.assignment
    n = len(frame)
    branch = frame["branch_id"].astype("str")
    if "manager_id" in frame.columns:
        manager = frame["manager_id"].astype("str")
    else:
        manager = pd.Series(pd.NA, index=frame.index, dtype="str")
    customer_ids = frame["customer_id"].astype("str")
    tier = _tier_positions(frame, params)
    rank = _assignment_ranks(frame, params, tier)
    aum = pd.to_numeric(frame["aum"], errors="coerce").to_numpy("float64", na_value=np.nan)

    roster = managers if managers is not None else _read_table(settings.managers, ["branch_id", "manager_id"], "managers")
    keys = pd.DataFrame({"branch_id": branch.array, "manager_id": manager.array})
    if roster is not None:
        keys = pd.concat([keys, roster[["branch_id", "manager_id"]].astype("str")], ignore_index=True)
    grouped = keys.groupby(["branch_id", "manager_id"], sort=True, dropna=True)
    manager_of = grouped.ngroup().to_numpy()[:n]
    manager_of = np.where(np.isnan(manager_of), -1, manager_of).astype("int64")
    pairs = grouped.size().index
    book_branch, book_manager = pairs.get_level_values(0), pairs.get_level_values(1)

    branch_code, branch_ids = pd.factorize(pd.concat([branch, pd.Series(book_branch, dtype="str")], ignore_index=True), sort=True)
    customer_branch, book_branch_code = branch_code[:n], branch_code[n:]
    branch_cap = np.array([settings.branch_caps.get(str(b), settings.cap) for b in branch_ids], dtype="int64")
    cap = branch_cap[book_branch_code]
    n_books = len(pairs)
    status = np.where(manager_of >= 0, 0, 3).astype("int8")
    existing = np.bincount(manager_of[manager_of >= 0], minlength=n_books)
    load = existing.copy()

    # 2. claims
    claim_table = claims if claims is not None else _read_table(settings.claims, ["customer_id", "manager_id"], "claims")
    if claim_table is not None and len(claim_table):
        claimed_ids = claim_table["customer_id"].astype("str").to_numpy()
        ignored: dict[str, np.ndarray] = {}
        row = pd.Index(customer_ids).get_indexer(claimed_ids)
        ignored["customer not in the data"] = claimed_ids[row < 0]
        ok = row >= 0
        row = row[ok]
        claimed_by = pd.MultiIndex.from_arrays([branch.to_numpy()[row], claim_table["manager_id"].astype("str").to_numpy()[ok]])
        book = pairs.get_indexer(claimed_by) if n_books else np.full(len(row), -1)
        ignored["manager not in the customer's branch"] = customer_ids.to_numpy()[row[book < 0]]
        ignored["customer already has a manager, who keeps it"] = customer_ids.to_numpy()[row[(book >= 0) & (manager_of[row] >= 0)]]
        ok = (book >= 0) & (manager_of[row] < 0)
        row, book = row[ok], book[ok]
        first = np.lexsort((book, row))
        row, book = row[first], book[first]
        unique = np.r_[True, row[1:] != row[:-1]] if len(row) else np.zeros(0, bool)
        row, book = row[unique], book[unique]
        id_rank = pd.factorize(customer_ids.iloc[row], sort=True)[0]
        order = np.lexsort((id_rank, -aum[row], -rank[row], book))
        row, book = row[order], book[order]
        accepted = _group_ranks(book) < np.maximum(cap - load, 0)[book]
        ignored["no room under the claiming manager's cap"] = customer_ids.to_numpy()[row[~accepted]]
        manager_of[row[accepted]] = book[accepted]
        status[row[accepted]] = 1
        load += np.bincount(book[accepted], minlength=n_books)
        _warn_ignored_claims(ignored)

    # 3. least-loaded first, highest tier first (corporate customers after the retail tiers)
    pool = np.flatnonzero(manager_of < 0)
    if len(pool) and n_books:
        id_rank = pd.factorize(customer_ids.iloc[pool], sort=True)[0]
        pool = pool[np.lexsort((id_rank, -np.nan_to_num(aum[pool], nan=-np.inf), -rank[pool], customer_branch[pool]))]
        pool_branch = customer_branch[pool]
        demand = np.bincount(pool_branch, minlength=len(branch_ids))
        level = _water_level(book_branch_code, load, cap, demand)
        offered = np.clip(level[book_branch_code] - load, 0, np.maximum(cap - load, 0))
        slot_book = np.repeat(np.arange(n_books), offered)
        slot_level = load[slot_book] + _group_ranks(slot_book)
        slot_order = np.lexsort((slot_book, slot_level, book_branch_code[slot_book]))
        slot_book = slot_book[slot_order]
        slot_start = np.searchsorted(book_branch_code[slot_book], np.arange(len(branch_ids)))
        n_slots = np.bincount(book_branch_code[slot_book], minlength=len(branch_ids))
        position = _group_ranks(pool_branch)
        placed = position < n_slots[pool_branch]
        chosen = slot_book[slot_start[pool_branch[placed]] + position[placed]]
        manager_of[pool[placed]] = chosen
        status[pool[placed]] = 2
        load += np.bincount(chosen, minlength=n_books)

    manager_id = pd.Series(
        pd.array(book_manager, dtype="str").take(manager_of, allow_fill=True), index=frame.index, name="manager_id"
    )
    assignment = pd.Series(pd.Categorical.from_codes(status, dtype=ASSIGNMENT_DTYPE), index=frame.index, name="assignment")
    return BookAssignment(
        manager_id=manager_id,
        assignment=assignment,
        books=_books(params, book_branch, book_manager, cap, existing, load, manager_of, tier, is_corporate(frame)),
        branches=_branches(branch_ids, customer_branch, book_branch_code, branch_cap, manager_of, load, cap),
        red_list=_red_list(frame, manager_id, tier, rank, params),
    )


def _books(params, book_branch, book_manager, cap, existing, load, manager_of, tier, corporate) -> pd.DataFrame:
    codes = params.schemes.tier.codes
    k = len(codes)
    n_books = len(book_branch)
    known = (manager_of >= 0) & (tier >= 0)
    counts = np.bincount(manager_of[known] * k + tier[known], minlength=n_books * k).reshape(n_books, k)
    books = pd.DataFrame(
        {
            "branch_id": pd.Series(book_branch, dtype="str"),
            "manager_id": pd.Series(book_manager, dtype="str"),
            "customers": load.astype("int64"),
            "cap": cap.astype("int64"),
            "room": np.maximum(cap - load, 0).astype("int64"),
            "over_cap": load > cap,
            "existing": existing.astype("int64"),
            "new": (load - existing).astype("int64"),
        }
    )
    for position in range(k - 1, -1, -1):
        books[f"tier_{codes[position]}"] = counts[:, position].astype("int64")
    books["corporate"] = np.bincount(manager_of[corporate & (manager_of >= 0)], minlength=n_books).astype("int64")
    return books


def _branches(branch_ids, customer_branch, book_branch_code, branch_cap, manager_of, load, cap) -> pd.DataFrame:
    n_branches = len(branch_ids)
    customers = np.bincount(customer_branch, minlength=n_branches)
    n_managers = np.bincount(book_branch_code, minlength=n_branches)
    assigned = np.bincount(customer_branch[manager_of >= 0], minlength=n_branches)
    needed = -(-customers // branch_cap)
    return pd.DataFrame(
        {
            "branch_id": pd.Series(branch_ids, dtype="str"),
            "customers": customers.astype("int64"),
            "managers": n_managers.astype("int64"),
            "cap": branch_cap,
            "capacity": (n_managers * branch_cap).astype("int64"),
            "assigned": assigned.astype("int64"),
            "unassigned": (customers - assigned).astype("int64"),
            "managers_over_cap": np.bincount(book_branch_code[load > cap], minlength=n_branches).astype("int64"),
            "managers_needed": needed.astype("int64"),
            "managers_lacking": np.maximum(needed - n_managers, 0).astype("int64"),
        }
    )


def _red_list(frame: pd.DataFrame, manager_id: pd.Series, tier: np.ndarray, rank: np.ndarray, params: Params) -> pd.DataFrame:
    columns = ["customer_id", "branch_id", "manager_id", "tier", "aum"]
    if "has_contact" not in frame.columns and "phone" not in frame.columns:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "aum" else "str") for c in columns})
    lost = np.zeros(len(frame), dtype=bool)
    if "has_contact" in frame.columns:
        contact = frame["has_contact"]
        lost |= (contact.isin([False, 0]) & contact.notna()).to_numpy(dtype=bool)
    if "phone" in frame.columns:
        lost |= frame["phone"].astype("str").str.strip().fillna("").eq("").to_numpy(dtype=bool)
    codes = np.array(params.schemes.tier.codes, dtype=object)
    rows = frame[lost]
    lost_tier = tier[lost]
    table = pd.DataFrame(
        {
            "customer_id": rows["customer_id"].astype("str"),
            "branch_id": rows["branch_id"].astype("str"),
            "manager_id": manager_id[lost],
            "tier": pd.Series(np.where(lost_tier >= 0, codes[np.clip(lost_tier, 0, None)], None), index=rows.index, dtype="str"),
            "aum": pd.to_numeric(rows["aum"], errors="coerce"),
            "_rank": rank[lost],
        }
    )
    table = table.sort_values(["branch_id", "_rank", "aum", "customer_id"], ascending=[True, False, False, True], kind="stable")
    return table.drop(columns="_rank").reset_index(drop=True)

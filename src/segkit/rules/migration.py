"""Tier migration between two periods (``aum_prev`` → ``aum``), for the pyramid and the VIP levels.

Corporate customers are not part of the retail pyramid, so they are neither
counted nor listed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.config import Params, Scheme
from segkit.errors import SegkitError
from segkit.rules.schemes import retail_positions


def _positions(frame: pd.DataFrame, scheme: Scheme) -> tuple[np.ndarray, np.ndarray]:
    missing = [column for column in (scheme.column, "aum_prev") if column not in frame.columns]
    if missing:
        raise SegkitError(f"tier migration needs columns {missing}, which the data does not have")
    return retail_positions(frame["aum_prev"], frame, scheme), retail_positions(frame[scheme.column], frame, scheme)


def migration_matrix(frame: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    """Customers by previous tier (rows, from ``aum_prev``) and current tier (columns).

    Every band of the scheme is a row and a column, lowest first, even when
    empty. Customers without ``aum_prev`` (new customers) and corporate
    customers are not counted.

    Parameters
    ----------
    frame : DataFrame
        Customers with ``aum_prev`` and the scheme's column (``aum``).
    scheme : Scheme
        The tier scheme, applied to both periods.

    Returns
    -------
    DataFrame
        ``int64`` counts; index named ``previous``, columns named ``current``.
    """
    previous, current = _positions(frame, scheme)
    known = (previous >= 0) & (current >= 0)
    k = len(scheme.bands)
    counts = np.bincount(previous[known].astype("int64") * k + current[known], minlength=k * k).reshape(k, k)
    return pd.DataFrame(
        counts,
        index=pd.Index(scheme.codes, name="previous", dtype="str"),
        columns=pd.Index(scheme.codes, name="current", dtype="str"),
    )


def migration_lists(frame: pd.DataFrame, scheme: Scheme) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Customers who moved up a tier, and those who moved down.

    Returns
    -------
    upgraded, downgraded : DataFrame
        ``customer_id``, ``branch_id``, ``manager_id`` (if known), ``aum_prev``,
        ``aum``, ``previous``, ``current`` and ``steps`` (bands moved, signed),
        largest moves first, then by ``customer_id``.
    """
    previous, current = _positions(frame, scheme)
    known = (previous >= 0) & (current >= 0)
    steps = current.astype("int16") - previous
    keep = [column for column in ("customer_id", "branch_id", "manager_id") if column in frame.columns]
    codes = np.array(scheme.codes, dtype=object)
    table = frame[keep].assign(
        aum_prev=frame["aum_prev"],
        aum=frame[scheme.column],
        previous=pd.Series(codes[np.clip(previous, 0, None)], index=frame.index, dtype="str"),
        current=pd.Series(codes[np.clip(current, 0, None)], index=frame.index, dtype="str"),
        steps=steps,
    )

    def pick(mask: np.ndarray, largest_first: bool) -> pd.DataFrame:
        part = table[mask & known]
        order = ["steps", "customer_id"] if "customer_id" in part.columns else ["steps"]
        return part.sort_values(order, ascending=[not largest_first, True][: len(order)], kind="stable").reset_index(drop=True)

    return pick(steps > 0, largest_first=True), pick(steps < 0, largest_first=False)


def migration_tables(frame: pd.DataFrame, params: Params) -> dict[str, pd.DataFrame]:
    """The migration tables of a run: pyramid and VIP matrices, upgraded and downgraded customers.

    Parameters
    ----------
    frame : DataFrame
        Customers with ``aum_prev`` (all of them, or whole branches: the
        matrices of parts add up, the lists concatenate).
    params : Params
        ``schemes.tier`` and ``schemes.vip``.

    Returns
    -------
    dict of DataFrame
        ``migration`` and ``vip_migration`` (counts, previous × current);
        ``upgraded`` and ``downgraded``: the lists of :func:`migration_lists`
        for both schemes, with ``measure`` (``tier`` or ``vip_level``) first;
        branch by branch, and within a branch VIP moves first (seed 003's aim
        is lifting VIP customers). Empty without ``aum_prev``.
    """
    if "aum_prev" not in frame.columns:
        return {}
    schemes = {"vip_level": params.schemes.vip, "tier": params.schemes.tier}
    lists = {measure: migration_lists(frame, scheme) for measure, scheme in schemes.items()}
    tables = {
        "migration": migration_matrix(frame, params.schemes.tier),
        "vip_migration": migration_matrix(frame, params.schemes.vip),
    }
    for position, name in enumerate(("upgraded", "downgraded")):
        parts = [table[position].assign(measure=measure) for measure, table in lists.items()]
        merged = pd.concat(parts, ignore_index=True)
        if "branch_id" in merged.columns:  # branch by branch, so the lists of whole branches concatenate
            merged = merged.sort_values("branch_id", kind="stable", ignore_index=True)
        tables[name] = merged[["measure", *[c for c in merged.columns if c != "measure"]]].astype({"measure": "str"})
    return tables

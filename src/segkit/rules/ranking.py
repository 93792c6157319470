"""Rank units (branches, managers) by progress and flag the bottom ones."""

from __future__ import annotations

import numpy as np
import pandas as pd


def rank_progress(table: pd.DataFrame, keys: list[str], bottom_n: int, column: str = "progress") -> pd.DataFrame:
    """Add ``rank`` (1 = best ``column``, ties share the best rank) and ``bottom_five``.

    The bottom ``bottom_n`` units are flagged, but never more than half of
    them: among three branches only the last is flagged, among two or fewer
    the flag would mean nothing and only the last of two is flagged. Units
    with equal progress are ordered by ``keys`` so the flags are
    deterministic. Missing progress ranks last.
    """
    table = table.reset_index(drop=True)
    progress = table[column].astype("float64").fillna(-np.inf)
    rank = progress.rank(method="min", ascending=False).astype("int64")
    order = table.assign(_p=progress).sort_values(["_p", *keys], ascending=[True, *[True] * len(keys)], kind="stable")
    n_flag = min(bottom_n, len(table) // 2)
    flagged = np.zeros(len(table), dtype=bool)
    flagged[order.index[:n_flag].to_numpy()] = True
    return table.assign(rank=rank.to_numpy(), bottom_five=flagged)

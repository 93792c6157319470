"""MAN: Money (purchasing power), Authority (decision power), Need.

Each letter is a rule in the params (``rules.man``); upper case when it holds,
lower case otherwise (an unknown value counts as not holding). The eight groups
and their priority (difficulty coefficient, work 1–3 first) follow seed 002:

== ======= ===============================================================
1  M-A-N   ideal customer
2  M-A-n   approach with skilled selling
3  M-a-N   approach and find the decision maker
4  m-A-N   approach, check credit and offer financing
5  m-a-N   approach, nurture over time
6  m-A-n   approach, nurture over time
7  M-a-n   approach, nurture over time
8  m-a-n   not a prospect: stop
== ======= ===============================================================

A letter whose rule reads no column the data has cannot be judged; then
every customer's MAN group is ``<NA>``. Corporate customers get no MAN group:
like the three-split matrix it sorts the retail book (seed 002), and the
corporate book is worked by corporate level (seed 004).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.config import ManParams
from segkit.rules.conditions import columns_read, frame_lookup, holds
from segkit.rules.schemes import is_corporate

MAN_GROUPS = ["M-A-N", "M-A-n", "M-a-N", "m-A-N", "m-a-N", "m-A-n", "M-a-n", "m-a-n"]
"""The eight groups in priority order (priority = position + 1)."""
MAN_DTYPE = pd.CategoricalDtype(MAN_GROUPS)

# Group index (priority - 1) by bit pattern M*4 + A*2 + N.
_BY_BITS = np.array(
    [MAN_GROUPS.index(f"{'M' if m else 'm'}-{'A' if a else 'a'}-{'N' if n else 'n'}")
     for m in (0, 1) for a in (0, 1) for n in (0, 1)],
    dtype="int8",
)


def man_letters(
    frame: pd.DataFrame, params: ManParams, computed: dict[str, pd.Series] | None = None
) -> dict[str, np.ndarray] | None:
    """``{"money", "authority", "need"}`` bool arrays, or ``None`` if a letter cannot be judged.

    Rules read the frame's columns and the ``computed`` ones (e.g. ``tier``).
    """
    computed = computed or {}
    rules = {"money": params.money, "authority": params.authority, "need": params.need}
    available = set(frame.columns) | set(computed)
    if any(not (columns_read(rule) & available) for rule in rules.values()):
        return None
    lookup = frame_lookup(frame, computed)
    return {name: holds(rule, lookup, len(frame)) for name, rule in rules.items()}


def man_group(
    frame: pd.DataFrame, params: ManParams, computed: dict[str, pd.Series] | None = None
) -> tuple[pd.Series, pd.Series]:
    """The MAN group (categorical) and its priority 1–8 (``Int8``) of every customer (``<NA>`` for corporate ones)."""
    letters = man_letters(frame, params, computed)
    if letters is None:
        codes = np.full(len(frame), -1, dtype="int8")
    else:
        bits = letters["money"].astype("int8") * 4 + letters["authority"].astype("int8") * 2 + letters["need"].astype("int8")
        codes = np.where(is_corporate(frame), -1, _BY_BITS[bits]).astype("int8")
    group = pd.Series(pd.Categorical.from_codes(codes, dtype=MAN_DTYPE), index=frame.index)
    priority = pd.Series(pd.array(np.where(codes >= 0, codes + 1, 0), dtype="Int8"), index=frame.index)
    return group, priority.mask(codes < 0)

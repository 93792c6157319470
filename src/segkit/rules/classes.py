"""Product classes 客户分类 (multi-label) and credit-card sub-states.

Each class is a rule in the params (``rules.classes``); a customer can be in
several. The credit-card state reads the canonical columns ``credit_card``
(none | inactive | active) and ``card_autopay_bound``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.config import ClassRule
from segkit.rules.conditions import frame_lookup, holds

CARD_STATES = ["card_inactive", "card_no_autopay", "card_active"]
CARD_STATE_DTYPE = pd.CategoricalDtype(CARD_STATES)


def class_flags(
    frame: pd.DataFrame, classes: list[ClassRule], computed: dict[str, pd.Series] | None = None
) -> dict[str, np.ndarray]:
    """``{code: bool array}``: whether each customer is in each class.

    Rules read the frame's columns and the ``computed`` ones (e.g. ``tier``).
    """
    lookup = frame_lookup(frame, computed or {})
    return {rule.code: holds(rule.when, lookup, len(frame)) for rule in classes}


def class_combinations(codes: list[str]) -> pd.Index:
    """Every ``"|"``-joined combination of ``codes``; position ``i`` holds the classes of bit mask ``i``."""
    labels = ["|".join(code for bit, code in enumerate(codes) if value >> bit & 1) for value in range(1 << len(codes))]
    return pd.Index(labels, dtype="str")


def join_classes(flags: dict[str, np.ndarray], n: int) -> pd.Categorical:
    """The ``"|"``-joined class codes of each row (``""`` when none), as a categorical.

    Built from a bit mask; the categories are every combination in a fixed
    order, so partitions of one table share one dtype.
    """
    codes = list(flags)
    mask = np.zeros(n, dtype="int32")
    for bit, code in enumerate(codes):
        mask |= flags[code].astype("int32") << bit
    return pd.Categorical.from_codes(mask, categories=class_combinations(codes))


def card_state(frame: pd.DataFrame) -> pd.Series:
    """Credit-card sub-state of each customer.

    ``card_inactive`` (issued, not activated), ``card_no_autopay`` (active, no
    debit card bound for automatic repayment), ``card_active``; ``<NA>`` for
    customers without a card or without a ``credit_card`` column. When
    ``card_autopay_bound`` is absent, active cards are ``card_active``.
    """
    codes = np.full(len(frame), -1, dtype="int8")
    if "credit_card" in frame.columns:
        card = frame["credit_card"]
        active = card.isin(["active"]).to_numpy(dtype=bool)
        codes[card.isin(["inactive"]).to_numpy(dtype=bool)] = 0
        codes[active] = 2
        if "card_autopay_bound" in frame.columns:
            bound = frame["card_autopay_bound"]
            unbound = bound.isin([False, 0]).to_numpy(dtype=bool) & bound.notna().to_numpy(dtype=bool)
            codes[active & unbound] = 1
    return pd.Series(pd.Categorical.from_codes(codes, dtype=CARD_STATE_DTYPE), index=frame.index)

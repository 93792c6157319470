"""All row-wise rules at once: :func:`apply_rules`."""

from __future__ import annotations

import pandas as pd

from segkit.config import Params
from segkit.rules.classes import card_state, class_flags, join_classes
from segkit.rules.conditions import frame_lookup
from segkit.rules.corporate import corporate_level
from segkit.rules.man import man_group
from segkit.rules.matrix import asset_level, familiarity, matrix_group, tier_to_level
from segkit.rules.merchant import merchant_tier
from segkit.rules.playbook import choose_actions
from segkit.rules.schemes import assign_bands, scheme_column

CORE_COLUMNS = [
    "tier", "vip_level", "corporate_level", "merchant_tier", "service_level", "classes",
]
LATE_COLUMNS = [
    "card_state", "asset_level", "familiarity", "matrix_group", "man_group", "man_priority",
    "action", "action_zh", "action_en",
]


def rule_columns(params: Params) -> list[str]:
    """The names of the columns :func:`apply_rules` returns, in order."""
    return CORE_COLUMNS + [f"class_{rule.code}" for rule in params.rules.classes] + LATE_COLUMNS


def check_rules(params: Params) -> None:
    """Check the rules against the schemes (e.g. every tier has an asset level).

    Raises
    ------
    ParamsError
        Naming the tiers that are unknown or have no asset level.
    """
    tier_to_level(params.rules.matrix, params.schemes.tier)


def apply_rules(frame: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Tiers, levels, classes, matrix, MAN and playbook action of every customer.

    Row-wise and pure: each row's result depends only on that row and the
    params, so it runs unchanged on Dask partitions. Optional columns that are
    absent give ``<NA>`` (or ``False`` for class flags), never an error.

    Parameters
    ----------
    frame : DataFrame
        The canonical customer table (at least the tier schemes' column, ``aum``).
    params : Params
        Schemes (``schemes``) and rules (``rules``).

    Returns
    -------
    DataFrame
        Only the new columns (see :func:`rule_columns`), same index as ``frame``:
        ordered categoricals ``tier``, ``vip_level``, ``corporate_level``,
        ``merchant_tier``, ``service_level``, ``asset_level``, ``familiarity``
        (lowest first); categoricals ``classes`` (``"|"``-joined class codes,
        ``""`` for none), ``card_state``, ``matrix_group``, ``man_group``,
        ``action``, ``action_zh``, ``action_en``; bool ``class_<code>``;
        ``Int8`` ``man_priority`` (1–8).

    Raises
    ------
    SegkitError
        If the data lacks a tier scheme's column, or the rules do not fit the schemes.
    """
    check_rules(params)
    schemes, rules = params.schemes, params.rules
    out: dict[str, pd.Series] = {
        "tier": assign_bands(scheme_column(frame, schemes.tier), schemes.tier),
        "vip_level": assign_bands(scheme_column(frame, schemes.vip), schemes.vip),
        "corporate_level": corporate_level(frame, schemes.corporate),
    }
    out["merchant_tier"], out["service_level"] = merchant_tier(frame, schemes.merchant)
    flags = class_flags(frame, rules.classes)
    out["classes"] = pd.Series(join_classes(flags, len(frame)), index=frame.index)
    for code, flag in flags.items():
        out[f"class_{code}"] = pd.Series(flag, index=frame.index, dtype=bool)
    out["card_state"] = card_state(frame)
    out["asset_level"] = asset_level(out["tier"], rules.matrix, schemes.tier)
    out["familiarity"] = familiarity(frame, rules.matrix.familiarity)
    out["matrix_group"] = matrix_group(out["asset_level"], out["familiarity"])
    out["man_group"], out["man_priority"] = man_group(frame, rules.man)
    out.update(choose_actions(rules.playbook, frame_lookup(frame, out), frame.index))
    return pd.DataFrame({name: out[name] for name in rule_columns(params)}, index=frame.index)

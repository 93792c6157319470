"""The playbook 经营手册: one action per customer, in Chinese and English.

Rules (``params/playbooks/*.yaml``) are tried in order and the first that
holds picks the action; the rest get the playbook's default. Rules may test
input columns and the columns segkit has just computed (tier, card state,
classes, matrix and MAN groups).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.config import PlaybookAction, PlaybookParams
from segkit.rules.conditions import Lookup, holds
from segkit.rules.man import MAN_GROUPS
from segkit.rules.matrix import MATRIX_GROUPS


def action_text(action: PlaybookAction, language: str) -> str:
    """One readable line: title, entry products, channel, cadence."""
    title, products = getattr(action.title, language), getattr(action.products, language)
    channel, cadence = getattr(action.channel, language), getattr(action.cadence, language)
    if language == "zh":
        return f"{title}｜切入产品：{products}；方式：{channel}；频率：{cadence}"
    return f"{title} | entry products: {products}; channel: {channel}; cadence: {cadence}"


def playbook_table(playbook: PlaybookParams) -> pd.DataFrame:
    """Every action with its texts (for reports): ``action``, ``title_zh`` … ``cadence_en``."""
    rows = []
    for key, action in playbook.actions.items():
        row = {"action": key}
        for part in ("title", "products", "channel", "cadence"):
            for language in ("zh", "en"):
                row[f"{part}_{language}"] = getattr(getattr(action, part), language)
        rows.append(row)
    return pd.DataFrame(rows)


def strategy_table(playbook: PlaybookParams) -> pd.DataFrame:
    """The strategy of every three-split and MAN group (for reports).

    Returns
    -------
    DataFrame
        ``kind`` (``matrix`` | ``man``), ``group``, ``priority`` (``Int8``: the
        MAN priority 1–8, ``<NA>`` for matrix groups), ``zh`` and ``en``; the
        nine matrix groups (high assets first), then the eight MAN groups in
        priority order. Groups without a strategy in the playbook are left out.
    """
    rows = [("matrix", group, None, playbook.matrix[group]) for group in MATRIX_GROUPS if group in playbook.matrix]
    rows += [("man", group, rank, playbook.man[group]) for rank, group in enumerate(MAN_GROUPS, start=1) if group in playbook.man]
    return pd.DataFrame(
        {
            "kind": pd.Series([row[0] for row in rows], dtype="str"),
            "group": pd.Series([row[1] for row in rows], dtype="str"),
            "priority": pd.array([row[2] for row in rows], dtype="Int8"),
            "zh": pd.Series([row[3].zh for row in rows], dtype="str"),
            "en": pd.Series([row[3].en for row in rows], dtype="str"),
        }
    )


def choose_actions(playbook: PlaybookParams | None, lookup: Lookup, index: pd.Index) -> dict[str, pd.Series]:
    """``action``, ``action_zh`` and ``action_en`` of every row, as categoricals.

    Without a playbook all three are ``<NA>``.
    """
    n = len(index)
    if playbook is None:
        empty = pd.Categorical.from_codes(np.full(n, -1, "int8"), categories=pd.Index([], dtype="str"))
        return {name: pd.Series(empty, index=index) for name in ("action", "action_zh", "action_en")}
    keys = list(playbook.actions)
    codes = np.full(n, keys.index(playbook.default), dtype="int16")
    for rule in reversed(playbook.rules):
        codes[holds(rule.when, lookup, n)] = keys.index(rule.action)
    out = {"action": pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(keys, dtype="str")), index=index)}
    for language in ("zh", "en"):
        texts = [action_text(playbook.actions[key], language) for key in keys]
        unique = list(dict.fromkeys(texts))
        text_codes = np.array([unique.index(text) for text in texts], dtype="int16")[codes]
        out[f"action_{language}"] = pd.Series(
            pd.Categorical.from_codes(text_codes, categories=pd.Index(unique, dtype="str")), index=index
        )
    return out

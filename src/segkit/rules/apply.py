"""All row-wise rules at once: :func:`apply_rules`, and the checks of the rules against the schemes."""

from __future__ import annotations

import pandas as pd

from segkit.config import Condition, Params, Rule
from segkit.errors import ParamsError
from segkit.rules.classes import CARD_STATES, card_state, class_flags, join_classes
from segkit.rules.conditions import columns_read, conditions, frame_lookup
from segkit.rules.corporate import corporate_level
from segkit.rules.man import MAN_GROUPS, man_group
from segkit.rules.matrix import ASSET_LEVELS, FAMILIARITY, MATRIX_GROUPS, asset_level, familiarity, matrix_group, tier_to_level
from segkit.rules.merchant import merchant_tier
from segkit.rules.playbook import choose_actions
from segkit.rules.schemes import retail_bands

CORE_COLUMNS = [
    "tier", "vip_level", "corporate_level", "merchant_tier", "service_level", "classes",
]
LATE_COLUMNS = [
    "card_state", "asset_level", "familiarity", "matrix_group", "man_group", "man_priority",
    "action", "action_zh", "action_en",
]
_LEVELS = ["tier", "vip_level", "corporate_level", "merchant_tier", "service_level"]
"""Computed columns that class, MAN and playbook rules may read."""
_MATRIX = ["card_state", "asset_level", "familiarity", "matrix_group"]
"""Computed columns that MAN and playbook rules may read."""
_VALUE_OPS = ("==", "!=", "in", "not_in")


def rule_columns(params: Params) -> list[str]:
    """The names of the columns :func:`apply_rules` returns, in order."""
    return CORE_COLUMNS + [f"class_{rule.code}" for rule in params.rules.classes] + LATE_COLUMNS


def rule_inputs(params: Params) -> list[str]:
    """The input columns the schemes and rules read, in a fixed order.

    The columns of the tier, VIP and corporate schemes and the merchant
    measures; every column a class rule, a MAN letter, a playbook rule or a
    corporate ``by_rule`` level reads; and the corporate review's
    ``share_column``. Columns segkit computes (:func:`rule_columns`) are left
    out. The mapping keeps these columns (``keep`` of
    :func:`segkit.data.mapping.apply_mapping`), so a rule does not lose its
    input when the column is not canonical, and they do not become model
    features.
    """
    schemes, rules = params.schemes, params.rules
    names = [schemes.tier.column, schemes.vip.column]
    if schemes.corporate is not None:
        names.append(schemes.corporate.column)
        names += [name for level in getattr(schemes.corporate, "by_rule", []) for name in sorted(columns_read(level.when))]
    if schemes.merchant is not None:
        names += schemes.merchant.measures
    read = [rule.when for rule in rules.classes] + [rules.man.money, rules.man.authority, rules.man.need]
    read += [rule.when for rule in rules.playbook.rules] if rules.playbook is not None else []
    names += [name for rule in read for name in sorted(columns_read(rule))]
    names.append(rules.corporate_review.share_column)
    computed = set(rule_columns(params))
    return [name for name in dict.fromkeys(names) if name not in computed]


def _codes(params: Params) -> dict[str, list[str]]:
    """The values each computed categorical column can take."""
    schemes = params.schemes
    merchant = schemes.merchant
    return {
        "tier": schemes.tier.codes,
        "vip_level": schemes.vip.codes,
        "corporate_level": schemes.corporate.codes if schemes.corporate else [],
        "merchant_tier": [tier.code for tier in merchant.tiers] if merchant else [],
        "service_level": [service.code for service in merchant.services] if merchant else [],
        "card_state": CARD_STATES,
        "asset_level": ASSET_LEVELS,
        "familiarity": FAMILIARITY,
        "matrix_group": MATRIX_GROUPS,
        "man_group": MAN_GROUPS,
    }


def _condition_problems(where: str, condition: Condition, readable: set[str], params: Params) -> list[str]:
    codes = _codes(params)
    classes = {f"class_{rule.code}" for rule in params.rules.classes}
    computed = set(codes) | classes | {"man_priority", "classes", "action", "action_zh", "action_en"}
    problems = []
    for name in (condition.column, condition.other):
        if name is None:
            continue
        if name.startswith("class_") and name not in classes:
            problems.append(f"{where} reads '{name}', but no class '{name.removeprefix('class_')}' is defined in rules.classes")
        elif name in computed and name not in readable:
            problems.append(f"{where} reads '{name}', which segkit computes only after this rule")
    column = condition.column
    if column in codes and column in readable:
        if condition.op not in _VALUE_OPS or condition.other is not None:
            problems.append(f"{where}: '{column}' holds codes, so compare it with ==, !=, in or not_in, not '{condition.op}'")
        else:
            values = condition.value if isinstance(condition.value, list) else [condition.value]
            unknown = [value for value in values if value not in codes[column]]
            if unknown:
                problems.append(f"{where}: unknown {column} {unknown} (known: {codes[column]})")
    return problems


def _rule_problems(where: str, rule: Rule, readable: set[str], params: Params) -> list[str]:
    return [problem for condition in conditions(rule) for problem in _condition_problems(where, condition, readable, params)]


def rule_problems(params: Params) -> list[str]:
    """Every way the rules do not fit the schemes, or read what they cannot.

    Checks that the three-split matrix places every tier, that rules compare
    computed columns (``tier``, ``card_state``, ``man_group``, ...) only with
    codes those columns can hold, that ``class_<code>`` names a defined class,
    and that no rule reads a column segkit computes after it: class rules may
    read the levels (``tier`` ... ``service_level``), MAN rules also the
    classes, card state and matrix columns, playbook rules everything but the
    action. A typo such as ``vip_level == privat`` would otherwise never match.
    """
    problems = []
    try:
        tier_to_level(params.rules.matrix, params.schemes.tier)
    except ParamsError as exc:
        problems.append(str(exc))
    rules = params.rules
    classes = {f"class_{rule.code}" for rule in rules.classes}
    for rule in rules.classes:
        problems += _rule_problems(f"rules.classes '{rule.code}'", rule.when, set(_LEVELS), params)
    for letter in ("money", "authority", "need"):
        readable = set(_LEVELS) | classes | set(_MATRIX) | {"classes"}
        problems += _rule_problems(f"rules.man.{letter}", getattr(rules.man, letter), readable, params)
    if rules.playbook is not None:
        readable = set(_LEVELS) | classes | set(_MATRIX) | {"classes", "man_group", "man_priority"}
        for number, rule in enumerate(rules.playbook.rules, start=1):
            problems += _rule_problems(f"playbook rule {number} ({rule.action})", rule.when, readable, params)
    corporate = params.schemes.corporate
    for level in getattr(corporate, "by_rule", []):
        problems += _rule_problems(f"schemes.corporate by_rule '{level.code}'", level.when, set(), params)
    return list(dict.fromkeys(problems))


def check_rules(params: Params) -> None:
    """Raise :class:`ParamsError` listing every problem :func:`rule_problems` finds."""
    problems = rule_problems(params)
    if problems:
        raise ParamsError(f"{len(problems)} problem(s) in the rules:\n" + "\n".join(f"  - {p}" for p in problems))


def apply_rules(frame: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Tiers, levels, classes, matrix, MAN and playbook action of every customer.

    Row-wise and pure: each row's result depends only on that row and the
    params, so it runs unchanged on Dask partitions. Optional columns that are
    absent give ``<NA>`` (or ``False`` for class flags), never an error.

    Corporate customers (``customer_type == "corporate"``) are not part of the
    retail pyramid: they get a ``corporate_level`` but no ``tier``,
    ``vip_level``, ``asset_level``, ``matrix_group`` or MAN group (``<NA>``);
    their ``familiarity`` (contacts and KYC) is kept, and the playbook gives
    them the corporate actions.

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
        "tier": retail_bands(frame, schemes.tier),
        "vip_level": retail_bands(frame, schemes.vip),
        "corporate_level": corporate_level(frame, schemes.corporate),
    }
    out["merchant_tier"], out["service_level"] = merchant_tier(frame, schemes.merchant)
    flags = class_flags(frame, rules.classes, dict(out))
    out["classes"] = pd.Series(join_classes(flags, len(frame)), index=frame.index)
    for code, flag in flags.items():
        out[f"class_{code}"] = pd.Series(flag, index=frame.index, dtype=bool)
    out["card_state"] = card_state(frame)
    out["asset_level"] = asset_level(out["tier"], rules.matrix, schemes.tier)
    out["familiarity"] = familiarity(frame, rules.matrix.familiarity)
    out["matrix_group"] = matrix_group(out["asset_level"], out["familiarity"])
    out["man_group"], out["man_priority"] = man_group(frame, rules.man, dict(out))
    out.update(choose_actions(rules.playbook, frame_lookup(frame, out), frame.index))
    return pd.DataFrame({name: out[name] for name in rule_columns(params)}, index=frame.index)

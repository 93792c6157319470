"""Evaluate the rule grammar of the params (:class:`~segkit.config.Rule`).

A rule is a :class:`~segkit.config.Condition` on one column or a group
(``any`` / ``all``) of rules. Results use three-valued logic: a test on a
missing column or a missing value is *unknown*, ``any`` is true when one part
is true, ``all`` is false when one part is false. :func:`holds` turns unknown
into false, so a rule never fires on data that is not there.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from segkit.config import Condition, Rule, RuleGroup

Lookup = Callable[[str], "pd.Series | None"]
"""Returns a column by name, or ``None`` when the data has no such column."""

_COMPARE = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq, "!=": operator.ne}


@dataclass(frozen=True)
class Truth:
    """Three-valued truth per row: ``true`` and ``unknown`` masks (never both)."""

    true: np.ndarray
    unknown: np.ndarray

    @property
    def false(self) -> np.ndarray:
        return ~(self.true | self.unknown)


def conditions(rule: Rule) -> list[Condition]:
    """Every condition of a rule, in order."""
    if isinstance(rule, Condition):
        return [rule]
    return [condition for part in (rule.any or rule.all or []) for condition in conditions(part)]


def columns_read(rule: Rule) -> set[str]:
    """Every column a rule reads."""
    return {name for condition in conditions(rule) for name in (condition.column, condition.other) if name}


def _numbers(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _is_in(series: pd.Series, values: list) -> np.ndarray:
    """``series.isin(values)`` as a bool array; on codes for categoricals and bool columns (faster)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        wanted = series.cat.categories.get_indexer(pd.Index(values, dtype="object"))
        hit = np.zeros(len(series), dtype=bool)
        for code in wanted[wanted >= 0]:
            hit |= codes == code
        return hit
    if series.dtype == bool and all(isinstance(value, bool) for value in values):
        flags = series.to_numpy()
        return (flags if True in values else np.zeros(len(flags), bool)) | (~flags if False in values else False)
    return series.isin(values).to_numpy(dtype=bool)


def _condition(rule: Condition, lookup: Lookup, n: int) -> Truth:
    series = lookup(rule.column)
    other = lookup(rule.other) if rule.other else None
    if series is None or (rule.other and other is None):
        return Truth(np.zeros(n, bool), np.ones(n, bool))
    if rule.other is not None:
        left, right = _numbers(series), _numbers(other) * rule.factor
        unknown = np.isnan(left) | np.isnan(right)
        with np.errstate(invalid="ignore"):
            return Truth(_COMPARE[rule.op](left, right) & ~unknown, unknown)
    unknown = series.isna().to_numpy(dtype=bool)
    if rule.op in ("==", "!=", "in", "not_in"):
        values = rule.value if isinstance(rule.value, list) else [rule.value]
        hit = _is_in(series, values)
        if rule.op in ("!=", "not_in"):
            hit = ~hit
        return Truth(hit & ~unknown, unknown)
    left = _numbers(series)
    unknown = np.isnan(left)
    with np.errstate(invalid="ignore"):
        if rule.op == "between":
            low, high = (float(bound) for bound in rule.value)
            hit = (left >= low) & (left < high)
        else:
            hit = _COMPARE[rule.op](left, float(rule.value))
    return Truth(hit & ~unknown, unknown)


def evaluate(rule: Rule, lookup: Lookup, n: int) -> Truth:
    """Evaluate ``rule`` on ``n`` rows whose columns ``lookup`` returns."""
    if isinstance(rule, Condition):
        return _condition(rule, lookup, n)
    assert isinstance(rule, RuleGroup)
    parts = [evaluate(part, lookup, n) for part in (rule.any or rule.all or [])]
    if rule.any is not None:
        true = np.logical_or.reduce([part.true for part in parts])
        unknown = ~true & np.logical_or.reduce([part.unknown for part in parts])
        return Truth(true, unknown)
    false = np.logical_or.reduce([part.false for part in parts])
    true = np.logical_and.reduce([part.true for part in parts])
    return Truth(true, ~(true | false))


def frame_lookup(frame: pd.DataFrame, *extra: dict[str, pd.Series]) -> Lookup:
    """A lookup reading ``extra`` mappings first, then the frame's columns."""

    def lookup(name: str) -> pd.Series | None:
        for mapping in extra:
            if name in mapping:
                return mapping[name]
        return frame[name] if name in frame.columns else None

    return lookup


def holds(rule: Rule, lookup: Lookup, n: int) -> np.ndarray:
    """Rows where ``rule`` is true (unknown counts as not true)."""
    return evaluate(rule, lookup, n).true

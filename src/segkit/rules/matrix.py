"""The three-split matrix 三分: asset level × familiarity → nine groups.

Asset levels (high / mid / low) come from the retail tiers, so corporate
customers (no tier) have no asset level and no matrix group. Familiarity
熟悉程度 combines contact frequency (``contacts_12m``) and how much the bank
knows (``kyc_completeness``): each is graded 0 / 1 / 2 and the grades are
added, so neither input alone decides it (see
:class:`~segkit.config.FamiliarityParams`). A customer missing either input has
no familiarity and no matrix group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.config import FamiliarityParams, MatrixParams, Scheme
from segkit.errors import ParamsError

ASSET_LEVELS = ["low", "mid", "high"]
FAMILIARITY = ["unfamiliar", "semi", "familiar"]
ASSET_LEVEL_DTYPE = pd.CategoricalDtype(ASSET_LEVELS, ordered=True)
FAMILIARITY_DTYPE = pd.CategoricalDtype(FAMILIARITY, ordered=True)
MATRIX_GROUPS = [f"{asset}-{known}" for asset in reversed(ASSET_LEVELS) for known in reversed(FAMILIARITY)]
MATRIX_DTYPE = pd.CategoricalDtype(MATRIX_GROUPS)


def tier_to_level(matrix: MatrixParams, tier_scheme: Scheme) -> np.ndarray:
    """For each tier code (scheme order) its asset-level position; checks the mapping."""
    where: dict[str, str] = {}
    for level, codes in matrix.asset_levels.items():
        for code in codes:
            if code in where:
                raise ParamsError(f"rules.matrix.asset_levels: tier '{code}' is in both '{where[code]}' and '{level}'")
            where[code] = level
    unknown = sorted(set(where) - set(tier_scheme.codes))
    missing = [code for code in tier_scheme.codes if code not in where]
    if unknown or missing:
        raise ParamsError(
            f"rules.matrix.asset_levels must place every tier of scheme '{tier_scheme.name}' "
            f"in high, mid or low: unknown tiers {unknown}, unplaced tiers {missing}"
        )
    return np.array([ASSET_LEVELS.index(where[code]) for code in tier_scheme.codes], dtype="int8")


def asset_level(tier: pd.Series, matrix: MatrixParams, tier_scheme: Scheme) -> pd.Series:
    """High / mid / low asset level from the tier (an ordered categorical of the scheme)."""
    lookup = tier_to_level(matrix, tier_scheme)
    tier_codes = tier.cat.codes.to_numpy()
    codes = np.where(tier_codes >= 0, lookup[np.clip(tier_codes, 0, None)], -1).astype("int8")
    return pd.Series(pd.Categorical.from_codes(codes, dtype=ASSET_LEVEL_DTYPE), index=tier.index)


def _grade(values: np.ndarray, thresholds: tuple[float, float]) -> np.ndarray:
    return (values >= thresholds[0]).astype("int8") + (values >= thresholds[1]).astype("int8")


def familiarity(frame: pd.DataFrame, params: FamiliarityParams) -> pd.Series:
    """Familiar / semi / unfamiliar from ``contacts_12m`` AND ``kyc_completeness``.

    Returns all ``<NA>`` when either column is absent: one input alone never decides.
    """
    codes = np.full(len(frame), -1, dtype="int8")
    if {"contacts_12m", "kyc_completeness"} <= set(frame.columns):
        contacts = pd.to_numeric(frame["contacts_12m"], errors="coerce").to_numpy("float64", na_value=np.nan)
        kyc = pd.to_numeric(frame["kyc_completeness"], errors="coerce").to_numpy("float64", na_value=np.nan)
        with np.errstate(invalid="ignore"):
            score = _grade(contacts, params.contacts) + _grade(kyc, params.kyc)
        codes = np.where(score >= params.familiar_from, 2, np.where(score >= params.semi_from, 1, 0)).astype("int8")
        codes[np.isnan(contacts) | np.isnan(kyc)] = -1
    return pd.Series(pd.Categorical.from_codes(codes, dtype=FAMILIARITY_DTYPE), index=frame.index)


def matrix_group(level: pd.Series, known: pd.Series) -> pd.Series:
    """``"<asset>-<familiarity>"`` (e.g. ``high-unfamiliar``); ``<NA>`` if either is missing."""
    a = level.cat.codes.to_numpy()
    f = known.cat.codes.to_numpy()
    # MATRIX_GROUPS lists high first and familiar first within a level.
    codes = np.where((a >= 0) & (f >= 0), (2 - a) * 3 + (2 - f), -1).astype("int8")
    return pd.Series(pd.Categorical.from_codes(codes, dtype=MATRIX_DTYPE), index=level.index)

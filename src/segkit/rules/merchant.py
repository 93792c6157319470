"""Merchant value tiers A–E 商户价值分层 and service levels (seed 001).

A merchant gets the highest tier whose thresholds it meets, on any one of the
four measures (``match: any``, the default) or on every measure the tier
lists (``match: all``). A missing measure counts as not met. Merchants are the
rows with ``customer_type == "merchant"``; without a ``customer_type`` column,
the rows with at least one measure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.config import MerchantScheme


def merchant_dtypes(scheme: MerchantScheme) -> tuple[pd.CategoricalDtype, pd.CategoricalDtype]:
    """Ordered dtypes of the tier codes and the service codes, lowest first."""
    tiers = pd.CategoricalDtype([tier.code for tier in reversed(scheme.tiers)], ordered=True)
    services = pd.CategoricalDtype([service.code for service in reversed(scheme.services)], ordered=True)
    return tiers, services


def merchant_tier(frame: pd.DataFrame, scheme: MerchantScheme | None) -> tuple[pd.Series, pd.Series]:
    """The value tier and service level of every merchant (``<NA>`` for others).

    Parameters
    ----------
    frame : DataFrame
        Customers, with any of the scheme's measure columns.
    scheme : MerchantScheme or None
        The tiers; ``None`` gives all ``<NA>``.

    Returns
    -------
    tier, service : Series
        Ordered categoricals (lowest first), same index as ``frame``.
    """
    n = len(frame)
    if scheme is None:
        empty = pd.Series(pd.Categorical.from_codes(np.full(n, -1, "int8"), categories=pd.Index([], dtype="str")))
        return empty.set_axis(frame.index), empty.set_axis(frame.index)
    tier_dtype, service_dtype = merchant_dtypes(scheme)
    present = [measure for measure in scheme.measures if measure in frame.columns]
    values = {m: pd.to_numeric(frame[m], errors="coerce").to_numpy("float64", na_value=np.nan) for m in present}
    if "customer_type" in frame.columns:
        is_merchant = frame["customer_type"].isin(["merchant"]).to_numpy(dtype=bool)
    else:
        is_merchant = np.logical_or.reduce([~np.isnan(v) for v in values.values()]) if values else np.zeros(n, bool)
    # Position in scheme.tiers (highest first) of the first tier met; the floor tier always matches.
    chosen = np.full(n, len(scheme.tiers) - 1, dtype="int16")
    for position in range(len(scheme.tiers) - 2, -1, -1):
        tier = scheme.tiers[position]
        tests = [values[m] >= t if m in values else np.zeros(n, bool) for m, t in tier.thresholds.items()]
        met = np.logical_or.reduce(tests) if scheme.match == "any" else np.logical_and.reduce(tests)
        chosen[met] = position
    tier_codes = np.where(is_merchant, len(scheme.tiers) - 1 - chosen, -1).astype("int16")
    service_of = np.array(
        [service_dtype.categories.get_loc(tier.service) for tier in reversed(scheme.tiers)], dtype="int16"
    )
    service_codes = np.where(tier_codes >= 0, service_of[np.clip(tier_codes, 0, None)], -1)
    return (
        pd.Series(pd.Categorical.from_codes(tier_codes, dtype=tier_dtype), index=frame.index),
        pd.Series(pd.Categorical.from_codes(service_codes, dtype=service_dtype), index=frame.index),
    )

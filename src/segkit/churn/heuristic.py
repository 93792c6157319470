"""A transparent early warning for banks without a ``churned`` label.

Four signals, each a strength between 0 and 1, from whichever columns exist:

``inactivity``
    ``months_inactive / dormant months`` (6 by default), capped at 1; without
    ``months_inactive``, 1 when ``txn_count_3m`` is 0.
``assets_falling``
    the fall of ``aum`` against ``aum_prev``: a 50% fall or more counts fully.
``few_products``
    1 with one product or none, 0.5 with two, 0 with three or more.
``contact_lost``
    1 without usable contact details (``has_contact``); without that column,
    1 when nobody reached the customer in 12 months (``contacts_12m``).

The risk index is the weighted mean of the available signals (missing values
count as no sign). It ranks customers but is **not a probability**: every row
says ``churn_method = "heuristic"``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from segkit.churn import features, output, reasons
from segkit.config import ChurnParams, HeuristicWeights
from segkit.errors import SegkitError

SIGNALS = ("inactivity", "assets_falling", "few_products", "contact_lost")
ENOUGH_PRODUCTS = 3.0
"""Products from which ``few_products`` no longer counts (fewer read as "only N products")."""
MIN_IMPACT = 0.01
"""A signal adding less than this to the risk index (0-1) is not given as a reason."""
LABELS = {
    "inactivity": ("inactivity", "交易不活跃"),
    "assets_falling": ("assets falling", "资产下降"),
    "few_products": ("few products", "持有产品少"),
    "contact_lost": ("contact lost", "失去联系"),
}


def signals(frame: pd.DataFrame, dormant_months: int = 6) -> dict[str, tuple[np.ndarray, str, np.ndarray]]:
    """Return each available signal: (strength 0-1 or NaN, feature it reads as, that feature's values)."""
    found: dict[str, tuple[np.ndarray, str, np.ndarray]] = {}
    if "months_inactive" in frame:
        months = features.as_numbers(frame["months_inactive"])
        found["inactivity"] = (np.clip(months / dormant_months, 0.0, 1.0), "months_inactive", months)
    elif "txn_count_3m" in frame:
        count = features.as_numbers(frame["txn_count_3m"])
        found["inactivity"] = (np.where(np.isnan(count), np.nan, count == 0), "txn_count_3m", count)
    change = features.derive(frame).get("aum_change")
    if change is not None:
        change = change.to_numpy()
        found["assets_falling"] = (np.clip(-change / 0.5, 0.0, 1.0), "aum_change", change)
    if "n_products" in frame:
        held = features.as_numbers(frame["n_products"])
        found["few_products"] = (np.clip((ENOUGH_PRODUCTS - held) / 2.0, 0.0, 1.0), "n_products", held)
    if "has_contact" in frame:
        contact = features.as_numbers(frame["has_contact"])
        found["contact_lost"] = (1.0 - contact, "has_contact", contact)
    elif "contacts_12m" in frame:
        contacts = features.as_numbers(frame["contacts_12m"])
        found["contact_lost"] = (np.where(np.isnan(contacts), np.nan, contacts == 0), "contacts_12m", contacts)
    return found


class HeuristicChurnScorer(BaseEstimator):
    """Rule-based churn early warning with the same output columns as the model.

    Parameters
    ----------
    weights : dict of str to float, optional
        Weight of each signal in :data:`SIGNALS` (default: ``HeuristicWeights()``).
    dormant_months : int
        Months without transactions at which inactivity counts fully.
    high, medium : float
        Band cut points of :meth:`score`.

    Attributes
    ----------
    signals_ : list of str
        Signals the fitted snapshot supports.
    weights_ : dict of str to float
        Weights of those signals, normalised to sum to 1.
    n_rows_ : int
        Rows of the snapshot.
    """

    def __init__(
        self,
        *,
        weights: dict[str, float] | None = None,
        dormant_months: int = 6,
        high: float = 0.5,
        medium: float = 0.2,
    ) -> None:
        self.weights = weights
        self.dormant_months = dormant_months
        self.high = high
        self.medium = medium

    @classmethod
    def from_params(cls, params: ChurnParams) -> HeuristicChurnScorer:
        """Build an unfitted heuristic scorer from the ``churn`` params section."""
        return cls(
            weights=params.heuristic.model_dump(),
            dormant_months=params.dormant.months_inactive,
            high=params.bands.high,
            medium=params.bands.medium,
        )

    def fit(self, frame: pd.DataFrame, y: object = None) -> HeuristicChurnScorer:
        """Record which signals ``frame`` supports (nothing is learned from labels)."""
        if not isinstance(frame, pd.DataFrame):
            raise SegkitError(f"expected a DataFrame of customers, got {type(frame).__name__}")
        if not 0 < self.medium < self.high < 1:
            raise SegkitError(f"churn early warning: band cut points must satisfy 0 < medium < high < 1, got medium={self.medium}, high={self.high}")
        weights = HeuristicWeights().model_dump() if self.weights is None else dict(self.weights)
        unknown = sorted(set(weights) - set(SIGNALS))
        if unknown or any(value < 0 for value in weights.values()):
            raise SegkitError(f"heuristic weights must be >= 0 for signals {', '.join(SIGNALS)}; got {weights}")
        available = [name for name in SIGNALS if name in signals(frame.head(0), self.dormant_months) and weights.get(name, 0) > 0]
        total = sum(weights[name] for name in available)
        if not available or total == 0:
            warnings.warn(
                "churn early warning: none of months_inactive, txn_count_3m, aum_prev, n_products, "
                "has_contact or contacts_12m is present; churn scores will be missing",
                UserWarning,
                stacklevel=2,
            )
        self.signals_ = available
        self.weights_ = {name: weights[name] / total for name in available} if total else {}
        self.n_rows_ = len(frame)
        return self

    def _impacts(self, frame: pd.DataFrame) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        check_is_fitted(self, "signals_")
        found = signals(frame, self.dormant_months)
        missing = [name for name in self.signals_ if name not in found]
        if missing:
            raise SegkitError(f"churn early warning: the snapshot lacks the columns of signal(s) {', '.join(missing)}")
        impacts = np.zeros((len(frame), len(self.signals_)))
        for j, name in enumerate(self.signals_):
            impacts[:, j] = np.nan_to_num(found[name][0], nan=0.0) * self.weights_[name]
        found_reasons = reasons.top_reasons(
            impacts,
            [found[name][2] for name in self.signals_],
            [found[name][1] for name in self.signals_],
            [ENOUGH_PRODUCTS if name == "few_products" else None for name in self.signals_],
            top=output.TOP,
            min_impact=MIN_IMPACT,
            drivers=self.signals_,
        )
        return impacts, found_reasons

    def risk(self, frame: pd.DataFrame) -> np.ndarray:
        """The risk index (0-1; NaN when no signal is available)."""
        impacts, _ = self._impacts(frame)
        return impacts.sum(axis=1) if self.signals_ else np.full(len(frame), np.nan)

    def explain(self, frame: pd.DataFrame, top: int = 3) -> pd.DataFrame:
        """Each customer's strongest signals in words (same columns as :meth:`ChurnScorer.explain`)."""
        _, found = self._impacts(frame)
        return output.explanation(found, frame.index, min(top, output.TOP))

    def score(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Risk index, band, value at risk and reasons in English and Chinese, with ``churn_method = "heuristic"``.

        The same columns as :meth:`ChurnScorer.score` (see :func:`segkit.churn.output.score_table`).
        """
        impacts, found = self._impacts(frame)
        risk = impacts.sum(axis=1) if self.signals_ else np.full(len(frame), np.nan)
        return output.score_table(frame, risk, found, "heuristic", self.high, self.medium)

    @property
    def global_drivers_(self) -> pd.DataFrame:
        """The signals and their weights (see :meth:`drivers_table`)."""
        return self.drivers_table()

    def drivers_table(self) -> pd.DataFrame:
        """The signals in use: ``feature``, ``importance`` (weight), ``share``, ``label_en``, ``label_zh``."""
        check_is_fitted(self, "signals_")
        names = sorted(self.signals_, key=lambda name: (-self.weights_[name], SIGNALS.index(name)))
        weights = np.array([self.weights_[name] for name in names], dtype="float64")
        return pd.DataFrame(
            {
                "feature": pd.Series(names, dtype="str"),
                "importance": weights,
                "share": weights,
                "label_en": pd.Series([LABELS[name][0] for name in names], dtype="str"),
                "label_zh": pd.Series([LABELS[name][1] for name in names], dtype="str"),
            }
        )


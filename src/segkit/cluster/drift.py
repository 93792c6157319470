"""How far a new month's customers moved from the ones a segmenter was fitted on.

The population stability index compares two distributions over the same
bins: ``PSI = sum((current - reference) * ln(current / reference))``. By
common convention PSI < 0.1 is stable, 0.1-0.25 a moderate shift and
> 0.25 a major shift worth refitting for.
"""

from __future__ import annotations

import numpy as np

MODERATE, MAJOR = 0.1, 0.25
_FLOOR = 1e-4


def psi(reference: np.ndarray, current: np.ndarray) -> float:
    """Population stability index of two share vectors over the same bins."""
    reference = np.clip(np.asarray(reference, dtype=float), _FLOOR, None)
    current = np.clip(np.asarray(current, dtype=float), _FLOOR, None)
    reference, current = reference / reference.sum(), current / current.sum()
    return float(np.sum((current - reference) * np.log(current / reference)))


def level(value: float) -> str:
    """``"stable"``, ``"moderate"`` or ``"major"`` for a PSI value."""
    return "stable" if value < MODERATE else "moderate" if value < MAJOR else "major"


def bin_edges(values: np.ndarray, n_bins: int = 10) -> np.ndarray:
    """Inner decile edges of one encoded column (duplicates removed)."""
    return np.unique(np.quantile(values, np.linspace(0, 1, n_bins + 1)[1:-1]))


def bin_shares(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Share of ``values`` in each bin defined by ``edges``."""
    counts = np.bincount(np.searchsorted(edges, values, side="right"), minlength=len(edges) + 1)
    return counts / max(len(values), 1)
